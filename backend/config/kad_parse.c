#include "config.h"

#include "config/conf.h"

#include "config/kad_parse.h"
#include "config/model.h"
#include "config/value.h"
#include "config/index.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ */
/* Messages */

void kad_error(struct kad_parser *p, const struct kad_stmt *st,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(p->diag, CONFIG_ERROR, st->file, st->line, fmt, ap);
	va_end(ap);
	p->failed = true;
}

void kad_warn(struct kad_parser *p, const struct kad_stmt *st,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(p->diag, CONFIG_WARNING, st->file, st->line, fmt, ap);
	va_end(ap);
}

bool kad_expects(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		 const char *what)
{
	kad_error(p, st, "'%s' expects %s, got '%s'", st->argv[0], what,
		  i < st->argc ? st->argv[i] : "");
	return false;
}

bool kad_arg_int(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		 long long min, long long max, int *out)
{
	long long v;
	char what[96];

	if (i < st->argc && cfg_parse_int(st->argv[i], min, max, &v)) {
		*out = (int)v;
		return true;
	}
	snprintf(what, sizeof(what), "an integer from %lld to %lld", min, max);
	return kad_expects(p, st, i, what);
}

bool kad_arg_seconds(struct kad_parser *p, const struct kad_stmt *st,
		     size_t i, int64_t max_ms, int64_t *out)
{
	struct strbuf what = STRBUF_INIT;
	bool ok = cfg_parse_seconds(st->argv[i], max_ms, out);

	if (!ok) {
		strbuf_puts(&what, "a time in seconds up to ");
		cfg_print_seconds(&what, max_ms);
		kad_expects(p, st, i, strbuf_str(&what));
		strbuf_free(&what);
	}
	return ok;
}

bool kad_arg_addr(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		  struct cfg_addr *out)
{
	if (cfg_parse_addr(st->argv[i], out))
		return true;
	return kad_expects(p, st, i, "an IPv4 or IPv6 address");
}

bool kad_arg_port(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		  bool zero_ok, int *out)
{
	long long v;

	/* i may be past the last word ("port" at the end of a line). */
	if (i < st->argc && cfg_parse_int(st->argv[i], zero_ok ? 0 : 1, 65535, &v)) {
		*out = (int)v;
		return true;
	}
	return kad_expects(p, st, i, zero_ok ? "a port from 0 to 65535" :
			   "a port from 1 to 65535");
}

void kad_arg_str(const struct kad_stmt *st, size_t i, char **out)
{
	free(*out);
	*out = xstrdup(st->argv[i]);
}

void kad_arg_join(const struct kad_stmt *st, size_t i, char **out)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t j = i; j < st->argc; j++) {
		if (j > i)
			strbuf_putc(&sb, ' ');
		strbuf_puts(&sb, st->argv[j]);
	}
	free(*out);
	*out = strbuf_detach(&sb);
	if (!*out)
		*out = xstrdup("");
}

struct cfg_check_opts *kad_check_opts(struct kad_parser *p, void *obj)
{
	switch (p->ctx) {
	case KAD_VS:
		return &((struct cfg_virtual_server *)obj)->co;
	case KAD_RS:
		return &((struct cfg_real_server *)obj)->co;
	case KAD_TCP:
	case KAD_HTTP:
	case KAD_MISC:
		return &((struct cfg_checker *)obj)->co;
	default:
		abort();	/* a table row allows a context it cannot serve */
	}
}

/* ================================================================ */
/* Dispatcher */

static const struct kad_kw *const kad_tables[] = { kad_kw_vrrp, kad_kw_lvs };

#define N_TABLES (sizeof(kad_tables) / sizeof(*kad_tables))

