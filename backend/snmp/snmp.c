/* snmp: the module -- which MIBs the configuration enables, the snapshot
 * the subagent answers from (rebuilt at most once a second, on demand),
 * notifications (from the event journal, and VRRP's new-master ones from
 * its transitions), and show status.
 */
#include "config.h"

#include "snmp/snmp.h"
#include "snmp/snmp_int.h"
#include "config/changeset.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/module.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vrrp/vrrp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
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
	bool journal;			/* subscribed to d->events */
	bool stale;			/* rebuild before the next request */
	uint64_t build_cost_ms;		/* what the last build took */
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
	s->mib[SNMP_MIB_KAD_CHECK] = g->enable_snmp_checker == 1;
	s->mib[SNMP_MIB_SOFTLB] = g->enable_snmp_proxy == 1;
	/* keepalived: the global scalars come with either of its MIBs. */
	s->mib[SNMP_MIB_KAD_GLOBAL] = s->mib[SNMP_MIB_KAD_VRRP] || s->mib[SNMP_MIB_LVS];
	s->traps = g->enable_traps == 1;
	snprintf(s->socket, sizeof(s->socket), "%s",
		 g->snmp_socket ? g->snmp_socket : SNMP_DEFAULT_SOCKET);
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		*enabled = *enabled || s->mib[i];
}

/* A build may cost more than the snapshot's age allows (hundreds of
 * thousands of objects, a slow machine): the snapshot then stays valid
 * for this many times what the last build cost, so building never takes
 * more than a tenth of the time (otherwise every request of a walk
 * would rebuild it, and a walk would never end). */
#define SNMP_SNAP_COST_FACTOR 10

static void refresh(void *arg)
{
	struct snmp_engine *e = arg;
	uint64_t now = loop_now_ms(e->d->loop), done;
	uint64_t max_age = SNMP_SNAP_MAX_AGE_MS;

	if (e->build_cost_ms * SNMP_SNAP_COST_FACTOR > max_age)
		max_age = e->build_cost_ms * SNMP_SNAP_COST_FACTOR;
	if (!e->stale && now - e->snap.built_ms < max_age)
		return;
	e->stale = false;
	snmp_snap_build(&e->snap, e->d, &e->set);
	/* The loop's time does not move during the build: read the clock. */
	done = loop_update_time(e->d->loop);
	e->build_cost_ms = done - now;
	e->snap.built_ms = done;
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

/* The first word of a VRRP drop event's reason is the MIB's name of it
 * (vrrp_stats.c): its value in VRRP-MIB's vrrpTrapAuthErrorType or
 * VRRPv3-MIB's vrrpv3StatisticsProtoErrReason; 0 when unknown. */
static int drop_reason_value(const char *reason)
{
	static const struct { const char *name; int value; } names[] = {
		{ "invalidAuthType", 1 }, { "authTypeMismatch", 2 }, { "authFailure", 3 },
		{ "ipTtlError", 1 }, { "versionError", 2 }, { "checksumError", 3 },
		{ "vrIdError", 4 },
	};
	size_t n = strcspn(reason, " ");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && strncmp(reason, names[i].name, n) == 0)
			return names[i].value;
	return 0;
}

/* The source in "NAME from ADDR: ..." (IPv4 only: VRRP-MIB's
 * vrrpTrapPacketSrc is an IpAddress). */
static bool drop_reason_src(const char *reason, unsigned char src[4])
{
	const char *p = strstr(reason, " from ");
	char text[INET_ADDRSTRLEN];
	size_t n;

	if (!p)
		return false;
	p += 6;
	n = strcspn(p, ": ");
	if (n == 0 || n >= sizeof(text))
		return false;
	memcpy(text, p, n);
	text[n] = '\0';
	return inet_pton(AF_INET, text, src) == 1;
}

/* A VRRP instance's authentication failure or protocol error, as the
 * engine journalled it (rate-limited there). */
static void vrrp_drop_trap(struct snmp_engine *e, const struct event *ev)
{
	const struct vrrp_instance *in;
	struct snmp_vrrp_trap_info ti;
	int value = ev->reason ? drop_reason_value(ev->reason) : 0;

	if (!e->vrrp || !ev->new_state || !value || strncmp(ev->object, "vrrp ", 5) != 0)
		return;
	in = vrrp_find(e->vrrp, ev->object + 5);
	if (!in)
		return;
	if (strcmp(ev->new_state, "auth-failure") == 0) {
		unsigned char src[4];

		if (in->s.version != 2 || in->s.family != AF_INET || !e->set.mib[SNMP_MIB_VRRP] ||
		    !drop_reason_src(ev->reason, src))
			return;
		snmp_agent_trap_auth_failure(e->agent, src, value);
		e->traps++;
	} else if (strcmp(ev->new_state, "protocol-error") == 0) {
		if (!e->set.mib[SNMP_MIB_VRRPV3] || !snmp_snap_vrrp_trap(in, &ti) || ti.version != 3)
			return;
		snmp_agent_trap_proto_error(e->agent, &ti, value);
		e->traps++;
	}
}

