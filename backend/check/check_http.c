/* HTTP_GET, SSL_GET and HAProxy's option httpchk: connect (and for
 * SSL_GET a non-blocking TLS handshake), send the request, parse the
 * reply strictly (http_reply.h), judge it: status codes or ranges, the
 * MD5 digest of the body (keepalived), http-check expect (HAProxy).
 * keepalived's several url blocks are checked in turn, one connection
 * each; all must pass.
 */
#include "config.h"

#include "check/check_int.h"

#include "check/http_reply.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

/* Body bytes kept for `http-check expect string|rstring` (HAProxy looks
 * at its check buffer, 16 KiB by default, likewise). */
#define BODY_KEEP 16384
/* Reads per event: a fast server cannot hold the loop. */
#define READS_PER_EVENT 16

struct http_io {
	struct http_reply rp;
	size_t sent;
	bool need_body;
	EVP_MD_CTX *md;			/* when the probe has a digest */
	char *body;			/* BODY_KEEP bytes, for string checks */
	size_t body_len;
	SSL *ssl;			/* SSL_GET */
	bool handshaken;
};

static void http_abort(struct check_target *t)
{
	struct http_io *io = t->io;

	if (!io)
		return;
	if (io->ssl)
		SSL_free(io->ssl);
	if (io->md)
		EVP_MD_CTX_free(io->md);
	free(io->body);
	free(io);
	t->io = NULL;
}

static void on_body(const char *data, size_t len, void *arg)
{
	struct http_io *io = arg;

	if (io->md)
		EVP_DigestUpdate(io->md, data, len);
	if (io->body && io->body_len < BODY_KEEP) {
		size_t take = BODY_KEEP - io->body_len;

		if (take > len)
			take = len;
		memcpy(io->body + io->body_len, data, take);
		io->body_len += take;
	}
}

/* "200", "200-299", "200, 301-302" */
static void put_codes(struct strbuf *out, const struct check_http_probe *p)
{
	if (!p->n_codes) {
		strbuf_puts(out, "2xx or 3xx");
		return;
	}
	for (size_t i = 0; i < p->n_codes; i++) {
		if (i)
			strbuf_puts(out, ", ");
		if (p->codes[i].lo == p->codes[i].hi)
			strbuf_printf(out, "%d", p->codes[i].lo);
		else
			strbuf_printf(out, "%d-%d", p->codes[i].lo, p->codes[i].hi);
	}
}

static bool status_in(const struct check_http_probe *p, int status)
{
	if (!p->n_codes)
		return status >= 200 && status < 400;
	for (size_t i = 0; i < p->n_codes; i++)
		if (status >= p->codes[i].lo && status <= p->codes[i].hi)
			return true;
	return false;
}

static bool body_has(const struct http_io *io, const char *pat)
{
	return io->body && memmem(io->body, io->body_len, pat, strlen(pat)) != NULL;
}

static bool body_matches(const struct http_io *io, const regex_t *re)
{
	char *s = xstrndup(io->body ? io->body : "", io->body ? io->body_len : 0);
	bool m = regexec(re, s, 0, NULL, 0) == 0;

	free(s);
	return m;
}

static void http_start(struct check_target *t);

