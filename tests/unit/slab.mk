# slab.mk — host unit test of slab caches and kmalloc (over the real pmm).
UNIT_TESTS += slab
unit_slab_SRCS := tests/unit/test_slab.c mm/slab.c mm/slab_pmm.c mm/pmm.c
