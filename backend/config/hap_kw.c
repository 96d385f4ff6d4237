#include "config.h"

#include "config/conf.h"

/* The haproxy-dialect keywords: setters, then the tables (sections,
 * options, server options, bind options). */

#include "config/hap_parse.h"
#include "config/model.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TIME_MS 2147483647LL	/* HAProxy's own limit (~24.8 days) */

#define HAP_SETTER(fn) \
	static bool fn(struct hap_parser *p, const struct hap_line *l)

static bool arg_int(struct hap_parser *p, const struct hap_line *l,
		    const char *kw, size_t i, long long min, long long max,
		    int *out)
{
	long long v;
	char what[96];

	if (i < l->argc && cfg_parse_int(l->argv[i], min, max, &v)) {
		*out = (int)v;
		return true;
	}
	snprintf(what, sizeof(what), "an integer from %lld to %lld", min, max);
	return hap_expects(p, l, kw, i, what);
}

static bool arg_time(struct hap_parser *p, const struct hap_line *l,
		     const char *kw, size_t i, int64_t *out)
{
	if (i < l->argc && cfg_parse_hap_time(l->argv[i], MAX_TIME_MS, out))
		return true;
	return hap_expects(p, l, kw, i, "a time (a number with an optional "
			   "unit us, ms, s, m, h or d) up to 24d");
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = xstrdup(s);
}

/* Parses ADDR:PORT the way HAProxy does (the port follows the last
 * colon), also taking [v6]:port, '*' and an empty address for "any",
 * and the ipv4@ / ipv6@ prefixes. port_required: a bind; otherwise the
 * port may be absent (a server takes the client's port). */
static bool parse_hostport(const char *s, bool port_required,
			   struct cfg_endpoint *ep)
{
	char *copy, *addr, *colon;
	enum cfg_af want = CFG_AF_ANY;
	long long port;
	bool ok = true;

	if (strncmp(s, "ipv4@", 5) == 0) {
		want = CFG_AF_INET4;
		s += 5;
	} else if (strncmp(s, "ipv6@", 5) == 0) {
		want = CFG_AF_INET6;
		s += 5;
	}
	memset(ep, 0, sizeof(*ep));
	ep->port = CFG_UNSET;
	if (!port_required && cfg_parse_addr(s, &ep->addr))
		return want == CFG_AF_ANY || ep->addr.af == want;
	copy = xstrdup(s);
	addr = copy;
	if (*addr == '[') {
		char *close = strchr(addr, ']');

		if (!close || (close[1] != ':' && close[1] != '\0')) {
			free(copy);
			return false;
		}
		*close = '\0';
		addr++;
		colon = close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = strrchr(addr, ':');
	}
	if (colon) {
		*colon = '\0';
		ok = cfg_parse_int(colon + 1, port_required ? 1 : 0, 65535,
				   &port);
		ep->port = (int)port;
	} else if (port_required) {
		ok = false;
	}
	if (ok && (*addr == '\0' || strcmp(addr, "*") == 0)) {
		ep->addr.af = CFG_AF_ANY;
		if (want == CFG_AF_INET4)
			ok = cfg_parse_addr("0.0.0.0", &ep->addr);
		else if (want == CFG_AF_INET6)
			ok = cfg_parse_addr("::", &ep->addr);
	} else if (ok) {
		ok = cfg_parse_addr(addr, &ep->addr) &&
			(want == CFG_AF_ANY || ep->addr.af == want);
	}
	free(copy);
	return ok;
}

bool hap_bind_list(struct hap_parser *p, const struct hap_line *l,
		   const char *kw, size_t i)
{
	char *list = xstrdup(l->argv[i]), *save = NULL;
	bool ok = true;

	for (char *a = strtok_r(list, ",", &save); a && ok;
	     a = strtok_r(NULL, ",", &save)) {
		struct cfg_endpoint ep;
		struct cfg_proxy *px = p->px;

		if (!parse_hostport(a, true, &ep)) {
			ok = hap_expects(p, l, kw, i, "ADDR:PORT with a port "
					 "from 1 to 65535");
			break;
		}
		for (size_t j = 0; j < px->n_binds; j++) {
			if (cfg_endpoint_equal(&px->binds[j], &ep)) {
				hap_error(p, l, "'%s' repeats address '%s'",
					  kw, a);
				ok = false;
				break;
			}
		}
		if (ok)
			*CFG_APPEND(px->binds, px->n_binds, px->cap_binds) = ep;
	}
	free(list);
	return ok;
}

