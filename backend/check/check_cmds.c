/* The check commands (show checks, show check TARGET, show events, check
 * TARGET pause|resume|run) and the "check" module (check.h). */
#include "config.h"

#include "check/check_int.h"
#include "config/changeset.h"
#include "ctl/cmd_out.h"

#include "core/daemon.h"
#include "core/module.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "script/runner.h"
#include "util/strvec.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct check_engine *check_engine_of(struct softlbd *d)
{
	return d ? d->engines.check : NULL;
}

static void put_time(struct strbuf *out, time_t when)
{
	char buf[32];
	struct tm tm;

	localtime_r(&when, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	strbuf_puts(out, buf);
}

static struct json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/* Where a target connects, or the script it runs. */
static void put_where(struct strbuf *out, const struct check_target *t)
{
	if (t->def.kind == CHECK_KIND_MISC) {
		for (size_t i = 0; i < t->def.argv.len; i++)
			strbuf_printf(out, "%s%s", i ? " " : "", t->def.argv.items[i]);
		return;
	}
	char host[64];
	const struct sockaddr_storage *ss = &t->def.addr;

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		strbuf_printf(out, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		strbuf_printf(out, "%s:%u", host, ntohs(s4->sin_port));
	}
}

static struct json_object *target_json(const struct check_target *t, uint64_t now_ms)
{
	struct json_object *o = json_object_new_object();
	struct strbuf s = STRBUF_INIT;

	json_object_object_add(o, "target", jstr(t->name));
	json_object_object_add(o, "origin", jstr(t->def.origin == CHECK_FROM_HAPROXY
						 ? "haproxy" : "keepalived"));
	json_object_object_add(o, "kind", jstr(check_kind_label(t)));
	json_object_object_add(o, "group", jstr(t->group));
	json_object_object_add(o, "member", jstr(t->member));
	put_where(&s, t);
	json_object_object_add(o, "check", jstr(s.data));
	strbuf_reset(&s);
	json_object_object_add(o, "state", jstr(check_state_name(t->state)));
	check_progress(t, &s);
	json_object_object_add(o, "progress", jstr(s.data));
	json_object_object_add(o, "rise", json_object_new_int(t->def.rise));
	json_object_object_add(o, "fall", json_object_new_int(t->def.fall));
	json_object_object_add(o, "successes", json_object_new_int(t->succ));
	json_object_object_add(o, "failures", json_object_new_int(t->fails));
	json_object_object_add(o, "paused", json_object_new_boolean(t->paused));
	json_object_object_add(o, "running", json_object_new_boolean(t->running));
	json_object_object_add(o, "code", jstr(check_code_name(t->code)));
	json_object_object_add(o, "reason", jstr(t->reason));
	json_object_object_add(o, "latency_ms", json_object_new_int64(t->latency_ms));
	json_object_object_add(o, "since", json_object_new_int64((int64_t)t->since));
	json_object_object_add(o, "since_s",
			       json_object_new_int64((int64_t)((now_ms - t->since_ms) / 1000)));
	json_object_object_add(o, "last_check", json_object_new_int64((int64_t)t->last_check));
	json_object_object_add(o, "runs", json_object_new_int64((int64_t)t->runs));
	json_object_object_add(o, "ok", json_object_new_int64((int64_t)t->n_ok));
	json_object_object_add(o, "failed", json_object_new_int64((int64_t)t->n_failed));
	json_object_object_add(o, "weight", json_object_new_int(t->weight));
	json_object_object_add(o, "interval_ms", json_object_new_int64(t->def.inter_ms));
	strbuf_free(&s);
	return o;
}

static struct json_object *event_json(const struct check_event *ev)
{
	struct json_object *o = json_object_new_object();
	static const char *const kinds[] = { "transition", "weight", "paused", "resumed" };

	json_object_object_add(o, "seq", json_object_new_int64((int64_t)ev->seq));
	json_object_object_add(o, "time", json_object_new_int64((int64_t)ev->when));
	json_object_object_add(o, "event", jstr(kinds[ev->kind]));
	json_object_object_add(o, "target", jstr(ev->target));
	json_object_object_add(o, "from", jstr(check_state_name(ev->from)));
	json_object_object_add(o, "to", jstr(check_state_name(ev->to)));
	json_object_object_add(o, "code", jstr(check_code_name(ev->code)));
	json_object_object_add(o, "reason", jstr(ev->reason));
	json_object_object_add(o, "check_ms", json_object_new_int64(ev->check_ms));
	json_object_object_add(o, "previous_state_ms", json_object_new_int64((int64_t)ev->prev_ms));
	if (ev->kind == CHECK_EV_WEIGHT)
		json_object_object_add(o, "weight", json_object_new_int(ev->weight));
	return o;
}

static void event_line(struct strbuf *out, const struct check_event *ev, bool with_target)
{
	put_time(out, ev->when);
	if (with_target)
		strbuf_printf(out, "  %s", ev->target);
	strbuf_puts(out, "  ");
	check_event_describe(ev, out);
	strbuf_putc(out, '\n');
}

static struct check_engine *engine(struct cmd_ctx *ctx)
{
	struct check_engine *e = ctx->d ? check_engine_of(ctx->d) : NULL;

	if (!e)
		strbuf_puts(ctx->out, "% the check engine is not running\n");
	return e;
}

static struct check_target *lookup(struct cmd_ctx *ctx, struct check_engine *e,
				   const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "target");
	struct check_target *t = check_find(e, name);

	if (!t)
		strbuf_printf(ctx->out, "%% no check named %s (show checks lists them)\n", name);
	return t;
}

