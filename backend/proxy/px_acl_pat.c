/* Compiled ACL patterns (px_acl_pat.h): a hash table for exact strings,
 * radix trees for addresses, PCRE2 for regexes, plain lists for the
 * rest. Built in the control plane; read-only afterwards, so the workers
 * share them without locks. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "proxy/px_acl_pat.h"

#include <arpa/inet.h>
#include <stdatomic.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/rules.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Address radix tree (path-compressed binary trie)                    */

struct rnode {
	unsigned char key[16];
	uint8_t len;		/* prefix bits */
	bool term;		/* a pattern ends here */
	int32_t child[2];	/* -1: none */
};

struct rtree {
	struct rnode *n;
	size_t len, cap;
	unsigned maxbits;	/* 32 or 128 */
};

static int bit_at(const unsigned char *k, unsigned i)
{
	return (k[i >> 3] >> (7 - (i & 7))) & 1;
}

/* Bits in common between a and b among the first max. */
static unsigned common_bits(const unsigned char *a, const unsigned char *b, unsigned max)
{
	unsigned i = 0;

	while (i + 8 <= max && a[i >> 3] == b[i >> 3])
		i += 8;
	while (i < max && bit_at(a, i) == bit_at(b, i))
		i++;
	return i;
}

static int32_t rnode_new(struct rtree *t, const unsigned char *key, unsigned len, bool term)
{
	struct rnode *r;

	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->n = xreallocarray(t->n, t->cap, sizeof(*t->n));
	}
	r = &t->n[t->len];
	memset(r, 0, sizeof(*r));
	/* Keep only the prefix bits: the rest never compare. */
	for (unsigned i = 0; i < len; i++)
		if (bit_at(key, i))
			r->key[i >> 3] |= (unsigned char)(0x80 >> (i & 7));
	r->len = (uint8_t)len;
	r->term = term;
	r->child[0] = r->child[1] = -1;
	return (int32_t)t->len++;
}

static void rtree_insert(struct rtree *t, const unsigned char *key, unsigned plen)
{
	int32_t n;

	if (!t->len)
		rnode_new(t, key, 0, false);
	n = 0;
	for (;;) {
		int b;
		int32_t c;
		unsigned cl, lim;

		if (t->n[n].len == plen) {
			t->n[n].term = true;
			return;
		}
		b = bit_at(key, t->n[n].len);
		c = t->n[n].child[b];
		if (c < 0) {
			int32_t leaf = rnode_new(t, key, plen, true);

			t->n[n].child[b] = leaf;
			return;
		}
		lim = t->n[c].len < plen ? t->n[c].len : plen;
		cl = common_bits(t->n[c].key, key, lim);
		if (cl == t->n[c].len) {
			n = c;
			continue;
		}
		{
			/* Split the edge to c at cl bits. */
			int32_t m = rnode_new(t, key, cl, cl == plen);
			int cb = bit_at(t->n[c].key, cl);

			t->n[m].child[cb] = c;
			if (cl < plen) {
				int32_t leaf = rnode_new(t, key, plen, true);

				t->n[m].child[bit_at(key, cl)] = leaf;
			}
			t->n[n].child[b] = m;
			return;
		}
	}
}

static bool rtree_match(const struct rtree *t, const unsigned char *addr)
{
	int32_t n = t->len ? 0 : -1;

	while (n >= 0) {
		const struct rnode *r = &t->n[n];

		if (common_bits(r->key, addr, r->len) != r->len)
			return false;
		if (r->term)
			return true;
		if (r->len >= t->maxbits)
			return false;
		n = r->child[bit_at(addr, r->len)];
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Exact strings: open addressing                                      */

struct shash {
	char **slot;		/* NULL: empty */
	size_t *slen;
	size_t cap;		/* a power of two */
	size_t n;
};

static uint64_t str_hash(const char *s, size_t len, bool icase)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		h ^= icase ? (unsigned char)tolower(c) : c;
		h *= 1099511628211ULL;
	}
	return h ^ (h >> 29);
}

static bool str_same(const char *a, size_t al, const char *b, size_t bl, bool icase)
{
	return al == bl && (icase ? strncasecmp(a, b, al) == 0 : memcmp(a, b, al) == 0);
}

