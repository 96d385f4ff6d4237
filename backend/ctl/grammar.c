#include "config.h"

#include "ctl/grammar.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/grammar_token.h"
#include "util/strbuf.h"
#include "util/strvec.h"
#include "util/xalloc.h"

/* How the grammar works.
 *
 * Each command's syntax compiles to a small graph (an NFA): nodes that
 * consume one word (keyword, WORD, range, address ...) joined through
 * word-less fork/join nodes that [ ] and < | > create. Node 0 is the start,
 * node 1 the end. Once compiled, each word-consuming node keeps the list of
 * word-consuming nodes reachable from it through fork/join nodes ("follow")
 * and whether the end is reachable ("ends"), so matching never walks the
 * fork/join nodes again.
 *
 * Matching runs every visible command at once, one word at a time: a
 * thread is (command, node it stands on); each step keeps only the
 * transitions of the best rank for that word, and each thread remembers the
 * thread it came from so the path can be read back to bind arguments. A
 * (command, node) pair is kept once per step, so the work per word is
 * bounded by the size of the grammar and a line costs linear time in its
 * length: no limit on the number of words is needed, and none is imposed.
 */

#define NODE_START 0
#define NODE_END 1
#define NO_NODE SIZE_MAX
/* Nesting of [ ] and < > in one syntax string: far above any real command,
 * low enough that the recursive parser cannot exhaust the stack. */
#define MAX_DEPTH 16

struct gnode {
	struct gtok tok;	/* kind, text, range bounds */
	char *name;		/* argument name: the $name, else tok.text */
	char *help;		/* the token's help line */
	size_t *next;		/* graph edges; only compilation reads them */
	size_t nnext;
	size_t *follow;		/* word-consuming nodes reachable after this one */
	size_t nfollow;
	bool ends;		/* the command may end right after this node */
};

struct gcmd {
	const struct cmd_def *def;
	struct gnode *nodes;	/* [NODE_START], [NODE_END], then as parsed */
	size_t nnodes;
	size_t base;		/* id of nodes[0] in the grammar-wide numbering */
};

struct grammar {
	struct gcmd *cmds;
	size_t ncmds;
	size_t nnodes;		/* all commands' nodes: sizes the match scratch */
};

struct cmd_args {
	struct strvec names;
	struct strvec values;	/* values[i] belongs to names[i] */
};

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

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
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

/* ---------------------------------------------------------------------- */
/* Words                                                                   */

struct word {
	char *text;		/* unquoted */
	size_t len;
	size_t off;		/* byte offset in the line, for the caret */
};

struct words {
	struct word *v;
	size_t n, cap;
};

static void words_push(struct words *w, struct strbuf *sb, size_t off)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	w->v[w->n].len = sb->len;
	w->v[w->n].text = strbuf_detach(sb);
	w->v[w->n++].off = off;
}

static void words_free(struct words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i].text);
	free(w->v);
}

/* Splits line into words. Returns BAD_INPUT with *err_pos at a control
 * character or at the quote that opens an unterminated string, EMPTY for a
 * comment (and for a blank line unless partial), else OK. When partial (for
 * completion and help), the last word may be unterminated or empty: an
 * empty word is added when the line is empty or ends in a blank. */
static enum cmd_match_status tokenize(const char *line, bool partial, struct words *w,
				      size_t *err_pos)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = line;
	bool open = false;

	for (const char *q = line; *q; q++) {
		unsigned char ch = (unsigned char)*q;

		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			*err_pos = (size_t)(q - line);
			return CMD_MATCH_BAD_INPUT;
		}
	}
	while (is_blank(*p))
		p++;
	if (*p == '!' || *p == '#' || (!*p && !partial))
		return CMD_MATCH_EMPTY;
	while (*p) {
		size_t off = (size_t)(p - line);

		while (*p && !is_blank(*p)) {
			const char *quote = p;

			if (*p != '"') {
				strbuf_putc(&sb, *p++);
				continue;
			}
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				strbuf_putc(&sb, *p);
			}
			if (!*p && !partial) {
				strbuf_free(&sb);
				*err_pos = (size_t)(quote - line);
				return CMD_MATCH_BAD_INPUT;
			}
			open = !*p;
			if (*p)
				p++;
		}
		words_push(w, &sb, off);
		while (is_blank(*p))
			p++;
	}
	if (partial && !open && (p == line || is_blank(p[-1])))
		words_push(w, &sb, (size_t)(p - line));
	return CMD_MATCH_OK;
}

