/* edit: changing a configuration model one object at a time, for the
 * shell's configure mode.
 *
 * An edit never touches the running model: the caller clones it
 * (config_clone), edits the clone with the functions below, which mark
 * what they touch, then hands it to config_edit_finish(), which has the
 * same parsers that read the files validate the touched objects. An edit
 * thus cannot produce a model that a reload of the saved files would
 * refuse; tests/config/test_edit_prop.c checks that property over the
 * corpus with random edits.
 *
 * The model holds effective values (after inheritance), so a new object
 * is initialised the way the parsers would leave it: a real server takes
 * its virtual server's method and checker options, a server its proxy's
 * default-server, a proxy the defaults section.
 *
 * Every function returns 0, or -1 with one operator-facing line per
 * problem in err (no "% " prefix and no file:line: the shell adds its own
 * prefix, and line numbers of generated text mean nothing to anyone).
 */
#ifndef SOFTLB_CONFIG_EDIT_H
#define SOFTLB_CONFIG_EDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "config/diag.h"
#include "config/model-t.h"
#include "util/strbuf.h"

/* The buffer names a clone's text is loaded under (in messages). */
#define CONFIG_CLONE_KAD_NAME "running-config (keepalived)"
#define CONFIG_CLONE_HAP_NAME "running-config (haproxy)"

/* A deep copy of cfg for an edit (config_copy: memory copies, no
 * printing or parsing), which records the objects the edit functions
 * below touch (cfg->edit_marks). It keeps cfg's kad_path and hap_path
 * and where each object came from, so that `write memory` still knows
 * the files. Never fails; diag is unused (kept for callers). */
struct config *config_clone(const struct config *cfg,
			    struct config_diag *diag);

/* An empty model, as softlbd runs with when it has no configuration.
 * Never fails. */
struct config *config_new_empty(void);

/* Validates an edited model with the parsers, as a reload would: the
 * objects the edit touched, with what they refer to, are printed into a
 * small model of their own and loaded back, so the cost follows the
 * edit, not the model (a removed top-level object, or a model without
 * marks, is checked whole). Takes ownership of edited in every case.
 * Returns it, marks kept for config_diff_marked(), or NULL with the
 * parsers' errors in err. */
struct config *config_edit_finish(struct config *edited, struct strbuf *err);
/* Drops the marks of an edited model once it is applied. */
void config_edit_marks_clear(struct config *cfg);

/* ---------------------------------------------------------------- */
/* Virtual servers (keepalived virtual_server)                       */

/* struct config_vs_key (model-t.h) is how the shell names a virtual
 * server: "192.0.2.10:80 tcp", "[2001:db8::1]:443 udp", "fwmark 7" or
 * "group web tcp" (one made of a virtual_server_group). */

/* Parses ADDR:PORT (a.b.c.d:port or [v6]:port) with a port from
 * min_port to 65535. Returns false when s is anything else. */
bool config_parse_endpoint(const char *s, int min_port,
			   struct cfg_endpoint *ep);

/* Makes a key from ADDR:PORT and "tcp", "udp" or "sctp". */
int config_vs_key_addr(struct config_vs_key *key, const char *addrport,
		       const char *proto, struct strbuf *err);
void config_vs_key_fwmark(struct config_vs_key *key, uint32_t fwmark);
/* Makes a key from a virtual_server_group name and a protocol. */
int config_vs_key_group(struct config_vs_key *key, const char *group,
			const char *proto, struct strbuf *err);
/* Parses the text config_vs_key_format() writes. */
int config_vs_key_parse(struct config_vs_key *key, const char *text,
			struct strbuf *err);
/* "192.0.2.10:80 tcp", "[2001:db8::1]:80 udp", "fwmark 7", "group web
 * tcp". */
/* Whether a and b name the same virtual server. */
bool config_vs_key_equal(const struct config_vs_key *a, const struct config_vs_key *b);
void config_vs_key_format(const struct config_vs_key *key,
			  struct strbuf *out);
/* The virtual server key names, or NULL. Read only: a copied model
 * shares its virtual servers (config_vs_own() is the way to change one). */
const struct cfg_virtual_server *config_edit_find_vs(const struct config *cfg,
						     const struct config_vs_key *key);

/* What a virtual-server edit changes; a field left at its "unchanged"
 * value (NULL, CFG_LB_KIND_UNSET, -1) keeps what the server has, or the
 * default on a new one. */
struct config_vs_change {
	const char *scheduler;		/* lvs_sched: rr wrr lc wlc ... */
	enum cfg_lb_kind method;	/* lvs_method */
	long long persistence_s;	/* persistence_timeout, 0-2678400 */
};

#define CONFIG_VS_CHANGE_NONE { NULL, CFG_LB_KIND_UNSET, -1 }

/* Creates the virtual server if missing (with keepalived's defaults:
 * wlc, NAT, not persistent), then applies change. A real server whose
 * method was its virtual server's follows a new method, as it would if
 * the files were edited and reloaded. *created (may be NULL) tells
 * whether it was new. */
