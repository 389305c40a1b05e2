/* initrd_boot.c — finds and checks the initrd module. */
#include "fs/initrd_boot.h"
#include "kernel/arch/layout.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

static struct initrd rd;
static bool have_rd;

static const struct mb2_module *find_module(const struct boot_info *bi)
{
	for (size_t i = 0; i < bi->nmodules; i++)
		if (bi->modules[i].name &&
		    !strcmp(bi->modules[i].name, INITRD_MODULE_NAME))
			return &bi->modules[i];
	return bi->nmodules == 1 ? &bi->modules[0] : 0;
}

bool initrd_boot_init(const struct boot_info *bi)
{
	const struct mb2_module *m = find_module(bi);
	if (!m || m->end <= m->start) {
		printk("initrd: none (no Multiboot2 module named '%s')\n",
		       INITRD_MODULE_NAME);
		return false;
	}
	struct initrd r = {phys_to_virt(m->start), m->end - m->start};
	const char *why = "";
	long n = initrd_check(&r, &why);
	if (n < 0) {
		printk("initrd: module at 0x%lx is not a usable ustar archive: "
		       "%s\n",
		       m->start, why);
		return false;
	}
	rd = r;
	have_rd = true;
	printk("initrd: %ld files, %zu bytes at 0x%lx\n", n, rd.size, m->start);
	return true;
}

bool initrd_boot_find(const char *path, struct initrd_file *f)
{
	return have_rd && initrd_find(&rd, path, f);
}

int initrd_boot_file_at(size_t index, struct initrd_file *f)
{
	return have_rd && initrd_file_at(&rd, index, f, 0) == 0 ? 0 : -ENOENT;
}

const struct initrd *initrd_boot_archive(void)
{
	return have_rd ? &rd : 0;
}
