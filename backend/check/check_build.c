/* Targets from the configuration model: names, resolved definitions and
 * their signatures (check_int.h). Everything is copied out of the model,
 * which a reload frees.
 */
#include "config.h"

#include "check/check_int.h"

#include "config/model.h"
#include "config/value.h"
#include "core/log.h"
#include "script/runner.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct build {
	struct check_target **arr;
	size_t len, cap;
};

static void push(struct build *b, struct check_target *t)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->arr = xreallocarray(b->arr, b->cap, sizeof(*b->arr));
	}
	b->arr[b->len++] = t;
}

void check_target_free(struct check_target *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->def.n_probes; i++) {
		struct check_http_probe *p = &t->def.probes[i];

		free(p->path);
		free(p->request);
		free(p->codes);
		free(p->pattern);
		if (p->re_ok)
			regfree(&p->re);
	}
	free(t->def.probes);
	free(t->def.sni);
	free(t->def.ca_file);
	free(t->def.verify_host);
	check_tls_ctx_free(t->ssl_ctx);
	strvec_free(&t->def.argv);
	free(t->def.user);
	strvec_free(&t->notify_up);
	strvec_free(&t->notify_down);
	free(t->notify_user);
	free(t->name);
	free(t->sig);
	free(t->group);
	free(t->member);
	free(t);
}

/* Fills a sockaddr from a model address and port. */
static socklen_t to_sockaddr(const struct cfg_addr *a, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == CFG_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)(port > 0 ? port : 0));
		memcpy(&s6->sin6_addr, a->b, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)(port > 0 ? port : 0));
	memcpy(&s4->sin_addr, a->b, 4);
	return sizeof(*s4);
}

/* "192.0.2.21:80", "[2001:db8::21]:80" */
static void put_sockaddr(struct strbuf *out, const struct sockaddr_storage *ss)
{
	char buf[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, buf, sizeof(buf));
		strbuf_printf(out, "[%s]:%u", buf, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, buf, sizeof(buf));
		strbuf_printf(out, "%s:%u", buf, ntohs(s4->sin_port));
	}
}

static unsigned ms_of(int64_t v, unsigned dflt)
{
	if (v < 0)
		return dflt;
	return v > 86400000 ? 86400000u : (unsigned)v;
}

/* The signature: every field of the definition as text. Two targets with
 * one name and one signature are the same check. */
static void make_sig(struct check_target *t)
{
	const struct check_def *d = &t->def;
	struct strbuf s = STRBUF_INIT;

	strbuf_printf(&s, "%d %d ", d->kind, d->origin);
	if (d->addr_len)
		put_sockaddr(&s, &d->addr);
	strbuf_puts(&s, " bind ");
	if (d->bind_len)
		put_sockaddr(&s, &d->bind);
	strbuf_printf(&s, " %u %u %u %u %u %u %d %d %d pp %d", d->connect_timeout_ms,
		      d->io_timeout_ms, d->inter_ms, d->fastinter_ms, d->downinter_ms,
		      d->warmup_ms, d->rise, d->fall, d->start_down, d->send_proxy);
	for (size_t i = 0; i < d->n_probes; i++) {
		const struct check_http_probe *p = &d->probes[i];

		strbuf_printf(&s, "\n%s\n%d %d %s %s", p->request, p->expect, p->negate,
			      p->pattern ? p->pattern : "-", p->has_digest ? p->digest : "-");
		for (size_t j = 0; j < p->n_codes; j++)
			strbuf_printf(&s, " %d-%d", p->codes[j].lo, p->codes[j].hi);
	}
	strbuf_printf(&s, "\nsni %s user %s timeout %u dyn %d argv", d->sni ? d->sni : "-",
		      d->user ? d->user : "-", d->script_timeout_ms, d->dynamic);
	if (d->ca_file) {
		/* The CA file's identity too: a CA renewed in place makes a
		 * new check, with a context that reads it again. */
		struct stat st = { 0 };

		(void)stat(d->ca_file, &st);
		strbuf_printf(&s, "\nca %s %lld %lld %llu host %s", d->ca_file,
			      (long long)st.st_size, (long long)st.st_mtime,
			      (unsigned long long)st.st_ino, d->verify_host ? d->verify_host : "-");
	}
	for (size_t i = 0; i < d->argv.len; i++)
		strbuf_printf(&s, " [%s]", d->argv.items[i]);
	t->sig = strbuf_detach(&s);
}