int config_edit_vs_set(struct config *cfg, const struct config_vs_key *key,
		       const struct config_vs_change *change, bool *created,
		       struct strbuf *err);
/* Deletes a virtual server with its real servers; an error names a
 * missing one. */
int config_edit_vs_delete(struct config *cfg, const struct config_vs_key *key,
			  struct strbuf *err);

/* Adds a real server ADDR:PORT to the virtual server, or changes one:
 * weight -1 and method CFG_LB_KIND_UNSET keep the current value (or, on
 * a new one, the defaults: weight 1, the virtual server's method).
 * Refuses a family that differs from the virtual server's unless the
 * method is tun, as keepalived does. */
int config_edit_rs_set(struct config *cfg, const struct config_vs_key *key,
		       const char *addrport, long long weight,
		       enum cfg_lb_kind method, bool *created,
		       struct strbuf *err);
int config_edit_rs_delete(struct config *cfg, const struct config_vs_key *key,
			  const char *addrport, struct strbuf *err);

/* The kernel's IPVS schedulers, for validation and completion; a
 * NULL-terminated list. */
extern const char *const config_lvs_schedulers[];
/* "dr", "nat", "tun" (any case) to a method; CFG_LB_KIND_UNSET when
 * s is none of them. */
enum cfg_lb_kind config_lb_kind_parse(const char *s);

/* ---------------------------------------------------------------- */
/* Virtual server groups (keepalived virtual_server_group)           */

/* Creates the group if missing (empty: `virtual_server group NAME`
 * then serves nothing until it has members). *created (may be NULL)
 * tells whether it was new. The name is letters, digits, '-', '_', '.'
 * and ':'. */
int config_edit_vsg_set(struct config *cfg, const char *name, bool *created,
			struct strbuf *err);
/* Deletes a group; refuses one that a virtual_server uses. */
int config_edit_vsg_delete(struct config *cfg, const char *name,
			   struct strbuf *err);

/* One member of a group, as the shell names it: ADDR:PORT, optionally
 * up to the address 'to' (a range over the last byte of an IPv4 address
 * or the last 16 bits of an IPv6 one, keepalived's IP-LAST PORT), or a
 * firewall mark. */
struct config_vsg_member {
	bool is_fwmark;
	uint32_t fwmark;
	const char *addrport;	/* a.b.c.d:port or [v6]:port, port 0-65535 */
	const char *to;		/* the range's last address, or NULL */
};

/* Adds (add) or removes a member of an existing group. Adding a member
 * that is there, or removing one that is not, is an error that says
 * so. */
int config_edit_vsg_member(struct config *cfg, const char *group,
			   const struct config_vsg_member *m, bool add,
			   struct strbuf *err);

/* ---------------------------------------------------------------- */
/* Proxies and servers (haproxy)                                     */

/* What a proxy edit changes; unchanged fields are CFG_MODE_UNSET,
 * CFG_BALANCE_UNSET and NULL. */
struct config_proxy_change {
	enum cfg_proxy_mode mode;
	enum cfg_balance balance;	/* the argument-free algorithms */
	const char *bind;		/* ADDR:PORT to add */
	const char *unbind;		/* ADDR:PORT to remove */
};

#define CONFIG_PROXY_CHANGE_NONE { CFG_MODE_UNSET, CFG_BALANCE_UNSET, NULL, NULL }

/* Creates the proxy as a `listen` section if missing (starting from the
 * defaults section, as HAProxy does), then applies change. Refuses a
 * setting the proxy's kind does not take (bind in a backend, balance in
 * a frontend). */
int config_edit_proxy_set(struct config *cfg, const char *name,
			  const struct config_proxy_change *change,
			  bool *created, struct strbuf *err);
/* Deletes a proxy; refuses one that another proxy names as its
 * default_backend. */
int config_edit_proxy_delete(struct config *cfg, const char *name,
			     struct strbuf *err);
/* "roundrobin", "static-rr", ... to a balance; CFG_BALANCE_UNSET when s
 * is not an argument-free algorithm. */
enum cfg_balance config_balance_parse(const char *s);

/* Adds server NAME to the proxy, or changes it. addrport NULL keeps the
 * address (required for a new server); weight -1 and check -1 keep the
 * current value (on a new server: the proxy's default-server). */
int config_edit_server_set(struct config *cfg, const char *proxy,
			   const char *name, const char *addrport,
			   long long weight, int check, bool *created,
			   struct strbuf *err);
int config_edit_server_delete(struct config *cfg, const char *proxy,
			      const char *name, struct strbuf *err);

/* ---------------------------------------------------------------- */
/* VRRP instances                                                    */

/* Sets the priority (1-255) of an existing instance. A new instance
 * needs an interface and a virtual_router_id, which the shell does not
 * set, so a missing one is an error that says so. */
int config_edit_vrrp_priority(struct config *cfg, const char *name,
			      long long priority, struct strbuf *err);
/* Deletes an instance; refuses one that a vrrp_sync_group or the
 * lvs_sync_daemon names. */
int config_edit_vrrp_delete(struct config *cfg, const char *name,
			    struct strbuf *err);

#endif
