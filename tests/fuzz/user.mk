# user.mk — libFuzzer targets for the ring-3 support: the ELF validator and the ustar reader.
FUZZERS += elf initrd
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c kernel/proc/elf.c kernel/lib/format.c
fuzz_initrd_SRCS := tests/fuzz/fuzz_initrd.c fs/initrd.c
