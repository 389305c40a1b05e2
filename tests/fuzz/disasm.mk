# disasm.mk — libFuzzer target for the disassembler (random instruction bytes).
FUZZERS += disasm
fuzz_disasm_SRCS := tests/fuzz/fuzz_disasm.c kernel/debug/disasm.c \
	kernel/debug/disasm_operands.c kernel/debug/disasm_tables.c \
	kernel/lib/format.c
