/* runner: runs scripts through one helper process (types in runner-t.h).
 *
 * Why a helper: softlbd will have threads (the proxy workers), and a
 * threaded process must not fork and then do real work in the child. So
 * one small process is forked from main() at launch, before the loop and
 * before any thread, and every script is forked from it. softlbd talks to
 * it over a SOCK_SEQPACKET socketpair, one message per request or reply
 * (wire.h).
 *
 * Each script: fork + execve, never a shell (argv[0] is a path, or a name
 * looked up in the clean PATH); environment PATH=/usr/sbin:/usr/bin:/sbin:/bin
 * and nothing else; fds 0 (/dev/null), 1 and 2 (one pipe, whose first line
 * is kept) and no other; its own process group; the given user when the
 * helper runs as root (setgid, initgroups, setuid); at the timeout SIGTERM
 * to the process group, SCRIPT_KILL_GRACE_MS later SIGKILL. The helper
 * reaps through a signalfd for SIGCHLD.
 *
 * At most `limit` scripts run at once; more wait here in request order.
 * If the helper dies, softlbd logs it, fails the scripts it was running
 * ("script helper died"), and forks a new one (at most once a second).
 * A restart necessarily forks from softlbd as it is then; the helper's
 * code uses only fork-safe calls before it has its own process image
 * state (no stdio, no syslog, no locks but malloc's, which glibc resets
 * in the child).
 *
 * Users: health checks (MISC_CHECK) and VRRP (track and notify scripts)
 * share the one runner in struct softlbd (d->scripts).
 */
#ifndef SOFTLB_SCRIPT_RUNNER_H
#define SOFTLB_SCRIPT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "script/runner-t.h"

struct loop;
struct strbuf;
struct strvec;
struct script_runner;

/* Forks the helper. Call from main() before any thread exists and before
 * signals are blocked for the loop. Returns 0 with *out set, or -1 with
 * the reason in err. */
int script_runner_start(struct script_runner **out, struct strbuf *err);
/* Registers the runner's socket with l; requests made before this wait.
 * Returns 0, or -1 with errno. */
int script_runner_attach(struct script_runner *r, struct loop *l);
/* Sets how many scripts may run at once (at least 1). */
void script_runner_set_limit(struct script_runner *r, unsigned limit);
/* enable_script_security. Every run is checked, when the helper starts
 * it, against keepalived's rule (secure.h): a script that would run with
 * root's privileges although someone else could change its file or a
 * directory on its path is, with enforce, not run (its result: !started,
 * refused_unsafe, line "unsafe permissions: PATH: REASON"); without, it
 * runs. Either way the reason is logged once. Scripts already asked for
 * keep the setting they were asked with. */
void script_runner_set_security(struct script_runner *r, bool enforce);

/* Asks for argv (NULL-terminated; argv[0] the program) to run as user
 * (NULL: softlbd's own user) for at most timeout_ms (0: no timeout).
 * cb(res, arg) runs once it ends. Returns 0 with the run's id in *id (may
 * be NULL), or -1 with errno (EINVAL: empty argv, or longer than
 * SCRIPT_ARGV_MAX). argv and user are copied. */
int script_run(struct script_runner *r, char *const argv[], const char *user,
	       unsigned timeout_ms, script_done_fn cb, void *arg, uint64_t *id);
/* Forgets a run: its callback will not be called. A script still running
 * is killed (SIGKILL to its process group). Unknown ids are ignored. */
void script_cancel(struct script_runner *r, uint64_t id);

/* Counters for show commands. */
struct script_runner_stats {
	long helper_pid;	/* 0 while restarting */
	unsigned running;	/* sent to the helper, not yet reported */
	unsigned queued;	/* waiting for a free slot */
	unsigned limit;
	uint64_t runs;		/* reported so far */
	uint64_t timeouts;
	unsigned restarts;	/* helper restarts */
	uint64_t refused_unsafe;	/* not run: enable_script_security */
};
void script_runner_get_stats(const struct script_runner *r, struct script_runner_stats *st);

/* Stops the helper (it kills what still runs) and frees r; callbacks of
 * unfinished runs are not called. NULL is fine. */
void script_runner_stop(struct script_runner *r);

/* Splits a command line ("/usr/bin/check -p 80 'a b'") into words: blanks
 * separate, single or double quotes group, backslash escapes one character
 * (as keepalived splits misc_path and script lines). Returns 0, or -1 with
 * the reason in err (unterminated quote, empty line). */
int script_split_cmdline(const char *line, struct strvec *argv, struct strbuf *err);

#endif
