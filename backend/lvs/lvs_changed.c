/* lvs_changed: the LVS engine's changed set, so that the cost of a change
 * is the cost of what changed.
 *
 * A configuration change, an operator override and a health transition
 * each mark the virtual servers they touch (typed keys, lvs-t.h). A
 * flush rebuilds the desired state of just those virtual servers and
 * reads and edits in the kernel just their services: one weight typed in
 * the shell on a director with 10,000 services reads one service and its
 * real servers and edits one, where a whole rebuild and a full pass dumped
 * all 10,000. Health transitions are flushed once per loop pass, from the
 * loop's before-sleep hook (Redis ae.c's beforesleep), however many came
 * in; a configuration change flushes at once and strictly (a kernel
 * refusal refuses the change, which is rolled back); an override flushes
 * at once, so that the operator's command returns with the kernel done
 * and is told of a refusal. The timer's drift repair (lvs_reconcile.c)
 * still compares everything, a slice per pass.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <stdlib.h>
#include <string.h>

#include "config/changeset.h"
#include "config/conf.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/runtime.h"
#include "util/xalloc.h"

static const struct cfg_vs_key *array_key_at(const void *arr, size_t i)
{
	return &((const struct cfg_vs_key *)arr)[i];
}

/* ------------------------------------------------------------------ */
/* The set                                                             */

/* Marks vk, with what is known of it in cfg (cfg NULL: nothing). */
static void mark_with(struct lvs_engine *e, const struct cfg_vs_key *vk,
		      const struct config *cfg, const struct cfg_virtual_server *vs)
{
	long i = lvs_vsx_find(&e->marked_idx, e->marked, array_key_at, vk);

	if (i >= 0) {
		if (cfg)
			e->hints[i] = (struct lvs_mark_hint){ cfg, vs };
		return;
	}
	if (e->n_marked == e->cap_marked) {
		e->cap_marked = e->cap_marked ? e->cap_marked * 2 : 8;
		e->marked = xreallocarray(e->marked, e->cap_marked, sizeof(*e->marked));
		e->hints = xreallocarray(e->hints, e->cap_marked, sizeof(*e->hints));
	}
	e->marked[e->n_marked] = *vk;
	e->hints[e->n_marked] = (struct lvs_mark_hint){ cfg, vs };
	e->n_marked++;
	lvs_vsx_add(&e->marked_idx, e->marked, e->n_marked - 1, array_key_at);
}

void lvs_mark(struct lvs_engine *e, const struct cfg_vs_key *vk)
{
	mark_with(e, vk, NULL, NULL);
}

void lvs_shadow(struct lvs_engine *e, const struct cfg_vs_key *vk)
{
	for (size_t i = 0; i < e->n_shadowed; i++)
		if (cfg_vs_key_equal(&e->shadowed[i], vk))
			return;
	if (e->n_shadowed == e->cap_shadowed) {
		e->cap_shadowed = e->cap_shadowed ? e->cap_shadowed * 2 : 4;
		e->shadowed = xreallocarray(e->shadowed, e->cap_shadowed, sizeof(*e->shadowed));
	}
	e->shadowed[e->n_shadowed++] = *vk;
}

/* Marks the three virtual servers a group name may be (one per protocol):
 * the model is not searched for which exist, a key it lacks costs a
 * lookup. */
static void mark_group(struct lvs_engine *e, const char *name)
{
	static const enum cfg_proto protos[] = { CFG_PROTO_TCP, CFG_PROTO_UDP, CFG_PROTO_SCTP };
	struct cfg_vs_key k;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		cfg_vs_key_group(&k, name, protos[i]);
		lvs_mark(e, &k);
	}
}

/* Marks the virtual server of an item, before (o) and after (n) it, as
 * seen from the model the flush reads (cfg, where n belongs): n with
 * itself, o with "gone" when there is no n, or nothing known when its
 * key differs from n's. */
static void mark_pair(struct lvs_engine *e, const struct config *cfg,
		      const struct cfg_virtual_server *o, const struct cfg_virtual_server *n)
{
	struct cfg_vs_key ko, kn;

	if (n) {
		lvs_vs_key_of(n, &kn);
		mark_with(e, &kn, cfg, n);
	}
	if (!o)
		return;
	lvs_vs_key_of(o, &ko);
	if (!n)
		mark_with(e, &ko, cfg, NULL);
	else if (!cfg_vs_key_equal(&ko, &kn))
		lvs_mark(e, &ko);
}

