#include "config.h"

#include "vrrp/vrrp_int.h"
#include "vrrp/vrrp_pacer.h"
#include "config/changeset.h"
#include "config/conf.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/module.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

struct vrrp_engine *vrrp_engine_of(struct softlbd *d)
{
	return d ? d->engines.vrrp : NULL;
}

/* Instances by name: every `vrrp NAME ...` command, SNMP's traps and
 * each reload's matching look one up. */
static const void *inst_name(const void *item)
{
	return ((const struct vrrp_instance *)item)->name;
}

static uint32_t name_hash(const void *key)
{
	return hindex_fnv_str(HINDEX_FNV_SEED, key);
}

static bool name_equal(const void *a, const void *b)
{
	return strcmp(a, b) == 0;
}

static const struct hindex_ops by_name_ops = { inst_name, name_hash, name_equal };

struct vrrp_instance *vrrp_find(struct vrrp_engine *eng, const char *name)
{
	return eng && name ? hindex_find(&eng->by_name, name) : NULL;
}

/* ------------------------------------------------------------------ */
/* Instances                                                           */

/* A new instance in INIT that takes ownership of *s. */
static struct vrrp_instance *inst_new(struct vrrp_engine *eng, const char *name,
				      struct vrrp_settings *s)
{
	struct vrrp_instance *in = xcalloc(1, sizeof(*in));

	in->eng = eng;
	in->name = xstrdup(name);
	in->s = *s;
	memset(s, 0, sizeof(*s));
	in->fd = -1;
	in->priority = in->s.base_priority;
	vrrp_notify_attach(in);
	vrrp_fsm_init(in);
	vrrp_vip_instance_init(in);
	return in;
}

/* Stops an instance cleanly (a master sends priority 0 and drops its
 * VIPs) and frees it. */
