/* lvs_index: a hash index of IPVS service keys over an array the caller
 * owns, so that matching 10,000 desired services against 10,000 kernel
 * services is linear, not quadratic.
 */
#include "config.h"

#include "lvs/lvs.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

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
	uint32_t h = 2166136261u;
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
	for (size_t i = 0; i < n; i++) {
		h ^= buf[i];
		h *= 16777619u;
	}
	return h;
}

static void insert(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	size_t mask = ix->cap - 1;
	size_t s = key_hash(key_at(arr, i)) & mask;

	while (ix->slots[s])
		s = (s + 1) & mask;
	ix->slots[s] = (uint32_t)(i + 1);
	ix->n++;
}

void lvs_index_build(struct lvs_index *ix, const void *arr, size_t n, lvs_key_at_fn key_at)
{
	size_t cap = 16;

	while (cap < n * 2)
		cap *= 2;
	free(ix->slots);
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
	ix->cap = cap;
	ix->n = 0;
	for (size_t i = 0; i < n; i++)
		insert(ix, arr, i, key_at);
}

void lvs_index_add(struct lvs_index *ix, const void *arr, size_t i, lvs_key_at_fn key_at)
{
	if (!ix->cap || (ix->n + 1) * 2 > ix->cap) {
		/* Grow by rebuilding over [0, i], which the caller's array
		 * holds in order (elements are only ever appended). */
		lvs_index_build(ix, arr, i + 1, key_at);
		return;
	}
	insert(ix, arr, i, key_at);
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
