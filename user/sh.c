/* sh.c — the console shell: reads a line (echoed, with backspace), splits
 * it into arguments, runs a builtin or fork+exec of an initrd program,
 * and says how a program ended when it did not exit 0. */
#include <stdbool.h>

#include "user/lib/ulib.h"

#define PROMPT "$ "
#define LINE_MAX 256
#define KEY_BS 0x08	    /* Ctrl-H, backspace */
#define KEY_DEL 0x7f	    /* what most terminals send for backspace */
#define KEY_KILL 0x15	    /* Ctrl-U: erase the line */
#define EXIT_CANNOT_RUN 127 /* the child said why exec failed */
#define EXIT_SIGNALLED 128  /* $? after a signal: 128 + its number */
#define EXIT_SYNTAX 2

static int last_status; /* $?: the last command's exit status */

static void put(const char *s)
{
	write(FD_STDOUT, s, strlen(s));
}

static void erase(size_t *n)
{
	for (; *n; --*n)
		put("\b \b");
}

/* One line from the console into line[max], echoed as it is typed; false
 * when the console cannot be read. \r, \n or \r\n end a line. */
static bool read_line(char *line, size_t max)
{
	static bool after_cr; /* the \n of a \r\n ends nothing */
	size_t n = 0;
	for (;;) {
		char c;
		if (read(FD_STDIN, &c, 1) != 1)
			return false;
		bool skip = after_cr && c == '\n';
		after_cr = c == '\r';
		if (skip)
			continue;
		if (c == '\r' || c == '\n') {
			put("\n");
			line[n] = '\0';
			return true;
		}
		if ((c == KEY_DEL || c == KEY_BS) && n) {
			n--;
			put("\b \b");
		} else if (c == KEY_KILL) {
			erase(&n);
		} else if ((unsigned char)c >= ' ' && c != KEY_DEL &&
			   n + 1 < max) {
			line[n++] = c;
			write(FD_STDOUT, &c, 1);
		}
	}
}

/* Split line in place at blanks into argv[max] (NULL-terminated); "..."
 * keeps blanks in an argument. The count, or -1 after a message. */
static int split(char *s, char **argv, int max)
{
	int argc = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (argc == max - 1) {
			printf("sh: too many arguments (at most %d)\n",
			       max - 1);
			return -1;
		}
		char *d = argv[argc++] = s;
		bool quoted = false;
		for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++)
			if (*s == '"')
				quoted = !quoted;
			else
				*d++ = *s;
		if (quoted) {
			printf("sh: missing closing \"\n");
			return -1;
		}
		char end = *s;
		*d = '\0';
		s += end != '\0';
	}
	argv[argc] = 0;
	return argc;
}

/* An argument "$?" becomes the last exit status. */
static void expand(char **argv)
{
	static char status_text[12];
	snprintf(status_text, sizeof status_text, "%d", last_status);
	for (; *argv; argv++)
		if (!strcmp(*argv, "$?"))
			*argv = status_text;
}

/* Record how the child ended; a line unless it exited 0. */
static void report(const char *name, int status)
{
	if (W_EXITED(status)) {
		last_status = W_EXITCODE(status);
		if (last_status && last_status != EXIT_CANNOT_RUN)
			printf("sh: %s: exit status %d\n", name, last_status);
		return;
	}
	int sig = W_TERMSIG(status);
	last_status = EXIT_SIGNALLED + sig;
	printf("sh: %s: killed by signal %d (%s)\n", name, sig,
	       signal_name(sig));
}

static void run(char **argv)
{
	int pid = fork();
	if (pid == 0) {
		int err = exec(argv[0], argv);
		printf("sh: %s: %s\n", argv[0], strerror(-err));
		exit(EXIT_CANNOT_RUN);
	}
	if (pid < 0) {
		printf("sh: cannot fork: %s\n", strerror(-pid));
		last_status = EXIT_CANNOT_RUN;
		return;
	}
	int status, got;
	while ((got = wait(&status)) != pid)
		if (got < 0) {
			printf("sh: wait: %s\n", strerror(-got));
			return;
		}
	report(argv[0], status);
}

static void help(void)
{
	puts("builtins: exit [N] (end the shell, status N or $?), help\n"
	     "programs: any initrd file, with arguments; `ls` lists them,\n"
	     "  `ps` shows processes, `usertests` tests the kernel\n"
	     "$? is the last exit status; \"a b\" is one argument");
}

/* Run argv[0] as a builtin; false if it is not one. */
static bool builtin(int argc, char **argv)
{
	if (!strcmp(argv[0], "exit"))
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	if (!strcmp(argv[0], "help")) {
		help();
		last_status = 0;
		return true;
	}
	return false;
}

int main(void)
{
	char line[LINE_MAX], *argv[EXEC_ARGV_MAX + 1];
	for (;;) {
		put(PROMPT);
		if (!read_line(line, sizeof line)) {
			puts("sh: cannot read the console");
			return 1;
		}
		int argc = split(line, argv, EXEC_ARGV_MAX + 1);
		if (argc < 0)
			last_status = EXIT_SYNTAX;
		if (argc <= 0)
			continue;
		expand(argv);
		if (!builtin(argc, argv))
			run(argv);
	}
}
