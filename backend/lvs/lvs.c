/* lvs: the LVS engine as a softlbd module.
 *
 * init opens one IPVS handle for the daemon's life. Without IPVS in the
 * kernel the engine says so once, reports UNAVAILABLE, and softlbd runs
 * on. Otherwise it adopts what the kernel already holds and reconciles at
 * start, on every configuration change (apply), on every operator
 * override or health report, and from a timer that repairs drift.
 * Stopping softlbd leaves the kernel's table as it is: a restart drops
 * nothing.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/changeset.h"
#include "config/conf.h"
#include "core/daemon.h"
#include "core/log.h"
#include "lvs/ipvs.h"
#include "util/xalloc.h"

/* Arms the next reconcile pass: every interval, every second while a real
 * server drains (so it is deleted soon after its last connection). */
void lvs_schedule(struct lvs_engine *e)
{
	uint64_t delay = e->interval_ms;

	if (e->n_drains && delay > 1000)
		delay = 1000;
	loop_timer_start(e->d->loop, &e->timer, delay);
}

/* The timer: one non-strict pass; failures are logged by the pass. */
static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct lvs_engine *e = arg;
	struct strbuf err = STRBUF_INIT;

	(void)l;
	(void)t;
	lvs_reconcile_some(e, &err);
	strbuf_free(&err);
	lvs_schedule(e);
}

struct lvs_engine *lvs_engine_of(struct softlbd *d)
{
	return d ? d->engines.lvs : NULL;
}

/* The health table is indexed by its entries' typed keys; an item is a
 * position + 1 in e->health (which moves as it grows), resolved through
 * the engine. */
static const void *health_key_in(const void *ctx, const void *item)
{
	const struct lvs_engine *e = ctx;

	return &e->health[(uintptr_t)item - 1].key;
}

static uint32_t health_hash(const void *key)
{
	return cfg_rs_key_hash(key);
}

static bool health_equal(const void *a, const void *b)
{
	return cfg_rs_key_equal(a, b);
}

static const struct hindex_ops health_ops = { NULL, health_hash, health_equal, health_key_in };

static long health_at(const struct lvs_engine *e, const struct cfg_rs_key *key)
{
	void *item;

	if (!e->health_idx.ops)
		return -1;	/* nothing was ever reported */
	item = hindex_find(&e->health_idx, key);
	return item ? (long)((uintptr_t)item - 1) : -1;
}

const struct lvs_health *lvs_health_find(const struct lvs_engine *e, const struct cfg_rs_key *key)
{
	long i = health_at(e, key);

	return i < 0 ? NULL : &e->health[i];
}

/* The health entry of key, created (up, no dynamic weight) when create. */
static struct lvs_health *health_entry(struct lvs_engine *e, const struct cfg_rs_key *key,
				       bool create)
{
	long i = health_at(e, key);
	struct lvs_health *hp;

	if (i >= 0)
		return &e->health[i];
	if (!create)
		return NULL;
	if (!e->health_idx.ops)
		hindex_init_ctx(&e->health_idx, &health_ops, e);
	if (e->n_health == e->cap_health) {
		e->cap_health = e->cap_health ? e->cap_health * 2 : 8;
		e->health = xreallocarray(e->health, e->cap_health, sizeof(*e->health));
	}
	hp = &e->health[e->n_health++];
	hp->key = *key;
	hp->up = true;
	hp->weight = -1;
	hindex_add(&e->health_idx, (void *)(uintptr_t)e->n_health);
	return hp;
}

/* Drops an entry that says nothing any more (up, no dynamic weight); the
 * last entry takes its place. */
static void health_trim(struct lvs_engine *e, struct lvs_health *hp)
{
	size_t i = (size_t)(hp - e->health), last = e->n_health - 1;

	if (!hp->up || hp->weight >= 0)
		return;
	hindex_remove(&e->health_idx, (void *)(uintptr_t)(i + 1));
	if (i != last) {
		hindex_remove(&e->health_idx, (void *)(uintptr_t)(last + 1));
		e->health[i] = e->health[last];
		hindex_add(&e->health_idx, (void *)(uintptr_t)(i + 1));
	}
	e->n_health--;
}

