/* The typed hash indexes: util/hindex.c against a plain array kept
 * beside it (adds, removes in random order, colliding hashes), then the
 * two indexes built on it at the size issue 11 names: the running
 * model's virtual servers (config/index.c) and the operator overrides
 * (core/runtime.c), each at 10,000 virtual servers, where a lookup must
 * examine a handful of slots, not scan. */
#include "config.h"

#include "suites.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/conf.h"
#include "config/index.h"
#include "config/edit.h"
#include "config/model.h"
#include "config/vs_key.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/runtime.h"
#include "util/hindex.h"
#include "util/strbuf.h"

/* ------------------------------------------------------------------ */
/* The generic index, with three hash functions: a good one, one that  */
/* puts every key in one chain, one that gives only 8 homes            */

struct item {
	unsigned key;
	bool in;		/* indexed now */
};

static const void *item_key(const void *it)
{
	return &((const struct item *)it)->key;
}

static uint32_t good_hash(const void *k)
{
	return hindex_fnv(HINDEX_FNV_SEED, k, sizeof(unsigned));
}

static uint32_t one_hash(const void *k)
{
	(void)k;
	return 7;
}

static uint32_t few_hash(const void *k)
{
	return *(const unsigned *)k % 8;
}

static bool item_equal(const void *a, const void *b)
{
	return *(const unsigned *)a == *(const unsigned *)b;
}

static const struct hindex_ops ops_by_hash[] = {
	{ item_key, good_hash, item_equal, NULL },
	{ item_key, one_hash, item_equal, NULL },
	{ item_key, few_hash, item_equal, NULL },
};

/* Every key that should be found is, at its own item; every other is not. */
static void check_all(const struct hindex *ix, struct item *items, size_t n)
{
	size_t in = 0;

	for (size_t i = 0; i < n; i++) {
		void *got = hindex_find(ix, &items[i].key);

		if (items[i].in) {
			ck_assert_ptr_eq(got, &items[i]);
			in++;
		} else {
			ck_assert_ptr_null(got);
		}
	}
	ck_assert_uint_eq(ix->n, in);
}

START_TEST(test_hindex_model)
{
	enum { N = 600 };
	struct item *items = calloc(N, sizeof(*items));
	struct hindex ix;
	unsigned seed = 11;

	hindex_init(&ix, &ops_by_hash[_i]);
	ck_assert_ptr_null(hindex_find(&ix, &(unsigned){ 1 }));
	ck_assert(!hindex_remove(&ix, &items[0]));
	for (size_t i = 0; i < N; i++)
		items[i].key = (unsigned)(i * 7919u + 3);
	for (size_t i = 0; i < N; i += 2) {
		hindex_add(&ix, &items[i]);
		items[i].in = true;
	}
	check_all(&ix, items, N);
	/* Random adds and removes: a removal's backward shift must keep
	 * every later member of the chain reachable. */
	for (int round = 0; round < 4000; round++) {
		size_t i = (size_t)rand_r(&seed) % N;

		if (items[i].in) {
			ck_assert(hindex_remove(&ix, &items[i]));
			items[i].in = false;
		} else {
			hindex_add(&ix, &items[i]);
			items[i].in = true;
		}
		if (round % 500 == 0)
			check_all(&ix, items, N);
	}
	check_all(&ix, items, N);
	ck_assert(ix.cap >= 2 * ix.n);
	hindex_clear(&ix);
	for (size_t i = 0; i < N; i++)
		items[i].in = false;
	check_all(&ix, items, N);
	hindex_free(&ix);
	free(items);
}
END_TEST

static bool count_one(void *item, void *arg)
{
	(void)item;
	++*(int *)arg;
	return true;
}

