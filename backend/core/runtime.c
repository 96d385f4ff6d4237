#include "config.h"

#include "core/runtime.h"
#include "ctl/cmd_out.h"
#include "config/conf.h"
#include "config/edit.h"
#include "config/value.h"
#include "config/index.h"
#include "config/model.h"
#include "core/confmgr.h"
#include "core/daemon.h"
#include "core/events_cmds.h"
#include "core/log.h"
#include "core/module.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/hindex.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static enum cfg_proto norm_proto(enum cfg_vs_kind kind, enum cfg_proto p)
{
	if (kind == CFG_VS_FWMARK)
		return CFG_PROTO_UNSET;	/* a mark names any protocol */
	return p ? p : CFG_PROTO_TCP;
}

/* A real server's key from its virtual server's typed parts. */
static void fill_rs(struct runtime_key *k, enum cfg_vs_kind kind, enum cfg_proto protocol,
		    const struct cfg_endpoint *vs_ep, uint32_t fwmark, const char *group,
		    const struct cfg_endpoint *rs)
{
	memset(k, 0, sizeof(*k));
	k->kind = RUNTIME_KEY_RS;
	k->vs_kind = kind;
	k->protocol = norm_proto(kind, protocol);
	if (kind == CFG_VS_ADDR)
		k->vs_ep = *vs_ep;
	if (kind == CFG_VS_FWMARK)
		k->fwmark = fwmark;
	if (kind == CFG_VS_GROUP)
		k->name = group;
	k->rs = *rs;
}

void runtime_key_rs(struct runtime_key *k, const struct config_vs_key *vs,
		    const struct cfg_endpoint *rs)
{
	fill_rs(k, vs->kind, vs->protocol, &vs->ep, vs->fwmark, vs->group, rs);
}

void runtime_key_rs_of(struct runtime_key *k, const struct cfg_virtual_server *vs,
		       const struct cfg_endpoint *rs)
{
	fill_rs(k, vs->kind, vs->protocol, &vs->ep, vs->fwmark, vs->group, rs);
}

void runtime_key_server(struct runtime_key *k, const char *proxy, const char *server)
{
	memset(k, 0, sizeof(*k));
	k->kind = RUNTIME_KEY_SERVER;
	k->name = proxy;
	k->server = server;
}

void runtime_key_format(const struct runtime_key *k, struct strbuf *out)
{
	static const char *const protos[] = { "tcp", "tcp", "udp", "sctp" };
	const char *proto = (unsigned)k->protocol < 4 ? protos[k->protocol] : "tcp";

	if (k->kind == RUNTIME_KEY_SERVER) {
		strbuf_printf(out, "server %s/%s", k->name, k->server);
		return;
	}
	strbuf_puts(out, "real-server ");
	switch (k->vs_kind) {
	case CFG_VS_ADDR:
		cfg_endpoint_text(&k->vs_ep, out);
		strbuf_printf(out, " %s", proto);
		break;
	case CFG_VS_FWMARK:
		strbuf_printf(out, "fwmark %u", (unsigned)k->fwmark);
		break;
	case CFG_VS_GROUP:
		strbuf_printf(out, "group %s %s", k->name, proto);
		break;
	}
	strbuf_putc(out, ' ');
	cfg_endpoint_text(&k->rs, out);
}

/* An endpoint's hash: the bytes its family uses, and the port. */
static uint32_t ep_hash(uint32_t h, const struct cfg_endpoint *ep)
{
	int af = (int)ep->addr.af;
	size_t n = ep->addr.af == CFG_AF_INET4 ? 4 : ep->addr.af == CFG_AF_INET6 ? 16 : 0;

	h = hindex_fnv(h, &af, sizeof(af));
	h = hindex_fnv(h, ep->addr.b, n);
	return hindex_fnv(h, &ep->port, sizeof(ep->port));
}

