# kmalloc.mk — benchmark: slab kmalloc/kfree vs a first-fit free-list heap.
BENCHES += kmalloc
bench_kmalloc_SRCS := bench/bench_kmalloc.c mm/slab.c mm/slab_pmm.c mm/pmm.c bench/bench_stubs.c
