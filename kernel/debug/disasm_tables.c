/* disasm_tables.c — x86-64 opcode maps as data (SDM vol. 2, appendix A), with
 * the mnemonics GNU objdump prints in AT&T syntax. */
#include "kernel/debug/disasm_priv.h"

/* Entry shorthands: N no operands, O1-O3 with operands (Intel order),
 * GRP/PFX/RMR lead on to a group, a prefix row or an rm row. */
#define N(n, f)                                                                \
	{                                                                      \
		n, {ON, ON, ON}, 0, f                                          \
	}
#define O1(n, a, f)                                                            \
	{                                                                      \
		n, {a, ON, ON}, 0, f                                           \
	}
#define O2(n, a, b, f)                                                         \
	{                                                                      \
		n, {a, b, ON}, 0, f                                            \
	}
#define O3(n, a, b, c, f)                                                      \
	{                                                                      \
		n, {a, b, c}, 0, f                                             \
	}
#define GRP(i, a, b, f)                                                        \
	{                                                                      \
		0, {a, b, ON}, i, F_GRP | (f)                                  \
	}
#define PFX(i, a, b, c)                                                        \
	{                                                                      \
		0, {a, b, c}, i, F_PFX                                         \
	}
#define RMR(i)                                                                 \
	{                                                                      \
		0, {ON, ON, ON}, i, F_RM                                       \
	}

enum {
	G1,
	G1A,
	G2,
	G3B,
	G3V,
	G4,
	G5,
	G11B,
	G11V,
	G6,
	G7,
	G8,
	G9,
	G15,
	G16,
	GPREF,
	GNOP,
	G1C,
	G1E_F3,
	GNOPK,
	G12,
	G13,
	G14,
	GX87, /* eight groups, one per opcode D8-DF */
};

enum {
	R_NOP90,
	R_POPCNT,
	R_TZCNT,
	R_LZCNT,
	R_1E,
	R_RDPID,
	R_FSBASE0,
	R_FSBASE1,
	R_FSBASE2,
	R_FSBASE3,
	/* SSE */
	R_MOVU,
	R_MOVU_ST,
	R_MOVL,
	R_MOVL_ST,
	R_UNPCKL,
	R_UNPCKH,
	R_MOVH,
	R_MOVH_ST,
	R_MOVA,
	R_MOVA_ST,
	R_CVTI2F,
	R_CVTTF2I,
	R_CVTF2I,
	R_UCOMI,
	R_COMI,
	R_SQRT,
	R_AND,
	R_ANDN,
	R_OR,
	R_XOR,
	R_ADD,
	R_MUL,
	R_CVTF2F,
	R_CVTDQ,
	R_SUB,
	R_MIN,
	R_DIV,
	R_MAX,
	R_PSRLDQ,
	R_PSLLDQ,
	R_PUNPCKLQDQ,
	R_PUNPCKHQDQ,
	R_MOVD,
	R_MOVDQ,
	R_PSHUF,
	R_MOVD_ST,
	R_MOVDQ_ST,
	R_SHUF,
	R_MOVQ_ST,
	R_MOVNTDQ,
};

enum {
	RM_G7_0,
	RM_G7_1,
	RM_G7_2,
	RM_G7_7,
	RM_1E_F3_7,
	RM_D9_2,
	RM_D9_4,
	RM_D9_5,
	RM_D9_6,
	RM_D9_7,
	RM_DA_5,
	RM_DB_4,
	RM_DE_3,
	RM_DF_4,
	RM_XABORT,
	RM_XBEGIN,
};

/* The six ALU forms of add/or/adc/sbb/and/sub/xor/cmp at base; h is
 * F_HLE1 for those that can be locked. */
#define ALU(base, n, h)                                                        \
	[base] = O2(n, EB, GB, F_SFX | (h)),                                   \
	[base + 1] = O2(n, EV, GV, F_SFX | (h)),                               \
	[base + 2] = O2(n, GB, EB, F_SFX), [base + 3] = O2(n, GV, EV, F_SFX),  \
	[base + 4] = O2(n, AL, IB, F_SFX), [base + 5] = O2(n, AX, IZ, F_SFX)

/* Eight entries of one kind at base (push r, pop r, mov r, imm...). */
#define ROW8(base, ...)                                                        \
	[base] = __VA_ARGS__, [base + 1] = __VA_ARGS__,                        \
	[base + 2] = __VA_ARGS__, [base + 3] = __VA_ARGS__,                    \
	[base + 4] = __VA_ARGS__, [base + 5] = __VA_ARGS__,                    \
	[base + 6] = __VA_ARGS__, [base + 7] = __VA_ARGS__
#define ROW16(base, ...) ROW8(base, __VA_ARGS__), ROW8(base + 8, __VA_ARGS__)

