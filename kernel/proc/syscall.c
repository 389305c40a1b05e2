/* syscall.c — the system-call table and its handlers. */
#include "drivers/console.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/initrd_boot.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/usercopy.h"
#include "kernel/proc/uspace.h"
#include "mm/pmm.h"

#define IO_CHUNK 128
#define PATH_MAX_LEN 128

typedef long (*syscall_fn)(const uint64_t a[5]);

static struct file *get_file(int64_t fd)
{
	struct proc *p = proc_current();
	if (fd < 0 || fd >= NFILE || p->files[fd].kind == FILE_NONE)
		return 0;
	return &p->files[fd];
}

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
static long sys_write(const uint64_t a[5])
{
	struct file *f = get_file((int64_t)a[0]);
	uint64_t buf = a[1], len = a[2];
	char k[IO_CHUNK];
	if (!f || f->kind != FILE_CONSOLE)
		return -EBADF;
	if (!user_range_ok(buf, len))
		return -EFAULT;
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

static long read_file(struct file *f, uint64_t buf, uint64_t len)
{
	size_t left = f->size - f->pos;
	size_t n = len < left ? len : left;
	if (copy_to_user(buf, f->data + f->pos, n))
		return -EFAULT;
	f->pos += n;
	return (long)n;
}

static long sys_read(const uint64_t a[5])
{
	struct file *f = get_file((int64_t)a[0]);
	if (!f)
		return -EBADF;
	if (!user_range_ok(a[1], a[2]))
		return -EFAULT;
	return f->kind == FILE_CONSOLE ? read_console(a[1], a[2])
				       : read_file(f, a[1], a[2]);
}

static long sys_open(const uint64_t a[5])
{
	char path[PATH_MAX_LEN];
	long rc = copy_str_from_user(path, a[0], sizeof path);
	if (rc < 0)
		return rc;
	struct initrd_file rf;
	if (!initrd_boot_find(path, &rf))
		return -ENOENT;
	struct proc *p = proc_current();
	for (int fd = 0; fd < NFILE; fd++)
		if (p->files[fd].kind == FILE_NONE) {
			p->files[fd] =
			    (struct file){FILE_INITRD, rf.data, rf.size, 0};
			return fd;
		}
	return -EMFILE;
}

static long sys_close(const uint64_t a[5])
{
	struct file *f = get_file((int64_t)a[0]);
	if (!f)
		return -EBADF;
	f->kind = FILE_NONE;
	return 0;
}

static long sys_exit(const uint64_t a[5])
{
	proc_exit(W_MAKE_EXIT((int)a[0]));
}

static long sys_getpid(const uint64_t a[5])
{
	(void)a;
	return proc_current()->pid;
}

static long sys_yield(const uint64_t a[5])
{
	(void)a;
	proc_yield();
	return 0;
}

static long sys_uptime(const uint64_t a[5])
{
	(void)a;
	return (long)uptime_ms();
}

static long sys_listdir(const uint64_t a[5])
{
	struct initrd_file f;
	struct ustat st;
	if (!user_range_ok(a[1], sizeof st))
		return -EFAULT;
	int rc = initrd_boot_file_at(a[0], &f);
	if (rc)
		return rc;
	memset(&st, 0, sizeof st);
	strlcpy(st.name, f.name, sizeof st.name);
	st.size = f.size;
	return copy_to_user(a[1], &st, sizeof st);
}

static long sys_spawn(const uint64_t a[5])
{
	char path[PATH_MAX_LEN];
	long rc = copy_str_from_user(path, a[0], sizeof path);
	if (rc < 0)
		return rc;
	struct proc *c;
	rc = proc_spawn(path, proc_current(), &c);
	return rc ? rc : c->pid;
}

static long sys_wait(const uint64_t a[5])
{
	int status;
	if (a[0] && !user_range_ok(a[0], sizeof status))
		return -EFAULT;
	int pid = proc_wait(&status);
	if (pid > 0 && a[0] && copy_to_user(a[0], &status, sizeof status))
		return -EFAULT;
	return pid;
}

static long sys_fork(const uint64_t a[5])
{
	(void)a;
	struct proc *c;
	int rc = proc_fork(&c);
	return rc ? rc : c->pid;
}

/* Copy the user's argv (NULL-terminated array of strings) into kbuf. */
static long copy_argv(uint64_t uargv, struct uargs *ua,
		      char (*kbuf)[EXEC_ARG_LEN])
{
	for (ua->argc = 0;; ua->argc++) {
		uint64_t ptr;
		if (copy_from_user(&ptr, uargv + ua->argc * sizeof ptr,
				   sizeof ptr))
			return -EFAULT;
		if (!ptr)
			return ua->argc ? 0 : -EINVAL;
		if (ua->argc == EXEC_ARGV_MAX)
			return -E2BIG;
		long rc = copy_str_from_user(kbuf[ua->argc], ptr, EXEC_ARG_LEN);
		if (rc < 0)
			return rc == -ENAMETOOLONG ? -E2BIG : rc;
		ua->argv[ua->argc] = kbuf[ua->argc];
	}
}

static long sys_exec(const uint64_t a[5])
{
	char path[PATH_MAX_LEN];
	long rc = copy_str_from_user(path, a[0], sizeof path);
	if (rc < 0)
		return rc;
	char kbuf[EXEC_ARGV_MAX][EXEC_ARG_LEN]; /* 2 KiB of a 16 KiB stack */
	struct uargs ua;
	rc = copy_argv(a[1], &ua, kbuf);
	return rc ? rc : proc_exec(path, &ua);
}

static long sys_sbrk(const uint64_t a[5])
{
	uint64_t old;
	int rc = uspace_sbrk(proc_current(), (int64_t)a[0], &old);
	return rc ? rc : (long)old;
}

static long sys_sleep(const uint64_t a[5])
{
	proc_sleep_ms(a[0]);
	return 0;
}

static long sys_kill(const uint64_t a[5])
{
	return proc_kill((int)a[0]);
}

/* The index-th live slot of the process table, as struct uproc. */
static long sys_procinfo(const uint64_t a[5])
{
	struct uproc u;
	if (!user_range_ok(a[1], sizeof u))
		return -EFAULT;
	uint64_t n = 0;
	struct proc *p;
	for (int i = 0; (p = proc_slot(i)); i++) {
		if (p->state == PROC_UNUSED || n++ != a[0])
			continue;
		memset(&u, 0, sizeof u);
		u.pid = p->pid;
		u.ppid = p->parent ? p->parent->pid : 0;
		strlcpy(u.state, proc_state_name(p->state), sizeof u.state);
		strlcpy(u.name, p->name, sizeof u.name);
		u.cr3 = p->root;
		u.rip = p->tf ? p->tf->rip : 0;
		return copy_to_user(a[1], &u, sizeof u);
	}
	return -ENOENT;
}

static long sys_memstat(const uint64_t a[5])
{
	struct pmm_stats st;
	struct umemstat m;
	if (!user_range_ok(a[0], sizeof m))
		return -EFAULT;
	pmm_stats(&st);
	m.free_pages = st.free_pages;
	m.user_pages = uspace_pages_in_use();
	return copy_to_user(a[0], &m, sizeof m);
}

static const syscall_fn table[SYS_COUNT] = {
    [SYS_write] = sys_write,	 [SYS_read] = sys_read,
    [SYS_open] = sys_open,	 [SYS_close] = sys_close,
    [SYS_exit] = sys_exit,	 [SYS_getpid] = sys_getpid,
    [SYS_yield] = sys_yield,	 [SYS_uptime] = sys_uptime,
    [SYS_listdir] = sys_listdir, [SYS_spawn] = sys_spawn,
    [SYS_wait] = sys_wait,	 [SYS_fork] = sys_fork,
    [SYS_exec] = sys_exec,	 [SYS_sbrk] = sys_sbrk,
    [SYS_sleep] = sys_sleep,	 [SYS_procinfo] = sys_procinfo,
    [SYS_memstat] = sys_memstat, [SYS_kill] = sys_kill,
};

/* A syscall at the very top of user space returns to a non-canonical
 * RIP: end the process here rather than fault in the kernel's return. */
static void check_return_rip(const struct trap_frame *f)
{
	struct proc *p = proc_current();
	if (f->rip < USER_END)
		return;
	printk("pid %d (%s): SIGSEGV return to non-canonical rip 0x%lx\n",
	       p->pid, p->name, f->rip);
	proc_exit(SIGSEGV);
}

void syscall_dispatch(struct trap_frame *f)
{
	proc_current()->tf = f;
	uint64_t args[5] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8};
	uint64_t nr = f->rax;
	sti(); /* timers, input and the break key during the call */
	f->rax = nr < SYS_COUNT && table[nr] ? (uint64_t)table[nr](args)
					     : (uint64_t)-ENOSYS;
	cli();
	check_return_rip(f);
	proc_trap_return(); /* a kill, or the time slice is over */
}
