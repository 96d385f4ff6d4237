/* vs_index: virtual servers by identity (see vs_index.h). */
#include "config.h"

#include "config/vs_index.h"

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "util/xalloc.h"

/* FNV-1a, continued from h over n bytes. */
static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

/* Hashes exactly what cfg_vs_same_identity() compares, and no more: a
 * fwmark service's family is left out because an unknown family matches
 * either (those few then share a chain and are told apart by the
 * comparison). */
static uint32_t vs_hash(const struct cfg_virtual_server *vs)
{
	uint32_t h = 2166136261u;
	int kind = (int)vs->kind;
	int proto = vs->protocol ? (int)vs->protocol : (int)CFG_PROTO_TCP;

	h = fnv(h, &kind, sizeof(kind));
	switch (vs->kind) {
	case CFG_VS_ADDR: {
		int af = (int)vs->ep.addr.af;
		size_t n = vs->ep.addr.af == CFG_AF_INET4 ? 4 :
			   vs->ep.addr.af == CFG_AF_INET6 ? 16 : 0;

		h = fnv(h, &proto, sizeof(proto));
		h = fnv(h, &af, sizeof(af));
		h = fnv(h, vs->ep.addr.b, n);
		h = fnv(h, &vs->ep.port, sizeof(vs->ep.port));
		break;
	}
	case CFG_VS_FWMARK:
		h = fnv(h, &vs->fwmark, sizeof(vs->fwmark));
		break;
	case CFG_VS_GROUP:
		h = fnv(h, &proto, sizeof(proto));
		h = fnv(h, vs->group, vs->group ? strlen(vs->group) : 0);
		break;
	}
	return h;
}

void cfg_vs_index_init(struct cfg_vs_index *ix, const struct config *cfg)
{
	size_t cap = 16;

	/* At most half full: probe chains stay short. */
	while (cap < cfg->n_vs * 2)
		cap *= 2;
	ix->cfg = cfg;
	ix->cap = cap;
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
}

long cfg_vs_index_add(struct cfg_vs_index *ix, size_t i)
{
	const struct cfg_virtual_server *vs = ix->cfg->vs[i];
	size_t mask = ix->cap - 1, s;
	long first = -1;

	for (s = vs_hash(vs) & mask; ix->slots[s]; s = (s + 1) & mask) {
		size_t at = ix->slots[s] - 1;

		if (cfg_vs_same_identity(ix->cfg->vs[at], vs) &&
		    (first < 0 || (long)at < first))
			first = (long)at;
	}
	/* A duplicate goes in too: with fwmark services of unknown family,
	 * a later one may match it and not the one it duplicates. */
	ix->slots[s] = (uint32_t)(i + 1);
	return first;
}

void cfg_vs_index_build(struct cfg_vs_index *ix, const struct config *cfg)
{
	size_t mask;

	cfg_vs_index_init(ix, cfg);
	mask = ix->cap - 1;
	/* Every one goes in, duplicates too, so a lookup can find each. */
	for (size_t i = 0; i < cfg->n_vs; i++) {
		size_t s = vs_hash(cfg->vs[i]) & mask;

		while (ix->slots[s])
			s = (s + 1) & mask;
		ix->slots[s] = (uint32_t)(i + 1);
	}
}

struct cfg_virtual_server *cfg_vs_index_find(const struct cfg_vs_index *ix,
					     const struct cfg_virtual_server *id)
{
	size_t mask = ix->cap - 1;
	long first = -1;

	/* The whole chain is read: with fwmark services of unknown family
	 * several may match, and config_find_vs_at() returns the first. */
	for (size_t s = vs_hash(id) & mask; ix->slots[s]; s = (s + 1) & mask) {
		size_t at = ix->slots[s] - 1;

		if ((first < 0 || (long)at < first) &&
		    cfg_vs_same_identity(ix->cfg->vs[at], id))
			first = (long)at;
	}
	return first < 0 ? NULL : ix->cfg->vs[first];
}

void cfg_vs_index_free(struct cfg_vs_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}
