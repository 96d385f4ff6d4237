#include "config.h"

/* The haproxy-dialect setter of the rule keywords (acl, use_backend,
 * use-server, http-request, http-response, tcp-request, redirect): the
 * line is kept as written (rules.h) once the whole rule program of the
 * proxy still parses with it, so an error names this line. */

#include "config/hap_parse.h"
#include "config/rules.h"
#include "util/strbuf.h"

#include <string.h>

bool hap_set_rule(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_proxy *px = p->px;
	struct cfg_loc loc = { l->file, l->line };
	struct rule_prog prog = { 0 };
	struct strbuf err = STRBUF_INIT;
	size_t bad = 0;
	bool ok;

	/* HAProxy 2.6: acl, http-request, http-response and tcp-request in
	 * a named defaults section only; the proxies that inherit it copy
	 * them (open_section) and run them before their own. Routing rules
	 * are a proxy's alone. */
	if (px->kind == CFG_PROXY_DEFAULTS) {
		const char *kw = l->argv[0];

		if (strcmp(kw, "use_backend") == 0 || strcmp(kw, "use-server") == 0 ||
		    strcmp(kw, "redirect") == 0) {
			hap_error(p, l, "'%s' not allowed in 'defaults' section", kw);
			return false;
		}
		if (!px->name || !px->name[0]) {
			hap_error(p, l, "'%s' not allowed in anonymous 'defaults' section (name "
				  "it, 'defaults NAME', and inherit it with 'from NAME')", kw);
			return false;
		}
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

/* userlist NAME: its lines go to cfg->hap.userlists, each prefixed with
 * "userlist NAME" so that a line says which list it belongs to. */
void hap_open_userlist(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_rules *u = p->cfg->hap.userlists;
	struct cfg_loc loc = { l->file, l->line };

	if (l->argc != 2) {
		hap_error(p, l, "'userlist' expects a name");
		p->sect = HAP_OTHER;	/* its lines are skipped: reported once */
		return;
	}
	for (size_t i = 0; u && i < u->n; i++)
		if (u->v[i].argv.len == 2 && strcmp(u->v[i].argv.items[1], l->argv[1]) == 0) {
			hap_error(p, l, "duplicate userlist '%s' (first at line %d)", l->argv[1],
				  u->v[i].loc.line);
			p->sect = HAP_OTHER;
			return;
		}
	cfg_rules_add(&p->cfg->hap.userlists, l->argv, 2, &loc);
}

/* user NAME password HASH | insecure-password PASSWORD [groups G,...];
 * group NAME [users U,...] (http_auth_group reads the groups, px_acl.c). */
bool hap_set_user(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_rules *u = p->cfg->hap.userlists;
	struct cfg_loc loc = { l->file, l->line };
	struct strvec w = STRVEC_INIT;
	const char *list;
	size_t i;

	if (!u || !u->n) {
		hap_error(p, l, "'%s' outside a userlist section", l->argv[0]);
		return false;
	}
	if (strcmp(l->argv[0], "user") == 0) {
		bool pw = false;

		for (i = 2; i < l->argc; i += 2) {
			if (i + 1 >= l->argc ||
			    (strcmp(l->argv[i], "password") != 0 &&
			     strcmp(l->argv[i], "insecure-password") != 0 &&
			     strcmp(l->argv[i], "groups") != 0))
				return hap_expects(p, l, "user", i, "password HASH, insecure-password "
						   "PASSWORD or groups G[,G...]");
			pw |= strcmp(l->argv[i], "groups") != 0;
		}
		if (!pw)
			return hap_expects(p, l, "user", 2, "password HASH or insecure-password "
					   "PASSWORD");
		for (i = 0; i < u->n; i++)
			if (u->v[i].argv.len > 3 &&
			    strcmp(u->v[i].argv.items[1], u->v[u->n - 1].argv.items[1]) == 0 &&
			    strcmp(u->v[i].argv.items[2], "user") == 0 &&
			    strcmp(u->v[i].argv.items[3], l->argv[1]) == 0) {
				hap_error(p, l, "duplicate user '%s' in the userlist", l->argv[1]);
				return false;
			}
	}
	list = u->v[u->n - 1].argv.items[1];
	strvec_push(&w, "userlist");
	strvec_push(&w, list);
	for (i = 0; i < l->argc; i++)
		strvec_push(&w, l->argv[i]);
	cfg_rules_add(&p->cfg->hap.userlists, w.items, w.len, &loc);
	strvec_free(&w);
	return true;
}
