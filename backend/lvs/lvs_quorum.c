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
 * A virtual server with neither a sorry server nor a quorum script is not
 * tracked here at all: its quorum would change nothing. */
#include "config.h"

#include "lvs/lvs.h"

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "script/runner.h"
#include "util/strvec.h"
#include "util/xalloc.h"

/* How long a quorum_up / quorum_down script may run. */
#define QUORUM_SCRIPT_TIMEOUT_MS 30000u

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
		       const char *vs_name)
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
	else if (script_run(r, argv.items, NULL, QUORUM_SCRIPT_TIMEOUT_MS, on_done, e, &id) < 0)
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

void lvs_quorum_end(struct lvs_engine *e)
{
	for (size_t i = 0; i < e->n_quorum;) {
		if (e->quorum[i].seen) {
			i++;
			continue;
		}
		free(e->quorum[i].vs_name);
		e->quorum[i] = e->quorum[--e->n_quorum];
	}
}

bool lvs_quorum_eval(struct lvs_engine *e, const struct cfg_virtual_server *vs,
		     const char *vs_name, long sum)
{
	long quorum = vs->quorum > 0 ? vs->quorum : 1;
	long hyst = vs->hysteresis > 0 ? vs->hysteresis : 0;
	struct lvs_quorum *q = find(e, vs_name);

	if (!q) {
		if (e->n_quorum == e->cap_quorum) {
			e->cap_quorum = e->cap_quorum ? e->cap_quorum * 2 : 8;
			e->quorum = xreallocarray(e->quorum, e->cap_quorum, sizeof(*e->quorum));
		}
		q = &e->quorum[e->n_quorum++];
		q->vs_name = xstrdup(vs_name);
		q->up = sum >= quorum + hyst;
		q->seen = true;
		if (!q->up) {
			log_notice("LVS: %s starts with its quorum down (live weight %ld < %ld+%ld)",
				   vs_name, sum, quorum, hyst);
			run_script(e, "quorum_down", vs->quorum_down, vs_name);
		}
		return q->up;
	}
	q->seen = true;
	if (q->up && sum < quorum - hyst) {
		q->up = false;
		log_notice("LVS: %s lost its quorum (live weight %ld < %ld-%ld)%s", vs_name, sum,
			   quorum, hyst, vs->sorry_server.addr.af != CFG_AF_ANY
			   ? ": the sorry server serves" : "");
		run_script(e, "quorum_down", vs->quorum_down, vs_name);
	} else if (!q->up && sum >= quorum + hyst) {
		q->up = true;
		log_notice("LVS: %s gained its quorum (live weight %ld >= %ld+%ld)", vs_name, sum,
			   quorum, hyst);
		run_script(e, "quorum_up", vs->quorum_up, vs_name);
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
		free(e->quorum[i].vs_name);
	free(e->quorum);
	e->quorum = NULL;
	e->n_quorum = e->cap_quorum = 0;
}
