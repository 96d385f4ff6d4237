/* lvs_desired: the IPVS state softlbd wants, from the model's virtual
 * servers, the operator's runtime overrides and the health checks.
 *
 * Rules (keepalived's, where it has one):
 *   - virtual_server ADDR PORT, fwmark N, or group NAME (each entry of the
 *     group, an IPv4 range expanded address by address, is a service);
 *   - a real server takes the virtual server's lb_kind unless it sets
 *     its own; DR and TUN real servers take the service's port (ipvsadm
 *     does the same);
 *   - operator disable, or health down: out of IPVS, or weight 0 with
 *     inhibit_on_failure; operator drain: weight 0; operator weight N;
 *   - misc_dynamic weights replace the configured weight; an operator's
 *     weight replaces both;
 *   - quorum / hysteresis (lvs_quorum.c): while the quorum is lost the
 *     sorry server, if any, serves alone.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/runtime.h"
#include "lvs/ipvs.h"
#include "util/xalloc.h"

static const struct ipvs_service_key *want_key_at(const void *arr, size_t i)
{
	return &((const struct lvs_svc_want *)arr)[i].svc.key;
}

static const struct cfg_vs_key *want_vs_at(const void *arr, size_t i)
{
	return &((const struct lvs_svc_want *)arr)[i].vs;
}

static const struct ipvs_service_key *set_key_at(const void *arr, size_t i)
{
	return &((const struct ipvs_service_key *)arr)[i];
}

void lvs_keyset_add(struct lvs_keyset *ks, const struct ipvs_service_key *key)
{
	if (lvs_index_find(&ks->idx, ks->keys, set_key_at, key) >= 0)
		return;
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 8;
		ks->keys = xreallocarray(ks->keys, ks->cap, sizeof(*ks->keys));
	}
	ks->keys[ks->n++] = *key;
	lvs_index_add(&ks->idx, ks->keys, ks->n - 1, set_key_at);
}

void lvs_keyset_free(struct lvs_keyset *ks)
{
	free(ks->keys);
	lvs_index_free(&ks->idx);
	memset(ks, 0, sizeof(*ks));
}

static void svc_want_clear(struct lvs_svc_want *s)
{
	for (size_t j = 0; j < s->n_dests; j++)
		free(s->dests[j].key);
	free(s->dests);
	free(s->vs_name);
}

void lvs_desired_free(struct lvs_desired *w)
{
	for (size_t i = 0; i < w->n_svcs; i++)
		svc_want_clear(&w->svcs[i]);
	free(w->svcs);
	lvs_index_free(&w->idx);
	lvs_index_free(&w->vs_idx);
	memset(w, 0, sizeof(*w));
}

struct lvs_svc_want *lvs_desired_find(const struct lvs_desired *w,
				      const struct ipvs_service_key *key)
{
	long i = lvs_index_find(&w->idx, w->svcs, want_key_at, key);

	return i < 0 ? NULL : &w->svcs[i];
}

int lvs_health_weight(const struct lvs_engine *e, const struct cfg_rs_key *key)
{
	const struct lvs_health *h = e->n_health ? lvs_health_find(e, key) : NULL;

	return h ? h->weight : -1;
}

bool lvs_health_up(const struct lvs_engine *e, const struct cfg_rs_key *key)
{
	const struct lvs_health *h = e->n_health ? lvs_health_find(e, key) : NULL;

	return h ? h->up : true;
}

static uint32_t fwd_of(enum cfg_lb_kind k)
{
	switch (k) {
	case CFG_LB_KIND_DR: return IPVS_FWD_ROUTE;
	case CFG_LB_KIND_TUN: return IPVS_FWD_TUNNEL;
	default: return IPVS_FWD_MASQ;
	}
}

/* Counts the leading one bits of a netmask (keepalived keeps a
 * persistence_granularity as a mask for both families). */
