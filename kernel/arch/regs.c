/* regs.c — the saved-register table and the register bit names (data only; host
 * tests link it too). */
#include "kernel/arch/regs.h"
#include "kernel/lib/string.h"

#define TRAP_REG_DEF(r)                                                        \
	[TRAP_REG_##r] = {#r, __builtin_offsetof(struct trap_frame, r)},
const struct trap_reg_def trap_reg_defs[TRAP_NREGS] = {TRAP_REGS(TRAP_REG_DEF)};
#undef TRAP_REG_DEF

int trap_reg_find(const char *name)
{
	if (!strcmp(name, "pc"))
		return TRAP_REG_rip;
	if (!strcmp(name, "eflags"))
		return TRAP_REG_rflags;
	for (int i = 0; i < TRAP_NREGS; i++)
		if (!strcmp(name, trap_reg_defs[i].name))
			return i;
	return -1;
}

#define NBITS(t) (sizeof(t) / sizeof((t)[0]))

static const struct reg_bit rflags[] = {
    {0, "CF"},	{2, "PF"},   {4, "AF"},	  {6, "ZF"},  {7, "SF"},  {8, "TF"},
    {9, "IF"},	{10, "DF"},  {11, "OF"},  {14, "NT"}, {16, "RF"}, {17, "VM"},
    {18, "AC"}, {19, "VIF"}, {20, "VIP"}, {21, "ID"},
};
const struct reg_bits rflags_bits = {"RFLAGS", rflags, NBITS(rflags)};

static const struct reg_bit cr0[] = {
    {0, "PE"},	{1, "MP"},  {2, "EM"},	{3, "TS"},  {4, "ET"},	{5, "NE"},
    {16, "WP"}, {18, "AM"}, {29, "NW"}, {30, "CD"}, {31, "PG"},
};
const struct reg_bits cr0_bits = {"CR0", cr0, NBITS(cr0)};

static const struct reg_bit cr4[] = {
    {0, "VME"},	   {1, "PVI"},	    {2, "TSD"},		{3, "DE"},
    {4, "PSE"},	   {5, "PAE"},	    {6, "MCE"},		{7, "PGE"},
    {8, "PCE"},	   {9, "OSFXSR"},   {10, "OSXMMEXCPT"}, {11, "UMIP"},
    {12, "LA57"},  {13, "VMXE"},    {14, "SMXE"},	{16, "FSGSBASE"},
    {17, "PCIDE"}, {18, "OSXSAVE"}, {19, "KL"},		{20, "SMEP"},
    {21, "SMAP"},  {22, "PKE"},	    {23, "CET"},	{24, "PKS"},
    {25, "UINTR"},
};
const struct reg_bits cr4_bits = {"CR4", cr4, NBITS(cr4)};

static const struct reg_bit efer[] = {
    {0, "SCE"},	  {8, "LME"},	 {10, "LMA"},	{11, "NXE"},
    {12, "SVME"}, {13, "LMSLE"}, {14, "FFXSR"}, {15, "TCE"},
};
const struct reg_bits efer_bits = {"EFER", efer, NBITS(efer)};
