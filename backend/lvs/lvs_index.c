/* lvs_index: hash indexes over arrays the caller owns, so that matching
 * 10,000 desired services against 10,000 kernel services is linear, not
 * quadratic, and finding the services of one virtual server (the changed
 * set's flush) is a lookup.
 *
 * Open addressing with linear probing; a slot holds an element's index
 * + 1 (0 is empty). Removal shifts the following entries of the chain
 * back (no tombstones), so an index stays as short as its array through
 * any number of edits. Three kinds of key share the code: IPVS service
 * keys (lvs_index_*), virtual-server keys (lvs_vsx_*, several elements
 * may share one) and strings (lvs_strx_*: the health table's keys).
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

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

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
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
	return fnv(2166136261u, buf, n);
}

bool lvs_vs_key_equal(const struct lvs_vs_key *a, const struct lvs_vs_key *b)
{
	return a->kind == b->kind && a->protocol == b->protocol && a->af == b->af &&
	       a->port == b->port && a->fwmark == b->fwmark &&
	       memcmp(a->addr.raw, b->addr.raw, 16) == 0 && strcmp(a->group, b->group) == 0;
}

/* Keys are built zeroed (lvs_key.c), so every field can be hashed. */
static uint32_t vs_key_hash(const struct lvs_vs_key *k)
{
	uint32_t h = 2166136261u;

	h = fnv(h, &k->kind, 1);
	h = fnv(h, &k->protocol, 1);
	h = fnv(h, &k->af, 2);
	h = fnv(h, &k->port, 2);
	h = fnv(h, &k->fwmark, 4);
	h = fnv(h, k->addr.raw, 16);
	return fnv(h, k->group, strlen(k->group));
}

/* ------------------------------------------------------------------ */
/* The table, whatever the key                                         */

typedef uint32_t (*hash_at_fn)(const void *arr, size_t i, const void *ctx);

static void slots_init(struct lvs_index *ix, size_t n)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap *= 2;
	free(ix->slots);
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
	ix->cap = cap;
	ix->n = 0;
}

static void slots_insert(struct lvs_index *ix, uint32_t h, size_t i)
{
	size_t mask = ix->cap - 1;
	size_t s = h & mask;

	while (ix->slots[s])
		s = (s + 1) & mask;
	ix->slots[s] = (uint32_t)(i + 1);
	ix->n++;
}

static void slots_build(struct lvs_index *ix, const void *arr, size_t n, hash_at_fn hash_at,
			const void *ctx)
{
	slots_init(ix, n);
	for (size_t i = 0; i < n; i++)
		slots_insert(ix, hash_at(arr, i, ctx), i);
}

/* Adds element i of arr, growing (by rebuilding over [0, i], which the
 * caller's array holds: elements are only ever appended) when half full. */
static void slots_add(struct lvs_index *ix, const void *arr, size_t i, hash_at_fn hash_at,
		      const void *ctx)
{
	if (!ix->cap || (ix->n + 1) * 2 > ix->cap) {
		slots_build(ix, arr, i + 1, hash_at, ctx);
		return;
	}
	slots_insert(ix, hash_at(arr, i, ctx), i);
}

/* Removes the entry of element i (whose hash is h; arr still holds it),
 * shifting back the entries after it that probed past its slot. */
static void slots_remove(struct lvs_index *ix, const void *arr, size_t i, uint32_t h,
			 hash_at_fn hash_at, const void *ctx)
{
	size_t mask, s, j;

	if (!ix->cap)
		return;
	mask = ix->cap - 1;
	for (s = h & mask; ix->slots[s] && ix->slots[s] != i + 1; s = (s + 1) & mask)
		;
	if (!ix->slots[s])
		return;
	ix->slots[s] = 0;
	ix->n--;
	for (j = (s + 1) & mask; ix->slots[j]; j = (j + 1) & mask) {
		size_t home = hash_at(arr, ix->slots[j] - 1, ctx) & mask;

		/* The entry at j may move to the hole at s unless its home
		 * lies cyclically in (s, j]. */
		if (s <= j ? (home > s && home <= j) : (home > s || home <= j))
			continue;
		ix->slots[s] = ix->slots[j];
		ix->slots[j] = 0;
		s = j;
	}
}

