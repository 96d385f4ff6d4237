#include "config.h"

#include "core/loop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

/* Events taken from the kernel per epoll_wait. The rest come in the next
 * iteration (watches are level-triggered), but every iteration also fires
 * every due timer: with 64, 10,000 checks a second started connections
 * faster than their completions were read, ~1,000 stayed in flight and a
 * loopback check "took" 150 ms (the rate fell to 88%). 1,024 keeps
 * completions ahead of starts; 12 KiB per loop. */
#define LOOP_BATCH 1024

/* One watched fd, in a table indexed by fd. epoll carries (generation,
 * fd) rather than a pointer: an event still pending in a batch for an fd
 * removed meanwhile, or for an earlier file that had the same number,
 * names an old generation and is dropped. The same check lets
 * loop_close_fd() leave the EPOLL_CTL_DEL to close() (the kernel drops the
 * watch with the file's last reference): one system call fewer per health
 * check. Slots are reused, so watching an fd allocates nothing once the
 * table has grown to it. */
struct loop_fd {
	bool used;
	uint32_t gen;		/* bumped on every add and removal */
	uint32_t events;
	uint32_t given_iter;	/* loop_give_fd() in that iteration: its
				 * events still in that batch are dropped (in
				 * the padding: the entry stays 32 bytes; a
				 * wrap can only delay one level-triggered
				 * event by an iteration) */
	loop_fd_fn fn;
	void *arg;
};

/* epoll data of the signalfd; no (gen, fd) pair has all bits set since
 * fds are below INT_MAX. */
#define LOOP_SIG_TOKEN UINT64_MAX

struct loop_sig {
	loop_signal_fn fn;
	void *arg;
};

struct heap_ent {
	uint64_t when_ms;
	uint64_t seq;
	struct loop_timer *t;
};

struct loop {
	int epfd;
	uint64_t now_ms;
	bool stop;
	uint32_t iter;		/* epoll_wait batches taken (loop_give_fd) */

	/* fd -> entry; fds are small dense integers, so a plain array indexed
	 * by fd is the hash table with the best constant. */
	struct loop_fd *fds;
	size_t fds_cap;

	/* Min-heap ordered by (when_ms, seq), the keys copied into the
	 * entries: sifting compares neighbours in this array instead of
	 * chasing pointers to timers all over memory (with 10,000 health
	 * checks, those cache misses were a tenth of softlbd's CPU). */
	struct heap_ent *heap;
	size_t heap_len;
	size_t heap_cap;
	uint64_t next_seq;

	/* The signalfd is ours, not a caller's, so it is not in fds: the
	 * caller cannot remove it, and its entry marks it in a batch. */
	int sigfd;
	sigset_t sigmask;
	struct loop_sig sigs[_NSIG];

	struct epoll_event batch[LOOP_BATCH];

	/* Before-sleep hooks, in the order added; fn NULL: a slot freed
	 * by a hook while the hooks ran, compacted after them. */
	struct loop_hook {
		loop_hook_fn fn;
		void *arg;
	} hooks[LOOP_HOOKS_MAX];
	size_t n_hooks;
	bool in_hooks;
};

/* ---- time ---- */

/* Reads CLOCK_MONOTONIC in milliseconds. Linux always has that clock; if
 * clock_gettime() fails anyway, the previous value is kept so that timers
 * fire late rather than at a time that went backwards. */
static uint64_t monotonic_ms(uint64_t fallback)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return fallback;
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Refreshes the cached time; returns it. */
uint64_t loop_update_time(struct loop *l)
{
	uint64_t now = monotonic_ms(l->now_ms);

	if (now > l->now_ms)
		l->now_ms = now;
	return l->now_ms;
}

/* The time cached at the start of this iteration (or the last refresh). */
uint64_t loop_now_ms(const struct loop *l)
{
	return l->now_ms;
}

/* ---- life cycle ---- */

/* A new loop with no fds, timers or signals; NULL with errno set when the
 * epoll instance cannot be created. */
struct loop *loop_new(void)
{
	struct loop *l;
	int epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd < 0)
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->epfd = epfd;
	l->sigfd = -1;
	sigemptyset(&l->sigmask);
	l->now_ms = monotonic_ms(0);
	return l;
}

