/* ktests_mm.c — (being written) */
