/* cmd_break.c — (being written) */
