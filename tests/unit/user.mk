# user.mk — host unit tests of the ring-3 support's pure logic: ELF validation, the ustar initrd.
UNIT_TESTS += elf initrd
unit_elf_SRCS := tests/unit/test_elf.c kernel/proc/elf.c kernel/lib/format.c
unit_initrd_SRCS := tests/unit/test_initrd.c fs/initrd.c
