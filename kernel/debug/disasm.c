/* disasm.c — x86-64 instruction decoder printing AT&T syntax as GNU objdump
 * -d does: prefixes, opcode lookup through the tables (disasm_tables.c),
 * names and the printed line; operands are in disasm_operands.c. */
#include "kernel/debug/disasm.h"
#include "kernel/debug/disasm_priv.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

#define SYM_MAX 96	  /* a symbolizer's answer */
#define MNEMONIC_COLS 6	  /* objdump pads the mnemonic to this width */
#define OP_ESCAPE 0x0f	  /* two-byte opcode map */
#define OP_ESCAPE_38 0x38 /* 0F 38: a three-byte map */
#define OP_ESCAPE_3A 0x3a /* 0F 3A: a three-byte map, imm8 operands */
#define OP_VEX3 0xc4	  /* VEX, EVEX: AVX encodings, not decoded here */
#define OP_VEX2 0xc5
#define OP_EVEX 0x62
#define OP_FWAIT 0x9b	 /* a prefix to objdump when a REX precedes it */
#define OP_NOP 0x90	 /* nop, or xchg %eax,%r8d with REX.B */
#define OP_XCHG_AX 0x91	 /* an xchg rAX row entry */
#define CMP_PREDICATES 8 /* cmpps imm8 values with a name (SDM: CMPPS) */

/* ---- output ---- */

void dis_put(struct sbuf *b, const char *s)
{
	while (*s) {
		if (b->len + 1 < b->n)
			b->p[b->len++] = *s;
		s++;
	}
	if (b->n)
		b->p[b->len < b->n ? b->len : b->n - 1] = '\0';
}

void dis_puthex(struct sbuf *b, const char *fmt, uint64_t v)
{
	char tmp[24];
	ksnprintf(tmp, sizeof tmp, fmt, (unsigned long)v);
	dis_put(b, tmp);
}

/* ---- fetching bytes: never at or past len ---- */

uint64_t dis_fetch(struct dis *d, unsigned n)
{
	uint64_t v = 0;
	if (d->truncated || n > d->len - d->pos) {
		d->truncated = true;
		return 0;
	}
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)d->buf[d->pos + i] << (8 * i);
	d->pos += n;
	return v;
}

/* n bytes, sign-extended to 64 bits. */
int64_t dis_fetch_s(struct dis *d, unsigned n)
{
	uint64_t v = dis_fetch(d, n);
	unsigned shift = 64 - 8 * n;
	return (int64_t)(v << shift) >> shift;
}

bool dis_fetch_modrm(struct dis *d)
{
	if (d->has_modrm)
		return true;
	uint8_t m = (uint8_t)dis_fetch(d, 1);
	if (d->truncated)
		return false;
	d->has_modrm = true;
	d->mod = m >> 6;
	d->reg = (m >> 3) & 7;
	d->rm = m & 7;
	return true;
}

/* ---- prefixes ---- */

static bool is_prefix(uint8_t b)
{
	switch (b) {
	case PFX_LOCK:
	case PFX_REPNZ:
	case PFX_REPZ:
	case PFX_OPSIZE:
	case PFX_ADSIZE:
	case PFX_SEG_ES:
	case PFX_SEG_CS:
	case PFX_SEG_SS:
	case PFX_SEG_DS:
	case PFX_SEG_FS:
	case PFX_SEG_GS:
		return true;
	default:
		return (b & 0xf0) == REX_BASE;
	}
}

static void note_prefix(struct dis *d, uint8_t b)
{
	int i = (int)d->npfx++;
	d->pfx[i] = b;
	if ((b & 0xf0) == REX_BASE) {
		d->rex = b;
		d->irex = i;
	} else if (b == PFX_OPSIZE) {
		d->i66 = i;
	} else if (b == PFX_ADSIZE) {
		d->i67 = i;
	} else if (b == PFX_REPZ || b == PFX_REPNZ) {
		d->irep = i;
		*(b == PFX_REPZ ? &d->if3 : &d->if2) = i;
	} else if (b == PFX_LOCK) {
		d->ilock = i;
	} else {
		d->iseg = i;
		d->seg = (b == PFX_SEG_FS || b == PFX_SEG_GS) ? b : 0;
	}
}

/* Read the prefixes. False when they are an "instruction" of their own, as
 * objdump prints them: a REX followed by another prefix, or 14 prefixes. */
