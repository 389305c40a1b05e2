# hw.mk — host unit tests of real-hardware discovery and drivers: ACPI SPCR, console= forms, the 16550 probe.
UNIT_TESTS += spcr
unit_spcr_SRCS := tests/unit/test_spcr.c drivers/acpi.c kernel/cmdline.c kernel/lib/format.c
UNIT_TESTS += uart16550
unit_uart16550_SRCS := tests/unit/test_uart16550.c drivers/uart16550.c
