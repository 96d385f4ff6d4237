/* hindex: a hash index of caller-owned items by a typed key (hindex.h). */
#include "config.h"

#include "util/hindex.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

uint32_t hindex_fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t hindex_fnv_str(uint32_t h, const char *s)
{
	/* The terminator too, so that ("ab", "c") and ("a", "bc") hash
	 * apart when a key is several strings. */
	return s ? hindex_fnv(h, s, strlen(s) + 1) : hindex_fnv(h, "", 1);
}

void hindex_init(struct hindex *ix, const struct hindex_ops *ops)
{
	memset(ix, 0, sizeof(*ix));
	ix->ops = ops;
}

void hindex_init_ctx(struct hindex *ix, const struct hindex_ops *ops, const void *ctx)
{
	hindex_init(ix, ops);
	ix->ctx = ctx;
}

/* The key item is indexed by. */
static const void *item_key(const struct hindex *ix, const void *item)
{
	return ix->ops->key_in ? ix->ops->key_in(ix->ctx, item) : ix->ops->key_of(item);
}

void hindex_free(struct hindex *ix)
{
	free(ix->slots);
	ix->slots = NULL;
	ix->cap = 0;
	ix->n = 0;
}

void hindex_clear(struct hindex *ix)
{
	if (ix->slots)
		memset(ix->slots, 0, ix->cap * sizeof(*ix->slots));
	ix->n = 0;
}

/* Puts item at the first free slot of its chain; the table has room. */
static void place(struct hindex_slot *slots, size_t cap, uint32_t hash, void *item)
{
	size_t mask = cap - 1, s = hash & mask;

	while (slots[s].item)
		s = (s + 1) & mask;
	slots[s].hash = hash;
	slots[s].item = item;
}

/* Doubles the table (16 slots at first), re-placing every item by the
 * hash its slot kept. */
static void grow(struct hindex *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 16;
	struct hindex_slot *slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i].item)
			place(slots, cap, ix->slots[i].hash, ix->slots[i].item);
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
}

void hindex_add(struct hindex *ix, void *item)
{
	/* At most half full: a miss probes about two slots on average. */
	if ((ix->n + 1) * 2 > ix->cap)
		grow(ix);
	place(ix->slots, ix->cap, ix->ops->hash(item_key(ix, item)), item);
	ix->n++;
}

bool hindex_remove(struct hindex *ix, const void *item)
{
	size_t mask, s;

	if (!ix->n)
		return false;
	mask = ix->cap - 1;
	s = ix->ops->hash(item_key(ix, item)) & mask;
	while (ix->slots[s].item && ix->slots[s].item != item)
		s = (s + 1) & mask;
	if (!ix->slots[s].item)
		return false;
	/* Backward shift: each later entry of the chain that could live in
	 * the hole (its home is not between the hole and it) moves there. */
	for (size_t hole = s, j = (s + 1) & mask;; j = (j + 1) & mask) {
		size_t home;

		if (!ix->slots[j].item) {
			ix->slots[hole].item = NULL;
			ix->slots[hole].hash = 0;
			break;
		}
		home = ix->slots[j].hash & mask;
		if (((j - home) & mask) >= ((j - hole) & mask)) {
			ix->slots[hole] = ix->slots[j];
			hole = j;
		}
	}
	ix->n--;
	return true;
}

void *hindex_find(const struct hindex *ix, const void *key)
{
	size_t mask, s;
	uint32_t h;

	if (!ix->n)
		return NULL;
	h = ix->ops->hash(key);
	mask = ix->cap - 1;
	for (s = h & mask; ix->slots[s].item; s = (s + 1) & mask)
		if (ix->slots[s].hash == h &&
		    ix->ops->equal(item_key(ix, ix->slots[s].item), key))
			return ix->slots[s].item;
	return NULL;
}

void hindex_each(const struct hindex *ix, const void *key,
		 bool (*fn)(void *item, void *arg), void *arg)
{
	size_t mask, s;
	uint32_t h;

	if (!ix->n)
		return;
	h = ix->ops->hash(key);
	mask = ix->cap - 1;
	for (s = h & mask; ix->slots[s].item; s = (s + 1) & mask)
		if (ix->slots[s].hash == h &&
		    ix->ops->equal(item_key(ix, ix->slots[s].item), key) &&
		    !fn(ix->slots[s].item, arg))
			return;
}

size_t hindex_probes(const struct hindex *ix, const void *key)
{
	size_t mask, s, n = 1;
	uint32_t h;

	if (!ix->n)
		return 0;
	h = ix->ops->hash(key);
	mask = ix->cap - 1;
	for (s = h & mask; ix->slots[s].item; s = (s + 1) & mask, n++)
		if (ix->slots[s].hash == h &&
		    ix->ops->equal(item_key(ix, ix->slots[s].item), key))
			return n;
	return n;	/* the empty slot that ended the chain */
}
