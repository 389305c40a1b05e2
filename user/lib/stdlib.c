/* stdlib.c — number parsing, character classes, names of signals and errors. */
#include "user/lib/ulib.h"

int isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

int isdigit(int c)
{
	return c >= '0' && c <= '9';
}

/* Optional blanks, an optional sign, decimal digits; stops at the first
 * other character. */
int atoi(const char *s)
{
	int neg = 0, v = 0;
	while (isspace(*s))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	while (isdigit(*s))
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}

const char *signal_name(int sig)
{
	switch (sig) {
	case SIGILL:
		return "SIGILL";
	case SIGTRAP:
		return "SIGTRAP";
	case SIGBUS:
		return "SIGBUS";
	case SIGFPE:
		return "SIGFPE";
	case SIGKILL:
		return "SIGKILL";
	case SIGSEGV:
		return "SIGSEGV";
	default:
		return "unknown signal";
	}
}

/* err is a positive errno (the kernel's negative result, negated). */
const char *strerror(int err)
{
	static const struct {
		int err;
		const char *text;
	} names[] = {
	    {ENOENT, "not found"},
	    {ESRCH, "no such process"},
	    {E2BIG, "argument list too long"},
	    {ENOEXEC, "not an executable (ELF) file"},
	    {EBADF, "bad file descriptor"},
	    {ECHILD, "no child processes"},
	    {EAGAIN, "process table full, try again"},
	    {ENOMEM, "out of memory"},
	    {EFAULT, "bad address"},
	    {EINVAL, "invalid argument"},
	    {EMFILE, "too many open files"},
	    {ENAMETOOLONG, "name too long"},
	    {ENOSYS, "system call not implemented"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].text;
	return "unknown error";
}
