/* px_log: syslog lines of the proxy (px_log.h). */
#include "config.h"

#include "proxy/proxy_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------ */
/* Configuration                                                       */

static void add_target(struct px_logcfg *lc, const char *text)
{
	struct cfg_log_target t;
	struct strbuf err = STRBUF_INIT;

	/* Checked when the configuration loaded: a failure here cannot
	 * happen, and would only lose a target. */
	if (cfg_log_target_parse_text(text, &t, &err) && !t.global) {
		lc->t = xreallocarray(lc->t, lc->n + 1, sizeof(*lc->t));
		lc->t[lc->n++] = t;
	}
	strbuf_free(&err);
}

struct px_logcfg *px_log_build(const struct config *cfg, const struct cfg_proxy *cp)
{
	struct px_logcfg *lc = xcalloc(1, sizeof(*lc));
	const char *fmt = NULL;
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < cp->logs.len; i++) {
		if (strcmp(cp->logs.items[i], "global") == 0) {
			for (size_t k = 0; k < cfg->hap.logs.len; k++)
				add_target(lc, cfg->hap.logs.items[k]);
		} else {
			add_target(lc, cp->logs.items[i]);
		}
	}
	if (!lc->n) {
		free(lc);
		return NULL;
	}
	snprintf(lc->tag, sizeof(lc->tag), "%s",
		 cp->log_tag ? cp->log_tag : cfg->hap.log_tag ? cfg->hap.log_tag : "softlbd");
	if (cp->log_format)
		fmt = cp->log_format;
	else if (cfg_proxy_option(cp, "httplog"))
		/* In mode tcp, HAProxy falls back to tcplog. */
		fmt = cp->mode != CFG_MODE_HTTP ? cfg_logfmt_tcplog
		      : cfg_proxy_option(cp, "httplog")->args ? cfg_logfmt_httplog_clf
							     : cfg_logfmt_httplog;
	else if (cfg_proxy_option(cp, "tcplog"))
		fmt = cfg_logfmt_tcplog;
	lc->kind = fmt ? PX_LOG_FORMAT : PX_LOG_CONNECT;
	/* Without a format option, HAProxy's line at accept; the mode ends
	 * it (px_session.c). */
	if (!fmt)
		fmt = "Connect from %ci:%cp to %fi:%fp (%f/";
	if (!cfg_logfmt_compile(fmt, &lc->fmt, &err))
		lc->kind = PX_LOG_CONNECT;	/* checked at load: unreachable */
	strbuf_free(&err);
	lc->dontlognull = cfg_proxy_option(cp, "dontlognull") != NULL;
	lc->sep_errors = cfg_proxy_option(cp, "log-separate-errors") != NULL;
	return lc;
}

void px_log_free(struct px_logcfg *lc)
{
	if (!lc)
		return;
	cfg_logfmt_free(&lc->fmt);
	free(lc->t);
	free(lc);
}

/* ------------------------------------------------------------------ */
/* Captures                                                            */

struct px_captures *px_log_caps_build(const struct cfg_proxy *cp)
{
	struct px_captures *c;

	if (!cp->captures.len || cp->mode != CFG_MODE_HTTP)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->req = xcalloc(cp->captures.len, sizeof(*c->req));
	c->rsp = xcalloc(cp->captures.len, sizeof(*c->rsp));
	for (size_t i = 0; i < cp->captures.len; i++) {
		char kind[16], name[256];
		int len;
		struct px_capture *k;

		if (sscanf(cp->captures.items[i], "%15s %255s %d", kind, name, &len) != 3)
			continue;	/* checked at load */
		k = strcmp(kind, "request") == 0 ? &c->req[c->n_req++] : &c->rsp[c->n_rsp++];
		k->name = xstrdup(name);
		k->len = (size_t)len;
	}
	return c;
}

void px_log_caps_free(struct px_captures *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_req; i++)
		free(c->req[i].name);
	for (size_t i = 0; i < c->n_rsp; i++)
		free(c->rsp[i].name);
	free(c->req);
	free(c->rsp);
	free(c);
}

