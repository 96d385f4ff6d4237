/* model: building, merging, naming and freeing the configuration model
 * (types in model-t.h). Used by the parsers, the printers and the diff;
 * engines read the model through these types and never change it.
 */
#ifndef SOFTLB_CONFIG_MODEL_H
#define SOFTLB_CONFIG_MODEL_H

#include "config/model-t.h"
#include "util/strbuf.h"

/* Grows arr (of elements of size bytes) to hold at least need elements,
 * zeroing the new ones; returns the (maybe moved) array. */
void *cfg_grow(void *arr, size_t *cap, size_t need, size_t size);

/* Appends one zeroed element to arr (with its len and cap fields) and
 * evaluates to a pointer to it. The pointer is valid until the next
 * append to the same array. */
#define CFG_APPEND(arr, len, cap) \
	((arr) = cfg_grow((arr), &(cap), (len) + 1, sizeof(*(arr))), \
	 &(arr)[(len)++])

/* Returns an empty model (no objects, defaults unset); free with
 * config_free(). */
struct config *config_new(void);
/* Keeps one copy of a file name; the result lives as long as cfg and
 * every copy of it (the table is shared). */
const char *config_intern_file(struct config *cfg, const char *path);

/* Initialisers: every number CFG_UNSET, every pointer NULL. */
void cfg_global_init(struct cfg_global *g);
void cfg_check_opts_init(struct cfg_check_opts *co);
void cfg_vrrp_script_init(struct cfg_vrrp_script *s);
void cfg_vrrp_instance_init(struct cfg_vrrp_instance *vi);
void cfg_virtual_server_init(struct cfg_virtual_server *vs);
void cfg_real_server_init(struct cfg_real_server *rs);
void cfg_checker_init(struct cfg_checker *c, enum cfg_check_kind kind);
void cfg_server_opts_init(struct cfg_server_opts *o);
/* HAProxy's built-in defaults, as a defaults section with nothing set
 * would give. */
void cfg_proxy_init_builtin(struct cfg_proxy *p);
/* Deep-copies src into dst (dst uninitialised); the new proxy starts as
 * the defaults section before it, as in HAProxy. */
void cfg_proxy_copy(struct cfg_proxy *dst, const struct cfg_proxy *src);

/* Structural copies (copy.c): memory copies only, no printing or
 * parsing. config_copy() copies a whole model, but shares its virtual
 * servers (counted, see config_vs_own()) and its file-name table; the
 * rest is deep-copied. cfg_virtual_server_copy() is a deep copy (refs
 * 1) whose locations point into dst's file table. */
struct config *config_copy(const struct config *src);
/* The same without the virtual servers, their groups and the proxies:
 * global settings, the VRRP side, haproxy's global and defaults. */
struct config *config_copy_frame(const struct config *src);
void cfg_vrrp_instance_copy(struct config *dst, struct cfg_vrrp_instance *d,
			    const struct cfg_vrrp_instance *s);
void cfg_real_server_copy(struct config *dst, struct cfg_real_server *d,
			  const struct cfg_real_server *s);
void cfg_virtual_server_copy(struct config *dst, struct cfg_virtual_server *d,
			     const struct cfg_virtual_server *s);
void cfg_proxy_copy_all(struct config *dst, struct cfg_proxy *d,
			const struct cfg_proxy *s);

/* Finalisers: free what the object owns, not the object itself. */
void cfg_vip_free(struct cfg_vip *v);
void cfg_real_server_free(struct cfg_real_server *rs);

/* Virtual servers are counted and shared between a model and its copies
 * (model-t.h says why). cfg_vs_new() returns one initialised (refs 1);
 * config_vs_append() hands vs's reference to cfg; config_vs_remove()
 * drops cfg's; config_vs_own() makes cfg->vs[i] cfg's alone (copying it
 * when another model shares it) and returns it: the one way to get a
 * virtual server of a copied model to change. */
struct cfg_virtual_server *cfg_vs_new(void);
struct cfg_virtual_server *cfg_vs_ref(struct cfg_virtual_server *vs);
void cfg_vs_unref(struct cfg_virtual_server *vs);
struct cfg_virtual_server *config_vs_append(struct config *cfg,
					    struct cfg_virtual_server *vs);
void config_vs_remove(struct config *cfg, size_t i);
struct cfg_virtual_server *config_vs_own(struct config *cfg, size_t i);
/* The file-name table a copy shares with its original. */
struct cfg_files *cfg_files_ref(struct cfg_files *f);
void cfg_proxy_free(struct cfg_proxy *p);

