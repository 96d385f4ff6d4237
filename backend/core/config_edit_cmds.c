#include "config.h"

#include "core/config_edit_cmds.h"

/* Configure-mode commands that edit the running configuration.
 *
 * Every handler takes the one path a change may take: copy the running
 * model, edit the copy (config/edit.h), validate it by printing and
 * loading it, and hand it to confmgr_apply(), which diffs it, lets each
 * engine apply its part, and swaps it in, or refuses and leaves the
 * running model as it was. The reply is the list of changes, or "% "
 * lines with the reasons.
 *
 * The sub-modes remember what they edit in sess->edit_target, as the
 * shell names it ("192.0.2.10:80 tcp", "fwmark 7", "web", "VI_1"), and
 * look the object up again on every command: another session may have
 * changed or deleted it in between.
 */

#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "core/confmgr.h"
#include "core/daemon.h"
#include "core/events_cmds.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/strvec.h"

#include <stdio.h>
#include <string.h>

/* ================================================================ */
/* The edit path */

/* Writes each line of msg to out as "% line". */
static void put_errors(struct strbuf *out, const struct strbuf *msg)
{
	const char *p = strbuf_str(msg);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		strbuf_puts(out, "% ");
		strbuf_append(out, p, n);
		strbuf_putc(out, '\n');
		p += n + (nl != NULL);
	}
}

/* A copy of the running model to edit (an empty model when softlbd runs
 * without one). Returns NULL with the reason in ctx->out, which only a
 * printer bug can cause. */
static struct config *edit_begin(struct cmd_ctx *ctx)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct strbuf msg = STRBUF_INIT;
	struct config *work;

	if (!ctx->d->config)
		return config_new_empty();
	work = config_clone(ctx->d->config, &diag);
	if (!work) {
		strbuf_puts(ctx->out, "% cannot copy the running configuration:\n");
		config_diag_format(&diag, &msg);
		put_errors(ctx->out, &msg);
	}
	config_diag_free(&diag);
	strbuf_free(&msg);
	return work;
}

/* Finishes an edit: rc is what the edit function returned, err its
 * reasons. Validates work and applies it. Takes ownership of work.
 * Returns a ctl status for the handler. */
static int edit_commit(struct cmd_ctx *ctx, struct config *work, int rc,
		       struct strbuf *err)
{
	struct config *next;
	struct event_actor by;
	int status = CTL_ERR_FAILED;

	if (rc < 0) {
		config_free(work);
		put_errors(ctx->out, err);
		goto out;
	}
	next = config_edit_finish(work, err);
	if (!next) {
		put_errors(ctx->out, err);
		goto out;
	}
	/* confmgr_apply writes either the changes or "% ..." reasons */
	if (confmgr_apply(ctx->d, next, EVENT_EDIT,
			  events_actor_of(ctx, &by) ? &by : NULL, ctx->out) == 0)
		status = CTL_OK;
out:
	strbuf_free(err);
	return status;
}

/* Handlers run with a daemon; unit tests of the grammar have none. */
static bool have_daemon(struct cmd_ctx *ctx)
{
	if (ctx->d)
		return true;
	strbuf_puts(ctx->out, "% no daemon to configure\n");
	return false;
}

/* Enters a sub-mode editing target. */
static int enter(struct cmd_ctx *ctx, enum cmd_node node, const char *target)
{
	ctx->node = node;
	if (ctx->sess)
		snprintf(ctx->sess->edit_target, sizeof(ctx->sess->edit_target),
			 "%s", target);
	return CTL_OK;
}

/* What the sub-mode edits; NULL with a reason in ctx->out when the
 * session has no target (only a caller without a session can). */
static const char *target_of(struct cmd_ctx *ctx)
{
	if (ctx->sess && ctx->sess->edit_target[0])
		return ctx->sess->edit_target;
	strbuf_puts(ctx->out, "% nothing selected to edit\n");
	return NULL;
}

