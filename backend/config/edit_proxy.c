#include "config.h"

#include "config/edit.h"
#include "config/edit_int.h"

/* Configure mode's edits of proxies and their servers. */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ================================================================ */
/* Proxies and servers */

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

	if (edit_check_name("proxy", name, err) < 0)
		return -1;
	if (change->bind && !config_parse_endpoint(change->bind, 1, &bind))
		return edit_bad_endpoint(err, "bind", change->bind, 1);
	if (change->unbind && !config_parse_endpoint(change->unbind, 1, &unbind))
		return edit_bad_endpoint(err, "bind", change->unbind, 1);
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

	if (edit_check_name("server", name, err) < 0)
		return -1;
	if (addrport && !config_parse_endpoint(addrport, 1, &ep))
		return edit_bad_endpoint(err, "server", addrport, 1);
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
