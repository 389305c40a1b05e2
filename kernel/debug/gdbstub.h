/* gdbstub.h — GDB stub: the target interface and the session loop. */
#ifndef KERNEL_DEBUG_GDBSTUB_H
#define KERNEL_DEBUG_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/gdb_regs.h"
#include "kernel/debug/gdb_rsp.h"
#include "kernel/printk.h"

/* Results of target callbacks: 0 or one of these (negated errno values,
 * sent to GDB as "Enn" with nn in decimal, as Linux kgdb does). */
#define GDB_EFAULT 14 /* memory not mapped / not writable */
#define GDB_EINVAL 22 /* malformed request, bad register, bad length */
#define GDB_ENOSPC 28 /* no free hardware debug register (DR0-DR3) */
#define GDB_ENOSYS 38 /* not supported: GDB gets the empty reply */

/* read_reg/write_reg may return this (positive) when the register has no
 * value here (x87 state in a -mgeneral-regs-only kernel): GDB is sent 'x's. */
#define GDB_REG_UNAVAILABLE 1

/* Breakpoint kinds, numbered as in the Z/z packets. */
enum gdb_bp_type {
	GDB_BP_SW = 0,	   /* int3 patched into memory */
	GDB_BP_HW = 1,	   /* DR0-DR3 execute breakpoint */
	GDB_WP_WRITE = 2,  /* DR0-DR3 data breakpoint, writes */
	GDB_WP_READ = 3,   /* reads (x86 can only do read/write: access) */
	GDB_WP_ACCESS = 4, /* reads or writes */
};

/* Why the target stopped, as reported in the T stop reply. */
enum gdb_stop_kind {
	GDB_STOP_SIGNAL,  /* exception, single-step, Ctrl-C: signal only */
	GDB_STOP_SWBREAK, /* int3 of an inserted breakpoint; RIP already rewound
			   */
	GDB_STOP_HWBREAK, /* DR execute breakpoint */
	GDB_STOP_WATCH,	  /* write watchpoint hit at addr */
	GDB_STOP_RWATCH,  /* read watchpoint hit at addr */
	GDB_STOP_AWATCH,  /* access watchpoint hit at addr */
};

struct gdb_stop {
	int signal; /* enum gdb_signal, see gdb_signal_for_vector */
	enum gdb_stop_kind kind;
	uint64_t addr;	 /* data address of a watchpoint hit */
	uint64_t thread; /* stopped thread; 0 means the first one */
};

/* Receives one RAM region [start, start + len) from memory_regions. */
typedef void (*gdb_region_fn)(void *fctx, uint64_t start, uint64_t len);

/*
 * What the stub needs from the debug core (Linux: the arch + kgdb core).
 * Registers are values of the stopped context in target (little-endian)
 * byte order, size = gdb_reg_size(). Memory access must never fault.
 * Optional callbacks may be NULL.
 */
