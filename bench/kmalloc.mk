# kmalloc.mk — benchmark: slab kmalloc/kfree vs glibc malloc/free (16..2048 bytes).
BENCHES += kmalloc
bench_kmalloc_SRCS := bench/bench_kmalloc.c mm/slab.c mm/slab_pmm.c mm/pmm.c bench/bench_stubs.c