START_TEST(test_hindex_duplicates)
{
	struct item a = { 5, true }, b = { 5, true }, c = { 6, true };
	struct hindex ix;
	int n = 0;

	hindex_init(&ix, &ops_by_hash[0]);
	hindex_add(&ix, &a);
	hindex_add(&ix, &b);
	hindex_add(&ix, &c);
	/* the first added is found; each visits both */
	ck_assert_ptr_eq(hindex_find(&ix, &a.key), &a);
	hindex_each(&ix, &a.key, count_one, &n);
	ck_assert_int_eq(n, 2);
	ck_assert(hindex_remove(&ix, &a));
	ck_assert_ptr_eq(hindex_find(&ix, &a.key), &b);
	ck_assert(!hindex_remove(&ix, &a));
	hindex_free(&ix);
}
END_TEST

/* Items that are positions in an array that moves (key_in, ctx): the
 * LVS engine's desired state and health table index this way. */
struct pos_array {
	unsigned *keys;
	size_t n, cap;
};

static const void *pos_key_in(const void *ctx, const void *item)
{
	const struct pos_array *a = ctx;

	return &a->keys[(uintptr_t)item - 1];
}

static const struct hindex_ops pos_ops = { NULL, good_hash, item_equal, pos_key_in };

START_TEST(test_hindex_positions)
{
	struct pos_array a = { NULL, 0, 0 };
	struct hindex ix;

	hindex_init_ctx(&ix, &pos_ops, &a);
	/* growing one at a time: the array moves under the index */
	for (unsigned k = 0; k < 3000; k++) {
		if (a.n == a.cap) {
			a.cap = a.cap ? a.cap * 2 : 1;
			a.keys = realloc(a.keys, a.cap * sizeof(*a.keys));
			ck_assert_ptr_nonnull(a.keys);
		}
		a.keys[a.n++] = k * 7;
		hindex_add(&ix, (void *)(uintptr_t)a.n);
	}
	/* remove every third by moving the last into its place */
	for (size_t i = 0; i < a.n; i += 3) {
		size_t last = a.n - 1;

		ck_assert(hindex_remove(&ix, (void *)(uintptr_t)(i + 1)));
		if (i != last) {
			ck_assert(hindex_remove(&ix, (void *)(uintptr_t)(last + 1)));
			a.keys[i] = a.keys[last];
			hindex_add(&ix, (void *)(uintptr_t)(i + 1));
		}
		a.n--;
	}
	ck_assert_uint_eq(ix.n, a.n);
	for (size_t i = 0; i < a.n; i++)
		ck_assert_ptr_eq(hindex_find(&ix, &a.keys[i]), (void *)(uintptr_t)(i + 1));
	{
		unsigned missing = 1;	/* no key is 1 (all are multiples of 7) */

		ck_assert_ptr_null(hindex_find(&ix, &missing));
	}
	hindex_free(&ix);
	free(a.keys);
}
END_TEST

