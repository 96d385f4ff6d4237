#include "config.h"

#include "vrrp/vrrp_int.h"
#include "ctl/cmd_out.h"
#include "core/daemon.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "util/strvec.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* The engine, or NULL with the reason written for the operator. */
static struct vrrp_engine *engine(struct cmd_ctx *ctx, int *status)
{
	struct vrrp_engine *eng = ctx->d ? vrrp_engine_of(ctx->d) : NULL;

	if (!eng || eng->unavailable[0]) {
		strbuf_printf(ctx->out, "%% The VRRP engine is not running%s%s\n",
			      eng ? ": " : "", eng ? eng->unavailable : "");
		*status = CTL_ERR_UNAVAILABLE;
		return NULL;
	}
	return eng;
}

/* The instance the command names, or NULL with the error written. */
static struct vrrp_instance *instance(struct cmd_ctx *ctx, const struct cmd_args *args,
				      int *status)
{
	struct vrrp_engine *eng = engine(ctx, status);
	const char *name = cmd_arg(args, "name");
	struct vrrp_instance *in;

	if (!eng)
		return NULL;
	in = vrrp_find(eng, name ? name : "");
	if (!in) {
		strbuf_printf(ctx->out, "%% No VRRP instance '%s'\n", name ? name : "");
		*status = CTL_ERR_NOTFOUND;
	}
	return in;
}

static const char *addr_str(int family, const unsigned char *a, char *buf, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	vrrp_addr_text(family, a, &sb);
	snprintf(buf, len, "%s", strbuf_str(&sb));
	strbuf_free(&sb);
	return buf;
}

/* Who is master, as far as this instance knows: itself, the sender of
 * the last accepted advert, or nobody ("-"). */
static const char *master_str(const struct vrrp_instance *in, char *buf, size_t len)
{
	if (in->state == VRRP_STATE_MASTER && in->have_src)
		return addr_str(in->s.family, in->src, buf, len);
	if (in->state == VRRP_STATE_BACKUP && in->master_known)
		return addr_str(in->s.family, in->master_addr, buf, len);
	snprintf(buf, len, "-");
	return buf;
}

static void vips_text(const struct vrrp_instance *in, struct strbuf *out)
{
	size_t shown = 0;

	for (size_t i = 0; i < in->s.n_vips; i++) {
		if (shown++)
			strbuf_putc(out, ',');
		vrrp_vip_text(&in->s.vips[i], out);
	}
	if (!shown)
		strbuf_putc(out, '-');
}

/* Milliseconds until t fires, or -1 when it is idle. */
static long long timer_left(const struct vrrp_instance *in, const struct loop_timer *t)
{
	uint64_t now = loop_now_ms(in->eng->loop);

	if (!loop_timer_pending(t))
		return -1;
	return t->when_ms > now ? (long long)(t->when_ms - now) : 0;
}

/* ------------------------------------------------------------------ */

static int cmd_show_vrrp(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int status = CTL_OK;
	struct vrrp_engine *eng = engine(ctx, &status);
	struct json_object *arr = NULL;
	char m[64];

	if (!eng)
		return status;
	if (ctx->json)
		arr = json_object_new_array();
	else
		strbuf_printf(ctx->out, "%-16s %-8s %-9s %4s %-10s %-26s %s\n", "NAME", "STATE",
			      "PRIO", "VRID", "INTERFACE", "MASTER", "VIPS");
	for (size_t i = 0; i < eng->n_insts; i++) {
		const struct vrrp_instance *in = eng->insts[i];
		struct strbuf vips = STRBUF_INIT;

		vips_text(in, &vips);
		master_str(in, m, sizeof(m));
		if (arr) {
			struct json_object *o = json_object_new_object();

			json_object_object_add(o, "name", json_object_new_string(in->name));
			json_object_object_add(o, "state",
					       json_object_new_string(vrrp_state_name(in->state)));
			json_object_object_add(o, "priority", json_object_new_int(in->priority));
			json_object_object_add(o, "base_priority",
					       json_object_new_int(in->s.base_priority));
			json_object_object_add(o, "vrid", json_object_new_int(in->s.vrid));
			json_object_object_add(o, "interface",
					       json_object_new_string(in->s.interface));
			json_object_object_add(o, "master", json_object_new_string(m));
			json_object_object_add(o, "vips", json_object_new_string(strbuf_str(&vips)));
			json_object_array_add(arr, o);
		} else {
			char prio[16];

			snprintf(prio, sizeof(prio), "%d/%d", in->priority, in->s.base_priority);
			strbuf_printf(ctx->out, "%-16s %-8s %-9s %4d %-10s %-26s %s\n", in->name,
				      vrrp_state_name(in->state), prio, in->s.vrid,
				      in->s.interface, m, strbuf_str(&vips));
		}
		strbuf_free(&vips);
	}
	if (arr)
		cmd_put_json(ctx, arr);
	return CTL_OK;
}

