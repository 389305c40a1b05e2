/* disasm_priv.h — the disassembler's opcode tables: the shape shared by the
 * decoder (disasm.c) and the data (disasm_tables.c). */
#ifndef KERNEL_DEBUG_DISASM_PRIV_H
#define KERNEL_DEBUG_DISASM_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Operand kinds, named after the SDM's opcode-map notation (vol. 2, A.2):
 * the letter says where the operand comes from, the rest its size.
 * v = 16/32/64 bits by 66h/REX.W, y = 32/64 by REX.W, z = 16/32,
 * 64 = 64 bits unless 66h makes it 16 (push, pop, near branches). */
enum dis_opnd {
	ON, /* no operand */
	/* ModRM r/m: a register or memory */
	EB,
	EW,
	ED,
	EV,
	EY,
	E64,
	EJ, /* indirect branch target: '*' then like E64 */
	ES, /* mov to/from a segment register: v register or memory */
	/* ModRM r/m: memory only (a register there is (bad)) */
	MM, /* memory of no printed size (lea, lgdt, invlpg...) */
	MJ, /* far indirect branch: '*' then memory */
	/* ModRM r/m: register only, whatever mod says */
	RQ, /* 64-bit register (mov to/from CRn/DRn) */
	/* ModRM reg */
	GB,
	GW,
	GV,
	GY,
	GD, /* 32-bit register whatever REX.W says (pextrw, movmskps) */
	SW, /* segment register */
	CR, /* control register */
	DR, /* debug register */
	VX, /* xmm register */
	/* ModRM r/m for SSE: WX xmm or memory, UX xmm register only */
	WX,
	UX,
	/* MMX: PX mm from reg, QX mm or memory, NX mm register only (with
	 * F_MMX, 66h turns them into VX, WX, UX) */
	PX,
	QX,
	NX,
	/* immediates */
	IB, /* 8 bits, unsigned */
	IW, /* 16 bits */
	IZ, /* 16/32 bits; sign-extended to 64 with REX.W */
	IV, /* like IZ, but 64 bits with REX.W (mov r64, imm64) */
	SB, /* 8 bits sign-extended to the operand size */
	PB, /* push imm8: sign-extended to 64 (16 with 66h) */
	PZ, /* push imm32: sign-extended to 64 (imm16 with 66h) */
	/* relative branch targets */
	JB,
	JZ,
	/* registers fixed by the opcode */
	AL,
	AX,  /* ax/eax/rax by operand size */
	AXP, /* in/out: ax or eax (66h), REX.W ignored */
	CL,
	DX,  /* port in dx: "(%dx)" */
	RFS, /* %fs */
	RGS, /* %gs */
	/* register in the opcode's low 3 bits (+ REX.B) */
	ZB,
	ZV,
	Z64,
	/* absolute memory offset (movabs) */
	OB,
	OV,
	/* string operands: X = %ds:(%rsi), Y = %es:(%rdi) */
	XB,
	XV,
	YB,
	YV,
	XL, /* xlat: %ds:(%rbx) */
	/* x87 stack: ST0 = %st, STI = %st(i) from ModRM.rm */
	ST0,
	STI,
	DIS_OPND_COUNT
};

/* Entry flags. */
#define F_SFX (1u << 0)	     /* size suffix when no operand is a register */
#define F_SFXV (1u << 1)     /* always the operand-size suffix (movzbl) */
#define F_CC (1u << 2)	     /* append the condition code of opcode & 15 */
#define F_D64 (1u << 3)	     /* operand size 64 by default, REX.W unused */
#define F_STR (1u << 4)	     /* string instruction: F3h prints as "rep" */
#define F_NOREV (1u << 5)    /* operands in the SDM's order (enter) */
#define F_CALL (1u << 6)     /* branch kinds, for disasm_info and "bnd" */
#define F_JMP (1u << 7)	     /* unconditional jump */
#define F_JCC (1u << 8)	     /* conditional branch */
#define F_RET (1u << 9)	     /* return */
#define F_GRP (1u << 10)     /* idx: dis_groups[], ModRM.reg selects */
#define F_PFX (1u << 11)     /* idx: dis_pfx_rows[], 66/F3/F2 select */
#define F_RM (1u << 12)	     /* idx: dis_rm_rows[], ModRM.rm selects */
#define F_ASZ (1u << 13)     /* name variants by address size, not REX.W */
#define F_HINT (1u << 14)    /* 2Eh/3Eh print as ",pn"/",pt" (jcc) */
#define F_NOTRACK (1u << 15) /* 3Eh prints as "notrack" (indirect jmp) */
#define F_KEEP (1u << 16)    /* the prefix that chose this row still prints */
#define F_BND (1u << 17)     /* F2h prints as "bnd" (near branches) */
#define F_MMX (1u << 18)     /* mm operands; xmm with 66h, (bad) with F2/F3 */
#define F_HLE1 (1u << 19)    /* F2h/F3h are xacquire/xrelease with lock */
#define F_HLE2 (1u << 20)    /* ... even without lock (xchg) */
#define F_HLE3 (1u << 21)    /* F3h is xrelease (mov to memory) */
#define F_CMP (1u << 22)     /* cmpps...: an imm8 below 8 names the predicate */
#define F_66 (1u << 23)	     /* needs 66h (then consumed); (bad) with F2/F3 */
#define F_SFXM (1u << 24)    /* size suffix whenever the r/m is memory */

