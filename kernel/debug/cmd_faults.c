/* cmd_faults.c — (being written) */
