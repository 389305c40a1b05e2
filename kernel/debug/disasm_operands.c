/* disasm_operands.c — the disassembler's operands: registers, ModRM/SIB
 * memory forms, immediates, branch displacements, each as objdump prints it.
 */
#include "kernel/debug/disasm_priv.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

/* ---- sizes ---- */

/* The operand size in bytes (v: 16/32/64), marking 66h/REX.W used. */
unsigned dis_osize(struct dis *d)
{
	if (d->flags & F_D64) {
		dis_use_prefix(d, d->i66);
		return d->i66 != NO_PREFIX ? 2 : 8;
	}
	if (d->rex & REX_W) {
		dis_use_rex(d, REX_W);
		return 8;
	}
	dis_use_prefix(d, d->i66);
	return d->i66 != NO_PREFIX ? 2 : 4;
}

/* y: 32 or 64 bits by REX.W. */
unsigned dis_ysize(struct dis *d)
{
	dis_use_rex(d, REX_W);
	return d->rex & REX_W ? 8 : 4;
}

static unsigned opnd_size(struct dis *d, uint8_t kind)
{
	switch (kind) {
	case EB:
	case GB:
	case ZB:
	case OB:
	case XB:
	case YB:
	case AL:
		return 1;
	case EW:
	case GW:
		return 2;
	case ED:
	case GD:
		return 4;
	case EY:
	case GY:
		return dis_ysize(d);
	case RQ:
		return 8;
	default:
		return dis_osize(d);
	}
}

/* ---- registers ---- */

static const char *const gpr64[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
};
static const char *const gpr32[16] = {
    "eax", "ecx", "edx",  "ebx",  "esp",  "ebp",  "esi",  "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
};
static const char *const gpr16[16] = {
    "ax",  "cx",  "dx",	  "bx",	  "sp",	  "bp",	  "si",	  "di",
    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
};
static const char *const gpr8_rex[16] = {
    "al",  "cl",  "dl",	  "bl",	  "spl",  "bpl",  "sil",  "dil",
    "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
};
static const char *const gpr8_legacy[8] = {"al", "cl", "dl", "bl",
					   "ah", "ch", "dh", "bh"};
static const char *const seg_names[8] = {"es", "cs", "ss", "ds",
					 "fs", "gs", "?",  "?"};

/* "%name" of general register num (0-15) of size bytes. */
static void put_gpr(struct dis *d, struct sbuf *b, unsigned size, unsigned num)
{
	const char *name;
	if (size == 1 && (num & 4))
		d->rex_used |= d->rex ? REX_BASE : 0;
	if (size == 1)
		name = d->rex ? gpr8_rex[num] : gpr8_legacy[num & 7];
	else
		name = size == 2   ? gpr16[num]
		       : size == 4 ? gpr32[num]
				   : gpr64[num];
	dis_put(b, "%");
	dis_put(b, name);
	d->has_gpr = true;
}

static void put_numbered(struct sbuf *b, const char *prefix, unsigned num)
{
	char tmp[16];
	ksnprintf(tmp, sizeof tmp, "%%%s%u", prefix, num);
	dis_put(b, tmp);
}

static unsigned reg_field(struct dis *d)
{
	dis_use_rex(d, REX_R);
	return d->reg | (d->rex & REX_R ? 8 : 0);
}

static unsigned rm_field(struct dis *d)
{
	dis_use_rex(d, REX_B);
	return d->rm | (d->rex & REX_B ? 8 : 0);
}

/* ---- memory operands (SDM vol. 2, 2.1.5 and 2.2.1) ---- */

/* A signed displacement: -0x8, 0x10. */
static void put_disp(struct sbuf *b, int64_t v)
{
	if (v < 0) {
		dis_put(b, "-");
		v = (int64_t)(0 - (uint64_t)v);
	}
	dis_puthex(b, "0x%lx", (uint64_t)v);
}

struct addr_form {
	bool sib, havebase, haveindex, riprel;
	unsigned base, index, scale; /* base: 0-7, index: 0-15 */
	int64_t disp;
};

