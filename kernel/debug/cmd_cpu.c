/* cmd_cpu.c — monitor commands: regs, cr, cpuid, MSRs, ports, irq, ticks. */
#include "drivers/pic.h"
#include "kernel/arch/cpufeat.h"
#include "kernel/arch/regs.h"
#include "kernel/arch/extable.h"
#include "kernel/arch/trap.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/debug/debug_core.h"
#include "kernel/debug/diag.h"
#include "kernel/debug/mon_proc.h"
#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"

#define CR4_PCIDE (1ull << 17)

/* CR3 without PCIDs (SDM vol. 3A, 4.5, table 4-12). */
#define CR3_PWT (1ull << 3)
#define CR3_PCD (1ull << 4)
#define CR3_PCID_MASK 0xfffull		    /* with CR4.PCIDE */
#define CR3_ADDR_MASK 0x000ffffffffff000ull /* the PML4's frame */

/* The usual ISA assignment of the 16 PIC inputs (PC/AT). */
static const char *const isa_irq_names[PIC_IRQS] = {
    "timer",	  "keyboard", "cascade",     "COM2",	      "COM1", "LPT2",
    "floppy",	  "LPT1",     "RTC",	     "ACPI",	      "free", "free",
    "PS/2 mouse", "FPU",      "ATA primary", "ATA secondary",
};

/* Print what vector v is: "#PF page fault", "IRQ0 timer"... */
static void vector_name(struct mon_ctx *ctx, unsigned v)
{
	if (v < 32)
		mon_printf(ctx, "%s %s", trap_mnemonic(v), trap_name(v));
	else if (v < PIC_VECTOR_BASE + PIC_IRQS)
		mon_printf(ctx, "IRQ%u %s", v - PIC_VECTOR_BASE,
			   isa_irq_names[v - PIC_VECTOR_BASE]);
	else if (v == VEC_DEBUG_ENTER)
		mon_printf(ctx, "debugger entry (int 0x%x)", v);
	else
		mon_printf(ctx, "%s", trap_name(v));
}

/* ---- regs ---- */

static void regs_segments(struct mon_ctx *ctx, const struct trap_frame *f)
{
	mon_printf(ctx, "CS %04lx SS %04lx (frame, CPL %lu)  ", f->cs, f->ss,
		   f->cs & 3);
	mon_printf(ctx, "DS %04x ES %04x FS %04x GS %04x (live)\n", read_ds(),
		   read_es(), read_fs(), read_gs());
	mon_printf(ctx, "FS_BASE %016lx GS_BASE %016lx KERNEL_GS_BASE %016lx\n",
		   rdmsr(MSR_FS_BASE), rdmsr(MSR_GS_BASE),
		   rdmsr(MSR_KERNEL_GS_BASE));
}

