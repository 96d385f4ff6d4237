/* runner-t.h: types of the script runner (types only; see runner.h).
 *
 * Scripts (health-check MISC_CHECKs, VRRP track and notify scripts) never
 * run from softlbd itself: a small helper process, forked at launch before
 * any thread exists, runs them on request and reports how each ended.
 */
#ifndef SOFTLB_SCRIPT_RUNNER_T_H
#define SOFTLB_SCRIPT_RUNNER_T_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes kept of a script's first line of output (with the NUL). */
#define SCRIPT_LINE_MAX 256
/* Longest argument vector accepted, all strings together. */
#define SCRIPT_ARGV_MAX 16384
/* Scripts running at once unless script_runner_set_limit() says otherwise;
 * more wait in the runner's queue, in request order. */
#define SCRIPT_DEFAULT_LIMIT 64
/* After SIGTERM at the timeout, how long a script's process group has
 * before SIGKILL. */
#define SCRIPT_KILL_GRACE_MS 1000

/* How one script run ended. Exactly one of these holds:
 *   !started               it never ran; line says why ("unknown user x",
 *                          "script helper died", "unsafe permissions: ...")
 *   started && exited      it exited with exit_code
 *   started && !exited     it was killed by signo; timed_out says whether
 *                          softlb killed it for running past its timeout
 * A script that cannot be executed (no such file, not executable) does
 * start: it exits 127 (126 when not executable) with the reason as its
 * line, as a shell would. */
struct script_result {
	uint64_t id;			/* as returned by script_run() */
	bool started;
	bool exited;
	int exit_code;			/* 0-255 when exited */
	int signo;			/* the killing signal when !exited */
	bool timed_out;			/* ran past its timeout: SIGTERM to its
					 * process group, then SIGKILL */
	bool refused_unsafe;		/* !started: enable_script_security
					 * refused it (script_runner_set_security) */
	unsigned duration_ms;		/* from fork to reaping */
	char line[SCRIPT_LINE_MAX];	/* first line of stdout+stderr, control
					 * characters replaced by '?' */
};

/* Called once per script_run() that was not cancelled, from the event
 * loop (never from inside script_run()). res is valid during the call. */
typedef void (*script_done_fn)(const struct script_result *res, void *arg);

#endif
