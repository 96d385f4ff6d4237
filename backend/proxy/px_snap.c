/* Snapshots: the proxy configuration as workers see it, built in the
 * control plane from the model, the operator's overrides and the health
 * checks, then never changed (proxy-t.h). */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_acl.h"
#include "proxy/px_acl_pat.h"
#include "proxy/px_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "check/check.h"
#include "config/hap_cookie.h"
#include "proxy/px_errfile.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/runtime.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Counter blocks                                                      */

static struct px_stats *stats_new(const char *key, size_t n_slots)
{
	struct px_stats *st = xcalloc(1, sizeof(*st));

	atomic_init(&st->refs, 1);
	st->key = xstrdup(key);
	st->n_slots = n_slots;
	st->slots = aligned_alloc(64, n_slots * sizeof(struct px_ctr));
	if (!st->slots)
		abort();
	memset(st->slots, 0, n_slots * sizeof(struct px_ctr));
	return st;
}

void px_stats_unref(struct px_stats *st)
{
	if (!st || atomic_fetch_sub(&st->refs, 1) != 1)
		return;
	free(st->key);
	free(st->slots);
	free(st);
}

struct reg {
	struct px_stats **v;
	size_t n, cap;
};

/* The block of key: from the new registry, else the running one (so
 * counters survive a reload), else a fresh one. Returns a reference for
 * the caller; the new registry holds its own. */
static struct px_stats *stats_get(struct px_engine *e, struct reg *nr, const char *key)
{
	struct px_stats *st = NULL;

	for (size_t i = 0; i < nr->n; i++)
		if (strcmp(nr->v[i]->key, key) == 0) {
			atomic_fetch_add(&nr->v[i]->refs, 1);
			return nr->v[i];
		}
	for (size_t i = 0; i < e->n_stats && !st; i++)
		if (strcmp(e->stats[i]->key, key) == 0) {
			st = e->stats[i];
			atomic_fetch_add(&st->refs, 1);
		}
	if (!st)
		st = stats_new(key, e->n_workers);
	if (nr->n == nr->cap) {
		nr->cap = nr->cap ? nr->cap * 2 : 16;
		nr->v = xreallocarray(nr->v, nr->cap, sizeof(*nr->v));
	}
	nr->v[nr->n++] = st;
	atomic_fetch_add(&st->refs, 1);
	return st;
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */

void px_snapshot_ref(struct px_snapshot *s)
{
	atomic_fetch_add(&s->refs, 1);
}

static void proxy_free(struct px_proxy *p)
{
	for (size_t i = 0; i < p->n_srv; i++) {
		free(p->srv[i].name);
		free(p->srv[i].cookie);
		px_stats_unref(p->srv[i].st);
	}
	for (size_t i = 0; i < p->n_srv; i++)
		px_tls_ctx_unref(p->srv[i].tls);
	free(p->srv);
	px_chash_free(p->chash);
	px_rules_free(p->rules);
	if (p->page) {
		free(p->page->uri);
		free(p->page->realm);
		for (size_t i = 0; i < p->page->n_auth; i++)
			free(p->page->auth[i]);
		free(p->page->auth);
		free(p->page);
	}
	free(p->name);
	free(p->balance_arg);
	px_log_free(p->log);
	free(p->ck);
	px_errfiles_free(p->errfiles);
	px_log_caps_free(p->caps);
	px_stats_unref(p->st);
}

/* Drops a reference; the last one frees the snapshot and releases its
 * listeners (closing those no newer snapshot uses) and counter blocks.
 * May run on a worker thread. */
void px_snapshot_unref(struct px_snapshot *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	for (size_t i = 0; i < s->n_binds; i++) {
		px_listener_unref(s->binds[i].l);
		px_tls_ctx_unref(s->binds[i].tls);
	}
	free(s->binds);
	for (size_t i = 0; i < s->n_proxies; i++)
		proxy_free(&s->proxies[i]);
	free(s->proxies);
	free(s);
}

/* A share of a limit for one of n workers (0 stays "none"). */
static int share(int limit, size_t n)
{
	if (limit <= 0)
		return 0;
	return (int)(((size_t)limit + n - 1) / n);
}

static int64_t timeout_of(const struct cfg_proxy *cp, enum cfg_timeout t)
{
	return cp->timeout_ms[t] == CFG_UNSET ? -1 : cp->timeout_ms[t];
}

static void server_addr(struct px_server *s, const struct cfg_endpoint *ep)
{
	int port = ep->port == CFG_UNSET ? 0 : ep->port;

	s->client_port = ep->port == CFG_UNSET;
	memset(&s->addr, 0, sizeof(s->addr));
	if (ep->addr.af == CFG_AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&s->addr;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, ep->addr.b, 16);
		a->sin6_port = htons((uint16_t)port);
		s->addr_len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&s->addr;

		a->sin_family = AF_INET;
		memcpy(&a->sin_addr, ep->addr.b, 4);
		a->sin_port = htons((uint16_t)port);
		s->addr_len = sizeof(*a);
	}
}

