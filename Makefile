# Makefile — one non-recursive build for triage: kernel, ISO, user programs, tests.
# `make help` lists the targets.

.DEFAULT_GOAL := all
BUILD := build

# --- toolchain: an x86_64-elf cross compiler when present, else the host gcc
ifneq ($(shell command -v x86_64-elf-gcc 2>/dev/null),)
TOOLPREFIX ?= x86_64-elf-
endif
ifeq ($(origin CC),default)
CC := $(TOOLPREFIX)gcc
endif
LD := $(TOOLPREFIX)ld
OBJCOPY := $(TOOLPREFIX)objcopy
OBJDUMP := $(TOOLPREFIX)objdump
NM := $(TOOLPREFIX)nm
NASM := nasm
HOSTCC ?= gcc
PYTHON := /usr/bin/python3

VERSION := $(shell git describe --always --dirty 2>/dev/null || date +%Y%m%d)
CMDLINE ?=

KCFLAGS := -std=c11 -Wall -Wextra -Werror -ffreestanding -fno-stack-protector \
	-fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-mno-mmx -mno-sse -mno-sse2 -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls -fno-builtin -g -O2 \
	-fno-asynchronous-unwind-tables -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-I. -DTRIAGE_VERSION='"$(VERSION)"'
ifneq ($(findstring clang,$(CC)),)
KCFLAGS += --target=x86_64-unknown-elf -Wno-unused-command-line-argument
endif
KLDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack -T kernel/arch/linker.ld --no-warn-rwx-segments

include kernel/sources.mk
# user/user.mk (when present): the ring-3 programs and the initrd it packs.
USER_INITRD :=
DISK_IMG :=
-include user/user.mk

objs_of = $(patsubst %.c,$(BUILD)/%.o,$(filter %.c,$(1))) \
	  $(patsubst %.asm,$(BUILD)/%.o,$(filter %.asm,$(1)))
KOBJS := $(call objs_of,$(KERNEL_SRCS))

# build/triage.elf carries the in-kernel tests only when the command line asks
# for one (make iso CMDLINE='test=pf'), so that the ISO and the ELF GDB loads
# are one build; build/triage-test.elf always has them (the test harness's).
# KTESTS=1/0 overrides; scripts/kernel-elf applies the same test= rule.
KTESTS ?= $(if $(findstring test=,$(CMDLINE)),1,0)
ELF_OBJS := $(KOBJS) $(call objs_of,$(if $(filter 1,$(KTESTS)),$(KTEST_SRCS),$(KTEST_OFF_SRCS)))
TEST_ELF_OBJS := $(KOBJS) $(call objs_of,$(KTEST_SRCS))

ELF := $(BUILD)/triage.elf
ISO := $(BUILD)/triage.iso
TEST_ELF := $(BUILD)/triage-test.elf

.PHONY: all iso run debug debug-tf gdb-serial test unit boot-tests gdb-tests fuzz bench clean help deps format lint fuzz-seeds
all: $(ELF) $(ISO) $(BUILD)/triage.sym $(BUILD)/triage.asm $(DISK_IMG)

ifneq ($(V),1)
Q := @
endif

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(KCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)$(NASM) -f elf64 -g -F dwarf -MD $(@:.o=.d) -MP $< -o $@

# A kernel is linked twice: the first link yields the symbol table, which is
# compiled in and linked again (the table's own size is fixed by a stage-1
# placeholder of the same layout, so addresses do not move).
# $(1): the ELF's name in build/ (no .elf), $(2): its objects.
define kernel_link
$(BUILD)/$(1).stage1.elf: $(2) $(BUILD)/kernel/ksyms_empty.o kernel/arch/linker.ld
	$$(Q)$$(LD) $$(KLDFLAGS) -o $$@ $(2) $(BUILD)/kernel/ksyms_empty.o
$(BUILD)/$(1).ksyms.c: $(BUILD)/$(1).stage1.elf scripts/gen-ksyms
	$$(Q)$$(NM) -n $$< | $$(PYTHON) scripts/gen-ksyms > $$@
$(BUILD)/$(1).ksyms.o: $(BUILD)/$(1).ksyms.c
	$$(Q)$$(CC) $$(KCFLAGS) -c $$< -o $$@
$(BUILD)/$(1).elf: $(2) $(BUILD)/$(1).ksyms.o kernel/arch/linker.ld
	@echo "  LD      $$@"
	$$(Q)$$(LD) $$(KLDFLAGS) -o $$@ $(2) $(BUILD)/$(1).ksyms.o
	@grub-file --is-x86-multiboot2 $$@ || { echo "error: $$@ has no valid Multiboot2 header" >&2; rm -f $$@; exit 1; }
