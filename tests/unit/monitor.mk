# monitor.mk — host tests of the monitor's dispatcher, pager and commands.
UNIT_TESTS += monitor
unit_monitor_SRCS := tests/unit/test_monitor.c kernel/debug/monitor.c \
	kernel/debug/monitor_cmds.c kernel/debug/lineedit.c \
	kernel/debug/mon_expr.c kernel/ksyms.c kernel/lib/format.c