/* Fills every unset keepalived field from its parent, then from the
 * defaults: global → instance, virtual_server → real_server → checker. */
void config_merge_kad(struct config *cfg);
/* Fills the unset fields of the checker-chain options from parent. */
void cfg_check_opts_merge(struct cfg_check_opts *co,
			  const struct cfg_check_opts *parent);

/* The effective values of an object that sets nothing, in its context
 * (an instance's defaults depend on global_defs); the printers omit what
 * equals them. Nothing is allocated: no cleanup needed. */
void cfg_global_defaults(struct cfg_global *g);
void cfg_vrrp_script_defaults(struct cfg_vrrp_script *s);
void cfg_vrrp_instance_defaults(const struct config *cfg,
				struct cfg_vrrp_instance *vi);
void cfg_vs_defaults(struct cfg_virtual_server *vs);

/* Lookups by identity; NULL when absent. */
struct cfg_vrrp_instance *config_find_vrrp(const struct config *cfg,
					   const char *name);
struct cfg_vrrp_script *config_find_script(const struct config *cfg,
					   const char *name);
struct cfg_sync_group *config_find_sync_group(const struct config *cfg,
					      const char *name);
struct cfg_vs_group *config_find_vs_group(const struct config *cfg,
					  const char *name);
/* The position of the first virtual server with id's identity, or -1
 * (cfg_vs_same_identity()). */
long config_find_vs_at(const struct config *cfg,
		       const struct cfg_virtual_server *id);
struct cfg_real_server *cfg_vs_find_rs(const struct cfg_virtual_server *vs,
				       const struct cfg_endpoint *ep);
struct cfg_proxy *config_find_proxy(const struct config *cfg,
				    const char *name);
struct cfg_server *cfg_proxy_find_server(const struct cfg_proxy *p,
					 const char *name);
/* The section px was built on and is printed as a difference from: the
 * defaults section it names with 'from', else (a proxy) the last
 * defaults section before it, else the built-in defaults. Never NULL. */
const struct cfg_proxy *config_proxy_base(const struct config *cfg,
					  const struct cfg_proxy *px);
/* The index of the last defaults section called name among the first
 * 'before' ones, as 'from NAME' finds it; -1 when none. */
int config_find_defaults(const struct config *cfg, const char *name,
			 size_t before);
const struct cfg_option *cfg_proxy_option(const struct cfg_proxy *p,
					  const char *name);

/* Identity texts, as messages and the diff name objects:
 * "TCP 192.0.2.10:80", "TCP [2001:db8::1]:80", "fwmark 7 (IPv4)",
 * "group NAME"; a real server as "198.51.100.11:80". */
bool cfg_vs_same_identity(const struct cfg_virtual_server *a,
			  const struct cfg_virtual_server *b);
void cfg_vs_identity(const struct cfg_virtual_server *vs,
		     struct strbuf *out);
void cfg_endpoint_text(const struct cfg_endpoint *ep, struct strbuf *out);

/* Names of enum values as the keepalived and HAProxy dialects spell them. */
const char *cfg_proto_name(enum cfg_proto p);
const char *cfg_lb_kind_name(enum cfg_lb_kind k);
const char *cfg_tun_type_name(enum cfg_tun_type t);
const char *cfg_tun_csum_name(enum cfg_tun_csum c);
bool cfg_tunnel_eq(const struct cfg_tunnel *a, const struct cfg_tunnel *b);
bool cfg_source_equal(const struct cfg_source *a, const struct cfg_source *b);
/* Appends a source as the haproxy dialect writes it: "192.0.2.1:1024-65535"
 * or, with several addresses, "192.0.2.1,192.0.2.2". */
void cfg_source_text(const struct cfg_source *src, struct strbuf *out);
/* Appends an lvs_method value as keepalived writes it: "TUN type gue
 * port 6081 csum", with only the tunnel parts that are set. */
void cfg_lvs_method_text(enum cfg_lb_kind k, const struct cfg_tunnel *t,
			 struct strbuf *out);
const char *cfg_check_kind_name(enum cfg_check_kind k);
const char *cfg_proxy_kind_name(enum cfg_proxy_kind k);
const char *cfg_mode_name(enum cfg_proxy_mode m);
const char *cfg_balance_name(enum cfg_balance b);
const char *cfg_timeout_name(enum cfg_timeout t);

#endif
