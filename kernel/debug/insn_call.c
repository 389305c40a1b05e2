/* insn_call.c — recognise a call instruction and measure it (SDM vol. 2,
 * chapter 2: prefixes, REX, ModR/M, SIB, displacement). */
#include "kernel/debug/insn_call.h"

#include <stdbool.h>

#define OP_CALL_REL32 0xe8 /* call rel32 */
#define OP_GROUP5 0xff	   /* FF /2 = call near r/m64, FF /3 = call far m */
#define GROUP5_CALL_NEAR 2 /* ModR/M reg field of FF /2 */
#define GROUP5_CALL_FAR 3  /* ModR/M reg field of FF /3 */
#define REX_FIRST 0x40	   /* REX prefixes are 0x40-0x4f in 64-bit mode */
#define REX_LAST 0x4f
#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m) ((m)&7)
#define RM_SIB 4	/* rm = 100b: a SIB byte follows */
#define RM_DISP32 5	/* mod 00, rm 101b: RIP + disp32 */
#define SIB_BASE_NONE 5 /* mod 00, base 101b: disp32, no base */
#define DISP8 1
#define DISP32 4

/* Legacy prefixes: operand/address size, segments (CS is also notrack),
 * lock, rep/repne (also bnd). */
static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x66:
	case 0x67:
	case 0x2e:
	case 0x3e:
	case 0x26:
	case 0x36:
	case 0x64:
	case 0x65:
	case 0xf0:
	case 0xf2:
	case 0xf3:
		return true;
	}
	return false;
}

/* Bytes of ModR/M, SIB and displacement starting at code[0]; 0 when they
 * run past n. */
static unsigned modrm_len(const uint8_t *code, size_t n)
{
	if (n < 1)
		return 0;
	uint8_t m = code[0];
	unsigned len = 1, mod = MODRM_MOD(m);
	if (mod == 3)
		return len;
	if (MODRM_RM(m) == RM_SIB) {
		if (n < 2)
			return 0;
		if (mod == 0 && MODRM_RM(code[1]) == SIB_BASE_NONE)
			len += DISP32;
		len++;
	} else if (mod == 0 && MODRM_RM(m) == RM_DISP32) {
		len += DISP32;
	}
	len += mod == 1 ? DISP8 : mod == 2 ? DISP32 : 0;
	return len <= n ? len : 0;
}

unsigned insn_call_len(const uint8_t *code, size_t n)
{
	size_t i = 0;
	if (n > INSN_MAX_LEN)
		n = INSN_MAX_LEN;
	while (i < n && is_legacy_prefix(code[i]))
		i++;
	if (i < n && code[i] >= REX_FIRST && code[i] <= REX_LAST)
		i++;
	if (i >= n)
		return 0;
	if (code[i] == OP_CALL_REL32)
		return i + 1 + DISP32 <= n ? (unsigned)(i + 1 + DISP32) : 0;
	if (code[i] != OP_GROUP5 || i + 1 >= n)
		return 0;
	unsigned reg = MODRM_REG(code[i + 1]);
	if (reg != GROUP5_CALL_NEAR && reg != GROUP5_CALL_FAR)
		return 0;
	unsigned m = modrm_len(code + i + 1, n - i - 1);
	return m ? (unsigned)(i + 1 + m) : 0;
}
