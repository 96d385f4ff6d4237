#include "config.h"

#include "config/conf.h"

#include "config/model.h"
#include "config/rules.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ */
/* Arrays and lifecycle */

void *cfg_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 4;
	while (ncap < need)
		ncap *= 2;
	arr = xreallocarray(arr, ncap, size);
	memset((char *)arr + *cap * size, 0, (ncap - *cap) * size);
	*cap = ncap;
	return arr;
}

struct config *config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));

	cfg->files = xcalloc(1, sizeof(*cfg->files));
	cfg->files->refs = 1;
	strvec_init(&cfg->files->names);
	strvec_init(&cfg->kad_included);
	cfg_global_init(&cfg->global);
	cfg_proxy_init_builtin(&cfg->builtin);
	cfg->hap.stats_socket_mode = -1;
	return cfg;
}

const char *config_intern_file(struct config *cfg, const char *path)
{
	struct strvec *names = &cfg->files->names;

	for (size_t i = 0; i < names->len; i++)
		if (strcmp(names->items[i], path) == 0)
			return names->items[i];
	strvec_push(names, path);
	return names->items[names->len - 1];
}

struct cfg_files *cfg_files_ref(struct cfg_files *f)
{
	f->refs++;
	return f;
}

static void files_unref(struct cfg_files *f)
{
	if (f && --f->refs == 0) {
		strvec_free(&f->names);
		free(f);
	}
}

void cfg_vip_free(struct cfg_vip *v)
{
	free(v->dev);
	free(v->scope);
	free(v->label);
}

static void vrrp_instance_free(struct cfg_vrrp_instance *vi)
{
	free(vi->name);
	free(vi->interface);
	free(vi->auth_pass);
	for (size_t i = 0; i < vi->n_vips; i++)
		cfg_vip_free(&vi->vips[i]);
	free(vi->vips);
	for (size_t i = 0; i < vi->n_vips_excluded; i++)
		cfg_vip_free(&vi->vips_excluded[i]);
	free(vi->vips_excluded);
	for (size_t i = 0; i < vi->n_track_ifs; i++)
		free(vi->track_ifs[i].name);
	free(vi->track_ifs);
	for (size_t i = 0; i < vi->n_track_scripts; i++)
		free(vi->track_scripts[i].name);
	free(vi->track_scripts);
	free(vi->notify_master);
	free(vi->notify_backup);
	free(vi->notify_fault);
	free(vi->notify_stop);
	free(vi->notify);
	free(vi->unicast_peers);
}

static void checker_free(struct cfg_checker *c)
{
	free(c->co.virtualhost);
	free(c->http_protocol);
	for (size_t i = 0; i < c->n_urls; i++) {
		free(c->urls[i].path);
		free(c->urls[i].digest);
		free(c->urls[i].codes);
	}
	free(c->urls);
	free(c->misc_path);
	free(c->user);
}

void cfg_real_server_free(struct cfg_real_server *rs)
{
	free(rs->notify_up);
	free(rs->notify_down);
	free(rs->co.virtualhost);
	for (size_t i = 0; i < rs->n_checkers; i++)
		checker_free(&rs->checkers[i]);
	free(rs->checkers);
}

static void virtual_server_free(struct cfg_virtual_server *vs)
{
	free(vs->group);
	strvec_free(&vs->sched_flags);
	free(vs->quorum_up);
	free(vs->quorum_down);
	free(vs->co.virtualhost);
	for (size_t i = 0; i < vs->n_rs; i++)
		cfg_real_server_free(&vs->rs[i]);
	free(vs->rs);
}

struct cfg_virtual_server *cfg_vs_new(void)
{
	struct cfg_virtual_server *vs = xmalloc(sizeof(*vs));

	cfg_virtual_server_init(vs);
	return vs;
}

struct cfg_virtual_server *cfg_vs_ref(struct cfg_virtual_server *vs)
{
	vs->refs++;
	return vs;
}

void cfg_vs_unref(struct cfg_virtual_server *vs)
{
	if (vs && --vs->refs == 0) {
		virtual_server_free(vs);
		free(vs);
	}
}

struct cfg_virtual_server *config_vs_append(struct config *cfg,
					    struct cfg_virtual_server *vs)
{
	*CFG_APPEND(cfg->vs, cfg->n_vs, cfg->cap_vs) = vs;
	return vs;
}