static void shash_put(struct shash *h, const char *s, size_t len, bool icase);

static void shash_grow(struct shash *h, bool icase)
{
	struct shash old = *h;

	h->cap = old.cap ? old.cap * 2 : 64;
	h->slot = xcalloc(h->cap, sizeof(*h->slot));
	h->slen = xcalloc(h->cap, sizeof(*h->slen));
	h->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i]) {
			shash_put(h, old.slot[i], old.slen[i], icase);
			free(old.slot[i]);
		}
	free(old.slot);
	free(old.slen);
}

static void shash_put(struct shash *h, const char *s, size_t len, bool icase)
{
	size_t i;

	if ((h->n + 1) * 2 > h->cap)
		shash_grow(h, icase);
	i = (size_t)str_hash(s, len, icase) & (h->cap - 1);
	while (h->slot[i]) {
		if (str_same(h->slot[i], h->slen[i], s, len, icase))
			return;
		i = (i + 1) & (h->cap - 1);
	}
	h->slot[i] = xstrndup(s, len);
	h->slen[i] = len;
	h->n++;
}

static bool shash_has(const struct shash *h, const char *s, size_t len, bool icase)
{
	size_t i;

	if (!h->n)
		return false;
	i = (size_t)str_hash(s, len, icase) & (h->cap - 1);
	while (h->slot[i]) {
		if (str_same(h->slot[i], h->slen[i], s, len, icase))
			return true;
		i = (i + 1) & (h->cap - 1);
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Regexes                                                             */

struct px_regex {
	pcre2_code *code;
	pcre2_match_context *mctx;	/* the limits; only read while matching */
};

struct px_regex *px_regex_build(const char *re, bool icase, struct strbuf *err)
{
	int ecode;
	PCRE2_SIZE eoff;
	struct px_regex *r;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
					 icase ? PCRE2_CASELESS : 0, &ecode, &eoff, NULL);

	if (!code) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(ecode, msg, sizeof(msg));
		strbuf_printf(err, "regex '%s': %s at offset %zu", re, (const char *)msg,
			      (size_t)eoff);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->code = code;
	r->mctx = pcre2_match_context_create(NULL);
	if (!r->mctx)
		abort();
	pcre2_set_match_limit(r->mctx, PX_RE_MATCH_LIMIT);
	pcre2_set_depth_limit(r->mctx, PX_RE_DEPTH_LIMIT);
	return r;
}

void px_regex_free(struct px_regex *r)
{
	if (!r)
		return;
	pcre2_code_free(r->code);
	pcre2_match_context_free(r->mctx);
	free(r);
}

/* Runs r over s; the match data is the caller's (one per call: nothing
 * mutable is shared between workers). Returns the pcre2_match result. */
static int regex_run(const struct px_regex *r, const char *s, size_t len,
		     pcre2_match_data *md)
{
	return pcre2_match(r->code, (PCRE2_SPTR)s, len, 0, 0, md, r->mctx);
}

static bool regex_match(const struct px_regex *r, const char *s, size_t len)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc;

	if (!md)
		return false;
	rc = regex_run(r, s, len, md);
	pcre2_match_data_free(md);
	/* Below 0: no match, or PCRE2_ERROR_MATCHLIMIT / DEPTHLIMIT: the
	 * hostile input is treated as not matching. */
	return rc >= 0;
}

bool px_regex_replace(const struct px_regex *r, const char *s, size_t len, const char *repl,
		      struct strbuf *out)
{
	pcre2_match_data *md = pcre2_match_data_create(10, NULL);
	PCRE2_SIZE *ov;
	int rc;

	if (!md)
		return false;
	rc = regex_run(r, s, len, md);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return false;
	}
	ov = pcre2_get_ovector_pointer(md);
	/* HAProxy replaces the whole value with the replacement, in which
	 * \N stands for group N. */
	for (const char *p = repl; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '9') {
			int g = p[1] - '0';

			if (g < rc && ov[2 * g] != PCRE2_UNSET)
				strbuf_append(out, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
			p++;
		} else {
			strbuf_putc(out, *p);
		}
	}
	pcre2_match_data_free(md);
	return true;
}

