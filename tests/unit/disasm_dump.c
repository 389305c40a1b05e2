/* disasm_dump.c — host driver of kernel/debug/disasm.c for the objdump
 * comparison (tests/tools/test_disasm_objdump.py) and for people.
 *
 *   disasm_dump ELF            reads "ADDR LIMIT" lines (hex) on stdin and
 *                              prints "ADDR<TAB>TEXT" for the instruction at
 *                              ADDR, reading no byte at or past LIMIT (objdump
 *                              stops at the next symbol the same way)
 *   disasm_dump -a FILE        the same for a raw file loaded at 0
 *   disasm_dump -b FILE [BASE] a raw file, decoded linearly from BASE (hex)
 *   disasm_dump -x HEXBYTES    one byte string, decoded linearly from 0
 */
#include <elf.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/disasm.h"

struct image {
	uint8_t *data;
	size_t size;
	const Elf64_Shdr *sh;
	unsigned nsh;
};

/* The ELF's defined symbols' addresses, sorted: objdump names an address
 * "sym+off" (and prints it without 0x) when some symbol lies at or below
 * it, which is all the symbolizer has to tell. */
static uint64_t *sym_addrs;
static size_t sym_count;

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	uint8_t *p = malloc(n > 0 ? (size_t)n : 1);
	if (!p || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	*size = (size_t)n;
	return p;
}

static void load_elf(struct image *im, const char *path)
{
	im->data = read_file(path, &im->size);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im->data;
	if (im->size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) >
		im->size) {
		fprintf(stderr, "%s: not a 64-bit ELF file\n", path);
		exit(2);
	}
	im->sh = (const Elf64_Shdr *)(im->data + eh->e_shoff);
	im->nsh = eh->e_shnum;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Symbols of .symtab and, as objdump falls back to "<.text+0x10>" in a
 * stripped file, the start of every allocated section. */
static void load_symbols(const struct image *im)
{
	size_t room = im->nsh;
	for (unsigned i = 0; i < im->nsh; i++)
		if (im->sh[i].sh_type == SHT_SYMTAB)
			room += im->sh[i].sh_size / sizeof(Elf64_Sym);
	sym_addrs = calloc(room + 1, sizeof *sym_addrs);
	for (unsigned i = 0; i < im->nsh; i++) {
		const Elf64_Shdr *s = &im->sh[i];
		if (s->sh_flags & SHF_ALLOC)
			sym_addrs[sym_count++] = s->sh_addr;
		if (s->sh_type != SHT_SYMTAB ||
		    s->sh_offset + s->sh_size > im->size)
			continue;
		const Elf64_Sym *sym =
		    (const Elf64_Sym *)(im->data + s->sh_offset);
		for (size_t k = 0; k < s->sh_size / sizeof *sym; k++)
			if (sym[k].st_shndx != SHN_UNDEF &&
			    sym[k].st_shndx < SHN_LORESERVE &&
			    ELF64_ST_TYPE(sym[k].st_info) != STT_FILE)
				sym_addrs[sym_count++] = sym[k].st_value;
	}
	qsort(sym_addrs, sym_count, sizeof *sym_addrs, cmp_u64);
}

static bool elf_symbolizer(uint64_t addr, char *buf, size_t n)
{
	if (!sym_count || addr < sym_addrs[0])
		return false;
	snprintf(buf, n, "sym");
	return true;
}

/* The executable section holding addr, or NULL. */
static const Elf64_Shdr *section_of(const struct image *im, uint64_t addr)
{
	for (unsigned i = 0; i < im->nsh; i++) {
		const Elf64_Shdr *s = &im->sh[i];
		if ((s->sh_flags & SHF_EXECINSTR) &&
		    s->sh_type == SHT_PROGBITS && addr >= s->sh_addr &&
		    addr - s->sh_addr < s->sh_size &&
		    s->sh_offset + s->sh_size <= im->size)
			return s;
	}
	return NULL;
}

/* Bytes available at addr (not past limit, when limit > addr); NULL when
 * addr is not in an executable section (ELF) or the file (raw). */
static const uint8_t *bytes_at(const struct image *im, uint64_t addr,
			       uint64_t limit, size_t *n)
{
	uint64_t start = 0, end = im->size;
	const uint8_t *base = im->data;
	if (im->sh) {
		const Elf64_Shdr *s = section_of(im, addr);
		if (!s)
			return NULL;
		start = s->sh_addr;
		end = s->sh_addr + s->sh_size;
		base = im->data + s->sh_offset;
	}
	if (addr < start || addr >= end)
		return NULL;
	if (limit > addr && limit < end)
		end = limit;
	*n = end - addr;
	return base + (addr - start);
}

/* Decode at each "ADDR [LIMIT]" line of stdin. The bytes handed over are
 * copied so that ASan catches any read past them. */
static int at_addresses(struct image *im)
{
	char line[128], text[DISASM_TEXT_MAX];
	while (fgets(line, sizeof line, stdin)) {
		uint64_t addr, limit = 0;
		size_t n;
		if (sscanf(line, "%" SCNx64 " %" SCNx64, &addr, &limit) < 1)
			continue;
		const uint8_t *p = bytes_at(im, addr, limit, &n);
		if (!p) {
			printf("%" PRIx64 "\t(not in an executable section)\n",
			       addr);
			continue;
		}
		n = n > DISASM_MAX_LEN ? DISASM_MAX_LEN : n;
		uint8_t *copy = malloc(n);
		memcpy(copy, p, n);
		disasm_one(copy, n, addr, text, sizeof text,
			   sym_count ? elf_symbolizer : NULL);
		free(copy);
		printf("%" PRIx64 "\t%s\n", addr, text);
	}
	free(im->data);
	free(sym_addrs);
	return 0;
}

/* objdump-like linear listing of buf. */
static int linear(const uint8_t *buf, size_t size, uint64_t base)
{
	char text[DISASM_TEXT_MAX];
	for (size_t off = 0; off < size;) {
		size_t n = disasm_one(buf + off, size - off, base + off, text,
				      sizeof text, NULL);
		printf("%8" PRIx64 ":\t", base + off);
		for (size_t i = 0; i < n; i++)
			printf("%02x ", buf[off + i]);
		printf("\t%s\n", text);
		off += n;
	}
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Bytes written in hex, spaces allowed: "48 89 e5". */
static int from_hex(const char *hex)
{
	uint8_t *buf = malloc(strlen(hex) / 2 + 1);
	size_t n = 0;
	int hi = -1;
	for (const char *p = hex; *p; p++) {
		int v = hex_digit(*p);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	int rc = linear(buf, n, 0);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	struct image im = {0};
	if (argc == 2 && argv[1][0] != '-') {
		load_elf(&im, argv[1]);
		load_symbols(&im);
		return at_addresses(&im);
	}
	if (argc == 3 && !strcmp(argv[1], "-a")) {
		im.data = read_file(argv[2], &im.size);
		return at_addresses(&im);
	}
	if (argc >= 3 && !strcmp(argv[1], "-b")) {
		size_t size;
		uint8_t *buf = read_file(argv[2], &size);
		int rc = linear(buf, size,
				argc > 3 ? strtoull(argv[3], NULL, 16) : 0);
		free(buf);
		return rc;
	}
	if (argc == 3 && !strcmp(argv[1], "-x"))
		return from_hex(argv[2]);
	fprintf(stderr, "usage: disasm_dump ELF < 'ADDR LIMIT' lines\n"
			"       disasm_dump -a FILE < 'ADDR' lines\n"
			"       disasm_dump -b FILE [BASE]\n"
			"       disasm_dump -x HEXBYTES\n");
	return 2;
}