void config_vs_remove(struct config *cfg, size_t i)
{
	struct cfg_virtual_server *vs = cfg->vs[i];

	memmove(&cfg->vs[i], &cfg->vs[i + 1],
		(cfg->n_vs - i - 1) * sizeof(*cfg->vs));
	cfg->vs[--cfg->n_vs] = NULL;
	cfg_vs_unref(vs);
}

struct cfg_virtual_server *config_vs_own(struct config *cfg, size_t i)
{
	struct cfg_virtual_server *vs = cfg->vs[i];

	if (vs->refs > 1) {
		struct cfg_virtual_server *mine = xmalloc(sizeof(*mine));

		cfg_virtual_server_copy(cfg, mine, vs);
		vs->refs--;
		cfg->vs[i] = mine;
		return mine;
	}
	return vs;
}

void cfg_proxy_free(struct cfg_proxy *p)
{
	free(p->name);
	free(p->balance_arg);
	for (size_t i = 0; i < p->n_options; i++) {
		free(p->options[i].name);
		free(p->options[i].args);
	}
	free(p->options);
	free(p->binds);
	free(p->default_backend);
	for (size_t i = 0; i < p->n_servers; i++) {
		free(p->servers[i].name);
		free(p->servers[i].cookie);
	}
	free(p->servers);
	free(p->stats_uri);
	free(p->stats_realm);
	strvec_free(&p->stats_auth);
	strvec_free(&p->accept_proxy);
	for (size_t i = 0; i < p->n_bind_ssl; i++) {
		free(p->bind_ssl[i].bind);
		free(p->bind_ssl[i].opts);
		free(p->bind_ssl[i].stamp);
	}
	free(p->bind_ssl);
	free(p->http_check_expect);
	strvec_free(&p->logs);
	free(p->log_tag);
	free(p->log_format);
	free(p->cookie);
	strvec_free(&p->errorfiles);
	strvec_free(&p->captures);
	cfg_rules_free(p->rules);
	memset(p, 0, sizeof(*p));
}

void config_free(struct config *cfg)
{
	struct cfg_global *g;

	if (!cfg)
		return;
	g = &cfg->global;
	free(cfg->hap.stats_socket);
	free(g->router_id);
	free(g->script_user);
	free(g->snmp_socket);
	free(g->softlb_metrics);
	free(g->sync.interface);
	free(g->sync.instance);
	for (size_t i = 0; i < cfg->n_scripts; i++) {
		free(cfg->scripts[i].name);
		free(cfg->scripts[i].script);
		free(cfg->scripts[i].user);
	}
	free(cfg->scripts);
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		vrrp_instance_free(&cfg->vrrp[i]);
	free(cfg->vrrp);
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		struct cfg_sync_group *sg = &cfg->sync_groups[i];

		free(sg->name);
		strvec_free(&sg->members);
		free(sg->notify_master);
		free(sg->notify_backup);
		free(sg->notify_fault);
		free(sg->notify);
	}
	free(cfg->sync_groups);
	for (size_t i = 0; i < cfg->n_vs_groups; i++) {
		free(cfg->vs_groups[i].name);
		free(cfg->vs_groups[i].entries);
	}
	free(cfg->vs_groups);
	for (size_t i = 0; i < cfg->n_vs; i++)
		cfg_vs_unref(cfg->vs[i]);
	free(cfg->vs);
	cfg_proxy_free(&cfg->builtin);
	for (size_t i = 0; i < cfg->n_defaults; i++)
		cfg_proxy_free(&cfg->defaults[i]);
	free(cfg->defaults);
	for (size_t i = 0; i < cfg->n_proxies; i++)
		cfg_proxy_free(&cfg->proxies[i]);
	free(cfg->proxies);
	files_unref(cfg->files);
	for (size_t i = 0; i < cfg->n_includes; i++)
		free(cfg->includes[i].pattern);
	free(cfg->includes);
	strvec_free(&cfg->kad_included);
	free(cfg->kad_path);
	free(cfg->hap_path);
	strvec_free(&cfg->hap.logs);
	free(cfg->hap.log_tag);
	cfg_rules_free(cfg->hap.userlists);
	free(cfg->hap.ssl_bind_ciphers);
	free(cfg->hap.ssl_bind_ciphersuites);
	free(cfg->hap.ssl_bind_options);
	if (cfg->edit_marks) {
		free(cfg->edit_marks->vs);
		strvec_free(&cfg->edit_marks->vs_groups);
		strvec_free(&cfg->edit_marks->proxies);
		strvec_free(&cfg->edit_marks->vrrp);
		free(cfg->edit_marks);
	}
	free(cfg);
}

