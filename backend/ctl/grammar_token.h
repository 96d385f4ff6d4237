/* grammar_token: the shapes of words the command grammar accepts.
 *
 * Internal to ctl/grammar.c. It knows which tokens of a syntax string are
 * typed values (A.B.C.D, (1-255) ...), how well a typed word fits a token,
 * and whether a word still being typed could grow into a value (for '?').
 * Kept apart so the graph code does not drown in address parsing.
 */
#ifndef SOFTLB_CTL_GRAMMAR_TOKEN_H
#define SOFTLB_CTL_GRAMMAR_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum tok_kind {
	TOK_EPS = 0,		/* consumes no word: start, end, fork or join */
	TOK_KEYWORD,		/* literal lower-case word; unique prefixes match */
	TOK_WORD,		/* any word */
	TOK_RANGE,		/* an integer in [lo, hi] */
	TOK_IPV4,		/* A.B.C.D */
	TOK_IPV4_PREFIX,	/* A.B.C.D/M */
	TOK_IPV6,		/* X:X::X:X */
	TOK_IPV6_PREFIX,	/* X:X::X:X/M */
	TOK_ADDR,		/* IPv4 or IPv6 address */
	TOK_ADDRPORT,		/* a.b.c.d:port or [v6]:port */
	TOK_LINE,		/* this word and every one after it */
};

/* How well a word fits a token; matching keeps only the best rank. */
enum tok_rank {
	RANK_NONE = 0,		/* does not fit */
	RANK_FREE,		/* WORD or LINE: anything fits */
	RANK_PREFIX,		/* a prefix of a keyword */
	RANK_EXACT,		/* the keyword itself, or a valid typed value */
};

/* One token of a compiled syntax string. */
struct gtok {
	enum tok_kind kind;
	char *text;		/* keyword, or the token as displayed: "(1-255)" */
	long long lo, hi;	/* TOK_RANGE bounds, inclusive */
};

/* The kind of the typed token spelt text ("A.B.C.D" gives TOK_IPV4), or
 * TOK_WORD when text is none of them. Ranges are not looked up here. */
enum tok_kind tok_typed(const char *text);
/* Parses s as a whole decimal integer ("-12"; not "+1", " 1" or "1x").
 * Returns false on other text or on overflow. */
bool tok_parse_int(const char *s, long long *v);
/* How well word (len bytes, NUL-terminated) fits t. */
enum tok_rank tok_rank(const struct gtok *t, const char *word, size_t len);
/* Whether word, still being typed, fits variable t or could grow into a
 * value that does. Loose on purpose: it only decides what '?' lists. */
bool tok_partial_ok(const struct gtok *t, const char *word);

#endif
