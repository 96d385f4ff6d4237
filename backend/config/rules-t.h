/* rules-t.h: types of the L7 rules of a proxy (types only; see rules.h).
 *
 * The model keeps each rule line (acl, use_backend, use-server,
 * http-request, http-response, tcp-request, redirect) as the words it
 * was written with, in order, with where it came from: copying,
 * comparing and printing a proxy then needs no knowledge of the rule
 * language. rules.c parses those words into the typed program below,
 * once at load (to report errors at FILE:LINE) and again when the proxy
 * engine compiles a snapshot (px_acl.c), so both read the same grammar.
 */
#ifndef SOFTLB_CONFIG_RULES_T_H
#define SOFTLB_CONFIG_RULES_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/model-t.h"
#include "util/strvec.h"

struct cfg_rule {
	struct strvec argv;	/* the words of the line, as written */
	char *files;		/* what its -f files were at load (path, size,
				 * mtime), so a reload after a list changed is a
				 * change; NULL: none */
	struct cfg_loc loc;
	/* Copied from the named defaults section the proxy inherits from
	 * (HAProxy 2.6): those lines run before the proxy's own, see only
	 * that section's ACLs, and are printed there, not in the proxy. */
	bool inherited;
};

/* The rule lines of one proxy, in configuration order. */
struct cfg_rules {
	struct cfg_rule *v;
	size_t n, cap;
};

/* ---- the parsed program ---- */

/* What a condition reads from a request or connection (a "fetch"). */
enum rule_fetch {
	RF_TRUE = 0,		/* always_true */
	RF_FALSE = 1,		/* always_false */
	RF_SRC = 2,
	RF_SRC_PORT = 3,
	RF_DST = 4,
	RF_DST_PORT = 5,
	RF_PATH = 6,
	RF_URL = 7,
	RF_URL_PARAM = 8,	/* arg: the parameter */
	RF_QUERY = 9,
	RF_METHOD = 10,
	RF_HDR = 11,		/* arg: the header name; NULL: every header line */
	RF_HDR_CNT = 12,	/* arg: the header name */
	RF_NBSRV = 13,		/* arg: the backend; NULL: the current one */
	RF_SSL_FC = 14,
	RF_SSL_FC_SNI = 15,
	RF_REQ_SSL_SNI = 16,	/* mode tcp: the SNI of the ClientHello peeked */
	RF_HTTP_AUTH = 17,	/* arg: a userlist; Basic credentials valid in it */
	RF_HTTP_AUTH_GROUP = 18,	/* arg: a userlist; the groups of the user
					 * whose Basic credentials are valid */
};

/* How a fetched value is compared with the patterns. */
enum rule_match {
	RM_BOOL = 0,		/* the fetch is a boolean (always_true, ssl_fc) */
	RM_STR = 1,
	RM_BEG = 2,
	RM_END = 3,
	RM_SUB = 4,
	RM_DIR = 5,		/* a '/'-delimited component */
	RM_DOM = 6,		/* a '.'-delimited component */
	RM_REG = 7,		/* PCRE2, compiled by the proxy engine */
	RM_IP = 8,		/* address or network */
	RM_INT = 9,		/* integers, ranges, eq/ge/gt/le/lt */
	RM_FOUND = 10,		/* the value exists */
	RM_LEN = 11,		/* the value's length is an integer pattern */
};

enum rule_int_op {
	RI_EQ = 0,		/* also a range lo:hi */
	RI_GE = 1,
	RI_GT = 2,
	RI_LE = 3,
	RI_LT = 4,
};

/* One ACL expression: a fetch, a matcher and its patterns. */
struct rule_expr {
	int id;			/* index in the program's expressions */
	enum rule_fetch fetch;
	char *arg;		/* hdr(NAME), url_param(NAME), nbsrv(NAME) */
	enum rule_match match;
	bool icase;		/* -i */
	enum rule_int_op op;	/* integer matchers */
	struct strvec pats;	/* the patterns written on the line */
	struct strvec files;	/* -f FILE, each read by the compiler */
	struct cfg_loc loc;
};

