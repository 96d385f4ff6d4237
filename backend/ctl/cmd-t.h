/* cmd-t.h: types of the one command grammar (types only; see grammar.h).
 *
 * A command is one row: a syntax string, one help line per token, the nodes
 * (shell modes) it lives in, the role it needs and its handler. Engines
 * declare their rows beside the code they drive and register them at init.
 *
 * Syntax (in the manner of FRRouting's CLI):
 *   show          keyword (lower case, digits, '-'); unique prefixes match
 *   WORD NAME     any upper-case identifier: a free word
 *   (1-255)       an integer in a range (negative bounds allowed)
 *   A.B.C.D       IPv4 address          A.B.C.D/M    IPv4 prefix
 *   X:X::X:X      IPv6 address          X:X::X:X/M   IPv6 prefix
 *   ADDR          IPv4 or IPv6 address
 *   ADDR:PORT     a.b.c.d:port or [v6]:port
 *   LINE...       the rest of the line (one or more words)
 *   [ ... ]       optional part        < a | b c >  alternatives
 * A variable token may be renamed with $name: "WORD$instance",
 * "(1-255)$priority"; without one its name is the token text ("WORD").
 * A matched keyword is recorded under its own text ("json").
 *
 * Help: one line per token in the order the tokens appear in the syntax
 * string, separated by '\n' (an alternative's keywords each take one line).
 */
#ifndef SOFTLB_CTL_CMD_T_H
#define SOFTLB_CTL_CMD_T_H

#include <stdbool.h>

struct strbuf;
struct strvec;
struct softlbd;
struct ctl_session;
struct cmd_args;

/* Who may run a command. Ordered: a higher role may do all a lower can. */
enum ctl_role {
	CTL_ROLE_NONE = 0,	/* not allowed to connect at all */
	CTL_ROLE_VIEW,		/* group softlb: show commands only */
	CTL_ROLE_OPER,		/* group softlb-oper: enable, disable, drain, weight */
	CTL_ROLE_ADMIN,		/* root or group softlb-admin: everything */
};

/* Shell modes. A command lists the nodes it is available in as a mask. */
enum cmd_node {
	CMD_NODE_VIEW = 0,	/* "softlb@HOST> " */
	CMD_NODE_CONFIG,	/* "softlb@HOST(config)# " */
	CMD_NODE_VS,		/* "(config-vs)#": one virtual server */
	CMD_NODE_PROXY,		/* "(config-proxy)#": one proxy */
	CMD_NODE_VRRP,		/* "(config-vrrp)#": one VRRP instance */
	CMD_NODE_VSG,		/* "(config-vsg)#": one virtual server group */
	CMD_NODE_COUNT
};

#define CMD_IN(node) (1u << (node))
#define CMD_IN_VIEW CMD_IN(CMD_NODE_VIEW)
#define CMD_IN_CONFIG CMD_IN(CMD_NODE_CONFIG)
/* Configuration mode and every sub-mode under it. */
#define CMD_IN_CONFIG_ANY (CMD_IN(CMD_NODE_CONFIG) | CMD_IN(CMD_NODE_VS) | \
			   CMD_IN(CMD_NODE_PROXY) | CMD_IN(CMD_NODE_VRRP) | \
			   CMD_IN(CMD_NODE_VSG))
#define CMD_IN_ALL ((1u << CMD_NODE_COUNT) - 1u)

/* What a handler gets: who asked, where to write, and how. */
struct cmd_ctx {
	struct softlbd *d;		/* the daemon (NULL in unit tests) */
	struct ctl_session *sess;	/* the client session (NULL in unit tests) */
	struct strbuf *out;		/* reply body: text, or JSON when json */
	bool json;			/* answer in JSON (request flag or "json" token) */
	enum cmd_node node;		/* node the command runs in; a handler may
					 * change it (configure, exit, end) */
	enum ctl_role role;		/* the caller's role */
	/* An in-process reader (the metrics endpoint) sets this: the JSON
	 * answer of cmd_put_json() is handed over here, unprinted, instead
	 * of being written to out and parsed back (most of the cost of a
	 * scrape of 10,000 servers). The reader owns it. */
	struct json_object **json_out;
};

/* Runs a matched command. Returns an enum ctl_status value; on an error the
 * handler writes the reason to ctx->out, starting with "% ". */
typedef int (*cmd_handler_fn)(struct cmd_ctx *ctx, const struct cmd_args *args);

/* Appends to out the live values a variable token may take (names of VRRP
 * instances, proxies ...), for completion. var is the token's name. */
typedef void (*cmd_values_fn)(struct cmd_ctx *ctx, const char *var,
			      struct strvec *out);

/* Flags of a command. */
#define CMD_F_READONLY 0x1u	/* changes nothing: not audited even though
				 * its role is operator or admin */

struct cmd_def {
	const char *syntax;
	const char *help;
	unsigned nodes;		/* CMD_IN_* mask */
	enum ctl_role role;	/* lowest role allowed to run it; every command
				 * at operator or above is written to the audit
				 * trail unless CMD_F_READONLY */
	cmd_handler_fn handler;
	cmd_values_fn values;	/* may be NULL */
	unsigned flags;		/* CMD_F_* */
};

#endif