void lvs_mark_changeset(struct lvs_engine *e, const struct config_changeset *cs, bool back)
{
	const struct config *cfg = back ? cs->old_cfg : cs->new_cfg;

	for (size_t i = 0; i < cs->n_items; i++) {
		const struct config_change_item *it = &cs->items[i];
		const void *o = back ? it->new_obj : it->old_obj;
		const void *n = back ? it->old_obj : it->new_obj;
		const void *op = back ? it->new_parent : it->old_parent;
		const void *np = back ? it->old_parent : it->new_parent;

		switch (it->kind) {
		case CONFIG_OBJ_GLOBAL:
			if (!it->fields || strstr(it->fields, "lvs_timeout"))
				e->mark_timeouts = true;
			if (!it->fields || strstr(it->fields, "sync."))
				e->mark_daemon = true;
			if (!it->fields || strstr(it->fields, "script_user"))
				lvs_quorum_set_user(e, cfg->global.script_user);
			break;
		case CONFIG_OBJ_VRRP_INSTANCE:
			/* The sync daemon follows its instance's configured
			 * state while VRRP does not run it. */
			if (cs->new_cfg->global.sync.interface || cs->old_cfg->global.sync.interface)
				e->mark_daemon = true;
			break;
		case CONFIG_OBJ_VS_GROUP: {
			const struct cfg_vs_group *g = n ? n : o;

			mark_group(e, g->name);
			break;
		}
		case CONFIG_OBJ_VIRTUAL_SERVER:
			mark_pair(e, cfg, o, n);
			break;
		case CONFIG_OBJ_REAL_SERVER:
			mark_pair(e, cfg, op, np);
			break;
		default:
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Overrides                                                           */

static void mark_override(struct lvs_engine *e, const char *key)
{
	struct cfg_vs_key k[2];
	size_t n = lvs_vs_keys_of_override(key, k);

	for (size_t i = 0; i < n; i++)
		lvs_mark(e, &k[i]);
}

/* Overrides are a handful (runtime.c keeps them in an array searched
 * linearly for the same reason): comparing the two lists costs nothing
 * next to one kernel request. */
void lvs_mark_overrides(struct lvs_engine *e)
{
	const struct runtime_state *rt = e->d->runtime;
	size_t n = runtime_count(rt);
	bool *still = xcalloc(e->cap_rt_seen + 1, sizeof(*still));

	for (size_t i = 0; i < n; i++) {
		const struct runtime_override *o = runtime_at(rt, i);
		struct lvs_rt_seen *s = NULL;

		for (size_t j = 0; j < e->n_rt_seen && !s; j++)
			if (strcmp(e->rt_seen[j].key, o->key) == 0) {
				s = &e->rt_seen[j];
				still[j] = true;
			}
		if (s && s->admin == (int)o->admin && s->weight == o->weight)
			continue;
		mark_override(e, o->key);
		if (!s) {
			if (e->n_rt_seen == e->cap_rt_seen) {
				e->cap_rt_seen = e->cap_rt_seen ? e->cap_rt_seen * 2 : 8;
				e->rt_seen = xreallocarray(e->rt_seen, e->cap_rt_seen,
							   sizeof(*e->rt_seen));
				still = xreallocarray(still, e->cap_rt_seen + 1, sizeof(*still));
			}
			s = &e->rt_seen[e->n_rt_seen];
			still[e->n_rt_seen++] = true;
			s->key = xstrdup(o->key);
		}
		s->admin = (int)o->admin;
		s->weight = o->weight;
	}
	/* Gone (restored, or pruned with its real server). */
	for (size_t j = e->n_rt_seen; j-- > 0;) {
		if (still[j])
			continue;
		mark_override(e, e->rt_seen[j].key);
		free(e->rt_seen[j].key);
		e->rt_seen[j] = e->rt_seen[--e->n_rt_seen];
		still[j] = still[e->n_rt_seen];
	}
	free(still);
}

/* ------------------------------------------------------------------ */
/* The model's index                                                   */

void lvs_cfg_index_reset(struct lvs_engine *e)
{
	e->cfgx.cfg = NULL;
}

static void cfg_index_build(struct lvs_engine *e, const struct config *cfg)
{
	struct lvs_cfg_index *x = &e->cfgx;

	free(x->keys);
	x->keys = xreallocarray(NULL, cfg->n_vs + 1, sizeof(*x->keys));
	x->n = cfg->n_vs;
	for (size_t i = 0; i < cfg->n_vs; i++)
		lvs_vs_key_of(cfg->vs[i], &x->keys[i]);
	/* The first of equal keys wins, as in config_find_vs_at(). */
	lvs_vsx_build(&x->idx, NULL, 0, array_key_at);
	for (size_t i = 0; i < cfg->n_vs; i++)
		lvs_vsx_add(&x->idx, x->keys, i, array_key_at);
	x->cfg = cfg;
	x->built = true;
	x->builds++;
}

/* The position of vk in cfg by the index, or -1; -2 when the index
 * proved stale. */
static long cfg_index_lookup(struct lvs_engine *e, const struct config *cfg,
			     const struct cfg_vs_key *vk)
{
	struct lvs_cfg_index *x = &e->cfgx;
	long i = lvs_vsx_find(&x->idx, x->keys, array_key_at, vk);
	struct cfg_vs_key now;

	if (i < 0)
		return -1;
	/* A model replaced without a change the engine was told of (a
	 * reload with nothing different) has the same virtual servers,
	 * maybe in another order: a hit is checked against it. */
	if ((size_t)i >= cfg->n_vs)
		return -2;
	lvs_vs_key_of(cfg->vs[i], &now);
	return cfg_vs_key_equal(&now, vk) ? i : -2;
}

const struct cfg_virtual_server *lvs_cfg_find(struct lvs_engine *e, const struct config *cfg,
					      const struct cfg_vs_key *vk)
{
	long i;

	if (!cfg)
		return NULL;
	/* A new model of the same size keeps the index: an edit replaces
	 * the model for every change, and rebuilding the index of 10,000
	 * services for each was most of what the flush of one cost. A hit
	 * is checked against the model; a miss in a model the index was
	 * not built from is confirmed by a rebuild. */
	if (!e->cfgx.built || e->cfgx.n != cfg->n_vs)
		cfg_index_build(e, cfg);
	i = cfg_index_lookup(e, cfg, vk);
	if (i == -2 || (i == -1 && e->cfgx.cfg != cfg)) {
		cfg_index_build(e, cfg);
		i = cfg_index_lookup(e, cfg, vk);
	}
	return i >= 0 ? cfg->vs[i] : NULL;
}

/* ------------------------------------------------------------------ */
/* The flush                                                           */

int lvs_flush(struct lvs_engine *e, const struct config *cfg, bool strict, struct strbuf *err)
{
	struct lvs_keyset touched = { 0 };
	size_t rebuilt = 0;
	uint64_t t0;
	int rc = 0;

	if (!e->n_marked && !e->mark_timeouts && !e->mark_daemon)
		return 0;
	t0 = loop_update_time(e->d->loop);
	/* Rebuilding one may mark others (those it had shadowed): until
	 * the set is empty. */
	while (e->n_marked) {
		struct cfg_vs_key *todo = e->marked;
		struct lvs_mark_hint *hints = e->hints;
		size_t n = e->n_marked;

		e->marked = NULL;
		e->hints = NULL;
		e->n_marked = e->cap_marked = 0;
		lvs_index_free(&e->marked_idx);
		for (size_t i = 0; i < n; i++) {
			const struct cfg_virtual_server *vs =
				hints[i].cfg == cfg ? hints[i].vs : lvs_cfg_find(e, cfg, &todo[i]);

			if (lvs_desired_rebuild_vs(e, cfg, &todo[i], vs, &touched) &&
			    e->n_shadowed) {
				for (size_t j = 0; j < e->n_shadowed; j++)
					lvs_mark(e, &e->shadowed[j]);
				e->n_shadowed = 0;
			}
		}
		rebuilt += n;
		free(todo);
		free(hints);
	}
	if (e->mark_timeouts || e->mark_daemon)
		lvs_desired_globals(e, cfg);
	if (e->h) {
		e->last_error[0] = '\0';
		rc = lvs_reconcile_keys(e, touched.keys, touched.n, strict, err);
		if (rc == 0 && e->mark_timeouts)
			rc = lvs_reconcile_timeouts(e, strict, err);
		if (rc == 0 && e->mark_daemon)
			rc = lvs_reconcile_daemon(e, strict, err);
		lvs_schedule(e);
	}
	e->mark_timeouts = e->mark_daemon = false;
	e->flushes++;
	e->flushed_vs += rebuilt;
	e->flushed_svcs += touched.n;
	log_debug("LVS flush: %zu virtual servers rebuilt, %zu services brought in line in %llu ms",
		  rebuilt, touched.n, (unsigned long long)(loop_update_time(e->d->loop) - t0));
	lvs_keyset_free(&touched);
	return rc;
}

/* The before-sleep hook: what this loop pass marked (health reports),
 * in one flush against the running model. */
static void before_sleep(struct loop *l, void *arg)
{
	struct lvs_engine *e = arg;
	struct strbuf err = STRBUF_INIT;

	(void)l;
	if (!e->n_marked && !e->mark_timeouts && !e->mark_daemon)
		return;
	lvs_flush(e, e->d->config, false, &err);
	strbuf_free(&err);
}

void lvs_changed_start(struct lvs_engine *e)
{
	if (e->hooked || !e->d->loop)
		return;
	if (loop_add_before_sleep(e->d->loop, before_sleep, e) < 0) {
		log_warn("LVS: no room for a before-sleep hook: health reports are applied at once");
		return;
	}
	e->hooked = true;
}

void lvs_changed_stop(struct lvs_engine *e)
{
	if (e->hooked && e->d->loop)
		loop_del_before_sleep(e->d->loop, before_sleep, e);
	e->hooked = false;
}

void lvs_changed_free(struct lvs_engine *e)
{
	free(e->marked);
	free(e->hints);
	e->marked = NULL;
	e->hints = NULL;
	e->n_marked = e->cap_marked = 0;
	lvs_index_free(&e->marked_idx);
	free(e->shadowed);
	e->shadowed = NULL;
	e->n_shadowed = e->cap_shadowed = 0;
	free(e->cfgx.keys);
	lvs_index_free(&e->cfgx.idx);
	memset(&e->cfgx, 0, sizeof(e->cfgx));
	for (size_t i = 0; i < e->n_rt_seen; i++)
		free(e->rt_seen[i].key);
	free(e->rt_seen);
	e->rt_seen = NULL;
	e->n_rt_seen = e->cap_rt_seen = 0;
}
