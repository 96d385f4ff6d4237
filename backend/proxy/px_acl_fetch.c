/* ACL fetches: what an expression reads from the connection or the
 * request (px_acl.h), matched against its compiled patterns. A fetch
 * whose value is absent (no such header, no query, no request in mode
 * tcp) does not match, whatever the matcher: HAProxy's rule. */
#include "config.h"

#include "proxy/px_acl.h"

#include <crypt.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proxy/proxy_int.h"
#include "proxy/px_acl_pat.h"

/* The address of ss as (af, bytes), an IPv4-mapped IPv6 one as IPv4. */
static int addr_of(const struct sockaddr_storage *ss, const unsigned char **b)
{
	if (ss->ss_family == AF_INET) {
		*b = (const unsigned char *)&((const struct sockaddr_in *)ss)->sin_addr;
		return AF_INET;
	}
	if (ss->ss_family == AF_INET6) {
		const unsigned char *a =
			((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		if (memcmp(a, mapped, 12) == 0) {
			*b = a + 12;
			return AF_INET;
		}
		*b = a;
		return AF_INET6;
	}
	return 0;
}

static int port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return -1;
}

static bool match_int(const struct px_pat *p, enum rule_match m, long long v)
{
	char tmp[24];
	int n;

	if (m == RM_INT)
		return px_pat_int(p, v);
	if (m == RM_FOUND)
		return true;
	n = snprintf(tmp, sizeof(tmp), "%lld", v);
	return px_pat_str(p, tmp, (size_t)n);
}

/* Calls the matcher on each comma-separated value of v (blanks around
 * them dropped), as HAProxy's hdr() does in an ACL. */
static bool match_values(const struct px_pat *p, const char *v, size_t len)
{
	const char *end = v + len;

	for (;;) {
		const char *c = memchr(v, ',', (size_t)(end - v));
		const char *e = c ? c : end, *s = v;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (px_pat_str(p, s, (size_t)(e - s)))
			return true;
		if (!c)
			return false;
		v = c + 1;
	}
}

static size_t count_values(const char *v, size_t len)
{
	size_t n = 1;

	for (size_t i = 0; i < len; i++)
		n += v[i] == ',';
	return n;
}

/* The path of the request target (before '?'), and the query after it. */
static void split_target(const char *buf, const struct px_h1_msg *m, const char **path,
			 size_t *plen, const char **query, size_t *qlen)
{
	const char *t = buf + m->path;
	const char *q = memchr(t, '?', m->path_len);

	*path = t;
	*plen = q ? (size_t)(q - t) : m->path_len;
	*query = q ? q + 1 : NULL;
	*qlen = q ? m->path_len - *plen - 1 : 0;
}

static bool url_param(const struct px_pat *p, const char *q, size_t ql, const char *name)
{
	const char *end = q + ql;
	size_t nl = strlen(name);

	for (const char *s = q; s && s <= end;) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		const char *e = amp ? amp : end;

		if ((size_t)(e - s) >= nl + 1 && s[nl] == '=' && memcmp(s, name, nl) == 0)
			return px_pat_str(p, s + nl + 1, (size_t)(e - s - (ptrdiff_t)nl - 1));
		if (!amp)
			break;
		s = amp + 1;
	}
	return false;
}

/* RFC 4648 base64 (the Basic credentials); false on a byte outside it. */
static bool b64_decode(const char *s, size_t len, char *out, size_t cap, size_t *n)
{
	unsigned v = 0, bits = 0;

	*n = 0;
	for (size_t i = 0; i < len; i++) {
		const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const char *p;

		if (s[i] == '=')
			break;
		p = memchr(a, s[i], 64);
		if (!p)
			return false;
		v = (v << 6) | (unsigned)(p - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (*n + 1 >= cap)
				return false;
			out[(*n)++] = (char)((v >> bits) & 0xff);
		}
	}
	out[*n] = '\0';
	return true;
}

/* http_auth(L): the user of L the request's Basic credentials name,
 * with that password (crypt(3) for a hash; crypt_r, so no state is
 * shared between workers), or NULL. */
