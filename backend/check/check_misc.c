/* MISC_CHECK: a script through the script runner. Exit 0 is up, anything
 * else down; with misc_dynamic, exit 2-255 is up with weight = code - 2
 * (keepalived's meaning). The runner enforces misc_timeout (SIGTERM to
 * the script's process group, then SIGKILL). */
#include "config.h"

#include "check/check_int.h"

#include "script/runner.h"

#include <errno.h>
#include <string.h>

/* "KILL" for SIGKILL; never NULL. */
static const char *sig_abbrev(int signo)
{
	const char *a = sigabbrev_np(signo);

	return a ? a : "?";
}

static void misc_done(const struct script_result *res, void *arg)
{
	struct check_target *t = arg;
	struct strbuf secs = STRBUF_INIT;
	const char *sep = res->line[0] ? ": " : "";

	t->script_id = 0;
	if (!res->started) {
		check_run_end(t, false, CHECK_CODE_PROCERR, "script did not start: %s", res->line);
	} else if (res->timed_out) {
		check_put_secs(&secs, t->def.script_timeout_ms);
		check_run_end(t, false, CHECK_CODE_PROCTOUT, "script timed out after %s (%s%s)",
			      strbuf_str(&secs), res->exited ? "exited on SIGTERM" : "killed by SIG",
			      res->exited ? "" : sig_abbrev(res->signo));
	} else if (!res->exited) {
		check_run_end(t, false, CHECK_CODE_PROCERR, "script killed by signal %d (SIG%s)%s%s",
			      res->signo, sig_abbrev(res->signo), sep, res->line);
	} else if (res->exit_code == 0) {
		check_run_end(t, true, CHECK_CODE_PROCOK, "script exited 0%s%s", sep, res->line);
	} else if (t->def.dynamic && res->exit_code >= 2) {
		int w = res->exit_code - 2;

		check_set_weight(t, w);
		check_run_end(t, true, CHECK_CODE_PROCOK, "script exited %d: weight %d%s%s",
			      res->exit_code, w, sep, res->line);
	} else {
		check_run_end(t, false, CHECK_CODE_PROCERR, "script exited %d%s%s", res->exit_code,
			      sep, res->line);
	}
	strbuf_free(&secs);
}

static void misc_start(struct check_target *t)
{
	if (!t->e->scripts) {
		check_run_end(t, false, CHECK_CODE_PROCERR, "no script runner in this process");
		return;
	}
	/* The runner enforces the timeout; the engine's deadline stays off. */
	if (script_run(t->e->scripts, t->def.argv.items, t->def.user, t->def.script_timeout_ms,
		       misc_done, t, &t->script_id) < 0)
		check_run_end(t, false, CHECK_CODE_PROCERR, "cannot run the script: %s",
			      strerror(errno));
}

static void misc_abort(struct check_target *t)
{
	if (t->script_id) {
		script_cancel(t->e->scripts, t->script_id);
		t->script_id = 0;
	}
}

const struct check_ops check_misc_ops = {
	.name = "MISC_CHECK",
	.start = misc_start,
	.abort = misc_abort,
};