struct gdb_target {
	void *ctx;
	/* 0, GDB_REG_UNAVAILABLE, or -GDB_E*. */
	int (*read_reg)(void *ctx, enum gdb_reg_id id, void *buf, size_t size);
	int (*write_reg)(void *ctx, enum gdb_reg_id id, const void *buf,
			 size_t size);
	/* Bytes copied (may be short, stopping at the first unmapped byte),
	 * or -GDB_EFAULT when none could be. */
	long (*read_mem)(void *ctx, uint64_t addr, void *buf, size_t len);
	long (*write_mem)(void *ctx, uint64_t addr, const void *buf,
			  size_t len);
	/* len: 1 for GDB_BP_SW/HW, 1/2/4/8 for watchpoints. Returns 0,
	 * -GDB_ENOSPC (no free DR), -GDB_EINVAL, -GDB_EFAULT (cannot patch),
	 * -GDB_ENOSYS (kind unsupported). */
	int (*set_break)(void *ctx, enum gdb_bp_type type, uint64_t addr,
			 unsigned len);
	int (*remove_break)(void *ctx, enum gdb_bp_type type, uint64_t addr,
			    unsigned len);
	/* Remove every breakpoint/watchpoint GDB set (detach, kill). */
	void (*remove_all_breaks)(void *ctx);
	/* Describe the current stop. */
	void (*stop_reason)(void *ctx, struct gdb_stop *out);
	/* Optional: fill ids (each > 0) of up to max threads, return the
	 * count. NULL: one thread, id 1. */
	size_t (*threads)(void *ctx, uint64_t *ids, size_t max);
	/* Optional: make thread tid the one registers refer to ('Hg'). */
	int (*select_thread)(void *ctx, uint64_t tid);
	/* Optional: words on why the last set_break failed, or "": sent as
	 * "E.nn.words" (GDB shows the words) instead of "Enn". */
	const char *(*error_text)(void *ctx);
	/* Optional: true when threads a and b are one context (the CPU
	 * thread and the process whose user code it stopped in): a step or
	 * resume of either acts on the stop. */
	bool (*same_context)(void *ctx, uint64_t a, uint64_t b);
	/* Optional: a line about thread tid for qThreadExtraInfo (GDB's
	 * `info threads`), NUL-terminated in buf[0..n). */
	void (*thread_info)(void *ctx, uint64_t tid, char *buf, size_t n);
	/* Optional: run a monitor command line, writing its output through
	 * out(octx, c). Returns 0 or -GDB_E*. */
	int (*monitor_cmd)(void *ctx, const char *cmd, fmt_putc_fn out,
			   void *octx);
	/* Optional: call fn for each region of RAM, in address order, not
	 * overlapping (GDB's memory map, LLDB's qMemoryRegionInfo). Device
	 * memory is left out, so debuggers will not touch it. */
	void (*memory_regions)(void *ctx, gdb_region_fn fn, void *fctx);
	/* Optional: true when the current stop is likely in another function
	 * than the last one reported (or is no step at all): GDB will show
	 * the frame with its arguments and read every general register, so
	 * the stop reply carries them (saving a 'g'). A wrong guess costs
	 * bytes or a round trip, never correctness. */
	bool (*new_frame)(void *ctx);
	/* Optional: where memory loaded at lma (an ELF section's load
	 * address, what compare-sections sends in qCRC) is mapped now. */
	uint64_t (*load_to_virt)(void *ctx, uint64_t lma);
};

/* What the caller of gdb_session must do next. */
enum gdb_action {
	GDB_ACT_CONTINUE,   /* resume; resume_signal holds C/S's signal */
	GDB_ACT_STEP,	    /* single-step one instruction (set TF), resume;
			     * see range_start for a range step */
	GDB_ACT_DETACH,	    /* breakpoints removed; resume, GDB is gone */
	GDB_ACT_KILL,	    /* 'k': as detach (we cannot kill a kernel) */
	GDB_ACT_DISCONNECT, /* io returned end of input / timeout */
};

#define GDB_MAX_THREADS 128

/* One stub instance. Large (buffers inside): keep it in .bss. */
struct gdb_stub {
	const struct gdb_target *target;
	bool gdb_waiting;  /* GDB resumed us and awaits a stop reply */
	bool no_ack_next;  /* QStartNoAckMode: stop acking after this reply */
	int resume_signal; /* signal from C/S/vCont;C, 0 if none */
	/* GDB_ACT_STEP from vCont;r: the caller may go on stepping while the
	 * pc is in [range_start, range_end), and must stop at once on
	 * anything else (breakpoint, watchpoint, fault). Empty: one step. */
	uint64_t range_start, range_end;
	unsigned client_packets; /* packets from the current client */
	bool last_was_no_ack;	 /* its last packet was QStartNoAckMode */
	size_t thread_cursor;	 /* qfThreadInfo/qsThreadInfo position */
	size_t reply_len;	 /* reply built in rsp.tx, or GDB_NO_REPLY */
	size_t mon_len;		 /* buffered qRcmd output bytes */
	size_t xml_len;
	uint64_t thread_ids[GDB_MAX_THREADS];
	char mon_buf[(GDB_PACKET_SIZE - 1) / 2];
	uint8_t scratch[GDB_PACKET_SIZE];
	char xml[GDB_TARGET_XML_MAX];
	struct gdb_rsp rsp;
};

/* Set up a stub talking over io to target. */
void gdb_stub_init(struct gdb_stub *s, const struct char_io *io,
		   const struct gdb_target *target);

/* Serve GDB while the target is stopped. If GDB resumed us earlier it
 * first gets the stop reply for this stop. Returns when GDB resumes,
 * steps, detaches or kills, or the line reports end of input. */
enum gdb_action gdb_session(struct gdb_stub *s);

/* A new client is on the line (the caller saw its first packet): forget
 * the last one's no-ack mode and any stop reply owed to it. */
void gdb_stub_new_client(struct gdb_stub *s);

/* Hand back a byte the caller already read (the serial interrupt handler
 * that saw '$' and entered the debugger), so the session parses it. */
void gdb_stub_unget(struct gdb_stub *s, int c);

#endif
