#include "config.h"

#include "snmp/snmp_tree.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void snmp_tree_init(struct snmp_tree *t)
{
	memset(t, 0, sizeof(*t));
	t->sorted = true;
}

void snmp_tree_clear(struct snmp_tree *t)
{
	t->n = 0;
	t->n_raw = 0;
	t->n_names = 0;
	t->n_bytes = 0;
	t->sorted = true;
}

void snmp_tree_free(struct snmp_tree *t)
{
	free(t->ents);
	free(t->raw);
	free(t->names);
	free(t->bytes);
	free(t->perm);
	free(t->prev_names);
	free(t->prev_lens);
	snmp_tree_init(t);
}

/* Grows *arr (of elem-sized items, *cap of them) to hold need. */
static void grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 64;

	if (need <= *cap)
		return;
	while (c < need)
		c *= 2;
	*arr = xrealloc(*arr, c * elem);
	*cap = c;
}

static struct snmp_ent *add(struct snmp_tree *t, const uint32_t *col, size_t ncol,
			    const uint32_t *idx, size_t nidx, enum snmp_vtype type)
{
	struct snmp_ent *e;
	size_t len = ncol + nidx;

	if (len == 0 || len > SNMP_SUFFIX_MAX)
		return NULL;
	if (t->n_raw >= UINT32_MAX)
		return NULL;
	grow((void **)&t->raw, &t->cap_raw, t->n_raw + 1, sizeof(*t->raw));
	grow((void **)&t->names, &t->cap_names, t->n_names + len, sizeof(*t->names));
	e = &t->raw[t->n_raw++];
	memset(e, 0, sizeof(*e));
	e->name_off = (uint32_t)t->n_names;
	e->name_len = (uint16_t)len;
	e->type = (uint8_t)type;
	if (ncol)
		memcpy(t->names + t->n_names, col, ncol * sizeof(*col));
	if (nidx)
		memcpy(t->names + t->n_names + ncol, idx, nidx * sizeof(*idx));
	t->n_names += len;
	t->sorted = false;
	return e;
}

bool snmp_tree_add_num(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		       const uint32_t *idx, size_t nidx, enum snmp_vtype type, int64_t num)
{
	struct snmp_ent *e = add(t, col, ncol, idx, nidx, type);

	if (!e)
		return false;
	e->num = num;
	return true;
}

bool snmp_tree_add_str(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		       const uint32_t *idx, size_t nidx, enum snmp_vtype type,
		       const void *s, size_t len)
{
	struct snmp_ent *e;

	if (len > UINT32_MAX / 2)
		return false;
	e = add(t, col, ncol, idx, nidx, type);
	if (!e)
		return false;
	grow((void **)&t->bytes, &t->cap_bytes, t->n_bytes + len + 1, 1);
	e->str_off = (uint32_t)t->n_bytes;
	e->str_len = (uint32_t)len;
	if (len)
		memcpy(t->bytes + t->n_bytes, s, len);
	t->n_bytes += len;
	return true;
}

/* qsort has no context argument: the tree being sorted is passed here.
 * Sorting happens on the control-plane thread only. */
static _Thread_local const struct snmp_tree *sort_tree;