static bool read_prefixes(struct dis *d)
{
	while (d->pos < d->len && is_prefix(d->buf[d->pos])) {
		if (d->rex)
			return false;
		if (d->pos + 1 < d->len && d->buf[d->pos + 1] == OP_FWAIT &&
		    (d->buf[d->pos] & 0xf0) == REX_BASE) {
			note_prefix(d, d->buf[d->pos++]);
			return false; /* fwait counts as a prefix after REX */
		}
		note_prefix(d, d->buf[d->pos++]);
		if (d->npfx == MAX_PREFIXES)
			return false;
	}
	if (d->pos == d->len)
		d->truncated = true;
	return true;
}

static const char *const rex_names[16] = {
    "rex",    "rex.B",	 "rex.X",   "rex.XB",	"rex.R",  "rex.RB",
    "rex.RX", "rex.RXB", "rex.W",   "rex.WB",	"rex.WX", "rex.WXB",
    "rex.WR", "rex.WRB", "rex.WRX", "rex.WRXB",
};

static const char *prefix_name(uint8_t b)
{
	static const struct {
		uint8_t b;
		const char *name;
	} names[] = {
	    {PFX_LOCK, "lock"},	    {PFX_REPNZ, "repnz"},   {PFX_REPZ, "repz"},
	    {PFX_OPSIZE, "data16"}, {PFX_ADSIZE, "addr32"}, {PFX_SEG_ES, "es"},
	    {PFX_SEG_CS, "cs"},	    {PFX_SEG_SS, "ss"},	    {PFX_SEG_DS, "ds"},
	    {PFX_SEG_FS, "fs"},	    {PFX_SEG_GS, "gs"},
	};
	if ((b & 0xf0) == REX_BASE)
		return rex_names[b & 0xf];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].b == b)
			return names[i].name;
	return 0;
}

void dis_use_rex(struct dis *d, uint8_t bit)
{
	if (d->rex & bit)
		d->rex_used |= bit | REX_BASE;
}

void dis_use_prefix(struct dis *d, int i)
{
	if (i != NO_PREFIX)
		d->pfx_used[i] = true;
}

/* ---- names ---- */

static const char *const cc_names[16] = {
    "o", "no", "b", "ae", "e", "ne", "be", "a",
    "s", "ns", "p", "np", "l", "ge", "le", "g",
};
static const char *const cmp_names[CMP_PREDICATES] = {
    "eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord",
};

static char size_letter(unsigned size)
{
	return size == 1 ? 'b' : size == 2 ? 'w' : size == 4 ? 'l' : 'q';
}

/* ---- finding the entry ---- */

/* The row slot chosen by the last F2h/F3h, else by 66h. */
static int pfx_slot(struct dis *d)
{
	if (d->irep != NO_PREFIX) {
		d->consumed = d->irep;
		return d->pfx[d->irep] == PFX_REPZ ? PFX_F3 : PFX_F2;
	}
	d->consumed = d->i66;
	return d->i66 != NO_PREFIX ? PFX_66 : PFX_NONE;
}

static const struct dis_entry *step(struct dis *d, const struct dis_entry *e)
{
	if (e->flags & F_PFX)
		return &dis_pfx_rows[e->idx][pfx_slot(d)];
	if (!dis_fetch_modrm(d))
		return 0;
	if (e->flags & F_RM)
		return &dis_rm_rows[e->idx][d->rm];
	const struct dis_group *g = &dis_groups[e->idx];
	return d->mod == MODRM_MOD_REG && g->reg ? &g->reg[d->reg]
						 : &g->mem[d->reg];
}

/* F_MMX and F_66 entries: F2/F3 make them (bad); 66h (required by F_66)
 * is consumed and turns MMX operands into xmm ones. */
static bool sse_prefix_ok(struct dis *d, uint32_t flags)
{
	if (!(flags & (F_MMX | F_66)))
		return true;
	if (d->irep != NO_PREFIX) {
		d->consumed = d->irep; /* chose (bad), as a prefix row would */
		return false;
	}
	if (d->i66 == NO_PREFIX)
		return !(flags & F_66);
	d->consumed = d->i66;
	d->xmm = true;
	return true;
}

/* Follow groups, prefix rows and rm rows to the instruction's entry; NULL
 * for (bad). d->ops gets the operands (inherited when the entry has none).
 */
static const struct dis_entry *resolve(struct dis *d, const struct dis_entry *e)
{
	d->ops = e->op;
	while (e && (e->flags & (F_GRP | F_PFX | F_RM))) {
		bool by_rm = e->flags & F_RM; /* rm rows name whole forms */
		e = step(d, e);
		if (e && (e->op[0] != ON || by_rm))
			d->ops = e->op;
	}
	return e && e->name && sse_prefix_ok(d, e->flags) ? e : 0;
}