/* ------------------------------------------------------------------ */

static int cmd_show_checks(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct check_engine *e = engine(ctx);
	uint64_t now = e ? loop_now_ms(e->loop) : 0;
	size_t w = 6;

	if (!e)
		return CTL_ERR_UNAVAILABLE;
	if (ctx->json) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < e->n_targets; i++)
			json_object_array_add(arr, target_json(e->targets[i], now));
		cmd_put_json(ctx, arr);
		return CTL_OK;
	}
	if (!e->n_targets) {
		strbuf_puts(ctx->out, "no checks configured\n");
		return CTL_OK;
	}
	for (size_t i = 0; i < e->n_targets; i++)
		if (strlen(e->targets[i]->name) > w)
			w = strlen(e->targets[i]->name);
	strbuf_printf(ctx->out, "%-*s %-10s %-10s %-8s %7s %8s  %s\n", (int)w, "TARGET", "KIND",
		      "STATE", "LAST", "LATENCY", "SINCE", "REASON");
	for (size_t i = 0; i < e->n_targets; i++) {
		const struct check_target *t = e->targets[i];
		struct strbuf st = STRBUF_INIT, age = STRBUF_INIT;

		check_progress(t, &st);
		if (t->paused)
			strbuf_puts(&st, "*");
		cmd_put_duration(&age, (now - t->since_ms) / 1000);
		strbuf_printf(ctx->out, "%-*s %-10s %-10s %-8s %5ums %8s  %s\n", (int)w, t->name,
			      check_kind_label(t), st.data, check_code_name(t->code),
			      t->latency_ms, age.data, t->reason);
		strbuf_free(&st);
		strbuf_free(&age);
	}
	strbuf_puts(ctx->out, "(* = paused)\n");
	return CTL_OK;
}

static int cmd_show_check(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct check_engine *e = engine(ctx);
	struct check_target *t;
	struct strbuf s = STRBUF_INIT;
	uint64_t now;

	if (!e)
		return CTL_ERR_UNAVAILABLE;
	if (!(t = lookup(ctx, e, args)))
		return CTL_ERR_NOTFOUND;
	now = loop_now_ms(e->loop);
	if (ctx->json) {
		struct json_object *o = target_json(t, now), *h = json_object_new_array();
		const struct check_event *ev;

		for (size_t i = 0; (ev = check_events_newest(&e->events, i)); i++)
			if (strcmp(ev->target, t->name) == 0)
				json_object_array_add(h, event_json(ev));
		json_object_object_add(o, "history", h);
		cmd_put_json(ctx, o);
		return CTL_OK;
	}
	strbuf_printf(ctx->out, "%s (%s, from %s)\n", t->name, check_kind_label(t),
		      t->def.origin == CHECK_FROM_HAPROXY ? "haproxy" : "keepalived");
	put_where(&s, t);
	strbuf_printf(ctx->out, "  checks       %s\n", s.data);
	strbuf_reset(&s);
	check_progress(t, &s);
	strbuf_printf(ctx->out, "  state        %s%s, since ", s.data, t->paused ? " (paused)" : "");
	put_time(ctx->out, t->since);
	strbuf_puts(ctx->out, " (");
	cmd_put_duration(ctx->out, (now - t->since_ms) / 1000);
	strbuf_puts(ctx->out, ")\n");
	strbuf_printf(ctx->out, "  last result  %s: %s (%u ms)\n", check_code_name(t->code),
		      t->reason, t->latency_ms);
	strbuf_printf(ctx->out, "  rise/fall    %d/%d (now %d good, %d bad in a row)\n",
		      t->def.rise, t->def.fall, t->succ, t->fails);
	strbuf_printf(ctx->out, "  intervals    %u ms up, %u ms moving, %u ms down; timeout %u ms connect, %u ms reply\n",
		      t->def.inter_ms, t->def.fastinter_ms, t->def.downinter_ms,
		      t->def.connect_timeout_ms, t->def.io_timeout_ms);
	strbuf_printf(ctx->out, "  counters     %lu runs, %lu ok, %lu failed\n",
		      (unsigned long)t->runs, (unsigned long)t->n_ok, (unsigned long)t->n_failed);
	if (t->weight >= 0)
		strbuf_printf(ctx->out, "  weight       %d (misc_dynamic)\n", t->weight);
	strbuf_puts(ctx->out, "history (newest first):\n");
	{
		const struct check_event *ev;
		size_t n = 0;

		for (size_t i = 0; (ev = check_events_newest(&e->events, i)); i++) {
			if (strcmp(ev->target, t->name) != 0)
				continue;
			strbuf_puts(ctx->out, "  ");
			event_line(ctx->out, ev, false);
			n++;
		}
		if (!n)
			strbuf_puts(ctx->out, "  no transitions yet\n");
	}
	strbuf_free(&s);
	return CTL_OK;
}

