/* gdb_regs.c — x86-64 register table for GDB, exception→signal map. */
#include "kernel/arch/trap.h" /* the exception vectors */
#include "kernel/debug/gdb_regs.h"

/* Feature indices into gdb_features[]. */
enum { FEAT_CORE, FEAT_SSE, FEAT_SEGMENTS, FEAT_SYS };

/* EFLAGS bit fields, as GDB's features/i386/64bit-core.xml names them. */
static const char eflags_type[] =
    "<flags id=\"i386_eflags\" size=\"4\">"
    "<field name=\"CF\" start=\"0\" end=\"0\"/>"
    "<field name=\"\" start=\"1\" end=\"1\"/>"
    "<field name=\"PF\" start=\"2\" end=\"2\"/>"
    "<field name=\"AF\" start=\"4\" end=\"4\"/>"
    "<field name=\"ZF\" start=\"6\" end=\"6\"/>"
    "<field name=\"SF\" start=\"7\" end=\"7\"/>"
    "<field name=\"TF\" start=\"8\" end=\"8\"/>"
    "<field name=\"IF\" start=\"9\" end=\"9\"/>"
    "<field name=\"DF\" start=\"10\" end=\"10\"/>"
    "<field name=\"OF\" start=\"11\" end=\"11\"/>"
    "<field name=\"NT\" start=\"14\" end=\"14\"/>"
    "<field name=\"RF\" start=\"16\" end=\"16\"/>"
    "<field name=\"VM\" start=\"17\" end=\"17\"/>"
    "<field name=\"AC\" start=\"18\" end=\"18\"/>"
    "<field name=\"VIF\" start=\"19\" end=\"19\"/>"
    "<field name=\"VIP\" start=\"20\" end=\"20\"/>"
    "<field name=\"ID\" start=\"21\" end=\"21\"/>"
    "</flags>\n";

/* The XMM registers as GDB's features/i386/64bit-sse.xml types them (the
 * union QEMU's stub sends too), and MXCSR's bits (SDM vol. 1, 10.2.3). */
static const char sse_types[] =
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
    "<union id=\"vec128\">"
    "<field name=\"v4_float\" type=\"v4f\"/>"
    "<field name=\"v2_double\" type=\"v2d\"/>"
    "<field name=\"v16_int8\" type=\"v16i8\"/>"
    "<field name=\"v8_int16\" type=\"v8i16\"/>"
    "<field name=\"v4_int32\" type=\"v4i32\"/>"
    "<field name=\"v2_int64\" type=\"v2i64\"/>"
    "<field name=\"uint128\" type=\"uint128\"/>"
    "</union>\n"
    "<flags id=\"i386_mxcsr\" size=\"4\">"
    "<field name=\"IE\" start=\"0\" end=\"0\"/>"
    "<field name=\"DE\" start=\"1\" end=\"1\"/>"
    "<field name=\"ZE\" start=\"2\" end=\"2\"/>"
    "<field name=\"OE\" start=\"3\" end=\"3\"/>"
    "<field name=\"UE\" start=\"4\" end=\"4\"/>"
    "<field name=\"PE\" start=\"5\" end=\"5\"/>"
    "<field name=\"DAZ\" start=\"6\" end=\"6\"/>"
    "<field name=\"IM\" start=\"7\" end=\"7\"/>"
    "<field name=\"DM\" start=\"8\" end=\"8\"/>"
    "<field name=\"ZM\" start=\"9\" end=\"9\"/>"
    "<field name=\"OM\" start=\"10\" end=\"10\"/>"
    "<field name=\"UM\" start=\"11\" end=\"11\"/>"
    "<field name=\"PM\" start=\"12\" end=\"12\"/>"
    "<field name=\"FZ\" start=\"15\" end=\"15\"/>"
    "</flags>\n";

/* Bit names of CR0, CR4 (Intel SDM vol. 3A, 2.5) and EFER (MSR 0xc0000080),
 * so GDB prints e.g. "cr0 0x80050033 [ PE MP ET NE WP AM PG ]". */
