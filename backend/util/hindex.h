/* hindex: a hash index of items the caller owns, by a typed key.
 *
 * Every kind of object softlbd names (a virtual server, a real server of
 * one, a proxy's server, a VRRP instance) is found through one of these
 * instead of a linear scan or a formatted string: the kind supplies how
 * to hash and compare its key (struct hindex_ops), the index only keeps
 * pointers to the items. Open addressing with linear probing, at most
 * half full; removal shifts the rest of the probe chain back (no
 * tombstones), so the index stays as short as its item set through any
 * number of adds and removes. Each slot keeps its item's hash, so growing
 * and shifting never call back into the kind.
 *
 * Not thread-safe: an index belongs to the thread that owns its items.
 */
#ifndef SOFTLB_UTIL_HINDEX_H
#define SOFTLB_UTIL_HINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How one kind of item is keyed. key_of() returns the key an item is
 * indexed by; hash() and equal() work on keys, so a lookup needs only a
 * key (often on the stack), never an item.
 *
 * key_in() replaces key_of() for items that are not pointers but handles
 * the index's owner resolves through the index's ctx (hindex_init_ctx):
 * positions in an array that moves when it grows, as the LVS engine's
 * desired state and health table are (lvs_index.c). */
struct hindex_ops {
	const void *(*key_of)(const void *item);
	uint32_t (*hash)(const void *key);
	bool (*equal)(const void *a, const void *b);
	const void *(*key_in)(const void *ctx, const void *item);
};

struct hindex_slot {
	uint32_t hash;
	void *item;		/* NULL: empty */
};

struct hindex {
	const struct hindex_ops *ops;
	const void *ctx;	/* for ops->key_in */
	struct hindex_slot *slots;
	size_t cap;		/* 0 or a power of two */
	size_t n;		/* items indexed */
};

#define HINDEX_INIT(ops_) { (ops_), NULL, NULL, 0, 0 }

void hindex_init(struct hindex *ix, const struct hindex_ops *ops);
/* The same for ops with key_in: ctx is what it resolves items through.
 * The owner may point ix->ctx elsewhere later (an array's new address):
 * slots keep each item's hash, so nothing is rehashed. */
void hindex_init_ctx(struct hindex *ix, const struct hindex_ops *ops, const void *ctx);
/* Frees the slots (not the items); the index is empty and usable. */
void hindex_free(struct hindex *ix);
void hindex_clear(struct hindex *ix);

/* Indexes item under its key. The caller makes sure no item with an
 * equal key is indexed already (hindex_find first) when keys must be
 * unique; with equal keys, hindex_find returns one of them. */
void hindex_add(struct hindex *ix, void *item);
/* Removes this very item (compared by address). Returns false when it
 * was not indexed. */
bool hindex_remove(struct hindex *ix, const void *item);
/* The item whose key equals key, or NULL. */
void *hindex_find(const struct hindex *ix, const void *key);
/* Calls fn on every item whose key equals key (several may share one),
 * until fn returns false. */
void hindex_each(const struct hindex *ix, const void *key,
		 bool (*fn)(void *item, void *arg), void *arg);

/* How many slots a lookup of key examines (the matching one included):
 * what tests measure to prove a lookup does not scan. */
size_t hindex_probes(const struct hindex *ix, const void *key);

/* FNV-1a over n bytes, continued from h (start with HINDEX_FNV_SEED):
 * the hash the kinds build theirs from, field by field. */
#define HINDEX_FNV_SEED 2166136261u
uint32_t hindex_fnv(uint32_t h, const void *p, size_t n);
/* The same over a NUL-terminated string (NULL hashes as ""). */
uint32_t hindex_fnv_str(uint32_t h, const char *s);

#endif
