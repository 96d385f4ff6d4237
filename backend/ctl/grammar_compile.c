#include "config.h"

#include "ctl/grammar.h"
#include "ctl/grammar_int.h"

/* Compiling a command's syntax string into its graph (grammar_int.h says
 * how the grammar works), and the grammar's life. */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------------- */
/* Compiling a syntax string                                               */

struct compiler {
	const char *syntax;
	const char *p;		/* parse position in syntax */
	struct gnode *nodes;
	size_t nnodes, cap;
	unsigned depth;
	struct strbuf *err;	/* may be NULL */
};

/* A piece of graph with one way in and one way out. */
struct frag {
	size_t in, out;
};

/* Writes "command '<syntax>': <reason>" to the caller's error buffer and
 * returns -1, so parse functions can "return compile_error(...)". */
static int compile_error(struct compiler *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int compile_error(struct compiler *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->err)
		return -1;
	strbuf_printf(c->err, "command '%s': ", c->syntax ? c->syntax : "(null)");
	va_start(ap, fmt);
	strbuf_vprintf(c->err, fmt, ap);
	va_end(ap);
	return -1;
}

static size_t offset_of(const struct compiler *c, const char *p)
{
	return (size_t)(p - c->syntax);
}

/* Appends a zeroed node of kind and returns its index (pointers into
 * c->nodes do not survive this call). */
static size_t node_new(struct compiler *c, enum tok_kind kind)
{
	if (c->nnodes == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->nodes = xreallocarray(c->nodes, c->cap, sizeof(*c->nodes));
	}
	memset(&c->nodes[c->nnodes], 0, sizeof(*c->nodes));
	c->nodes[c->nnodes].tok.kind = kind;
	return c->nnodes++;
}

static void edge_add(struct compiler *c, size_t from, size_t to)
{
	struct gnode *n = &c->nodes[from];

	n->next = xreallocarray(n->next, n->nnext + 1, sizeof(*n->next));
	n->next[n->nnext++] = to;
}

static void nodes_free(struct gnode *nodes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(nodes[i].tok.text);
		free(nodes[i].name);
		free(nodes[i].help);
		free(nodes[i].next);
		free(nodes[i].follow);
	}
	free(nodes);
}

