#include "config.h"

/* config_print_haproxy(): the model as canonical, modern haproxy.cfg.
 *
 * Every defaults section is printed in order, each followed by the
 * proxies declared after it; each section shows what differs from the
 * section it was built on (an option the defaults set and the proxy does
 * not becomes 'no option'), and each server what differs from its
 * proxy's default-server. Old forms are never printed: contimeout
 * becomes 'timeout connect', an inline listen address becomes 'bind'.
 */

#include "config/conf.h"
#include "config/model.h"
#include "config/rules.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool str_eq(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Quotes a word that HAProxy would otherwise split or cut at a '#'. */
static void put_word(struct strbuf *out, const char *s)
{
	if (!*s || strpbrk(s, " \t#\"'\\")) {
		strbuf_putc(out, '"');
		for (; *s; s++) {
			if (*s == '"' || *s == '\\')
				strbuf_putc(out, '\\');
			strbuf_putc(out, *s);
		}
		strbuf_putc(out, '"');
	} else {
		strbuf_puts(out, s);
	}
}

/* ADDR:PORT; an IPv6 address with a port goes in brackets, since
 * "2001:db8::4:8080" is itself a valid address. */
static void put_hostport(struct strbuf *out, const struct cfg_endpoint *ep)
{
	char buf[CFG_ADDRSTRLEN];

	if (ep->addr.af == CFG_AF_INET6 && ep->port != CFG_UNSET)
		strbuf_printf(out, "[%s]", cfg_format_addr(&ep->addr, buf));
	else if (ep->addr.af != CFG_AF_ANY)
		strbuf_puts(out, cfg_format_addr(&ep->addr, buf));
	else
		strbuf_putc(out, '*');
	if (ep->port != CFG_UNSET)
		strbuf_printf(out, ":%d", ep->port);
}

static void put_time(struct strbuf *out, const char *k, int64_t ms)
{
	strbuf_printf(out, " %s ", k);
	cfg_print_hap_time(out, ms);
}

/* The server options of o that differ from parent. A check interval
 * that the parent leaves unset means "inter". */
static void print_server_opts(struct strbuf *out,
			      const struct cfg_server_opts *o,
			      const struct cfg_server_opts *parent)
{
	char buf[CFG_ADDRSTRLEN];
	int64_t pfast = parent->fastinter_ms == CFG_UNSET ? o->inter_ms :
		parent->fastinter_ms;
	int64_t pdown = parent->downinter_ms == CFG_UNSET ? o->inter_ms :
		parent->downinter_ms;

	if (o->weight != parent->weight)
		strbuf_printf(out, " weight %d", o->weight);
	if (o->check != parent->check)
		strbuf_puts(out, o->check ? " check" : " no-check");
	if (o->inter_ms != parent->inter_ms)
		put_time(out, "inter", o->inter_ms);
	if (o->fastinter_ms != CFG_UNSET && o->fastinter_ms != pfast)
		put_time(out, "fastinter", o->fastinter_ms);
	if (o->downinter_ms != CFG_UNSET && o->downinter_ms != pdown)
		put_time(out, "downinter", o->downinter_ms);
	if (o->rise != parent->rise)
		strbuf_printf(out, " rise %d", o->rise);
	if (o->fall != parent->fall)
		strbuf_printf(out, " fall %d", o->fall);
	if (o->port != parent->port && o->port != CFG_UNSET)
		strbuf_printf(out, " port %d", o->port);
	if (!cfg_addr_equal(&o->addr, &parent->addr) &&
	    o->addr.af != CFG_AF_ANY)
		strbuf_printf(out, " addr %s", cfg_format_addr(&o->addr, buf));
	if (o->backup != parent->backup)
		strbuf_puts(out, o->backup ? " backup" : " no-backup");
	if (o->maxconn != parent->maxconn)
		strbuf_printf(out, " maxconn %d", o->maxconn);
	if (o->disabled != parent->disabled)
		strbuf_puts(out, o->disabled ? " disabled" : " enabled");
	if (o->send_proxy != parent->send_proxy)
		strbuf_puts(out, o->send_proxy == 2 ? " send-proxy-v2"
			    : o->send_proxy == 1 ? " send-proxy" : " no-send-proxy");
	if (o->ssl != parent->ssl)
		strbuf_puts(out, o->ssl ? " ssl" : " no-ssl");
	if (o->check_ssl && !parent->check_ssl)
		strbuf_puts(out, " check-ssl");
	if (o->ssl_verify != parent->ssl_verify && o->ssl_verify != CFG_UNSET)
		strbuf_puts(out, o->ssl_verify ? " verify required" : " verify none");
	if (o->ssl_ca[0] && strcmp(o->ssl_ca, parent->ssl_ca) != 0)
		strbuf_printf(out, " ca-file %s", o->ssl_ca);
	if (o->ssl_crt[0] && strcmp(o->ssl_crt, parent->ssl_crt) != 0)
		strbuf_printf(out, " crt %s", o->ssl_crt);
	if (o->ssl_sni[0] && strcmp(o->ssl_sni, parent->ssl_sni) != 0)
		strbuf_printf(out, " sni %s", o->ssl_sni);
	if (o->ssl_verifyhost[0] && strcmp(o->ssl_verifyhost, parent->ssl_verifyhost) != 0)
		strbuf_printf(out, " verifyhost %s", o->ssl_verifyhost);
	if (o->check_sni[0] && strcmp(o->check_sni, parent->check_sni) != 0)
		strbuf_printf(out, " check-sni %s", o->check_sni);
	if (o->check_send_proxy && !parent->check_send_proxy)
		strbuf_puts(out, " check-send-proxy");
	if (o->source.n && !cfg_source_equal(&o->source, &parent->source)) {
		strbuf_puts(out, " source ");
		cfg_source_text(&o->source, out);
	}
	if (o->pool_max_conn != parent->pool_max_conn && o->pool_max_conn != CFG_UNSET)
		strbuf_printf(out, " pool-max-conn %d", o->pool_max_conn);
	if (o->pool_purge_ms != parent->pool_purge_ms && o->pool_purge_ms != CFG_UNSET)
		put_time(out, "pool-purge-delay", o->pool_purge_ms);
}