/* A named ACL: several lines with one name OR together. */
struct rule_acl {
	char *name;
	bool inherited;		/* a defaults section's (struct cfg_rule) */
	struct rule_expr **e;
	size_t n, cap;
};

/* One word of a condition. */
enum rule_term_kind {
	RT_EXPR = 0,		/* expr (named ACL or anonymous block) */
	RT_ACL = 1,		/* acl: index of a named ACL */
	RT_OR = 2,		/* "||": closes an AND group */
};

struct rule_term {
	enum rule_term_kind kind;
	bool neg;
	int acl;
	struct rule_expr *expr;	/* RT_EXPR: owned by the program's list */
};

/* if|unless TERM...: a disjunction of conjunctions, left to right. */
struct rule_cond {
	bool present;
	bool unless;
	struct rule_term *t;
	size_t n;
};

/* A header value: literal text and %[sample] parts. */
enum rule_fmt_kind {
	RFM_TEXT = 0,
	RFM_SRC = 1,
	RFM_DST = 2,
	RFM_HDR = 3,
	RFM_SSL_FC_SNI = 4,
	RFM_PATH = 5,
};

struct rule_fmt_part {
	enum rule_fmt_kind kind;
	char *s;		/* the text, or hdr()'s name */
};

struct rule_fmt {
	struct rule_fmt_part *p;
	size_t n;
};

/* Where a rule line belongs (evaluated in this order per proxy). */
enum rule_set {
	RS_TCP_CONN = 0,	/* tcp-request connection */
	RS_TCP_CONTENT = 1,	/* tcp-request content */
	RS_HTTP_REQ = 2,	/* http-request */
	RS_REDIRECT = 3,	/* redirect (the legacy keyword) */
	RS_USE_BACKEND = 4,
	RS_USE_SERVER = 5,
	RS_HTTP_RSP = 6,	/* http-response */
	RS_STATS_ADMIN = 7,	/* stats admin if|unless COND (the stats page) */
	RS_COUNT = 8,
};

enum rule_act {
	RA_ACCEPT = 0,		/* tcp-request ... accept */
	RA_REJECT = 1,		/* tcp-request ... reject */
	RA_ALLOW = 2,
	RA_DENY = 3,		/* status: deny_status (403); response: 502 */
	RA_TARPIT = 4,
	RA_REDIRECT = 5,
	RA_SET_HDR = 6,
	RA_ADD_HDR = 7,
	RA_DEL_HDR = 8,
	RA_REPLACE_HDR = 9,	/* name, regex (str), fmt */
	RA_SET_PATH = 10,
	RA_SET_QUERY = 11,
	RA_RETURN = 12,
	RA_USE_BACKEND = 13,	/* str: the backend */
	RA_USE_SERVER = 14,	/* str: the server */
	RA_AUTH = 15,		/* str: the realm, NULL: the proxy's name */
	RA_USE_SERVICE = 16,	/* str: the service ("prometheus-exporter") */
	RA_STATS_ADMIN = 17,	/* the stats page's admin form and actions */
};

enum rule_redir {
	RR_LOCATION = 0,
	RR_PREFIX = 1,
	RR_SCHEME = 2,
};

struct rule {
	enum rule_set set;
	enum rule_act act;
	int status;		/* deny_status, redirect code, return status */
	enum rule_redir redir;
	char *name;		/* header name */
	char *str;		/* backend / server name, replace-header regex,
				 * return's content-type */
	char *body;		/* return: the string, or the file's name */
	bool body_file;
	struct rule_fmt fmt;	/* header value, path, query, redirect target */
	struct rule_cond cond;
	struct cfg_loc loc;
};

struct rule_prog {
	struct rule_acl *acls;
	size_t n_acls, cap_acls;
	struct rule_expr **exprs;	/* every expression, by id; owned */
	size_t n_exprs, cap_exprs;
	struct rule *rules;
	size_t n_rules, cap_rules;
	int64_t inspect_delay_ms;	/* tcp-request inspect-delay; 0: none */
	bool in_inherited;	/* while parsing: the line is inherited, so
				 * its ACL names are the defaults section's */
};

#endif