/* ================================================================ */
/* Initialisers */

void cfg_global_init(struct cfg_global *g)
{
	memset(g, 0, sizeof(*g));
	g->vrrp_version = CFG_UNSET;
	g->vrrp_garp_master_delay_ms = CFG_UNSET;
	g->vrrp_garp_master_repeat = CFG_UNSET;
	g->vrrp_garp_master_refresh_ms = CFG_UNSET;
	g->vrrp_garp_master_refresh_repeat = CFG_UNSET;
	g->enable_script_security = CFG_UNSET;
	g->vrrp_skip_check_adv_addr = CFG_UNSET;
	g->vrrp_strict = CFG_UNSET;
	g->v3_checksum_as_v2 = CFG_UNSET;
	g->enable_snmp_vrrp = CFG_UNSET;
	g->enable_snmp_checker = CFG_UNSET;
	g->enable_snmp_rfcv2 = CFG_UNSET;
	g->enable_snmp_rfcv3 = CFG_UNSET;
	g->enable_snmp_proxy = CFG_UNSET;
	g->enable_traps = CFG_UNSET;
	g->lvs_timeout_tcp_ms = CFG_UNSET;
	g->lvs_timeout_tcpfin_ms = CFG_UNSET;
	g->lvs_timeout_udp_ms = CFG_UNSET;
	g->sync.id = CFG_UNSET;
	g->sync.maxlen = CFG_UNSET;
	g->sync.port = CFG_UNSET;
	g->sync.ttl = CFG_UNSET;
}

void cfg_check_opts_init(struct cfg_check_opts *co)
{
	co->delay_loop_ms = CFG_UNSET;
	co->warmup_ms = CFG_UNSET;
	co->connect_timeout_ms = CFG_UNSET;
	co->retry = CFG_UNSET;
	co->delay_before_retry_ms = CFG_UNSET;
	co->inhibit_on_failure = CFG_UNSET;
	co->virtualhost = NULL;
}

void cfg_vrrp_script_init(struct cfg_vrrp_script *s)
{
	memset(s, 0, sizeof(*s));
	s->interval_ms = CFG_UNSET;
	s->timeout_ms = CFG_UNSET;
	s->weight = CFG_UNSET_WEIGHT;
	s->rise = CFG_UNSET;
	s->fall = CFG_UNSET;
}

void cfg_vrrp_instance_init(struct cfg_vrrp_instance *vi)
{
	memset(vi, 0, sizeof(*vi));
	vi->vrid = CFG_UNSET;
	vi->priority = CFG_UNSET;
	vi->advert_int_ms = CFG_UNSET;
	vi->version = CFG_UNSET;
	vi->nopreempt = CFG_UNSET;
	vi->preempt_delay_ms = CFG_UNSET;
	vi->strict_mode = CFG_UNSET;
	vi->v3_checksum_as_v2 = CFG_UNSET;
	vi->garp_master_delay_ms = CFG_UNSET;
	vi->garp_master_repeat = CFG_UNSET;
	vi->garp_master_refresh_ms = CFG_UNSET;
	vi->garp_master_refresh_repeat = CFG_UNSET;
	vi->dont_track_primary = CFG_UNSET;
}

void cfg_virtual_server_init(struct cfg_virtual_server *vs)
{
	memset(vs, 0, sizeof(*vs));
	vs->refs = 1;
	vs->ep.port = CFG_UNSET;
	strvec_init(&vs->sched_flags);
	vs->persistence_timeout_ms = CFG_UNSET;
	vs->ops = CFG_UNSET;
	vs->alpha = CFG_UNSET;
	vs->omega = CFG_UNSET;
	vs->quorum = CFG_UNSET;
	vs->hysteresis = CFG_UNSET;
	vs->sorry_server.port = CFG_UNSET;
	vs->sorry_server_inhibit = CFG_UNSET;
	cfg_check_opts_init(&vs->co);
}

void cfg_real_server_init(struct cfg_real_server *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->ep.port = CFG_UNSET;
	rs->weight = CFG_UNSET;
	rs->uthreshold = CFG_UNSET;
	rs->lthreshold = CFG_UNSET;
	cfg_check_opts_init(&rs->co);
}

