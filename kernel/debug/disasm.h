/* disasm.h — x86-64 disassembler: one instruction from a byte buffer to AT&T
 * text as GNU objdump -d prints it (pure logic, no memory access of its own).
 */
#ifndef KERNEL_DEBUG_DISASM_H
#define KERNEL_DEBUG_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest x86 instruction (SDM vol. 2, 2.3.11: 15 bytes). */
#define DISASM_MAX_LEN 15
/* Room for any instruction's text, a symbolised target included. */
#define DISASM_TEXT_MAX 160

/* Symbolizer: write the name of addr as "sym" or "sym+0xoff" into buf (n
 * bytes) and return true, or return false when addr has no symbol. The
 * disassembler prints " <name>" after branch targets and rip-relative
 * comments, as objdump does. */
typedef bool (*disasm_sym_fn)(uint64_t addr, char *buf, size_t n);

/* What disasm_decode learned besides the text (for stepping over calls,
 * finishing a function, skipping a faulting instruction). */
#define DISASM_BAD (1u << 0)	   /* not a valid instruction: "(bad)" */
#define DISASM_TRUNCATED (1u << 1) /* buf ended inside the instruction */
#define DISASM_CALL (1u << 2)	   /* call (direct or indirect) */
#define DISASM_JUMP (1u << 3)	   /* unconditional jmp */
#define DISASM_COND (1u << 4)	   /* jcc, loop, jrcxz */
#define DISASM_RET (1u << 5)	   /* ret, lret, iret, sysret */
#define DISASM_INDIRECT (1u << 6)  /* branch through a register or memory */
#define DISASM_TARGET (1u << 7)	   /* target holds a direct branch target */
#define DISASM_RIPREL (1u << 8)	   /* target holds a rip-relative address */

struct disasm_info {
	unsigned len;	 /* bytes the instruction takes (as returned) */
	unsigned flags;	 /* DISASM_* */
	uint64_t target; /* see DISASM_TARGET and DISASM_RIPREL */
};

/* Decode the instruction at buf[0..len), which sits at address addr, into
 * out (outsz bytes, always NUL-terminated, truncated if too small): the
 * mnemonic padded to 6 columns, a space and the operands in AT&T order,
 * e.g. "mov    0x10(%rbp),%rax", "call   ffffffff80001000 <kmain>",
 * "lea    0x1f(%rip),%rdi        # ffffffff80004020 <msg>".
 * Never reads buf at or past len. Returns the instruction's length, at
 * most DISASM_MAX_LEN:
 * - an invalid opcode prints "(bad)" (after its prefixes' names, as objdump
 *   does) and counts its prefix and opcode bytes: 1 for a lone invalid
 *   byte, 2 for an invalid 0F xx (DISASM_BAD);
 * - when buf ends inside the instruction, prints the first byte as objdump
 *   does (".byte 0x48", or a prefix's name) and counts 1 (DISASM_TRUNCATED);
 * - prefixes objdump shows on their own (14 of them, or a REX before
 *   another prefix) print as their names and count as many bytes;
 * - len == 0 prints "" and returns 0.
 * Branch targets and rip-relative addresses print as "ffffffff80001000
 * <kmain>" when sym names them, else as "0x401000" (objdump's forms); sym
 * may be NULL. info may be NULL. */
size_t disasm_decode(const uint8_t *buf, size_t len, uint64_t addr, char *out,
		     size_t outsz, disasm_sym_fn sym, struct disasm_info *info);

/* disasm_decode without the details. */
size_t disasm_one(const uint8_t *buf, size_t len, uint64_t addr, char *out,
		  size_t outsz, disasm_sym_fn sym);

#endif
