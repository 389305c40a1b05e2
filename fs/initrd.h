/* initrd.h — the initrd: a USTAR archive read in place (pure code). */
#ifndef FS_INITRD_H
#define FS_INITRD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USTAR_BLOCK 512
#define INITRD_NAME_MAX 256 /* prefix (155) + '/' + name (100) + NUL */

/* One regular file of the archive; data points into the archive. */
struct initrd_file {
	char name[INITRD_NAME_MAX]; /* without a leading "./" */
	const uint8_t *data;
	size_t size;
};

struct initrd {
	const uint8_t *base;
	size_t size;
};

/* The index-th regular file (0-based, archive order; directories and
 * other entries are skipped). Returns 0, or -1 past the last file, or -2
 * when the archive is malformed before it (bad checksum, magic, size or a
 * member running past the end), with the reason in *why when why is
 * non-NULL. */
int initrd_file_at(const struct initrd *rd, size_t index,
		   struct initrd_file *out, const char **why);

/* Find a regular file by name ("init", "./init" and "/init" all match
 * "init"). */
bool initrd_find(const struct initrd *rd, const char *name,
		 struct initrd_file *out);

/* Validate the whole archive: the number of files, or -1 with *why. */
long initrd_check(const struct initrd *rd, const char **why);

#endif
