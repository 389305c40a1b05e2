/* initrd.c — USTAR archive reader, walked in place (pure code). */
#include "kernel/lib/string.h"
#include "fs/initrd.h"

/* Header field offsets and widths (POSIX pax, "ustar Interchange Format"). */
#define H_NAME 0
#define H_NAME_LEN 100
#define H_SIZE 124
#define H_SIZE_LEN 12
#define H_CHKSUM 148
#define H_CHKSUM_LEN 8
#define H_TYPEFLAG 156
#define H_MAGIC 257 /* "ustar\0" (POSIX) or "ustar " (GNU) */
#define H_PREFIX 345
#define H_PREFIX_LEN 155
#define TYPE_REGULAR '0'
#define TYPE_REGULAR_OLD '\0'

/* Parse an octal field (NUL/space padded). False on a bad digit. */
static bool octal(const uint8_t *f, size_t len, uint64_t *v)
{
	size_t i = 0;
	*v = 0;
	while (i < len && f[i] == ' ')
		i++;
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (*v >> 60)
			return false;
		*v = *v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	return true;
}

static bool all_zero(const uint8_t *b)
{
	for (int i = 0; i < USTAR_BLOCK; i++)
		if (b[i])
			return false;
	return true;
}

/* The checksum counts the checksum field itself as spaces. */
static bool checksum_ok(const uint8_t *h)
{
	uint64_t want, sum = 0;
	if (!octal(h + H_CHKSUM, H_CHKSUM_LEN, &want))
		return false;
	for (int i = 0; i < USTAR_BLOCK; i++)
		sum +=
		    (i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN) ? ' ' : h[i];
	return sum == want;
}

/* prefix "/" name, without a leading "./" or "/". */
static void full_name(const uint8_t *h, char *out)
{
	size_t n = 0, plen = strnlen((const char *)h + H_PREFIX, H_PREFIX_LEN);
	memcpy(out, h + H_PREFIX, plen);
	n = plen;
	if (plen)
		out[n++] = '/';
	size_t nlen = strnlen((const char *)h + H_NAME, H_NAME_LEN);
	memcpy(out + n, h + H_NAME, nlen);
	out[n + nlen] = '\0';
	const char *s = out;
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	while (s[0] == '/')
		s++;
	memmove(out, s, strlen(s) + 1);
}

/* Decode the header at off: file size and whether it is a regular file.
 * Returns false with *why on a malformed header. */
static bool header_at(const struct initrd *rd, size_t off, uint64_t *size,
		      bool *regular, const char **why)
{
	const uint8_t *h = rd->base + off;
	if (memcmp(h + H_MAGIC, "ustar", 5))
		return (*why = "bad magic (not a ustar header)"), false;
	if (!checksum_ok(h))
		return (*why = "bad header checksum"), false;
	if (!octal(h + H_SIZE, H_SIZE_LEN, size))
		return (*why = "bad size field"), false;
	if (*size > rd->size - off - USTAR_BLOCK)
		return (*why = "member runs past the end of the archive"),
		       false;
	*regular =
	    h[H_TYPEFLAG] == TYPE_REGULAR || h[H_TYPEFLAG] == TYPE_REGULAR_OLD;
	return true;
}

int initrd_file_at(const struct initrd *rd, size_t index,
		   struct initrd_file *out, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	for (size_t off = 0; off + USTAR_BLOCK <= rd->size;) {
		uint64_t size;
		bool regular;
		if (all_zero(rd->base + off))
			return -1; /* end-of-archive marker */
		if (!header_at(rd, off, &size, &regular, why))
			return -2;
		if (regular && index-- == 0) {
			full_name(rd->base + off, out->name);
			out->data = rd->base + off + USTAR_BLOCK;
			out->size = size;
			return 0;
		}
		off += USTAR_BLOCK +
		       ((size + USTAR_BLOCK - 1) / USTAR_BLOCK) * USTAR_BLOCK;
	}
	return -1;
}

static const char *skip_slashes(const char *s)
{
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	while (*s == '/')
		s++;
	return s;
}

bool initrd_find(const struct initrd *rd, const char *name,
		 struct initrd_file *out)
{
	name = skip_slashes(name);
	for (size_t i = 0; initrd_file_at(rd, i, out, 0) == 0; i++)
		if (!strcmp(out->name, name))
			return true;
	return false;
}

long initrd_check(const struct initrd *rd, const char **why)
{
	struct initrd_file f;
	long n = 0;
	int rc;
	while ((rc = initrd_file_at(rd, (size_t)n, &f, why)) == 0)
		n++;
	return rc == -1 ? n : -1;
}