static const char *auth_name(enum vrrp_auth a)
{
	return a == VRRP_AUTH_PASS ? "PASS" : a == VRRP_AUTH_AH ? "AH" : "none";
}

static void time_text(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

static struct json_object *json_ms(long long ms)
{
	return ms < 0 ? NULL : json_object_new_int64(ms);
}

static struct json_object *json_str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void show_one_json(struct cmd_ctx *ctx, struct vrrp_instance *in)
{
	struct json_object *o = json_object_new_object(), *a, *x;
	uint64_t now = loop_now_ms(in->eng->loop);
	char buf[64];

	json_object_object_add(o, "name", json_object_new_string(in->name));
	json_object_object_add(o, "state", json_object_new_string(vrrp_state_name(in->state)));
	json_object_object_add(o, "state_for_ms", json_object_new_int64((int64_t)(now - in->entered_ms)));
	json_object_object_add(o, "fault", json_object_new_string(in->own_fault));
	json_object_object_add(o, "interface", json_object_new_string(in->s.interface));
	json_object_object_add(o, "ifindex", json_object_new_int(in->ifindex));
	json_object_object_add(o, "vrid", json_object_new_int(in->s.vrid));
	json_object_object_add(o, "version", json_object_new_int(in->s.version));
	json_object_object_add(o, "family",
			       json_object_new_string(in->s.family == AF_INET ? "inet" : "inet6"));
	json_object_object_add(o, "source", in->have_src
			       ? json_object_new_string(addr_str(in->s.family, in->src, buf, sizeof(buf)))
			       : NULL);
	x = json_object_new_object();
	json_object_object_add(x, "effective", json_object_new_int(in->priority));
	json_object_object_add(x, "configured", json_object_new_int(in->s.base_priority));
	json_object_object_add(x, "override", json_object_new_int(in->prio_override));
	json_object_object_add(x, "track_delta", json_object_new_int(in->track_delta));
	json_object_object_add(o, "priority", x);
	json_object_object_add(o, "advert_int_ms", json_object_new_int64(in->s.advert_ms));
	json_object_object_add(o, "master_adver_int_ms", json_object_new_int64(in->master_adver_ms));
	json_object_object_add(o, "skew_ms", json_object_new_int64(vrrp_fsm_skew_ms(in)));
	json_object_object_add(o, "master_down_ms",
			       json_object_new_int64(vrrp_fsm_master_down_ms(in)));
	json_object_object_add(o, "preempt", json_object_new_boolean(!in->s.nopreempt));
	json_object_object_add(o, "preempt_delay_ms",
			       json_object_new_int64((int64_t)in->s.preempt_delay_ms));
	json_object_object_add(o, "handover_hold", json_object_new_boolean(in->hold_preempt));
	json_object_object_add(o, "auth", json_object_new_string(auth_name(in->s.auth_type)));
	json_object_object_add(o, "master", json_object_new_string(master_str(in, buf, sizeof(buf))));
	json_object_object_add(o, "master_priority", in->master_known
			       ? json_object_new_int(in->master_prio) : NULL);
	a = json_object_new_array();
	for (size_t i = 0; i < in->s.n_peers; i++)
		json_object_array_add(a, json_object_new_string(
			addr_str(in->s.family, in->s.peers[i], buf, sizeof(buf))));
	json_object_object_add(o, "unicast_peers", a);
	x = json_object_new_object();
	json_object_object_add(x, "advert_ms", json_ms(vrrp_fsm_advert_left_ms(in)));
	json_object_object_add(x, "master_down_ms", json_ms(timer_left(in, &in->down_timer)));
	json_object_object_add(x, "garp_ms", json_ms(timer_left(in, &in->garp_timer)));
	json_object_object_add(o, "timers", x);
	a = json_object_new_array();
	for (size_t i = 0; i < in->s.n_vips; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];
		struct strbuf t = STRBUF_INIT;

		x = json_object_new_object();
		vrrp_vip_text(v, &t);
		json_object_object_add(x, "address", json_object_new_string(strbuf_str(&t)));
		json_object_object_add(x, "dev", json_object_new_string(v->dev ? v->dev
									 : in->s.interface));
		json_object_object_add(x, "excluded", json_object_new_boolean(v->excluded));
		json_object_object_add(x, "installed", json_object_new_boolean(v->installed));
		json_object_array_add(a, x);
		strbuf_free(&t);
	}
	json_object_object_add(o, "vips", a);
	a = json_object_new_array();
	for (size_t i = 0; i < in->s.n_tracks; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "interface", json_object_new_string(in->s.tracks[i].name));
		json_object_object_add(x, "weight", json_object_new_int(in->s.tracks[i].weight));
		json_object_object_add(x, "up", json_object_new_boolean(in->s.tracks[i].up));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "tracked_interfaces", a);
	a = json_object_new_array();
	for (size_t i = 0; i < in->s.n_track_scripts; i++) {
		const struct vrrp_track_ref *t = &in->s.track_scripts[i];
		const struct vrrp_script *sc = vrrp_script_find(in->eng, t->name);

		x = json_object_new_object();
		json_object_object_add(x, "script", json_object_new_string(t->name));
		json_object_object_add(x, "weight", json_object_new_int(t->weight));
		json_object_object_add(x, "good", json_object_new_boolean(!sc || sc->good));
		json_object_object_add(x, "last", sc ? json_object_new_string(sc->last) : NULL);
		json_object_object_add(x, "runs", json_object_new_int64(sc ? (int64_t)sc->runs : 0));
		json_object_object_add(x, "failed_runs",
				       json_object_new_int64(sc ? (int64_t)sc->failed_runs : 0));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "track_scripts", a);
	json_object_object_add(o, "sync_group", in->group ? json_object_new_string(in->group->name)
							  : NULL);
	x = json_object_new_object();
	json_object_object_add(x, "master", json_str_or_null(in->s.notify_master));
	json_object_object_add(x, "backup", json_str_or_null(in->s.notify_backup));
	json_object_object_add(x, "fault", json_str_or_null(in->s.notify_fault));
	json_object_object_add(x, "stop", json_str_or_null(in->s.notify_stop));
	json_object_object_add(x, "notify", json_str_or_null(in->s.notify));
	json_object_object_add(o, "notify", x);
	vrrp_fsm_adverts_sync(in);
	json_object_object_add(o, "stats", vrrp_stats_json(&in->stats));
	a = json_object_new_array();
	for (size_t i = 0; i < in->hist_len; i++) {
		const struct vrrp_transition *t = &in->hist[i];
		char when[32];

		time_text(t->when, when, sizeof(when));
		x = json_object_new_object();
		json_object_object_add(x, "time", json_object_new_string(when));
		json_object_object_add(x, "from", json_object_new_string(vrrp_state_name(t->from)));
		json_object_object_add(x, "to", json_object_new_string(vrrp_state_name(t->to)));
		json_object_object_add(x, "reason", json_object_new_string(t->reason));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "transitions", a);
	cmd_put_json(ctx, o);
}