/* ================================================================ */
/* global */

HAP_SETTER(set_maxconn)
{
	int *dst = p->sect == HAP_GLOBAL ? &p->cfg->hap.maxconn :
		&p->px->maxconn;

	return arg_int(p, l, "maxconn", 1, 0, 10000000, dst);
}

HAP_SETTER(set_nbthread)
{
	return arg_int(p, l, "nbthread", 1, 1, 4096, &p->cfg->hap.nbthread);
}

/* One process with worker threads is softlb's only model. */
HAP_SETTER(set_nbproc)
{
	int n;

	if (!arg_int(p, l, "nbproc", 1, 1, 64, &n))
		return false;
	hap_warn(p, l, "'nbproc' is deprecated (HAProxy 2.5 removed it); use "
		 "'nbthread'");
	return true;
}

/* ================================================================ */
/* proxies */

HAP_SETTER(set_mode)
{
	if (strcmp(l->argv[1], "tcp") == 0)
		p->px->mode = CFG_MODE_TCP;
	else if (strcmp(l->argv[1], "http") == 0)
		p->px->mode = CFG_MODE_HTTP;
	else
		return hap_expects(p, l, "mode", 1, "tcp or http");
	return true;
}

#define BALANCE_HELP "roundrobin, static-rr, leastconn, source, uri, " \
	"url_param NAME, hdr(NAME), random or first"

HAP_SETTER(set_balance)
{
	struct cfg_proxy *px = p->px;
	const char *a = l->argv[1];
	static const struct {
		const char *name;
		enum cfg_balance b;
	} plain[] = {
		{ "roundrobin", CFG_BALANCE_ROUNDROBIN },
		{ "static-rr", CFG_BALANCE_STATIC_RR },
		{ "leastconn", CFG_BALANCE_LEASTCONN },
		{ "source", CFG_BALANCE_SOURCE },
		{ "uri", CFG_BALANCE_URI },
		{ "random", CFG_BALANCE_RANDOM },
		{ "first", CFG_BALANCE_FIRST },
	};

	free(px->balance_arg);
	px->balance_arg = NULL;
	for (size_t i = 0; i < sizeof(plain) / sizeof(*plain); i++) {
		if (strcmp(a, plain[i].name) == 0) {
			if (l->argc > 2)
				return hap_expects(p, l, "balance", 2,
						   "no argument after the "
						   "algorithm");
			px->balance = plain[i].b;
			return true;
		}
	}
	if (strcmp(a, "url_param") == 0) {
		if (l->argc != 3)
			return hap_expects(p, l, "balance", 2,
					   "a parameter name");
		px->balance = CFG_BALANCE_URL_PARAM;
		px->balance_arg = xstrdup(l->argv[2]);
		return true;
	}
	if (strncmp(a, "hdr(", 4) == 0 && a[strlen(a) - 1] == ')' &&
	    strlen(a) > 5 && l->argc == 2) {
		px->balance = CFG_BALANCE_HDR;
		px->balance_arg = xstrndup(a + 4, strlen(a) - 5);
		return true;
	}
	return hap_expects(p, l, "balance", 1, BALANCE_HELP);
}

/* timeout KIND VALUE */
HAP_SETTER(set_timeout)
{
	static const char *const unimpl[] = { "client-fin", "server-fin",
					      "tarpit" };

	for (int t = 0; t < CFG_TO_COUNT; t++) {
		char kw[64];

		if (strcmp(l->argv[1], cfg_timeout_name(t)) != 0)
			continue;
		snprintf(kw, sizeof(kw), "timeout %s", l->argv[1]);
		if (l->argc != 3)
			return hap_expects(p, l, kw, 2, "one time value");
		return arg_time(p, l, kw, 2, &p->px->timeout_ms[t]);
	}
	for (size_t i = 0; i < sizeof(unimpl) / sizeof(*unimpl); i++) {
		if (strcmp(l->argv[1], unimpl[i]) == 0) {
			hap_warn_once(p, l, l->argv[1], "'timeout %s' accepted, "
				      "not implemented", l->argv[1]);
			return true;
		}
	}
	return hap_expects(p, l, "timeout", 1, "connect, client, server, "
			   "http-request, http-keep-alive, queue, tunnel or "
			   "check");
}

