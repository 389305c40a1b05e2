/* ext2_format.h — the ext2 on-disk format (superblock, group descriptor,
 * inode, directory entry), as "The Second Extended File System" (Poirier)
 * and e2fsprogs' ext2_fs.h describe it. Little-endian, like x86. */
#ifndef FS_EXT2_FORMAT_H
#define FS_EXT2_FORMAT_H

#include <stdint.h>

#define EXT2_SUPER_OFFSET 1024 /* bytes from the start of the device */
#define EXT2_SUPER_SIZE 1024
#define EXT2_MAGIC 0xef53
#define EXT2_MIN_BLOCK_LOG 10 /* 1 KiB */
#define EXT2_MAX_BLOCK_LOG 12 /* 4 KiB: the sizes we mount */
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_ROOT_INO 2
#define EXT2_STATE_VALID 1 /* s_state: cleanly unmounted */
#define EXT2_STATE_ERROR 2 /* s_state: errors detected */

/* Feature bits (e2fsprogs lib/ext2fs/ext2_fs.h). */
#define EXT2_FEATURE_COMPAT_DIR_INDEX 0x0020
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER 0x0001
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE 0x0002
#define EXT2_INCOMPAT_SUPPORTED EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPPORTED                                               \
	(EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER |                                 \
	 EXT2_FEATURE_RO_COMPAT_LARGE_FILE)

struct ext2_super {
	uint32_t s_inodes_count, s_blocks_count, s_r_blocks_count;
	uint32_t s_free_blocks_count, s_free_inodes_count;
	uint32_t s_first_data_block, s_log_block_size, s_log_frag_size;
	uint32_t s_blocks_per_group, s_frags_per_group, s_inodes_per_group;
	uint32_t s_mtime, s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic, s_state, s_errors, s_minor_rev_level;
	uint32_t s_lastcheck, s_checkinterval, s_creator_os, s_rev_level;
	uint16_t s_def_resuid, s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t s_first_ino;
	uint16_t s_inode_size, s_block_group_nr;
	uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint32_t s_algo_usage_bitmap;
	uint8_t s_prealloc_blocks, s_prealloc_dir_blocks;
	uint16_t s_reserved_gdt_blocks;
	uint8_t s_journal_uuid[16];
	uint32_t s_journal_inum, s_journal_dev, s_last_orphan;
	uint32_t s_hash_seed[4];
	uint8_t s_def_hash_version, s_jnl_backup_type;
	uint16_t s_desc_size;
	uint32_t s_default_mount_opts, s_first_meta_bg, s_mkfs_time;
	uint32_t s_jnl_blocks[17];
	uint32_t s_blocks_count_hi, s_r_blocks_count_hi, s_free_blocks_count_hi;
	uint16_t s_min_extra_isize, s_want_extra_isize;
	uint8_t s_rest[1024 - 0x160];
} __attribute__((packed));

struct ext2_group_desc {
	uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
	uint16_t bg_free_blocks_count, bg_free_inodes_count;
	uint16_t bg_used_dirs_count, bg_flags;
	uint32_t bg_reserved[3];
} __attribute__((packed));

#define EXT2_N_BLOCKS 15 /* i_block: 12 direct, then 1, 2, 3 levels */
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14

struct ext2_inode {
	uint16_t i_mode, i_uid;
	uint32_t i_size, i_atime, i_ctime, i_mtime, i_dtime;
	uint16_t i_gid, i_links_count;
	uint32_t i_blocks; /* 512-byte units */
	uint32_t i_flags, i_osd1;
	uint32_t i_block[EXT2_N_BLOCKS];
	uint32_t i_generation, i_file_acl;
	uint32_t i_size_high; /* i_dir_acl in revision 0 */
	uint32_t i_faddr;
	uint16_t i_blocks_hi, i_file_acl_high, i_uid_high, i_gid_high;
	uint16_t i_checksum_lo, i_reserved;
	/* large inodes (s_inode_size > 128) */
	uint16_t i_extra_isize, i_checksum_hi;
	uint32_t i_ctime_extra, i_mtime_extra, i_atime_extra, i_crtime,
	    i_crtime_extra, i_version_hi, i_projid;
} __attribute__((packed));
#define EXT2_INODE_EXTRA 32 /* i_extra_isize of new large inodes */

#define EXT2_INDEX_FL 0x00001000 /* htree-indexed directory */

/* i_mode (POSIX). */
#define EXT2_S_IFMT 0170000
#define EXT2_S_IFSOCK 0140000
#define EXT2_S_IFLNK 0120000
#define EXT2_S_IFREG 0100000
#define EXT2_S_IFBLK 0060000
#define EXT2_S_IFDIR 0040000
#define EXT2_S_IFCHR 0020000
#define EXT2_S_IFIFO 0010000

/* Directory entry: 8-byte header, name, padded to 4. */
struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len, file_type; /* file_type: with FILETYPE only */
	char name[];
} __attribute__((packed));
#define EXT2_DIRENT_HEADER 8
#define EXT2_NAME_LEN 255
#define EXT2_DIRENT_LEN(n) ((EXT2_DIRENT_HEADER + (n) + 3) & ~3u)

/* file_type values. */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG_FILE 1
#define EXT2_FT_DIR 2
#define EXT2_FT_CHRDEV 3
#define EXT2_FT_BLKDEV 4
#define EXT2_FT_FIFO 5
#define EXT2_FT_SOCK 6
#define EXT2_FT_SYMLINK 7

/* Extended attribute block header (e2fsprogs ext2_ext_attr.h). */
#define EXT2_EA_MAGIC 0xea020000
struct ext2_ea_header {
	uint32_t h_magic, h_refcount, h_blocks, h_hash;
} __attribute__((packed));

#endif