/* The state a server starts a snapshot in: configuration, then the
 * operator, then its health check. */
static void server_state(struct px_engine *e, const struct cfg_proxy *cp,
			 const struct cfg_server *cs, struct px_server *s)
{
	const struct runtime_override *o = NULL;
	struct check_engine *ce = check_engine_of(e->d);
	struct runtime_key key;
	int ck = ce ? check_member_state(ce, cp->name, cs->name) : -1;

	runtime_key_server(&key, cp->name, cs->name);
	if (e->d->runtime)
		o = runtime_lookup(e->d->runtime, &key);
	s->weight = cs->o.weight < 0 ? 1 : cs->o.weight;
	s->iweight = s->weight;
	s->checked = ck >= 0;
	s->state = PX_SRV_UP;
	if (ck == 0)
		s->state = PX_SRV_DOWN;
	if (o && o->weight >= 0)
		s->weight = o->weight;
	if (o && o->admin == RUNTIME_DRAINING)
		s->state = PX_SRV_DRAIN;
	if (cs->o.disabled == 1 || (o && o->admin == RUNTIME_DISABLED))
		s->state = PX_SRV_MAINT;
}

static bool has_option(const struct cfg_proxy *cp, const char *name)
{
	return cfg_proxy_option(cp, name) != NULL;
}

static void source_fill(struct px_source *d, const struct cfg_source *s)
{
	memset(d, 0, sizeof(*d));
	for (int i = 0; i < s->n; i++) {
		struct cfg_endpoint ep = { .addr = s->addr[i], .port = 0 };
		struct px_server tmp;

		server_addr(&tmp, &ep);
		d->addr[i] = tmp.addr;
		d->addr_len = tmp.addr_len;
	}
	d->n = s->n;
	d->port_lo = s->port_lo;
	d->port_hi = s->port_hi;
	d->usesrc_clientip = s->usesrc_clientip == 1;
}

/* Descriptors kept aside from sessions when maxconn is derived: the
 * control plane (control socket and its clients, checks, netlink, SNMP),
 * idle server connections, logs. */
#define FD_RESERVED 100

static bool any_splice(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->n_proxies; i++)
		if (has_option(&cfg->proxies[i], "splice-auto") ||
		    has_option(&cfg->proxies[i], "splice-request") ||
		    has_option(&cfg->proxies[i], "splice-response"))
			return true;
	return false;
}

/* maxconn when the configuration sets none, from the file limit (as
 * HAProxy does): a session holds two descriptors (client, server), and
 * with splice a pipe (two more) for one session in four (maxpipes'
 * default); what the process needs besides is kept aside. So the proxy
 * stops accepting before accept() runs out of descriptors. */
static int derived_maxconn(const struct config *cfg, size_t n_listen_fds)
{
	struct rlimit rl;
	long long avail;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		/* As HAProxy: the soft limit up to the hard one first. */
		struct rlimit up = { rl.rlim_max, rl.rlim_max };

		if (setrlimit(RLIMIT_NOFILE, &up) == 0)
			rl = up;
	}
	if (rl.rlim_cur == RLIM_INFINITY)
		return 0;
	avail = (long long)rl.rlim_cur - FD_RESERVED - (long long)n_listen_fds;
	if (cfg->hap.maxpipes > 0)
		avail -= 2LL * cfg->hap.maxpipes;
	if (cfg->hap.maxpipes <= 0 && any_splice(cfg))
		avail = avail * 2 / 5;	/* 2 + 2/4 descriptors a session */
	else
		avail /= 2;
	if (avail < 1)
		avail = 1;
	return avail > 10000000 ? 10000000 : (int)avail;
}