/* contimeout / clitimeout / srvtimeout: HAProxy 1.4's names. */
static bool old_timeout(struct hap_parser *p, const struct hap_line *l,
			enum cfg_timeout t)
{
	struct strbuf v = STRBUF_INIT;

	if (!arg_time(p, l, l->argv[0], 1, &p->px->timeout_ms[t]))
		return false;
	cfg_print_hap_time(&v, p->px->timeout_ms[t]);
	hap_warn(p, l, "'%s' is deprecated; use 'timeout %s %s'", l->argv[0],
		 cfg_timeout_name(t), strbuf_str(&v));
	strbuf_free(&v);
	return true;
}

HAP_SETTER(set_contimeout)
{
	return old_timeout(p, l, CFG_TO_CONNECT);
}

HAP_SETTER(set_clitimeout)
{
	return old_timeout(p, l, CFG_TO_CLIENT);
}

HAP_SETTER(set_srvtimeout)
{
	return old_timeout(p, l, CFG_TO_SERVER);
}

/* http-reuse never|safe|aggressive|always (the proxy engine's pool). */
HAP_SETTER(set_http_reuse)
{
	static const char *const names[] = { "safe", "never", "aggressive", "always" };

	for (int i = 0; i < 4; i++)
		if (strcmp(l->argv[1], names[i]) == 0) {
			p->px->http_reuse = i;
			return true;
		}
	return hap_expects(p, l, "http-reuse", 1, "never, safe, aggressive or always");
}

HAP_SETTER(set_retries)
{
	return arg_int(p, l, "retries", 1, 0, 1000, &p->px->retries);
}

/* Options softlb knows, with how many arguments each may take. */
static const struct {
	const char *name;
	unsigned char max_args;
} known_options[] = {
	{ "abortonclose", 0 }, { "accept-invalid-http-request", 0 },
	{ "accept-invalid-http-response", 0 }, { "allbackups", 0 },
	{ "checkcache", 0 }, { "clitcpka", 0 }, { "contstats", 0 },
	{ "dontlog-normal", 0 }, { "dontlognull", 0 },
	{ "forwardfor", 5 }, { "http-buffer-request", 0 },
	{ "http-keep-alive", 0 }, { "http-no-delay", 0 },
	{ "http-pretend-keepalive", 0 }, { "http-server-close", 0 },
	{ "http-use-proxy-header", 0 }, { "httpchk", 3 },
	{ "httpclose", 0 }, { "httplog", 1 }, { "independent-streams", 0 },
	{ "log-health-checks", 0 }, { "log-separate-errors", 0 },
	{ "logasap", 0 }, { "mysql-check", 3 }, { "nolinger", 0 },
	{ "originalto", 4 }, { "persist", 0 }, { "pgsql-check", 2 },
	{ "prefer-last-server", 0 }, { "redispatch", 1 },
	{ "redis-check", 0 }, { "smtpchk", 2 }, { "socket-stats", 0 },
	{ "splice-auto", 0 }, { "splice-request", 0 },
	{ "splice-response", 0 }, { "srvtcpka", 0 }, { "ssl-hello-chk", 0 },
	{ "tcp-check", 0 }, { "tcp-smart-accept", 0 },
	{ "tcp-smart-connect", 0 }, { "tcpka", 0 }, { "tcplog", 1 },
	{ "transparent", 0 },
};

#define N_OPTIONS (sizeof(known_options) / sizeof(*known_options))

/* Keeps options sorted and unique by name, so two proxies with the same
 * options compare equal whatever order they were written in. */
static void option_set(struct cfg_proxy *px, const char *name,
		       const char *args)
{
	size_t i = 0;

	while (i < px->n_options && strcmp(px->options[i].name, name) < 0)
		i++;
	if (i < px->n_options && strcmp(px->options[i].name, name) == 0) {
		free(px->options[i].args);
		px->options[i].args = args ? xstrdup(args) : NULL;
		return;
	}
	CFG_APPEND(px->options, px->n_options, px->cap_options);
	memmove(&px->options[i + 1], &px->options[i],
		(px->n_options - 1 - i) * sizeof(*px->options));
	px->options[i].name = xstrdup(name);
	px->options[i].args = args ? xstrdup(args) : NULL;
}