/* Read the SIB byte and displacement of a memory operand. */
static void read_addr(struct dis *d, struct addr_form *a)
{
	*a = (struct addr_form){.havebase = true, .base = d->rm};
	if (d->rm == MODRM_RM_SIB) {
		uint8_t s = (uint8_t)dis_fetch(d, 1);
		dis_use_rex(d, REX_X);
		a->sib = true;
		a->scale = s >> 6;
		a->index = ((s >> 3) & 7) | (d->rex & REX_X ? 8 : 0);
		a->haveindex = a->index != SIB_NO_INDEX;
		a->base = s & 7;
	}
	dis_use_rex(d, REX_B);
	if (d->mod == 0 && a->base == MODRM_RM_DISP) {
		a->havebase = false;
		a->riprel = !a->sib;
		a->disp = dis_fetch_s(d, 4);
	} else if (d->mod == 1) {
		a->disp = dis_fetch_s(d, 1);
	} else if (d->mod == 2) {
		a->disp = dis_fetch_s(d, 4);
	}
}

static void put_seg(struct dis *d, struct sbuf *b, const char *dflt)
{
	if (d->seg) {
		dis_use_prefix(d, d->iseg);
		dis_put(b, d->seg == PFX_SEG_FS ? "%fs:" : "%gs:");
	} else if (dflt) {
		dis_put(b, dflt);
	}
}

/* "(base,index,scale)" as objdump prints it (%riz for a SIB without
 * index when the scale or base needs one). */
static void put_regs(struct dis *d, struct sbuf *b, const struct addr_form *a,
		     bool a32, bool needindex)
{
	const char *const *names = a32 ? gpr32 : gpr64;
	dis_put(b, "(");
	if (a->havebase) {
		dis_put(b, "%");
		dis_put(b, names[a->base | (d->rex & REX_B ? 8 : 0)]);
	}
	if (a->sib && (a->scale || needindex || a->haveindex ||
		       (a->havebase && a->base != SIB_BASE_RSP))) {
		dis_put(b, ",%");
		dis_put(b, a->haveindex ? names[a->index]
			   : a32	? "eiz"
					: "riz");
		dis_puthex(b, ",%lu", 1u << a->scale);
	}
	dis_put(b, ")");
}

static void op_mem(struct dis *d, struct sbuf *b)
{
	struct addr_form a;
	bool a32 = d->i67 != NO_PREFIX, needindex = false, needaddr32 = false;
	read_addr(d, &a);
	if (a.sib && !a.havebase && !a.haveindex) {
		if (a32) {
			a.disp &= 0xffffffff;
			needindex = true;
		}
		needaddr32 = true;
	}
	bool havedisp =
	    a.havebase || needindex || (a.sib && (a.haveindex || a.scale != 0));
	if (a.havebase || a.haveindex || needindex || needaddr32 || a.riprel)
		dis_use_prefix(d, d->i67);
	put_seg(d, b, 0);
	if (d->mod != 0 || a.base == MODRM_RM_DISP) {
		if (havedisp || a.riprel)
			put_disp(b, a.disp);
		else
			dis_puthex(b, "0x%lx", (uint64_t)a.disp);
	}
	if (a.riprel) {
		dis_put(b, a32 ? "(%eip)" : "(%rip)");
		d->riprel = true;
		d->disp = a.disp;
	}
	if (havedisp)
		put_regs(d, b, &a, a32, needindex);
	d->mem = true;
}

/* ---- operand kinds ---- */

/* True when mod contradicts the kind: memory-only kinds given a register
 * or register-only kinds given memory. */
static bool wrong_mod(const struct dis *d, uint8_t kind)
{
	bool reg = d->mod == MODRM_MOD_REG;
	if (kind == MM || kind == MJ)
		return reg;
	return (kind == UX || kind == NX) && !reg;
}

/* Kinds whose memory form has a size (for the suffix). */
static bool sized(uint8_t kind)
{
	return kind >= EB && kind <= EJ;
}