/* The opcode map for the bytes after 0F: 0F itself, or 0F 38 / 0F 3A. */
static const struct dis_entry *escape_map(struct dis *d)
{
	uint8_t b = (uint8_t)dis_fetch(d, 1);
	d->opcode_len = 2;
	if (b != OP_ESCAPE_38 && b != OP_ESCAPE_3A) {
		d->opcode = b;
		return dis_map2;
	}
	d->opcode = (uint8_t)dis_fetch(d, 1);
	d->opcode_len = 3;
	return b == OP_ESCAPE_38 ? dis_map38 : dis_map3a;
}

static const struct dis_entry *lookup(struct dis *d)
{
	const struct dis_entry *map = dis_map1;
	d->opcode = (uint8_t)dis_fetch(d, 1);
	d->opcode_len = 1;
	if (d->opcode == OP_ESCAPE)
		map = escape_map(d);
	if (d->truncated)
		return 0;
	if (map == dis_map1 && d->opcode == OP_NOP && (d->rex & REX_B) &&
	    d->if3 == NO_PREFIX) /* xchg %eax,%r8d; with F3h still pause */
		return resolve(d, &dis_map1[OP_XCHG_AX]);
	return resolve(d, &map[d->opcode]);
}

/* ---- printing ---- */

/* The variant of name this instruction takes: "w|l|q" by operand size,
 * "a|b" by REX.W or (F_ASZ) address size. *len gets its length. */
static const char *pick_variant(struct dis *d, const char *name, size_t *len)
{
	unsigned parts = 1, pick = 0;
	for (const char *s = name; *s; s++)
		parts += *s == '|';
	if (parts == 3) {
		unsigned os = dis_osize(d);
		pick = os == 2 ? 0 : os == 4 ? 1 : 2;
	} else if (parts == 2 && (d->flags & F_ASZ)) {
		dis_use_prefix(d, d->i67);
		pick = d->i67 != NO_PREFIX;
	} else if (parts == 2) {
		pick = dis_ysize(d) == 8;
	}
	while (pick--)
		name = strchr(name, '|') + 1;
	const char *bar = strchr(name, '|');
	*len = bar ? (size_t)(bar - name) : strlen(name);
	return name;
}

/* cmpps and kin with an immediate below 8: objdump names the predicate
 * (cmpltps) and drops the immediate. */
static bool cmp_predicate(const struct dis *d)
{
	return (d->flags & F_CMP) && d->imm < CMP_PREDICATES;
}

static void put_name(struct dis *d, struct sbuf *b)
{
	char tmp[24];
	size_t n;
	const char *name =
	    pick_variant(d, d->movabs ? d->movabs : d->e->name, &n);
	if (n >= sizeof tmp)
		n = sizeof tmp - 1;
	memcpy(tmp, name, n);
	tmp[n] = '\0';
	if (cmp_predicate(d)) {
		dis_put(b, "cmp");
		dis_put(b, cmp_names[d->imm]);
		dis_put(b, tmp + 3); /* "cmp" + ps/pd/ss/sd */
	} else {
		dis_put(b, tmp);
	}
	if (d->flags & F_CC)
		dis_put(b, cc_names[d->opcode & 15]);
}

/* The size suffix (b, w, l, q) when nothing else says the size. */
static void put_suffix(struct dis *d, struct sbuf *b)
{
	char s[2] = {0, 0};
	if (d->flags & F_SFXV)
		s[0] = size_letter(dis_osize(d));
	else if ((d->flags & F_SFXM) && d->mem)
		s[0] = size_letter(d->sfx_size);
	else if ((d->flags & F_SFX) && !d->has_gpr &&
		 (!(d->flags & F_D64) || dis_osize(d) == 2))
		s[0] = size_letter(d->sfx_size ? d->sfx_size : dis_osize(d));
	dis_put(b, s);
}

/* Jcc with exactly one of 2Eh/3Eh: the static prediction hint. */
static void put_hint(struct dis *d, struct sbuf *b)
{
	bool cs = false, ds = false;
	for (unsigned i = 0; i < d->npfx; i++) {
		cs |= d->pfx[i] == PFX_SEG_CS;
		ds |= d->pfx[i] == PFX_SEG_DS;
	}
	if (!(d->flags & F_HINT) || cs == ds)
		return;
	dis_use_prefix(d, d->iseg);
	dis_put(b, ds ? ",pt" : ",pn");
}

/* Hardware lock elision (SDM vol. 1, 16.3.1): F2h/F3h on a locked memory
 * update print as xacquire/xrelease. */
