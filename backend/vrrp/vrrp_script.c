/* Track scripts: the vrrp_script blocks some instance tracks, run on their
 * interval through the script runner (never forked from softlbd itself).
 *
 * One struct vrrp_script per vrrp_script, shared by every instance that
 * tracks it, as keepalived does: the script runs once per interval however
 * many instances watch it. When its result flips, every instance looks at
 * its tracked objects again (vrrp_track_instance), which applies the
 * weights (or the fault, for weight 0) and re-elects through the FSM.
 */
#include "config.h"

#include "vrrp/vrrp_int.h"
#include "config/conf.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "script/runner.h"
#include "util/strbuf.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct script_runner *runner_of(const struct vrrp_engine *eng)
{
	return eng->d ? eng->d->scripts : NULL;
}

static void script_free(struct vrrp_script *sc)
{
	struct script_runner *r = runner_of(sc->eng);

	if (sc->run_id && r)
		script_cancel(r, sc->run_id);
	loop_timer_stop(sc->eng->loop, &sc->timer);
	free(sc->name);
	free(sc->cmdline);
	free(sc->user);
	free(sc);
}

/* Every instance looks at its tracked objects again. */
static void retrack_all(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->n_insts; i++)
		vrrp_track_instance(eng->insts[i]);
}

/* Records how one run ended and moves the result by rise / fall. */
static void on_done(const struct script_result *res, void *arg)
{
	struct vrrp_script *sc = arg;
	bool ok = res->started && res->exited && res->exit_code == 0;
	bool was = sc->good;

	sc->run_id = 0;
	sc->runs++;
	if (!ok)
		sc->failed_runs++;
	if (!res->started)
		snprintf(sc->last, sizeof(sc->last), "did not start: %.120s", res->line);
	else if (res->timed_out)
		snprintf(sc->last, sizeof(sc->last), "timed out after %u ms", res->duration_ms);
	else if (!res->exited)
		snprintf(sc->last, sizeof(sc->last), "killed by signal %d", res->signo);
	else
		snprintf(sc->last, sizeof(sc->last), "exit %d%s%.120s", res->exit_code,
			 res->line[0] ? ": " : "", res->line);

	if (!sc->decided) {
		/* The first result decides at once (see vrrp-t.h). */
		sc->decided = true;
		sc->good = ok;
		sc->streak = 0;
	} else if (ok == sc->good) {
		sc->streak = 0;
	} else if (++sc->streak >= (ok ? sc->rise : sc->fall)) {
		sc->good = ok;
		sc->streak = 0;
	}
	if (sc->good == was)
		return;
	if (sc->good)
		log_notice("VRRP script %s: succeeded (%s)", sc->name, sc->last);
	else
		log_warn("VRRP script %s: failed (%s)", sc->name, sc->last);
	retrack_all(sc->eng);
}

/* Starts a run unless one is still going (a script slower than its
 * interval skips a round rather than piling up), then re-arms. */
static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_script *sc = arg;
	struct script_runner *r = runner_of(sc->eng);

	loop_timer_start(l, t, sc->interval_ms);
	if (sc->run_id)
		return;
	if (!r) {
		snprintf(sc->last, sizeof(sc->last), "no script runner");
		return;
	}
	{
		struct strvec argv = STRVEC_INIT;
		struct strbuf err = STRBUF_INIT;

		if (script_split_cmdline(sc->cmdline, &argv, &err) < 0 || argv.len == 0) {
			struct script_result res;

			memset(&res, 0, sizeof(res));
			snprintf(res.line, sizeof(res.line), "%s",
				 err.len ? strbuf_str(&err) : "empty command");
			on_done(&res, sc);
		} else if (script_run(r, argv.items, sc->user, sc->timeout_ms, on_done, sc,
				      &sc->run_id) < 0) {
			log_warn("VRRP script %s: could not be started", sc->name);
		}
		strvec_free(&argv);
		strbuf_free(&err);
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* True when some instance of cfg tracks the script called name. */
static bool tracked(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		for (size_t j = 0; j < cfg->vrrp[i].n_track_scripts; j++)
			if (strcmp(cfg->vrrp[i].track_scripts[j].name, name) == 0)
				return true;
	return false;
}

void vrrp_script_reconcile(struct vrrp_engine *eng, const struct config *cfg)
{
	struct vrrp_script **next = xcalloc(cfg->n_scripts ? cfg->n_scripts : 1, sizeof(*next));
	size_t n_next = 0;

	for (size_t i = 0; i < cfg->n_scripts; i++) {
		const struct cfg_vrrp_script *cs = &cfg->scripts[i];
		const char *user = cs->user ? cs->user : cfg->global.script_user;
		struct vrrp_script *sc = vrrp_script_find(eng, cs->name);

		if (!tracked(cfg, cs->name))
			continue;	/* keepalived runs only what is tracked */
		if (sc && same_str(sc->cmdline, cs->script) && same_str(sc->user, user) &&
		    sc->interval_ms == (unsigned)cs->interval_ms &&
		    sc->timeout_ms == (unsigned)cs->timeout_ms && sc->rise == cs->rise &&
		    sc->fall == cs->fall) {
			/* Unchanged: it keeps its result and its timer. */
			for (size_t j = 0; j < eng->n_scripts; j++)
				if (eng->scripts[j] == sc)
					eng->scripts[j] = NULL;
			next[n_next++] = sc;
			continue;
		}
		sc = xcalloc(1, sizeof(*sc));
		sc->eng = eng;
		sc->name = xstrdup(cs->name);
		sc->cmdline = xstrdup(cs->script ? cs->script : "");
		sc->user = user ? xstrdup(user) : NULL;
		sc->interval_ms = (unsigned)cs->interval_ms;
		sc->timeout_ms = (unsigned)cs->timeout_ms;
		sc->rise = cs->rise;
		sc->fall = cs->fall;
		sc->good = true;
		snprintf(sc->last, sizeof(sc->last), "not run yet");
		loop_timer_init(&sc->timer, on_timer, sc);
		loop_timer_start(eng->loop, &sc->timer, 0);
		next[n_next++] = sc;
	}
	/* Gone, untracked or changed: the old one stops (its run is killed). */
	for (size_t j = 0; j < eng->n_scripts; j++)
		if (eng->scripts[j])
			script_free(eng->scripts[j]);
	free(eng->scripts);
	eng->scripts = next;
	eng->n_scripts = n_next;
}

void vrrp_script_stop_all(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->n_scripts; i++)
		script_free(eng->scripts[i]);
	free(eng->scripts);
	eng->scripts = NULL;
	eng->n_scripts = 0;
}

struct vrrp_script *vrrp_script_find(const struct vrrp_engine *eng, const char *name)
{
	for (size_t i = 0; i < eng->n_scripts; i++)
		if (eng->scripts[i] && strcmp(eng->scripts[i]->name, name) == 0)
			return eng->scripts[i];
	return NULL;
}
