#include "config.h"

#include "config/edit.h"
#include "config/edit_int.h"

/* Configure mode's edits of virtual servers, real servers and virtual
 * server groups. */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The kernel's schedulers (net/netfilter/ipvs/ip_vs_*.c); the keepalived
 * parser checks lvs_sched against the same list. */
const char *const config_lvs_schedulers[] = {
	"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq",
	"fo", "ovf", "mh", "twos", NULL,
};

/* The position of the virtual server key names in cfg, or -1. */
long edit_vs_at(const struct config *cfg, const struct config_vs_key *key)
{
	struct cfg_virtual_server id;

	/* init allocates nothing, so id needs no cleanup */
	cfg_virtual_server_init(&id);
	id.kind = key->kind;
	id.protocol = key->protocol;
	id.ep = key->ep;
	id.fwmark = key->fwmark;
	id.group = (char *)key->group;	/* only read */
	id.af = CFG_AF_ANY;	/* a fwmark key matches either family */
	return config_find_vs_at(cfg, &id);
}

const struct cfg_virtual_server *config_edit_find_vs(const struct config *cfg,
						     const struct config_vs_key *key)
{
	long at = edit_vs_at(cfg, key);

	return at < 0 ? NULL : cfg->vs[at];
}

/* "virtual-server 192.0.2.10:80 tcp", for messages. */
static void vs_name(const struct config_vs_key *key, struct strbuf *out)
{
	strbuf_puts(out, "virtual-server ");
	config_vs_key_format(key, out);
}

/* The position of the virtual server, or -1 and an error naming it. */
static long vs_must_exist(const struct config *cfg,
			  const struct config_vs_key *key, struct strbuf *err)
{
	long at = edit_vs_at(cfg, key);

	if (at < 0) {
		vs_name(key, err);
		strbuf_puts(err, " does not exist\n");
	}
	return at;
}

enum cfg_lb_kind config_lb_kind_parse(const char *s)
{
	if (strcasecmp(s, "dr") == 0)
		return CFG_LB_KIND_DR;
	if (strcasecmp(s, "nat") == 0)
		return CFG_LB_KIND_NAT;
	if (strcasecmp(s, "tun") == 0)
		return CFG_LB_KIND_TUN;
	return CFG_LB_KIND_UNSET;
}

static int check_scheduler(const char *s, struct strbuf *err)
{
	struct cfg_suggest sg;
	const char *hint;

	for (size_t i = 0; config_lvs_schedulers[i]; i++)
		if (strcmp(s, config_lvs_schedulers[i]) == 0)
			return 0;
	cfg_suggest_init(&sg, s);
	for (size_t i = 0; config_lvs_schedulers[i]; i++)
		cfg_suggest_try(&sg, config_lvs_schedulers[i]);
	hint = cfg_suggest_result(&sg);
	strbuf_printf(err, "unknown scheduler '%s'", s);
	if (hint)
		strbuf_printf(err, "; did you mean '%s'?", hint);
	strbuf_puts(err, " (the kernel has rr wrr lc wlc lblc lblcr dh sh sed "
		    "nq fo ovf mh twos)\n");
	return -1;
}

/* keepalived and IPVS refuse a real server of the other family unless
 * the packets are tunnelled. */
static int check_rs_family(const struct cfg_virtual_server *vs,
			   const struct cfg_real_server *rs, struct strbuf *err)
{
	if (vs->kind != CFG_VS_ADDR || rs->lb_kind == CFG_LB_KIND_TUN ||
	    rs->ep.addr.af == vs->ep.addr.af)
		return 0;
	strbuf_puts(err, "real-server ");
	cfg_endpoint_text(&rs->ep, err);
	strbuf_printf(err, " is %s but its virtual-server is %s; only method tun "
		      "can mix IPv4 and IPv6\n",
		      rs->ep.addr.af == CFG_AF_INET6 ? "IPv6" : "IPv4",
		      vs->ep.addr.af == CFG_AF_INET6 ? "IPv6" : "IPv4");
	return -1;
}

/* ================================================================ */
/* Virtual servers and real servers */

static int edit_vs_set(struct config *cfg, const struct config_vs_key *key,
		       const struct config_vs_change *change, bool *created,
		       struct strbuf *err)
{
	struct cfg_virtual_server *vs;
	long at;

