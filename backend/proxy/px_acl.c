/* Compiling a proxy's rules into its snapshot, and evaluating ACL
 * conditions (px_acl.h). */
#include "config.h"

#include "proxy/px_acl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/rules.h"
#include "proxy/px_acl_pat.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define PX_RETURN_FILE_MAX (PX_BUF_SIZE - 1024)	/* a 'return file' body fits a buffer */

static struct px_proxy *backend_named(struct px_proxy *proxies, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (proxies[i].kind != CFG_PROXY_FRONTEND && strcmp(proxies[i].name, name) == 0)
			return &proxies[i];
	return NULL;
}

static struct px_user *user_named(struct px_userlist *l, const char *name, size_t len)
{
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->u[i].name) == len && strncmp(l->u[i].name, name, len) == 0)
			return &l->u[i];
	return NULL;
}

static void user_add_group(struct px_user *u, const char *g, size_t len)
{
	for (size_t i = 0; i < u->n_groups; i++)
		if (strlen(u->groups[i]) == len && strncmp(u->groups[i], g, len) == 0)
			return;
	u->groups = xreallocarray(u->groups, u->n_groups + 1, sizeof(*u->groups));
	u->groups[u->n_groups++] = xstrndup(g, len);
}

/* Calls fn(a, item, length) for each item of the comma list s. */
static void each_item(const char *s, void (*fn)(void *a, const char *item, size_t len), void *a)
{
	while (*s) {
		size_t n = strcspn(s, ",");

		if (n)
			fn(a, s, n);
		s += n;
		if (*s == ',')
			s++;
	}
}

static void add_group_item(void *u, const char *g, size_t len)
{
	user_add_group(u, g, len);
}

struct group_users {
	struct px_userlist *l;
	const char *group;
};

static void add_user_item(void *a, const char *name, size_t len)
{
	struct group_users *gu = a;
	struct px_user *u = user_named(gu->l, name, len);

	/* A name that is no user of the list: HAProxy refuses it at load;
	 * here it simply grants nothing. */
	if (u)
		user_add_group(u, gu->group, strlen(gu->group));
}

/* The users of userlist name (lines "userlist L user U password|insecure-
 * password P [groups G,...]" and "userlist L group G [users U,...]"), or
 * NULL when there is no such list. */
static struct px_userlist *userlist_build(const struct cfg_rules *ul, const char *name)
{
	struct px_userlist *l = NULL;

	for (size_t i = 0; ul && i < ul->n; i++) {
		const struct strvec *w = &ul->v[i].argv;

		if (strcmp(w->items[1], name) != 0)
			continue;
		if (!l)
			l = xcalloc(1, sizeof(*l));
		if (w->len < 4 || strcmp(w->items[2], "user") != 0)
			continue;
		l->u = xreallocarray(l->u, l->n + 1, sizeof(*l->u));
		memset(&l->u[l->n], 0, sizeof(l->u[l->n]));
		l->u[l->n].name = xstrdup(w->items[3]);
		for (size_t k = 4; k + 1 < w->len; k += 2)
			if (strcmp(w->items[k], "password") == 0 ||
			    strcmp(w->items[k], "insecure-password") == 0) {
				free(l->u[l->n].pass);
				l->u[l->n].pass = xstrdup(w->items[k + 1]);
				l->u[l->n].plain = w->items[k][0] == 'i';
			} else if (strcmp(w->items[k], "groups") == 0) {
				each_item(w->items[k + 1], add_group_item, &l->u[l->n]);
			}
		l->n++;
	}
	/* group G users U,...: once every user is known. */
	for (size_t i = 0; l && ul && i < ul->n; i++) {
		const struct strvec *w = &ul->v[i].argv;
		struct group_users gu = { l, NULL };

		if (strcmp(w->items[1], name) != 0 || w->len < 4 ||
		    strcmp(w->items[2], "group") != 0)
			continue;
		gu.group = w->items[3];
		for (size_t k = 4; k + 1 < w->len; k += 2)
			if (strcmp(w->items[k], "users") == 0)
				each_item(w->items[k + 1], add_user_item, &gu);
	}
	return l;
}

static void userlist_free(struct px_userlist *l)
{
	for (size_t i = 0; l && i < l->n; i++) {
		free(l->u[i].name);
		free(l->u[i].pass);
		for (size_t k = 0; k < l->u[i].n_groups; k++)
			free(l->u[i].groups[k]);
		free(l->u[i].groups);
	}
	if (l)
		free(l->u);
	free(l);
}

