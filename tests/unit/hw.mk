# hw.mk — host unit tests of real-hardware discovery: ACPI SPCR lookup and decoding, console= forms.
UNIT_TESTS += spcr
unit_spcr_SRCS := tests/unit/test_spcr.c drivers/acpi.c kernel/cmdline.c kernel/lib/format.c
