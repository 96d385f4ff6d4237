/* show proxy [NAME] [json]: HAProxy's `show stat` in spirit. One line per
 * proxy and per server; counters summed over the workers on read. */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_show.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "config/model.h"
#include "core/daemon.h"
#include "ctl/cmd_out.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "util/strbuf.h"
#include "util/strvec.h"

const char *px_srv_state_name(enum px_srv_state s)
{
	switch (s) {
	case PX_SRV_UP: return "UP";
	case PX_SRV_DRAIN: return "DRAIN";
	case PX_SRV_DOWN: return "DOWN";
	case PX_SRV_MAINT: return "MAINT";
	}
	return "?";
}



/* The check of a server, if it has one, and its status as an operator
 * sees it (px_show.h). */
static const char *server_status(struct check_engine *ce, const struct px_proxy *p,
				 const struct px_server *s, struct check_member_info *ci,
				 bool *has_ci)
{
	*has_ci = ce && check_member_info(ce, p->name, s->name, ci) == 0;
	return px_show_srv_status(s, *has_ci ? ci : NULL);
}

static void info_sums(struct proxy_obj_info *o, const struct px_sums *m)
{
	o->cur = m->cur;
	o->max = m->max;
	o->total = m->total;
	o->bytes_in = m->bin;
	o->bytes_out = m->bout;
	o->econ = m->econ;
	o->eresp = m->eresp;
	o->denied = m->denied;
	o->retries = m->retries;
	o->redispatches = m->redisp;
	o->http_502 = m->http[0];
	o->http_503 = m->http[1];
	o->http_504 = m->http[2];
	o->qcur = m->qcur;
	o->qmax = m->qmax;
}

int proxy_visit(struct softlbd *d, proxy_visit_fn fn, void *arg)
{
	struct px_engine *e = d ? px_engine_of(d) : NULL;

	if (!e || !e->snap || !e->n_workers)
		return -1;
	for (size_t i = 0; i < e->snap->n_proxies; i++) {
		const struct px_proxy *p = &e->snap->proxies[i];
		struct proxy_obj_info o;
		struct px_sums m;

		memset(&o, 0, sizeof(o));
		o.proxy = p->name;
		o.kind = cfg_proxy_kind_name(p->kind);
		o.mode = cfg_mode_name(p->mode);
		o.status = px_show_proxy_status(p);
		px_stats_sum(p->st, &m);
		info_sums(&o, &m);
		fn(&o, arg);
		for (size_t k = 0; k < p->n_srv; k++) {
			const struct px_server *s = &p->srv[k];

			memset(&o, 0, sizeof(o));
			o.proxy = p->name;
			o.server = s->name;
			o.kind = cfg_proxy_kind_name(p->kind);
			o.mode = cfg_mode_name(p->mode);
			o.status = px_srv_state_name(s->state);
			o.addr = &s->addr;
			o.weight = s->weight;
			o.backup = s->backup;
			px_stats_sum(s->st, &m);
			info_sums(&o, &m);
			fn(&o, arg);
		}
	}
	return 0;
}

static struct json_object *sums_json(struct json_object *o, const struct px_sums *m)
{
	json_object_object_add(o, "cur", json_object_new_int64((int64_t)m->cur));
	json_object_object_add(o, "max", json_object_new_int64((int64_t)m->max));
	json_object_object_add(o, "total", json_object_new_int64((int64_t)m->total));
	json_object_object_add(o, "bytes_in", json_object_new_int64((int64_t)m->bin));
	json_object_object_add(o, "bytes_out", json_object_new_int64((int64_t)m->bout));
	json_object_object_add(o, "econ", json_object_new_int64((int64_t)m->econ));
	json_object_object_add(o, "eresp", json_object_new_int64((int64_t)m->eresp));
	json_object_object_add(o, "denied", json_object_new_int64((int64_t)m->denied));
	json_object_object_add(o, "retries", json_object_new_int64((int64_t)m->retries));
	json_object_object_add(o, "redispatches", json_object_new_int64((int64_t)m->redisp));
	json_object_object_add(o, "http_502", json_object_new_int64((int64_t)m->http[0]));
	json_object_object_add(o, "http_503", json_object_new_int64((int64_t)m->http[1]));
	json_object_object_add(o, "http_504", json_object_new_int64((int64_t)m->http[2]));
	json_object_object_add(o, "queue_cur", json_object_new_int64((int64_t)m->qcur));
	json_object_object_add(o, "queue_max", json_object_new_int64((int64_t)m->qmax));
	json_object_object_add(o, "requests", json_object_new_int64((int64_t)m->req));
	json_object_object_add(o, "reused", json_object_new_int64((int64_t)m->reused));
	for (int k = 0; k < 6; k++) {
		static const char *const names[] = { "hrsp_1xx", "hrsp_2xx", "hrsp_3xx",
						     "hrsp_4xx", "hrsp_5xx", "hrsp_other" };

		json_object_object_add(o, names[k], json_object_new_int64((int64_t)m->hrsp[k]));
	}
	return o;
}