/* option forwardfor [except NET] [header NAME] [if-none]: the words were
 * checked only for their number when loading, so a word that is not one
 * of these, or a bad NET, leaves the default in place for that word. */
static void xff_fill(struct px_xff *x, const struct cfg_option *o)
{
	char *args, *save = NULL;

	memset(x, 0, sizeof(*x));
	if (!o)
		return;
	x->on = true;
	snprintf(x->name, sizeof(x->name), "X-Forwarded-For");
	if (!o->args)
		return;
	args = xstrdup(o->args);
	for (char *wd = strtok_r(args, " ", &save); wd; wd = strtok_r(NULL, " ", &save)) {
		if (strcmp(wd, "if-none") == 0) {
			x->if_none = true;
		} else if (strcmp(wd, "header") == 0) {
			char *n = strtok_r(NULL, " ", &save);

			if (n)
				snprintf(x->name, sizeof(x->name), "%s", n);
		} else if (strcmp(wd, "except") == 0) {
			char *net = strtok_r(NULL, " ", &save), *slash;
			long bits = -1;

			if (!net)
				break;
			slash = strchr(net, '/');
			if (slash) {
				*slash = '\0';
				bits = strtol(slash + 1, NULL, 10);
			}
			if (inet_pton(AF_INET, net, x->net) == 1) {
				x->af = AF_INET;
				x->bits = bits >= 0 && bits <= 32 ? (unsigned)bits : 32;
				x->has_except = true;
			} else if (inet_pton(AF_INET6, net, x->net) == 1) {
				x->af = AF_INET6;
				x->bits = bits >= 0 && bits <= 128 ? (unsigned)bits : 128;
				x->has_except = true;
			}
		}
	}
	free(args);
}