/* ---------------------------------------------------------------------- */
/* Matching                                                                */

/* One way through the line so far: the command, the node its last word
 * matched (NODE_START before any word), and its thread in the step before. */
struct thread {
	size_t cmd;
	size_t node;
	size_t prev;
};

struct step {
	struct thread *v;
	size_t n, cap;
};

struct run {
	const struct grammar *g;
	enum cmd_node node;
	enum ctl_role role;
	bool all_roles;		/* look past the role (for DENIED) */
	const struct words *w;
	struct step *steps;	/* steps[k]: the threads after k words */
	size_t nsteps;
	size_t err_pos;
};

static void step_push(struct step *s, size_t cmd, size_t node, size_t prev)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = (struct thread){ cmd, node, prev };
}

static void run_free(struct run *r)
{
	for (size_t i = 0; i < r->nsteps; i++)
		free(r->steps[i].v);
	free(r->steps);
}

static const struct gnode *thread_node(const struct run *r, const struct thread *t)
{
	return &r->g->cmds[t->cmd].nodes[t->node];
}

/* Matches the first nwords words of r->w against every command visible in
 * r's node and role. Returns OK when some command continues through all of
 * them (the threads are in r->steps[nwords]), else UNKNOWN or AMBIGUOUS
 * with r->err_pos at the offending word. The caller frees r (run_free). */
static enum cmd_match_status run_words(struct run *r, size_t nwords)
{
	const struct grammar *g = r->g;
	size_t *stamp = xcalloc(g->nnodes ? g->nnodes : 1, sizeof(*stamp));
	struct step cand = { NULL, 0, 0 };	/* (thread, node) pairs of the best rank */
	enum cmd_match_status status = CMD_MATCH_OK;

	r->steps = xcalloc(nwords + 1, sizeof(*r->steps));
	r->nsteps = nwords + 1;
	if ((unsigned)r->node < CMD_NODE_COUNT)
		for (size_t i = 0; i < g->ncmds; i++) {
			const struct cmd_def *def = g->cmds[i].def;

			if ((def->nodes & CMD_IN(r->node)) && (r->all_roles || def->role <= r->role))
				step_push(&r->steps[0], i, NODE_START, NO_NODE);
		}
	for (size_t k = 0; k < nwords; k++) {
		const struct word *word = &r->w->v[k];
		const struct step *cur = &r->steps[k];
		enum tok_rank best = RANK_NONE;

		cand.n = 0;
		for (size_t i = 0; i < cur->n; i++) {
			const struct gcmd *cmd = &g->cmds[cur->v[i].cmd];
			const struct gnode *n = &cmd->nodes[cur->v[i].node];

			for (size_t f = 0; f < n->nfollow; f++) {
				enum tok_rank rk = tok_rank(&cmd->nodes[n->follow[f]].tok, word->text, word->len);

				if (rk == RANK_NONE || rk < best)
					continue;
				if (rk > best) {
					best = rk;
					cand.n = 0;
				}
				step_push(&cand, cur->v[i].cmd, n->follow[f], i);
			}
		}
		r->err_pos = word->off;
		if (best == RANK_NONE) {
			status = CMD_MATCH_UNKNOWN;
			break;
		}
		if (best == RANK_PREFIX) {
			const char *kw = g->cmds[cand.v[0].cmd].nodes[cand.v[0].node].tok.text;

			for (size_t i = 1; i < cand.n; i++)
				if (strcmp(kw, g->cmds[cand.v[i].cmd].nodes[cand.v[i].node].tok.text))
					status = CMD_MATCH_AMBIGUOUS;
			if (status != CMD_MATCH_OK)
				break;
		}
		for (size_t i = 0; i < cand.n; i++) {
			size_t id = g->cmds[cand.v[i].cmd].base + cand.v[i].node;

			if (stamp[id] == k + 1)
				continue;	/* this (command, node) is already there */
			stamp[id] = k + 1;
			step_push(&r->steps[k + 1], cand.v[i].cmd, cand.v[i].node, cand.v[i].prev);
		}
	}
	free(cand.v);
	free(stamp);
	return status;
}

