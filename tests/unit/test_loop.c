/* Unit tests for core/loop: timer ordering, fd events, removal during a
 * batch, signals through signalfd, and the run/stop/timeout contract.
 *
 * Timers use real time with deadlines of a few tens of milliseconds, so
 * the whole suite stays well under a second while still waiting for real. */
#include "config.h"

#include "core/loop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "suites.h"

/* ---- helpers ---- */

/* A timer that appends its id to a shared log when it fires. */
struct log {
	int ids[64];
	size_t n;
};

struct logged_timer {
	struct loop_timer t;
	int id;
	struct log *log;
	/* Optional extra work done from the callback. */
	struct loop_timer *stop[2];
	int restarts_left;
};

/* Logs the id, then does the extra work the test asked for. */
static void logged_fire(struct loop *l, struct loop_timer *t, void *arg)
{
	struct logged_timer *lt = arg;
	size_t i;

	ck_assert_ptr_eq(t, &lt->t);
	ck_assert_uint_lt(lt->log->n, sizeof(lt->log->ids) / sizeof(lt->log->ids[0]));
	lt->log->ids[lt->log->n++] = lt->id;
	for (i = 0; i < 2; i++)
		if (lt->stop[i])
			loop_timer_stop(l, lt->stop[i]);
	if (lt->restarts_left > 0) {
		lt->restarts_left--;
		loop_timer_start(l, t, 0);
	}
}

/* Runs l until no timer is armed, failing the test if that takes more than
 * max_iter iterations (a spinning or stuck loop). */
static void run_until_no_timers(struct loop *l, int max_iter)
{
	int i;

	for (i = 0; i < max_iter && loop_timer_count(l) > 0; i++)
		ck_assert_int_ge(loop_run_once(l, 1000), 0);
	ck_assert_uint_eq(loop_timer_count(l), 0);
}

/* A new loop, or the test fails. */
static struct loop *new_loop(void)
{
	struct loop *l = loop_new();

	ck_assert_msg(l != NULL, "loop_new: %s", strerror(errno));
	return l;
}

/* A non-blocking AF_UNIX stream pair, or the test fails. */
static void make_socketpair(int sv[2])
{
	ck_assert_msg(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
				 0, sv) == 0, "socketpair: %s", strerror(errno));
}

/* Makes the peer of fd readable. */
static void write_byte(int fd)
{
	ck_assert_int_eq(write(fd, "x", 1), 1);
}

/* ---- timers ---- */

/* Delays given in start order, and the ids (indices) in the order the
 * timers must fire: by deadline, ties in start order. */
static const struct {
	uint64_t delays[8];
	size_t n;
	int expect[8];
} order_cases[] = {
	{ { 30, 10, 20, 0, 5 }, 5, { 3, 4, 1, 2, 0 } },
	{ { 0, 0, 0, 0 }, 4, { 0, 1, 2, 3 } },
	{ { 20, 20, 20, 5, 20 }, 5, { 3, 0, 1, 2, 4 } },
	{ { 15, 5, 15, 5, 15, 5 }, 6, { 1, 3, 5, 0, 2, 4 } },
	{ { 1 }, 1, { 0 } },
};