static struct json_object *proxy_json(struct px_engine *e, const struct px_proxy *p)
{
	struct check_engine *ce = check_engine_of(e->d);
	struct json_object *o = json_object_new_object(), *arr = json_object_new_array();
	struct json_object *binds = json_object_new_array();
	struct px_sums m;

	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "type", json_object_new_string(cfg_proxy_kind_name(p->kind)));
	json_object_object_add(o, "mode", json_object_new_string(cfg_mode_name(p->mode)));
	json_object_object_add(o, "balance", json_object_new_string(cfg_balance_name(p->balance)));
	json_object_object_add(o, "status",
			       json_object_new_string(px_show_proxy_status(p)));
	if (p->backend)
		json_object_object_add(o, "backend", json_object_new_string(p->backend->name));
	for (size_t b = 0; b < e->snap->n_binds; b++)
		if (e->snap->binds[b].fe == p)
			json_object_array_add(binds, json_object_new_string(e->snap->binds[b].l->key));
	json_object_object_add(o, "binds", binds);
	px_stats_sum(p->st, &m);
	sums_json(o, &m);
	for (size_t i = 0; i < p->n_srv; i++) {
		const struct px_server *s = &p->srv[i];
		struct json_object *so = json_object_new_object();
		struct strbuf t = STRBUF_INIT;
		struct check_member_info ci;
		bool has_ci;

		json_object_object_add(so, "name", json_object_new_string(s->name));
		px_show_addr(s, &t);
		json_object_object_add(so, "address", json_object_new_string(t.data));
		json_object_object_add(so, "status",
				       json_object_new_string(server_status(ce, p, s, &ci, &has_ci)));
		json_object_object_add(so, "state", json_object_new_string(px_srv_state_name(s->state)));
		json_object_object_add(so, "weight", json_object_new_int(s->weight));
		json_object_object_add(so, "backup", json_object_new_boolean(s->backup));
		if (has_ci) {
			json_object_object_add(so, "check_status",
					       json_object_new_string(check_code_name(ci.code)));
			json_object_object_add(so, "check_reason", json_object_new_string(ci.reason));
			json_object_object_add(so, "last_check",
					       json_object_new_int64((int64_t)ci.last_check));
		}
		px_stats_sum(s->st, &m);
		sums_json(so, &m);
		json_object_array_add(arr, so);
		strbuf_free(&t);
	}
	json_object_object_add(o, "servers", arr);
	return o;
}

#define HEAD_FMT "%-*s %-8s %-9s %6s %-14s %5s %5s %8s %11s %11s %5s %5s %5s\n"
#define LINE_FMT "%-*s %-8s %-9s %6s %-14s %5llu %5llu %8llu %11llu %11llu %5llu %5llu %5llu\n"

static void proxy_lines(struct px_engine *e, const struct px_proxy *p, int w, struct strbuf *out)
{
	struct check_engine *ce = check_engine_of(e->d);
	time_t now = time(NULL);
	struct px_sums m;

	px_stats_sum(p->st, &m);
	strbuf_printf(out, LINE_FMT, w, p->name, cfg_proxy_kind_name(p->kind),
		      px_show_proxy_status(p), "-", "-", (unsigned long long)m.cur,
		      (unsigned long long)m.max, (unsigned long long)m.total,
		      (unsigned long long)m.bin, (unsigned long long)m.bout,
		      (unsigned long long)(m.econ + m.eresp), (unsigned long long)m.retries,
		      (unsigned long long)m.denied);
	for (size_t i = 0; i < p->n_srv; i++) {
		const struct px_server *s = &p->srv[i];
		struct strbuf name = STRBUF_INIT, ck = STRBUF_INIT;
		struct check_member_info ci;
		bool has_ci;
		const char *st = server_status(ce, p, s, &ci, &has_ci);
		char wt[16];

		strbuf_printf(&name, "%s/%s", p->name, s->name);
		if (has_ci && ci.last_check) {
			strbuf_printf(&ck, "%s ", check_code_name(ci.code));
			cmd_put_duration(&ck, (uint64_t)(now > ci.last_check ? now - ci.last_check : 0));
		} else {
			strbuf_puts(&ck, has_ci ? "INI" : "-");
		}
		snprintf(wt, sizeof(wt), "%d%s", s->weight, s->backup ? "b" : "");
		px_stats_sum(s->st, &m);
		strbuf_printf(out, LINE_FMT, w, name.data, "server", st, wt, ck.data,
			      (unsigned long long)m.cur, (unsigned long long)m.max,
			      (unsigned long long)m.total, (unsigned long long)m.bin,
			      (unsigned long long)m.bout, (unsigned long long)(m.econ + m.eresp),
			      (unsigned long long)m.retries, (unsigned long long)m.denied);
		strbuf_free(&name);
		strbuf_free(&ck);
	}
}

static struct px_engine *engine(struct cmd_ctx *ctx)
{
	struct px_engine *e = ctx->d ? px_engine_of(ctx->d) : NULL;