static bool has_prefix(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_state(const char *s, const char *want)
{
	return s && strcmp(s, want) == 0;
}

/* Which SOFTLB-MIB notification an event is, or 0 for none. */
static unsigned slb_notification(const struct event *ev)
{
	if (ev->engine == EVENT_CHECK && ev->kind == EVENT_HEALTH) {
		bool up = is_state(ev->new_state, "UP"), down = is_state(ev->new_state, "DOWN");

		if (has_prefix(ev->object, "rs "))
			return up ? SLB_NOTIFY_RS_UP : down ? SLB_NOTIFY_RS_DOWN : 0;
		if (has_prefix(ev->object, "server "))
			return up ? SLB_NOTIFY_SERVER_UP : down ? SLB_NOTIFY_SERVER_DOWN : 0;
		return 0;
	}
	if (ev->engine == EVENT_LVS && ev->kind == EVENT_STATE && has_prefix(ev->object, "vs ")) {
		if (is_state(ev->new_state, "quorum lost"))
			return SLB_NOTIFY_QUORUM_LOST;
		if (is_state(ev->new_state, "quorum up"))
			return SLB_NOTIFY_QUORUM_REGAINED;
		return 0;
	}
	/* A state change, not a priority change ("priority 100" ->
	 * "priority 90", journalled under the same object). */
	if (ev->engine == EVENT_VRRP && ev->kind == EVENT_STATE && has_prefix(ev->object, "vrrp ") &&
	    ev->old_state && !has_prefix(ev->old_state, "priority "))
		return SLB_NOTIFY_VRRP_TRANSITION;
	return 0;
}

/* Every journal event, as it is appended: the notifications are made
 * from the event itself, so a trap and `show events` cannot disagree
 * (the sequence number in slbEventSeq finds it there). */
static void on_event(const struct event *ev, void *arg)
{
	struct snmp_engine *e = arg;
	unsigned n;

	if (!e->agent || !e->set.traps)
		return;
	if (ev->engine == EVENT_VRRP && ev->kind == EVENT_ERROR) {
		vrrp_drop_trap(e, ev);
		return;
	}
	n = slb_notification(ev);
	if (!n)
		return;
	snmp_agent_trap_event(e->agent, n, ev->seq, ev->object, ev->old_state, ev->new_state,
			      ev->reason);
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
	if (d->events && events_subscribe(d->events, on_event, e) == 0)
		e->journal = true;
	else
		log_warn("snmp: cannot follow the event journal: no SOFTLB-MIB notifications");
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
	uint64_t sorts = 0;

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
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		sorts += e->snap.trees[i].sorts;
	strbuf_printf(&line, "%s %s since %s (%lld s); %s%s; %zu objects, %llu builds "
		      "(last %llu ms, %llu sorts), %llu varbinds in %llu AgentX PDUs",
		      as == SNMP_AGENT_REGISTERED ? "registered with" : "connecting to",
		      e->set.socket, when, (long long)(time(NULL) - since), strbuf_str(&mibs),
		      e->set.traps ? "; traps on" : "", e->snap.objects,
		      (unsigned long long)e->snap.builds, (unsigned long long)e->build_cost_ms,
		      (unsigned long long)sorts,
		      (unsigned long long)snmp_agent_requests(e->agent),
		      (unsigned long long)snmp_agent_pdus(e->agent));
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
	uint64_t sorts = 0, reuses = 0;

	(void)d;
	if (!e->agent) {
		strbuf_puts(out, "  SNMP off\n");
		return;
	}
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++) {
		sorts += e->snap.trees[i].sorts;
		reuses += e->snap.trees[i].reuses;
	}
	strbuf_printf(out, "  objects %zu, snapshot builds %llu (the last took %llu ms; "
		      "tables sorted %llu times, the last order reused %llu times), "
		      "varbinds answered %llu in %llu AgentX PDUs (%llu on the fast path), "
		      "notifications %llu\n", e->snap.objects,
		      (unsigned long long)e->snap.builds, (unsigned long long)e->build_cost_ms,
		      (unsigned long long)sorts, (unsigned long long)reuses,
		      (unsigned long long)snmp_agent_requests(e->agent),
		      (unsigned long long)snmp_agent_pdus(e->agent),
		      (unsigned long long)snmp_agent_fast(e->agent),
		      (unsigned long long)e->traps);
}

static void snmp_stop(struct softlbd *d, void *priv)
{
	struct snmp_engine *e = priv;

	if (e->vrrp)
		vrrp_unsubscribe(e->vrrp, on_vrrp, e);
	if (e->journal)
		events_unsubscribe(d->events, on_event, e);
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
