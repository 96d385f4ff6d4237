#include "config.h"

/* The rule lines of a proxy in the model (copy, compare, print) and
 * their grammar: HAProxy's acl / condition / action syntax, parsed into
 * a rule_prog (rules.h). Nothing here touches a socket, a regex engine
 * or a file: what needs those is the proxy engine's (px_acl.c). */

#include "config/rules.h"

#include <ctype.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_TIME_MS 2147483647LL

/* ================================================================ */
/* The lines                                                         */

void cfg_rules_add(struct cfg_rules **r, char *const *argv, size_t argc,
		   const struct cfg_loc *loc)
{
	struct cfg_rule *l;

	if (!*r)
		*r = xcalloc(1, sizeof(**r));
	l = CFG_APPEND((*r)->v, (*r)->n, (*r)->cap);
	memset(l, 0, sizeof(*l));
	strvec_init(&l->argv);
	for (size_t i = 0; i < argc; i++)
		strvec_push(&l->argv, argv[i]);
	l->loc = *loc;
	l->files = NULL;
	for (size_t i = 0; i + 1 < argc; i++) {
		struct stat st;
		struct strbuf sig = STRBUF_INIT;

		if (strcmp(argv[i], "-f") != 0)
			continue;
		if (l->files)
			strbuf_puts(&sig, l->files);
		if (stat(argv[i + 1], &st) == 0)
			strbuf_printf(&sig, "%s %lld %lld.%09ld;", argv[i + 1], (long long)st.st_size,
				      (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		else
			strbuf_printf(&sig, "%s missing;", argv[i + 1]);
		free(l->files);
		l->files = strbuf_detach(&sig);
	}
}

void cfg_rules_pop(struct cfg_rules *r)
{
	if (!r || !r->n)
		return;
	r->n--;
	strvec_free(&r->v[r->n].argv);
	free(r->v[r->n].files);
}

struct cfg_rules *cfg_rules_copy(const struct cfg_rules *r)
{
	struct cfg_rules *c = NULL;

	for (size_t i = 0; r && i < r->n; i++) {
		cfg_rules_add(&c, r->v[i].argv.items, r->v[i].argv.len, &r->v[i].loc);
		/* the signature of the load, not of now */
		free(c->v[i].files);
		c->v[i].files = r->v[i].files ? xstrdup(r->v[i].files) : NULL;
		c->v[i].inherited = r->v[i].inherited;
	}
	return c;
}

bool cfg_rules_equal(const struct cfg_rules *a, const struct cfg_rules *b)
{
	size_t na = a ? a->n : 0, nb = b ? b->n : 0;

	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++) {
		const struct strvec *x = &a->v[i].argv, *y = &b->v[i].argv;

		if (x->len != y->len || a->v[i].inherited != b->v[i].inherited)
			return false;
		if ((a->v[i].files == NULL) != (b->v[i].files == NULL) ||
		    (a->v[i].files && strcmp(a->v[i].files, b->v[i].files) != 0))
			return false;
		for (size_t k = 0; k < x->len; k++)
			if (strcmp(x->items[k], y->items[k]) != 0)
				return false;
	}
	return true;
}

void cfg_rules_free(struct cfg_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		strvec_free(&r->v[i].argv);
		free(r->v[i].files);
	}
	free(r->v);
	free(r);
}

/* A word as the haproxy splitter reads it back: quoted in single quotes
 * when it holds a blank, a quote, a '#' or a backslash, or is empty. */
static void put_word(struct strbuf *out, const char *w)
{
	if (*w && !strpbrk(w, " \t\r'\"#\\")) {
		strbuf_puts(out, w);
		return;
	}
	if (!strchr(w, '\'')) {
		strbuf_printf(out, "'%s'", w);
		return;
	}
	strbuf_putc(out, '"');
	for (; *w; w++) {
		if (*w == '"' || *w == '\\')
			strbuf_putc(out, '\\');
		strbuf_putc(out, *w);
	}
	strbuf_putc(out, '"');
}

void cfg_rules_print(const struct cfg_rules *r, struct strbuf *out)
{
	for (size_t i = 0; r && i < r->n; i++) {
		if (r->v[i].inherited)
			continue;	/* printed in its defaults section */
		strbuf_puts(out, "   ");
		for (size_t k = 0; k < r->v[i].argv.len; k++) {
			strbuf_putc(out, ' ');
			put_word(out, r->v[i].argv.items[k]);
		}
		strbuf_putc(out, '\n');
	}
}

void cfg_userlists_print(const struct cfg_rules *r, struct strbuf *out)
{
	for (size_t i = 0; r && i < r->n; i++) {
		const struct strvec *w = &r->v[i].argv;

		if (w->len == 2) {
			strbuf_printf(out, "userlist %s\n", w->items[1]);
			continue;
		}
		strbuf_puts(out, "   ");
		for (size_t k = 2; k < w->len; k++) {
			strbuf_putc(out, ' ');
			put_word(out, w->items[k]);
		}
		strbuf_putc(out, '\n');
		if (i + 1 == r->n || r->v[i + 1].argv.len == 2)
			strbuf_putc(out, '\n');
	}
}