/* Frees l and everything it allocated. Callers' fds stay open (their owners
 * close them); the signalfd is the loop's own and is closed. The signal mask
 * is left as it is: it belongs to the thread, and unblocking here could let
 * a pending SIGTERM kill the process during shutdown. */
void loop_free(struct loop *l)
{
	size_t i;

	if (!l)
		return;
	free(l->fds);
	for (i = 0; i < l->heap_len; i++)
		l->heap[i].t->heap_idx = SIZE_MAX;
	free(l->heap);
	if (l->sigfd >= 0)
		close(l->sigfd);
	close(l->epfd);
	free(l);
}

/* ---- fds ---- */

/* The entry watching fd, or NULL. */
static struct loop_fd *fd_lookup(const struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->fds_cap || !l->fds[fd].used)
		return NULL;
	return &l->fds[fd];
}

static uint64_t fd_token(int fd, uint32_t gen)
{
	return (uint64_t)gen << 32 | (uint32_t)fd;
}

/* EPOLL_CTL_ADD or _MOD of fd, its events carrying (gen, fd). */
static int fd_ctl(struct loop *l, int op, int fd, uint32_t gen, uint32_t events)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = events;
	ev.data.u64 = fd_token(fd, gen);
	return epoll_ctl(l->epfd, op, fd, &ev);
}

/* Watches fd; see loop.h. EBADF for a negative fd, EEXIST when fd is
 * already watched, otherwise whatever epoll_ctl() says. */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg)
{
	struct loop_fd *e;

	if (fd < 0 || !fn) {
		errno = fd < 0 ? EBADF : EINVAL;
		return -1;
	}
	if (fd_lookup(l, fd)) {
		errno = EEXIST;
		return -1;
	}
	if ((size_t)fd >= l->fds_cap) {
		size_t cap = l->fds_cap ? l->fds_cap : 64;

		while (cap <= (size_t)fd)
			cap *= 2;
		l->fds = xreallocarray(l->fds, cap, sizeof(*l->fds));
		memset(l->fds + l->fds_cap, 0,
		       (cap - l->fds_cap) * sizeof(*l->fds));
		l->fds_cap = cap;
	}
	e = &l->fds[fd];
	if (fd_ctl(l, EPOLL_CTL_ADD, fd, e->gen + 1, events) != 0)
		return -1;
	e->gen++;
	e->used = true;
	e->given_iter = 0;
	e->events = events;
	e->fn = fn;
	e->arg = arg;
	return 0;
}

/* Changes the events watched on fd. ENOENT when fd is not watched. */
int loop_mod_fd(struct loop *l, int fd, uint32_t events)
{
	struct loop_fd *e = fd_lookup(l, fd);

	if (!e) {
		errno = ENOENT;
		return -1;
	}
	if (fd_ctl(l, EPOLL_CTL_MOD, fd, e->gen, events) != 0)
		return -1;
	e->events = events;
	return 0;
}

/* Forgets fd's entry: a new generation, so that events already taken from
 * the kernel for it are not delivered. */
static void fd_forget(struct loop_fd *e)
{
	e->used = false;
	e->gen++;
}

/* Stops watching fd; ENOENT when it is not watched. The entry is forgotten
 * even when epoll_ctl() fails (say, fd was closed first), because keeping it
 * would make the fd number unusable for the next owner; the failure is still
 * reported. */
int loop_del_fd(struct loop *l, int fd)
{
	struct loop_fd *e = fd_lookup(l, fd);
	int rc, saved;

	if (!e) {
		errno = ENOENT;
		return -1;
	}
	rc = epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
	saved = errno;
	fd_forget(e);
	errno = saved;
	return rc;
}

/* Forgets fd and closes it, without EPOLL_CTL_DEL; see loop.h. */
int loop_close_fd(struct loop *l, int fd)
{
	struct loop_fd *e = fd_lookup(l, fd);

	if (e)
		fd_forget(e);
	return close(fd);
}

/* A new generation for fd's entry, still watched: events the kernel
 * queued under the old one are dropped (see loop.h). */
void loop_mute_fd(struct loop *l, int fd)
{
	struct loop_fd *e = fd_lookup(l, fd);

	if (e)
		e->gen++;
}

int loop_rearm_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg)
{
	struct loop_fd *e = fd_lookup(l, fd);

	if (!e || !fn) {
		errno = e ? EINVAL : ENOENT;
		return -1;
	}
	if (fd_ctl(l, EPOLL_CTL_MOD, fd, e->gen + 1, events) != 0)
		return -1;
	e->gen++;
	e->events = events;
	e->fn = fn;
	e->arg = arg;
	return 0;
}

