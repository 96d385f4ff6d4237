/* kad_parse: the keepalived-dialect grammar, as keyword tables.
 *
 * A keyword is one row: its name, the blocks it may appear in, how many
 * arguments it takes, what body follows it, its setter and a help text
 * that doubles as the "expects ..." of its errors. The dispatcher in
 * kad_parse.c checks place, arity and body before a setter runs, so the
 * setters (kad_kw_*.c) only convert values. Internal to backend/config.
 */
#ifndef SOFTLB_CONFIG_KAD_PARSE_H
#define SOFTLB_CONFIG_KAD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/diag.h"
#include "config/kad_lex.h"
#include "config/model-t.h"
#include "util/strvec.h"

/* The blocks keywords live in; one bit each so a row can allow several. */
enum kad_ctx {
	KAD_TOP = 1u << 0,
	KAD_GLOBAL = 1u << 1,
	KAD_SCRIPT = 1u << 2,
	KAD_SYNC = 1u << 3,
	KAD_VRRP = 1u << 4,
	KAD_AUTH = 1u << 5,
	KAD_VS = 1u << 6,
	KAD_RS = 1u << 7,
	KAD_TCP = 1u << 8,	/* TCP_CHECK */
	KAD_HTTP = 1u << 9,	/* HTTP_GET, SSL_GET */
	KAD_MISC = 1u << 10,	/* MISC_CHECK */
	KAD_URL = 1u << 11,
};

#define KAD_CHECKERS (KAD_TCP | KAD_HTTP | KAD_MISC)

/* What follows a keyword's arguments. */
enum kad_body {
	KAD_BODY_NONE = 0,	/* nothing: a '{' is an error */
	KAD_BODY_BLOCK = 1,	/* { keywords of the child context } */
	KAD_BODY_OPT_BLOCK = 2,	/* the same, or nothing */
	KAD_BODY_LIST = 3,	/* { one item per line, to kw->line } */
	KAD_BODY_SKIP = 4,	/* { ignored: accepted, not implemented } */
};

#define KAD_MANY 255		/* max_args: no upper bound */

/* One statement: a keyword (argv[0]) and its arguments. */
struct kad_stmt {
	const char *file;
	int line;
	char **argv;		/* borrowed from the token stream */
	size_t argc;
	bool has_block;
};

/* The keyword tables' rows sorted by name (rows of one name in table
 * order), built by kad_parse_tokens(): a linear scan of every row for
 * every statement was a fifth of parsing 10,000 virtual servers. */
struct kad_kw_ref {
	const struct kad_kw *kw;
	size_t order;		/* the row's place in the tables */
};

struct kad_parser {
	struct config *cfg;
	struct config_diag *diag;
	struct kad_lexer lx;
	size_t pos;		/* next token */
	enum kad_ctx ctx;	/* context of the statement being set */
	struct strvec warned;	/* keywords already warned about */
	bool failed;
	struct kad_kw_ref *kws;	/* owned by kad_parse_tokens() */
	size_t n_kws;
};

struct kad_kw;

/* Setter: applies st to obj (the object of the enclosing block) and, for
 * a keyword with a body, stores the body's object in *child. Returns
 * false after reporting an error. */
typedef bool (*kad_set_fn)(struct kad_parser *p, const struct kad_stmt *st,
			   void *obj, void **child);
/* List line: one line of a LIST body, argv[0] being the item. */
typedef bool (*kad_line_fn)(struct kad_parser *p, const struct kad_stmt *st,
			    void *obj);

struct kad_kw {
	const char *name;
	unsigned ctx;		/* enum kad_ctx bits where it may appear */
	unsigned char min_args;
	unsigned char max_args;	/* KAD_MANY: unbounded */
	enum kad_body body;
	enum kad_ctx child;	/* BLOCK: the context of its body */
	kad_set_fn set;		/* NULL: accepted, not implemented */
	kad_line_fn line;	/* LIST bodies */
	const char *help;	/* "an integer from 1 to 255" */
	/* For a keyword softlb does not implement (set NULL): NULL when
	 * ignoring it changes no traffic (a warning), else what ignoring it
	 * would change, a CONFIG_CHANGES_ string (an error). */
	const char *refuse;
};

/* The tables, each ended by a row with a NULL name. */
extern const struct kad_kw kad_kw_vrrp[];
extern const struct kad_kw kad_kw_lvs[];

/* vrrp_strict / strict_mode checks of one instance (kad_kw_vrrp.c):
 * errors for what cannot run, warnings (and the fix) for the rest. */
void kad_vrrp_strict_check(struct kad_parser *p, struct cfg_vrrp_instance *vi);

/* Parses the token stream already in p->lx into p->cfg. */
bool kad_parse_tokens(struct kad_parser *p);

/* ---- helpers for setters: each reports its own error ---- */

void kad_error(struct kad_parser *p, const struct kad_stmt *st,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kad_warn(struct kad_parser *p, const struct kad_stmt *st,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "'KW' expects WHAT, got 'ARG'" about argument i (1-based). */
bool kad_expects(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		 const char *what);
bool kad_arg_int(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		 long long min, long long max, int *out);
bool kad_arg_seconds(struct kad_parser *p, const struct kad_stmt *st,
		     size_t i, int64_t max_ms, int64_t *out);
bool kad_arg_addr(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		  struct cfg_addr *out);
/* A port 1-65535, or 0-65535 when zero_ok. */
bool kad_arg_port(struct kad_parser *p, const struct kad_stmt *st, size_t i,
		  bool zero_ok, int *out);
/* Replaces *out with a copy of argument i. */
void kad_arg_str(const struct kad_stmt *st, size_t i, char **out);
/* Joins arguments from i on with single spaces into *out, so an
 * unquoted `notify_master /bin/x arg` keeps its arguments. */
void kad_arg_join(const struct kad_stmt *st, size_t i, char **out);
/* The checker-chain options of the current block (VS, RS or checker). */
struct cfg_check_opts *kad_check_opts(struct kad_parser *p, void *obj);

#endif
