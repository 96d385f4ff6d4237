/* proxy: the proxy engine as a softlbd module.
 *
 * init starts the worker threads (global nbthread, default 1; fixed for
 * the daemon's life), builds the first snapshot and posts it. From then
 * on every change -- a configuration apply, an operator override, a
 * health check transition -- builds a new snapshot and posts it to every
 * worker: configuration reaches workers as messages, never as shared
 * mutable state.
 */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_cli.h"
#include "proxy/px_svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "config/changeset.h"
#include "config/model-t.h"
#include "core/daemon.h"
#include "core/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct px_engine *px_engine_of(struct softlbd *d)
{
	return d ? d->engines.proxy : NULL;
}

/* Makes s (the caller's reference) the running snapshot and posts it. */
static void publish(struct px_engine *e, struct px_snapshot *s)
{
	struct px_snapshot *old = e->snap;

	e->snap = s;
	for (size_t i = 0; i < e->n_workers; i++) {
		px_snapshot_ref(s);
		px_worker_post(&e->workers[i], s);
	}
	px_snapshot_unref(old);
}

static int rebuild(struct px_engine *e, const struct config *cfg, struct strbuf *err)
{
	struct px_snapshot *s = px_snapshot_build(e, cfg, err);

	if (!s)
		return -1;
	publish(e, s);
	return 0;
}

/* HAProxy's alerts for a server's health check changing its state, to
 * the proxy's log targets: DOWN at alert, UP at notice, and an emergency
 * when the backend has no usable server left. */
static void log_server_change(struct px_engine *e, const struct check_change *c)
{
	const struct px_proxy *p = NULL;
	const struct px_server *srv = NULL;
	struct check_member_info info;
	struct check_engine *ce = check_engine_of(e->d);
	struct strbuf b = STRBUF_INIT;
	int act = 0, bck = 0;
	uint64_t cur = 0;

	for (size_t i = 0; e->snap && i < e->snap->n_proxies && !p; i++)
		if (strcmp(e->snap->proxies[i].name, c->group) == 0 &&
		    e->snap->proxies[i].kind != CFG_PROXY_FRONTEND)
			p = &e->snap->proxies[i];
	if (!p || !p->log)
		return;
	for (size_t i = 0; i < p->n_srv; i++) {
		if (strcmp(p->srv[i].name, c->member) == 0)
			srv = &p->srv[i];
		if (p->srv[i].state == PX_SRV_UP && p->srv[i].weight > 0) {
			if (p->srv[i].backup)
				bck++;
			else
				act++;
		}
	}
	if (!srv)
		return;
	for (size_t w = 0; w < srv->st->n_slots; w++)
		cur += px_ld(&srv->st->slots[w].cur);
	if (!ce || check_member_info(ce, c->group, c->member, &info) < 0)
		info.latency_ms = 0;
	strbuf_printf(&b, "Server %s/%s is %s, reason: %s, check duration: %ums. ", p->name,
		      srv->name, c->to == CHECK_UP ? "UP" : "DOWN", c->reason ? c->reason : "",
		      info.latency_ms);
	if (c->to == CHECK_UP)
		strbuf_printf(&b, "%d active and %d backup servers online. 0 sessions requeued, "
			      "0 total in queue.", act, bck);
	else
		strbuf_printf(&b, "%d active and %d backup servers left. %llu sessions active, 0 "
			      "requeued, 0 remaining in queue.", act, bck, (unsigned long long)cur);
	px_log_send(&e->log, p->log, c->to == CHECK_UP ? PX_LOG_NOTICE : PX_LOG_ALERT, b.data,
		    b.len);
	if (c->to != CHECK_UP && act + bck == 0) {
		strbuf_reset(&b);
		strbuf_printf(&b, "proxy %s has no server available!", p->name);
		px_log_send(&e->log, p->log, PX_LOG_EMERG, b.data, b.len);
	}
	strbuf_free(&b);
}

static void on_check(const struct check_change *c, void *arg)
{
	struct px_engine *e = arg;
	struct strbuf err = STRBUF_INIT;

	if (c->origin != CHECK_FROM_HAPROXY || c->from == c->to)
		return;
	log_notice("proxy %s: server %s is %s (%s)", c->group, c->member,
		   c->to == CHECK_UP ? "UP" : "DOWN", c->reason ? c->reason : "");
	if (rebuild(e, e->d->config, &err) < 0)
		log_warn("proxy: %s", strbuf_str(&err));
	else
		log_server_change(e, c);
	strbuf_free(&err);
}

static size_t workers_wanted(const struct config *cfg)
{
	int n = cfg ? cfg->hap.nbthread : 0;

	if (n <= 0)
		return 1;
	return n > PX_MAX_WORKERS ? PX_MAX_WORKERS : (size_t)n;
}

static void px_stop(struct softlbd *d, void *priv);

static int px_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct px_engine *e = xcalloc(1, sizeof(*e));
	struct check_engine *ce;

	*priv = e;
	d->engines.proxy = e;
	e->d = d;
	px_logger_init(&e->log);
	e->n_workers = workers_wanted(d->config);
	e->workers = xcalloc(e->n_workers, sizeof(*e->workers));
	for (size_t i = 0; i < e->n_workers; i++)
		e->workers[i].efd = -1;
	tbl_cache_init(&e->table);
	if (px_cmds_register(d, err) < 0 || px_table_register(d, err) < 0)
		goto fail;
	if (px_svc_init(e, err) < 0)
		goto fail;
	for (size_t i = 0; i < e->n_workers; i++)
		if (px_worker_start(e, i, err) < 0)
			goto fail;
	if (rebuild(e, d->config, err) < 0)
		goto fail;
	if (px_cli_configure(d, &e->cli, d->config, err) < 0)
		goto fail;
	ce = check_engine_of(d);
	if (ce && check_subscribe(ce, on_check, e) == 0)
		e->subscribed = true;
	e->st.state = MODULE_RUNNING;
	log_notice("proxy: %zu worker thread%s, %zu proxies, %zu listeners", e->n_workers,
		   e->n_workers == 1 ? "" : "s", e->snap->n_proxies, e->snap->n_binds);
	return 0;