START_TEST(test_timer_order)
{
	struct loop *l = new_loop();
	struct logged_timer lt[8];
	struct log log = { .n = 0 };
	size_t i, n = order_cases[_i].n;

	memset(lt, 0, sizeof(lt));
	for (i = 0; i < n; i++) {
		lt[i].id = (int)i;
		lt[i].log = &log;
		loop_timer_init(&lt[i].t, logged_fire, &lt[i]);
		ck_assert(!loop_timer_pending(&lt[i].t));
		loop_timer_start(l, &lt[i].t, order_cases[_i].delays[i]);
		ck_assert(loop_timer_pending(&lt[i].t));
	}
	ck_assert_uint_eq(loop_timer_count(l), n);
	run_until_no_timers(l, 100);
	ck_assert_uint_eq(log.n, n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(log.ids[i], order_cases[_i].expect[i]);
	loop_free(l);
}
END_TEST

/* A restart is a new start: it moves the timer behind others with the same
 * deadline, and replaces rather than duplicates the armed entry. */
START_TEST(test_timer_restart_reorders)
{
	struct loop *l = new_loop();
	struct logged_timer lt[3];
	struct log log = { .n = 0 };
	int i;

	memset(lt, 0, sizeof(lt));
	for (i = 0; i < 3; i++) {
		lt[i].id = i;
		lt[i].log = &log;
		loop_timer_init(&lt[i].t, logged_fire, &lt[i]);
		loop_timer_start(l, &lt[i].t, 10);
	}
	loop_timer_start(l, &lt[0].t, 10);
	ck_assert_uint_eq(loop_timer_count(l), 3);
	run_until_no_timers(l, 100);
	ck_assert_uint_eq(log.n, 3);
	ck_assert_int_eq(log.ids[0], 1);
	ck_assert_int_eq(log.ids[1], 2);
	ck_assert_int_eq(log.ids[2], 0);
	loop_free(l);
}
END_TEST

START_TEST(test_timer_stop_restart)
{
	struct loop *l = new_loop();
	struct logged_timer lt;
	struct log log = { .n = 0 };

	memset(&lt, 0, sizeof(lt));
	lt.log = &log;
	loop_timer_init(&lt.t, logged_fire, &lt);

	/* Stopping an idle timer is harmless. */
	loop_timer_stop(l, &lt.t);
	ck_assert(!loop_timer_pending(&lt.t));

	loop_timer_start(l, &lt.t, 0);
	loop_timer_stop(l, &lt.t);
	ck_assert(!loop_timer_pending(&lt.t));
	ck_assert_uint_eq(loop_timer_count(l), 0);
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert_uint_eq(log.n, 0);

	/* Restarting a stopped timer arms it again, once. */
	loop_timer_start(l, &lt.t, 5000);
	loop_timer_start(l, &lt.t, 0);
	ck_assert_uint_eq(loop_timer_count(l), 1);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_uint_eq(log.n, 1);
	ck_assert(!loop_timer_pending(&lt.t));
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_uint_eq(log.n, 1);
	loop_free(l);
}
END_TEST

/* The first timer stops one that is due in the same iteration and one that
 * is due later; neither may fire. */
START_TEST(test_timer_stop_from_callback)
{
	struct loop *l = new_loop();
	struct logged_timer lt[3];
	struct log log = { .n = 0 };
	int i;

	memset(lt, 0, sizeof(lt));
	for (i = 0; i < 3; i++) {
		lt[i].id = i;
		lt[i].log = &log;
		loop_timer_init(&lt[i].t, logged_fire, &lt[i]);
	}
	lt[0].stop[0] = &lt[1].t;
	lt[0].stop[1] = &lt[2].t;
	loop_timer_start(l, &lt[0].t, 0);
	loop_timer_start(l, &lt[1].t, 0);
	loop_timer_start(l, &lt[2].t, 30);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_uint_eq(log.n, 1);
	ck_assert_int_eq(log.ids[0], 0);
	ck_assert_uint_eq(loop_timer_count(l), 0);
	ck_assert(!loop_timer_pending(&lt[1].t));
	ck_assert(!loop_timer_pending(&lt[2].t));
	ck_assert_int_eq(loop_run_once(l, 50), 0);
	ck_assert_uint_eq(log.n, 1);
	loop_free(l);
}
END_TEST

/* A timer that restarts itself with delay 0 fires once per iteration
 * instead of spinning inside one. */
START_TEST(test_timer_restart_zero_no_spin)
{
	struct loop *l = new_loop();
	struct logged_timer lt;
	struct log log = { .n = 0 };
	int i;

	memset(&lt, 0, sizeof(lt));
	lt.log = &log;
	lt.restarts_left = 3;
	loop_timer_init(&lt.t, logged_fire, &lt);
	loop_timer_start(l, &lt.t, 0);
	for (i = 1; i <= 4; i++) {
		ck_assert_int_eq(loop_run_once(l, 1000), 1);
		ck_assert_uint_eq(log.n, (size_t)i);
	}
	ck_assert(!loop_timer_pending(&lt.t));
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	loop_free(l);
}
END_TEST

/* Thousands of timers with random deadlines, a tenth of them stopped before
 * they fire: the rest fire exactly in (deadline, start) order, never early. */
#define MANY 10000

struct many_log {
	int ids[MANY];
	size_t n;
	bool early;
};

struct many_timer {
	struct loop_timer t;
	int id;
	bool stopped;
	struct many_log *log;
};

/* What the test expects to fire: the armed timers' keys, sorted. */
struct many_key {
	uint64_t when_ms;
	uint64_t seq;
	int id;
};

/* Logs the timer's id, noting if it fired before its deadline. */
static void many_fire(struct loop *l, struct loop_timer *t, void *arg)
{
	struct many_timer *mt = arg;

	if (loop_now_ms(l) < t->when_ms)
		mt->log->early = true;
	if (mt->log->n < MANY)
		mt->log->ids[mt->log->n++] = mt->id;
}

/* qsort order of the loop's promise: deadline, then start order. */
static int many_cmp(const void *a, const void *b)
{
	const struct many_key *x = a, *y = b;

	if (x->when_ms != y->when_ms)
		return x->when_ms < y->when_ms ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

START_TEST(test_timer_many)
{
	struct loop *l = new_loop();
	struct many_timer *mt = calloc(MANY, sizeof(*mt));
	struct many_log *log = calloc(1, sizeof(*log));
	struct many_key *expect = calloc(MANY, sizeof(*expect));
	size_t i, nexpect = 0;
	unsigned seed = 12345;

	ck_assert(mt && log && expect);
	for (i = 0; i < MANY; i++) {
		mt[i].id = (int)i;
		mt[i].log = log;
		loop_timer_init(&mt[i].t, many_fire, &mt[i]);
		loop_timer_start(l, &mt[i].t, (uint64_t)(rand_r(&seed) % 40));
	}
	/* Restart some (moves them within the heap) and stop others (removes
	 * from the middle of the heap). */
	for (i = 0; i < MANY; i += 7)
		loop_timer_start(l, &mt[i].t, (uint64_t)(rand_r(&seed) % 40));
	for (i = 3; i < MANY; i += 10) {
		loop_timer_stop(l, &mt[i].t);
		mt[i].stopped = true;
	}
	for (i = 0; i < MANY; i++) {
		if (mt[i].stopped)
			continue;
		expect[nexpect].when_ms = mt[i].t.when_ms;
		expect[nexpect].seq = mt[i].t.seq;
		expect[nexpect].id = (int)i;
		nexpect++;
	}
	ck_assert_uint_eq(loop_timer_count(l), nexpect);
	qsort(expect, nexpect, sizeof(*expect), many_cmp);

	run_until_no_timers(l, 1000);
	ck_assert(!log->early);
	ck_assert_uint_eq(log->n, nexpect);
	for (i = 0; i < nexpect; i++)
		ck_assert_int_eq(log->ids[i], expect[i].id);
	loop_free(l);
	free(expect);
	free(log);
	free(mt);
}
END_TEST

/* ---- fds ---- */

struct fd_rec {
	int calls;
	int fd;
	uint32_t events;
};

/* Counts calls and remembers the last fd and events. */
static void fd_record(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct fd_rec *r = arg;

	r->calls++;
	r->fd = fd;
	r->events = events;
}

START_TEST(test_fd_readiness)
{
	struct loop *l = new_loop();
	struct fd_rec rec = { 0, -1, 0 };
	int sv[2];

	make_socketpair(sv);
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, fd_record, &rec), 0);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(rec.calls, 0);

	write_byte(sv[1]);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(rec.calls, 1);
	ck_assert_int_eq(rec.fd, sv[0]);
	ck_assert(rec.events & EPOLLIN);

	/* Watching for output instead: a socket with room is writable. */
	ck_assert_int_eq(loop_mod_fd(l, sv[0], EPOLLOUT), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(rec.calls, 2);
	ck_assert(rec.events & EPOLLOUT);
	ck_assert(!(rec.events & EPOLLIN));

	/* After removal nothing is delivered, although the byte is unread. */
	ck_assert_int_eq(loop_mod_fd(l, sv[0], EPOLLIN), 0);
	ck_assert_int_eq(loop_del_fd(l, sv[0]), 0);
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert_int_eq(rec.calls, 2);

	/* The fd can be watched again once removed. */
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, fd_record, &rec), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(rec.calls, 3);

	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* loop_close_fd() leaves the epoll watch to close(). While a duplicate
 * keeps the file open (a fork before exec), the kernel still reports it:
 * those events must not reach the old callback, nor a new owner of the
 * fd number. Once the last duplicate closes, nothing is reported. */
START_TEST(test_fd_close_without_del)
{
	struct loop *l = new_loop();
	struct fd_rec rec = { 0, -1, 0 }, next = { 0, -1, 0 };
	int sv[2], dupfd, fd2;

	make_socketpair(sv);
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, fd_record, &rec), 0);
	write_byte(sv[1]);
	dupfd = dup(sv[0]);
	ck_assert_int_ge(dupfd, 0);
	ck_assert_int_eq(loop_close_fd(l, sv[0]), 0);
	/* The file is still open through dupfd, readable: reported by the
	 * kernel, dropped by the loop. */
	ck_assert_int_eq(loop_run_once(l, 50), 0);
	ck_assert_int_eq(rec.calls, 0);

	/* The number is reused by a new socket, watched anew. */
	fd2 = dup2(sv[1], sv[0]);
	ck_assert_int_eq(fd2, sv[0]);
	ck_assert_int_eq(loop_add_fd(l, fd2, EPOLLOUT, fd_record, &next), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(rec.calls, 0);
	ck_assert_int_eq(next.calls, 1);
	ck_assert(next.events & EPOLLOUT);
	ck_assert(!(next.events & EPOLLIN));
	ck_assert_int_eq(loop_close_fd(l, fd2), 0);

	/* The last duplicate goes: the stale watch with it. */
	close(dupfd);
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert_int_eq(rec.calls + next.calls, 1);
	loop_free(l);
	close(sv[1]);
}
END_TEST