/* The one virtual-server key (config/vs_key.h) config and LVS share. */
START_TEST(test_vs_key)
{
	struct cfg_vs_key any, v4, v6, t1, t2, g1, g2, g3;
	struct cfg_rs_key r1, r2;
	struct cfg_endpoint ep, rs;
	struct strbuf b = STRBUF_INIT;
	char longa[200], longb[200];

	/* a fwmark of no family is either family; its two families differ */
	cfg_vs_key_fwmark(&any, CFG_AF_ANY, 7);
	cfg_vs_key_fwmark(&v4, CFG_AF_INET4, 7);
	cfg_vs_key_fwmark(&v6, CFG_AF_INET6, 7);
	ck_assert(cfg_vs_key_equal(&any, &v4) && cfg_vs_key_equal(&v6, &any));
	ck_assert(!cfg_vs_key_equal(&v4, &v6));
	ck_assert_uint_eq(cfg_vs_key_hash(&any), cfg_vs_key_hash(&v4));
	ck_assert_uint_eq(cfg_vs_key_hash(&any), cfg_vs_key_hash(&v6));
	/* an unset protocol is TCP */
	ck_assert(config_parse_endpoint("192.0.2.10:80", 0, &ep));
	cfg_vs_key_addr(&t1, CFG_PROTO_UNSET, &ep);
	cfg_vs_key_addr(&t2, CFG_PROTO_TCP, &ep);
	ck_assert(cfg_vs_key_equal(&t1, &t2));
	ck_assert_uint_eq(cfg_vs_key_hash(&t1), cfg_vs_key_hash(&t2));
	cfg_vs_key_addr(&t2, CFG_PROTO_UDP, &ep);
	ck_assert(!cfg_vs_key_equal(&t1, &t2));
	/* group names longer than the key: the same name is the same key,
	 * two that share their head are not */
	memset(longa, 'g', sizeof(longa) - 1);
	longa[sizeof(longa) - 1] = '\0';
	memcpy(longb, longa, sizeof(longb));
	longb[sizeof(longb) - 2] = 'h';
	cfg_vs_key_group(&g1, longa, CFG_PROTO_TCP);
	cfg_vs_key_group(&g2, longa, CFG_PROTO_UNSET);
	cfg_vs_key_group(&g3, longb, CFG_PROTO_TCP);
	ck_assert(cfg_vs_key_equal(&g1, &g2));
	ck_assert(!cfg_vs_key_equal(&g1, &g3));
	/* a real server's key: its virtual server's and its own endpoint */
	ck_assert(config_parse_endpoint("198.51.100.11:80", 0, &rs));
	cfg_vs_key_addr(&t1, CFG_PROTO_TCP, &ep);
	cfg_rs_key_of(&r1, &t1, &rs);
	cfg_rs_key_of(&r2, &t1, &rs);
	ck_assert(cfg_rs_key_equal(&r1, &r2));
	ck_assert_uint_eq(cfg_rs_key_hash(&r1), cfg_rs_key_hash(&r2));
	cfg_rs_key_of(&r2, &t2, &rs);
	ck_assert(!cfg_rs_key_equal(&r1, &r2));
	/* printed as the runtime key is, for log lines */
	cfg_rs_key_format(&r1, &b);
	ck_assert_str_eq(strbuf_str(&b), "real-server 192.0.2.10:80 tcp 198.51.100.11:80");
	strbuf_reset(&b);
	cfg_rs_key_of(&r2, &v4, &rs);
	cfg_rs_key_format(&r2, &b);
	ck_assert_str_eq(strbuf_str(&b), "real-server fwmark 7 198.51.100.11:80");
	strbuf_free(&b);
}
END_TEST

START_TEST(test_hindex_fnv_str)
{
	/* ("ab", "c") and ("a", "bc") are different keys */
	uint32_t x = hindex_fnv_str(hindex_fnv_str(HINDEX_FNV_SEED, "ab"), "c");
	uint32_t y = hindex_fnv_str(hindex_fnv_str(HINDEX_FNV_SEED, "a"), "bc");

	ck_assert_uint_ne(x, y);
	ck_assert_uint_eq(hindex_fnv_str(HINDEX_FNV_SEED, NULL),
			  hindex_fnv_str(HINDEX_FNV_SEED, ""));
}
END_TEST

/* ------------------------------------------------------------------ */
/* A model of 10,000 virtual servers x 4 real servers                  */

enum { NVS = 10000, NRS = 4 };

/* Virtual server i is 203.0.113.X:PORT, X = 1 + i % 200, PORT = 1000 +
 * i / 200; its real servers are 198.51.100.1-4:80. */
static void vs_ep(size_t i, struct cfg_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->addr.af = CFG_AF_INET4;
	ep->addr.b[0] = 203;
	ep->addr.b[1] = 0;
	ep->addr.b[2] = 113;
	ep->addr.b[3] = (unsigned char)(1 + i % 200);
	ep->port = (int)(1000 + i / 200);
}

static void rs_ep(size_t j, struct cfg_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->addr.af = CFG_AF_INET4;
	ep->addr.b[0] = 198;
	ep->addr.b[1] = 51;
	ep->addr.b[2] = 100;
	ep->addr.b[3] = (unsigned char)(1 + j);
	ep->port = 80;
}

static struct config *big_model(void)
{
	struct config *cfg = config_new();

