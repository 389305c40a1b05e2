/* cpufeat.c — CPU features by name, from CPUID: one table for the boot log, vmm
 * and `cpuid`. */
#include "kernel/arch/cpufeat.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"

/* Feature flags: CPUID.(leaf, subleaf 0).reg[bit], named like Linux's
 * /proc/cpuinfo and QEMU's -cpu flags (SDM vol. 2A, CPUID, tables 3-8
 * to 3-10; AMD APM vol. 3, appendix E). */

/* Those a kernel debugger cares about first, then the common ones. */
const struct cpu_feature cpu_features[] = {
    {CPUID_EXT_SIG, EDX, 20, "nx"},
    {CPUID_EXT_SIG, EDX, 26, "pdpe1gb"},
    {CPUID_EXT_FEATURES, EBX, 7, "smep"},
    {CPUID_EXT_FEATURES, EBX, 20, "smap"},
    {CPUID_SIGNATURE, ECX, 17, "pcid"},
    {CPUID_EXT_FEATURES, EBX, 10, "invpcid"},
    {CPUID_SIGNATURE, ECX, 21, "x2apic"},
    {CPUID_EXT_FEATURES, ECX, 16, "la57"},
    {CPUID_EXT_FEATURES, ECX, 2, "umip"},
    {CPUID_EXT_FEATURES, ECX, 3, "pku"},
    {CPUID_EXT_FEATURES, EBX, 0, "fsgsbase"},
    {CPUID_SIGNATURE, EDX, 13, "pge"},
    {CPUID_SIGNATURE, EDX, 3, "pse"},
    {CPUID_SIGNATURE, EDX, 6, "pae"},
    {CPUID_SIGNATURE, EDX, 16, "pat"},
    {CPUID_SIGNATURE, EDX, 9, "apic"},
    {CPUID_SIGNATURE, ECX, 24, "tsc-deadline"},
    {CPUID_EXT_SIG, EDX, 29, "lm"},
    {CPUID_EXT_SIG, EDX, 11, "syscall"},
    {CPUID_EXT_SIG, EDX, 27, "rdtscp"},
    {CPUID_SIGNATURE, EDX, 4, "tsc"},
    {CPUID_SIGNATURE, EDX, 5, "msr"},
    {CPUID_SIGNATURE, EDX, 12, "mtrr"},
    {CPUID_SIGNATURE, EDX, 14, "mca"},
    {CPUID_SIGNATURE, EDX, 19, "clflush"},
    {CPUID_SIGNATURE, EDX, 24, "fxsr"},
    {CPUID_SIGNATURE, EDX, 26, "sse2"},
    {CPUID_SIGNATURE, ECX, 9, "ssse3"},
    {CPUID_SIGNATURE, ECX, 19, "sse4.1"},
    {CPUID_SIGNATURE, ECX, 20, "sse4.2"},
    {CPUID_SIGNATURE, ECX, 26, "xsave"},
    {CPUID_SIGNATURE, ECX, 28, "avx"},
    {CPUID_EXT_FEATURES, EBX, 5, "avx2"},
    {CPUID_SIGNATURE, ECX, 30, "rdrand"},
    {CPUID_EXT_FEATURES, EBX, 18, "rdseed"},
    {CPUID_SIGNATURE, ECX, 5, "vmx"},
    {CPUID_EXT_SIG, ECX, 2, "svm"},
    {CPUID_SIGNATURE, ECX, 31, "hypervisor"},
};

const unsigned cpu_features_count =
    sizeof cpu_features / sizeof cpu_features[0];

struct cpuid_max cpuid_limits(void)
{
	uint32_t r[4];
	struct cpuid_max m;
	cpuid(CPUID_VENDOR, 0, r);
	m.basic = r[EAX];
	cpuid(CPUID_EXT_MAX, 0, r);
	m.ext = r[EAX] >= CPUID_EXT_MAX ? r[EAX] : 0;
	return m;
}

bool cpuid_leaf_supported(struct cpuid_max m, uint32_t leaf)
{
	if (leaf < CPUID_HYPERV)
		return leaf <= m.basic;
	if (leaf >= CPUID_EXT_MAX && leaf < CPUID_EXT_MAX + 0x10000000u)
		return m.ext && leaf <= m.ext;
	return true; /* hypervisor and vendor ranges: the CPU decides */
}

bool cpu_feature_present(const struct cpu_feature *f)
{
	uint32_t r[4];
	if (!cpuid_leaf_supported(cpuid_limits(), f->leaf))
		return false;
	cpuid(f->leaf, 0, r);
	return (r[f->reg] >> f->bit) & 1;
}

bool cpu_has(const char *name)
{
	for (unsigned i = 0; i < cpu_features_count; i++)
		if (!strcmp(cpu_features[i].name, name))
			return cpu_feature_present(&cpu_features[i]);
	return false;
}