/* ------------------------------------------------------------------ */
/* Service keys                                                        */

static uint32_t svc_hash_at(const void *arr, size_t i, const void *ctx)
{
	const lvs_key_at_fn *key_at = ctx;

	return key_hash((*key_at)(arr, i));
}

void lvs_index_build(struct lvs_index *ix, const void *arr, size_t n, lvs_key_at_fn key_at)
{
	slots_build(ix, arr, n, svc_hash_at, &key_at);
}

void lvs_index_add(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	slots_add(ix, arr, i, svc_hash_at, &key_at);
}

void lvs_index_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	slots_remove(ix, arr, i, key_hash(key_at(arr, i)), svc_hash_at, &key_at);
}

void lvs_index_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	slots_insert(ix, key_hash(key_at(arr, i)), i);
}

long lvs_index_find(const struct lvs_index *ix, const void *arr, lvs_key_at_fn key_at,
		    const struct ipvs_service_key *key)
{
	size_t mask, s;

	if (!ix->cap)
		return -1;
	mask = ix->cap - 1;
	for (s = key_hash(key) & mask; ix->slots[s]; s = (s + 1) & mask)
		if (lvs_key_equal(key_at(arr, ix->slots[s] - 1), key))
			return (long)ix->slots[s] - 1;
	return -1;
}

void lvs_index_free(struct lvs_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof(*ix));
}

/* ------------------------------------------------------------------ */
/* Virtual-server keys                                                 */

static uint32_t vs_hash_at(const void *arr, size_t i, const void *ctx)
{
	const lvs_vs_key_at_fn *key_at = ctx;

	return vs_key_hash((*key_at)(arr, i));
}

void lvs_vsx_build(struct lvs_index *ix, const void *arr, size_t n, lvs_vs_key_at_fn key_at)
{
	slots_build(ix, arr, n, vs_hash_at, &key_at);
}

void lvs_vsx_add(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	slots_add(ix, arr, i, vs_hash_at, &key_at);
}

void lvs_vsx_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	slots_remove(ix, arr, i, vs_key_hash(key_at(arr, i)), vs_hash_at, &key_at);
}

void lvs_vsx_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_vs_key_at_fn key_at)
{
	slots_insert(ix, vs_key_hash(key_at(arr, i)), i);
}

long lvs_vsx_find(const struct lvs_index *ix, const void *arr, lvs_vs_key_at_fn key_at,
		  const struct lvs_vs_key *key)
{
	size_t mask, s;

	if (!ix->cap)
		return -1;
	mask = ix->cap - 1;
	for (s = vs_key_hash(key) & mask; ix->slots[s]; s = (s + 1) & mask)
		if (lvs_vs_key_equal(key_at(arr, ix->slots[s] - 1), key))
			return (long)ix->slots[s] - 1;
	return -1;
}

/* ------------------------------------------------------------------ */
/* String keys                                                         */

static uint32_t str_hash_at(const void *arr, size_t i, const void *ctx)
{
	const lvs_str_at_fn *key_at = ctx;
	const char *k = (*key_at)(arr, i);

	return fnv(2166136261u, k, strlen(k));
}

void lvs_strx_add(struct lvs_index *ix, const void *arr, size_t i, lvs_str_at_fn key_at)
{
	slots_add(ix, arr, i, str_hash_at, &key_at);
}

void lvs_strx_remove(struct lvs_index *ix, const void *arr, size_t i, lvs_str_at_fn key_at)
{
	slots_remove(ix, arr, i, str_hash_at(arr, i, &key_at), str_hash_at, &key_at);
}

void lvs_strx_reinsert(struct lvs_index *ix, const void *arr, size_t i, lvs_str_at_fn key_at)
{
	slots_insert(ix, str_hash_at(arr, i, &key_at), i);
}

long lvs_strx_find(const struct lvs_index *ix, const void *arr, lvs_str_at_fn key_at,
		   const char *key)
{
	size_t mask, s;

	if (!ix->cap)
		return -1;
	mask = ix->cap - 1;
	for (s = fnv(2166136261u, key, strlen(key)) & mask; ix->slots[s]; s = (s + 1) & mask)
		if (strcmp(key_at(arr, ix->slots[s] - 1), key) == 0)
			return (long)ix->slots[s] - 1;
	return -1;
}