static void inst_free(struct vrrp_instance *in, const char *reason)
{
	if (in->state != VRRP_STATE_INIT && in->state != VRRP_STATE_DISABLED)
		vrrp_fsm_shutdown(in, VRRP_STATE_INIT, reason);
	vrrp_fsm_adverts_stop(in);
	vrrp_vip_announce_stop(in);
	vrrp_vip_del_all(in);
	vrrp_sock_close(in);
	vrrp_notify_detach(in);
	vrrp_settings_free(&in->s);
	free(in->name);
	free(in);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_vip(const struct vrrp_vip *a, const struct vrrp_vip *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0 &&
	       a->prefix == b->prefix && a->has_brd == b->has_brd &&
	       memcmp(a->brd, b->brd, 16) == 0 && same_str(a->dev, b->dev) &&
	       same_str(a->label, b->label) && a->scope == b->scope;
}

/* Applies new settings whose wire identity is unchanged, keeping state
 * and timers: a master removes the VIPs that went and adds the new ones
 * without leaving MASTER. Takes ownership of *ns. */
static void inst_update(struct vrrp_instance *in, struct vrrp_settings *ns)
{
	struct vrrp_settings old = in->s;
	bool master = in->state == VRRP_STATE_MASTER, added = false;
	bool interval = old.advert_ms != ns->advert_ms;

	for (size_t i = 0; i < old.n_vips; i++) {
		bool kept = false;

		for (size_t j = 0; j < ns->n_vips && !kept; j++)
			kept = same_vip(&old.vips[i], &ns->vips[j]);
		if (!kept)
			vrrp_vip_del(in, &old.vips[i]);
	}
	in->s = *ns;
	memset(ns, 0, sizeof(*ns));
	for (size_t j = 0; j < in->s.n_vips; j++) {
		struct vrrp_vip *v = &in->s.vips[j];

		for (size_t i = 0; i < old.n_vips && !v->installed; i++)
			if (same_vip(&old.vips[i], v))
				v->installed = old.vips[i].installed;
		if (master && !v->installed && vrrp_vip_add(in, v) == 0)
			added = true;
	}
	for (size_t j = 0; j < in->s.n_tracks; j++)
		for (size_t i = 0; i < old.n_tracks; i++)
			if (strcmp(old.tracks[i].name, in->s.tracks[j].name) == 0)
				in->s.tracks[j].up = old.tracks[i].up;
	/* The VIPs moved into the new settings are no longer old's to drop. */
	for (size_t i = 0; i < old.n_vips; i++)
		old.vips[i].installed = false;
	vrrp_settings_free(&old);
	if (added)
		vrrp_vip_announce(in, in->s.garp_repeat);
	if (interval)
		vrrp_fsm_interval_changed(in);
	else
		vrrp_fsm_adverts_refresh(in);
	vrrp_fsm_priority_changed(in, "configuration changed");
}

static void groups_free(struct vrrp_engine *eng)
{
	for (size_t i = 0; i < eng->n_groups; i++) {
		struct vrrp_group *g = &eng->groups[i];

		free(g->name);
		free(g->members);
		free(g->notify_master);
		free(g->notify_backup);
		free(g->notify_fault);
		free(g->notify);
	}
	free(eng->groups);
	eng->groups = NULL;
	eng->n_groups = 0;
	for (size_t i = 0; i < eng->n_insts; i++)
		eng->insts[i]->group = NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Rebuilds the sync groups from the model; instances link to theirs. */
static void groups_build(struct vrrp_engine *eng, const struct config *cfg)
{
	groups_free(eng);
	if (!cfg->n_sync_groups)
		return;
	eng->groups = xcalloc(cfg->n_sync_groups, sizeof(*eng->groups));
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		const struct cfg_sync_group *cg = &cfg->sync_groups[i];
		struct vrrp_group *g = &eng->groups[eng->n_groups++];

		g->name = xstrdup(cg->name);
		g->notify_master = dup_or_null(cg->notify_master);
		g->notify_backup = dup_or_null(cg->notify_backup);
		g->notify_fault = dup_or_null(cg->notify_fault);
		g->notify = dup_or_null(cg->notify);
		g->members = xcalloc(cg->members.len ? cg->members.len : 1, sizeof(*g->members));
		for (size_t j = 0; j < cg->members.len; j++) {
			struct vrrp_instance *in = vrrp_find(eng, cg->members.items[j]);

			if (in && !in->group) {
				in->group = g;
				g->members[g->n_members++] = in;
			}
		}
	}
}

/* Makes the running instances match cfg. Every instance's settings are
 * built first, so a configuration VRRP cannot run is refused before
 * anything moves. Returns 0, or -1 with the reason in err. */
static int reconcile(struct vrrp_engine *eng, const struct config *cfg, struct strbuf *err)
{
	struct vrrp_settings *ns = cfg->n_vrrp ? xcalloc(cfg->n_vrrp, sizeof(*ns)) : NULL;
	struct vrrp_instance **next;
	size_t n_next = 0;

	for (size_t i = 0; i < cfg->n_vrrp; i++) {
		struct strbuf why = STRBUF_INIT;

		if (vrrp_settings_from_cfg(cfg, &cfg->vrrp[i], &ns[i], &why) < 0) {
			strbuf_printf(err, "vrrp_instance %s: %s", cfg->vrrp[i].name,
				      strbuf_str(&why));
			strbuf_free(&why);
			for (size_t j = 0; j < i; j++)
				vrrp_settings_free(&ns[j]);
			free(ns);
			return -1;
		}
		strbuf_free(&why);
	}
	/* Groups are rebuilt below; until then no transition propagates, so
	 * stopping one member never reaches another being freed. */
	groups_free(eng);
	/* Gone from the configuration: stop them (priority 0 if master). */
	for (size_t i = 0; i < eng->n_insts; i++) {
		struct vrrp_instance *in = eng->insts[i];

		if (!config_find_vrrp(cfg, in->name)) {
			log_notice("VRRP instance %s: removed from the configuration", in->name);
			hindex_remove(&eng->by_name, in);
			inst_free(in, "removed from the configuration");
			eng->insts[i] = NULL;
		}
	}
	next = xcalloc(cfg->n_vrrp ? cfg->n_vrrp : 1, sizeof(*next));
	for (size_t i = 0; i < cfg->n_vrrp; i++) {
		/* The old list is only freed below: no slot needs clearing. */
		struct vrrp_instance *in = vrrp_find(eng, cfg->vrrp[i].name);

		if (!in) {
			in = inst_new(eng, cfg->vrrp[i].name, &ns[i]);
		} else if (vrrp_settings_same_wire(&in->s, &ns[i])) {
			inst_update(in, &ns[i]);
		} else {
			/* Another interface, VRID, version, group or peers: a
			 * different router on the wire; start it afresh. */
			hindex_remove(&eng->by_name, in);
			inst_free(in, "interface, VRID, version or addressing changed");
			in = inst_new(eng, cfg->vrrp[i].name, &ns[i]);
		}
		next[n_next++] = in;
	}
	free(ns);
	free(eng->insts);
	eng->insts = next;
	eng->n_insts = eng->cap_insts = n_next;
	hindex_clear(&eng->by_name);
	for (size_t i = 0; i < eng->n_insts; i++)
		hindex_add(&eng->by_name, eng->insts[i]);
	vrrp_script_reconcile(eng, cfg);
	groups_build(eng, cfg);
	for (size_t i = 0; i < eng->n_insts; i++) {
		struct vrrp_instance *in = eng->insts[i];

		if (in->state != VRRP_STATE_INIT)
			continue;
		vrrp_track_instance(in);
		if (in->state == VRRP_STATE_INIT)
			vrrp_fsm_start(in, "started");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

static void vrrp_stop(struct softlbd *d, void *priv);

/* The nice value of the control thread, which sends the adverts. */
#define VRRP_CONTROL_NICE (-10)

/* Adverts must leave on time however loaded the proxy is (issue #5), and
 * the proxy's worker threads, wrk and the backends all compete for the
 * same cores: with equal weights the control thread waited up to 200 ms
 * for a core (tests/bench/vrrp_advert_gap.sh). So the control thread, and
 * only it (Linux's nice is per thread), gets a higher weight, as
 * keepalived's vrrp_priority gives its VRRP process. Not real-time: a
 * control plane busy parsing a huge configuration must not starve the
 * proxy. Run from the loop, after every module's init, so the proxy's
 * workers (created in init; they inherit the creator's nice) keep 0. */
static void on_prio_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	(void)arg;
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), VRRP_CONTROL_NICE) < 0)
		log_warn("VRRP: cannot raise the control thread's priority (nice %d): %s",
			 VRRP_CONTROL_NICE, strerror(errno));
}