void px_log_capture(const struct px_capture *caps, size_t n, const char *buf,
		    const struct px_h1_msg *m, char ***vals, size_t *nvals)
{
	if (!n)
		return;
	if (!*vals) {
		*vals = xcalloc(n, sizeof(**vals));
		*nvals = n;
	}
	for (unsigned i = 0; i < m->nh; i++) {
		const struct px_h1_hdr *h = &m->h[i];

		for (size_t k = 0; k < n; k++) {
			if (strlen(caps[k].name) != h->nl ||
			    strncasecmp(caps[k].name, buf + h->n, h->nl) != 0)
				continue;
			free((*vals)[k]);
			(*vals)[k] = xstrndup(buf + h->v, h->vl < caps[k].len ? h->vl : caps[k].len);
		}
	}
}

static void free_vals(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void px_logtx_clear(struct px_logtx *x)
{
	free(x->rline);
	x->rline = NULL;
	if (x->cap_req)
		free_vals(x->cap_req, x->n_cap_req);
	if (x->cap_rsp)
		free_vals(x->cap_rsp, x->n_cap_rsp);
	x->cap_req = x->cap_rsp = NULL;
}

/* ------------------------------------------------------------------ */
/* Sending                                                             */

void px_logger_init(struct px_logger *lg)
{
	for (int i = 0; i < 3; i++)
		lg->fd[i] = -1;
	lg->pid = (int)getpid();
	atomic_init(&lg->sent, 0);
	atomic_init(&lg->dropped, 0);
}

void px_logger_close(struct px_logger *lg)
{
	for (int i = 0; i < 3; i++) {
		if (lg->fd[i] >= 0)
			close(lg->fd[i]);
		lg->fd[i] = -1;
	}
}

static int sock_for(struct px_logger *lg, int af)
{
	int i = af == AF_INET ? 0 : af == AF_INET6 ? 1 : 2;

	if (lg->fd[i] < 0)
		lg->fd[i] = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	return lg->fd[i];
}

static void bump(_Atomic uint64_t *c)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void header(struct strbuf *b, const struct cfg_log_target *t, const char *tag, int pid,
		   int level)
{
	struct timespec ts;
	struct tm tm;
	int pri = t->facility * 8 + level;

	if (t->format == CFG_LOGF_RAW)
		return;
	strbuf_printf(b, "<%d>", pri);
	if (t->format == CFG_LOGF_SHORT)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	if (t->format == CFG_LOGF_RFC3164) {
		strbuf_printf(b, "%s %2d %02d:%02d:%02d %s[%d]: ", months[tm.tm_mon], tm.tm_mday,
			      tm.tm_hour, tm.tm_min, tm.tm_sec, tag, pid);
	} else {
		long off = tm.tm_gmtoff;

		strbuf_printf(b, "1 %04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02ld:%02ld - %s %d - - ",
			      tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			      tm.tm_sec, ts.tv_nsec / 1000, off < 0 ? '-' : '+',
			      labs(off) / 3600, labs(off) % 3600 / 60, tag, pid);
	}
}

void px_log_send(struct px_logger *lg, const struct px_logcfg *lc, int level, const char *msg,
		 size_t len)
{
	struct strbuf b = STRBUF_INIT;

	for (size_t i = 0; i < lc->n; i++) {
		const struct cfg_log_target *t = &lc->t[i];
		int lv = level < t->minlevel ? t->minlevel : level;
		size_t hl, room;
		int fd;

		if (level > t->level)
			continue;
		strbuf_reset(&b);
		header(&b, t, lc->tag, lg->pid, lv);
		hl = b.len;
		room = (size_t)t->maxlen > hl + 1 ? (size_t)t->maxlen - hl - 1 : 0;
		strbuf_append(&b, msg, len < room ? len : room);
		strbuf_putc(&b, '\n');
		fd = sock_for(lg, t->addr.ss_family);
		if (fd < 0 || sendto(fd, b.data, b.len, MSG_DONTWAIT | MSG_NOSIGNAL,
				     (const struct sockaddr *)&t->addr, t->addr_len) < 0)
			bump(&lg->dropped);	/* full, or nobody listening: never wait */
		else
			bump(&lg->sent);
	}
	strbuf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Rendering                                                           */

static void put_ip(struct strbuf *b, const struct sockaddr_storage *a)
{
	char txt[INET6_ADDRSTRLEN];

	if (a && a->ss_family == AF_INET)
		strbuf_puts(b, inet_ntop(AF_INET, &((const struct sockaddr_in *)a)->sin_addr, txt,
					 sizeof(txt)));
	else if (a && a->ss_family == AF_INET6)
		strbuf_puts(b, inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)a)->sin6_addr, txt,
					 sizeof(txt)));
	else
		strbuf_putc(b, '-');
}

