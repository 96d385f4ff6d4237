#include "config.h"

#include "config/edit.h"

/* Editing the model for configure mode (see edit.h): clone by printing
 * and loading, edit the clone, validate by printing and loading again. */

#include "config/conf.h"
#include "config/layout.h"
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

/* Removes element i of an array of len elements and zeroes the slot
 * freed at the end: CFG_APPEND reuses spare capacity without zeroing. */
#define CFG_REMOVE(arr, len, i) \
	do { \
		memmove(&(arr)[(i)], &(arr)[(i) + 1], \
			((len) - (i) - 1) * sizeof(*(arr))); \
		(len)--; \
		memset(&(arr)[(len)], 0, sizeof(*(arr))); \
	} while (0)

/* ================================================================ */
/* Clone and validate */


struct config *config_clone(const struct config *cfg, struct config_diag *diag)
{
	struct config *copy = config_copy(cfg);

	(void)diag;
	copy->edit_marks = xcalloc(1, sizeof(*copy->edit_marks));
	strvec_init(&copy->edit_marks->vs);
	strvec_init(&copy->edit_marks->vs_groups);
	strvec_init(&copy->edit_marks->proxies);
	strvec_init(&copy->edit_marks->vrrp);
	return copy;
}

struct config *config_new_empty(void)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *cfg = config_load_buffers(NULL, NULL, 0, NULL, NULL, 0, &diag);

	config_diag_free(&diag);
	return cfg;
}

/* Prints m and loads the text back: the parsers' verdict on m. */
static bool parses(const struct config *m, struct strbuf *err)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct strbuf kad = STRBUF_INIT, hap = STRBUF_INIT;
	struct config *back;

	config_print_keepalived(m, &kad);
	config_print_haproxy(m, &hap);
	back = config_load_buffers(CONFIG_CLONE_KAD_NAME, strbuf_str(&kad), kad.len,
				   CONFIG_CLONE_HAP_NAME, strbuf_str(&hap), hap.len,
				   &diag);
	if (!back) {
		for (size_t i = 0; i < diag.len; i++)
			if (diag.items[i].severity == CONFIG_ERROR)
				strbuf_printf(err, "%s\n", diag.items[i].msg);
	}
	config_free(back);
	config_diag_free(&diag);
	strbuf_free(&kad);
	strbuf_free(&hap);
	return back != NULL;
}

/* Adds a copy of proxy px (and, for a frontend, of its default backend)
 * to the scratch model, once. */
static void scratch_proxy(struct config *scratch, const struct config *cfg,
			  const struct cfg_proxy *px)
{
	const struct cfg_proxy *be;

	if (!px || config_find_proxy(scratch, px->name))
		return;
	cfg_proxy_copy_all(scratch, CFG_APPEND(scratch->proxies, scratch->n_proxies,
					       scratch->cap_proxies), px);
	if (px->default_backend) {
		be = config_find_proxy(cfg, px->default_backend);
		scratch_proxy(scratch, cfg, be);
	}
}

static void scratch_vs_group(struct config *scratch, const struct config *cfg,
			     const char *name)
{
	const struct cfg_vs_group *g = config_find_vs_group(cfg, name);
	struct cfg_vs_group *c;

	if (!g || config_find_vs_group(scratch, name))
		return;
	c = CFG_APPEND(scratch->vs_groups, scratch->n_vs_groups, scratch->cap_vs_groups);
	*c = *g;
	c->name = xstrdup(g->name);
	c->entries = NULL;
	c->n_entries = c->cap_entries = 0;
	for (size_t i = 0; i < g->n_entries; i++)
		*CFG_APPEND(c->entries, c->n_entries, c->cap_entries) = g->entries[i];
	c->loc.file = NULL;
}

static long edit_vs_at(const struct config *cfg, const struct config_vs_key *key);

/* The edited objects and what they refer to, in a model of their own:
 * global_defs, the VRRP side (small, and what the sync daemon and the
 * sync groups refer to), the haproxy global and defaults sections, then
 * each edited virtual server (with its group), group and proxy (with its
 * default backend). Proportional to the edit, not to the model. */
static struct config *scratch_of(const struct config *cfg)
{
	const struct cfg_edit_marks *m = cfg->edit_marks;
	struct config *scratch = config_copy_frame(cfg);