/* One edit of the copy: target is what the sub-mode edits (NULL at the
 * top of configure mode). Returns what the config/edit.h function
 * returned, with the reasons in err. */
typedef int (*edit_fn)(const struct cmd_args *args, const char *target,
		       struct config *work, struct strbuf *err);

/* The one driver of every edit handler: a daemon, the sub-mode's
 * target when in_target, a copy of the running model, the edit, then
 * validation and the apply (edit_commit). */
static int edit_run(struct cmd_ctx *ctx, const struct cmd_args *args, bool in_target,
		    edit_fn fn)
{
	struct strbuf err = STRBUF_INIT;
	const char *target = NULL;
	struct config *work;

	if (!have_daemon(ctx))
		return CTL_ERR_INTERNAL;
	if (in_target && !(target = target_of(ctx)))
		return CTL_ERR_FAILED;
	work = edit_begin(ctx);
	if (!work)
		return CTL_ERR_INTERNAL;
	return edit_commit(ctx, work, fn(args, target, work, &err), &err);
}

/* Enters sub-mode node for the object named target, creating it first
 * with create when the running model does not have it. */
static int enter_or_create(struct cmd_ctx *ctx, const struct cmd_args *args,
			   enum cmd_node node, const char *target, bool exists,
			   edit_fn create)
{
	int status;

	if (!have_daemon(ctx))
		return CTL_ERR_INTERNAL;
	if (exists)
		return enter(ctx, node, target);
	status = edit_run(ctx, args, false, create);
	if (status == CTL_OK)
		enter(ctx, node, target);
	return status;
}

/* ================================================================ */
/* Virtual servers */

/* The key a virtual-server or no virtual-server line names. */
static int key_of_args(const struct cmd_args *args, struct config_vs_key *key,
		       struct strbuf *err)
{
	static const char *const protos[] = { "tcp", "udp", "sctp" };
	const char *proto = "tcp";

	if (cmd_arg_has(args, "fwmark")) {
		config_vs_key_fwmark(key, (uint32_t)cmd_arg_num(args, "mark", 0));
		return 0;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(*protos); i++)
		if (cmd_arg_has(args, protos[i]))
			proto = protos[i];
	if (cmd_arg_has(args, "group"))
		return config_vs_key_group(key, cmd_arg(args, "groupname"), proto, err);
	return config_vs_key_addr(key, cmd_arg(args, "ADDR:PORT"), proto, err);
}

static int create_vs(const struct cmd_args *args, const char *target, struct config *work,
		     struct strbuf *err)
{
	struct config_vs_change none = CONFIG_VS_CHANGE_NONE;
	struct config_vs_key key;

	return key_of_args(args, &key, err) < 0 ? -1 :
		config_edit_vs_set(work, &key, &none, NULL, err);
}

static int cmd_vs_enter(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct strbuf err = STRBUF_INIT, target = STRBUF_INIT;
	struct config_vs_key key;
	int status = CTL_ERR_FAILED;

	if (key_of_args(args, &key, &err) < 0) {
		put_errors(ctx->out, &err);
	} else {
		config_vs_key_format(&key, &target);
		status = enter_or_create(ctx, args, CMD_NODE_VS, strbuf_str(&target),
					 ctx->d && ctx->d->config &&
					 config_edit_find_vs(ctx->d->config, &key),
					 create_vs);
	}
	strbuf_free(&err);
	strbuf_free(&target);
	return status;
}

static int delete_vs(const struct cmd_args *args, const char *target, struct config *work,
		     struct strbuf *err)
{
	struct config_vs_key key;

	return key_of_args(args, &key, err) < 0 ? -1 :
		config_edit_vs_delete(work, &key, err);
}

static int cmd_no_vs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, false, delete_vs);
}

/* The method keyword on the line, or CFG_LB_KIND_UNSET. */
static enum cfg_lb_kind method_of_args(const struct cmd_args *args)
{
	static const char *const words[] = { "dr", "nat", "tun" };

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (cmd_arg_has(args, words[i]))
			return config_lb_kind_parse(words[i]);
	return CFG_LB_KIND_UNSET;
}

