# gdb.mk — libFuzzer target for the GDB stub (RSP framing + packet handlers).
FUZZERS += gdb
fuzz_gdb_SRCS := tests/fuzz/fuzz_gdb.c tests/unit/gdb_fake_target.c \
	kernel/debug/gdbstub.c kernel/debug/gdb_query.c kernel/debug/gdb_rsp.c \
	kernel/debug/gdb_regs.c kernel/debug/gdb_target_xml.c \
	kernel/debug/gdb_xfer.c kernel/debug/gdb_fpu.c kernel/lib/format.c
