/* fuzz_monitor.c — libFuzzer: random keystrokes through the whole monitor. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/debug/monitor.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

/* Symbols for kernel/ksyms.c: sorted, ending at _kernel_end, all below the
 * host address of _kernel_end[] in case the lookup bounds by that. */
const struct ksym ksyms_table[] = {
    {0x1000, "_start"},
    {0x1100, "kmain"},
    {0x1200, "panic"},
};
const unsigned long ksyms_count = sizeof ksyms_table / sizeof ksyms_table[0];
char _kernel_start[1], _kernel_end[1];

/* A panic on any input is a bug the fuzzer must report. */
void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

/* ---- commands like the lead's: a dump with a continuation, resume ---- */

static int cmd_dump(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t addr, n = 16;
	if (!mon_eval(ctx, argv[1], &addr) ||
	    (argc > 2 && !mon_eval(ctx, argv[2], &n)))
		return MON_ERR;
	if (n > 200)
		return MON_USAGE;
	for (uint64_t i = 0; i < n && !mon_aborted(ctx); i++)
		mon_printf(ctx, "%016lx: %lx\n", (unsigned long)(addr + i * 8),
			   (unsigned long)(addr * i));
	mon_set_repeat(ctx, "dump 0x%lx %lu", (unsigned long)(addr + n * 8),
		       (unsigned long)n);
	return MON_OK;
}
MON_COMMAND(dump, "<addr> [count]", "fake memory dump", MON_SAFE_AFTER_DF,
	    cmd_dump);

static int cmd_c(struct mon_ctx *ctx, int argc, char **argv)
{
	(void)ctx, (void)argc, (void)argv;
	return MON_CONTINUE;
}
MON_COMMAND(c, "", "continue", MON_SAFE_AFTER_DF, cmd_c);
MON_COMMAND(cont, "[addr]", "continue too", 0, cmd_c);

/* ---- fake io: input from the fuzz data, output counted ---- */

static struct {
	const uint8_t *data;
	size_t size, pos;
	size_t out;
} io;

static int fz_getc(void *ctx)
{
	(void)ctx;
	return io.pos < io.size ? io.data[io.pos++] : -1;
}

static void fz_putc(void *ctx, char c)
{
	(void)ctx, (void)c;
	io.out++;
}

static bool fz_reg(void *frame, const char *name, uint64_t *val)
{
	if (strcmp(name, "rip") != 0 && strcmp(name, "rsp") != 0)
		return false;
	*val = *(const uint64_t *)frame;
	return true;
}

/* Memory for *addr: 64 bytes at 0x1000 (the fuzzer finds the address). */
static bool fz_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	static const uint8_t mem[64] = {0x11, 0x22, 0x33, 0x44, 0x80, 0xff};
	(void)ctx;
	if (len < 1 || len > 8 || addr < 0x1000 || addr + len > 0x1000 + 64)
		return false;
	memcpy(buf, mem + (addr - 0x1000), len);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct char_io mio = {fz_getc, fz_putc, NULL};
	uint64_t rip = 0x1108, v;
	char err[MON_EXPR_ERR_MAX], line[MON_LINE_MAX + 64];
	struct mon_env env = {.reg = fz_reg, .frame = &rip, .read = fz_read};
	if (size > 0 && (data[0] & 0x80))
		env.require = MON_SAFE_AFTER_DF;

	/* the whole input as one expression and as one one-shot command */
	size_t n = size < sizeof line - 1 ? size : sizeof line - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	struct mon_expr_env regs = {
	    .reg = fz_reg, .reg_ctx = &rip, .read = fz_read};
	mon_expr_eval(size > 0 && (data[0] & 1) ? &regs : NULL, line, &v, err,
		      sizeof err);
	monitor_exec_to(line, fz_putc, NULL, &env);

	/* then as keystrokes: typing, editing, Enter, --More-- answers */
	monitor_reset();
	io.data = data;
	io.size = size;
	io.pos = 0;
	while (monitor_run(&mio, &env) == MON_CONTINUE)
		;
	return 0;
}
