/* config_index: a model's objects by typed key (index.h). */
#include "config.h"

#include "config/index.h"

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Virtual servers: by their typed key (vs_key.h)                      */

static const void *vs_key_of(const void *item)
{
	return &((const struct config_index_vs_entry *)item)->key;
}

static uint32_t vs_hash(const void *key)
{
	return cfg_vs_key_hash(key);
}

static bool vs_equal(const void *a, const void *b)
{
	return cfg_vs_key_equal(a, b);
}

static const struct hindex_ops vs_ops = { vs_key_of, vs_hash, vs_equal, NULL };

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

static const struct hindex_ops proxy_ops = { proxy_key_of, name_hash, name_equal, NULL };
static const struct hindex_ops vrrp_ops = { vrrp_key_of, name_hash, name_equal, NULL };

void config_index_build(struct config_index *ix, const struct config *cfg)
{
	ix->cfg = cfg;
	ix->vs_entries = NULL;
	hindex_init(&ix->vs, &vs_ops);
	hindex_init(&ix->proxies, &proxy_ops);
	hindex_init(&ix->vrrp, &vrrp_ops);
	if (!cfg)
		return;
	if (cfg->n_vs)
		ix->vs_entries = xcalloc(cfg->n_vs, sizeof(*ix->vs_entries));
	for (size_t i = 0; i < cfg->n_vs; i++) {
		cfg_vs_key_of(cfg->vs[i], &ix->vs_entries[i].key);
		ix->vs_entries[i].at = i;
		hindex_add(&ix->vs, &ix->vs_entries[i]);
	}
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
	free(ix->vs_entries);
	ix->vs_entries = NULL;
	hindex_free(&ix->proxies);
	hindex_free(&ix->vrrp);
	ix->cfg = NULL;
}

/* Keeps the lowest position among the matches: with duplicates, or a
 * fwmark key of either family matching both, the first one wins, as in
 * config_find_vs_at(). */
static bool lowest(void *item, void *arg)
{
	const struct config_index_vs_entry *en = item;
	long *at = arg;

	if (*at < 0 || (long)en->at < *at)
		*at = (long)en->at;
	return true;
}

long config_index_vs_at(const struct config_index *ix, const struct cfg_vs_key *key)
{
	long at = -1;

	hindex_each(&ix->vs, key, lowest, &at);
	return at;
}

const struct cfg_virtual_server *config_index_vs_by(const struct config_index *ix,
						    const struct cfg_vs_key *key)
{
	long at = config_index_vs_at(ix, key);

	return at < 0 ? NULL : ix->cfg->vs[at];
}

const struct cfg_virtual_server *config_index_vs(const struct config_index *ix,
						 const struct cfg_virtual_server *id)
{
	struct cfg_vs_key k;

	cfg_vs_key_of(id, &k);
	return config_index_vs_by(ix, &k);
}

const struct cfg_virtual_server *config_index_vs_key(const struct config_index *ix,
						     const struct config_vs_key *key)
{
	struct cfg_vs_key k;

	cfg_vs_key_of_shell(key, &k);
	return config_index_vs_by(ix, &k);
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
	struct cfg_vs_key k;

	cfg_vs_key_of(id, &k);
	return hindex_probes(&ix->vs, &k);
}