	if (change->scheduler && check_scheduler(change->scheduler, err) < 0)
		return -1;
	if (change->persistence_s != -1 &&
	    (change->persistence_s < 0 || change->persistence_s > CFG_PERSISTENCE_MAX_S)) {
		strbuf_printf(err, "persistence-timeout %lld is out of range "
			      "(0-%d seconds)\n", change->persistence_s, CFG_PERSISTENCE_MAX_S);
		return -1;
	}
	at = edit_vs_at(cfg, key);
	if (created)
		*created = at < 0;
	if (at >= 0) {
		vs = config_vs_own(cfg, (size_t)at);
	} else {
		/* what virtual_server with nothing inside loads as */
		vs = config_vs_append(cfg, cfg_vs_new());
		cfg_vs_defaults(vs);
		vs->kind = key->kind;
		if (key->kind == CFG_VS_ADDR) {
			vs->protocol = key->protocol;
			vs->ep = key->ep;
			vs->af = key->ep.addr.af;
		} else if (key->kind == CFG_VS_GROUP) {
			/* the parser checks that the group exists */
			vs->protocol = key->protocol;
			vs->group = xstrdup(key->group);
			vs->af = CFG_AF_INET4;
		} else {
			vs->fwmark = key->fwmark;
			vs->af = CFG_AF_INET4;
		}
	}
	if (change->scheduler)
		strcpy(vs->lb_algo, change->scheduler);
	if (change->method != CFG_LB_KIND_UNSET && change->method != vs->lb_kind) {
		/* the model keeps effective values: a real server with its
		 * virtual server's method is taken to inherit it */
		struct cfg_tunnel none = { CFG_TUN_UNSET, 0, CFG_TUN_CSUM_UNSET };

		/* A command names only the method: the tunnel options of
		 * the old one go with it (a new TUN is plain ipip). */
		for (size_t i = 0; i < vs->n_rs; i++)
			if (vs->rs[i].lb_kind == vs->lb_kind &&
			    cfg_tunnel_eq(&vs->rs[i].tun, &vs->tun)) {
				vs->rs[i].lb_kind = change->method;
				vs->rs[i].tun = none;
			}
		vs->lb_kind = change->method;
		vs->tun = none;
		for (size_t i = 0; i < vs->n_rs; i++)
			if (check_rs_family(vs, &vs->rs[i], err) < 0)
				return -1;
	}
	if (change->persistence_s != -1)
		vs->persistence_timeout_ms = change->persistence_s * 1000;
	return 0;
}

static int edit_vs_delete(struct config *cfg, const struct config_vs_key *key,
			  struct strbuf *err)
{
	long at = vs_must_exist(cfg, key, err);

	if (at < 0)
		return -1;
	config_vs_remove(cfg, (size_t)at);
	return 0;
}

static int edit_rs_set(struct config *cfg, const struct config_vs_key *key,
		       const char *addrport, long long weight,
		       enum cfg_lb_kind method, bool *created,
		       struct strbuf *err)
{
	struct cfg_virtual_server *vs;
	struct cfg_real_server *rs;
	struct cfg_endpoint ep;
	long at;

	if (!config_parse_endpoint(addrport, 0, &ep))
		return edit_bad_endpoint(err, "real-server", addrport, 0);
	if (weight != -1 && (weight < 0 || weight > CFG_RS_WEIGHT_MAX)) {
		strbuf_printf(err, "weight %lld is out of range (0-%d)\n", weight,
			      CFG_RS_WEIGHT_MAX);
		return -1;
	}
	at = vs_must_exist(cfg, key, err);
	if (at < 0)
		return -1;
	vs = config_vs_own(cfg, (size_t)at);
	rs = cfg_vs_find_rs(vs, &ep);
	if (created)
		*created = !rs;
	if (!rs) {
		/* as set_real_server then the merge leave it */
		rs = CFG_APPEND(vs->rs, vs->n_rs, vs->cap_rs);
		cfg_real_server_init(rs);
		rs->ep = ep;
		rs->weight = 1;
		rs->lb_kind = vs->lb_kind;
		rs->tun = vs->tun;
		rs->uthreshold = 0;
		rs->lthreshold = 0;
		cfg_check_opts_merge(&rs->co, &vs->co);
	}
	if (weight != -1)
		rs->weight = (int)weight;
	if (method != CFG_LB_KIND_UNSET && method != rs->lb_kind) {
		struct cfg_tunnel none = { CFG_TUN_UNSET, 0, CFG_TUN_CSUM_UNSET };

		/* as above: another method drops the old one's tunnel */
		rs->lb_kind = method;
		rs->tun = none;
	}
	return check_rs_family(vs, rs, err);
}

