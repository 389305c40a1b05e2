# pmm.mk — host unit test of the buddy page allocator.
UNIT_TESTS += pmm
unit_pmm_SRCS := tests/unit/test_pmm.c mm/pmm.c