static int cmd_show_events(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct check_engine *e = engine(ctx);
	const char *only = cmd_arg(args, "target");
	const struct check_event *ev;
	struct json_object *arr = NULL;
	size_t n = 0;

	if (!e)
		return CTL_ERR_UNAVAILABLE;
	if (only && !check_find(e, only)) {
		/* Events of a removed target remain; say so only if none. */
		bool any = false;

		for (size_t i = 0; (ev = check_events_newest(&e->events, i)); i++)
			any = any || strcmp(ev->target, only) == 0;
		if (!any) {
			strbuf_printf(ctx->out, "%% no check named %s (show checks lists them)\n",
				      only);
			return CTL_ERR_NOTFOUND;
		}
	}
	if (ctx->json)
		arr = json_object_new_array();
	for (size_t i = 0; (ev = check_events_newest(&e->events, i)); i++) {
		if (only && strcmp(ev->target, only) != 0)
			continue;
		if (arr)
			json_object_array_add(arr, event_json(ev));
		else
			event_line(ctx->out, ev, true);
		n++;
	}
	if (arr)
		cmd_put_json(ctx, arr);
	else if (!n)
		strbuf_puts(ctx->out, "no events\n");
	return CTL_OK;
}

static int cmd_check_op(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct check_engine *e = engine(ctx);
	struct check_target *t;

	if (!e)
		return CTL_ERR_UNAVAILABLE;
	if (!(t = lookup(ctx, e, args)))
		return CTL_ERR_NOTFOUND;
	if (cmd_arg_has(args, "pause")) {
		check_target_pause(t);
		strbuf_printf(ctx->out, "%s paused; it stays %s until resumed\n", t->name,
			      check_state_name(t->state));
	} else if (cmd_arg_has(args, "resume")) {
		check_target_resume(t);
		strbuf_printf(ctx->out, "%s resumed\n", t->name);
	} else {
		if (check_target_run_now(t) < 0) {
			strbuf_printf(ctx->out, "%% %s is running now; try again when it ends\n",
				      t->name);
			return CTL_ERR_FAILED;
		}
		strbuf_printf(ctx->out, "%s: check started\n", t->name);
	}
	return CTL_OK;
}

static void target_values(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	struct check_engine *e = ctx && ctx->d ? check_engine_of(ctx->d) : NULL;

	if (!e || strcmp(var, "target") != 0)
		return;
	for (size_t i = 0; i < e->n_targets; i++)
		strvec_push(out, e->targets[i]->name);
}

#define SHOW_HELP "Show running system information\n"
#define JSON_HELP "Answer in JSON\n"
#define TARGET_HELP "A check, as show checks names it\n"

