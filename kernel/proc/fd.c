/* fd.c — descriptor tables and open-file descriptions (see fd.h). A
 * fixed pool, so opening files never grows the kernel heap. */
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/proc/fd.h"

static struct ofile ofiles[OFILES];
static struct ofile console = {
    .refs = 1, .kind = OFILE_CONSOLE, .flags = VFS_O_RDWR, .path = "(console)"};

struct ofile *ofile_alloc(void)
{
	for (int i = 0; i < OFILES; i++)
		if (!ofiles[i].refs) {
			memset(&ofiles[i], 0, sizeof ofiles[i]);
			ofiles[i].refs = 1;
			return &ofiles[i];
		}
	return 0;
}

void ofile_put(struct ofile *of)
{
	if (of == &console || --of->refs > 0)
		return;
	if (of->kind == OFILE_VNODE)
		vfs_vnode_put(of->vn);
	of->vn = 0;
}

int ofile_count(void)
{
	int n = 0;
	for (int i = 0; i < OFILES; i++)
		n += ofiles[i].refs > 0;
	return n;
}

void fd_init_std(struct proc *p)
{
	memset(p->fds, 0, sizeof p->fds);
	for (int fd = 0; fd < 3; fd++)
		p->fds[fd] = &console;
	memcpy(p->cwd, "/", 2);
}

void fd_fork(struct proc *child, const struct proc *parent)
{
	for (int fd = 0; fd < NFILE; fd++) {
		child->fds[fd] = parent->fds[fd];
		if (child->fds[fd])
			child->fds[fd]->refs++;
	}
	memcpy(child->cwd, parent->cwd, sizeof child->cwd);
}

void fd_close_all(struct proc *p)
{
	for (int fd = 0; fd < NFILE; fd++)
		if (p->fds[fd]) {
			ofile_put(p->fds[fd]);
			p->fds[fd] = 0;
		}
}

struct ofile *fd_get(struct proc *p, int64_t fd)
{
	return fd >= 0 && fd < NFILE ? p->fds[fd] : 0;
}

int fd_install(struct proc *p, struct ofile *of)
{
	for (int fd = 0; fd < NFILE; fd++)
		if (!p->fds[fd]) {
			p->fds[fd] = of;
			return fd;
		}
	return -EMFILE;
}
