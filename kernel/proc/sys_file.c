/* sys_file.c — the file system calls: open, read, write, lseek, close,
 * stat, getdents, directories, rename, dup, cwd, sync. User pointers are
 * checked as everywhere (EFAULT); paths are copied in first. */
#include "drivers/console.h"
#include "fs/initrd_boot.h"
#include "fs/storage.h"
#include "fs/vfs.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/fd.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/sys_file.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/usercopy.h"

#define IO_CHUNK 128 /* console bytes per copy */

static struct proc *me(void)
{
	return proc_current();
}

/* Copy a user path in: 0, -EFAULT, -ENAMETOOLONG. */
static long get_path(char *dst, uint64_t upath)
{
	long rc = copy_str_from_user(dst, upath, VFS_PATH_MAX);
	return rc < 0 ? rc : 0;
}

/* ---- the console ---- */

/* One byte to every console with interrupts held off: an interrupt
 * handler that prints (the debugger's break key) never lands inside a
 * backend's update of its cursor or screen. */
static void console_put_byte(char c)
{
	uint64_t flags = irq_save();
	console_putc(c);
	irq_restore(flags);
}

/* Console output in chunks, letting other processes run between them;
 * a fault part-way returns what was written. */
static long write_console(uint64_t buf, uint64_t len)
{
	char k[IO_CHUNK];
	for (uint64_t done = 0; done < len;) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		if (copy_from_user(k, buf + done, n))
			return done ? (long)done : -EFAULT;
		for (size_t i = 0; i < n; i++)
			console_put_byte(k[i]);
		done += n;
		proc_preempt_point();
	}
	return (long)len;
}

/* Block until the serial or keyboard interrupt has queued a byte. */
static int console_wait_byte(void)
{
	int c;
	while ((c = console_getc()) < 0)
		proc_wait_input();
	return c;
}

static long read_console(uint64_t buf, uint64_t len)
{
	char k[IO_CHUNK];
	size_t n = 0;
	if (len == 0)
		return 0;
	k[n++] = (char)console_wait_byte();
	int c;
	while (n < len && n < IO_CHUNK && (c = console_getc()) >= 0)
		k[n++] = (char)c;
	return copy_to_user(buf, k, n) ? -EFAULT : (long)n;
}

/* ---- data ---- */

static int to_user(void *ctx, size_t off, void *data, size_t n)
{
	return copy_to_user(*(uint64_t *)ctx + off, data, n);
}

static int from_user(void *ctx, size_t off, void *data, size_t n)
{
	return copy_from_user(data, *(uint64_t *)ctx + off, n);
}

/* The file of read/write(fd, buf, len) once the buffer is checked and the
 * file is open for this direction (refused: the access mode that is not):
 * NULL with *err set (EBADF, EFAULT). */
static struct ofile *io_file(const uint64_t a[5], int refused, long *err)
{
	struct ofile *f = fd_get(me(), (int64_t)a[0]);
	*err = !f ? -EBADF : !user_range_ok(a[1], a[2]) ? -EFAULT : 0;
	if (!*err && f->kind != OFILE_CONSOLE &&
	    (f->flags & VFS_O_ACCMODE) == refused)
		*err = -EBADF;
	return *err ? 0 : f;
}

