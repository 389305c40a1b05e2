# disasm.mk — host tests of the disassembler, and disasm_dump, its driver for
# the objdump comparison (tests/tools/test_disasm_objdump.py).
DISASM_SRCS := kernel/debug/disasm.c kernel/debug/disasm_operands.c \
	kernel/debug/disasm_tables.c kernel/lib/format.c

UNIT_TESTS += disasm
unit_disasm_SRCS := tests/unit/test_disasm.c $(DISASM_SRCS)

DISASM_DUMP := $(BUILD)/host/disasm_dump
$(DISASM_DUMP): tests/unit/disasm_dump.c $(DISASM_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -D_GNU_SOURCE -I. -MM -MP -MT $@ $(filter %.c,$^) > $@.d
	$(HOSTCC) -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror -I. \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)
TEST_HELPERS += $(DISASM_DUMP)
