# pagetable.mk — host unit test of the page-table operations and dumps.
UNIT_TESTS += pagetable
unit_pagetable_SRCS := tests/unit/test_pagetable.c mm/pagetable.c