void cfg_checker_init(struct cfg_checker *c, enum cfg_check_kind kind)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	cfg_check_opts_init(&c->co);
	c->connect_port = CFG_UNSET;
	c->bind_port = CFG_UNSET;
	c->misc_timeout_ms = CFG_UNSET;
	c->misc_dynamic = CFG_UNSET;
}

void cfg_server_opts_init(struct cfg_server_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->weight = 1;
	o->check = 0;
	o->inter_ms = 2000;
	o->fastinter_ms = CFG_UNSET;
	o->downinter_ms = CFG_UNSET;
	o->rise = 2;
	o->fall = 3;
	o->port = CFG_UNSET;
	o->pool_max_conn = CFG_UNSET;
	o->pool_purge_ms = CFG_UNSET;
	o->ssl_verify = CFG_UNSET;
}

void cfg_proxy_init_builtin(struct cfg_proxy *p)
{
	memset(p, 0, sizeof(*p));
	p->name = xstrdup("");
	p->kind = CFG_PROXY_DEFAULTS;
	p->defaults_pos = -1;
	p->defaults_from = -1;
	p->mode = CFG_MODE_TCP;
	p->balance = CFG_BALANCE_ROUNDROBIN;
	for (int i = 0; i < CFG_TO_COUNT; i++)
		p->timeout_ms[i] = CFG_UNSET;
	p->retries = 3;
	cfg_server_opts_init(&p->default_server);
	strvec_init(&p->stats_auth);
	strvec_init(&p->accept_proxy);
	strvec_init(&p->logs);
	strvec_init(&p->errorfiles);
	strvec_init(&p->captures);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void cfg_proxy_copy(struct cfg_proxy *dst, const struct cfg_proxy *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->balance_arg = dup_or_null(src->balance_arg);
	dst->options = NULL;
	dst->n_options = dst->cap_options = 0;
	for (size_t i = 0; i < src->n_options; i++) {
		struct cfg_option *o = CFG_APPEND(dst->options, dst->n_options,
						  dst->cap_options);

		o->name = xstrdup(src->options[i].name);
		o->args = dup_or_null(src->options[i].args);
	}
	/* binds and servers are never inherited from defaults */
	dst->binds = NULL;
	dst->n_binds = dst->cap_binds = 0;
	strvec_init(&dst->accept_proxy);	/* bind options go with binds */
	dst->bind_ssl = NULL;
	dst->n_bind_ssl = dst->cap_bind_ssl = 0;
	dst->servers = NULL;
	dst->n_servers = dst->cap_servers = 0;
	dst->default_backend = dup_or_null(src->default_backend);
	dst->stats_uri = dup_or_null(src->stats_uri);
	dst->stats_realm = dup_or_null(src->stats_realm);
	strvec_init(&dst->stats_auth);
	for (size_t i = 0; i < src->stats_auth.len; i++)
		strvec_push(&dst->stats_auth, src->stats_auth.items[i]);
	dst->http_check_expect = dup_or_null(src->http_check_expect);
	strvec_init(&dst->logs);
	for (size_t i = 0; i < src->logs.len; i++)
		strvec_push(&dst->logs, src->logs.items[i]);
	dst->log_tag = dup_or_null(src->log_tag);
	dst->log_format = dup_or_null(src->log_format);
	dst->cookie = dup_or_null(src->cookie);
	strvec_init(&dst->errorfiles);
	for (size_t i = 0; i < src->errorfiles.len; i++)
		strvec_push(&dst->errorfiles, src->errorfiles.items[i]);
	strvec_init(&dst->captures);
	for (size_t i = 0; i < src->captures.len; i++)
		strvec_push(&dst->captures, src->captures.items[i]);
	dst->rules = cfg_rules_copy(src->rules);
}

/* ================================================================ */
/* Merge: unset takes the parent's value, then the default */

#define MERGE(field, parent, dflt) \
	do { if ((field) == CFG_UNSET) (field) = (parent); \
	     if ((field) == CFG_UNSET) (field) = (dflt); } while (0)
#define DEFAULT(field, dflt) \
	do { if ((field) == CFG_UNSET) (field) = (dflt); } while (0)

void cfg_check_opts_merge(struct cfg_check_opts *co,
			  const struct cfg_check_opts *parent)
{
	MERGE(co->delay_loop_ms, parent->delay_loop_ms, 60000);
	MERGE(co->warmup_ms, parent->warmup_ms, 0);
	MERGE(co->connect_timeout_ms, parent->connect_timeout_ms, 5000);
	MERGE(co->retry, parent->retry, 1);
	MERGE(co->delay_before_retry_ms, parent->delay_before_retry_ms, 1000);
	MERGE(co->inhibit_on_failure, parent->inhibit_on_failure, 0);
	if (!co->virtualhost && parent->virtualhost)
		co->virtualhost = xstrdup(parent->virtualhost);
}

static void merge_global(struct cfg_global *g)
{
	DEFAULT(g->vrrp_version, 2);
	if (g->mcast_group4.af == CFG_AF_ANY)
		cfg_parse_addr("224.0.0.18", &g->mcast_group4);
	if (g->mcast_group6.af == CFG_AF_ANY)
		cfg_parse_addr("ff02::12", &g->mcast_group6);
	DEFAULT(g->vrrp_garp_master_delay_ms, 5000);
	DEFAULT(g->vrrp_garp_master_repeat, 5);
	DEFAULT(g->vrrp_garp_master_refresh_ms, 0);
	DEFAULT(g->vrrp_garp_master_refresh_repeat, 1);
	DEFAULT(g->enable_script_security, 0);
	DEFAULT(g->vrrp_skip_check_adv_addr, 0);
	DEFAULT(g->vrrp_strict, 0);
	DEFAULT(g->v3_checksum_as_v2, 0);
	DEFAULT(g->enable_snmp_vrrp, 0);
	DEFAULT(g->enable_snmp_checker, 0);
	DEFAULT(g->enable_snmp_rfcv2, 0);
	DEFAULT(g->enable_snmp_rfcv3, 0);
	DEFAULT(g->enable_snmp_proxy, 0);
	DEFAULT(g->enable_traps, 0);
	DEFAULT(g->lvs_timeout_tcp_ms, 0);
	DEFAULT(g->lvs_timeout_tcpfin_ms, 0);
	DEFAULT(g->lvs_timeout_udp_ms, 0);
	DEFAULT(g->sync.id, 0);
	DEFAULT(g->sync.maxlen, 0);
	DEFAULT(g->sync.port, 8848);
	DEFAULT(g->sync.ttl, 1);
}

static void merge_vrrp(const struct config *cfg, struct cfg_vrrp_instance *vi)
{
	const struct cfg_global *g = &cfg->global;

	if (vi->state == CFG_VRRP_STATE_UNSET)
		vi->state = CFG_VRRP_STATE_BACKUP;
	DEFAULT(vi->priority, 100);
	DEFAULT(vi->advert_int_ms, 1000);
	MERGE(vi->version, g->vrrp_version, 2);
	if (vi->auth_type == CFG_VRRP_AUTH_UNSET)
		vi->auth_type = CFG_VRRP_AUTH_NONE;
	DEFAULT(vi->nopreempt, 0);
	DEFAULT(vi->preempt_delay_ms, 0);
	MERGE(vi->garp_master_delay_ms, g->vrrp_garp_master_delay_ms, 5000);
	MERGE(vi->garp_master_repeat, g->vrrp_garp_master_repeat, 5);
	MERGE(vi->garp_master_refresh_ms, g->vrrp_garp_master_refresh_ms, 0);
	MERGE(vi->garp_master_refresh_repeat,
	      g->vrrp_garp_master_refresh_repeat, 1);
	DEFAULT(vi->dont_track_primary, 0);
	MERGE(vi->strict_mode, g->vrrp_strict, 0);
	MERGE(vi->v3_checksum_as_v2, g->v3_checksum_as_v2, 0);
	for (size_t i = 0; i < vi->n_track_ifs; i++)
		if (vi->track_ifs[i].weight == CFG_UNSET_WEIGHT)
			vi->track_ifs[i].weight = 0;
	for (size_t i = 0; i < vi->n_track_scripts; i++) {
		const struct cfg_vrrp_script *s =
			config_find_script(cfg, vi->track_scripts[i].name);
		int *w = &vi->track_scripts[i].weight;

		if (*w == CFG_UNSET_WEIGHT)
			*w = s ? s->weight : 0;
		if (*w == CFG_UNSET_WEIGHT)
			*w = 0;
	}
}

static void merge_vs(struct cfg_virtual_server *vs)
{
	struct cfg_check_opts top;

	if (vs->protocol == CFG_PROTO_UNSET)
		vs->protocol = CFG_PROTO_TCP;
	if (!vs->lb_algo[0])
		strcpy(vs->lb_algo, "wlc");
	if (vs->lb_kind == CFG_LB_KIND_UNSET)
		vs->lb_kind = CFG_LB_KIND_NAT;
	DEFAULT(vs->persistence_timeout_ms, 0);
	DEFAULT(vs->ops, 0);
	DEFAULT(vs->alpha, 0);
	DEFAULT(vs->omega, 0);
	DEFAULT(vs->quorum, 1);
	DEFAULT(vs->hysteresis, 0);
	DEFAULT(vs->sorry_server_inhibit, 0);
	if (vs->kind == CFG_VS_ADDR)
		vs->af = vs->ep.addr.af;
	else if (vs->af == CFG_AF_ANY)
		vs->af = vs->n_rs ? vs->rs[0].ep.addr.af : CFG_AF_INET4;
	cfg_check_opts_init(&top);
	cfg_check_opts_merge(&vs->co, &top);
	for (size_t i = 0; i < vs->n_rs; i++) {
		struct cfg_real_server *rs = &vs->rs[i];

		DEFAULT(rs->weight, 1);
		/* The tunnel goes with the method: a real server that sets
		 * its own lvs_method sets its own tunnel too. */
		if (rs->lb_kind == CFG_LB_KIND_UNSET) {
			rs->lb_kind = vs->lb_kind;
			rs->tun = vs->tun;
		}
		DEFAULT(rs->uthreshold, 0);
		DEFAULT(rs->lthreshold, 0);
		cfg_check_opts_merge(&rs->co, &vs->co);
		for (size_t j = 0; j < rs->n_checkers; j++) {
			struct cfg_checker *c = &rs->checkers[j];

			cfg_check_opts_merge(&c->co, &rs->co);
			if (c->kind == CFG_CHECK_MISC) {
				MERGE(c->misc_timeout_ms, c->co.delay_loop_ms,
				      0);
				DEFAULT(c->misc_dynamic, 0);
			}
		}
	}
}

static void merge_script(struct cfg_vrrp_script *s)
{
	DEFAULT(s->interval_ms, 1000);
	DEFAULT(s->timeout_ms, s->interval_ms);
	if (s->weight == CFG_UNSET_WEIGHT)
		s->weight = 0;
	DEFAULT(s->rise, 1);
	DEFAULT(s->fall, 1);
}

void config_merge_kad(struct config *cfg)
{
	merge_global(&cfg->global);
	for (size_t i = 0; i < cfg->n_scripts; i++)
		merge_script(&cfg->scripts[i]);
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		merge_vrrp(cfg, &cfg->vrrp[i]);
	for (size_t i = 0; i < cfg->n_vs; i++)
		merge_vs(cfg->vs[i]);
}

void cfg_global_defaults(struct cfg_global *g)
{
	cfg_global_init(g);
	merge_global(g);
}

void cfg_vrrp_script_defaults(struct cfg_vrrp_script *s)
{
	cfg_vrrp_script_init(s);
	merge_script(s);
}

void cfg_vrrp_instance_defaults(const struct config *cfg,
				struct cfg_vrrp_instance *vi)
{
	cfg_vrrp_instance_init(vi);
	merge_vrrp(cfg, vi);
}

void cfg_vs_defaults(struct cfg_virtual_server *vs)
{
	cfg_virtual_server_init(vs);
	merge_vs(vs);
}

/* ================================================================ */
/* Lookups and identities */

struct cfg_vrrp_instance *config_find_vrrp(const struct config *cfg,
					   const char *name)
{
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		if (strcmp(cfg->vrrp[i].name, name) == 0)
			return &cfg->vrrp[i];
	return NULL;
}

struct cfg_vrrp_script *config_find_script(const struct config *cfg,
					   const char *name)
{
	for (size_t i = 0; i < cfg->n_scripts; i++)
		if (strcmp(cfg->scripts[i].name, name) == 0)
			return &cfg->scripts[i];
	return NULL;
}

struct cfg_sync_group *config_find_sync_group(const struct config *cfg,
					      const char *name)
{
	for (size_t i = 0; i < cfg->n_sync_groups; i++)
		if (strcmp(cfg->sync_groups[i].name, name) == 0)
			return &cfg->sync_groups[i];
	return NULL;
}

struct cfg_vs_group *config_find_vs_group(const struct config *cfg,
					  const char *name)
{
	for (size_t i = 0; i < cfg->n_vs_groups; i++)
		if (strcmp(cfg->vs_groups[i].name, name) == 0)
			return &cfg->vs_groups[i];
	return NULL;
}

/* The protocol is part of the identity for address and group services;
 * a fwmark service matches any protocol, as in IPVS. The family matters
 * only for fwmark, where it is not implied by an address; it is compared
 * only once both sides know it. */
bool cfg_vs_same_identity(const struct cfg_virtual_server *a,
			  const struct cfg_virtual_server *b)
{
	enum cfg_proto pa = a->protocol ? a->protocol : CFG_PROTO_TCP;
	enum cfg_proto pb = b->protocol ? b->protocol : CFG_PROTO_TCP;

	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CFG_VS_ADDR:
		return pa == pb && cfg_endpoint_equal(&a->ep, &b->ep);
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark &&
			(a->af == CFG_AF_ANY || b->af == CFG_AF_ANY ||
			 a->af == b->af);
	case CFG_VS_GROUP:
		return pa == pb && strcmp(a->group, b->group) == 0;
	}
	return false;
}