/* One change of the virtual server the sub-mode edits, from the line:
 * scheduler, method, persistence-timeout. It must still exist (set
 * would create it). */
static int change_vs(const struct cmd_args *args, const char *target, struct config *work,
		     struct strbuf *err)
{
	struct config_vs_change ch = CONFIG_VS_CHANGE_NONE;
	struct config_vs_key key;
	bool created = false;

	if (config_vs_key_parse(&key, target, err) < 0)
		return -1;
	ch.scheduler = cmd_arg(args, "name");
	ch.method = method_of_args(args);
	ch.persistence_s = cmd_arg_num(args, "seconds", -1);
	if (config_edit_vs_set(work, &key, &ch, &created, err) < 0)
		return -1;
	if (created) {
		strbuf_puts(err, "virtual-server ");
		config_vs_key_format(&key, err);
		strbuf_puts(err, " no longer exists\n");
		return -1;
	}
	return 0;
}

static int cmd_vs_change(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, change_vs);
}

static int set_rs(const struct cmd_args *args, const char *target, struct config *work,
		  struct strbuf *err)
{
	struct config_vs_key key;

	return config_vs_key_parse(&key, target, err) < 0 ? -1 :
		config_edit_rs_set(work, &key, cmd_arg(args, "ADDR:PORT"),
				   cmd_arg_num(args, "weight-value", -1),
				   method_of_args(args), NULL, err);
}

static int cmd_rs_set(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, set_rs);
}

static int delete_rs(const struct cmd_args *args, const char *target, struct config *work,
		     struct strbuf *err)
{
	struct config_vs_key key;

	return config_vs_key_parse(&key, target, err) < 0 ? -1 :
		config_edit_rs_delete(work, &key, cmd_arg(args, "ADDR:PORT"), err);
}

static int cmd_no_rs(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, delete_rs);
}

/* ================================================================ */
/* Proxies and servers */

static int create_proxy(const struct cmd_args *args, const char *target, struct config *work,
			struct strbuf *err)
{
	struct config_proxy_change none = CONFIG_PROXY_CHANGE_NONE;

	return config_edit_proxy_set(work, cmd_arg(args, "name"), &none, NULL, err);
}

static int cmd_proxy_enter(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "name");

	return enter_or_create(ctx, args, CMD_NODE_PROXY, name,
			       ctx->d && ctx->d->config &&
			       config_find_proxy(ctx->d->config, name),
			       create_proxy);
}

static int delete_proxy(const struct cmd_args *args, const char *target, struct config *work,
			struct strbuf *err)
{
	return config_edit_proxy_delete(work, cmd_arg(args, "name"), err);
}

static int cmd_no_proxy(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, false, delete_proxy);
}

/* One change of the proxy the sub-mode edits, from the line: mode,
 * bind, no bind, balance. It must still exist. */
static int change_proxy(const struct cmd_args *args, const char *target, struct config *work,
			struct strbuf *err)
{
	static const char *const algos[] = {
		"roundrobin", "static-rr", "leastconn", "source", "first", "random",
	};
	struct config_proxy_change ch = CONFIG_PROXY_CHANGE_NONE;
	bool created = false;

	if (cmd_arg_has(args, "http"))
		ch.mode = CFG_MODE_HTTP;
	else if (cmd_arg_has(args, "tcp"))
		ch.mode = CFG_MODE_TCP;
	if (cmd_arg_has(args, "no"))
		ch.unbind = cmd_arg(args, "ADDR:PORT");
	else
		ch.bind = cmd_arg(args, "ADDR:PORT");
	for (size_t i = 0; i < sizeof(algos) / sizeof(*algos); i++)
		if (cmd_arg_has(args, algos[i]))
			ch.balance = config_balance_parse(algos[i]);
	if (config_edit_proxy_set(work, target, &ch, &created, err) < 0)
		return -1;
	if (created) {
		strbuf_printf(err, "proxy '%s' no longer exists\n", target);
		return -1;
	}
	return 0;
}