bool rule_keyword(const char *kw)
{
	static const char *const kws[] = { "acl", "use_backend", "use-server", "http-request",
					   "http-response", "tcp-request", "redirect", NULL };

	for (size_t i = 0; kws[i]; i++)
		if (strcmp(kw, kws[i]) == 0)
			return true;
	return false;
}

/* ================================================================ */
/* Expressions                                                       */

struct fetch_def {
	const char *name;
	enum rule_fetch fetch;
	enum rule_match match;
	int arg;		/* 0 none, 1 required, 2 optional */
};

/* HAProxy's fetch names, and the matcher each one's suffix implies. */
static const struct fetch_def fetches[] = {
	{ "always_true", RF_TRUE, RM_BOOL, 0 },
	{ "always_false", RF_FALSE, RM_BOOL, 0 },
	{ "src", RF_SRC, RM_IP, 0 },
	{ "src_port", RF_SRC_PORT, RM_INT, 0 },
	{ "dst", RF_DST, RM_IP, 0 },
	{ "dst_port", RF_DST_PORT, RM_INT, 0 },
	{ "path", RF_PATH, RM_STR, 0 },
	{ "path_beg", RF_PATH, RM_BEG, 0 },
	{ "path_end", RF_PATH, RM_END, 0 },
	{ "path_sub", RF_PATH, RM_SUB, 0 },
	{ "path_dir", RF_PATH, RM_DIR, 0 },
	{ "path_dom", RF_PATH, RM_DOM, 0 },
	{ "path_reg", RF_PATH, RM_REG, 0 },
	{ "path_len", RF_PATH, RM_LEN, 0 },
	{ "url", RF_URL, RM_STR, 0 },
	{ "url_beg", RF_URL, RM_BEG, 0 },
	{ "url_end", RF_URL, RM_END, 0 },
	{ "url_sub", RF_URL, RM_SUB, 0 },
	{ "url_dir", RF_URL, RM_DIR, 0 },
	{ "url_dom", RF_URL, RM_DOM, 0 },
	{ "url_reg", RF_URL, RM_REG, 0 },
	{ "url_len", RF_URL, RM_LEN, 0 },
	{ "url_param", RF_URL_PARAM, RM_STR, 1 },
	{ "urlp", RF_URL_PARAM, RM_STR, 1 },
	{ "query", RF_QUERY, RM_STR, 0 },
	{ "method", RF_METHOD, RM_STR, 0 },
	{ "hdr", RF_HDR, RM_STR, 1 },
	{ "hdr_beg", RF_HDR, RM_BEG, 1 },
	{ "hdr_end", RF_HDR, RM_END, 1 },
	{ "hdr_sub", RF_HDR, RM_SUB, 1 },
	{ "hdr_dir", RF_HDR, RM_DIR, 1 },
	{ "hdr_dom", RF_HDR, RM_DOM, 1 },
	{ "hdr_reg", RF_HDR, RM_REG, 1 },
	{ "hdr_len", RF_HDR, RM_LEN, 1 },
	{ "hdr_cnt", RF_HDR_CNT, RM_INT, 2 },
	{ "req.hdr", RF_HDR, RM_STR, 1 },
	{ "req.hdr_cnt", RF_HDR_CNT, RM_INT, 2 },
	{ "nbsrv", RF_NBSRV, RM_INT, 2 },
	{ "ssl_fc", RF_SSL_FC, RM_BOOL, 0 },
	{ "ssl_fc_sni", RF_SSL_FC_SNI, RM_STR, 0 },
	{ "req.ssl_sni", RF_REQ_SSL_SNI, RM_STR, 0 },
	{ "req_ssl_sni", RF_REQ_SSL_SNI, RM_STR, 0 },
	{ "http_auth", RF_HTTP_AUTH, RM_BOOL, 1 },
	{ "http_auth_group", RF_HTTP_AUTH_GROUP, RM_STR, 1 },
	{ NULL, 0, 0, 0 },
};

static const char *const match_names[] = {
	[RM_BOOL] = "bool", [RM_STR] = "str", [RM_BEG] = "beg", [RM_END] = "end",
	[RM_SUB] = "sub", [RM_DIR] = "dir", [RM_DOM] = "dom", [RM_REG] = "reg",
	[RM_IP] = "ip", [RM_INT] = "int", [RM_FOUND] = "found", [RM_LEN] = "len",
};

/* Parses "name" or "name(arg)" into its definition and argument. */
static const struct fetch_def *find_fetch(const char *w, char **arg, struct strbuf *err)
{
	const char *paren = strchr(w, '(');
	size_t nl = paren ? (size_t)(paren - w) : strlen(w);

	*arg = NULL;
	for (const struct fetch_def *f = fetches; f->name; f++) {
		if (strlen(f->name) != nl || strncmp(f->name, w, nl) != 0)
			continue;
		if (paren) {
			size_t al = strlen(paren + 1);

			if (!al || paren[al] != ')' || f->arg == 0) {
				strbuf_printf(err, "fetch '%s': %s", w,
					      f->arg ? "expects NAME)" : "takes no argument");
				return NULL;
			}
			if (al > 1) {
				*arg = xstrndup(paren + 1, al - 1);
				if (strpbrk(*arg, "(), \t")) {
					strbuf_printf(err, "fetch '%s': one argument only", w);
					free(*arg);
					*arg = NULL;
					return NULL;
				}
			}
		}
		if (f->arg == 1 && !*arg) {
			strbuf_printf(err, "fetch '%s' expects an argument: %s(NAME)", w, f->name);
			return NULL;
		}
		return f;
	}
	strbuf_printf(err, "unknown fetch '%s' (softlb knows: src, src_port, dst, dst_port, "
		      "path[_beg|_end|_sub|_dir|_dom|_reg|_len], url[_beg|...], url_param(NAME), "
		      "query, method, hdr[_beg|...|_cnt](NAME), req.hdr(NAME), nbsrv(BACKEND), "
		      "ssl_fc, ssl_fc_sni, req.ssl_sni, http_auth(USERLIST), http_auth_group(USERLIST), always_true, always_false)", w);
	return NULL;
}