long config_find_vs_at(const struct config *cfg,
		       const struct cfg_virtual_server *id)
{
	for (size_t i = 0; i < cfg->n_vs; i++)
		if (cfg_vs_same_identity(cfg->vs[i], id))
			return (long)i;
	return -1;
}

struct cfg_real_server *cfg_vs_find_rs(const struct cfg_virtual_server *vs,
				       const struct cfg_endpoint *ep)
{
	for (size_t i = 0; i < vs->n_rs; i++)
		if (cfg_endpoint_equal(&vs->rs[i].ep, ep))
			return &vs->rs[i];
	return NULL;
}

struct cfg_proxy *config_find_proxy(const struct config *cfg,
				    const char *name)
{
	for (size_t i = 0; i < cfg->n_proxies; i++)
		if (strcmp(cfg->proxies[i].name, name) == 0)
			return &cfg->proxies[i];
	return NULL;
}

struct cfg_server *cfg_proxy_find_server(const struct cfg_proxy *p,
					 const char *name)
{
	for (size_t i = 0; i < p->n_servers; i++)
		if (strcmp(p->servers[i].name, name) == 0)
			return &p->servers[i];
	return NULL;
}

const struct cfg_proxy *config_proxy_base(const struct config *cfg,
				       const struct cfg_proxy *px)
{
	int i = px->defaults_from;

	if (i < 0 && px->kind != CFG_PROXY_DEFAULTS)
		i = px->defaults_pos;
	if (i >= 0 && (size_t)i < cfg->n_defaults)
		return &cfg->defaults[i];
	return &cfg->builtin;
}