static int edit_rs_delete(struct config *cfg, const struct config_vs_key *key,
			  const char *addrport, struct strbuf *err)
{
	struct cfg_virtual_server *vs;
	struct cfg_real_server *rs;
	struct cfg_endpoint ep;
	long at;

	if (!config_parse_endpoint(addrport, 0, &ep))
		return edit_bad_endpoint(err, "real-server", addrport, 0);
	at = vs_must_exist(cfg, key, err);
	if (at < 0)
		return -1;
	if (!cfg_vs_find_rs(cfg->vs[at], &ep)) {
		strbuf_printf(err, "real-server %s does not exist in ", addrport);
		vs_name(key, err);
		strbuf_putc(err, '\n');
		return -1;
	}
	vs = config_vs_own(cfg, (size_t)at);
	rs = cfg_vs_find_rs(vs, &ep);
	cfg_real_server_free(rs);
	CFG_REMOVE(vs->rs, vs->n_rs, (size_t)(rs - vs->rs));
	return 0;
}

/* ================================================================ */
/* Virtual server groups */

static struct cfg_vs_group *vsg_must_exist(const struct config *cfg,
					   const char *name, struct strbuf *err)
{
	struct cfg_vs_group *g = config_find_vs_group(cfg, name);

	if (!g)
		strbuf_printf(err, "virtual-server-group '%s' does not exist\n",
			      name);
	return g;
}

static int edit_vsg_set(struct config *cfg, const char *name, bool *created,
			struct strbuf *err)
{
	struct cfg_vs_group *g;

	if (edit_check_name("virtual-server-group", name, err) < 0)
		return -1;
	g = config_find_vs_group(cfg, name);
	if (created)
		*created = !g;
	if (!g) {
		g = CFG_APPEND(cfg->vs_groups, cfg->n_vs_groups,
			       cfg->cap_vs_groups);
		g->name = xstrdup(name);
	}
	return 0;
}

static int edit_vsg_delete(struct config *cfg, const char *name,
			   struct strbuf *err)
{
	struct cfg_vs_group *g = vsg_must_exist(cfg, name, err);

	if (!g)
		return -1;
	for (size_t i = 0; i < cfg->n_vs; i++) {
		if (cfg->vs[i]->kind == CFG_VS_GROUP &&
		    strcmp(cfg->vs[i]->group, name) == 0) {
			strbuf_printf(err, "virtual-server-group '%s' is used by "
				      "virtual_server group %s; delete that "
				      "first\n", name, name);
			return -1;
		}
	}
	free(g->name);
	free(g->entries);
	CFG_REMOVE(cfg->vs_groups, cfg->n_vs_groups,
		   (size_t)(g - cfg->vs_groups));
	return 0;
}

/* Turns the shell's member words into the entry keepalived would read
 * from "IP[-LAST] PORT" or "fwmark N". */
static int vsg_entry_of(const struct config_vsg_member *m,
			struct cfg_vsg_entry *e, struct strbuf *err)
{
	struct cfg_endpoint ep;
	struct cfg_addr to;

