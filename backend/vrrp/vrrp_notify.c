/* Notify scripts of a VRRP instance: notify_master / notify_backup /
 * notify_fault / notify_stop for the state entered, then the generic
 * `notify` with keepalived's arguments (INSTANCE NAME STATE PRIORITY).
 *
 * They run through the script runner (a helper process started at launch;
 * softlbd never forks itself), and, unlike keepalived, one at a time and in
 * order for each instance: a script that reacts to MASTER never races the
 * one that reacts to the BACKUP that followed it. */
#include "config.h"

#include "vrrp/vrrp_int.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "script/runner.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* How long one notify script may run before it is killed. */
#define NOTIFY_TIMEOUT_MS 30000u

/* The script configured for entering state (notify_master ...), or NULL. */
static const char *script_for(const struct vrrp_settings *s, enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER: return s->notify_master;
	case VRRP_STATE_BACKUP: return s->notify_backup;
	case VRRP_STATE_FAULT: return s->notify_fault;
	case VRRP_STATE_INIT:
	case VRRP_STATE_DISABLED: return s->notify_stop;
	}
	return NULL;
}

/* keepalived's words for the states, as its notify scripts receive them. */
static const char *notify_word(enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER: return "MASTER";
	case VRRP_STATE_BACKUP: return "BACKUP";
	case VRRP_STATE_FAULT: return "FAULT";
	default: return "STOP";
	}
}

static void pump(struct vrrp_notifier *n);

/* Frees a notifier whose instance is gone, once it has nothing left. */
static void reap_orphan(struct vrrp_notifier *n)
{
	struct vrrp_engine *eng = n->eng;

	if (!n->orphan || n->id || n->queue.len)
		return;
	for (size_t i = 0; i < eng->n_orphans; i++) {
		if (eng->orphans[i] == n) {
			eng->orphans[i] = eng->orphans[--eng->n_orphans];
			break;
		}
	}
	strvec_free(&n->queue);
	free(n->name);
	free(n);
}

static void on_done(const struct script_result *res, void *arg)
{
	struct vrrp_notifier *n = arg;

	n->id = 0;
	if (!res->started)
		log_warn("VRRP instance %s: notify script did not start: %s", n->name, res->line);
	else if (res->timed_out)
		log_warn("VRRP instance %s: notify script killed after %u ms: %s", n->name,
			 res->duration_ms, res->line);
	else if (!res->exited || res->exit_code != 0)
		log_warn("VRRP instance %s: notify script %s %d: %s", n->name,
			 res->exited ? "exited" : "killed by signal",
			 res->exited ? res->exit_code : res->signo, res->line);
	else
		log_info("VRRP instance %s: notify script done in %u ms", n->name,
			 res->duration_ms);
	pump(n);
	reap_orphan(n);
}

/* Starts the next queued script when none is running. */
static void pump(struct vrrp_notifier *n)
{
	struct script_runner *r = n->eng->d ? n->eng->d->scripts : NULL;
	/* global_defs script_user, as keepalived runs notify scripts. */
	const char *user = n->eng->d && n->eng->d->config
				   ? n->eng->d->config->global.script_user
				   : NULL;

	while (!n->id && n->queue.len > 0) {
		struct strvec argv = STRVEC_INIT;
		struct strbuf err = STRBUF_INIT;
		char *line = n->queue.items[0];

		memmove(n->queue.items, n->queue.items + 1, n->queue.len * sizeof(char *));
		n->queue.len--;
		if (!r)
			log_warn("VRRP instance %s: no script runner: notify '%s' not run",
				 n->name, line);
		else if (script_split_cmdline(line, &argv, &err) < 0 || argv.len == 0)
			log_warn("VRRP instance %s: notify '%s': %s", n->name, line,
				 err.len ? strbuf_str(&err) : "empty command");
		else if (script_run(r, argv.items, user, NOTIFY_TIMEOUT_MS, on_done, n, &n->id) < 0)
			log_warn("VRRP instance %s: notify '%s' could not be started", n->name,
				 line);
		strvec_free(&argv);
		strbuf_free(&err);
		free(line);
	}
}

