/* elf.c — ELF64 executable validation (pure code). */
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/elf.h"

struct elf_ctx {
	size_t size;
	uint64_t lo, hi;
	char *err;
	size_t errlen;
};

#define FAIL(c, ...) (ksnprintf((c)->err, (c)->errlen, __VA_ARGS__), false)

/* a + b <= limit, without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

static bool check_ident(struct elf_ctx *c, const struct elf64_ehdr *h)
{
	if (memcmp(h->ident, ELF_MAG, 4))
		return FAIL(c, "bad magic (not an ELF file)");
	if (h->ident[ELF_EI_CLASS] != ELF_CLASS64)
		return FAIL(c, "class %u is not ELFCLASS64",
			    h->ident[ELF_EI_CLASS]);
	if (h->ident[ELF_EI_DATA] != ELF_DATA2LSB)
		return FAIL(c, "data encoding %u is not little-endian",
			    h->ident[ELF_EI_DATA]);
	if (h->ident[ELF_EI_VERSION] != ELF_EV_CURRENT ||
	    h->version != ELF_EV_CURRENT)
		return FAIL(c, "ELF version %u/%u is not 1",
			    h->ident[ELF_EI_VERSION], h->version);
	return true;
}

static bool check_header(struct elf_ctx *c, const struct elf64_ehdr *h)
{
	if (!check_ident(c, h))
		return false;
	if (h->type != ELF_ET_EXEC)
		return FAIL(c, "type %u is not ET_EXEC (a static executable)",
			    h->type);
	if (h->machine != ELF_EM_X86_64)
		return FAIL(c, "machine %u is not x86-64 (62)", h->machine);
	if (h->ehsize != sizeof *h)
		return FAIL(c, "header size %u is not %zu", h->ehsize,
			    sizeof *h);
	if (h->phentsize != sizeof(struct elf64_phdr))
		return FAIL(c, "program header size %u is not %zu",
			    h->phentsize, sizeof(struct elf64_phdr));
	if (h->phnum == 0)
		return FAIL(c, "no program headers");
	if (h->phnum > ELF_MAX_PHDRS)
		return FAIL(c, "too many program headers (%u, at most %d)",
			    h->phnum, ELF_MAX_PHDRS);
	if (!fits(h->phoff, (uint64_t)h->phnum * h->phentsize, c->size))
		return FAIL(c,
			    "program headers at 0x%lx beyond the file "
			    "(%zu bytes)",
			    h->phoff, c->size);
	return true;
}

static bool check_segment(struct elf_ctx *c, int i, const struct elf64_phdr *p)
{
	if (p->filesz > p->memsz)
		return FAIL(c,
			    "segment %d: file size 0x%lx exceeds memory "
			    "size 0x%lx",
			    i, p->filesz, p->memsz);
	if (!fits(p->offset, p->filesz, c->size))
		return FAIL(c,
			    "segment %d: file range 0x%lx+0x%lx beyond the "
			    "file (%zu bytes)",
			    i, p->offset, p->filesz, c->size);
	if (p->vaddr < c->lo || !fits(p->vaddr, p->memsz, c->hi))
		return FAIL(c,
			    "segment %d: 0x%lx+0x%lx outside user space "
			    "[0x%lx, 0x%lx)",
			    i, p->vaddr, p->memsz, c->lo, c->hi);
	if ((p->flags & ELF_PF_W) && (p->flags & ELF_PF_X))
		return FAIL(c, "segment %d: both writable and executable", i);
	return true;
}

static uint64_t page_down(uint64_t v)
{
	return v & ~(ELF_PAGE - 1);
}

static uint64_t page_up(uint64_t v)
{
	return (v + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
}

/* Segments are mapped page by page with their own permissions: no two may
 * touch the same page. */
static bool check_overlap(struct elf_ctx *c, const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++)
		for (int j = 0; j < i; j++) {
			const struct elf_segment *a = &img->segs[i],
						 *b = &img->segs[j];
			if (page_down(a->vaddr) <
				page_up(b->vaddr + b->memsz) &&
			    page_down(b->vaddr) < page_up(a->vaddr + a->memsz))
				return FAIL(c,
					    "segments %d and %d overlap (or "
					    "share a page)",
					    j, i);
		}
	return true;
}

static bool add_segment(struct elf_ctx *c, struct elf_image *img, int i,
			const struct elf64_phdr *p)
{
	if (!check_segment(c, i, p))
		return false;
	if (img->nsegs == ELF_MAX_SEGMENTS)
		return FAIL(c, "too many loadable segments (at most %d)",
			    ELF_MAX_SEGMENTS);
	img->segs[img->nsegs++] = (struct elf_segment){
	    p->vaddr, p->memsz, p->offset, p->filesz, p->flags};
	return true;
}

static bool check_entry(struct elf_ctx *c, const struct elf_image *img)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry < s->vaddr + s->filesz)
			return true;
	}
	return FAIL(c, "entry point 0x%lx is not in an executable segment",
		    img->entry);
}

static bool check_phdrs(struct elf_ctx *c, const uint8_t *file,
			const struct elf64_ehdr *h, struct elf_image *img)
{
	for (int i = 0; i < h->phnum; i++) {
		struct elf64_phdr p;
		memcpy(&p, file + h->phoff + (uint64_t)i * sizeof p, sizeof p);
		if (p.type == ELF_PT_INTERP || p.type == ELF_PT_DYNAMIC)
			return FAIL(c,
				    "segment %d: dynamic linking is not "
				    "supported (link with -static)",
				    i);
		if (p.type == ELF_PT_LOAD && p.memsz == 0 && p.filesz == 0)
			continue; /* an empty segment loads nothing */
		if (p.type == ELF_PT_LOAD && !add_segment(c, img, i, &p))
			return false;
	}
	if (img->nsegs == 0)
		return FAIL(c, "no loadable segment");
	return check_overlap(c, img) && check_entry(c, img);
}

bool elf_check(const void *file, size_t size, uint64_t user_lo,
	       uint64_t user_hi, struct elf_image *img, char *err,
	       size_t errlen)
{
	struct elf_ctx c = {size, user_lo, user_hi, err, errlen};
	struct elf64_ehdr h;
	memset(img, 0, sizeof *img);
	if (size < sizeof h)
		return FAIL(&c, "truncated: %zu bytes, an ELF header needs %zu",
			    size, sizeof h);
	memcpy(&h, file, sizeof h);
	if (!check_header(&c, &h))
		return false;
	img->entry = h.entry;
	return check_phdrs(&c, file, &h, img);
}
