/* gdb_priv.h — GDB stub internals: reply building, shared handlers. */
#ifndef KERNEL_DEBUG_GDB_PRIV_H
#define KERNEL_DEBUG_GDB_PRIV_H

#include "kernel/debug/gdbstub.h"

#define GDB_NO_REPLY ((size_t)-1)
#define GDB_ACT_NONE (-1) /* handler result: stay in the packet loop */

/* Replies are built in s->rsp.tx; these append, truncating safely. */
void gdb_reply_reset(struct gdb_stub *s);
void gdb_reply_str(struct gdb_stub *s, const char *str);
void gdb_reply_char(struct gdb_stub *s, char c);
void gdb_reply_hex(struct gdb_stub *s, const void *data, size_t n);
void gdb_reply_num(struct gdb_stub *s, uint64_t v); /* hex, no leading 0s */
void gdb_reply_error(struct gdb_stub *s, int err); /* "Enn", or "" for ENOSYS */
size_t gdb_reply_room(const struct gdb_stub *s);

/* Threads known to the target (at least one). */
size_t gdb_thread_list(struct gdb_stub *s);
uint64_t gdb_stop_thread(struct gdb_stub *s, const struct gdb_stop *st);

/* Handlers for 'q', 'Q' and 'v' packets (gdb_query.c). pkt is
 * NUL-terminated; return enum gdb_action or GDB_ACT_NONE. */
int gdb_handle_query(struct gdb_stub *s, const char *pkt, size_t len);
int gdb_handle_set(struct gdb_stub *s, const char *pkt, size_t len);
int gdb_handle_v(struct gdb_stub *s, const char *pkt, size_t len);

/* gdb_xfer.c: qXfer:threads/memory-map:read (p after "qXfer:"),
 * qSearch:memory (p after "qSearch:memory:", len bytes), qCRC (p after
 * "qCRC:"), qHostInfo, qProcessInfo. */
void gdb_handle_xfer(struct gdb_stub *s, const char *p);
void gdb_handle_search(struct gdb_stub *s, const char *p, size_t len);
void gdb_handle_crc(struct gdb_stub *s, const char *p);
void gdb_handle_host_info(struct gdb_stub *s);
/* qMemoryRegionInfo:addr (p after the ':'); needs target->memory_regions. */
void gdb_handle_region_info(struct gdb_stub *s, const char *p);
void gdb_handle_process_info(struct gdb_stub *s);

/* Shared by 'c'/'s' and vCont: set up a resume, optionally at addr. */
int gdb_resume(struct gdb_stub *s, bool step, int sig, const uint64_t *addr);

#endif