int lvs_set_rs_up(struct softlbd *d, const struct cfg_rs_key *key, bool up, struct strbuf *err)
{
	struct lvs_engine *e = lvs_engine_of(d);
	struct strbuf name = STRBUF_INIT;
	struct lvs_health *hp;

	if (!e) {
		strbuf_puts(err, "the LVS engine is not running");
		return -1;
	}
	/* up is the default: nothing to remember for a server not listed. */
	hp = health_entry(e, key, !up);
	if (!hp || hp->up == up)
		return 0;
	hp->up = up;
	/* The name is formatted for the log line alone, never to find
	 * anything. */
	cfg_rs_key_format(key, &name);
	log_notice("%s is %s", strbuf_str(&name), up ? "up" : "down");
	strbuf_free(&name);
	health_trim(e, hp);
	if (!e->h || e->starting)
		return 0;	/* starting: lvs_init builds and reconciles next */
	lvs_mark(e, &key->vs);	/* flushed before the loop sleeps */
	return 0;
}

int lvs_set_rs_weight(struct softlbd *d, const struct cfg_rs_key *key, int weight,
		      struct strbuf *err)
{
	struct lvs_engine *e = lvs_engine_of(d);
	struct strbuf name = STRBUF_INIT;
	struct lvs_health *hp;

	if (!e) {
		strbuf_puts(err, "the LVS engine is not running");
		return -1;
	}
	if (weight < 0)
		weight = -1;
	hp = health_entry(e, key, weight >= 0);
	if (!hp || hp->weight == weight)
		return 0;
	cfg_rs_key_format(key, &name);
	log_notice("%s: dynamic weight %d", strbuf_str(&name), weight);
	strbuf_free(&name);
	hp->weight = weight;
	health_trim(e, hp);
	if (!e->h || e->starting)
		return 0;	/* starting: lvs_init builds and reconciles next */
	lvs_mark(e, &key->vs);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The module                                                          */

static int lvs_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct lvs_engine *e = xcalloc(1, sizeof(*e));
	struct strbuf msg = STRBUF_INIT;
	uint64_t t0, t1, t2;
	char *nl;

	e->d = d;
	e->interval_ms = (uint64_t)(d->opts.lvs_reconcile_interval_s ? d->opts.lvs_reconcile_interval_s
								       : 5) * 1000u;
	e->drain_timeout_ms = (uint64_t)d->opts.lvs_drain_timeout_s * 1000u;
	loop_timer_init(&e->timer, on_timer, e);
	*priv = e;
	d->engines.lvs = e;
	if (lvs_cmds_register(d->grammar, err) < 0 || lvs_table_register(d->grammar, err) < 0)
		return -1;
	if (ipvs_open(&e->h, &msg) < 0) {
		/* Not fatal: every other engine runs without IPVS. */
		e->st.state = MODULE_UNAVAILABLE;
		snprintf(e->st.reason, sizeof(e->st.reason), "%s", strbuf_str(&msg));
		nl = strchr(e->st.reason, '\n');
		if (nl)
			*nl = '\0';
		log_warn("%s", e->st.reason);
		strbuf_free(&msg);
		return 0;
	}
	e->st.state = MODULE_RUNNING;
	if (ipvs_get_info(e->h, &e->info, &msg) < 0)
		log_warn("%s", strbuf_str(&msg));
	strbuf_reset(&msg);
	/* Before the first build: the sync daemon's role is the VRRP
	 * instance's live state. */
	lvs_vrrp_start(e);
	t0 = loop_update_time(d->loop);
	/* Before the desired state, so that servers the checks already
	 * hold down are never programmed up; while starting, each one is
	 * only recorded (a refresh for each was a whole pass per server
	 * down before the first one). */
	e->starting = true;
	lvs_health_start(d);
	e->starting = false;
	t1 = loop_update_time(d->loop);
	lvs_desired_build(e, d->config, d->runtime);
	/* The overrides in force are those the build used. */
	lvs_mark_overrides(e);
	e->n_marked = 0;
	lvs_index_free(&e->marked_idx);
	t2 = loop_update_time(d->loop);
	/* Not strict: a configuration the kernel refuses in part (a
	 * scheduler module missing) still gets the rest programmed. */
	lvs_reconcile(e, false, true, &msg);
	log_debug("LVS start: health subscriptions %llu ms, desired state %llu ms, "
		  "first pass %llu ms", (unsigned long long)(t1 - t0),
		  (unsigned long long)(t2 - t1),
		  (unsigned long long)(loop_update_time(d->loop) - t2));
	log_notice("LVS: IPVS %u.%u.%u, %zu services wanted, %zu owned, reconcile every %llu s",
		   (e->info.version >> 16) & 0xff, (e->info.version >> 8) & 0xff,
		   e->info.version & 0xff, e->want.n_svcs, e->n_owned,
		   (unsigned long long)(e->interval_ms / 1000));
	lvs_changed_start(e);
	lvs_schedule(e);
	strbuf_free(&msg);
	return 0;
}

