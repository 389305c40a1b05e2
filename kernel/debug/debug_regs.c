/* debug_regs.c — registers of the stopped context by name, for $reg, `regs` and
 * GDB. */
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_core.h"
#include "kernel/lib/string.h"

#define FRAME_REG(name, field)                                                 \
	{                                                                      \
		name, offsetof(struct trap_frame, field)                       \
	}

static const struct {
	const char *name;
	size_t offset;
} frame_regs[] = {
    FRAME_REG("rax", rax),	 FRAME_REG("rbx", rbx),
    FRAME_REG("rcx", rcx),	 FRAME_REG("rdx", rdx),
    FRAME_REG("rsi", rsi),	 FRAME_REG("rdi", rdi),
    FRAME_REG("rbp", rbp),	 FRAME_REG("rsp", rsp),
    FRAME_REG("r8", r8),	 FRAME_REG("r9", r9),
    FRAME_REG("r10", r10),	 FRAME_REG("r11", r11),
    FRAME_REG("r12", r12),	 FRAME_REG("r13", r13),
    FRAME_REG("r14", r14),	 FRAME_REG("r15", r15),
    FRAME_REG("rip", rip),	 FRAME_REG("pc", rip),
    FRAME_REG("rflags", rflags), FRAME_REG("eflags", rflags),
    FRAME_REG("cs", cs),	 FRAME_REG("ss", ss),
};
#define NFRAME_REGS (sizeof frame_regs / sizeof frame_regs[0])

static bool control_reg(const char *name, uint64_t *val)
{
	if (!strcmp(name, "cr0"))
		*val = read_cr0();
	else if (!strcmp(name, "cr2"))
		*val = debug_current() ? debug_current()->cr2 : read_cr2();
	else if (!strcmp(name, "cr3"))
		*val = read_cr3();
	else if (!strcmp(name, "cr4"))
		*val = read_cr4();
	else if (!strcmp(name, "cr8"))
		*val = read_cr8();
	else if (!strcmp(name, "efer"))
		*val = rdmsr(MSR_EFER);
	else
		return false;
	return true;
}

bool debug_reg_value(const char *name, uint64_t *val)
{
	struct trap_frame *f = debug_frame();
	if (control_reg(name, val))
		return true;
	if (!f)
		return false;
	for (size_t i = 0; i < NFRAME_REGS; i++) {
		if (!strcmp(name, frame_regs[i].name)) {
			*val = *(uint64_t *)((char *)f + frame_regs[i].offset);
			return true;
		}
	}
	return false;
}

bool debug_reg_set(const char *name, uint64_t val)
{
	struct trap_frame *f = debug_frame();
	if (!f || !strcmp(name, "cs") || !strcmp(name, "ss"))
		return false;
	for (size_t i = 0; i < NFRAME_REGS; i++) {
		if (!strcmp(name, frame_regs[i].name)) {
			*(uint64_t *)((char *)f + frame_regs[i].offset) = val;
			return true;
		}
	}
	return false;
}

bool debug_mon_reg_lookup(void *ctx, const char *name, uint64_t *val)
{
	(void)ctx;
	return debug_reg_value(name, val);
}
