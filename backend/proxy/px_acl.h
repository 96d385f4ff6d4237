/* px_acl.h: the L7 rules of a proxy compiled into its snapshot, and ACL
 * conditions evaluated over a request or connection.
 *
 *   px_acl.c        compiles a proxy's rule lines (config/rules.h) into a
 *                   px_rules: patterns, backends and servers by pointer,
 *                   bodies of 'return file' read; evaluates conditions
 *   px_acl_fetch.c  the fetches (src, path, hdr(NAME) ...) and matching
 *   px_acl_pat.c    pattern sets (hash, radix trees, PCRE2)
 *   px_rules.c      the actions (px_rules.h)
 *
 * A px_rules is built by the control plane with the snapshot and never
 * changed after: workers read it without locks.
 */
#ifndef SOFTLB_PROXY_PX_ACL_H
#define SOFTLB_PROXY_PX_ACL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "config/rules-t.h"
#include "proxy/proxy-t.h"

struct strbuf;
struct px_pat;
struct px_regex;
struct px_h1_msg;
struct px_worker;

/* What a rule needs besides its line. */
struct px_rule_x {
	struct px_proxy *be;		/* use_backend */
	struct px_server *srv;		/* use-server */
	struct px_regex *re;		/* replace-header */
	char *body;			/* return: the string or the file's bytes */
	size_t body_len;
};

/* A userlist, for http_auth(NAME). */
struct px_user {
	char *name;
	char *pass;			/* a crypt(3) hash, or the password itself */
	bool plain;			/* insecure-password */
	char **groups;			/* its groups (user ... groups G,..., and
					 * group G users U,...), for http_auth_group */
	size_t n_groups;
};

struct px_userlist {
	struct px_user *u;
	size_t n;
};

struct px_rules {
	struct rule_prog prog;
	struct px_pat **pat;		/* by expression id */
	struct px_proxy **nbsrv;	/* by expression id: nbsrv(NAME)'s backend */
	struct px_userlist **users;	/* by expression id: http_auth(NAME)'s and
					 * http_auth_group(NAME)'s list */
	struct px_rule_x *x;		/* by rule index */
	bool has[RS_COUNT];		/* some rule of that set exists */
};

/* What a condition is evaluated over. */
struct px_rctx {
	const struct px_worker *w;
	const struct px_proxy *be;	/* nbsrv without a name: this one */
	const struct sockaddr_storage *cli, *dst;
	const char *buf;		/* the request head (m), or NULL */
	const struct px_h1_msg *m;
	const char *rbuf;		/* the response head (rm), or NULL */
	const struct px_h1_msg *rm;
	bool fc_ssl;			/* the session's (set by the TLS layer) */
	const char *fc_sni;
	const char *sni;		/* req.ssl_sni peeked, or NULL */
	size_t sni_len;
};

struct px_pat_reg;

/* Compiles the rules of cp for p of snapshot proxies[0..n), taking the
 * pattern sets from pats (this build) or old_pats (the running snapshot's)
 * when they are the same (px_acl_pat.h). Returns NULL when cp has none,
 * or sets *failed with the reason in err, which names the configuration
 * line (FILE:LINE). */
struct px_rules *px_rules_build(const struct cfg_proxy *cp, struct px_proxy *p,
				struct px_proxy *proxies, size_t n, const struct cfg_rules *userlists,
				struct px_pat_reg *pats, const struct px_pat_reg *old_pats,
				bool *failed, struct strbuf *err);
void px_rules_free(struct px_rules *r);

/* Whether c holds (a missing condition holds). */
bool px_cond(const struct px_rules *r, const struct rule_cond *c, const struct px_rctx *x);

/* One expression (px_acl_fetch.c). */
bool px_acl_expr(const struct px_rules *r, const struct rule_expr *e, const struct px_rctx *x);

#endif