const struct dis_entry dis_map1[256] = {
    ALU(0x00, "add", F_HLE1),
    ALU(0x08, "or", F_HLE1),
    ALU(0x10, "adc", F_HLE1),
    ALU(0x18, "sbb", F_HLE1),
    ALU(0x20, "and", F_HLE1),
    ALU(0x28, "sub", F_HLE1),
    ALU(0x30, "xor", F_HLE1),
    ALU(0x38, "cmp", 0),
    ROW8(0x50, O1("push", Z64, F_D64)),
    ROW8(0x58, O1("pop", Z64, F_D64)),
    [0x63] = O2("movsxd|movsxd|movslq", GV, ED, 0),
    [0x68] = O1("push", PZ, F_SFX | F_D64),
    [0x69] = O3("imul", GV, EV, IZ, 0),
    [0x6a] = O1("push", PB, F_SFX | F_D64),
    [0x6b] = O3("imul", GV, EV, SB, 0),
    [0x6c] = O2("insb", YB, DX, F_STR),
    [0x6d] = O2("insw|insl|insl", YV, DX, F_STR),
    [0x6e] = O2("outsb", DX, XB, F_STR),
    [0x6f] = O2("outsw|outsl|outsl", DX, XV, F_STR),
    ROW16(0x70, O1("j", JB, F_CC | F_JCC | F_HINT | F_BND)),
    [0x80] = GRP(G1, EB, IB, 0),
    [0x81] = GRP(G1, EV, IZ, 0),
    [0x83] = GRP(G1, EV, SB, 0),
    [0x84] = O2("test", EB, GB, F_SFX),
    [0x85] = O2("test", EV, GV, F_SFX),
    [0x86] = O2("xchg", EB, GB, F_SFX | F_HLE2),
    [0x87] = O2("xchg", EV, GV, F_SFX | F_HLE2),
    [0x88] = O2("mov", EB, GB, F_SFX | F_HLE3),
    [0x89] = O2("mov", EV, GV, F_SFX | F_HLE3),
    [0x8a] = O2("mov", GB, EB, F_SFX),
    [0x8b] = O2("mov", GV, EV, F_SFX),
    [0x8c] = O2("mov", ES, SW, 0),
    [0x8d] = O2("lea", GV, MM, 0),
    [0x8e] = O2("mov", SW, ES, 0),
    [0x8f] = GRP(G1A, ON, ON, 0),
    [0x90] = PFX(R_NOP90, ON, ON, ON),
    [0x91] = O2("xchg", ZV, AX, 0),
    [0x92] = O2("xchg", ZV, AX, 0),
    [0x93] = O2("xchg", ZV, AX, 0),
    [0x94] = O2("xchg", ZV, AX, 0),
    [0x95] = O2("xchg", ZV, AX, 0),
    [0x96] = O2("xchg", ZV, AX, 0),
    [0x97] = O2("xchg", ZV, AX, 0),
    [0x98] = N("cbtw|cwtl|cltq", 0),
    [0x99] = N("cwtd|cltd|cqto", 0),
    [0x9b] = N("fwait", 0),
    [0x9c] = N("pushfw|pushf|pushf", F_D64),
    [0x9d] = N("popfw|popf|popf", F_D64),
    [0x9e] = N("sahf", 0),
    [0x9f] = N("lahf", 0),
    [0xa0] = O2("movabs", AL, OB, 0),
    [0xa1] = O2("movabs", AX, OV, 0),
    [0xa2] = O2("movabs", OB, AL, 0),
    [0xa3] = O2("movabs", OV, AX, 0),
    [0xa4] = O2("movs", YB, XB, F_STR | F_SFX),
    [0xa5] = O2("movs", YV, XV, F_STR | F_SFX),
    [0xa6] = O2("cmps", XB, YB, F_SFX),
    [0xa7] = O2("cmps", XV, YV, F_SFX),
    [0xa8] = O2("test", AL, IB, 0),
    [0xa9] = O2("test", AX, IZ, 0),
    [0xaa] = O2("stos", YB, AL, F_STR),
    [0xab] = O2("stos", YV, AX, F_STR),
    [0xac] = O2("lods", AL, XB, F_STR),
    [0xad] = O2("lods", AX, XV, F_STR),
    [0xae] = O2("scas", AL, YB, 0),
    [0xaf] = O2("scas", AX, YV, 0),
    ROW8(0xb0, O2("mov", ZB, IB, 0)),
    ROW8(0xb8, O2("mov", ZV, IV, 0)),
    [0xc0] = GRP(G2, EB, IB, 0),
    [0xc1] = GRP(G2, EV, IB, 0),
    [0xc2] = O1("retw|ret|ret", IW, F_D64 | F_RET | F_BND),
    [0xc3] = N("retw|ret|ret", F_D64 | F_RET | F_BND),
    [0xc6] = GRP(G11B, EB, IB, 0),
    [0xc7] = GRP(G11V, EV, IZ, 0),
    [0xc8] = O2("enterw|enter|enter", IW, IB, F_D64 | F_NOREV),
    [0xc9] = N("leavew|leave|leave", F_D64),
    [0xca] = O1("lretw|lret|lretq", IW, F_RET),
    [0xcb] = N("lretw|lret|lretq", F_RET),
    [0xcc] = N("int3", 0),
    [0xcd] = O1("int", IB, 0),
    [0xcf] = N("iretw|iret|iretq", F_RET),
    [0xd0] = GRP(G2, EB, ON, 0),
    [0xd1] = GRP(G2, EV, ON, 0),
    [0xd2] = GRP(G2, EB, CL, 0),
    [0xd3] = GRP(G2, EV, CL, 0),
    [0xd7] = O1("xlat", XL, 0),
    [0xd8] = GRP(GX87, ON, ON, 0),
    [0xd9] = GRP(GX87 + 1, ON, ON, 0),
    [0xda] = GRP(GX87 + 2, ON, ON, 0),
    [0xdb] = GRP(GX87 + 3, ON, ON, 0),
    [0xdc] = GRP(GX87 + 4, ON, ON, 0),
    [0xdd] = GRP(GX87 + 5, ON, ON, 0),
    [0xde] = GRP(GX87 + 6, ON, ON, 0),
    [0xdf] = GRP(GX87 + 7, ON, ON, 0),
    [0xe0] = O1("loopne|loopnel", JB, F_ASZ | F_JCC | F_HINT),
    [0xe1] = O1("loope|loopel", JB, F_ASZ | F_JCC | F_HINT),
    [0xe2] = O1("loop|loopl", JB, F_ASZ | F_JCC | F_HINT),
    [0xe3] = O1("jrcxz|jecxz", JB, F_ASZ | F_JCC | F_HINT),
    [0xe4] = O2("in", AL, IB, 0),
    [0xe5] = O2("in", AXP, IB, 0),
    [0xe6] = O2("out", IB, AL, 0),
    [0xe7] = O2("out", IB, AXP, 0),
    [0xe8] = O1("callw|call|call", JZ, F_D64 | F_CALL | F_BND),
    [0xe9] = O1("jmpw|jmp|jmp", JZ, F_D64 | F_JMP | F_BND),
    [0xeb] = O1("jmp", JB, F_JMP | F_BND),
    [0xec] = O2("in", AL, DX, 0),
    [0xed] = O2("in", AXP, DX, 0),
    [0xee] = O2("out", DX, AL, 0),
    [0xef] = O2("out", DX, AXP, 0),
    [0xf1] = N("int1", 0),
    [0xf4] = N("hlt", 0),
    [0xf5] = N("cmc", 0),
    [0xf6] = GRP(G3B, EB, ON, 0),
    [0xf7] = GRP(G3V, EV, ON, 0),
    [0xf8] = N("clc", 0),
    [0xf9] = N("stc", 0),
    [0xfa] = N("cli", 0),
    [0xfb] = N("sti", 0),
    [0xfc] = N("cld", 0),
    [0xfd] = N("std", 0),
    [0xfe] = GRP(G4, EB, ON, 0),
    [0xff] = GRP(G5, ON, ON, 0),
};

