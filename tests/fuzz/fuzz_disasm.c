/* fuzz_disasm.c — libFuzzer: random bytes through the disassembler, swept
 * linearly as the monitor lists them. The bytes sit in a buffer of exactly
 * their size, so ASan reports any read past the length the decoder got. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/disasm.h"

static bool sym(uint64_t addr, char *buf, size_t n)
{
	if (addr & 1)
		return false;
	snprintf(buf, n, "f+0x%llx", (unsigned long long)(addr & 0xff));
	return true;
}

/* One instruction: the length is sane and the text is a terminated string
 * within outsz. */
static size_t one(const uint8_t *p, size_t len, uint64_t addr, size_t outsz)
{
	char out[DISASM_TEXT_MAX + 1];
	struct disasm_info info;
	out[outsz] = 'X'; /* must stay untouched */
	size_t n = disasm_decode(p, len, addr, out, outsz, sym, &info);
	if (n == 0 || n > len || n > DISASM_MAX_LEN || info.len != n)
		abort();
	if (outsz && strnlen(out, outsz) == outsz)
		abort();
	if (out[outsz] != 'X')
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t outsz = data[0] % 4 == 0 ? data[0] % (DISASM_TEXT_MAX + 1)
					: DISASM_TEXT_MAX;
	uint8_t *buf = malloc(size - 1 ? size - 1 : 1);
	memcpy(buf, data + 1, size - 1);
	uint64_t addr = 0xffffffff80001000ull - (uint64_t)data[0] * 0x10000;
	for (size_t off = 0; off < size - 1;)
		off += one(buf + off, size - 1 - off, addr + off, outsz);
	free(buf);
	return 0;
}