int config_find_defaults(const struct config *cfg, const char *name,
			 size_t before)
{
	if (before > cfg->n_defaults)
		before = cfg->n_defaults;
	for (size_t i = before; i-- > 0;)
		if (*name && strcmp(cfg->defaults[i].name, name) == 0)
			return (int)i;
	return -1;
}

const struct cfg_option *cfg_proxy_option(const struct cfg_proxy *p,
					  const char *name)
{
	for (size_t i = 0; i < p->n_options; i++)
		if (strcmp(p->options[i].name, name) == 0)
			return &p->options[i];
	return NULL;
}

void cfg_endpoint_text(const struct cfg_endpoint *ep, struct strbuf *out)
{
	char buf[CFG_ADDRSTRLEN];

	cfg_format_addr(&ep->addr, buf);
	if (ep->addr.af == CFG_AF_INET6)
		strbuf_printf(out, "[%s]", buf);
	else
		strbuf_puts(out, buf);
	if (ep->port != CFG_UNSET) {
		/* ":%d" without printf, as cfg_format_addr writes the address */
		strbuf_putc(out, ':');
		strbuf_put_int(out, ep->port);
	}
}

void cfg_vs_identity(const struct cfg_virtual_server *vs, struct strbuf *out)
{
	enum cfg_proto p = vs->protocol ? vs->protocol : CFG_PROTO_TCP;

	switch (vs->kind) {
	case CFG_VS_ADDR:
		strbuf_printf(out, "%s ", cfg_proto_name(p));
		cfg_endpoint_text(&vs->ep, out);
		break;
	case CFG_VS_FWMARK:
		strbuf_printf(out, "fwmark %u (%s)", (unsigned)vs->fwmark,
			      vs->af == CFG_AF_INET6 ? "IPv6" : "IPv4");
		break;
	case CFG_VS_GROUP:
		strbuf_printf(out, "%s group %s", cfg_proto_name(p), vs->group);
		break;
	}
}

