/* readline.c — reads one line from the console and prints it back. */
#include "user/lib/ulib.h"

#define LINE_MAX 80

int main(void)
{
	char line[LINE_MAX];
	size_t n = 0;
	printf("readline: type a line\n");
	while (n < sizeof line - 1) {
		char c;
		if (read(FD_STDIN, &c, 1) != 1)
			return 1;
		if (c == '\r' || c == '\n')
			break;
		line[n++] = c;
	}
	line[n] = '\0';
	printf("readline: got '%s'\n", line);
	return 0;
}
