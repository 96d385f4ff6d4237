/* vs_index: a hash index of a model's virtual servers by identity, so
 * that matching 10,000 virtual servers against another model (the diff,
 * the layout carried over a reload) or against themselves (duplicates)
 * is linear, not quadratic.
 *
 * The index points into cfg->vs by position: it is valid while that
 * array is not changed (no append, no removal). The caller owns it and
 * frees it with cfg_vs_index_free().
 */
#ifndef SOFTLB_CONFIG_VS_INDEX_H
#define SOFTLB_CONFIG_VS_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "config/model-t.h"

struct cfg_vs_index {
	const struct config *cfg;
	uint32_t *slots;	/* open addressing; position + 1, 0 = empty */
	size_t cap;		/* a power of two */
};

/* Indexes every virtual server of cfg. */
void cfg_vs_index_build(struct cfg_vs_index *ix, const struct config *cfg);
/* The first virtual server of the indexed model (lowest position) with
 * id's identity (cfg_vs_same_identity), or NULL: config_find_vs_at(). */
struct cfg_virtual_server *cfg_vs_index_find(const struct cfg_vs_index *ix,
					     const struct cfg_virtual_server *id);
/* Indexes cfg->vs[0..n) one at a time for duplicate checks: indexes
 * cfg->vs[i] and returns the position of the first earlier virtual
 * server with the same identity, or -1. Call with i = 0, 1, ... on an
 * index from cfg_vs_index_init(). */
void cfg_vs_index_init(struct cfg_vs_index *ix, const struct config *cfg);
long cfg_vs_index_add(struct cfg_vs_index *ix, size_t i);
void cfg_vs_index_free(struct cfg_vs_index *ix);

#endif
