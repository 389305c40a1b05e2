/* backtrace.c — walks saved frame pointers fault-safely and prints the return
 * addresses with symbols; an interrupt or exception on the way is crossed
 * through its trap frame. */
#include "kernel/arch/layout.h"
#include "kernel/debug/backtrace.h"
#include "kernel/debug/cmd_disasm.h"
#include "kernel/debug/debug_core.h"
#include "kernel/ksyms.h"
#include "kernel/lib/string.h"
#include "kernel/proc/syscall.h"
#include "kernel/proc/uapi.h"
#include "mm/pagetable.h"

#define FRAME_ALIGN 8	 /* a saved RBP is 8-byte aligned */
#define OP_PUSH_RBP 0x55 /* push rbp: a frame pointer prologue starts */
#define OP_RET 0xc3	 /* ret */
#define PROLOGUE_SCAN 16 /* bytes searched for mov rbp, rsp */
#define EXPLAIN_MAX 128	 /* room for debug_explain_addr's message */
#define NO_SLOT (-1)
#define BT_INSN_MAX 96 /* an instruction's AT&T text */
/* The entry stubs call the dispatcher with RSP at the trap frame, so the
 * frame above the dispatcher's [saved rbp, return address] is the trap
 * frame. */
#define TRAP_FRAME_ABOVE 16
#define PIC_IRQS 16 /* vectors VEC_IRQ0.. are the PIC's lines 0-15 */
/* mov rbp, rsp (REX.W 89 /r): the prologue has set up the frame. */
static const uint8_t mov_rbp_rsp[] = {0x48, 0x89, 0xe5};

/* The address space a walk reads: debug_read_mem_in's root, 0 = the
 * current tables (set for the length of bt_from_frame_in). */
static uint64_t space;

static size_t bt_read(uint64_t addr, void *buf, size_t len)
{
	return debug_read_mem_in(space, addr, buf, len);
}

/* bt -v: each frame also shows its instruction (set by bt_set_verbose). */
static bool verbose;

void bt_set_verbose(bool on)
{
	verbose = on;
}

/* The call that a return address ret comes back from: the one call
 * instruction whose decoding ends exactly at ret (call rel32 is 5 bytes,
 * call through a register or memory 2 to 7). Returns its address or 0. */
static uint64_t call_before(uint64_t ret)
{
	static const uint8_t sizes[] = {5, 2, 3, 6, 7, 4};
	char text[BT_INSN_MAX];
	struct disasm_info info;
	for (size_t i = 0; i < sizeof sizes; i++) {
		uint64_t at = ret - sizes[i];
		if (disasm_at(at, text, sizeof text, &info) == sizes[i] &&
		    (info.flags & DISASM_CALL) &&
		    !(info.flags & (DISASM_BAD | DISASM_TRUNCATED)))
			return at;
	}
	return 0;
}

/* Under bt -v: "        call   ffffffff80001000 <kmain>" for a return
 * address (depth > 0), the instruction itself for frame #0. */
static void insn_line(const struct printer *pr, int depth, uint64_t addr)
{
	char text[BT_INSN_MAX];
	uint64_t at = depth ? call_before(addr) : addr;
	if (!verbose || space || !at || !disasm_at(at, text, sizeof text, 0))
		return;
	pr_printf(pr, "        %s\n", text);
}

void bt_line(const struct printer *pr, int depth, uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);
	pr_printf(pr, "  #%-2d 0x%016lx", depth, (unsigned long)addr);
	if (name)
		pr_printf(pr, " <%s+0x%lx>", name, (unsigned long)off);
	pr_putc(pr, '\n');
	insn_line(pr, depth, addr);
}

/* Read the frame at rbp: [rbp] = caller's rbp, [rbp+8] = return address. */
static bool read_frame(uint64_t rbp, uint64_t frame[2])
{
	size_t want = 2 * sizeof frame[0];
	return rbp % FRAME_ALIGN == 0 && bt_read(rbp, frame, want) == want;
}

/* Say why the frame at rbp cannot be read. */
static void say_broken(const struct printer *pr, uint64_t rbp)
{
	uint64_t frame[2];
	char why[EXPLAIN_MAX];
	if (rbp % FRAME_ALIGN) {
		pr_printf(pr,
			  "bt: frame pointer 0x%lx is not 8-byte aligned; "
			  "the chain is broken here\n",
			  (unsigned long)rbp);
		return;
	}
	pr_printf(pr, "bt: cannot read the frame at 0x%lx:\n",
		  (unsigned long)rbp);
	debug_explain_addr_in(space, rbp + bt_read(rbp, frame, sizeof frame),
			      why, sizeof why);
	pr_printf(pr, "bt: %s\n", why);
}