static int kw_ref_cmp(const void *pa, const void *pb)
{
	const struct kad_kw_ref *a = pa, *b = pb;
	int r = strcmp(a->kw->name, b->kw->name);

	if (r)
		return r;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Sorts every row of the tables into p->kws. */
static void index_kws(struct kad_parser *p)
{
	size_t n = 0;

	for (size_t t = 0; t < N_TABLES; t++)
		for (const struct kad_kw *kw = kad_tables[t]; kw->name; kw++)
			n++;
	p->kws = xcalloc(n, sizeof(*p->kws));
	p->n_kws = 0;
	for (size_t t = 0; t < N_TABLES; t++)
		for (const struct kad_kw *kw = kad_tables[t]; kw->name; kw++) {
			p->kws[p->n_kws].kw = kw;
			p->kws[p->n_kws].order = p->n_kws;
			p->n_kws++;
		}
	qsort(p->kws, p->n_kws, sizeof(*p->kws), kw_ref_cmp);
}

/* The first row (in table order) named name that may appear in ctx, or
 * NULL; *elsewhere tells whether some row of that name exists for
 * another context. */
static const struct kad_kw *find_kw(const struct kad_parser *p, const char *name,
				    unsigned ctx, bool *elsewhere)
{
	size_t lo = 0, hi = p->n_kws;

	*elsewhere = false;
	/* the first row not below name */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(p->kws[mid].kw->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < p->n_kws && strcmp(p->kws[lo].kw->name, name) == 0; lo++) {
		if (p->kws[lo].kw->ctx & ctx)
			return p->kws[lo].kw;
		*elsewhere = true;
	}
	return NULL;
}

static const char *suggest_kw(const char *name, unsigned ctx)
{
	struct cfg_suggest s;

	cfg_suggest_init(&s, name);
	for (size_t t = 0; t < N_TABLES; t++)
		for (const struct kad_kw *kw = kad_tables[t]; kw->name; kw++)
			if (kw->ctx & ctx)
				cfg_suggest_try(&s, kw->name);
	return cfg_suggest_result(&s);
}

static const struct kad_tok *peek(const struct kad_parser *p)
{
	return &p->lx.toks[p->pos];
}

/* Collects the words of one statement, up to a line end or a brace.
 * argv points into the token stream; the caller frees only the array. */
static void read_stmt(struct kad_parser *p, struct kad_stmt *st)
{
	size_t start = p->pos;

	st->file = peek(p)->file;
	st->line = peek(p)->line;
	while (peek(p)->type == KAD_TOK_WORD)
		p->pos++;
	st->argc = p->pos - start;
	st->argv = xcalloc(st->argc + 1, sizeof(*st->argv));
	for (size_t i = 0; i < st->argc; i++)
		st->argv[i] = p->lx.toks[start + i].text;
	st->has_block = peek(p)->type == KAD_TOK_LBRACE;
	if (st->has_block)
		p->pos++;
}

/* Skips the rest of a block whose '{' was consumed, nested blocks and
 * all. The lexer guarantees that braces balance. */
static void skip_block(struct kad_parser *p)
{
	int depth = 1;

	while (depth > 0 && peek(p)->type != KAD_TOK_EOF) {
		if (peek(p)->type == KAD_TOK_LBRACE)
			depth++;
		else if (peek(p)->type == KAD_TOK_RBRACE)
			depth--;
		p->pos++;
	}
}

static void parse_block(struct kad_parser *p, enum kad_ctx ctx, void *obj,
			const char *block);

/* Parses the body of a LIST keyword: every line is an item. */
static void parse_list(struct kad_parser *p, const struct kad_kw *kw,
		       void *obj)
{
	for (;;) {
		const struct kad_tok *t = peek(p);
		struct kad_stmt st;

		if (t->type == KAD_TOK_EOF)
			return;
		if (t->type == KAD_TOK_RBRACE) {
			p->pos++;
			return;
		}
		if (t->type == KAD_TOK_EOL) {
			p->pos++;
			continue;
		}
		read_stmt(p, &st);
		if (st.has_block) {
			kad_error(p, &st, "'%s' takes one item per line, not "
				  "a block", kw->name);
			skip_block(p);
		} else if (st.argc) {
			/* the item reads as if it were the keyword */
			struct kad_stmt item = st;

			item.argv = xcalloc(st.argc + 2, sizeof(*item.argv));
			item.argv[0] = (char *)kw->name;
			memcpy(item.argv + 1, st.argv, st.argc * sizeof(char *));
			item.argc = st.argc + 1;
			kw->line(p, &item, obj);
			free(item.argv);
		} else {
			kad_error(p, &st, "unexpected '{' in '%s'", kw->name);
		}
		free(st.argv);
	}
}

static void arity_error(struct kad_parser *p, const struct kad_kw *kw,
			const struct kad_stmt *st)
{
	struct strbuf got = STRBUF_INIT;

	if (st->argc <= 1u + kw->max_args || kw->max_args == KAD_MANY) {
		strbuf_puts(&got, "nothing");
	} else {
		strbuf_puts(&got, "extra '");
		for (size_t i = 1u + kw->max_args; i < st->argc; i++) {
			if (i > 1u + kw->max_args)
				strbuf_putc(&got, ' ');
			strbuf_puts(&got, st->argv[i]);
		}
		strbuf_putc(&got, '\'');
	}
	kad_error(p, st, "'%s' expects %s, got %s", kw->name, kw->help,
		  strbuf_str(&got));
	strbuf_free(&got);
}

/* Runs one statement: finds its row, checks arity and body, calls the
 * setter and parses the body. Returns after the statement and its body. */
static void dispatch(struct kad_parser *p, enum kad_ctx ctx, void *obj,
		     const char *block, struct kad_stmt *st)
{
	const struct kad_kw *kw;
	bool elsewhere;
	size_t nargs = st->argc - 1;
	void *child = NULL;

	kw = find_kw(p, st->argv[0], ctx, &elsewhere);
	if (!kw) {
		const char *hint = elsewhere ? NULL :
			suggest_kw(st->argv[0], ctx);

		if (elsewhere)
			kad_error(p, st, "'%s' is not allowed in %s",
				  st->argv[0], block);
		else if (hint)
			kad_error(p, st, "unknown keyword '%s' in %s; did you "
				  "mean '%s'?", st->argv[0], block, hint);
		else
			kad_error(p, st, "unknown keyword '%s' in %s",
				  st->argv[0], block);
		if (st->has_block)
			skip_block(p);
		return;
	}
	if (nargs < kw->min_args ||
	    (kw->max_args != KAD_MANY && nargs > kw->max_args)) {
		arity_error(p, kw, st);
		if (st->has_block)
			skip_block(p);
		return;
	}
	if (st->has_block && kw->body == KAD_BODY_NONE) {
		kad_error(p, st, "'%s' takes no block", kw->name);
		skip_block(p);
		return;
	}
	if (!st->has_block && (kw->body == KAD_BODY_BLOCK ||
			       kw->body == KAD_BODY_LIST)) {
		kad_error(p, st, "'%s' expects a block '{ ... }'", kw->name);
		return;
	}
	if (!kw->set && kw->refuse) {
		config_diag_not_yet(p->diag, st->file, st->line, kw->name,
				    kw->refuse);
		p->failed = true;
		if (st->has_block)
			skip_block(p);
		return;
	}
	if (!kw->set) {
		/* once per keyword: a long list of them is one fact */
		if (!strvec_contains(&p->warned, kw->name)) {
			strvec_push(&p->warned, kw->name);
			kad_warn(p, st, "'%s' accepted, not implemented",
				 kw->name);
		}
		if (st->has_block)
			skip_block(p);
		return;
	}
	p->ctx = ctx;
	if (!kw->set(p, st, obj, &child)) {
		p->failed = true;
		if (st->has_block)
			skip_block(p);
		return;
	}
	if (!st->has_block)
		return;
	if (kw->body == KAD_BODY_LIST)
		parse_list(p, kw, child);
	else if (kw->body == KAD_BODY_SKIP)
		skip_block(p);
	else
		parse_block(p, kw->child, child, kw->name);
}

/* Parses statements until the '}' closing this block (or the end of the
 * stream at the top level). */
static void parse_block(struct kad_parser *p, enum kad_ctx ctx, void *obj,
			const char *block)
{
	for (;;) {
		const struct kad_tok *t = peek(p);
		struct kad_stmt st;

		if (t->type == KAD_TOK_EOF)
			return;
		if (t->type == KAD_TOK_RBRACE) {
			p->pos++;
			if (ctx != KAD_TOP)
				return;
			continue;	/* the lexer already reported it */
		}
		if (t->type == KAD_TOK_EOL) {
			p->pos++;
			continue;
		}
		read_stmt(p, &st);
		if (st.argc == 0) {
			kad_error(p, &st, "'{' without a keyword before it");
			skip_block(p);
		} else {
			dispatch(p, ctx, obj, block, &st);
		}
		free(st.argv);
	}
}

/* ================================================================ */
/* Checks that need the whole file */

static void validate(struct kad_parser *p)
{
	struct config *cfg = p->cfg;
	struct config_index ix;

	for (size_t i = 0; i < cfg->n_vrrp; i++) {
		struct cfg_vrrp_instance *vi = &cfg->vrrp[i];
		struct kad_stmt at = { vi->loc.file, vi->loc.line, NULL, 0,
				       false };

		if (vi->vrid == CFG_UNSET)
			kad_error(p, &at, "vrrp_instance '%s' has no "
				  "virtual_router_id", vi->name);
		if (!vi->interface)
			kad_error(p, &at, "vrrp_instance '%s' has no interface",
				  vi->name);
		kad_vrrp_strict_check(p, vi);
		for (size_t j = 0; j < vi->n_track_scripts; j++)
			if (!config_find_script(cfg, vi->track_scripts[j].name))
				kad_error(p, &at, "vrrp_instance '%s' tracks "
					  "unknown vrrp_script '%s'", vi->name,
					  vi->track_scripts[j].name);
		for (size_t j = 0; j < i; j++) {
			const struct cfg_vrrp_instance *o = &cfg->vrrp[j];

			if (o->vrid == vi->vrid && vi->vrid != CFG_UNSET &&
			    o->interface && vi->interface &&
			    strcmp(o->interface, vi->interface) == 0 &&
			    (o->n_vips ? o->vips[0].addr.af : 0) ==
			    (vi->n_vips ? vi->vips[0].addr.af : 0))
				kad_error(p, &at, "vrrp_instance '%s' uses "
					  "virtual_router_id %d on %s, as "
					  "'%s' does", vi->name, vi->vrid,
					  vi->interface, o->name);
		}
	}
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		struct cfg_sync_group *sg = &cfg->sync_groups[i];
		struct kad_stmt at = { sg->loc.file, sg->loc.line, NULL, 0,
				       false };

		for (size_t j = 0; j < sg->members.len; j++) {
			const char *m = sg->members.items[j];

			if (!config_find_vrrp(cfg, m))
				kad_error(p, &at, "vrrp_sync_group '%s' names "
					  "unknown vrrp_instance '%s'",
					  sg->name, m);
			for (size_t k = 0; k < i; k++)
				if (strvec_contains(&cfg->sync_groups[k].members, m))
					kad_error(p, &at, "vrrp_instance '%s' "
						  "is in vrrp_sync_group '%s' "
						  "and '%s'", m,
						  cfg->sync_groups[k].name,
						  sg->name);
		}
	}
	if (cfg->global.sync.instance &&
	    !config_find_vrrp(cfg, cfg->global.sync.instance)) {
		struct kad_stmt at = { NULL, 0, NULL, 0, false };

		at.file = cfg->kad_path;
		kad_error(p, &at, "lvs_sync_daemon follows unknown "
			  "vrrp_instance '%s'", cfg->global.sync.instance);
	}
	/* Duplicates through a hash of identities: 10,000 virtual servers
	 * compared pairwise took most of the parse. */
	config_index_build(&ix, cfg);
	for (size_t i = 0; i < cfg->n_vs; i++) {
		struct cfg_virtual_server *vs = cfg->vs[i];
		struct kad_stmt at = { vs->loc.file, vs->loc.line, NULL, 0,
				       false };
		long first;

		if (vs->kind == CFG_VS_GROUP &&
		    !config_find_vs_group(cfg, vs->group))
			kad_error(p, &at, "virtual_server names unknown "
				  "virtual_server_group '%s'", vs->group);
		/* The first with its key: an earlier one is a duplicate. */
		first = config_index_vs_at(&ix, &ix.vs_entries[i].key);
		if (first >= 0 && first < (long)i) {
			struct strbuf id = STRBUF_INIT;

			cfg_vs_identity(vs, &id);
			kad_error(p, &at, "duplicate virtual_server %s "
				  "(first at line %d)", strbuf_str(&id),
				  cfg->vs[first]->loc.line);
			strbuf_free(&id);
		}
		/* IPVS consults a persistence engine only for a persistent
		 * service: the kernel takes one without a timeout and never
		 * uses it (keepalived passes it on silently). Worth a line at
		 * the keyword, not a refusal. */
		if (vs->pe_name[0] && vs->persistence_timeout_ms <= 0) {
			struct kad_stmt pat = { vs->pe_loc.file,
						vs->pe_loc.line, NULL, 0,
						false };

			kad_warn(p, &pat, "'persistence_engine %s' has no "
				 "effect without persistence_timeout (IPVS "
				 "uses it only for persistent services)",
				 vs->pe_name);
		}
		for (size_t j = 0; j < vs->n_rs; j++) {
			const struct cfg_real_server *rs = &vs->rs[j];
			enum cfg_lb_kind k = rs->lb_kind ? rs->lb_kind :
				vs->lb_kind ? vs->lb_kind : CFG_LB_KIND_NAT;
			struct kad_stmt rat = { rs->loc.file, rs->loc.line,
						NULL, 0, false };

			if (vs->kind == CFG_VS_ADDR && k != CFG_LB_KIND_TUN &&
			    rs->ep.addr.af != vs->ep.addr.af)
				kad_error(p, &rat, "real_server family differs "
					  "from its virtual_server's (only "
					  "TUN can mix IPv4 and IPv6)");
		}
	}
	config_index_free(&ix);
}

bool kad_parse_tokens(struct kad_parser *p)
{
	index_kws(p);
	parse_block(p, KAD_TOP, p->cfg, "the top level");
	free(p->kws);
	p->kws = NULL;
	p->n_kws = 0;
	if (!p->failed)
		validate(p);
	return !p->failed;
}
