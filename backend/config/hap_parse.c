#include "config.h"

#include "config/conf.h"

#include "config/hap_parse.h"
#include "config/model.h"
#include "config/rules-t.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ */
/* Messages */

void hap_error(struct hap_parser *p, const struct hap_line *l,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(p->diag, CONFIG_ERROR, l->file, l->line, fmt, ap);
	va_end(ap);
	p->failed = true;
}

void hap_warn(struct hap_parser *p, const struct hap_line *l,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(p->diag, CONFIG_WARNING, l->file, l->line, fmt, ap);
	va_end(ap);
}

void hap_warn_once(struct hap_parser *p, const struct hap_line *l,
		   const char *key, const char *fmt, ...)
{
	va_list ap;

	if (strvec_contains(&p->warned, key))
		return;
	strvec_push(&p->warned, key);
	va_start(ap, fmt);
	config_diag_vadd(p->diag, CONFIG_WARNING, l->file, l->line, fmt, ap);
	va_end(ap);
}

bool hap_not_yet(struct hap_parser *p, const struct hap_line *l,
		 const char *kw, const char *what)
{
	config_diag_not_yet(p->diag, l->file, l->line, kw, what);
	p->failed = true;
	return false;
}

bool hap_expects(struct hap_parser *p, const struct hap_line *l,
		 const char *kw, size_t i, const char *what)
{
	hap_error(p, l, "'%s' expects %s, got '%s'", kw, what,
		  i < l->argc ? l->argv[i] : "");
	return false;
}

/* ================================================================ */
/* Words */

/* Splits one line into words the way HAProxy does: blanks separate, '#'
 * starts a comment anywhere outside quotes, backslash escapes the next
 * character, "double" quotes allow escapes and 'single' quotes do not.
 * Returns false (reported) on an unterminated quote or too many words. */
static bool split_line(struct hap_parser *p, struct hap_line *l,
		       const char *s, size_t len)
{
	struct strbuf w = STRBUF_INIT;
	size_t i = 0;

	l->argc = 0;
	l->argv = xcalloc(HAP_MAX_WORDS + 1, sizeof(*l->argv));
	while (i < len) {
		bool have = false;

		while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i >= len || s[i] == '#')
			break;
		strbuf_reset(&w);
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		       s[i] != '#') {
			char q = s[i];

			have = true;
			if (q == '\\' && i + 1 < len) {
				/* HAProxy's escapes: \<space> \# \\ \' \"; any
				 * other backslash stays (\1 in a replacement, \.
				 * in a regex). */
				if (!strchr(" \t#\\'\"", s[i + 1]))
					strbuf_putc(&w, '\\');
				strbuf_putc(&w, s[i + 1]);
				i += 2;
			} else if (q == '"' || q == '\'') {
				i++;
				while (i < len && s[i] != q) {
					if (q == '"' && s[i] == '\\' && i + 1 < len) {
						if (!strchr(" \t#\\'\"", s[i + 1]))
							strbuf_putc(&w, '\\');
						i++;
					}
					strbuf_putc(&w, s[i++]);
				}
				if (i >= len) {
					hap_error(p, l, "unterminated quoted "
						  "string");
					strbuf_free(&w);
					return false;
				}
				i++;
			} else {
				strbuf_putc(&w, q);
				i++;
			}
		}
		if (!have)
			continue;
		if (l->argc == HAP_MAX_WORDS) {
			hap_error(p, l, "more than %d words on one line",
				  HAP_MAX_WORDS);
			strbuf_free(&w);
			return false;
		}
		l->argv[l->argc++] = xstrdup(strbuf_str(&w));
	}
	strbuf_free(&w);
	return true;
}

static void free_line(struct hap_line *l)
{
	for (size_t i = 0; i < l->argc; i++)
		free(l->argv[i]);
	free(l->argv);
	l->argv = NULL;
	l->argc = 0;
}

/* ================================================================ */
/* Sections */

static const struct {
	const char *name;
	enum hap_sect sect;
} sections[] = {
	{ "global", HAP_GLOBAL },
	{ "defaults", HAP_DEFAULTS },
	{ "listen", HAP_LISTEN },
	{ "frontend", HAP_FRONTEND },
	{ "backend", HAP_BACKEND },
	{ "userlist", HAP_USERLIST },
	{ "peers", HAP_OTHER },
	{ "resolvers", HAP_OTHER },
	{ "mailers", HAP_OTHER },
	{ "ring", HAP_OTHER },
	{ "cache", HAP_OTHER },
	{ "program", HAP_OTHER },
	{ "http-errors", HAP_OTHER },
	{ "crt-store", HAP_OTHER },
	{ "traces", HAP_OTHER },
};

