/* exec_file.c — reading a program file for exec/spawn (see exec_file.h). */
#include "fs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"
#include "kernel/proc/exec_file.h"
#include "mm/slab.h"

static const char *const search_dirs[] = {"/bin/", "/initrd/"};

static int copy_to_kernel(void *ctx, size_t off, void *data, size_t n)
{
	memcpy((char *)ctx + off, data, n);
	return 0;
}

static int load(const char *cwd, const char *path, void **data, size_t *size)
{
	struct vfs_vnode *v;
	struct vfs_stat st;
	uint32_t type;
	int rc = vfs_open(cwd, path, VFS_O_RDONLY, 0, &v, &type, 0);
	if (rc)
		return rc;
	if (!VFS_IS_REG(type) || (rc = vfs_fstat(v, &st)))
		rc = rc ? rc : -EACCES;
	else if (st.size > EXEC_FILE_MAX || !st.size)
		rc = st.size ? -ENOMEM : -ENOEXEC;
	else if (!(*data = kmalloc(st.size > KMALLOC_MAX ? st.size
							 : KMALLOC_MAX + 1)))
		rc = -ENOMEM; /* whole pages, never a slab that stays around */
	if (!rc) {
		long n = vfs_read(v, 0, st.size, copy_to_kernel, *data);
		if (n != (long)st.size) {
			kfree(*data);
			rc = n < 0 ? (int)n : -EIO;
		}
		*size = st.size;
	}
	vfs_vnode_put(v);
	return rc;
}

int exec_file_load(const char *cwd, const char *path, void **data, size_t *size)
{
	int rc = load(cwd, path, data, size);
	if (rc != -ENOENT || strchr(path, '/'))
		return rc;
	for (size_t i = 0; i < sizeof search_dirs / sizeof search_dirs[0];
	     i++) {
		char full[VFS_PATH_MAX];
		ksnprintf(full, sizeof full, "%s%s", search_dirs[i], path);
		if ((rc = load(cwd, full, data, size)) != -ENOENT)
			break;
	}
	return rc;
}

void exec_file_free(void *data)
{
	kfree(data);
}
