#include "config.h"

#include "core/runtime.h"
#include "ctl/cmd_out.h"
#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/events_cmds.h"
#include "core/log.h"
#include "core/module.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A handful of overrides at most: an array searched linearly is plenty. */
struct runtime_state {
	struct runtime_override *items;
	size_t len, cap;
};

struct runtime_state *runtime_new(void)
{
	return xcalloc(1, sizeof(struct runtime_state));
}

void runtime_free(struct runtime_state *rt)
{
	if (!rt)
		return;
	for (size_t i = 0; i < rt->len; i++) {
		free(rt->items[i].key);
		free(rt->items[i].object);
	}
	free(rt->items);
	free(rt);
}

const struct runtime_override *runtime_lookup(const struct runtime_state *rt, const char *key)
{
	for (size_t i = 0; rt && i < rt->len; i++)
		if (strcmp(rt->items[i].key, key) == 0)
			return &rt->items[i];
	return NULL;
}

size_t runtime_count(const struct runtime_state *rt)
{
	return rt ? rt->len : 0;
}

const struct runtime_override *runtime_at(const struct runtime_state *rt, size_t i)
{
	return &rt->items[i];
}

static struct runtime_override *get_or_add(struct runtime_state *rt, const char *key)
{
	struct runtime_override *o = (struct runtime_override *)runtime_lookup(rt, key);

	if (o)
		return o;
	if (rt->len == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 8;
		rt->items = xreallocarray(rt->items, rt->cap, sizeof(*rt->items));
	}
	o = &rt->items[rt->len++];
	memset(o, 0, sizeof(*o));
	o->key = xstrdup(key);
	o->weight = -1;
	return o;
}

