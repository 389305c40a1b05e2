/* ktests_gdb.c — GDB test scenarios (being written) */
