# user.mk — ring-3 programs (user/) linked at 0x400000 and packed into the initrd (a ustar archive).
# Floating point allowed (x87 and SSE): the kernel saves each process's state
# (kernel/arch/fpu.h); only the kernel itself is built with -mgeneral-regs-only.
USER_PROGS := init sh hello echo ls ps false usertests ubench demos crash kread \
	cat mkdir rm rmdir mv cp touch stat df sync fsstress fill fsbench \
	priv divzero syscheck readline twins longwrite sysfuzz fpregs
USER_LIB_SRCS := user/lib/crt0.S user/lib/syscall.c user/lib/printf.c user/lib/dir.c \
	user/lib/malloc.c user/lib/stdlib.c
USER_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding -nostdlib \
	-fno-stack-protector -fno-pic -fno-pie -mno-red-zone -fno-builtin \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer -nostdinc \
	-isystem $(shell $(HOSTCC) -print-file-name=include) -I.
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/user.ld -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=0x1000

# kernel/lib/string.c and kernel/lib/format.c are compiled into the user library
# unchanged (format.c is tested against glibc's printf on the host).
USER_LIB_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(USER_LIB_SRCS))) \
	$(BUILD)/user/lib/kernel_string.o $(BUILD)/user/lib/kernel_format.o
USER_BINS := $(USER_PROGS:%=$(BUILD)/user/bin/%)
USER_INITRD := $(BUILD)/initrd.tar
.SECONDARY: $(USER_PROGS:%=$(BUILD)/user/%.o) $(USER_LIB_OBJS) $(BUILD)/user/usertests_fs.o

$(BUILD)/user/%.o: user/%.c user/user.mk
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UCC     $<")
	$(Q)$(HOSTCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/user/lib/kernel_%.o: kernel/lib/%.c user/user.mk
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/user/%.o: user/%.S user/user.mk
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/bin/%: $(BUILD)/user/%.o $(USER_LIB_OBJS) user/user.ld
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ULD     $@")
	$(Q)$(HOSTCC) $(USER_LDFLAGS) -o $@ $< $(USER_LIB_OBJS)

# usertests also links its file-system tests.
$(BUILD)/user/bin/usertests: $(BUILD)/user/usertests.o $(BUILD)/user/usertests_fs.o \
		$(USER_LIB_OBJS) user/user.ld
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ULD     $@")
	$(Q)$(HOSTCC) $(USER_LDFLAGS) -o $@ $< $(BUILD)/user/usertests_fs.o $(USER_LIB_OBJS)

# Plain ustar (no GNU or pax extensions), fixed owner and time so the
# archive depends only on its contents. The archive holds copies without
# debug sections (GRUB loads it on every boot; GDB's add-symbol-file takes
# the full ones in build/user/bin).
$(USER_INITRD): $(USER_BINS) user/README
	@echo "  INITRD  $@"
	$(Q)rm -rf $(BUILD)/user/initrd && mkdir -p $(BUILD)/user/initrd
	$(Q)for p in $(USER_PROGS); do \
		objcopy --strip-debug $(BUILD)/user/bin/$$p $(BUILD)/user/initrd/$$p || exit 1; done
	$(Q)cp user/README $(BUILD)/user/initrd/README
	$(Q)tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 \
		-C $(BUILD)/user/initrd -cf $@ $(USER_PROGS) README

.PHONY: user
user: $(USER_INITRD)

# The ext2 disk image `make` builds and `make run` attaches (scripts/mkdisk:
# the programs in /bin, user/disk/ at the top, /initrd and /tmp).
DISK_IMG := $(BUILD)/disk.img
DISK_MIB := 64
$(DISK_IMG): $(USER_BINS) $(wildcard user/disk/*) user/README scripts/mkdisk
	@echo "  MKDISK  $@ ($(DISK_MIB) MiB ext2)"
	$(Q)scripts/mkdisk $(BUILD)/user/bin $@ $(DISK_MIB) $(USER_PROGS)