/* Judges a complete reply; ends the run, or goes on to the next url. */
static void judge(struct check_target *t)
{
	struct http_io *io = t->io;
	const struct check_http_probe *p = &t->def.probes[t->probe_idx];
	int status = io->rp.status;
	struct strbuf want = STRBUF_INIT;
	bool ok = true;

	switch (p->expect) {
	case CHECK_EXPECT_STATUS:
		ok = status_in(p, status) != p->negate;
		if (!ok) {
			put_codes(&want, p);
			check_run_end(t, false, CHECK_CODE_L7STS, "HTTP %d, expected %s%s", status,
				      p->negate ? "not " : "", want.data);
			strbuf_free(&want);
			return;
		}
		break;
	case CHECK_EXPECT_RSTATUS: {
		char code[8];

		snprintf(code, sizeof(code), "%d", status);
		if ((regexec(&p->re, code, 0, NULL, 0) == 0) == p->negate) {
			check_run_end(t, false, CHECK_CODE_L7STS, "HTTP %d, expected %sa status matching '%s'",
				      status, p->negate ? "not " : "", p->pattern);
			return;
		}
		break;
	}
	case CHECK_EXPECT_STRING:
		if (body_has(io, p->pattern) == p->negate) {
			check_run_end(t, false, CHECK_CODE_L7RSP, "HTTP %d, content check: '%s' %s",
				      status, p->pattern, p->negate ? "found" : "not found");
			return;
		}
		break;
	case CHECK_EXPECT_RSTRING:
		if (body_matches(io, &p->re) == p->negate) {
			check_run_end(t, false, CHECK_CODE_L7RSP, "HTTP %d, content check: /%s/ %s",
				      status, p->pattern, p->negate ? "matched" : "not matched");
			return;
		}
		break;
	}
	if (p->has_digest) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		char hex[2 * EVP_MAX_MD_SIZE + 1];

		EVP_DigestFinal_ex(io->md, md, &mdlen);
		for (unsigned i = 0; i < mdlen; i++)
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		hex[2 * mdlen] = '\0';
		if (strcmp(hex, p->digest) != 0) {
			check_run_end(t, false, CHECK_CODE_L7RSP,
				      "digest mismatch on %s: body MD5 %s, expected %s", p->path, hex,
				      p->digest);
			return;
		}
	}
	if (t->probe_idx + 1 < t->def.n_probes) {
		/* The next url, on a new connection, within the same run. */
		http_abort(t);
		check_conn_close(t, true);
		t->connected = false;
		t->probe_idx++;
		http_start(t);
		return;
	}
	if (t->def.n_probes > 1)
		check_run_end(t, true, CHECK_CODE_L7OK, "HTTP %d on all %zu urls", status,
			      t->def.n_probes);
	else
		check_run_end(t, true, CHECK_CODE_L7OK, "HTTP %d%s", status,
			      p->has_digest ? ", digest OK" : "");
}

/* Describes the TLS library's last error. */
static void tls_error(struct strbuf *out, SSL *ssl, int rc)
{
	int err = SSL_get_error(ssl, rc);
	unsigned long e = ERR_get_error();

	if (e) {
		char buf[256];

		ERR_error_string_n(e, buf, sizeof(buf));
		strbuf_puts(out, buf);
		ERR_clear_error();
	} else if (err == SSL_ERROR_SYSCALL) {
		strbuf_puts(out, errno ? strerror(errno) : "connection closed");
	} else {
		strbuf_printf(out, "TLS error %d", err);
	}
}

/* Waits for what the TLS layer wants. Returns true when it only wants
 * to wait. */