static void where(struct strbuf *err, const struct cfg_loc *loc)
{
	strbuf_printf(err, "%s:%d: ", loc->file ? loc->file : "?", loc->line);
}

static bool read_body(const char *file, struct px_rule_x *x, struct strbuf *err)
{
	FILE *f = fopen(file, "re");
	size_t n;

	if (!f) {
		strbuf_printf(err, "'return ... file %s': %s", file, strerror(errno));
		return false;
	}
	x->body = xmalloc(PX_RETURN_FILE_MAX + 1);
	n = fread(x->body, 1, PX_RETURN_FILE_MAX + 1, f);
	fclose(f);
	if (n > PX_RETURN_FILE_MAX) {
		strbuf_printf(err, "'return ... file %s': larger than %d bytes", file,
			      PX_RETURN_FILE_MAX);
		return false;
	}
	x->body_len = n;
	return true;
}

/* The -f signature of the line e came from (config/rules.c took it). */
static const char *files_sig(const struct cfg_rules *rules, const struct rule_expr *e)
{
	for (size_t i = 0; i < rules->n; i++)
		if (rules->v[i].loc.line == e->loc.line && rules->v[i].loc.file == e->loc.file)
			return rules->v[i].files;
	return NULL;
}

struct px_rules *px_rules_build(const struct cfg_proxy *cp, struct px_proxy *p,
				struct px_proxy *proxies, size_t n, const struct cfg_rules *userlists,
				struct px_pat_reg *pats, const struct px_pat_reg *old_pats,
				bool *failed, struct strbuf *err)
{
	struct px_rules *r;
	struct strbuf why = STRBUF_INIT;
	size_t bad = 0;

	*failed = false;
	if (!cp->rules || !cp->rules->n)
		return NULL;
	r = xcalloc(1, sizeof(*r));
	if (!rule_prog_parse(cp->rules, &r->prog, &bad, &why)) {
		/* The model was parsed at load: only a model built some
		 * other way gets here. */
		where(err, &cp->rules->v[bad].loc);
		strbuf_puts(err, strbuf_str(&why));
		goto fail;
	}
	r->pat = xcalloc(r->prog.n_exprs + 1, sizeof(*r->pat));
	r->nbsrv = xcalloc(r->prog.n_exprs + 1, sizeof(*r->nbsrv));
	r->users = xcalloc(r->prog.n_exprs + 1, sizeof(*r->users));
	for (size_t i = 0; i < r->prog.n_exprs; i++) {
		const struct rule_expr *e = r->prog.exprs[i];

		r->pat[i] = px_pat_get(pats, old_pats, e, files_sig(cp->rules, e), &why);
		if (!r->pat[i]) {
			where(err, &e->loc);
			strbuf_puts(err, strbuf_str(&why));
			goto fail;
		}
		if (e->fetch == RF_HTTP_AUTH || e->fetch == RF_HTTP_AUTH_GROUP) {
			r->users[i] = userlist_build(userlists, e->arg);
			if (!r->users[i]) {
				where(err, &e->loc);
				strbuf_printf(err, "%s(%s): no userlist named '%s'",
					      e->fetch == RF_HTTP_AUTH ? "http_auth" : "http_auth_group",
					      e->arg, e->arg);
				goto fail;
			}
		}
		if (e->fetch == RF_NBSRV && e->arg) {
			r->nbsrv[i] = backend_named(proxies, n, e->arg);
			if (!r->nbsrv[i]) {
				where(err, &e->loc);
				strbuf_printf(err, "nbsrv(%s): no backend named '%s'", e->arg,
					      e->arg);
				goto fail;
			}
		}
	}
	r->x = xcalloc(r->prog.n_rules + 1, sizeof(*r->x));
	for (size_t i = 0; i < r->prog.n_rules; i++) {
		const struct rule *ru = &r->prog.rules[i];
		struct px_rule_x *x = &r->x[i];

		r->has[ru->set] = true;
		switch (ru->act) {
		case RA_USE_BACKEND:
			x->be = backend_named(proxies, n, ru->str);
			if (!x->be) {
				where(err, &ru->loc);
				strbuf_printf(err, "use_backend: no backend named '%s'", ru->str);
				goto fail;
			}
			if (x->be->mode != p->mode) {
				where(err, &ru->loc);
				strbuf_printf(err, "use_backend %s: backend in mode %s, proxy %s in "
					      "mode %s", ru->str,
					      x->be->mode == CFG_MODE_HTTP ? "http" : "tcp", p->name,
					      p->mode == CFG_MODE_HTTP ? "http" : "tcp");
				goto fail;
			}
			break;
		case RA_USE_SERVER:
			for (size_t k = 0; k < p->n_srv && !x->srv; k++)
				if (strcmp(p->srv[k].name, ru->str) == 0)
					x->srv = &p->srv[k];
			if (!x->srv) {
				where(err, &ru->loc);
				strbuf_printf(err, "use-server: no server named '%s' in %s", ru->str,
					      p->name);
				goto fail;
			}
			break;
		case RA_REPLACE_HDR:
			x->re = px_regex_build(ru->str, false, &why);
			if (!x->re) {
				where(err, &ru->loc);
				strbuf_puts(err, strbuf_str(&why));
				goto fail;
			}
			break;
		case RA_RETURN:
			if (ru->body_file) {
				if (!read_body(ru->body, x, &why)) {
					where(err, &ru->loc);
					strbuf_puts(err, strbuf_str(&why));
					goto fail;
				}
			} else if (ru->body) {
				x->body = xstrdup(ru->body);
				x->body_len = strlen(ru->body);
			}
			break;
		default:
			break;
		}
	}
	if (r->has[RS_TCP_CONN] && p->kind == CFG_PROXY_BACKEND) {
		for (size_t i = 0; i < r->prog.n_rules; i++)
			if (r->prog.rules[i].set == RS_TCP_CONN) {
				where(err, &r->prog.rules[i].loc);
				break;
			}
		strbuf_printf(err, "'tcp-request connection' is for a frontend or listen section "
			      "(backend %s has no connections of its own)", p->name);
		goto fail;
	}
	if ((r->has[RS_HTTP_REQ] || r->has[RS_HTTP_RSP] || r->has[RS_REDIRECT]) &&
	    p->mode != CFG_MODE_HTTP) {
		where(err, &r->prog.rules[0].loc);
		strbuf_printf(err, "proxy %s is in mode tcp: http-request, http-response and "
			      "redirect rules need mode http", p->name);
		goto fail;
	}
	strbuf_free(&why);
	return r;
fail:
	strbuf_free(&why);
	px_rules_free(r);
	*failed = true;
	return NULL;
}

