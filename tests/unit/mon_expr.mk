# mon_expr.mk — host tests of the monitor's expression evaluator.
UNIT_TESTS += mon_expr
unit_mon_expr_SRCS := tests/unit/test_mon_expr.c kernel/debug/mon_expr.c \
	kernel/ksyms.c kernel/lib/format.c
