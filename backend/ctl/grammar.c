#include "config.h"

#include "ctl/grammar.h"
#include "ctl/grammar_int.h"

/* Matching a line against the grammar: words, the threads through every
 * command at once, the arguments bound on the way, and the error that
 * says where a line went wrong. grammar_int.h says how the grammar works. */

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------------- */
/* Words                                                                   */



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

void grammar_words_free(struct words *w)
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
enum cmd_match_status grammar_tokenize(const char *line, bool partial, struct words *w,
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




static void step_push(struct step *s, size_t cmd, size_t node, size_t prev)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = (struct thread){ cmd, node, prev };
}

void grammar_run_free(struct run *r)
{
	for (size_t i = 0; i < r->nsteps; i++)
		free(r->steps[i].v);
	free(r->steps);
}

const struct gnode * grammar_thread_node(const struct run *r, const struct thread *t)
{
	return &r->g->cmds[t->cmd].nodes[t->node];
}

/* Matches the first nwords words of r->w against every command visible in
 * r's node and role. Returns OK when some command continues through all of
 * them (the threads are in r->steps[nwords]), else UNKNOWN or AMBIGUOUS
 * with r->err_pos at the offending word. The caller frees r (grammar_run_free). */
enum cmd_match_status grammar_run_words(struct run *r, size_t nwords)
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

		path[k - 1] = grammar_thread_node(r, th);
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
	m->status = grammar_run_words(&r, w->n);
	m->err_pos = r.err_pos;
	if (m->status != CMD_MATCH_OK)
		goto out;
	last = &r.steps[w->n];
	m->err_pos = line_len;
	for (size_t i = 0; i < last->n; i++) {
		const struct cmd_def *def = g->cmds[last->v[i].cmd].def;

		if (!grammar_thread_node(&r, &last->v[i])->ends)
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
	grammar_run_free(&r);
}

void grammar_match(const struct grammar *g, const char *line, enum cmd_node node,
		   enum ctl_role role, struct cmd_match *m)
{
	struct words w = { NULL, 0, 0 };
	struct cmd_match all;

	memset(m, 0, sizeof(*m));
	m->status = grammar_tokenize(line, false, &w, &m->err_pos);
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
	grammar_words_free(&w);
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