/* The log lines of px that base does not give it: the extra ones when
 * base's are its first ones (a proxy appends to what it inherits), else
 * 'no log' and all of them. */
static void print_logs(struct strbuf *out, const struct cfg_proxy *px,
		       const struct cfg_proxy *base)
{
	size_t from = 0;

	if (base->logs.len <= px->logs.len) {
		while (from < base->logs.len &&
		       strcmp(base->logs.items[from], px->logs.items[from]) == 0)
			from++;
	}
	if (from < base->logs.len) {
		strbuf_puts(out, "    no log\n");
		from = 0;
	}
	for (size_t i = from; i < px->logs.len; i++)
		strbuf_printf(out, "    log %s\n", px->logs.items[i]);
	if (px->log_tag && !str_eq(px->log_tag, base->log_tag))
		strbuf_printf(out, "    log-tag %s\n", px->log_tag);
	if (px->log_format && !str_eq(px->log_format, base->log_format)) {
		strbuf_puts(out, "    log-format ");
		put_word(out, px->log_format);
		strbuf_putc(out, '\n');
	}
}

static void print_balance(struct strbuf *out, const struct cfg_proxy *px)
{
	strbuf_puts(out, "    balance ");
	if (px->balance == CFG_BALANCE_HDR)
		strbuf_printf(out, "hdr(%s)", px->balance_arg);
	else if (px->balance == CFG_BALANCE_URL_PARAM)
		strbuf_printf(out, "url_param %s", px->balance_arg);
	else
		strbuf_puts(out, cfg_balance_name(px->balance));
	strbuf_putc(out, '\n');
}

/* Prints the settings of px that differ from base; base is the built-in
 * defaults for the defaults section and the defaults for a proxy. */