static void rename_hle(struct dis *d)
{
	bool locked = d->ilock != NO_PREFIX || (d->flags & F_HLE2);
	if (!d->mem || !(d->flags & (F_HLE1 | F_HLE2 | F_HLE3)))
		return;
	if (d->flags & F_HLE3) {
		if (d->if3 > d->if2)
			d->pfx_name[d->if3] = "xrelease";
		return;
	}
	if (locked && d->if3 != NO_PREFIX)
		d->pfx_name[d->if3] = "xrelease";
	if (locked && d->if2 != NO_PREFIX)
		d->pfx_name[d->if2] = "xacquire";
}

/* Rename prefixes whose meaning the instruction gives them. */
static void rename_prefixes(struct dis *d)
{
	if ((d->flags & F_STR) && d->irep != NO_PREFIX) {
		for (int i = (int)d->npfx - 1; i >= 0; i--)
			if (d->pfx[i] == PFX_REPZ) {
				d->pfx_name[i] = "rep";
				break;
			}
	}
	rename_hle(d);
	if ((d->flags & F_BND) && d->irep != NO_PREFIX &&
	    d->pfx[d->irep] == PFX_REPNZ)
		d->pfx_name[d->irep] = "bnd";
	if ((d->flags & F_NOTRACK) && d->iseg != NO_PREFIX &&
	    d->pfx[d->iseg] == PFX_SEG_DS && d->i66 == NO_PREFIX)
		d->pfx_name[d->iseg] = "notrack";
}

/* Unused prefixes print by name before the mnemonic; returns the columns
 * they took. */
static size_t put_prefixes(struct dis *d, struct sbuf *b)
{
	size_t start = b->len;
	if (d->consumed != NO_PREFIX && !(d->flags & F_KEEP))
		d->pfx_used[d->consumed] = true;
	if (d->irex != NO_PREFIX)
		d->pfx_used[d->irex] = (d->rex | REX_BASE) == d->rex_used;
	for (unsigned i = 0; i < d->npfx; i++) {
		if (d->pfx_used[i])
			continue;
		dis_put(b, d->pfx_name[i] ? d->pfx_name[i]
					  : prefix_name(d->pfx[i]));
		dis_put(b, " ");
	}
	return b->len - start;
}

/* An address as objdump prints it: "ffffffff80001000 <kmain>" when it has
 * a symbol, else "0x401000". */
static void put_address(struct sbuf *b, uint64_t addr, disasm_sym_fn sym)
{
	char name[SYM_MAX];
	if (!sym || !sym(addr, name, sizeof name)) {
		dis_puthex(b, "0x%lx", addr);
		return;
	}
	dis_puthex(b, "%lx <", addr);
	dis_put(b, name);
	dis_put(b, ">");
}

/* Operands in AT&T order (reversed), except F_NOREV. */
static void put_operands(struct dis *d, struct sbuf *b, int count)
{
	for (int k = 0; k < count; k++) {
		int i = (d->flags & F_NOREV) ? k : count - 1 - k;
		if (k)
			dis_put(b, ",");
		dis_put(b, d->op[i]);
	}
}

/* The mnemonic, padded when operands follow. A name may carry its fixed
 * operands after a space ("mwait %eax,%ecx"). */
static void put_mnemonic(struct dis *d, struct sbuf *b, bool operands)
{
	char text[32];
	struct sbuf name = {text, sizeof text, 0};
	put_name(d, &name);
	put_suffix(d, &name);
	put_hint(d, &name);
	rename_prefixes(d);
	size_t cols = put_prefixes(d, b);
	char *fixed = strchr(text, ' ');
	if (fixed)
		*fixed++ = '\0';
	dis_put(b, text);
	if (!operands && !fixed)
		return;
	for (cols += strlen(text); cols < MNEMONIC_COLS; cols++)
		dis_put(b, " ");
	dis_put(b, " ");
	if (fixed)
		dis_put(b, fixed);
}

/* A branch's target or a rip-relative operand's address: relative to the
 * next instruction; a 16-bit branch wraps within its 64 KiB. */
static uint64_t target(const struct dis *d)
{
	uint64_t end = d->addr + d->pos, t = end + (uint64_t)d->disp;
	if (d->branch_mask)
		t = (end & ~(uint64_t)d->branch_mask) | (t & d->branch_mask);
	return t;
}

static void print_insn(struct dis *d, struct sbuf *b, disasm_sym_fn sym)
{
	int n = dis_operand_count(d) - cmp_predicate(d);
	put_mnemonic(d, b, n > 0);
	put_operands(d, b, n);
	if (d->branch) {
		put_address(b, target(d), sym);
	} else if (d->riprel) {
		dis_put(b, "        # ");
		put_address(b, target(d), sym);
	}
}