/* An SSE row: the ps/pd/ss/sd forms of one operation. */
#define SSE4(n, a, b)                                                          \
	{                                                                      \
		O2(n "ps", a, b, 0), O2(n "pd", a, b, 0), O2(n "ss", a, b, 0), \
		    O2(n "sd", a, b, 0)                                        \
	}
/* A row defined for 66h only (packed integer on xmm). */
#define SSE66(n, a, b)                                                         \
	{                                                                      \
		{0}, O2(n, a, b, 0), {0},                                      \
		{                                                              \
			0                                                      \
		}                                                              \
	}

const struct dis_entry dis_pfx_rows[][PFX_ROW] = {
    [R_NOP90] = {N("nop", 0), O2("xchg", ZV, AX, 0), N("pause", 0),
		 N("nop", F_KEEP)},
    [R_POPCNT] = {{0}, {0}, O2("popcnt", GV, EV, 0), {0}},
    [R_TZCNT] = {O2("bsf", GV, EV, 0), O2("bsf", GV, EV, 0),
		 O2("tzcnt", GV, EV, 0), O2("bsf", GV, EV, 0)},
    [R_LZCNT] = {O2("bsr", GV, EV, 0), O2("bsr", GV, EV, 0),
		 O2("lzcnt", GV, EV, 0), O2("bsr", GV, EV, 0)},
    [R_1E] = {GRP(GNOP, EV, ON, 0), GRP(GNOP, EV, ON, 0),
	      GRP(G1E_F3, EV, ON, 0), GRP(GNOPK, EV, ON, 0)},
    [R_RDPID] = {O1("rdseed", EV, 0), O1("rdseed", EV, 0), O1("rdpid", RQ, 0),
		 O1("rdseed", EV, 0)},
    [R_FSBASE0] = {{0}, {0}, O1("rdfsbase", EY, 0), {0}},
    [R_FSBASE1] = {{0}, {0}, O1("rdgsbase", EY, 0), {0}},
    [R_FSBASE2] = {{0}, {0}, O1("wrfsbase", EY, 0), {0}},
    [R_FSBASE3] = {{0}, {0}, O1("wrgsbase", EY, 0), {0}},
    [R_MOVU] = {O2("movups", VX, WX, 0), O2("movupd", VX, WX, 0),
		O2("movss", VX, WX, 0), O2("movsd", VX, WX, 0)},
    [R_MOVU_ST] = {O2("movups", WX, VX, 0), O2("movupd", WX, VX, 0),
		   O2("movss", WX, VX, 0), O2("movsd", WX, VX, 0)},
    [R_MOVL] = {O2("movlps", VX, WX, 0), O2("movlpd", VX, MM, 0),
		O2("movsldup", VX, WX, 0), O2("movddup", VX, WX, 0)},
    [R_MOVL_ST] = {O2("movlps", MM, VX, 0), O2("movlpd", MM, VX, 0), {0}, {0}},
    [R_UNPCKL] = {O2("unpcklps", VX, WX, 0),
		  O2("unpcklpd", VX, WX, 0),
		  {0},
		  {0}},
    [R_UNPCKH] = {O2("unpckhps", VX, WX, 0),
		  O2("unpckhpd", VX, WX, 0),
		  {0},
		  {0}},
    [R_MOVH] = {O2("movhps", VX, WX, 0),
		O2("movhpd", VX, MM, 0),
		O2("movshdup", VX, WX, 0),
		{0}},
    [R_MOVH_ST] = {O2("movhps", MM, VX, 0), O2("movhpd", MM, VX, 0), {0}, {0}},
    [R_MOVA] = {O2("movaps", VX, WX, 0), O2("movapd", VX, WX, 0), {0}, {0}},
    [R_MOVA_ST] = {O2("movaps", WX, VX, 0), O2("movapd", WX, VX, 0), {0}, {0}},
    [R_CVTI2F] =
	{{0},
	 {0},
	 O2("cvtsi2ss", VX, EY, F_SFX),
	 O2("cvtsi2sd", VX, EY, F_SFX)},
    [R_CVTTF2I] = {{0},
		   {0},
		   O2("cvttss2si", GY, WX, 0),
		   O2("cvttsd2si", GY, WX, 0)},
    [R_CVTF2I] =
	{{0}, {0}, O2("cvtss2si", GY, WX, 0), O2("cvtsd2si", GY, WX, 0)},
    [R_UCOMI] = {O2("ucomiss", VX, WX, 0), O2("ucomisd", VX, WX, 0), {0}, {0}},
    [R_COMI] = {O2("comiss", VX, WX, 0), O2("comisd", VX, WX, 0), {0}, {0}},
    [R_SQRT] = SSE4("sqrt", VX, WX),
    [R_AND] = {O2("andps", VX, WX, 0), O2("andpd", VX, WX, 0), {0}, {0}},
    [R_ANDN] = {O2("andnps", VX, WX, 0), O2("andnpd", VX, WX, 0), {0}, {0}},
    [R_OR] = {O2("orps", VX, WX, 0), O2("orpd", VX, WX, 0), {0}, {0}},
    [R_XOR] = {O2("xorps", VX, WX, 0), O2("xorpd", VX, WX, 0), {0}, {0}},
    [R_ADD] = SSE4("add", VX, WX),
    [R_MUL] = SSE4("mul", VX, WX),
    [R_CVTF2F] = {O2("cvtps2pd", VX, WX, 0), O2("cvtpd2ps", VX, WX, 0),
		  O2("cvtss2sd", VX, WX, 0), O2("cvtsd2ss", VX, WX, 0)},
    [R_CVTDQ] = {O2("cvtdq2ps", VX, WX, 0),
		 O2("cvtps2dq", VX, WX, 0),
		 O2("cvttps2dq", VX, WX, 0),
		 {0}},
    [R_SUB] = SSE4("sub", VX, WX),
    [R_MIN] = SSE4("min", VX, WX),
    [R_DIV] = SSE4("div", VX, WX),
    [R_MAX] = SSE4("max", VX, WX),
    [R_PSRLDQ] = SSE66("psrldq", UX, IB),
    [R_PSLLDQ] = SSE66("pslldq", UX, IB),
    [R_PUNPCKLQDQ] = SSE66("punpcklqdq", VX, WX),
    [R_PUNPCKHQDQ] = SSE66("punpckhqdq", VX, WX),
    [R_MOVD] = {O2("movd|movq", PX, EY, 0),
		O2("movd|movq", VX, EY, 0),
		{0},
		{0}},
    [R_MOVDQ] = {O2("movq", PX, QX, 0),
		 O2("movdqa", VX, WX, 0),
		 O2("movdqu", VX, WX, 0),
		 {0}},
    [R_PSHUF] = {O3("pshufw", PX, QX, IB, 0), O3("pshufd", VX, WX, IB, 0),
		 O3("pshufhw", VX, WX, IB, 0), O3("pshuflw", VX, WX, IB, 0)},
    [R_MOVD_ST] = {O2("movd|movq", EY, PX, 0),
		   O2("movd|movq", EY, VX, 0),
		   O2("movq", VX, WX, 0),
		   {0}},
    [R_MOVDQ_ST] = {O2("movq", QX, PX, 0),
		    O2("movdqa", WX, VX, 0),
		    O2("movdqu", WX, VX, 0),
		    {0}},
    [R_SHUF] = {O3("shufps", VX, WX, IB, 0),
		O3("shufpd", VX, WX, IB, 0),
		{0},
		{0}},
    [R_MOVQ_ST] = SSE66("movq", WX, VX),
    [R_MOVNTDQ] = {O2("movntq", MM, PX, 0), O2("movntdq", MM, VX, 0), {0}, {0}},
};

