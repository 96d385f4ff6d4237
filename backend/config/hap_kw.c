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

/* What ignoring a keyword softlb does not implement would change. */
#define ROUTE CONFIG_CHANGES_ROUTE
#define ADMIT CONFIG_CHANGES_ADMIT
#define SEND CONFIG_CHANGES_SEND

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

/* maxpipes N: pipes the splice relays may hold at once (all workers). */
HAP_SETTER(set_maxpipes)
{
	return arg_int(p, l, "maxpipes", 1, 0, 10000000, &p->cfg->hap.maxpipes);
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
	static const char *const unimpl[] = { "tarpit" };

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
			   "http-request, http-keep-alive, queue, tunnel, "
			   "client-fin, server-fin or check");
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

/* hash-type map-based|consistent [avalanche] (px_lb.c, px_chash.c).
 * softlb has one hash function (FNV-1a with a final mix); naming
 * another (sdbm, djb2, wt6, crc32, none) would send keys elsewhere than
 * the operator expects, so it stays refused. */
HAP_SETTER(set_hash_type)
{
	int type;

	if (strcmp(l->argv[1], "map-based") == 0)
		type = 0;
	else if (strcmp(l->argv[1], "consistent") == 0)
		type = 1;
	else
		return hap_expects(p, l, "hash-type", 1, "map-based or consistent");
	p->px->hash_avalanche = 0;
	for (size_t i = 2; i < l->argc; i++) {
		if (strcmp(l->argv[i], "avalanche") == 0) {
			if (i + 1 != l->argc)
				return hap_expects(p, l, "hash-type", i + 1,
						   "nothing after 'avalanche'");
			p->px->hash_avalanche = 1;
		} else if (i == 2 && (strcmp(l->argv[i], "sdbm") == 0 ||
				      strcmp(l->argv[i], "djb2") == 0 ||
				      strcmp(l->argv[i], "wt6") == 0 ||
				      strcmp(l->argv[i], "crc32") == 0 ||
				      strcmp(l->argv[i], "none") == 0)) {
			return hap_not_yet(p, l, "hash-type FUNCTION", CONFIG_CHANGES_ROUTE);
		} else {
			return hap_expects(p, l, "hash-type", i, "'avalanche' (the only "
					   "modifier; softlb has one hash function)");
		}
	}
	p->px->hash_type = type;
	return true;
}

/* source ADDR[:PORT[-PORT]][,ADDR[:PORT[-PORT]]...]: where connections to
 * servers leave from. Several addresses (softlb's extension, a comma
 * list) spread the connections, so one server can take more than one
 * address's ports; they share one port range. usesrc (transparent
 * proxying) and interface are refused: softlb does not do them yet. */
static bool parse_source(struct hap_parser *p, const struct hap_line *l, size_t i,
			 struct cfg_source *out)
{
	char *list = xstrdup(l->argv[i]), *save = NULL;
	struct cfg_source src;
	bool ok = true, first = true;

	memset(&src, 0, sizeof(src));
	for (char *a = strtok_r(list, ",", &save); a && ok; a = strtok_r(NULL, ",", &save)) {
		char *dash = NULL, *colon = NULL, *addr = a;
		long long lo = 0, hi = 0;
		struct cfg_addr ca;

		if (src.n == CFG_SOURCE_MAX) {
			hap_error(p, l, "'source' takes at most %d addresses", CFG_SOURCE_MAX);
			free(list);
			return false;
		}
		if (*addr == '[') {
			char *close = strchr(addr, ']');

			if (!close || (close[1] != ':' && close[1] != '\0')) {
				ok = false;
				break;
			}
			*close = '\0';
			addr++;
			colon = close[1] == ':' ? close + 1 : NULL;
		} else if (!cfg_parse_addr(addr, &ca)) {
			colon = strrchr(addr, ':');
		}
		if (colon) {
			*colon = '\0';
			dash = strchr(colon + 1, '-');
			if (dash)
				*dash = '\0';
			ok = cfg_parse_int(colon + 1, 0, 65535, &lo) &&
			     (!dash || cfg_parse_int(dash + 1, 1, 65535, &hi));
			if (!dash)
				hi = lo;
			if (ok && (lo > hi || (lo == 0 && hi != 0)))
				ok = false;
			if (!ok)
				break;
		}
		if (!cfg_parse_addr(addr, &ca)) {
			ok = false;
			break;
		}
		if (!first && (lo != src.port_lo || hi != src.port_hi)) {
			hap_error(p, l, "'source' addresses must share one port range");
			free(list);
			return false;
		}
		if (src.n && ca.af != src.addr[0].af) {
			hap_error(p, l, "'source' addresses must be of one family");
			free(list);
			return false;
		}
		src.addr[src.n++] = ca;
		src.port_lo = (int)lo;
		src.port_hi = (int)hi;
		first = false;
	}
	free(list);
	if (!ok || src.n == 0)
		return hap_expects(p, l, "source", i, "ADDR[:PORT[-PORT]][,ADDR...] with IPv4 or "
				   "IPv6 addresses");
	*out = src;
	return true;
}