endef
$(eval $(call kernel_link,triage,$(ELF_OBJS)))
$(eval $(call kernel_link,triage-test,$(TEST_ELF_OBJS)))

# Relink build/triage.elf when KTESTS changes between two makes.
$(BUILD)/triage.stage1.elf $(ELF): $(BUILD)/ktests.stamp
$(BUILD)/ktests.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(KTESTS)' | cmp -s - $@ || echo '$(KTESTS)' > $@

$(BUILD)/triage.sym: $(ELF)
	$(Q)$(NM) -n $< > $@
$(BUILD)/triage.asm: $(ELF)
	$(Q)$(OBJDUMP) -d -S -M intel $< > $@ 2>/dev/null

# CMDLINE is baked into grub.cfg; rebuild the ISO when it changes.
$(BUILD)/cmdline.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

$(ISO): $(ELF) iso/grub.cfg.in scripts/mkiso $(BUILD)/cmdline.stamp $(USER_INITRD)
	@echo "  ISO     $@ (cmdline: '$(CMDLINE)')"
	$(Q)scripts/mkiso $(if $(USER_INITRD),--initrd $(USER_INITRD)) $(ELF) $@ $(CMDLINE)

iso: $(ISO)

deps:
	@scripts/install-deps

# DISK=path attaches another image, DISK=none none (default build/disk.img).
RUN_DISK = $(if $(filter none,$(DISK)),,--disk $(or $(DISK),$(DISK_IMG)))
run: deps
	@$(MAKE) --no-print-directory $(ISO) $(if $(DISK),,$(DISK_IMG))
	scripts/run-qemu --allow-reboot $(if $(GUI),--gui) $(RUN_DISK) $(ISO)

debug: deps
	@$(MAKE) --no-print-directory $(ISO)
	scripts/debug-qemu $(ISO)

# triage's own GDB stub on a TCP serial port (ttyS1), GDB attached.
gdb-serial: deps
	@$(MAKE) --no-print-directory $(ELF) $(TEST_ELF)
	scripts/gdb-serial $(if $(CMDLINE),--cmdline '$(CMDLINE)')

# A real triple fault: QEMU's own exception log, symbolised (CMDLINE picks
# the scenario; default test=triple_fault). It builds its own ISO: the
# CMDLINE must not be baked into build/triage.iso.
debug-tf: deps $(ELF) $(TEST_ELF) $(USER_INITRD)
	scripts/debug-tf $(if $(CMDLINE),--cmdline '$(CMDLINE)')