/* Reads back the path of thread t of the last step and records one
 * argument per token: keywords under their full text, variables under
 * their name, LINE... as the remaining words joined by single spaces. */
static struct cmd_args *bind_args(const struct run *r, size_t t)
{
	size_t n = r->nsteps - 1;
	const struct gnode **path = xreallocarray(NULL, n ? n : 1, sizeof(*path));
	struct cmd_args *a = xcalloc(1, sizeof(*a));

	for (size_t k = n; k > 0; k--) {
		const struct thread *th = &r->steps[k].v[t];

		path[k - 1] = thread_node(r, th);
		t = th->prev;
	}
	for (size_t k = 0; k < n; k++) {
		const struct gnode *node = path[k];

		strvec_push(&a->names, node->name);
		if (node->tok.kind == TOK_KEYWORD) {
			strvec_push(&a->values, node->tok.text);
		} else if (node->tok.kind == TOK_LINE) {
			struct strbuf sb = STRBUF_INIT;

			for (size_t j = k; j < n; j++) {
				if (j > k)
					strbuf_putc(&sb, ' ');
				strbuf_append(&sb, r->w->v[j].text, r->w->v[j].len);
			}
			strvec_push_owned(&a->values, strbuf_detach(&sb));
			break;
		} else {
			strvec_push(&a->values, r->w->v[k].text);
		}
	}
	free(path);
	return a;
}

static void args_free(struct cmd_args *a)
{
	if (!a)
		return;
	strvec_free(&a->names);
	strvec_free(&a->values);
	free(a);
}

/* Matches all words of w for execution, into a fresh *m. */
static void match_words(const struct grammar *g, const struct words *w, size_t line_len,
			enum cmd_node node, enum ctl_role role, bool all_roles,
			struct cmd_match *m)
{
	struct run r = { .g = g, .node = node, .role = role, .all_roles = all_roles, .w = w };
	const struct step *last;
	size_t chosen = NO_NODE;

	memset(m, 0, sizeof(*m));
	m->status = run_words(&r, w->n);
	m->err_pos = r.err_pos;
	if (m->status != CMD_MATCH_OK)
		goto out;
	last = &r.steps[w->n];
	m->err_pos = line_len;
	for (size_t i = 0; i < last->n; i++) {
		const struct cmd_def *def = g->cmds[last->v[i].cmd].def;

		if (!thread_node(&r, &last->v[i])->ends)
			continue;
		if (chosen == NO_NODE) {
			chosen = i;
			m->def = def;
		} else if (def != m->def) {
			m->status = CMD_MATCH_AMBIGUOUS;
			m->def = NULL;
			goto out;
		}
	}
	if (chosen == NO_NODE) {
		m->status = CMD_MATCH_INCOMPLETE;
		goto out;
	}
	m->err_pos = 0;
	m->args = bind_args(&r, chosen);
out:
	run_free(&r);
}

void grammar_match(const struct grammar *g, const char *line, enum cmd_node node,
		   enum ctl_role role, struct cmd_match *m)
{
	struct words w = { NULL, 0, 0 };
	struct cmd_match all;

	memset(m, 0, sizeof(*m));
	m->status = tokenize(line, false, &w, &m->err_pos);
	if (m->status != CMD_MATCH_OK)
		goto out;
	match_words(g, &w, strlen(line), node, role, false, m);
	if (m->status != CMD_MATCH_UNKNOWN && m->status != CMD_MATCH_INCOMPLETE &&
	    m->status != CMD_MATCH_AMBIGUOUS)
		goto out;
	/* Only then look past the role, so hidden commands never change how a
	 * visible one matches; a line only they accept is a permission error. */
	match_words(g, &w, strlen(line), node, role, true, &all);
	if (all.status == CMD_MATCH_OK && all.def->role > role) {
		cmd_match_clear(m);
		m->status = CMD_MATCH_DENIED;
		m->def = all.def;
		m->needed_role = all.def->role;
	}
	cmd_match_clear(&all);
out:
	words_free(&w);
}

void cmd_match_clear(struct cmd_match *m)
{
	args_free(m->args);
	memset(m, 0, sizeof(*m));
}