static uint8_t mask_prefix(const struct cfg_addr *a, uint16_t af)
{
	size_t bytes = af == AF_INET6 ? 16 : 4;
	uint8_t n = 0;

	if (a->af == CFG_AF_ANY)
		return (uint8_t)(bytes * 8);
	for (size_t i = 0; i < bytes; i++) {
		for (int b = 7; b >= 0; b--) {
			if (!(a->b[i] & (1u << b)))
				return n;
			n++;
		}
	}
	return n;
}

/* The service fields every service of a virtual server shares. */
static void fill_service(struct ipvs_service *svc, const struct cfg_virtual_server *vs)
{
	snprintf(svc->sched_name, sizeof(svc->sched_name), "%s",
		 vs->lb_algo[0] ? vs->lb_algo : "wlc");
	if (vs->persistence_timeout_ms > 0) {
		svc->flags |= IPVS_SVC_F_PERSISTENT;
		svc->timeout = (uint32_t)(vs->persistence_timeout_ms / 1000);
		svc->prefix = mask_prefix(&vs->persistence_granularity, svc->key.af);
	}
	/* Passed on persistent or not, as keepalived does: the kernel keeps
	 * it either way (and uses it only when persistent), so what it
	 * reports matches what was configured and reconcile sees no drift.
	 * The kernel loads ip_vs_pe_NAME itself on first use. */
	snprintf(svc->pe_name, sizeof(svc->pe_name), "%s", vs->pe_name);
	if (vs->ops == 1)
		svc->flags |= IPVS_SVC_F_ONEPACKET;
	for (size_t i = 0; i < vs->sched_flags.len; i++) {
		const char *f = vs->sched_flags.items[i];

		if (!strcmp(f, "sh-fallback") || !strcmp(f, "mh-fallback") || !strcmp(f, "flag-1"))
			svc->flags |= IPVS_SVC_F_SCHED1;
		else if (!strcmp(f, "sh-port") || !strcmp(f, "mh-port") || !strcmp(f, "flag-2"))
			svc->flags |= IPVS_SVC_F_SCHED2;
		else if (!strcmp(f, "flag-3"))
			svc->flags |= IPVS_SVC_F_SCHED3;
	}
}

static struct lvs_dest_want *add_dest(struct lvs_svc_want *s)
{
	struct lvs_dest_want *dw;

	if (s->n_dests == s->cap_dests) {
		s->cap_dests = s->cap_dests ? s->cap_dests * 2 : 4;
		s->dests = xreallocarray(s->dests, s->cap_dests, sizeof(*s->dests));
	}
	dw = &s->dests[s->n_dests++];
	memset(dw, 0, sizeof(*dw));
	return dw;
}

/* The kernel's tunnel fields for a TUN dest. UNSET is ipip, the kernel's
 * default; csum UNSET and nocsum are both flags 0. */
static void fill_tunnel(struct ipvs_dest *d, const struct cfg_tunnel *t)
{
	switch (t->type) {
	case CFG_TUN_GUE:
		d->tun_type = IPVS_TUN_GUE;
		d->tun_port = (uint16_t)t->port;
		break;
	case CFG_TUN_GRE:
		d->tun_type = IPVS_TUN_GRE;
		break;
	case CFG_TUN_UNSET:
	case CFG_TUN_IPIP:
		d->tun_type = IPVS_TUN_IPIP;
		break;
	}
	if (t->csum == CFG_TUN_CSUM)
		d->tun_flags = IPVS_TUN_F_CSUM;
	else if (t->csum == CFG_TUN_REMCSUM)
		d->tun_flags = IPVS_TUN_F_REMCSUM;
}

/* Fills a real server's address, port and method (with its tunnel, for
 * TUN) for service svc. */