/* Consecutive frames with one return address (recursion) print as one
 * line and a count. */
struct bt_state {
	const struct printer *pr;
	uint64_t rbp;  /* the next frame to read; 0 at the end */
	int depth;     /* its number */
	uint64_t last; /* return address printed last */
	int repeats;   /* frames like it since */
};

static void bt_flush(struct bt_state *st)
{
	if (st->repeats)
		pr_printf(st->pr, "      ... the same frame %d more time%s\n",
			  st->repeats, st->repeats > 1 ? "s" : "");
	st->repeats = 0;
}

static void bt_frame(struct bt_state *st, uint64_t ret)
{
	if (ret == st->last) {
		st->repeats++;
	} else {
		bt_flush(st);
		st->last = ret;
		bt_line(st->pr, st->depth, ret);
	}
	st->depth++;
}

static int bt_context(const struct printer *pr, const struct trap_frame *f,
		      int depth);

/* Does the frame returning to ret belong to an entry stub's call of its
 * dispatcher (isr.asm's trap_return, switch.asm's syscall_return)? */
static bool returns_to_entry(uint64_t ret)
{
	return ret == (uint64_t)trap_return || ret == (uint64_t)syscall_return;
}

/* "--- interrupt/exception (vector 14) --- #PF page fault" */
static void trap_marker(const struct printer *pr, unsigned v)
{
	pr_printf(pr, "  --- interrupt/exception (vector %u) --- ", v);
	if (v >= VEC_IRQ0 && v < VEC_IRQ0 + PIC_IRQS)
		pr_printf(pr, "IRQ %u", v - VEC_IRQ0);
	else if (v == SYSCALL_VECTOR)
		pr_printf(pr, "system call");
	else
		pr_printf(pr, "%s %s", trap_mnemonic(v), trap_name(v));
}

/* Cross the trap frame above the dispatcher's frame at st->rbp: a marker
 * (as kdb and ddb print one), then the interrupted context as a frame of
 * its own; the walk goes on from its RBP, or ends at user mode (the
 * user stack is the process's). False when the trap frame is unreadable. */
static bool bt_trap(struct bt_state *st)
{
	struct trap_frame tf;
	uint64_t at = st->rbp + TRAP_FRAME_ABOVE;
	if (bt_read(at, &tf, sizeof tf) != sizeof tf) {
		st->rbp = at;
		return false;
	}
	bt_flush(st);
	st->last = 0;
	trap_marker(st->pr, (unsigned)tf.vector);
	if ((tf.cs & 3) == 3) {
		pr_printf(st->pr, ", from user mode at 0x%lx\n",
			  (unsigned long)tf.rip);
		st->rbp = 0;
		return true;
	}
	pr_putc(st->pr, '\n');
	st->depth = bt_context(st->pr, &tf, st->depth);
	st->rbp = tf.rbp;
	return true;
}

/* Follow the chain for up to max frames; false when a frame cannot be
 * read. st->rbp is left 0 at the chain's end. */
static bool bt_chain(struct bt_state *st, int max)
{
	for (int n = 0; st->rbp && n < max; n++) {
		uint64_t frame[2];
		if (!read_frame(st->rbp, frame))
			return false;
		if (returns_to_entry(frame[1])) {
			if (!bt_trap(st))
				return false;
			continue;
		}
		if (!frame[1] || (frame[0] && frame[0] <= st->rbp)) {
			/* the end, or a loop: callers sit higher */
			st->rbp = 0;
			if (frame[1])
				bt_frame(st, frame[1]);
			return true;
		}
		bt_frame(st, frame[1]);
		st->rbp = frame[0];
	}
	return true;
}

enum bt_end bt_walk(const struct printer *pr, uint64_t rbp, int depth, int max,
		    uint64_t *next)
{
	struct bt_state st = {pr, rbp, depth, 0, 0};
	bool ok = bt_chain(&st, max);
	bt_flush(&st);
	if (!ok) {
		say_broken(pr, st.rbp);
		return BT_BROKEN;
	}
	if (next)
		*next = st.rbp;
	return st.rbp ? BT_MORE : BT_DONE;
}

