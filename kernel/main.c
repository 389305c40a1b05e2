/* main.c — kmain: from the boot information to a running kernel, in order. */
#include "drivers/ata.h"
#include "drivers/console.h"
#include "drivers/fbcon.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "drivers/ps2kbd.h"
#include "drivers/serial.h"
#include "drivers/uart_find.h"
#include "drivers/vga.h"
#include "fs/storage.h"
#include "kernel/arch/cpufeat.h"
#include "kernel/arch/gdt.h"
#include "kernel/arch/idt.h"
#include "kernel/arch/layout.h"
#include "kernel/arch/stacks.h"
#include "kernel/arch/x86.h"
#include "kernel/clock.h"
#include "kernel/cmdline.h"
#include "kernel/debug/crashrec.h"
#include "kernel/debug/debug.h"
#include "kernel/debug/debug_io.h"
#include "kernel/ktests/ktest.h"
#include "kernel/lib/string.h"
#include "kernel/multiboot.h"
#include "kernel/options.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/proc/proc_fpu.h"
#include "kernel/proc/ufault.h"
#include "kernel/proc/user.h"
#include "mm/bootmm.h"
#include "mm/mm_init.h"

#ifndef TRIAGE_VERSION
#define TRIAGE_VERSION "unknown"
#endif

extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];

struct boot_info boot_info;
static const char *uart_error;

static void serial_out(char c)
{
	/* While GDB owns the console's UART, text would corrupt its packets
	 * (a '-' is a NAK); the screen still shows everything. */
	if (debug_gdb_owns_console())
		return;
	if (c == '\n')
		serial_putc_poll(&serial_console, '\r');
	serial_putc_poll(&serial_console, c);
}

static struct console_backend serial_backend = {"serial", serial_out, 0};
static struct console_backend vga_backend = {"vga", vga_putc, 0};
static struct console_backend fb_backend = {"framebuffer", fbcon_putc, 0};
static char uart_why[160];
static char uart_refused[160]; /* why the UART console= named is not used */
static char baud_refused[256]; /* why console='s baud rate is not used */
static char screen_why[96];

/* The framebuffer console when GRUB set a graphics mode, VGA text when
 * the firmware left text mode (an EGA-text tag, or no tag under BIOS). */
static void screen_init(const struct boot_info *bi)
{
	const struct mb2_framebuffer *f = &bi->fb;
	struct fbcon_mode m = {.phys = f->addr,
			       .pitch = f->pitch,
			       .width = f->width,
			       .height = f->height,
			       .bpp = f->bpp,
			       .red_pos = f->red_pos,
			       .green_pos = f->green_pos,
			       .blue_pos = f->blue_pos};
	const char *why = "no framebuffer from the boot loader";
	if (bi->has_fb && f->type == MB2_FB_TYPE_RGB) {
		if (fbcon_init(&m, &why)) {
			console_register(&fb_backend);
			ksnprintf(screen_why, sizeof screen_why,
				  "framebuffer %ux%u, %u bpp, %dx%d text",
				  f->width, f->height, f->bpp,
				  (int)(f->width / 8), (int)(f->height / 16));
			return;
		}
	}
	if ((bi->has_fb && f->type == MB2_FB_TYPE_EGA_TEXT) ||
	    (!bi->has_fb && !bi->efi)) {
		vga_init();
		console_register(&vga_backend);
		ksnprintf(screen_why, sizeof screen_why, "VGA text 80x25");
		return;
	}
	ksnprintf(screen_why, sizeof screen_why, "none (%s)", why);
}

static void consoles_init(void)
{
	struct uart_spec spec;
	console_note_boot_tables();
	uart_error = cmdline_parse_uart_spec(kopts.console, &spec);
	unsigned refusals = serial_baud_refusals();
	bool found = uart_find(&spec, &boot_info, &serial_console, uart_why,
			       sizeof uart_why);
	if (!found && serial_baud_refusals() != refusals) {
		/* A UART answered but cannot make the rate: keep the one it
		 * runs at (the firmware's, else the default) and name it. */
		spec.baud = 0;
		found = uart_find(&spec, &boot_info, &serial_console, uart_why,
				  sizeof uart_why);
		ksnprintf(baud_refused, sizeof baud_refused,
			  "console=%s: %s; using %u baud", kopts.console,
			  serial_baud_refusal(),
			  found ? serial_console.baud : SERIAL_DEFAULT_BAUD);
	}
	if (!found && spec.kind != UART_SPEC_AUTO &&
	    spec.kind != UART_SPEC_NONE) {
		/* Refused or silent: say so (on the UART auto finds). */
		strlcpy(uart_refused, uart_why, sizeof uart_refused);
		spec.kind = UART_SPEC_AUTO;
		found = uart_find(&spec, &boot_info, &serial_console, uart_why,
				  sizeof uart_why);
	}
	if (found)
		console_register(&serial_backend);
	screen_init(&boot_info);
}