	for (size_t i = 0; i < m->vs.len; i++) {
		struct config_vs_key key;
		struct strbuf ignored = STRBUF_INIT;
		long at;

		if (config_vs_key_parse(&key, m->vs.items[i], &ignored) == 0 &&
		    (at = edit_vs_at(cfg, &key)) >= 0) {
			struct cfg_virtual_server *vs = cfg->vs[at];

			/* read only: shared, as a copy would be */
			config_vs_append(scratch, cfg_vs_ref(vs));
			if (vs->kind == CFG_VS_GROUP)
				scratch_vs_group(scratch, cfg, vs->group);
		}
		strbuf_free(&ignored);
	}
	for (size_t i = 0; i < m->vs_groups.len; i++)
		scratch_vs_group(scratch, cfg, m->vs_groups.items[i]);
	for (size_t i = 0; i < m->proxies.len; i++)
		scratch_proxy(scratch, cfg, config_find_proxy(cfg, m->proxies.items[i]));
	return scratch;
}

struct config *config_edit_finish(struct config *edited, struct strbuf *err)
{
	struct cfg_edit_marks *m = edited->edit_marks;
	struct config *scratch;
	bool ok;

	if (!m || m->all) {
		/* something may refer to what went: the whole model */
		ok = parses(edited, err);
	} else {
		scratch = scratch_of(edited);
		ok = parses(scratch, err);
		config_free(scratch);
	}
	if (!ok) {
		config_free(edited);
		return NULL;
	}
	/* the marks stay: the diff against the running model walks only
	 * what they name (config_diff_marked); config_edit_marks_clear()
	 * once applied */
	return edited;
}

void config_edit_marks_clear(struct config *cfg)
{
	struct cfg_edit_marks *m = cfg->edit_marks;

	if (!m)
		return;
	strvec_free(&m->vs);
	strvec_free(&m->vs_groups);
	strvec_free(&m->proxies);
	strvec_free(&m->vrrp);
	free(m);
	cfg->edit_marks = NULL;
}

bool config_parse_endpoint(const char *s, int min_port, struct cfg_endpoint *ep)
{
	struct cfg_endpoint tmp;
	const char *port;
	char *addr;
	long long v;
	bool ok;

	if (*s == '[') {
		const char *close = strstr(s, "]:");

		if (!close)
			return false;
		addr = xstrndup(s + 1, (size_t)(close - s - 1));
		port = close + 2;
		ok = cfg_parse_addr(addr, &tmp.addr) && tmp.addr.af == CFG_AF_INET6;
	} else {
		const char *colon = strchr(s, ':');

		if (!colon)
			return false;
		addr = xstrndup(s, (size_t)(colon - s));
		port = colon + 1;
		/* a bare IPv6 address would leave colons in the port */
		ok = cfg_parse_addr(addr, &tmp.addr) && tmp.addr.af == CFG_AF_INET4;
	}
	free(addr);
	if (!ok || !cfg_parse_int(port, min_port, 65535, &v))
		return false;
	tmp.port = (int)v;
	*ep = tmp;
	return true;
}

/* The error for a word that is not ADDR:PORT. */
static int bad_endpoint(struct strbuf *err, const char *what, const char *s,
			int min_port)
{
	strbuf_printf(err, "%s '%s' is not ADDR:PORT (a.b.c.d:port or "
		      "[ipv6]:port, port %d-65535)\n", what, s, min_port);
	return -1;
}

static enum cfg_proto proto_parse(const char *s)
{
	if (strcasecmp(s, "tcp") == 0)
		return CFG_PROTO_TCP;
	if (strcasecmp(s, "udp") == 0)
		return CFG_PROTO_UDP;
	if (strcasecmp(s, "sctp") == 0)
		return CFG_PROTO_SCTP;
	return CFG_PROTO_UNSET;
}

int config_vs_key_addr(struct config_vs_key *key, const char *addrport,
		       const char *proto, struct strbuf *err)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_ADDR;
	key->protocol = proto_parse(proto);
	if (key->protocol == CFG_PROTO_UNSET) {
		strbuf_printf(err, "protocol '%s' is not tcp, udp or sctp\n", proto);
		return -1;
	}
	/* port 0 is a persistent every-port service in IPVS */
	if (!config_parse_endpoint(addrport, 0, &key->ep))
		return bad_endpoint(err, "virtual-server", addrport, 0);
	return 0;
}