static void put_timer(struct strbuf *out, const char *what, long long ms)
{
	if (ms < 0)
		strbuf_printf(out, " %s -", what);
	else
		strbuf_printf(out, " %s %lld ms", what, ms);
}

static void show_one_text(struct cmd_ctx *ctx, struct vrrp_instance *in)
{
	struct strbuf *out = ctx->out;
	uint64_t now = loop_now_ms(in->eng->loop);
	char buf[64];

	strbuf_printf(out, "VRRP instance %s: %s for %llu s\n", in->name,
		      vrrp_state_name(in->state), (unsigned long long)((now - in->entered_ms) / 1000u));
	if (in->own_fault[0])
		strbuf_printf(out, "  fault: %s\n", in->own_fault);
	strbuf_printf(out, "  interface %s (index %d), VRID %d, VRRPv%d, %s, source %s\n",
		      in->s.interface, in->ifindex, in->s.vrid, in->s.version,
		      in->s.family == AF_INET ? "IPv4" : "IPv6",
		      in->have_src ? addr_str(in->s.family, in->src, buf, sizeof(buf)) : "-");
	strbuf_printf(out, "  priority %d (configured %d, override ", in->priority, in->s.base_priority);
	if (in->prio_override)
		strbuf_printf(out, "%d", in->prio_override);
	else
		strbuf_puts(out, "none");
	strbuf_printf(out, ", tracking %+d)\n", in->track_delta);
	strbuf_printf(out, "  advert interval %u ms, master's %u ms, skew %u ms, master down %u ms\n",
		      in->s.advert_ms, in->master_adver_ms, vrrp_fsm_skew_ms(in),
		      vrrp_fsm_master_down_ms(in));
	strbuf_printf(out, "  preempt %s, preempt delay %llu ms%s, auth %s\n",
		      in->s.nopreempt ? "no" : "yes", (unsigned long long)in->s.preempt_delay_ms,
		      in->hold_preempt ? " (held after handover)" : "", auth_name(in->s.auth_type));
	strbuf_printf(out, "  master %s", master_str(in, buf, sizeof(buf)));
	if (in->master_known)
		strbuf_printf(out, " priority %d", in->master_prio);
	strbuf_puts(out, "\n  timers:");
	put_timer(out, "advert", vrrp_fsm_advert_left_ms(in));
	put_timer(out, "master-down", timer_left(in, &in->down_timer));
	put_timer(out, "garp", timer_left(in, &in->garp_timer));
	strbuf_puts(out, "\n  VIPs:");
	for (size_t i = 0; i < in->s.n_vips; i++) {
		strbuf_putc(out, ' ');
		vrrp_vip_text(&in->s.vips[i], out);
		strbuf_printf(out, "%s%s", in->s.vips[i].excluded ? " (excluded)" : "",
			      in->s.vips[i].installed ? " (installed)" : "");
	}
	strbuf_putc(out, '\n');
	for (size_t i = 0; i < in->s.n_tracks; i++)
		strbuf_printf(out, "  track interface %s weight %d: %s\n", in->s.tracks[i].name,
			      in->s.tracks[i].weight, in->s.tracks[i].up ? "up" : "down");
	for (size_t i = 0; i < in->s.n_track_scripts; i++) {
		const struct vrrp_track_ref *t = &in->s.track_scripts[i];
		const struct vrrp_script *sc = vrrp_script_find(in->eng, t->name);

		strbuf_printf(out, "  track script %s weight %d%s: %s", t->name, t->weight,
			      in->group && t->weight ? " (0 in a sync group)" : "",
			      !sc || sc->good ? "good" : "failed");
		if (sc)
			strbuf_printf(out, " (last: %s; %llu runs, %llu failed)", sc->last,
				      (unsigned long long)sc->runs,
				      (unsigned long long)sc->failed_runs);
		strbuf_putc(out, '\n');
	}
	if (in->group)
		strbuf_printf(out, "  sync group %s\n", in->group->name);
	strbuf_puts(out, "  counters:\n");
	vrrp_fsm_adverts_sync(in);
	vrrp_stats_text(&in->stats, out);
	strbuf_puts(out, "  last transitions:\n");
	for (size_t i = 0; i < in->hist_len; i++) {
		const struct vrrp_transition *t = &in->hist[i];
		char when[32];

		time_text(t->when, when, sizeof(when));
		strbuf_printf(out, "    %s %s -> %s: %s\n", when, vrrp_state_name(t->from),
			      vrrp_state_name(t->to), t->reason);
	}
}

