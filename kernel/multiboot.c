/* multiboot.c — walks the Multiboot2 information tags into struct boot_info
 * (pure logic). */
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"

/* Tag types (Multiboot2 spec 3.6). */
#define TAG_END 0
#define TAG_CMDLINE 1
#define TAG_LOADER 2
#define TAG_MODULE 3
#define TAG_MMAP 6
#define TAG_FRAMEBUFFER 8
#define TAG_EFI64 12 /* EFI 64-bit system table: booted by UEFI */
#define TAG_ACPI_OLD 14
#define TAG_ACPI_NEW 15

struct tag {
	uint32_t type, size;
};

const char *mb2_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "available";
	case MB2_MEM_RESERVED:
		return "reserved";
	case MB2_MEM_ACPI_RECLAIMABLE:
		return "ACPI reclaimable";
	case MB2_MEM_NVS:
		return "ACPI NVS";
	case MB2_MEM_BAD:
		return "bad RAM";
	}
	return "unknown";
}

static void parse_mmap(const uint8_t *t, uint32_t size, struct boot_info *bi)
{
	uint32_t esize, off;
	memcpy(&esize, t + 8, 4);
	if (esize < 24)
		return;
	for (off = 16; off + esize <= size && bi->nmmap < MB2_MAX_MMAP;
	     off += esize) {
		struct mb2_mmap_entry *e = &bi->mmap[bi->nmmap++];
		memcpy(&e->base, t + off, 8);
		memcpy(&e->len, t + off + 8, 8);
		memcpy(&e->type, t + off + 16, 4);
	}
}

static void parse_module(const uint8_t *t, struct boot_info *bi)
{
	if (bi->nmodules == MB2_MAX_MODULES)
		return;
	uint32_t start, end;
	memcpy(&start, t + 8, 4);
	memcpy(&end, t + 12, 4);
	bi->modules[bi->nmodules++] =
	    (struct mb2_module){start, end, (const char *)t + 16};
}

/* Offset of the colour info in the framebuffer tag. */
#define FB_COLOR_INFO 32

static void parse_fb(const uint8_t *t, uint32_t size, struct boot_info *bi)
{
	bi->has_fb = true;
	memcpy(&bi->fb.addr, t + 8, 8);
	memcpy(&bi->fb.pitch, t + 16, 4);
	memcpy(&bi->fb.width, t + 20, 4);
	memcpy(&bi->fb.height, t + 24, 4);
	bi->fb.bpp = t[28];
	bi->fb.type = t[29];
	/* RGB colour info: field position, mask size, for red, green, blue. */
	if (bi->fb.type == MB2_FB_TYPE_RGB && size >= FB_COLOR_INFO + 6) {
		bi->fb.red_pos = t[FB_COLOR_INFO];
		bi->fb.green_pos = t[FB_COLOR_INFO + 2];
		bi->fb.blue_pos = t[FB_COLOR_INFO + 4];
	}
}

static void parse_tag(const uint8_t *t, uint32_t type, uint32_t size,
		      struct boot_info *bi)
{
	switch (type) {
	case TAG_CMDLINE:
		bi->cmdline = (const char *)t + 8;
		break;
	case TAG_LOADER:
		bi->loader = (const char *)t + 8;
		break;
	case TAG_MODULE:
		parse_module(t, bi);
		break;
	case TAG_MMAP:
		parse_mmap(t, size, bi);
		break;
	case TAG_FRAMEBUFFER:
		if (size >= 30)
			parse_fb(t, size, bi);
		break;
	case TAG_EFI64:
		bi->efi = true;
		break;
	case TAG_ACPI_OLD:
	case TAG_ACPI_NEW:
		if (!bi->rsdp || type == TAG_ACPI_NEW) {
			bi->rsdp = t + 8;
			bi->rsdp_version = type == TAG_ACPI_NEW ? 2 : 1;
		}
		break;
	}
}

bool mb2_parse(const void *info, uint64_t phys, struct boot_info *bi,
	       const char **err)
{
	const uint8_t *p = info;
	uint32_t total;
	memset(bi, 0, sizeof *bi);
	bi->cmdline = bi->loader = "";
	bi->fb.red_pos = 16; /* xRGB unless the loader says otherwise */
	bi->fb.green_pos = 8;
	memcpy(&total, p, 4);
	bi->phys = phys;
	bi->size = total;
	if (total < 16 || total > (1u << 20)) {
		*err = "information block size is implausible";
		return false;
	}
	for (uint32_t off = 8; off + 8 <= total;) {
		struct tag tg;
		memcpy(&tg, p + off, sizeof tg);
		if (tg.type == TAG_END)
			return true;
		if (tg.size < 8 || off + tg.size > total) {
			*err = "a tag runs past the end of the block";
			return false;
		}
		parse_tag(p + off, tg.type, tg.size, bi);
		off += (tg.size + 7) & ~7u;
	}
	*err = "no end tag";
	return false;
}

/* The last byte of [base, base+len), capped at 2^64-1 (len > 0). */
static uint64_t last_byte(uint64_t base, uint64_t len)
{
	return len - 1 > UINT64_MAX - base ? UINT64_MAX : base + (len - 1);
}

bool mb2_overlaps_ram(const struct boot_info *bi, uint64_t base, uint64_t len)
{
	if (!len)
		return false;
	uint64_t last = last_byte(base, len);
	for (size_t i = 0; i < bi->nmmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		if ((e->type != MB2_MEM_AVAILABLE &&
		     e->type != MB2_MEM_ACPI_RECLAIMABLE) ||
		    !e->len)
			continue;
		if (base <= last_byte(e->base, e->len) && e->base <= last)
			return true;
	}
	return false;
}
