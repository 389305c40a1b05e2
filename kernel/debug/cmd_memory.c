/* cmd_memory.c — (being written) */