/* One opcode. name may list variants "w|l|q" chosen by operand size (three)
 * or "d|q" by REX.W (two; by address size with F_ASZ). Operands are in the
 * SDM's (Intel) order; an entry without operands under a group or prefix
 * row inherits those of the entry that led to it. */
struct dis_entry {
	const char *name;
	uint8_t op[3];
	uint8_t idx; /* for F_GRP, F_PFX, F_RM */
	uint32_t flags;
};

/* ModRM.reg selects one of 8; reg == 0 means register forms use mem. */
struct dis_group {
	const struct dis_entry *mem;
	const struct dis_entry *reg;
};

/* Mandatory-prefix rows: none, 66h, F3h, F2h. */
enum { PFX_NONE, PFX_66, PFX_F3, PFX_F2, PFX_ROW };

extern const struct dis_entry dis_map1[256];  /* one-byte opcodes */
extern const struct dis_entry dis_map2[256];  /* 0F xx */
extern const struct dis_entry dis_map38[256]; /* 0F 38 xx */
extern const struct dis_entry dis_map3a[256]; /* 0F 3A xx (imm8 follows) */
extern const struct dis_group dis_groups[];
extern const struct dis_entry dis_pfx_rows[][PFX_ROW];
extern const struct dis_entry dis_rm_rows[][8];

/* ---- the decoder's state, shared by disasm.c and disasm_operands.c ---- */

#define MAX_PREFIXES 14 /* objdump prints 14 prefix bytes on their own */
#define OPND_MAX 48	/* one operand's text */
#define NO_PREFIX (-1)

/* REX prefix bits (SDM vol. 2, 2.2.1.2) and the 0100b high nibble. */
#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8
#define REX_BASE 0x40

/* Legacy prefixes (SDM vol. 2, 2.1.1). */
#define PFX_LOCK 0xf0
#define PFX_REPNZ 0xf2
#define PFX_REPZ 0xf3
#define PFX_OPSIZE 0x66
#define PFX_ADSIZE 0x67
#define PFX_SEG_ES 0x26
#define PFX_SEG_CS 0x2e
#define PFX_SEG_SS 0x36
#define PFX_SEG_DS 0x3e
#define PFX_SEG_FS 0x64
#define PFX_SEG_GS 0x65
#define MODRM_RM_SIB 4	  /* rm = 100b: a SIB byte follows */
#define MODRM_RM_DISP 5	  /* rm/base = 101b with mod 00: disp32 */
#define MODRM_MOD_REG 3	  /* mod = 11b: register operand */
#define SIB_NO_INDEX 4	  /* index = 100b without REX.X: none */
#define SIB_BASE_RSP 4	  /* base = 100b: rsp/r12 */
#define WORD_MASK 0xffffu /* 16-bit wrap of a 66h near branch */

struct sbuf {
	char *p;
	size_t n, len;
};

/* The decoder's state for one instruction. */
struct dis {
	const uint8_t *buf;
	size_t len, pos;
	uint64_t addr;
	bool truncated;
	uint8_t pfx[MAX_PREFIXES];
	const char *pfx_name[MAX_PREFIXES]; /* renamed (rep, bnd, notrack) */
	bool pfx_used[MAX_PREFIXES];
	unsigned npfx;
	int i66, i67, iseg, irep, irex; /* the last of each kind */
	int if2, if3, ilock;		/* irep is the later of if2, if3 */
	uint8_t rex, rex_used, seg;	/* seg: 64h/65h, the only live ones */
	uint8_t opcode;
	unsigned opcode_len; /* 1, 2 (0F xx) or 3 (0F 38 xx, 0F 3A xx) */
	bool has_modrm;
	uint8_t mod, reg, rm;
	int consumed; /* the mandatory prefix that chose a row */
	const struct dis_entry *e;
	const uint8_t *ops;
	uint32_t flags;
	const char *movabs; /* name override (mov imm64, moffs) */
	unsigned sfx_size;
	bool has_gpr, mem, bad;
	bool xmm; /* F_MMX with 66h: xmm registers instead of mm */
	bool riprel, branch;
	int64_t disp; /* rip-relative or branch displacement */
	uint64_t imm; /* the last immediate (F_CMP's predicate) */
	unsigned branch_mask;
	char op[3][OPND_MAX];
};

/* Append s to b (truncating, always NUL-terminated when b has room). */
void dis_put(struct sbuf *b, const char *s);
/* Append v formatted by fmt (one %lx conversion). */
void dis_puthex(struct sbuf *b, const char *fmt, uint64_t v);
/* The next n bytes little-endian (sign-extended by dis_fetch_s); past the
 * buffer's end they read as 0 and d->truncated is set. */
uint64_t dis_fetch(struct dis *d, unsigned n);
int64_t dis_fetch_s(struct dis *d, unsigned n);
/* Fetch and split the ModRM byte once; false when the buffer ended. */
bool dis_fetch_modrm(struct dis *d);
/* Mark a REX bit, or the prefix at index i (NO_PREFIX: none), as used. */
void dis_use_rex(struct dis *d, uint8_t bit);
void dis_use_prefix(struct dis *d, int i);
/* Operand size in bytes: v (16/32/64 by 66h, REX.W, F_D64) and y (32/64). */
unsigned dis_osize(struct dis *d);
unsigned dis_ysize(struct dis *d);
/* The entry's operand count, and their decoding into d->op[]. */
int dis_operand_count(const struct dis *d);
void dis_decode_operands(struct dis *d);

#endif