/* Hands a level-triggered fd to a new owner; see loop.h. Without a
 * system call when the events stay the same: the kernel's token keeps
 * its generation, and the iteration mark drops what the current batch
 * still holds for the fd (level-triggered, so whatever is still true is
 * reported again by the next epoll_wait, to the new owner). */
int loop_give_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg)
{
	struct loop_fd *e = fd_lookup(l, fd);

	if (!e || !fn) {
		errno = e ? EINVAL : ENOENT;
		return -1;
	}
	if (events != e->events) {
		if (fd_ctl(l, EPOLL_CTL_MOD, fd, e->gen, events) != 0)
			return -1;
		e->events = events;
	}
	e->given_iter = l->iter;
	e->fn = fn;
	e->arg = arg;
	return 0;
}

/* ---- timers ---- */

/* True when a fires before b: earlier deadline, or same deadline and
 * started earlier. */
static bool timer_before(const struct heap_ent *a, const struct heap_ent *b)
{
	if (a->when_ms != b->when_ms)
		return a->when_ms < b->when_ms;
	return a->seq < b->seq;
}

/* Puts e in slot i and tells its timer where it is, so stop can find it
 * in O(1). */
static void heap_set(struct loop *l, size_t i, const struct heap_ent *e)
{
	l->heap[i] = *e;
	e->t->heap_idx = i;
}

/* Moves the entry in slot i up until its parent fires before it. */
static void heap_sift_up(struct loop *l, size_t i)
{
	struct heap_ent e = l->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(&e, &l->heap[parent]))
			break;
		heap_set(l, i, &l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, &e);
}

/* Moves the entry in slot i down until both children fire after it. */
static void heap_sift_down(struct loop *l, size_t i)
{
	struct heap_ent e = l->heap[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= l->heap_len)
			break;
		if (child + 1 < l->heap_len &&
		    timer_before(&l->heap[child + 1], &l->heap[child]))
			child++;
		if (!timer_before(&l->heap[child], &e))
			break;
		heap_set(l, i, &l->heap[child]);
		i = child;
	}
	heap_set(l, i, &e);
}

/* Restores the order around slot i after its key changed. */
static void heap_fix(struct loop *l, size_t i)
{
	if (i > 0 && timer_before(&l->heap[i], &l->heap[(i - 1) / 2]))
		heap_sift_up(l, i);
	else
		heap_sift_down(l, i);
}

/* Takes the armed timer t out of the heap and marks it idle. */
static void heap_remove(struct loop *l, struct loop_timer *t)
{
	size_t i = t->heap_idx;

	t->heap_idx = SIZE_MAX;
	if (i == --l->heap_len)
		return;
	/* The last entry fills the hole; it may belong above or below. */
	heap_set(l, i, &l->heap[l->heap_len]);
	heap_fix(l, i);
}

/* Prepares an idle timer; it must not be armed (the loop would lose it). */
void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *arg)
{
	t->when_ms = 0;
	t->seq = 0;
	t->heap_idx = SIZE_MAX;
	t->fn = fn;
	t->arg = arg;
}

/* (Re)arms t for loop_now_ms() + delay_ms. A restart counts as a new start
 * for the tie-break, and a delay past the end of time saturates. */
void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t delay_ms)
{
	struct heap_ent e = { .t = t };

	t->when_ms = delay_ms > UINT64_MAX - l->now_ms ?
		UINT64_MAX : l->now_ms + delay_ms;
	t->seq = l->next_seq++;
	e.when_ms = t->when_ms;
	e.seq = t->seq;
	if (t->heap_idx != SIZE_MAX) {
		/* Armed: move it where its new key belongs, in place. */
		l->heap[t->heap_idx] = e;
		heap_fix(l, t->heap_idx);
		return;
	}
	if (l->heap_len == l->heap_cap) {
		l->heap_cap = l->heap_cap ? l->heap_cap * 2 : 16;
		l->heap = xreallocarray(l->heap, l->heap_cap, sizeof(*l->heap));
	}
	l->heap_len++;
	heap_set(l, l->heap_len - 1, &e);
	heap_sift_up(l, l->heap_len - 1);
}