/* An integer pattern: N, or LO:HI (either side may be empty). */
static bool int_pattern(const char *s)
{
	const char *colon = strchr(s, ':');
	long long v;

	if (!colon)
		return cfg_parse_int(s, 0, INT64_MAX, &v);
	{
		char *lo = xstrndup(s, (size_t)(colon - s));
		bool ok = (!*lo || cfg_parse_int(lo, 0, INT64_MAX, &v)) &&
			  (!colon[1] || cfg_parse_int(colon + 1, 0, INT64_MAX, &v)) &&
			  (*lo || colon[1]);

		free(lo);
		return ok;
	}
}

/* An address pattern: ADDR, ADDR/BITS or IPv4 ADDR/MASK. */
bool rule_ip_pattern(const char *s, struct cfg_addr *a, unsigned *bits)
{
	const char *slash = strchr(s, '/');
	char *addr = slash ? xstrndup(s, (size_t)(slash - s)) : xstrdup(s);
	bool ok = cfg_parse_addr(addr, a) && a->af != CFG_AF_ANY;
	unsigned max = a->af == CFG_AF_INET6 ? 128 : 32;
	long long v;

	free(addr);
	if (!ok)
		return false;
	*bits = max;
	if (!slash)
		return true;
	if (cfg_parse_int(slash + 1, 0, max, &v)) {
		*bits = (unsigned)v;
		return true;
	}
	if (a->af == CFG_AF_INET4) {
		struct cfg_addr m;
		uint32_t x;

		if (!cfg_parse_addr(slash + 1, &m) || m.af != CFG_AF_INET4)
			return false;
		x = ((uint32_t)m.b[0] << 24) | ((uint32_t)m.b[1] << 16) |
		    ((uint32_t)m.b[2] << 8) | m.b[3];
		/* contiguous ones: ~x + 1 is a power of two (or 0) */
		if (((~x + 1) & ~x) != 0)
			return false;
		*bits = 0;
		while (x & 0x80000000u) {
			(*bits)++;
			x <<= 1;
		}
		return true;
	}
	return false;
}

static void expr_free(struct rule_expr *e)
{
	if (!e)
		return;
	free(e->arg);
	strvec_free(&e->pats);
	strvec_free(&e->files);
	free(e);
}

static struct rule_expr *expr_new(struct rule_prog *prog, const struct cfg_loc *loc)
{
	struct rule_expr *e = xcalloc(1, sizeof(*e)), **slot;

	strvec_init(&e->pats);
	strvec_init(&e->files);
	e->loc = *loc;
	e->id = (int)prog->n_exprs;
	slot = CFG_APPEND(prog->exprs, prog->n_exprs, prog->cap_exprs);
	*slot = e;
	return e;
}

/* Parses FETCH [flags] [op] VALUE... from w[*i] up to end (exclusive) or
 * a "}" when braced. Returns the expression (owned by prog) or NULL. */
