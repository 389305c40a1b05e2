/* cmd_pagetable.c — (being written) */