void config_vs_key_fwmark(struct config_vs_key *key, uint32_t fwmark)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_FWMARK;
	key->protocol = CFG_PROTO_TCP;
	key->ep.port = CFG_UNSET;
	key->fwmark = fwmark;
}

int config_vs_key_group(struct config_vs_key *key, const char *group,
			const char *proto, struct strbuf *err)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_GROUP;
	key->ep.port = CFG_UNSET;
	key->protocol = proto_parse(proto);
	if (key->protocol == CFG_PROTO_UNSET) {
		strbuf_printf(err, "protocol '%s' is not tcp, udp or sctp\n", proto);
		return -1;
	}
	if (!*group || strlen(group) >= sizeof(key->group) ||
	    strpbrk(group, " \t{}#!\"")) {
		strbuf_printf(err, "'%s' is not a virtual-server-group name\n", group);
		return -1;
	}
	strcpy(key->group, group);
	return 0;
}

int config_vs_key_parse(struct config_vs_key *key, const char *text,
			struct strbuf *err)
{
	const char *sp = strchr(text, ' ');
	long long v;
	char *first;
	int rc;

	if (!sp) {
		strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
		return -1;
	}
	if (strncmp(text, "group ", 6) == 0) {
		const char *name = text + 6, *end = strchr(name, ' ');

		if (!end) {
			strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
			return -1;
		}
		first = xstrndup(name, (size_t)(end - name));
		rc = config_vs_key_group(key, first, end + 1, err);
		free(first);
		return rc;
	}
	if (strncmp(text, "fwmark ", 7) == 0) {
		if (!cfg_parse_int(sp + 1, 1, UINT32_MAX, &v)) {
			strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
			return -1;
		}
		config_vs_key_fwmark(key, (uint32_t)v);
		return 0;
	}
	first = xstrndup(text, (size_t)(sp - text));
	rc = config_vs_key_addr(key, first, sp + 1, err);
	free(first);
	return rc;
}

void config_vs_key_format(const struct config_vs_key *key, struct strbuf *out)
{
	static const char *const protos[] = { "tcp", "tcp", "udp", "sctp" };

	if (key->kind == CFG_VS_FWMARK) {
		strbuf_printf(out, "fwmark %u", (unsigned)key->fwmark);
		return;
	}
	if (key->kind == CFG_VS_GROUP)
		strbuf_printf(out, "group %s", key->group);
	else
		cfg_endpoint_text(&key->ep, out);
	strbuf_printf(out, " %s", (unsigned)key->protocol < 4 ?
		      protos[key->protocol] : "tcp");
}

/* The position of the virtual server key names in cfg, or -1. */
static long edit_vs_at(const struct config *cfg, const struct config_vs_key *key)
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
		return bad_endpoint(err, "real-server", addrport, 0);
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
		return bad_endpoint(err, "real-server", addrport, 0);
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

static int check_name(const char *what, const char *name, struct strbuf *err);

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

	if (check_name("virtual-server-group", name, err) < 0)
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
		return bad_endpoint(err, "member", m->addrport, 0);
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

/* ================================================================ */
/* Proxies and servers */

/* HAProxy's name characters; the printers write names bare, so anything
 * else would not survive the round trip. */
static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:", *s)))
			return false;
	return true;
}

static int check_name(const char *what, const char *name, struct strbuf *err)
{
	if (valid_name(name))
		return 0;
	strbuf_printf(err, "%s name '%s' is not valid: use letters, digits, "
		      "'-', '_', '.' and ':'\n", what, name);
	return -1;
}

enum cfg_balance config_balance_parse(const char *s)
{
	static const enum cfg_balance plain[] = {
		CFG_BALANCE_ROUNDROBIN, CFG_BALANCE_STATIC_RR,
		CFG_BALANCE_LEASTCONN, CFG_BALANCE_SOURCE, CFG_BALANCE_URI,
		CFG_BALANCE_RANDOM, CFG_BALANCE_FIRST,
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++)
		if (strcmp(s, cfg_balance_name(plain[i])) == 0)
			return plain[i];
	return CFG_BALANCE_UNSET;
}

static struct cfg_proxy *proxy_must_exist(const struct config *cfg,
					  const char *name, struct strbuf *err)
{
	struct cfg_proxy *px = config_find_proxy(cfg, name);

	if (!px)
		strbuf_printf(err, "proxy '%s' does not exist\n", name);
	return px;
}

