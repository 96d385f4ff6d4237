#include "config.h"

#include "ctl/grammar.h"
#include "ctl/grammar_int.h"

/* Completion and `?` help: what may come next on a partial line. */

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------------- */
/* Completion and description                                              */

/* Tokenizes line for completion or help and matches every word but the
 * last, within the role. On OK, r holds the threads before the last word;
 * otherwise *err_pos tells where it failed. r must be freed (grammar_run_free) and
 * w too (grammar_words_free) whatever the status. */
static enum cmd_match_status run_prefix(const struct grammar *g, const char *line,
					enum cmd_node node, enum ctl_role role,
					struct words *w, struct run *r, size_t *err_pos)
{
	enum cmd_match_status st = grammar_tokenize(line, true, w, err_pos);

	*r = (struct run){ .g = g, .node = node, .role = role, .w = w };
	if (st != CMD_MATCH_OK)
		return st;
	st = grammar_run_words(r, w->n - 1);
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
		const struct gnode *n = grammar_thread_node(&r, &s->v[i]);

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
	grammar_run_free(&r);
	grammar_words_free(&w);
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
		const struct gnode *n = grammar_thread_node(&r, &s->v[i]);

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
	grammar_run_free(&r);
	free(d);
	grammar_words_free(&w);
	return st;
}