static const char sys_types[] =
    "<flags id=\"triage_cr0\" size=\"8\">"
    "<field name=\"PE\" start=\"0\" end=\"0\"/>"
    "<field name=\"MP\" start=\"1\" end=\"1\"/>"
    "<field name=\"EM\" start=\"2\" end=\"2\"/>"
    "<field name=\"TS\" start=\"3\" end=\"3\"/>"
    "<field name=\"ET\" start=\"4\" end=\"4\"/>"
    "<field name=\"NE\" start=\"5\" end=\"5\"/>"
    "<field name=\"WP\" start=\"16\" end=\"16\"/>"
    "<field name=\"AM\" start=\"18\" end=\"18\"/>"
    "<field name=\"NW\" start=\"29\" end=\"29\"/>"
    "<field name=\"CD\" start=\"30\" end=\"30\"/>"
    "<field name=\"PG\" start=\"31\" end=\"31\"/>"
    "</flags>\n"
    "<flags id=\"triage_cr4\" size=\"8\">"
    "<field name=\"VME\" start=\"0\" end=\"0\"/>"
    "<field name=\"PVI\" start=\"1\" end=\"1\"/>"
    "<field name=\"TSD\" start=\"2\" end=\"2\"/>"
    "<field name=\"DE\" start=\"3\" end=\"3\"/>"
    "<field name=\"PSE\" start=\"4\" end=\"4\"/>"
    "<field name=\"PAE\" start=\"5\" end=\"5\"/>"
    "<field name=\"MCE\" start=\"6\" end=\"6\"/>"
    "<field name=\"PGE\" start=\"7\" end=\"7\"/>"
    "<field name=\"PCE\" start=\"8\" end=\"8\"/>"
    "<field name=\"OSFXSR\" start=\"9\" end=\"9\"/>"
    "<field name=\"OSXMMEXCPT\" start=\"10\" end=\"10\"/>"
    "<field name=\"UMIP\" start=\"11\" end=\"11\"/>"
    "<field name=\"LA57\" start=\"12\" end=\"12\"/>"
    "<field name=\"VMXE\" start=\"13\" end=\"13\"/>"
    "<field name=\"SMXE\" start=\"14\" end=\"14\"/>"
    "<field name=\"FSGSBASE\" start=\"16\" end=\"16\"/>"
    "<field name=\"PCIDE\" start=\"17\" end=\"17\"/>"
    "<field name=\"OSXSAVE\" start=\"18\" end=\"18\"/>"
    "<field name=\"SMEP\" start=\"20\" end=\"20\"/>"
    "<field name=\"SMAP\" start=\"21\" end=\"21\"/>"
    "<field name=\"PKE\" start=\"22\" end=\"22\"/>"
    "</flags>\n"
    "<flags id=\"triage_efer\" size=\"8\">"
    "<field name=\"SCE\" start=\"0\" end=\"0\"/>"
    "<field name=\"LME\" start=\"8\" end=\"8\"/>"
    "<field name=\"LMA\" start=\"10\" end=\"10\"/>"
    "<field name=\"NXE\" start=\"11\" end=\"11\"/>"
    "<field name=\"SVME\" start=\"12\" end=\"12\"/>"
    "<field name=\"LMSLE\" start=\"13\" end=\"13\"/>"
    "<field name=\"FFXSR\" start=\"14\" end=\"14\"/>"
    "<field name=\"TCE\" start=\"15\" end=\"15\"/>"
    "</flags>\n";

const struct gdb_feature gdb_features[] = {
    [FEAT_CORE] = {"org.gnu.gdb.i386.core", eflags_type},
    [FEAT_SSE] = {"org.gnu.gdb.i386.sse", sse_types},
    [FEAT_SEGMENTS] = {"org.gnu.gdb.i386.segments", ""},
    /* Our own: control registers and EFER, so `info registers cr3` works. */
    [FEAT_SYS] = {"org.triage.x86.sys", sys_types},
};
const size_t gdb_num_features = sizeof gdb_features / sizeof gdb_features[0];

/* One row of the table: name, bits, GDB type, group, feature, our id. */
#define REG(n, bits, t, grp, feat, id)                                         \
	{                                                                      \
		n, bits, t, grp, feat, id                                      \
	}
#define GPR(n, t, id) REG(n, 64, t, NULL, FEAT_CORE, id)
#define SEG(n, id) REG(n, 32, "int32", NULL, FEAT_CORE, id)
#define ST(n, id) REG(n, 80, "i387_ext", NULL, FEAT_CORE, id)
#define FPU(n, id) REG(n, 32, "int", "float", FEAT_CORE, id)
#define XMM(n, id) REG(n, 128, "vec128", NULL, FEAT_SSE, id)
#define BASE(n, id) REG(n, 64, "int", NULL, FEAT_SEGMENTS, id)
#define SYS(n, t, id) REG(n, 64, t, "system", FEAT_SYS, id)

/* GDB register numbers are the indices; order and types follow GDB's
 * 64bit-core.xml, 64bit-sse.xml and 64bit-segments.xml (plus k_gs_base, as
 * QEMU's stub has it), then our system feature. So xmm0 is 40 and mxcsr 56,
 * the numbers GDB's amd64 code gives them. */
