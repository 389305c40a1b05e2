/* ext2_dindex.h — an in-memory index of one large directory's entries:
 * name hash -> the directory block holding it, so a lookup (and the check
 * a create makes) reads one block instead of the whole directory, and new
 * entries go straight to the block that last had room. Built on the first
 * search of a directory of several blocks, kept up to date by every
 * change ext2 makes, dropped when the directory goes. The memory comes
 * from the caller (struct ext2_fs's dindex; NULL: no index). */
#ifndef FS_EXT2_DINDEX_H
#define FS_EXT2_DINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ext2_dslot {
	uint32_t hash;
	uint32_t lblk1; /* logical block + 1; 0 empty, UINT32_MAX removed */
};

struct ext2_dindex {
	struct ext2_dslot *slots;
	uint32_t cap; /* slots, a power of two */
	uint32_t dir; /* the directory indexed, 0 none */
	uint32_t live, dead;
	uint32_t hint;	       /* block the last new entry went to */
	uint32_t too_big;      /* a directory that did not fit: not retried */
	uint64_t hits, builds; /* for the curious */
};

#define EXT2_DINDEX_MIN_BLOCKS 2 /* smaller directories are just scanned */

uint32_t ext2_dindex_hash(const char *name, size_t len);
/* Start indexing dir (forgetting any other). */
void ext2_dindex_start(struct ext2_dindex *x, uint32_t dir);
void ext2_dindex_forget(struct ext2_dindex *x, uint32_t dir);
/* false when full (the index then forgets the directory). */
bool ext2_dindex_add(struct ext2_dindex *x, uint32_t hash, uint32_t lblk);
void ext2_dindex_remove(struct ext2_dindex *x, uint32_t hash, uint32_t lblk);
/* The distinct blocks that may hold a name of this hash: their count, or
 * -1 when there are more than max (search the whole directory then). */
int ext2_dindex_blocks(const struct ext2_dindex *x, uint32_t hash,
		       uint32_t *lblks, int max);

#endif