	if (!e || !e->snap)
		strbuf_puts(ctx->out, "% the proxy engine is not running\n");
	return e && e->snap ? e : NULL;
}

static int cmd_show_proxy(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct px_engine *e = engine(ctx);
	const char *only = cmd_arg(args, "name");
	const struct px_snapshot *s;
	size_t n = 0;
	int w = 12;

	if (!e)
		return CTL_ERR_UNAVAILABLE;
	s = e->snap;
	for (size_t i = 0; i < s->n_proxies; i++) {
		const struct px_proxy *p = &s->proxies[i];

		if (only && strcmp(p->name, only) != 0)
			continue;
		n++;
		for (size_t j = 0; j < p->n_srv; j++) {
			int l = (int)(strlen(p->name) + 1 + strlen(p->srv[j].name));

			if (l > w)
				w = l;
		}
		if ((int)strlen(p->name) > w)
			w = (int)strlen(p->name);
	}
	if (only && !n) {
		strbuf_printf(ctx->out, "%% no proxy named %s (show proxy lists them)\n", only);
		return CTL_ERR_NOTFOUND;
	}
	if (ctx->json) {
		struct json_object *arr = only ? NULL : json_object_new_array();

		/* One proxy: its object; all: an array of them. */
		for (size_t i = 0; i < s->n_proxies; i++) {
			if (only && strcmp(s->proxies[i].name, only) == 0) {
				cmd_put_json(ctx, proxy_json(e, &s->proxies[i]));
				return CTL_OK;
			}
			if (!only)
				json_object_array_add(arr, proxy_json(e, &s->proxies[i]));
		}
		cmd_put_json(ctx, arr);
		return CTL_OK;
	}
	if (!s->n_proxies) {
		strbuf_puts(ctx->out, "no proxies configured\n");
		return CTL_OK;
	}
	strbuf_printf(ctx->out, HEAD_FMT, w, "NAME", "TYPE", "STATUS", "WEIGHT", "CHECK", "CUR",
		      "MAX", "TOTAL", "BYTES-IN", "BYTES-OUT", "ERR", "RETR", "DENY");
	for (size_t i = 0; i < s->n_proxies; i++)
		if (!only || strcmp(s->proxies[i].name, only) == 0)
			proxy_lines(e, &s->proxies[i], w, ctx->out);
	if (only) {
		const struct px_proxy *p = NULL;
		struct check_engine *ce = check_engine_of(ctx->d);

		for (size_t i = 0; i < s->n_proxies && !p; i++)
			if (strcmp(s->proxies[i].name, only) == 0)
				p = &s->proxies[i];
		strbuf_printf(ctx->out, "\nmode %s, balance %s", cfg_mode_name(p->mode),
			      cfg_balance_name(p->balance));
		if (p->backend && p->backend != p)
			strbuf_printf(ctx->out, ", default_backend %s", p->backend->name);
		else if (!p->backend && p->kind == CFG_PROXY_FRONTEND)
			strbuf_puts(ctx->out, ", no backend (connections refused)");
		for (size_t b = 0; b < s->n_binds; b++)
			if (s->binds[b].fe == p)
				strbuf_printf(ctx->out, ", bind %s", s->binds[b].l->key);
		strbuf_putc(ctx->out, '\n');
		for (size_t j = 0; j < p->n_srv; j++) {
			struct strbuf a = STRBUF_INIT;
			struct check_member_info ci;

			px_show_addr(&p->srv[j], &a);
			strbuf_printf(ctx->out, "  %s %s", p->srv[j].name, a.data);
			if (ce && check_member_info(ce, p->name, p->srv[j].name, &ci) == 0)
				strbuf_printf(ctx->out, ": check %s, %s", check_code_name(ci.code),
					      ci.reason[0] ? ci.reason : "no result yet");
			strbuf_putc(ctx->out, '\n');
			strbuf_free(&a);
		}
	}
	return CTL_OK;
}

static void proxy_values(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	struct px_engine *e = ctx && ctx->d ? px_engine_of(ctx->d) : NULL;

	if (!e || !e->snap || strcmp(var, "name") != 0)
		return;
	for (size_t i = 0; i < e->snap->n_proxies; i++)
		strvec_push(out, e->snap->proxies[i].name);
}

#define SHOW_HELP "Show running system information\n"
#define JSON_HELP "Answer in JSON\n"

static const struct cmd_def px_cmds[] = {
	{ "show proxy [json]",
	  SHOW_HELP "Proxies and their servers: status, weight, check, sessions, bytes, errors\n"
	  JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_proxy, NULL, 0 },
	{ "show proxy WORD$name [json]",
	  SHOW_HELP "Proxies and their servers: status, weight, check, sessions, bytes, errors\n"
	  "A proxy (listen, frontend or backend) by name\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_proxy, proxy_values, 0 },
};

int px_cmds_register(struct softlbd *d, struct strbuf *err)
{
	return grammar_add_table(d->grammar, px_cmds, sizeof(px_cmds) / sizeof(px_cmds[0]), err);
}
