/* crash.h — deliberate faults of every kind, for practice (`crash`) and tests
 * (`test=`). */
#ifndef KERNEL_DEBUG_CRASH_H
#define KERNEL_DEBUG_CRASH_H

struct crash_kind {
	const char *name;
	const char *what; /* what it does and what the diagnosis should say */
	void (*fn)(void);
};

extern const struct crash_kind crash_kinds[];
extern const unsigned crash_kinds_count;

/* The kind called name, or NULL. */
const struct crash_kind *crash_find(const char *name);

#endif