	memset(e, 0, sizeof(*e));
	e->range_last = CFG_UNSET;
	e->port = CFG_UNSET;
	if (m->is_fwmark) {
		if (m->fwmark == 0) {
			strbuf_puts(err, "fwmark 0 is not a firewall mark "
				    "(1-4294967295)\n");
			return -1;
		}
		e->is_fwmark = true;
		e->fwmark = m->fwmark;
		return 0;
	}
	if (!config_parse_endpoint(m->addrport, 0, &ep))
		return edit_bad_endpoint(err, "member", m->addrport, 0);
	e->addr = ep.addr;
	e->port = ep.port;
	if (!m->to)
		return 0;
	if (!cfg_parse_addr(m->to, &to) || to.af != ep.addr.af) {
		strbuf_printf(err, "range end '%s' is not an %s address\n", m->to,
			      ep.addr.af == CFG_AF_INET6 ? "IPv6" : "IPv4");
		return -1;
	}
	/* keepalived ranges vary only the last byte (IPv4) or the last 16
	 * bits (IPv6) */
	{
		size_t fixed = ep.addr.af == CFG_AF_INET6 ? 14 : 3;
		size_t width = ep.addr.af == CFG_AF_INET6 ? 2 : 1;
		unsigned first = 0, last = 0;

		for (size_t i = 0; i < width; i++) {
			first = first << 8 | ep.addr.b[fixed + i];
			last = last << 8 | to.b[fixed + i];
		}
		if (memcmp(ep.addr.b, to.b, fixed) != 0 || last < first) {
			strbuf_printf(err, "range %s to %s: the end must follow the "
				      "start and differ only in the last %s\n",
				      m->addrport, m->to, width == 1 ? "byte" :
				      "16 bits");
			return -1;
		}
		e->range_last = (int)last;
	}
	return 0;
}

static bool vsg_entry_same(const struct cfg_vsg_entry *a,
			   const struct cfg_vsg_entry *b)
{
	return a->is_fwmark == b->is_fwmark && a->fwmark == b->fwmark &&
		(a->is_fwmark || (cfg_addr_equal(&a->addr, &b->addr) &&
				  a->range_last == b->range_last &&
				  a->port == b->port));
}

static int edit_vsg_member(struct config *cfg, const char *group,
			   const struct config_vsg_member *m, bool add,
			   struct strbuf *err)
{
	struct cfg_vsg_entry e;
	struct cfg_vs_group *g;
	size_t i = 0;

	if (vsg_entry_of(m, &e, err) < 0)
		return -1;
	g = vsg_must_exist(cfg, group, err);
	if (!g)
		return -1;
	while (i < g->n_entries && !vsg_entry_same(&g->entries[i], &e))
		i++;
	if (add && i < g->n_entries) {
		strbuf_printf(err, "that member is already in "
			      "virtual-server-group '%s'\n", group);
		return -1;
	}
	if (!add && i == g->n_entries) {
		strbuf_printf(err, "virtual-server-group '%s' has no such "
			      "member\n", group);
		return -1;
	}
	if (add)
		*CFG_APPEND(g->entries, g->n_entries, g->cap_entries) = e;
	else
		CFG_REMOVE(g->entries, g->n_entries, i);
	return 0;
}

int config_edit_vs_set(struct config *cfg, const struct config_vs_key *key,
		       const struct config_vs_change *change, bool *created,
		       struct strbuf *err)
{
	edit_mark_vs(cfg, key);
	return edit_vs_set(cfg, key, change, created, err);
}

int config_edit_vs_delete(struct config *cfg, const struct config_vs_key *key,
			  struct strbuf *err)
{
	MARK_ALL(cfg);
	return edit_vs_delete(cfg, key, err);
}

int config_edit_rs_set(struct config *cfg, const struct config_vs_key *key,
		       const char *addrport, long long weight,
		       enum cfg_lb_kind method, bool *created,
		       struct strbuf *err)
{
	edit_mark_vs(cfg, key);
	return edit_rs_set(cfg, key, addrport, weight, method, created, err);
}

int config_edit_rs_delete(struct config *cfg, const struct config_vs_key *key,
			  const char *addrport, struct strbuf *err)
{
	edit_mark_vs(cfg, key);
	return edit_rs_delete(cfg, key, addrport, err);
}

int config_edit_vsg_set(struct config *cfg, const char *name, bool *created,
			struct strbuf *err)
{
	MARK(cfg, vs_groups, name);
	return edit_vsg_set(cfg, name, created, err);
}

int config_edit_vsg_delete(struct config *cfg, const char *name,
			   struct strbuf *err)
{
	MARK_ALL(cfg);
	return edit_vsg_delete(cfg, name, err);
}

int config_edit_vsg_member(struct config *cfg, const char *group,
			   const struct config_vsg_member *m, bool add,
			   struct strbuf *err)
{
	MARK(cfg, vs_groups, group);
	return edit_vsg_member(cfg, group, m, add, err);
}
