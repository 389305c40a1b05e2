/* monitor.h — the serial monitor: commands, dispatcher, pager, main loop. */
#ifndef KERNEL_DEBUG_MONITOR_H
#define KERNEL_DEBUG_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/lineedit.h"
#include "kernel/debug/mon_expr.h"
#include "kernel/lib/char_io.h"
#include "kernel/lib/format.h"

#define MON_PROMPT "triage> "
#define MON_LINE_MAX LE_MAX_LINE /* longest command line */
#define MON_MAX_ARGS 16		 /* argv entries, the command name included */
#define MON_PAGER_DEFAULT 24	 /* lines per page until `pager` changes it */

/* What a command returns. */
enum {
	MON_OK = 0,    /* done */
	MON_ERR = 1,   /* failed; the command printed why */
	MON_USAGE = 2, /* bad arguments: the dispatcher prints the usage line */
	MON_CONTINUE = 3, /* leave the monitor and resume the stopped kernel */
	MON_EOF = -1,	  /* monitor_run only: the io's input ended */
};

/* Command flags. */
/* Usable after a double fault: touches no heap, no locks, little stack. */
#define MON_SAFE_AFTER_DF (1u << 0)
/* Reads memory only through the debug core's fault-safe accessors. */
#define MON_MEMSAFE (1u << 1)
/* An empty line does not repeat it (e.g. writes, one-time settings). */
#define MON_NOREPEAT (1u << 2)

/* Accepts a /suffix on its name (x/q, w/b): it parses argv[0] itself. */
#define MON_SUFFIX (1u << 3)
/* Takes a process id (see ps) to work on that process: `help` marks it. */
#define MON_PID (1u << 4)

/* What the debug core tells the monitor about the current stop. */
struct mon_env {
	mon_lookup_fn reg; /* $reg values of the stopped frame; NULL: none */
	void *frame;	  /* passed to reg and seen by commands as ctx->frame */
	unsigned require; /* flags a command needs to run now, e.g.
			     MON_SAFE_AFTER_DF inside a double fault */
	mon_read_fn read; /* memory for *addr in expressions; NULL: none */
};

/* State of one command's execution; commands read it, and the helpers below
 * write to it. */
struct mon_ctx {
	const struct char_io *io;
	struct printer out; /* the pager's output as a printer (diag.c's too) */
	void *frame;	    /* from mon_env: the debug core's stopped frame */
	unsigned require;   /* from mon_env */
	struct mon_expr_env expr;
	const struct mon_cmd *cmd; /* the command running now */
	bool interactive;    /* run by monitor_run (a person at a terminal) */
	bool crlf;	     /* turn "\n" into "\r\n" on output */
	unsigned page_lines; /* pager: lines per page, 0 = off */
	unsigned lines;	     /* lines printed since the last page break */
	bool at_bol;	     /* the last byte printed was a newline */
	bool aborted;	 /* 'q' at --More--: output is dropped; stop early */
	bool after_cr;	 /* the pager's last key was CR (eat a following LF) */
	int typed_ahead; /* a key --More-- got that starts the next line */
	char repeat[MON_LINE_MAX + 1]; /* continuation set by the command */
	uint32_t quoted; /* bit i: argv[i] was written with quotes */
};

typedef int (*mon_cmd_fn)(struct mon_ctx *ctx, int argc, char **argv);

/* One command. usage lists the arguments after the name and is also how the
 * dispatcher checks argc: <arg> or a bare word is required, [arg] optional
 * ([a b] counts as two), "..." anywhere allows any number more. help's
 * first line is the summary shown by `help`; `help name` prints it all. */
struct mon_cmd {
	const char *name;
	const char *usage;
	const char *help;
	mon_cmd_fn fn;
	unsigned flags;
};

/* Register a command: MON_COMMAND(echo, "[text...]", "print the arguments",
 * MON_SAFE_AFTER_DF, cmd_echo); name is a bare identifier. The entries are
 * collected by the linker between __start_mon_cmds and __stop_mon_cmds. */
#define MON_COMMAND(name_, usage_, help_, flags_, fn_)                         \
	static const struct mon_cmd mon_cmd_entry_##name_                      \
	    __attribute__((used, section("mon_cmds"), aligned(8))) = {         \
		.name = #name_,                                                \
		.usage = usage_,                                               \
		.help = help_,                                                 \
		.fn = fn_,                                                     \
		.flags = flags_,                                               \
	}