/* The proxy other than self that binds ep, or NULL: two proxies on one
 * address would load, then fail to bind at run time. */
static const struct cfg_proxy *bound_by(const struct config *cfg,
					const struct cfg_endpoint *ep,
					const struct cfg_proxy *self)
{
	for (size_t i = 0; i < cfg->n_proxies; i++) {
		const struct cfg_proxy *px = &cfg->proxies[i];

		if (px == self)
			continue;
		for (size_t j = 0; j < px->n_binds; j++)
			if (cfg_endpoint_equal(&px->binds[j], ep))
				return px;
	}
	return NULL;
}

/* Checks that the proxy's kind takes what change sets. */
static int check_proxy_kind(const struct cfg_proxy *px,
			    const struct config_proxy_change *change,
			    struct strbuf *err)
{
	const char *kw = NULL;

	if (change->bind && px->kind == CFG_PROXY_BACKEND)
		kw = "bind";
	else if (change->balance != CFG_BALANCE_UNSET &&
		 px->kind == CFG_PROXY_FRONTEND)
		kw = "balance";
	if (!kw)
		return 0;
	strbuf_printf(err, "'%s' is not allowed in %s '%s'\n", kw,
		      cfg_proxy_kind_name(px->kind), px->name);
	return -1;
}

static int edit_proxy_set(struct config *cfg, const char *name,
			  const struct config_proxy_change *change,
			  bool *created, struct strbuf *err)
{
	struct cfg_endpoint bind, unbind;
	const struct cfg_proxy *other;
	struct cfg_proxy *px;

	if (check_name("proxy", name, err) < 0)
		return -1;
	if (change->bind && !config_parse_endpoint(change->bind, 1, &bind))
		return bad_endpoint(err, "bind", change->bind, 1);
	if (change->unbind && !config_parse_endpoint(change->unbind, 1, &unbind))
		return bad_endpoint(err, "bind", change->unbind, 1);
	px = config_find_proxy(cfg, name);
	if (created)
		*created = !px;
	if (!px) {
		/* as open_section: a new proxy goes after the last defaults
		 * section and starts as a copy of it */
		px = CFG_APPEND(cfg->proxies, cfg->n_proxies, cfg->cap_proxies);
		cfg_proxy_copy(px, cfg->n_defaults ?
			       &cfg->defaults[cfg->n_defaults - 1] : &cfg->builtin);
		free(px->name);
		px->name = xstrdup(name);
		px->kind = CFG_PROXY_LISTEN;
		px->defaults_pos = (int)cfg->n_defaults - 1;
		px->defaults_from = -1;
		px->loc.file = NULL;
		px->loc.line = 0;
	}
	if (check_proxy_kind(px, change, err) < 0)
		return -1;
	if (change->mode != CFG_MODE_UNSET)
		px->mode = change->mode;
	if (change->balance != CFG_BALANCE_UNSET) {
		px->balance = change->balance;
		free(px->balance_arg);
		px->balance_arg = NULL;
	}
	if (change->bind) {
		bool have = false;

		other = bound_by(cfg, &bind, px);
		if (other) {
			strbuf_printf(err, "%s is already bound by proxy '%s'\n",
				      change->bind, other->name);
			return -1;
		}
		for (size_t i = 0; i < px->n_binds; i++)
			have = have || cfg_endpoint_equal(&px->binds[i], &bind);
		if (!have)
			*CFG_APPEND(px->binds, px->n_binds, px->cap_binds) = bind;
	}
	if (change->unbind) {
		size_t i = 0;

		while (i < px->n_binds && !cfg_endpoint_equal(&px->binds[i], &unbind))
			i++;
		if (i == px->n_binds) {
			strbuf_printf(err, "proxy '%s' has no bind %s\n", name,
				      change->unbind);
			return -1;
		}
		CFG_REMOVE(px->binds, px->n_binds, i);
	}
	return 0;
}

static int edit_proxy_delete(struct config *cfg, const char *name,
			     struct strbuf *err)
{
	struct cfg_proxy *px = proxy_must_exist(cfg, name, err);
	struct config *trash;