static void option_clear(struct cfg_proxy *px, const char *name)
{
	for (size_t i = 0; i < px->n_options; i++) {
		if (strcmp(px->options[i].name, name) == 0) {
			free(px->options[i].name);
			free(px->options[i].args);
			memmove(&px->options[i], &px->options[i + 1],
				(px->n_options - i - 1) * sizeof(*px->options));
			px->n_options--;
			return;
		}
	}
}

/* Finds an option by name, reporting an unknown one with a hint. */
static int find_option(struct hap_parser *p, const struct hap_line *l,
		       size_t i)
{
	struct cfg_suggest s;
	const char *hint;

	for (size_t k = 0; k < N_OPTIONS; k++)
		if (strcmp(l->argv[i], known_options[k].name) == 0)
			return (int)k;
	cfg_suggest_init(&s, l->argv[i]);
	for (size_t k = 0; k < N_OPTIONS; k++)
		cfg_suggest_try(&s, known_options[k].name);
	hint = cfg_suggest_result(&s);
	if (hint)
		hap_error(p, l, "unknown option '%s'; did you mean '%s'?",
			  l->argv[i], hint);
	else
		hap_error(p, l, "unknown option '%s'", l->argv[i]);
	return -1;
}

HAP_SETTER(set_option)
{
	struct strbuf args = STRBUF_INIT;
	const char *name = l->argv[1];
	int k;

	if (strcmp(name, "forceclose") == 0) {
		hap_warn(p, l, "'option forceclose' is deprecated; use "
			 "'option httpclose'");
		name = "httpclose";
	} else if ((k = find_option(p, l, 1)) < 0) {
		return false;
	} else if (l->argc - 2 > known_options[k].max_args) {
		char what[64];

		snprintf(what, sizeof(what), "at most %u arguments",
			 known_options[k].max_args);
		return hap_expects(p, l, name, 2 + known_options[k].max_args,
				   what);
	}
	for (size_t i = 2; i < l->argc; i++) {
		if (i > 2)
			strbuf_putc(&args, ' ');
		strbuf_puts(&args, l->argv[i]);
	}
	option_set(p->px, name, args.len ? strbuf_str(&args) : NULL);
	strbuf_free(&args);
	return true;
}

/* no option NAME */
HAP_SETTER(set_no)
{
	if (strcmp(l->argv[1], "option") != 0)
		return hap_expects(p, l, "no", 1, "'option NAME'");
	if (l->argc != 3)
		return hap_expects(p, l, "no option", 2, "one option name");
	if (find_option(p, l, 2) < 0)
		return false;
	option_clear(p->px, l->argv[2]);
	return true;
}

/* Bind options softlb does not act on yet, with their argument count,
 * so that the words after them are not taken for options. */
static const struct {
	const char *name;
	unsigned char nargs;
} bind_opts[] = {
	{ "accept-proxy", 0 }, { "alpn", 1 }, { "backlog", 1 },
	{ "ca-file", 1 }, { "ciphers", 1 }, { "crt", 1 }, { "crt-list", 1 },
	{ "curves", 1 }, { "defer-accept", 0 }, { "ecdhe", 1 },
	{ "group", 1 }, { "interface", 1 }, { "level", 1 }, { "maxconn", 1 },
	{ "mode", 1 }, { "mss", 1 }, { "name", 1 }, { "namespace", 1 },
	{ "no-sslv3", 0 }, { "npn", 1 }, { "process", 1 }, { "ssl", 0 },
	{ "tcp-ut", 1 }, { "tfo", 0 }, { "thread", 1 }, { "transparent", 0 },
	{ "user", 1 }, { "v4v6", 0 }, { "v6only", 0 }, { "verify", 1 },
};