	for (size_t i = 0; i < NVS; i++) {
		struct cfg_virtual_server *vs = config_vs_append(cfg, cfg_vs_new());

		vs->kind = CFG_VS_ADDR;
		vs->protocol = CFG_PROTO_TCP;
		vs_ep(i, &vs->ep);
		vs->rs = calloc(NRS, sizeof(*vs->rs));
		vs->n_rs = vs->cap_rs = NRS;
		for (size_t j = 0; j < NRS; j++) {
			cfg_real_server_init(&vs->rs[j]);
			rs_ep(j, &vs->rs[j].ep);
		}
	}
	{
		/* and one IPv6 fwmark service, last */
		struct cfg_virtual_server *vs = config_vs_append(cfg, cfg_vs_new());

		vs->kind = CFG_VS_FWMARK;
		vs->fwmark = 7;
		vs->af = CFG_AF_INET6;
	}
	return cfg;
}

/* The largest and the total number of slots the lookups examined. */
struct probes {
	size_t max, sum, n;
};

static void probe(struct probes *p, size_t n)
{
	ck_assert_uint_ge(n, 1);
	if (n > p->max)
		p->max = n;
	p->sum += n;
	p->n++;
}

/* A scan would examine up to 10,000 slots per lookup, 5,000 on average:
 * an index at most half full examines about 1.5 for a hit, and a chain
 * longer than 32 would mean a broken hash. */
static void assert_no_scan(const struct probes *p)
{
	ck_assert_uint_le(p->max, 32);
	ck_assert_uint_le(p->sum, p->n * 3);
}

