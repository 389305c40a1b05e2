# pmm.mk — benchmark: buddy order-0 alloc/free vs a first-fit bitmap allocator.
BENCHES += pmm
bench_pmm_SRCS := bench/bench_pmm.c mm/pmm.c bench/pmm_twin.c bench/bench_stubs.c
