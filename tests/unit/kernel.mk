# kernel.mk — host unit tests of the foundation's pure logic.
UNIT_TESTS += format cmdline ksyms ring kbdmap multiboot
unit_format_SRCS := tests/unit/test_format.c kernel/lib/format.c
unit_cmdline_SRCS := tests/unit/test_cmdline.c kernel/cmdline.c kernel/lib/format.c
unit_ksyms_SRCS := tests/unit/test_ksyms.c kernel/ksyms.c
unit_ring_SRCS := tests/unit/test_ring.c kernel/lib/ring.c
unit_kbdmap_SRCS := tests/unit/test_kbdmap.c drivers/kbdmap.c
unit_multiboot_SRCS := tests/unit/test_multiboot.c kernel/multiboot.c
