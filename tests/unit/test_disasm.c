/* test_disasm.c — the x86-64 disassembler against GNU objdump -d's text for
 * hand-picked encodings (what GCC emits here, system instructions, SSE, x87),
 * plus short buffers, (bad), symbols and the decoded details. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/disasm.h"
#include "tests/unit/harness.h"

struct insn_case {
	uint64_t addr;	  /* where the instruction sits */
	const char *hex;  /* its bytes */
	const char *text; /* objdump -d's text (binutils 2.40, no symbols) */
};

/* Assembled with GNU as from one .s listing; the texts are objdump's. */
static const struct insn_case cases[] = {
    {0x0, "55", "push   %rbp"},
    {0x1, "48 89 e5", "mov    %rsp,%rbp"},
    {0x4, "5d", "pop    %rbp"},
    {0x5, "c3", "ret"},
    {0x6, "48 8b 45 f8", "mov    -0x8(%rbp),%rax"},
    {0xa, "89 44 8b 10", "mov    %eax,0x10(%rbx,%rcx,4)"},
    {0xe, "c7 00 01 00 00 00", "movl   $0x1,(%rax)"},
    {0x14, "48 c7 44 24 08 ff ff ff ff",
     "movq   $0xffffffffffffffff,0x8(%rsp)"},
    {0x1d, "c6 04 37 7f", "movb   $0x7f,(%rdi,%rsi,1)"},
    {0x21, "66 c7 00 34 12", "movw   $0x1234,(%rax)"},
    {0x26, "48 b8 88 77 66 55 44 33 22 11", "movabs $0x1122334455667788,%rax"},
    {0x30, "48 8b 05 23 01 00 00", "mov    0x123(%rip),%rax        # 0x15a"},
    {0x37, "48 8d 3d 10 00 00 00", "lea    0x10(%rip),%rdi        # 0x4e"},
    {0x3e, "48 8d 14 c5 00 00 00 00", "lea    0x0(,%rax,8),%rdx"},
    {0x46, "64 48 8b 04 25 28 00 00 00", "mov    %fs:0x28,%rax"},
    {0x4f, "0f 20 c0", "mov    %cr0,%rax"},
    {0x52, "0f 20 d8", "mov    %cr3,%rax"},
    {0x55, "0f 22 d8", "mov    %rax,%cr3"},
    {0x58, "0f 20 e0", "mov    %cr4,%rax"},
    {0x5b, "0f 22 e0", "mov    %rax,%cr4"},
    {0x5e, "0f 20 d0", "mov    %cr2,%rax"},
    {0x61, "44 0f 20 c0", "mov    %cr8,%rax"},
    {0x65, "0f 21 f8", "mov    %db7,%rax"},
    {0x68, "0f 23 c0", "mov    %rax,%db0"},
    {0x6b, "8c d8", "mov    %ds,%eax"},
    {0x6d, "8e d0", "mov    %eax,%ss"},
    {0x6f, "0f 01 17", "lgdt   (%rdi)"},
    {0x72, "0f 01 1f", "lidt   (%rdi)"},
    {0x75, "0f 01 44 24 10", "sgdt   0x10(%rsp)"},
    {0x7a, "0f 01 4c 24 10", "sidt   0x10(%rsp)"},
    {0x7f, "0f 00 d8", "ltr    %ax"},
    {0x82, "0f 00 df", "ltr    %di"},
    {0x85, "0f 00 d0", "lldt   %ax"},
    {0x88, "0f 00 c8", "str    %eax"},
    {0x8b, "0f 32", "rdmsr"},
    {0x8d, "0f 30", "wrmsr"},
    {0x8f, "0f a2", "cpuid"},
    {0x91, "0f 31", "rdtsc"},
    {0x93, "0f 01 f9", "rdtscp"},
    {0x96, "48 cf", "iretq"},
    {0x98, "cf", "iret"},
    {0x99, "48 0f 07", "sysretq"},
    {0x9c, "0f 07", "sysretl"},
    {0x9e, "0f 05", "syscall"},
    {0xa0, "0f 01 f8", "swapgs"},
    {0xa3, "0f 01 38", "invlpg (%rax)"},
    {0xa6, "0f 01 bf 00 10 00 00", "invlpg 0x1000(%rdi)"},
    {0xad, "f4", "hlt"},
    {0xae, "fa", "cli"},
    {0xaf, "fb", "sti"},
    {0xb0, "e4 60", "in     $0x60,%al"},
    {0xb2, "ec", "in     (%dx),%al"},
    {0xb3, "ed", "in     (%dx),%eax"},
    {0xb4, "66 ed", "in     (%dx),%ax"},
    {0xb6, "e6 80", "out    %al,$0x80"},
    {0xb8, "ee", "out    %al,(%dx)"},
    {0xb9, "ef", "out    %eax,(%dx)"},
    {0xba, "cc", "int3"},
    {0xbb, "cd 80", "int    $0x80"},
    {0xbd, "f1", "int1"},
    {0xbe, "f3 a4", "rep movsb %ds:(%rsi),%es:(%rdi)"},
    {0xc0, "f3 48 a5", "rep movsq %ds:(%rsi),%es:(%rdi)"},
    {0xc3, "f3 aa", "rep stos %al,%es:(%rdi)"},
    {0xc5, "f3 48 ab", "rep stos %rax,%es:(%rdi)"},
    {0xc8, "f3 ab", "rep stos %eax,%es:(%rdi)"},
    {0xca, "f3 a6", "repz cmpsb %es:(%rdi),%ds:(%rsi)"},
    {0xcc, "f2 ae", "repnz scas %es:(%rdi),%al"},
    {0xce, "48 93", "xchg   %rax,%rbx"},
    {0xd0, "87 02", "xchg   %eax,(%rdx)"},
    {0xd2, "66 90", "xchg   %ax,%ax"},
    {0xd4, "f0 48 0f b1 0a", "lock cmpxchg %rcx,(%rdx)"},
    {0xd9, "f0 0f b1 0a", "lock cmpxchg %ecx,(%rdx)"},
    {0xdd, "f0 0f c1 02", "lock xadd %eax,(%rdx)"},
    {0xe1, "f0 ff 00", "lock incl (%rax)"},
    {0xe4, "f0 48 83 07 01", "lock addq $0x1,(%rdi)"},
    {0xe9, "f0 48 0f ab 07", "lock bts %rax,(%rdi)"},
    {0xee, "48 0f c7 0f", "cmpxchg16b (%rdi)"},
    {0xf2, "0f a3 c8", "bt     %ecx,%eax"},
    {0xf5, "0f ba e0 05", "bt     $0x5,%eax"},
    {0xf9, "0f ba 20 05", "btl    $0x5,(%rax)"},
    {0xfd, "48 0f ab c3", "bts    %rax,%rbx"},
    {0x101, "48 0f ba f2 03", "btr    $0x3,%rdx"},
    {0x106, "0f bb 01", "btc    %eax,(%rcx)"},
    {0x109, "48 0f 44 d8", "cmove  %rax,%rbx"},
    {0x10d, "0f 45 d1", "cmovne %ecx,%edx"},
    {0x110, "0f 48 47 08", "cmovs  0x8(%rdi),%eax"},
    {0x114, "0f 94 c0", "sete   %al"},
    {0x117, "41 0f 95 c0", "setne  %r8b"},
    {0x11b, "0f 96 00", "setbe  (%rax)"},
    {0x11e, "0f b6 c0", "movzbl %al,%eax"},
    {0x121, "0f b6 07", "movzbl (%rdi),%eax"},
    {0x124, "0f b7 c0", "movzwl %ax,%eax"},
    {0x127, "48 0f b6 c6", "movzbq %sil,%rax"},
    {0x12b, "0f be c0", "movsbl %al,%eax"},
    {0x12e, "0f bf c0", "movswl %ax,%eax"},
    {0x131, "48 0f be 07", "movsbq (%rdi),%rax"},
    {0x135, "48 63 d0", "movslq %eax,%rdx"},
    {0x138, "48 63 07", "movslq (%rdi),%rax"},
    {0x13b, "66 0f be c0", "movsbw %al,%ax"},
    {0x13f, "48 98", "cltq"},
    {0x141, "48 99", "cqto"},
    {0x143, "99", "cltd"},
    {0x144, "98", "cwtl"},
    {0x145, "d1 e0", "shl    %eax"},
    {0x147, "48 c1 e0 04", "shl    $0x4,%rax"},
    {0x14b, "d3 ea", "shr    %cl,%edx"},
    {0x14d, "48 c1 f8 3f", "sar    $0x3f,%rax"},
    {0x151, "66 c1 c0 08", "rol    $0x8,%ax"},
    {0x155, "d1 20", "shll   (%rax)"},
    {0x157, "c0 2f 02", "shrb   $0x2,(%rdi)"},
    {0x15a, "48 0f af c3", "imul   %rbx,%rax"},
    {0x15e, "48 6b d0 10", "imul   $0x10,%rax,%rdx"},
    {0x162, "69 c8 45 23 01 00", "imul   $0x12345,%eax,%ecx"},
    {0x168, "f7 e9", "imul   %ecx"},
    {0x16a, "48 f7 e2", "mul    %rdx"},
    {0x16d, "48 f7 f1", "div    %rcx"},
    {0x170, "f7 3f", "idivl  (%rdi)"},
    {0x172, "48 f7 d8", "neg    %rax"},
    {0x175, "f7 d0", "not    %eax"},
    {0x177, "ff c0", "inc    %eax"},
    {0x179, "48 ff 08", "decq   (%rax)"},
    {0x17c, "48 85 c0", "test   %rax,%rax"},
    {0x17f, "a8 01", "test   $0x1,%al"},
    {0x181, "f6 07 80", "testb  $0x80,(%rdi)"},
    {0x184, "48 83 e4 f0", "and    $0xfffffffffffffff0,%rsp"},
    {0x188, "83 c0 ff", "add    $0xffffffff,%eax"},
    {0x18b, "48 83 ec 18", "sub    $0x18,%rsp"},
    {0x18f, "3c 7f", "cmp    $0x7f,%al"},
    {0x191, "80 3f 00", "cmpb   $0x0,(%rdi)"},
    {0x194, "48 83 78 08 00", "cmpq   $0x0,0x8(%rax)"},
    {0x199, "09 03", "or     %eax,(%rbx)"},
    {0x19b, "31 c0", "xor    %eax,%eax"},
    {0x19d, "48 83 d2 00", "adc    $0x0,%rdx"},
    {0x1a1, "19 c0", "sbb    %eax,%eax"},
    {0x1a3, "f3 0f 1e fa", "endbr64"},
    {0x1a7, "90", "nop"},
    {0x1a8, "0f 1f 00", "nopl   (%rax)"},
    {0x1ab, "0f 1f 00", "nopl   (%rax)"},
    {0x1ae, "0f 1f 04 00", "nopl   (%rax,%rax,1)"},
    {0x1b2, "66 0f 1f 04 00", "nopw   (%rax,%rax,1)"},
    {0x1b7, "2e 66 0f 1f 04 00", "cs nopw (%rax,%rax,1)"},
    {0x1bd, "66 66 2e 0f 1f 84 00 00 00 00 00",
     "data16 cs nopw 0x0(%rax,%rax,1)"},
    {0x1c8, "66 90", "xchg   %ax,%ax"},
    {0x1ca, "0f 0b", "ud2"},
    {0x1cc, "f3 90", "pause"},
    {0x1ce, "c9", "leave"},
    {0x1cf, "ff d0", "call   *%rax"},
    {0x1d1, "ff 50 08", "call   *0x8(%rax)"},
    {0x1d4, "ff e0", "jmp    *%rax"},
    {0x1d6, "ff 24 c5 00 00 00 00", "jmp    *0x0(,%rax,8)"},
    {0x1dd, "6a 00", "push   $0x0"},
    {0x1df, "6a ff", "push   $0xffffffffffffffff"},
    {0x1e1, "ff 70 08", "push   0x8(%rax)"},
    {0x1e4, "8f 00", "pop    (%rax)"},
    {0x1e6, "9c", "pushf"},
    {0x1e7, "9d", "popf"},
    {0x1e8, "41 54", "push   %r12"},
    {0x1ea, "41 5f", "pop    %r15"},
    {0x1ec, "c8 10 00 00", "enter  $0x10,$0x0"},
    {0x1f0, "c2 08 00", "ret    $0x8"},
    {0x1f3, "cb", "lret"},
    {0x1f4, "48 cb", "lretq"},
    {0x1f6, "f8", "clc"},
    {0x1f7, "f9", "stc"},
    {0x1f8, "fc", "cld"},
    {0x1f9, "fd", "std"},
    {0x1fa, "f5", "cmc"},
    {0x1fb, "9e", "sahf"},
    {0x1fc, "9f", "lahf"},
    {0x1fd, "0f c8", "bswap  %eax"},
    {0x1ff, "49 0f c9", "bswap  %r9"},
    {0x202, "f3 48 0f b8 d8", "popcnt %rax,%rbx"},
    {0x207, "f3 0f bc c8", "tzcnt  %eax,%ecx"},
    {0x20b, "f3 48 0f bd c7", "lzcnt  %rdi,%rax"},
    {0x210, "0f bc d0", "bsf    %eax,%edx"},
    {0x213, "48 0f bd c8", "bsr    %rax,%rcx"},
    {0x217, "0f a4 c2 04", "shld   $0x4,%eax,%edx"},
    {0x21b, "48 0f ad c2", "shrd   %cl,%rax,%rdx"},
    {0x21f, "d7", "xlat   %ds:(%rbx)"},
    {0x220, "a4", "movsb  %ds:(%rsi),%es:(%rdi)"},
    {0x221, "ac", "lods   %ds:(%rsi),%al"},
    {0x222, "48 ad", "lods   %ds:(%rsi),%rax"},
    {0x224, "66 ab", "stos   %ax,%es:(%rdi)"},
    {0x226, "af", "scas   %es:(%rdi),%eax"},
    {0x227, "48 a7", "cmpsq  %es:(%rdi),%ds:(%rsi)"},
    {0x229, "0f ae 3f", "clflush (%rdi)"},
    {0x22c, "0f ae e8", "lfence"},
    {0x22f, "0f ae f0", "mfence"},
    {0x232, "0f ae f8", "sfence"},
    {0x235, "0f 18 08", "prefetcht0 (%rax)"},
    {0x238, "0f 18 47 40", "prefetchnta 0x40(%rdi)"},
    {0x23c, "0f 09", "wbinvd"},
    {0x23e, "0f 08", "invd"},
    {0x240, "0f 06", "clts"},
    {0x242, "0f 33", "rdpmc"},
    {0x244, "0f c7 f0", "rdrand %eax"},
    {0x247, "48 0f c7 f8", "rdseed %rax"},
    {0x24b, "f3 48 0f ae c0", "rdfsbase %rax"},
    {0x250, "f3 48 0f ae df", "wrgsbase %rdi"},
    {0x255, "0f 01 d0", "xgetbv"},
    {0x258, "0f 01 d1", "xsetbv"},
    {0x25b, "0f ae 07", "fxsave (%rdi)"},
    {0x25e, "48 0f ae 0f", "fxrstor64 (%rdi)"},
    {0x262, "0f ae 27", "xsave  (%rdi)"},
    {0x265, "0f ae 2f", "xrstor (%rdi)"},
    {0x268, "0f 01 ca", "clac"},
    {0x26b, "0f 01 cb", "stac"},
    {0x26e, "0f 01 c8", "monitor %rax,%ecx,%edx"},
    {0x271, "0f 01 c9", "mwait  %eax,%ecx"},
    {0x274, "0f 28 c8", "movaps %xmm0,%xmm1"},
    {0x277, "0f 10 07", "movups (%rdi),%xmm0"},
    {0x27a, "0f 11 07", "movups %xmm0,(%rdi)"},
    {0x27d, "66 0f 6f d1", "movdqa %xmm1,%xmm2"},
    {0x281, "f3 0f 6f 1e", "movdqu (%rsi),%xmm3"},
    {0x285, "f3 0f 7f 1f", "movdqu %xmm3,(%rdi)"},
    {0x289, "66 48 0f 7e c0", "movq   %xmm0,%rax"},
    {0x28e, "66 48 0f 6e c0", "movq   %rax,%xmm0"},
    {0x293, "66 0f 6e c8", "movd   %eax,%xmm1"},
    {0x297, "66 0f 7e c8", "movd   %xmm1,%eax"},
    {0x29b, "f3 0f 7e 07", "movq   (%rdi),%xmm0"},
    {0x29f, "66 0f d6 07", "movq   %xmm0,(%rdi)"},
    {0x2a3, "f3 0f 10 07", "movss  (%rdi),%xmm0"},
    {0x2a7, "f2 0f 11 07", "movsd  %xmm0,(%rdi)"},
    {0x2ab, "66 0f ef c0", "pxor   %xmm0,%xmm0"},
    {0x2af, "0f 57 c9", "xorps  %xmm1,%xmm1"},
    {0x2b2, "66 0f 74 c1", "pcmpeqb %xmm1,%xmm0"},
    {0x2b6, "66 0f d7 c0", "pmovmskb %xmm0,%eax"},
    {0x2ba, "66 0f 6c c1", "punpcklqdq %xmm1,%xmm0"},
    {0x2be, "66 0f 70 c8 1b", "pshufd $0x1b,%xmm0,%xmm1"},
    {0x2c3, "66 0f 73 d8 08", "psrldq $0x8,%xmm0"},
    {0x2c8, "f2 0f 2a c0", "cvtsi2sd %eax,%xmm0"},
    {0x2cc, "f2 48 0f 2a 07", "cvtsi2sdq (%rdi),%xmm0"},
    {0x2d1, "f2 48 0f 2c c0", "cvttsd2si %xmm0,%rax"},
    {0x2d6, "f2 0f 58 c1", "addsd  %xmm1,%xmm0"},
    {0x2da, "66 0f 2e c1", "ucomisd %xmm1,%xmm0"},
    {0x2de, "0f 6f c8", "movq   %mm0,%mm1"},
    {0x2e1, "0f fe d1", "paddd  %mm1,%mm2"},
    {0x2e4, "0f 77", "emms"},
    {0x2e6, "d9 e8", "fld1"},
    {0x2e8, "d9 ee", "fldz"},
    {0x2ea, "de c1", "faddp  %st,%st(1)"},
    {0x2ec, "dd 1f", "fstpl  (%rdi)"},
    {0x2ee, "d9 38", "fnstcw (%rax)"},
    {0x2f0, "9b", "fwait"},
    {0x2f1, "c7 f8 fa ff ff ff", "xbegin 0x2f1"},
    {0x2f7, "c6 f8 01", "xabort $0x1"},
    {0x2fa, "e3 fe", "jrcxz  0x2fa"},
    {0x2fc, "e2 fe", "loop   0x2fc"},
    /* SSE compares and inserts, SSSE3/SSE4, movbe, crc32, pkru (objdump's
     * texts for these bytes at address 0) */
    {0, "0f c2 c0 01", "cmpltps %xmm0,%xmm0"},
    {0, "f2 0f c2 c0 08", "cmpsd  $0x8,%xmm0,%xmm0"},
    {0, "f2 0f c2 40 08 01", "cmpltsd 0x8(%rax),%xmm0"},
    {0, "66 0f c4 c0 01", "pinsrw $0x1,%eax,%xmm0"},
    {0, "66 0f c5 c0 01", "pextrw $0x1,%xmm0,%eax"},
    {0, "66 0f 50 c0", "movmskpd %xmm0,%eax"},
    {0, "0f 12 c8", "movhlps %xmm0,%xmm1"},
    {0, "66 0f 38 00 c1", "pshufb %xmm1,%xmm0"},
    {0, "66 0f 38 3b c1", "pminud %xmm1,%xmm0"},
    {0, "66 0f 3a 0f c1 01", "palignr $0x1,%xmm1,%xmm0"},
    {0, "66 0f 3a 63 c1 1a", "pcmpistri $0x1a,%xmm1,%xmm0"},
    {0, "48 0f 38 f1 07", "movbe  %rax,(%rdi)"},
    {0, "f2 0f 38 f1 00", "crc32l (%rax),%eax"},
    {0, "f2 48 0f 38 f1 c1", "crc32  %rcx,%rax"},
    {0, "0f 01 ee", "rdpkru"},
    {0, "f2 87 42 0f", "xacquire xchg %eax,0xf(%rdx)"},
    {0, "f3 f0 0f b1 0a", "xrelease lock cmpxchg %ecx,(%rdx)"},
    {0, "3e ff e0", "notrack jmp *%rax"},
    {0, "2e 74 00", "je,pn  0x3"},
    {0, "f2 c3", "bnd ret"},
};