static struct rule_expr *parse_expr(struct rule_prog *prog, char *const *w, size_t *i, size_t end,
				    bool braced, const struct cfg_loc *loc, struct strbuf *err)
{
	const struct fetch_def *f;
	struct rule_expr *e;
	char *arg;
	bool flags = true;

	if (*i >= end) {
		strbuf_puts(err, "expects a fetch");
		return NULL;
	}
	f = find_fetch(w[*i], &arg, err);
	if (!f)
		return NULL;
	e = expr_new(prog, loc);
	e->fetch = f->fetch;
	e->arg = arg;
	e->match = f->match;
	(*i)++;
	while (*i < end && !(braced && strcmp(w[*i], "}") == 0)) {
		const char *a = w[*i];

		if (flags && a[0] == '-' && a[1]) {
			if (strcmp(a, "--") == 0) {
				flags = false;
			} else if (strcmp(a, "-i") == 0) {
				e->icase = true;
			} else if (strcmp(a, "-n") == 0) {
				/* no DNS resolution: softlb never resolves */
			} else if (strcmp(a, "-m") == 0 || strcmp(a, "-f") == 0) {
				if (*i + 1 >= end) {
					strbuf_printf(err, "flag '%s' expects a value", a);
					return NULL;
				}
				(*i)++;
				if (a[1] == 'f') {
					strvec_push(&e->files, w[*i]);
				} else {
					size_t k;

					for (k = 0; k < sizeof(match_names) / sizeof(*match_names); k++)
						if (strcmp(w[*i], match_names[k]) == 0)
							break;
					if (k == sizeof(match_names) / sizeof(*match_names)) {
						strbuf_printf(err, "'-m %s': unknown matcher (str, beg, "
							      "end, sub, dir, dom, reg, ip, int, found, "
							      "len, bool)", w[*i]);
						return NULL;
					}
					e->match = (enum rule_match)k;
				}
			} else if (e->match == RM_INT && isdigit((unsigned char)a[1])) {
				break;	/* not a flag after all: caught below */
			} else {
				strbuf_printf(err, "unknown flag '%s' (softlb knows -i, -m, -f, -n, --)",
					      a);
				return NULL;
			}
			(*i)++;
			continue;
		}
		flags = false;
		if ((e->match == RM_INT || e->match == RM_LEN) && !e->pats.len) {
			static const char *const ops[] = { "eq", "ge", "gt", "le", "lt" };
			bool op = false;

			for (int k = 0; k < 5; k++)
				if (strcmp(a, ops[k]) == 0) {
					e->op = (enum rule_int_op)k;
					op = true;
				}
			if (op) {
				(*i)++;
				continue;
			}
		}
		strvec_push(&e->pats, a);
		(*i)++;
	}
	/* Check each pattern for its matcher now: a typo fails the load. */
	for (size_t k = 0; k < e->pats.len; k++) {
		const char *p = e->pats.items[k];
		struct cfg_addr ad;
		unsigned bits;

		if ((e->match == RM_INT || e->match == RM_LEN) && !int_pattern(p)) {
			strbuf_printf(err, "'%s' is not an integer or a range LO:HI", p);
			return NULL;
		}
		if (e->match == RM_INT && e->op != RI_EQ && strchr(p, ':')) {
			strbuf_printf(err, "'%s': a range takes no operator", p);
			return NULL;
		}
		if (e->match == RM_IP && !rule_ip_pattern(p, &ad, &bits)) {
			strbuf_printf(err, "'%s' is not an address or a network", p);
			return NULL;
		}
	}
	if (e->match == RM_BOOL && (e->pats.len || e->files.len)) {
		strbuf_printf(err, "fetch '%s' is a boolean and takes no value", f->name);
		return NULL;
	}
	if (e->match == RM_BOOL && f->match != RM_BOOL) {
		strbuf_printf(err, "'-m bool' does not apply to '%s'", f->name);
		return NULL;
	}
	if (e->match != RM_BOOL && e->match != RM_FOUND && !e->pats.len && !e->files.len) {
		strbuf_printf(err, "'%s' expects a value to match (or -m found)", f->name);
		return NULL;
	}
	if (e->match == RM_FOUND && e->pats.len) {
		strbuf_puts(err, "'-m found' takes no value");
		return NULL;
	}
	return e;
}

/* ================================================================ */
/* Conditions                                                        */