HAP_SETTER(set_bind)
{
	if (!hap_bind_list(p, l, "bind", 1))
		return false;
	for (size_t i = 2; i < l->argc;) {
		size_t k = 0;
		char key[80];

		while (k < sizeof(bind_opts) / sizeof(*bind_opts) &&
		       strcmp(bind_opts[k].name, l->argv[i]) != 0)
			k++;
		if (k == sizeof(bind_opts) / sizeof(*bind_opts))
			return hap_expects(p, l, "bind", i, "a bind option");
		snprintf(key, sizeof(key), "bind %s", bind_opts[k].name);
		hap_warn_once(p, l, key, "'%s' accepted, not implemented",
			      key);
		if (bind_opts[k].nargs && i + 1 >= l->argc)
			return hap_expects(p, l, key, i + 1, "a value");
		i += 1 + bind_opts[k].nargs;
	}
	return true;
}

HAP_SETTER(set_default_backend)
{
	set_str(&p->px->default_backend, l->argv[1]);
	return true;
}

/* ---- server and default-server options ---- */

struct srv_opt {
	const char *name;
	unsigned char nargs;
	/* NULL: accepted, not implemented */
	bool (*set)(struct hap_parser *p, const struct hap_line *l, size_t i,
		    struct cfg_server_opts *o);
};

#define SRV_SETTER(fn) \
	static bool fn(struct hap_parser *p, const struct hap_line *l, \
		       size_t i, struct cfg_server_opts *o)

SRV_SETTER(srv_weight)
{
	return arg_int(p, l, "weight", i + 1, 0, 256, &o->weight);
}

SRV_SETTER(srv_check)
{
	o->check = 1;
	return true;
}

SRV_SETTER(srv_no_check)
{
	o->check = 0;
	return true;
}

SRV_SETTER(srv_inter)
{
	return arg_time(p, l, "inter", i + 1, &o->inter_ms);
}

SRV_SETTER(srv_fastinter)
{
	return arg_time(p, l, "fastinter", i + 1, &o->fastinter_ms);
}

SRV_SETTER(srv_downinter)
{
	return arg_time(p, l, "downinter", i + 1, &o->downinter_ms);
}

SRV_SETTER(srv_rise)
{
	return arg_int(p, l, "rise", i + 1, 1, 1000, &o->rise);
}

SRV_SETTER(srv_fall)
{
	return arg_int(p, l, "fall", i + 1, 1, 1000, &o->fall);
}

SRV_SETTER(srv_port)
{
	return arg_int(p, l, "port", i + 1, 1, 65535, &o->port);
}

SRV_SETTER(srv_addr)
{
	if (cfg_parse_addr(l->argv[i + 1], &o->addr))
		return true;
	return hap_expects(p, l, "addr", i + 1, "an IPv4 or IPv6 address");
}

SRV_SETTER(srv_backup)
{
	o->backup = 1;
	return true;
}

SRV_SETTER(srv_no_backup)
{
	o->backup = 0;
	return true;
}

SRV_SETTER(srv_maxconn)
{
	return arg_int(p, l, "maxconn", i + 1, 0, 10000000, &o->maxconn);
}

SRV_SETTER(srv_disabled)
{
	o->disabled = 1;
	return true;
}

SRV_SETTER(srv_enabled)
{
	o->disabled = 0;
	return true;
}

static const struct srv_opt srv_opts[] = {
	{ "weight", 1, srv_weight },
	{ "check", 0, srv_check },
	{ "no-check", 0, srv_no_check },
	{ "inter", 1, srv_inter },
	{ "fastinter", 1, srv_fastinter },
	{ "downinter", 1, srv_downinter },
	{ "rise", 1, srv_rise },
	{ "fall", 1, srv_fall },
	{ "port", 1, srv_port },
	{ "addr", 1, srv_addr },
	{ "backup", 0, srv_backup },
	{ "no-backup", 0, srv_no_backup },
	{ "maxconn", 1, srv_maxconn },
	{ "disabled", 0, srv_disabled },
	{ "enabled", 0, srv_enabled },
	{ "cookie", 1, NULL },
	{ "ssl", 0, NULL },
	{ "verify", 1, NULL },
	{ "sni", 1, NULL },
	{ "ca-file", 1, NULL },
	{ "check-ssl", 0, NULL },
	{ "send-proxy", 0, NULL },
	{ "send-proxy-v2", 0, NULL },
	{ "resolvers", 1, NULL },
	{ "resolve-prefer", 1, NULL },
	{ "init-addr", 1, NULL },
	{ "slowstart", 1, NULL },
	{ "on-marked-down", 1, NULL },
	{ "on-marked-up", 1, NULL },
	{ "observe", 1, NULL },
	{ "error-limit", 1, NULL },
	{ "maxqueue", 1, NULL },
	{ "minconn", 1, NULL },
	{ "source", 1, NULL },
	{ "id", 1, NULL },
	{ "track", 1, NULL },
	{ "agent-check", 0, NULL },
	{ "agent-port", 1, NULL },
	{ "agent-inter", 1, NULL },
	{ "redir", 1, NULL },
};