#define NCASES (sizeof cases / sizeof cases[0])

/* Bytes written in hex, "48 89 e5", into out; returns how many. */
static size_t parse_hex(const char *hex, uint8_t *out)
{
	size_t n = 0;
	unsigned v;
	int used;
	while (sscanf(hex, " %2x%n", &v, &used) == 1) {
		out[n++] = (uint8_t)v;
		hex += used;
	}
	return n;
}

/* Decode exactly len bytes from a heap copy of that size, so that ASan
 * reports any read past them. */
static size_t decode(const uint8_t *bytes, size_t len, uint64_t addr, char *out,
		     size_t outsz, disasm_sym_fn sym, struct disasm_info *info)
{
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, bytes, len);
	size_t n = disasm_decode(copy, len, addr, out, outsz, sym, info);
	free(copy);
	return n;
}

/* Decode hex at addr; check the text and that every byte was used. */
static void expect(uint64_t addr, const char *hex, const char *text)
{
	uint8_t bytes[32];
	char out[DISASM_TEXT_MAX];
	size_t len = parse_hex(hex, bytes);
	size_t n = decode(bytes, len, addr, out, sizeof out, NULL, NULL);
	if (strcmp(out, text) != 0 || n != len)
		fail_msg("%s: got '%s' (%zu bytes), want '%s' (%zu bytes)", hex,
			 out, n, text, len);
}