static struct check_target *target_new(void)
{
	struct check_target *t = xcalloc(1, sizeof(*t));

	t->fd = -1;
	t->weight = -1;
	t->fresh = true;
	strvec_init(&t->def.argv);
	strvec_init(&t->notify_up);
	strvec_init(&t->notify_down);
	snprintf(t->reason, sizeof(t->reason), "not checked yet");
	return t;
}

/* ------------------------------------------------------------------ */
/* keepalived                                                          */

static const char *kind_word(enum cfg_check_kind k)
{
	switch (k) {
	case CFG_CHECK_TCP: return "tcp";
	case CFG_CHECK_HTTP: return "http";
	case CFG_CHECK_SSL: return "ssl";
	case CFG_CHECK_MISC: return "misc";
	}
	return "check";
}

static void vs_name(const struct cfg_virtual_server *vs, struct strbuf *out)
{
	switch (vs->kind) {
	case CFG_VS_ADDR:
		if (vs->protocol == CFG_PROTO_UDP)
			strbuf_puts(out, "udp:");
		else if (vs->protocol == CFG_PROTO_SCTP)
			strbuf_puts(out, "sctp:");
		cfg_endpoint_text(&vs->ep, out);
		break;
	case CFG_VS_FWMARK:
		strbuf_printf(out, "fwmark%u", (unsigned)vs->fwmark);
		if (vs->af == CFG_AF_INET6)
			strbuf_puts(out, "-v6");
		break;
	case CFG_VS_GROUP:
		strbuf_printf(out, "group-%s", vs->group);
		break;
	}
}

/* The Host header of a keepalived request: virtualhost, else the
 * address, with the port unless it is the scheme's. */
static void host_header(const struct check_target *t, const char *vhost, bool tls,
			struct strbuf *out)
{
	unsigned port;

	if (vhost) {
		strbuf_puts(out, vhost);
		return;
	}
	put_sockaddr(out, &t->def.addr);
	port = ntohs(((const struct sockaddr_in *)&t->def.addr)->sin_port);
	if (port == (tls ? 443u : 80u)) {
		char *colon = strrchr(out->data, ':');

		out->len = (size_t)(colon - out->data);
		out->data[out->len] = '\0';
	}
}

static void kad_http(struct check_target *t, const struct cfg_checker *c)
{
	bool tls = c->kind == CFG_CHECK_SSL;
	const char *proto = c->http_protocol ? c->http_protocol : "1.0";
	size_t n = c->n_urls ? c->n_urls : 1;

	t->def.probes = xcalloc(n, sizeof(*t->def.probes));
	t->def.n_probes = n;
	if (tls && c->co.virtualhost)
		t->def.sni = xstrdup(c->co.virtualhost);
	for (size_t i = 0; i < n; i++) {
		struct check_http_probe *p = &t->def.probes[i];
		const struct cfg_url *u = c->n_urls ? &c->urls[i] : NULL;
		struct strbuf req = STRBUF_INIT;

		p->path = xstrdup(u && u->path ? u->path : "/");
		p->expect = CHECK_EXPECT_STATUS;
		if (u && u->n_codes) {
			p->codes = xcalloc(u->n_codes, sizeof(*p->codes));
			memcpy(p->codes, u->codes, u->n_codes * sizeof(*p->codes));
			p->n_codes = u->n_codes;
		} else {
			p->codes = xcalloc(1, sizeof(*p->codes));
			p->codes[0].lo = 200;
			p->codes[0].hi = 299;
			p->n_codes = 1;
		}
		if (u && u->digest) {
			p->has_digest = true;
			snprintf(p->digest, sizeof(p->digest), "%s", u->digest);
		}
		strbuf_printf(&req, "GET %s HTTP/%s\r\nUser-Agent: KeepAliveClient\r\nHost: ",
			      p->path, proto);
		host_header(t, c->co.virtualhost, tls, &req);
		strbuf_puts(&req, "\r\nConnection: close\r\n\r\n");
		p->request = strbuf_detach(&req);
	}
}

