/* fuzz_elf.c — libFuzzer target for the ELF validator. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/proc/elf.h"

#define LO 0x400000ULL
#define HI 0x7fffffef0000ULL

/* What elf_check promises about an accepted image. */
static void check_invariants(const struct elf_image *img, size_t size)
{
	for (int i = 0; i < img->nsegs; i++) {
		const struct elf_segment *s = &img->segs[i];
		if (s->filesz > s->memsz || s->offset > size ||
		    s->filesz > size - s->offset || s->vaddr < LO ||
		    s->memsz > HI - s->vaddr)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly size bytes: ASan catches any overread. */
	uint8_t *file = malloc(size ? size : 1);
	memcpy(file, data, size);
	struct elf_image img;
	char err[128];
	if (elf_check(file, size, LO, HI, &img, err, sizeof err))
		check_invariants(&img, size);
	else if (!memchr(err, '\0', sizeof err) || !err[0])
		abort(); /* a refusal always says why */
	free(file);
	return 0;
}