static int cmp_names(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

/* Sorts raw entry indexes by name; the same name twice: the one added
 * first comes first (and is the one kept). */
static int cmp_perm(const void *pa, const void *pb)
{
	uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
	const struct snmp_ent *a = &sort_tree->raw[ia], *b = &sort_tree->raw[ib];
	int c = cmp_names(sort_tree->names + a->name_off, a->name_len,
			  sort_tree->names + b->name_off, b->name_len);

	if (c)
		return c;
	return ia < ib ? -1 : ia > ib;
}

/* Whether this fill added the names the last sort was made for. */
static bool same_names(const struct snmp_tree *t)
{
	if (t->n_prev != t->n_raw || t->n_prev_names != t->n_names || !t->n_raw)
		return false;
	for (size_t i = 0; i < t->n_raw; i++)
		if (t->prev_lens[i] != t->raw[i].name_len)
			return false;
	return memcmp(t->prev_names, t->names, t->n_names * sizeof(*t->names)) == 0;
}

/* A full sort of the raw entries into perm, duplicates left out, and
 * what it was made for kept for the next fill. */
static void sort_perm(struct snmp_tree *t)
{
	size_t w = 0;

	grow((void **)&t->perm, &t->cap_perm, t->n_raw, sizeof(*t->perm));
	for (size_t i = 0; i < t->n_raw; i++)
		t->perm[i] = (uint32_t)i;
	sort_tree = t;
	if (t->n_raw)
		qsort(t->perm, t->n_raw, sizeof(*t->perm), cmp_perm);
	sort_tree = NULL;
	for (size_t r = 0; r < t->n_raw; r++) {
		const struct snmp_ent *e = &t->raw[t->perm[r]];

		if (w) {
			const struct snmp_ent *p = &t->raw[t->perm[w - 1]];

			if (cmp_names(t->names + p->name_off, p->name_len, t->names + e->name_off,
				      e->name_len) == 0)
				continue;
		}
		t->perm[w++] = t->perm[r];
	}
	t->n_perm = w;
	grow((void **)&t->prev_names, &t->cap_prev_names, t->n_names, sizeof(*t->prev_names));
	if (t->n_names)
		memcpy(t->prev_names, t->names, t->n_names * sizeof(*t->names));
	t->n_prev_names = t->n_names;
	grow((void **)&t->prev_lens, &t->cap_prev, t->n_raw, sizeof(*t->prev_lens));
	for (size_t i = 0; i < t->n_raw; i++)
		t->prev_lens[i] = t->raw[i].name_len;
	t->n_prev = t->n_raw;
	t->sorts++;
}

void snmp_tree_sort(struct snmp_tree *t)
{
	if (t->sorted)
		return;
	if (same_names(t))
		t->reuses++;
	else
		sort_perm(t);
	grow((void **)&t->ents, &t->cap, t->n_perm, sizeof(*t->ents));
	for (size_t i = 0; i < t->n_perm; i++)
		t->ents[i] = t->raw[t->perm[i]];
	t->n = t->n_perm;
	t->sorted = true;
}

/* Compares a stored name with a request's (64-bit sub-identifiers). */
static int cmp_req(const uint32_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++)
		if ((uint64_t)a[i] != b[i])
			return (uint64_t)a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

/* Index of the first entry whose name is >= name (strict: > name). */
static size_t lower(const struct snmp_tree *t, const uint64_t *name, size_t len, bool strict)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct snmp_ent *e = &t->ents[mid];
		int c = cmp_req(t->names + e->name_off, e->name_len, name, len);

		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct snmp_ent *snmp_tree_get(const struct snmp_tree *t, const uint64_t *name, size_t len)
{
	size_t i;

	if (!t->sorted || len == 0)
		return NULL;
	i = lower(t, name, len, false);
	if (i < t->n && cmp_req(t->names + t->ents[i].name_off, t->ents[i].name_len,
				name, len) == 0)
		return &t->ents[i];
	return NULL;
}

const struct snmp_ent *snmp_tree_next(const struct snmp_tree *t, const uint64_t *name,
				      size_t len)
{
	size_t i;

	if (!t->sorted)
		return NULL;
	i = len ? lower(t, name, len, true) : 0;
	return i < t->n ? &t->ents[i] : NULL;
}

bool snmp_idx_bytes(uint32_t *idx, size_t *n, const unsigned char *b, size_t len, bool with_len)
{
	if (*n + len + (with_len ? 1 : 0) > SNMP_SUFFIX_MAX)
		return false;
	if (with_len)
		idx[(*n)++] = (uint32_t)len;
	for (size_t i = 0; i < len; i++)
		idx[(*n)++] = b[i];
	return true;
}

bool snmp_idx_str(uint32_t *idx, size_t *n, const char *s)
{
	return snmp_idx_bytes(idx, n, (const unsigned char *)s, strlen(s), true);
}
