/* Balancing: which server of a backend takes a new connection.
 *
 * Candidates are the usable servers (UP, weight > 0, below their maxconn);
 * when no active server is usable, the backups are (the first one only,
 * unless option allbackups), as in HAProxy. Then, by `balance`:
 *
 *   roundrobin, static-rr  smooth weighted round robin (nginx's): over
 *                          any window of sum(weights) picks each server
 *                          gets exactly its weight, evenly interleaved
 *   leastconn              fewest sessions per unit of weight (all
 *                          workers' sessions), ties rotated
 *   source                 hash of the client address over the weights
 *   uri, url_param, hdr    hash of that key over the weights (mode http;
 *                          round robin when the request has no key)
 *                          hash-type map-based: the hash modulo the total
 *                          weight; consistent: a ring (px_chash.c);
 *                          avalanche mixes the hash once more first
 *   random                 weighted random
 *   first                  the first server in configuration order with
 *                          room below its maxconn
 *
 * The round-robin state is the worker's own (one slot per worker), so
 * with several workers each balances its own share evenly.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <netinet/in.h>
#include <string.h>

#include "util/xalloc.h"

static uint64_t cur_all(const struct px_stats *st)
{
	uint64_t n = 0;

	for (size_t i = 0; i < st->n_slots; i++)
		n += atomic_load_explicit(&st->slots[i].cur, memory_order_relaxed);
	return n;
}

bool px_server_usable(const struct px_worker *w, const struct px_server *s)
{
	if (s->state != PX_SRV_UP || s->weight <= 0)
		return false;
	if (s->maxconn > 0 &&
	    atomic_load_explicit(&s->st->slots[w->idx].cur, memory_order_relaxed) >=
	    (uint64_t)s->maxconn)
		return false;
	return true;
}

bool px_lb_all_full(const struct px_proxy *be)
{
	for (size_t i = 0; i < be->n_srv; i++)
		if (be->srv[i].state == PX_SRV_UP && be->srv[i].weight > 0 && be->srv[i].maxconn > 0)
			return true;
	return false;
}

/* Fills w->scratch with the candidates; returns how many. */
static size_t candidates(struct px_worker *w, struct px_proxy *be, const struct px_server *avoid)
{
	size_t n = 0;

	if (w->cap_scratch < be->n_srv) {
		w->cap_scratch = be->n_srv;
		w->scratch = xreallocarray(w->scratch, w->cap_scratch, sizeof(*w->scratch));
	}
	for (int backup = 0; backup < 2 && n == 0; backup++)
		for (size_t i = 0; i < be->n_srv; i++) {
			struct px_server *s = &be->srv[i];

			if (s->backup != (backup == 1) || !px_server_usable(w, s))
				continue;
			w->scratch[n++] = s;
			if (backup && !be->allbackups)
				break;
		}
	if (avoid && n > 1) {
		for (size_t i = 0; i < n; i++)
			if (w->scratch[i] == avoid) {
				memmove(&w->scratch[i], &w->scratch[i + 1],
					(n - i - 1) * sizeof(*w->scratch));
				n--;
				break;
			}
	}
	return n;
}

static struct px_server *smooth_rr(struct px_worker *w, size_t n)
{
	struct px_server *best = NULL;
	int64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		struct px_ctr *c = &w->scratch[i]->st->slots[w->idx];

		c->rr_cw += w->scratch[i]->weight;
		total += w->scratch[i]->weight;
		if (!best || c->rr_cw > best->st->slots[w->idx].rr_cw)
			best = w->scratch[i];
	}
	best->st->slots[w->idx].rr_cw -= total;
	return best;
}

static struct px_server *least_conn(struct px_worker *w, struct px_proxy *be, size_t n)
{
	uint32_t start = be->st->slots[w->idx].rr_next++;
	struct px_server *best = NULL;
	uint64_t bc = 0;

	for (size_t k = 0; k < n; k++) {
		struct px_server *s = w->scratch[(start + k) % n];
		uint64_t c = cur_all(s->st);

		/* c / weight < bc / best->weight, without division */
		if (!best || c * (uint64_t)best->weight < bc * (uint64_t)s->weight) {
			best = s;
			bc = c;
		}
	}
	return best;
}

/* The server at point h (mod the total weight) of the weight map. */
static struct px_server *by_hash(struct px_worker *w, size_t n, uint64_t h)
{
	uint64_t total = 0, r;

	for (size_t i = 0; i < n; i++)
		total += (uint64_t)w->scratch[i]->weight;
	r = h % total;
	for (size_t i = 0; i < n; i++) {
		if (r < (uint64_t)w->scratch[i]->weight)
			return w->scratch[i];
		r -= (uint64_t)w->scratch[i]->weight;
	}
	return w->scratch[n - 1];
}

uint64_t px_hash_bytes(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	/* Final mix, so close keys spread. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static uint64_t hash_addr(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return px_hash_bytes(&((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	return px_hash_bytes(&((const struct sockaddr_in *)ss)->sin_addr, 4);
}

/* A hashing algorithm's choice for hash h: map-based or on the ring. */
static struct px_server *hashed(struct px_worker *w, struct px_proxy *be, size_t n, uint64_t h)
{
	if (be->avalanche) {
		/* HAProxy's avalanche: one more full mix (Thomas Wang's
		 * 64-bit), so keys differing in a few bits land far apart. */
		h = (~h) + (h << 21);
		h ^= h >> 24;
		h = (h + (h << 3)) + (h << 8);
		h ^= h >> 14;
		h = (h + (h << 2)) + (h << 4);
		h ^= h >> 28;
		h += h << 31;
	}
	if (be->chash) {
		struct px_server *s = px_chash_pick(be->chash, be, h, w->scratch, n);

		if (s)
			return s;
	}
	return by_hash(w, n, h);
}

struct px_server *px_lb_pick(struct px_worker *w, struct px_proxy *be,
			     const struct sockaddr_storage *client, const char *hash_key,
			     size_t hash_len, const struct px_server *avoid)
{
	size_t n = candidates(w, be, avoid);

	if (n == 0)
		return NULL;
	switch (be->balance) {
	case CFG_BALANCE_LEASTCONN:
		return least_conn(w, be, n);
	case CFG_BALANCE_SOURCE:
		return hashed(w, be, n, hash_addr(client));
	case CFG_BALANCE_URI:
	case CFG_BALANCE_URL_PARAM:
	case CFG_BALANCE_HDR:
		if (hash_key)
			return hashed(w, be, n, px_hash_bytes(hash_key, hash_len));
		return smooth_rr(w, n);
	case CFG_BALANCE_RANDOM:
		w->rng ^= w->rng << 13;
		w->rng ^= w->rng >> 7;
		w->rng ^= w->rng << 17;
		return by_hash(w, n, w->rng);
	case CFG_BALANCE_FIRST:
		return w->scratch[0];
	default:
		return smooth_rr(w, n);
	}
}