void px_rules_free(struct px_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->pat && i < r->prog.n_exprs; i++)
		px_pat_unref(r->pat[i]);
	free(r->pat);
	free(r->nbsrv);
	for (size_t i = 0; r->users && i < r->prog.n_exprs; i++)
		userlist_free(r->users[i]);
	free(r->users);
	for (size_t i = 0; r->x && i < r->prog.n_rules; i++) {
		px_regex_free(r->x[i].re);
		free(r->x[i].body);
	}
	free(r->x);
	rule_prog_free(&r->prog);
	free(r);
}

/* A named ACL holds when any of its lines does (HAProxy's rule). */
static bool acl_true(const struct px_rules *r, int acl, const struct px_rctx *x)
{
	const struct rule_acl *a = &r->prog.acls[acl];

	for (size_t i = 0; i < a->n; i++)
		if (px_acl_expr(r, a->e[i], x))
			return true;
	return false;
}

bool px_cond(const struct px_rules *r, const struct rule_cond *c, const struct px_rctx *x)
{
	bool any = false, group = true;

	if (!c->present)
		return true;
	/* Terms AND together until "||", which closes a group; the
	 * condition holds when one group does. Evaluation stops early. */
	for (size_t i = 0; i < c->n; i++) {
		const struct rule_term *t = &c->t[i];
		bool v;

		if (t->kind == RT_OR) {
			if (group) {
				any = true;
				break;
			}
			group = true;
			continue;
		}
		if (!group)
			continue;	/* this group already failed */
		v = t->kind == RT_ACL ? acl_true(r, t->acl, x) : px_acl_expr(r, t->expr, x);
		if (t->neg)
			v = !v;
		group = v;
	}
	if (group)
		any = true;
	return c->unless ? !any : any;
}
