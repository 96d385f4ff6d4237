#include "config.h"

/* The haproxy-dialect setter of the rule keywords (acl, use_backend,
 * use-server, http-request, http-response, tcp-request, redirect): the
 * line is kept as written (rules.h) once the whole rule program of the
 * proxy still parses with it, so an error names this line. */

#include "config/hap_parse.h"
#include "config/rules.h"
#include "util/strbuf.h"

bool hap_set_rule(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_proxy *px = p->px;
	struct cfg_loc loc = { l->file, l->line };
	struct rule_prog prog = { 0 };
	struct strbuf err = STRBUF_INIT;
	size_t bad = 0;
	bool ok;

	/* HAProxy 2.6 takes rules in a defaults section only for proxies
	 * that name it with 'from'; softlb does not inherit rules. */
	if (px->kind == CFG_PROXY_DEFAULTS) {
		hap_error(p, l, "'%s' is not allowed in a defaults section (put it in the "
			  "listen, frontend or backend)", l->argv[0]);
		return false;
	}
	cfg_rules_add(&px->rules, l->argv, l->argc, &loc);
	ok = rule_prog_parse(px->rules, &prog, &bad, &err);
	if (!ok) {
		hap_error(p, l, "%s", strbuf_str(&err));
		cfg_rules_pop(px->rules);
	}
	rule_prog_free(&prog);
	strbuf_free(&err);
	return ok;
}