/* A socket kept between uses (health checks): muted, its one-shot event
 * goes nowhere; re-armed, only the new owner hears it. */
START_TEST(test_fd_mute_rearm)
{
	struct loop *l = new_loop();
	struct fd_rec old = { 0, -1, 0 }, next = { 0, -1, 0 };
	int sv[2];

	make_socketpair(sv);
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN | EPOLLONESHOT, fd_record, &old), 0);
	write_byte(sv[1]);
	loop_mute_fd(l, sv[0]);
	/* Reported by the kernel once (one-shot), dropped by the loop. */
	ck_assert_int_eq(loop_run_once(l, 50), 0);
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert_int_eq(old.calls, 0);

	ck_assert_int_eq(loop_rearm_fd(l, sv[0], EPOLLIN | EPOLLONESHOT, fd_record, &next), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(next.calls, 1);
	ck_assert_int_eq(next.fd, sv[0]);
	ck_assert(next.events & EPOLLIN);
	/* One-shot: nothing more until the next re-arm. */
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert_int_eq(next.calls, 1);
	ck_assert_int_eq(old.calls, 0);

	ck_assert_int_eq(loop_rearm_fd(l, sv[1], EPOLLIN, fd_record, &next), -1);
	ck_assert_int_eq(errno, ENOENT);
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* The case the generations are for: in one batch, the first callback
 * hands the second fd to a new owner; the second fd's event, taken from
 * the kernel for its old owner, must reach neither. */
struct rearm_ctx {
	int victim;
	struct fd_rec *new_owner;
	int calls;
};

static void rearm_other(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct rearm_ctx *c = arg;

	c->calls++;
	if (c->calls == 1) {
		loop_mute_fd(l, c->victim);
		ck_assert_int_eq(loop_rearm_fd(l, c->victim, EPOLLOUT | EPOLLONESHOT, fd_record,
					       c->new_owner), 0);
	}
	(void)fd;
	(void)events;
}

START_TEST(test_fd_rearm_in_batch)
{
	struct loop *l = new_loop();
	struct fd_rec next = { 0, -1, 0 };
	struct rearm_ctx a = { .new_owner = &next }, b = { .new_owner = &next };
	int sv[2];

	make_socketpair(sv);
	a.victim = sv[1];
	b.victim = sv[0];
	/* Both writable at once: one batch holds both events. Whichever
	 * runs first re-arms the other, whose queued event is then stale. */
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLOUT | EPOLLONESHOT, rearm_other, &a), 0);
	ck_assert_int_eq(loop_add_fd(l, sv[1], EPOLLOUT | EPOLLONESHOT, rearm_other, &b), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(a.calls + b.calls, 1);
	ck_assert_int_eq(next.calls, 0);
	/* The next wait reports the re-armed one to its new owner. */
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(next.calls, 1);
	ck_assert(next.events & EPOLLOUT);
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* loop_give_fd: in one batch, the first callback gives the other
 * (level-triggered) fd to a new owner; the other's queued event reaches
 * neither owner in that batch, and the next wait reports it to the new
 * one only. The same events: no epoll_ctl, and still no stale delivery. */
struct give_ctx {
	int victim;
	uint32_t events;
	struct fd_rec *new_owner;
	int calls;
};

static void give_other(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct give_ctx *c = arg;

	c->calls++;
	if (c->calls == 1)
		ck_assert_int_eq(loop_give_fd(l, c->victim, c->events, fd_record, c->new_owner), 0);
	(void)fd;
	(void)events;
}

START_TEST(test_fd_give_in_batch)
{
	/* _i: 0 the same events (no system call), 1 other events. */
	uint32_t to = _i == 0 ? EPOLLOUT : EPOLLOUT | EPOLLIN;
	struct loop *l = new_loop();
	struct fd_rec next = { 0, -1, 0 };
	struct give_ctx a = { .events = to, .new_owner = &next };
	struct give_ctx b = { .events = to, .new_owner = &next };
	int sv[2];

	make_socketpair(sv);
	a.victim = sv[1];
	b.victim = sv[0];
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLOUT, give_other, &a), 0);
	ck_assert_int_eq(loop_add_fd(l, sv[1], EPOLLOUT, give_other, &b), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(a.calls + b.calls, 1);
	ck_assert_int_eq(next.calls, 0);
	/* Still writable: the next wait reports both, the given one to its
	 * new owner. */
	ck_assert_int_eq(loop_run_once(l, 1000), 2);
	ck_assert_int_eq(next.calls, 1);
	ck_assert(next.events & EPOLLOUT);
	ck_assert_int_eq(next.fd, a.calls ? sv[1] : sv[0]);
	ck_assert_int_eq(a.calls + b.calls, 2);
	ck_assert_int_eq(loop_give_fd(l, 1000, EPOLLIN, fd_record, &next), -1);
	ck_assert_int_eq(errno, ENOENT);
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Errors come back as -1 with the errno the header promises. */
START_TEST(test_fd_errors)
{
	struct loop *l = new_loop();
	struct fd_rec rec = { 0, -1, 0 };
	int sv[2];

	make_socketpair(sv);
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, fd_record, &rec), 0);
	errno = 0;
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, fd_record, &rec), -1);
	ck_assert_int_eq(errno, EEXIST);
	errno = 0;
	ck_assert_int_eq(loop_mod_fd(l, sv[1], EPOLLIN), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(loop_del_fd(l, sv[1]), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(loop_add_fd(l, -1, EPOLLIN, fd_record, &rec), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(loop_del_fd(l, 100000), -1);
	ck_assert_int_eq(errno, ENOENT);

	/* epoll itself refuses a closed fd; the table must stay clean. */
	{
		int spare = dup(sv[1]);

		ck_assert_int_ge(spare, 0);
		close(spare);
		errno = 0;
		ck_assert_int_eq(loop_add_fd(l, spare, EPOLLIN, fd_record, &rec), -1);
		ck_assert_int_eq(errno, EBADF);
		ck_assert_int_eq(loop_del_fd(l, spare), -1);
		ck_assert_int_eq(errno, ENOENT);
	}

	/* A large fd number grows the table. */
	{
		int big = dup2(sv[1], 700);

		ck_assert_int_eq(big, 700);
		ck_assert_int_eq(loop_add_fd(l, big, EPOLLOUT, fd_record, &rec), 0);
		ck_assert_int_eq(loop_run_once(l, 1000), 1);
		ck_assert_int_eq(rec.fd, 700);
		ck_assert_int_eq(loop_del_fd(l, big), 0);
		close(big);
	}
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* Two readable fds in one batch; whichever callback runs first removes the
 * other. Modes: 0 removes and closes it, 1 removes it and watches the same
 * fd again with a new callback, 2 removes its own fd and then the other. */
struct killer {
	struct loop *l;
	int fd;
	int peer_fd;		/* write end, to keep or close with fd */
	struct killer *other;
	int mode;
	int *calls;
	struct fd_rec *readded;
};

/* Drains its own byte and removes the other fd as its mode says. */
static void killer_fire(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct killer *k = arg;
	char c;

	(*k->calls)++;
	ck_assert_int_eq(fd, k->fd);
	ck_assert_int_eq(read(fd, &c, 1), 1);
	if (k->mode == 2)
		ck_assert_int_eq(loop_del_fd(l, fd), 0);
	ck_assert_int_eq(loop_del_fd(l, k->other->fd), 0);
	if (k->mode == 0) {
		close(k->other->fd);
		close(k->other->peer_fd);
		k->other->fd = -1;
		/* The other's context is gone too: a delivery would read freed
		 * memory, which ASan reports. */
		free(k->other);
		k->other = NULL;
	} else if (k->mode == 1) {
		ck_assert_int_eq(loop_add_fd(l, k->other->fd, EPOLLIN,
					     fd_record, k->readded), 0);
	}
}

START_TEST(test_fd_del_pending_in_batch)
{
	struct loop *l = new_loop();
	struct killer *k[2];
	struct fd_rec readded = { 0, -1, 0 };
	int calls = 0, i, first;

	for (i = 0; i < 2; i++) {
		int sv[2];

		make_socketpair(sv);
		k[i] = calloc(1, sizeof(*k[i]));
		ck_assert(k[i] != NULL);
		k[i]->l = l;
		k[i]->fd = sv[0];
		k[i]->peer_fd = sv[1];
		k[i]->mode = _i;
		k[i]->calls = &calls;
		k[i]->readded = &readded;
		write_byte(sv[1]);
	}
	k[0]->other = k[1];
	k[1]->other = k[0];
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(loop_add_fd(l, k[i]->fd, EPOLLIN, killer_fire, k[i]), 0);

	/* Both bytes were written before this wait: one batch, two events. */
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(calls, 1);
	first = k[0]->other == NULL ? 0 : 1;
	if (_i == 0)
		ck_assert_ptr_null(k[first]->other);
	else
		first = -1;

	if (_i == 1) {
		/* The stale event went nowhere; the new watch sees the still
		 * unread byte in the next iteration. */
		ck_assert_int_eq(readded.calls, 0);
		ck_assert_int_eq(loop_run_once(l, 1000), 1);
		ck_assert_int_eq(readded.calls, 1);
	} else {
		ck_assert_int_eq(loop_run_once(l, 20), 0);
	}
	ck_assert_int_eq(calls, 1);

	loop_free(l);
	for (i = 0; i < 2; i++) {
		if (_i == 0 && i != first)
			continue;
		close(k[i]->fd);
		close(k[i]->peer_fd);
		free(k[i]);
	}
}
END_TEST

/* ---- run and stop ---- */

struct stopper {
	struct loop_timer t;
	int fires;
	int stop_at;
};

/* Restarts itself every millisecond until it has fired stop_at times. */
static void stopper_fire(struct loop *l, struct loop_timer *t, void *arg)
{
	struct stopper *s = arg;

	if (++s->fires == s->stop_at)
		loop_stop(l);
	else
		loop_timer_start(l, t, 1);
}

START_TEST(test_run_stop_from_timer)
{
	struct loop *l = new_loop();
	struct stopper s = { .fires = 0, .stop_at = 3 };

	loop_timer_init(&s.t, stopper_fire, &s);
	loop_timer_start(l, &s.t, 1);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(s.fires, 3);

	/* loop_run can be entered again, and a stop made outside it is not
	 * carried into it. */
	loop_stop(l);
	s.stop_at = 5;
	loop_timer_start(l, &s.t, 1);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(s.fires, 5);
	loop_free(l);
}
END_TEST

/* Stops the loop on the first event. */
static void stop_on_read(struct loop *l, int fd, uint32_t events, void *arg)
{
	int *calls = arg;

	(*calls)++;
	loop_stop(l);
}

START_TEST(test_run_stop_from_fd)
{
	struct loop *l = new_loop();
	int sv[2], calls = 0;

	make_socketpair(sv);
	write_byte(sv[1]);
	ck_assert_int_eq(loop_add_fd(l, sv[0], EPOLLIN, stop_on_read, &calls), 0);
	ck_assert_int_eq(loop_run(l), 0);
	ck_assert_int_eq(calls, 1);
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

/* loop_run_once waits for the caller's timeout or the next timer, whichever
 * comes first. */
START_TEST(test_run_once_timeout)
{
	struct loop *l = new_loop();
	struct logged_timer lt;
	struct log log = { .n = 0 };
	uint64_t t0, t1;

	t0 = loop_update_time(l);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(loop_run_once(l, 30), 0);
	t1 = loop_update_time(l);
	ck_assert_uint_ge(t1 - t0, 30);
	ck_assert_uint_lt(t1 - t0, 1000);
	ck_assert_uint_eq(loop_now_ms(l), t1);

	memset(&lt, 0, sizeof(lt));
	lt.log = &log;
	loop_timer_init(&lt.t, logged_fire, &lt);

	/* The timer is sooner than the timeout. Deadlines count from the
	 * cached time, so refresh it first to measure from the same point. */
	t0 = loop_update_time(l);
	loop_timer_start(l, &lt.t, 20);
	ck_assert_int_eq(loop_run_once(l, 3000), 1);
	t1 = loop_update_time(l);
	ck_assert_uint_ge(t1 - t0, 20);
	ck_assert_uint_lt(t1 - t0, 1000);

	/* The timeout is sooner than the timer. */
	loop_timer_start(l, &lt.t, 3000);
	ck_assert_int_eq(loop_run_once(l, 20), 0);
	ck_assert(loop_timer_pending(&lt.t));

	/* -1 waits for the timer. */
	loop_timer_start(l, &lt.t, 10);
	ck_assert_int_eq(loop_run_once(l, -1), 1);
	ck_assert_uint_eq(log.n, 2);
	loop_free(l);
}
END_TEST

/* ---- signals ---- */

struct sig_rec {
	int count[_NSIG];
	int total;
};

/* Counts deliveries per signal. */
static void sig_record(struct loop *l, int signo, void *arg)
{
	struct sig_rec *r = arg;

	ck_assert_int_gt(signo, 0);
	ck_assert_int_lt(signo, _NSIG);
	r->count[signo]++;
	r->total++;
}

START_TEST(test_signals)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2 };
	struct loop *l = new_loop();
	struct sig_rec rec;
	sigset_t saved, cur;

	memset(&rec, 0, sizeof(rec));
	/* Restored below so that, even when Check does not fork, the blocked
	 * signals do not leak into later tests. */
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &saved), 0);

	ck_assert_int_eq(loop_add_signals(l, sigs, 2, sig_record, &rec), 0);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &cur), 0);
	ck_assert(sigismember(&cur, SIGUSR1));
	ck_assert(sigismember(&cur, SIGUSR2));

	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 1);
	ck_assert_int_eq(rec.count[SIGUSR1], 1);

	/* Both pending signals are read on one wakeup. */
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(loop_run_once(l, 1000), 2);
	ck_assert_int_eq(rec.count[SIGUSR1], 2);
	ck_assert_int_eq(rec.count[SIGUSR2], 1);
	ck_assert_int_eq(loop_run_once(l, 0), 0);

	/* A second call adds a signal with its own callback to the same fd. */
	{
		static const int more[] = { SIGHUP };
		struct sig_rec rec2;

		memset(&rec2, 0, sizeof(rec2));
		ck_assert_int_eq(loop_add_signals(l, more, 1, sig_record, &rec2), 0);
		ck_assert_int_eq(raise(SIGHUP), 0);
		ck_assert_int_eq(raise(SIGUSR2), 0);
		ck_assert_int_eq(loop_run_once(l, 1000), 2);
		ck_assert_int_eq(rec2.count[SIGHUP], 1);
		ck_assert_int_eq(rec2.total, 1);
		ck_assert_int_eq(rec.count[SIGUSR2], 2);
	}

	loop_free(l);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &saved, NULL), 0);
}
END_TEST