static void test_objdump_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++)
		expect(cases[i].addr, cases[i].hex, cases[i].text);
}

/* Every strict prefix of every case is too short: the decoder says so,
 * prints the first byte as objdump does and never reads past the end. */
static void test_short_buffers(void **state)
{
	(void)state;
	for (size_t i = 0; i < NCASES; i++) {
		uint8_t bytes[32];
		char out[DISASM_TEXT_MAX];
		struct disasm_info info;
		size_t len = parse_hex(cases[i].hex, bytes);
		for (size_t k = 1; k < len; k++) {
			size_t n =
			    decode(bytes, k, 0, out, sizeof out, NULL, &info);
			if (n != 1 || !(info.flags & DISASM_TRUNCATED))
				fail_msg("%s cut to %zu bytes: got '%s' (%zu)",
					 cases[i].hex, k, out, n);
		}
	}
}

static void test_truncated_text(void **state)
{
	(void)state;
	expect(0, "48", "rex.W");
	expect(0, "66", "data16");
	uint8_t call[] = {0xe8, 0x00, 0x00};
	char out[DISASM_TEXT_MAX] = "junk";
	assert_int_equal(
	    decode(call, sizeof call, 0, out, sizeof out, NULL, NULL), 1);
	assert_string_equal(out, ".byte 0xe8");
	assert_int_equal(decode(call, 0, 0, out, sizeof out, NULL, NULL), 0);
	assert_string_equal(out, "");
}

