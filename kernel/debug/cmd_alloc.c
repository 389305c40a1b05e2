/* cmd_alloc.c — (being written) */
