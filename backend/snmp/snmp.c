/* snmp: the module -- which MIBs the configuration enables, the snapshot
 * the subagent answers from (rebuilt at most once a second, on demand),
 * VRRP transitions turned into notifications, and show status.
 */
#include "config.h"

#include "snmp/snmp.h"
#include "snmp/snmp_int.h"
#include "config/changeset.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/module.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vrrp/vrrp.h"

#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#define SNMP_DEFAULT_SOCKET "unix:/var/agentx/master"
/* A snapshot older than this is rebuilt before the next request. */
#define SNMP_SNAP_MAX_AGE_MS 1000

struct auth_seen {
	char *name;			/* the instance's */
	uint64_t drops;			/* its authentication drops */
};

struct snmp_engine {
	struct softlbd *d;
	struct snmp_settings set;
	bool enabled;			/* some MIB is on */
	struct snmp_agent *agent;	/* NULL while disabled */
	struct snmp_snap snap;
	struct vrrp_engine *vrrp;	/* subscribed to, for traps */
	uint64_t traps;			/* notifications sent */
	/* vrrpTrapAuthFailure: authentication drops per instance, looked at
	 * every second while those traps are on (one trap per instance and
	 * second at most, however many bad adverts arrive). */
	struct loop_timer auth_timer;
	struct auth_seen *auth;
	size_t n_auth;
	bool stale;			/* rebuild before the next request */
};

static void settings_from(const struct config *cfg, struct snmp_settings *s, bool *enabled)
{
	const struct cfg_global *g = cfg ? &cfg->global : NULL;

	memset(s, 0, sizeof(*s));
	*enabled = false;
	if (!g)
		return;
	s->mib[SNMP_MIB_VRRP] = g->enable_snmp_rfcv2 == 1;
	s->mib[SNMP_MIB_VRRPV3] = g->enable_snmp_rfcv3 == 1;
	s->mib[SNMP_MIB_KAD_VRRP] = g->enable_snmp_vrrp == 1;
	s->mib[SNMP_MIB_LVS] = g->enable_snmp_checker == 1;
	s->mib[SNMP_MIB_SOFTLB] = g->enable_snmp_proxy == 1;
	/* keepalived: the global scalars come with either of its MIBs. */
	s->mib[SNMP_MIB_KAD_GLOBAL] = s->mib[SNMP_MIB_KAD_VRRP] || s->mib[SNMP_MIB_LVS];
	s->traps = g->enable_traps == 1;
	snprintf(s->socket, sizeof(s->socket), "%s",
		 g->snmp_socket ? g->snmp_socket : SNMP_DEFAULT_SOCKET);
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		*enabled = *enabled || s->mib[i];
}

static void refresh(void *arg)
{
	struct snmp_engine *e = arg;
	uint64_t now = loop_now_ms(e->d->loop);

	if (!e->stale && now - e->snap.built_ms < SNMP_SNAP_MAX_AGE_MS)
		return;
	e->stale = false;
	snmp_snap_build(&e->snap, e->d, &e->set);
	e->snap.built_ms = now;
}

static void on_vrrp(const struct vrrp_instance *in, enum vrrp_state from, void *arg)
{
	struct snmp_engine *e = arg;
	struct snmp_vrrp_trap_info ti;

	(void)from;
	if (!e->agent || !e->set.traps || in->state != VRRP_STATE_MASTER)
		return;
	if (!snmp_snap_vrrp_trap(in, &ti))
		return;
	snmp_agent_trap_new_master(e->agent, &ti);
	e->traps++;
}

static uint64_t auth_drops(const struct vrrp_instance *in)
{
	return in->stats.drops[VRRP_RX_AUTH_INVALID] + in->stats.drops[VRRP_RX_AUTH_MISMATCH] +
	       in->stats.drops[VRRP_RX_AUTH_FAIL];
}

static void auth_free(struct snmp_engine *e)
{
	for (size_t i = 0; i < e->n_auth; i++)
		free(e->auth[i].name);
	free(e->auth);
	e->auth = NULL;
	e->n_auth = 0;
}

static bool auth_wanted(const struct snmp_engine *e)
{
	return e->agent && e->vrrp && e->set.traps && e->set.mib[SNMP_MIB_VRRP];
}

/* Compares each IPv4 VRRPv2 instance's authentication drops with the last
 * look; a rise sends one vrrpTrapAuthFailure with the last bad advert's
 * source and reason. The table is rebuilt each time, so instances that
 * come and go by reload need no bookkeeping. */
static void on_auth_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct snmp_engine *e = arg;
	struct auth_seen *now;
	size_t n = 0;

	(void)t;
	if (!auth_wanted(e)) {
		auth_free(e);
		return;
	}
	now = xcalloc(e->vrrp->n_insts + 1, sizeof(*now));
	for (size_t i = 0; i < e->vrrp->n_insts; i++) {
		const struct vrrp_instance *in = e->vrrp->insts[i];
		uint64_t drops;

		if (in->s.version != 2 || in->s.family != AF_INET)
			continue;
		drops = auth_drops(in);
		for (size_t k = 0; k < e->n_auth; k++) {
			const struct auth_seen *was = &e->auth[k];
			enum vrrp_rx_result why = in->stats.last_auth_why;

			if (strcmp(was->name, in->name) != 0 || drops <= was->drops)
				continue;
			snmp_agent_trap_auth_failure(e->agent, in->stats.last_auth_src,
						     why == VRRP_RX_AUTH_INVALID ? 1
						     : why == VRRP_RX_AUTH_MISMATCH ? 2 : 3);
			e->traps++;
			break;
		}
		now[n].name = xstrdup(in->name);
		now[n].drops = drops;
		n++;
	}
	auth_free(e);
	e->auth = now;
	e->n_auth = n;
	loop_timer_start(l, &e->auth_timer, 1000);
}