/* Invalid opcodes: "(bad)" with their prefixes, covering the prefixes and
 * the opcode bytes, and flagged. */
static void test_bad(void **state)
{
	static const struct {
		const char *hex, *text;
		size_t len;
	} bad[] = {
	    {"06", "(bad)", 1},		/* push %es: gone in 64-bit mode */
	    {"ce", "(bad)", 1},		/* into */
	    {"d6", "(bad)", 1},		/* salc */
	    {"0f 04 00", "(bad)", 2},	/* unassigned 0F 04 */
	    {"f0 06", "lock (bad)", 2}, /* the prefix still prints */
	    {"8d c0", "(bad)", 1},	/* lea needs memory */
	    {"0f 01 38", "invlpg (%rax)", 3},
	    {"0f 01 f8", "swapgs", 3},	 /* ...but its register forms */
	    {"0f 01 cc", "(bad)", 2},	 /* ...are by rm */
	    {"f3 0f 28 c0", "(bad)", 3}, /* movaps has no F3 form */
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t bytes[16];
		char out[DISASM_TEXT_MAX];
		struct disasm_info info;
		size_t len = parse_hex(bad[i].hex, bytes);
		size_t n = decode(bytes, len, 0, out, sizeof out, NULL, &info);
		bool want_bad = strstr(bad[i].text, "(bad)") != NULL;
		if (strcmp(out, bad[i].text) != 0 || n != bad[i].len ||
		    want_bad != !!(info.flags & DISASM_BAD))
			fail_msg("%s: got '%s' (%zu bytes, flags %#x)",
				 bad[i].hex, out, n, info.flags);
	}
}

