/* fpregs.c — known x87 and SSE values for the debugger's tests: stops at
 * fpregs_stop with them loaded, keeps xmm1 and xmm2 across a console read
 * and prints what they hold then (a debugger may have changed them). */
#include "user/lib/ulib.h"

#define LINE_MAX 80
#define MXCSR_IN 0x9fc0 /* exceptions masked, DAZ (bit 6) and FZ (bit 15) */

static const uint32_t xmm_in[4][4] = {
    {0x3f800000, 0x40000000, 0x40400000, 0x40800000}, /* 1.0f .. 4.0f */
    {0x11111111, 0x22222222, 0x33333333, 0x44444444},
    {0xa5a5a5a5, 0x5a5a5a5a, 0xdeadbeef, 0x01234567},
    {0x00000000, 0x400c0000, 0x9999999a, 0xc0599999}, /* 3.5, -102.4 */
};
const double fpregs_operand = -2.5; /* loaded from memory */
static uint32_t xmm_out[2][4];

/* x87: 1, pi, then -2.5 (ST0) from memory; then a read from the console
 * with everything still loaded. */
static long load_and_read(char *line)
{
	uint32_t mxcsr = MXCSR_IN;
	long r = SYS_read;
	__asm__ volatile("movdqu 0(%[x]), %%xmm0\n\t"
			 "movdqu 16(%[x]), %%xmm1\n\t"
			 "movdqu 32(%[x]), %%xmm2\n\t"
			 "movdqu 48(%[x]), %%xmm3\n\t"
			 "ldmxcsr %[m]\n\t"
			 "fninit\n\t"
			 "fld1\n\t"
			 "fldpi\n\t"
			 "fldl fpregs_operand(%%rip)\n"
			 ".globl fpregs_stop\n"
			 "fpregs_stop:\n\t"
			 "nop\n\t"
			 "syscall\n"
			 ".globl fpregs_done\n"
			 "fpregs_done:\n\t"
			 "movdqu %%xmm1, 0(%[o])\n\t"
			 "movdqu %%xmm2, 16(%[o])\n\t"
			 "fstp %%st(0)\n\t"
			 "fstp %%st(0)\n\t"
			 "fstp %%st(0)"
			 : "+a"(r)
			 : [x] "r"(xmm_in), [o] "r"(xmm_out), [m] "m"(mxcsr),
			   "D"(FD_STDIN), "S"(line), "d"(LINE_MAX - 1)
			 : "rcx", "r11", "xmm0", "xmm1", "xmm2", "xmm3",
			   "memory");
	return r;
}

int main(void)
{
	char line[LINE_MAX];
	printf("fpregs: loading x87 and SSE registers\n");
	if (load_and_read(line) < 0)
		return 1;
	printf("fpregs: xmm1 %08x %08x %08x %08x xmm2 %08x %08x %08x %08x\n",
	       xmm_out[0][0], xmm_out[0][1], xmm_out[0][2], xmm_out[0][3],
	       xmm_out[1][0], xmm_out[1][1], xmm_out[1][2], xmm_out[1][3]);
	return 0;
}