#define N_SECTIONS (sizeof(sections) / sizeof(*sections))

/* HAProxy's proxy name characters; anything else would not survive a
 * round trip through its own parser either. */
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

/* Resolves 'from NAME' (argument i, present) among the defaults sections defined
 * so far; -1 after reporting when there is no such section. */
static int resolve_from(struct hap_parser *p, const struct hap_line *l,
			size_t i)
{
	int d = config_find_defaults(p->cfg, l->argv[i], p->cfg->n_defaults);
	if (d < 0)
		hap_error(p, l, "'from' names defaults section '%s', which is "
			  "not defined before this line", l->argv[i]);
	return d;
}

/* defaults [NAME] [from NAME]: a new defaults section starts from the
 * built-in values (HAProxy resets them at every defaults section), or
 * from the named defaults section it inherits from. */
static void open_defaults(struct hap_parser *p, const struct hap_line *l)
{
	struct config *cfg = p->cfg;
	struct cfg_proxy *dp;
	const char *name = "";
	size_t i = 1;
	int from = -1;

	if (i < l->argc && strcmp(l->argv[i], "from") != 0) {
		if (!valid_name(l->argv[i])) {
			hap_expects(p, l, "defaults", i, "a name of letters, "
				    "digits, '-', '_', '.' and ':'");
			return;
		}
		name = l->argv[i++];
	}
	if (i < l->argc) {
		if (strcmp(l->argv[i], "from") != 0 || i + 2 != l->argc) {
			hap_error(p, l, "'defaults' expects an optional name and "
				  "an optional 'from NAME', got '%s'",
				  l->argv[i]);
			return;
		}
		from = resolve_from(p, l, i + 1);
		if (from < 0)
			return;
		if (cfg->defaults[from].rules && cfg->defaults[from].rules->n) {
			hap_error(p, l, "a defaults section cannot inherit from a defaults "
				  "section defining TCP/HTTP rules (defaults section at %s:%d)",
				  cfg->defaults[from].loc.file ? cfg->defaults[from].loc.file : "?",
				  cfg->defaults[from].loc.line);
			return;
		}
	}
	dp = CFG_APPEND(cfg->defaults, cfg->n_defaults, cfg->cap_defaults);
	cfg_proxy_copy(dp, from >= 0 ? &cfg->defaults[from] : &cfg->builtin);
	free(dp->name);
	dp->name = xstrdup(name);
	dp->kind = CFG_PROXY_DEFAULTS;
	dp->defaults_pos = (int)cfg->n_defaults - 1;
	dp->defaults_from = from;
	dp->loc.file = l->file;
	dp->loc.line = l->line;
	p->px = dp;
}

/* px starts with the rules of defaults section base (HAProxy 2.6's named
 * defaults): marks them inherited, and refuses what HAProxy refuses: a
 * listen, or frontends and backends both, inheriting rules. */
static bool inherit_rules(struct hap_parser *p, const struct hap_line *l, struct cfg_proxy *px,
			  const struct cfg_proxy *base)
{
	const char *bf = base->loc.file ? base->loc.file : "?";

	for (size_t i = 0; i < px->rules->n; i++)
		px->rules->v[i].inherited = true;
	if (px->kind == CFG_PROXY_LISTEN) {
		hap_error(p, l, "a listen section cannot inherit from a defaults section "
			  "defining TCP/HTTP rules (defaults section at %s:%d)", bf, base->loc.line);
		return false;
	}
	for (size_t i = 0; i + 1 < p->cfg->n_proxies; i++) {
		const struct cfg_proxy *q = &p->cfg->proxies[i];

		if (q != px && q->kind != px->kind && config_proxy_base(p->cfg, q) == base) {
			hap_error(p, l, "frontends and backends cannot inherit from the same "
				  "defaults section if it defines TCP/HTTP rules (defaults section "
				  "at %s:%d; %s '%s' inherits it)", bf, base->loc.line,
				  q->kind == CFG_PROXY_FRONTEND ? "frontend" : "backend", q->name);
			return false;
		}
	}
	return true;
}

