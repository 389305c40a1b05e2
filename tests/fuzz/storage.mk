# storage.mk — libFuzzer target for ext2 over image bytes (mount, walk, read, a few writes); seeds in tests/fuzz/corpus/ext2.
FUZZERS += ext2
fuzz_ext2_SRCS := tests/fuzz/fuzz_ext2.c $(EXT2_SRCS)