static void print_proxy_body(struct strbuf *out, const struct cfg_proxy *px,
			     const struct cfg_proxy *base)
{
	for (size_t i = 0; i < px->n_binds; i++) {
		struct strbuf t = STRBUF_INIT;

		strbuf_puts(out, "    bind ");
		put_hostport(out, &px->binds[i]);
		cfg_endpoint_text(&px->binds[i], &t);
		if (strvec_contains(&px->accept_proxy, strbuf_str(&t)))
			strbuf_puts(out, " accept-proxy");
		for (size_t k = 0; k < px->n_bind_ssl; k++)
			if (strcmp(px->bind_ssl[k].bind, strbuf_str(&t)) == 0)
				strbuf_printf(out, " %s", px->bind_ssl[k].opts);
		strbuf_free(&t);
		strbuf_putc(out, '\n');
	}
	if (px->mode != base->mode)
		strbuf_printf(out, "    mode %s\n", cfg_mode_name(px->mode));
	if (px->balance != base->balance ||
	    !str_eq(px->balance_arg, base->balance_arg))
		print_balance(out, px);
	if (px->maxconn != base->maxconn)
		strbuf_printf(out, "    maxconn %d\n", px->maxconn);
	if (px->hash_type != base->hash_type || px->hash_avalanche != base->hash_avalanche)
		strbuf_printf(out, "    hash-type %s%s\n", px->hash_type ? "consistent" : "map-based",
			      px->hash_avalanche ? " avalanche" : "");
	if (px->source.n && !cfg_source_equal(&px->source, &base->source)) {
		strbuf_puts(out, "    source ");
		cfg_source_text(&px->source, out);
		strbuf_putc(out, '\n');
	}
	if (px->retries != base->retries)
		strbuf_printf(out, "    retries %d\n", px->retries);
	if (px->http_reuse != base->http_reuse)
		strbuf_printf(out, "    http-reuse %s\n",
			      px->http_reuse == 1 ? "never" : px->http_reuse == 2 ? "aggressive"
			      : px->http_reuse == 3 ? "always" : "safe");
	for (int t = 0; t < CFG_TO_COUNT; t++) {
		if (px->timeout_ms[t] == base->timeout_ms[t] ||
		    px->timeout_ms[t] == CFG_UNSET)
			continue;
		strbuf_printf(out, "    timeout %s ", cfg_timeout_name(t));
		cfg_print_hap_time(out, px->timeout_ms[t]);
		strbuf_putc(out, '\n');
	}
	for (size_t i = 0; i < base->n_options; i++)
		if (!cfg_proxy_option(px, base->options[i].name))
			strbuf_printf(out, "    no option %s\n",
				      base->options[i].name);
	for (size_t i = 0; i < px->n_options; i++) {
		const struct cfg_option *o = &px->options[i];
		const struct cfg_option *b = cfg_proxy_option(base, o->name);

		if (b && str_eq(b->args, o->args))
			continue;
		strbuf_printf(out, "    option %s", o->name);
		if (o->args)
			strbuf_printf(out, " %s", o->args);
		strbuf_putc(out, '\n');
	}
	print_logs(out, px, base);
	if (px->http_check_expect &&
	    (!str_eq(px->http_check_expect, base->http_check_expect) ||
	     px->http_check_expect_neg != base->http_check_expect_neg))
		strbuf_printf(out, "    http-check expect %s%s\n",
			      px->http_check_expect_neg ? "! " : "",
			      px->http_check_expect);
	if (px->stats_enabled && !base->stats_enabled)
		strbuf_puts(out, "    stats enable\n");
	if (px->stats_uri && !str_eq(px->stats_uri, base->stats_uri)) {
		strbuf_puts(out, "    stats uri ");
		put_word(out, px->stats_uri);
		strbuf_putc(out, '\n');
	}
	if (px->stats_refresh_ms != base->stats_refresh_ms &&
	    px->stats_refresh_ms) {
		strbuf_puts(out, "    stats refresh ");
		cfg_print_hap_time(out, px->stats_refresh_ms);
		strbuf_putc(out, '\n');
	}
	if (px->stats_realm && !str_eq(px->stats_realm, base->stats_realm)) {
		strbuf_puts(out, "    stats realm ");
		put_word(out, px->stats_realm);
		strbuf_putc(out, '\n');
	}
	if (px->stats_hide_version && !base->stats_hide_version)
		strbuf_puts(out, "    stats hide-version\n");
	if (px->stats_show_legends && !base->stats_show_legends)
		strbuf_puts(out, "    stats show-legends\n");
	for (size_t i = 0; i < px->stats_auth.len; i++) {
		if (strvec_contains(&base->stats_auth, px->stats_auth.items[i]))
			continue;
		strbuf_puts(out, "    stats auth ");
		put_word(out, px->stats_auth.items[i]);
		strbuf_putc(out, '\n');
	}
	if (px->cookie && !str_eq(px->cookie, base->cookie))
		strbuf_printf(out, "    cookie %s\n", px->cookie);
	for (size_t i = 0; i < px->errorfiles.len; i++) {
		const char *e = px->errorfiles.items[i];

		size_t sp = strcspn(e, " ");
		char *path;

		if (strvec_contains(&base->errorfiles, e) || !e[sp])
			continue;
		path = xstrndup(e + sp + 1, strcspn(e + sp + 1, "\n"));
		strbuf_printf(out, "    errorfile %.*s ", (int)sp, e);
		put_word(out, path);
		strbuf_putc(out, '\n');
		free(path);
	}
	for (size_t i = 0; i < px->captures.len; i++) {
		char kind[16], name[256];
		int len;

		if (sscanf(px->captures.items[i], "%15s %255s %d", kind, name, &len) == 3)
			strbuf_printf(out, "    capture %s header %s len %d\n", kind, name, len);
	}
	if (px->default_backend &&
	    !str_eq(px->default_backend, base->default_backend))
		strbuf_printf(out, "    default_backend %s\n",
			      px->default_backend);
	{
		struct strbuf ds = STRBUF_INIT;

		print_server_opts(&ds, &px->default_server,
				  &base->default_server);
		if (ds.len)
			strbuf_printf(out, "    default-server%s\n",
				      strbuf_str(&ds));
		strbuf_free(&ds);
	}
	for (size_t i = 0; i < px->n_servers; i++) {
		const struct cfg_server *s = &px->servers[i];

		strbuf_printf(out, "    server %s ", s->name);
		put_hostport(out, &s->ep);
		print_server_opts(out, &s->o, &px->default_server);
		if (s->cookie)
			strbuf_printf(out, " cookie %s", s->cookie);
		strbuf_putc(out, '\n');
	}
	cfg_rules_print(px->rules, out);
}

