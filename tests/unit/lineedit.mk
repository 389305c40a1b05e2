# lineedit.mk — host tests of the monitor's line editor.
UNIT_TESTS += lineedit
unit_lineedit_SRCS := tests/unit/test_lineedit.c kernel/debug/lineedit.c