static void fill_dest(struct ipvs_dest *d, const struct ipvs_service *svc,
		      const struct cfg_endpoint *ep, enum cfg_lb_kind kind,
		      const struct cfg_tunnel *tun)
{
	d->af = lvs_af(ep->addr.af);
	memcpy(d->addr.raw, ep->addr.b, d->af == AF_INET6 ? 16 : 4);
	d->port = ep->port > 0 ? (uint16_t)ep->port : svc->key.port;
	d->fwd = fwd_of(kind);
	if (!svc->key.fwmark && (d->fwd == IPVS_FWD_ROUTE || d->fwd == IPVS_FWD_TUNNEL))
		d->port = svc->key.port;
	if (d->fwd == IPVS_FWD_TUNNEL)
		fill_tunnel(d, tun);
}

/* Writes "real-server VS-KEY ", the part of the runtime key every real
 * server of vs shares, into b. */
static void rs_key_prefix(const struct cfg_virtual_server *vs, struct strbuf *b)
{
	strbuf_puts(b, "real-server ");
	if (vs->kind == CFG_VS_GROUP) {
		strbuf_printf(b, "group %s", vs->group);
	} else {
		struct config_vs_key k = { 0 };

		k.kind = vs->kind;
		k.protocol = vs->protocol;
		k.ep = vs->ep;
		k.fwmark = vs->fwmark;
		config_vs_key_format(&k, b);
	}
	strbuf_putc(b, ' ');
}

/* The key of rs after its virtual server's prefix (rs_key_prefix). */
static char *rs_key_after(const struct strbuf *prefix, const struct cfg_real_server *rs)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_append(&b, prefix->data, prefix->len);
	cfg_endpoint_text(&rs->ep, &b);
	return strbuf_detach(&b);
}

char *lvs_rs_key(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs)
{
	struct strbuf prefix = STRBUF_INIT;
	char *key;

	rs_key_prefix(vs, &prefix);
	key = rs_key_after(&prefix, rs);
	strbuf_free(&prefix);
	return key;
}

/* Adds the real servers (and maybe the sorry server) of vs to s.
 * quorum_up: the virtual server's quorum (lvs_quorum.c); while it is
 * lost and a sorry server is set, the live real servers leave (weight 0
 * with inhibit_on_failure) and the sorry server alone serves, as in
 * keepalived. With sorry_server_inhibit the sorry server stays in IPVS at
 * weight 0 while the quorum is up. */
static void add_dests(struct lvs_engine *e, struct lvs_svc_want *s,
		      const struct cfg_virtual_server *vs, const struct runtime_state *rt,
		      bool quorum_up)
{
	bool have_sorry = vs->sorry_server.addr.af != CFG_AF_ANY;
	bool sorry_serves = !quorum_up && have_sorry;
	struct strbuf prefix = STRBUF_INIT;
	struct cfg_vs_key vk;

	/* Once per virtual server: formatting it for each of its real
	 * servers was most of building 10,000 services x 4. */
	rs_key_prefix(vs, &prefix);
	lvs_vs_key_of(vs, &vk);
	for (size_t i = 0; i < vs->n_rs; i++) {
		const struct cfg_real_server *rs = &vs->rs[i];
		struct lvs_dest_want *dw = add_dest(s);
		const struct runtime_override *o;
		struct runtime_key rk;
		struct cfg_rs_key hk;
		bool inhibit = rs->co.inhibit_on_failure == 1;
		int dyn;

		dw->key = rs_key_after(&prefix, rs);
		/* The tunnel goes with the method (model.c's merge does
		 * the same): a real server's own lvs_method brings its own. */
		if (rs->lb_kind != CFG_LB_KIND_UNSET)
			fill_dest(&dw->dest, &s->svc, &rs->ep, rs->lb_kind, &rs->tun);
		else
			fill_dest(&dw->dest, &s->svc, &rs->ep, vs->lb_kind, &vs->tun);
		dw->cfg_weight = rs->weight >= 0 ? rs->weight : 1;
		dw->dest.weight = dw->cfg_weight;
		dw->dest.u_threshold = rs->uthreshold > 0 ? (uint32_t)rs->uthreshold : 0;
		dw->dest.l_threshold = rs->lthreshold > 0 ? (uint32_t)rs->lthreshold : 0;
		/* misc_dynamic first, then the operator's weight over it. */
		cfg_rs_key_of(&hk, &vk, &rs->ep);
		dyn = lvs_health_weight(e, &hk);
		if (dyn >= 0)
			dw->dest.weight = dyn;
		runtime_key_rs_of(&rk, vs, &rs->ep);
		o = runtime_lookup(rt, &rk);
		if (o && o->weight >= 0)
			dw->dest.weight = o->weight;
		if (!lvs_health_up(e, &hk)) {
			dw->state = LVS_RS_DOWN;
		} else if (o && o->admin == RUNTIME_DISABLED) {
			dw->state = LVS_RS_DISABLED;
		} else if (sorry_serves) {
			dw->state = LVS_RS_NO_QUORUM;
		} else {
			if (o && o->admin == RUNTIME_DRAINING) {
				dw->state = LVS_RS_DRAINING;
				dw->dest.weight = 0;
			}
			continue;
		}
		/* Down, disabled or out for the sorry server: out, unless
		 * inhibit_on_failure keeps it in at weight 0 (its persistent
		 * clients stay put). */
		dw->dest.weight = 0;
		dw->absent = !inhibit;
	}
	strbuf_free(&prefix);
	if (have_sorry && (sorry_serves || vs->sorry_server_inhibit == 1)) {
		struct lvs_dest_want *dw = add_dest(s);

		fill_dest(&dw->dest, &s->svc, &vs->sorry_server, vs->lb_kind, &vs->tun);
		dw->dest.weight = sorry_serves ? 1 : 0;
		dw->cfg_weight = 1;
		dw->state = LVS_RS_SORRY;
	}
}