/* ================================================================ */
/* Enum names */

const char *cfg_proto_name(enum cfg_proto p)
{
	static const char *const names[] = { "-", "TCP", "UDP", "SCTP" };

	return (unsigned)p < 4 ? names[p] : "?";
}

const char *cfg_lb_kind_name(enum cfg_lb_kind k)
{
	static const char *const names[] = { "-", "NAT", "DR", "TUN" };

	return (unsigned)k < 4 ? names[k] : "?";
}

const char *cfg_tun_type_name(enum cfg_tun_type t)
{
	static const char *const names[] = { "-", "ipip", "gue", "gre" };

	return (unsigned)t < 4 ? names[t] : "?";
}

const char *cfg_tun_csum_name(enum cfg_tun_csum c)
{
	static const char *const names[] = { "-", "nocsum", "csum", "remcsum" };

	return (unsigned)c < 4 ? names[c] : "?";
}

bool cfg_tunnel_eq(const struct cfg_tunnel *a, const struct cfg_tunnel *b)
{
	return a->type == b->type && a->port == b->port && a->csum == b->csum;
}

void cfg_lvs_method_text(enum cfg_lb_kind k, const struct cfg_tunnel *t,
			 struct strbuf *out)
{
	strbuf_puts(out, cfg_lb_kind_name(k));
	if (t->type != CFG_TUN_UNSET)
		strbuf_printf(out, " type %s", cfg_tun_type_name(t->type));
	if (t->port)
		strbuf_printf(out, " port %d", t->port);
	if (t->csum != CFG_TUN_CSUM_UNSET)
		strbuf_printf(out, " %s", cfg_tun_csum_name(t->csum));
}

