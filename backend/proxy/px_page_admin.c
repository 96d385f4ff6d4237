/* The stats page's admin actions (`stats admin if COND`), run in the
 * control plane: a worker decoded the POST and checked the condition;
 * here the backend, the action and each server are checked against the
 * running snapshot, and each change goes through runtime_set(), the one
 * path the shell and the runtime socket take, so it is audited, kept
 * across reloads and journalled with who did it (the stats page, the
 * client's address, the auth user).
 *
 * HAProxy 2.6's answer codes (its Location: URI;st=CODE):
 *   DONE  every server named was acted on
 *   PART  some were, some names are unknown
 *   ERRP  none: unknown backend or action, or no server known
 *   NONE  nothing to do (no backend, action or server in the form)
 * The actions softlb can do honestly are ready, drain and maint (an
 * operator override). HAProxy's health, agent and shutdown actions
 * would need the checks to take orders from the page: refused (ERRP),
 * with a log line that says so; the form shows them disabled. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "core/runtime.h"
#include "proxy/proxy_int.h"
#include "proxy/px_svc.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The backend b names: "#ID" (the form's hidden field) or a name. */
static const struct px_proxy *find_backend(const struct px_snapshot *snap, const char *b)
{
	for (size_t i = 0; snap && i < snap->n_proxies; i++) {
		const struct px_proxy *p = &snap->proxies[i];

		if (p->kind == CFG_PROXY_FRONTEND)
			continue;
		if (b[0] == '#') {
			char *end;
			long id = strtol(b + 1, &end, 10);

			if (b[1] && !*end && id == p->iid)
				return p;
		} else if (strcmp(p->name, b) == 0) {
			return p;
		}
	}
	return NULL;
}

static bool action_of(const char *a, enum runtime_action *act)
{
	if (strcmp(a, "ready") == 0)
		*act = RUNTIME_ACT_ENABLE;
	else if (strcmp(a, "drain") == 0)
		*act = RUNTIME_ACT_DRAIN;
	else if (strcmp(a, "maint") == 0)
		*act = RUNTIME_ACT_DISABLE;
	else
		return false;
	return true;
}

void px_page_admin_apply(struct px_engine *e, struct px_svc_msg *m)
{
	const struct px_proxy *be;
	enum runtime_action act;
	struct event_actor by;
	size_t done = 0, failed = 0;

	if (!m->backend || !m->action || !m->servers.len) {
		m->st = "NONE";
		return;
	}
	be = find_backend(e->snap, m->backend);
	if (!be) {
		log_notice("stats page: %s: no backend '%s'", m->who, m->backend);
		m->st = "ERRP";
		return;
	}
	if (!action_of(m->action, &act)) {
		log_notice("stats page: %s: action '%s' refused (softlb's page does ready, drain "
			   "and maint)", m->who, m->action);
		m->st = "ERRP";
		return;
	}
	memset(&by, 0, sizeof(by));
	snprintf(by.user, sizeof(by.user), "%.63s", m->who);
	by.role = "admin";
	for (size_t i = 0; i < m->servers.len; i++) {
		const char *name = m->servers.items[i];
		const struct px_server *srv = NULL;
		struct runtime_key key;
		struct strbuf obj = STRBUF_INIT, said = STRBUF_INIT, warn = STRBUF_INIT;
		char *pn, *sn;

		for (size_t j = 0; j < be->n_srv && !srv; j++)
			if (strcmp(be->srv[j].name, name) == 0)
				srv = &be->srv[j];
		if (!srv) {
			failed++;
			continue;
		}
		/* The key's names are copies: the rebuild runtime_set()
		 * triggers may free the snapshot they come from. */
		pn = xstrdup(be->name);
		sn = xstrdup(srv->name);
		runtime_key_server(&key, pn, sn);
		strbuf_printf(&obj, "server %s/%s", pn, sn);
		if (runtime_set(e->d, &key, strbuf_str(&obj), act, -1, m->who, &by, &said, &warn) < 0)
			log_warn("stats page: %s: %s", m->who, strbuf_str(&warn));
		done++;
		free(pn);
		free(sn);
		strbuf_free(&obj);
		strbuf_free(&said);
		strbuf_free(&warn);
		/* The snapshot may be a new one now: find the backend again. */
		be = find_backend(e->snap, m->backend);
		if (!be) {
			failed += m->servers.len - i - 1;
			break;
		}
	}
	m->st = !done ? "ERRP" : failed ? "PART" : "DONE";
}
