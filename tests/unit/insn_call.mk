# insn_call.mk — host tests of the call-length helper behind the monitor's `n`.
UNIT_TESTS += insn_call
unit_insn_call_SRCS := tests/unit/test_insn_call.c kernel/debug/insn_call.c