/* Splits a notify_up / notify_down command line into argv. */
static int kad_notify(const struct check_target *t, const char *line, struct strvec *argv,
		      struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;

	if (!line)
		return 0;
	if (script_split_cmdline(line, argv, &why) < 0) {
		strbuf_printf(err, "%s: notify script '%s': %s", t->name, line, why.data);
		strbuf_free(&why);
		return -1;
	}
	strbuf_free(&why);
	return 0;
}

static int kad_target(struct build *b, const struct config *cfg,
		      const struct cfg_virtual_server *vs, const struct cfg_real_server *rs,
		      const struct cfg_checker *c, unsigned nth, struct strbuf *err)
{
	struct check_target *t = target_new();
	struct strbuf s = STRBUF_INIT;
	const struct cfg_check_opts *co = &c->co;
	int port = c->connect_port != CFG_UNSET ? c->connect_port : rs->ep.port;

	vs_name(vs, &s);
	strbuf_putc(&s, '/');
	cfg_endpoint_text(&rs->ep, &s);
	strbuf_printf(&s, "/%s", kind_word(c->kind));
	if (nth > 1)
		strbuf_printf(&s, "#%u", nth);
	t->name = strbuf_detach(&s);
	cfg_vs_identity(vs, &s);
	t->group = strbuf_detach(&s);
	cfg_endpoint_text(&rs->ep, &s);
	t->member = strbuf_detach(&s);

	t->def.origin = CHECK_FROM_KEEPALIVED;
	t->def.connect_timeout_ms = ms_of(co->connect_timeout_ms, 5000);
	t->def.io_timeout_ms = t->def.connect_timeout_ms;
	t->def.inter_ms = ms_of(co->delay_loop_ms, 60000);
	t->def.fastinter_ms = ms_of(co->delay_before_retry_ms, 1000);
	t->def.downinter_ms = t->def.inter_ms;
	t->def.warmup_ms = ms_of(co->warmup_ms, 0);
	t->def.rise = 1;
	t->def.fall = (co->retry > 0 ? co->retry : 0) + 1;
	t->def.start_down = vs->alpha > 0;
	t->omega = vs->omega > 0;
	if (t->def.start_down)
		t->state = CHECK_DOWN;
	if (kad_notify(t, rs->notify_up, &t->notify_up, err) < 0 ||
	    kad_notify(t, rs->notify_down, &t->notify_down, err) < 0) {
		check_target_free(t);
		return -1;
	}
	if (cfg->global.script_user)
		t->notify_user = xstrdup(cfg->global.script_user);
	if (c->kind != CFG_CHECK_MISC) {
		const struct cfg_addr *a = c->connect_ip.af != CFG_AF_ANY ? &c->connect_ip
									  : &rs->ep.addr;

		if (port == CFG_UNSET || port <= 0) {
			strbuf_printf(err, "%s: no port to check (set connect_port)", t->name);
			check_target_free(t);
			return -1;
		}
		t->def.addr_len = to_sockaddr(a, port, &t->def.addr);
		if (c->bindto.af != CFG_AF_ANY || (c->bind_port != CFG_UNSET && c->bind_port > 0)) {
			struct cfg_addr any = { .af = a->af };

			t->def.bind_len = to_sockaddr(c->bindto.af != CFG_AF_ANY ? &c->bindto : &any,
						      c->bind_port > 0 ? c->bind_port : 0,
						      &t->def.bind);
		}
	}
	switch (c->kind) {
	case CFG_CHECK_TCP:
		t->def.kind = CHECK_KIND_TCP;
		t->ops = &check_tcp_ops;
		break;
	case CFG_CHECK_HTTP:
	case CFG_CHECK_SSL:
		t->def.kind = c->kind == CFG_CHECK_SSL ? CHECK_KIND_SSL : CHECK_KIND_HTTP;
		t->ops = &check_http_ops;
		kad_http(t, c);
		break;
	case CFG_CHECK_MISC: {
		struct strbuf why = STRBUF_INIT;
		const char *user = c->user ? c->user : cfg->global.script_user;

		t->def.kind = CHECK_KIND_MISC;
		t->ops = &check_misc_ops;
		if (!c->misc_path ||
		    script_split_cmdline(c->misc_path, &t->def.argv, &why) < 0) {
			strbuf_printf(err, "%s: misc_path: %s", t->name,
				      why.len ? why.data : "missing");
			strbuf_free(&why);
			check_target_free(t);
			return -1;
		}
		t->def.user = user ? xstrdup(user) : NULL;
		t->def.script_timeout_ms = ms_of(c->misc_timeout_ms, t->def.inter_ms);
		t->def.dynamic = c->misc_dynamic > 0;
		break;
	}
	}
	make_sig(t);
	push(b, t);
	return 0;
}