/* Applies a configuration change: only the virtual servers its items
 * name are rebuilt and brought in line (lvs_changed.c), at once. If the
 * kernel refuses any part (an unknown scheduler, a bad address), the
 * flush stops, the same virtual servers are rebuilt from the old
 * configuration and brought back, and the change is refused with the
 * kernel's reason. */
static int lvs_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
		     struct strbuf *err)
{
	struct lvs_engine *e = priv;
	struct strbuf ignored = STRBUF_INIT;

	(void)d;
	if (!e->h || !config_changeset_touches(cs, CONFIG_KINDS_LVS))
		return 0;
	/* Whatever was marked before (health reports of this loop pass)
	 * goes with this flush, against the model being applied. */
	lvs_cfg_index_reset(e);
	lvs_mark_changeset(e, cs, false);
	if (lvs_flush(e, cs->new_cfg, true, err) == 0)
		return 0;
	lvs_cfg_index_reset(e);
	lvs_mark_changeset(e, cs, true);
	lvs_flush(e, cs->old_cfg, false, &ignored);
	strbuf_free(&ignored);
	return -1;
}

/* An operator override changed: only its virtual server is rebuilt and
 * brought in line, at once, so that the command returns with the kernel
 * done, or with its refusal. */
static int lvs_runtime_changed(struct softlbd *d, void *priv, struct strbuf *err)
{
	struct lvs_engine *e = priv;

	if (!e->h)
		return 0;
	lvs_mark_overrides(e);
	return lvs_flush(e, d->config, true, err);
}

static void lvs_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct lvs_engine *e = priv;
	size_t rs = 0;

	(void)d;
	if (!e->h) {
		*st = e->st;
		return;
	}
	for (size_t i = 0; i < e->want.n_svcs; i++)
		rs += e->want.svcs[i].n_dests;
	st->state = e->want.n_svcs || e->want.want_daemon ? MODULE_RUNNING
							  : MODULE_NOT_CONFIGURED;
	{
		struct strbuf b = STRBUF_INIT;
		struct ipvs_counters c;

		ipvs_get_counters(e->h, &c);
		strbuf_printf(&b, "IPVS %u.%u.%u: %zu services, %zu real servers, %zu draining; "
			      "%lu repairs; %llu requests, %llu services listed, "
			      "%llu real-server lists", (e->info.version >> 16) & 0xff,
			      (e->info.version >> 8) & 0xff, e->info.version & 0xff, e->want.n_svcs,
			      rs, e->n_drains, e->repairs, (unsigned long long)c.requests,
			      (unsigned long long)c.services_listed,
			      (unsigned long long)c.dest_lists);
		if (e->last_error[0])
			strbuf_printf(&b, "; last error: %s", e->last_error);
		snprintf(st->reason, sizeof(st->reason), "%.*s", (int)sizeof(st->reason) - 1,
			 strbuf_str(&b));
		strbuf_free(&b);
	}
}

static void lvs_dump(struct softlbd *d, void *priv, struct strbuf *out)
{
	struct lvs_engine *e = priv;

	(void)d;
	strbuf_printf(out, "lvs: %zu wanted, %zu owned, %zu draining, %lu passes, %lu repairs; "
		      "%lu flushes rebuilt %lu virtual servers, %lu services\n",
		      e->want.n_svcs, e->n_owned, e->n_drains, e->passes, e->repairs,
		      e->flushes, e->flushed_vs, e->flushed_svcs);
}

static void lvs_stop(struct softlbd *d, void *priv)
{
	struct lvs_engine *e = priv;

	if (!e)
		return;
	if (d->loop)
		loop_timer_stop(d->loop, &e->timer);
	lvs_changed_stop(e);
	if (e->h) {
		lvs_health_stop(d);
		lvs_vrrp_stop(e);
		/* Nothing moves a quorum any more: omega's quorum_down. */
		lvs_quorum_shutdown(e);
	}
	lvs_desired_free(&e->want);
	lvs_quorum_free(e);
	lvs_owned_free(e);
	lvs_changed_free(e);
	tbl_cache_free(&e->table);
	free(e->health);
	hindex_free(&e->health_idx);
	if (e->h)
		ipvs_close(e->h);
	free(e);
	d->engines.lvs = NULL;
}

const struct module_ops lvs_module = {
	.name = "lvs",
	.description = "IPVS services and real servers (generic netlink)",
	.init = lvs_init,
	.apply = lvs_apply,
	.runtime_changed = lvs_runtime_changed,
	.status = lvs_status,
	.dump = lvs_dump,
	.stop = lvs_stop,
};