static void proxy_fill(struct px_engine *e, struct reg *nr, const struct config *cfg,
		       const struct cfg_proxy *cp, struct px_proxy *p)
{
	struct strbuf key = STRBUF_INIT;

	p->name = xstrdup(cp->name);
	p->kind = cp->kind;
	p->mode = cp->mode == CFG_MODE_HTTP ? CFG_MODE_HTTP : CFG_MODE_TCP;
	p->balance = cp->balance ? cp->balance : CFG_BALANCE_ROUNDROBIN;
	p->balance_arg = cp->balance_arg ? xstrdup(cp->balance_arg) : NULL;
	p->t_connect = timeout_of(cp, CFG_TO_CONNECT);
	p->t_client = timeout_of(cp, CFG_TO_CLIENT);
	p->t_server = timeout_of(cp, CFG_TO_SERVER);
	p->t_queue = timeout_of(cp, CFG_TO_QUEUE);
	p->t_http_request = timeout_of(cp, CFG_TO_HTTP_REQUEST);
	p->retries = cp->retries < 0 ? 3 : cp->retries;
	p->redispatch = has_option(cp, "redispatch");
	p->allbackups = has_option(cp, "allbackups");
	xff_fill(&p->xff, cfg_proxy_option(cp, "forwardfor"));
	p->server_close = has_option(cp, "http-server-close");
	p->httpclose = has_option(cp, "httpclose") || has_option(cp, "forceclose");
	p->reuse = cp->http_reuse == 1 ? PX_REUSE_NEVER
		 : cp->http_reuse >= 2 ? PX_REUSE_ALWAYS : PX_REUSE_SAFE;
	p->t_keepalive = timeout_of(cp, CFG_TO_HTTP_KEEP_ALIVE);
	p->t_tunnel = timeout_of(cp, CFG_TO_TUNNEL);
	p->log = px_log_build(cfg, cp);
	p->t_client_fin = timeout_of(cp, CFG_TO_CLIENT_FIN);
	p->t_server_fin = timeout_of(cp, CFG_TO_SERVER_FIN);
	p->maxconn = share(cp->maxconn > 0 ? cp->maxconn : cfg->hap.maxconn, e->n_workers);
	p->splice_req = has_option(cp, "splice-request");
	p->splice_rsp = has_option(cp, "splice-response");
	p->splice_auto = has_option(cp, "splice-auto");
	p->avalanche = cp->hash_avalanche == 1;
	p->st = stats_get(e, nr, cp->name);
	p->n_srv = cp->n_servers;
	p->srv = xcalloc(cp->n_servers ? cp->n_servers : 1, sizeof(*p->srv));
	for (size_t i = 0; i < cp->n_servers; i++) {
		const struct cfg_server *cs = &cp->servers[i];
		struct px_server *s = &p->srv[i];

		s->name = xstrdup(cs->name);
		server_addr(s, &cs->ep);
		s->maxconn = share(cs->o.maxconn, e->n_workers);
		s->backup = cs->o.backup == 1;
		s->send_proxy = cs->o.send_proxy;
		source_fill(&s->src, cs->o.source.n ? &cs->o.source : &cp->source);
		s->pool_max = cs->o.pool_max_conn == CFG_UNSET ? PX_POOL_MAX : cs->o.pool_max_conn;
		s->pool_purge_ms = cs->o.pool_purge_ms == CFG_UNSET ? PX_POOL_PURGE_MS
								   : cs->o.pool_purge_ms;
		server_state(e, cp, cs, s);
		strbuf_reset(&key);
		strbuf_printf(&key, "%s/%s", cp->name, cs->name);
		s->st = stats_get(e, nr, strbuf_str(&key));
		s->sid = (int)i + 1;
		s->cookie = cs->cookie ? xstrdup(cs->cookie) : NULL;
	}
	/* Persistence, error answers, captures: mode http only (HAProxy
	 * ignores cookies in mode tcp). The texts were checked at load. */
	if (cp->cookie && p->mode == CFG_MODE_HTTP) {
		struct strbuf why = STRBUF_INIT;

		p->ck = xmalloc(sizeof(*p->ck));
		if (!cfg_cookie_parse_text(cp->cookie, p->ck, &why)) {
			free(p->ck);
			p->ck = NULL;
		}
		strbuf_free(&why);
	}
	p->persist = has_option(cp, "persist");
	p->errfiles = px_errfiles_build(cp);
	p->caps = px_log_caps_build(cp);
	if (cp->hash_type == 1)
		p->chash = px_chash_build(p);
	strbuf_free(&key);
	/* HAProxy serves a stats page in mode http only. */
	if (cp->stats_enabled == 1 && p->mode == CFG_MODE_HTTP && cp->kind != CFG_PROXY_BACKEND) {
		struct px_page *pg = xcalloc(1, sizeof(*pg));

		pg->uri = xstrdup(cp->stats_uri ? cp->stats_uri : "/haproxy?stats");
		pg->refresh_s = (int)(cp->stats_refresh_ms / 1000);
		pg->realm = xstrdup(cp->stats_realm ? cp->stats_realm : "HAProxy Statistics");
		pg->hide_version = cp->stats_hide_version == 1;
		pg->legends = cp->stats_show_legends == 1;
		pg->n_auth = cp->stats_auth.len;
		pg->auth = xcalloc(pg->n_auth ? pg->n_auth : 1, sizeof(*pg->auth));
		for (size_t i = 0; i < pg->n_auth; i++)
			pg->auth[i] = xstrdup(cp->stats_auth.items[i]);
		p->page = pg;
	}
}

/* The TLS contexts of bind `key` of cp (NULL: plain), those of the
 * running snapshot's same bind when nothing changed. Sets err on a bad
 * certificate. */
