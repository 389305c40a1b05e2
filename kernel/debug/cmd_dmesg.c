/* cmd_dmesg.c — monitor command dmesg: the kernel log that printk keeps. */
#include "kernel/debug/monitor.h"
#include "kernel/printk.h"

#define DMESG_CHUNK 128 /* characters copied out of the ring at a time */

/* Where the last `lines` lines begin (a line ends with '\n'; text after
 * the last newline is a line too), no earlier than start. */
static uint64_t last_lines_start(uint64_t start, uint64_t end, uint64_t lines)
{
	uint64_t pos = end, seen = 0;
	char c;
	if (pos > start && printk_log_read(pos - 1, &c, 1) && c == '\n')
		pos--; /* the final newline ends the last line */
	for (; pos > start; pos--) {
		if (printk_log_read(pos - 1, &c, 1) && c == '\n' &&
		    ++seen == lines)
			return pos;
	}
	return start;
}

/* The first position at or after start that begins a whole line: after a
 * wrap, the oldest held line has lost its beginning. */
static uint64_t first_whole_line(uint64_t start, uint64_t end)
{
	char c;
	if (start == 0)
		return 0;
	for (uint64_t pos = start; pos < end; pos++)
		if (printk_log_read(pos, &c, 1) && c == '\n')
			return pos + 1;
	return end;
}

static int cmd_dmesg(struct mon_ctx *ctx, int argc, char **argv)
{
	uint64_t lines = 0, end = printk_log_end();
	if (argc > 1 && !mon_eval_range(ctx, argv[1], "line count", 1,
					MON_RANGE_DECIMAL - 1, &lines))
		return MON_ERR;
	uint64_t start = first_whole_line(printk_log_start(), end);
	if (start > 0 && !lines)
		mon_printf(ctx,
			   "(the log holds the last %u bytes; %lu older ones "
			   "were overwritten)\n",
			   PRINTK_LOG_SIZE, (unsigned long)start);
	if (lines)
		start = last_lines_start(start, end, lines);
	for (uint64_t pos = start; pos < end && !mon_aborted(ctx);) {
		char buf[DMESG_CHUNK];
		size_t n = printk_log_read(pos, buf, sizeof buf);
		if (!n)
			break;
		for (size_t i = 0; i < n; i++)
			mon_putc(ctx, buf[i]);
		pos += n;
	}
	return MON_OK;
}
MON_COMMAND(
    dmesg, "[lines]",
    "show the kernel log: everything printk wrote since boot\n"
    "The boot log, diagnoses, breakpoint and step reports, exactly as\n"
    "the console printed them, from a ring of the newest 64 KiB (older\n"
    "text is overwritten; dmesg says how much). With lines, only the\n"
    "last that many. GDB reads the same ring with kdmesg (gdbinit).",
    MON_SAFE_AFTER_DF | MON_MEMSAFE | MON_NOREPEAT, cmd_dmesg);