	if (!px)
		return -1;
	for (size_t i = 0; i < cfg->n_proxies; i++) {
		const struct cfg_proxy *o = &cfg->proxies[i];

		if (o != px && o->default_backend &&
		    strcmp(o->default_backend, name) == 0) {
			strbuf_printf(err, "proxy '%s' is the default_backend of "
				      "'%s'; change that first\n", name, o->name);
			return -1;
		}
	}
	trash = config_new();
	*CFG_APPEND(trash->proxies, trash->n_proxies, trash->cap_proxies) = *px;
	CFG_REMOVE(cfg->proxies, cfg->n_proxies, (size_t)(px - cfg->proxies));
	config_free(trash);
	return 0;
}

static int edit_server_set(struct config *cfg, const char *proxy,
			   const char *name, const char *addrport,
			   long long weight, int check, bool *created,
			   struct strbuf *err)
{
	struct cfg_endpoint ep;
	struct cfg_proxy *px;
	struct cfg_server *s;

	if (check_name("server", name, err) < 0)
		return -1;
	if (addrport && !config_parse_endpoint(addrport, 1, &ep))
		return bad_endpoint(err, "server", addrport, 1);
	if (weight != -1 && (weight < 0 || weight > CFG_SERVER_WEIGHT_MAX)) {
		strbuf_printf(err, "weight %lld is out of range (0-%d)\n", weight,
			      CFG_SERVER_WEIGHT_MAX);
		return -1;
	}
	px = proxy_must_exist(cfg, proxy, err);
	if (!px)
		return -1;
	if (px->kind == CFG_PROXY_FRONTEND) {
		strbuf_printf(err, "'server' is not allowed in frontend '%s'\n",
			      px->name);
		return -1;
	}
	s = cfg_proxy_find_server(px, name);
	if (created)
		*created = !s;
	if (!s) {
		if (!addrport) {
			strbuf_printf(err, "server '%s' is new in '%s': give its "
				      "ADDR:PORT\n", name, proxy);
			return -1;
		}
		/* as set_server then the parser's finish leave it */
		s = CFG_APPEND(px->servers, px->n_servers, px->cap_servers);
		s->name = xstrdup(name);
		s->o = px->default_server;
		if (s->o.fastinter_ms == CFG_UNSET)
			s->o.fastinter_ms = s->o.inter_ms;
		if (s->o.downinter_ms == CFG_UNSET)
			s->o.downinter_ms = s->o.inter_ms;
	}
	if (addrport)
		s->ep = ep;
	if (weight != -1)
		s->o.weight = (int)weight;
	if (check != -1)
		s->o.check = check ? 1 : 0;
	return 0;
}

static int edit_server_delete(struct config *cfg, const char *proxy,
			      const char *name, struct strbuf *err)
{
	struct cfg_proxy *px = proxy_must_exist(cfg, proxy, err);
	struct cfg_proxy *holder;
	struct cfg_server *s;
	struct config *trash;

	if (!px)
		return -1;
	s = cfg_proxy_find_server(px, name);
	if (!s) {
		strbuf_printf(err, "server '%s' does not exist in proxy '%s'\n",
			      name, proxy);
		return -1;
	}
	trash = config_new();
	holder = CFG_APPEND(trash->proxies, trash->n_proxies, trash->cap_proxies);
	cfg_proxy_init_builtin(holder);
	*CFG_APPEND(holder->servers, holder->n_servers, holder->cap_servers) = *s;
	CFG_REMOVE(px->servers, px->n_servers, (size_t)(s - px->servers));
	config_free(trash);
	return 0;
}

/* ================================================================ */
/* VRRP instances */

static struct cfg_vrrp_instance *vrrp_must_exist(const struct config *cfg,
						 const char *name,
						 struct strbuf *err)
{
	struct cfg_vrrp_instance *vi = config_find_vrrp(cfg, name);

	if (!vi)
		strbuf_printf(err, "vrrp-instance '%s' does not exist\n", name);
	return vi;
}

static int edit_vrrp_priority(struct config *cfg, const char *name,
			      long long priority, struct strbuf *err)
{
	struct cfg_vrrp_instance *vi;

	if (priority < 1 || priority > CFG_VRRP_PRIORITY_MAX) {
		strbuf_printf(err, "priority %lld is out of range (1-%d)\n", priority,
			      CFG_VRRP_PRIORITY_MAX);
		return -1;
	}
	vi = config_find_vrrp(cfg, name);
	if (!vi) {
		strbuf_printf(err, "vrrp-instance '%s' does not exist; a new instance "
			      "needs an interface and a virtual_router_id: add it "
			      "to keepalived.conf and reload\n", name);
		return -1;
	}
	vi->priority = (int)priority;
	/* strict mode: the address owner (255) is MASTER, every other
	 * priority BACKUP, as a reload of the saved file would make it */
	if (vi->strict_mode == 1)
		vi->state = priority == 255 ? CFG_VRRP_STATE_MASTER : CFG_VRRP_STATE_BACKUP;
	return 0;
}