const struct dis_entry dis_map2[256] = {
    [0x00] = GRP(G6, ON, ON, 0),
    [0x01] = GRP(G7, ON, ON, 0),
    [0x02] = O2("lar", GV, EV, 0),
    [0x03] = O2("lsl", GV, EV, 0),
    [0x05] = N("syscall", 0),
    [0x06] = N("clts", 0),
    [0x07] = N("sysretl|sysretq", F_RET),
    [0x08] = N("invd", 0),
    [0x09] = N("wbinvd", 0),
    [0x0b] = N("ud2", 0),
    [0x0d] = GRP(GPREF, MM, ON, 0),
    [0x10] = PFX(R_MOVU, ON, ON, ON),
    [0x11] = PFX(R_MOVU_ST, ON, ON, ON),
    [0x12] = PFX(R_MOVL, ON, ON, ON),
    [0x13] = PFX(R_MOVL_ST, ON, ON, ON),
    [0x14] = PFX(R_UNPCKL, ON, ON, ON),
    [0x15] = PFX(R_UNPCKH, ON, ON, ON),
    [0x16] = PFX(R_MOVH, ON, ON, ON),
    [0x17] = PFX(R_MOVH_ST, ON, ON, ON),
    [0x18] = GRP(G16, EV, ON, 0),
    [0x19] = GRP(GNOP, EV, ON, 0),
    [0x1a] = GRP(GNOP, EV, ON, 0),
    [0x1b] = GRP(GNOP, EV, ON, 0),
    [0x1c] = GRP(G1C, EV, ON, 0),
    [0x1d] = GRP(GNOP, EV, ON, 0),
    [0x1e] = PFX(R_1E, ON, ON, ON),
    [0x1f] = GRP(GNOP, EV, ON, 0),
    [0x20] = O2("mov", RQ, CR, 0),
    [0x21] = O2("mov", RQ, DR, 0),
    [0x22] = O2("mov", CR, RQ, 0),
    [0x23] = O2("mov", DR, RQ, 0),
    [0x28] = PFX(R_MOVA, ON, ON, ON),
    [0x29] = PFX(R_MOVA_ST, ON, ON, ON),
    [0x2a] = PFX(R_CVTI2F, ON, ON, ON),
    [0x2c] = PFX(R_CVTTF2I, ON, ON, ON),
    [0x2d] = PFX(R_CVTF2I, ON, ON, ON),
    [0x2e] = PFX(R_UCOMI, ON, ON, ON),
    [0x2f] = PFX(R_COMI, ON, ON, ON),
    [0x30] = N("wrmsr", 0),
    [0x31] = N("rdtsc", 0),
    [0x32] = N("rdmsr", 0),
    [0x33] = N("rdpmc", 0),
    [0x34] = N("sysenter", 0),
    [0x35] = N("sysexitl|sysexitq", F_RET),
    [0x37] = N("getsec", 0),
    ROW16(0x40, O2("cmov", GV, EV, F_CC)),
    [0x51] = PFX(R_SQRT, ON, ON, ON),
    [0x54] = PFX(R_AND, ON, ON, ON),
    [0x55] = PFX(R_ANDN, ON, ON, ON),
    [0x56] = PFX(R_OR, ON, ON, ON),
    [0x57] = PFX(R_XOR, ON, ON, ON),
    [0x58] = PFX(R_ADD, ON, ON, ON),
    [0x59] = PFX(R_MUL, ON, ON, ON),
    [0x5a] = PFX(R_CVTF2F, ON, ON, ON),
    [0x5b] = PFX(R_CVTDQ, ON, ON, ON),
    [0x5c] = PFX(R_SUB, ON, ON, ON),
    [0x5d] = PFX(R_MIN, ON, ON, ON),
    [0x5e] = PFX(R_DIV, ON, ON, ON),
    [0x5f] = PFX(R_MAX, ON, ON, ON),
    [0x6c] = PFX(R_PUNPCKLQDQ, ON, ON, ON),
    [0x6d] = PFX(R_PUNPCKHQDQ, ON, ON, ON),
    [0x6e] = PFX(R_MOVD, ON, ON, ON),
    [0x6f] = PFX(R_MOVDQ, ON, ON, ON),
    [0x70] = PFX(R_PSHUF, ON, ON, ON),
    [0x7e] = PFX(R_MOVD_ST, ON, ON, ON),
    [0x7f] = PFX(R_MOVDQ_ST, ON, ON, ON),
    ROW16(0x80, O1("j", JZ, F_CC | F_JCC | F_D64 | F_HINT | F_BND)),
    ROW16(0x90, O1("set", EB, F_CC)),
    [0xa0] = O1("push", RFS, F_D64),
    [0xa1] = O1("pop", RFS, F_D64),
    [0xa2] = N("cpuid", 0),
    [0xa3] = O2("bt", EV, GV, F_SFX),
    [0xa4] = O3("shld", EV, GV, IB, F_SFX),
    [0xa5] = O3("shld", EV, GV, CL, F_SFX),
    [0xa8] = O1("push", RGS, F_D64),
    [0xa9] = O1("pop", RGS, F_D64),
    [0xaa] = N("rsm", 0),
    [0xab] = O2("bts", EV, GV, F_SFX | F_HLE1),
    [0xac] = O3("shrd", EV, GV, IB, F_SFX),
    [0xad] = O3("shrd", EV, GV, CL, F_SFX),
    [0xae] = GRP(G15, ON, ON, 0),
    [0xaf] = O2("imul", GV, EV, 0),
    [0xb0] = O2("cmpxchg", EB, GB, F_SFX | F_HLE1),
    [0xb1] = O2("cmpxchg", EV, GV, F_SFX | F_HLE1),
    [0xb2] = O2("lss", GV, MM, 0),
    [0xb3] = O2("btr", EV, GV, F_SFX | F_HLE1),
    [0xb4] = O2("lfs", GV, MM, 0),
    [0xb5] = O2("lgs", GV, MM, 0),
    [0xb6] = O2("movzb", GV, EB, F_SFXV),
    [0xb7] = O2("movzw", GV, EW, F_SFXV),
    [0xb8] = PFX(R_POPCNT, ON, ON, ON),
    [0xb9] = O2("ud1", GV, EV, 0),
    [0xba] = GRP(G8, EV, IB, 0),
    [0xbb] = O2("btc", EV, GV, F_SFX | F_HLE1),
    [0xbc] = PFX(R_TZCNT, ON, ON, ON),
    [0xbd] = PFX(R_LZCNT, ON, ON, ON),
    [0xbe] = O2("movsb", GV, EB, F_SFXV),
    [0xbf] = O2("movsw", GV, EW, F_SFXV),
    [0xc0] = O2("xadd", EB, GB, F_SFX | F_HLE1),
    [0xc1] = O2("xadd", EV, GV, F_SFX | F_HLE1),
    [0xc3] = O2("movnti", MM, GY, 0),
    [0xc6] = PFX(R_SHUF, ON, ON, ON),
    [0xc7] = GRP(G9, ON, ON, 0),
    ROW8(0xc8, O1("bswap", ZV, 0)),
    [0xd6] = PFX(R_MOVQ_ST, ON, ON, ON),
    [0xe7] = PFX(R_MOVNTDQ, ON, ON, ON),
    [0x60] = O2("punpcklbw", PX, QX, F_MMX),
    [0x61] = O2("punpcklwd", PX, QX, F_MMX),
    [0x62] = O2("punpckldq", PX, QX, F_MMX),
    [0x63] = O2("packsswb", PX, QX, F_MMX),
    [0x64] = O2("pcmpgtb", PX, QX, F_MMX),
    [0x65] = O2("pcmpgtw", PX, QX, F_MMX),
    [0x66] = O2("pcmpgtd", PX, QX, F_MMX),
    [0x67] = O2("packuswb", PX, QX, F_MMX),
    [0x68] = O2("punpckhbw", PX, QX, F_MMX),
    [0x69] = O2("punpckhwd", PX, QX, F_MMX),
    [0x6a] = O2("punpckhdq", PX, QX, F_MMX),
    [0x6b] = O2("packssdw", PX, QX, F_MMX),
    [0x74] = O2("pcmpeqb", PX, QX, F_MMX),
    [0x75] = O2("pcmpeqw", PX, QX, F_MMX),
    [0x76] = O2("pcmpeqd", PX, QX, F_MMX),
    [0xd1] = O2("psrlw", PX, QX, F_MMX),
    [0xd2] = O2("psrld", PX, QX, F_MMX),
    [0xd3] = O2("psrlq", PX, QX, F_MMX),
    [0xd4] = O2("paddq", PX, QX, F_MMX),
    [0xd5] = O2("pmullw", PX, QX, F_MMX),
    [0xd8] = O2("psubusb", PX, QX, F_MMX),
    [0xd9] = O2("psubusw", PX, QX, F_MMX),
    [0xda] = O2("pminub", PX, QX, F_MMX),
    [0xdb] = O2("pand", PX, QX, F_MMX),
    [0xdc] = O2("paddusb", PX, QX, F_MMX),
    [0xdd] = O2("paddusw", PX, QX, F_MMX),
    [0xde] = O2("pmaxub", PX, QX, F_MMX),
    [0xdf] = O2("pandn", PX, QX, F_MMX),
    [0xe0] = O2("pavgb", PX, QX, F_MMX),
    [0xe1] = O2("psraw", PX, QX, F_MMX),
    [0xe2] = O2("psrad", PX, QX, F_MMX),
    [0xe3] = O2("pavgw", PX, QX, F_MMX),
    [0xe4] = O2("pmulhuw", PX, QX, F_MMX),
    [0xe5] = O2("pmulhw", PX, QX, F_MMX),
    [0xe8] = O2("psubsb", PX, QX, F_MMX),
    [0xe9] = O2("psubsw", PX, QX, F_MMX),
    [0xea] = O2("pminsw", PX, QX, F_MMX),
    [0xeb] = O2("por", PX, QX, F_MMX),
    [0xec] = O2("paddsb", PX, QX, F_MMX),
    [0xed] = O2("paddsw", PX, QX, F_MMX),
    [0xee] = O2("pmaxsw", PX, QX, F_MMX),
    [0xef] = O2("pxor", PX, QX, F_MMX),
    [0xf1] = O2("psllw", PX, QX, F_MMX),
    [0xf2] = O2("pslld", PX, QX, F_MMX),
    [0xf3] = O2("psllq", PX, QX, F_MMX),
    [0xf4] = O2("pmuludq", PX, QX, F_MMX),
    [0xf5] = O2("pmaddwd", PX, QX, F_MMX),
    [0xf6] = O2("psadbw", PX, QX, F_MMX),
    [0xf8] = O2("psubb", PX, QX, F_MMX),
    [0xf9] = O2("psubw", PX, QX, F_MMX),
    [0xfa] = O2("psubd", PX, QX, F_MMX),
    [0xfb] = O2("psubq", PX, QX, F_MMX),
    [0xfc] = O2("paddb", PX, QX, F_MMX),
    [0xfd] = O2("paddw", PX, QX, F_MMX),
    [0xfe] = O2("paddd", PX, QX, F_MMX),
    [0xd7] = O2("pmovmskb", GY, NX, F_MMX),
    [0x71] = GRP(G12, NX, IB, 0),
    [0x72] = GRP(G13, NX, IB, 0),
    [0x73] = GRP(G14, NX, IB, 0),
    [0x77] = N("emms", 0),
    [0x78] = O2("vmread", E64, GV, F_D64),
    [0x79] = O2("vmwrite", GV, E64, F_D64),
    [0xff] = O2("ud0", GV, EV, 0),
};

