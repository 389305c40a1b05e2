/* test_elf.c — the ELF64 validator on hand-built files. */
#include <string.h>

#include "kernel/proc/elf.h"
#include "tests/unit/harness.h"

#define LO 0x400000ULL
#define HI 0x7fffffef0000ULL
#define FILE_SIZE 0x3000

static uint8_t file[FILE_SIZE] __attribute__((aligned(8)));
static struct elf64_ehdr *eh = (struct elf64_ehdr *)file;
static struct elf64_phdr *ph = (struct elf64_phdr *)(file + 64);
static struct elf_image img;
static char err[256];

/* A valid two-segment executable: text R X at 0x400000 from offset
 * 0x1000, data R W at 0x401000 from offset 0x2000 with a bss tail. */
static void build(void)
{
	memset(file, 0, sizeof file);
	memcpy(eh->ident, ELF_MAG, 4);
	eh->ident[ELF_EI_CLASS] = ELF_CLASS64;
	eh->ident[ELF_EI_DATA] = ELF_DATA2LSB;
	eh->ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	eh->type = ELF_ET_EXEC;
	eh->machine = ELF_EM_X86_64;
	eh->version = ELF_EV_CURRENT;
	eh->entry = 0x400010;
	eh->phoff = 64;
	eh->ehsize = 64;
	eh->phentsize = 56;
	eh->phnum = 2;
	ph[0] = (struct elf64_phdr){ELF_PT_LOAD, ELF_PF_R | ELF_PF_X,
				    0x1000,	 0x400000,
				    0x400000,	 0x100,
				    0x100,	 0x1000};
	ph[1] = (struct elf64_phdr){ELF_PT_LOAD, ELF_PF_R | ELF_PF_W,
				    0x2000,	 0x401000,
				    0x401000,	 0x80,
				    0x3000,	 0x1000};
}

static bool check(size_t size)
{
	err[0] = '\0';
	return elf_check(file, size, LO, HI, &img, err, sizeof err);
}

/* The file as built now is refused with a message containing want. */
static void refused(const char *want)
{
	assert_false(check(sizeof file));
	if (!strstr(err, want))
		fail_msg("message '%s' lacks '%s'", err, want);
}

static void test_valid(void **state)
{
	(void)state;
	build();
	assert_true(check(sizeof file));
	assert_int_equal(img.entry, 0x400010);
	assert_int_equal(img.nsegs, 2);
	assert_int_equal(img.segs[1].vaddr, 0x401000);
	assert_int_equal(img.segs[1].filesz, 0x80);
	assert_int_equal(img.segs[1].memsz, 0x3000);
	assert_int_equal(img.segs[1].flags, ELF_PF_R | ELF_PF_W);
}

static void test_truncated(void **state)
{
	(void)state;
	build();
	assert_false(check(10));
	assert_non_null(strstr(err, "truncated"));
	assert_false(check(0));
	assert_false(check(64 + 56)); /* second phdr cut off */
	assert_non_null(strstr(err, "program headers"));
	assert_false(check(0x2000)); /* data segment's bytes cut off */
	assert_non_null(strstr(err, "segment 1: file range"));
}

static void test_bad_ident(void **state)
{
	(void)state;
	build();
	eh->ident[1] = 'X';
	refused("bad magic");
	build();
	eh->ident[ELF_EI_CLASS] = 1;
	refused("ELFCLASS64");
	build();
	eh->ident[ELF_EI_DATA] = 2;
	refused("little-endian");
	build();
	eh->version = 2;
	refused("version");
}

static void test_bad_header_fields(void **state)
{
	(void)state;
	build();
	eh->type = 3; /* ET_DYN: a PIE or shared object */
	refused("ET_EXEC");
	build();
	eh->machine = 3; /* EM_386 */
	refused("machine 3");
	build();
	eh->ehsize = 52;
	refused("header size");
	build();
	eh->phentsize = 32;
	refused("program header size");
	build();
	eh->phnum = 0;
	refused("no program headers");
	build();
	eh->phnum = ELF_MAX_PHDRS + 1;
	refused("too many program headers");
	build();
	eh->phoff = UINT64_MAX - 8; /* offset + size wraps */
	refused("beyond the file");
}

static void test_segment_outside_file(void **state)
{
	(void)state;
	build();
	ph[1].offset = FILE_SIZE - 0x10;
	refused("segment 1: file range");
	build();
	ph[0].offset = UINT64_MAX - 0x10; /* wraps */
	refused("segment 0: file range");
	build();
	ph[1].filesz = 0x4000;
	refused("file size 0x4000 exceeds memory size 0x3000");
}

static void test_segment_outside_user_space(void **state)
{
	(void)state;
	build();
	ph[0].vaddr = 0; /* the null page */
	refused("segment 0: 0x0+0x100 outside user space");
	build();
	ph[1].vaddr = 0xffffffff80000000ULL; /* the kernel */
	refused("segment 1: 0xffffffff80000000");
	build();
	ph[1].vaddr = HI - 0x1000; /* runs past the top */
	refused("outside user space");
	build();
	ph[1].memsz = UINT64_MAX - 0x1000; /* vaddr + memsz wraps */
	refused("outside user space");
}

static void test_overlapping(void **state)
{
	(void)state;
	build();
	ph[1].vaddr = 0x400080;
	refused("segments 0 and 1 overlap");
	build();
	ph[1].vaddr = 0x400800; /* disjoint bytes, same page */
	refused("share a page");
}

static void test_wx_interp_entry(void **state)
{
	(void)state;
	build();
	ph[1].flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
	refused("both writable and executable");
	build();
	ph[1].type = ELF_PT_INTERP;
	refused("dynamic linking");
	build();
	eh->entry = 0x401010; /* in the data segment */
	refused("entry point 0x401010");
	build();
	eh->entry = 0x400100; /* one past the text */
	refused("entry point");
}

static void test_segment_counts(void **state)
{
	(void)state;
	build();
	ph[0].type = ph[1].type = 6; /* PT_PHDR: nothing to load */
	refused("no loadable segment");
	build();
	eh->phnum = ELF_MAX_SEGMENTS + 1;
	for (int i = 0; i < eh->phnum; i++)
		ph[i] = (struct elf64_phdr){
		    ELF_PT_LOAD, ELF_PF_R | ELF_PF_X,
		    0x1000,	 0x400000 + (uint64_t)i * 0x1000,
		    0,		 0x10,
		    0x10,	 0x1000};
	refused("too many loadable segments");
	eh->phnum = ELF_MAX_SEGMENTS;
	eh->entry = 0x400008;
	assert_true(check(sizeof file));
}

static void test_empty_segment_skipped(void **state)
{
	(void)state;
	build();
	eh->phnum = 3;
	ph[2] = (struct elf64_phdr){
	    ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0xe8, 0, 0, 0, 0, 0x1000};
	assert_true(check(sizeof file));
	assert_int_equal(img.nsegs, 2);
}

static void test_short_error_buffer(void **state)
{
	(void)state;
	char small[8];
	build();
	eh->machine = 3;
	assert_false(
	    elf_check(file, sizeof file, LO, HI, &img, small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_bad_ident),
	    cmocka_unit_test(test_bad_header_fields),
	    cmocka_unit_test(test_segment_outside_file),
	    cmocka_unit_test(test_segment_outside_user_space),
	    cmocka_unit_test(test_overlapping),
	    cmocka_unit_test(test_wx_interp_entry),
	    cmocka_unit_test(test_segment_counts),
	    cmocka_unit_test(test_empty_segment_skipped),
	    cmocka_unit_test(test_short_error_buffer),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