/* The sum of the weights of vs's live real servers (health up, not
 * disabled), each with the weight it would have in IPVS. */
static long live_weight(const struct lvs_engine *e, const struct cfg_virtual_server *vs,
			const struct runtime_state *rt)
{
	long sum = 0;
	struct cfg_vs_key vk;

	lvs_vs_key_of(vs, &vk);
	for (size_t i = 0; i < vs->n_rs; i++) {
		const struct cfg_real_server *rs = &vs->rs[i];
		struct cfg_rs_key key;
		struct runtime_key rk;
		const struct runtime_override *o;
		long w = rs->weight >= 0 ? rs->weight : 1;
		int dyn;

		cfg_rs_key_of(&key, &vk, &rs->ep);
		dyn = lvs_health_weight(e, &key);

		runtime_key_rs_of(&rk, vs, &rs->ep);
		o = runtime_lookup(rt, &rk);
		if (dyn >= 0)
			w = dyn;
		if (o && o->weight >= 0)
			w = o->weight;
		if (o && o->admin == RUNTIME_DRAINING)
			w = 0;
		if (lvs_health_up(e, &key) && !(o && o->admin == RUNTIME_DISABLED))
			sum += w;
	}
	return sum;
}

/* What one virtual server's build needs besides the virtual server. */
struct vs_build {
	const struct cfg_vs_key *vk;
	const struct runtime_state *rt;
	bool quorum_up;
	struct lvs_keyset *touched;	/* NULL at a whole build */
};