static int cmd_regs(struct mon_ctx *ctx, int argc, char **argv)
{
	if (argc == 2) {
		const struct proc *p = mon_proc_arg(ctx, argv[1]);
		return p ? mon_regs_proc(ctx, p) : MON_ERR;
	}
	const struct trap_frame *f = debug_frame();
	if (!f) {
		mon_printf(ctx, "regs: no stopped context (the kernel is "
				"running); break in first\n");
		return MON_ERR;
	}
	diag_registers(&ctx->out, f);
	regs_segments(ctx, f);
	mon_printf(ctx, "vector %lu: ", f->vector);
	vector_name(ctx, (unsigned)f->vector);
	mon_printf(ctx, ", error 0x%lx, frame at %p\n", f->error, (void *)f);
	return MON_OK;
}
MON_COMMAND(regs, "[pid]",
	    "show the stopped context's registers, or a process's\n"
	    "General registers, RIP with its symbol and RFLAGS decoded are\n"
	    "those saved in the trap frame (read them as $reg in any\n"
	    "expression, change them with set $reg = value). CS/SS come\n"
	    "from the frame; DS ES FS GS and the FS/GS base MSRs are read\n"
	    "live. With a pid (see ps): its user registers saved at its last\n"
	    "kernel entry, and the kernel context (RIP RSP RBP RBX R12-R15)\n"
	    "context_switch saved.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_PID, cmd_regs);

/* ---- cr ---- */

static void cr_cr3(struct mon_ctx *ctx, uint64_t cr3)
{
	mon_printf(ctx, "CR3  %016lx (PML4 at phys 0x%lx", cr3,
		   (unsigned long)(cr3 & CR3_ADDR_MASK));
	if (read_cr4() & CR4_PCIDE)
		mon_printf(ctx, ", PCID 0x%lx)\n",
			   (unsigned long)(cr3 & CR3_PCID_MASK));
	else
		mon_printf(ctx, "%s%s)\n", cr3 & CR3_PWT ? ", PWT" : "",
			   cr3 & CR3_PCD ? ", PCD" : "");
}

static int cmd_cr(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t cr0 = read_cr0(), cr2 = read_cr2(), cr4 = read_cr4();
	uint64_t efer = rdmsr(MSR_EFER);
	const struct debug_stop_info *s = debug_current();
	mon_printf(ctx, "CR0  %016lx", cr0);
	diag_print_bits(&ctx->out, &cr0_bits, cr0);
	mon_printf(ctx, "\nCR2  %016lx", cr2);
	if (s && s->cr2 != cr2)
		mon_printf(ctx, " (at the stop: %016lx)", s->cr2);
	mon_printf(ctx, "\n");
	cr_cr3(ctx, read_cr3());
	mon_printf(ctx, "CR4  %016lx", cr4);
	diag_print_bits(&ctx->out, &cr4_bits, cr4);
	mon_printf(ctx, "\nCR8  %016lx (task priority %lu)\n", read_cr8(),
		   (unsigned long)(read_cr8() & 0xf));
	mon_printf(ctx, "EFER %016lx", efer);
	diag_print_bits(&ctx->out, &efer_bits, efer);
	mon_printf(ctx, "\n");
	return MON_OK;
}
MON_COMMAND(cr, "",
	    "show the control registers and EFER, decoded\n"
	    "CR0, CR2 (last page-fault address), CR3 (page-table root), CR4,\n"
	    "CR8 (task priority) and IA32_EFER, each with its set bits named.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_cr);

/* ---- cpuid ---- */

static void cpuid_vendor(struct mon_ctx *ctx, struct cpuid_max m)
{
	uint32_t r[4];
	char s[13];
	cpuid(CPUID_VENDOR, 0, r);
	memcpy(s, &r[EBX], 4);
	memcpy(s + 4, &r[EDX], 4);
	memcpy(s + 8, &r[ECX], 4);
	s[12] = '\0';
	mon_printf(ctx, "vendor %s, max leaf 0x%x, max extended leaf 0x%x\n", s,
		   m.basic, m.ext);
	if (m.ext < CPUID_BRAND + 2)
		return;
	char brand[49];
	for (uint32_t i = 0; i < 3; i++) {
		cpuid(CPUID_BRAND + i, 0, r);
		memcpy(brand + 16 * i, r, 16);
	}
	brand[48] = '\0';
	const char *b = brand;
	while (*b == ' ')
		b++;
	mon_printf(ctx, "brand \"%s\"\n", b);
}

/* Family and model as Intel and AMD display them (SDM vol. 2A, CPUID,
 * fig. 3-6: the extended fields count only for family 6 and 15). */
static void cpuid_signature(struct mon_ctx *ctx)
{
	uint32_t r[4];
	cpuid(CPUID_SIGNATURE, 0, r);
	uint32_t sig = r[EAX], family = (sig >> 8) & 0xf;
	uint32_t model = (sig >> 4) & 0xf, stepping = sig & 0xf;
	if (family == 0x6 || family == 0xf)
		model |= ((sig >> 16) & 0xf) << 4;
	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	mon_printf(ctx,
		   "family %u model %u stepping %u (0x%x/0x%x/0x%x, "
		   "signature 0x%08x)\n",
		   family, model, stepping, family, model, stepping, sig);
}

#define FEATURE_COLUMNS 72 /* wrap the feature list before this column */

static void cpuid_features(struct mon_ctx *ctx)
{
	unsigned col = 2;
	mon_printf(ctx, "features (+ present, - absent):\n ");
	for (size_t i = 0; i < cpu_features_count; i++) {
		unsigned len = (unsigned)strlen(cpu_features[i].name) + 2;
		if (col + len > FEATURE_COLUMNS) {
			mon_printf(ctx, "\n ");
			col = 2;
		}
		mon_printf(ctx, " %c%s",
			   cpu_feature_present(&cpu_features[i]) ? '+' : '-',
			   cpu_features[i].name);
		col += len;
	}
	mon_printf(ctx, "\n");
}

static int cpuid_raw(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t leaf, sub = 0;
	uint32_t r[4];
	if (!mon_eval_range(ctx, argv[1], "leaf", 0, UINT32_MAX, &leaf))
		return MON_ERR;
	if (argc > 2 &&
	    !mon_eval_range(ctx, argv[2], "subleaf", 0, UINT32_MAX, &sub))
		return MON_ERR;
	struct cpuid_max m = cpuid_limits();
	if (!cpuid_leaf_supported(m, (uint32_t)leaf)) {
		mon_printf(ctx,
			   "cpuid: leaf 0x%lx is not supported (max leaf 0x%x, "
			   "max extended 0x%x); the CPU would answer with "
			   "another leaf's data or zeros\n",
			   (unsigned long)leaf, m.basic, m.ext);
		return MON_ERR;
	}
	cpuid((uint32_t)leaf, (uint32_t)sub, r);
	mon_printf(ctx,
		   "leaf 0x%lx sub 0x%lx: eax 0x%08x ebx 0x%08x ecx 0x%08x "
		   "edx 0x%08x\n",
		   (unsigned long)leaf, (unsigned long)sub, r[EAX], r[EBX],
		   r[ECX], r[EDX]);
	return MON_OK;
}

static int cmd_cpuid(struct mon_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return cpuid_raw(ctx, argc, argv);
	struct cpuid_max m = cpuid_limits();
	cpuid_vendor(ctx, m);
	cpuid_signature(ctx);
	cpuid_features(ctx);
	return MON_OK;
}
MON_COMMAND(cpuid, "[leaf [sub]]",
	    "identify the CPU, or show one CPUID leaf raw\n"
	    "Without arguments: vendor, brand, family/model/stepping and the\n"
	    "features that matter to a kernel (+nx, -pdpe1gb = no 1 GiB\n"
	    "pages, smep, smap, pcid, x2apic, la57...). With a leaf (and\n"
	    "subleaf, default 0): eax ebx ecx edx as the CPU returns them.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_cpuid);

/* ---- rdmsr / wrmsr: a #GP (no such MSR, reserved bits) is caught ---- */

/* int msr_read_safe(uint32_t msr, uint64_t *val) and
 * int msr_write_safe(uint32_t msr, uint64_t val): 0, or -1 when the
 * instruction raised #GP: the fix-up table (kernel/arch/extable.h) resumes at
 * msr_fault_fixup then. RDMSR/WRMSR: SDM vol. 2B; #GP(0) for an unimplemented
 * MSR. */
__asm__(".pushsection .text\n"
	".p2align 4\n"
	"msr_read_safe:\n"
	"	movl %edi, %ecx\n"
	"msr_read_insn:\n"
	"	rdmsr\n"
	"	shlq $32, %rdx\n"
	"	movl %eax, %eax\n"
	"	orq %rdx, %rax\n"
	"	movq %rax, (%rsi)\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"msr_fault_fixup:\n"
	"	movl $-1, %eax\n"
	"	ret\n"
	"msr_write_safe:\n"
	"	movl %edi, %ecx\n"
	"	movl %esi, %eax\n"
	"	movq %rsi, %rdx\n"
	"	shrq $32, %rdx\n"
	"msr_write_insn:\n"
	"	wrmsr\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	".popsection\n" EXTABLE_ASM("msr_read_insn", "msr_fault_fixup")
	    EXTABLE_ASM("msr_write_insn", "msr_fault_fixup"));
int msr_read_safe(uint32_t msr, uint64_t *val);
int msr_write_safe(uint32_t msr, uint64_t val);

/* Read msr without faulting; false when it raised #GP. */
static bool rdmsr_safe(uint32_t msr, uint64_t *val)
{
	return msr_read_safe(msr, val) == 0;
}

/* Write msr without faulting; false when it raised #GP. */
static bool wrmsr_safe(uint32_t msr, uint64_t val)
{
	return msr_write_safe(msr, val) == 0;
}

static const struct {
	uint32_t msr;
	const char *name;
} msr_names[] = {
    {0x10, "IA32_TIME_STAMP_COUNTER"},
    {0x1b, "IA32_APIC_BASE"},
    {0x277, "IA32_PAT"},
    {0xc0000080, "IA32_EFER"},
    {0xc0000081, "STAR"},
    {0xc0000082, "LSTAR"},
    {0xc0000084, "FMASK"},
    {MSR_FS_BASE, "FS_BASE"},
    {MSR_GS_BASE, "GS_BASE"},
    {MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE"},
    {0xc0000103, "TSC_AUX"},
};

static void print_msr(struct mon_ctx *ctx, uint32_t msr, uint64_t v)
{
	mon_printf(ctx, "MSR 0x%x", msr);
	for (size_t i = 0; i < sizeof msr_names / sizeof msr_names[0]; i++)
		if (msr_names[i].msr == msr)
			mon_printf(ctx, " (%s)", msr_names[i].name);
	mon_printf(ctx, " = 0x%016lx", v);
	if (msr == MSR_EFER)
		diag_print_bits(&ctx->out, &efer_bits, v);
	mon_printf(ctx, "\n");
}

static int cmd_rdmsr(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	uint64_t msr, v;
	if (!mon_eval_range(ctx, argv[1], "MSR", 0, UINT32_MAX, &msr))
		return MON_ERR;
	if (!rdmsr_safe((uint32_t)msr, &v)) {
		mon_printf(ctx,
			   "rdmsr: MSR 0x%lx does not exist (#GP); see the "
			   "SDM vol. 4 for this CPU's MSRs\n",
			   (unsigned long)msr);
		return MON_ERR;
	}
	print_msr(ctx, (uint32_t)msr, v);
	return MON_OK;
}
MON_COMMAND(rdmsr, "<msr>",
	    "read a model-specific register\n"
	    "e.g. rdmsr 0xc0000080 (EFER). An MSR the CPU does not have\n"
	    "raises #GP, which is caught: the command says so (and the #GP\n"
	    "shows in 'faults').",
	    MON_MEMSAFE, cmd_rdmsr);

static int cmd_wrmsr(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	uint64_t msr, v, old, now;
	if (!mon_eval_range(ctx, argv[1], "MSR", 0, UINT32_MAX, &msr) ||
	    !mon_eval(ctx, argv[2], &v))
		return MON_ERR;
	bool readable = rdmsr_safe((uint32_t)msr, &old);
	if (!wrmsr_safe((uint32_t)msr, v)) {
		mon_printf(ctx,
			   "wrmsr: MSR 0x%lx refused 0x%lx (#GP): it does not "
			   "exist, is read-only, or the value sets reserved "
			   "bits; nothing was written\n",
			   (unsigned long)msr, (unsigned long)v);
		return MON_ERR;
	}
	if (rdmsr_safe((uint32_t)msr, &now))
		print_msr(ctx, (uint32_t)msr, now);
	else
		mon_printf(ctx, "MSR 0x%lx written; it cannot be read back\n",
			   (unsigned long)msr);
	if (readable)
		mon_printf(ctx, "(was 0x%016lx)\n", old);
	if (rdmsr_safe((uint32_t)msr, &now) && now != v)
		mon_printf(ctx,
			   "wrmsr: MSR 0x%lx did not keep 0x%lx: bits 0x%lx "
			   "read back otherwise (read-only, ignored, or a "
			   "counter that moves on)\n",
			   (unsigned long)msr, (unsigned long)v,
			   (unsigned long)(now ^ v));
	return now == v ? MON_OK : MON_ERR;
}
MON_COMMAND(
    wrmsr, "<msr> <value>",
    "write a model-specific register\n"
    "Writes value, reads it back and shows the old one. A #GP (no such\n"
    "MSR, reserved bits) is caught and reported; nothing changes.\n"
    "Careful: EFER, LSTAR and friends are live for the kernel.",
    MON_MEMSAFE | MON_NOREPEAT, cmd_wrmsr);

/* ---- port I/O ---- */

#define PORT_MAX 0xffffu

static int port_in(struct mon_ctx *ctx, char **argv, unsigned bytes)
{
	uint64_t port;
	uint32_t v;
	if (!mon_eval_range(ctx, argv[1], "port", 0, PORT_MAX, &port))
		return MON_ERR;
	if (bytes == 1)
		v = inb((uint16_t)port);
	else if (bytes == 2)
		v = inw((uint16_t)port);
	else
		v = inl((uint16_t)port);
	mon_printf(ctx, "port 0x%lx: 0x%0*x\n", (unsigned long)port,
		   (int)bytes * 2, v);
	return MON_OK;
}

static int port_out(struct mon_ctx *ctx, char **argv, unsigned bytes)
{
	uint64_t port, v;
	uint64_t max = bytes == 4 ? UINT32_MAX : (1ull << (8 * bytes)) - 1;
	if (!mon_eval_range(ctx, argv[1], "port", 0, PORT_MAX, &port) ||
	    !mon_eval_range(ctx, argv[2], "value", 0, max, &v))
		return MON_ERR;
	if (bytes == 1)
		outb((uint16_t)port, (uint8_t)v);
	else if (bytes == 2)
		outw((uint16_t)port, (uint16_t)v);
	else
		outl((uint16_t)port, (uint32_t)v);
	mon_printf(ctx, "port 0x%lx <- 0x%0*lx\n", (unsigned long)port,
		   (int)bytes * 2, (unsigned long)v);
	return MON_OK;
}

#define PORT_CMDS(w, bytes, what)                                              \
	static int cmd_in##w(struct mon_ctx *ctx, int argc, char **argv)       \
	{                                                                      \
		(void)argc;                                                    \
		return port_in(ctx, argv, bytes);                              \
	}                                                                      \
	MON_COMMAND(in##w, "<port>",                                           \
		    "read a " what " from an I/O port (0-0xffff)",             \
		    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_in##w);               \
	static int cmd_out##w(struct mon_ctx *ctx, int argc, char **argv)      \
	{                                                                      \
		(void)argc;                                                    \
		return port_out(ctx, argv, bytes);                             \
	}                                                                      \
	MON_COMMAND(out##w, "<port> <value>",                                  \
		    "write a " what " to an I/O port (0-0xffff)",              \
		    MON_MEMSAFE | MON_NOREPEAT, cmd_out##w)
PORT_CMDS(b, 1, "byte");
PORT_CMDS(w, 2, "16-bit word");
PORT_CMDS(l, 4, "32-bit doubleword");
#undef PORT_CMDS

/* ---- irq, ticks ---- */

static void irq_masks(struct mon_ctx *ctx)
{
	uint16_t mask = pic_get_mask();
	mon_printf(ctx,
		   "PIC masks (bit set = masked): master 0x%02x slave "
		   "0x%02x\nunmasked:",
		   mask & 0xff, mask >> 8);
	for (unsigned i = 0; i < PIC_IRQS; i++)
		if (!(mask & (1u << i)))
			mon_printf(ctx, " IRQ%u(%s)", i, isa_irq_names[i]);
	mon_printf(ctx, "\n");
}

static int cmd_irq(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	irq_masks(ctx);
	mon_printf(ctx, "interrupts and exceptions taken since boot:\n"
			"vector           count  what\n");
	for (unsigned v = 0; v < NUM_VECTORS && !mon_aborted(ctx); v++) {
		uint64_t n = trap_count(v);
		if (!n)
			continue;
		mon_printf(ctx, "%3u 0x%02x %14lu  ", v, v, (unsigned long)n);
		vector_name(ctx, v);
		mon_printf(ctx, "\n");
	}
	return MON_OK;
}
MON_COMMAND(irq, "",
	    "show the PIC masks and how often each vector was taken\n"
	    "The 8259 masks (master IRQ0-7 at port 0x21, slave IRQ8-15 at\n"
	    "0xa1), the unmasked lines, and the count of every vector that\n"
	    "fired at least once since boot, with its name.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_irq);

static int cmd_ticks(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)argc, (void)argv;
	uint64_t ms = uptime_ms();
	mon_printf(ctx, "ticks %lu at %u Hz, uptime %lu.%03lu s, TSC %lu\n",
		   (unsigned long)clock_ticks(), clock_hz(),
		   (unsigned long)(ms / 1000), (unsigned long)(ms % 1000),
		   (unsigned long)rdtsc());
	return MON_OK;
}
MON_COMMAND(ticks, "",
	    "show the timer tick count, its rate and the uptime\n"
	    "Ticks do not advance while the monitor holds the machine\n"
	    "(interrupts are off); the TSC does.",
	    MON_SAFE_AFTER_DF | MON_MEMSAFE, cmd_ticks);