static const struct px_user *http_auth(const struct px_userlist *l, const char *buf,
				       const struct px_h1_msg *m)
{
	char cred[512];
	size_t n;

	for (unsigned i = 0; l && i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];
		const char *v = buf + h->v, *colon;

		if (h->nl != 13 || strncasecmp(buf + h->n, "authorization", 13) != 0)
			continue;
		if (h->vl < 6 || strncasecmp(v, "basic ", 6) != 0)
			return NULL;
		if (!b64_decode(v + 6, h->vl - 6, cred, sizeof(cred), &n) || memchr(cred, '\0', n))
			return NULL;
		colon = strchr(cred, ':');
		if (!colon)
			return NULL;
		for (size_t k = 0; k < l->n; k++) {
			const struct px_user *u = &l->u[k];
			bool ok = false;

			if (strlen(u->name) != (size_t)(colon - cred) ||
			    strncmp(u->name, cred, (size_t)(colon - cred)) != 0 || !u->pass)
				continue;
			if (u->plain) {
				ok = strcmp(u->pass, colon + 1) == 0;
			} else {
				struct crypt_data *cd = calloc(1, sizeof(*cd));
				const char *h2 = cd ? crypt_r(colon + 1, u->pass, cd) : NULL;

				ok = h2 && h2[0] != '*' && strcmp(h2, u->pass) == 0;
				free(cd);
			}
			explicit_bzero(cred, sizeof(cred));
			return ok ? u : NULL;
		}
		explicit_bzero(cred, sizeof(cred));
		return NULL;
	}
	return NULL;
}

/* http_auth_group(L) GROUP...: one of the authenticated user's groups
 * is a pattern. */
static bool http_auth_group(const struct px_pat *p, const struct px_userlist *l, const char *buf,
			    const struct px_h1_msg *m)
{
	const struct px_user *u = http_auth(l, buf, m);

	for (size_t i = 0; u && i < u->n_groups; i++)
		if (px_pat_str(p, u->groups[i], strlen(u->groups[i])))
			return true;
	return false;
}

bool px_acl_expr(const struct px_rules *r, const struct rule_expr *e, const struct px_rctx *x)
{
	const struct px_pat *p = r->pat[e->id];
	const unsigned char *a;
	int af;

	switch (e->fetch) {
	case RF_TRUE:
		return true;
	case RF_FALSE:
		return false;
	case RF_SSL_FC:
		return x->fc_ssl;
	case RF_SSL_FC_SNI:
		if (!x->fc_sni || !*x->fc_sni)
			return false;
		return px_pat_str(p, x->fc_sni, strlen(x->fc_sni));
	case RF_REQ_SSL_SNI:
		return x->sni && px_pat_str(p, x->sni, x->sni_len);
	case RF_HTTP_AUTH:
		return x->m && !x->rm && http_auth(r->users[e->id], x->buf, x->m) != NULL;
	case RF_HTTP_AUTH_GROUP:
		return x->m && !x->rm && http_auth_group(p, r->users[e->id], x->buf, x->m);
	case RF_SRC:
	case RF_DST:
		af = addr_of(e->fetch == RF_SRC ? x->cli : x->dst, &a);
		return af && px_pat_ip(p, af, a);
	case RF_SRC_PORT:
	case RF_DST_PORT: {
		int port = port_of(e->fetch == RF_SRC_PORT ? x->cli : x->dst);

		return port >= 0 && match_int(p, e->match, port);
	}
	case RF_NBSRV: {
		const struct px_proxy *be = r->nbsrv[e->id] ? r->nbsrv[e->id] : x->be;
		long long n = 0;

		if (!be)
			return false;
		for (size_t i = 0; i < be->n_srv; i++)
			n += px_server_usable(x->w, &be->srv[i]);
		return match_int(p, e->match, n);
	}
	default:
		break;
	}
	/* Below: the HTTP request (or, for headers, the response being
	 * evaluated by http-response rules). */
	{
		const char *buf = x->rm ? x->rbuf : x->buf;
		const struct px_h1_msg *m = x->rm ? x->rm : x->m;
		const char *path, *query;
		size_t plen, qlen;

		if (!m)
			return false;
		if (e->fetch == RF_HDR || e->fetch == RF_HDR_CNT) {
			size_t nl = e->arg ? strlen(e->arg) : 0, cnt = 0;

			for (unsigned i = 0; i < m->nh; i++) {
				const struct px_h1_hdr *h = &m->h[i];

				if (e->arg && (h->nl != nl || strncasecmp(buf + h->n, e->arg, nl) != 0))
					continue;
				if (e->fetch == RF_HDR_CNT)
					cnt += count_values(buf + h->v, h->vl);
				else if (match_values(p, buf + h->v, h->vl))
					return true;
			}
			return e->fetch == RF_HDR_CNT && match_int(p, e->match, (long long)cnt);
		}
		if (x->rm)
			return false;	/* request fetches are not kept for the response */
		split_target(buf, m, &path, &plen, &query, &qlen);
		switch (e->fetch) {
		case RF_PATH:
			return px_pat_str(p, path, plen);
		case RF_URL:
			return px_pat_str(p, buf + m->tgt, m->tgt_len);
		case RF_QUERY:
			return query && px_pat_str(p, query, qlen);
		case RF_URL_PARAM:
			return query && e->arg && url_param(p, query, qlen, e->arg);
		case RF_METHOD:
			return px_pat_str(p, buf + m->meth, m->meth_len);
		default:
			return false;
		}
	}
}