/* Appends one service of vs with key k (every other field from vs). */
static void add_service(struct lvs_engine *e, const struct cfg_virtual_server *vs,
			const struct ipvs_service_key *k, const struct vs_build *b)
{
	struct lvs_desired *w = &e->want;
	struct lvs_svc_want *s, *there;
	struct strbuf name = STRBUF_INIT;

	/* A group may list a service twice, or two virtual servers may
	 * overlap: the first wins, as the kernel would refuse the second.
	 * The loser is remembered, to be built again when a service
	 * leaves (it may be that one). */
	if ((there = lvs_desired_find(w, k))) {
		if (!cfg_vs_key_equal(&there->vs, b->vk))
			lvs_shadow(e, b->vk);
		return;
	}
	if (w->n_svcs == w->cap_svcs) {
		w->cap_svcs = w->cap_svcs ? w->cap_svcs * 2 : 16;
		w->svcs = xreallocarray(w->svcs, w->cap_svcs, sizeof(*w->svcs));
	}
	s = &w->svcs[w->n_svcs];
	memset(s, 0, sizeof(*s));
	ipvs_service_init(&s->svc, k->af);
	s->svc.key = *k;
	s->vs = *b->vk;
	fill_service(&s->svc, vs);
	cfg_vs_identity(vs, &name);
	s->vs_name = strbuf_detach(&name);
	add_dests(e, s, vs, b->rt, b->quorum_up);
	w->n_svcs++;
	lvs_index_add(&w->idx, w->svcs, w->n_svcs - 1, want_key_at);
	lvs_vsx_add(&w->vs_idx, w->svcs, w->n_svcs - 1, want_vs_at);
	if (b->touched)
		lvs_keyset_add(b->touched, k);
}

/* Deletes want.svcs[i], which no index holds any more: the last service
 * takes its place (and its index entries follow it). */
static void drop_unindexed(struct lvs_desired *w, size_t i)
{
	size_t last = w->n_svcs - 1;

	svc_want_clear(&w->svcs[i]);
	if (i != last) {
		lvs_index_remove(&w->idx, w->svcs, last, want_key_at);
		lvs_vsx_remove(&w->vs_idx, w->svcs, last, want_vs_at);
		w->svcs[i] = w->svcs[last];
		lvs_index_reinsert(&w->idx, w->svcs, i, want_key_at);
		lvs_vsx_reinsert(&w->vs_idx, w->svcs, i, want_vs_at);
	}
	w->n_svcs--;
}

/* Swaps want.svcs[p] (not indexed) and want.svcs[q] (indexed): the
 * indexed one moves to p. */
static void swap_into(struct lvs_desired *w, size_t p, size_t q)
{
	struct lvs_svc_want tmp;

	lvs_index_remove(&w->idx, w->svcs, q, want_key_at);
	lvs_vsx_remove(&w->vs_idx, w->svcs, q, want_vs_at);
	tmp = w->svcs[p];
	w->svcs[p] = w->svcs[q];
	w->svcs[q] = tmp;
	lvs_index_reinsert(&w->idx, w->svcs, p, want_key_at);
	lvs_vsx_reinsert(&w->vs_idx, w->svcs, p, want_vs_at);
}

static int cmp_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Expands one virtual_server_group entry into services of vs. */
static void add_group_entry(struct lvs_engine *e, const struct cfg_virtual_server *vs,
			    const struct cfg_vsg_entry *ge, const struct vs_build *q)
{
	struct ipvs_service_key k;

	memset(&k, 0, sizeof(k));
	if (ge->is_fwmark) {
		k.af = lvs_af(vs->af);
		k.fwmark = ge->fwmark;
		add_service(e, vs, &k, q);
		return;
	}
	k.af = lvs_af(ge->addr.af);
	k.protocol = lvs_proto(vs->protocol);
	k.port = (uint16_t)(ge->port > 0 ? ge->port : 0);
	memcpy(k.addr.raw, ge->addr.b, k.af == AF_INET6 ? 16 : 4);
	if (ge->range_last == CFG_UNSET) {
		add_service(e, vs, &k, q);
		return;
	}
	if (k.af == AF_INET) {
		for (int b = ge->addr.b[3]; b <= ge->range_last && b <= 255; b++) {
			k.addr.raw[3] = (uint8_t)b;
			add_service(e, vs, &k, q);
		}
		return;
	}
	for (int v = (ge->addr.b[14] << 8) | ge->addr.b[15]; v <= ge->range_last && v <= 65535;
	     v++) {
		k.addr.raw[14] = (uint8_t)(v >> 8);
		k.addr.raw[15] = (uint8_t)v;
		add_service(e, vs, &k, q);
	}
}