/* Offset of the return address from RSP while rip is inside a frame
 * pointer prologue whose mov rbp,rsp is at byte mov of code: 0 before
 * push rbp has run, 8 after it. */
static int prologue_slot(const uint8_t *code, size_t mov, uint64_t off)
{
	for (size_t p = 0; p < mov; p++)
		if (code[p] == OP_PUSH_RBP)
			return off <= p ? 0 : (int)sizeof(uint64_t);
	return NO_SLOT; /* no push rbp before it: not a prologue */
}

/* In user code there are no symbols: the return address is at RSP when
 * the stopped instruction is a ret or a push rbp (a function's first
 * instruction), at RSP+8 on the mov rbp, rsp right after that push. */
static int user_frameless_slot(uint64_t rip)
{
	uint8_t code[sizeof mov_rbp_rsp], before;
	size_t n = bt_read(rip, code, sizeof code);
	if (n >= 1 && (code[0] == OP_RET || code[0] == OP_PUSH_RBP))
		return 0;
	if (n == sizeof code && !memcmp(code, mov_rbp_rsp, sizeof code) &&
	    bt_read(rip - 1, &before, 1) == 1 && before == OP_PUSH_RBP)
		return (int)sizeof(uint64_t);
	return NO_SLOT;
}

/* Where the stopped function's return address is when RBP is not yet
 * (or no longer) its own frame: before or inside its prologue, at its
 * ret, or anywhere in a function without a frame (with frame pointers
 * on, only one that uses no stack). Returns the slot's offset from RSP,
 * or NO_SLOT when RBP is the function's frame. */
static int frameless_slot(uint64_t rip)
{
	uint64_t off;
	uint8_t code[PROLOGUE_SCAN];
	if (rip < PT_USER_TOP)
		return user_frameless_slot(rip);
	if (rip < (uint64_t)_text_start || rip >= (uint64_t)_text_end ||
	    !ksym_lookup(rip, &off))
		return NO_SLOT;
	if (bt_read(rip, code, 1) == 1 && code[0] == OP_RET)
		return 0;
	size_t n = bt_read(rip - off, code, sizeof code);
	for (size_t i = 0; i + sizeof mov_rbp_rsp <= n; i++) {
		if (memcmp(code + i, mov_rbp_rsp, sizeof mov_rbp_rsp) != 0)
			continue;
		return off > i ? NO_SLOT : prologue_slot(code, i, off);
	}
	return n ? 0 : NO_SLOT;
}

/* A return address code at rip could return to: user code returns into
 * user space, kernel code into kernel text. */
static bool plausible_return(uint64_t rip, uint64_t ret)
{
	if (rip < PT_USER_TOP)
		return ret && ret < PT_USER_TOP;
	return ret >= (uint64_t)_text_start && ret < (uint64_t)_text_end;
}

/* The context f as frames: RIP, then its caller from the stack slot when
 * the function has no frame of its own yet (or any more). Returns the
 * next frame number. */
static int bt_context(const struct printer *pr, const struct trap_frame *f,
		      int depth)
{
	int slot = frameless_slot(f->rip);
	uint64_t ret;
	bt_line(pr, depth++, f->rip);
	if (slot != NO_SLOT &&
	    bt_read(f->rsp + (uint64_t)slot, &ret, sizeof ret) == sizeof ret &&
	    plausible_return(f->rip, ret))
		bt_line(pr, depth++, ret);
	return depth;
}

enum bt_end bt_from_frame(const struct printer *pr, const struct trap_frame *f,
			  int max, uint64_t *next)
{
	return bt_walk(pr, f->rbp, bt_context(pr, f, 0), max, next);
}

enum bt_end bt_from_frame_in(const struct printer *pr, uint64_t root,
			     const struct trap_frame *f, int max,
			     uint64_t *next)
{
	uint64_t saved = space;
	space = root;
	enum bt_end end = bt_from_frame(pr, f, max, next);
	space = saved;
	return end;
}

uint64_t bt_return_slot(uint64_t root, const struct trap_frame *f)
{
	uint64_t saved = space;
	space = root;
	int slot = frameless_slot(f->rip); /* user code: user_frameless_slot */
	space = saved;
	if (slot == NO_SLOT)
		return f->rbp + sizeof(uint64_t);
	return f->rsp + (uint64_t)slot;
}
