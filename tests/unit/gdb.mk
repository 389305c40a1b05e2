# gdb.mk — host unit tests of the GDB stub, and the fake-target server used by tests/gdb/.
GDB_STUB_SRCS := kernel/debug/gdbstub.c kernel/debug/gdb_query.c \
	kernel/debug/gdb_rsp.c kernel/debug/gdb_regs.c kernel/debug/gdb_target_xml.c \
	kernel/debug/gdb_xfer.c kernel/debug/gdb_fpu.c kernel/lib/format.c

UNIT_TESTS += gdbstub
unit_gdbstub_SRCS := tests/unit/test_gdbstub.c tests/unit/gdb_fake_target.c \
	$(GDB_STUB_SRCS)

# The stub on a TCP socket over a fake target, for real GDB (tests/gdb/).
GDB_FAKE_TARGET := $(BUILD)/host/gdb_fake_target
$(GDB_FAKE_TARGET): tests/unit/gdb_fake_target_main.c \
		tests/unit/gdb_fake_target.c $(GDB_STUB_SRCS)
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -D_GNU_SOURCE -I. -MM -MP -MT $@ $(filter %.c,$^) > $@.d
	$(HOSTCC) -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror -I. \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)
TEST_HELPERS += $(GDB_FAKE_TARGET)