/* The sync daemon of global_defs: master while the VRRP instance it
 * follows is MASTER, backup otherwise (lvs_vrrp.c rebuilds on every
 * change). Without a running instance of that name (no VRRP engine, or
 * not started yet): its configured state decides; without an instance,
 * master. */
static void build_daemon(struct lvs_engine *e, const struct config *cfg)
{
	struct lvs_desired *w = &e->want;
	const struct cfg_lvs_sync_daemon *s = &cfg->global.sync;
	const struct cfg_vrrp_instance *vi;
	int master;

	if (!s->interface)
		return;
	w->want_daemon = true;
	vi = s->instance ? config_find_vrrp(cfg, s->instance) : NULL;
	master = s->instance ? lvs_vrrp_is_master(e, s->instance) : 1;
	if (master < 0)
		master = !(vi && vi->state == CFG_VRRP_STATE_BACKUP);
	w->daemon.state = master ? IPVS_DAEMON_MASTER : IPVS_DAEMON_BACKUP;
	snprintf(w->daemon.mcast_ifn, sizeof(w->daemon.mcast_ifn), "%s", s->interface);
	w->daemon.syncid = s->id > 0 ? (uint32_t)s->id : 0;
	w->daemon.sync_maxlen = s->maxlen > 0 ? (uint16_t)s->maxlen : 0;
	w->daemon.mcast_port = s->port > 0 ? (uint16_t)s->port : 0;
	w->daemon.mcast_ttl = s->ttl > 0 ? (uint8_t)s->ttl : 0;
	if (s->group.af != CFG_AF_ANY) {
		w->daemon.mcast_af = lvs_af(s->group.af);
		memcpy(w->daemon.mcast_group.raw, s->group.b, 16);
	}
}

/* Adds the services of vs (key vk): its quorum first (it decides who
 * serves), then one service, or one per entry of its group. */
static void build_vs(struct lvs_engine *e, const struct config *cfg,
		     const struct cfg_virtual_server *vs, struct vs_build *b)
{
	struct ipvs_service_key k;
	struct strbuf name = STRBUF_INIT;

	/* The quorum acts only through a sorry server or a script:
	 * without them, skip its bookkeeping (10,000 services). */
	b->quorum_up = true;
	if (vs->sorry_server.addr.af != CFG_AF_ANY || vs->quorum_up || vs->quorum_down) {
		cfg_vs_identity(vs, &name);
		b->quorum_up = lvs_quorum_eval(e, vs, strbuf_str(&name), live_weight(e, vs, b->rt),
					       cfg->global.script_user);
	} else if (b->touched && e->n_quorum) {
		/* Rebuilt without them: a quorum it had is forgotten. */
		cfg_vs_identity(vs, &name);
		lvs_quorum_forget(e, strbuf_str(&name));
	}
	strbuf_free(&name);
	memset(&k, 0, sizeof(k));
	switch (vs->kind) {
	case CFG_VS_ADDR:
		k.af = lvs_af(vs->ep.addr.af);
		k.protocol = lvs_proto(vs->protocol);
		k.port = (uint16_t)(vs->ep.port > 0 ? vs->ep.port : 0);
		memcpy(k.addr.raw, vs->ep.addr.b, k.af == AF_INET6 ? 16 : 4);
		add_service(e, vs, &k, b);
		break;
	case CFG_VS_FWMARK:
		k.af = lvs_af(vs->af);
		k.fwmark = vs->fwmark;
		add_service(e, vs, &k, b);
		break;
	case CFG_VS_GROUP: {
		const struct cfg_vs_group *g = config_find_vs_group(cfg, vs->group);

		for (size_t j = 0; g && j < g->n_entries; j++)
			add_group_entry(e, vs, &g->entries[j], b);
		break;
	}
	}
}

