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
	    {EPERM, "operation not permitted"},
	    {EIO, "input/output error"},
	    {EACCES, "permission denied"},
	    {EBUSY, "busy (a mount point?)"},
	    {EEXIST, "file exists"},
	    {EXDEV, "cannot move across file systems"},
	    {ENOTDIR, "not a directory"},
	    {EISDIR, "is a directory"},
	    {ENFILE, "too many open files in the system"},
	    {EFBIG, "file too large"},
	    {ENOSPC, "no space left on device"},
	    {ESPIPE, "illegal seek"},
	    {EROFS, "read-only file system"},
	    {EMLINK, "too many links"},
	    {ERANGE, "result too large"},
	    {ENOTEMPTY, "directory not empty"},
	    {ELOOP, "too many levels of symbolic links"},
	    {EUCLEAN, "file system structure needs cleaning (run e2fsck)"},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].err == err)
			return names[i].text;
	return "unknown error";
}

void format_time(long t, char *buf, size_t n)
{
	/* Howard Hinnant's civil_from_days */
	long days = t / 86400, secs = t % 86400;
	if (secs < 0)
		secs += 86400, days--;
	days += 719468;
	long era = (days >= 0 ? days : days - 146096) / 146097;
	long doe = days - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	long y = yoe + era * 400 + (m <= 2);
	snprintf(buf, n, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", y, m, d,
		 secs / 3600, secs / 60 % 60, secs % 60);
}