fail:
	/* main() stops only the modules that started. */
	px_stop(d, e);
	*priv = NULL;
	return -1;
}

/* A reload or an edit: only listeners whose address changed are opened or
 * closed; sessions in progress continue on the snapshot they started
 * with. A listener that cannot be opened refuses the change. */
static int px_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
		    struct strbuf *err)
{
	struct px_engine *e = priv;
	const struct config *new_cfg = cs->new_cfg;

	if (!config_changeset_touches(cs, CONFIG_KINDS_PROXY))
		return 0;
	if (workers_wanted(new_cfg) != e->n_workers)
		log_notice("proxy: nbthread changes at the next start (%zu worker threads now)",
			   e->n_workers);
	/* A runtime socket that cannot be opened refuses the change. */
	if (px_cli_configure(d, &e->cli, new_cfg, err) < 0)
		return -1;
	if (rebuild(e, new_cfg, err) < 0) {
		struct strbuf again = STRBUF_INIT;

		if (px_cli_configure(d, &e->cli, cs->old_cfg, &again) < 0)
			log_warn("proxy: %s", strbuf_str(&again));
		strbuf_free(&again);
		return -1;
	}
	return 0;
}

static int px_runtime_changed(struct softlbd *d, void *priv, struct strbuf *err)
{
	return rebuild(priv, d->config, err);
}

static void px_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct px_engine *e = priv;
	size_t srv = 0;
	uint64_t cur = 0;

	(void)d;
	if (!e->snap || !e->snap->n_proxies) {
		st->state = MODULE_NOT_CONFIGURED;
		snprintf(st->reason, sizeof(st->reason), "%zu worker thread%s", e->n_workers,
			 e->n_workers == 1 ? "" : "s");
		return;
	}
	for (size_t i = 0; i < e->snap->n_proxies; i++)
		srv += e->snap->proxies[i].n_srv;
	for (size_t i = 0; i < e->snap->n_proxies; i++)
		if (e->snap->proxies[i].kind != CFG_PROXY_BACKEND)
			for (size_t w = 0; w < e->n_workers; w++)
				cur += px_ld(&e->snap->proxies[i].st->slots[w].cur);
	st->state = MODULE_RUNNING;
	{
		/* Log lines sent and dropped (a full socket: never waited for). */
		uint64_t sent = atomic_load_explicit(&e->log.sent, memory_order_relaxed);
		uint64_t dropped = atomic_load_explicit(&e->log.dropped, memory_order_relaxed);

		for (size_t w = 0; w < e->n_workers; w++) {
			sent += atomic_load_explicit(&e->workers[w].log.sent, memory_order_relaxed);
			dropped += atomic_load_explicit(&e->workers[w].log.dropped,
							memory_order_relaxed);
		}
		snprintf(st->reason, sizeof(st->reason),
			 "%zu proxies, %zu servers, %zu listeners, %llu sessions, %zu worker "
			 "thread%s; log lines %llu sent, %llu dropped",
			 e->snap->n_proxies, srv, e->snap->n_binds, (unsigned long long)cur,
			 e->n_workers, e->n_workers == 1 ? "" : "s", (unsigned long long)sent,
			 (unsigned long long)dropped);
	}
}

static void px_dump(struct softlbd *d, void *priv, struct strbuf *out)
{
	struct px_engine *e = priv;

	(void)d;
	strbuf_printf(out, "proxy: snapshot %llu, %zu workers\n",
		      (unsigned long long)(e->snap ? e->snap->gen : 0), e->n_workers);
	for (size_t i = 0; i < e->n_workers; i++)
		strbuf_printf(out, "  worker %zu on snapshot %llu\n", i,
			      (unsigned long long)atomic_load(&e->workers[i].gen));
}

static void px_stop(struct softlbd *d, void *priv)
{
	struct px_engine *e = priv;
	struct check_engine *ce = check_engine_of(d);

	if (!e)
		return;
	if (e->subscribed && ce)
		check_unsubscribe(ce, on_check, e);
	px_cli_free(e->cli);
	for (size_t i = 0; i < e->n_workers; i++)
		px_worker_stop(&e->workers[i]);
	/* Workers are gone: what is still queued either way is freed. */
	px_svc_fini(e);
	px_snapshot_unref(e->snap);
	px_pat_reg_free(&e->pats);
	for (size_t i = 0; i < e->n_stats; i++)
		px_stats_unref(e->stats[i]);
	free(e->stats);
	for (size_t i = 0; i < e->n_workers; i++)
		free(e->workers[i].scratch);
	free(e->workers);
	px_logger_close(&e->log);
	tbl_cache_free(&e->table);
	px_table_memo_free(e->memo);
	e->memo = NULL;
	free(e);
	d->engines.proxy = NULL;
}

const struct module_ops proxy_module = {
	.name = "proxy",
	.description = "TCP/HTTP proxy (HAProxy's listen, frontend, backend)",
	.init = px_init,
	.apply = px_apply,
	.runtime_changed = px_runtime_changed,
	.verify = px_verify,
	.status = px_status,
	.dump = px_dump,
	.stop = px_stop,
};
