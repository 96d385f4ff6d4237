/* loop: one event loop per thread -- epoll for fds, a binary heap for
 * timers, signalfd for signals.
 *
 * A loop is owned by the thread that runs it; nothing in it is shared. All
 * callbacks run on that thread. Timers are embedded in their owner's
 * struct (no allocation per start), kept in a min-heap so that thousands of
 * health-check timers cost O(log n) each.
 *
 * Removing an fd or stopping a timer from inside any callback is safe,
 * including for an fd whose event is still pending in the current batch:
 * such an event is not delivered.
 */
#ifndef SOFTLB_CORE_LOOP_H
#define SOFTLB_CORE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/loop-t.h"

/* A new loop; NULL with errno set when epoll cannot be created. */
struct loop *loop_new(void);
/* Frees the loop. Registered fds are not closed: their owners close them. */
void loop_free(struct loop *l);

/* Watches fd for events; fn(l, fd, revents, arg) runs when any occur.
 * Returns 0, or -1 with errno (EEXIST when fd is already watched). */
int loop_add_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg);
/* Changes the events watched on fd. Returns 0 or -1 with errno. */
int loop_mod_fd(struct loop *l, int fd, uint32_t events);
/* Stops watching fd (call before closing it). Returns 0 or -1 with errno. */
int loop_del_fd(struct loop *l, int fd);
/* Stops watching fd (if watched) and closes it, leaving the kernel to drop
 * the watch on close: one system call instead of two. Only for an fd that
 * no other descriptor shares (dup, fork without exec): until the last one
 * closes, the kernel keeps reporting it, and the loop drops those events.
 * Returns what close() returns. */
int loop_close_fd(struct loop *l, int fd);
/* For an fd kept open between uses, watched with EPOLLONESHOT (health
 * checks reuse one TCP socket for many connections): loop_mute_fd() stops
 * delivering its events, without a system call (the one event its
 * one-shot watch may still raise is dropped); loop_rearm_fd() gives it a
 * new owner and events (EPOLLONESHOT included) from now on. Events taken
 * from the kernel for its earlier use are never delivered to the new one.
 * loop_rearm_fd() returns 0, or -1 with errno (ENOENT: not watched). */
void loop_mute_fd(struct loop *l, int fd);
int loop_rearm_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg);
/* For a level-triggered fd that changes hands while it stays open (the
 * proxy's idle server connections, between a session and the pool):
 * from now on fn(arg) gets its events, watched as events. An event the
 * current batch still holds for it is not delivered to anyone (level-
 * triggered: if still true, the next wait reports it to the new owner).
 * No system call when events are those already watched, which is the
 * point: loop_rearm_fd() always makes one. Not for EPOLLONESHOT or
 * EPOLLET watches (a dropped event would not come back). Returns 0, or
 * -1 with errno (ENOENT: not watched). */
int loop_give_fd(struct loop *l, int fd, uint32_t events, loop_fd_fn fn, void *arg);

void loop_timer_init(struct loop_timer *t, loop_timer_fn fn, void *arg);
/* (Re)arms t to fire once, delay_ms from the loop's current time. */
void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t delay_ms);
/* Disarms t; harmless when it is not armed. */
void loop_timer_stop(struct loop *l, struct loop_timer *t);
bool loop_timer_pending(const struct loop_timer *t);
/* Number of armed timers. */
size_t loop_timer_count(const struct loop *l);

/* Blocks signals[0..n) in the calling thread and delivers them through a
 * signalfd as fn(l, signo, arg). Call before starting other threads so
 * they inherit the blocked mask. Returns 0 or -1 with errno. */
int loop_add_signals(struct loop *l, const int *signals, size_t n,
		     loop_signal_fn fn, void *arg);

/* Before-sleep hooks (Redis ae.c's beforesleep): fn(l, arg) runs once per
 * iteration, before the loop waits for events, in the order added. The
 * place to flush work batched by the callbacks of the iteration before
 * (the LVS engine programs the services marked changed there, once, however
 * many marks came in). A hook may add timers, fds and marks; what it does
 * to the loop is seen by the wait that follows. At most LOOP_HOOKS_MAX
 * hooks. loop_add_before_sleep() returns 0, or -1 with errno ENOSPC (full)
 * or EEXIST (that fn and arg already added); loop_del_before_sleep() is
 * harmless for a hook not added, and safe from inside a hook. */
int loop_add_before_sleep(struct loop *l, loop_hook_fn fn, void *arg);
void loop_del_before_sleep(struct loop *l, loop_hook_fn fn, void *arg);

/* Milliseconds of CLOCK_MONOTONIC, refreshed once per loop iteration. */
uint64_t loop_now_ms(const struct loop *l);
/* Refreshes and returns the loop's notion of now. */
uint64_t loop_update_time(struct loop *l);

/* Runs until loop_stop(); returns 0, or -1 with errno if epoll_wait fails
 * with anything but EINTR. */
int loop_run(struct loop *l);
/* Runs one iteration, waiting at most timeout_ms (-1: until an event or
 * the next timer). Returns the number of callbacks run, or -1 with errno. */
int loop_run_once(struct loop *l, int timeout_ms);
/* Makes loop_run() return after the current iteration. */
void loop_stop(struct loop *l);

#endif
