/* qemu_exit.h — QEMU's isa-debug-exit device: a test run ends with a verdict as
 * QEMU's exit status. */
#ifndef DRIVERS_QEMU_EXIT_H
#define DRIVERS_QEMU_EXIT_H

/* Values written to the isa-debug-exit port (-device
 * isa-debug-exit,iobase=0xf4); QEMU exits with (v << 1) | 1. */
#define QEMU_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10	 /* exit status 33 */
#define QEMU_EXIT_FAIL 0x11	 /* exit status 35 */
#define QEMU_EXIT_DIAGNOSED 0x12 /* exit status 37: fault diagnosed */

/* Leave QEMU with a verdict. Returns when there is no such device (real
 * hardware, or QEMU started without it): the caller carries on. */
void qemu_exit_try(unsigned code);
/* The same, but without the device it says so and halts. */
__attribute__((noreturn)) void qemu_exit(unsigned code);

#endif
