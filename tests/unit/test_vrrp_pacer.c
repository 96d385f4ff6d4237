/* The VRRP advert thread (vrrp/vrrp_pacer.h), on raw sockets over
 * loopback (IP protocol 253, for experiments): it sends what it was
 * given, again every interval, with the new bytes after a set, stops on
 * clear, and counts what it sent. Needs root (raw sockets); skipped
 * otherwise. Bounds are loose: this checks behaviour, not timing. */
#include "config.h"

#include "suites.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "vrrp/vrrp_pacer.h"

#define PROTO 253

/* Datagrams received on rx within ms, the last payload byte in *last. */
static int drain(int rx, int ms, unsigned char *last)
{
	struct timespec t0, t;
	int n = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = rx, .events = POLLIN };
		unsigned char buf[256];
		long el;

		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (el >= ms)
			return n;
		if (poll(&p, 1, (int)(ms - el)) > 0) {
			ssize_t r = recv(rx, buf, sizeof(buf), 0);

			/* IPv4 raw sockets hand over the IP header too */
			if (r > 20) {
				*last = buf[r - 1];
				n++;
			}
		}
	}
}

START_TEST(test_pacer_sends_repeats_and_stops)
{
	int tx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, PROTO);
	int rx = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, PROTO);
	struct strbuf err = STRBUF_INIT;
	struct vrrp_pacer *p;
	unsigned char lo[16] = { 127, 0, 0, 1 }, last = 0;
	uint8_t a[4] = { 1, 2, 3, 0xa }, b[4] = { 1, 2, 3, 0xb };
	struct vrrp_beat_dst dst = { .pkt = a, .len = sizeof(a) };
	struct vrrp_beat beat = { .family = AF_INET, .ifindex = 1, .interval_ms = 50,
				  .n_dst = 1, .dst = &dst };
	uint64_t sent, failed;
	int e, key = 0, n;

	if (tx < 0 || rx < 0) {
		if (tx >= 0)
			close(tx);
		if (rx >= 0)
			close(rx);
		ck_assert_msg(errno == EPERM || errno == EACCES, "socket: %s", strerror(errno));
		return;		/* not root: nothing to check here */
	}
	memcpy(dst.addr, lo, 16);
	memcpy(beat.src, lo, 16);
	beat.fd = tx;
	p = vrrp_pacer_new(&err);
	ck_assert_msg(p != NULL, "%s", strbuf_str(&err));
	ck_assert_int_eq(vrrp_pacer_set(p, &key, &beat, false), 0);
	/* the caller's socket may go: the pacer holds its own */
	close(tx);
	ck_assert_int_ge(vrrp_pacer_next_ms(p, &key), 0);
	n = drain(rx, 400, &last);
	ck_assert_msg(n >= 2, "%d adverts in 400 ms at a 50 ms interval", n);
	ck_assert_uint_eq(last, 0xa);
	/* new bytes, same rhythm */
	dst.pkt = b;
	beat.fd = rx;
	ck_assert_int_eq(vrrp_pacer_set(p, &key, &beat, true), 0);
	(void)drain(rx, 300, &last);
	ck_assert_uint_eq(last, 0xb);
	vrrp_pacer_take(p, &key, &sent, &failed, &e);
	ck_assert_uint_ge(sent, 4);
	ck_assert_uint_eq(failed, 0);
	vrrp_pacer_take(p, &key, &sent, &failed, &e);
	ck_assert_uint_le(sent, 2);	/* taken: counted afresh */
	/* cleared: silence */
	vrrp_pacer_clear(p, &key);
	ck_assert_int_eq(vrrp_pacer_next_ms(p, &key), -1);
	(void)drain(rx, 60, &last);
	ck_assert_int_eq(drain(rx, 200, &last), 0);
	vrrp_pacer_free(p);
	close(rx);
	strbuf_free(&err);
}
END_TEST

Suite *vrrp_pacer_suite(void)
{
	Suite *s = suite_create("vrrp-pacer");
	TCase *tc = tcase_create("pacer");

	tcase_add_test(tc, test_pacer_sends_repeats_and_stops);
	suite_add_tcase(s, tc);
	return s;
}