static void put_port(struct strbuf *b, const struct sockaddr_storage *a)
{
	if (a && a->ss_family == AF_INET)
		strbuf_printf(b, "%u", ntohs(((const struct sockaddr_in *)a)->sin_port));
	else if (a && a->ss_family == AF_INET6)
		strbuf_printf(b, "%u", ntohs(((const struct sockaddr_in6 *)a)->sin6_port));
	else
		strbuf_putc(b, '-');
}

/* 05/Dec/2026:07:10:48.009 (HAProxy's date, local time; in GMT with
 * gmt, then with its zone) */
static void put_date_tz(struct strbuf *b, const struct timespec *ts, bool zone, bool gmt)
{
	struct tm tm;

	if (gmt)
		gmtime_r(&ts->tv_sec, &tm);
	else
		localtime_r(&ts->tv_sec, &tm);
	strbuf_printf(b, "%02d/%s/%04d:%02d:%02d:%02d", tm.tm_mday, months[tm.tm_mon],
		      tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (zone) {
		long off = tm.tm_gmtoff;

		strbuf_printf(b, " %c%02ld%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
			      labs(off) % 3600 / 60);
	} else {
		strbuf_printf(b, ".%03ld", ts->tv_nsec / 1000000);
	}
}

static void put_date(struct strbuf *b, const struct timespec *ts, bool zone)
{
	put_date_tz(b, ts, zone, false);
}

/* A captured value as HAProxy logs it: #XX for control bytes, non-ASCII
 * and the separators "#{|} */
static void put_captured(struct strbuf *b, const char *v)
{
	for (; v && *v; v++) {
		unsigned char ch = (unsigned char)*v;

		if (ch < 32 || ch >= 127 || strchr("\"#{|}", ch))
			strbuf_printf(b, "#%02X", ch);
		else
			strbuf_putc(b, (char)ch);
	}
}

static long span(uint64_t from, uint64_t to)
{
	return from && to && to >= from ? (long)(to - from) : -1;
}

/* The request line split: method, URI, version. */
static void rline_part(const char *rl, int part, const char **p, size_t *n)
{
	const char *s = rl, *e;

	*p = NULL;
	*n = 0;
	if (!rl)
		return;
	for (int i = 0; i < part; i++) {
		s = strchr(s, ' ');
		if (!s)
			return;
		s++;
	}
	e = part < 2 ? strchr(s, ' ') : NULL;
	*p = s;
	*n = e ? (size_t)(e - s) : strlen(s);
}

static void render_var(struct strbuf *b, const struct cfg_lf_node *nd, const struct px_logrec *r)
{
	const struct px_logtx *x = r->tx;
	uint64_t start = x->t_first ? x->t_first : x->t0;
	uint64_t end = r->now;
	long tr = span(x->t_first ? x->t_first : x->t0, x->t_head);
	const char *p;
	size_t n;

	switch (nd->var) {
	case LF_LIT:
		strbuf_puts(b, nd->lit);
		break;
	case LF_CI: put_ip(b, r->cli); break;
	case LF_CP: put_port(b, r->cli); break;
	case LF_FI: put_ip(b, r->fe_addr); break;
	case LF_FP: put_port(b, r->fe_addr); break;
	case LF_SI:
	case LF_BI: put_ip(b, r->srv_addr); break;
	case LF_SP:
	case LF_BP: put_port(b, r->srv_addr); break;
	case LF_T: put_date(b, &x->wall_accept, false); break;
	case LF_TR_DATE: put_date(b, x->t_first ? &x->wall_req : &x->wall_accept, false); break;
	case LF_TL: put_date(b, &x->wall_accept, true); break;
	case LF_TS_EPOCH: strbuf_printf(b, "%lld", (long long)x->wall_accept.tv_sec); break;
	case LF_FT:
		strbuf_puts(b, r->fe->name);
		if (r->ssl)
			strbuf_putc(b, '~');	/* HAProxy's mark of a TLS connection */
		break;
	case LF_F: strbuf_puts(b, r->fe->name); break;
	case LF_B: strbuf_puts(b, r->be ? r->be->name : r->fe->name); break;
	case LF_S: strbuf_puts(b, r->srv_name ? r->srv_name : "<NOSRV>"); break;
	case LF_TH: strbuf_printf(b, "%lu", (unsigned long)x->th); break;
	case LF_TI:	/* idle after the handshake */
		strbuf_printf(b, "%ld", r->http && x->t0 + x->th <= start ? span(x->t0 + x->th, start)
				       : 0L);
		break;
	case LF_TRQ: strbuf_printf(b, "%ld", r->http ? tr : -1L); break;
	case LF_TQ: strbuf_printf(b, "%ld", r->http && tr >= 0 ? span(x->t0, x->t_head) : -1L); break;
	case LF_TW: strbuf_printf(b, "%ld", x->t_cstart || x->tw ? (long)x->tw : -1L); break;
	case LF_TC: strbuf_printf(b, "%ld", span(x->t_cstart, x->t_conn)); break;
	case LF_TRS: strbuf_printf(b, "%ld", r->http ? span(x->t_conn, x->t_rsp) : -1L); break;
	case LF_TA: strbuf_printf(b, "%ld", span(start, end)); break;
	case LF_TT: strbuf_printf(b, "%ld", span(x->t0, end)); break;
	case LF_TU: strbuf_printf(b, "%ld", span(start, end)); break;
	case LF_ST: strbuf_printf(b, "%d", x->status); break;
	case LF_BYTES: strbuf_printf(b, "%llu", (unsigned long long)x->bytes_out); break;
	case LF_U: strbuf_printf(b, "%llu", (unsigned long long)x->bytes_in); break;
	case LF_TSF: strbuf_append(b, r->term, 2); break;
	case LF_TSC:
		strbuf_append(b, r->term, 2);
		strbuf_append(b, x->ck[0] ? x->ck : "--", 2);
		break;
	case LF_AC: strbuf_printf(b, "%u", r->ac); break;
	case LF_FC: strbuf_printf(b, "%u", r->fc); break;
	case LF_BC: strbuf_printf(b, "%u", r->bc); break;
	case LF_SC: strbuf_printf(b, "%u", r->sc); break;
	case LF_RC: strbuf_printf(b, "%s%u", x->redispatched ? "+" : "", x->retries); break;
	case LF_SQ: strbuf_puts(b, "0"); break;	/* no per-server queue: one per backend */
	case LF_BQ: strbuf_printf(b, "%u", r->bq); break;
	case LF_R:
		if (x->rline)
			strbuf_puts(b, x->rline);
		else
			strbuf_puts(b, "<BADREQ>");
		break;
	case LF_HM: case LF_HU: case LF_HP: case LF_HV:
		rline_part(x->rline, nd->var == LF_HM ? 0 : nd->var == LF_HV ? 2 : 1, &p, &n);
		if (p && nd->var == LF_HP) {
			const char *q = memchr(p, '?', n);

			if (q)
				n = (size_t)(q - p);
		}
		if (p)
			strbuf_append(b, p, n);
		else
			strbuf_putc(b, '-');
		break;
	case LF_CC: case LF_CS: strbuf_putc(b, '-'); break;	/* no cookie capture */
	case LF_HR: case LF_HS: {
		const struct px_captures *c = r->fe->caps;
		size_t nc = !c ? 0 : nd->var == LF_HR ? c->n_req : c->n_rsp;
		char **v = nd->var == LF_HR ? x->cap_req : x->cap_rsp;
		size_t nv = nd->var == LF_HR ? x->n_cap_req : x->n_cap_rsp;

		strbuf_putc(b, '{');
		for (size_t i = 0; i < nc; i++) {
			if (i)
				strbuf_putc(b, '|');
			put_captured(b, v && i < nv ? v[i] : NULL);
		}
		strbuf_putc(b, '}');
		break;
	}
	case LF_HRL: case LF_HSL: {
		/* the clf lists: each value on its own, quoted by the caller's
		 * flag one by one (HAProxy's %{+Q}o) */
		const struct px_captures *c = r->fe->caps;
		size_t nc = !c ? 0 : nd->var == LF_HRL ? c->n_req : c->n_rsp;
		char **v = nd->var == LF_HRL ? x->cap_req : x->cap_rsp;
		size_t nv = nd->var == LF_HRL ? x->n_cap_req : x->n_cap_rsp;

		for (size_t i = 0; i < nc; i++) {
			if (i)
				strbuf_puts(b, nd->quote ? "\" \"" : " ");
			put_captured(b, v && i < nv ? v[i] : NULL);
		}
		break;
	}
	case LF_TRG: put_date_tz(b, x->t_first ? &x->wall_req : &x->wall_accept, true, true); break;
	case LF_MS: strbuf_printf(b, "%03ld", x->wall_accept.tv_nsec / 1000000); break;
	case LF_H: {
		char host[256];

		if (gethostname(host, sizeof(host)) == 0) {
			host[sizeof(host) - 1] = '\0';
			strbuf_puts(b, host);
		}
		break;
	}
	case LF_PID: strbuf_printf(b, "%d", (int)getpid()); break;
	case LF_COUNT: break;
	}
}

void px_log_render(const struct px_logcfg *lc, const struct px_logrec *r, struct strbuf *out)
{
	bool skip_space = false;

	for (size_t i = 0; i < lc->fmt.len; i++) {
		const struct cfg_lf_node *nd = &lc->fmt.n[i];

		if (((nd->var == LF_HR || nd->var == LF_HRL) && !(r->fe->caps && r->fe->caps->n_req)) ||
		    ((nd->var == LF_HS || nd->var == LF_HSL) && !(r->fe->caps && r->fe->caps->n_rsp))) {
			/* Empty (no captures): HAProxy drops the separator too. */
			skip_space = true;
			continue;
		}
		if (nd->var == LF_LIT) {
			const char *s = nd->lit;

			if (skip_space && *s == ' ')
				s++;
			skip_space = false;
			strbuf_puts(out, s);
			continue;
		}
		skip_space = false;
		if (nd->quote)
			strbuf_putc(out, '"');
		render_var(out, nd, r);
		if (nd->quote)
			strbuf_putc(out, '"');
	}
}

void px_log_emit(struct px_logger *lg, const struct px_logcfg *lc, const struct px_logrec *r)
{
	struct strbuf b = STRBUF_INIT;
	int level = PX_LOG_INFO;

	if (lc->kind != PX_LOG_FORMAT)
		return;
	if (lc->dontlognull && !r->tx->bytes_in && !r->tx->bytes_out && !r->tx->rline)
		return;
	if (lc->sep_errors && (r->tx->status >= 500 || r->term[0] != '-'))
		level = PX_LOG_ERR;
	px_log_render(lc, r, &b);
	px_log_send(lg, lc, level, b.data ? b.data : "", b.len);
	strbuf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Counts                                                              */

static unsigned cur_sum(const struct px_stats *st, bool queue)
{
	uint64_t n = 0;

	for (size_t i = 0; st && i < st->n_slots; i++)
		n += px_ld(queue ? &st->slots[i].qcur : &st->slots[i].cur);
	return (unsigned)n;
}

void px_log_counts(const struct px_snapshot *snap, struct px_logrec *r,
		   const struct px_proxy *be, const struct px_stats *srv_stats)
{
	r->ac = 0;
	for (size_t i = 0; i < snap->n_proxies; i++)
		if (snap->proxies[i].kind != CFG_PROXY_BACKEND)
			r->ac += cur_sum(snap->proxies[i].st, false);
	r->fc = cur_sum(r->fe->st, false);
	/* The backend's streams other than this one: those on its servers
	 * and in its queue (this one released its server already, as in
	 * HAProxy's line). */
	r->bc = 0;
	for (size_t i = 0; be && i < be->n_srv; i++)
		r->bc += cur_sum(be->srv[i].st, false);
	r->bq = be ? cur_sum(be->st, true) : 0;
	r->bc += r->bq;
	r->sc = srv_stats ? cur_sum(srv_stats, false) : 0;
}