static void remove_at(struct runtime_state *rt, size_t i)
{
	free(rt->items[i].key);
	free(rt->items[i].object);
	memmove(&rt->items[i], &rt->items[i + 1], (rt->len - i - 1) * sizeof(*rt->items));
	rt->len--;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static void rs_key(const struct config_vs_key *vs, const struct cfg_endpoint *rs,
		   struct strbuf *out)
{
	strbuf_puts(out, "real-server ");
	config_vs_key_format(vs, out);
	strbuf_putc(out, ' ');
	cfg_endpoint_text(rs, out);
}

static void describe(const struct runtime_state *rt, const char *key, struct strbuf *out);

/* Tells whether the object key names exists in cfg. */
static bool key_exists(const struct config *cfg, const char *key)
{
	if (!cfg)
		return false;
	if (strncmp(key, "server ", 7) == 0) {
		const char *slash = strchr(key + 7, '/');
		char *proxy;
		const struct cfg_proxy *p;
		bool found;

		if (!slash)
			return false;
		proxy = xstrndup(key + 7, (size_t)(slash - key - 7));
		p = config_find_proxy(cfg, proxy);
		found = p && cfg_proxy_find_server(p, slash + 1);
		free(proxy);
		return found;
	}
	if (strncmp(key, "real-server ", 12) == 0) {
		/* "real-server VSKEY RS": the real server is the last word. */
		const char *last = strrchr(key, ' ');
		char *vstext = xstrndup(key + 12, (size_t)(last - key - 12));
		struct strbuf err = STRBUF_INIT;
		struct config_vs_key vk;
		struct cfg_endpoint ep;
		const struct cfg_virtual_server *vs = NULL;
		bool found = false;

		if (config_vs_key_parse(&vk, vstext, &err) == 0 &&
		    (vs = config_edit_find_vs(cfg, &vk)) && config_parse_endpoint(last + 1, 0, &ep))
			found = cfg_vs_find_rs(vs, &ep) != NULL;
		free(vstext);
		strbuf_free(&err);
		return found;
	}
	return false;
}

void runtime_prune(struct runtime_state *rt, const struct config *cfg,
		   struct event_journal *journal, const struct event_actor *by,
		   struct strbuf *out)
{
	for (size_t i = 0; rt && i < rt->len;) {
		const struct runtime_override *o = &rt->items[i];
		struct strbuf was = STRBUF_INIT;

		if (key_exists(cfg, o->key)) {
			i++;
			continue;
		}
		strbuf_printf(out, "runtime override of %s dropped: it is no longer configured\n",
			      o->key);
		log_notice("runtime override of %s dropped: no longer configured", o->key);
		if (journal) {
			struct event_spec spec = {
				.engine = EVENT_RUNTIME, .kind = EVENT_OVERRIDE,
				.object = o->object ? o->object : o->key,
				.new_state = "dropped", .by = by,
				.reason = "its object is no longer configured",
			};

			describe(rt, o->key, &was);
			spec.old_state = strbuf_str(&was);
			events_add(journal, &spec);
		}
		strbuf_free(&was);
		remove_at(rt, i);
	}
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

static const char *admin_name(enum runtime_admin a)
{
	switch (a) {
	case RUNTIME_DISABLED: return "disabled";
	case RUNTIME_DRAINING: return "draining";
	default: return "enabled";
	}
}

/* Applies act to the override for key. An override back at "as
 * configured" is removed, so show runtime lists only what is really in
 * force. */
static void change_override(struct runtime_state *rt, const char *key, enum runtime_action act,
			    int weight, const char *who, struct strbuf *out)
{
	struct runtime_override *o;

	if (act == RUNTIME_ACT_RESTORE) {
		for (size_t i = 0; i < rt->len; i++) {
			if (strcmp(rt->items[i].key, key) == 0) {
				remove_at(rt, i);
				strbuf_printf(out, "%s: restored to its configuration\n", key);
				return;
			}
		}
		strbuf_printf(out, "%s: already as configured\n", key);
		return;
	}
	o = get_or_add(rt, key);
	if (act == RUNTIME_ACT_DISABLE)
		o->admin = RUNTIME_DISABLED;
	else if (act == RUNTIME_ACT_DRAIN)
		o->admin = RUNTIME_DRAINING;
	else if (act == RUNTIME_ACT_ENABLE)
		o->admin = RUNTIME_ENABLED;
	else if (act == RUNTIME_ACT_WEIGHT)
		o->weight = weight;
	if (o->admin == RUNTIME_ENABLED && o->weight < 0) {
		remove_at(rt, (size_t)(o - rt->items));
		strbuf_printf(out, "%s: enabled, as configured\n", key);
		return;
	}
	o->since = time(NULL);
	snprintf(o->who, sizeof(o->who), "%s", who ? who : "?");
	strbuf_printf(out, "%s: %s", key, admin_name(o->admin));
	if (o->weight >= 0)
		strbuf_printf(out, ", weight %d", o->weight);
	strbuf_puts(out, " (runtime: survives reloads; 'restore' undoes it)\n");
}

/* The override in force for key, as text: "as configured", "draining",
 * "enabled, weight 5". */
static void describe(const struct runtime_state *rt, const char *key, struct strbuf *out)
{
	for (size_t i = 0; i < rt->len; i++) {
		if (strcmp(rt->items[i].key, key) != 0)
			continue;
		strbuf_puts(out, admin_name(rt->items[i].admin));
		if (rt->items[i].weight >= 0)
			strbuf_printf(out, ", weight %d", rt->items[i].weight);
		return;
	}
	strbuf_puts(out, "as configured");
}

int runtime_set(struct softlbd *d, const char *key, const char *object, enum runtime_action act,
		int weight, const char *who, const struct event_actor *by, struct strbuf *out,
		struct strbuf *warn)
{
	struct strbuf err = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;
	struct event_spec spec = { .engine = EVENT_RUNTIME, .kind = EVENT_OVERRIDE,
				   .object = object };
	int r = 0;

	describe(d->runtime, key, &before);
	change_override(d->runtime, key, act, weight, who, out);
	describe(d->runtime, key, &after);
	{
		/* kept for the event of its drop, should a reload remove the
		 * object (runtime_prune) */
		struct runtime_override *o = (struct runtime_override *)runtime_lookup(d->runtime, key);

		if (o && !o->object && object)
			o->object = xstrdup(object);
	}
	spec.old_state = strbuf_str(&before);
	spec.new_state = strbuf_str(&after);
	spec.by = by;
	events_add(d->events, &spec);
	strbuf_free(&before);
	strbuf_free(&after);
	/* Then the engines act on it at once (the LVS engine sets the
	 * kernel's weight). An engine's failure is reported; the override
	 * stays, and the engine retries on its own. */
	if (modules_runtime_changed(d, &err) < 0) {
		strbuf_append(warn, err.data ? err.data : "", err.len);
		r = -1;
	}
	strbuf_free(&err);
	return r;
}

static int set_override(struct cmd_ctx *ctx, const struct cmd_args *args, const char *key,
			const char *object)
{
	struct strbuf warn = STRBUF_INIT;
	struct event_actor by;
	enum runtime_action act = RUNTIME_ACT_ENABLE;

	if (cmd_arg_has(args, "restore"))
		act = RUNTIME_ACT_RESTORE;
	else if (cmd_arg_has(args, "disable"))
		act = RUNTIME_ACT_DISABLE;
	else if (cmd_arg_has(args, "drain"))
		act = RUNTIME_ACT_DRAIN;
	else if (cmd_arg_has(args, "weight"))
		act = RUNTIME_ACT_WEIGHT;
	if (runtime_set(ctx->d, key, object, act, (int)cmd_arg_num(args, "value", -1),
			ctx->sess ? ctx->sess->peer.user : "?",
			events_actor_of(ctx, &by) ? &by : NULL, ctx->out, &warn) < 0)
		strbuf_printf(ctx->out, "%% warning: %s", strbuf_str(&warn));
	strbuf_free(&warn);
	return CTL_OK;
}

void runtime_format_comments(const struct runtime_state *rt, const char *prefix,
			     struct strbuf *out)
{
	for (size_t i = 0; rt && i < rt->len; i++) {
		strbuf_printf(out, "%s runtime: %s %s", prefix, rt->items[i].key,
			      admin_name(rt->items[i].admin));
		if (rt->items[i].weight >= 0)
			strbuf_printf(out, ", weight %d", rt->items[i].weight);
		strbuf_putc(out, '\n');
	}
}

static int cmd_rs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT, key = STRBUF_INIT;
	const struct cfg_virtual_server *vs;
	struct config_vs_key vk;
	struct cfg_endpoint ep;
	int status;

	if (cmd_arg_has(args, "fwmark")) {
		config_vs_key_fwmark(&vk, (uint32_t)cmd_arg_num(args, "mark", 0));
	} else {
		const char *proto = cmd_arg_has(args, "udp") ? "udp"
				    : cmd_arg_has(args, "sctp") ? "sctp" : "tcp";

		if (config_vs_key_addr(&vk, cmd_arg(args, "vs"), proto, &err) < 0) {
			strbuf_printf(ctx->out, "%% %s\n", strbuf_str(&err));
			strbuf_free(&err);
			return CTL_ERR_FAILED;
		}
	}
	if (!config_parse_endpoint(cmd_arg(args, "rs"), 0, &ep)) {
		strbuf_printf(ctx->out, "%% '%s' is not an ADDR:PORT\n", cmd_arg(args, "rs"));
		return CTL_ERR_FAILED;
	}
	vs = ctx->d->config ? config_edit_find_vs(ctx->d->config, &vk) : NULL;
	rs_key(&vk, &ep, &key);
	if (!vs || !cfg_vs_find_rs(vs, &ep)) {
		strbuf_printf(ctx->out, "%% no such real server: %s\n", strbuf_str(&key) + 12);
		status = CTL_ERR_NOTFOUND;
	} else {
		struct strbuf object = STRBUF_INIT;

		/* the journal's key, as the checks and the diff name it */
		strbuf_puts(&object, "rs ");
		cfg_vs_identity(vs, &object);
		strbuf_putc(&object, ' ');
		cfg_endpoint_text(&ep, &object);
		status = set_override(ctx, args, strbuf_str(&key), strbuf_str(&object));
		strbuf_free(&object);
	}
	strbuf_free(&key);
	strbuf_free(&err);
	return status;
}

static int cmd_server(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *proxy = cmd_arg(args, "proxy"), *name = cmd_arg(args, "name");
	const struct cfg_proxy *p = ctx->d->config ? config_find_proxy(ctx->d->config, proxy)
						   : NULL;
	struct strbuf key = STRBUF_INIT;
	int status;

	strbuf_printf(&key, "server %s/%s", proxy, name);
	if (!p || !cfg_proxy_find_server(p, name)) {
		strbuf_printf(ctx->out, "%% no such server: %s/%s\n", proxy, name);
		status = CTL_ERR_NOTFOUND;
	} else {
		status = set_override(ctx, args, strbuf_str(&key), strbuf_str(&key));
	}
	strbuf_free(&key);
	return status;
}

static int cmd_show_runtime(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct runtime_state *rt = ctx->d->runtime;
	struct json_object *arr = ctx->json ? json_object_new_array() : NULL;

	if (!arr && rt->len == 0)
		strbuf_puts(ctx->out, "no runtime overrides: everything runs as configured\n");
	else if (!arr)
		strbuf_printf(ctx->out, "%-52s %-9s %-7s %-12s %s\n", "OBJECT", "STATE", "WEIGHT",
			      "BY", "SINCE");
	for (size_t i = 0; i < rt->len; i++) {
		const struct runtime_override *o = &rt->items[i];
		char since[32];
		struct tm tm;

		localtime_r(&o->since, &tm);
		strftime(since, sizeof(since), "%Y-%m-%d %H:%M:%S", &tm);
		if (arr) {
			struct json_object *j = json_object_new_object();

			json_object_object_add(j, "object", json_object_new_string(o->key));
			json_object_object_add(j, "state", json_object_new_string(admin_name(o->admin)));
			json_object_object_add(j, "weight", o->weight >= 0
					       ? json_object_new_int(o->weight) : NULL);
			json_object_object_add(j, "by", json_object_new_string(o->who));
			json_object_object_add(j, "since", json_object_new_string(since));
			json_object_array_add(arr, j);
			continue;
		}
		strbuf_printf(ctx->out, "%-52s %-9s ", o->key, admin_name(o->admin));
		if (o->weight >= 0)
			strbuf_printf(ctx->out, "%-7d ", o->weight);
		else
			strbuf_printf(ctx->out, "%-7s ", "config");
		strbuf_printf(ctx->out, "%-12s %s\n", o->who, since);
	}
	if (arr) {
		cmd_put_json(ctx, arr);
	}
	return CTL_OK;
}

static void values_proxy(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = ctx->d ? ctx->d->config : NULL;

	if (!cfg || strcmp(var, "proxy") != 0)
		return;
	for (size_t i = 0; i < cfg->n_proxies; i++)
		strvec_push(out, cfg->proxies[i].name);
}

#define RS_HELP "A real server of a virtual server\nReal server address and port\n" \
	"Of the virtual server\n"
#define VS_ADDR_HELP "Virtual server address and port\nTCP\nUDP\nSCTP\n"
#define VS_MARK_HELP "Virtual server by firewall mark\nFirewall mark\n"
#define ACTION_HELP "Take no traffic\nTake traffic again\n" \
	"Take no new connections; let existing ones finish\nBack to the configuration\n"
#define WEIGHT_HELP "Set the weight until restored\n"
#define SRV_HELP "A server of a proxy\nProxy name\nServer name\n"

static const struct cmd_def runtime_cmds[] = {
	{ "real-server ADDR:PORT$rs of ADDR:PORT$vs <tcp|udp|sctp> <disable|enable|drain|restore>",
	  RS_HELP VS_ADDR_HELP ACTION_HELP, CMD_IN_VIEW, CTL_ROLE_OPER, cmd_rs, NULL },
	{ "real-server ADDR:PORT$rs of ADDR:PORT$vs <tcp|udp|sctp> weight (0-65535)$value",
	  RS_HELP VS_ADDR_HELP WEIGHT_HELP "Weight\n", CMD_IN_VIEW, CTL_ROLE_OPER, cmd_rs, NULL },
	{ "real-server ADDR:PORT$rs of fwmark (1-4294967295)$mark <disable|enable|drain|restore>",
	  RS_HELP VS_MARK_HELP ACTION_HELP, CMD_IN_VIEW, CTL_ROLE_OPER, cmd_rs, NULL },
	{ "real-server ADDR:PORT$rs of fwmark (1-4294967295)$mark weight (0-65535)$value",
	  RS_HELP VS_MARK_HELP WEIGHT_HELP "Weight\n", CMD_IN_VIEW, CTL_ROLE_OPER, cmd_rs, NULL },
	{ "server WORD$proxy WORD$name <disable|enable|drain|restore>",
	  SRV_HELP ACTION_HELP, CMD_IN_VIEW, CTL_ROLE_OPER, cmd_server, values_proxy },
	{ "server WORD$proxy WORD$name weight (0-256)$value",
	  SRV_HELP WEIGHT_HELP "Weight\n", CMD_IN_VIEW, CTL_ROLE_OPER, cmd_server, values_proxy },
	{ "show runtime [json]",
	  "Show running system information\nOperator overrides in force (disabled, drained, "
	  "weights)\nAnswer in JSON\n", CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_runtime, NULL },
};

int runtime_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, runtime_cmds, sizeof(runtime_cmds) / sizeof(runtime_cmds[0]),
				 err);
}
