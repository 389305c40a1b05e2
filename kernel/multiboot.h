/* multiboot.h — what the Multiboot2 loader told us: cmdline, memory map,
 * modules, framebuffer. */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_MAX_MMAP 64
#define MB2_MAX_MODULES 8

/* Memory map entry types (Multiboot2 spec 3.6.8). */
enum {
	MB2_MEM_AVAILABLE = 1,
	MB2_MEM_RESERVED = 2,
	MB2_MEM_ACPI_RECLAIMABLE = 3,
	MB2_MEM_NVS = 4,
	MB2_MEM_BAD = 5,
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type;
};

struct mb2_module {
	uint64_t start, end;
	const char *name;
};

/* Framebuffer types (Multiboot2 spec 3.6.12). */
enum {
	MB2_FB_TYPE_INDEXED = 0,
	MB2_FB_TYPE_RGB = 1,
	MB2_FB_TYPE_EGA_TEXT = 2,
};

struct mb2_framebuffer {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type; /* MB2_FB_TYPE_* */
	/* RGB: bit position of each colour (default xRGB: 16, 8, 0). */
	uint8_t red_pos, green_pos, blue_pos;
};

struct boot_info {
	uint64_t phys, size; /* where the information block itself lives */
	const char *cmdline; /* "" when none */
	const char *loader;  /* bootloader name, "" when none */
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];
	size_t nmmap;
	struct mb2_module modules[MB2_MAX_MODULES];
	size_t nmodules;
	bool has_fb;
	struct mb2_framebuffer fb;
	const void *rsdp; /* the RSDP copy inside the ACPI tag, or NULL */
	int rsdp_version; /* 1 (old tag) or 2 (new tag) */
	bool efi;	  /* booted by UEFI (an EFI 64-bit system table tag) */
};

/* Parse the information block at info (mapped), physical address phys.
 * Returns false, with the reason in *err, when it is malformed. */
bool mb2_parse(const void *info, uint64_t phys, struct boot_info *out,
	       const char **err);
const char *mb2_mem_type_name(uint32_t type);
/* Whether [base, base+len) overlaps memory the map calls RAM (available
 * or ACPI reclaimable). A range or entry running past 2^64 counts up to
 * the top; len 0 overlaps nothing. */
bool mb2_overlaps_ram(const struct boot_info *bi, uint64_t base, uint64_t len);

/* What this boot's loader said, parsed by kmain (kernel/main.c) first thing. */
extern struct boot_info boot_info;

#endif