const char *ctl_role_name(enum ctl_role role)
{
	switch (role) {
	case CTL_ROLE_NONE:
		return "none";
	case CTL_ROLE_VIEW:
		return "view";
	case CTL_ROLE_OPER:
		return "operator";
	case CTL_ROLE_ADMIN:
		return "admin";
	}
	return "unknown";
}

/* Writes line after two spaces, control characters shown as '?' and tabs
 * as one space so that the caret line below stays aligned byte for byte
 * and the terminal is not fed escape sequences. */
static void put_line(struct strbuf *out, const char *line)
{
	strbuf_puts(out, "  ");
	for (const char *p = line; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		strbuf_putc(out, ch == '\t' ? ' ' : (ch < 0x20 || ch == 0x7f) ? '?' : *p);
	}
	strbuf_putc(out, '\n');
}

void grammar_explain(const char *line, const struct cmd_match *m, struct strbuf *out)
{
	size_t len = strlen(line), pos = m->err_pos > len ? len : m->err_pos;
	const char *what;

	switch (m->status) {
	case CMD_MATCH_OK:
	case CMD_MATCH_EMPTY:
		return;
	case CMD_MATCH_DENIED: {
		const char *s = line, *e = line + len;

		while (is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		strbuf_printf(out, "%% Permission denied: '%.*s' needs role %s\n",
			      (int)(e - s), s, ctl_role_name(m->needed_role));
		return;
	}
	case CMD_MATCH_UNKNOWN:
		what = "% Unknown command";
		break;
	case CMD_MATCH_AMBIGUOUS:
		what = "% Ambiguous command";
		break;
	case CMD_MATCH_INCOMPLETE:
		what = "% Incomplete command";
		break;
	case CMD_MATCH_BAD_INPUT:
		/* A quote is never a control character: the byte tells which. */
		what = line[pos] == '"' ? "% Invalid input: unterminated quote" :
		       "% Invalid input: control character";
		break;
	default:
		return;
	}
	strbuf_printf(out, "%s\n", what);
	put_line(out, line);
	strbuf_printf(out, "%*s^\n", (int)(pos + 2), "");
}

/* ---------------------------------------------------------------------- */
/* Completion and description                                              */

/* Tokenizes line for completion or help and matches every word but the
 * last, within the role. On OK, r holds the threads before the last word;
 * otherwise *err_pos tells where it failed. r must be freed (run_free) and
 * w too (words_free) whatever the status. */
static enum cmd_match_status run_prefix(const struct grammar *g, const char *line,
					enum cmd_node node, enum ctl_role role,
					struct words *w, struct run *r, size_t *err_pos)
{
	enum cmd_match_status st = tokenize(line, true, w, err_pos);

	*r = (struct run){ .g = g, .node = node, .role = role, .w = w };
	if (st != CMD_MATCH_OK)
		return st;
	st = run_words(r, w->n - 1);
	if (st != CMD_MATCH_OK)
		*err_pos = r->err_pos;
	return st;
}

enum cmd_match_status grammar_complete(const struct grammar *g, const char *line,
				       enum cmd_node node, enum ctl_role role,
				       struct cmd_ctx *ctx, struct strvec *out)
{
	struct words w = { NULL, 0, 0 };
	struct strvec found = STRVEC_INIT, vals = STRVEC_INIT;
	struct run r;
	size_t err_pos;
	enum cmd_match_status st = run_prefix(g, line, node, role, &w, &r, &err_pos);
	const struct step *s;
	const char *part;
	size_t plen;

	if (st != CMD_MATCH_OK)
		goto out;
	s = &r.steps[w.n - 1];
	part = w.v[w.n - 1].text;
	plen = w.v[w.n - 1].len;
	for (size_t i = 0; i < s->n; i++) {
		const struct gcmd *cmd = &g->cmds[s->v[i].cmd];
		const struct gnode *n = thread_node(&r, &s->v[i]);

		for (size_t f = 0; f < n->nfollow; f++) {
			const struct gnode *t = &cmd->nodes[n->follow[f]];

			if (t->tok.kind == TOK_KEYWORD) {
				if (strncmp(t->tok.text, part, plen) == 0)
					strvec_push(&found, t->tok.text);
				continue;
			}
			if (!ctx || !cmd->def->values)
				continue;
			cmd->def->values(ctx, t->name, &vals);
			for (size_t v = 0; v < vals.len; v++)
				if (strncmp(vals.items[v], part, plen) == 0)
					strvec_push(&found, vals.items[v]);
			strvec_free(&vals);
		}
	}
	strvec_sort_unique(&found);
	for (size_t i = 0; i < found.len; i++)
		strvec_push(out, found.items[i]);
	strvec_free(&found);
out:
	run_free(&r);
	words_free(&w);
	return st;
}

struct desc {
	const char *token;
	const char *help;
};

static const char CR_TOKEN[] = "<cr>";

/* Orders help entries by token, then help, with "<cr>" last. */
static int desc_cmp(const void *a, const void *b)
{
	const struct desc *x = a, *y = b;
	bool xcr = x->token == CR_TOKEN, ycr = y->token == CR_TOKEN;
	int c;

	if (xcr != ycr)
		return xcr ? 1 : -1;
	c = strcmp(x->token, y->token);
	return c ? c : strcmp(x->help, y->help);
}

static void desc_push(struct desc **v, size_t *n, const char *token, const char *help)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = (struct desc){ token, help };
}