static int cmd_show_vrrp_one(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int status = CTL_OK;
	struct vrrp_instance *in = instance(ctx, args, &status);

	if (!in)
		return status;
	if (ctx->json)
		show_one_json(ctx, in);
	else
		show_one_text(ctx, in);
	return CTL_OK;
}

static int cmd_priority(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int status = CTL_OK;
	struct vrrp_instance *in = instance(ctx, args, &status);

	if (!in)
		return status;
	if (in->s.base_priority >= VRRP_PRIO_OWNER) {
		strbuf_printf(ctx->out, "%% %s owns its addresses (priority 255): its priority "
			      "cannot change\n", in->name);
		return CTL_ERR_FAILED;
	}
	in->prio_override = cmd_arg_has(args, "default") ? 0
			    : (int)cmd_arg_num(args, "value", in->s.base_priority);
	in->hold_preempt = false;
	vrrp_fsm_priority_changed(in, "operator");
	strbuf_printf(ctx->out, "%s: priority %d\n", in->name, in->priority);
	return CTL_OK;
}

/* Runs one of the fsm's operator actions and reports the outcome. */
static int run_action(struct cmd_ctx *ctx, const struct cmd_args *args,
		      int (*fn)(struct vrrp_instance *, struct strbuf *))
{
	int status = CTL_OK;
	struct vrrp_instance *in = instance(ctx, args, &status);
	struct strbuf err = STRBUF_INIT;

	if (!in)
		return status;
	if (fn(in, &err) < 0) {
		strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&err));
		strbuf_free(&err);
		return CTL_ERR_FAILED;
	}
	strbuf_free(&err);
	strbuf_printf(ctx->out, "%s: %s\n", in->name, vrrp_state_name(in->state));
	return CTL_OK;
}