static struct px_tls_ctx *bind_tls(struct px_engine *e, const struct config *cfg,
				   const struct cfg_proxy *cp, const char *key,
				   const struct px_listener *l, struct strbuf *err)
{
	struct px_tls_ctx *old = NULL;

	for (size_t i = 0; i < cp->n_bind_ssl; i++) {
		if (strcmp(cp->bind_ssl[i].bind, key) != 0)
			continue;
		for (size_t b = 0; e->snap && b < e->snap->n_binds && !old; b++)
			if (e->snap->binds[b].l == l)
				old = e->snap->binds[b].tls;
		return px_tls_ctx_bind(&cp->bind_ssl[i], &cfg->hap, old, err);
	}
	return NULL;
}

/* The client contexts of p's ssl servers (cp's), taken over from the
 * running snapshot's same server when unchanged. */
static bool servers_tls(struct px_engine *e, const struct cfg_proxy *cp, struct px_proxy *p,
			struct strbuf *err)
{
	for (size_t j = 0; j < cp->n_servers && j < p->n_srv; j++) {
		const struct cfg_server *cs = &cp->servers[j];
		struct px_server *srv = &p->srv[j];
		struct px_tls_ctx *old = NULL;

		if (!cs->o.ssl)
			continue;
		for (size_t i = 0; e->snap && i < e->snap->n_proxies && !old; i++) {
			const struct px_proxy *op = &e->snap->proxies[i];

			if (strcmp(op->name, p->name) != 0)
				continue;
			for (size_t k = 0; k < op->n_srv && !old; k++)
				if (strcmp(op->srv[k].name, srv->name) == 0)
					old = op->srv[k].tls;
		}
		srv->tls = px_tls_ctx_server(cs, cp->name, old, err);
		if (!srv->tls)
			return false;
		srv->tls_sni = px_tls_ctx_sni(srv->tls, &srv->tls_sni_client);
	}
	return true;
}

static struct px_proxy *find_backend(struct px_snapshot *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_proxies; i++)
		if (s->proxies[i].kind != CFG_PROXY_FRONTEND && strcmp(s->proxies[i].name, name) == 0)
			return &s->proxies[i];
	return NULL;
}

struct px_snapshot *px_snapshot_build(struct px_engine *e, const struct config *cfg,
				      struct strbuf *err)
{
	struct px_snapshot *s = xcalloc(1, sizeof(*s));
	struct reg nr = { 0 };
	struct px_pat_reg npats = { 0 };
	size_t n = 0, nb = 0;