const char *cfg_check_kind_name(enum cfg_check_kind k)
{
	static const char *const names[] = {
		"TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK",
	};

	return (unsigned)k < 4 ? names[k] : "?";
}

const char *cfg_proxy_kind_name(enum cfg_proxy_kind k)
{
	static const char *const names[] = {
		"defaults", "listen", "frontend", "backend",
	};

	return (unsigned)k < 4 ? names[k] : "?";
}

const char *cfg_mode_name(enum cfg_proxy_mode m)
{
	static const char *const names[] = { "-", "tcp", "http" };

	return (unsigned)m < 3 ? names[m] : "?";
}

const char *cfg_balance_name(enum cfg_balance b)
{
	static const char *const names[] = {
		"-", "roundrobin", "static-rr", "leastconn", "source", "uri",
		"url_param", "hdr", "random", "first",
	};

	return (unsigned)b < 10 ? names[b] : "?";
}

const char *cfg_timeout_name(enum cfg_timeout t)
{
	static const char *const names[] = {
		"connect", "client", "server", "http-request",
		"http-keep-alive", "queue", "tunnel", "check",
		"client-fin", "server-fin",
	};

	return (unsigned)t < CFG_TO_COUNT ? names[t] : "?";
}

bool cfg_source_equal(const struct cfg_source *a, const struct cfg_source *b)
{
	if (a->n != b->n || a->port_lo != b->port_lo || a->port_hi != b->port_hi ||
	    a->usesrc_clientip != b->usesrc_clientip)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!cfg_addr_equal(&a->addr[i], &b->addr[i]))
			return false;
	return true;
}

void cfg_source_text(const struct cfg_source *src, struct strbuf *out)
{
	char buf[CFG_ADDRSTRLEN];

	for (int i = 0; i < src->n; i++) {
		bool v6 = src->addr[i].af == CFG_AF_INET6;

		if (i)
			strbuf_putc(out, ',');
		if (v6 && src->port_lo)
			strbuf_printf(out, "[%s]", cfg_format_addr(&src->addr[i], buf));
		else
			strbuf_puts(out, cfg_format_addr(&src->addr[i], buf));
		if (src->port_lo)
			strbuf_printf(out, ":%d-%d", src->port_lo, src->port_hi);
	}
	if (src->usesrc_clientip)
		strbuf_puts(out, " usesrc clientip");
}