#define N_SRV_OPTS (sizeof(srv_opts) / sizeof(*srv_opts))

/* Applies the options from argument i on to o. */
static bool server_opts(struct hap_parser *p, const struct hap_line *l,
			size_t i, struct cfg_server_opts *o)
{
	while (i < l->argc) {
		const struct srv_opt *so = NULL;

		for (size_t k = 0; k < N_SRV_OPTS; k++)
			if (strcmp(l->argv[i], srv_opts[k].name) == 0)
				so = &srv_opts[k];
		if (!so) {
			struct cfg_suggest s;
			const char *hint;

			cfg_suggest_init(&s, l->argv[i]);
			for (size_t k = 0; k < N_SRV_OPTS; k++)
				cfg_suggest_try(&s, srv_opts[k].name);
			hint = cfg_suggest_result(&s);
			if (hint)
				hap_error(p, l, "unknown server option '%s'; "
					  "did you mean '%s'?", l->argv[i],
					  hint);
			else
				hap_error(p, l, "unknown server option '%s'",
					  l->argv[i]);
			return false;
		}
		if (i + so->nargs >= l->argc && so->nargs)
			return hap_expects(p, l, so->name, i + 1, "a value");
		if (!so->set) {
			char key[64];

			snprintf(key, sizeof(key), "server %s", so->name);
			hap_warn_once(p, l, key, "server option '%s' accepted, "
				      "not implemented", so->name);
		} else if (!so->set(p, l, i, o)) {
			return false;
		}
		i += 1 + so->nargs;
	}
	return true;
}

HAP_SETTER(set_default_server)
{
	return server_opts(p, l, 1, &p->px->default_server);
}

HAP_SETTER(set_server)
{
	struct cfg_proxy *px = p->px;
	struct cfg_server *s, *dup;
	struct cfg_endpoint ep;

	if (px->kind == CFG_PROXY_DEFAULTS || px->kind == CFG_PROXY_FRONTEND) {
		hap_error(p, l, "'server' is not allowed in %s",
			  cfg_proxy_kind_name(px->kind));
		return false;
	}
	dup = cfg_proxy_find_server(px, l->argv[1]);
	if (dup) {
		hap_error(p, l, "duplicate server '%s' in '%s' (first at line "
			  "%d)", l->argv[1], px->name, dup->loc.line);
		return false;
	}
	if (!parse_hostport(l->argv[2], false, &ep) ||
	    ep.addr.af == CFG_AF_ANY)
		return hap_expects(p, l, "server", 2, "an IPv4 or IPv6 address "
				   "with an optional :port");
	s = CFG_APPEND(px->servers, px->n_servers, px->cap_servers);
	s->name = xstrdup(l->argv[1]);
	s->ep = ep;
	s->o = px->default_server;
	s->loc.file = l->file;
	s->loc.line = l->line;
	return server_opts(p, l, 3, &s->o);
}