/* ------------------------------------------------------------------ */
/* Pattern sets                                                        */

struct ival {
	long long lo, hi;
};

struct px_pat {
	_Atomic int refs;
	char *key;			/* what it was built from (px_pat_get) */
	enum rule_match match;
	bool icase;
	enum rule_int_op op;
	struct shash hash;		/* str */
	char **strs;			/* beg, end, sub, dir, dom */
	size_t *lens;
	size_t n_strs, cap_strs;
	struct px_regex **re;		/* reg */
	size_t n_re, cap_re;
	struct ival *iv;		/* int, len */
	size_t n_iv, cap_iv;
	struct rtree v4, v6;		/* ip */
};

static bool add_pattern(struct px_pat *p, const char *s, struct strbuf *err)
{
	switch (p->match) {
	case RM_STR:
		shash_put(&p->hash, s, strlen(s), p->icase);
		return true;
	case RM_BEG:
	case RM_END:
	case RM_SUB:
	case RM_DIR:
	case RM_DOM:
		if (p->n_strs == p->cap_strs) {
			p->cap_strs = p->cap_strs ? p->cap_strs * 2 : 8;
			p->strs = xreallocarray(p->strs, p->cap_strs, sizeof(*p->strs));
			p->lens = xreallocarray(p->lens, p->cap_strs, sizeof(*p->lens));
		}
		p->strs[p->n_strs] = xstrdup(s);
		p->lens[p->n_strs++] = strlen(s);
		return true;
	case RM_REG: {
		struct px_regex *r = px_regex_build(s, p->icase, err);

		if (!r)
			return false;
		if (p->n_re == p->cap_re) {
			p->cap_re = p->cap_re ? p->cap_re * 2 : 4;
			p->re = xreallocarray(p->re, p->cap_re, sizeof(*p->re));
		}
		p->re[p->n_re++] = r;
		return true;
	}
	case RM_INT:
	case RM_LEN: {
		struct ival v = { 0, 0 };
		const char *colon = strchr(s, ':');
		char *end;

		errno = 0;
		if (colon) {
			v.lo = colon == s ? 0 : strtoll(s, &end, 10);
			if (colon != s && end != colon)
				goto bad_int;
			v.hi = colon[1] ? strtoll(colon + 1, &end, 10) : INT64_MAX;
			if (colon[1] && *end)
				goto bad_int;
		} else {
			v.lo = v.hi = strtoll(s, &end, 10);
			if (!*s || *end)
				goto bad_int;
		}
		if (errno)
			goto bad_int;
		if (p->n_iv == p->cap_iv) {
			p->cap_iv = p->cap_iv ? p->cap_iv * 2 : 4;
			p->iv = xreallocarray(p->iv, p->cap_iv, sizeof(*p->iv));
		}
		p->iv[p->n_iv++] = v;
		return true;
bad_int:
		strbuf_printf(err, "'%s' is not an integer or a range LO:HI", s);
		return false;
	}
	case RM_IP: {
		struct cfg_addr a;
		unsigned bits;

		if (!rule_ip_pattern(s, &a, &bits)) {
			strbuf_printf(err, "'%s' is not an address or a network", s);
			return false;
		}
		rtree_insert(a.af == CFG_AF_INET6 ? &p->v6 : &p->v4, a.b, bits);
		return true;
	}
	case RM_BOOL:
	case RM_FOUND:
		break;
	}
	strbuf_printf(err, "'%s': this matcher takes no value", s);
	return false;
}

/* Reads the patterns of file, one per line (leading and trailing blanks
 * dropped, '#' lines and empty lines skipped). */