/* usesrc clientip (transparent proxying: px_source.c); the other forms
 * (client, an address, hdr_ip) are refused. */
static bool parse_usesrc(struct hap_parser *p, const struct hap_line *l, size_t i,
			 struct cfg_source *src)
{
	if (i >= l->argc)
		return hap_expects(p, l, "usesrc", i, "clientip");
	if (strcmp(l->argv[i], "clientip") != 0) {
		char key[64];

		snprintf(key, sizeof(key), "usesrc %s", l->argv[i]);
		return hap_not_yet(p, l, key, CONFIG_CHANGES_SEND);
	}
	src->usesrc_clientip = 1;
	return true;
}

HAP_SETTER(set_source)
{
	struct cfg_source src;

	if (l->argc > 2 && strcmp(l->argv[2], "usesrc") != 0) {
		char key[64];

		snprintf(key, sizeof(key), "source ... %s", l->argv[2]);
		if (strcmp(l->argv[2], "interface") == 0)
			return hap_not_yet(p, l, key, CONFIG_CHANGES_SEND);
		return hap_expects(p, l, "source", 2, "nothing more, or usesrc clientip");
	}
	if (!parse_source(p, l, 1, &src))
		return false;
	if (l->argc > 2 && !parse_usesrc(p, l, 3, &src))
		return false;
	p->px->source = src;
	return true;
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

/* impl: how softlb treats an option it knows. */
enum opt_impl {
	OPT_DONE,	/* implemented */
	OPT_WARN,	/* not implemented, ignoring it changes no traffic */
	OPT_ROUTE,	/* not implemented: refused (CONFIG_CHANGES_ROUTE) */
	OPT_ADMIT,	/* ... CONFIG_CHANGES_ADMIT */
	OPT_SEND,	/* ... CONFIG_CHANGES_SEND */
};

static const struct {
	const char *name;
	unsigned char max_args;
	enum opt_impl impl;
} known_options[] = {
	{ "abortonclose", 0, OPT_SEND },
	{ "accept-invalid-http-request", 0, OPT_ADMIT },
	{ "accept-invalid-http-response", 0, OPT_SEND },
	{ "allbackups", 0, OPT_DONE },
	{ "checkcache", 0, OPT_SEND },
	{ "clitcpka", 0, OPT_WARN },
	{ "contstats", 0, OPT_WARN },
	{ "dontlog-normal", 0, OPT_WARN },
	{ "dontlognull", 0, OPT_DONE },
	{ "external-check", 0, OPT_ROUTE },
	{ "forwardfor", 5, OPT_DONE },
	{ "http-buffer-request", 0, OPT_WARN },
	{ "http-keep-alive", 0, OPT_DONE },
	{ "http-no-delay", 0, OPT_WARN },
	{ "http-pretend-keepalive", 0, OPT_SEND },
	{ "http-server-close", 0, OPT_DONE },
	{ "http-use-proxy-header", 0, OPT_ADMIT },
	{ "httpchk", 3, OPT_DONE },
	{ "httpclose", 0, OPT_DONE },
	{ "httplog", 1, OPT_DONE },
	{ "independent-streams", 0, OPT_WARN },
	{ "ldap-check", 0, OPT_ROUTE },
	{ "log-health-checks", 0, OPT_WARN },
	{ "log-separate-errors", 0, OPT_DONE },
	{ "logasap", 0, OPT_WARN },
	{ "mysql-check", 3, OPT_ROUTE },
	{ "nolinger", 0, OPT_WARN },
	{ "originalto", 4, OPT_SEND },
	{ "persist", 0, OPT_DONE },
	{ "pgsql-check", 2, OPT_ROUTE },
	{ "prefer-last-server", 0, OPT_ROUTE },
	{ "redis-check", 0, OPT_ROUTE },
	{ "redispatch", 1, OPT_DONE },
	{ "smtpchk", 2, OPT_ROUTE },
	{ "socket-stats", 0, OPT_WARN },
	{ "splice-auto", 0, OPT_DONE },
	{ "splice-request", 0, OPT_DONE },
	{ "splice-response", 0, OPT_DONE },
	{ "spop-check", 0, OPT_ROUTE },
	{ "srvtcpka", 0, OPT_WARN },
	{ "ssl-hello-chk", 0, OPT_ROUTE },
	{ "tcp-check", 0, OPT_ROUTE },
	{ "tcp-smart-accept", 0, OPT_WARN },
	{ "tcp-smart-connect", 0, OPT_WARN },
	{ "tcpka", 0, OPT_WARN },
	{ "tcplog", 1, OPT_DONE },
	{ "transparent", 0, OPT_ROUTE },
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

void hap_option_clear(struct cfg_proxy *px, const char *name)
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

/* Warns about an option softlb ignores, refuses one whose absence would
 * change traffic, and the arguments of implemented options that softlb
 * does not honour yet. */
static bool option_supported(struct hap_parser *p, const struct hap_line *l,
			     int k)
{
	char kw[96];
	const char *what = NULL;

	snprintf(kw, sizeof(kw), "option %s", known_options[k].name);
	switch (known_options[k].impl) {
	case OPT_DONE:
		break;
	case OPT_WARN:
		hap_warn_once(p, l, kw, "'%s' accepted, not implemented", kw);
		return true;
	case OPT_ROUTE:
		what = CONFIG_CHANGES_ROUTE;
		break;
	case OPT_ADMIT:
		what = CONFIG_CHANGES_ADMIT;
		break;
	case OPT_SEND:
		what = CONFIG_CHANGES_SEND;
		break;
	}
	if (what)
		return hap_not_yet(p, l, kw, what);
	/* httplog clf: another line layout (logging only) */
	if (strcmp(known_options[k].name, "httplog") == 0 && l->argc > 2) {
		if (strcmp(l->argv[2], "clf") != 0)
			return hap_expects(p, l, "option httplog", 2, "nothing or 'clf'");
	}
	if (strcmp(known_options[k].name, "tcplog") == 0 && l->argc > 2)
		return hap_expects(p, l, "option tcplog", 2, "nothing");
	/* redispatch's interval changes when a retry moves */
	if (strcmp(known_options[k].name, "redispatch") == 0 && l->argc > 2 &&
	    strcmp(l->argv[2], "-1") != 0) {
		snprintf(kw, sizeof(kw), "option redispatch %s", l->argv[2]);
		return hap_not_yet(p, l, kw, CONFIG_CHANGES_ROUTE);
	}
	return true;
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
	} else if (!option_supported(p, l, k)) {
		return false;
	}
	for (size_t i = 2; i < l->argc; i++) {
		if (i > 2)
			strbuf_putc(&args, ' ');
		strbuf_puts(&args, l->argv[i]);
	}
	option_set(p->px, name, args.len ? strbuf_str(&args) : NULL);
	/* httplog, tcplog and log-format set one line format: the last wins */
	if (strcmp(name, "httplog") == 0 || strcmp(name, "tcplog") == 0) {
		hap_option_clear(p->px, strcmp(name, "httplog") == 0 ? "tcplog" : "httplog");
		free(p->px->log_format);
		p->px->log_format = NULL;
	}
	strbuf_free(&args);
	return true;
}

/* no option NAME | no log */
HAP_SETTER(set_no)
{
	if (strcmp(l->argv[1], "log") == 0 && l->argc == 2) {
		strvec_free(&p->px->logs);
		return true;
	}
	if (strcmp(l->argv[1], "option") != 0)
		return hap_expects(p, l, "no", 1, "'option NAME' or 'log'");
	if (l->argc != 3)
		return hap_expects(p, l, "no option", 2, "one option name");
	if (find_option(p, l, 2) < 0)
		return false;
	hap_option_clear(p->px, l->argv[2]);
	return true;
}

/* Bind options softlb does not act on yet, with their argument count,
 * so that the words after them are not taken for options, and what
 * ignoring each would change (NULL: nothing; a warning). */
static const struct {
	const char *name;
	unsigned char nargs;
	const char *refuse;
} bind_opts[] = {
	{ "accept-netscaler-cip", 1, ADMIT }, { "accept-proxy", 0, NULL },
	{ "allow-0rtt", 0, SEND }, { "alpn", 1, SEND }, { "backlog", 1, NULL },
	{ "ca-file", 1, SEND }, { "ciphers", 1, SEND }, { "ciphersuites", 1, SEND },
	{ "crl-file", 1, ADMIT }, { "crt", 1, SEND }, { "crt-ignore-err", 1, ADMIT },
	{ "crt-list", 1, SEND }, { "curves", 1, SEND }, { "defer-accept", 0, NULL },
	{ "ecdhe", 1, SEND }, { "expose-fd", 1, NULL }, { "gid", 1, NULL },
	{ "group", 1, NULL }, { "id", 1, NULL }, { "interface", 1, ADMIT },
	{ "level", 1, NULL }, { "maxconn", 1, ADMIT }, { "mode", 1, NULL },
	{ "mss", 1, NULL }, { "name", 1, NULL }, { "namespace", 1, ROUTE },
	{ "nice", 1, NULL }, { "no-sslv3", 0, SEND }, { "no-tlsv10", 0, SEND },
	{ "no-tlsv11", 0, SEND }, { "no-tlsv12", 0, SEND }, { "no-tlsv13", 0, SEND },
	{ "npn", 1, SEND }, { "process", 1, NULL }, { "proto", 1, SEND },
	{ "ssl", 0, SEND }, { "ssl-max-ver", 1, SEND }, { "ssl-min-ver", 1, SEND },
	{ "strict-sni", 0, ADMIT }, { "tcp-ut", 1, NULL }, { "tfo", 0, NULL },
	{ "thread", 1, NULL }, { "transparent", 0, ADMIT }, { "uid", 1, NULL },
	{ "user", 1, NULL }, { "v4v6", 0, ADMIT }, { "v6only", 0, ADMIT },
	{ "verify", 1, ADMIT },
};

HAP_SETTER(set_bind)
{
	size_t first = p->px->n_binds;

	if (!hap_bind_list(p, l, "bind", 1) || !hap_bind_tls(p, l, first))
		return false;
	for (size_t i = 2; i < l->argc;) {
		size_t k = 0;
		char key[80];
		int tls = hap_bind_tls_word(l->argv[i]);

		if (tls >= 0) {	/* hap_kw_ssl.c took it */
			i += 1 + (size_t)tls;
			continue;
		}

		while (k < sizeof(bind_opts) / sizeof(*bind_opts) &&
		       strcmp(bind_opts[k].name, l->argv[i]) != 0)
			k++;
		if (k == sizeof(bind_opts) / sizeof(*bind_opts))
			return hap_expects(p, l, "bind", i, "a bind option");
		snprintf(key, sizeof(key), "bind %s", bind_opts[k].name);
		if (bind_opts[k].nargs && i + 1 >= l->argc)
			return hap_expects(p, l, key, i + 1, "a value");
		if (bind_opts[k].refuse)
			return hap_not_yet(p, l, key, bind_opts[k].refuse);
		if (strcmp(bind_opts[k].name, "accept-proxy") == 0) {
			/* Every address of this line reads a PROXY header. */
			for (size_t j = first; j < p->px->n_binds; j++) {
				struct strbuf t = STRBUF_INIT;

				cfg_endpoint_text(&p->px->binds[j], &t);
				if (!strvec_contains(&p->px->accept_proxy, strbuf_str(&t)))
					strvec_push(&p->px->accept_proxy, strbuf_str(&t));
				strbuf_free(&t);
			}
			i++;
			continue;
		}
		hap_warn_once(p, l, key, "'%s' accepted, not implemented",
			      key);
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
	/* NULL: not implemented (see refuse) */
	bool (*set)(struct hap_parser *p, const struct hap_line *l, size_t i,
		    struct cfg_server_opts *o);
	/* Not implemented: what ignoring it would change (NULL: nothing,
	 * a warning). */
	const char *refuse;
};

#define SRV_SETTER(fn) \
	static bool fn(struct hap_parser *p, const struct hap_line *l, \
		       size_t i, struct cfg_server_opts *o)

SRV_SETTER(srv_weight)
{
	return arg_int(p, l, "weight", i + 1, 0, CFG_SERVER_WEIGHT_MAX, &o->weight);
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

SRV_SETTER(srv_send_proxy)
{
	o->send_proxy = strcmp(l->argv[i], "send-proxy-v2") == 0 ? 2 : 1;
	return true;
}

SRV_SETTER(srv_no_send_proxy)
{
	o->send_proxy = 0;
	return true;
}

SRV_SETTER(srv_check_send_proxy)
{
	o->check_send_proxy = 1;
	return true;
}

SRV_SETTER(srv_source)
{
	return parse_source(p, l, i + 1, &o->source);
}

/* usesrc after source on a server line (it belongs to the source). */
SRV_SETTER(srv_usesrc)
{
	if (o->source.n == 0) {
		hap_error(p, l, "'usesrc' needs a 'source' before it");
		return false;
	}
	return parse_usesrc(p, l, i + 1, &o->source);
}

SRV_SETTER(srv_pool_max_conn)
{
	return arg_int(p, l, "pool-max-conn", i + 1, -1, 1000000, &o->pool_max_conn);
}

SRV_SETTER(srv_pool_purge_delay)
{
	return arg_time(p, l, "pool-purge-delay", i + 1, &o->pool_purge_ms);
}

SRV_SETTER(srv_tls)
{
	return hap_srv_ssl(p, l, i, o);
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
	{ "cookie", 1, hap_srv_cookie },
	{ "ssl", 0, srv_tls },
	{ "no-ssl", 0, srv_tls },
	{ "verify", 1, srv_tls },
	{ "sni", 1, srv_tls },
	{ "ca-file", 1, srv_tls },
	{ "check-ssl", 0, srv_tls },
	{ "verifyhost", 1, srv_tls },
	{ "check-sni", 1, srv_tls },
	{ "send-proxy", 0, srv_send_proxy },
	{ "send-proxy-v2", 0, srv_send_proxy },
	{ "no-send-proxy", 0, srv_no_send_proxy },
	{ "no-send-proxy-v2", 0, srv_no_send_proxy },
	{ "resolvers", 1, NULL, ROUTE },
	{ "resolve-prefer", 1, NULL, ROUTE },
	{ "init-addr", 1, NULL, ROUTE },
	{ "slowstart", 1, NULL, ROUTE },
	{ "on-marked-down", 1, NULL, ROUTE },
	{ "on-marked-up", 1, NULL, ROUTE },
	{ "observe", 1, NULL, ROUTE },
	{ "error-limit", 1, NULL, ROUTE },
	{ "maxqueue", 1, NULL, ADMIT },
	{ "minconn", 1, NULL, ADMIT },
	{ "source", 1, srv_source },
	{ "id", 1, NULL, NULL },
	{ "track", 1, NULL, ROUTE },
	{ "agent-check", 0, NULL, ROUTE },
	{ "agent-port", 1, NULL, ROUTE },
	{ "agent-inter", 1, NULL, ROUTE },
	{ "redir", 1, NULL, SEND },
	{ "alpn", 1, NULL, SEND },
	{ "check-send-proxy", 0, srv_check_send_proxy },
	{ "ciphers", 1, NULL, SEND },
	{ "crt", 1, srv_tls },
	{ "no-sslv3", 0, NULL, SEND },
	{ "no-tlsv10", 0, NULL, SEND },
	{ "no-tlsv11", 0, NULL, SEND },
	{ "no-tlsv12", 0, NULL, SEND },
	{ "proto", 1, NULL, SEND },
	{ "send-proxy-v2-ssl", 0, NULL, SEND },
	{ "ssl-min-ver", 1, NULL, SEND },
	{ "ssl-max-ver", 1, NULL, SEND },
	{ "tfo", 0, NULL, NULL },
	{ "pool-max-conn", 1, srv_pool_max_conn },
	{ "pool-purge-delay", 1, srv_pool_purge_delay },
	{ "max-reuse", 1, NULL, NULL },
	{ "agent-send", 1, NULL, ROUTE },
	{ "namespace", 1, NULL, ROUTE },
	{ "usesrc", 1, srv_usesrc },
	{ "non-stick", 0, NULL, NULL },
	{ "weight-adjust", 1, NULL, ROUTE },
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
		if (!so->set && so->refuse) {
			char key[64];

			snprintf(key, sizeof(key), "server %s", so->name);
			return hap_not_yet(p, l, key, so->refuse);
		} else if (!so->set) {
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
	return server_opts(p, l, 3, &s->o) && hap_srv_ssl_check(p, l, &s->o);
}

/* global: stats socket PATH [mode M] [level L] [...] | stats timeout T.
 * Only a unix socket: HAProxy's ipv4@/ipv6@ forms would open the runtime
 * API to a network, which softlb does not do yet, so they are refused. */
static bool set_stats_global(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_hap_global *g = &p->cfg->hap;
	const char *sub = l->argv[1];

	if (strcmp(sub, "timeout") == 0 && l->argc == 3)
		return arg_time(p, l, "stats timeout", 2, &g->stats_timeout_ms);
	if (strcmp(sub, "maxconn") == 0 && l->argc == 3) {
		int n;

		if (!arg_int(p, l, "stats maxconn", 2, 1, 100000, &n))
			return false;
		hap_warn_once(p, l, "stats maxconn", "'stats maxconn' accepted, not "
			      "implemented (the runtime socket takes 10 clients at once)");
		return true;
	}
	if (strcmp(sub, "socket") != 0 || l->argc < 3)
		return hap_expects(p, l, "stats", 1, "socket PATH [mode M] [level "
				   "user|operator|admin] or timeout TIME");
	if (l->argv[2][0] != '/' || strchr(l->argv[2], '@'))
		return hap_not_yet(p, l, "stats socket other than an absolute unix path",
				   CONFIG_CHANGES_ADMIT);
	if (strlen(l->argv[2]) >= 108)
		return hap_expects(p, l, "stats socket", 2, "a unix socket path of "
				   "at most 107 bytes");
	set_str(&g->stats_socket, l->argv[2]);
	g->stats_socket_mode = -1;
	g->stats_socket_level = CFG_STATS_LEVEL_OPERATOR;
	for (size_t i = 3; i < l->argc; i++) {
		const char *o = l->argv[i];

		if (strcmp(o, "mode") == 0 && i + 1 < l->argc) {
			char *end;
			long m = strtol(l->argv[i + 1], &end, 8);

			if (*end || end == l->argv[i + 1] || m < 0 || m > 0777)
				return hap_expects(p, l, "stats socket mode", i + 1,
						   "an octal mode such as 600");
			g->stats_socket_mode = (int)m;
			i++;
		} else if (strcmp(o, "level") == 0 && i + 1 < l->argc) {
			const char *v = l->argv[i + 1];

			if (strcmp(v, "user") == 0)
				g->stats_socket_level = CFG_STATS_LEVEL_USER;
			else if (strcmp(v, "operator") == 0)
				g->stats_socket_level = CFG_STATS_LEVEL_OPERATOR;
			else if (strcmp(v, "admin") == 0)
				g->stats_socket_level = CFG_STATS_LEVEL_ADMIN;
			else
				return hap_expects(p, l, "stats socket level", i + 1,
						   "user, operator or admin");
			i++;
		} else if ((strcmp(o, "user") == 0 || strcmp(o, "group") == 0 ||
			    strcmp(o, "uid") == 0 || strcmp(o, "gid") == 0 ||
			    strcmp(o, "process") == 0 || strcmp(o, "expose-fd") == 0) &&
			   i + 1 < l->argc) {
			/* The socket stays root's: fewer may connect, never more. */
			hap_warn(p, l, "'stats socket ... %s' accepted, not implemented "
				 "(the socket is root's, mode as set)", o);
			i++;
		} else {
			char key[96];

			snprintf(key, sizeof(key), "stats socket ... %.40s", o);
			return hap_not_yet(p, l, key, CONFIG_CHANGES_ADMIT);
		}
	}
	return true;
}

/* stats enable | uri U | refresh T | auth U:P | realm R | hide-version in
 * a proxy (the stats page, px_page.c); stats socket | timeout in global. */
HAP_SETTER(set_stats)
{
	struct cfg_proxy *px = p->px;
	const char *sub = l->argv[1];

	if (p->sect == HAP_GLOBAL)
		return set_stats_global(p, l);
	if (strcmp(sub, "enable") == 0 && l->argc == 2) {
		px->stats_enabled = 1;
		return true;
	}
	if (strcmp(sub, "uri") == 0 && l->argc == 3) {
		if (l->argv[2][0] != '/')
			return hap_expects(p, l, "stats uri", 2, "a path starting with '/'");
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
	if (strcmp(sub, "realm") == 0)
		return hap_expects(p, l, "stats realm", 3, "one word (quote a realm with "
				   "spaces)");
	if (strcmp(sub, "hide-version") == 0 && l->argc == 2) {
		px->stats_enabled = 1;
		px->stats_hide_version = 1;
		return true;
	}
	if (strcmp(sub, "show-legends") == 0 && l->argc == 2) {
		px->stats_enabled = 1;
		px->stats_show_legends = 1;
		return true;
	}
	if (strcmp(sub, "show-node") == 0 || strcmp(sub, "show-desc") == 0) {
		char key[64];

		snprintf(key, sizeof(key), "stats %s", sub);
		hap_warn_once(p, l, key, "'%s' accepted, not implemented (the page "
			      "shows no node or description line)", key);
		return true;
	}
	/* admin if COND is a rule of the proxy (rules.c): its condition
	 * reads the proxy's ACLs, compiled with them. scope limits who sees
	 * what; http-request decides who is let in: neither is honoured
	 * yet, so each is refused. */
	if (strcmp(sub, "admin") == 0)
		return hap_set_rule(p, l);
	if (strcmp(sub, "scope") == 0)
		return hap_not_yet(p, l, "stats scope", CONFIG_CHANGES_ADMIT);
	if (strcmp(sub, "http-request") == 0)
		return hap_not_yet(p, l, "stats http-request",
				   CONFIG_CHANGES_ADMIT);
	return hap_expects(p, l, "stats", 1, "enable, uri URI, refresh TIME, "
			   "auth USER:PASSWORD, realm REALM, hide-version or show-legends");
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
		if (strcmp(l->argv[1], "comment") == 0) {
			hap_warn_once(p, l, key, "'%s' accepted, not "
				      "implemented", key);
			return true;
		}
		/* send, send-state, disable-on-404, connect, set-var...
		 * change what a check sends or concludes */
		return hap_not_yet(p, l, key, CONFIG_CHANGES_ROUTE);
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
/* Not implemented: WARNS when ignoring it changes no traffic (logging,
 * process management), REFUSE when it would (config_diag_not_yet). */
#define WARNS(name, sect) { name, sect, 0, HAP_MANY, NULL, "anything", NULL }
#define REFUSE(name, sect, what) \
	{ name, sect, 0, HAP_MANY, NULL, "anything", what }


const struct hap_kw hap_keywords[] = {
	/* global */
	{ "maxconn", G | HAP_FE, 1, 1, set_maxconn, "a connection count" },
	{ "nbthread", G, 1, 1, set_nbthread, "a thread count" },
	{ "maxpipes", G, 1, 1, set_maxpipes, "a pipe count" },
	{ "nbproc", G, 1, 1, set_nbproc, "a process count" },
	{ "log", G | PX, 1, 10, hap_set_log,
	  "global, or ADDR[:PORT]|/PATH [len N] [format F] FACILITY [LEVEL [MINLEVEL]]" },
	WARNS("chroot", G),
	WARNS("daemon", G),
	WARNS("pidfile", G),
	WARNS("user", G),
	WARNS("group", G),
	WARNS("uid", G),
	WARNS("gid", G),
	WARNS("ulimit-n", G),
	WARNS("node", G),
	WARNS("description", G | PX),
	WARNS("quiet", G),
	WARNS("debug", G),
	WARNS("spread-checks", G),
	WARNS("master-worker", G),
	WARNS("hard-stop-after", G),
	REFUSE("lua-load", G, SEND),
	WARNS("setenv", G),
	WARNS("cpu-map", G),
	{ "ca-base", G, 1, 1, hap_set_tls_base, "a directory", NULL },
	{ "crt-base", G, 1, 1, hap_set_tls_base, "a directory", NULL },
	WARNS("maxsslconn", G),
	REFUSE("maxconnrate", G, ADMIT),
	WARNS("log-send-hostname", G),
	{ "log-tag", G | PX, 1, 1, hap_set_log_tag, "a tag" },
	WARNS("server-state-file", G),
	WARNS("server-state-base", G),
	{ "ssl-default-bind-ciphers", G, 1, 1, hap_set_ssl_default_bind, "an OpenSSL cipher list" },
	{ "ssl-default-bind-ciphersuites", G, 1, 1, hap_set_ssl_default_bind,
	  "an OpenSSL TLSv1.3 ciphersuite list" },
	{ "ssl-default-bind-options", G, 1, HAP_MANY, hap_set_ssl_default_bind,
	  "no-sslv3, no-tlsv10, no-tlsv11, no-tlsv12, no-tlsv13, no-tls-tickets, ssl-min-ver V, "
	  "ssl-max-ver V" },
	WARNS("ssl-default-server-ciphers", G),
	WARNS("ssl-default-server-options", G),
	WARNS("ssl-server-verify", G),
	WARNS("tune.bufsize", G),
	WARNS("tune.maxrewrite", G),
	WARNS("tune.ssl.default-dh-param", G),

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
	{ "no", PX, 1, 2, set_no, "'option NAME' or 'log'" },
	{ "bind", HAP_LISTEN | HAP_FRONTEND, 1, HAP_MANY, set_bind,
	  "ADDR:PORT[,ADDR:PORT...] [options]" },
	{ "default_backend", HAP_FE, 1, 1, set_default_backend,
	  "a backend name" },
	{ "default-server", HAP_BE, 1, HAP_MANY, set_default_server,
	  "server options" },
	{ "server", HAP_LISTEN | HAP_BACKEND, 2, HAP_MANY, set_server,
	  "a name, ADDR[:PORT] and options" },
	{ "stats", G | PX, 1, HAP_MANY, set_stats,
	  "enable, uri URI, refresh TIME, auth USER:PASSWORD, realm REALM, hide-version; "
	  "in global: socket PATH [mode M] [level L], timeout TIME" },
	{ "http-check", HAP_BE, 1, HAP_MANY, set_http_check,
	  "expect [!] status|rstatus|string|rstring VALUE" },
	/* L7 rules (hap_rules.c, grammar in rules.c) */
	{ "user", HAP_USERLIST, 1, HAP_MANY, hap_set_user,
	  "NAME password HASH|insecure-password PASSWORD [groups G[,G...]]" },
	{ "group", HAP_USERLIST, 1, HAP_MANY, hap_set_user, "NAME [users U[,U...]]" },
	{ "acl", PX, 2, HAP_MANY, hap_set_rule, "NAME FETCH [flags] [operator] VALUE..." },
	{ "use_backend", HAP_FE, 1, HAP_MANY, hap_set_rule, "BACKEND [if|unless COND]" },
	{ "use-server", HAP_BE, 1, HAP_MANY, hap_set_rule, "SERVER [if|unless COND]" },
	{ "http-request", PX, 1, HAP_MANY, hap_set_rule, "ACTION [ARGS] [if|unless COND]" },
	{ "http-response", PX, 1, HAP_MANY, hap_set_rule, "ACTION [ARGS] [if|unless COND]" },
	REFUSE("http-after-response", PX, SEND),
	{ "tcp-request", PX, 2, HAP_MANY, hap_set_rule,
	  "connection|content accept|reject [if|unless COND], inspect-delay TIME" },
	REFUSE("tcp-response", PX, SEND),
	REFUSE("tcp-check", PX, ROUTE),
	{ "capture", PX, 2, 5, hap_set_capture, "request|response header NAME len N" },
	{ "errorfile", PX, 2, 2, hap_set_errorfile, "a status code and a file" },
	REFUSE("errorloc", PX, SEND),
	REFUSE("errorloc302", PX, SEND),
	REFUSE("errorloc303", PX, SEND),
	{ "cookie", HAP_BE, 1, HAP_MANY, hap_set_cookie,
	  "NAME insert|rewrite|prefix [indirect] [nocache] [httponly] [secure] ..." },
	REFUSE("stick-table", PX, ROUTE),
	REFUSE("stick", PX, ROUTE),
	{ "redirect", PX, 2, HAP_MANY, hap_set_rule,
	  "location|prefix|scheme TARGET [code N] [if|unless COND]" },
	REFUSE("reqadd", PX, SEND),
	REFUSE("rspadd", PX, SEND),
	REFUSE("reqrep", PX, SEND),
	REFUSE("rsprep", PX, SEND),
	REFUSE("monitor-uri", PX, SEND),
	REFUSE("monitor", PX, SEND),
	WARNS("unique-id-format", PX),
	REFUSE("unique-id-header", PX, SEND),
	{ "log-format", PX, 1, HAP_MANY, hap_set_log_format, "a log format string" },
	WARNS("id", PX),
	WARNS("fullconn", PX),
	{ "hash-type", HAP_BE, 1, 3, set_hash_type, "map-based or consistent [avalanche]" },
	{ "source", HAP_BE, 1, 3, set_source, "ADDR[:PORT[-PORT]][,ADDR...]" },
	REFUSE("compression", PX, SEND),
	WARNS("email-alert", PX),
	REFUSE("rate-limit", PX, ADMIT),
	WARNS("grace", PX),
	REFUSE("dispatch", PX, ROUTE),
	REFUSE("persist", PX, ROUTE),
	REFUSE("force-persist", PX, ROUTE),
	REFUSE("ignore-persist", PX, ROUTE),
	REFUSE("filter", PX, SEND),
	WARNS("declare", PX),
	REFUSE("external-check", PX, ROUTE),
	WARNS("load-server-state-from-file", PX),
	WARNS("max-keep-alive-queue", PX),
	REFUSE("reqdel", PX, SEND),
	REFUSE("reqidel", PX, SEND),
	REFUSE("reqirep", PX, SEND),
	REFUSE("reqallow", PX, ADMIT),
	REFUSE("reqiallow", PX, ADMIT),
	REFUSE("reqdeny", PX, ADMIT),
	REFUSE("reqideny", PX, ADMIT),
	REFUSE("reqpass", PX, ADMIT),
	REFUSE("reqipass", PX, ADMIT),
	REFUSE("reqtarpit", PX, ADMIT),
	REFUSE("reqitarpit", PX, ADMIT),
	REFUSE("reqsetbe", PX, ROUTE),
	REFUSE("reqisetbe", PX, ROUTE),
	REFUSE("rspdel", PX, SEND),
	REFUSE("rspidel", PX, SEND),
	REFUSE("rspirep", PX, SEND),
	REFUSE("rspdeny", PX, SEND),
	REFUSE("rspideny", PX, SEND),
	REFUSE("appsession", PX, ROUTE),
	REFUSE("block", PX, ADMIT),
	REFUSE("http-send-name-header", PX, SEND),
	REFUSE("server-template", PX, ROUTE),
	REFUSE("dynamic-cookie-key", PX, ROUTE),
	REFUSE("http-error", PX, SEND),
	REFUSE("retry-on", PX, ROUTE),
	{ NULL, 0, 0, 0, NULL, NULL, NULL },
};