/* Disarms t; a no-op for an idle timer. */
void loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	if (t->heap_idx != SIZE_MAX)
		heap_remove(l, t);
}

/* True while t is armed. */
bool loop_timer_pending(const struct loop_timer *t)
{
	return t->heap_idx != SIZE_MAX;
}

/* Number of armed timers. */
size_t loop_timer_count(const struct loop *l)
{
	return l->heap_len;
}

/* Fires the timers that were due when this was called, earliest first;
 * returns how many fired. Timers (re)started by a callback get a seq at or
 * past the snapshot and wait for the next iteration, so a timer restarting
 * itself with delay 0 cannot keep this loop spinning. */
static int fire_timers(struct loop *l)
{
	uint64_t now = l->now_ms;
	uint64_t seq_limit = l->next_seq;
	int n = 0;

	while (l->heap_len > 0) {
		struct loop_timer *t = l->heap[0].t;

		/* Anything started before the snapshot and due sorts before
		 * anything started after it, since the latter's deadline is at
		 * least now: stopping at the first such top is exact. */
		if (l->heap[0].when_ms > now || l->heap[0].seq >= seq_limit)
			break;
		heap_remove(l, t);
		t->fn(l, t, t->arg);
		n++;
	}
	return n;
}

/* ---- signals ---- */

/* Blocks the signals and routes them through the loop's signalfd; see
 * loop.h. May be called again to add more signals (each with its own
 * callback). On failure the thread's mask and the loop are unchanged. */
int loop_add_signals(struct loop *l, const int *signals, size_t n,
		     loop_signal_fn fn, void *arg)
{
	sigset_t add, all, old;
	size_t i;
	int fd, rc;

	if (!fn) {
		errno = EINVAL;
		return -1;
	}
	sigemptyset(&add);
	for (i = 0; i < n; i++) {
		/* SIGKILL and SIGSTOP cannot be blocked: a caller asking for
		 * them would wait forever. */
		if (signals[i] <= 0 || signals[i] >= _NSIG ||
		    signals[i] == SIGKILL || signals[i] == SIGSTOP ||
		    sigaddset(&add, signals[i]) != 0) {
			errno = EINVAL;
			return -1;
		}
	}
	all = l->sigmask;
	for (i = 0; i < n; i++)
		sigaddset(&all, signals[i]);

	/* Block before the signalfd exists so that nothing slips through to
	 * the default action in between. */
	rc = pthread_sigmask(SIG_BLOCK, &add, &old);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	fd = signalfd(l->sigfd, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0)
		goto fail;
	if (l->sigfd < 0) {
		struct epoll_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.u64 = LOOP_SIG_TOKEN;
		if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			int saved = errno;

			close(fd);
			errno = saved;
			goto fail;
		}
		l->sigfd = fd;
	}
	l->sigmask = all;
	for (i = 0; i < n; i++) {
		l->sigs[signals[i]].fn = fn;
		l->sigs[signals[i]].arg = arg;
	}
	return 0;

fail:
	{
		int saved = errno;

		/* Neither failure above changed the signalfd, so undoing the
		 * block is all there is to roll back. Restoring a mask saved a
		 * moment ago cannot fail. */
		(void)pthread_sigmask(SIG_SETMASK, &old, NULL);
		errno = saved;
	}
	return -1;
}

/* Reads every pending siginfo and runs the callbacks; returns how many ran,
 * or -1 with errno when the signalfd itself fails. */
static int read_signals(struct loop *l)
{
	struct signalfd_siginfo si;
	int n = 0;

	for (;;) {
		ssize_t r = read(l->sigfd, &si, sizeof(si));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return n;
			return -1;
		}
		if ((size_t)r != sizeof(si)) {
			/* The kernel only hands out whole records. */
			errno = EIO;
			return -1;
		}
		if (si.ssi_signo < (uint32_t)_NSIG && l->sigs[si.ssi_signo].fn) {
			struct loop_sig *s = &l->sigs[si.ssi_signo];

			s->fn(l, (int)si.ssi_signo, s->arg);
			n++;
		}
	}
}

/* ---- running ---- */

/* How long epoll_wait may sleep: until the next timer, capped by the
 * caller's timeout (-1 meaning no cap). */
