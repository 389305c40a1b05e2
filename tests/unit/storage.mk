# storage.mk — host unit tests of the storage stack: the ATA PIO protocol against a simulated channel, the buffer cache, ext2 read and write on mke2fs images.
UNIT_TESTS += ata
unit_ata_SRCS := tests/unit/test_ata.c drivers/ata.c kernel/lib/format.c
EXT2_SRCS := fs/bcache.c fs/ext2.c fs/ext2_mount.c fs/ext2_alloc.c fs/ext2_bmap.c \
	fs/ext2_dir.c fs/ext2_file.c fs/ext2_ops.c fs/ext2_rename.c fs/ext2_dump.c fs/ext2_dindex.c kernel/lib/format.c
UNIT_TESTS += ext2
unit_ext2_SRCS := tests/unit/test_ext2.c tests/unit/ext2_host.c $(EXT2_SRCS)
UNIT_TESTS += ext2_write
unit_ext2_write_SRCS := tests/unit/test_ext2_write.c tests/unit/ext2_host.c $(EXT2_SRCS)
UNIT_TESTS += bcache
unit_bcache_SRCS := tests/unit/test_bcache.c fs/bcache.c
UNIT_TESTS += vfs
unit_vfs_SRCS := tests/unit/test_vfs.c tests/unit/ext2_host.c $(EXT2_SRCS) fs/ext2_vfs.c \
	fs/vfs.c fs/vfs_path.c fs/vfs_ops.c fs/initrd.c fs/initrd_fs.c
