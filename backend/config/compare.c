#include "config.h"

/* config_diff() and config_equal(): one field-by-field comparison serves
 * both, so "equal" can never disagree with "no differences". */

#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "config/rules.h"
#include "config/value.h"
#include "config/index.h"

#include <string.h>

/* ================================================================ */
/* Field comparison: each differing field's name goes to *fields */

static void add_field(struct strbuf *fields, const char *name)
{
	if (fields->len)
		strbuf_puts(fields, ",");
	strbuf_puts(fields, name);
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool strvec_eq(const struct strvec *a, const struct strvec *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

#define F_INT(f) do { if (a->f != b->f) add_field(out, #f); } while (0)
#define F_STR(f) do { if (!str_eq(a->f, b->f)) add_field(out, #f); } while (0)
#define F_ADDR(f) \
	do { if (!cfg_addr_equal(&a->f, &b->f)) add_field(out, #f); } while (0)
#define F_EP(f) \
	do { if (!cfg_endpoint_equal(&a->f, &b->f)) add_field(out, #f); } \
	while (0)
#define F_VEC(f) \
	do { if (!strvec_eq(&a->f, &b->f)) add_field(out, #f); } while (0)
/* An array compared element by element with eq(). */
#define F_ARR(arr, n, eq) \
	do { \
		bool same_ = a->n == b->n; \
		for (size_t i_ = 0; same_ && i_ < a->n; i_++) \
			same_ = eq(&a->arr[i_], &b->arr[i_]); \
		if (!same_) \
			add_field(out, #arr); \
	} while (0)

static void diff_global(const struct cfg_global *a, const struct cfg_global *b,
			struct strbuf *out)
{
	F_STR(router_id);
	F_INT(vrrp_version);
	F_ADDR(mcast_group4);
	F_ADDR(mcast_group6);
	F_INT(vrrp_garp_master_delay_ms);
	F_INT(vrrp_garp_master_repeat);
	F_INT(vrrp_garp_master_refresh_ms);
	F_INT(vrrp_garp_master_refresh_repeat);
	F_INT(enable_script_security);
	F_STR(script_user);
	F_INT(vrrp_skip_check_adv_addr);
	F_INT(vrrp_strict);
	F_INT(v3_checksum_as_v2);
	F_INT(enable_snmp_vrrp);
	F_INT(enable_snmp_checker);
	F_INT(enable_snmp_rfcv2);
	F_INT(enable_snmp_rfcv3);
	F_INT(enable_snmp_proxy);
	F_INT(enable_traps);
	F_STR(snmp_socket);
	F_STR(softlb_metrics);
	F_INT(lvs_timeout_tcp_ms);
	F_INT(lvs_timeout_tcpfin_ms);
	F_INT(lvs_timeout_udp_ms);
	F_STR(sync.interface);
	F_STR(sync.instance);
	F_INT(sync.id);
	F_INT(sync.maxlen);
	F_INT(sync.port);
	F_INT(sync.ttl);
	F_ADDR(sync.group);
}

static void diff_script(const struct cfg_vrrp_script *a,
			const struct cfg_vrrp_script *b, struct strbuf *out)
{
	F_STR(script);
	F_INT(interval_ms);
	F_INT(timeout_ms);
	F_INT(weight);
	F_INT(rise);
	F_INT(fall);
	F_STR(user);
}

static bool vip_eq(const struct cfg_vip *a, const struct cfg_vip *b)
{
	return cfg_addr_equal(&a->addr, &b->addr) && a->prefix == b->prefix &&
		cfg_addr_equal(&a->brd, &b->brd) && str_eq(a->dev, b->dev) &&
		str_eq(a->scope, b->scope) && str_eq(a->label, b->label);
}

static bool track_eq(const struct cfg_track *a, const struct cfg_track *b)
{
	return str_eq(a->name, b->name) && a->weight == b->weight;
}

static void diff_vrrp(const struct cfg_vrrp_instance *a,
		      const struct cfg_vrrp_instance *b, struct strbuf *out)
{
	F_INT(state);
	F_STR(interface);
	F_INT(vrid);
	F_INT(priority);
	F_INT(advert_int_ms);
	F_INT(version);
	F_INT(auth_type);
	F_STR(auth_pass);
	F_ARR(vips, n_vips, vip_eq);
	F_ARR(vips_excluded, n_vips_excluded, vip_eq);
	F_INT(nopreempt);
	F_INT(preempt_delay_ms);
	F_ARR(track_ifs, n_track_ifs, track_eq);
	F_ARR(track_scripts, n_track_scripts, track_eq);
	F_STR(notify_master);
	F_STR(notify_backup);
	F_STR(notify_fault);
	F_STR(notify_stop);
	F_STR(notify);
	F_ADDR(unicast_src_ip);
	F_ARR(unicast_peers, n_unicast_peers, cfg_addr_equal);
	F_ADDR(mcast_src_ip);
	F_INT(garp_master_delay_ms);
	F_INT(garp_master_repeat);
	F_INT(garp_master_refresh_ms);
	F_INT(garp_master_refresh_repeat);
	F_INT(dont_track_primary);
	F_INT(strict_mode);
	F_INT(v3_checksum_as_v2);
}

static void diff_sync_group(const struct cfg_sync_group *a,
			    const struct cfg_sync_group *b, struct strbuf *out)
{
	F_VEC(members);
	F_STR(notify_master);
	F_STR(notify_backup);
	F_STR(notify_fault);
	F_STR(notify);
}

static bool vsg_entry_eq(const struct cfg_vsg_entry *a,
			 const struct cfg_vsg_entry *b)
{
	return a->is_fwmark == b->is_fwmark && a->fwmark == b->fwmark &&
		cfg_addr_equal(&a->addr, &b->addr) &&
		a->range_last == b->range_last && a->port == b->port;
}

static void diff_vs_group(const struct cfg_vs_group *a,
			  const struct cfg_vs_group *b, struct strbuf *out)
{
	F_ARR(entries, n_entries, vsg_entry_eq);
}

static void diff_check_opts(const struct cfg_check_opts *a,
			    const struct cfg_check_opts *b, struct strbuf *out)
{
	F_INT(delay_loop_ms);
	F_INT(warmup_ms);
	F_INT(connect_timeout_ms);
	F_INT(retry);
	F_INT(delay_before_retry_ms);
	F_INT(inhibit_on_failure);
	F_STR(virtualhost);
}

static bool range_eq(const struct cfg_status_range *a,
		     const struct cfg_status_range *b)
{
	return a->lo == b->lo && a->hi == b->hi;
}

static bool url_eq(const struct cfg_url *a, const struct cfg_url *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf *out = &sb;
	bool eq;

	F_STR(path);
	F_STR(digest);
	F_ARR(codes, n_codes, range_eq);
	eq = sb.len == 0;
	strbuf_free(&sb);
	return eq;
}

static bool checker_eq(const struct cfg_checker *a, const struct cfg_checker *b)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf *out = &sb;
	bool eq;

	F_INT(kind);
	diff_check_opts(&a->co, &b->co, out);
	F_ADDR(connect_ip);
	F_INT(connect_port);
	F_ADDR(bindto);
	F_INT(bind_port);
	F_STR(http_protocol);
	F_ARR(urls, n_urls, url_eq);
	F_STR(misc_path);
	F_INT(misc_timeout_ms);
	F_INT(misc_dynamic);
	F_STR(user);
	eq = sb.len == 0;
	strbuf_free(&sb);
	return eq;
}

static void diff_rs(const struct cfg_real_server *a,
		    const struct cfg_real_server *b, struct strbuf *out)
{
	F_INT(weight);
	F_INT(lb_kind);
	F_INT(tun.type);
	F_INT(tun.port);
	F_INT(tun.csum);
	F_INT(uthreshold);
	F_INT(lthreshold);
	F_STR(notify_up);
	F_STR(notify_down);
	diff_check_opts(&a->co, &b->co, out);
	F_ARR(checkers, n_checkers, checker_eq);
}

/* The virtual server's own fields; its real servers are compared one by
 * one so that one weight change is one change. */
static void diff_vs(const struct cfg_virtual_server *a,
		    const struct cfg_virtual_server *b, struct strbuf *out)
{
	F_INT(af);
	F_INT(protocol);
	F_STR(lb_algo);
	F_VEC(sched_flags);
	F_INT(lb_kind);
	F_INT(tun.type);
	F_INT(tun.port);
	F_INT(tun.csum);
	F_INT(persistence_timeout_ms);
	F_ADDR(persistence_granularity);
	F_STR(pe_name);
	F_INT(ops);
	F_INT(alpha);
	F_INT(omega);
	F_INT(quorum);
	F_INT(hysteresis);
	F_STR(quorum_up);
	F_STR(quorum_down);
	F_EP(sorry_server);
	F_INT(sorry_server_inhibit);
	diff_check_opts(&a->co, &b->co, out);
}

static void diff_server_opts(const struct cfg_server_opts *a,
			     const struct cfg_server_opts *b,
			     struct strbuf *out)
{
	F_INT(weight);
	F_INT(check);
	F_INT(inter_ms);
	F_INT(fastinter_ms);
	F_INT(downinter_ms);
	F_INT(rise);
	F_INT(fall);
	F_INT(port);
	F_ADDR(addr);
	F_INT(backup);
	F_INT(maxconn);
	F_INT(disabled);
	F_INT(send_proxy);
	F_INT(check_send_proxy);
	if (!cfg_source_equal(&a->source, &b->source))
		add_field(out, "source");
	F_INT(pool_max_conn);
	F_INT(pool_purge_ms);
	F_INT(ssl);
	F_INT(ssl_verify);
	F_INT(check_ssl);
	F_STR(ssl_ca);
	F_STR(ssl_crt);
	F_STR(ssl_sni);
	F_STR(ssl_verifyhost);
	F_STR(check_sni);
}

static void diff_server(const struct cfg_server *a, const struct cfg_server *b,
			struct strbuf *out)
{
	F_EP(ep);
	diff_server_opts(&a->o, &b->o, out);
	F_STR(cookie);
}

static bool option_eq(const struct cfg_option *a, const struct cfg_option *b)
{
	return str_eq(a->name, b->name) && str_eq(a->args, b->args);
}

/* The words and files only: a bind moved to another line is the same
 * bind, a renewed certificate file is not. */
static bool bind_ssl_eq(const struct cfg_bind_ssl *a, const struct cfg_bind_ssl *b)
{
	return str_eq(a->bind, b->bind) && str_eq(a->opts, b->opts) &&
	       str_eq(a->stamp, b->stamp);
}

static void diff_proxy(const struct cfg_proxy *a, const struct cfg_proxy *b,
		       struct strbuf *out)
{
	F_INT(kind);
	F_INT(mode);
	F_INT(balance);
	F_STR(balance_arg);
	for (int t = 0; t < CFG_TO_COUNT; t++)
		if (a->timeout_ms[t] != b->timeout_ms[t])
			add_field(out, "timeout");
	F_INT(maxconn);
	F_INT(retries);
	F_INT(http_reuse);
	F_INT(hash_type);
	F_INT(hash_avalanche);
	if (!cfg_source_equal(&a->source, &b->source))
		add_field(out, "source");
	F_VEC(accept_proxy);
	F_ARR(bind_ssl, n_bind_ssl, bind_ssl_eq);
	F_ARR(options, n_options, option_eq);
	F_ARR(binds, n_binds, cfg_endpoint_equal);
	F_STR(default_backend);
	diff_server_opts(&a->default_server, &b->default_server, out);
	F_INT(stats_enabled);
	F_STR(stats_uri);
	F_INT(stats_refresh_ms);
	F_STR(stats_realm);
	F_VEC(stats_auth);
	F_INT(stats_hide_version);
	F_INT(stats_show_legends);
	F_INT(http_check_expect_neg);
	F_STR(http_check_expect);
	F_VEC(logs);
	F_STR(log_tag);
	F_STR(log_format);
	F_STR(cookie);
	F_VEC(errorfiles);
	F_VEC(captures);
	if (!cfg_rules_equal(a->rules, b->rules))
		add_field(out, "rules");
}

static void diff_hap_global(const struct cfg_hap_global *a,
			    const struct cfg_hap_global *b, struct strbuf *out)
{
	F_INT(maxconn);
	F_INT(maxpipes);
	F_INT(nbthread);
	F_STR(stats_socket);
	F_INT(stats_socket_mode);
	F_INT(stats_socket_level);
	F_INT(stats_timeout_ms);
	F_STR(ssl_bind_ciphers);
	F_STR(ssl_bind_ciphersuites);
	F_STR(ssl_bind_options);
	F_VEC(logs);
	F_STR(log_tag);
	if (!cfg_rules_equal(a->userlists, b->userlists))
		add_field(out, "userlists");
}

/* ================================================================ */
/* Walking the two models */

struct differ {
	void (*cb)(const struct config_change_item *item, void *arg);
	void *arg;
	size_t count;
};

static void report(struct differ *d, enum config_obj_kind kind,
		   enum config_change change, const char *id,
		   const struct strbuf *fields, const void *o, const void *n,
		   const void *op, const void *np)
{
	struct config_change_item it = {
		kind, change, id, fields ? strbuf_str(fields) : NULL,
		o, n, op, np,
	};

	d->count++;
	if (d->cb)
		d->cb(&it, d->arg);
}

/* Reports one named object in both models, or on one side only. The
 * differ function is called only when both exist. */
#define DIFF_NAMED(d, kind, oa, on, na, nn, find, differ_fn) \
	do { \
		for (size_t i_ = 0; i_ < (on); i_++) { \
			const void *n_ = find(new_cfg, (oa)[i_].name); \
			struct strbuf f_ = STRBUF_INIT; \
			if (!n_) { \
				report(d, kind, CONFIG_REMOVED, (oa)[i_].name, \
				       NULL, &(oa)[i_], NULL, NULL, NULL); \
				continue; \
			} \
			differ_fn(&(oa)[i_], n_, &f_); \
			if (f_.len) \
				report(d, kind, CONFIG_CHANGED, (oa)[i_].name, \
				       &f_, &(oa)[i_], n_, NULL, NULL); \
			strbuf_free(&f_); \
		} \
		for (size_t i_ = 0; i_ < (nn); i_++) \
			if (!find(old_cfg, (na)[i_].name)) \
				report(d, kind, CONFIG_ADDED, (na)[i_].name, \
				       NULL, NULL, &(na)[i_], NULL, NULL); \
	} while (0)

static void rs_id(const struct cfg_virtual_server *vs,
		  const struct cfg_real_server *rs, struct strbuf *out)
{
	strbuf_reset(out);
	cfg_vs_identity(vs, out);
	strbuf_putc(out, ' ');
	cfg_endpoint_text(&rs->ep, out);
}

static void diff_real_servers(struct differ *d,
			      const struct cfg_virtual_server *o,
			      const struct cfg_virtual_server *n)
{
	struct strbuf id = STRBUF_INIT, f = STRBUF_INIT;

	/* ids are formatted only for what is reported: a reload of 40,000
	 * unchanged real servers formats nothing */
	for (size_t i = 0; i < o->n_rs; i++) {
		const struct cfg_real_server *nr = cfg_vs_find_rs(n, &o->rs[i].ep);

		if (!nr) {
			rs_id(o, &o->rs[i], &id);
			report(d, CONFIG_OBJ_REAL_SERVER, CONFIG_REMOVED,
			       strbuf_str(&id), NULL, &o->rs[i], NULL, o, n);
			continue;
		}
		strbuf_reset(&f);
		diff_rs(&o->rs[i], nr, &f);
		if (f.len) {
			rs_id(o, &o->rs[i], &id);
			report(d, CONFIG_OBJ_REAL_SERVER, CONFIG_CHANGED,
			       strbuf_str(&id), &f, &o->rs[i], nr, o, n);
		}
	}
	for (size_t i = 0; i < n->n_rs; i++) {
		if (cfg_vs_find_rs(o, &n->rs[i].ep))
			continue;
		rs_id(n, &n->rs[i], &id);
		report(d, CONFIG_OBJ_REAL_SERVER, CONFIG_ADDED, strbuf_str(&id),
		       NULL, NULL, &n->rs[i], o, n);
	}
	strbuf_free(&id);
	strbuf_free(&f);
}

/* One virtual server in either or both models. */
static void diff_one_vs(struct differ *d, const struct cfg_virtual_server *o,
			const struct cfg_virtual_server *n, struct strbuf *id,
			struct strbuf *f)
{
	enum config_change change = !n ? CONFIG_REMOVED : !o ? CONFIG_ADDED :
		CONFIG_CHANGED;

	strbuf_reset(f);
	if (change == CONFIG_CHANGED) {
		diff_vs(o, n, f);
		if (f->len) {
			strbuf_reset(id);
			cfg_vs_identity(o, id);
			report(d, CONFIG_OBJ_VIRTUAL_SERVER, CONFIG_CHANGED,
			       strbuf_str(id), f, o, n, NULL, NULL);
		}
		diff_real_servers(d, o, n);
		return;
	}
	strbuf_reset(id);
	cfg_vs_identity(o ? o : n, id);
	report(d, CONFIG_OBJ_VIRTUAL_SERVER, change, strbuf_str(id), NULL, o,
	       n, NULL, NULL);
}

static void diff_lvs(struct differ *d, const struct config *old_cfg,
		     const struct config *new_cfg)
{
	struct strbuf id = STRBUF_INIT, f = STRBUF_INIT;
	struct config_index old_ix, new_ix;

	/* Each side indexed once: 10,000 services matched pairwise were
	 * a hundred million comparisons per reload. Each side's keys are
	 * made once, by its index, and looked up in the other. */
	config_index_build(&old_ix, old_cfg);
	config_index_build(&new_ix, new_cfg);
	for (size_t i = 0; i < old_cfg->n_vs; i++)
		diff_one_vs(d, old_cfg->vs[i],
			    config_index_vs_by(&new_ix, &old_ix.vs_entries[i].key), &id, &f);
	for (size_t i = 0; i < new_cfg->n_vs; i++)
		if (!config_index_vs_by(&old_ix, &new_ix.vs_entries[i].key))
			diff_one_vs(d, NULL, new_cfg->vs[i], &id, &f);
	config_index_free(&old_ix);
	config_index_free(&new_ix);
	strbuf_free(&id);
	strbuf_free(&f);
}

static void diff_servers(struct differ *d, const struct cfg_proxy *o,
			 const struct cfg_proxy *n)
{
	struct strbuf id = STRBUF_INIT, f = STRBUF_INIT;

	for (size_t i = 0; i < o->n_servers; i++) {
		const struct cfg_server *ns =
			cfg_proxy_find_server(n, o->servers[i].name);

		strbuf_reset(&id);
		strbuf_printf(&id, "%s/%s", o->name, o->servers[i].name);
		if (!ns) {
			report(d, CONFIG_OBJ_SERVER, CONFIG_REMOVED,
			       strbuf_str(&id), NULL, &o->servers[i], NULL, o,
			       n);
			continue;
		}
		strbuf_reset(&f);
		diff_server(&o->servers[i], ns, &f);
		if (f.len)
			report(d, CONFIG_OBJ_SERVER, CONFIG_CHANGED,
			       strbuf_str(&id), &f, &o->servers[i], ns, o, n);
	}
	for (size_t i = 0; i < n->n_servers; i++) {
		if (cfg_proxy_find_server(o, n->servers[i].name))
			continue;
		strbuf_reset(&id);
		strbuf_printf(&id, "%s/%s", n->name, n->servers[i].name);
		report(d, CONFIG_OBJ_SERVER, CONFIG_ADDED, strbuf_str(&id), NULL,
		       NULL, &n->servers[i], o, n);
	}
	strbuf_free(&id);
	strbuf_free(&f);
}

/* "NAME" for a named defaults section, "#N" (from 1) for another. */
static void defaults_id(const struct config *cfg, size_t i, struct strbuf *out)
{
	strbuf_reset(out);
	if (*cfg->defaults[i].name)
		strbuf_puts(out, cfg->defaults[i].name);
	else
		strbuf_printf(out, "#%zu", i + 1);
}

/* The name of the defaults section a section names with 'from' ("" when
 * none), so two models compare by what the text says, not by index. */
static const char *from_name(const struct config *cfg,
			     const struct cfg_proxy *px)
{
	if (px->defaults_from < 0 || (size_t)px->defaults_from >= cfg->n_defaults)
		return "";
	return cfg->defaults[px->defaults_from].name;
}

/* Defaults sections pair by position: HAProxy has no other identity for
 * an unnamed one, and their order is what decides which proxies they
 * reach. What they hold reaches the engines through the proxies. */
static void diff_defaults(struct differ *d, const struct config *old_cfg,
			  const struct config *new_cfg)
{
	struct strbuf id = STRBUF_INIT, f = STRBUF_INIT;
	size_t n = old_cfg->n_defaults < new_cfg->n_defaults ?
		old_cfg->n_defaults : new_cfg->n_defaults;

	for (size_t i = 0; i < n; i++) {
		const struct cfg_proxy *a = &old_cfg->defaults[i];
		const struct cfg_proxy *b = &new_cfg->defaults[i];

		strbuf_reset(&f);
		if (strcmp(a->name, b->name) != 0)
			add_field(&f, "name");
		if (strcmp(from_name(old_cfg, a), from_name(new_cfg, b)) != 0)
			add_field(&f, "from");
		diff_proxy(a, b, &f);
		if (!f.len)
			continue;
		defaults_id(new_cfg, i, &id);
		report(d, CONFIG_OBJ_DEFAULTS, CONFIG_CHANGED, strbuf_str(&id),
		       &f, a, b, NULL, NULL);
	}
	for (size_t i = n; i < old_cfg->n_defaults; i++) {
		defaults_id(old_cfg, i, &id);
		report(d, CONFIG_OBJ_DEFAULTS, CONFIG_REMOVED, strbuf_str(&id),
		       NULL, &old_cfg->defaults[i], NULL, NULL, NULL);
	}
	for (size_t i = n; i < new_cfg->n_defaults; i++) {
		defaults_id(new_cfg, i, &id);
		report(d, CONFIG_OBJ_DEFAULTS, CONFIG_ADDED, strbuf_str(&id),
		       NULL, NULL, &new_cfg->defaults[i], NULL, NULL);
	}
	strbuf_free(&id);
	strbuf_free(&f);
}

/* One proxy in either or both models. */
static void diff_one_proxy(struct differ *d, const struct cfg_proxy *o,
			   const struct cfg_proxy *n, struct strbuf *f)
{
	if (!n) {
		report(d, CONFIG_OBJ_PROXY, CONFIG_REMOVED, o->name, NULL, o,
		       NULL, NULL, NULL);
		return;
	}
	if (!o) {
		report(d, CONFIG_OBJ_PROXY, CONFIG_ADDED, n->name, NULL, NULL, n,
		       NULL, NULL);
		return;
	}
	strbuf_reset(f);
	diff_proxy(o, n, f);
	if (f->len)
		report(d, CONFIG_OBJ_PROXY, CONFIG_CHANGED, o->name, f, o, n,
		       NULL, NULL);
	diff_servers(d, o, n);
}

static void diff_proxies(struct differ *d, const struct config *old_cfg,
			 const struct config *new_cfg)
{
	struct strbuf f = STRBUF_INIT;

	diff_hap_global(&old_cfg->hap, &new_cfg->hap, &f);
	if (f.len)
		report(d, CONFIG_OBJ_HAP_GLOBAL, CONFIG_CHANGED, "global", &f,
		       &old_cfg->hap, &new_cfg->hap, NULL, NULL);
	diff_defaults(d, old_cfg, new_cfg);
	for (size_t i = 0; i < old_cfg->n_proxies; i++)
		diff_one_proxy(d, &old_cfg->proxies[i],
			       config_find_proxy(new_cfg, old_cfg->proxies[i].name), &f);
	for (size_t i = 0; i < new_cfg->n_proxies; i++)
		if (!config_find_proxy(old_cfg, new_cfg->proxies[i].name))
			diff_one_proxy(d, NULL, &new_cfg->proxies[i], &f);
	strbuf_free(&f);
}

/* The small parts every walk compares whole: global_defs, the VRRP
 * side, the virtual server groups. */
static void diff_small(struct differ *d, const struct config *old_cfg,
		       const struct config *new_cfg)
{
	struct strbuf f = STRBUF_INIT;

	diff_global(&old_cfg->global, &new_cfg->global, &f);
	if (f.len)
		report(d, CONFIG_OBJ_GLOBAL, CONFIG_CHANGED, "global_defs", &f,
		       &old_cfg->global, &new_cfg->global, NULL, NULL);
	strbuf_free(&f);
	DIFF_NAMED(d, CONFIG_OBJ_VRRP_SCRIPT, old_cfg->scripts,
		   old_cfg->n_scripts, new_cfg->scripts, new_cfg->n_scripts,
		   config_find_script, diff_script);
	DIFF_NAMED(d, CONFIG_OBJ_VRRP_INSTANCE, old_cfg->vrrp, old_cfg->n_vrrp,
		   new_cfg->vrrp, new_cfg->n_vrrp, config_find_vrrp, diff_vrrp);
	DIFF_NAMED(d, CONFIG_OBJ_SYNC_GROUP, old_cfg->sync_groups,
		   old_cfg->n_sync_groups, new_cfg->sync_groups,
		   new_cfg->n_sync_groups, config_find_sync_group,
		   diff_sync_group);
	DIFF_NAMED(d, CONFIG_OBJ_VS_GROUP, old_cfg->vs_groups,
		   old_cfg->n_vs_groups, new_cfg->vs_groups,
		   new_cfg->n_vs_groups, config_find_vs_group, diff_vs_group);
}

size_t config_diff(const struct config *old_cfg, const struct config *new_cfg,
		   void (*cb)(const struct config_change_item *item, void *arg),
		   void *arg)
{
	struct differ d = { cb, arg, 0 };

	diff_small(&d, old_cfg, new_cfg);
	diff_lvs(&d, old_cfg, new_cfg);
	diff_proxies(&d, old_cfg, new_cfg);
	return d.count;
}

size_t config_diff_marked(const struct config *old_cfg,
			  const struct config *new_cfg,
			  const struct cfg_edit_marks *marks,
			  void (*cb)(const struct config_change_item *item,
				     void *arg),
			  void *arg)
{
	struct differ d = { cb, arg, 0 };
	struct strbuf id = STRBUF_INIT, f = STRBUF_INIT;

	if (!marks || marks->all)
		return config_diff(old_cfg, new_cfg, cb, arg);
	diff_small(&d, old_cfg, new_cfg);
	for (size_t i = 0; i < marks->n_vs; i++) {
		const struct cfg_virtual_server *o = config_edit_find_vs(old_cfg, &marks->vs[i]);
		const struct cfg_virtual_server *n = config_edit_find_vs(new_cfg, &marks->vs[i]);

		if (o || n)
			diff_one_vs(&d, o, n, &id, &f);
	}
	strbuf_reset(&f);
	diff_hap_global(&old_cfg->hap, &new_cfg->hap, &f);
	if (f.len)
		report(&d, CONFIG_OBJ_HAP_GLOBAL, CONFIG_CHANGED, "global", &f,
		       &old_cfg->hap, &new_cfg->hap, NULL, NULL);
	diff_defaults(&d, old_cfg, new_cfg);
	for (size_t i = 0; i < marks->proxies.len; i++) {
		const struct cfg_proxy *o = config_find_proxy(old_cfg, marks->proxies.items[i]);
		const struct cfg_proxy *n = config_find_proxy(new_cfg, marks->proxies.items[i]);

		if (o || n)
			diff_one_proxy(&d, o, n, &f);
	}
	strbuf_free(&id);
	strbuf_free(&f);
	return d.count;
}

bool config_equal(const struct config *a, const struct config *b)
{
	return config_diff(a, b, NULL, NULL) == 0;
}

const char *config_obj_kind_name(enum config_obj_kind kind)
{
	static const char *const names[] = {
		"global_defs", "vrrp_script", "vrrp_instance",
		"vrrp_sync_group", "virtual_server_group", "virtual_server",
		"real_server", "global", "defaults", "proxy", "server",
	};

	return (unsigned)kind < sizeof(names) / sizeof(*names) ?
		names[kind] : "?";
}

const char *config_change_name(enum config_change change)
{
	static const char *const names[] = { "added", "removed", "changed" };

	return (unsigned)change < 3 ? names[change] : "?";
}