# --- host unit tests (cmocka, ASan/UBSan): each tests/unit/*.mk adds
#     UNIT_TESTS += name and unit_<name>_SRCS := its sources.
UNIT_TESTS :=
TEST_HELPERS :=
include $(wildcard tests/unit/*.mk)
HOSTCFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/host/test_%)
define unit_rule
$(BUILD)/host/test_$(1): $$(unit_$(1)_SRCS) tests/unit/harness.c
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) $$(HOSTCFLAGS) $$(unit_$(1)_CFLAGS) -MM -MP -MT $$@ $$(filter %.c,$$^) > $$@.d
	$$(HOSTCC) $$(HOSTCFLAGS) $$(unit_$(1)_CFLAGS) -o $$@ $$(filter %.c,$$^) -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))
unit: $(UNIT_BINS)

# --- fuzz targets (libFuzzer): tests/fuzz/*.mk add FUZZERS += name, fuzz_<name>_SRCS
FUZZERS :=
include $(wildcard tests/fuzz/*.mk)
FUZZ_BINS := $(FUZZERS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_TIME ?= 10
define fuzz_rule
$(BUILD)/fuzz/fuzz_$(1): $$(fuzz_$(1)_SRCS)
	@mkdir -p $$(dir $$@)
	clang -std=c11 -D_GNU_SOURCE -I. -MM -MP -MT $$@ $$(filter %.c,$$^) > $$@.d
	clang -std=c11 -D_GNU_SOURCE -g -O1 -I. -fsanitize=fuzzer,address,undefined -o $$@ $$(filter %.c,$$^)
endef
$(foreach t,$(FUZZERS),$(eval $(call fuzz_rule,$(t))))

# --- benchmarks: bench/*.mk add BENCHES += name, bench_<name>_SRCS
BENCHES :=
include $(wildcard bench/*.mk)
BENCH_BINS := $(BENCHES:%=$(BUILD)/bench/bench_%)
define bench_rule
$(BUILD)/bench/bench_$(1): $$(bench_$(1)_SRCS)
	@mkdir -p $$(dir $$@)
	$$(HOSTCC) -std=c11 -D_GNU_SOURCE -I. -MM -MP -MT $$@ $$(filter %.c,$$^) > $$@.d
	$$(HOSTCC) -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I. -o $$@ $$(filter %.c,$$^)
endef
$(foreach t,$(BENCHES),$(eval $(call bench_rule,$(t))))
$(BUILD)/bench/bare.elf: bench/bare/bare.asm bench/bare/bare.ld
	@mkdir -p $(dir $@)
	$(Q)$(NASM) -f elf32 $< -o $(BUILD)/bench/bare.o
	$(Q)$(LD) -m elf_i386 -T bench/bare/bare.ld -o $@ $(BUILD)/bench/bare.o

bench: deps $(BENCH_BINS) $(ISO) $(TEST_ELF) $(USER_INITRD) $(BUILD)/bench/bare.elf $(DISK_IMG)
	@for b in $(BENCH_BINS); do echo "== $$b"; $$b || exit 1; done
	@if [ -f bench/boot_time.py ]; then $(PYTHON) bench/boot_time.py; fi
	@$(PYTHON) bench/gdb_bench.py --rounds 3 --paced
	@$(PYTHON) bench/user_bench.py
	@$(PYTHON) bench/fs_bench.py

# Benchmarks are built (not run) so that a change that breaks them fails here.
test: deps
	@$(MAKE) --no-print-directory all $(TEST_ELF) unit $(FUZZ_BINS) $(BENCH_BINS) $(TEST_HELPERS)
	@$(PYTHON) scripts/run-tests $(UNIT_BINS) -- $(FUZZ_BINS)

# Each target starts from its committed seeds (tests/fuzz/corpus/NAME) and
# keeps what it finds in build/fuzz/corpus-fuzz_NAME; `make fuzz-seeds`
# merges those finds, minimised, back into the committed seeds.
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZERS); do mkdir -p $(BUILD)/fuzz/corpus-fuzz_$$f tests/fuzz/corpus/$$f; \
		$(BUILD)/fuzz/fuzz_$$f -max_total_time=$(FUZZ_TIME) \
		$(BUILD)/fuzz/corpus-fuzz_$$f tests/fuzz/corpus/$$f || exit 1; done

fuzz-seeds: $(FUZZ_BINS)
	@for f in $(FUZZERS); do mkdir -p $(BUILD)/fuzz/corpus-fuzz_$$f tests/fuzz/corpus/$$f; \
		$(BUILD)/fuzz/fuzz_$$f -merge=1 tests/fuzz/corpus/$$f \
		$(BUILD)/fuzz/corpus-fuzz_$$f || exit 1; done

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Include direction between the layers, clang-format, cppcheck (make test runs it too).
lint: deps
	@scripts/lint

clean:
	rm -rf $(BUILD)

help:
	@echo "triage — targets:"
	@echo "  make            build build/triage.elf, .sym, .asm and build/triage.iso"
	@echo "  make iso CMDLINE='debug=monitor'   bake a kernel command line into the ISO"
	@echo "                  (a test=NAME in it links the in-kernel tests into build/triage.elf)"
	@echo "  make build/triage-test.elf   the kernel with its in-kernel tests (what make test boots)"
	@echo "  make run        boot the ISO in QEMU with build/disk.img, serial console on this terminal"
	@echo "                  (GUI=1: VGA window too; DISK=path: another ext2 image; DISK=none: no disk)"
	@echo "  make debug      boot QEMU paused (-s -S) and attach GDB with ./gdbinit"
	@echo "  make gdb-serial boot with triage's GDB stub on a TCP serial port (gdb=ttyS1) and attach GDB"
	@echo "  make debug-tf   run a scenario under QEMU -d int,cpu_reset and list the exceptions before a triple fault"
	@echo "  make test       lint, host unit tests, fuzz smoke runs, boot and debugger tests in QEMU; builds the benchmarks"
	@echo "  make unit       build the host unit tests only"
	@echo "  make fuzz       run each fuzz target for FUZZ_TIME seconds (default 10) from its seeds"
	@echo "  make fuzz-seeds merge what make fuzz found, minimised, into tests/fuzz/corpus/"
	@echo "  make bench      benchmarks, printed as ratios measured side by side"
	@echo "  make format     clang-format every C file"
	@echo "  make lint       include direction between layers, clang-format check, cppcheck"
	@echo "  make clean      remove build/"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
