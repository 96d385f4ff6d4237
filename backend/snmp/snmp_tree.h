/* snmp_tree: one MIB subtree's values as a sorted array, for GET and
 * GETNEXT by binary search.
 *
 * The snapshot (snmp_snap.c) fills one tree per registered root from the
 * engines' state, sorts it once, and the request handlers only search
 * it: a walk of N objects costs N log N comparisons and nothing else, and
 * OIDs out of order cannot happen (the array is sorted by OID). The tree
 * knows nothing of net-snmp, so it is unit-tested and fuzzed alone.
 *
 * Names are stored relative to the root (the "suffix"); sub-identifiers
 * are 32-bit as SNMP defines them, while a request may carry larger
 * ones (net-snmp's oid is an unsigned long): lookups take 64-bit
 * sub-identifiers, so such a request sorts after every stored name.
 */
#ifndef SOFTLB_SNMP_TREE_H
#define SOFTLB_SNMP_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name under the root is at most this long (SNMP's 128 minus a root). */
#define SNMP_SUFFIX_MAX 112

enum snmp_vtype {
	SNMP_V_INTEGER = 0,	/* INTEGER / Integer32 */
	SNMP_V_UNSIGNED,	/* Unsigned32 / Gauge32 */
	SNMP_V_COUNTER32,	/* taken modulo 2^32 */
	SNMP_V_COUNTER64,
	SNMP_V_TIMETICKS,	/* centiseconds */
	SNMP_V_OCTETS,		/* OCTET STRING (text or binary) */
	SNMP_V_IPADDRESS,	/* IpAddress: 4 octets */
};

struct snmp_ent {
	uint32_t name_off;	/* in the tree's sub-identifier arena */
	uint16_t name_len;
	uint8_t type;		/* enum snmp_vtype */
	uint32_t str_off;	/* OCTETS / IPADDRESS: in the byte arena */
	uint32_t str_len;
	int64_t num;		/* numeric types */
};

struct snmp_tree {
	struct snmp_ent *ents;	/* sorted by name (after snmp_tree_sort) */
	size_t n, cap;
	struct snmp_ent *raw;	/* as added */
	size_t n_raw, cap_raw;
	uint32_t *names;	/* sub-identifier arena */
	size_t n_names, cap_names;
	unsigned char *bytes;	/* string arena */
	size_t n_bytes, cap_bytes;
	bool sorted;
	/* The last sort, for the next fill: a fill that adds the same names
	 * in the same order (the rows did not change, only their values --
	 * every rebuild between two reloads) takes the same order without
	 * sorting again. perm[i] is the raw entry at sorted position i. */
	uint32_t *perm;
	size_t n_perm, cap_perm;
	uint32_t *prev_names;	/* the arena and the lengths it was made for */
	size_t n_prev_names, cap_prev_names;
	uint16_t *prev_lens;
	size_t n_prev, cap_prev;
	uint64_t sorts, reuses;	/* full sorts, reused orders */
};

void snmp_tree_init(struct snmp_tree *t);
/* Empties t, keeping its memory for the next fill. */
void snmp_tree_clear(struct snmp_tree *t);
void snmp_tree_free(struct snmp_tree *t);

/* Adds the value at name = col[0..ncol) . idx[0..nidx) (either part may
 * be empty). Returns false (and adds nothing) when the name would be
 * longer than SNMP_SUFFIX_MAX. */
bool snmp_tree_add_num(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		       const uint32_t *idx, size_t nidx, enum snmp_vtype type, int64_t num);
bool snmp_tree_add_str(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		       const uint32_t *idx, size_t nidx, enum snmp_vtype type,
		       const void *s, size_t len);
/* Sorts the names (call once the tree is full; a duplicate name keeps
 * the first added). The order of the last sort is reused when the
 * names added are the same, in the same order, as then. */
void snmp_tree_sort(struct snmp_tree *t);

/* The entry named exactly name[0..len), or NULL. */
const struct snmp_ent *snmp_tree_get(const struct snmp_tree *t, const uint64_t *name, size_t len);
/* The first entry whose name sorts after name[0..len) (len 0: the first
 * entry), or NULL when there is none. */
const struct snmp_ent *snmp_tree_next(const struct snmp_tree *t, const uint64_t *name,
				      size_t len);
static inline const uint32_t *snmp_ent_name(const struct snmp_tree *t, const struct snmp_ent *e)
{
	return t->names + e->name_off;
}
static inline const unsigned char *snmp_ent_str(const struct snmp_tree *t,
						const struct snmp_ent *e)
{
	return t->bytes + e->str_off;
}

/* Index helpers: append to idx (capacity SNMP_SUFFIX_MAX) at *n; each
 * returns false when it would not fit. */
/* A string as length + one sub-identifier per byte (a non-IMPLIED
 * OCTET STRING index). */
bool snmp_idx_str(uint32_t *idx, size_t *n, const char *s);
/* Raw bytes, with a length prefix when with_len (InetAddress). */
bool snmp_idx_bytes(uint32_t *idx, size_t *n, const unsigned char *b, size_t len, bool with_len);

#endif