static bool all_of(const char *s, const char *first, const char *rest)
{
	if (!*s || !strchr(first, *s))
		return false;
	return strspn(s + 1, rest) == strlen(s + 1);
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGITS "0123456789"

/* Parses "(lo-hi)" in text (which starts with '(') into n's bounds. */
static int parse_range(struct compiler *c, char *text, struct gnode *n, size_t at)
{
	size_t len = strlen(text);
	char *lo = text + 1, *dash = lo + (*lo == '-');

	while (*dash >= '0' && *dash <= '9')
		dash++;
	if (len < 5 || text[len - 1] != ')' || *dash != '-')
		return compile_error(c, "bad range '%s' at offset %zu", text, at);
	*dash = '\0';
	text[len - 1] = '\0';
	if (!tok_parse_int(lo, &n->tok.lo) || !tok_parse_int(dash + 1, &n->tok.hi)) {
		*dash = '-';
		text[len - 1] = ')';
		return compile_error(c, "bad range '%s' at offset %zu", text, at);
	}
	*dash = '-';
	text[len - 1] = ')';
	if (n->tok.lo > n->tok.hi)
		return compile_error(c, "empty range '%s' at offset %zu", text, at);
	return 0;
}

/* Parses one token at c->p (keyword, variable or typed value, with an
 * optional $name) into a new node. */
static int parse_token(struct compiler *c, struct frag *f)
{
	const char *start = c->p;
	size_t at = offset_of(c, start);
	char *text, *dollar;
	enum tok_kind kind;
	size_t idx;
	struct gnode *n;

	while (*c->p && !is_blank(*c->p) && !strchr("[]<>|", *c->p))
		c->p++;
	text = xstrndup(start, (size_t)(c->p - start));
	dollar = strchr(text, '$');
	if (dollar && !all_of(dollar + 1, LOWER UPPER DIGITS "_", LOWER UPPER DIGITS "_-")) {
		compile_error(c, "bad name in '%s' at offset %zu", text, at);
		free(text);
		return -1;
	}
	if (dollar)
		*dollar = '\0';
	idx = node_new(c, TOK_WORD);
	n = &c->nodes[idx];
	n->tok.text = text;
	n->name = xstrdup(dollar ? dollar + 1 : text);
	kind = tok_typed(text);
	if (kind == TOK_WORD && text[0] == '(') {
		kind = TOK_RANGE;
		if (parse_range(c, text, n, at) < 0)
			return -1;
	} else if (kind == TOK_WORD && all_of(text, LOWER DIGITS, LOWER DIGITS "-")) {
		kind = TOK_KEYWORD;
		if (dollar)
			return compile_error(c, "keyword '%s' at offset %zu cannot take a $name",
					     text, at);
	} else if (kind == TOK_WORD && !all_of(text, UPPER, UPPER DIGITS "_-")) {
		return compile_error(c, "bad token '%s' at offset %zu", text, at);
	}
	n->tok.kind = kind;
	if (kind == TOK_LINE)
		edge_add(c, idx, idx);	/* it takes every word that follows */
	f->in = f->out = idx;
	return 0;
}

static int parse_seq(struct compiler *c, struct frag *f);

/* Parses alternatives "a | b c | ..." up to (not past) the closing bracket
 * of the group opened by open; each must hold at least one token. */
static int parse_alts(struct compiler *c, char open, size_t at, struct frag *f)
{
	f->in = node_new(c, TOK_EPS);
	f->out = node_new(c, TOK_EPS);
	for (;;) {
		struct frag alt;

		if (parse_seq(c, &alt) < 0)
			return -1;
		if (alt.in == NO_NODE)
			return compile_error(c, "empty alternative in '%c' at offset %zu", open, at);
		edge_add(c, f->in, alt.in);
		edge_add(c, alt.out, f->out);
		if (*c->p != '|')
			return 0;
		c->p++;
	}
}

/* Parses tokens and groups until the end of the string or a ']', '>' or
 * '|' that belongs to the caller. An empty sequence gives in = NO_NODE. */
static int parse_seq(struct compiler *c, struct frag *f)
{
	f->in = f->out = NO_NODE;
	for (;;) {
		struct frag item;
		char ch;

		while (is_blank(*c->p))
			c->p++;
		ch = *c->p;
		if (ch == '\0' || ch == ']' || ch == '>' || ch == '|')
			return 0;
		if (ch == '[' || ch == '<') {
			char close = ch == '[' ? ']' : '>';
			size_t at = offset_of(c, c->p);

			if (++c->depth > MAX_DEPTH)
				return compile_error(c, "'%c' at offset %zu nests too deeply", ch, at);
			c->p++;
			if (parse_alts(c, ch, at, &item) < 0)
				return -1;
			c->depth--;
			if (*c->p == '\0')
				return compile_error(c, "'%c' at offset %zu is never closed", ch, at);
			if (*c->p != close)
				return compile_error(c, "'%c' at offset %zu is closed by '%c' at offset %zu",
						     ch, at, *c->p, offset_of(c, c->p));
			c->p++;
			if (ch == '[')
				edge_add(c, item.in, item.out);
		} else if (parse_token(c, &item) < 0) {
			return -1;
		}
		if (f->in == NO_NODE) {
			*f = item;
		} else {
			edge_add(c, f->out, item.in);
			f->out = item.out;
		}
	}
}

/* Gives each word-consuming node its help line, in order of appearance
 * (which is the order nodes were created in). */
static int assign_help(struct compiler *c, const char *help)
{
	size_t ntok = 0, nlines = 0, len = help ? strlen(help) : 0;
	const char *p = help;

	if (len && help[len - 1] == '\n')
		len--;		/* a trailing newline ends the last line */
	if (help && (len || *help == '\n'))
		nlines = 1;
	for (size_t i = 0; i < len; i++)
		nlines += help[i] == '\n';
	for (size_t i = 0; i < c->nnodes; i++)
		ntok += c->nodes[i].tok.kind != TOK_EPS;
	if (ntok != nlines)
		return compile_error(c, "%zu token%s but %zu help line%s", ntok,
				     ntok == 1 ? "" : "s", nlines, nlines == 1 ? "" : "s");
	for (size_t i = 0; i < c->nnodes; i++) {
		const char *nl;

		if (c->nodes[i].tok.kind == TOK_EPS)
			continue;
		nl = strchr(p, '\n');
		c->nodes[i].help = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);
		p = nl ? nl + 1 : p + strlen(p);
	}
	return 0;
}