/* Prefixes objdump prints on their own: 14 of them, or REX before another
 * prefix. */
static void test_prefixes_alone(void **state)
{
	(void)state;
	uint8_t many[16];
	char out[DISASM_TEXT_MAX], want[DISASM_TEXT_MAX] = "";
	memset(many, 0x66, 15);
	many[15] = 0x90;
	for (int i = 0; i < 14; i++)
		strcat(want, i ? " data16" : "data16");
	assert_int_equal(
	    decode(many, sizeof many, 0, out, sizeof out, NULL, NULL), 14);
	assert_string_equal(out, want);
	uint8_t rex[] = {0x48, 0x66, 0x90};
	assert_int_equal(
	    decode(rex, sizeof rex, 0, out, sizeof out, NULL, NULL), 1);
	assert_string_equal(out, "rex.W");
}

static bool fake_sym(uint64_t addr, char *buf, size_t n)
{
	if (addr < 0xffffffff80000000ull)
		return false;
	if (addr == 0xffffffff80001000ull)
		snprintf(buf, n, "kmain");
	else
		snprintf(buf, n, "msg+0x%llx",
			 (unsigned long long)(addr - 0xffffffff80002000ull));
	return true;
}

/* Branch targets and rip-relative addresses get <symbol> when the
 * symbolizer knows them, 0x... otherwise. */