static int cmd_proxy_change(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, change_proxy);
}

static int set_server(const struct cmd_args *args, const char *target, struct config *work,
		      struct strbuf *err)
{
	int check = cmd_arg_has(args, "check") ? 1 : cmd_arg_has(args, "no-check") ? 0 : -1;

	return config_edit_server_set(work, target, cmd_arg(args, "name"),
				      cmd_arg(args, "ADDR:PORT"),
				      cmd_arg_num(args, "weight-value", -1), check, NULL, err);
}

static int cmd_server_set(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, set_server);
}

static int delete_server(const struct cmd_args *args, const char *target,
			 struct config *work, struct strbuf *err)
{
	return config_edit_server_delete(work, target, cmd_arg(args, "name"), err);
}

static int cmd_no_server(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, delete_server);
}

/* ================================================================ */
/* VRRP instances */

/* Only existing instances: a new one needs an interface and a
 * virtual_router_id, which belong in keepalived.conf. */
static int cmd_vrrp_enter(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "name");

	if (!have_daemon(ctx))
		return CTL_ERR_INTERNAL;
	if (ctx->d->config && config_find_vrrp(ctx->d->config, name))
		return enter(ctx, CMD_NODE_VRRP, name);
	strbuf_printf(ctx->out, "%% vrrp-instance '%s' does not exist; a new instance "
		      "needs an interface and a virtual_router_id: add it to "
		      "keepalived.conf and reload\n", name);
	return CTL_ERR_FAILED;
}

static int delete_vrrp(const struct cmd_args *args, const char *target, struct config *work,
		       struct strbuf *err)
{
	return config_edit_vrrp_delete(work, cmd_arg(args, "name"), err);
}

static int cmd_no_vrrp(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, false, delete_vrrp);
}

static int set_priority(const struct cmd_args *args, const char *target, struct config *work,
			struct strbuf *err)
{
	return config_edit_vrrp_priority(work, target, cmd_arg_num(args, "value", 0), err);
}

static int cmd_vrrp_priority(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, set_priority);
}

/* ================================================================ */
/* Virtual server groups */

static int create_vsg(const struct cmd_args *args, const char *target, struct config *work,
		      struct strbuf *err)
{
	return config_edit_vsg_set(work, cmd_arg(args, "name"), NULL, err);
}

static int cmd_vsg_enter(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *name = cmd_arg(args, "name");

	return enter_or_create(ctx, args, CMD_NODE_VSG, name,
			       ctx->d && ctx->d->config &&
			       config_find_vs_group(ctx->d->config, name),
			       create_vsg);
}

static int delete_vsg(const struct cmd_args *args, const char *target, struct config *work,
		      struct strbuf *err)
{
	return config_edit_vsg_delete(work, cmd_arg(args, "name"), err);
}

static int cmd_no_vsg(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, false, delete_vsg);
}

/* member ADDR:PORT [to ADDR] | member fwmark N, added or (no) removed. */
static int vsg_member(const struct cmd_args *args, const char *group, struct config *work,
		      struct strbuf *err)
{
	struct config_vsg_member m = { 0 };

	if (cmd_arg_has(args, "fwmark")) {
		m.is_fwmark = true;
		m.fwmark = (uint32_t)cmd_arg_num(args, "mark", 0);
	} else {
		m.addrport = cmd_arg(args, "ADDR:PORT");
		m.to = cmd_arg(args, "last");
	}
	return config_edit_vsg_member(work, group, &m, !cmd_arg_has(args, "no"), err);
}

static int cmd_vsg_member(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return edit_run(ctx, args, true, vsg_member);
}

/* ================================================================ */
/* Completion of live names */

static const struct config *running(const struct cmd_ctx *ctx)
{
	return ctx->d ? ctx->d->config : NULL;
}