/* ---- groups: ModRM.reg picks the operation ---- */

static const struct dis_entry g1[8] = {
    N("add", F_SFX | F_HLE1), N("or", F_SFX | F_HLE1),
    N("adc", F_SFX | F_HLE1), N("sbb", F_SFX | F_HLE1),
    N("and", F_SFX | F_HLE1), N("sub", F_SFX | F_HLE1),
    N("xor", F_SFX | F_HLE1), N("cmp", F_SFX),
};
static const struct dis_entry g1a[8] = {O1("pop", E64, F_SFX | F_D64)};
static const struct dis_entry g2[8] = {
    N("rol", F_SFX), N("ror", F_SFX), N("rcl", F_SFX), N("rcr", F_SFX),
    N("shl", F_SFX), N("shr", F_SFX), N("shl", F_SFX), N("sar", F_SFX),
};
static const struct dis_entry g3b[8] = {
    O2("test", EB, IB, F_SFX), O2("test", EB, IB, F_SFX),
    N("not", F_SFX | F_HLE1),  N("neg", F_SFX | F_HLE1),
    N("mul", F_SFX),	       N("imul", F_SFX),
    N("div", F_SFX),	       N("idiv", F_SFX),
};
static const struct dis_entry g3v[8] = {
    O2("test", EV, IZ, F_SFX), O2("test", EV, IZ, F_SFX),
    N("not", F_SFX | F_HLE1),  N("neg", F_SFX | F_HLE1),
    N("mul", F_SFX),	       N("imul", F_SFX),
    N("div", F_SFX),	       N("idiv", F_SFX),
};
static const struct dis_entry g4[8] = {N("inc", F_SFX | F_HLE1),
				       N("dec", F_SFX | F_HLE1)};
