#include "config.h"

#include "ctl/cmds_core.h"
#include "ctl/cmd_out.h"
#include "core/daemon.h"
#include "core/loop.h"
#include "core/module.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/server.h"
#include "ctl/session.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static uint64_t uptime_s(const struct softlbd *d)
{
	return (loop_now_ms(d->loop) - d->started_ms) / 1000u;
}

/* ------------------------------------------------------------------ */

static int cmd_show_version(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	if (ctx->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "program", json_object_new_string("softlbd"));
		json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
		json_object_object_add(o, "license",
				       json_object_new_string("GPL-3.0-or-later"));
		cmd_put_json(ctx, o);
		return CTL_OK;
	}
	strbuf_printf(ctx->out, "softlbd %s\nLicense GPL-3.0-or-later: this is free software; "
		      "there is NO WARRANTY.\n", PACKAGE_VERSION);
	return CTL_OK;
}

static int cmd_show_status(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct softlbd *d = ctx->d;
	struct json_object *o = NULL, *engines = NULL;
	char started[64];
	struct tm tm;

	localtime_r(&d->started, &tm);
	strftime(started, sizeof(started), "%Y-%m-%d %H:%M:%S %z", &tm);
	if (ctx->json) {
		o = json_object_new_object();
		engines = json_object_new_array();
		json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
		json_object_object_add(o, "host", json_object_new_string(d->hostname));
		json_object_object_add(o, "pid", json_object_new_int64(d->pid));
		json_object_object_add(o, "started", json_object_new_string(started));
		json_object_object_add(o, "uptime_s", json_object_new_int64((int64_t)uptime_s(d)));
		json_object_object_add(o, "reloads", json_object_new_int64(d->reloads));
		json_object_object_add(o, "keepalived_config",
				       json_object_new_string(d->opts.kad_path));
		json_object_object_add(o, "haproxy_config",
				       json_object_new_string(d->opts.hap_path));
	} else {
		strbuf_printf(ctx->out, "softlbd %s on %s, pid %ld, up ", PACKAGE_VERSION,
			      d->hostname, (long)d->pid);
		cmd_put_duration(ctx->out, uptime_s(d));
		strbuf_printf(ctx->out, " (since %s), %u reloads\n", started, d->reloads);
		strbuf_printf(ctx->out, "config: %s, %s\n\n", d->opts.kad_path, d->opts.hap_path);
		strbuf_printf(ctx->out, "%-8s %-15s %s\n", "ENGINE", "STATE", "DETAIL");
	}
	for (size_t i = 0; i < d->n_modules; i++) {
		const struct module_ops *m = d->modules[i];
		struct module_status st = { .state = MODULE_NOT_CONFIGURED };

		m->status(d, d->module_priv[i], &st);
		if (ctx->json) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "name", json_object_new_string(m->name));
			json_object_object_add(e, "description",
					       json_object_new_string(m->description));
			json_object_object_add(e, "state",
					       json_object_new_string(module_state_name(st.state)));
			json_object_object_add(e, "detail", json_object_new_string(st.reason));
			json_object_array_add(engines, e);
		} else {
			strbuf_printf(ctx->out, "%-8s %-15s %s\n", m->name,
				      module_state_name(st.state), st.reason);
		}
	}
	if (ctx->json) {
		json_object_object_add(o, "engines", engines);
		cmd_put_json(ctx, o);
	}
	return CTL_OK;
}

struct clients_walk {
	struct cmd_ctx *ctx;
	struct json_object *arr;
	uint64_t now_ms;
	time_t now;
};

