/* gdb_regs.h — x86-64 register table for GDB, target.xml, signals. */
#ifndef KERNEL_DEBUG_GDB_REGS_H
#define KERNEL_DEBUG_GDB_REGS_H

#include <stddef.h>
#include <stdint.h>

/* Registers the target is asked for, by name rather than GDB number. */
enum gdb_reg_id {
	GDB_REG_RAX,
	GDB_REG_RBX,
	GDB_REG_RCX,
	GDB_REG_RDX,
	GDB_REG_RSI,
	GDB_REG_RDI,
	GDB_REG_RBP,
	GDB_REG_RSP,
	GDB_REG_R8,
	GDB_REG_R9,
	GDB_REG_R10,
	GDB_REG_R11,
	GDB_REG_R12,
	GDB_REG_R13,
	GDB_REG_R14,
	GDB_REG_R15,
	GDB_REG_RIP,
	GDB_REG_EFLAGS,
	GDB_REG_CS,
	GDB_REG_SS,
	GDB_REG_DS,
	GDB_REG_ES,
	GDB_REG_FS,
	GDB_REG_GS,
	GDB_REG_ST0,
	GDB_REG_ST1,
	GDB_REG_ST2,
	GDB_REG_ST3,
	GDB_REG_ST4,
	GDB_REG_ST5,
	GDB_REG_ST6,
	GDB_REG_ST7,
	GDB_REG_FCTRL,
	GDB_REG_FSTAT,
	GDB_REG_FTAG,
	GDB_REG_FISEG,
	GDB_REG_FIOFF,
	GDB_REG_FOSEG,
	GDB_REG_FOOFF,
	GDB_REG_FOP,
	GDB_REG_XMM0,
	GDB_REG_XMM1,
	GDB_REG_XMM2,
	GDB_REG_XMM3,
	GDB_REG_XMM4,
	GDB_REG_XMM5,
	GDB_REG_XMM6,
	GDB_REG_XMM7,
	GDB_REG_XMM8,
	GDB_REG_XMM9,
	GDB_REG_XMM10,
	GDB_REG_XMM11,
	GDB_REG_XMM12,
	GDB_REG_XMM13,
	GDB_REG_XMM14,
	GDB_REG_XMM15,
	GDB_REG_MXCSR,
	GDB_REG_FS_BASE,
	GDB_REG_GS_BASE,
	GDB_REG_K_GS_BASE,
	GDB_REG_CR0,
	GDB_REG_CR2,
	GDB_REG_CR3,
	GDB_REG_CR4,
	GDB_REG_CR8,
	GDB_REG_EFER,
	GDB_REG_ID_COUNT
};

/* A target-description feature: its GDB name and XML type definitions. */
struct gdb_feature {
	const char *name;
	const char
	    *types; /* <flags>/<vector> elements emitted before the regs */
};

/* One register as GDB sees it. The table index is the GDB register number
 * used by 'p'/'P' and the order of 'g'/'G'; the XML is generated from the
 * same table, so the two cannot disagree (kgdb's dbg_reg_def[]). */
struct gdb_reg_def {
	const char *name;
	uint16_t bitsize;   /* multiple of 8 */
	const char *type;   /* GDB type name: int64, code_ptr, i387_ext... */
	const char *group;  /* reggroup, or NULL for the default */
	uint8_t feature;    /* index into gdb_features[] */
	enum gdb_reg_id id; /* what the target is asked for */
};

extern const struct gdb_feature gdb_features[];
extern const size_t gdb_num_features;
extern const struct gdb_reg_def gdb_reg_defs[];
extern const size_t gdb_num_regs;

#define GDB_REG_MAX_BYTES 16 /* xmm0-xmm15 are 128 bits */

/* Bytes of register regnum (< gdb_num_regs). */
size_t gdb_reg_size(size_t regnum);

/* Byte offset of register regnum within the 'g' register block. */
size_t gdb_reg_offset(size_t regnum);

/* Bytes of the whole 'g' register block. */
size_t gdb_regs_size(void);

/* Write the target description (target.xml) into buf. Returns its length,
 * or 0 when cap is too small. buf is NUL-terminated when it fits. */
size_t gdb_target_xml(char *buf, size_t cap);

#define GDB_TARGET_XML_MAX 12288

/* GDB's own signal numbers (gdb/signals.def), as sent in stop replies. */
enum gdb_signal {
	GDB_SIGINT = 2,
	GDB_SIGILL = 4,
	GDB_SIGTRAP = 5,
	GDB_SIGEMT = 7,
	GDB_SIGFPE = 8,
	GDB_SIGBUS = 10,
	GDB_SIGSEGV = 11,
};

/* Signal GDB is told for CPU exception/interrupt vector v. */
int gdb_signal_for_vector(unsigned v);

#endif