static const struct dis_entry g5[8] = {
    O1("inc", EV, F_SFX | F_HLE1),
    O1("dec", EV, F_SFX | F_HLE1),
    O1("call", EJ, F_SFX | F_D64 | F_CALL | F_NOTRACK | F_BND),
    O1("lcall", MJ, 0),
    O1("jmp", EJ, F_SFX | F_D64 | F_JMP | F_NOTRACK | F_BND),
    O1("ljmp", MJ, 0),
    O1("push", E64, F_SFX | F_D64),
};
static const struct dis_entry g11b[8] = {N("mov", F_SFX | F_HLE3)};
static const struct dis_entry g11v[8] = {N("mov", F_SFX | F_HLE3)};
static const struct dis_entry g11br[8] = {
    N("mov", F_SFX),
    [7] = RMR(RM_XABORT),
};
static const struct dis_entry g11vr[8] = {
    N("mov", F_SFX),
    [7] = RMR(RM_XBEGIN),
};
static const struct dis_entry g6[8] = {
    O1("sldt", ES, 0), O1("str", ES, 0),  O1("lldt", EW, 0),
    O1("ltr", EW, 0),  O1("verr", EW, 0), O1("verw", EW, 0),
};
static const struct dis_entry g7m[8] = {
    O1("sgdt", MM, 0), O1("sidt", MM, 0),   O1("lgdt", MM, 0),
    O1("lidt", MM, 0), O1("smsw", ES, 0),   {0},
    O1("lmsw", EW, 0), O1("invlpg", MM, 0),
};
static const struct dis_entry g7r[8] = {
    RMR(RM_G7_0),      RMR(RM_G7_1), RMR(RM_G7_2),	{0},
    O1("smsw", ES, 0), {0},	     O1("lmsw", EW, 0), RMR(RM_G7_7),
};
static const struct dis_entry g8[8] = {
    [4] = N("bt", F_SFX),
    [5] = N("bts", F_SFX | F_HLE1),
    [6] = N("btr", F_SFX | F_HLE1),
    [7] = N("btc", F_SFX | F_HLE1),
};
static const struct dis_entry g9m[8] = {
    [1] = O1("cmpxchg8b|cmpxchg16b", MM, 0),
    [6] = O1("vmptrld", MM, 0),
    [7] = O1("vmptrst", MM, 0),
};
static const struct dis_entry g9r[8] = {
    [6] = O1("rdrand", EV, 0),
    [7] = PFX(R_RDPID, ON, ON, ON),
};
static const struct dis_entry g15m[8] = {
    O1("fxsave|fxsave64", MM, 0),
    O1("fxrstor|fxrstor64", MM, 0),
    O1("ldmxcsr", MM, 0),
    O1("stmxcsr", MM, 0),
    O1("xsave|xsave64", MM, 0),
    O1("xrstor|xrstor64", MM, 0),
    O1("xsaveopt|xsaveopt64", MM, 0),
    O1("clflush", MM, 0),
};
static const struct dis_entry g15r[8] = {
    PFX(R_FSBASE0, ON, ON, ON),
    PFX(R_FSBASE1, ON, ON, ON),
    PFX(R_FSBASE2, ON, ON, ON),
    PFX(R_FSBASE3, ON, ON, ON),
    {0},
    N("lfence", 0),
    N("mfence", 0),
    N("sfence", 0),
};
static const struct dis_entry g16m[8] = {
    O1("prefetchnta", MM, 0), O1("prefetcht0", MM, 0), O1("prefetcht1", MM, 0),
    O1("prefetcht2", MM, 0),  N("nop", F_SFX),	       N("nop", F_SFX),
    N("nop", F_SFX),	      N("nop", F_SFX),
};
static const struct dis_entry gpref[8] = {
    N("prefetch", 0), N("prefetchw", 0), N("prefetchwt1", 0), N("prefetch", 0),
    N("prefetch", 0), N("prefetch", 0),	 N("prefetch", 0),    N("prefetch", 0),
};
static const struct dis_entry gnop[8] = {
    N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX),
    N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX),
};
static const struct dis_entry g1cm[8] = {
    O1("cldemote", MM, 0), N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX),
    N("nop", F_SFX),	   N("nop", F_SFX), N("nop", F_SFX), N("nop", F_SFX),
};
/* Hint nops that keep the prefix which led to them (it prints: repz nop). */
static const struct dis_entry gnopk[8] = {
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
};
static const struct dis_entry g1e_f3r[8] = {
    N("nop", F_SFX | F_KEEP), O1("rdsspd|rdsspq", EY, 0),
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
    N("nop", F_SFX | F_KEEP), RMR(RM_1E_F3_7),
};