static void put_client(const struct ctl_session *s, void *arg)
{
	struct clients_walk *w = arg;
	uint64_t idle = (w->now_ms - s->last_request_ms) / 1000u;
	uint64_t age = w->now > s->connected ? (uint64_t)(w->now - s->connected) : 0;
	bool self = s == w->ctx->sess;

	if (w->arr) {
		struct json_object *c = json_object_new_object();

		json_object_object_add(c, "id", json_object_new_int64(s->id));
		json_object_object_add(c, "user", json_object_new_string(s->peer.user));
		json_object_object_add(c, "uid", json_object_new_int64(s->peer.uid));
		json_object_object_add(c, "pid", json_object_new_int64(s->peer.pid));
		json_object_object_add(c, "role",
				       json_object_new_string(ctl_role_name(s->peer.role)));
		json_object_object_add(c, "mode", json_object_new_string(cmd_node_name(s->node)));
		json_object_object_add(c, "connected_s", json_object_new_int64((int64_t)age));
		json_object_object_add(c, "idle_s", json_object_new_int64((int64_t)idle));
		json_object_object_add(c, "requests", json_object_new_int64((int64_t)s->requests));
		json_object_object_add(c, "self", json_object_new_boolean(self));
		json_object_array_add(w->arr, c);
		return;
	}
	strbuf_printf(w->ctx->out, "%c%-4u %-12s %7lu %7ld %-9s %-7s ", self ? '*' : ' ', s->id,
		      s->peer.user, (unsigned long)s->peer.uid, (long)s->peer.pid,
		      ctl_role_name(s->peer.role), cmd_node_name(s->node));
	cmd_put_duration(w->ctx->out, age);
	strbuf_puts(w->ctx->out, " / ");
	cmd_put_duration(w->ctx->out, idle);
	strbuf_printf(w->ctx->out, "  %lu\n", s->requests);
}

static int cmd_show_clients(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct ctl_server *srv = ctl_server_of(ctx->d);
	struct clients_walk w = { .ctx = ctx, .now_ms = loop_now_ms(ctx->d->loop),
				  .now = time(NULL) };

	if (ctx->json) {
		w.arr = json_object_new_array();
		ctl_server_foreach(srv, put_client, &w);
		cmd_put_json(ctx, w.arr);
		return CTL_OK;
	}
	strbuf_printf(ctx->out, " %-4s %-12s %7s %7s %-9s %-7s %s\n", "ID", "USER", "UID", "PID",
		      "ROLE", "MODE", "CONNECTED / IDLE  REQUESTS");
	ctl_server_foreach(srv, put_client, &w);
	strbuf_puts(ctx->out, "(* = this session)\n");
	return CTL_OK;
}

static int cmd_help(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	strbuf_printf(ctx->out,
		      "softlb shell, role %s.\n"
		      "  ?         lists what may come next, with help (\"show ?\")\n"
		      "  TAB       completes a word; unique prefixes work (\"sh ver\")\n"
		      "  json      after a show command, answers in JSON\n"
		      "  configure enters configuration mode (admin); exit or end leaves it\n"
		      "  exit      leaves the current mode, or the shell; quit leaves the shell\n",
		      ctl_role_name(ctx->role));
	return CTL_OK;
}

static int cmd_configure(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	ctx->node = CMD_NODE_CONFIG;
	return CTL_OK;
}

/* exit climbs one level: sub-mode to configure, configure to view, view
 * out of the shell. */
static int cmd_exit(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	switch (ctx->node) {
	case CMD_NODE_VIEW:
		return CTL_BYE;
	case CMD_NODE_CONFIG:
		ctx->node = CMD_NODE_VIEW;
		break;
	default:
		ctx->node = CMD_NODE_CONFIG;
		break;
	}
	if (ctx->sess)
		ctx->sess->edit_target[0] = '\0';
	return CTL_OK;
}

static int cmd_end(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	ctx->node = CMD_NODE_VIEW;
	if (ctx->sess)
		ctx->sess->edit_target[0] = '\0';
	return CTL_OK;
}

static int cmd_quit(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return CTL_BYE;
}

#define SHOW_HELP "Show running system information\n"
#define JSON_HELP "Answer in JSON\n"

static const struct cmd_def core_cmds[] = {
	{ "show version [json]", SHOW_HELP "softlbd version\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_version, NULL },
	{ "show status [json]", SHOW_HELP "Engines, uptime and configuration files\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_status, NULL },
	{ "show clients [json]", SHOW_HELP "Control-socket clients connected now\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_clients, NULL },
	{ "help", "How to use this shell\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_help, NULL },
	{ "configure", "Enter configuration mode\n",
	  CMD_IN_VIEW, CTL_ROLE_ADMIN, cmd_configure, NULL },
	{ "exit", "Leave this mode, or the shell\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_exit, NULL },
	{ "end", "Return to view mode\n",
	  CMD_IN_CONFIG_ANY, CTL_ROLE_VIEW, cmd_end, NULL },
	{ "quit", "Leave the shell\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_quit, NULL },
};

int cmds_core_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, core_cmds, sizeof(core_cmds) / sizeof(core_cmds[0]), err);
}
