/* grammar: the one command grammar that executes, completes and describes.
 *
 * The daemon holds one grammar; engines add their command tables to it. The
 * same compiled graph answers the three things a client may ask of a line:
 * match it to one command (and bind its arguments), list completions for its
 * last word, or describe the tokens that may come next. Because the shell
 * asks the daemon, it never disagrees with the daemon it talks to.
 *
 * Lines are split on blanks; a word may be double-quoted ("a b", with \" and
 * \\ escapes inside). A line whose first word starts with '!' or '#' is a
 * comment. A control character anywhere is refused.
 *
 * Matching rules, per word, over every command available in the node:
 *   - an exact keyword or a valid typed value (number in range, address)
 *     beats a keyword prefix, which beats a free WORD;
 *   - a prefix of two different keywords is ambiguous;
 *   - commands above the caller's role are invisible to completion and
 *     description; a line that only they match is reported DENIED with the
 *     role needed.
 */
#ifndef SOFTLB_CTL_GRAMMAR_H
#define SOFTLB_CTL_GRAMMAR_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl/cmd-t.h"

struct strbuf;
struct strvec;
struct grammar;

enum cmd_match_status {
	CMD_MATCH_OK = 0,	/* exactly one command; def and args are set */
	CMD_MATCH_EMPTY,	/* blank line or comment: nothing to do */
	CMD_MATCH_UNKNOWN,	/* no command continues with the word at err_pos */
	CMD_MATCH_AMBIGUOUS,	/* word at err_pos fits several keywords, or
				 * several commands match the whole line */
	CMD_MATCH_INCOMPLETE,	/* the line stops before any command is complete */
	CMD_MATCH_DENIED,	/* only commands above the role match; see needed_role */
	CMD_MATCH_BAD_INPUT,	/* control character or unterminated quote at err_pos */
};

struct cmd_match {
	enum cmd_match_status status;
	size_t err_pos;			/* byte offset in the line of the bad word */
	enum ctl_role needed_role;	/* for DENIED */
	const struct cmd_def *def;	/* for OK and DENIED */
	struct cmd_args *args;		/* for OK; owned, freed by cmd_match_clear() */
};

/* A new empty grammar, owned by the caller (grammar_free). */
struct grammar *grammar_new(void);
void grammar_free(struct grammar *g);

/* Compiles def->syntax and adds the command. def must outlive the grammar
 * (command tables are static). Returns 0, or -1 with the reason in err when
 * the syntax or help string is malformed (unbalanced brackets, a help line
 * missing, an empty range ...). */
int grammar_add(struct grammar *g, const struct cmd_def *def, struct strbuf *err);
/* Adds n rows; stops at the first error. */
int grammar_add_table(struct grammar *g, const struct cmd_def *defs, size_t n,
		      struct strbuf *err);

/* Matches a whole line for execution. Always fills *m; free with
 * cmd_match_clear(). */
void grammar_match(const struct grammar *g, const char *line, enum cmd_node node,
		   enum ctl_role role, struct cmd_match *m);
void cmd_match_clear(struct cmd_match *m);

/* Writes the operator-facing error for a failed match: a "% ..." line, then
 * the line itself indented by two spaces with a caret under the bad word,
 * e.g.
 *   % Unknown command
 *     show fooo
 *          ^
 * DENIED reads "% Permission denied: 'clear lvs counters' needs role admin". */
void grammar_explain(const char *line, const struct cmd_match *m, struct strbuf *out);

/* Completion candidates for the last word of line (the text after the last
 * blank; empty when line ends in a blank): keywords with that prefix, and
 * live values from the commands' values callbacks. Sorted, unique. Returns
 * the status of matching the words before it (OK when they fit). */
enum cmd_match_status grammar_complete(const struct grammar *g, const char *line,
				       enum cmd_node node, enum ctl_role role,
				       struct cmd_ctx *ctx, struct strvec *out);

/* What may come at the last word of line: for each possible token its
 * display text (keyword, "WORD", "(1-255)", "A.B.C.D" ...; "<cr>" when the
 * line is already a complete command) and its help line, pushed in pairs to
 * tokens and helps, sorted by token with "<cr>" last. On a bad prefix
 * returns its status and sets *err_pos. */
enum cmd_match_status grammar_describe(const struct grammar *g, const char *line,
				       enum cmd_node node, enum ctl_role role,
				       struct strvec *tokens, struct strvec *helps,
				       size_t *err_pos);

/* Arguments bound by a match. */
/* The value of the first token named name (variable name or keyword), or NULL. */
const char *cmd_arg(const struct cmd_args *a, const char *name);
bool cmd_arg_has(const struct cmd_args *a, const char *name);
/* The integer value of a range token, or dflt when absent. */
long long cmd_arg_num(const struct cmd_args *a, const char *name, long long dflt);
size_t cmd_args_count(const struct cmd_args *a);
const char *cmd_args_name(const struct cmd_args *a, size_t i);
const char *cmd_args_value(const struct cmd_args *a, size_t i);

const char *ctl_role_name(enum ctl_role role);	/* "view", "operator", "admin" */

#endif