const struct gdb_reg_def gdb_reg_defs[] = {
    GPR("rax", "int64", GDB_REG_RAX),
    GPR("rbx", "int64", GDB_REG_RBX),
    GPR("rcx", "int64", GDB_REG_RCX),
    GPR("rdx", "int64", GDB_REG_RDX),
    GPR("rsi", "int64", GDB_REG_RSI),
    GPR("rdi", "int64", GDB_REG_RDI),
    GPR("rbp", "data_ptr", GDB_REG_RBP),
    GPR("rsp", "data_ptr", GDB_REG_RSP),
    GPR("r8", "int64", GDB_REG_R8),
    GPR("r9", "int64", GDB_REG_R9),
    GPR("r10", "int64", GDB_REG_R10),
    GPR("r11", "int64", GDB_REG_R11),
    GPR("r12", "int64", GDB_REG_R12),
    GPR("r13", "int64", GDB_REG_R13),
    GPR("r14", "int64", GDB_REG_R14),
    GPR("r15", "int64", GDB_REG_R15),
    GPR("rip", "code_ptr", GDB_REG_RIP),
    {"eflags", 32, "i386_eflags", NULL, FEAT_CORE, GDB_REG_EFLAGS},
    SEG("cs", GDB_REG_CS),
    SEG("ss", GDB_REG_SS),
    SEG("ds", GDB_REG_DS),
    SEG("es", GDB_REG_ES),
    SEG("fs", GDB_REG_FS),
    SEG("gs", GDB_REG_GS),
    ST("st0", GDB_REG_ST0),
    ST("st1", GDB_REG_ST1),
    ST("st2", GDB_REG_ST2),
    ST("st3", GDB_REG_ST3),
    ST("st4", GDB_REG_ST4),
    ST("st5", GDB_REG_ST5),
    ST("st6", GDB_REG_ST6),
    ST("st7", GDB_REG_ST7),
    FPU("fctrl", GDB_REG_FCTRL),
    FPU("fstat", GDB_REG_FSTAT),
    FPU("ftag", GDB_REG_FTAG),
    FPU("fiseg", GDB_REG_FISEG),
    FPU("fioff", GDB_REG_FIOFF),
    FPU("foseg", GDB_REG_FOSEG),
    FPU("fooff", GDB_REG_FOOFF),
    FPU("fop", GDB_REG_FOP),
    XMM("xmm0", GDB_REG_XMM0),
    XMM("xmm1", GDB_REG_XMM1),
    XMM("xmm2", GDB_REG_XMM2),
    XMM("xmm3", GDB_REG_XMM3),
    XMM("xmm4", GDB_REG_XMM4),
    XMM("xmm5", GDB_REG_XMM5),
    XMM("xmm6", GDB_REG_XMM6),
    XMM("xmm7", GDB_REG_XMM7),
    XMM("xmm8", GDB_REG_XMM8),
    XMM("xmm9", GDB_REG_XMM9),
    XMM("xmm10", GDB_REG_XMM10),
    XMM("xmm11", GDB_REG_XMM11),
    XMM("xmm12", GDB_REG_XMM12),
    XMM("xmm13", GDB_REG_XMM13),
    XMM("xmm14", GDB_REG_XMM14),
    XMM("xmm15", GDB_REG_XMM15),
    {"mxcsr", 32, "i386_mxcsr", "vector", FEAT_SSE, GDB_REG_MXCSR},
    BASE("fs_base", GDB_REG_FS_BASE),
    BASE("gs_base", GDB_REG_GS_BASE),
    BASE("k_gs_base", GDB_REG_K_GS_BASE),
    SYS("cr0", "triage_cr0", GDB_REG_CR0),
    SYS("cr2", "data_ptr", GDB_REG_CR2),
    SYS("cr3", "int64", GDB_REG_CR3),
    SYS("cr4", "triage_cr4", GDB_REG_CR4),
    SYS("cr8", "int64", GDB_REG_CR8),
    SYS("efer", "triage_efer", GDB_REG_EFER),
};
const size_t gdb_num_regs = sizeof gdb_reg_defs / sizeof gdb_reg_defs[0];

_Static_assert(sizeof gdb_reg_defs / sizeof gdb_reg_defs[0] == GDB_REG_ID_COUNT,
	       "every gdb_reg_id appears in gdb_reg_defs");

size_t gdb_reg_size(size_t regnum)
{
	return gdb_reg_defs[regnum].bitsize / 8;
}

size_t gdb_reg_offset(size_t regnum)
{
	size_t off = 0;
	for (size_t i = 0; i < regnum; i++)
		off += gdb_reg_size(i);
	return off;
}

size_t gdb_regs_size(void)
{
	return gdb_reg_offset(gdb_num_regs);
}

static const uint8_t vector_signal[VEC_IRQ0] = {
    [VEC_DE] = GDB_SIGFPE,  [VEC_DB] = GDB_SIGTRAP, [VEC_NMI] = GDB_SIGINT,
    [VEC_BP] = GDB_SIGTRAP, [VEC_OF] = GDB_SIGSEGV, [VEC_BR] = GDB_SIGSEGV,
    [VEC_UD] = GDB_SIGILL,  [VEC_NM] = GDB_SIGFPE,  [VEC_DF] = GDB_SIGSEGV,
    [VEC_TS] = GDB_SIGSEGV, [VEC_NP] = GDB_SIGBUS,  [VEC_SS] = GDB_SIGBUS,
    [VEC_GP] = GDB_SIGSEGV, [VEC_PF] = GDB_SIGSEGV, [VEC_MF] = GDB_SIGFPE,
    [VEC_AC] = GDB_SIGBUS,  [VEC_MC] = GDB_SIGBUS,  [VEC_XM] = GDB_SIGFPE,
};

int gdb_signal_for_vector(unsigned v)
{
	if (v >= VEC_IRQ0)
		return GDB_SIGINT; /* an interrupt: break key, GDB's Ctrl-C */
	return vector_signal[v] ? vector_signal[v] : GDB_SIGSEGV;
}
