/* x86.h — every x86 instruction wrapper: port I/O, MSRs, control registers,
 * TLB, CPUID. */
#ifndef KERNEL_ARCH_X86_H
#define KERNEL_ARCH_X86_H

#include <stdint.h>

#define MSR_EFER 0xc0000080u /* extended feature enable */
#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define EFER_SCE (1u << 0)  /* syscall enable */
#define EFER_LME (1u << 8)  /* long mode enable */
#define EFER_LMA (1u << 10) /* long mode active */
#define EFER_NXE (1u << 11) /* no-execute enable */
#define RFLAGS_IF (1u << 9) /* interrupt enable flag */
#define RFLAGS_TF (1u << 8) /* trap flag (single step) */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint16_t inw(uint16_t port)
{
	uint16_t v;
	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
/* Block transfers of 16-bit words through one port (rep insw/outsw). */
static inline void insw(uint16_t port, void *buf, uint64_t words)
{
	__asm__ volatile("rep insw"
			 : "+D"(buf), "+c"(words)
			 : "d"(port)
			 : "memory");
}
static inline void outsw(uint16_t port, const void *buf, uint64_t words)
{
	__asm__ volatile("rep outsw"
			 : "+S"(buf), "+c"(words)
			 : "d"(port)
			 : "memory");
}
/* A write to an unused port: roughly a microsecond of delay for old chips. */
static inline void io_wait(void)
{
	outb(0x80, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32)));
}

#define X86_READ_CR(n)                                                         \
	static inline uint64_t read_cr##n(void)                                \
	{                                                                      \
		uint64_t v;                                                    \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));              \
		return v;                                                      \
	}                                                                      \
	static inline void write_cr##n(uint64_t v)                             \
	{                                                                      \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");     \
	}
X86_READ_CR(0)
X86_READ_CR(2)
X86_READ_CR(3)
X86_READ_CR(4)
X86_READ_CR(8)
#undef X86_READ_CR

/* DR6 says which debug condition raised a #DB (SDM vol. 3B, 17.2.3); its
 * bits are sticky, so whoever handles the #DB clears them. */
#define DR6_BS (1ull << 14) /* single-step (RFLAGS.TF) */
static inline uint64_t read_dr6(void)
{
	uint64_t v;
	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}
static inline void write_dr6(uint64_t v)
{
	__asm__ volatile("mov %0, %%dr6" : : "r"(v));
}

static inline void invlpg(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;
	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void cli(void)
{
	__asm__ volatile("cli" ::: "memory");
}
static inline void sti(void)
{
	__asm__ volatile("sti" ::: "memory");
}
/* pause (SDM vol. 2B): a spin-wait hint; under QEMU's TCG it also lets
 * the emulator's other work run. */
static inline void pause(void)
{
	__asm__ volatile("pause");
}

static inline void hlt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}
/* Save the interrupt flag and disable interrupts; restore with irq_restore. */
static inline uint64_t irq_save(void)
{
	uint64_t f = read_rflags();
	cli();
	return f;
}
static inline void irq_restore(uint64_t flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

/* Segment selectors and the task register, as loaded now. */
#define X86_READ_SEG(seg)                                                      \
	static inline uint16_t read_##seg(void)                                \
	{                                                                      \
		uint16_t v;                                                    \
		__asm__ volatile("mov %%" #seg ", %0" : "=r"(v));              \
		return v;                                                      \
	}
X86_READ_SEG(cs)
X86_READ_SEG(ss)
X86_READ_SEG(ds)
X86_READ_SEG(es)
X86_READ_SEG(fs)
X86_READ_SEG(gs)
#undef X86_READ_SEG

static inline uint16_t read_tr(void)
{
	uint16_t sel;
	__asm__ volatile("str %0" : "=r"(sel));
	return sel;
}

static inline uint64_t read_rbp(void)
{
	uint64_t v;
	__asm__ volatile("mov %%rbp, %0" : "=r"(v));
	return v;
}

#endif
