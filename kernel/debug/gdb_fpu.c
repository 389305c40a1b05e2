/* gdb_fpu.c — GDB's x87 and SSE registers in an FXSAVE area. */
#include "kernel/debug/gdb_fpu.h"
#include "kernel/debug/gdbstub.h"
#include "kernel/lib/string.h"

/* FXSAVE64 layout (SDM vol. 1, 10.5.1, table 10-2). */
#define FX_FCW 0	 /* x87 control word */
#define FX_FSW 2	 /* x87 status word, TOP in bits 13:11 */
#define FX_FTW 4	 /* abridged tag: bit i set = physical R(i) in use */
#define FX_FOP 6	 /* last x87 opcode, 11 bits */
#define FX_FIP 8	 /* last instruction pointer, 64 bits */
#define FX_FDP 16	 /* last data pointer, 64 bits */
#define FX_MXCSR 24	 /* SSE control/status */
#define FX_MXCSR_MASK 28 /* MXCSR bits FXRSTOR accepts; 0 means 0xffbf */
#define FX_ST0 32	 /* ST(i) at FX_ST0 + 16 i, 10 bytes used */
#define FX_XMM0 160	 /* XMM(i) at FX_XMM0 + 16 i */
#define FX_SLOT 16
#define ST_BYTES 10
#define XMM_BYTES 16
#define FSW_TOP_SHIFT 11
#define FOP_MASK 0x7ffu
#define MXCSR_MASK_DEFAULT 0xffbfu /* SDM vol. 1, 11.6.6 */

/* x87 tag values (SDM vol. 1, 8.1.7), two bits per physical register. */
enum { TAG_VALID, TAG_ZERO, TAG_SPECIAL, TAG_EMPTY };
#define EXP_MASK 0x7fffu
#define EXP_MAX 0x7fffu		 /* infinities and NaNs */
#define INTEGER_BIT (1ull << 63) /* the explicit leading 1 */

/* Little-endian loads and stores of n (<= 8) bytes. */
static uint64_t get_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The tag an in-use 80-bit register earns from its contents. */
static unsigned tag_of(const uint8_t *st)
{
	uint64_t mant = get_le(st, 8);
	unsigned exp = (unsigned)get_le(st + 8, 2) & EXP_MASK;
	if (exp == EXP_MAX)
		return TAG_SPECIAL;
	if (exp == 0)
		return mant ? TAG_SPECIAL : TAG_ZERO; /* denormal or zero */
	return (mant & INTEGER_BIT) ? TAG_VALID : TAG_SPECIAL; /* unnormal */
}

/* FXSAVE keeps one bit per register; GDB shows the full tag word. R(i)
 * is ST((i - TOP) mod 8), stored at FX_ST0 + 16 * that. */
static uint16_t full_tag(const uint8_t *fx)
{
	unsigned top = ((unsigned)get_le(fx + FX_FSW, 2) >> FSW_TOP_SHIFT) & 7;
	uint16_t tag = 0;
	for (unsigned i = 0; i < 8; i++) {
		unsigned t = TAG_EMPTY;
		if (fx[FX_FTW] & (1u << i))
			t = tag_of(fx + FX_ST0 + FX_SLOT * ((i - top) & 7));
		tag |= (uint16_t)(t << (2 * i));
	}
	return tag;
}

static uint8_t abridged_tag(uint32_t full)
{
	uint8_t abr = 0;
	for (unsigned i = 0; i < 8; i++)
		if (((full >> (2 * i)) & 3) != TAG_EMPTY)
			abr |= (uint8_t)(1u << i);
	return abr;
}

/* Where a 32-bit control register lives: offset and bytes in FXSAVE.
 * In 64-bit mode FIP and FDP are 64 bits: GDB shows their low halves as
 * fioff/fooff and the high ones as fiseg/foseg (amd64-tdep.c does). */
struct fx_field {
	uint8_t off, bytes;
};
static const struct fx_field ctl_fields[] = {
    [GDB_REG_FCTRL - GDB_REG_FCTRL] = {FX_FCW, 2},
    [GDB_REG_FSTAT - GDB_REG_FCTRL] = {FX_FSW, 2},
    [GDB_REG_FTAG - GDB_REG_FCTRL] = {FX_FTW, 1}, /* converted */
    [GDB_REG_FISEG - GDB_REG_FCTRL] = {FX_FIP + 4, 4},
    [GDB_REG_FIOFF - GDB_REG_FCTRL] = {FX_FIP, 4},
    [GDB_REG_FOSEG - GDB_REG_FCTRL] = {FX_FDP + 4, 4},
    [GDB_REG_FOOFF - GDB_REG_FCTRL] = {FX_FDP, 4},
    [GDB_REG_FOP - GDB_REG_FCTRL] = {FX_FOP, 2},
};

bool gdb_fpu_reg(enum gdb_reg_id id)
{
	return (id >= GDB_REG_ST0 && id <= GDB_REG_FOP) ||
	       (id >= GDB_REG_XMM0 && id <= GDB_REG_MXCSR);
}

/* Is register id stored in FXSAVE as GDB sees it (st, xmm, mxcsr: at
 * *off), not converted (the x87 control registers)? *n is GDB's size. */
static bool raw_bytes(enum gdb_reg_id id, size_t *off, size_t *n)
{
	*n = 4;
	if (id >= GDB_REG_ST0 && id <= GDB_REG_ST7) {
		*n = ST_BYTES;
		*off = FX_ST0 + FX_SLOT * (id - GDB_REG_ST0);
	} else if (id >= GDB_REG_XMM0 && id <= GDB_REG_XMM15) {
		*n = XMM_BYTES;
		*off = FX_XMM0 + FX_SLOT * (id - GDB_REG_XMM0);
	} else if (id == GDB_REG_MXCSR) {
		*off = FX_MXCSR;
	} else {
		return false;
	}
	return true;
}

int gdb_fpu_get(const uint8_t *fx, enum gdb_reg_id id, void *buf, size_t size)
{
	size_t off, n;
	bool raw = raw_bytes(id, &off, &n);
	if (!gdb_fpu_reg(id) || size != n)
		return -GDB_EINVAL;
	if (raw) {
		memcpy(buf, fx + off, n);
		return 0;
	}
	const struct fx_field *f = &ctl_fields[id - GDB_REG_FCTRL];
	uint64_t v = get_le(fx + f->off, f->bytes);
	if (id == GDB_REG_FTAG)
		v = full_tag(fx);
	else if (id == GDB_REG_FOP)
		v &= FOP_MASK;
	put_le(buf, v, 4);
	return 0;
}

int gdb_fpu_put(uint8_t *fx, enum gdb_reg_id id, const void *buf, size_t size)
{
	size_t off, n;
	bool raw = raw_bytes(id, &off, &n);
	if (!gdb_fpu_reg(id) || size != n)
		return -GDB_EINVAL;
	uint32_t v = (uint32_t)get_le(buf, 4);
	if (id == GDB_REG_MXCSR) {
		uint32_t mask = (uint32_t)get_le(fx + FX_MXCSR_MASK, 4);
		if (v & ~(mask ? mask : MXCSR_MASK_DEFAULT))
			return -GDB_EINVAL;
	}
	if (raw) {
		memcpy(fx + off, buf, n);
		return 0;
	}
	const struct fx_field *f = &ctl_fields[id - GDB_REG_FCTRL];
	if (id == GDB_REG_FTAG)
		v = abridged_tag(v);
	else if (id == GDB_REG_FOP)
		v &= FOP_MASK;
	put_le(fx + f->off, v, f->bytes);
	return 0;
}