/* stats enable | uri U | refresh T | auth U:P | realm R... */
HAP_SETTER(set_stats)
{
	struct cfg_proxy *px = p->px;
	const char *sub = l->argv[1];
	char key[64];

	if (strcmp(sub, "enable") == 0 && l->argc == 2) {
		px->stats_enabled = 1;
		return true;
	}
	if (strcmp(sub, "uri") == 0 && l->argc == 3) {
		px->stats_enabled = 1;
		set_str(&px->stats_uri, l->argv[2]);
		return true;
	}
	if (strcmp(sub, "refresh") == 0 && l->argc == 3) {
		px->stats_enabled = 1;
		return arg_time(p, l, "stats refresh", 2,
				&px->stats_refresh_ms);
	}
	if (strcmp(sub, "auth") == 0 && l->argc == 3) {
		if (!strchr(l->argv[2], ':'))
			return hap_expects(p, l, "stats auth", 2,
					   "USER:PASSWORD");
		px->stats_enabled = 1;
		if (!strvec_contains(&px->stats_auth, l->argv[2]))
			strvec_push(&px->stats_auth, l->argv[2]);
		return true;
	}
	if (strcmp(sub, "realm") == 0 && l->argc == 3) {
		set_str(&px->stats_realm, l->argv[2]);
		return true;
	}
	if (strcmp(sub, "hide-version") == 0 || strcmp(sub, "admin") == 0 ||
	    strcmp(sub, "show-legends") == 0 || strcmp(sub, "show-node") == 0 ||
	    strcmp(sub, "show-desc") == 0 || strcmp(sub, "scope") == 0 ||
	    strcmp(sub, "http-request") == 0) {
		snprintf(key, sizeof(key), "stats %s", sub);
		hap_warn_once(p, l, key, "'%s' accepted, not implemented", key);
		return true;
	}
	return hap_expects(p, l, "stats", 1, "enable, uri URI, refresh TIME, "
			   "auth USER:PASSWORD or realm REALM");
}

/* http-check expect [!] status|rstatus|string|rstring VALUE */
HAP_SETTER(set_http_check)
{
	struct cfg_proxy *px = p->px;
	size_t i = 2;
	bool neg = false;
	struct strbuf v = STRBUF_INIT;

	if (strcmp(l->argv[1], "expect") != 0) {
		char key[64];

		snprintf(key, sizeof(key), "http-check %s", l->argv[1]);
		hap_warn_once(p, l, key, "'%s' accepted, not implemented", key);
		return true;
	}
	if (i < l->argc && strcmp(l->argv[i], "!") == 0) {
		neg = true;
		i++;
	}
	if (i + 2 != l->argc ||
	    (strcmp(l->argv[i], "status") != 0 &&
	     strcmp(l->argv[i], "rstatus") != 0 &&
	     strcmp(l->argv[i], "string") != 0 &&
	     strcmp(l->argv[i], "rstring") != 0))
		return hap_expects(p, l, "http-check expect", i,
				   "[!] status|rstatus|string|rstring VALUE");
	strbuf_printf(&v, "%s %s", l->argv[i], l->argv[i + 1]);
	free(px->http_check_expect);
	px->http_check_expect = strbuf_detach(&v);
	px->http_check_expect_neg = neg;
	return true;
}

/* ================================================================ */
/* The table */

#define G HAP_GLOBAL
#define PX HAP_PROXIES
#define NOTIMPL(name, sect) { name, sect, 0, HAP_MANY, NULL, "anything" }