	atomic_init(&s->refs, 1);
	s->gen = ++e->gen;
	for (size_t i = 0; cfg && i < cfg->n_proxies; i++) {
		if (cfg->proxies[i].kind == CFG_PROXY_DEFAULTS)
			continue;
		n++;
		nb += cfg->proxies[i].n_binds;
	}
	{
		int gmax = cfg ? cfg->hap.maxconn : 0;

		if (cfg && gmax <= 0)
			gmax = derived_maxconn(cfg, nb * e->n_workers);
		s->global_maxconn = share(gmax, e->n_workers);
		/* show info's Maxconn: the limit in force, derived or set */
		s->maxconn = gmax;
		/* maxpipes: HAProxy's default is a quarter of maxconn. */
		s->maxpipes = share(cfg && cfg->hap.maxpipes > 0 ? cfg->hap.maxpipes
				    : gmax > 0 ? (gmax + 3) / 4 : 0, e->n_workers);
	}
	s->iid0 = cfg && cfg->hap.stats_socket ? 2 : 1;
	s->started = e->d->started;
	s->pid = (int)e->d->pid;
	snprintf(s->node, sizeof(s->node), "%.63s", e->d->hostname);
	s->proxies = xcalloc(n ? n : 1, sizeof(*s->proxies));
	s->binds = xcalloc(nb ? nb : 1, sizeof(*s->binds));
	for (size_t i = 0; cfg && i < cfg->n_proxies; i++) {
		if (cfg->proxies[i].kind == CFG_PROXY_DEFAULTS)
			continue;
		proxy_fill(e, &nr, cfg, &cfg->proxies[i], &s->proxies[s->n_proxies]);
		/* As HAProxy numbers them: the stats socket's GLOBAL proxy,
		 * when there is one, is the first. */
		s->proxies[s->n_proxies].iid = (int)s->n_proxies + (cfg->hap.stats_socket ? 2 : 1);
		s->n_proxies++;
	}
	/* Where each frontend's sessions go. */
	for (size_t i = 0, k = 0; cfg && i < cfg->n_proxies; i++) {
		const struct cfg_proxy *cp = &cfg->proxies[i];
		struct px_proxy *p;

		if (cp->kind == CFG_PROXY_DEFAULTS)
			continue;
		p = &s->proxies[k++];
		if (cp->kind == CFG_PROXY_LISTEN)
			p->backend = p;
		else if (cp->kind == CFG_PROXY_FRONTEND)
			p->backend = find_backend(s, cp->default_backend);
	}
	/* L7 rules, once every proxy they may name exists (px_acl.c). */
	for (size_t i = 0, k = 0; cfg && i < cfg->n_proxies; i++) {
		bool failed;

		if (cfg->proxies[i].kind == CFG_PROXY_DEFAULTS)
			continue;
		s->proxies[k].rules = px_rules_build(&cfg->proxies[i], &s->proxies[k], s->proxies,
						     s->n_proxies, cfg->hap.userlists, &npats, &e->pats,
						     &failed, err);
		k++;
		if (failed)
			goto fail;
	}
	/* Listeners, reusing the running ones where the address stays. */
	for (size_t i = 0, k = 0; cfg && i < cfg->n_proxies; i++) {
		const struct cfg_proxy *cp = &cfg->proxies[i];

		if (cp->kind == CFG_PROXY_DEFAULTS)
			continue;
		for (size_t j = 0; j < cp->n_binds; j++) {
			struct px_listener *l;

			if (e->dry) {
				/* softlbd -t: the bind's certificates, no socket. */
				struct strbuf t = STRBUF_INIT;
				size_t elen = err->len;

				cfg_endpoint_text(&cp->binds[j], &t);
				px_tls_ctx_unref(bind_tls(e, cfg, cp, strbuf_str(&t), NULL, err));
				strbuf_free(&t);
				if (err->len != elen)
					goto fail;
				continue;
			}
			l = px_listener_get(e, &cp->binds[j], e->snap, err);
			if (!l) {
				strbuf_printf(err, " (proxy %s)", cp->name);
				goto fail;
			}
			for (size_t b = 0; b < s->n_binds; b++)
				if (s->binds[b].l == l) {
					strbuf_printf(err, "bind %s is used twice (proxy %s)", l->key,
						      cp->name);
					px_listener_unref(l);
					goto fail;
				}
			s->binds[s->n_binds].l = l;
			s->binds[s->n_binds].fe = &s->proxies[k];
			{
				struct strbuf t = STRBUF_INIT;
				size_t elen = err->len;

				cfg_endpoint_text(&cp->binds[j], &t);
				s->binds[s->n_binds].accept_proxy =
					strvec_contains(&cp->accept_proxy, strbuf_str(&t));
				s->binds[s->n_binds].tls =
					bind_tls(e, cfg, cp, strbuf_str(&t), l, err);
				strbuf_free(&t);
				s->n_binds++;
				if (err->len != elen)
					goto fail;	/* a bad certificate */
			}
		}
		k++;
	}
	/* TLS to servers: their client contexts. */
	for (size_t i = 0, k = 0; cfg && i < cfg->n_proxies; i++) {
		const struct cfg_proxy *cp = &cfg->proxies[i];

		if (cp->kind == CFG_PROXY_DEFAULTS)
			continue;
		if (!servers_tls(e, cp, &s->proxies[k++], err))
			goto fail;
	}
	/* The new registry replaces the old one. */
	for (size_t i = 0; i < e->n_stats; i++)
		px_stats_unref(e->stats[i]);
	free(e->stats);
	e->stats = nr.v;
	e->n_stats = nr.n;
	px_pat_reg_free(&e->pats);
	e->pats = npats;
	return s;
fail:
	px_pat_reg_free(&npats);
	for (size_t i = 0; i < nr.n; i++)
		px_stats_unref(nr.v[i]);
	free(nr.v);
	px_snapshot_unref(s);
	return NULL;
}