extern const struct mon_cmd __start_mon_cmds[];
extern const struct mon_cmd __stop_mon_cmds[];

/* ---- for the debug core and the GDB stub ---- */

/* Interactive loop: prompt "triage> ", read and run lines until a command
 * returns MON_CONTINUE (returned) or input ends (MON_EOF). History, the
 * last command and the pager setting persist from one call to the next. */
int monitor_run(const struct char_io *io, const struct mon_env *env);

/* Prepare ctx for monitor_exec_line: output to io, pager off, no CRLF. */
void mon_ctx_init(struct mon_ctx *ctx, const struct char_io *io,
		  const struct mon_env *env);

/* Run one command line (no repeat on empty lines); returns the command's
 * MON_* code, or MON_ERR when the line was not understood. */
int monitor_exec_line(struct mon_ctx *ctx, const char *line);

/* One-shot run for the GDB stub's `monitor CMD`: run line with output to
 * out(octx, c), pager off, no input; returns like monitor_exec_line. */
int monitor_exec_to(const char *line, void (*out)(void *octx, char c),
		    void *octx, const struct mon_env *env);

/* Forget history, the last command and the pager setting (for tests). */
void monitor_reset(void);

/* Panic if the table [begin, end) has an entry without name, usage, help or
 * function, or two entries with the same name. monitor_run checks the
 * linked table once. */
void mon_check_table(const struct mon_cmd *begin, const struct mon_cmd *end);

/* ---- for commands ---- */

/* Formatted output through the pager (kvformat conversions). Returns the
 * number of characters formatted; output is dropped once aborted. */
int mon_printf(struct mon_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mon_putc(struct mon_ctx *ctx, char c);

/* True when argv[i] of the running command was written with quotes
 * ("a b" or 'x'): a string, not an expression. */
bool mon_arg_quoted(const struct mon_ctx *ctx, int i);

/* True once the user quit at --More--: a command should stop and return. */
bool mon_aborted(const struct mon_ctx *ctx);

/* Evaluate an argument as an expression (mon_expr syntax with this stop's
 * registers); on error print "<cmd>: <why>" and return false. */
bool mon_eval(struct mon_ctx *ctx, const char *arg, uint64_t *val);
/* lo <= val <= hi, else "<cmd>: <what> <val> is out of range; give lo-hi"
 * (in decimal for small ranges — counts, vectors — else in hex). */
bool mon_check_range(struct mon_ctx *ctx, const char *what, uint64_t val,
		     uint64_t lo, uint64_t hi);
/* mon_eval, then mon_check_range. */
bool mon_eval_range(struct mon_ctx *ctx, const char *arg, const char *what,
		    uint64_t lo, uint64_t hi, uint64_t *val);
#define MON_RANGE_DECIMAL 0x10000 /* ranges below: decimal messages */

/* True when val fits in width bytes (1-8), as unsigned or sign-extended
 * (0xff and -1 fit in one byte, 0x100 does not). */
bool mon_value_fits(uint64_t val, unsigned width);

/* Set the line an empty Enter runs next instead of repeating this one,
 * e.g. "x 0xffffffff80101040 64" to continue a dump. */
void mon_set_repeat(struct mon_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Join argv[1..argc) with spaces into buf (MON_LINE_MAX + 1 bytes): the
 * arguments of a command that takes an expression with blanks. */
void mon_join_args(char *buf, int argc, char **argv);

/* Print "usage: name args" for cmd. */
void mon_print_usage(struct mon_ctx *ctx, const struct mon_cmd *cmd);

/* The command called name, or the only one it is a prefix of; NULL when
 * none or several (ambiguous) match. */
const struct mon_cmd *mon_find_cmd(const char *name);

/* ---- for the built-in commands (monitor_cmds.c) ---- */

/* The interactive monitor's line editor (its history), and the pager
 * setting future monitor_run calls start with. */
const struct lineedit *monitor_lineedit(void);
unsigned monitor_pager_lines(void);
void monitor_set_pager_lines(struct mon_ctx *ctx, unsigned lines);

/* Commands in name order: the first one after prev (NULL: the first of all),
 * NULL after the last. */
const struct mon_cmd *mon_cmd_next_sorted(const struct mon_cmd *prev);

#endif
