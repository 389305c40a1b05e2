/* gdbstub.c — GDB stub: session loop, one handler per packet letter. */
#include "kernel/debug/gdb_priv.h"
#include "kernel/lib/string.h"

void gdb_stub_init(struct gdb_stub *s, const struct char_io *io,
		   const struct gdb_target *target)
{
	memset(s, 0, sizeof *s);
	s->target = target;
	s->reply_len = GDB_NO_REPLY;
	gdb_rsp_init(&s->rsp, io);
	s->xml_len = gdb_target_xml(s->xml, sizeof s->xml);
}

void gdb_stub_new_client(struct gdb_stub *s)
{
	s->rsp.no_ack = false;
	s->no_ack_next = false;
	s->gdb_waiting = false;
	s->thread_cursor = 0;
	s->client_packets = 0;
	s->last_was_no_ack = false;
}

void gdb_stub_unget(struct gdb_stub *s, int c)
{
	gdb_rsp_unget(&s->rsp, c);
}

/* --- reply building ------------------------------------------------- */

void gdb_reply_reset(struct gdb_stub *s)
{
	s->reply_len = 0;
}

size_t gdb_reply_room(const struct gdb_stub *s)
{
	return GDB_PACKET_SIZE - s->reply_len;
}

void gdb_reply_char(struct gdb_stub *s, char c)
{
	if (s->reply_len == GDB_NO_REPLY)
		s->reply_len = 0;
	if (s->reply_len < GDB_PACKET_SIZE)
		s->rsp.tx[s->reply_len++] = c;
}

void gdb_reply_str(struct gdb_stub *s, const char *str)
{
	if (s->reply_len == GDB_NO_REPLY)
		s->reply_len = 0;
	while (*str)
		gdb_reply_char(s, *str++);
}

void gdb_reply_hex(struct gdb_stub *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	for (size_t i = 0; i < n; i++) {
		gdb_reply_char(s, gdb_hex_digits[p[i] >> 4]);
		gdb_reply_char(s, gdb_hex_digits[p[i] & 0xf]);
	}
}

void gdb_reply_num(struct gdb_stub *s, uint64_t v)
{
	int shift = 60;
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		gdb_reply_char(s, gdb_hex_digits[(v >> shift) & 0xf]);
}

void gdb_reply_error(struct gdb_stub *s, int err)
{
	gdb_reply_reset(s);
	if (err < 0)
		err = -err;
	if (err == GDB_ENOSYS)
		return; /* empty reply: "not supported" */
	gdb_reply_char(s, 'E');
	gdb_reply_char(s, (char)('0' + err / 10 % 10));
	gdb_reply_char(s, (char)('0' + err % 10));
}

/* "E.nn.words" (GDB shows the words, e.g. "Remote failure reply: ...");
 * words must not hold '$', '#', '}' or '*'. */
static void reply_error_words(struct gdb_stub *s, int err, const char *words)
{
	gdb_reply_error(s, err); /* "Enn" */
	s->reply_len = 1;
	gdb_reply_char(s, '.');
	gdb_reply_char(s, (char)('0' + (-err) / 10 % 10));
	gdb_reply_char(s, (char)('0' + (-err) % 10));
	gdb_reply_char(s, '.');
	gdb_reply_str(s, words);
}

/* --- threads and stop replies ---------------------------------------- */

size_t gdb_thread_list(struct gdb_stub *s)
{
	size_t n = 0;
	if (s->target->threads)
		n = s->target->threads(s->target->ctx, s->thread_ids,
				       GDB_MAX_THREADS);
	if (n == 0 || n > GDB_MAX_THREADS) {
		s->thread_ids[0] = 1;
		n = 1;
	}
	return n;
}

uint64_t gdb_stop_thread(struct gdb_stub *s, const struct gdb_stop *st)
{
	if (st->thread)
		return st->thread;
	gdb_thread_list(s);
	return s->thread_ids[0];
}

