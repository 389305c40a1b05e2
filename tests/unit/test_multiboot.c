/* test_multiboot.c — the Multiboot2 tag walker on hand-built information
 * blocks. */
#include <string.h>

#include "kernel/multiboot.h"
#include "tests/unit/harness.h"

static uint8_t blk[1024] __attribute__((aligned(8)));
static uint32_t pos;

static void *tag(uint32_t type, uint32_t size)
{
	uint8_t *t = blk + pos;
	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	pos += (size + 7) & ~7u;
	return t;
}

static void finish(void)
{
	tag(0, 8);
	memcpy(blk, &pos, 4);
}

static void build_typical(void)
{
	memset(blk, 0, sizeof blk);
	pos = 8;
	strcpy((char *)tag(1, 8 + 12) + 8, "debug=gdb x");
	strcpy((char *)tag(2, 8 + 5) + 8, "GRUB");
	uint8_t *m = tag(6, 16 + 2 * 24);
	uint32_t esize = 24, ver = 0;
	memcpy(m + 8, &esize, 4);
	memcpy(m + 12, &ver, 4);
	uint64_t e0[2] = {0, 0x9fc00}, e1[2] = {0x100000, 0x7ee0000};
	uint32_t avail = 1;
	memcpy(m + 16, e0, 16);
	memcpy(m + 32, &avail, 4);
	memcpy(m + 40, e1, 16);
	memcpy(m + 56, &avail, 4);
	uint8_t *mod = tag(3, 16 + 7);
	uint32_t ms = 0x200000, me = 0x201000;
	memcpy(mod + 8, &ms, 4);
	memcpy(mod + 12, &me, 4);
	strcpy((char *)mod + 16, "initrd");
	uint8_t *fb = tag(8, 32);
	uint64_t addr = 0xfd000000;
	uint32_t pitch = 4096, w = 1024, h = 768;
	memcpy(fb + 8, &addr, 8);
	memcpy(fb + 16, &pitch, 4);
	memcpy(fb + 20, &w, 4);
	memcpy(fb + 24, &h, 4);
	fb[28] = 32;
	fb[29] = 1;
	finish();
}

static void test_typical(void **state)
{
	(void)state;
	struct boot_info bi;
	const char *err = NULL;
	build_typical();
	assert_true(mb2_parse(blk, 0x10000, &bi, &err));
	assert_string_equal(bi.cmdline, "debug=gdb x");
	assert_string_equal(bi.loader, "GRUB");
	assert_int_equal(bi.nmmap, 2);
	assert_int_equal(bi.mmap[1].base, 0x100000);
	assert_int_equal(bi.mmap[1].len, 0x7ee0000);
	assert_int_equal(bi.mmap[1].type, MB2_MEM_AVAILABLE);
	assert_int_equal(bi.nmodules, 1);
	assert_string_equal(bi.modules[0].name, "initrd");
	assert_int_equal(bi.modules[0].end, 0x201000);
	assert_true(bi.has_fb);
	assert_int_equal(bi.fb.width, 1024);
	assert_int_equal(bi.fb.bpp, 32);
	assert_int_equal(bi.phys, 0x10000);
	assert_int_equal(bi.size, pos);
}

static void test_malformed(void **state)
{
	(void)state;
	struct boot_info bi;
	const char *err = NULL;
	build_typical();
	uint32_t bad = 0xffff; /* second tag claims to run past the end */
	memcpy(blk + 8 + 24 + 4, &bad, 4);
	assert_false(mb2_parse(blk, 0, &bi, &err));
	assert_string_equal(err, "a tag runs past the end of the block");
	uint32_t tiny = 4;
	memcpy(blk, &tiny, 4);
	assert_false(mb2_parse(blk, 0, &bi, &err));
	assert_string_equal(bi.cmdline, ""); /* defaults stay usable */
}

static void test_no_end_tag(void **state)
{
	(void)state;
	struct boot_info bi;
	const char *err = NULL;
	memset(blk, 0, sizeof blk);
	pos = 8;
	strcpy((char *)tag(1, 8 + 4) + 8, "abc");
	memcpy(blk, &pos, 4);
	assert_false(mb2_parse(blk, 0, &bi, &err));
	assert_string_equal(err, "no end tag");
}

/* A console=mmio address must not be RAM: [base, base+len) against the
 * map, overflow-proof. */
static void test_ram_overlap(void **state)
{
	(void)state;
	struct boot_info bi = {0};
	bi.mmap[0] = (struct mb2_mmap_entry){0, 0x9fc00, MB2_MEM_AVAILABLE};
	bi.mmap[1] =
	    (struct mb2_mmap_entry){0xf0000, 0x10000, MB2_MEM_RESERVED};
	bi.mmap[2] =
	    (struct mb2_mmap_entry){0x100000, 0x7ee0000, MB2_MEM_AVAILABLE};
	bi.mmap[3] = (struct mb2_mmap_entry){0x7fe0000, 0x20000,
					     MB2_MEM_ACPI_RECLAIMABLE};
	bi.mmap[4] = (struct mb2_mmap_entry){0xffffffffffff0000, 0x10000,
					     MB2_MEM_AVAILABLE};
	bi.nmmap = 5;
	assert_true(mb2_overlaps_ram(&bi, 0x1000, 8));
	assert_true(mb2_overlaps_ram(&bi, 0x9fbf8, 32)); /* runs into RAM */
	assert_false(mb2_overlaps_ram(&bi, 0x9fc00, 8)); /* just past it */
	assert_false(mb2_overlaps_ram(&bi, 0xf0000, 8));
	assert_false(mb2_overlaps_ram(&bi, 0xfe030000, 32));
	assert_true(mb2_overlaps_ram(&bi, 0xfffff, 2));	  /* ends in RAM */
	assert_true(mb2_overlaps_ram(&bi, 0x7fe0010, 8)); /* reclaimable */
	assert_false(mb2_overlaps_ram(&bi, 0x8000000, 8));
	assert_true(mb2_overlaps_ram(&bi, 0xfffffffffffffff8, 8));
	assert_true(mb2_overlaps_ram(&bi, 0xfffffffffffffff8, 100));
	assert_false(mb2_overlaps_ram(&bi, 0x8000000, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_typical),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_no_end_tag),
	    cmocka_unit_test(test_ram_overlap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