static int edit_vrrp_delete(struct config *cfg, const char *name,
			    struct strbuf *err)
{
	struct cfg_vrrp_instance *vi = vrrp_must_exist(cfg, name, err);
	struct config *trash;

	if (!vi)
		return -1;
	/* the parser refuses a group or sync daemon naming a missing
	 * instance; say which, rather than quote its message */
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		if (strvec_contains(&cfg->sync_groups[i].members, name)) {
			strbuf_printf(err, "vrrp-instance '%s' is in vrrp_sync_group "
				      "'%s'; remove it there first\n", name,
				      cfg->sync_groups[i].name);
			return -1;
		}
	}
	if (cfg->global.sync.instance && strcmp(cfg->global.sync.instance, name) == 0) {
		strbuf_printf(err, "vrrp-instance '%s' is followed by the "
			      "lvs_sync_daemon; change that first\n", name);
		return -1;
	}
	trash = config_new();
	*CFG_APPEND(trash->vrrp, trash->n_vrrp, trash->cap_vrrp) = *vi;
	CFG_REMOVE(cfg->vrrp, cfg->n_vrrp, (size_t)(vi - cfg->vrrp));
	config_free(trash);
	return 0;
}

/* ================================================================ */
/* Marking what an edit touched, for config_edit_finish() */

static void mark(struct strvec *v, const char *name)
{
	if (!strvec_contains(v, name))
		strvec_push(v, name);
}

static void mark_vs(struct config *cfg, const struct config_vs_key *key)
{
	struct strbuf text = STRBUF_INIT;

	if (!cfg->edit_marks)
		return;
	config_vs_key_format(key, &text);
	mark(&cfg->edit_marks->vs, strbuf_str(&text));
	strbuf_free(&text);
}

#define MARK(cfg, list, name) \
	do { if ((cfg)->edit_marks) mark(&(cfg)->edit_marks->list, (name)); } while (0)
#define MARK_ALL(cfg) \
	do { if ((cfg)->edit_marks) (cfg)->edit_marks->all = true; } while (0)

int config_edit_vs_set(struct config *cfg, const struct config_vs_key *key,
		       const struct config_vs_change *change, bool *created,
		       struct strbuf *err)
{
	mark_vs(cfg, key);
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
	mark_vs(cfg, key);
	return edit_rs_set(cfg, key, addrport, weight, method, created, err);
}

int config_edit_rs_delete(struct config *cfg, const struct config_vs_key *key,
			  const char *addrport, struct strbuf *err)
{
	mark_vs(cfg, key);
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

int config_edit_proxy_set(struct config *cfg, const char *name,
			  const struct config_proxy_change *change,
			  bool *created, struct strbuf *err)
{
	MARK(cfg, proxies, name);
	return edit_proxy_set(cfg, name, change, created, err);
}

int config_edit_proxy_delete(struct config *cfg, const char *name,
			     struct strbuf *err)
{
	MARK_ALL(cfg);
	return edit_proxy_delete(cfg, name, err);
}

int config_edit_server_set(struct config *cfg, const char *proxy,
			   const char *name, const char *addrport,
			   long long weight, int check, bool *created,
			   struct strbuf *err)
{
	MARK(cfg, proxies, proxy);
	return edit_server_set(cfg, proxy, name, addrport, weight, check, created, err);
}

int config_edit_server_delete(struct config *cfg, const char *proxy,
			      const char *name, struct strbuf *err)
{
	MARK(cfg, proxies, proxy);
	return edit_server_delete(cfg, proxy, name, err);
}

int config_edit_vrrp_priority(struct config *cfg, const char *name,
			      long long priority, struct strbuf *err)
{
	/* the VRRP side is always in the scratch model */
	MARK(cfg, vrrp, name);
	return edit_vrrp_priority(cfg, name, priority, err);
}

int config_edit_vrrp_delete(struct config *cfg, const char *name,
			    struct strbuf *err)
{
	MARK_ALL(cfg);
	return edit_vrrp_delete(cfg, name, err);
}
