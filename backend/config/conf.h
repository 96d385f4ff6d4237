/* config: softlbd's configuration, read from a keepalived.conf-dialect
 * file and a haproxy.cfg-dialect file into one model (model-t.h).
 *
 * Reload is "build a whole new model, validate it, diff it against the
 * running one": config_load() builds and validates, config_diff() lists
 * what changed, and a failed load leaves whatever is running untouched
 * because nothing here has global state.
 *
 * Include as "config/conf.h": a bare "config.h" is autoconf's.
 */
#ifndef SOFTLB_CONFIG_CONFIG_H
#define SOFTLB_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model-t.h"
#include "util/strbuf.h"

/* Where softlbd looks when no -f / -p is given. */
#define CONFIG_DEFAULT_KAD_PATH "/etc/softlb/keepalived.conf"
#define CONFIG_DEFAULT_HAP_PATH "/etc/softlb/haproxy.cfg"

/* Loads both files into one model. A NULL path means no file of that
 * dialect; a missing file is an empty config unless it is required, in
 * which case it is an error. Warnings and errors go to diag in order.
 * Returns the model (free with config_free()), or NULL if there was any
 * error. */
struct config *config_load(const char *kad_path, const char *hap_path,
			   bool kad_required, bool hap_required,
			   struct config_diag *diag);
/* The same from text in memory (the shell, the fuzzers); the names are
 * used in messages and to resolve includes. Either text may be NULL. */
struct config *config_load_buffers(const char *kad_name, const char *kad_text,
				   size_t kad_len, const char *hap_name,
				   const char *hap_text, size_t hap_len,
				   struct config_diag *diag);
void config_free(struct config *cfg);

/* One screen for `softlbd -t`: a count line ("N VRRP instances (N sync
 * groups), N virtual servers with N real servers, N proxies with N
 * servers, N warnings") then one line per group of objects. diag may be
 * NULL (no warning count then is 0). */
void config_summary(const struct config *cfg, const struct config_diag *diag,
		    struct strbuf *out);

/* Print the model in canonical modern syntax, such that loading the text
 * gives a model config_equal() to cfg. */
void config_print_keepalived(const struct config *cfg, struct strbuf *out);
void config_print_haproxy(const struct config *cfg, struct strbuf *out);

/* The top-level objects of the keepalived dialect, to print one at a
 * time (write memory puts each back in its own file). */
enum config_kad_obj {
	CONFIG_KAD_GLOBAL = 0,		/* global_defs; i unused; prints
					 * nothing when all is default */
	CONFIG_KAD_SCRIPT = 1,		/* cfg->scripts[i] */
	CONFIG_KAD_SYNC_GROUP = 2,	/* cfg->sync_groups[i] */
	CONFIG_KAD_VRRP = 3,		/* cfg->vrrp[i] */
	CONFIG_KAD_VS_GROUP = 4,	/* cfg->vs_groups[i] */
	CONFIG_KAD_VS = 5,		/* cfg->vs[i] */
};

/* Prints one object as config_print_keepalived() would. */
void config_print_kad_object(const struct config *cfg,
			     enum config_kad_obj kind, size_t i,
			     struct strbuf *out);

/* ---------------------------------------------------------------- */
/* Comparing models */

enum config_obj_kind {
	CONFIG_OBJ_GLOBAL = 0,		/* global_defs */
	CONFIG_OBJ_VRRP_SCRIPT = 1,
	CONFIG_OBJ_VRRP_INSTANCE = 2,
	CONFIG_OBJ_SYNC_GROUP = 3,
	CONFIG_OBJ_VS_GROUP = 4,
	CONFIG_OBJ_VIRTUAL_SERVER = 5,
	CONFIG_OBJ_REAL_SERVER = 6,
	CONFIG_OBJ_HAP_GLOBAL = 7,	/* haproxy global */
	CONFIG_OBJ_DEFAULTS = 8,	/* haproxy defaults */
	CONFIG_OBJ_PROXY = 9,
	CONFIG_OBJ_SERVER = 10,
};

enum config_change {
	CONFIG_ADDED = 0,
	CONFIG_REMOVED = 1,
	CONFIG_CHANGED = 2,
};

/* One change. Pointers borrow from the two models and are valid while
 * they live; old_obj is NULL when added, new_obj when removed. */
struct config_change_item {
	enum config_obj_kind kind;
	enum config_change change;
	const char *id;		/* "VI_1", "TCP 192.0.2.10:80 198.51.100.11:80",
				 * "web/s1" */
	const char *fields;	/* CHANGED: the fields that differ, comma
				 * separated ("weight"); else NULL */
	const void *old_obj;	/* struct cfg_* of the kind */
	const void *new_obj;
	const void *old_parent;	/* the virtual server or proxy of a real
				 * server or server, else NULL */
	const void *new_parent;
};

/* Calls cb once per changed object, parents before children: an added or
 * removed virtual server or proxy is reported once (its children are
 * implied); a changed one is reported only if its own fields changed,
 * and its children separately. Unchanged objects are not reported.
 * Returns the number of changes. */
size_t config_diff(const struct config *old_cfg, const struct config *new_cfg,
		   void (*cb)(const struct config_change_item *item, void *arg),
		   void *arg);
/* The same for a model made by configure mode from old_cfg (edit.h):
 * only the objects marks names are compared (with global_defs, the VRRP
 * side, groups and defaults, which are small), so the cost follows the
 * edit, not the model. Marks NULL or "all": config_diff(). */
struct cfg_edit_marks;
size_t config_diff_marked(const struct config *old_cfg,
			  const struct config *new_cfg,
			  const struct cfg_edit_marks *marks,
			  void (*cb)(const struct config_change_item *item,
				     void *arg),
			  void *arg);
/* True when the two models describe the same configuration (file names
 * and line numbers aside). */
bool config_equal(const struct config *a, const struct config *b);

const char *config_obj_kind_name(enum config_obj_kind kind);
const char *config_change_name(enum config_change change);

#endif
