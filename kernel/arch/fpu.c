/* fpu.c — turns on x87/SSE for ring 3 and keeps the initial FXSAVE image. */
#include "kernel/arch/cpufeat.h"
#include "kernel/arch/fpu.h"
#include "kernel/arch/x86.h"
#include "kernel/lib/string.h"

/* CR0 (SDM vol. 3A, 2.5): MP with EM clear runs x87 code natively, NE
 * reports x87 errors as #MF, TS clear: no #NM (state is switched eagerly). */
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)
/* CR4: OSFXSR enables FXSAVE/FXRSTOR of XMM state and SSE instructions,
 * OSXMMEXCPT unmasked SIMD exceptions as #XM. */
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define MXCSR_DEFAULT 0x1f80u /* all SIMD exceptions masked, round nearest */

static struct fpu_state initial;

bool fpu_init(void)
{
	if (!cpu_has("fxsr") || !cpu_has("sse2"))
		return false;
	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	uint32_t mxcsr = MXCSR_DEFAULT;
	__asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr));
	fpu_save(&initial);
	return true;
}

void fpu_state_reset(struct fpu_state *s)
{
	memcpy(s, &initial, sizeof *s);
}
