/* cmd_crash.c — (being written) */
