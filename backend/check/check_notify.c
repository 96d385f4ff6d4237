/* notify_up / notify_down of a keepalived real_server: a script run
 * through the script runner when the real server as a whole changes
 * state, as keepalived does. A real server with several checkers is up
 * when every one of them is up: notify_down runs when the first of them
 * fails, notify_up when the last of them recovers. (check_int.h)
 */
#include "config.h"

#include "check/check_int.h"

#include "core/log.h"
#include "script/runner.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* keepalived gives these scripts no timeout; a hung one would hold a
 * runner slot for ever, so they get the VRRP notify scripts' 30 s. */
#define CHECK_NOTIFY_TIMEOUT_MS 30000u

/* True when every target of t's real server but t is UP. Targets of one
 * real server sit next to each other in the sorted array (their names
 * share "VS/RS/", and only digits follow a port). */
static bool others_up(const struct check_engine *e, const struct check_target *t)
{
	size_t lo = 0, hi = e->n_targets;

	/* Find t itself. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->targets[mid]->name, t->name);

		if (c == 0) {
			lo = mid;
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;) {
		const struct check_target *o = e->targets[i];

		if (strcmp(o->group, t->group) != 0 || strcmp(o->member, t->member) != 0)
			break;
		if (o->state != CHECK_UP)
			return false;
	}
	for (size_t i = lo + 1; i < e->n_targets; i++) {
		const struct check_target *o = e->targets[i];

		if (strcmp(o->group, t->group) != 0 || strcmp(o->member, t->member) != 0)
			break;
		if (o->state != CHECK_UP)
			return false;
	}
	return true;
}

static bool same_member(const struct check_target *a, const struct check_target *b)
{
	return strcmp(a->group, b->group) == 0 && strcmp(a->member, b->member) == 0;
}

static void notify_done(const struct script_result *res, void *arg)
{
	struct check_engine *e = arg;
	char *what = NULL;

	for (size_t i = 0; i < e->n_notify; i++) {
		if (e->notify[i].id == res->id) {
			what = e->notify[i].what;
			e->notify[i] = e->notify[--e->n_notify];
			break;
		}
	}
	if (!what)
		return;
	if (!res->started)
		log_warn("%s did not start: %s", what, res->line);
	else if (res->timed_out)
		log_warn("%s timed out after %u s and was killed", what,
			 CHECK_NOTIFY_TIMEOUT_MS / 1000);
	else if (!res->exited)
		log_warn("%s killed by signal %d: %s", what, res->signo, res->line);
	else if (res->exit_code != 0)
		log_warn("%s exited %d: %s", what, res->exit_code, res->line);
	else
		log_info("%s done in %u ms", what, res->duration_ms);
	free(what);
}

/* Starts argv for t's real server; what names it for the log. */
static void notify_start(struct check_engine *e, const struct check_target *t,
			 const struct strvec *argv, const char *word, const char *why)
{
	struct strbuf what = STRBUF_INIT;
	uint64_t id = 0;

	strbuf_printf(&what, "real server %s of %s: %s %s", t->member, t->group, word,
		      argv->items[0]);
	if (why)
		strbuf_printf(&what, " (omega: %s)", why);
	if (!e->scripts) {
		log_warn("%s: no script runner in this process", what.data);
		strbuf_free(&what);
		return;
	}
	if (script_run(e->scripts, argv->items, t->notify_user, CHECK_NOTIFY_TIMEOUT_MS,
		       notify_done, e, &id) < 0) {
		log_warn("%s could not be started", what.data);
		strbuf_free(&what);
		return;
	}
	if (why)
		log_info("%s", what.data);
	if (e->n_notify == e->cap_notify) {
		e->cap_notify = e->cap_notify ? e->cap_notify * 2 : 8;
		e->notify = xreallocarray(e->notify, e->cap_notify, sizeof(*e->notify));
	}
	e->notify[e->n_notify].id = id;
	e->notify[e->n_notify].what = strbuf_detach(&what);
	e->n_notify++;
}

void check_notify_transition(struct check_target *t, enum check_state from)
{
	const struct strvec *argv = t->state == CHECK_UP ? &t->notify_up : &t->notify_down;

	if (t->state == from || argv->len == 0 || !others_up(t->e, t))
		return;
	notify_start(t->e, t, argv, t->state == CHECK_UP ? "notify_up" : "notify_down", NULL);
}

void check_notify_gone(struct check_engine *e, struct check_target *const *targets, size_t n,
		       size_t idx, const char *why)
{
	const struct check_target *t = targets[idx];

	if (!t->omega || t->notify_down.len == 0)
		return;
	/* Once per real server: at its first target. Its targets sit next
	 * to each other in the sorted array. */
	if (idx > 0 && same_member(targets[idx - 1], t))
		return;
	for (size_t i = idx; i < n && same_member(targets[i], t); i++)
		if (targets[i]->state != CHECK_UP)
			return;
	notify_start(e, t, &t->notify_down, "notify_down", why);
}

void check_notify_free(struct check_engine *e)
{
	for (size_t i = 0; i < e->n_notify; i++) {
		if (e->scripts)
			script_cancel(e->scripts, e->notify[i].id);
		free(e->notify[i].what);
	}
	free(e->notify);
	e->notify = NULL;
	e->n_notify = e->cap_notify = 0;
}
