/* insn_call.h — the length of a call instruction, the only decoding `n`
 * (step over calls) needs (pure logic; the disassembler's DISASM_CALL can
 * replace it). */
#ifndef KERNEL_DEBUG_INSN_CALL_H
#define KERNEL_DEBUG_INSN_CALL_H

#include <stddef.h>
#include <stdint.h>

#define INSN_MAX_LEN 15 /* longest x86 instruction (SDM vol. 2, 2.3.11) */

/* When code[0..n) starts with a near or far call (E8 rel32, FF /2, FF /3,
 * after legacy and REX prefixes), its length in bytes; else 0, also when
 * the instruction runs past n. */
unsigned insn_call_len(const uint8_t *code, size_t n);

#endif