/* Opens a section. listen and frontend accept the old inline address
 * list; a new proxy starts as a copy of the defaults before it, or of
 * the one it names with 'from'. */
static void open_section(struct hap_parser *p, const struct hap_line *l,
			 enum hap_sect sect)
{
	struct config *cfg = p->cfg;
	const char *kw = l->argv[0];
	struct cfg_proxy *px, *dup;
	int from = -1;

	p->sect = sect;
	p->px = NULL;
	if (sect == HAP_OTHER) {
		hap_warn_once(p, l, kw, "section '%s' accepted, not "
			      "implemented", kw);
		return;
	}
	if (sect == HAP_USERLIST) {
		hap_open_userlist(p, l);
		return;
	}
	if (sect == HAP_GLOBAL) {
		if (l->argc > 1)
			hap_error(p, l, "'global' expects no arguments, got "
				  "'%s'", l->argv[1]);
		return;
	}
	if (sect == HAP_DEFAULTS) {
		open_defaults(p, l);
		return;
	}
	if (l->argc < 2) {
		hap_error(p, l, "'%s' expects a name", kw);
		return;
	}
	if (!valid_name(l->argv[1])) {
		hap_expects(p, l, kw, 1, "a name of letters, digits, '-', '_', "
			    "'.' and ':'");
		return;
	}
	dup = config_find_proxy(cfg, l->argv[1]);
	if (dup) {
		hap_error(p, l, "duplicate proxy '%s' (first at line %d)",
			  l->argv[1], dup->loc.line);
		return;
	}
	if (l->argc > 2 && strcmp(l->argv[2], "from") == 0) {
		if (l->argc != 4) {
			hap_expects(p, l, kw, 3, "one defaults section name "
				    "after 'from'");
			return;
		}
		from = resolve_from(p, l, 3);
		if (from < 0)
			return;
	}
	px = CFG_APPEND(cfg->proxies, cfg->n_proxies, cfg->cap_proxies);
	px->kind = sect == HAP_LISTEN ? CFG_PROXY_LISTEN :
		sect == HAP_FRONTEND ? CFG_PROXY_FRONTEND : CFG_PROXY_BACKEND;
	px->defaults_pos = (int)cfg->n_defaults - 1;
	px->defaults_from = from;
	{
		const struct cfg_proxy *base = config_proxy_base(cfg, px);
		enum cfg_proxy_kind kind = px->kind;

		cfg_proxy_copy(px, base);
		px->kind = kind;
		/* Refused or not, the section is read on (its errors too). */
		if (base->kind == CFG_PROXY_DEFAULTS && px->rules && px->rules->n)
			(void)inherit_rules(p, l, px, base);
	}
	px->defaults_pos = (int)cfg->n_defaults - 1;
	px->defaults_from = from;
	free(px->name);
	px->name = xstrdup(l->argv[1]);
	px->loc.file = l->file;
	px->loc.line = l->line;
	p->px = px;
	if (l->argc > 2 && from < 0) {
		if (sect == HAP_BACKEND) {
			hap_error(p, l, "'backend' expects only a name, got "
				  "'%s'", l->argv[2]);
			return;
		}
		if (l->argc > 3) {
			hap_error(p, l, "'%s' expects a name and an optional "
				  "address, got '%s'", kw, l->argv[3]);
			return;
		}
		hap_warn(p, l, "'%s NAME ADDR:PORT' is deprecated; use "
			 "'bind %s' in the section", kw, l->argv[2]);
		hap_bind_list(p, l, kw, 2);
	}
}

/* ================================================================ */
/* Dispatch */

static const struct hap_kw *find_kw(const char *name, unsigned sect,
				    bool *elsewhere)
{
	*elsewhere = false;
	for (const struct hap_kw *kw = hap_keywords; kw->name; kw++) {
		if (strcmp(kw->name, name) != 0)
			continue;
		if (kw->sect & sect)
			return kw;
		*elsewhere = true;
	}
	return NULL;
}

static const char *sect_name(enum hap_sect s)
{
	switch (s) {
	case HAP_GLOBAL: return "global";
	case HAP_DEFAULTS: return "defaults";
	case HAP_LISTEN: return "listen";
	case HAP_FRONTEND: return "frontend";
	case HAP_BACKEND: return "backend";
	case HAP_USERLIST: return "userlist";
	default: return "this section";
	}
}