static bool add_file(struct px_pat *p, const char *file, struct strbuf *err)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int no = 0;
	bool ok = true;

	if (!f) {
		strbuf_printf(err, "-f %s: %s", file, strerror(errno));
		return false;
	}
	while (ok && (n = getline(&line, &cap, f)) >= 0) {
		char *s = line, *e = line + n;
		struct strbuf why = STRBUF_INIT;

		no++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*e = '\0';
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		if (strlen(s) != (size_t)(e - s)) {
			strbuf_printf(err, "%s:%d: a NUL byte in a pattern", file, no);
			ok = false;
		} else if (!add_pattern(p, s, &why)) {
			strbuf_printf(err, "%s:%d: %s", file, no, strbuf_str(&why));
			ok = false;
		}
		strbuf_free(&why);
	}
	if (ok && ferror(f)) {
		strbuf_printf(err, "-f %s: %s", file, strerror(errno));
		ok = false;
	}
	free(line);
	fclose(f);
	return ok;
}

static void pat_free(struct px_pat *p);

static struct px_pat *pat_build(const struct rule_expr *e, struct strbuf *err)
{
	struct px_pat *p = xcalloc(1, sizeof(*p));

	p->match = e->match;
	p->icase = e->icase;
	p->op = e->op;
	p->v4.maxbits = 32;
	p->v6.maxbits = 128;
	for (size_t i = 0; i < e->pats.len; i++)
		if (!add_pattern(p, e->pats.items[i], err))
			goto fail;
	for (size_t i = 0; i < e->files.len; i++)
		if (!add_file(p, e->files.items[i], err))
			goto fail;
	return p;
fail:
	pat_free(p);
	return NULL;
}

static void pat_free(struct px_pat *p)
{
	if (!p)
		return;
	free(p->key);
	for (size_t i = 0; i < p->hash.cap; i++)
		free(p->hash.slot[i]);
	free(p->hash.slot);
	free(p->hash.slen);
	for (size_t i = 0; i < p->n_strs; i++)
		free(p->strs[i]);
	free(p->strs);
	free(p->lens);
	for (size_t i = 0; i < p->n_re; i++)
		px_regex_free(p->re[i]);
	free(p->re);
	free(p->iv);
	free(p->v4.n);
	free(p->v6.n);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Sharing between snapshots                                           */

static char *pat_key(const struct rule_expr *e, const char *files_sig)
{
	struct strbuf k = STRBUF_INIT;

	strbuf_printf(&k, "%d|%d|%d|%d|", (int)e->fetch, (int)e->match, (int)e->icase, (int)e->op);
	for (size_t i = 0; i < e->pats.len; i++) {
		strbuf_puts(&k, e->pats.items[i]);
		strbuf_putc(&k, '\x1f');
	}
	strbuf_putc(&k, '|');
	for (size_t i = 0; i < e->files.len; i++) {
		strbuf_puts(&k, e->files.items[i]);
		strbuf_putc(&k, '\x1f');
	}
	strbuf_putc(&k, '|');
	if (files_sig && e->files.len)
		strbuf_puts(&k, files_sig);
	return strbuf_detach(&k);
}

static void reg_add(struct px_pat_reg *r, struct px_pat *p)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	atomic_fetch_add(&p->refs, 1);
	r->v[r->n++] = p;
}

struct px_pat *px_pat_get(struct px_pat_reg *nr, const struct px_pat_reg *old,
			  const struct rule_expr *e, const char *files_sig, struct strbuf *err)
{
	char *key = pat_key(e, files_sig);
	struct px_pat *p = NULL;

	for (size_t i = 0; i < nr->n && !p; i++)
		if (strcmp(nr->v[i]->key, key) == 0)
			p = nr->v[i];
	for (size_t i = 0; old && i < old->n && !p; i++)
		if (strcmp(old->v[i]->key, key) == 0) {
			p = old->v[i];
			reg_add(nr, p);
		}
	if (p) {
		free(key);
		atomic_fetch_add(&p->refs, 1);
		return p;
	}
	p = pat_build(e, err);
	if (!p) {
		free(key);
		return NULL;
	}
	p->key = key;
	atomic_init(&p->refs, 1);	/* the caller's */
	reg_add(nr, p);
	return p;
}

void px_pat_unref(struct px_pat *p)
{
	if (p && atomic_fetch_sub(&p->refs, 1) == 1)
		pat_free(p);
}

