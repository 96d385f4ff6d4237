/* ctl_client's request timeout is an idle timeout: a reply that keeps
 * coming, however long it takes in all, is read whole; a daemon that
 * goes silent is given up on after the timeout. The daemon here is a
 * forked child speaking the protocol by hand on a temporary socket. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/ctl_client.h"
#include "suites.h"

#define TIMEOUT_MS 400

static char sock_path[64];
static pid_t child;

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w <= 0)
			_exit(1);
		s += w;
		n -= (size_t)w;
	}
}

/* The fake daemon: greets, reads one request, then answers with a
 * 200-byte body sent in pieces of `piece` bytes every gap_ms. */
static void serve(int lfd, size_t piece, int gap_ms)
{
	static const char greet[] = "200 view 14\nversion=0.1.0\n";
	char body[201], head[32], req[256];
	int fd = accept(lfd, NULL, NULL);
	int n;

	if (fd < 0)
		_exit(1);
	put(fd, greet, sizeof(greet) - 1);
	if (read(fd, req, sizeof(req)) <= 0)
		_exit(1);
	memset(body, 'x', 200);
	body[199] = '\n';
	body[200] = '\0';
	n = snprintf(head, sizeof(head), "200 view %d\n", 200);
	put(fd, head, (size_t)n);
	for (size_t off = 0; off < 200; off += piece) {
		sleep_ms(gap_ms);
		put(fd, body + off, off + piece > 200 ? 200 - off : piece);
	}
	sleep_ms(2000);
	_exit(0);
}

static void start(size_t piece, int gap_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sock_path, sizeof(sock_path), "/tmp/softlb-client-%d.sock", (int)getpid());
	unlink(sock_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	ck_assert_int_ge(lfd, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(lfd, 1), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0)
		serve(lfd, piece, gap_ms);
	close(lfd);
}

static void stop(void)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	unlink(sock_path);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 20 pieces, one every 150 ms: 3 s in all, far over the 400 ms timeout,
 * but never 400 ms without a byte. */
START_TEST(test_slow_reply_read_whole)
{
	enum ctl_connect_error why;
	struct strbuf err = STRBUF_INIT;
	struct ctl_client_reply rep;
	struct ctl_client *c;
	double t0;

	start(10, 150);
	c = ctl_client_connect(sock_path, TIMEOUT_MS, &why, &err);
	ck_assert_msg(c != NULL, "connect: %s", strbuf_str(&err));
	t0 = now_s();
	ck_assert_msg(ctl_client_request(c, CTL_VERB_EXEC, 0, "show lvs", &rep, &err) == 0,
		      "request: %s", strbuf_str(&err));
	ck_assert_double_gt(now_s() - t0, 2.0);
	ck_assert_uint_eq(rep.len, 200);
	ck_assert_int_eq(rep.body[0], 'x');
	ctl_client_reply_free(&rep);
	ctl_client_close(c);
	strbuf_free(&err);
	stop();
}
END_TEST

/* The first byte of the body comes 1.5 s after the header: given up on
 * after about the timeout. */
START_TEST(test_silence_times_out)
{
	enum ctl_connect_error why;
	struct strbuf err = STRBUF_INIT;
	struct ctl_client_reply rep;
	struct ctl_client *c;
	double t0, took;

	start(200, 1500);
	c = ctl_client_connect(sock_path, TIMEOUT_MS, &why, &err);
	ck_assert_msg(c != NULL, "connect: %s", strbuf_str(&err));
	t0 = now_s();
	ck_assert_int_eq(ctl_client_request(c, CTL_VERB_EXEC, 0, "show lvs", &rep, &err), -1);
	took = now_s() - t0;
	ck_assert_msg(took >= 0.35 && took < 1.4, "gave up after %.2f s", took);
	ck_assert_msg(strstr(strbuf_str(&err), "timed out") != NULL, "%s", strbuf_str(&err));
	ctl_client_close(c);
	strbuf_free(&err);
	stop();
}
END_TEST

Suite *client_suite(void)
{
	Suite *s = suite_create("client");
	TCase *tc = tcase_create("idle_timeout");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_slow_reply_read_whole);
	tcase_add_test(tc, test_silence_times_out);
	suite_add_tcase(s, tc);
	return s;
}