void lvs_desired_globals(struct lvs_engine *e, const struct config *cfg)
{
	struct lvs_desired *w = &e->want;

	memset(&w->timeouts, 0, sizeof(w->timeouts));
	w->want_daemon = false;
	memset(&w->daemon, 0, sizeof(w->daemon));
	if (!cfg)
		return;
	w->timeouts.tcp = (uint32_t)(cfg->global.lvs_timeout_tcp_ms > 0
				     ? cfg->global.lvs_timeout_tcp_ms / 1000 : 0);
	w->timeouts.tcp_fin = (uint32_t)(cfg->global.lvs_timeout_tcpfin_ms > 0
					 ? cfg->global.lvs_timeout_tcpfin_ms / 1000 : 0);
	w->timeouts.udp = (uint32_t)(cfg->global.lvs_timeout_udp_ms > 0
				     ? cfg->global.lvs_timeout_udp_ms / 1000 : 0);
	build_daemon(e, cfg);
}

void lvs_desired_build(struct lvs_engine *e, const struct config *cfg,
		       const struct runtime_state *rt)
{
	struct lvs_desired *w = &e->want;

	lvs_desired_free(w);
	lvs_index_build(&w->idx, NULL, 0, want_key_at);
	lvs_vsx_build(&w->vs_idx, NULL, 0, want_vs_at);
	e->n_shadowed = 0;
	lvs_quorum_begin(e);
	for (size_t i = 0; cfg && i < cfg->n_vs; i++) {
		struct cfg_vs_key vk;
		struct vs_build b = { &vk, rt, true, NULL };

		lvs_vs_key_of(cfg->vs[i], &vk);
		build_vs(e, cfg, cfg->vs[i], &b);
	}
	lvs_quorum_end(e);
	lvs_desired_globals(e, cfg);
}

bool lvs_desired_rebuild_vs(struct lvs_engine *e, const struct config *cfg,
			    const struct cfg_vs_key *vk, const struct cfg_virtual_server *vs,
			    struct lvs_keyset *touched)
{
	struct lvs_desired *w = &e->want;
	struct vs_build b = { vk, e->d->runtime, true, touched };
	size_t *old = NULL, n_old = 0, cap_old = 0, first_new;
	char *gone_name = NULL;
	bool left = false;
	long i;

	/* The services it had leave the indexes but keep their places, so
	 * that a service built again with the same key takes its old place
	 * back: show virtual-server keeps the configuration's order through
	 * edits and health changes. */
	while ((i = lvs_vsx_find(&w->vs_idx, w->svcs, want_vs_at, vk)) >= 0) {
		if (n_old == cap_old) {
			cap_old = cap_old ? cap_old * 2 : 4;
			old = xreallocarray(old, cap_old, sizeof(*old));
		}
		old[n_old++] = (size_t)i;
		lvs_keyset_add(touched, &w->svcs[i].svc.key);
		if (!vs && !gone_name && e->n_quorum)
			gone_name = xstrdup(w->svcs[i].vs_name);
		lvs_index_remove(&w->idx, w->svcs, (size_t)i, want_key_at);
		lvs_vsx_remove(&w->vs_idx, w->svcs, (size_t)i, want_vs_at);
	}
	first_new = w->n_svcs;
	if (vs)
		build_vs(e, cfg, vs, &b);
	else if (gone_name)
		lvs_quorum_forget(e, gone_name);
	free(gone_name);
	/* Each new service onto the old one with its key; what is left of
	 * the old ones (now wherever a new one was) is deleted. */
	for (size_t q = first_new; q < w->n_svcs; q++) {
		for (size_t x = 0; x < n_old; x++) {
			if (old[x] >= first_new ||
			    !lvs_key_equal(&w->svcs[old[x]].svc.key, &w->svcs[q].svc.key))
				continue;
			swap_into(w, old[x], q);
			old[x] = q;
			break;
		}
	}
	if (n_old > 1)
		qsort(old, n_old, sizeof(*old), cmp_desc);
	for (size_t x = 0; x < n_old; x++) {
		left = left || lvs_desired_find(w, &w->svcs[old[x]].svc.key) == NULL;
		drop_unindexed(w, old[x]);
	}
	free(old);
	return left;
}
