#include "config.h"

/* config_print_keepalived(): the model as canonical keepalived.conf.
 *
 * A field is printed when it differs from what its parent would give it
 * (the defaults, or the virtual server for a real server, the real server
 * for a checker), so loading the output rebuilds the same model; the
 * fields an operator looks for first (state, priority, scheduler, weight)
 * are printed always.
 */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"

#include <string.h>

static void ind(struct strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		strbuf_puts(out, "    ");
}

/* Quotes a word the lexer would otherwise split or take for a comment.
 * A string with a '"' cannot be quoted; it is printed as is, which the
 * lexer reads back as the same words joined by single spaces. */
/* n bytes at s as one unquoted word the lexer reads back whole. */
static bool bare_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '"' || s[0] == '#' || s[0] == '!')
		return false;
	for (size_t i = 0; i < n; i++)
		if (strchr(" \t\r\v\f\n{}", s[i]) || s[i] == '\0')
			return false;
	return true;
}

/* A value the parser joined from several words with single spaces (a
 * script, a notify command) can hold both blanks and a double quote,
 * which no one word can: writes it as words that join back to it, runs
 * without a quote quoted, a word with a quote bare. Returns false, with
 * nothing written, when the value has no such form. */
static bool put_split(struct strbuf *out, const char *s)
{
	struct strbuf w = STRBUF_INIT;
	const char *g = NULL;	/* the start of the quoted run being built */
	const char *p = s;
	bool ok = true;

	for (;;) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (memchr(p, '"', n)) {
			if (g) {
				strbuf_printf(&w, "%s\"%.*s\"", w.len ? " " : "", (int)(p - 1 - g), g);
				g = NULL;
			}
			if (!bare_ok(p, n)) {
				ok = false;
				break;
			}
			strbuf_printf(&w, "%s%.*s", w.len ? " " : "", (int)n, p);
		} else if (!g) {
			g = p;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (ok && g)
		strbuf_printf(&w, "%s\"%s\"", w.len ? " " : "", g);
	if (ok)
		strbuf_append(out, w.data ? w.data : "", w.len);
	strbuf_free(&w);
	return ok;
}

static void put_word(struct strbuf *out, const char *s)
{
	bool quote = !*s || s[0] == '#' || s[0] == '!' ||
		strpbrk(s, " \t{}") != NULL;

	if (quote && !strchr(s, '"'))
		strbuf_printf(out, "\"%s\"", s);
	else if (!quote || !put_split(out, s))
		strbuf_puts(out, s);
}

static void kv_str(struct strbuf *out, int depth, const char *k,
		   const char *v)
{
	if (!v)
		return;
	ind(out, depth);
	strbuf_printf(out, "%s ", k);
	put_word(out, v);
	strbuf_putc(out, '\n');
}

/* lvs_method and its tunnel options: several words, never quoted. */
static void kv_method(struct strbuf *out, int depth, enum cfg_lb_kind k,
		      const struct cfg_tunnel *t)
{
	ind(out, depth);
	strbuf_puts(out, "lvs_method ");
	cfg_lvs_method_text(k, t, out);
	strbuf_putc(out, '\n');
}

static void kv_int(struct strbuf *out, int depth, const char *k, long long v)
{
	ind(out, depth);
	strbuf_printf(out, "%s %lld\n", k, v);
}

static void kv_sec(struct strbuf *out, int depth, const char *k, int64_t ms)
{
	ind(out, depth);
	strbuf_printf(out, "%s ", k);
	cfg_print_seconds(out, ms);
	strbuf_putc(out, '\n');
}

static void kv_flag(struct strbuf *out, int depth, const char *k, int on)
{
	if (on == 1) {
		ind(out, depth);
		strbuf_printf(out, "%s\n", k);
	}
}

static void kv_addr(struct strbuf *out, int depth, const char *k,
		    const struct cfg_addr *a)
{
	char buf[CFG_ADDRSTRLEN];

	if (a->af == CFG_AF_ANY)
		return;
	ind(out, depth);
	strbuf_printf(out, "%s %s\n", k, cfg_format_addr(a, buf));
}

static bool str_eq(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* ================================================================ */

static void print_global(const struct config *cfg, struct strbuf *out)
{
	const struct cfg_global *g = &cfg->global;
	struct cfg_global d;
	struct strbuf body = STRBUF_INIT;
	char buf[CFG_ADDRSTRLEN];

	cfg_global_defaults(&d);
	kv_str(&body, 1, "router_id", g->router_id);
	if (g->vrrp_version != d.vrrp_version)
		kv_int(&body, 1, "vrrp_version", g->vrrp_version);
	if (!cfg_addr_equal(&g->mcast_group4, &d.mcast_group4))
		kv_addr(&body, 1, "vrrp_mcast_group4", &g->mcast_group4);
	if (!cfg_addr_equal(&g->mcast_group6, &d.mcast_group6))
		kv_addr(&body, 1, "vrrp_mcast_group6", &g->mcast_group6);
	if (g->vrrp_garp_master_delay_ms != d.vrrp_garp_master_delay_ms)
		kv_sec(&body, 1, "vrrp_garp_master_delay",
		       g->vrrp_garp_master_delay_ms);
	if (g->vrrp_garp_master_repeat != d.vrrp_garp_master_repeat)
		kv_int(&body, 1, "vrrp_garp_master_repeat",
		       g->vrrp_garp_master_repeat);
	if (g->vrrp_garp_master_refresh_ms != d.vrrp_garp_master_refresh_ms)
		kv_sec(&body, 1, "vrrp_garp_master_refresh",
		       g->vrrp_garp_master_refresh_ms);
	if (g->vrrp_garp_master_refresh_repeat !=
	    d.vrrp_garp_master_refresh_repeat)
		kv_int(&body, 1, "vrrp_garp_master_refresh_repeat",
		       g->vrrp_garp_master_refresh_repeat);
	kv_flag(&body, 1, "enable_script_security", g->enable_script_security);
	kv_str(&body, 1, "script_user", g->script_user);
	kv_flag(&body, 1, "vrrp_skip_check_adv_addr",
		g->vrrp_skip_check_adv_addr);
	kv_flag(&body, 1, "vrrp_strict", g->vrrp_strict);
	kv_flag(&body, 1, "v3_checksum_as_v2", g->v3_checksum_as_v2);
	kv_flag(&body, 1, "enable_snmp_vrrp", g->enable_snmp_vrrp);
	kv_flag(&body, 1, "enable_snmp_checker", g->enable_snmp_checker);
	kv_flag(&body, 1, "enable_snmp_rfcv2", g->enable_snmp_rfcv2);
	kv_flag(&body, 1, "enable_snmp_rfcv3", g->enable_snmp_rfcv3);
	kv_flag(&body, 1, "enable_snmp_proxy", g->enable_snmp_proxy);
	kv_flag(&body, 1, "enable_traps", g->enable_traps);
	kv_str(&body, 1, "snmp_socket", g->snmp_socket);
	kv_str(&body, 1, "softlb_metrics", g->softlb_metrics);
	if (g->lvs_timeout_tcp_ms || g->lvs_timeout_tcpfin_ms ||
	    g->lvs_timeout_udp_ms) {
		ind(&body, 1);
		strbuf_puts(&body, "lvs_timeouts");
		if (g->lvs_timeout_tcp_ms)
			strbuf_printf(&body, " tcp %lld",
				      (long long)g->lvs_timeout_tcp_ms / 1000);
		if (g->lvs_timeout_tcpfin_ms)
			strbuf_printf(&body, " tcpfin %lld",
				      (long long)g->lvs_timeout_tcpfin_ms / 1000);
		if (g->lvs_timeout_udp_ms)
			strbuf_printf(&body, " udp %lld",
				      (long long)g->lvs_timeout_udp_ms / 1000);
		strbuf_putc(&body, '\n');
	}
	if (g->sync.interface) {
		ind(&body, 1);
		strbuf_printf(&body, "lvs_sync_daemon %s", g->sync.interface);
		if (g->sync.instance)
			strbuf_printf(&body, " inst %s", g->sync.instance);
		if (g->sync.id != d.sync.id)
			strbuf_printf(&body, " id %d", g->sync.id);
		if (g->sync.maxlen != d.sync.maxlen)
			strbuf_printf(&body, " maxlen %d", g->sync.maxlen);
		if (g->sync.port != d.sync.port)
			strbuf_printf(&body, " port %d", g->sync.port);
		if (g->sync.ttl != d.sync.ttl)
			strbuf_printf(&body, " ttl %d", g->sync.ttl);
		if (g->sync.group.af != CFG_AF_ANY)
			strbuf_printf(&body, " group %s",
				      cfg_format_addr(&g->sync.group, buf));
		strbuf_putc(&body, '\n');
	}
	if (body.len)
		strbuf_printf(out, "global_defs {\n%s}\n\n", strbuf_str(&body));
	strbuf_free(&body);
}

static void print_script(const struct cfg_vrrp_script *s, struct strbuf *out)
{
	struct cfg_vrrp_script d;

	cfg_vrrp_script_defaults(&d);
	strbuf_printf(out, "vrrp_script %s {\n", s->name);
	kv_str(out, 1, "script", s->script);
	if (s->interval_ms != d.interval_ms)
		kv_sec(out, 1, "interval", s->interval_ms);
	if (s->timeout_ms != s->interval_ms)
		kv_sec(out, 1, "timeout", s->timeout_ms);
	if (s->weight != d.weight)
		kv_int(out, 1, "weight", s->weight);
	if (s->rise != d.rise)
		kv_int(out, 1, "rise", s->rise);
	if (s->fall != d.fall)
		kv_int(out, 1, "fall", s->fall);
	kv_str(out, 1, "user", s->user);
	strbuf_puts(out, "}\n\n");
}

static void print_sync_group(const struct cfg_sync_group *sg, struct strbuf *out)
{
	strbuf_printf(out, "vrrp_sync_group %s {\n    group {\n", sg->name);
	for (size_t j = 0; j < sg->members.len; j++)
		strbuf_printf(out, "        %s\n", sg->members.items[j]);
	strbuf_puts(out, "    }\n");
	kv_str(out, 1, "notify_master", sg->notify_master);
	kv_str(out, 1, "notify_backup", sg->notify_backup);
	kv_str(out, 1, "notify_fault", sg->notify_fault);
	kv_str(out, 1, "notify", sg->notify);
	strbuf_puts(out, "}\n\n");
}

static void print_vips(struct strbuf *out, const char *k,
		       const struct cfg_vip *v, size_t n)
{
	char buf[CFG_ADDRSTRLEN];

	if (!n)
		return;
	strbuf_printf(out, "    %s {\n", k);
	for (size_t i = 0; i < n; i++) {
		strbuf_printf(out, "        %s/%d",
			      cfg_format_addr(&v[i].addr, buf), v[i].prefix);
		if (v[i].brd.af != CFG_AF_ANY)
			strbuf_printf(out, " brd %s",
				      cfg_format_addr(&v[i].brd, buf));
		if (v[i].dev)
			strbuf_printf(out, " dev %s", v[i].dev);
		if (v[i].scope)
			strbuf_printf(out, " scope %s", v[i].scope);
		if (v[i].label)
			strbuf_printf(out, " label %s", v[i].label);
		strbuf_putc(out, '\n');
	}
	strbuf_puts(out, "    }\n");
}

static void print_vrrp(const struct config *cfg,
		       const struct cfg_vrrp_instance *vi, struct strbuf *out)
{
	struct cfg_vrrp_instance d;
	char buf[CFG_ADDRSTRLEN];

	cfg_vrrp_instance_defaults(cfg, &d);
	strbuf_printf(out, "vrrp_instance %s {\n", vi->name);
	strbuf_printf(out, "    state %s\n", vi->state == CFG_VRRP_STATE_MASTER ?
		      "MASTER" : "BACKUP");
	kv_str(out, 1, "interface", vi->interface);
	kv_int(out, 1, "virtual_router_id", vi->vrid);
	kv_int(out, 1, "priority", vi->priority);
	kv_sec(out, 1, "advert_int", vi->advert_int_ms);
	if (vi->version != d.version)
		kv_int(out, 1, "version", vi->version);
	if (vi->auth_type == CFG_VRRP_AUTH_PASS ||
	    vi->auth_type == CFG_VRRP_AUTH_AH) {
		strbuf_printf(out, "    authentication {\n        auth_type %s\n",
			      vi->auth_type == CFG_VRRP_AUTH_PASS ? "PASS" :
			      "AH");
		kv_str(out, 2, "auth_pass", vi->auth_pass);
		strbuf_puts(out, "    }\n");
	}
	print_vips(out, "virtual_ipaddress", vi->vips, vi->n_vips);
	print_vips(out, "virtual_ipaddress_excluded", vi->vips_excluded,
		   vi->n_vips_excluded);
	kv_flag(out, 1, "nopreempt", vi->nopreempt);
	if (vi->preempt_delay_ms != d.preempt_delay_ms)
		kv_sec(out, 1, "preempt_delay", vi->preempt_delay_ms);
	if (vi->n_track_ifs) {
		strbuf_puts(out, "    track_interface {\n");
		for (size_t i = 0; i < vi->n_track_ifs; i++) {
			strbuf_printf(out, "        %s", vi->track_ifs[i].name);
			if (vi->track_ifs[i].weight)
				strbuf_printf(out, " weight %d",
					      vi->track_ifs[i].weight);
			strbuf_putc(out, '\n');
		}
		strbuf_puts(out, "    }\n");
	}
	if (vi->n_track_scripts) {
		strbuf_puts(out, "    track_script {\n");
		for (size_t i = 0; i < vi->n_track_scripts; i++) {
			const struct cfg_track *t = &vi->track_scripts[i];
			const struct cfg_vrrp_script *s =
				config_find_script(cfg, t->name);

			strbuf_printf(out, "        %s", t->name);
			if (t->weight != (s ? s->weight : 0))
				strbuf_printf(out, " weight %d", t->weight);
			strbuf_putc(out, '\n');
		}
		strbuf_puts(out, "    }\n");
	}
	kv_str(out, 1, "notify_master", vi->notify_master);
	kv_str(out, 1, "notify_backup", vi->notify_backup);
	kv_str(out, 1, "notify_fault", vi->notify_fault);
	kv_str(out, 1, "notify_stop", vi->notify_stop);
	kv_str(out, 1, "notify", vi->notify);
	kv_addr(out, 1, "unicast_src_ip", &vi->unicast_src_ip);
	if (vi->n_unicast_peers) {
		strbuf_puts(out, "    unicast_peer {\n");
		for (size_t i = 0; i < vi->n_unicast_peers; i++)
			strbuf_printf(out, "        %s\n",
				      cfg_format_addr(&vi->unicast_peers[i], buf));
		strbuf_puts(out, "    }\n");
	}
	kv_addr(out, 1, "mcast_src_ip", &vi->mcast_src_ip);
	if (vi->garp_master_delay_ms != d.garp_master_delay_ms)
		kv_sec(out, 1, "garp_master_delay", vi->garp_master_delay_ms);
	if (vi->garp_master_repeat != d.garp_master_repeat)
		kv_int(out, 1, "garp_master_repeat", vi->garp_master_repeat);
	if (vi->garp_master_refresh_ms != d.garp_master_refresh_ms)
		kv_sec(out, 1, "garp_master_refresh", vi->garp_master_refresh_ms);
	if (vi->garp_master_refresh_repeat != d.garp_master_refresh_repeat)
		kv_int(out, 1, "garp_master_refresh_repeat",
		       vi->garp_master_refresh_repeat);
	kv_flag(out, 1, "dont_track_primary", vi->dont_track_primary);
	/* Only where the instance differs from global_defs. */
	if (vi->strict_mode != d.strict_mode)
		strbuf_printf(out, "    strict_mode %s\n", vi->strict_mode ? "on" : "off");
	if (vi->v3_checksum_as_v2 != d.v3_checksum_as_v2)
		strbuf_printf(out, "    v3_checksum_as_v2 %s\n",
			      vi->v3_checksum_as_v2 ? "on" : "off");
	strbuf_puts(out, "}\n\n");
}

/* ================================================================ */

static void print_check_opts(struct strbuf *out, int depth,
			     const struct cfg_check_opts *co,
			     const struct cfg_check_opts *parent)
{
	if (co->delay_loop_ms != parent->delay_loop_ms)
		kv_sec(out, depth, "delay_loop", co->delay_loop_ms);
	if (co->warmup_ms != parent->warmup_ms)
		kv_sec(out, depth, "warmup", co->warmup_ms);
	if (co->connect_timeout_ms != parent->connect_timeout_ms)
		kv_sec(out, depth, "connect_timeout", co->connect_timeout_ms);
	if (co->retry != parent->retry)
		kv_int(out, depth, "retry", co->retry);
	if (co->delay_before_retry_ms != parent->delay_before_retry_ms)
		kv_sec(out, depth, "delay_before_retry",
		       co->delay_before_retry_ms);
	/* a real server may turn off what its virtual server turned on */
	if (co->inhibit_on_failure != parent->inhibit_on_failure) {
		ind(out, depth);
		strbuf_puts(out, co->inhibit_on_failure == 1 ?
			    "inhibit_on_failure\n" : "inhibit_on_failure false\n");
	}
	if (!str_eq(co->virtualhost, parent->virtualhost))
		kv_str(out, depth, "virtualhost", co->virtualhost);
}

static void print_checker(const struct cfg_real_server *rs,
			  const struct cfg_checker *c, struct strbuf *out)
{
	char buf[CFG_ADDRSTRLEN];

	strbuf_printf(out, "        %s {\n", cfg_check_kind_name(c->kind));
	print_check_opts(out, 3, &c->co, &rs->co);
	kv_addr(out, 3, "connect_ip", &c->connect_ip);
	if (c->connect_port != CFG_UNSET)
		kv_int(out, 3, "connect_port", c->connect_port);
	kv_addr(out, 3, "bindto", &c->bindto);
	if (c->bind_port != CFG_UNSET)
		kv_int(out, 3, "bind_port", c->bind_port);
	kv_str(out, 3, "http_protocol", c->http_protocol);
	for (size_t i = 0; i < c->n_urls; i++) {
		const struct cfg_url *u = &c->urls[i];

		strbuf_puts(out, "            url {\n");
		kv_str(out, 4, "path", u->path);
		kv_str(out, 4, "digest", u->digest);
		if (u->n_codes) {
			ind(out, 4);
			strbuf_puts(out, "status_code");
			for (size_t j = 0; j < u->n_codes; j++) {
				strbuf_printf(out, " %d", u->codes[j].lo);
				if (u->codes[j].hi != u->codes[j].lo)
					strbuf_printf(out, "-%d", u->codes[j].hi);
			}
			strbuf_putc(out, '\n');
		}
		strbuf_puts(out, "            }\n");
	}
	kv_str(out, 3, "misc_path", c->misc_path);
	if (c->kind == CFG_CHECK_MISC && c->misc_timeout_ms != c->co.delay_loop_ms)
		kv_sec(out, 3, "misc_timeout", c->misc_timeout_ms);
	kv_flag(out, 3, "misc_dynamic", c->misc_dynamic);
	kv_str(out, 3, "user", c->user);
	(void)buf;
	strbuf_puts(out, "        }\n");
}

static void print_rs(const struct cfg_virtual_server *vs,
		     const struct cfg_real_server *rs, struct strbuf *out)
{
	char buf[CFG_ADDRSTRLEN];

	strbuf_printf(out, "    real_server %s %d {\n",
		      cfg_format_addr(&rs->ep.addr, buf), rs->ep.port);
	kv_int(out, 2, "weight", rs->weight);
	if (rs->lb_kind != vs->lb_kind || !cfg_tunnel_eq(&rs->tun, &vs->tun))
		kv_method(out, 2, rs->lb_kind, &rs->tun);
	if (rs->uthreshold)
		kv_int(out, 2, "uthreshold", rs->uthreshold);
	if (rs->lthreshold)
		kv_int(out, 2, "lthreshold", rs->lthreshold);
	kv_str(out, 2, "notify_up", rs->notify_up);
	kv_str(out, 2, "notify_down", rs->notify_down);
	print_check_opts(out, 2, &rs->co, &vs->co);
	for (size_t i = 0; i < rs->n_checkers; i++)
		print_checker(rs, &rs->checkers[i], out);
	strbuf_puts(out, "    }\n");
}

static void print_vs(const struct cfg_virtual_server *vs, struct strbuf *out)
{
	struct cfg_virtual_server d;
	char buf[CFG_ADDRSTRLEN];

	cfg_vs_defaults(&d);
	switch (vs->kind) {
	case CFG_VS_ADDR:
		strbuf_printf(out, "virtual_server %s %d {\n",
			      cfg_format_addr(&vs->ep.addr, buf), vs->ep.port);
		break;
	case CFG_VS_FWMARK:
		strbuf_printf(out, "virtual_server fwmark %u {\n    family %s\n",
			      (unsigned)vs->fwmark,
			      vs->af == CFG_AF_INET6 ? "inet6" : "inet");
		break;
	case CFG_VS_GROUP:
		strbuf_printf(out, "virtual_server group %s {\n", vs->group);
		/* the family is otherwise taken from the first real server
		 * (IPv4 without one): say it when that would be wrong */
		if (vs->af == CFG_AF_INET6 &&
		    !(vs->n_rs && vs->rs[0].ep.addr.af == CFG_AF_INET6))
			strbuf_puts(out, "    family inet6\n");
		break;
	}
	print_check_opts(out, 1, &vs->co, &d.co);
	kv_str(out, 1, "lvs_sched", vs->lb_algo);
	for (size_t i = 0; i < vs->sched_flags.len; i++)
		kv_flag(out, 1, vs->sched_flags.items[i], 1);
	kv_method(out, 1, vs->lb_kind, &vs->tun);
	kv_str(out, 1, "protocol", cfg_proto_name(vs->protocol));
	if (vs->persistence_timeout_ms)
		kv_int(out, 1, "persistence_timeout",
		       vs->persistence_timeout_ms / 1000);
	if (vs->persistence_granularity.af == CFG_AF_INET4) {
		kv_addr(out, 1, "persistence_granularity",
			&vs->persistence_granularity);
	} else if (vs->persistence_granularity.af == CFG_AF_INET6) {
		int bits = 0;

		for (int i = 0; i < 16; i++)
			for (int b = 0; b < 8; b++)
				bits += (vs->persistence_granularity.b[i] >> b) & 1;
		kv_int(out, 1, "persistence_granularity", bits);
	}
	if (vs->pe_name[0])
		kv_str(out, 1, "persistence_engine", vs->pe_name);
	kv_flag(out, 1, "ops", vs->ops);
	kv_flag(out, 1, "alpha", vs->alpha);
	kv_flag(out, 1, "omega", vs->omega);
	if (vs->quorum != d.quorum)
		kv_int(out, 1, "quorum", vs->quorum);
	if (vs->hysteresis != d.hysteresis)
		kv_int(out, 1, "hysteresis", vs->hysteresis);
	kv_str(out, 1, "quorum_up", vs->quorum_up);
	kv_str(out, 1, "quorum_down", vs->quorum_down);
	if (vs->sorry_server.addr.af != CFG_AF_ANY)
		strbuf_printf(out, "    sorry_server %s %d\n",
			      cfg_format_addr(&vs->sorry_server.addr, buf),
			      vs->sorry_server.port);
	kv_flag(out, 1, "sorry_server_inhibit", vs->sorry_server_inhibit);
	for (size_t i = 0; i < vs->n_rs; i++)
		print_rs(vs, &vs->rs[i], out);
	strbuf_puts(out, "}\n\n");
}

static void print_vs_group(const struct cfg_vs_group *g, struct strbuf *out)
{
	char buf[CFG_ADDRSTRLEN];

	strbuf_printf(out, "virtual_server_group %s {\n", g->name);
	for (size_t j = 0; j < g->n_entries; j++) {
		const struct cfg_vsg_entry *e = &g->entries[j];

		if (e->is_fwmark) {
			strbuf_printf(out, "    fwmark %u\n", (unsigned)e->fwmark);
			continue;
		}
		strbuf_printf(out, "    %s", cfg_format_addr(&e->addr, buf));
		if (e->range_last != CFG_UNSET)
			strbuf_printf(out, e->addr.af == CFG_AF_INET6 ? "-%x" : "-%d",
				      e->range_last);
		strbuf_printf(out, " %d\n", e->port);
	}
	strbuf_puts(out, "}\n\n");
}

void config_print_kad_object(const struct config *cfg,
			     enum config_kad_obj kind, size_t i,
			     struct strbuf *out)
{
	switch (kind) {
	case CONFIG_KAD_GLOBAL:
		print_global(cfg, out);
		break;
	case CONFIG_KAD_SCRIPT:
		print_script(&cfg->scripts[i], out);
		break;
	case CONFIG_KAD_SYNC_GROUP:
		print_sync_group(&cfg->sync_groups[i], out);
		break;
	case CONFIG_KAD_VRRP:
		print_vrrp(cfg, &cfg->vrrp[i], out);
		break;
	case CONFIG_KAD_VS_GROUP:
		print_vs_group(&cfg->vs_groups[i], out);
		break;
	case CONFIG_KAD_VS:
		print_vs(cfg->vs[i], out);
		break;
	}
}

void config_print_keepalived(const struct config *cfg, struct strbuf *out)
{
	print_global(cfg, out);
	for (size_t i = 0; i < cfg->n_scripts; i++)
		print_script(&cfg->scripts[i], out);
	for (size_t i = 0; i < cfg->n_sync_groups; i++)
		print_sync_group(&cfg->sync_groups[i], out);
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		print_vrrp(cfg, &cfg->vrrp[i], out);
	for (size_t i = 0; i < cfg->n_vs_groups; i++)
		print_vs_group(&cfg->vs_groups[i], out);
	for (size_t i = 0; i < cfg->n_vs; i++)
		print_vs(cfg->vs[i], out);
}
