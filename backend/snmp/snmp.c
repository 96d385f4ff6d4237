/* snmp: the module -- which MIBs the configuration enables, the snapshot
 * the subagent answers from (rebuilt at most once a second, on demand),
 * VRRP transitions turned into notifications, and show status.
 */
#include "config.h"

#include "snmp/snmp.h"
#include "snmp/snmp_int.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/module.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vrrp/vrrp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SNMP_DEFAULT_SOCKET "unix:/var/agentx/master"
/* A snapshot older than this is rebuilt before the next request. */
#define SNMP_SNAP_MAX_AGE_MS 1000

struct snmp_engine {
	struct softlbd *d;
	struct snmp_settings set;
	bool enabled;			/* some MIB is on */
	struct snmp_agent *agent;	/* NULL while disabled */
	struct snmp_snap snap;
	struct vrrp_engine *vrrp;	/* subscribed to, for traps */
	uint64_t traps;			/* notifications sent */
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

static int snmp_apply(struct softlbd *d, void *priv, const struct config *old_cfg,
		      const struct config *new_cfg, struct strbuf *err)
{
	struct snmp_engine *e = priv;
	struct snmp_settings set;
	bool enabled;

	(void)d;
	(void)old_cfg;
	settings_from(new_cfg, &set, &enabled);
	if (enabled && e->agent) {
		if (strcmp(set.socket, e->set.socket) != 0)
			log_notice("snmp: AgentX master is now %s", set.socket);
		snmp_agent_update(e->agent, &set);
		e->set = set;
		e->stale = true;	/* rebuilt for the next request */
		return 0;
	}
	if (e->agent) {
		snmp_agent_stop(e->agent, false);
		e->agent = NULL;
	}
	e->set = set;
	e->enabled = enabled;
	if (!enabled)
		return 0;
	return start(e, err);
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
	settings_from(d->config, &e->set, &e->enabled);
	if (e->enabled && start(e, err) < 0)
		return -1;
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

	(void)d;
	if (e->vrrp)
		vrrp_unsubscribe(e->vrrp, on_vrrp, e);
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
