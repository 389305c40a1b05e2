# disasm.mk — host tests of the disassembler.
DISASM_SRCS := kernel/debug/disasm.c kernel/debug/disasm_operands.c \
	kernel/debug/disasm_tables.c kernel/lib/format.c

UNIT_TESTS += disasm
unit_disasm_SRCS := tests/unit/test_disasm.c $(DISASM_SRCS)