/* ------------------------------------------------------------------ */
/* HAProxy                                                             */

/* Parses "200", "200-299", "200,301-302" into ranges. Returns the count,
 * 0 when text is not such a list. */
static size_t parse_codes(const char *text, struct cfg_status_range **out)
{
	struct cfg_status_range *r = NULL;
	size_t n = 0;
	const char *p = text;

	while (*p) {
		char *end;
		long lo = strtol(p, &end, 10), hi;

		if (end == p || lo < 100 || lo > 599)
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-') {
			hi = strtol(p + 1, &end, 10);
			if (end == p + 1 || hi < lo || hi > 599)
				goto bad;
			p = end;
		}
		r = xreallocarray(r, n + 1, sizeof(*r));
		r[n].lo = (int)lo;
		r[n].hi = (int)hi;
		n++;
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	*out = r;
	return n;
bad:
	free(r);
	return 0;
}

/* HAProxy 1.x let the version carry headers: "HTTP/1.1\r\nHost:\ www".
 * Writes it with "\r\n" and "\ " unescaped. */
static void put_unescaped(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'r') {
			strbuf_putc(out, '\r');
			s++;
		} else if (s[0] == '\\' && s[1] == 'n') {
			strbuf_putc(out, '\n');
			s++;
		} else if (s[0] == '\\' && s[1]) {
			strbuf_putc(out, s[1]);
			s++;
		} else {
			strbuf_putc(out, *s);
		}
	}
}

static int hap_http(struct check_target *t, const struct cfg_proxy *p, const char *args,
		    struct strbuf *err)
{
	struct check_http_probe *pr = xcalloc(1, sizeof(*pr));
	struct strvec w = STRVEC_INIT;
	struct strbuf req = STRBUF_INIT, why = STRBUF_INIT;
	const char *method = "OPTIONS", *uri = "/", *version = "HTTP/1.0";

	t->def.probes = pr;
	t->def.n_probes = 1;
	if (args && *args && script_split_cmdline(args, &w, &why) < 0) {
		strbuf_printf(err, "%s: option httpchk: %s", t->name, why.data);
		strbuf_free(&why);
		return -1;
	}
	strbuf_free(&why);
	if (w.len == 1) {
		uri = w.items[0];
	} else if (w.len >= 2) {
		method = w.items[0];
		uri = w.items[1];
		if (w.len >= 3)
			version = w.items[2];
	}
	pr->path = xstrdup(uri);
	strbuf_printf(&req, "%s %s ", method, uri);
	put_unescaped(&req, version);
	strbuf_puts(&req, "\r\nConnection: close\r\n\r\n");
	pr->request = strbuf_detach(&req);
	strvec_free(&w);