/* Signals that cannot be caught or do not exist are refused, and the mask
 * is left alone. */
static const int bad_signals[] = { 0, -1, SIGKILL, SIGSTOP, _NSIG, 100000 };

START_TEST(test_signals_invalid)
{
	struct loop *l = new_loop();
	struct sig_rec rec;
	sigset_t before, after;
	int sigs[2] = { SIGUSR1, bad_signals[_i] };

	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &before), 0);
	errno = 0;
	ck_assert_int_eq(loop_add_signals(l, sigs, 2, sig_record, &rec), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, NULL, &after), 0);
	ck_assert_int_eq(sigismember(&before, SIGUSR1), sigismember(&after, SIGUSR1));
	loop_free(l);
}
END_TEST

/* ---- before-sleep hooks ---- */

/* A hook that counts its runs, records the order it ran in, and can arm a
 * timer (work for the wait after it) or remove a hook. */
struct hook_rec {
	int runs;
	int *order;		/* shared sequence */
	int ran_at;		/* the sequence number at its last run */
	struct loop_timer *arm;	/* started at 0 ms when not NULL */
	struct hook_rec *del;	/* removed when not NULL */
};

static void hook_fn(struct loop *l, void *arg)
{
	struct hook_rec *h = arg;

	h->runs++;
	h->ran_at = (*h->order)++;
	if (h->arm) {
		loop_timer_start(l, h->arm, 0);
		h->arm = NULL;
	}
	if (h->del) {
		loop_del_before_sleep(l, hook_fn, h->del);
		h->del = NULL;
	}
}

