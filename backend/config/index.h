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
#include "util/hindex.h"

struct config_index {
	const struct config *cfg;
	struct hindex vs;	/* struct cfg_virtual_server */
	struct hindex proxies;	/* struct cfg_proxy (not defaults) */
	struct hindex vrrp;	/* struct cfg_vrrp_instance */
};

void config_index_build(struct config_index *ix, const struct config *cfg);
void config_index_free(struct config_index *ix);

/* The virtual server with id's identity (cfg_vs_same_identity; a fwmark
 * id of family CFG_AF_ANY matches either family), or NULL. With several
 * (only a model that failed validation has them), one of them. */
const struct cfg_virtual_server *config_index_vs(const struct config_index *ix,
						 const struct cfg_virtual_server *id);
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