static int cmd_handover(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return run_action(ctx, args, vrrp_fsm_handover);
}

static int cmd_able(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return run_action(ctx, args, cmd_arg_has(args, "disable") ? vrrp_fsm_disable
								  : vrrp_fsm_enable);
}

static void values_vrrp(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	struct vrrp_engine *eng = ctx->d ? vrrp_engine_of(ctx->d) : NULL;

	for (size_t i = 0; eng && i < eng->n_insts; i++)
		strvec_push(out, eng->insts[i]->name);
}

#define SHOW_HELP "Show running system information\n"
#define VRRP_HELP "VRRP instances\n"
#define JSON_HELP "Answer in JSON\n"
#define NAME_HELP "VRRP instance name\n"
#define OPER (CMD_IN_VIEW | CMD_IN_CONFIG)

static const struct cmd_def vrrp_cmds[] = {
	{ "show vrrp [json]", SHOW_HELP VRRP_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_vrrp, NULL, 0 },
	{ "show vrrp WORD$name [json]", SHOW_HELP VRRP_HELP NAME_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_vrrp_one, values_vrrp, 0 },
	{ "vrrp WORD$name priority (1-254)$value",
	  "Control a VRRP instance\n" NAME_HELP
	  "Override the priority until softlbd restarts\nThe new priority\n",
	  OPER, CTL_ROLE_OPER, cmd_priority, values_vrrp, 0 },
	{ "vrrp WORD$name priority default",
	  "Control a VRRP instance\n" NAME_HELP
	  "Override the priority until softlbd restarts\nBack to the configured priority\n",
	  OPER, CTL_ROLE_OPER, cmd_priority, values_vrrp, 0 },
	{ "vrrp WORD$name handover",
	  "Control a VRRP instance\n" NAME_HELP
	  "Hand mastership over: send priority 0 and stay backup\n",
	  OPER, CTL_ROLE_OPER, cmd_handover, values_vrrp, 0 },
	{ "vrrp WORD$name <disable|enable>",
	  "Control a VRRP instance\n" NAME_HELP
	  "Stop the instance (a master sends priority 0 and drops its VIPs)\n"
	  "Start a disabled instance again\n",
	  OPER, CTL_ROLE_OPER, cmd_able, values_vrrp, 0 },
};

int vrrp_cmds_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, vrrp_cmds, sizeof(vrrp_cmds) / sizeof(vrrp_cmds[0]), err);
}