enum cmd_match_status grammar_describe(const struct grammar *g, const char *line,
				       enum cmd_node node, enum ctl_role role,
				       struct strvec *tokens, struct strvec *helps,
				       size_t *err_pos)
{
	struct words w = { NULL, 0, 0 };
	struct desc *d = NULL;
	size_t nd = 0, pos = 0;
	struct run r;
	enum cmd_match_status st = run_prefix(g, line, node, role, &w, &r, &pos);
	const struct step *s;
	const struct word *part;
	bool cr = false;

	if (st != CMD_MATCH_OK)
		goto out;
	s = &r.steps[w.n - 1];
	part = &w.v[w.n - 1];
	for (size_t i = 0; i < s->n; i++) {
		const struct gcmd *cmd = &g->cmds[s->v[i].cmd];
		const struct gnode *n = thread_node(&r, &s->v[i]);

		cr = cr || (n->ends && part->len == 0 && w.n > 1);
		for (size_t f = 0; f < n->nfollow; f++) {
			const struct gnode *t = &cmd->nodes[n->follow[f]];
			bool fits = t->tok.kind == TOK_KEYWORD ?
				    strncmp(t->tok.text, part->text, part->len) == 0 :
				    part->len == 0 || tok_partial_ok(&t->tok, part->text);

			if (fits)
				desc_push(&d, &nd, t->tok.text, t->help);
		}
	}
	if (cr)
		desc_push(&d, &nd, CR_TOKEN, "Run the command");
	if (nd == 0 && part->len) {
		/* Nothing can come of the word being typed: say where. */
		st = CMD_MATCH_UNKNOWN;
		pos = part->off;
		goto out;
	}
	qsort(d, nd, sizeof(*d), desc_cmp);
	for (size_t i = 0; i < nd; i++) {
		if (i && desc_cmp(&d[i - 1], &d[i]) == 0)
			continue;
		strvec_push(tokens, d[i].token);
		strvec_push(helps, d[i].help);
	}
out:
	if (err_pos)
		*err_pos = pos;
	run_free(&r);
	free(d);
	words_free(&w);
	return st;
}

/* ---------------------------------------------------------------------- */
/* Arguments                                                               */

const char *cmd_arg(const struct cmd_args *a, const char *name)
{
	if (!a)
		return NULL;
	for (size_t i = 0; i < a->names.len; i++)
		if (strcmp(a->names.items[i], name) == 0)
			return a->values.items[i];
	return NULL;
}

bool cmd_arg_has(const struct cmd_args *a, const char *name)
{
	return cmd_arg(a, name) != NULL;
}

long long cmd_arg_num(const struct cmd_args *a, const char *name, long long dflt)
{
	const char *s = cmd_arg(a, name);
	long long v;

	return s && tok_parse_int(s, &v) ? v : dflt;
}

size_t cmd_args_count(const struct cmd_args *a)
{
	return a ? a->names.len : 0;
}

const char *cmd_args_name(const struct cmd_args *a, size_t i)
{
	return a && i < a->names.len ? a->names.items[i] : NULL;
}

const char *cmd_args_value(const struct cmd_args *a, size_t i)
{
	return a && i < a->values.len ? a->values.items[i] : NULL;
}