START_TEST(test_before_sleep)
{
	struct loop *l = new_loop();
	struct logged_timer lt;
	struct log log = { .n = 0 };
	int order = 0;
	struct hook_rec a = { 0, &order, -1, NULL, NULL }, b = a;
	uint64_t t0;

	ck_assert_int_eq(loop_add_before_sleep(l, hook_fn, &a), 0);
	ck_assert_int_eq(loop_add_before_sleep(l, hook_fn, &b), 0);
	errno = 0;
	ck_assert_int_eq(loop_add_before_sleep(l, hook_fn, &a), -1);
	ck_assert_int_eq(errno, EEXIST);

	/* Once per iteration each, in the order added. */
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(a.runs, 2);
	ck_assert_int_eq(b.runs, 2);
	ck_assert_int_lt(a.ran_at, b.ran_at);

	/* Before the wait: a timer the hook arms at 0 ms fires in the
	 * same iteration, although the wait asked was 3 s. */
	memset(&lt, 0, sizeof(lt));
	lt.log = &log;
	loop_timer_init(&lt.t, logged_fire, &lt);
	a.arm = &lt.t;
	t0 = loop_update_time(l);
	ck_assert_int_eq(loop_run_once(l, 3000), 1);
	ck_assert_uint_lt(loop_update_time(l) - t0, 1000);
	ck_assert_uint_eq(log.n, 1);

	/* A hook removes the one after it: that one does not run, then
	 * or later; the remover still runs. */
	a.del = &b;
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(a.runs, 4);
	ck_assert_int_eq(b.runs, 3);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(a.runs, 5);
	ck_assert_int_eq(b.runs, 3);

	/* Removing twice is harmless; the slots are reusable. */
	loop_del_before_sleep(l, hook_fn, &b);
	loop_del_before_sleep(l, hook_fn, &a);
	ck_assert_int_eq(loop_run_once(l, 0), 0);
	ck_assert_int_eq(a.runs, 5);
	{
		struct hook_rec many[LOOP_HOOKS_MAX + 1];

		for (size_t i = 0; i < LOOP_HOOKS_MAX; i++) {
			many[i] = (struct hook_rec){ 0, &order, -1, NULL, NULL };
			ck_assert_int_eq(loop_add_before_sleep(l, hook_fn, &many[i]), 0);
		}
		errno = 0;
		ck_assert_int_eq(loop_add_before_sleep(l, hook_fn, &many[LOOP_HOOKS_MAX]), -1);
		ck_assert_int_eq(errno, ENOSPC);
		ck_assert_int_eq(loop_run_once(l, 0), 0);
		for (size_t i = 0; i < LOOP_HOOKS_MAX; i++)
			ck_assert_int_eq(many[i].runs, 1);
	}
	loop_free(l);
}
END_TEST

Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc;

	tc = tcase_create("timers");
	tcase_add_loop_test(tc, test_timer_order, 0,
			    (int)(sizeof(order_cases) / sizeof(order_cases[0])));
	tcase_add_test(tc, test_timer_restart_reorders);
	tcase_add_test(tc, test_timer_stop_restart);
	tcase_add_test(tc, test_timer_stop_from_callback);
	tcase_add_test(tc, test_timer_restart_zero_no_spin);
	tcase_add_test(tc, test_timer_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("fds");
	tcase_add_test(tc, test_fd_readiness);
	tcase_add_test(tc, test_fd_errors);
	tcase_add_test(tc, test_fd_close_without_del);
	tcase_add_test(tc, test_fd_mute_rearm);
	tcase_add_test(tc, test_fd_rearm_in_batch);
	tcase_add_loop_test(tc, test_fd_give_in_batch, 0, 2);
	tcase_add_loop_test(tc, test_fd_del_pending_in_batch, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("run");
	tcase_add_test(tc, test_run_stop_from_timer);
	tcase_add_test(tc, test_run_stop_from_fd);
	tcase_add_test(tc, test_run_once_timeout);
	tcase_add_test(tc, test_before_sleep);
	suite_add_tcase(s, tc);

	tc = tcase_create("signals");
	tcase_add_test(tc, test_signals);
	tcase_add_loop_test(tc, test_signals_invalid, 0,
			    (int)(sizeof(bad_signals) / sizeof(bad_signals[0])));
	suite_add_tcase(s, tc);
	return s;
}