/* Prefixes alone (a REX before another prefix, or 14 of them): objdump
 * prints their names as one "instruction". */
static size_t print_prefixes_only(struct dis *d, struct sbuf *b)
{
	for (unsigned i = 0; i < d->npfx; i++) {
		if (i)
			dis_put(b, " ");
		dis_put(b, prefix_name(d->pfx[i]));
	}
	return d->npfx;
}

/* buf ended inside the instruction: its first byte, as objdump shows it. */
static size_t print_truncated(struct dis *d, struct sbuf *b)
{
	const char *name = prefix_name(d->buf[0]);
	if (name)
		dis_put(b, name);
	else
		dis_puthex(b, ".byte 0x%lx", d->buf[0]);
	return 1;
}

/* An invalid opcode: "(bad)" after its prefixes' names (none when a
 * mandatory prefix chose the (bad), or for VEX/EVEX, as objdump mostly
 * does); it takes the prefixes and the opcode bytes (1 for a lone invalid
 * byte). */
static size_t print_bad(struct dis *d, struct sbuf *b)
{
	bool vex = d->opcode_len == 1 &&
		   (d->opcode == OP_VEX3 || d->opcode == OP_VEX2 ||
		    d->opcode == OP_EVEX); /* not decoded here */
	if (d->consumed == NO_PREFIX && !vex)
		put_prefixes(d, b);
	dis_put(b, "(bad)");
	size_t len = d->npfx + d->opcode_len;
	return len < DISASM_MAX_LEN ? len : DISASM_MAX_LEN;
}

static unsigned info_flags(const struct dis *d)
{
	unsigned f = 0;
	if (d->flags & F_CALL)
		f |= DISASM_CALL;
	if (d->flags & F_JMP)
		f |= DISASM_JUMP;
	if (d->flags & F_JCC)
		f |= DISASM_COND;
	if (d->flags & F_RET)
		f |= DISASM_RET;
	if ((f & (DISASM_CALL | DISASM_JUMP)) && !d->branch)
		f |= DISASM_INDIRECT;
	if (d->branch)
		f |= DISASM_TARGET;
	if (d->riprel)
		f |= DISASM_RIPREL;
	return f;
}

static void init(struct dis *d, const uint8_t *buf, size_t len, uint64_t addr)
{
	memset(d, 0, sizeof *d);
	d->buf = buf;
	d->len = len;
	d->addr = addr;
	d->i66 = d->i67 = d->iseg = d->irep = d->irex = NO_PREFIX;
	d->if2 = d->if3 = d->ilock = NO_PREFIX;
	d->consumed = NO_PREFIX;
}

/* Decode and print; returns the length, filling info's flags. */
static size_t decode(struct dis *d, struct sbuf *b, disasm_sym_fn sym,
		     struct disasm_info *info)
{
	if (!read_prefixes(d))
		return print_prefixes_only(d, b);
	d->e = d->truncated ? 0 : lookup(d);
	if (d->e) {
		d->flags = d->e->flags;
		dis_decode_operands(d);
	}
	if (d->truncated) {
		info->flags = DISASM_TRUNCATED;
		return print_truncated(d, b);
	}
	if (!d->e || d->bad || d->pos > DISASM_MAX_LEN) {
		info->flags = DISASM_BAD;
		return print_bad(d, b);
	}
	print_insn(d, b, sym);
	info->flags = info_flags(d);
	if (!strcmp(d->e->name, "(bad)"))
		info->flags |= DISASM_BAD; /* x87's, printed with operands */
	if (d->branch || d->riprel)
		info->target = target(d);
	return d->pos;
}

size_t disasm_decode(const uint8_t *buf, size_t len, uint64_t addr, char *out,
		     size_t outsz, disasm_sym_fn sym, struct disasm_info *info)
{
	struct disasm_info scratch;
	struct dis d;
	struct sbuf b = {out, outsz, 0};
	if (!info)
		info = &scratch;
	*info = (struct disasm_info){0};
	dis_put(&b, "");
	if (!len)
		return 0;
	init(&d, buf, len, addr);
	info->len = (unsigned)decode(&d, &b, sym, info);
	return info->len;
}

size_t disasm_one(const uint8_t *buf, size_t len, uint64_t addr, char *out,
		  size_t outsz, disasm_sym_fn sym)
{
	return disasm_decode(buf, len, addr, out, outsz, sym, 0);
}