/* MMX/SSE2 shifts by an immediate (0F 71-73, register forms only). */
static const struct dis_entry g12[8] = {
    [2] = N("psrlw", F_MMX), [4] = N("psraw", F_MMX), [6] = N("psllw", F_MMX)};
static const struct dis_entry g13[8] = {
    [2] = N("psrld", F_MMX), [4] = N("psrad", F_MMX), [6] = N("pslld", F_MMX)};
static const struct dis_entry g14[8] = {
    [2] = N("psrlq", F_MMX),
    [3] = PFX(R_PSRLDQ, ON, ON, ON),
    [6] = N("psllq", F_MMX),
    [7] = PFX(R_PSLLDQ, ON, ON, ON),
};
static const struct dis_entry gbad[8] = {{0}};

/* ---- x87 (SDM vol. 2, A.5): memory forms by reg, register forms ---- */

#define XM(a, b, c, d, e, f, g, h)                                             \
	{                                                                      \
		O1(a, MM, 0), O1(b, MM, 0), O1(c, MM, 0), O1(d, MM, 0),        \
		    O1(e, MM, 0), O1(f, MM, 0), O1(g, MM, 0), O1(h, MM, 0)     \
	}
static const struct dis_entry x87m[8][8] = {
    XM("fadds", "fmuls", "fcoms", "fcomps", "fsubs", "fsubrs", "fdivs",
       "fdivrs"),
    XM("flds", "(bad)", "fsts", "fstps", "fldenv", "fldcw", "fnstenv",
       "fnstcw"),
    XM("fiaddl", "fimull", "ficoml", "ficompl", "fisubl", "fisubrl", "fidivl",
       "fidivrl"),
    XM("fildl", "fisttpl", "fistl", "fistpl", "(bad)", "fldt", "(bad)",
       "fstpt"),
    XM("faddl", "fmull", "fcoml", "fcompl", "fsubl", "fsubrl", "fdivl",
       "fdivrl"),
    XM("fldl", "fisttpll", "fstl", "fstpl", "frstor", "(bad)", "fnsave",
       "fnstsw"),
    XM("fiadds", "fimuls", "ficoms", "ficomps", "fisubs", "fisubrs", "fidivs",
       "fidivrs"),
    XM("filds", "fisttps", "fists", "fistps", "fbld", "fildll", "fbstp",
       "fistpll"),
};

/* Register forms: "op %st(i),%st" (TO_ST), "op %st,%st(i)" (FROM_ST),
 * "op %st(i)" (ONE). */