	pr->expect = CHECK_EXPECT_STATUS;
	pr->negate = p->http_check_expect_neg > 0;
	if (p->http_check_expect) {
		const char *sp = strchr(p->http_check_expect, ' ');
		size_t kl = sp ? (size_t)(sp - p->http_check_expect) : strlen(p->http_check_expect);
		const char *val = sp ? sp + 1 : "";

		if (kl == 6 && strncmp(p->http_check_expect, "status", 6) == 0) {
			pr->n_codes = parse_codes(val, &pr->codes);
			if (!pr->n_codes) {
				strbuf_printf(err, "%s: http-check expect status: '%s' is not a status code, range or list",
					      t->name, val);
				return -1;
			}
		} else if (kl == 6 && strncmp(p->http_check_expect, "string", 6) == 0) {
			pr->expect = CHECK_EXPECT_STRING;
		} else if (kl == 7 && strncmp(p->http_check_expect, "rstatus", 7) == 0) {
			pr->expect = CHECK_EXPECT_RSTATUS;
		} else if (kl == 7 && strncmp(p->http_check_expect, "rstring", 7) == 0) {
			pr->expect = CHECK_EXPECT_RSTRING;
		} else {
			strbuf_printf(err, "%s: http-check expect %s: not supported", t->name,
				      p->http_check_expect);
			return -1;
		}
		if (pr->expect != CHECK_EXPECT_STATUS)
			pr->pattern = xstrdup(val);
		if (pr->expect == CHECK_EXPECT_RSTATUS || pr->expect == CHECK_EXPECT_RSTRING) {
			if (regcomp(&pr->re, val, REG_EXTENDED | REG_NOSUB) != 0) {
				strbuf_printf(err, "%s: http-check expect: bad regex '%s'", t->name,
					      val);
				return -1;
			}
			pr->re_ok = true;
		}
	}
	return 0;
}

static unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

static int hap_target(struct build *b, const struct cfg_proxy *p, const struct cfg_server *s,
		      struct strbuf *err)
{
	struct check_target *t;
	const struct cfg_option *httpchk = cfg_proxy_option(p, "httpchk");
	const struct cfg_addr *a = s->o.addr.af != CFG_AF_ANY ? &s->o.addr : &s->ep.addr;
	int port = s->o.port != CFG_UNSET ? s->o.port : s->ep.port;
	int64_t tcheck = p->timeout_ms[CFG_TO_CHECK], tconn = p->timeout_ms[CFG_TO_CONNECT];
	struct strbuf n = STRBUF_INIT;
	bool tls;