static const struct cmd_def check_cmds[] = {
	{ "show checks [json]",
	  SHOW_HELP "Health checks: state, last result and reason, latency\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_checks, NULL },
	{ "show check WORD$target [json]",
	  SHOW_HELP "One health check, with its history\n" TARGET_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_check, target_values },
	{ "show events check WORD$target [json]",
	  SHOW_HELP "The event journal (show events); here one health check's "
	  "transitions, newest first, with their codes and durations\n"
	  "Only those of one check\n"
	  TARGET_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_events, target_values },
	{ "check WORD$target <pause|resume|run>",
	  "Control a health check\n" TARGET_HELP
	  "Stop checking; the state stays as it is\nCheck again on schedule\n"
	  "Check now\n",
	  CMD_IN_VIEW, CTL_ROLE_OPER, cmd_check_op, target_values },
};

int check_cmds_register(struct softlbd *d, struct strbuf *err)
{
	return grammar_add_table(d->grammar, check_cmds, sizeof(check_cmds) / sizeof(check_cmds[0]),
				 err);
}

/* ------------------------------------------------------------------ */
/* The module                                                          */

static int check_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct check_engine *e = check_engine_new(d->loop, d->scripts);

	e->journal = d->events;

	*priv = e;
	d->engines.check = e;
	if (check_cmds_register(d, err) < 0)
		return -1;
	return check_engine_apply(e, d->config, err);
}

/* Fields of a changed real server, virtual server or proxy server that
 * no check reads: what the balancer does with a target, not how it is
 * probed. A change made only of these leaves every check as it is, and
 * the targets are not rebuilt (10,000 of them for one weight). */
static bool check_blind(const char *fields)
{
	static const char *const blind[] = {
		"weight", "lb_kind", "tun.type", "tun.port", "tun.csum",
		"uthreshold", "lthreshold", "lb_algo", "sched_flags",
		"persistence_timeout_ms", "persistence_granularity", "pe_name",
		"ops", "quorum", "hysteresis", "quorum_up", "quorum_down",
		"sorry_server", "sorry_server_inhibit", "backup", "maxconn",
	};
	const char *f = fields;

	while (f && *f) {
		size_t n = strcspn(f, ",");
		bool found = false;

		for (size_t i = 0; i < sizeof(blind) / sizeof(*blind) && !found; i++)
			found = strlen(blind[i]) == n && strncmp(f, blind[i], n) == 0;
		if (!found)
			return false;
		f += n;
		f += strspn(f, ", ");
	}
	return fields != NULL;
}

static bool changes_checks(const struct config_changeset *cs)
{
	if (!config_changeset_touches(cs, CONFIG_KINDS_CHECK))
		return false;
	for (size_t i = 0; i < cs->n_items; i++) {
		const struct config_change_item *it = &cs->items[i];
		bool target = it->kind == CONFIG_OBJ_VIRTUAL_SERVER ||
			      it->kind == CONFIG_OBJ_REAL_SERVER ||
			      it->kind == CONFIG_OBJ_SERVER;

		if (!(CONFIG_KIND_BIT(it->kind) & CONFIG_KINDS_CHECK))
			continue;
		if (!target || it->change != CONFIG_CHANGED || !check_blind(it->fields))
			return true;
	}
	return false;
}

static int check_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
		       struct strbuf *err)
{
	(void)d;
	if (!changes_checks(cs))
		return 0;
	return check_engine_apply(priv, cs->new_cfg, err);
}

static void check_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct check_engine *e = priv;
	size_t n, up, down, paused;
	uint64_t opened, reused;

	check_engine_counts(e, &n, &up, &down, &paused);
	check_engine_socket_counts(e, &opened, &reused);
	st->state = n ? MODULE_RUNNING : MODULE_NOT_CONFIGURED;
	snprintf(st->reason, sizeof(st->reason),
		 "%zu checks: %zu up, %zu down, %zu paused; sockets: %" PRIu64 " made, %" PRIu64
		 " reused",
		 n, up, down, paused, opened, reused);
	if (d->scripts) {
		struct script_runner_stats ss;
		size_t len = strlen(st->reason);

		script_runner_get_stats(d->scripts, &ss);
		snprintf(st->reason + len, sizeof(st->reason) - len,
			 "; scripts: %u running, %u queued (helper pid %ld)", ss.running,
			 ss.queued, ss.helper_pid);
	}
}

static void check_stop(struct softlbd *d, void *priv)
{
	d->engines.check = NULL;
	check_engine_shutdown(priv);
}

/* softlbd -t: the targets as apply builds them (the CA files of checks
 * that verify are loaded), then dropped. */
static int check_verify(const struct config *cfg, struct strbuf *err)
{
	struct check_target **arr = NULL;
	size_t n = 0;

	if (check_build_targets(NULL, cfg, &arr, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		check_target_free(arr[i]);
	free(arr);
	return 0;
}

const struct module_ops check_module = {
	.name = "check",
	.description = "health checks: keepalived checkers and HAProxy server checks",
	.init = check_init,
	.apply = check_apply,
	.verify = check_verify,
	.status = check_status,
	.stop = check_stop,
};
