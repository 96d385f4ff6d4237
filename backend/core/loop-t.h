/* loop-t: the event loop's types (loop.h has the functions): what a
 * struct that embeds a timer, or declares a callback, needs, without the
 * loop's prototypes. Includes only system headers. */
#ifndef SOFTLB_CORE_LOOP_T_H
#define SOFTLB_CORE_LOOP_T_H

#include <stddef.h>
#include <stdint.h>

struct loop;
struct loop_timer;

/* events is a mask of EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP ... */
typedef void (*loop_fd_fn)(struct loop *l, int fd, uint32_t events, void *arg);
typedef void (*loop_timer_fn)(struct loop *l, struct loop_timer *t, void *arg);
typedef void (*loop_signal_fn)(struct loop *l, int signo, void *arg);
typedef void (*loop_hook_fn)(struct loop *l, void *arg);

struct loop_timer {
	uint64_t when_ms;	/* CLOCK_MONOTONIC deadline */
	uint64_t seq;		/* tie-break: equal deadlines fire in start order */
	size_t heap_idx;	/* position in the heap, or SIZE_MAX when idle */
	loop_timer_fn fn;
	void *arg;
};

/* Before-sleep hooks a loop holds at most (loop_add_before_sleep). */
#define LOOP_HOOKS_MAX 8

#endif