/* Fills follow and ends of every node matching may stand on (the start and
 * the word-consuming nodes), by walking fork/join nodes from its edges. */
static void compute_follow(struct compiler *c)
{
	size_t *stamp = xcalloc(c->nnodes, sizeof(*stamp));
	size_t *stack = xreallocarray(NULL, c->nnodes, sizeof(*stack));

	for (size_t i = 0; i < c->nnodes; i++) {
		struct gnode *n = &c->nodes[i];
		size_t top = 0;

		if (n->tok.kind == TOK_EPS && i != NODE_START)
			continue;
		n->follow = xreallocarray(NULL, c->nnodes, sizeof(*n->follow));
		for (size_t e = 0; e < n->nnext; e++)
			if (stamp[n->next[e]] != i + 1) {
				stamp[n->next[e]] = i + 1;
				stack[top++] = n->next[e];
			}
		while (top) {
			size_t j = stack[--top];
			struct gnode *m = &c->nodes[j];

			if (j == NODE_END) {
				n->ends = true;
				continue;
			}
			if (m->tok.kind != TOK_EPS) {
				n->follow[n->nfollow++] = j;
				continue;
			}
			for (size_t e = 0; e < m->nnext; e++)
				if (stamp[m->next[e]] != i + 1) {
					stamp[m->next[e]] = i + 1;
					stack[top++] = m->next[e];
				}
		}
	}
	free(stamp);
	free(stack);
}

/* Refuses graphs that parse but cannot work: a command matching an empty
 * line (it would run on every blank line), or LINE... followed by anything
 * (it takes the rest of the line, so what follows could never match). */
static int check_graph(struct compiler *c)
{
	if (c->nodes[NODE_START].ends)
		return compile_error(c, "every token is optional, so it would match an empty line");
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct gnode *n = &c->nodes[i];

		if (n->tok.kind != TOK_LINE)
			continue;
		for (size_t k = 0; k < n->nfollow; k++)
			if (n->follow[k] != i)
				return compile_error(c, "LINE... must be the last token");
	}
	return 0;
}

struct grammar *grammar_new(void)
{
	return xcalloc(1, sizeof(struct grammar));
}

void grammar_free(struct grammar *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->ncmds; i++)
		nodes_free(g->cmds[i].nodes, g->cmds[i].nnodes);
	free(g->cmds);
	free(g);
}

int grammar_add(struct grammar *g, const struct cmd_def *def, struct strbuf *err)
{
	struct compiler c = { .syntax = def->syntax, .p = def->syntax, .err = err };
	struct frag body;
	struct gcmd *cmd;

	node_new(&c, TOK_EPS);		/* NODE_START */
	node_new(&c, TOK_EPS);		/* NODE_END */
	if (!def->syntax) {
		compile_error(&c, "no syntax");
		goto fail;
	}
	if (parse_seq(&c, &body) < 0)
		goto fail;
	if (*c.p == '|') {
		compile_error(&c, "'|' at offset %zu is outside < > or [ ]", offset_of(&c, c.p));
		goto fail;
	}
	if (*c.p) {
		compile_error(&c, "unbalanced '%c' at offset %zu", *c.p, offset_of(&c, c.p));
		goto fail;
	}
	if (body.in == NO_NODE) {
		compile_error(&c, "empty syntax");
		goto fail;
	}
	edge_add(&c, NODE_START, body.in);
	edge_add(&c, body.out, NODE_END);
	if (assign_help(&c, def->help) < 0)
		goto fail;
	compute_follow(&c);
	if (check_graph(&c) < 0)
		goto fail;

	g->cmds = xreallocarray(g->cmds, g->ncmds + 1, sizeof(*g->cmds));
	cmd = &g->cmds[g->ncmds++];
	cmd->def = def;
	cmd->nodes = c.nodes;
	cmd->nnodes = c.nnodes;
	cmd->base = g->nnodes;
	g->nnodes += c.nnodes;
	return 0;
fail:
	nodes_free(c.nodes, c.nnodes);
	return -1;
}

int grammar_add_table(struct grammar *g, const struct cmd_def *defs, size_t n,
		      struct strbuf *err)
{
	for (size_t i = 0; i < n; i++)
		if (grammar_add(g, &defs[i], err) < 0)
			return -1;
	return 0;
}