static bool tls_wait(struct check_target *t, SSL *ssl, int rc)
{
	switch (SSL_get_error(ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		check_conn_watch(t, EPOLLIN);
		return true;
	case SSL_ERROR_WANT_WRITE:
		check_conn_watch(t, EPOLLOUT);
		return true;
	default:
		return false;
	}
}

/* The handshake, as far as it goes now. Returns true once done. */
static bool tls_handshake(struct check_target *t, struct http_io *io)
{
	int rc;

	if (!io->ssl) {
		io->ssl = check_tls_new(t);
		if (!io->ssl || !SSL_set_fd(io->ssl, t->fd)) {
			check_run_end(t, false, CHECK_CODE_SOCKERR, "cannot set up TLS");
			return false;
		}
		t->timeout_code = CHECK_CODE_L6TOUT;
		t->timeout_what = "TLS handshake";
	}
	ERR_clear_error();
	rc = SSL_connect(io->ssl);
	if (rc == 1) {
		io->handshaken = true;
		t->timeout_code = CHECK_CODE_L7TOUT;
		t->timeout_what = "response";
		return true;
	}
	if (!tls_wait(t, io->ssl, rc)) {
		struct strbuf why = STRBUF_INIT;

		/* A certificate that does not verify says so, not just
		 * OpenSSL's "certificate verify failed". */
		if (!check_tls_verify_error(io->ssl, &why))
			tls_error(&why, io->ssl, rc);
		ERR_clear_error();
		check_run_end(t, false, CHECK_CODE_L6RSP, "TLS handshake failed: %s", why.data);
		strbuf_free(&why);
	}
	return false;
}

/* Sends what is left of the request. Returns true once all is sent. */
static bool send_request(struct check_target *t, struct http_io *io)
{
	const char *req = t->def.probes[t->probe_idx].request;
	size_t len = strlen(req);

	while (io->sent < len) {
		ssize_t n;

		if (io->ssl) {
			int rc;

			ERR_clear_error();
			rc = SSL_write(io->ssl, req + io->sent, (int)(len - io->sent));
			if (rc <= 0) {
				struct strbuf why = STRBUF_INIT;

				if (tls_wait(t, io->ssl, rc))
					return false;
				tls_error(&why, io->ssl, rc);
				check_run_end(t, false, CHECK_CODE_L7RSP, "cannot send the request: %s",
					      why.data);
				strbuf_free(&why);
				return false;
			}
			n = rc;
		} else {
			n = send(t->fd, req + io->sent, len - io->sent, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN) {
				check_conn_watch(t, EPOLLOUT);
				return false;
			}
			if (n < 0) {
				check_run_end(t, false, CHECK_CODE_L7RSP, "cannot send the request: %s",
					      strerror(errno));
				return false;
			}
		}
		io->sent += (size_t)n;
	}
	return true;
}

/* Reads and parses what came. Ends the run when the reply is complete,
 * malformed or cut. */
static void read_reply(struct check_target *t, struct http_io *io)
{
	char buf[16384];

	for (int i = 0; i < READS_PER_EVENT; i++) {
		ssize_t n;
		int rc;

		if (io->ssl) {
			ERR_clear_error();
			rc = SSL_read(io->ssl, buf, sizeof(buf));
			if (rc <= 0) {
				int err = SSL_get_error(io->ssl, rc);

				if (err == SSL_ERROR_ZERO_RETURN ||
				    (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0)) {
					n = 0;
				} else if (tls_wait(t, io->ssl, rc)) {
					return;
				} else {
					struct strbuf why = STRBUF_INIT;

					tls_error(&why, io->ssl, rc);
					check_run_end(t, false, CHECK_CODE_L7RSP, "TLS read failed: %s",
						      why.data);
					strbuf_free(&why);
					return;
				}
			} else {
				n = rc;
			}
		} else {
			n = recv(t->fd, buf, sizeof(buf), 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return;
			if (n < 0) {
				if (http_reply_has_status(&io->rp) && !io->need_body) {
					judge(t);
					return;
				}
				check_run_end(t, false, CHECK_CODE_L7RSP, "connection failed: %s",
					      strerror(errno));
				return;
			}
		}
		if (n == 0) {
			if (http_reply_eof(&io->rp) == HTTP_REPLY_ERROR &&
			    !(http_reply_has_status(&io->rp) && !io->need_body)) {
				check_run_end(t, false, CHECK_CODE_L7RSP, "invalid HTTP reply: %s",
					      io->rp.error);
				return;
			}
			judge(t);
			return;
		}
		rc = http_reply_feed(&io->rp, buf, (size_t)n, on_body, io);
		if (rc == HTTP_REPLY_ERROR) {
			check_run_end(t, false, CHECK_CODE_L7RSP, "invalid HTTP reply: %s",
				      io->rp.error);
			return;
		}
		/* Only the status matters: no need to wait for the rest. */
		if (rc == HTTP_REPLY_DONE || (!io->need_body && http_reply_has_status(&io->rp))) {
			judge(t);
			return;
		}
	}
}

static void http_event(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct check_target *t = arg;
	struct http_io *io = t->io;

	if (!t->connected) {
		if (!check_conn_established(t, events, true))
			return;
	}
	if (t->def.kind == CHECK_KIND_SSL && !io->handshaken && !tls_handshake(t, io))
		return;
	if (!t->def.n_probes) {
		/* HAProxy's check-ssl without httpchk: the handshake is it. */
		check_run_end(t, true, CHECK_CODE_L6OK, "TLS handshake done (%s)",
			      SSL_get_version(io->ssl));
		return;
	}
	if (!send_request(t, io))
		return;
	check_conn_watch(t, EPOLLIN);
	read_reply(t, io);
}

static void http_start(struct check_target *t)
{
	struct http_io *io = xcalloc(1, sizeof(*io));

	http_reply_init(&io->rp);
	if (!t->def.n_probes) {	/* a handshake only (check-ssl) */
		t->io = io;
		check_conn_open(t, http_event);
		return;
	}
	const struct check_http_probe *p = &t->def.probes[t->probe_idx];

	io->need_body = p->has_digest || p->expect == CHECK_EXPECT_STRING ||
			p->expect == CHECK_EXPECT_RSTRING;
	if (p->has_digest) {
		io->md = EVP_MD_CTX_new();
		if (!io->md || !EVP_DigestInit_ex(io->md, EVP_md5(), NULL)) {
			free(io);
			check_run_end(t, false, CHECK_CODE_SOCKERR, "MD5 is not available");
			return;
		}
	}
	if (p->expect == CHECK_EXPECT_STRING || p->expect == CHECK_EXPECT_RSTRING)
		io->body = xmalloc(BODY_KEEP);
	t->io = io;
	check_conn_open(t, http_event);
}

const struct check_ops check_http_ops = {
	.name = "HTTP_GET",
	.start = http_start,
	.abort = http_abort,
};