static void test_symbols(void **state)
{
	(void)state;
	uint8_t call[] = {0xe8, 0xfb, 0x0f, 0x00, 0x00};
	uint8_t lea[] = {0x48, 0x8d, 0x3d, 0x10, 0x10, 0x00, 0x00};
	char out[DISASM_TEXT_MAX];
	decode(call, sizeof call, 0xffffffff80000000ull, out, sizeof out,
	       fake_sym, NULL);
	assert_string_equal(out, "call   ffffffff80001000 <kmain>");
	decode(lea, sizeof lea, 0xffffffff80001000ull, out, sizeof out,
	       fake_sym, NULL);
	assert_string_equal(out, "lea    0x1010(%rip),%rdi        "
				 "# ffffffff80002017 <msg+0x17>");
	decode(call, sizeof call, 0x400000, out, sizeof out, fake_sym, NULL);
	assert_string_equal(out, "call   0x401000");
}

/* The details for stepping over calls, finishing and skipping. */
static void test_info(void **state)
{
	static const struct {
		const char *hex;
		unsigned flags;
		uint64_t target;
	} want[] = {
	    {"e8 fb 0f 00 00", DISASM_CALL | DISASM_TARGET, 0x2000},
	    {"ff d0", DISASM_CALL | DISASM_INDIRECT, 0},
	    {"ff 24 c5 00 00 00 00", DISASM_JUMP | DISASM_INDIRECT, 0},
	    {"eb fe", DISASM_JUMP | DISASM_TARGET, 0x1000},
	    {"74 10", DISASM_COND | DISASM_TARGET, 0x1012},
	    {"0f 85 00 01 00 00", DISASM_COND | DISASM_TARGET, 0x1106},
	    {"c3", DISASM_RET, 0},
	    {"48 cf", DISASM_RET, 0},
	    {"48 8b 05 00 10 00 00", DISASM_RIPREL, 0x2007},
	    {"90", 0, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		uint8_t bytes[16];
		char out[DISASM_TEXT_MAX];
		struct disasm_info info;
		size_t len = parse_hex(want[i].hex, bytes);
		decode(bytes, len, 0x1000, out, sizeof out, NULL, &info);
		if (info.flags != want[i].flags || info.len != len ||
		    (want[i].target && info.target != want[i].target))
			fail_msg("%s (%s): flags %#x len %u target %#llx",
				 want[i].hex, out, info.flags, info.len,
				 (unsigned long long)info.target);
	}
}

/* A small output buffer truncates the text, never the decoding. */
static void test_small_output(void **state)
{
	(void)state;
	uint8_t mov[] = {0x48, 0x89, 0xe5};
	char out[4] = "xxx";
	assert_int_equal(disasm_one(mov, sizeof mov, 0, out, sizeof out, NULL),
			 3);
	assert_string_equal(out, "mov");
	assert_int_equal(disasm_one(mov, sizeof mov, 0, out, 1, NULL), 3);
	assert_string_equal(out, "");
	assert_int_equal(disasm_one(mov, sizeof mov, 0, NULL, 0, NULL), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_objdump_text),
	    cmocka_unit_test(test_short_buffers),
	    cmocka_unit_test(test_truncated_text),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_prefixes_alone),
	    cmocka_unit_test(test_symbols),
	    cmocka_unit_test(test_info),
	    cmocka_unit_test(test_small_output),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
