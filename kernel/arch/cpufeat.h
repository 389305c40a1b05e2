/* cpufeat.h — CPU feature flags by name (CPUID), shared by the boot log, vmm
 * and the monitor. */
#ifndef KERNEL_ARCH_CPUFEAT_H
#define KERNEL_ARCH_CPUFEAT_H

#include <stdbool.h>
#include <stdint.h>

#define CPUID_VENDOR 0x0u	  /* max basic leaf, vendor string */
#define CPUID_SIGNATURE 0x1u	  /* family/model/stepping, features */
#define CPUID_EXT_FEATURES 0x7u	  /* structured extended features */
#define CPUID_EXT_MAX 0x80000000u /* max extended leaf */
#define CPUID_EXT_SIG 0x80000001u /* extended features: NX, LM... */
#define CPUID_BRAND 0x80000002u	  /* 0x80000002..4: brand string */
#define CPUID_HYPERV 0x40000000u  /* 0x40000000..0x4fffffff: hypervisor */
enum { EAX, EBX, ECX, EDX };

struct cpu_feature {
	uint32_t leaf;
	uint8_t reg, bit;
	const char *name;
};

/* The first CPU_FEATURES_KEY entries are the ones the boot log lists. */
#define CPU_FEATURES_KEY 8
extern const struct cpu_feature cpu_features[];
extern const unsigned cpu_features_count;

struct cpuid_max {
	uint32_t basic, ext; /* highest basic / extended leaf (0: none) */
};

struct cpuid_max cpuid_limits(void);
bool cpuid_leaf_supported(struct cpuid_max m, uint32_t leaf);
bool cpu_feature_present(const struct cpu_feature *f);
/* True when the CPU has the feature called name ("nx", "pdpe1gb", ...). */
bool cpu_has(const char *name);

#endif
