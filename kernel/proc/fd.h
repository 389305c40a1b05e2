/* fd.h — open files of processes: descriptors (per process, inherited by
 * fork, kept by exec) pointing at open-file descriptions (shared by dup and
 * fork: one offset), which are the console or a VFS node. */
#ifndef KERNEL_PROC_FD_H
#define KERNEL_PROC_FD_H

#include <stdint.h>

#include "fs/vfs.h"
#include "kernel/proc/proc.h"

#define OFILES 256 /* open-file descriptions, all processes */

enum ofile_kind { OFILE_CONSOLE = 1, OFILE_VNODE };

struct ofile {
	int refs;
	enum ofile_kind kind;
	struct vfs_vnode *vn;
	uint32_t ftype; /* VFS_S_IFREG / VFS_S_IFDIR / ... */
	int flags;	/* open flags: access mode, O_APPEND */
	uint64_t pos;	/* file offset; a directory's getdents position */
	char path[VFS_PATH_MAX]; /* as opened, canonical (for `fds`) */
};

/* A new process's descriptors: 0, 1, 2 on the console; cwd "/". */
void fd_init_std(struct proc *p);
/* The child shares the parent's descriptions and its cwd. */
void fd_fork(struct proc *child, const struct proc *parent);
/* Close every descriptor (exit). */
void fd_close_all(struct proc *p);
/* Descriptor fd of p, NULL when not open. */
struct ofile *fd_get(struct proc *p, int64_t fd);
/* Install of at the lowest free descriptor >= 0: it, or -EMFILE. */
int fd_install(struct proc *p, struct ofile *of);
/* A fresh description (refs 1), NULL when all are in use. */
struct ofile *ofile_alloc(void);
/* Drop a reference; the last closes the node. */
void ofile_put(struct ofile *of);
/* Descriptions in use now (tests compare before and after). */
int ofile_count(void);

#endif
