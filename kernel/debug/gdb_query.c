/* gdb_query.c — GDB stub handlers for q, Q and v packets. */
#include "kernel/debug/gdb_priv.h"
#include "kernel/lib/string.h"

/* Does pkt start with prefix, followed by end or one of the chars in ends? */
static bool is_cmd(const char *pkt, const char *prefix, const char *ends)
{
	size_t n = strlen(prefix);
	if (strncmp(pkt, prefix, n) != 0)
		return false;
	return pkt[n] == '\0' || (pkt[n] && strchr(ends, pkt[n]));
}

/* What we tell GDB in reply to qSupported (see GDB_PACKET_SIZE). */
static void h_supported(struct gdb_stub *s)
{
	gdb_reply_str(s, "PacketSize=");
	gdb_reply_num(s, GDB_PACKET_SIZE);
	gdb_reply_str(s, ";qXfer:features:read+;qXfer:threads:read+");
	if (s->target->memory_regions)
		gdb_reply_str(s, ";qXfer:memory-map:read+");
	gdb_reply_str(s, ";swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+");
}

/* qXfer:features:read:target.xml:off,len — a chunk of the description,
 * 'm' when more follows, 'l' for the last; binary, so escaped. */
static void h_xfer_features(struct gdb_stub *s, const char *p)
{
	static const char annex[] = "target.xml:";
	uint64_t off, len;
	if (strncmp(p, annex, sizeof annex - 1) != 0) {
		gdb_reply_str(s, "E00"); /* unknown annex, per the manual */
		return;
	}
	p += sizeof annex - 1;
	if (gdb_parse_hex(&p, &off) || *p++ != ',' || gdb_parse_hex(&p, &len) ||
	    *p || off > s->xml_len) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	gdb_reply_reset(s);
	gdb_reply_char(s, 'm');
	size_t i = (size_t)off;
	for (; i < s->xml_len && i - off < len && gdb_reply_room(s) >= 2; i++) {
		char c = s->xml[i];
		if (gdb_needs_escape(c)) {
			gdb_reply_char(s, GDB_CH_ESCAPE);
			c ^= GDB_ESCAPE_XOR;
		}
		gdb_reply_char(s, c);
	}
	if (i == s->xml_len)
		s->rsp.tx[0] = 'l';
}

/* Output sink for qRcmd: buffer bytes, send them as "O<hex>" packets. */
static void mon_flush(struct gdb_stub *s)
{
	if (s->mon_len == 0)
		return;
	gdb_reply_reset(s);
	gdb_reply_char(s, 'O');
	gdb_reply_hex(s, s->mon_buf, s->mon_len);
	gdb_rsp_send(&s->rsp, s->reply_len);
	s->mon_len = 0;
}

static void mon_putc(void *octx, char c)
{
	struct gdb_stub *s = octx;
	s->mon_buf[s->mon_len++] = c;
	if (s->mon_len == sizeof s->mon_buf)
		mon_flush(s);
}

/* qRcmd,<hex command> — run a monitor command; output as O packets. */
static void h_rcmd(struct gdb_stub *s, const char *hex)
{
	size_t n = strlen(hex);
	char *cmd = (char *)s->scratch;
	if (!s->target->monitor_cmd) {
		gdb_reply_reset(s);
		return;
	}
	if (n % 2 || n / 2 >= sizeof s->scratch ||
	    gdb_hex_decode(cmd, hex, n / 2)) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	cmd[n / 2] = '\0';
	s->mon_len = 0;
	int r = s->target->monitor_cmd(s->target->ctx, cmd, mon_putc, s);
	mon_flush(s);
	gdb_reply_reset(s);
	if (r == 0)
		gdb_reply_str(s, "OK");
	else
		gdb_reply_error(s, r);
}

/* qfThreadInfo / qsThreadInfo: "m<id>,<id>..." as many as fit, then "l". */
static void h_thread_info(struct gdb_stub *s, bool first)
{
	size_t n = gdb_thread_list(s);
	if (first)
		s->thread_cursor = 0;
	gdb_reply_reset(s);
	if (s->thread_cursor >= n) {
		gdb_reply_char(s, 'l');
		return;
	}
	gdb_reply_char(s, 'm');
	size_t first_id = s->thread_cursor;
	for (size_t i = first_id; i < n && gdb_reply_room(s) > 17; i++) {
		if (i > first_id)
			gdb_reply_char(s, ',');
		gdb_reply_num(s, s->thread_ids[i]);
		s->thread_cursor = i + 1;
	}
}

/* qThreadExtraInfo,<tid> — the target's line about the thread, in hex. */
static void h_thread_extra(struct gdb_stub *s, const char *p)
{
	char *text = (char *)s->scratch;
	uint64_t tid;
	if (gdb_parse_hex(&p, &tid) || *p) {
		gdb_reply_error(s, -GDB_EINVAL);
		return;
	}
	text[0] = '\0';
	if (s->target->thread_info)
		s->target->thread_info(s->target->ctx, tid, text, 128);
	text[127] = '\0';
	gdb_reply_reset(s);
	gdb_reply_hex(s, text, strlen(text));
}

/* qC: the stopped thread. GDB then takes it as the general thread (as it
 * does for the thread of a T reply, remote.c's record_currthread), so it
 * becomes the one registers and memory refer to here too. */
