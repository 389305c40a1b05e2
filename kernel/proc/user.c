/* user.c — ring 3 bring-up: syscall MSRs, int 0x80, SMEP/SMAP, /init. */
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/options.h"
#include "kernel/printk.h"
#include "fs/storage.h"
#include "kernel/proc/proc.h"
#include "kernel/proc/syscall.h"
#include "kernel/proc/uapi.h"
#include "kernel/proc/user.h"
#include "kernel/proc/usercopy.h"
#include "kernel/proc/uspace.h"
#include "mm/vmm.h"

/* Fast system-call MSRs (SDM vol. 3A, 5.8.8; vol. 4, table 2-2). */
#define MSR_STAR 0xc0000081u  /* 47:32 kernel CS; 63:48 sysret base */
#define MSR_LSTAR 0xc0000082u /* 64-bit syscall entry RIP */
#define MSR_FMASK 0xc0000084u /* RFLAGS bits cleared on syscall */
/* sysret loads SS = base + 8 and CS = base + 16 (RPL 3): base 0x10 gives
 * user data 0x18 and user code 0x20, the order kernel/arch/gdt.c has. */
#define STAR_SYSRET_BASE (SEL_UDATA - 8 - 3)
#define STAR_VALUE                                                             \
	(((uint64_t)STAR_SYSRET_BASE << 48) | ((uint64_t)SEL_KCODE << 32))
/* RFLAGS bits (SDM vol. 1, 3.4.3) masked on entry: TF, IF, DF, IOPL, NT,
 * AC — the kernel starts with interrupts off and SMAP enforced. */
#define RFLAGS_DF (1u << 10)
#define RFLAGS_IOPL (3u << 12)
#define RFLAGS_NT (1u << 14)
#define RFLAGS_AC (1u << 18)
#define FMASK_VALUE                                                            \
	(RFLAGS_TF | RFLAGS_IF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_NT |         \
	 RFLAGS_AC)

/* CPUID.(EAX=7,ECX=0):EBX feature bits and their CR4 enables. */
#define CPUID_LEAF_EXT_FEATURES 7u
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define DPL_USER 3
#define INIT_DEFAULT "init" /* the initrd file run as pid 1 */
#define INIT_NONE "none"    /* init=none: no user space */

extern void syscall_entry(void);

static void syscall_trap(struct trap_frame *f)
{
	user_access_reset();
	syscall_dispatch(f);
}

static void syscall_msrs_init(void)
{
	wrmsr(MSR_STAR, STAR_VALUE);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, FMASK_VALUE);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* SMEP: the kernel never executes user pages; SMAP: never touches them
 * outside usercopy's stac/clac window. Returns a description. */
static const char *protections_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] < CPUID_LEAF_EXT_FEATURES)
		return "SMEP/SMAP unavailable";
	cpuid(CPUID_LEAF_EXT_FEATURES, 0, r);
	bool smep = r[1] & CPUID7_EBX_SMEP, smap = r[1] & CPUID7_EBX_SMAP;
	write_cr4(read_cr4() | (smep ? CR4_SMEP : 0) | (smap ? CR4_SMAP : 0));
	usercopy_set_smap(smap);
	return smep ? (smap ? "SMEP on, SMAP on" : "SMEP on, SMAP unavailable")
		    : (smap ? "SMEP unavailable, SMAP on"
			    : "SMEP/SMAP unavailable");
}

static void user_cpu_init(void)
{
	syscall_msrs_init();
	idt_set_gate(SYSCALL_VECTOR, 0, DPL_USER);
	trap_register(SYSCALL_VECTOR, syscall_trap);
	const char *prot = protections_init();
	printk("user: syscall/sysret and int 0x80 ready; %s, NX %s\n", prot,
	       vmm_has_nx() ? "on" : "unavailable");
}

void user_start_init(void)
{
	const char *path = kopts.init[0] ? kopts.init : INIT_DEFAULT;
	if (!strcmp(path, INIT_NONE))
		return; /* init=none: the kernel keeps the console */
	user_cpu_init();
	if (!proc_init())
		return;
	struct proc *p;
	int rc = proc_spawn(path, 0, &p);
	if (rc) {
		printk("user: cannot start %s (error %d)\n", path, -rc);
		return;
	}
	printk("user: starting %s as pid %d\n", path, p->pid);
	proc_schedule();
	rc = storage_sync();
	if (rc)
		printk("user: writing back the disk cache failed (error %d)\n",
		       rc);
	printk("user: every process has exited; user pages still held: %lu\n",
	       uspace_pages_in_use());
}