/* After mm_init: map the screen's and the UART's device memory in the
 * kernel's own page tables, then repaint what was printed meanwhile. */
static void consoles_after_mm(void)
{
	int rc = fbcon_map();
	if (rc)
		printk("console: cannot map the framebuffer (error %d)\n", rc);
	rc = serial_map(&serial_console);
	if (rc)
		printk("console: cannot map the UART registers (error %d)\n",
		       rc);
	console_devices_mapped();
	fbcon_redraw();
}

static void print_memory_map(const struct boot_info *bi)
{
	uint64_t usable = 0;
	printk("memory map (%zu entries):\n", bi->nmmap);
	printk("  %-18s %-18s %10s  %s\n", "start", "end", "size KiB", "type");
	for (size_t i = 0; i < bi->nmmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		printk("  0x%016lx 0x%016lx %10lu  %s\n", e->base,
		       e->base + e->len - 1, e->len / 1024,
		       mb2_mem_type_name(e->type));
		if (e->type == MB2_MEM_AVAILABLE)
			usable += e->len;
	}
	printk("usable RAM: %lu MiB\n", usable >> 20);
}

static void print_boot_summary(const struct boot_info *bi)
{
	printk("bootloader: %s\n", bi->loader[0] ? bi->loader : "(unnamed)");
	printk("command line: \"%s\"\n", bi->cmdline);
	printk("console: %s\n", uart_why);
	printk("screen: %s\n", screen_why);
	print_memory_map(bi);
	for (size_t i = 0; i < bi->nmodules; i++)
		printk("module %zu: 0x%lx-0x%lx %s\n", i, bi->modules[i].start,
		       bi->modules[i].end, bi->modules[i].name);
	if (bi->has_fb)
		printk("framebuffer: 0x%lx %ux%u %u bpp type %u\n", bi->fb.addr,
		       bi->fb.width, bi->fb.height, bi->fb.bpp, bi->fb.type);
}

/* The boot log's line "cpu: +nx -pdpe1gb +smep ...": the features the
 * kernel uses or a debugger user asks about first (the table's head). */
static void print_cpu_features(void)
{
	printk("cpu:");
	for (unsigned i = 0; i < CPU_FEATURES_KEY; i++)
		printk(" %c%s",
		       cpu_feature_present(&cpu_features[i]) ? '+' : '-',
		       cpu_features[i].name);
	printk("\n");
}

static void traps_init(void)
{
	gdt_init();
	idt_init();
	debug_early_init();
	ufault_init();
	stack_register("boot", (uint64_t)boot_stack_guard,
		       (uint64_t)boot_stack_bottom, (uint64_t)boot_stack_top);
	bootmm_unmap_stack_guards();
}

static void interrupts_init(void)
{
	pic_init();
	pit_init((unsigned)kopts.hz);
	ps2kbd_init();
	debug_io_enable_irqs();
	sti();
}

/* With nothing else to run yet, echo what is typed on either console. */
static void idle_echo(void)
{
	for (;;) {
		int c = console_getc();
		if (c < 0) {
			hlt();
			continue;
		}
		console_putc(c == '\r' ? '\n' : (char)c);
	}
}

void kmain(uint64_t mbi_phys)
{
	const char *err = 0;
	bool mb_ok =
	    mb2_parse(phys_to_virt(mbi_phys), mbi_phys, &boot_info, &err);
	options_parse(boot_info.cmdline);
	consoles_init();
	printk("triage %s - x86-64 kernel debugger\n", TRIAGE_VERSION);
	if (!mb_ok)
		printk("warning: Multiboot2 information at 0x%lx: %s\n",
		       mbi_phys, err);
	if (uart_error)
		printk("warning: console=%s: %s; using console=auto\n",
		       kopts.console, uart_error);
	if (uart_refused[0])
		printk("warning: %s; using console=auto\n", uart_refused);
	if (baud_refused[0])
		printk("warning: %s\n", baud_refused);
	options_flush_warnings();
	crashrec_report_previous();
	traps_init();
	print_boot_summary(&boot_info);
	print_cpu_features();
	proc_fpu_init(); /* silent: proc_init reports it */
	mm_init(&boot_info);
	consoles_after_mm();
	debug_init();
	interrupts_init();
	printk("boot complete in %lu ms of timer time\n", uptime_ms());
	if (kopts.test[0])
		/* returns only for test=list, or in a kernel without ktests */
		ktest_run(kopts.test);
	ata_init();
	storage_init(&boot_info);
	debug_boot_hook();
	user_start_init();
	printk("no user space running; type to echo.\n");
	idle_echo();
}
