/* grammar_int: what the grammar's files share (grammar_compile.c builds
 * the graphs, grammar.c matches a line against them, grammar_complete.c
 * completes and describes). Not for use outside backend/ctl/grammar*.c:
 * grammar.h is the interface.
 */
#ifndef SOFTLB_CTL_GRAMMAR_INT_H
#define SOFTLB_CTL_GRAMMAR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/grammar.h"
#include "ctl/grammar_token.h"
#include "util/strvec.h"

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

static inline bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* ---------------------------------------------------------------------- */
/* Words (grammar.c)                                                       */

struct word {
	char *text;		/* unquoted */
	size_t len;
	size_t off;		/* byte offset in the line, for the caret */
};

struct words {
	struct word *v;
	size_t n, cap;
};

/* Splits line into words. Returns BAD_INPUT with *err_pos at a control
 * character or at the quote that opens an unterminated string, EMPTY for a
 * comment (and for a blank line unless partial), else OK. When partial (for
 * completion and help), the last word may be unterminated or empty: an
 * empty word is added when the line is empty or ends in a blank. */
enum cmd_match_status grammar_tokenize(const char *line, bool partial, struct words *w,
				       size_t *err_pos);
void grammar_words_free(struct words *w);

/* ---------------------------------------------------------------------- */
/* Matching (grammar.c)                                                    */

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

/* Matches the first nwords words of r->w against every command visible in
 * r's node and role. Returns OK when some command continues through all of
 * them (the threads are in r->steps[nwords]), else UNKNOWN or AMBIGUOUS
 * with r->err_pos at the offending word. The caller frees r. */
enum cmd_match_status grammar_run_words(struct run *r, size_t nwords);
void grammar_run_free(struct run *r);
const struct gnode *grammar_thread_node(const struct run *r, const struct thread *t);

#endif
