/* cmd_tables.c — (being written) */