long sys_read(const uint64_t a[5])
{
	long err;
	struct ofile *f = io_file(a, VFS_O_WRONLY, &err);
	uint64_t buf = a[1];
	if (!f)
		return err;
	if (f->kind == OFILE_CONSOLE)
		return read_console(a[1], a[2]);
	if (VFS_IS_DIR(f->ftype))
		return -EISDIR;
	long n = vfs_read(f->vn, f->pos, a[2], to_user, &buf);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

long sys_write(const uint64_t a[5])
{
	long err;
	struct ofile *f = io_file(a, VFS_O_RDONLY, &err);
	uint64_t buf = a[1];
	if (!f)
		return err;
	if (f->kind == OFILE_CONSOLE)
		return write_console(a[1], a[2]);
	if (f->flags & VFS_O_APPEND) {
		struct vfs_stat st;
		int rc = vfs_fstat(f->vn, &st);
		if (rc)
			return rc;
		f->pos = st.size;
	}
	long n = vfs_write(f->vn, f->pos, a[2], from_user, &buf);
	if (n > 0)
		f->pos += (uint64_t)n;
	storage_periodic();
	return n;
}

long sys_lseek(const uint64_t a[5])
{
	struct ofile *f = fd_get(me(), (int64_t)a[0]);
	int64_t off = (int64_t)a[1], base;
	struct vfs_stat st;
	if (!f)
		return -EBADF;
	if (f->kind == OFILE_CONSOLE)
		return -ESPIPE;
	switch (a[2]) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case SEEK_END: {
		int rc = vfs_fstat(f->vn, &st);
		if (rc)
			return rc;
		base = (int64_t)st.size;
		break;
	}
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

long sys_ftruncate(const uint64_t a[5])
{
	struct ofile *f = fd_get(me(), (int64_t)a[0]);
	if (!f)
		return -EBADF;
	if (f->kind != OFILE_VNODE || VFS_IS_DIR(f->ftype) ||
	    (f->flags & VFS_O_ACCMODE) == VFS_O_RDONLY || (int64_t)a[1] < 0)
		return -EINVAL;
	return vfs_truncate(f->vn, a[1]);
}

/* ---- open and close ---- */

long sys_open(const uint64_t a[5])
{
	char path[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	if (rc)
		return rc;
	struct proc *p = me();
	struct ofile *f = ofile_alloc();
	if (!f)
		return -ENFILE;
	rc = vfs_open(p->cwd, path, (int)a[1], (uint32_t)a[2], &f->vn,
		      &f->ftype, f->path);
	if (rc) {
		f->refs = 0;
		return rc;
	}
	f->kind = OFILE_VNODE;
	f->flags = (int)a[1];
	int fd = fd_install(p, f);
	if (fd < 0)
		ofile_put(f);
	return fd;
}

long sys_close(const uint64_t a[5])
{
	struct proc *p = me();
	struct ofile *f = fd_get(p, (int64_t)a[0]);
	if (!f)
		return -EBADF;
	p->fds[a[0]] = 0;
	ofile_put(f);
	return 0;
}

long sys_dup(const uint64_t a[5])
{
	struct proc *p = me();
	struct ofile *f = fd_get(p, (int64_t)a[0]);
	if (!f)
		return -EBADF;
	int fd = fd_install(p, f);
	if (fd >= 0)
		f->refs++;
	return fd;
}

long sys_dup2(const uint64_t a[5])
{
	struct proc *p = me();
	struct ofile *f = fd_get(p, (int64_t)a[0]);
	if (!f || a[1] >= NFILE)
		return -EBADF;
	if (a[0] == a[1])
		return (long)a[1];
	if (p->fds[a[1]])
		ofile_put(p->fds[a[1]]);
	p->fds[a[1]] = f;
	f->refs++;
	return (long)a[1];
}

/* ---- metadata ---- */

static long put_stat(uint64_t ust, const struct vfs_stat *v)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	st.st_dev = v->dev;
	st.st_ino = v->ino;
	st.st_mode = v->mode;
	st.st_nlink = v->links;
	st.st_uid = v->uid;
	st.st_gid = v->gid;
	st.st_size = (long)v->size;
	st.st_blocks = (long)v->blocks;
	st.st_blksize = v->blksize;
	st.st_atime = v->atime;
	st.st_mtime = v->mtime;
	st.st_ctime = v->ctime;
	return copy_to_user(ust, &st, sizeof st);
}

long sys_fstat(const uint64_t a[5])
{
	struct ofile *f = fd_get(me(), (int64_t)a[0]);
	struct vfs_stat v;
	if (!f)
		return -EBADF;
	if (!user_range_ok(a[1], sizeof(struct stat)))
		return -EFAULT;
	if (f->kind == OFILE_CONSOLE) {
		memset(&v, 0, sizeof v);
		v.mode = S_IFCHR | 0620;
		v.links = 1;
		return put_stat(a[1], &v);
	}
	int rc = vfs_fstat(f->vn, &v);
	return rc ? rc : put_stat(a[1], &v);
}

static long do_stat(const uint64_t a[5], bool follow)
{
	char path[VFS_PATH_MAX];
	struct vfs_stat v;
	long rc = get_path(path, a[0]);
	if (rc)
		return rc;
	if (!user_range_ok(a[1], sizeof(struct stat)))
		return -EFAULT;
	rc = vfs_stat(me()->cwd, path, follow, &v);
	return rc ? rc : put_stat(a[1], &v);
}

long sys_stat(const uint64_t a[5])
{
	return do_stat(a, true);
}

long sys_lstat(const uint64_t a[5])
{
	return do_stat(a, false);
}

/* Records of struct udirent into the user's buffer until it is full. */
long sys_getdents(const uint64_t a[5])
{
	struct ofile *f = fd_get(me(), (int64_t)a[0]);
	uint64_t buf = a[1], len = a[2], used = 0;
	if (!f)
		return -EBADF;
	if (f->kind != OFILE_VNODE || !VFS_IS_DIR(f->ftype))
		return -ENOTDIR;
	if (!user_range_ok(buf, len))
		return -EFAULT;
	for (;;) {
		struct vfs_dirent d;
		uint64_t pos = f->pos;
		int rc = vfs_readdir(f->vn, &pos, &d);
		if (rc <= 0)
			return used ? (long)used : rc;
		size_t nl = strlen(d.name);
		size_t reclen = (sizeof(struct udirent) + nl + 1 + 7) & ~7ul;
		if (used + reclen > len)
			return used ? (long)used : -EINVAL;
		char rec[sizeof(struct udirent) + VFS_NAME_MAX + 8];
		struct udirent *u = (struct udirent *)rec;
		memset(rec, 0, reclen);
		u->d_ino = d.ino;
		u->d_off = (long)pos;
		u->d_reclen = (unsigned short)reclen;
		u->d_type = d.type;
		memcpy(u->d_name, d.name, nl + 1);
		if (copy_to_user(buf + used, rec, reclen))
			return used ? (long)used : -EFAULT;
		used += reclen;
		f->pos = pos;
	}
}

/* ---- the namespace ---- */

long sys_mkdir(const uint64_t a[5])
{
	char path[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	return rc ? rc : vfs_mkdir(me()->cwd, path, (uint32_t)a[1]);
}

long sys_rmdir(const uint64_t a[5])
{
	char path[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	return rc ? rc : vfs_rmdir(me()->cwd, path);
}

long sys_unlink(const uint64_t a[5])
{
	char path[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	return rc ? rc : vfs_unlink(me()->cwd, path);
}

long sys_rename(const uint64_t a[5])
{
	char from[VFS_PATH_MAX], to[VFS_PATH_MAX];
	long rc = get_path(from, a[0]);
	if (!rc)
		rc = get_path(to, a[1]);
	return rc ? rc : vfs_rename(me()->cwd, from, to);
}

long sys_readlink(const uint64_t a[5])
{
	char path[VFS_PATH_MAX], target[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	if (rc)
		return rc;
	if (!user_range_ok(a[1], a[2]))
		return -EFAULT;
	rc = vfs_readlink(me()->cwd, path, target, sizeof target);
	if (rc < 0)
		return rc;
	size_t n = (size_t)rc < a[2] ? (size_t)rc : a[2];
	return copy_to_user(a[1], target, n) ? -EFAULT : (long)n;
}

long sys_chdir(const uint64_t a[5])
{
	char path[VFS_PATH_MAX], to[VFS_PATH_MAX];
	long rc = get_path(path, a[0]);
	if (!rc)
		rc = vfs_chdir(me()->cwd, path, to);
	if (!rc)
		memcpy(me()->cwd, to, sizeof me()->cwd);
	return rc;
}

long sys_getcwd(const uint64_t a[5])
{
	size_t n = strlen(me()->cwd);
	if (!user_range_ok(a[0], a[1]))
		return -EFAULT;
	if (n + 1 > a[1])
		return -ERANGE;
	return copy_to_user(a[0], me()->cwd, n + 1) ? -EFAULT : (long)n;
}

long sys_sync(const uint64_t a[5])
{
	(void)a;
	return vfs_sync();
}

long sys_statfs(const uint64_t a[5])
{
	char path[VFS_PATH_MAX];
	struct vfs_statfs v;
	struct ustatfs u;
	long rc = get_path(path, a[0]);
	if (rc)
		return rc;
	if (!user_range_ok(a[1], sizeof u))
		return -EFAULT;
	if ((rc = vfs_statfs(me()->cwd, path, &v)))
		return rc;
	memset(&u, 0, sizeof u);
	u.f_bsize = v.bsize;
	u.f_blocks = v.blocks;
	u.f_bfree = v.bfree;
	u.f_files = v.files;
	u.f_ffree = v.ffree;
	u.f_readonly = v.readonly;
	strlcpy(u.f_type, v.type ? v.type : "?", sizeof u.f_type);
	return copy_to_user(a[1], &u, sizeof u);
}

/* The index-th file of the initrd (the first ls's call). */
long sys_listdir(const uint64_t a[5])
{
	struct initrd_file f;
	struct ustat st;
	if (!user_range_ok(a[1], sizeof st))
		return -EFAULT;
	if (initrd_boot_file_at(a[0], &f))
		return -ENOENT;
	memset(&st, 0, sizeof st);
	strlcpy(st.name, f.name, sizeof st.name);
	st.size = f.size;
	return copy_to_user(a[1], &st, sizeof st);
}
