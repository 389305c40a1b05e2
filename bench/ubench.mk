# ubench.mk — `make bench` also runs bench/user_bench.py: ring-3 cycles of a null
# system call (syscall vs int 0x80) and a context switch, measured by user/ubench.c.
bench: bench-user
.PHONY: bench-user
bench-user: deps $(ELF) $(USER_INITRD)
	@$(PYTHON) bench/user_bench.py
