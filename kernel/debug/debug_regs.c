/* debug_regs.c — registers of the stopped context by name, for $reg, `regs` and
 * GDB. */
#include "kernel/arch/regs.h"
#include "kernel/arch/x86.h"
#include "kernel/debug/debug_core.h"
#include "kernel/lib/string.h"

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
	int r = trap_reg_find(name);
	if (r < 0)
		return false;
	*val = *trap_reg_slot(f, (unsigned)r);
	return true;
}

bool debug_reg_set(const char *name, uint64_t val)
{
	struct trap_frame *f = debug_frame();
	int r = trap_reg_find(name);
	/* cs and ss stay: iretq with a changed selector would fault */
	if (!f || r < 0 || r == TRAP_REG_cs || r == TRAP_REG_ss)
		return false;
	*trap_reg_slot(f, (unsigned)r) = val;
	return true;
}

bool debug_mon_reg_lookup(void *ctx, const char *name, uint64_t *val)
{
	(void)ctx;
	return debug_reg_value(name, val);
}