/* ModRM r/m: a register of the kind's size, or memory. */
static void op_e(struct dis *d, uint8_t kind, struct sbuf *b)
{
	if (wrong_mod(d, kind)) {
		d->bad = true;
		return;
	}
	if (kind == EJ || kind == MJ)
		dis_put(b, "*");
	if (d->mod != MODRM_MOD_REG) {
		if (sized(kind))
			d->sfx_size = opnd_size(d, kind);
		op_mem(d, b);
	} else if (kind == WX || kind == UX) {
		put_numbered(b, "xmm", rm_field(d));
	} else if (kind == QX || kind == NX) {
		put_numbered(b, "mm", d->rm); /* mm0-mm7: REX.B unused */
	} else {
		put_gpr(d, b, opnd_size(d, kind), rm_field(d));
	}
}

/* 64-bit register from rm whatever mod says (mov to/from CRn, DRn). */
static void op_rq(struct dis *d, uint8_t kind, struct sbuf *b)
{
	put_gpr(d, b, opnd_size(d, kind), rm_field(d));
}

/* ModRM reg. */
static void op_g(struct dis *d, uint8_t kind, struct sbuf *b)
{
	switch (kind) {
	case SW:
		dis_put(b, "%");
		dis_put(b, seg_names[d->reg]);
		return;
	case CR:
		put_numbered(b, "cr", reg_field(d));
		return;
	case DR:
		put_numbered(b, "db", reg_field(d));
		return;
	case VX:
		put_numbered(b, "xmm", reg_field(d));
		return;
	case PX:
		put_numbered(b, "mm", d->reg);
		return;
	default:
		put_gpr(d, b, opnd_size(d, kind), reg_field(d));
	}
}

/* Immediate value of the kind, sized and extended as objdump shows it. */
static uint64_t imm_value(struct dis *d, uint8_t kind)
{
	unsigned os = kind == IB || kind == IW ? 0 : dis_osize(d);
	uint64_t mask = os == 2 ? WORD_MASK : os == 4 ? 0xffffffffu : ~0ull;
	switch (kind) {
	case IB:
		return dis_fetch(d, 1);
	case IW:
		return dis_fetch(d, 2);
	case SB:
	case PB:
		return (uint64_t)dis_fetch_s(d, 1) & mask;
	case IV:
		if (os == 8) {
			d->movabs = "movabs";
			return dis_fetch(d, 8);
		}
		/* fall through */
	default: /* IZ, PZ */
		return os == 2 ? dis_fetch(d, 2)
			       : (uint64_t)dis_fetch_s(d, 4) & mask;
	}
}

static void op_imm(struct dis *d, uint8_t kind, struct sbuf *b)
{
	d->imm = imm_value(d, kind);
	dis_puthex(b, "$0x%lx", d->imm);
}

static void op_jump(struct dis *d, uint8_t kind, struct sbuf *b)
{
	(void)b; /* printed at the end, once the length is known */
	d->branch = true;
	if (kind == JB) {
		d->disp = dis_fetch_s(d, 1);
	} else if (dis_osize(d) == 2) {
		d->disp = dis_fetch_s(d, 2);
		d->branch_mask = WORD_MASK;
	} else {
		d->disp = dis_fetch_s(d, 4);
	}
}

/* Registers fixed by the opcode. */
static void op_fixed(struct dis *d, uint8_t kind, struct sbuf *b)
{
	switch (kind) {
	case AL:
	case AX:
		put_gpr(d, b, opnd_size(d, kind), 0);
		return;
	case AXP:
		dis_use_prefix(d, d->i66);
		put_gpr(d, b, d->i66 != NO_PREFIX ? 2 : 4, 0);
		return;
	case CL:
		dis_put(b, "%cl");
		return;
	case DX:
		dis_put(b, "(%dx)");
		return;
	default:
		dis_put(b, kind == RFS ? "%fs" : "%gs");
	}
}

/* Register in the opcode's low three bits. */
static void op_z(struct dis *d, uint8_t kind, struct sbuf *b)
{
	dis_use_rex(d, REX_B);
	put_gpr(d, b, opnd_size(d, kind),
		(d->opcode & 7) | (d->rex & REX_B ? 8 : 0));
}