static void h_current_thread(struct gdb_stub *s)
{
	struct gdb_stop st = {GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
	s->target->stop_reason(s->target->ctx, &st);
	uint64_t tid = gdb_stop_thread(s, &st);
	if (s->target->select_thread)
		s->target->select_thread(s->target->ctx, tid);
	gdb_reply_str(s, "QC");
	gdb_reply_num(s, tid);
}

int gdb_handle_query(struct gdb_stub *s, const char *pkt, size_t len)
{
	static const char xfer[] = "qXfer:features:read:";
	static const char rcmd[] = "qRcmd,";
	static const char extra[] = "qThreadExtraInfo,";
	static const char search[] = "qSearch:memory:";
	if (is_cmd(pkt, "qSupported", ":"))
		h_supported(s);
	else if (strncmp(pkt, xfer, sizeof xfer - 1) == 0)
		h_xfer_features(s, pkt + sizeof xfer - 1);
	else if (strncmp(pkt, "qXfer:", 6) == 0)
		gdb_handle_xfer(s, pkt + 6);
	else if (strncmp(pkt, search, sizeof search - 1) == 0)
		gdb_handle_search(s, pkt + sizeof search - 1,
				  len - (sizeof search - 1));
	else if (strncmp(pkt, "qCRC:", 5) == 0)
		gdb_handle_crc(s, pkt + 5);
	else if (is_cmd(pkt, "qHostInfo", ""))
		gdb_handle_host_info(s);
	else if (is_cmd(pkt, "qProcessInfo", ""))
		gdb_handle_process_info(s);
	else if (strncmp(pkt, "qMemoryRegionInfo:", 18) == 0 &&
		 s->target->memory_regions)
		gdb_handle_region_info(s, pkt + 18);
	else if (strncmp(pkt, rcmd, sizeof rcmd - 1) == 0)
		h_rcmd(s, pkt + sizeof rcmd - 1);
	else if (is_cmd(pkt, "qAttached", ":"))
		gdb_reply_str(s, "1"); /* attached to an existing "process" */
	else if (is_cmd(pkt, "qC", ""))
		h_current_thread(s);
	else if (is_cmd(pkt, "qfThreadInfo", ""))
		h_thread_info(s, true);
	else if (is_cmd(pkt, "qsThreadInfo", ""))
		h_thread_info(s, false);
	else if (strncmp(pkt, extra, sizeof extra - 1) == 0)
		h_thread_extra(s, pkt + sizeof extra - 1);
	else if (is_cmd(pkt, "qOffsets", ""))
		gdb_reply_str(s, "Text=0;Data=0;Bss=0");
	return GDB_ACT_NONE;
}

int gdb_handle_set(struct gdb_stub *s, const char *pkt, size_t len)
{
	(void)len;
	if (is_cmd(pkt, "QStartNoAckMode", "")) {
		gdb_reply_str(s, "OK");
		s->no_ack_next = true; /* after GDB acks this OK */
	}
	return GDB_ACT_NONE;
}

/* One vCont action "c", "s", "Csig", "Ssig" or "rstart,end" with an
 * optional ":tid". Returns the action's letter (lowercase), or 0 when
 * malformed; a range goes to *lo, *hi. */
static char parse_vcont_action(struct gdb_stub *s, const char **pp,
			       uint64_t *sig, uint64_t range[2], bool *mine,
			       uint64_t self)
{
	const char *p = *pp;
	char a = *p++;
	uint64_t tid;
	*sig = 0;
	if (a != 'c' && a != 's' && a != 'C' && a != 'S' && a != 'r')
		return 0;
	if ((a == 'C' || a == 'S') && (gdb_parse_hex(&p, sig) || *sig > 0xff))
		return 0;
	if (a == 'r' && (gdb_parse_hex(&p, &range[0]) || *p++ != ',' ||
			 gdb_parse_hex(&p, &range[1])))
		return 0;
	*mine = true;
	if (*p == ':') {
		p++;
		if (p[0] == '-' && p[1] == '1')
			p += 2;
		else if (gdb_parse_hex(&p, &tid) == 0)
			*mine = tid == self || tid == 0 ||
				(s->target->same_context &&
				 s->target->same_context(s->target->ctx, tid,
							 self));
		else
			return 0;
	}
	if (*p && *p != ';')
		return 0;
	*pp = p;
	return (char)(a | 0x20);
}

/* vCont;action[:tid][;action[:tid]]... — the first action that applies to
 * the stopped thread decides (all-stop: everything resumes with it). A
 * range step "r" is a step the caller may repeat while the pc stays in
 * [range_start, range_end) (GDB manual, "vCont"): one step is a valid,
 * if slow, way to do it. */
static int h_vcont(struct gdb_stub *s, const char *p)
{
	struct gdb_stop st = {GDB_SIGTRAP, GDB_STOP_SIGNAL, 0, 0};
	s->target->stop_reason(s->target->ctx, &st);
	uint64_t self = gdb_stop_thread(s, &st);
	while (*p == ';') {
		uint64_t sig, range[2] = {0, 0};
		bool mine;
		p++;
		char a = parse_vcont_action(s, &p, &sig, range, &mine, self);
		if (!a)
			break;
		if (mine) {
			s->range_start = range[0];
			s->range_end = range[1];
			return gdb_resume(s, a != 'c', (int)sig, NULL);
		}
		if (a != 'c')
			break; /* one CPU: only the stopped thread can step */
	}
	gdb_reply_error(s, -GDB_EINVAL);
	return GDB_ACT_NONE;
}

int gdb_handle_v(struct gdb_stub *s, const char *pkt, size_t len)
{
	(void)len;
	if (strcmp(pkt, "vCont?") == 0) {
		gdb_reply_str(s, "vCont;c;C;s;S;r");
		return GDB_ACT_NONE;
	}
	if (is_cmd(pkt, "vCont", ";"))
		return h_vcont(s, pkt + 5);
	if (is_cmd(pkt, "vKill", ";")) {
		if (s->target->remove_all_breaks)
			s->target->remove_all_breaks(s->target->ctx);
		s->gdb_waiting = false;
		gdb_reply_str(s, "OK");
		return GDB_ACT_KILL;
	}
	return GDB_ACT_NONE;
}
