/* lvs_quorum: keepalived's quorum for a virtual server.
 *
 * The weights of its live real servers (health up, not disabled; the
 * weight they have in IPVS) are summed. With the quorum up, it is lost
 * when the sum drops below quorum - hysteresis; with it down, it is
 * gained again at quorum + hysteresis, so a pool hovering at the quorum
 * does not flap. A virtual server starts with the quorum up when its sum
 * reaches quorum + hysteresis. On each change the quorum_up / quorum_down
 * script runs (through the script runner); while the quorum is lost and a
 * sorry_server is set, the sorry server alone serves (lvs_desired.c).
 * With omega, a virtual server that goes away with its quorum up (a
 * reload removed it, or softlbd stops) runs its quorum_down too, as the
 * check engine runs its real servers' notify_down then.
 * A virtual server with neither a sorry server nor a quorum script is not
 * tracked here at all: its quorum would change nothing. */
#include "config.h"

#include "lvs/lvs_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "core/loop.h"
#include "script/runner.h"
#include "util/strvec.h"
#include "util/xalloc.h"

/* How long a quorum_up / quorum_down script may run. */
#define QUORUM_SCRIPT_TIMEOUT_MS 30000u
/* How long a stop waits for the quorum scripts, as the check engine waits
 * for omega's notify_down: a hung script cannot hold up a stop. */
#define QUORUM_STOP_WAIT_MS 5000u

static void forget_script(struct lvs_engine *e, uint64_t id)
{
	for (size_t i = 0; i < e->n_scripts; i++) {
		if (e->scripts[i] == id) {
			e->scripts[i] = e->scripts[--e->n_scripts];
			return;
		}
	}
}

static void on_done(const struct script_result *res, void *arg)
{
	struct lvs_engine *e = arg;

	forget_script(e, res->id);
	if (!res->started)
		log_warn("LVS: quorum script did not start: %s", res->line);
	else if (res->timed_out)
		log_warn("LVS: quorum script killed after %u ms: %s", res->duration_ms, res->line);
	else if (!res->exited || res->exit_code != 0)
		log_warn("LVS: quorum script %s %d: %s", res->exited ? "exited" : "killed by signal",
			 res->exited ? res->exit_code : res->signo, res->line);
}

/* Runs a quorum_up / quorum_down command line, if there is one. */
static void run_script(struct lvs_engine *e, const char *what, const char *line,
		       const char *vs_name, const char *user)
{
	struct script_runner *r = e->d->scripts;
	struct strvec argv = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;
	uint64_t id = 0;

	if (!line || !*line)
		return;
	if (!r)
		log_warn("LVS: %s of %s not run: no script runner", what, vs_name);
	else if (script_split_cmdline(line, &argv, &err) < 0 || argv.len == 0)
		log_warn("LVS: %s of %s: %s", what, vs_name, strbuf_str(&err));
	else if (script_run(r, argv.items, user, QUORUM_SCRIPT_TIMEOUT_MS, on_done, e, &id) < 0)
		log_warn("LVS: %s of %s could not be started", what, vs_name);
	else {
		if (e->n_scripts == e->cap_scripts) {
			e->cap_scripts = e->cap_scripts ? e->cap_scripts * 2 : 4;
			e->scripts = xreallocarray(e->scripts, e->cap_scripts, sizeof(*e->scripts));
		}
		e->scripts[e->n_scripts++] = id;
	}
	strvec_free(&argv);
	strbuf_free(&err);
}

/* The journal's record of a quorum change: "vs NAME", "quorum up" ->
 * "quorum lost" (or back), with the weights that decided it. The SNMP
 * engine's slbQuorumLost / slbQuorumRegained come from these. */
static void journal(struct lvs_engine *e, const char *vs_name, const char *from,
		    const char *to, long sum, long quorum, long hyst, bool up)
{
	char key[300], why[160];
	struct event_spec spec = { .engine = EVENT_LVS, .kind = EVENT_STATE, .object = key,
				   .old_state = from, .new_state = to, .reason = why };

	if (!e->d)
		return;
	snprintf(key, sizeof(key), "vs %s", vs_name);
	snprintf(why, sizeof(why), "live weight %ld %s %ld%c%ld", sum, up ? ">=" : "<", quorum,
		 up ? '+' : '-', hyst);
	events_add(e->d->events, &spec);
}

static struct lvs_quorum *find(struct lvs_engine *e, const char *vs_name)
{
	for (size_t i = 0; i < e->n_quorum; i++)
		if (strcmp(e->quorum[i].vs_name, vs_name) == 0)
			return &e->quorum[i];
	return NULL;
}

void lvs_quorum_begin(struct lvs_engine *e)
{
	for (size_t i = 0; i < e->n_quorum; i++)
		e->quorum[i].seen = false;
}

static void quorum_clear(struct lvs_quorum *q)
{
	free(q->vs_name);
	free(q->down_line);
	free(q->user);
}