START_TEST(test_config_index_10k)
{
	struct config *cfg = big_model();
	struct config_index ix;
	struct probes hit = { 0 }, miss = { 0 };

	config_index_build(&ix, cfg);
	for (size_t i = 0; i < NVS; i++) {
		struct config_vs_key k = { .kind = CFG_VS_ADDR, .protocol = CFG_PROTO_TCP };

		vs_ep(i, &k.ep);
		ck_assert_ptr_eq(config_index_vs_key(&ix, &k), cfg->vs[i]);
		probe(&hit, config_index_vs_probes(&ix, cfg->vs[i]));
		/* the same address in UDP is not configured */
		k.protocol = CFG_PROTO_UDP;
		ck_assert_ptr_null(config_index_vs_key(&ix, &k));
		{
			struct cfg_virtual_server id;

			cfg_virtual_server_init(&id);
			id.kind = CFG_VS_ADDR;
			id.protocol = CFG_PROTO_UDP;
			id.ep = k.ep;
			probe(&miss, config_index_vs_probes(&ix, &id));
		}
	}
	assert_no_scan(&hit);
	assert_no_scan(&miss);
	{
		/* "fwmark 7" from the shell names either family */
		struct config_vs_key k = { .kind = CFG_VS_FWMARK, .fwmark = 7 };

		ck_assert_ptr_eq(config_index_vs_key(&ix, &k), cfg->vs[NVS]);
		k.fwmark = 8;
		ck_assert_ptr_null(config_index_vs_key(&ix, &k));
	}
	config_index_free(&ix);
	config_free(cfg);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Overrides at that size, through runtime_set() as the shell sets them */

START_TEST(test_runtime_index_10k)
{
	struct config *cfg = big_model();
	struct softlbd d;
	struct config_index ix;
	struct probes hit = { 0 }, miss = { 0 };
	struct strbuf out = STRBUF_INIT, warn = STRBUF_INIT;

	memset(&d, 0, sizeof(d));
	d.runtime = runtime_new();
	d.events = events_new(16);
	/* one override per virtual server: its real server i % 4 drained */
	for (size_t i = 0; i < NVS; i++) {
		struct runtime_key k;
		struct cfg_endpoint rs;

		rs_ep(i % NRS, &rs);
		runtime_key_rs_of(&k, cfg->vs[i], &rs);
		ck_assert_int_eq(runtime_set(&d, &k, NULL, RUNTIME_ACT_DRAIN, -1, "alice", NULL,
					     &out, &warn), 0);
		strbuf_reset(&out);
	}
	ck_assert_uint_eq(runtime_count(d.runtime), NVS);
	/* set order is kept (show runtime lists them so) */
	ck_assert_str_eq(runtime_at(d.runtime, 0)->key,
			 "real-server 203.0.113.1:1000 tcp 198.51.100.1:80");
	for (size_t i = 0; i < NVS; i++) {
		for (size_t j = 0; j < NRS; j++) {
			struct runtime_key k;
			struct cfg_endpoint rs;
			const struct runtime_override *o;

			rs_ep(j, &rs);
			runtime_key_rs_of(&k, cfg->vs[i], &rs);
			o = runtime_lookup(d.runtime, &k);
			if (j == i % NRS) {
				ck_assert_ptr_nonnull(o);
				ck_assert_int_eq(o->admin, RUNTIME_DRAINING);
				probe(&hit, runtime_lookup_probes(d.runtime, &k));
			} else {
				ck_assert_ptr_null(o);
				probe(&miss, runtime_lookup_probes(d.runtime, &k));
			}
		}
	}
	assert_no_scan(&hit);
	assert_no_scan(&miss);
	/* The same real server typed in the shell ("203.0.113.5:1000 tcp")
	 * is the same key as the one built from the model. */
	{
		struct config_vs_key vk = { .kind = CFG_VS_ADDR, .protocol = CFG_PROTO_UNSET };
		struct runtime_key k;
		struct cfg_endpoint rs;

		vs_ep(4, &vk.ep);
		rs_ep(0, &rs);
		runtime_key_rs(&k, &vk, &rs);
		ck_assert_ptr_nonnull(runtime_lookup(d.runtime, &k));
		/* restoring removes it from the index, and keeps the order */
		ck_assert_int_eq(runtime_set(&d, &k, NULL, RUNTIME_ACT_RESTORE, -1, "alice",
					     NULL, &out, &warn), 0);
		ck_assert_ptr_null(runtime_lookup(d.runtime, &k));
		ck_assert_uint_eq(runtime_count(d.runtime), NVS - 1);
		ck_assert_str_eq(runtime_at(d.runtime, 4)->key,
				 "real-server 203.0.113.6:1000 tcp 198.51.100.2:80");
	}
	/* A server of a proxy is another kind of key: no collision with
	 * any real server, found by its two names. */
	{
		struct runtime_key k;

		runtime_key_server(&k, "web", "s1");
		ck_assert_ptr_null(runtime_lookup(d.runtime, &k));
		ck_assert_int_eq(runtime_set(&d, &k, NULL, RUNTIME_ACT_WEIGHT, 5, "bob", NULL,
					     &out, &warn), 0);
		ck_assert_int_eq(runtime_lookup(d.runtime, &k)->weight, 5);
		runtime_key_server(&k, "web/s", "1");
		ck_assert_ptr_null(runtime_lookup(d.runtime, &k));
	}
	/* Pruning against a model without the last 10 virtual servers
	 * drops their overrides and the proxy server's (it has no proxy),
	 * and keeps the other 9,989. */
	{
		struct config *less = big_model();

		for (size_t i = NVS; i-- > NVS - 10;)
			config_vs_remove(less, i);
		config_index_build(&ix, less);
		strbuf_reset(&out);
		runtime_prune(d.runtime, &ix, d.events, NULL, &out);
		ck_assert_uint_eq(runtime_count(d.runtime), NVS - 1 - 10);
		ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "override of server web/s1 dropped"));
		config_index_free(&ix);
		config_free(less);
	}
	strbuf_free(&out);
	strbuf_free(&warn);
	runtime_free(d.runtime);
	events_free(d.events);
	config_free(cfg);
}
END_TEST

Suite *hindex_suite(void)
{
	Suite *s = suite_create("hindex");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_hindex_model, 0, 3);
	tcase_add_test(tc, test_hindex_duplicates);
	tcase_add_test(tc, test_hindex_fnv_str);
	tcase_add_test(tc, test_hindex_positions);
	tcase_add_test(tc, test_vs_key);
	tcase_add_test(tc, test_config_index_10k);
	tcase_add_test(tc, test_runtime_index_10k);
	suite_add_tcase(s, tc);
	return s;
}