static void endpoint_value(const struct cfg_endpoint *ep, struct strvec *out)
{
	struct strbuf sb = STRBUF_INIT;

	cfg_endpoint_text(ep, &sb);
	strvec_push_owned(out, strbuf_detach(&sb));
}

static void values_vs(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);
	char buf[16];

	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_vs; i++) {
		const struct cfg_virtual_server *vs = cfg->vs[i];

		if (vs->kind == CFG_VS_ADDR && strcmp(var, "ADDR:PORT") == 0) {
			endpoint_value(&vs->ep, out);
		} else if (vs->kind == CFG_VS_FWMARK && strcmp(var, "mark") == 0) {
			snprintf(buf, sizeof(buf), "%u", (unsigned)vs->fwmark);
			strvec_push(out, buf);
		}
	}
	/* a virtual server over a group can be made for any group */
	for (size_t i = 0; strcmp(var, "groupname") == 0 && i < cfg->n_vs_groups; i++)
		strvec_push(out, cfg->vs_groups[i].name);
}

static void values_rs(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);
	const struct cfg_virtual_server *vs;
	struct strbuf err = STRBUF_INIT;
	struct config_vs_key key;

	if (!cfg || !ctx->sess || strcmp(var, "ADDR:PORT") != 0 ||
	    config_vs_key_parse(&key, ctx->sess->edit_target, &err) < 0) {
		strbuf_free(&err);
		return;
	}
	vs = config_edit_find_vs(cfg, &key);
	for (size_t i = 0; vs && i < vs->n_rs; i++)
		endpoint_value(&vs->rs[i].ep, out);
	strbuf_free(&err);
}

static void values_scheduler(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	for (size_t i = 0; config_lvs_schedulers[i]; i++)
		strvec_push(out, config_lvs_schedulers[i]);
}

static void values_proxy(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);

	for (size_t i = 0; cfg && i < cfg->n_proxies; i++)
		strvec_push(out, cfg->proxies[i].name);
}

static void values_server(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);
	const struct cfg_proxy *px;

	if (!cfg || !ctx->sess || strcmp(var, "name") != 0)
		return;
	px = config_find_proxy(cfg, ctx->sess->edit_target);
	for (size_t i = 0; px && i < px->n_servers; i++)
		strvec_push(out, px->servers[i].name);
}

static void values_vsg(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);

	for (size_t i = 0; cfg && i < cfg->n_vs_groups; i++)
		strvec_push(out, cfg->vs_groups[i].name);
}

static void values_vrrp(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	const struct config *cfg = running(ctx);

	for (size_t i = 0; cfg && i < cfg->n_vrrp; i++)
		strvec_push(out, cfg->vrrp[i].name);
}

/* ================================================================ */
/* The table */

#define NO_HELP "Delete an object, or undo a setting\n"
#define VS_HELP "A virtual server (keepalived virtual_server): create or edit\n"
#define VS_ADDR_HELP "Virtual address and port: a.b.c.d:port or [ipv6]:port\n" \
	"TCP service\nUDP service\nSCTP service\n"
#define VS_MARK_HELP "A service selected by firewall mark\nFirewall mark\n"
#define VS_GROUP_HELP "The addresses and marks of a virtual-server-group\n" \
	"Group name\nTCP service\nUDP service\nSCTP service\n"
#define PROXY_HELP "A proxy (HAProxy listen, frontend, backend): create or edit\n" \
	"Proxy name\n"
#define VRRP_HELP "A VRRP instance (keepalived vrrp_instance): edit\nInstance name\n"
#define RS_HELP "A real server of this virtual server (keepalived real_server)\n" \
	"Real server address and port: a.b.c.d:port or [ipv6]:port\n"
#define METHOD_HELP "Forwarding method (keepalived lvs_method)\n" \
	"Direct routing: same link, the real server answers the client itself\n" \
	"NAT: addresses rewritten both ways\n" \
	"IP-in-IP tunnelling: the real server answers the client itself\n"