static int vrrp_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct vrrp_engine *eng = xcalloc(1, sizeof(*eng));
	struct strbuf why = STRBUF_INIT;

	eng->d = d;
	eng->loop = d->loop;
	hindex_init(&eng->by_name, &by_name_ops);
	eng->arp_fd = eng->na_fd = -1;
	eng->ioctl_fd = -1;
	vrrp_track_init(eng);
	*priv = eng;
	d->engines.vrrp = eng;
	eng->pacer = vrrp_pacer_new(&why);
	if (!eng->pacer) {
		/* the loop's timer sends them, as before */
		log_warn("%s; adverts are sent from the control thread", strbuf_str(&why));
		strbuf_reset(&why);
	}
	if (vrrp_cmds_register(d->grammar, err) < 0)
		goto fail;
	eng->ioctl_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (eng->ioctl_fd < 0 || vrrp_vip_engine_init(eng, &why) < 0) {
		/* Not fatal: softlbd runs its other engines and says why. */
		snprintf(eng->unavailable, sizeof(eng->unavailable), "%s",
			 why.len ? strbuf_str(&why) : strerror(errno));
		strbuf_free(&why);
		log_err("VRRP engine unavailable: %s", eng->unavailable);
		return 0;
	}
	strbuf_free(&why);
	vrrp_track_start(eng);
	if (d->config && reconcile(eng, d->config, err) < 0)
		goto fail;
	loop_timer_init(&eng->prio_timer, on_prio_timer, eng);
	loop_timer_start(eng->loop, &eng->prio_timer, 0);
	return 0;
fail:
	/* main() stops only the modules that started: clean up here. */
	vrrp_stop(d, eng);
	*priv = NULL;
	return -1;
}

