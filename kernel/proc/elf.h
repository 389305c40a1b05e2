/* elf.h — ELF64 executable validation (pure code). */
#ifndef KERNEL_PROC_ELF_H
#define KERNEL_PROC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ELF64 file layout (System V ABI, ELF-64 Object File Format 1.5). */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

#define ELF_MAG "\177ELF"
#define ELF_EI_CLASS 4
#define ELF_EI_DATA 5
#define ELF_EI_VERSION 6
#define ELF_CLASS64 2
#define ELF_DATA2LSB 1
#define ELF_EV_CURRENT 1
#define ELF_ET_EXEC 2
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP 3
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

#define ELF_MAX_PHDRS 16   /* program headers we are willing to read */
#define ELF_MAX_SEGMENTS 8 /* PT_LOAD segments in one image */
#define ELF_PAGE 4096ULL

/* A PT_LOAD segment that passed the checks. */
struct elf_segment {
	uint64_t vaddr, memsz;	 /* [vaddr, vaddr+memsz) in user space */
	uint64_t offset, filesz; /* bytes copied from the file, rest zero */
	uint32_t flags;		 /* ELF_PF_R/W/X */
};

struct elf_image {
	uint64_t entry;
	int nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];
};

/* Validate the ELF64 executable file[0..size) for loading into the user
 * range [user_lo, user_hi): header fields, program-header table and every
 * PT_LOAD segment (inside the file, inside the range, no two sharing a
 * page, not both writable and executable), entry in an executable segment.
 * On success fill *img and return true; otherwise write a message naming
 * what is wrong into err and return false. */
bool elf_check(const void *file, size_t size, uint64_t user_lo,
	       uint64_t user_hi, struct elf_image *img, char *err,
	       size_t errlen);

#endif