static void dispatch(struct hap_parser *p, const struct hap_line *l)
{
	const struct hap_kw *kw;
	bool elsewhere;
	size_t nargs = l->argc - 1;

	for (size_t i = 0; i < N_SECTIONS; i++) {
		if (strcmp(l->argv[0], sections[i].name) == 0) {
			open_section(p, l, sections[i].sect);
			return;
		}
	}
	if (p->sect == HAP_OTHER)
		return;
	if (p->sect == 0) {
		hap_error(p, l, "'%s' outside of a section (global, defaults, "
			  "listen, frontend or backend)", l->argv[0]);
		return;
	}
	if (p->sect != HAP_GLOBAL && p->sect != HAP_USERLIST && !p->px)
		return;		/* the section header was bad, reported */
	kw = find_kw(l->argv[0], p->sect, &elsewhere);
	if (!kw) {
		struct cfg_suggest s;
		const char *hint;

		if (elsewhere) {
			hap_error(p, l, "'%s' is not allowed in %s",
				  l->argv[0], sect_name(p->sect));
			return;
		}
		cfg_suggest_init(&s, l->argv[0]);
		for (const struct hap_kw *k = hap_keywords; k->name; k++)
			if (k->sect & p->sect)
				cfg_suggest_try(&s, k->name);
		for (size_t i = 0; i < N_SECTIONS; i++)
			cfg_suggest_try(&s, sections[i].name);
		hint = cfg_suggest_result(&s);
		if (hint)
			hap_error(p, l, "unknown keyword '%s' in %s; did you "
				  "mean '%s'?", l->argv[0], sect_name(p->sect),
				  hint);
		else
			hap_error(p, l, "unknown keyword '%s' in %s",
				  l->argv[0], sect_name(p->sect));
		return;
	}
	if (!kw->set) {
		if (kw->refuse)
			hap_not_yet(p, l, kw->name, kw->refuse);
		else
			hap_warn_once(p, l, kw->name, "'%s' accepted, not "
				      "implemented", kw->name);
		return;
	}
	if (nargs < kw->min_args) {
		hap_error(p, l, "'%s' expects %s, got nothing", kw->name,
			  kw->help);
		return;
	}
	if (kw->max_args != HAP_MANY && nargs > kw->max_args) {
		hap_error(p, l, "'%s' expects %s, got extra '%s'", kw->name,
			  kw->help, l->argv[1 + kw->max_args]);
		return;
	}
	kw->set(p, l);
}

/* Settles what depends on the whole file: check intervals that default
 * to inter, and backends that frontends name. */
static void finish(struct hap_parser *p)
{
	struct config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->n_proxies; i++) {
		struct cfg_proxy *px = &cfg->proxies[i];

		for (size_t j = 0; j < px->n_servers; j++) {
			struct cfg_server_opts *o = &px->servers[j].o;

			if (o->fastinter_ms == CFG_UNSET)
				o->fastinter_ms = o->inter_ms;
			if (o->downinter_ms == CFG_UNSET)
				o->downinter_ms = o->inter_ms;
		}
		if (px->default_backend) {
			const struct cfg_proxy *be =
				config_find_proxy(cfg, px->default_backend);
			struct hap_line at = { px->loc.file, px->loc.line,
					       NULL, 0 };

			if (!be || be->kind == CFG_PROXY_FRONTEND)
				hap_error(p, &at, "proxy '%s' has "
					  "default_backend '%s', which is not "
					  "a backend or listen section",
					  px->name, px->default_backend);
		}
	}
}

bool hap_parse_text(struct config *cfg, struct config_diag *diag,
		    const char *file, const char *text, size_t len)
{
	struct hap_parser p;
	const char *f = config_intern_file(cfg, file);
	size_t pos = 0;
	int line = 0;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.diag = diag;
	strvec_init(&p.warned);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct hap_line l = { f, ++line, NULL, 0 };

		if (memchr(text + pos, '\0', end - pos)) {
			hap_error(&p, &l, "NUL byte in file");
			break;
		}
		if (end - pos > HAP_MAX_LINE) {
			hap_error(&p, &l, "line longer than %d bytes",
				  HAP_MAX_LINE);
			break;
		}
		if (split_line(&p, &l, text + pos, end - pos) && l.argc)
			dispatch(&p, &l);
		free_line(&l);
		pos = end + 1;
	}
	if (!p.failed)
		finish(&p);
	strvec_free(&p.warned);
	return !p.failed;
}