static int vrrp_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
		      struct strbuf *err)
{
	struct vrrp_engine *eng = priv;

	(void)d;
	if (eng->unavailable[0] || !config_changeset_touches(cs, CONFIG_KINDS_VRRP))
		return 0;
	return reconcile(eng, cs->new_cfg, err);
}

static void vrrp_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct vrrp_engine *eng = priv;
	size_t n[VRRP_STATE_DISABLED + 1] = { 0 };

	if (eng->unavailable[0]) {
		st->state = MODULE_UNAVAILABLE;
		snprintf(st->reason, sizeof(st->reason), "%s", eng->unavailable);
		return;
	}
	if (!eng->n_insts) {
		st->state = MODULE_NOT_CONFIGURED;
		return;
	}
	for (size_t i = 0; i < eng->n_insts; i++)
		n[eng->insts[i]->state]++;
	st->state = MODULE_RUNNING;
	snprintf(st->reason, sizeof(st->reason),
		 "%zu instances: %zu master, %zu backup, %zu fault, %zu disabled", eng->n_insts,
		 n[VRRP_STATE_MASTER], n[VRRP_STATE_BACKUP], n[VRRP_STATE_FAULT],
		 n[VRRP_STATE_DISABLED]);
}

static void vrrp_dump(struct softlbd *d, void *priv, struct strbuf *out)
{
	struct vrrp_engine *eng = priv;

	for (size_t i = 0; i < eng->n_insts; i++) {
		const struct vrrp_instance *in = eng->insts[i];

		strbuf_printf(out, "vrrp %s: %s prio %d vrid %d if %s fd %d\n", in->name,
			      vrrp_state_name(in->state), in->priority, in->s.vrid,
			      in->s.interface, in->fd);
	}
}

/* How long softlbd waits at exit for the notify scripts its instances
 * queued on the way down (notify_stop, notify ... STOP): enough for a
 * script that updates a file or a service, bounded so that a hung one
 * cannot hold up a stop. What still runs then is killed. */
#define NOTIFY_STOP_WAIT_MS 5000u

static void vrrp_stop(struct softlbd *d, void *priv)
{
	struct vrrp_engine *eng = priv;
	uint64_t deadline;

	if (!eng)
		return;
	/* Nothing may re-open a socket or move a priority from here on. */
	if (eng->prio_timer.fn)
		loop_timer_stop(eng->loop, &eng->prio_timer);
	vrrp_track_stop(eng);
	vrrp_script_stop_all(eng);
	groups_free(eng);
	/* Every instance says goodbye first (a master sends priority 0 and
	 * drops its VIPs; notify_stop is queued), then the notify scripts get
	 * their bounded time, then everything is freed. */
	for (size_t i = 0; i < eng->n_insts; i++) {
		struct vrrp_instance *in = eng->insts[i];

		if (in->state != VRRP_STATE_INIT && in->state != VRRP_STATE_DISABLED)
			vrrp_fsm_shutdown(in, VRRP_STATE_INIT, "softlbd stopping");
	}
	deadline = loop_update_time(eng->loop) + NOTIFY_STOP_WAIT_MS;
	while (vrrp_notify_busy(eng) && loop_update_time(eng->loop) < deadline)
		if (loop_run_once(eng->loop, 100) < 0)
			break;
	for (size_t i = 0; i < eng->n_insts; i++)
		inst_free(eng->insts[i], "softlbd stopping");
	free(eng->insts);
	hindex_free(&eng->by_name);
	vrrp_pacer_free(eng->pacer);
	eng->pacer = NULL;
	vrrp_notify_stop_all(eng);
	vrrp_vip_engine_stop(eng);
	if (eng->ioctl_fd >= 0)
		close(eng->ioctl_fd);
	free(eng);
	d->engines.vrrp = NULL;
}

const struct module_ops vrrp_module = {
	.name = "vrrp",
	.description = "VRRP v2/v3 instances and their VIPs",
	.init = vrrp_init,
	.apply = vrrp_apply,
	.status = vrrp_status,
	.dump = vrrp_dump,
	.stop = vrrp_stop,
};
