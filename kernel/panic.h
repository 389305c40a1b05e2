/* panic.h — stop the kernel with a full diagnosis. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/* Print the message, registers and a backtrace, then enter the debugger
 * (or halt). Never returns. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							   ...);

/* The formatted reason of the panic under way ("" before any). */
const char *panic_message(void);

/* Loud check: panic naming the file, line and condition when it is false. */
#define KASSERT(cond)                                                          \
	do {                                                                   \
		if (!(cond))                                                   \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, \
			      __LINE__);                                       \
	} while (0)

#endif
