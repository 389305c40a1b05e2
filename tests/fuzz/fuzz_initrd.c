/* fuzz_initrd.c — libFuzzer target for the ustar reader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fs/initrd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	struct initrd rd = {copy, size};
	struct initrd_file f;
	const char *why;
	for (size_t i = 0; initrd_file_at(&rd, i, &f, &why) == 0; i++) {
		if (f.data < copy || f.size > (size_t)(copy + size - f.data))
			abort();
		volatile uint8_t sink = f.size ? f.data[f.size - 1] : 0;
		(void)sink;
		initrd_find(&rd, f.name, &f);
	}
	free(copy);
	return 0;
}