/* "defaults NAME from OTHER", "backend web from base": the header of
 * a section, naming the defaults it inherits from when it says so. */
static void print_header(struct strbuf *out, const struct config *cfg,
			 const struct cfg_proxy *px)
{
	strbuf_puts(out, cfg_proxy_kind_name(px->kind));
	if (*px->name)
		strbuf_printf(out, " %s", px->name);
	if (px->defaults_from >= 0 && (size_t)px->defaults_from < cfg->n_defaults)
		strbuf_printf(out, " from %s",
			      cfg->defaults[px->defaults_from].name);
	strbuf_putc(out, '\n');
}

void config_print_haproxy(const struct config *cfg, struct strbuf *out)
{
	if (cfg->hap.maxconn || cfg->hap.nbthread || cfg->hap.maxpipes ||
	    cfg->hap.stats_socket || cfg->hap.stats_timeout_ms || cfg->hap.logs.len ||
	    cfg->hap.log_tag || cfg->hap.ssl_bind_ciphers || cfg->hap.ssl_bind_ciphersuites ||
	    cfg->hap.ssl_bind_options) {
		static const char *const level[] = { "operator", "user", "admin" };

		strbuf_puts(out, "global\n");
		for (size_t i = 0; i < cfg->hap.logs.len; i++)
			strbuf_printf(out, "    log %s\n", cfg->hap.logs.items[i]);
		if (cfg->hap.log_tag)
			strbuf_printf(out, "    log-tag %s\n", cfg->hap.log_tag);
		if (cfg->hap.maxconn)
			strbuf_printf(out, "    maxconn %d\n", cfg->hap.maxconn);
		if (cfg->hap.ssl_bind_ciphers)
			strbuf_printf(out, "    ssl-default-bind-ciphers %s\n", cfg->hap.ssl_bind_ciphers);
		if (cfg->hap.ssl_bind_ciphersuites)
			strbuf_printf(out, "    ssl-default-bind-ciphersuites %s\n",
				      cfg->hap.ssl_bind_ciphersuites);
		if (cfg->hap.ssl_bind_options)
			strbuf_printf(out, "    ssl-default-bind-options %s\n", cfg->hap.ssl_bind_options);
		if (cfg->hap.maxpipes)
			strbuf_printf(out, "    maxpipes %d\n", cfg->hap.maxpipes);
		if (cfg->hap.nbthread)
			strbuf_printf(out, "    nbthread %d\n",
				      cfg->hap.nbthread);
		if (cfg->hap.stats_socket) {
			strbuf_puts(out, "    stats socket ");
			put_word(out, cfg->hap.stats_socket);
			if (cfg->hap.stats_socket_mode >= 0)
				strbuf_printf(out, " mode %o", (unsigned)cfg->hap.stats_socket_mode);
			if (cfg->hap.stats_socket_level != CFG_STATS_LEVEL_OPERATOR)
				strbuf_printf(out, " level %s",
					      level[cfg->hap.stats_socket_level]);
			strbuf_putc(out, '\n');
		}
		if (cfg->hap.stats_timeout_ms) {
			strbuf_puts(out, "    stats timeout ");
			cfg_print_hap_time(out, cfg->hap.stats_timeout_ms);
			strbuf_putc(out, '\n');
		}
		strbuf_putc(out, '\n');
	}
	cfg_userlists_print(cfg->hap.userlists, out);
	/* Every defaults section in order, each followed by the proxies
	 * declared after it; each section is printed as a difference from
	 * the section it was built on, so that loading the text builds it
	 * the same way. Proxies before the first defaults section come
	 * first (position -1). */
	for (long g = -1; g < (long)cfg->n_defaults; g++) {
		if (g >= 0) {
			const struct cfg_proxy *dp = &cfg->defaults[g];

			print_header(out, cfg, dp);
			print_proxy_body(out, dp, config_proxy_base(cfg, dp));
			strbuf_putc(out, '\n');
		}
		for (size_t i = 0; i < cfg->n_proxies; i++) {
			const struct cfg_proxy *px = &cfg->proxies[i];
			long pos = px->defaults_pos;

			if (pos >= (long)cfg->n_defaults)
				pos = (long)cfg->n_defaults - 1;
			if (pos != g)
				continue;
			print_header(out, cfg, px);
			print_proxy_body(out, px, config_proxy_base(cfg, px));
			strbuf_putc(out, '\n');
		}
	}
}
