/* cmd_cpu.c — (being written) */
