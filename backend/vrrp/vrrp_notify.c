/* Notify scripts of a VRRP instance: notify_master / notify_backup /
 * notify_fault / notify_stop for the state entered, then the generic
 * `notify` with keepalived's arguments (INSTANCE NAME STATE PRIORITY).
 *
 * They run through the script runner (a helper process started at launch;
 * softlbd never forks itself), and, unlike keepalived, one at a time and in
 * order for each instance: a script that reacts to MASTER never races the
 * one that reacts to the BACKUP that followed it. */
#include "config.h"

#include "vrrp/vrrp.h"
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

static void pump(struct vrrp_instance *in);

static void on_done(const struct script_result *res, void *arg)
{
	struct vrrp_instance *in = arg;

	in->notify_id = 0;
	if (!res->started)
		log_warn("VRRP instance %s: notify script did not start: %s", in->name, res->line);
	else if (res->timed_out)
		log_warn("VRRP instance %s: notify script killed after %u ms: %s", in->name,
			 res->duration_ms, res->line);
	else if (!res->exited || res->exit_code != 0)
		log_warn("VRRP instance %s: notify script %s %d: %s", in->name,
			 res->exited ? "exited" : "killed by signal",
			 res->exited ? res->exit_code : res->signo, res->line);
	else
		log_info("VRRP instance %s: notify script done in %u ms", in->name,
			 res->duration_ms);
	pump(in);
}

/* Starts the next queued script when none is running. */
static void pump(struct vrrp_instance *in)
{
	struct script_runner *r = in->eng->d ? in->eng->d->scripts : NULL;

	while (!in->notify_id && in->notify_queue.len > 0) {
		struct strvec argv = STRVEC_INIT;
		struct strbuf err = STRBUF_INIT;
		char *line = in->notify_queue.items[0];

		memmove(in->notify_queue.items, in->notify_queue.items + 1,
			in->notify_queue.len * sizeof(char *));
		in->notify_queue.len--;
		if (!r)
			log_warn("VRRP instance %s: no script runner: notify '%s' not run",
				 in->name, line);
		else if (script_split_cmdline(line, &argv, &err) < 0 || argv.len == 0)
			log_warn("VRRP instance %s: notify '%s': %s", in->name, line,
				 err.len ? strbuf_str(&err) : "empty command");
		else if (script_run(r, argv.items, NULL, NOTIFY_TIMEOUT_MS, on_done, in,
				    &in->notify_id) < 0)
			log_warn("VRRP instance %s: notify '%s' could not be started", in->name,
				 line);
		strvec_free(&argv);
		strbuf_free(&err);
		free(line);
	}
}

void vrrp_notify(struct vrrp_instance *in, enum vrrp_state state)
{
	const char *script = script_for(&in->s, state);

	if (script)
		strvec_push(&in->notify_queue, script);
	if (in->s.notify) {
		struct strbuf line = STRBUF_INIT;

		strbuf_printf(&line, "%s INSTANCE %s %s %d", in->s.notify, in->name,
			      notify_word(state), in->priority);
		strvec_push_owned(&in->notify_queue, strbuf_detach(&line));
	}
	pump(in);
}

void vrrp_notify_drop(struct vrrp_instance *in)
{
	if (in->notify_id && in->eng->d && in->eng->d->scripts)
		script_cancel(in->eng->d->scripts, in->notify_id);
	in->notify_id = 0;
	if (in->notify_queue.len)
		log_notice("VRRP instance %s: %zu notify scripts not run (instance removed)",
			   in->name, in->notify_queue.len);
	strvec_free(&in->notify_queue);
}