/* Append "nn:value;" for a register GDB wants on every stop, saving it a
 * round trip; skipped when the target has no value. */
static void expedite(struct gdb_stub *s, size_t regnum)
{
	uint8_t v[GDB_REG_MAX_BYTES];
	size_t n = gdb_reg_size(regnum);
	if (s->target->read_reg(s->target->ctx, gdb_reg_defs[regnum].id, v,
				n) != 0)
		return;
	gdb_reply_num(s, regnum);
	gdb_reply_char(s, ':');
	gdb_reply_hex(s, v, n);
	gdb_reply_char(s, ';');
}

/* Registers a stop reply carries: what GDB reads after every stop (pc and
 * the frame's stack and base pointers), and in a new frame the general
 * registers and flags it reads to show the arguments (x86-64 passes them
 * in registers; callee-saved ones hold them later). */
static bool frame_reg(enum gdb_reg_id id, bool new_frame)
{
	if (id == GDB_REG_RIP || id == GDB_REG_RSP || id == GDB_REG_RBP)
		return true;
	return new_frame && id <= GDB_REG_EFLAGS;
}

/* "T<sig>thread:<id>;<expedited regs><reason>;" for the current stop. */
static void stop_reply(struct gdb_stub *s)
{
	static const char *const watch_names[] = {
	    [GDB_STOP_WATCH] = "watch:",
	    [GDB_STOP_RWATCH] = "rwatch:",
	    [GDB_STOP_AWATCH] = "awatch:",
	};
	struct gdb_stop st = {GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
	s->target->stop_reason(s->target->ctx, &st);
	uint8_t sig = (uint8_t)st.signal;
	gdb_reply_reset(s);
	gdb_reply_char(s, 'T');
	gdb_reply_hex(s, &sig, 1);
	gdb_reply_str(s, "thread:");
	gdb_reply_num(s, gdb_stop_thread(s, &st));
	gdb_reply_char(s, ';');
	bool all = s->target->new_frame && s->target->new_frame(s->target->ctx);
	for (size_t i = 0; i < gdb_num_regs; i++)
		if (frame_reg(gdb_reg_defs[i].id, all))
			expedite(s, i);
	if (st.kind == GDB_STOP_SWBREAK) {
		gdb_reply_str(s, "swbreak:;");
	} else if (st.kind == GDB_STOP_HWBREAK) {
		gdb_reply_str(s, "hwbreak:;");
	} else if (st.kind >= GDB_STOP_WATCH && st.kind <= GDB_STOP_AWATCH) {
		gdb_reply_str(s, watch_names[st.kind]);
		gdb_reply_num(s, st.addr);
		gdb_reply_char(s, ';');
	}
}

static int h_stop_query(struct gdb_stub *s, const char *pkt, size_t len)
{
	(void)pkt, (void)len;
	stop_reply(s);
	return GDB_ACT_NONE;
}

/* --- registers ------------------------------------------------------- */

/* Step *p over c if it is there. */
static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* Append register regnum's value in hex, or 'x's when unavailable. */
static void reply_reg(struct gdb_stub *s, size_t regnum)
{
	uint8_t v[GDB_REG_MAX_BYTES];
	size_t n = gdb_reg_size(regnum);
	if (s->target->read_reg(s->target->ctx, gdb_reg_defs[regnum].id, v,
				n) == 0) {
		gdb_reply_hex(s, v, n);
		return;
	}
	for (size_t i = 0; i < 2 * n; i++)
		gdb_reply_char(s, 'x');
}

static int h_read_regs(struct gdb_stub *s, const char *pkt, size_t len)
{
	(void)pkt, (void)len;
	gdb_reply_reset(s);
	for (size_t i = 0; i < gdb_num_regs; i++)
		reply_reg(s, i);
	return GDB_ACT_NONE;
}

/* 'G' hex-of-all-registers: registers GDB sent in full are written;
 * unavailable ones (and 'x' placeholders) are skipped. */
static int h_write_regs(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *hex = pkt + 1;
	size_t avail = len - 1, off = 0;
	int err = 0;
	for (size_t i = 0; i < gdb_num_regs; i++) {
		size_t n = gdb_reg_size(i);
		uint8_t v[GDB_REG_MAX_BYTES];
		if (2 * (off + n) > avail)
			break;
		if (gdb_hex_decode(v, hex + 2 * off, n) == 0) {
			int r = s->target->write_reg(s->target->ctx,
						     gdb_reg_defs[i].id, v, n);
			if (r < 0)
				err = r;
		}
		off += n;
	}
	if (err || avail % 2 || 2 * off != avail)
		gdb_reply_error(s, err ? err : -GDB_EINVAL);
	else
		gdb_reply_str(s, "OK");
	return GDB_ACT_NONE;
}

static int h_read_reg(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t n;
	(void)len;
	if (gdb_parse_hex(&p, &n) || *p || n >= gdb_num_regs) {
		gdb_reply_error(s, -GDB_EINVAL);
		return GDB_ACT_NONE;
	}
	gdb_reply_reset(s);
	reply_reg(s, (size_t)n);
	return GDB_ACT_NONE;
}

/* 'P n=value' */
static int h_write_reg(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t n;
	uint8_t v[GDB_REG_MAX_BYTES];
	(void)len;
	if (gdb_parse_hex(&p, &n) || !expect(&p, '=') || n >= gdb_num_regs ||
	    strlen(p) != 2 * gdb_reg_size((size_t)n) ||
	    gdb_hex_decode(v, p, gdb_reg_size((size_t)n))) {
		gdb_reply_error(s, -GDB_EINVAL);
		return GDB_ACT_NONE;
	}
	int r = s->target->write_reg(s->target->ctx, gdb_reg_defs[n].id, v,
				     gdb_reg_size((size_t)n));
	if (r == 0)
		gdb_reply_str(s, "OK");
	else
		gdb_reply_error(s, r < 0 ? r : -GDB_EINVAL);
	return GDB_ACT_NONE;
}

/* --- memory ---------------------------------------------------------- */

/* Parse "addr,len" at p; *p is left after len. Rejects ranges that wrap
 * or exceed max bytes. */
static int parse_range(const char **p, uint64_t *addr, uint64_t *len,
		       uint64_t max)
{
	if (gdb_parse_hex(p, addr) || !expect(p, ',') || gdb_parse_hex(p, len))
		return -GDB_EINVAL;
	if (*len > max)
		return -GDB_EINVAL;
	if (*len && *addr + *len - 1 < *addr)
		return -GDB_EFAULT;
	return 0;
}

static int h_read_mem(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t addr, n;
	(void)len;
	int err = parse_range(&p, &addr, &n, UINT64_MAX);
	if (!err && *p)
		err = -GDB_EINVAL;
	if (err) {
		gdb_reply_error(s, err);
		return GDB_ACT_NONE;
	}
	if (n > GDB_PACKET_SIZE / 2)
		n = GDB_PACKET_SIZE / 2; /* a short read is allowed */
	long got =
	    n ? s->target->read_mem(s->target->ctx, addr, s->scratch, (size_t)n)
	      : 0;
	if (n && got <= 0) {
		gdb_reply_error(s, got < 0 ? (int)got : -GDB_EFAULT);
		return GDB_ACT_NONE;
	}
	gdb_reply_reset(s);
	gdb_reply_hex(s, s->scratch, (size_t)got);
	return GDB_ACT_NONE;
}

/* Write n bytes of scratch at addr and reply OK or the error. */
static void write_scratch(struct gdb_stub *s, uint64_t addr, size_t n)
{
	long put =
	    n ? s->target->write_mem(s->target->ctx, addr, s->scratch, n) : 0;
	if ((size_t)put == n)
		gdb_reply_str(s, "OK");
	else
		gdb_reply_error(s, put < 0 ? (int)put : -GDB_EFAULT);
}

/* The end of M and X: the decoded bytes go to memory, or the error. */
static int write_or_error(struct gdb_stub *s, int err, uint64_t addr,
			  uint64_t n)
{
	if (err)
		gdb_reply_error(s, err);
	else
		write_scratch(s, addr, (size_t)n);
	return GDB_ACT_NONE;
}

/* 'M addr,len:hex' */
static int h_write_mem(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t addr, n;
	int err = parse_range(&p, &addr, &n, sizeof s->scratch);
	if (!err && (!expect(&p, ':') || (size_t)(pkt + len - p) != 2 * n ||
		     gdb_hex_decode(s->scratch, p, (size_t)n)))
		err = -GDB_EINVAL;
	return write_or_error(s, err, addr, n);
}

/* 'X addr,len:binary' — binary is '}'-escaped; len 0 probes support. */
static int h_write_bin(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t addr, n;
	int err = parse_range(&p, &addr, &n, sizeof s->scratch);
	if (!err && !expect(&p, ':'))
		err = -GDB_EINVAL;
	if (!err) {
		size_t raw = (size_t)(pkt + len - p);
		memcpy(s->scratch, p, raw);
		long got = gdb_unescape((char *)s->scratch, raw);
		if (got < 0 || (uint64_t)got != n)
			err = -GDB_EINVAL;
	}
	return write_or_error(s, err, addr, n);
}

/* --- run control ----------------------------------------------------- */

int gdb_resume(struct gdb_stub *s, bool step, int sig, const uint64_t *addr)
{
	if (addr) {
		uint8_t v[8];
		for (int i = 0; i < 8; i++)
			v[i] = (uint8_t)(*addr >> (8 * i));
		s->target->write_reg(s->target->ctx, GDB_REG_RIP, v, 8);
	}
	s->resume_signal = sig;
	s->gdb_waiting = true;
	s->reply_len = GDB_NO_REPLY;
	return step ? GDB_ACT_STEP : GDB_ACT_CONTINUE;
}

/* 'c [addr]', 's [addr]', 'C sig[;addr]', 'S sig[;addr]' */
static int h_resume(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	bool step = pkt[0] == 's' || pkt[0] == 'S';
	uint64_t sig = 0, addr;
	(void)len;
	s->range_start = s->range_end = 0; /* a plain step */
	if (pkt[0] == 'C' || pkt[0] == 'S') {
		if (gdb_parse_hex(&p, &sig) || sig > 0xff) {
			gdb_reply_error(s, -GDB_EINVAL);
			return GDB_ACT_NONE;
		}
		if (*p == ';')
			p++;
	}
	if (*p == '\0')
		return gdb_resume(s, step, (int)sig, NULL);
	if (gdb_parse_hex(&p, &addr) || *p) {
		gdb_reply_error(s, -GDB_EINVAL);
		return GDB_ACT_NONE;
	}
	return gdb_resume(s, step, (int)sig, &addr);
}

/* --- breakpoints ----------------------------------------------------- */

/* 'Z type,addr,kind[;cond...]' and 'z type,addr,kind' */
static int h_break(struct gdb_stub *s, const char *pkt, size_t len)
{
	const char *p = pkt + 1;
	uint64_t type, addr, kind;
	(void)len;
	if (gdb_parse_hex(&p, &type) || !expect(&p, ',') ||
	    gdb_parse_hex(&p, &addr) || !expect(&p, ',') ||
	    gdb_parse_hex(&p, &kind) || (*p && *p != ';')) {
		gdb_reply_error(s, -GDB_EINVAL);
		return GDB_ACT_NONE;
	}
	if (type > GDB_WP_ACCESS) {
		gdb_reply_error(s, -GDB_ENOSYS);
		return GDB_ACT_NONE;
	}
	int (*fn)(void *, enum gdb_bp_type, uint64_t, unsigned) =
	    pkt[0] == 'Z' ? s->target->set_break : s->target->remove_break;
	int r = fn ? fn(s->target->ctx, (enum gdb_bp_type)type, addr,
			(unsigned)(kind > 8 ? 0 : kind))
		   : -GDB_ENOSYS;
	const char *why = s->target->error_text && r && pkt[0] == 'Z'
			      ? s->target->error_text(s->target->ctx)
			      : "";
	if (r == 0)
		gdb_reply_str(s, "OK");
	else if (why[0] && r != -GDB_ENOSYS)
		reply_error_words(s, r, why);
	else
		gdb_reply_error(s, r);
	return GDB_ACT_NONE;
}

/* --- session end ----------------------------------------------------- */

static int h_detach(struct gdb_stub *s, const char *pkt, size_t len)
{
	(void)pkt, (void)len;
	if (s->target->remove_all_breaks)
		s->target->remove_all_breaks(s->target->ctx);
	s->gdb_waiting = false;
	gdb_reply_str(s, "OK");
	return GDB_ACT_DETACH;
}

/* 'k' gets no reply; a kernel is not killed, only let go. */
static int h_kill(struct gdb_stub *s, const char *pkt, size_t len)
{
	h_detach(s, pkt, len);
	s->reply_len = GDB_NO_REPLY;
	return GDB_ACT_KILL;
}

/* --- threads --------------------------------------------------------- */

/* Parse a thread-id: hex number, or -1 / 0 meaning "any". */
static int parse_thread(const char *p, uint64_t *tid, bool *any)
{
	*any = false;
	if (p[0] == '-' && p[1] == '1' && !p[2]) {
		*any = true;
		return 0;
	}
	if (gdb_parse_hex(&p, tid) || *p)
		return -GDB_EINVAL;
	*any = *tid == 0;
	return 0;
}

static bool thread_exists(struct gdb_stub *s, uint64_t tid)
{
	size_t n = gdb_thread_list(s);
	for (size_t i = 0; i < n; i++)
		if (s->thread_ids[i] == tid)
			return true;
	return false;
}

/* 'Hg tid' / 'Hc tid': choose the thread for registers / for resuming. */
static int h_set_thread(struct gdb_stub *s, const char *pkt, size_t len)
{
	uint64_t tid = 0;
	bool any;
	(void)len;
	int err = (pkt[1] != 'g' && pkt[1] != 'c')
		      ? -GDB_EINVAL
		      : parse_thread(pkt + 2, &tid, &any);
	if (!err && !any && !thread_exists(s, tid))
		err = -GDB_EINVAL;
	if (!err && any && pkt[1] == 'g' && s->target->select_thread) {
		struct gdb_stop st = {GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
		s->target->stop_reason(s->target->ctx, &st);
		tid = gdb_stop_thread(s, &st); /* "any": the stopped one */
		any = false;
	}
	if (!err && !any && pkt[1] == 'g' && s->target->select_thread)
		err = s->target->select_thread(s->target->ctx, tid);
	if (err)
		gdb_reply_error(s, err);
	else
		gdb_reply_str(s, "OK");
	return GDB_ACT_NONE;
}

/* 'T tid': is the thread alive? */
static int h_thread_alive(struct gdb_stub *s, const char *pkt, size_t len)
{
	uint64_t tid = 0;
	bool any;
	(void)len;
	if (parse_thread(pkt + 1, &tid, &any) == 0 && !any &&
	    thread_exists(s, tid))
		gdb_reply_str(s, "OK");
	else
		gdb_reply_error(s, -GDB_EINVAL);
	return GDB_ACT_NONE;
}

/* --- dispatch -------------------------------------------------------- */

typedef int (*gdb_handler)(struct gdb_stub *s, const char *pkt, size_t len);

/* One handler per packet letter (GDB manual, "Packets"). */
// clang-format off
static const gdb_handler handlers[128] = {
	['?'] = h_stop_query,     /* why did we stop */
	['g'] = h_read_regs,      /* all registers */
	['G'] = h_write_regs,
	['p'] = h_read_reg,       /* one register */
	['P'] = h_write_reg,
	['m'] = h_read_mem,       /* memory, hex */
	['M'] = h_write_mem,
	['X'] = h_write_bin,      /* memory, binary */
	['c'] = h_resume,         /* continue */
	['C'] = h_resume,         /* continue with signal */
	['s'] = h_resume,         /* step */
	['S'] = h_resume,         /* step with signal */
	['Z'] = h_break,          /* insert break/watchpoint */
	['z'] = h_break,          /* remove */
	['D'] = h_detach,
	['k'] = h_kill,
	['H'] = h_set_thread,
	['T'] = h_thread_alive,
	['q'] = gdb_handle_query, /* general queries */
	['Q'] = gdb_handle_set,   /* general settings */
	['v'] = gdb_handle_v,     /* vCont, vKill */
};
// clang-format on

/* Run the handler for the packet in rx; unknown packets get "". */
static int dispatch(struct gdb_stub *s)
{
	const char *pkt = s->rsp.in.buf;
	size_t len = s->rsp.in.len;
	unsigned char letter = (unsigned char)pkt[0];
	s->reply_len = GDB_NO_REPLY;
	if (len == 0 || letter >= 128 || !handlers[letter]) {
		gdb_reply_reset(s);
		return GDB_ACT_NONE;
	}
	int act = handlers[letter](s, pkt, len);
	if (act == GDB_ACT_NONE && s->reply_len == GDB_NO_REPLY)
		gdb_reply_reset(s);
	return act;
}

/* Which client sent the packet in rx? GDB starts with qSupported (then
 * maybe QStartNoAckMode), LLDB with QStartNoAckMode then qSupported; each
 * sends them once. Either, arriving from a client that has already talked,
 * is a new client (the old one died without D): it starts in ack mode. */
static void note_client(struct gdb_stub *s)
{
	const char *pkt = s->rsp.in.buf;
	bool no_ack = strcmp(pkt, "QStartNoAckMode") == 0;
	bool hello =
	    no_ack || (strncmp(pkt, "qSupported", 10) == 0 &&
		       !(s->client_packets == 1 && s->last_was_no_ack));
	if (hello && s->client_packets > 0)
		gdb_stub_new_client(s);
	s->client_packets++;
	s->last_was_no_ack = no_ack;
}

enum gdb_action gdb_session(struct gdb_stub *s)
{
	if (s->gdb_waiting) {
		s->gdb_waiting = false;
		stop_reply(s);
		gdb_rsp_send(&s->rsp, s->reply_len);
	}
	for (;;) {
		enum gdb_rx rx = gdb_rsp_recv(&s->rsp);
		if (rx == GDB_RX_EOF)
			return GDB_ACT_DISCONNECT;
		if (rx == GDB_RX_INTERRUPT) {
			/* already stopped: the client missed the reply */
			stop_reply(s);
			gdb_rsp_send(&s->rsp, s->reply_len);
			continue;
		}
		if (rx == GDB_RX_PACKET)
			note_client(s);
		gdb_rsp_ack(&s->rsp);
		int act = GDB_ACT_NONE;
		if (rx == GDB_RX_TOOLONG)
			gdb_reply_error(s, -GDB_EINVAL);
		else
			act = dispatch(s);
		if (s->reply_len != GDB_NO_REPLY)
			gdb_rsp_send(&s->rsp, s->reply_len);
		if (s->no_ack_next)
			s->rsp.no_ack = true;
		s->no_ack_next = false;
		if (act == GDB_ACT_DETACH || act == GDB_ACT_KILL)
			gdb_stub_new_client(s); /* that client is gone */
		if (act != GDB_ACT_NONE)
			return (enum gdb_action)act;
	}
}
