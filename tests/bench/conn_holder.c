/* conn_holder: opens or accepts many idle TCP connections and holds
 * them, for tests/bench/proxy_conns_guest.sh (inside the VM only; the
 * guest script compiles it). In C because the VM's CPU is emulated and a
 * Python loop was most of the time of 200,000 connections.
 *
 *   conn_holder serve ADDR PORT[,PORT...] COUNTFILE
 *   conn_holder connect SRC[,SRC...] DST PORT N COUNTFILE
 *
 * serve accepts on every port and holds what it accepts. connect opens N
 * connections spread over the source addresses, at most 2,000 in
 * progress at once; one refused or reset is counted and replaced (at
 * most N / 20 of them). Each writes "HELD FAILED" to COUNTFILE about
 * once a second. Both stop by themselves after an hour; nothing is ever
 * sent. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long held, failed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void note(const char *path)
{
	static double last;
	char tmp[4096];
	FILE *f;

	if (now() - last < 1.0)
		return;
	last = now();
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%ld %ld\n", held, failed);
	fclose(f);
	rename(tmp, path);
}

static void addr_of(struct sockaddr_in *sa, const char *ip, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, ip, &sa->sin_addr) != 1) {
		fprintf(stderr, "conn_holder: bad address %s\n", ip);
		exit(2);
	}
}

static int serve(const char *ip, char *ports, const char *count, double end)
{
	int ep = epoll_create1(0);
	struct epoll_event ev[64];

	for (char *p = strtok(ports, ","); p; p = strtok(NULL, ",")) {
		struct sockaddr_in sa;
		int one = 1, ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		addr_of(&sa, ip, atoi(p));
		setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 65535) < 0) {
			perror("conn_holder: bind/listen");
			return 1;
		}
		struct epoll_event e = { .events = EPOLLIN, .data.fd = ls };
		epoll_ctl(ep, EPOLL_CTL_ADD, ls, &e);
	}
	while (now() < end) {
		int n = epoll_wait(ep, ev, 64, 500);

		for (int i = 0; i < n; i++)
			for (;;) {
				int c = accept4(ev[i].data.fd, NULL, NULL, SOCK_NONBLOCK);

				if (c < 0)
					break;
				held++;
			}
		note(count);
	}
	return 0;
}

static int connect_all(char *srcs, const char *dst, int port, long n, const char *count,
		       double end)
{
	struct sockaddr_in src[16], to;
	int nsrc = 0, ep = epoll_create1(0);
	long started = 0, pending = 0;
	struct epoll_event ev[256];

	for (char *p = strtok(srcs, ","); p && nsrc < 16; p = strtok(NULL, ","))
		addr_of(&src[nsrc++], p, 0);
	addr_of(&to, dst, port);
	while (now() < end) {
		while (held + pending < n && pending < 2000 && failed <= n / 20) {
			int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

			if (s < 0) {
				perror("conn_holder: socket");
				return 1;
			}
			if (bind(s, (struct sockaddr *)&src[started % nsrc], sizeof(src[0])) < 0) {
				perror("conn_holder: bind");
				return 1;
			}
			started++;
			if (connect(s, (struct sockaddr *)&to, sizeof(to)) < 0 && errno != EINPROGRESS) {
				failed++;
				close(s);
				continue;
			}
			struct epoll_event e = { .events = EPOLLOUT, .data.fd = s };
			epoll_ctl(ep, EPOLL_CTL_ADD, s, &e);
			pending++;
		}
		int k = epoll_wait(ep, ev, 256, 500);

		for (int i = 0; i < k; i++) {
			int s = ev[i].data.fd, err = 0;
			socklen_t len = sizeof(err);

			epoll_ctl(ep, EPOLL_CTL_DEL, s, NULL);
			pending--;
			getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err) {
				failed++;
				close(s);
			} else {
				held++;
			}
		}
		note(count);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	double end = now() + 3600;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (argc == 5 && strcmp(argv[1], "serve") == 0)
		return serve(argv[2], argv[3], argv[4], end);
	if (argc == 7 && strcmp(argv[1], "connect") == 0)
		return connect_all(argv[2], argv[3], atoi(argv[4]), atol(argv[5]), argv[6], end);
	fprintf(stderr, "usage: conn_holder serve ADDR PORTS COUNTFILE | "
		"connect SRCS DST PORT N COUNTFILE\n");
	return 2;
}