#define TO_ST(n) O2(n, ST0, STI, 0)
#define FROM_ST(n) O2(n, STI, ST0, 0)
#define ONE(n) O1(n, STI, 0)
static const struct dis_entry x87r[8][8] = {
    {TO_ST("fadd"), TO_ST("fmul"), ONE("fcom"), ONE("fcomp"), TO_ST("fsub"),
     TO_ST("fsubr"), TO_ST("fdiv"), TO_ST("fdivr")},
    {ONE("fld"),
     ONE("fxch"),
     RMR(RM_D9_2),
     {0},
     RMR(RM_D9_4),
     RMR(RM_D9_5),
     RMR(RM_D9_6),
     RMR(RM_D9_7)},
    {TO_ST("fcmovb"),
     TO_ST("fcmove"),
     TO_ST("fcmovbe"),
     TO_ST("fcmovu"),
     {0},
     RMR(RM_DA_5)},
    {TO_ST("fcmovnb"), TO_ST("fcmovne"), TO_ST("fcmovnbe"), TO_ST("fcmovnu"),
     RMR(RM_DB_4), TO_ST("fucomi"), TO_ST("fcomi")},
    {FROM_ST("fadd"),
     FROM_ST("fmul"),
     {0},
     {0},
     FROM_ST("fsub"),
     FROM_ST("fsubr"),
     FROM_ST("fdiv"),
     FROM_ST("fdivr")},
    {ONE("ffree"), {0}, ONE("fst"), ONE("fstp"), ONE("fucom"), ONE("fucomp")},
    {FROM_ST("faddp"),
     FROM_ST("fmulp"),
     {0},
     RMR(RM_DE_3),
     FROM_ST("fsubp"),
     FROM_ST("fsubrp"),
     FROM_ST("fdivp"),
     FROM_ST("fdivrp")},
    {ONE("ffreep"),
     {0},
     {0},
     {0},
     RMR(RM_DF_4),
     TO_ST("fucomip"),
     TO_ST("fcomip")},
};

const struct dis_group dis_groups[] = {
    [GX87] = {x87m[0], x87r[0]},
    [GX87 + 1] = {x87m[1], x87r[1]},
    [GX87 + 2] = {x87m[2], x87r[2]},
    [GX87 + 3] = {x87m[3], x87r[3]},
    [GX87 + 4] = {x87m[4], x87r[4]},
    [GX87 + 5] = {x87m[5], x87r[5]},
    [GX87 + 6] = {x87m[6], x87r[6]},
    [GX87 + 7] = {x87m[7], x87r[7]},
    [G12] = {gbad, g12},
    [G13] = {gbad, g13},
    [G14] = {gbad, g14},
    [G1] = {g1, 0},
    [G1A] = {g1a, 0},
    [G2] = {g2, 0},
    [G3B] = {g3b, 0},
    [G3V] = {g3v, 0},
    [G4] = {g4, 0},
    [G5] = {g5, 0},
    [G11B] = {g11b, g11br},
    [G11V] = {g11v, g11vr},
    [G6] = {g6, 0},
    [G7] = {g7m, g7r},
    [G8] = {g8, 0},
    [G9] = {g9m, g9r},
    [G15] = {g15m, g15r},
    [G16] = {g16m, gnop},
    [GPREF] = {gpref, 0},
    [GNOP] = {gnop, 0},
    [G1C] = {g1cm, gnop},
    [G1E_F3] = {gnopk, g1e_f3r},
    [GNOPK] = {gnopk, 0},
};

/* ---- rm rows: register forms told apart by ModRM.rm ---- */

const struct dis_entry dis_rm_rows[][8] = {
    [RM_G7_0] = {{0},
		 N("vmcall", 0),
		 N("vmlaunch", 0),
		 N("vmresume", 0),
		 N("vmxoff", 0)},
    [RM_G7_1] = {N("monitor %rax,%ecx,%edx", 0), N("mwait %eax,%ecx", 0),
		 N("clac", 0), N("stac", 0), [7] = N("encls", 0)},
    [RM_G7_2] = {N("xgetbv", 0), N("xsetbv", 0), [4] = N("vmfunc", 0),
		 [5] = N("xend", 0), [6] = N("xtest", 0), [7] = N("enclu", 0)},
    [RM_G7_7] = {N("swapgs", 0), N("rdtscp", 0), N("monitorx", 0),
		 N("mwaitx", 0), N("clzero", 0), N("rdpru", 0)},
    [RM_XABORT] = {O1("xabort", IB, 0)},
    [RM_XBEGIN] = {O1("xbegin", JZ, 0)},
    [RM_D9_2] = {N("fnop", 0)},
    [RM_D9_4] = {N("fchs", 0),
		 N("fabs", 0), [4] = N("ftst", 0), [5] = N("fxam", 0)},
    [RM_D9_5] = {N("fld1", 0), N("fldl2t", 0), N("fldl2e", 0), N("fldpi", 0),
		 N("fldlg2", 0), N("fldln2", 0), N("fldz", 0)},
    [RM_D9_6] = {N("f2xm1", 0), N("fyl2x", 0), N("fptan", 0), N("fpatan", 0),
		 N("fxtract", 0), N("fprem1", 0), N("fdecstp", 0),
		 N("fincstp", 0)},
    [RM_D9_7] = {N("fprem", 0), N("fyl2xp1", 0), N("fsqrt", 0), N("fsincos", 0),
		 N("frndint", 0), N("fscale", 0), N("fsin", 0), N("fcos", 0)},
    [RM_DA_5] = {[1] = N("fucompp", 0)},
    [RM_DB_4] = {N("fneni(8087 only)", 0), N("fndisi(8087 only)", 0),
		 N("fnclex", 0), N("fninit", 0), N("fnsetpm(287 only)", 0),
		 N("frstpm(287 only)", 0)},
    [RM_DE_3] = {[1] = N("fcompp", 0)},
    [RM_DF_4] = {N("fnstsw %ax", 0)},
    [RM_1E_F3_7] = {N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
		    N("endbr64", 0), N("endbr32", 0), N("nop", F_SFX | F_KEEP),
		    N("nop", F_SFX | F_KEEP), N("nop", F_SFX | F_KEEP),
		    N("nop", F_SFX | F_KEEP)},
};