static void auth_watch(struct snmp_engine *e)
{
	if (auth_wanted(e) && !loop_timer_pending(&e->auth_timer))
		on_auth_timer(e->d->loop, &e->auth_timer, e);
	else if (!auth_wanted(e))
		loop_timer_stop(e->d->loop, &e->auth_timer);
}

static int start(struct snmp_engine *e, struct strbuf *err)
{
	char why[256];

	e->stale = true;	/* the next request builds it */
	e->agent = snmp_agent_start(e->d, &e->set, &e->snap, refresh, e, why, sizeof(why));
	if (!e->agent) {
		strbuf_printf(err, "SNMP: %s", why);
		return -1;
	}
	return 0;
}

/* Every kind of change counts here: the tables list VRRP instances,
 * virtual servers and proxies alike, so any change makes the snapshot
 * stale (it is rebuilt at the next request, at most once a second). */
static int snmp_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
		      struct strbuf *err)
{
	struct snmp_engine *e = priv;
	const struct config *new_cfg = cs->new_cfg;
	struct snmp_settings set;
	bool enabled;

	(void)d;
	settings_from(new_cfg, &set, &enabled);
	if (enabled && e->agent) {
		if (strcmp(set.socket, e->set.socket) != 0)
			log_notice("snmp: AgentX master is now %s", set.socket);
		snmp_agent_update(e->agent, &set);
		e->set = set;
		e->stale = true;	/* rebuilt for the next request */
		auth_watch(e);
		return 0;
	}
	if (e->agent) {
		snmp_agent_stop(e->agent, false);
		e->agent = NULL;
	}
	e->set = set;
	e->enabled = enabled;
	if (enabled && start(e, err) < 0)
		return -1;
	auth_watch(e);
	return 0;
}

static int snmp_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct snmp_engine *e = xcalloc(1, sizeof(*e));

	e->d = d;
	snmp_snap_init(&e->snap);
	*priv = e;
	e->vrrp = vrrp_engine_of(d);
	if (e->vrrp && vrrp_subscribe(e->vrrp, on_vrrp, e) < 0) {
		log_warn("snmp: cannot follow VRRP transitions: no notifications");
		e->vrrp = NULL;
	}
	loop_timer_init(&e->auth_timer, on_auth_timer, e);
	settings_from(d->config, &e->set, &e->enabled);
	if (e->enabled && start(e, err) < 0)
		return -1;
	auth_watch(e);
	return 0;
}

static void snmp_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct snmp_engine *e = priv;
	struct strbuf mibs = STRBUF_INIT, line = STRBUF_INIT;
	char when[32];
	time_t since;
	struct tm tm;
	enum snmp_agent_state as;

	(void)d;
	if (!e->agent) {
		st->state = MODULE_NOT_CONFIGURED;
		return;
	}
	as = snmp_agent_state(e->agent, &since);
	localtime_r(&since, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		if (e->set.mib[i])
			strbuf_printf(&mibs, "%s%s", mibs.len ? ", " : "", snmp_mibs[i].name);
	st->state = MODULE_RUNNING;
	strbuf_printf(&line, "%s %s since %s (%lld s); %s%s; %zu objects, %llu builds, "
		      "%llu varbinds",
		      as == SNMP_AGENT_REGISTERED ? "registered with" : "connecting to",
		      e->set.socket, when, (long long)(time(NULL) - since), strbuf_str(&mibs),
		      e->set.traps ? "; traps on" : "", e->snap.objects,
		      (unsigned long long)e->snap.builds,
		      (unsigned long long)snmp_agent_requests(e->agent));
	/* The reason field is fixed-size: a long socket path is cut. */
	memcpy(st->reason, strbuf_str(&line),
	       line.len < sizeof(st->reason) ? line.len + 1 : sizeof(st->reason));
	st->reason[sizeof(st->reason) - 1] = '\0';
	strbuf_free(&line);
	strbuf_free(&mibs);
}

static void snmp_dump(struct softlbd *d, void *priv, struct strbuf *out)
{
	struct snmp_engine *e = priv;

	(void)d;
	if (!e->agent) {
		strbuf_puts(out, "  SNMP off\n");
		return;
	}
	strbuf_printf(out, "  objects %zu, snapshot builds %llu, varbinds answered %llu, "
		      "notifications %llu\n", e->snap.objects,
		      (unsigned long long)e->snap.builds,
		      (unsigned long long)snmp_agent_requests(e->agent),
		      (unsigned long long)e->traps);
}

static void snmp_stop(struct softlbd *d, void *priv)
{
	struct snmp_engine *e = priv;

	if (e->vrrp)
		vrrp_unsubscribe(e->vrrp, on_vrrp, e);
	loop_timer_stop(d->loop, &e->auth_timer);
	auth_free(e);
	snmp_agent_stop(e->agent, true);
	snmp_snap_free(&e->snap);
	free(e);
}

const struct module_ops snmp_module = {
	.name = "snmp",
	.description = "SNMP AgentX subagent (VRRP-MIB, VRRPv3-MIB, LVS-MIB, SOFTLB-MIB)",
	.init = snmp_init,
	.apply = snmp_apply,
	.status = snmp_status,
	.dump = snmp_dump,
	.stop = snmp_stop,
};
