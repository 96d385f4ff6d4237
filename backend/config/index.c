/* config_index: a model's objects by typed key (index.h). */
#include "config.h"

#include "config/index.h"

#include <string.h>

#include "config/model.h"

/* ------------------------------------------------------------------ */
/* Virtual servers: the key is the virtual server itself               */

static const void *vs_key_of(const void *item)
{
	return item;
}

/* Hashes exactly what cfg_vs_same_identity() compares, and no more: a
 * fwmark service's family is left out because an unknown family matches
 * either (the two families of one mark share a chain, and the
 * comparison tells them apart). */
static uint32_t vs_hash(const void *key)
{
	const struct cfg_virtual_server *vs = key;
	uint32_t h = HINDEX_FNV_SEED;
	int kind = (int)vs->kind;
	int proto = vs->protocol ? (int)vs->protocol : (int)CFG_PROTO_TCP;

	h = hindex_fnv(h, &kind, sizeof(kind));
	switch (vs->kind) {
	case CFG_VS_ADDR: {
		int af = (int)vs->ep.addr.af;
		size_t n = vs->ep.addr.af == CFG_AF_INET4 ? 4 :
			   vs->ep.addr.af == CFG_AF_INET6 ? 16 : 0;

		h = hindex_fnv(h, &proto, sizeof(proto));
		h = hindex_fnv(h, &af, sizeof(af));
		h = hindex_fnv(h, vs->ep.addr.b, n);
		h = hindex_fnv(h, &vs->ep.port, sizeof(vs->ep.port));
		break;
	}
	case CFG_VS_FWMARK:
		h = hindex_fnv(h, &vs->fwmark, sizeof(vs->fwmark));
		break;
	case CFG_VS_GROUP:
		h = hindex_fnv(h, &proto, sizeof(proto));
		h = hindex_fnv_str(h, vs->group);
		break;
	}
	return h;
}

static bool vs_equal(const void *a, const void *b)
{
	return cfg_vs_same_identity(a, b);
}

static const struct hindex_ops vs_ops = { vs_key_of, vs_hash, vs_equal };

/* ------------------------------------------------------------------ */
/* Objects named by a string: the key is the name                      */

static const void *proxy_key_of(const void *item)
{
	return ((const struct cfg_proxy *)item)->name;
}

static const void *vrrp_key_of(const void *item)
{
	return ((const struct cfg_vrrp_instance *)item)->name;
}

static uint32_t name_hash(const void *key)
{
	return hindex_fnv_str(HINDEX_FNV_SEED, key);
}

static bool name_equal(const void *a, const void *b)
{
	return strcmp(a, b) == 0;
}

static const struct hindex_ops proxy_ops = { proxy_key_of, name_hash, name_equal };
static const struct hindex_ops vrrp_ops = { vrrp_key_of, name_hash, name_equal };

void config_index_build(struct config_index *ix, const struct config *cfg)
{
	ix->cfg = cfg;
	hindex_init(&ix->vs, &vs_ops);
	hindex_init(&ix->proxies, &proxy_ops);
	hindex_init(&ix->vrrp, &vrrp_ops);
	if (!cfg)
		return;
	/* In order: with duplicates (only a model that failed validation
	 * has them) the first one sits first in its probe chain and is
	 * found, as config_find_vs_at() finds it. */
	for (size_t i = 0; i < cfg->n_vs; i++)
		hindex_add(&ix->vs, cfg->vs[i]);
	for (size_t i = 0; i < cfg->n_proxies; i++)
		if (cfg->proxies[i].name)
			hindex_add(&ix->proxies, &cfg->proxies[i]);
	for (size_t i = 0; i < cfg->n_vrrp; i++)
		if (cfg->vrrp[i].name)
			hindex_add(&ix->vrrp, &cfg->vrrp[i]);
}

void config_index_free(struct config_index *ix)
{
	hindex_free(&ix->vs);
	hindex_free(&ix->proxies);
	hindex_free(&ix->vrrp);
	ix->cfg = NULL;
}

const struct cfg_virtual_server *config_index_vs(const struct config_index *ix,
						 const struct cfg_virtual_server *id)
{
	return hindex_find(&ix->vs, id);
}

const struct cfg_virtual_server *config_index_vs_key(const struct config_index *ix,
						     const struct config_vs_key *key)
{
	struct cfg_virtual_server id;

	/* init allocates nothing, so id needs no cleanup */
	cfg_virtual_server_init(&id);
	id.kind = key->kind;
	id.protocol = key->protocol;
	id.ep = key->ep;
	id.fwmark = key->fwmark;
	id.group = (char *)key->group;	/* only read */
	id.af = CFG_AF_ANY;	/* a fwmark key matches either family */
	return config_index_vs(ix, &id);
}

const struct cfg_proxy *config_index_proxy(const struct config_index *ix, const char *name)
{
	return name ? hindex_find(&ix->proxies, name) : NULL;
}

const struct cfg_vrrp_instance *config_index_vrrp(const struct config_index *ix,
						  const char *name)
{
	return name ? hindex_find(&ix->vrrp, name) : NULL;
}

size_t config_index_vs_probes(const struct config_index *ix,
			      const struct cfg_virtual_server *id)
{
	return hindex_probes(&ix->vs, id);
}