static int wait_timeout(const struct loop *l, int timeout_ms)
{
	uint64_t until;

	if (l->heap_len == 0)
		return timeout_ms < 0 ? -1 : timeout_ms;
	until = l->heap[0].when_ms > l->now_ms ?
		l->heap[0].when_ms - l->now_ms : 0;
	if (until > INT_MAX)
		until = INT_MAX;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < until)
		return timeout_ms;
	return (int)until;
}

/* One iteration: wait, deliver fd events and signals, then fire the timers
 * that are due. Not reentrant: a callback must not call it. Returns the
 * number of callbacks run, or -1 with errno when epoll_wait or the signalfd
 * fails (the batch is still finished and the timers still fire). */
/* ---- before-sleep hooks ---- */

int loop_add_before_sleep(struct loop *l, loop_hook_fn fn, void *arg)
{
	for (size_t i = 0; i < l->n_hooks; i++) {
		if (l->hooks[i].fn == fn && l->hooks[i].arg == arg) {
			errno = EEXIST;
			return -1;
		}
	}
	if (l->n_hooks == LOOP_HOOKS_MAX) {
		errno = ENOSPC;
		return -1;
	}
	l->hooks[l->n_hooks].fn = fn;
	l->hooks[l->n_hooks].arg = arg;
	l->n_hooks++;
	return 0;
}

/* Drops the slots emptied while the hooks ran, keeping the order. */
static void hooks_compact(struct loop *l)
{
	size_t j = 0;

	for (size_t i = 0; i < l->n_hooks; i++)
		if (l->hooks[i].fn)
			l->hooks[j++] = l->hooks[i];
	l->n_hooks = j;
}

void loop_del_before_sleep(struct loop *l, loop_hook_fn fn, void *arg)
{
	for (size_t i = 0; i < l->n_hooks; i++) {
		if (l->hooks[i].fn != fn || l->hooks[i].arg != arg)
			continue;
		l->hooks[i].fn = NULL;
		if (!l->in_hooks)
			hooks_compact(l);
		return;
	}
}

/* Runs every hook once. One added by a hook runs from the next
 * iteration on; one removed by a hook before its turn does not run. */
static void run_hooks(struct loop *l)
{
	size_t n = l->n_hooks;

	if (!n)
		return;
	l->in_hooks = true;
	for (size_t i = 0; i < n; i++)
		if (l->hooks[i].fn)
			l->hooks[i].fn(l, l->hooks[i].arg);
	l->in_hooks = false;
	hooks_compact(l);
}

int loop_run_once(struct loop *l, int timeout_ms)
{
	int n, i, ran = 0, err = 0;

	loop_update_time(l);
	run_hooks(l);
	/* A new batch: fds given away before it (by a hook, a timer) get
	 * its events. */
	if (++l->iter == 0)
		l->iter = 1;	/* 0 marks an fd never given */
	n = epoll_wait(l->epfd, l->batch, LOOP_BATCH, wait_timeout(l, timeout_ms));
	if (n < 0) {
		if (errno != EINTR)
			return -1;
		n = 0;
	}
	loop_update_time(l);

	for (i = 0; i < n; i++) {
		uint64_t token = l->batch[i].data.u64;
		int fd = (int)(uint32_t)token;
		struct loop_fd *e;

		if (token == LOOP_SIG_TOKEN) {
			int r = read_signals(l);

			if (r < 0)
				err = errno;
			else
				ran += r;
			continue;
		}
		/* Removed (or removed and watched anew) since the kernel
		 * queued this event, or a closed file a forked child still
		 * held: not delivered. */
		e = fd_lookup(l, fd);
		if (!e || e->gen != (uint32_t)(token >> 32) || e->given_iter == l->iter)
			continue;
		/* Copies: the callback may grow (move) the table. */
		{
			loop_fd_fn fn = e->fn;
			void *arg = e->arg;

			fn(l, fd, l->batch[i].events, arg);
		}
		ran++;
	}

	ran += fire_timers(l);
	if (err) {
		errno = err;
		return -1;
	}
	return ran;
}

/* Runs iterations until a callback calls loop_stop(). A stop requested
 * before the call is forgotten, so each loop_run() ends only on a stop made
 * while it runs. */
int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		if (loop_run_once(l, -1) < 0) {
			l->stop = false;
			return -1;
		}
	}
	l->stop = false;
	return 0;
}

/* Asks loop_run() to return once the current iteration is over. */
void loop_stop(struct loop *l)
{
	l->stop = true;
}