/* movabs's absolute offset: 64 bits (32 with 67h, then "mov"). */
static void op_moffs(struct dis *d, uint8_t kind, struct sbuf *b)
{
	bool a32 = d->i67 != NO_PREFIX;
	d->sfx_size = opnd_size(d, kind);
	d->movabs = a32 ? "mov" : "movabs";
	put_seg(d, b, 0);
	dis_puthex(b, "0x%lx", dis_fetch(d, a32 ? 4 : 8));
	d->mem = true;
}

/* String operands: %ds:(%rsi) (segment can be overridden), %es:(%rdi). */
static void op_str(struct dis *d, uint8_t kind, struct sbuf *b)
{
	bool a32 = d->i67 != NO_PREFIX;
	dis_use_prefix(d, d->i67);
	d->sfx_size = kind == XL ? 0 : opnd_size(d, kind);
	if (kind == YB || kind == YV) {
		dis_put(b, a32 ? "%es:(%edi)" : "%es:(%rdi)");
	} else {
		dis_use_prefix(d,
			       d->iseg); /* objdump drops any segment prefix */
		put_seg(d, b, "%ds:");
		dis_put(b, kind == XL ? (a32 ? "(%ebx)" : "(%rbx)")
				      : (a32 ? "(%esi)" : "(%rsi)"));
	}
	d->mem = true;
}

/* x87 stack registers. */
static void op_st(struct dis *d, uint8_t kind, struct sbuf *b)
{
	if (kind == ST0)
		dis_put(b, "%st");
	else
		dis_puthex(b, "%%st(%lu)", d->rm);
}

typedef void (*opnd_fn)(struct dis *d, uint8_t kind, struct sbuf *b);

static const opnd_fn opnd_fns[DIS_OPND_COUNT] = {
    [EB] = op_e,      [EW] = op_e,     [ED] = op_e,	[EV] = op_e,
    [EY] = op_e,      [E64] = op_e,    [EJ] = op_e,	[ES] = op_e,
    [MM] = op_e,      [MJ] = op_e,     [WX] = op_e,	[UX] = op_e,
    [RQ] = op_rq,     [GB] = op_g,     [GW] = op_g,	[GV] = op_g,
    [GY] = op_g,      [GD] = op_g,     [SW] = op_g,	[CR] = op_g,
    [DR] = op_g,      [VX] = op_g,     [PX] = op_g,	[QX] = op_e,
    [NX] = op_e,      [IB] = op_imm,   [IW] = op_imm,	[IZ] = op_imm,
    [IV] = op_imm,    [SB] = op_imm,   [PB] = op_imm,	[PZ] = op_imm,
    [JB] = op_jump,   [JZ] = op_jump,  [AL] = op_fixed, [AX] = op_fixed,
    [AXP] = op_fixed, [CL] = op_fixed, [DX] = op_fixed, [RFS] = op_fixed,
    [RGS] = op_fixed, [ZB] = op_z,     [ZV] = op_z,	[Z64] = op_z,
    [OB] = op_moffs,  [OV] = op_moffs, [XB] = op_str,	[XV] = op_str,
    [YB] = op_str,    [YV] = op_str,   [XL] = op_str,	[ST0] = op_st,
    [STI] = op_st,
};

static bool needs_modrm(uint8_t kind)
{
	return kind >= EB && kind <= NX;
}

int dis_operand_count(const struct dis *d)
{
	int n = 0;
	while (n < 3 && d->ops[n] != ON)
		n++;
	return n;
}

/* The kind as decoded: MMX kinds become SSE ones under 66h. */
static uint8_t actual_kind(const struct dis *d, uint8_t kind)
{
	if (!d->xmm)
		return kind;
	return kind == PX ? VX : kind == QX ? WX : kind == NX ? UX : kind;
}

/* Decode the operands into d->op[]. */
void dis_decode_operands(struct dis *d)
{
	int n = dis_operand_count(d);
	for (int i = 0; i < n; i++)
		if (needs_modrm(d->ops[i]) && !dis_fetch_modrm(d))
			return;
	for (int i = 0; i < n && !d->bad && !d->truncated; i++) {
		struct sbuf b = {d->op[i], OPND_MAX, 0};
		dis_put(&b, "");
		uint8_t kind = actual_kind(d, d->ops[i]);
		opnd_fns[kind](d, kind, &b);
	}
}
