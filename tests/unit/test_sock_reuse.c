/* What the health checks' socket reuse (backend/check/check_conn.c) takes
 * from the kernel, checked on the kernel at hand: connect(AF_UNSPEC) ends
 * a TCP connection by RST, in any state, and leaves a socket that
 * connects again with no error left over from its last use. make check
 * runs it on the host; tests/vm runs it on Debian's kernel too. */
#include "config.h"

#include "suites.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A listener on 127.0.0.1, some free port; its address in *a. */
static int listener(struct sockaddr_in *a, int backlog)
{
	socklen_t len = sizeof(*a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(s, 0);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)a, sizeof(*a)), 0);
	ck_assert_int_eq(listen(s, backlog), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)a, &len), 0);
	return s;
}

/* Starts a non-blocking connect; waits up to ms for it to end. Returns the
 * socket's error (0: connected), or -1 when it is still connecting. */
static int connect_wait(int fd, const struct sockaddr_in *a, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int err = 0;
	socklen_t len = sizeof(err);

	if (connect(fd, (const struct sockaddr *)a, sizeof(*a)) < 0)
		ck_assert_msg(errno == EINPROGRESS, "connect: %s", strerror(errno));
	if (poll(&p, 1, ms) == 0)
		return -1;
	ck_assert_int_eq(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	return err;
}

/* Ends fd's connection as check_conn.c does; returns the error the
 * disconnect left pending, which check_conn.c reads away too (Linux leaves
 * ECONNRESET after resetting an established connection). */
static int disconnect(int fd)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int err = 0;
	socklen_t len = sizeof(err);

	ck_assert_msg(connect(fd, &unspec, sizeof(unspec)) == 0, "disconnect: %s",
		      strerror(errno));
	ck_assert_int_eq(getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	return err;
}

static int client(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ck_assert_int_ge(fd, 0);
	return fd;
}

/* Connected, then refused, then connected again, on one socket; the
 * server sees the first connection reset, not closed. */
START_TEST(test_reuse_after_connect_and_refusal)
{
	struct sockaddr_in up, down;
	int l = listener(&up, 8), gone = listener(&down, 8), fd = client(), srv;
	char c;

	/* A port nobody listens on any more. */
	close(gone);
	ck_assert_int_eq(connect_wait(fd, &up, 2000), 0);
	srv = accept(l, NULL, NULL);
	ck_assert_int_ge(srv, 0);
	ck_assert_int_eq(disconnect(fd), ECONNRESET);
	ck_assert_int_eq(read(srv, &c, 1), -1);
	ck_assert_int_eq(errno, ECONNRESET);
	close(srv);

	ck_assert_int_eq(connect_wait(fd, &down, 2000), ECONNREFUSED);
	disconnect(fd);
	ck_assert_int_eq(connect_wait(fd, &up, 2000), 0);
	srv = accept(l, NULL, NULL);
	ck_assert_int_ge(srv, 0);
	ck_assert_int_eq(disconnect(fd), ECONNRESET);
	close(srv);
	close(fd);
	close(l);
}
END_TEST

/* A connect still in SYN_SENT (the server's accept queue is full, so its
 * SYN goes unanswered: a connect timeout) is abandoned, and the socket
 * then connects elsewhere with no error left over. */
START_TEST(test_reuse_after_timeout)
{
	struct sockaddr_in full, up;
	int lf = listener(&full, 0), l = listener(&up, 8), filler[4] = { -1, -1, -1, -1 };
	int fd = client(), srv, rc = 0;

	/* Fill the accept queue: backlog 0 admits one; later SYNs are
	 * dropped. */
	for (size_t i = 0; i < 4 && rc != -1; i++) {
		filler[i] = client();
		rc = connect_wait(filler[i], &full, 500);
	}
	ck_assert_msg(rc == -1, "the full listener still answered");
	ck_assert_int_eq(connect_wait(fd, &full, 300), -1);
	disconnect(fd);
	ck_assert_int_eq(connect_wait(fd, &up, 2000), 0);
	srv = accept(l, NULL, NULL);
	ck_assert_int_ge(srv, 0);
	close(srv);
	close(fd);
	for (size_t i = 0; i < 4; i++)
		if (filler[i] >= 0)
			close(filler[i]);
	close(l);
	close(lf);
}
END_TEST

Suite *sock_reuse_suite(void)
{
	Suite *s = suite_create("sock_reuse");
	TCase *tc = tcase_create("tcp");

	tcase_add_test(tc, test_reuse_after_connect_and_refusal);
	tcase_add_test(tc, test_reuse_after_timeout);
	suite_add_tcase(s, tc);
	return s;
}