/* Hashes exactly what runtime_key_equal() compares. */
uint32_t runtime_key_hash(const struct runtime_key *k)
{
	uint32_t h = HINDEX_FNV_SEED;
	int kind = (int)k->kind;

	h = hindex_fnv(h, &kind, sizeof(kind));
	if (k->kind == RUNTIME_KEY_SERVER) {
		h = hindex_fnv_str(h, k->name);
		return hindex_fnv_str(h, k->server);
	}
	kind = (int)k->vs_kind;
	h = hindex_fnv(h, &kind, sizeof(kind));
	switch (k->vs_kind) {
	case CFG_VS_ADDR:
		h = hindex_fnv(h, &k->protocol, sizeof(k->protocol));
		h = ep_hash(h, &k->vs_ep);
		break;
	case CFG_VS_FWMARK:
		h = hindex_fnv(h, &k->fwmark, sizeof(k->fwmark));
		break;
	case CFG_VS_GROUP:
		h = hindex_fnv(h, &k->protocol, sizeof(k->protocol));
		h = hindex_fnv_str(h, k->name);
		break;
	}
	return ep_hash(h, &k->rs);
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

bool runtime_key_equal(const struct runtime_key *a, const struct runtime_key *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == RUNTIME_KEY_SERVER)
		return str_eq(a->name, b->name) && str_eq(a->server, b->server);
	if (a->vs_kind != b->vs_kind || !cfg_endpoint_equal(&a->rs, &b->rs))
		return false;
	switch (a->vs_kind) {
	case CFG_VS_ADDR:
		return a->protocol == b->protocol && cfg_endpoint_equal(&a->vs_ep, &b->vs_ep);
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark;
	case CFG_VS_GROUP:
		return a->protocol == b->protocol && str_eq(a->name, b->name);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* The overrides                                                       */

/* In the order they were set (show runtime lists them so), each found
 * through the index by its typed key: every real server of 10,000
 * virtual servers asks for its override on each build. */
struct runtime_state {
	struct runtime_override **items;
	size_t len, cap;
	struct hindex ix;
};

static const void *override_key(const void *item)
{
	return &((const struct runtime_override *)item)->id;
}

static uint32_t key_hash(const void *k)
{
	return runtime_key_hash(k);
}

static bool key_equal(const void *a, const void *b)
{
	return runtime_key_equal(a, b);
}

static const struct hindex_ops override_ops = { override_key, key_hash, key_equal };

struct runtime_state *runtime_new(void)
{
	struct runtime_state *rt = xcalloc(1, sizeof(struct runtime_state));

	hindex_init(&rt->ix, &override_ops);
	return rt;
}

static void override_free(struct runtime_override *o)
{
	free((char *)o->id.name);
	free((char *)o->id.server);
	free(o->key);
	free(o->object);
	free(o);
}

void runtime_free(struct runtime_state *rt)
{
	if (!rt)
		return;
	for (size_t i = 0; i < rt->len; i++)
		override_free(rt->items[i]);
	free(rt->items);
	hindex_free(&rt->ix);
	free(rt);
}

const struct runtime_override *runtime_lookup(const struct runtime_state *rt,
					      const struct runtime_key *key)
{
	return rt ? hindex_find(&rt->ix, key) : NULL;
}

size_t runtime_lookup_probes(const struct runtime_state *rt, const struct runtime_key *key)
{
	return rt ? hindex_probes(&rt->ix, key) : 0;
}

size_t runtime_count(const struct runtime_state *rt)
{
	return rt ? rt->len : 0;
}

const struct runtime_override *runtime_at(const struct runtime_state *rt, size_t i)
{
	return rt->items[i];
}

static struct runtime_override *get_or_add(struct runtime_state *rt,
					   const struct runtime_key *key)
{
	struct runtime_override *o = hindex_find(&rt->ix, key);
	struct strbuf text = STRBUF_INIT;

	if (o)
		return o;
	if (rt->len == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 8;
		rt->items = xreallocarray(rt->items, rt->cap, sizeof(*rt->items));
	}
	o = xcalloc(1, sizeof(*o));
	o->id = *key;
	o->id.name = key->name ? xstrdup(key->name) : NULL;
	o->id.server = key->server ? xstrdup(key->server) : NULL;
	runtime_key_format(key, &text);
	o->key = strbuf_detach(&text);
	o->weight = -1;
	rt->items[rt->len++] = o;
	hindex_add(&rt->ix, o);
	return o;
}

/* Removes the override at position i, keeping the others' order. */
static void remove_at(struct runtime_state *rt, size_t i)
{
	struct runtime_override *o = rt->items[i];

	hindex_remove(&rt->ix, o);
	memmove(&rt->items[i], &rt->items[i + 1], (rt->len - i - 1) * sizeof(*rt->items));
	rt->len--;
	override_free(o);
}

/* The position of o in the set order (removals only: rare). */
static size_t position_of(const struct runtime_state *rt, const struct runtime_override *o)
{
	size_t i = 0;

	while (i < rt->len && rt->items[i] != o)
		i++;
	return i;
}

static void describe(const struct runtime_override *o, struct strbuf *out);

/* Tells whether the object key names exists in the model ix indexes:
 * two hash lookups and a walk of one virtual server's real servers. */
static bool key_exists(const struct config_index *ix, const struct runtime_key *key)
{
	const struct cfg_virtual_server *vs;
	struct cfg_virtual_server id;

	if (!ix || !ix->cfg)
		return false;
	if (key->kind == RUNTIME_KEY_SERVER) {
		const struct cfg_proxy *p = config_index_proxy(ix, key->name);

		return p && cfg_proxy_find_server(p, key->server);
	}
	/* init allocates nothing, so id needs no cleanup */
	cfg_virtual_server_init(&id);
	id.kind = key->vs_kind;
	id.protocol = key->protocol;
	id.ep = key->vs_ep;
	id.fwmark = key->fwmark;
	id.group = (char *)key->name;	/* only read */
	id.af = CFG_AF_ANY;	/* "fwmark N" names either family */
	vs = config_index_vs(ix, &id);
	return vs && cfg_vs_find_rs(vs, &key->rs);
}

void runtime_prune(struct runtime_state *rt, const struct config_index *ix,
		   struct event_journal *journal, const struct event_actor *by,
		   struct strbuf *out)
{
	for (size_t i = 0; rt && i < rt->len;) {
		const struct runtime_override *o = rt->items[i];
		struct strbuf was = STRBUF_INIT;

		if (key_exists(ix, &o->id)) {
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

			describe(o, &was);
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
static void change_override(struct runtime_state *rt, const struct runtime_key *key,
			    enum runtime_action act, int weight, const char *who,
			    struct strbuf *out)
{
	struct runtime_override *o = hindex_find(&rt->ix, key);
	struct strbuf text = STRBUF_INIT;

	runtime_key_format(key, &text);
	if (act == RUNTIME_ACT_RESTORE) {
		if (o) {
			remove_at(rt, position_of(rt, o));
			strbuf_printf(out, "%s: restored to its configuration\n",
				      strbuf_str(&text));
		} else {
			strbuf_printf(out, "%s: already as configured\n", strbuf_str(&text));
		}
		strbuf_free(&text);
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
		remove_at(rt, position_of(rt, o));
		strbuf_printf(out, "%s: enabled, as configured\n", strbuf_str(&text));
		strbuf_free(&text);
		return;
	}
	strbuf_free(&text);
	o->since = time(NULL);
	snprintf(o->who, sizeof(o->who), "%s", who ? who : "?");
	strbuf_printf(out, "%s: %s", o->key, admin_name(o->admin));
	if (o->weight >= 0)
		strbuf_printf(out, ", weight %d", o->weight);
	strbuf_puts(out, " (runtime: survives reloads; 'restore' undoes it)\n");
}

/* The override o (NULL: none) as text: "as configured", "draining",
 * "enabled, weight 5". */
static void describe(const struct runtime_override *o, struct strbuf *out)
{
	if (!o) {
		strbuf_puts(out, "as configured");
		return;
	}
	strbuf_puts(out, admin_name(o->admin));
	if (o->weight >= 0)
		strbuf_printf(out, ", weight %d", o->weight);
}

int runtime_set(struct softlbd *d, const struct runtime_key *key, const char *object,
		enum runtime_action act, int weight, const char *who,
		const struct event_actor *by, struct strbuf *out, struct strbuf *warn)
{
	struct strbuf err = STRBUF_INIT, before = STRBUF_INIT, after = STRBUF_INIT;
	struct event_spec spec = { .engine = EVENT_RUNTIME, .kind = EVENT_OVERRIDE,
				   .object = object };
	struct runtime_override *o;
	int r = 0;

	describe(runtime_lookup(d->runtime, key), &before);
	change_override(d->runtime, key, act, weight, who, out);
	o = hindex_find(&d->runtime->ix, key);
	describe(o, &after);
	/* kept for the event of its drop, should a reload remove the
	 * object (runtime_prune) */
	if (o && !o->object && object)
		o->object = xstrdup(object);
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

static int set_override(struct cmd_ctx *ctx, const struct cmd_args *args,
			const struct runtime_key *key, const char *object)
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
		strbuf_printf(out, "%s runtime: %s %s", prefix, rt->items[i]->key,
			      admin_name(rt->items[i]->admin));
		if (rt->items[i]->weight >= 0)
			strbuf_printf(out, ", weight %d", rt->items[i]->weight);
		strbuf_putc(out, '\n');
	}
}

static int cmd_rs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT, key = STRBUF_INIT;
	const struct cfg_virtual_server *vs;
	struct config_vs_key vk;
	struct runtime_key rk;
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
	vs = ctx->d->config ? config_index_vs_key(confmgr_index(ctx->d), &vk) : NULL;
	runtime_key_rs(&rk, &vk, &ep);
	runtime_key_format(&rk, &key);
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
		status = set_override(ctx, args, &rk, strbuf_str(&object));
		strbuf_free(&object);
	}
	strbuf_free(&key);
	strbuf_free(&err);
	return status;
}

static int cmd_server(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *proxy = cmd_arg(args, "proxy"), *name = cmd_arg(args, "name");
	const struct cfg_proxy *p = ctx->d->config ? config_index_proxy(confmgr_index(ctx->d),
									 proxy) : NULL;
	struct strbuf key = STRBUF_INIT;
	struct runtime_key rk;
	int status;

	runtime_key_server(&rk, proxy, name);
	runtime_key_format(&rk, &key);
	if (!p || !cfg_proxy_find_server(p, name)) {
		strbuf_printf(ctx->out, "%% no such server: %s/%s\n", proxy, name);
		status = CTL_ERR_NOTFOUND;
	} else {
		status = set_override(ctx, args, &rk, strbuf_str(&key));
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
		const struct runtime_override *o = rt->items[i];
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
