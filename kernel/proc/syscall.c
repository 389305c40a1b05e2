/* syscall.c — the system-call table and its handlers. */
#include "drivers/console.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/sys_file.h"
#include "kernel/proc/syscall.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/usercopy.h"
#include "kernel/proc/uspace.h"
#include "mm/pmm.h"

#define PATH_MAX_LEN 128

typedef long (*syscall_fn)(const uint64_t a[5]);

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
    SYS_FILE_TABLE,
    [SYS_exit] = sys_exit,
    [SYS_getpid] = sys_getpid,
    [SYS_yield] = sys_yield,
    [SYS_uptime] = sys_uptime,
    [SYS_spawn] = sys_spawn,
    [SYS_wait] = sys_wait,
    [SYS_fork] = sys_fork,
    [SYS_exec] = sys_exec,
    [SYS_sbrk] = sys_sbrk,
    [SYS_sleep] = sys_sleep,
    [SYS_procinfo] = sys_procinfo,
    [SYS_memstat] = sys_memstat,
    [SYS_kill] = sys_kill,
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