void vrrp_notify_attach(struct vrrp_instance *in)
{
	struct vrrp_engine *eng = in->eng;

	for (size_t i = 0; i < eng->n_orphans; i++) {
		struct vrrp_notifier *n = eng->orphans[i];

		if (strcmp(n->name, in->name) == 0) {
			eng->orphans[i] = eng->orphans[--eng->n_orphans];
			n->orphan = false;
			in->notifier = n;
			return;
		}
	}
	in->notifier = xcalloc(1, sizeof(*in->notifier));
	in->notifier->eng = eng;
	in->notifier->name = xstrdup(in->name);
	strvec_init(&in->notifier->queue);
}

/* A sync group's own scripts run once the last member has reached the
 * state (keepalived: the group is MASTER when every member is), queued
 * behind that member's, with `notify` getting GROUP NAME STATE. */
static void group_notify(struct vrrp_instance *in, enum vrrp_state state)
{
	struct vrrp_group *g = in->group;
	const char *script;

	if (!g || g->notified == state)
		return;
	if (state != VRRP_STATE_MASTER && state != VRRP_STATE_BACKUP &&
	    state != VRRP_STATE_FAULT)
		return;
	for (size_t i = 0; i < g->n_members; i++)
		if (g->members[i] != in && g->members[i]->state != state)
			return;
	g->notified = state;
	script = state == VRRP_STATE_MASTER ? g->notify_master
		 : state == VRRP_STATE_BACKUP ? g->notify_backup : g->notify_fault;
	if (script)
		strvec_push(&in->notifier->queue, script);
	if (g->notify) {
		struct strbuf line = STRBUF_INIT;

		strbuf_printf(&line, "%s GROUP %s %s", g->notify, g->name, notify_word(state));
		strvec_push_owned(&in->notifier->queue, strbuf_detach(&line));
	}
}

void vrrp_notify(struct vrrp_instance *in, enum vrrp_state state)
{
	struct vrrp_notifier *n = in->notifier;
	const char *script = script_for(&in->s, state);

	if (!n)
		return;
	if (script)
		strvec_push(&n->queue, script);
	if (in->s.notify) {
		struct strbuf line = STRBUF_INIT;

		strbuf_printf(&line, "%s INSTANCE %s %s %d", in->s.notify, in->name,
			      notify_word(state), in->priority);
		strvec_push_owned(&n->queue, strbuf_detach(&line));
	}
	group_notify(in, state);
	pump(n);
}

void vrrp_notify_detach(struct vrrp_instance *in)
{
	struct vrrp_notifier *n = in->notifier;
	struct vrrp_engine *eng = in->eng;

	if (!n)
		return;
	in->notifier = NULL;
	n->orphan = true;
	eng->orphans = xrealloc(eng->orphans, (eng->n_orphans + 1) * sizeof(*eng->orphans));
	eng->orphans[eng->n_orphans++] = n;
	reap_orphan(n);
}

bool vrrp_notify_busy(const struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->n_insts; i++) {
		const struct vrrp_notifier *n = eng->insts[i]->notifier;

		if (n && (n->id || n->queue.len))
			return true;
	}
	return eng->n_orphans > 0;
}

void vrrp_notify_stop_all(struct vrrp_engine *eng)
{
	struct script_runner *r = eng->d ? eng->d->scripts : NULL;

	for (size_t i = 0; i < eng->n_orphans; i++) {
		struct vrrp_notifier *n = eng->orphans[i];

		if (n->id && r)
			script_cancel(r, n->id);
		if (n->id || n->queue.len)
			log_notice("VRRP instance %s: notify scripts still %s at exit: cancelled",
				   n->name, n->id ? "running" : "queued");
		strvec_free(&n->queue);
		free(n->name);
		free(n);
	}
	free(eng->orphans);
	eng->orphans = NULL;
	eng->n_orphans = 0;
}