void px_pat_reg_free(struct px_pat_reg *r)
{
	for (size_t i = 0; i < r->n; i++)
		px_pat_unref(r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static bool same(const char *a, const char *b, size_t n, bool icase)
{
	return icase ? strncasecmp(a, b, n) == 0 : memcmp(a, b, n) == 0;
}

/* Whether pattern pat appears in s as a whole component delimited by
 * delim (or the ends of s). */
/* HAProxy's word match: pat delimited in s by one of delims or an end
 * ("/?" for -m dir, "/?.:" for -m dom, so "api.example.org:8443" holds
 * the domain api.example.org). */
static bool is_delim(char c, const char *delims)
{
	return c && strchr(delims, c);	/* strchr finds the terminator too */
}

static bool component(const char *s, size_t len, const char *pat, size_t pl, const char *delims,
		      bool icase)
{
	/* Delimiters around the pattern itself do not count (HAProxy). */
	while (pl && is_delim(pat[0], delims)) {
		pat++;
		pl--;
	}
	while (pl && is_delim(pat[pl - 1], delims))
		pl--;
	if (!pl)
		return false;
	for (size_t i = 0; i + pl <= len; i++) {
		if ((i == 0 || is_delim(s[i - 1], delims)) &&
		    (i + pl == len || is_delim(s[i + pl], delims)) && same(s + i, pat, pl, icase))
			return true;
	}
	return false;
}

bool px_pat_str(const struct px_pat *p, const char *s, size_t len)
{
	switch (p->match) {
	case RM_FOUND:
		return true;
	case RM_STR:
		return shash_has(&p->hash, s, len, p->icase);
	case RM_LEN:
		return px_pat_int(p, (long long)len);
	case RM_INT: {
		char tmp[32];
		char *end;
		long long v;

		if (!len || len >= sizeof(tmp))
			return false;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		v = strtoll(tmp, &end, 10);
		return !*end && px_pat_int(p, v);
	}
	case RM_IP: {
		char tmp[64];
		unsigned char a[16];

		if (!len || len >= sizeof(tmp))
			return false;
		memcpy(tmp, s, len);
		tmp[len] = '\0';
		if (inet_pton(AF_INET, tmp, a) == 1)
			return px_pat_ip(p, AF_INET, a);
		if (inet_pton(AF_INET6, tmp, a) == 1)
			return px_pat_ip(p, AF_INET6, a);
		return false;
	}
	case RM_REG:
		for (size_t i = 0; i < p->n_re; i++)
			if (regex_match(p->re[i], s, len))
				return true;
		return false;
	default:
		break;
	}
	for (size_t i = 0; i < p->n_strs; i++) {
		const char *q = p->strs[i];
		size_t ql = p->lens[i];

		switch (p->match) {
		case RM_BEG:
			if (ql <= len && same(s, q, ql, p->icase))
				return true;
			break;
		case RM_END:
			if (ql <= len && same(s + len - ql, q, ql, p->icase))
				return true;
			break;
		case RM_SUB:
			for (size_t k = 0; k + ql <= len; k++)
				if (same(s + k, q, ql, p->icase))
					return true;
			break;
		case RM_DIR:
			if (component(s, len, q, ql, "/?", p->icase))
				return true;
			break;
		case RM_DOM:
			if (component(s, len, q, ql, "/?.:", p->icase))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

bool px_pat_int(const struct px_pat *p, long long v)
{
	for (size_t i = 0; i < p->n_iv; i++) {
		const struct ival *x = &p->iv[i];

		switch (p->op) {
		case RI_EQ:
			if (v >= x->lo && v <= x->hi)
				return true;
			break;
		case RI_GE:
			if (v >= x->lo)
				return true;
			break;
		case RI_GT:
			if (v > x->lo)
				return true;
			break;
		case RI_LE:
			if (v <= x->lo)
				return true;
			break;
		case RI_LT:
			if (v < x->lo)
				return true;
			break;
		}
	}
	return false;
}

bool px_pat_ip(const struct px_pat *p, int af, const unsigned char *addr)
{
	if (p->match != RM_IP) {
		char tmp[64];

		if (!inet_ntop(af, addr, tmp, sizeof(tmp)))
			return false;
		return px_pat_str(p, tmp, strlen(tmp));
	}
	return rtree_match(af == AF_INET6 ? &p->v6 : &p->v4, addr);
}
