/* config_index: one model's objects by their typed keys, through hash
 * indexes (util/hindex.h): virtual servers by identity (the same match
 * as config_find_vs_at), proxies by name, VRRP instances by name.
 *
 * Built over a model that no longer changes (the running one): it points
 * into cfg's arrays, so it is rebuilt, not updated, when the model is
 * replaced (confmgr keeps the daemon's one, core/confmgr.h). The caller
 * owns it and frees it with config_index_free().
 */
#ifndef SOFTLB_CONFIG_INDEX_H
#define SOFTLB_CONFIG_INDEX_H

#include <stddef.h>

#include "config/model-t.h"
#include "config/vs_key.h"
#include "util/hindex.h"

/* A virtual server as the index holds it: by its typed key (vs_key.h),
 * the one the LVS engine also keys its virtual servers by. */
struct config_index_vs_entry {
	struct cfg_vs_key key;
	size_t at;		/* its position in cfg->vs */
};

struct config_index {
	const struct config *cfg;
	struct config_index_vs_entry *vs_entries;	/* one per cfg->vs[i]; owned */
	struct hindex vs;	/* over vs_entries */
	struct hindex proxies;	/* struct cfg_proxy (not defaults) */
	struct hindex vrrp;	/* struct cfg_vrrp_instance */
};

void config_index_build(struct config_index *ix, const struct config *cfg);
void config_index_free(struct config_index *ix);

/* The virtual server with id's identity (cfg_vs_same_identity; a fwmark
 * id of family CFG_AF_ANY matches either family), or NULL. With several
 * (only a model that failed validation has them), the first in cfg->vs,
 * as config_find_vs_at() finds it. */
const struct cfg_virtual_server *config_index_vs(const struct config_index *ix,
						 const struct cfg_virtual_server *id);
/* The same by typed key; _at gives its position in cfg->vs, or -1. */
const struct cfg_virtual_server *config_index_vs_by(const struct config_index *ix,
						    const struct cfg_vs_key *key);
long config_index_vs_at(const struct config_index *ix, const struct cfg_vs_key *key);
/* The same by the shell's typed key (model-t.h). */
const struct cfg_virtual_server *config_index_vs_key(const struct config_index *ix,
						     const struct config_vs_key *key);
const struct cfg_proxy *config_index_proxy(const struct config_index *ix, const char *name);
const struct cfg_vrrp_instance *config_index_vrrp(const struct config_index *ix,
						  const char *name);
/* Slots a lookup of id examines: tests prove with it that a lookup among
 * 10,000 virtual servers does not scan. */
size_t config_index_vs_probes(const struct config_index *ix,
			      const struct cfg_virtual_server *id);

#endif
