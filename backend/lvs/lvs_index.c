/* lvs_index: the engine's hash indexes over arrays it owns, so that
 * matching 10,000 desired services against 10,000 kernel services is
 * linear, not quadratic, and finding the services of one virtual server
 * (the changed set's flush) is a lookup.
 *
 * Built on util/hindex, the one hash index of the daemon; its items here
 * are positions in arrays that grow (and so move), resolved through the
 * array each call names. Two kinds of key: IPVS service keys
 * (lvs_index_*: the kernel's identity of a service) and virtual-server
 * keys (lvs_vsx_*: config's struct cfg_vs_key with its hash and
 * comparison; several elements may share one). Removal shifts the chain
 * back (no tombstones), so an index stays as short as its array through
 * any number of edits.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <stdint.h>
#include <string.h>

#include "config/vs_key.h"
#include "util/hindex.h"

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/* Two keys name the same service. A fwmark service is its family and
 * mark only: the kernel stores TCP as its protocol but never reports it. */
bool lvs_key_equal(const struct ipvs_service_key *a, const struct ipvs_service_key *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       memcmp(a->addr.raw, b->addr.raw, a->af == AF_INET6 ? 16 : 4) == 0;
}

/* FNV-1a over the fields lvs_key_equal() compares. */
static uint32_t key_hash(const struct ipvs_service_key *k)
{
	uint8_t buf[28];
	size_t n = 0;

	buf[n++] = (uint8_t)k->af;
	memcpy(buf + n, &k->fwmark, 4);
	n += 4;
	if (!k->fwmark) {
		size_t alen = k->af == AF_INET6 ? 16 : 4;

		buf[n++] = (uint8_t)k->protocol;
		buf[n++] = (uint8_t)(k->port >> 8);
		buf[n++] = (uint8_t)k->port;
		memcpy(buf + n, k->addr.raw, alen);
		n += alen;
	}
	return hindex_fnv(HINDEX_FNV_SEED, buf, n);
}

/* ------------------------------------------------------------------ */
/* The table: util/hindex over positions                               */

/* An item is a position + 1 (never NULL), resolved through the array
 * of the call being served: ix->h.ctx is ix itself, set again at each
 * call, so an lvs_index may be moved or copied between calls. */
static void *handle(size_t i)
{
	return (void *)(uintptr_t)(i + 1);
}

static size_t pos(const void *item)
{
	return (size_t)(uintptr_t)item - 1;
}

static const void *svc_key_in(const void *ctx, const void *item)
{
	const struct lvs_index *ix = ctx;

	return ix->svc_at(ix->arr, pos(item));
}

static uint32_t svc_hash(const void *key)
{
	return key_hash(key);
}

static bool svc_equal(const void *a, const void *b)
{
	return lvs_key_equal(a, b);
}

static const struct hindex_ops svc_ops = { NULL, svc_hash, svc_equal, svc_key_in };

static const void *vs_key_in(const void *ctx, const void *item)
{
	const struct lvs_index *ix = ctx;

	return ix->vs_at(ix->arr, pos(item));
}

/* The virtual-server key, its hash and its comparison are config's: one
 * definition for the model's index and this one (config/vs_key.h). */
static uint32_t vs_hash(const void *key)
{
	return cfg_vs_key_hash(key);
}

static bool vs_equal(const void *a, const void *b)
{
	return cfg_vs_key_equal(a, b);
}

static const struct hindex_ops vs_ops = { NULL, vs_hash, vs_equal, vs_key_in };

static void bind_svc(struct lvs_index *ix, const void *arr, lvs_key_at_fn key_at)
{
	ix->h.ops = &svc_ops;
	ix->h.ctx = ix;
	ix->arr = arr;
	ix->svc_at = key_at;
}

static void bind_vs(struct lvs_index *ix, const void *arr, lvs_vs_key_at_fn key_at)
{
	ix->h.ops = &vs_ops;
	ix->h.ctx = ix;
	ix->arr = arr;
	ix->vs_at = key_at;
}

/* ------------------------------------------------------------------ */
/* Service keys                                                        */

void lvs_index_build(struct lvs_index *ix, const void *arr, size_t n, lvs_key_at_fn key_at)
{
	bind_svc(ix, arr, key_at);
	hindex_clear(&ix->h);
	for (size_t i = 0; i < n; i++)
		hindex_add(&ix->h, handle(i));
}

void lvs_index_add(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	bind_svc(ix, arr, key_at);
	hindex_add(&ix->h, handle(i));
}

void lvs_index_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	bind_svc(ix, arr, key_at);
	hindex_remove(&ix->h, handle(i));
}

void lvs_index_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	lvs_index_add(ix, arr, i, key_at);
}

long lvs_index_find(const struct lvs_index *ix, const void *arr, lvs_key_at_fn key_at,
		    const struct ipvs_service_key *key)
{
	/* A lookup changes nothing: it resolves through a copy bound to
	 * this call's array (the slots are shared, not copied). */
	struct lvs_index at = *ix;
	void *item;

	bind_svc(&at, arr, key_at);
	item = hindex_find(&at.h, key);
	return item ? (long)pos(item) : -1;
}

void lvs_index_free(struct lvs_index *ix)
{
	hindex_free(&ix->h);
}

/* ------------------------------------------------------------------ */
/* Virtual-server keys                                                 */

void lvs_vsx_build(struct lvs_index *ix, const void *arr, size_t n, lvs_vs_key_at_fn key_at)
{
	bind_vs(ix, arr, key_at);
	hindex_clear(&ix->h);
	for (size_t i = 0; i < n; i++)
		hindex_add(&ix->h, handle(i));
}

void lvs_vsx_add(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	bind_vs(ix, arr, key_at);
	hindex_add(&ix->h, handle(i));
}

void lvs_vsx_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	bind_vs(ix, arr, key_at);
	hindex_remove(&ix->h, handle(i));
}

void lvs_vsx_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	lvs_vsx_add(ix, arr, i, key_at);
}

long lvs_vsx_find(const struct lvs_index *ix, const void *arr, lvs_vs_key_at_fn key_at,
		  const struct cfg_vs_key *key)
{
	struct lvs_index at = *ix;
	void *item;

	bind_vs(&at, arr, key_at);
	item = hindex_find(&at.h, key);
	return item ? (long)pos(item) : -1;
}
