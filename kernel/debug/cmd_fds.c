/* cmd_fds.c — monitor command fds: a process's open files. */
#include "kernel/debug/monitor.h"
#include "kernel/proc/fd.h"
#include "kernel/proc/proc.h"

static const char *access_name(int flags)
{
	switch (flags & VFS_O_ACCMODE) {
	case VFS_O_RDONLY:
		return "read";
	case VFS_O_WRONLY:
		return "write";
	default:
		return "read-write";
	}
}

static int cmd_fds(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	uint64_t pid;
	if (!mon_eval(ctx, argv[1], &pid))
		return MON_ERR;
	struct proc *p = proc_by_pid((int)pid);
	if (!p) {
		mon_printf(ctx, "fds: no process %lu (see ps)\n",
			   (unsigned long)pid);
		return MON_ERR;
	}
	mon_printf(ctx, "pid %d (%s), cwd %s\n", p->pid, p->name, p->cwd);
	for (int fd = 0; fd < NFILE; fd++) {
		const struct ofile *f = p->fds[fd];
		if (!f)
			continue;
		if (f->kind == OFILE_CONSOLE) {
			mon_printf(ctx, "%3d  console\n", fd);
			continue;
		}
		mon_printf(ctx,
			   "%3d  %s  %s%s, offset %lu, inode %u on %s (%s), "
			   "shared by %d\n",
			   fd, f->path, access_name(f->flags),
			   f->flags & VFS_O_APPEND ? " append" : "",
			   (unsigned long)f->pos, f->vn->ino, f->vn->m->path,
			   f->vn->m->type, f->refs);
	}
	return MON_OK;
}
MON_COMMAND(fds, "<pid>",
	    "a process's open files: descriptor, path, access, offset\n"
	    "'shared by' counts descriptors (in any process, after fork or\n"
	    "dup) that share the open file and its offset.",
	    MON_MEMSAFE, cmd_fds);