#define SERVER_HELP "A server of this proxy (HAProxy server)\nServer name\n"
#define VSG_HELP "A virtual server group (keepalived virtual_server_group): " \
	"create or edit\nGroup name\n"
#define MEMBER_HELP "A member of this group (keepalived IP[-LAST] PORT)\n" \
	"Address and port: a.b.c.d:port or [ipv6]:port\n" \
	"A range of addresses, up to\n" \
	"The last address (only its last byte, or last 16 bits in IPv6, may differ)\n"
#define MEMBER_MARK_HELP "A member of this group (keepalived fwmark N)\n" \
	"A service selected by firewall mark\nFirewall mark\n"

#define CFG CMD_IN_CONFIG
#define IN_VS CMD_IN(CMD_NODE_VS)
#define IN_PROXY CMD_IN(CMD_NODE_PROXY)
#define IN_VRRP CMD_IN(CMD_NODE_VRRP)
#define IN_VSG CMD_IN(CMD_NODE_VSG)
#define ADMIN CTL_ROLE_ADMIN

static const struct cmd_def config_edit_cmds[] = {
	/* configure */
	{ "virtual-server ADDR:PORT <tcp|udp|sctp>", VS_HELP VS_ADDR_HELP,
	  CFG, ADMIN, cmd_vs_enter, values_vs, 0 },
	{ "virtual-server fwmark (1-4294967295)$mark", VS_HELP VS_MARK_HELP,
	  CFG, ADMIN, cmd_vs_enter, values_vs, 0 },
	{ "virtual-server group WORD$groupname <tcp|udp|sctp>", VS_HELP VS_GROUP_HELP,
	  CFG, ADMIN, cmd_vs_enter, values_vs, 0 },
	{ "no virtual-server ADDR:PORT <tcp|udp|sctp>", NO_HELP VS_HELP VS_ADDR_HELP,
	  CFG, ADMIN, cmd_no_vs, values_vs, 0 },
	{ "no virtual-server group WORD$groupname <tcp|udp|sctp>",
	  NO_HELP VS_HELP VS_GROUP_HELP,
	  CFG, ADMIN, cmd_no_vs, values_vs, 0 },
	{ "no virtual-server fwmark (1-4294967295)$mark", NO_HELP VS_HELP VS_MARK_HELP,
	  CFG, ADMIN, cmd_no_vs, values_vs, 0 },
	{ "proxy WORD$name", PROXY_HELP,
	  CFG, ADMIN, cmd_proxy_enter, values_proxy, 0 },
	{ "no proxy WORD$name", NO_HELP PROXY_HELP,
	  CFG, ADMIN, cmd_no_proxy, values_proxy, 0 },
	{ "vrrp-instance WORD$name", VRRP_HELP,
	  CFG, ADMIN, cmd_vrrp_enter, values_vrrp, 0 },
	{ "no vrrp-instance WORD$name", NO_HELP VRRP_HELP,
	  CFG, ADMIN, cmd_no_vrrp, values_vrrp, 0 },
	{ "virtual-server-group WORD$name", VSG_HELP,
	  CFG, ADMIN, cmd_vsg_enter, values_vsg, 0 },
	{ "no virtual-server-group WORD$name", NO_HELP VSG_HELP,
	  CFG, ADMIN, cmd_no_vsg, values_vsg, 0 },

	/* config-vsg */
	{ "member ADDR:PORT [to ADDR$last]", MEMBER_HELP,
	  IN_VSG, ADMIN, cmd_vsg_member, NULL, 0 },
	{ "member fwmark (1-4294967295)$mark", MEMBER_MARK_HELP,
	  IN_VSG, ADMIN, cmd_vsg_member, NULL, 0 },
	{ "no member ADDR:PORT [to ADDR$last]", NO_HELP MEMBER_HELP,
	  IN_VSG, ADMIN, cmd_vsg_member, NULL, 0 },
	{ "no member fwmark (1-4294967295)$mark", NO_HELP MEMBER_MARK_HELP,
	  IN_VSG, ADMIN, cmd_vsg_member, NULL, 0 },

	/* config-vs */
	{ "real-server ADDR:PORT [weight (0-" CFG_STR(CFG_RS_WEIGHT_MAX) ")$weight-value] "
	  "[method <dr|nat|tun>]",
	  RS_HELP "Weight for the scheduler (keepalived weight)\n"
	  "Weight; 0 sends no new connections\n" METHOD_HELP,
	  IN_VS, ADMIN, cmd_rs_set, values_rs, 0 },
	{ "no real-server ADDR:PORT", NO_HELP RS_HELP,
	  IN_VS, ADMIN, cmd_no_rs, values_rs, 0 },
	{ "scheduler WORD$name", "Scheduling algorithm (keepalived lvs_sched)\n"
	  "Scheduler: rr wrr lc wlc lblc lblcr dh sh sed nq fo ovf mh twos\n",
	  IN_VS, ADMIN, cmd_vs_change, values_scheduler, 0 },
	{ "method <dr|nat|tun>", METHOD_HELP,
	  IN_VS, ADMIN, cmd_vs_change, NULL, 0 },
	{ "persistence-timeout (0-" CFG_STR(CFG_PERSISTENCE_MAX_S) ")$seconds",
	  "Send a client back to the same real server (keepalived persistence_timeout)\n"
	  "Seconds; 0 turns persistence off\n",
	  IN_VS, ADMIN, cmd_vs_change, NULL, 0 },

	/* config-proxy */
	{ "mode <tcp|http>", "Proxy mode (HAProxy mode)\n"
	  "Layer 4: forward TCP connections\nLayer 7: parse HTTP\n",
	  IN_PROXY, ADMIN, cmd_proxy_change, NULL, 0 },
	{ "bind ADDR:PORT", "Listen on an address (HAProxy bind)\n"
	  "Address and port: a.b.c.d:port or [ipv6]:port\n",
	  IN_PROXY, ADMIN, cmd_proxy_change, NULL, 0 },
	{ "no bind ADDR:PORT", NO_HELP "Listen on an address (HAProxy bind)\n"
	  "Address and port: a.b.c.d:port or [ipv6]:port\n",
	  IN_PROXY, ADMIN, cmd_proxy_change, NULL, 0 },
	{ "balance <roundrobin|static-rr|leastconn|source|first|random>",
	  "Load-balancing algorithm (HAProxy balance)\n"
	  "Each server in turn, by weight; weights change live\n"
	  "Each server in turn, by weight; weights fixed at start\n"
	  "The server with the fewest connections\n"
	  "A hash of the client address: a client keeps its server\n"
	  "The first server with a free connection slot\n"
	  "A random server, by weight\n",
	  IN_PROXY, ADMIN, cmd_proxy_change, NULL, 0 },
	{ "server WORD$name ADDR:PORT [weight (0-" CFG_STR(CFG_SERVER_WEIGHT_MAX) ")$weight-value] "
	  "[<check|no-check>]",
	  SERVER_HELP "Server address and port: a.b.c.d:port or [ipv6]:port\n"
	  "Weight for load balancing (HAProxy weight)\n"
	  "Weight; 0 sends no new connections\n"
	  "Enable health checks\nDisable health checks\n",
	  IN_PROXY, ADMIN, cmd_server_set, values_server, 0 },
	{ "no server WORD$name", NO_HELP SERVER_HELP,
	  IN_PROXY, ADMIN, cmd_no_server, values_server, 0 },

	/* config-vrrp */
	{ "priority (1-" CFG_STR(CFG_VRRP_PRIORITY_MAX) ")$value", "VRRP priority of this router (keepalived priority)\n"
	  "Priority; the highest on the link becomes master\n",
	  IN_VRRP, ADMIN, cmd_vrrp_priority, NULL, 0 },
};

int config_edit_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, config_edit_cmds,
				 sizeof(config_edit_cmds) / sizeof(config_edit_cmds[0]), err);
}