static int find_acl(const struct rule_prog *prog, const char *name)
{
	/* HAProxy: a defaults section's ACLs and a proxy's are apart. */
	for (size_t i = 0; i < prog->n_acls; i++)
		if (prog->acls[i].inherited == prog->in_inherited &&
		    strcmp(prog->acls[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* HAProxy's predefined ACLs softlb has, as the expressions they stand for. */
static struct rule_expr *builtin_acl(struct rule_prog *prog, const char *name,
				     const struct cfg_loc *loc)
{
	static const struct {
		const char *name;
		const char *words[4];
	} b[] = {
		{ "TRUE", { "always_true" } },
		{ "FALSE", { "always_false" } },
		{ "LOCALHOST", { "src", "127.0.0.1/8", "::1" } },
		{ "METH_CONNECT", { "method", "CONNECT" } },
		{ "METH_DELETE", { "method", "DELETE" } },
		{ "METH_GET", { "method", "GET", "HEAD" } },
		{ "METH_HEAD", { "method", "HEAD" } },
		{ "METH_OPTIONS", { "method", "OPTIONS" } },
		{ "METH_POST", { "method", "POST" } },
		{ "METH_PUT", { "method", "PUT" } },
		{ "METH_TRACE", { "method", "TRACE" } },
		{ "HTTP_URL_SLASH", { "url_beg", "/" } },
	};

	for (size_t k = 0; k < sizeof(b) / sizeof(*b); k++) {
		size_t n = 0, i = 0;
		struct strbuf ignored = STRBUF_INIT;
		struct rule_expr *e;

		if (strcmp(b[k].name, name) != 0)
			continue;
		while (n < 4 && b[k].words[n])
			n++;
		e = parse_expr(prog, (char *const *)b[k].words, &i, n, false, loc, &ignored);
		strbuf_free(&ignored);
		return e;
	}
	return NULL;
}

/* Parses "if|unless TERM..." from w[i] to the end of the line. */
static bool parse_cond(struct rule_prog *prog, char *const *w, size_t i, size_t n,
		       struct rule_cond *c, const struct cfg_loc *loc, struct strbuf *err)
{
	size_t cap = 0;
	bool want_term = true;

	c->present = true;
	c->unless = strcmp(w[i], "unless") == 0;
	i++;
	if (i >= n) {
		strbuf_printf(err, "'%s' expects a condition", w[i - 1]);
		return false;
	}
	while (i < n) {
		const char *a = w[i];
		struct rule_term t = { RT_EXPR, false, -1, NULL };

		if (strcmp(a, "||") == 0 || strcmp(a, "or") == 0) {
			if (want_term) {
				strbuf_printf(err, "'%s' without a condition before it", a);
				return false;
			}
			t.kind = RT_OR;
			want_term = true;
			i++;
		} else {
			if (a[0] == '!') {
				t.neg = true;
				a++;
				if (!*a) {
					if (++i >= n) {
						strbuf_puts(err, "'!' at the end of the condition");
						return false;
					}
					a = w[i];
				}
			}
			if (strcmp(a, "{") == 0) {
				i++;
				t.expr = parse_expr(prog, w, &i, n, true, loc, err);
				if (!t.expr)
					return false;
				if (i >= n || strcmp(w[i], "}") != 0) {
					strbuf_puts(err, "'{' without its '}'");
					return false;
				}
				i++;
			} else if (strcmp(a, "and") == 0 || strcmp(a, "&&") == 0) {
				strbuf_printf(err, "'%s': write the conditions one after the other "
					      "(an implicit AND)", a);
				return false;
			} else {
				t.acl = find_acl(prog, a);
				if (t.acl >= 0) {
					t.kind = RT_ACL;
				} else {
					t.expr = builtin_acl(prog, a, loc);
					if (!t.expr) {
						strbuf_printf(err, "no such ACL: '%s'", a);
						return false;
					}
				}
				i++;
			}
			want_term = false;
		}
		if (c->n == cap) {
			cap = cap ? cap * 2 : 4;
			c->t = xreallocarray(c->t, cap, sizeof(*c->t));
		}
		c->t[c->n++] = t;
	}
	if (want_term) {
		strbuf_puts(err, "the condition ends with '||'");
		return false;
	}
	return true;
}

/* The condition part of w[from..n): an if/unless, or nothing. */
static bool cond_at(struct rule_prog *prog, char *const *w, size_t from, size_t n,
		    struct rule_cond *c, const struct cfg_loc *loc, struct strbuf *err)
{
	if (from >= n)
		return true;
	if (strcmp(w[from], "if") != 0 && strcmp(w[from], "unless") != 0) {
		strbuf_printf(err, "unexpected '%s' (expected 'if' or 'unless')", w[from]);
		return false;
	}
	return parse_cond(prog, w, from, n, c, loc, err);
}

/* Where the condition starts (the first if/unless), or n. */
static size_t cond_start(char *const *w, size_t from, size_t n)
{
	for (size_t i = from; i < n; i++)
		if (strcmp(w[i], "if") == 0 || strcmp(w[i], "unless") == 0)
			return i;
	return n;
}

/* ================================================================ */
/* Header values: text and %[sample]                                 */

static void fmt_add(struct rule_fmt *f, enum rule_fmt_kind k, const char *s, size_t len)
{
	f->p = xreallocarray(f->p, f->n + 1, sizeof(*f->p));
	f->p[f->n].kind = k;
	f->p[f->n].s = s ? xstrndup(s, len) : NULL;
	f->n++;
}

static void fmt_free(struct rule_fmt *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->p[i].s);
	free(f->p);
	memset(f, 0, sizeof(*f));
}

/* Parses a value with %[src], %[dst], %[hdr(NAME)], %[ssl_fc_sni],
 * %[path] and %% into f; a CR, LF or NUL is refused (it would split the
 * header it goes into). */
static bool parse_fmt(const char *s, struct rule_fmt *f, struct strbuf *err)
{
	const char *t = s;

	if (strpbrk(s, "\r\n")) {
		strbuf_puts(err, "a header value or target may not hold a CR or LF");
		return false;
	}
	while (*s) {
		const char *end;

		if (*s != '%') {
			s++;
			continue;
		}
		if (s > t)
			fmt_add(f, RFM_TEXT, t, (size_t)(s - t));
		if (s[1] == '%') {
			fmt_add(f, RFM_TEXT, "%", 1);
			s += 2;
			t = s;
			continue;
		}
		if (s[1] != '[' || !(end = strchr(s, ']'))) {
			strbuf_printf(err, "'%s': only %%[SAMPLE] and %%%% are understood in a value "
				      "(samples: src, dst, hdr(NAME), ssl_fc_sni, path)", s);
			return false;
		}
		{
			size_t len = (size_t)(end - s - 2);
			const char *in = s + 2;

			if (len == 3 && strncmp(in, "src", 3) == 0)
				fmt_add(f, RFM_SRC, NULL, 0);
			else if (len == 3 && strncmp(in, "dst", 3) == 0)
				fmt_add(f, RFM_DST, NULL, 0);
			else if (len == 4 && strncmp(in, "path", 4) == 0)
				fmt_add(f, RFM_PATH, NULL, 0);
			else if (len == 10 && strncmp(in, "ssl_fc_sni", 10) == 0)
				fmt_add(f, RFM_SSL_FC_SNI, NULL, 0);
			else if (len > 5 && strncmp(in, "hdr(", 4) == 0 && in[len - 1] == ')' &&
				 !memchr(in + 4, ',', len - 5) && !memchr(in + 4, '(', len - 5))
				fmt_add(f, RFM_HDR, in + 4, len - 5);
			else {
				strbuf_printf(err, "sample '%%[%.*s]' is not supported in a value "
					      "(softlb has src, dst, hdr(NAME), ssl_fc_sni, path)",
					      (int)len, in);
				return false;
			}
		}
		s = end + 1;
		t = s;
	}
	if (s > t)
		fmt_add(f, RFM_TEXT, t, (size_t)(s - t));
	return true;
}

/* A header name: RFC 9110 token characters only. */
static bool hdr_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

/* ================================================================ */
/* Lines                                                             */

static struct rule *rule_new(struct rule_prog *prog, enum rule_set set, enum rule_act act,
			     const struct cfg_loc *loc)
{
	struct rule *r = CFG_APPEND(prog->rules, prog->n_rules, prog->cap_rules);

	memset(r, 0, sizeof(*r));
	r->set = set;
	r->act = act;
	r->loc = *loc;
	return r;
}

/* The fail-closed refusal (config_diag_not_yet's words): a rule softlb
 * does not implement is never ignored. */
static void not_yet(struct strbuf *err, const char *kw, const char *what)
{
	strbuf_printf(err, "'%s' is not implemented by softlb yet; ignoring it would change %s, "
		      "so the configuration is refused", kw, what);
}

static bool redirect_args(struct rule *r, char *const *w, size_t i, size_t end,
			  struct strbuf *err)
{
	if (i + 1 >= end + 1 || i >= end) {
		strbuf_puts(err, "'redirect' expects location|prefix|scheme TARGET [code N]");
		return false;
	}
	if (strcmp(w[i], "location") == 0)
		r->redir = RR_LOCATION;
	else if (strcmp(w[i], "prefix") == 0)
		r->redir = RR_PREFIX;
	else if (strcmp(w[i], "scheme") == 0)
		r->redir = RR_SCHEME;
	else {
		strbuf_printf(err, "'redirect %s': expects location, prefix or scheme", w[i]);
		return false;
	}
	if (i + 1 >= end) {
		strbuf_printf(err, "'redirect %s' expects a target", w[i]);
		return false;
	}
	if (!parse_fmt(w[i + 1], &r->fmt, err))
		return false;
	r->status = 302;
	for (i += 2; i < end; i++) {
		long long v;

		if (strcmp(w[i], "code") == 0 && i + 1 < end &&
		    cfg_parse_int(w[i + 1], 301, 308, &v) &&
		    (v == 301 || v == 302 || v == 303 || v == 307 || v == 308)) {
			r->status = (int)v;
			i++;
		} else if (strcmp(w[i], "code") == 0) {
			strbuf_puts(err, "'redirect ... code' expects 301, 302, 303, 307 or 308");
			return false;
		} else {
			char kw[96];

			snprintf(kw, sizeof(kw), "redirect ... %s", w[i]);
			not_yet(err, kw, "what is sent (softlb has code N)");
			return false;
		}
	}
	return true;
}

static const char *status_reason_ok(long long v)
{
	return v >= 200 && v <= 599 ? "" : NULL;
}

/* http-request and http-response actions. */
static bool http_action(struct rule_prog *prog, enum rule_set set, char *const *w, size_t n,
			const struct cfg_loc *loc, struct strbuf *err)
{
	size_t end = cond_start(w, 2, n);
	const char *act = n > 1 ? w[1] : "";
	size_t na = end - 2;	/* arguments of the action */
	struct rule *r;
	bool rsp = set == RS_HTTP_RSP;
	const char *kw = w[0];

	if (n < 2) {
		strbuf_printf(err, "'%s' expects an action", kw);
		return false;
	}
	if (strcmp(act, "allow") == 0 && na == 0) {
		r = rule_new(prog, set, RA_ALLOW, loc);
	} else if ((strcmp(act, "deny") == 0 || (!rsp && strcmp(act, "tarpit") == 0)) &&
		   (na == 0 || na == 2)) {
		r = rule_new(prog, set, act[0] == 'd' ? RA_DENY : RA_TARPIT, loc);
		r->status = rsp ? 502 : act[0] == 'd' ? 403 : 500;
		if (na == 2) {
			long long v;

			if (strcmp(w[2], "deny_status") != 0 || !cfg_parse_int(w[3], 200, 599, &v)) {
				strbuf_printf(err, "'%s %s' expects [deny_status N] with N from 200 "
					      "to 599", kw, act);
				return false;
			}
			r->status = (int)v;
		}
	} else if ((strcmp(act, "set-header") == 0 || strcmp(act, "add-header") == 0) && na == 2) {
		r = rule_new(prog, set, act[0] == 's' ? RA_SET_HDR : RA_ADD_HDR, loc);
		if (!hdr_name_ok(w[2])) {
			strbuf_printf(err, "'%s': '%s' is not a header name", act, w[2]);
			return false;
		}
		r->name = xstrdup(w[2]);
		if (!parse_fmt(w[3], &r->fmt, err))
			return false;
	} else if (strcmp(act, "del-header") == 0 && na == 1) {
		r = rule_new(prog, set, RA_DEL_HDR, loc);
		r->name = xstrdup(w[2]);
	} else if (strcmp(act, "replace-header") == 0 && na == 3) {
		r = rule_new(prog, set, RA_REPLACE_HDR, loc);
		r->name = xstrdup(w[2]);
		r->str = xstrdup(w[3]);
		if (!parse_fmt(w[4], &r->fmt, err))
			return false;
	} else if (!rsp && (strcmp(act, "set-path") == 0 || strcmp(act, "set-query") == 0) &&
		   na == 1) {
		r = rule_new(prog, set, act[4] == 'p' ? RA_SET_PATH : RA_SET_QUERY, loc);
		if (!parse_fmt(w[2], &r->fmt, err))
			return false;
		if (r->act == RA_SET_PATH && (strpbrk(w[2], " ?#") || !*w[2])) {
			strbuf_puts(err, "'set-path' expects a path without blanks, '?' or '#'");
			return false;
		}
		if (r->act == RA_SET_QUERY && strpbrk(w[2], " #")) {
			strbuf_puts(err, "'set-query' expects a query without blanks or '#'");
			return false;
		}
	} else if (!rsp && strcmp(act, "auth") == 0) {
		r = rule_new(prog, set, RA_AUTH, loc);
		if (na != 0) {
			if (na != 2 || strcmp(w[2], "realm") != 0 || strpbrk(w[3], "\"\r\n\\")) {
				strbuf_puts(err, "'http-request auth' expects [realm REALM] (no '\"' or "
					    "'\\' in it)");
				return false;
			}
			r->str = xstrdup(w[3]);
		}
	} else if (!rsp && strcmp(act, "use-service") == 0) {
		/* HAProxy 2.x's applets; softlb has the Prometheus one. */
		if (na != 1) {
			strbuf_puts(err, "'http-request use-service' expects a service name "
				    "(softlb has prometheus-exporter)");
			return false;
		}
		if (strcmp(w[2], "prometheus-exporter") != 0) {
			strbuf_printf(err, "'http-request use-service %s': unknown service (softlb "
				      "has prometheus-exporter)", w[2]);
			return false;
		}
		r = rule_new(prog, set, RA_USE_SERVICE, loc);
		r->str = xstrdup(w[2]);
	} else if (!rsp && strcmp(act, "redirect") == 0) {
		r = rule_new(prog, set, RA_REDIRECT, loc);
		if (!redirect_args(r, w, 2, end, err))
			return false;
	} else if (!rsp && strcmp(act, "return") == 0) {
		r = rule_new(prog, set, RA_RETURN, loc);
		r->status = 200;
		for (size_t i = 2; i < end; i += 2) {
			long long v;

			if (i + 1 >= end) {
				strbuf_printf(err, "'return %s' expects a value", w[i]);
				return false;
			}
			if (strcmp(w[i], "status") == 0 && cfg_parse_int(w[i + 1], 200, 599, &v) &&
			    status_reason_ok(v)) {
				r->status = (int)v;
			} else if (strcmp(w[i], "content-type") == 0 && !strpbrk(w[i + 1], "\r\n")) {
				free(r->str);
				r->str = xstrdup(w[i + 1]);
			} else if (strcmp(w[i], "string") == 0 && !r->body) {
				r->body = xstrdup(w[i + 1]);
			} else if (strcmp(w[i], "file") == 0 && !r->body) {
				/* read by the proxy engine, which reports a missing file */
				r->body = xstrdup(w[i + 1]);
				r->body_file = true;
			} else {
				strbuf_printf(err, "'return %s %s': expects status N (200-599), "
					      "content-type T, string S or file F", w[i], w[i + 1]);
				return false;
			}
		}
		if (r->body && !r->str) {
			strbuf_puts(err, "'return' with a body expects a content-type");
			return false;
		}
	} else {
		char what[512];

		snprintf(what, sizeof(what), "%s", rsp ? "what is sent (softlb has set-header NAME FMT, "
			 "add-header NAME FMT, del-header NAME, replace-header NAME REGEX FMT, allow, "
			 "deny [deny_status N])"
			 : "who is let in or what is sent (softlb has allow, deny [deny_status N], "
			 "tarpit [deny_status N], redirect, set-header NAME FMT, add-header NAME FMT, "
			 "del-header NAME, replace-header NAME REGEX FMT, set-path P, set-query Q, "
			 "return [status N] [content-type T] [string S|file F], "
			 "use-service prometheus-exporter)");
		{
			char k[160];

			snprintf(k, sizeof(k), "%s %s", kw, act);
			not_yet(err, k, what);
		}
		return false;
	}
	return cond_at(prog, w, end, n, &r->cond, loc, err);
}

static bool tcp_request(struct rule_prog *prog, char *const *w, size_t n,
			const struct cfg_loc *loc, struct strbuf *err)
{
	struct rule *r;
	enum rule_set set;

	if (n >= 2 && strcmp(w[1], "inspect-delay") == 0) {
		if (n != 3 || !cfg_parse_hap_time(w[2], MAX_TIME_MS, &prog->inspect_delay_ms)) {
			strbuf_puts(err, "'tcp-request inspect-delay' expects a time");
			return false;
		}
		return true;
	}
	if (n < 3 || (strcmp(w[1], "connection") != 0 && strcmp(w[1], "content") != 0)) {
		strbuf_puts(err, "'tcp-request' expects connection|content accept|reject "
			    "[if|unless COND], or inspect-delay TIME");
		return false;
	}
	set = w[1][3] == 'n' && w[1][4] == 'e' ? RS_TCP_CONN : RS_TCP_CONTENT;
	if (strcmp(w[2], "accept") != 0 && strcmp(w[2], "reject") != 0) {
		char k[160];

		snprintf(k, sizeof(k), "tcp-request %s %s", w[1], w[2]);
		not_yet(err, k, "who is let in (softlb has accept and reject)");
		return false;
	}
	r = rule_new(prog, set, w[2][0] == 'a' ? RA_ACCEPT : RA_REJECT, loc);
	return cond_at(prog, w, 3, n, &r->cond, loc, err);
}

static bool parse_line(struct rule_prog *prog, const struct cfg_rule *line, struct strbuf *err)
{
	char *const *w = line->argv.items;
	size_t n = line->argv.len;
	const struct cfg_loc *loc = &line->loc;
	const char *kw = w[0];
	struct rule *r;

	if (strcmp(kw, "acl") == 0) {
		struct rule_expr *e, **slot;
		struct rule_acl *a;
		size_t i = 2;
		int k;

		if (n < 3) {
			strbuf_puts(err, "'acl' expects NAME FETCH [flags] [operator] VALUE...");
			return false;
		}
		for (const char *c = w[1]; *c; c++)
			if (!isalnum((unsigned char)*c) && !strchr("_.:-", *c)) {
				strbuf_printf(err, "'%s' is not an ACL name (letters, digits, "
					      "'_', '.', ':', '-')", w[1]);
				return false;
			}
		e = parse_expr(prog, w, &i, n, false, loc, err);
		if (!e)
			return false;
		k = find_acl(prog, w[1]);
		if (k < 0) {
			a = CFG_APPEND(prog->acls, prog->n_acls, prog->cap_acls);
			memset(a, 0, sizeof(*a));
			a->name = xstrdup(w[1]);
			a->inherited = prog->in_inherited;
		} else {
			a = &prog->acls[k];
		}
		slot = CFG_APPEND(a->e, a->n, a->cap);
		*slot = e;
		return true;
	}
	if (strcmp(kw, "use_backend") == 0 || strcmp(kw, "use-server") == 0) {
		bool be = kw[3] == '_';

		if (n < 2 || (n > 2 && strcmp(w[2], "if") != 0 && strcmp(w[2], "unless") != 0)) {
			strbuf_printf(err, "'%s' expects NAME [if|unless COND]", kw);
			return false;
		}
		if (strchr(w[1], '%')) {
			not_yet(err, kw, "where traffic goes (a name built from samples)");
			return false;
		}
		r = rule_new(prog, be ? RS_USE_BACKEND : RS_USE_SERVER,
			     be ? RA_USE_BACKEND : RA_USE_SERVER, loc);
		r->str = xstrdup(w[1]);
		return cond_at(prog, w, 2, n, &r->cond, loc, err);
	}
	if (strcmp(kw, "redirect") == 0) {
		size_t end = cond_start(w, 1, n);

		r = rule_new(prog, RS_REDIRECT, RA_REDIRECT, loc);
		if (!redirect_args(r, w, 1, end, err))
			return false;
		return cond_at(prog, w, end, n, &r->cond, loc, err);
	}
	if (strcmp(kw, "stats") == 0) {
		/* stats admin if|unless COND: HAProxy wants a condition. */
		if (n < 4 || strcmp(w[1], "admin") != 0 ||
		    (strcmp(w[2], "if") != 0 && strcmp(w[2], "unless") != 0)) {
			strbuf_puts(err, "'stats admin' expects 'if' or 'unless' followed by a "
				    "condition");
			return false;
		}
		r = rule_new(prog, RS_STATS_ADMIN, RA_STATS_ADMIN, loc);
		return cond_at(prog, w, 2, n, &r->cond, loc, err);
	}
	if (strcmp(kw, "http-request") == 0)
		return http_action(prog, RS_HTTP_REQ, w, n, loc, err);
	if (strcmp(kw, "http-response") == 0)
		return http_action(prog, RS_HTTP_RSP, w, n, loc, err);
	if (strcmp(kw, "tcp-request") == 0)
		return tcp_request(prog, w, n, loc, err);
	strbuf_printf(err, "'%s' is not a rule keyword", kw);
	return false;
}

bool rule_prog_parse(const struct cfg_rules *r, struct rule_prog *prog, size_t *bad,
		     struct strbuf *err)
{
	for (size_t i = 0; r && i < r->n; i++) {
		if (!r->v[i].argv.len)
			continue;
		prog->in_inherited = r->v[i].inherited;
		if (!parse_line(prog, &r->v[i], err)) {
			*bad = i;
			return false;
		}
	}
	return true;
}

void rule_prog_free(struct rule_prog *prog)
{
	for (size_t i = 0; i < prog->n_acls; i++) {
		free(prog->acls[i].name);
		free(prog->acls[i].e);
	}
	free(prog->acls);
	for (size_t i = 0; i < prog->n_exprs; i++)
		expr_free(prog->exprs[i]);
	free(prog->exprs);
	for (size_t i = 0; i < prog->n_rules; i++) {
		struct rule *r = &prog->rules[i];

		free(r->name);
		free(r->str);
		free(r->body);
		fmt_free(&r->fmt);
		free(r->cond.t);
	}
	free(prog->rules);
	memset(prog, 0, sizeof(*prog));
}