/* The quorum goes down with its virtual server (omega). */
static void quorum_gone(struct lvs_engine *e, struct lvs_quorum *q, const char *why)
{
	if (!q->omega || !q->up || !q->down_line)
		return;
	q->up = false;
	log_notice("LVS: %s goes away with its quorum up (%s): omega runs quorum_down",
		   q->vs_name, why);
	run_script(e, "quorum_down", q->down_line, q->vs_name, q->user);
}

void lvs_quorum_end(struct lvs_engine *e)
{
	for (size_t i = 0; i < e->n_quorum;) {
		if (e->quorum[i].seen) {
			i++;
			continue;
		}
		quorum_gone(e, &e->quorum[i], "removed from the configuration");
		quorum_clear(&e->quorum[i]);
		e->quorum[i] = e->quorum[--e->n_quorum];
	}
}

void lvs_quorum_forget(struct lvs_engine *e, const char *vs_name)
{
	struct lvs_quorum *q = find(e, vs_name);

	if (!q)
		return;
	quorum_gone(e, q, "removed from the configuration");
	quorum_clear(q);
	*q = e->quorum[--e->n_quorum];
}

/* Keeps *dst equal to src (both may be NULL), copying only on a change:
 * desired states are rebuilt on every health transition. */
static void keep_str(char **dst, const char *src)
{
	if (src && !*src)
		src = NULL;
	if ((!*dst && !src) || (*dst && src && strcmp(*dst, src) == 0))
		return;
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

void lvs_quorum_set_user(struct lvs_engine *e, const char *user)
{
	for (size_t i = 0; i < e->n_quorum; i++)
		keep_str(&e->quorum[i].user, user);
}

bool lvs_quorum_eval(struct lvs_engine *e, const struct cfg_virtual_server *vs,
		     const char *vs_name, long sum, const char *user)
{
	long quorum = vs->quorum > 0 ? vs->quorum : 1;
	long hyst = vs->hysteresis > 0 ? vs->hysteresis : 0;
	struct lvs_quorum *q = find(e, vs_name);
	bool fresh = false;

	if (!q) {
		if (e->n_quorum == e->cap_quorum) {
			e->cap_quorum = e->cap_quorum ? e->cap_quorum * 2 : 8;
			e->quorum = xreallocarray(e->quorum, e->cap_quorum, sizeof(*e->quorum));
		}
		q = &e->quorum[e->n_quorum++];
		memset(q, 0, sizeof(*q));
		q->vs_name = xstrdup(vs_name);
		q->up = sum >= quorum + hyst;
		fresh = true;
	}
	q->seen = true;
	q->omega = vs->omega == 1;
	keep_str(&q->down_line, vs->quorum_down);
	keep_str(&q->user, user);
	if (fresh) {
		if (!q->up) {
			log_notice("LVS: %s starts with its quorum down (live weight %ld < %ld+%ld)",
				   vs_name, sum, quorum, hyst);
			journal(e, vs_name, NULL, "quorum lost", sum, quorum, hyst, false);
			run_script(e, "quorum_down", vs->quorum_down, vs_name, user);
		}
		return q->up;
	}
	if (q->up && sum < quorum - hyst) {
		q->up = false;
		log_notice("LVS: %s lost its quorum (live weight %ld < %ld-%ld)%s", vs_name, sum,
			   quorum, hyst, vs->sorry_server.addr.af != CFG_AF_ANY
			   ? ": the sorry server serves" : "");
		journal(e, vs_name, "quorum up", "quorum lost", sum, quorum, hyst, false);
		run_script(e, "quorum_down", vs->quorum_down, vs_name, user);
	} else if (!q->up && sum >= quorum + hyst) {
		q->up = true;
		log_notice("LVS: %s gained its quorum (live weight %ld >= %ld+%ld)", vs_name, sum,
			   quorum, hyst);
		journal(e, vs_name, "quorum lost", "quorum up", sum, quorum, hyst, true);
		run_script(e, "quorum_up", vs->quorum_up, vs_name, user);
	}
	return q->up;
}

void lvs_quorum_free(struct lvs_engine *e)
{
	for (size_t i = 0; i < e->n_scripts; i++)
		if (e->d->scripts)
			script_cancel(e->d->scripts, e->scripts[i]);
	free(e->scripts);
	e->scripts = NULL;
	e->n_scripts = e->cap_scripts = 0;
	for (size_t i = 0; i < e->n_quorum; i++)
		quorum_clear(&e->quorum[i]);
	free(e->quorum);
	e->quorum = NULL;
	e->n_quorum = e->cap_quorum = 0;
}

void lvs_quorum_shutdown(struct lvs_engine *e)
{
	struct loop *l = e->d->loop;
	uint64_t deadline;

	for (size_t i = 0; i < e->n_quorum; i++)
		quorum_gone(e, &e->quorum[i], "softlbd stopping");
	if (!l)
		return;
	deadline = loop_update_time(l) + QUORUM_STOP_WAIT_MS;
	while (e->n_scripts && loop_update_time(l) < deadline)
		if (loop_run_once(l, 100) < 0)
			break;
	if (e->n_scripts)
		log_warn("LVS: %zu quorum script%s still running after %u s: killed", e->n_scripts,
			 e->n_scripts == 1 ? "" : "s", QUORUM_STOP_WAIT_MS / 1000);
}
