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
	t->n_names = 0;
	t->n_bytes = 0;
	t->sorted = true;
}

void snmp_tree_free(struct snmp_tree *t)
{
	free(t->ents);
	free(t->names);
	free(t->bytes);
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
	grow((void **)&t->ents, &t->cap, t->n + 1, sizeof(*t->ents));
	grow((void **)&t->names, &t->cap_names, t->n_names + len, sizeof(*t->names));
	e = &t->ents[t->n++];
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

/* qsort has no context argument: the arena being sorted is passed here.
 * Sorting happens on the control-plane thread only. */
static _Thread_local const uint32_t *sort_names;

static int cmp_names(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;

	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

static int cmp_ents(const void *pa, const void *pb)
{
	const struct snmp_ent *a = pa, *b = pb;
	int c = cmp_names(sort_names + a->name_off, a->name_len,
			  sort_names + b->name_off, b->name_len);

	if (c)
		return c;
	/* The same name twice: the one added first wins (see dedupe). */
	return a->name_off < b->name_off ? -1 : a->name_off > b->name_off;
}

void snmp_tree_sort(struct snmp_tree *t)
{
	size_t w = 0;

	if (t->sorted)
		return;
	sort_names = t->names;
	qsort(t->ents, t->n, sizeof(*t->ents), cmp_ents);
	sort_names = NULL;
	for (size_t r = 0; r < t->n; r++) {
		if (w && cmp_names(t->names + t->ents[w - 1].name_off, t->ents[w - 1].name_len,
				   t->names + t->ents[r].name_off, t->ents[r].name_len) == 0)
			continue;
		t->ents[w++] = t->ents[r];
	}
	t->n = w;
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