	strbuf_printf(&n, "%s/%s", p->name, s->name);
	if (port == CFG_UNSET || port <= 0 || a->af == CFG_AF_ANY) {
		/* As HAProxy: a warning, and the server is not checked. */
		log_warn("check %s: no address or port to check (set port or addr); not checked",
			 n.data);
		strbuf_free(&n);
		return 0;
	}
	t = target_new();
	t->name = strbuf_detach(&n);
	t->group = xstrdup(p->name);
	t->member = xstrdup(s->name);
	t->def.origin = CHECK_FROM_HAPROXY;
	t->def.addr_len = to_sockaddr(a, port, &t->def.addr);
	t->def.inter_ms = ms_of(s->o.inter_ms, 2000);
	t->def.fastinter_ms = ms_of(s->o.fastinter_ms, t->def.inter_ms);
	t->def.downinter_ms = ms_of(s->o.downinter_ms, t->def.inter_ms);
	t->def.rise = s->o.rise > 0 ? s->o.rise : 2;
	t->def.fall = s->o.fall > 0 ? s->o.fall : 3;
	/* HAProxy: checks send the PROXY header with check-send-proxy, or
	 * when the server has send-proxy and the check goes to the server's
	 * own address and port (no addr, no port). */
	if (s->o.check_send_proxy)
		t->def.send_proxy = s->o.send_proxy == 2 ? 2 : 1;
	else if (s->o.send_proxy && s->o.port == CFG_UNSET && s->o.addr.af == CFG_AF_ANY)
		t->def.send_proxy = s->o.send_proxy;
	/* HAProxy: with `timeout check`, min(timeout connect, inter) to
	 * connect and `timeout check` to read; without, inter for both. */
	t->def.connect_timeout_ms = tconn >= 0 ? min_u(ms_of(tconn, 0), t->def.inter_ms)
					       : t->def.inter_ms;
	t->def.io_timeout_ms = tcheck >= 0 ? ms_of(tcheck, 0) : t->def.inter_ms;
	/* HAProxy: checks go over TLS with check-ssl, or when the server
	 * has ssl and the check goes to its own address and port. */
	tls = s->o.check_ssl || (s->o.ssl && s->o.port == CFG_UNSET && s->o.addr.af == CFG_AF_ANY);
	if (httpchk) {
		t->def.kind = tls ? CHECK_KIND_SSL : CHECK_KIND_HTTP;
		t->ops = &check_http_ops;
		if (hap_http(t, p, httpchk->args, err) < 0) {
			check_target_free(t);
			return -1;
		}
	} else if (tls) {
		/* No httpchk: the TLS handshake is the check (L6OK), as in
		 * HAProxy; the HTTP checker without probes does just that. */
		t->def.kind = CHECK_KIND_SSL;
		t->ops = &check_http_ops;
	} else {
		t->def.kind = CHECK_KIND_TCP;
		t->ops = &check_tcp_ops;
	}
	if (tls) {
		/* HAProxy: a check over TLS uses the server's TLS settings:
		 * verify (required unless 'verify none'), ca-file,
		 * verifyhost; its SNI is check-sni's (sni is the traffic's). */
		if (s->o.check_sni[0])
			t->def.sni = xstrdup(s->o.check_sni);
		if (s->o.ssl_verify != 0 && s->o.ssl_ca[0]) {
			t->def.ca_file = xstrdup(s->o.ssl_ca);
			if (s->o.ssl_verifyhost[0])
				t->def.verify_host = xstrdup(s->o.ssl_verifyhost);
			if (check_tls_ctx(t, &n) < 0) {
				strbuf_printf(err, "%s:%d: server %s/%s: health check: %s",
					      s->loc.file ? s->loc.file : "?", s->loc.line, p->name,
					      s->name, strbuf_str(&n));
				strbuf_free(&n);
				check_target_free(t);
				return -1;
			}
		}
	}
	make_sig(t);
	push(b, t);
	return 0;
}

/* ------------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b)
{
	const struct check_target *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

int check_build_targets(struct check_engine *e, const struct config *cfg,
			struct check_target ***out, size_t *n_out, struct strbuf *err)
{
	struct build b = { 0 };

	for (size_t i = 0; i < cfg->n_vs; i++) {
		const struct cfg_virtual_server *vs = cfg->vs[i];

		for (size_t j = 0; j < vs->n_rs; j++) {
			const struct cfg_real_server *rs = &vs->rs[j];
			unsigned seen[4] = { 0 };

			for (size_t k = 0; k < rs->n_checkers; k++) {
				const struct cfg_checker *c = &rs->checkers[k];

				if (kad_target(&b, cfg, vs, rs, c, ++seen[c->kind & 3], err) < 0)
					goto fail;
			}
		}
	}
	for (size_t i = 0; i < cfg->n_proxies; i++) {
		const struct cfg_proxy *p = &cfg->proxies[i];

		for (size_t j = 0; j < p->n_servers; j++)
			if (p->servers[j].o.check > 0 && hap_target(&b, p, &p->servers[j], err) < 0)
				goto fail;
	}
	if (b.len)
		qsort(b.arr, b.len, sizeof(*b.arr), cmp_name);
	for (size_t i = 1; i < b.len; i++) {
		if (strcmp(b.arr[i - 1]->name, b.arr[i]->name) == 0) {
			strbuf_printf(err, "two checks named %s", b.arr[i]->name);
			goto fail;
		}
	}
	*out = b.arr;
	*n_out = b.len;
	(void)e;
	return 0;
fail:
	for (size_t i = 0; i < b.len; i++)
		check_target_free(b.arr[i]);
	free(b.arr);
	return -1;
}
