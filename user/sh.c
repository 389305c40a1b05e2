/* sh.c — the console shell: reads a line (echoed, with backspace), splits
 * it into arguments, applies redirections (< file, > file, >> file), runs
 * a builtin (cd, pwd, exit, help) or fork+exec of a program (the kernel
 * looks in /bin and /initrd for a bare name), and says how a program
 * ended when it did not exit 0. */
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

/* The redirections of one command line. */
struct redir {
	const char *in, *out;
	bool append;
};

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

/* Take "<", ">" and ">>" with their file names (apart or joined:
 * ">out") out of argv; the new argc, or -1 after a message. */
static int redirections(char **argv, struct redir *r)
{
	int n = 0;
	for (int i = 0; argv[i]; i++) {
		char *a = argv[i];
		bool append = a[0] == '>' && a[1] == '>';
		if (a[0] != '<' && a[0] != '>') {
			argv[n++] = a;
			continue;
		}
		const char *name = a + 1 + append;
		if (!*name && !(name = argv[++i])) {
			printf("sh: %s needs a file name\n", a);
			return -1;
		}
		if (a[0] == '<') {
			r->in = name;
		} else {
			r->out = name;
			r->append = append;
		}
	}
	argv[n] = 0;
	return n;
}

/* Open the redirected files onto 0 and 1: 0, or -1 after a message. */
static int apply(const struct redir *r)
{
	if (r->in) {
		int fd = open(r->in, O_RDONLY);
		if (fd < 0) {
			printf("sh: %s: %s\n", r->in, strerror(-fd));
			return -1;
		}
		dup2(fd, FD_STDIN);
		close(fd);
	}
	if (r->out) {
		int fd =
		    open(r->out,
			 O_WRONLY | O_CREAT | (r->append ? O_APPEND : O_TRUNC),
			 0644);
		if (fd < 0) {
			printf("sh: %s: %s\n", r->out, strerror(-fd));
			return -1;
		}
		dup2(fd, FD_STDOUT);
		close(fd);
	}
	return 0;
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

static void run(char **argv, const struct redir *r)
{
	int pid = fork();
	if (pid == 0) {
		if (apply(r))
			exit(EXIT_CANNOT_RUN);
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
	puts("builtins: exit [N] (end the shell, status N or $?), help,\n"
	     "  cd [DIR], pwd\n"
	     "programs: any file in /bin or /initrd (or a path), with\n"
	     "  arguments: ls [-l], cat, cp, mv, rm, mkdir, rmdir, touch,\n"
	     "  stat, df, sync, ps, usertests (tests the kernel)\n"
	     "cmd < in > out, >> appends; $? is the last exit status;\n"
	     "\"a b\" is one argument");
}

static int builtin_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";
	int rc = chdir(dir);
	if (rc < 0)
		printf("sh: cd: %s: %s\n", dir, strerror(-rc));
	return rc < 0;
}

static int builtin_pwd(void)
{
	char cwd[PATH_MAX];
	long rc = getcwd(cwd, sizeof cwd);
	if (rc < 0) {
		printf("sh: pwd: %s\n", strerror((int)-rc));
		return 1;
	}
	puts(cwd);
	return 0;
}

/* Run argv[0] as a builtin (its output redirected in the shell itself);
 * false if it is not one. */
static bool builtin(int argc, char **argv, const struct redir *r)
{
	if (!strcmp(argv[0], "exit"))
		exit(argc > 1 ? atoi(argv[1]) : last_status);
	bool help_cmd = !strcmp(argv[0], "help"), pwd = !strcmp(argv[0], "pwd");
	bool cd = !strcmp(argv[0], "cd");
	if (!help_cmd && !pwd && !cd)
		return false;
	int in = dup(FD_STDIN), out = dup(FD_STDOUT);
	if (apply(r) == 0) {
		if (help_cmd)
			help(), last_status = 0;
		else
			last_status =
			    pwd ? builtin_pwd() : builtin_cd(argc, argv);
	} else {
		last_status = EXIT_CANNOT_RUN;
	}
	dup2(in, FD_STDIN);
	dup2(out, FD_STDOUT);
	close(in);
	close(out);
	return true;
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
		struct redir r = {0, 0, false};
		if ((argc = redirections(argv, &r)) <= 0) {
			last_status = EXIT_SYNTAX;
			continue;
		}
		if (!builtin(argc, argv, &r))
			run(argv, &r);
	}
}