const struct hap_kw hap_keywords[] = {
	/* global */
	{ "maxconn", G | HAP_FE, 1, 1, set_maxconn, "a connection count" },
	{ "nbthread", G, 1, 1, set_nbthread, "a thread count" },
	{ "nbproc", G, 1, 1, set_nbproc, "a process count" },
	NOTIMPL("log", G | PX),
	NOTIMPL("chroot", G),
	NOTIMPL("daemon", G),
	NOTIMPL("pidfile", G),
	NOTIMPL("user", G),
	NOTIMPL("group", G),
	NOTIMPL("uid", G),
	NOTIMPL("gid", G),
	NOTIMPL("stats", G),
	NOTIMPL("ulimit-n", G),
	NOTIMPL("node", G),
	NOTIMPL("description", G | PX),
	NOTIMPL("quiet", G),
	NOTIMPL("debug", G),
	NOTIMPL("spread-checks", G),
	NOTIMPL("master-worker", G),
	NOTIMPL("hard-stop-after", G),
	NOTIMPL("lua-load", G),
	NOTIMPL("setenv", G),
	NOTIMPL("cpu-map", G),
	NOTIMPL("ca-base", G),
	NOTIMPL("crt-base", G),
	NOTIMPL("maxsslconn", G),
	NOTIMPL("maxconnrate", G),
	NOTIMPL("log-send-hostname", G),
	NOTIMPL("log-tag", G | PX),
	NOTIMPL("server-state-file", G),
	NOTIMPL("server-state-base", G),
	NOTIMPL("ssl-default-bind-ciphers", G),
	NOTIMPL("ssl-default-bind-options", G),
	NOTIMPL("ssl-default-server-ciphers", G),
	NOTIMPL("ssl-default-server-options", G),
	NOTIMPL("ssl-server-verify", G),
	NOTIMPL("tune.bufsize", G),
	NOTIMPL("tune.maxrewrite", G),
	NOTIMPL("tune.ssl.default-dh-param", G),

	/* proxies */
	{ "mode", PX, 1, 1, set_mode, "tcp or http" },
	{ "balance", HAP_BE, 1, 2, set_balance, BALANCE_HELP },
	{ "timeout", PX, 2, 2, set_timeout, "a timeout name and a time" },
	{ "contimeout", HAP_BE, 1, 1, set_contimeout, "a time" },
	{ "clitimeout", HAP_FE, 1, 1, set_clitimeout, "a time" },
	{ "srvtimeout", HAP_BE, 1, 1, set_srvtimeout, "a time" },
	{ "retries", HAP_BE, 1, 1, set_retries, "an integer from 0 to 1000" },
	{ "http-reuse", HAP_BE, 1, 1, set_http_reuse, "never, safe, aggressive or always" },
	{ "option", PX, 1, HAP_MANY, set_option, "an option name" },
	{ "no", PX, 2, 2, set_no, "'option NAME'" },
	{ "bind", HAP_LISTEN | HAP_FRONTEND, 1, HAP_MANY, set_bind,
	  "ADDR:PORT[,ADDR:PORT...] [options]" },
	{ "default_backend", HAP_FE, 1, 1, set_default_backend,
	  "a backend name" },
	{ "default-server", HAP_BE, 1, HAP_MANY, set_default_server,
	  "server options" },
	{ "server", HAP_LISTEN | HAP_BACKEND, 2, HAP_MANY, set_server,
	  "a name, ADDR[:PORT] and options" },
	{ "stats", PX, 1, 2, set_stats,
	  "enable, uri URI, refresh TIME, auth USER:PASSWORD or realm REALM" },
	{ "http-check", HAP_BE, 1, HAP_MANY, set_http_check,
	  "expect [!] status|rstatus|string|rstring VALUE" },
	NOTIMPL("acl", PX),
	NOTIMPL("use_backend", HAP_FE),
	NOTIMPL("use-server", HAP_BE),
	NOTIMPL("http-request", PX),
	NOTIMPL("http-response", PX),
	NOTIMPL("http-after-response", PX),
	NOTIMPL("tcp-request", PX),
	NOTIMPL("tcp-response", PX),
	NOTIMPL("tcp-check", PX),
	NOTIMPL("capture", PX),
	NOTIMPL("errorfile", PX),
	NOTIMPL("errorloc", PX),
	NOTIMPL("errorloc302", PX),
	NOTIMPL("errorloc303", PX),
	NOTIMPL("cookie", PX),
	NOTIMPL("stick-table", PX),
	NOTIMPL("stick", PX),
	NOTIMPL("redirect", PX),
	NOTIMPL("reqadd", PX),
	NOTIMPL("rspadd", PX),
	NOTIMPL("reqrep", PX),
	NOTIMPL("rsprep", PX),
	NOTIMPL("monitor-uri", PX),
	NOTIMPL("monitor", PX),
	NOTIMPL("unique-id-format", PX),
	NOTIMPL("unique-id-header", PX),
	NOTIMPL("log-format", PX),
	NOTIMPL("id", PX),
	NOTIMPL("fullconn", PX),
	NOTIMPL("hash-type", PX),
	NOTIMPL("source", PX),
	NOTIMPL("compression", PX),
	NOTIMPL("email-alert", PX),
	NOTIMPL("rate-limit", PX),
	NOTIMPL("grace", PX),
	NOTIMPL("dispatch", PX),
	NOTIMPL("persist", PX),
	NOTIMPL("force-persist", PX),
	NOTIMPL("ignore-persist", PX),
	NOTIMPL("filter", PX),
	NOTIMPL("declare", PX),
	NOTIMPL("external-check", PX),
	NOTIMPL("load-server-state-from-file", PX),
	NOTIMPL("max-keep-alive-queue", PX),
	{ NULL, 0, 0, 0, NULL, NULL },
};
