/* hash-type consistent: a hash ring (HAProxy's lb_chash, Karger's
 * consistent hashing).
 *
 * Each server with a weight gets points on a 64-bit ring, as many as
 * its weight times PTS_PER_WEIGHT, each at the hash of "NAME#i": a
 * server's points depend on its name only, so removing (or adding) one
 * server moves only the keys that land on its points, about 1/N of them,
 * where map-based hashing (key modulo the weights) moves most keys. A key
 * goes to the server of the first point at or after its hash; points of
 * servers that cannot take it now (down, full, the one a retry avoids)
 * are skipped, so their keys spread over the others.
 *
 * The ring is built with the snapshot (control plane) and never changed;
 * a weight change builds a new snapshot, hence a new ring.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define PTS_PER_WEIGHT 100	/* enough for an even share at weight 1 */
#define PTS_MAX 200000		/* bound per proxy: weights are scaled down */

struct px_chash_pt {
	uint64_t h;
	uint32_t srv;		/* index in the proxy's srv array */
};

struct px_chash {
	size_t n;
	struct px_chash_pt *pts;	/* sorted by h */
};

static int cmp_pt(const void *a, const void *b)
{
	const struct px_chash_pt *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->srv < y->srv ? -1 : x->srv > y->srv;
}

struct px_chash *px_chash_build(const struct px_proxy *p)
{
	struct px_chash *c = xcalloc(1, sizeof(*c));
	uint64_t total = 0, per = PTS_PER_WEIGHT;
	size_t k = 0;

	for (size_t i = 0; i < p->n_srv; i++)
		total += p->srv[i].weight > 0 ? (uint64_t)p->srv[i].weight : 0;
	if (total * per > PTS_MAX)
		per = PTS_MAX / total ? PTS_MAX / total : 1;
	c->pts = xcalloc(total > 0 ? (size_t)(total * per) : 1, sizeof(*c->pts));
	for (size_t i = 0; i < p->n_srv; i++) {
		uint64_t n = p->srv[i].weight > 0 ? (uint64_t)p->srv[i].weight * per : 0;

		for (uint64_t j = 0; j < n; j++) {
			char key[300];
			int len = snprintf(key, sizeof(key), "%s#%llu", p->srv[i].name,
					   (unsigned long long)j);

			c->pts[k].h = px_hash_bytes(key, len > 0 ? (size_t)len : 0);
			c->pts[k].srv = (uint32_t)i;
			k++;
		}
	}
	c->n = k;
	qsort(c->pts, c->n, sizeof(*c->pts), cmp_pt);
	return c;
}

void px_chash_free(struct px_chash *c)
{
	if (!c)
		return;
	free(c->pts);
	free(c);
}

struct px_server *px_chash_pick(const struct px_chash *c, struct px_proxy *be, uint64_t h,
				struct px_server *const *cand, size_t n)
{
	size_t lo = 0, hi;

	if (!c || c->n == 0 || n == 0)
		return NULL;
	/* The first point at or after h (wrapping). */
	hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->pts[mid].h < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = 0; k < c->n; k++) {
		struct px_server *s = &be->srv[c->pts[(lo + k) % c->n].srv];

		for (size_t i = 0; i < n; i++)
			if (cand[i] == s)
				return s;
	}
	return NULL;
}
