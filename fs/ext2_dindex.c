/* ext2_dindex.c — the directory index (see ext2_dindex.h): open
 * addressing with linear probing, tombstones for removed entries. */
#include "fs/ext2_dindex.h"
#include "kernel/lib/string.h"

#define DEAD UINT32_MAX

uint32_t ext2_dindex_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619u;
	return h;
}

void ext2_dindex_start(struct ext2_dindex *x, uint32_t dir)
{
	memset(x->slots, 0, x->cap * sizeof *x->slots);
	x->dir = dir;
	x->live = x->dead = 0;
	x->hint = 0;
	x->builds++;
}

void ext2_dindex_forget(struct ext2_dindex *x, uint32_t dir)
{
	if (x->dir == dir)
		x->dir = 0;
	if (x->too_big == dir)
		x->too_big = 0;
}

bool ext2_dindex_add(struct ext2_dindex *x, uint32_t hash, uint32_t lblk)
{
	if ((x->live + x->dead + 1) * 2 > x->cap) { /* keep it half empty */
		x->too_big = x->dir;
		x->dir = 0;
		return false;
	}
	uint32_t i = hash & (x->cap - 1);
	while (x->slots[i].lblk1 && x->slots[i].lblk1 != DEAD)
		i = (i + 1) & (x->cap - 1);
	if (x->slots[i].lblk1 == DEAD)
		x->dead--;
	x->slots[i] = (struct ext2_dslot){hash, lblk + 1};
	x->live++;
	return true;
}

void ext2_dindex_remove(struct ext2_dindex *x, uint32_t hash, uint32_t lblk)
{
	for (uint32_t i = hash & (x->cap - 1); x->slots[i].lblk1;
	     i = (i + 1) & (x->cap - 1))
		if (x->slots[i].hash == hash && x->slots[i].lblk1 == lblk + 1) {
			x->slots[i].lblk1 = DEAD;
			x->live--;
			x->dead++;
			return;
		}
}

int ext2_dindex_blocks(const struct ext2_dindex *x, uint32_t hash,
		       uint32_t *lblks, int max)
{
	int n = 0;
	for (uint32_t i = hash & (x->cap - 1); x->slots[i].lblk1;
	     i = (i + 1) & (x->cap - 1)) {
		const struct ext2_dslot *s = &x->slots[i];
		if (s->lblk1 == DEAD || s->hash != hash)
			continue;
		bool seen = false;
		for (int k = 0; k < n; k++)
			seen |= lblks[k] == s->lblk1 - 1;
		if (seen)
			continue;
		if (n == max)
			return -1; /* too many: the caller scans instead */
		lblks[n++] = s->lblk1 - 1;
	}
	return n;
}
