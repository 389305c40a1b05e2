/* gdb_fake_target_main.c — GDB stub + fake target on TCP for real GDB. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/unit/gdb_fake_target.h"

/* Socket I/O: output is buffered and flushed before every blocking read. */
struct sock_io {
	int fd;
	FILE *log; /* GDB_FAKE_LOG=1: bytes both ways to stderr */
	size_t out_len;
	char out[1 << 16];
};

static void sock_flush(struct sock_io *io)
{
	size_t done = 0;
	while (done < io->out_len) {
		ssize_t n = write(io->fd, io->out + done, io->out_len - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (io->log && io->out_len)
		fprintf(io->log, "<- %.*s\n", (int)io->out_len, io->out);
	io->out_len = 0;
}

static int sock_getc(void *ctx)
{
	struct sock_io *io = ctx;
	unsigned char c;
	sock_flush(io);
	if (read(io->fd, &c, 1) != 1)
		return -1;
	if (io->log)
		fprintf(io->log, "-> %c\n", c >= 0x20 && c < 0x7f ? c : '.');
	return c;
}

static void sock_putc(void *ctx, char c)
{
	struct sock_io *io = ctx;
	if (io->out_len == sizeof io->out)
		sock_flush(io);
	io->out[io->out_len++] = c;
}

/* Listen on 127.0.0.1 at an OS-chosen port, print "PORT n", accept one. */
static int accept_one(void)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) ||
	    listen(ls, 1) || getsockname(ls, (struct sockaddr *)&a, &alen)) {
		perror("gdb_fake_target: listen");
		exit(2);
	}
	printf("PORT %d\n", ntohs(a.sin_port));
	fflush(stdout);
	int fd = accept(ls, NULL, NULL);
	if (fd < 0) {
		perror("gdb_fake_target: accept");
		exit(2);
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	close(ls);
	return fd;
}

int main(void)
{
	static struct fake_target ft;
	static struct gdb_stub stub;
	static struct sock_io sio;
	fake_target_init(&ft);
	sio.fd = accept_one();
	sio.log = getenv("GDB_FAKE_LOG") ? stderr : NULL;
	struct char_io io = {.getc = sock_getc, .putc = sock_putc, .ctx = &sio};
	gdb_stub_init(&stub, &io, &ft.ops);
	for (;;) {
		enum gdb_action act = gdb_session(&stub);
		sock_flush(&sio);
		if (act == GDB_ACT_CONTINUE || act == GDB_ACT_STEP) {
			fake_target_run(&ft, act == GDB_ACT_STEP);
			continue;
		}
		fprintf(stderr, "gdb_fake_target: session ended (%s)\n",
			act == GDB_ACT_DETACH ? "detach"
			: act == GDB_ACT_KILL ? "kill"
					      : "disconnect");
		close(sio.fd);
		return 0;
	}
}
