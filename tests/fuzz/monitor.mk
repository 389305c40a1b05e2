# monitor.mk — libFuzzer target: keystrokes through the whole monitor.
FUZZERS += monitor
fuzz_monitor_SRCS := tests/fuzz/fuzz_monitor.c kernel/debug/monitor.c \
	kernel/debug/monitor_cmds.c kernel/debug/lineedit.c \
	kernel/debug/mon_expr.c kernel/ksyms.c kernel/lib/format.c
