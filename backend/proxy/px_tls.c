/* The TLS side of a connection (px_tls.h): non-blocking handshakes and
 * I/O driven by the worker's epoll loop. OpenSSL tells which way a
 * blocked operation waits (SSL_ERROR_WANT_READ / WANT_WRITE); that is
 * kept per direction (rd_ev for reads, wr_ev for writes) so the session
 * watches what OpenSSL needs, not what it would for a plain socket.
 */
#include "config.h"

#include "proxy/px_tls.h"
#include "proxy/px_tls_int.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "util/xalloc.h"

#define TLS_CHUNK 16384		/* one TLS record of plain text at most */

struct px_tls {
	SSL *ssl;
	struct px_tls_ctx *ctx;	/* a reference: its callbacks (SNI, tickets)
				 * find it through the SSL_CTX, whatever
				 * snapshot the session has moved to */
	bool dead;		/* a fatal error: no close_notify */
	uint32_t rd_ev, wr_ev;	/* what a blocked read / write waits for */
	uint32_t hs_ev;		/* what the handshake waits for */
	bool hs_done;
	char err[160];		/* why the handshake failed */
};

/* ------------------------------------------------------------------ */
/* The ex_data slot (set once, read-only afterwards)                   */

static int ctx_index = -1;
static pthread_once_t ctx_index_once = PTHREAD_ONCE_INIT;

static void ctx_index_init(void)
{
	ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

int px_tls_ctx_index(void)
{
	pthread_once(&ctx_index_once, ctx_index_init);
	return ctx_index;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

static struct px_tls *tls_new(struct px_tls_ctx *c, int fd)
{
	struct px_tls *t;
	SSL *ssl = SSL_new(c->certs[0].ctx);

	if (!ssl)
		return NULL;
	if (!SSL_set_fd(ssl, fd)) {
		SSL_free(ssl);
		return NULL;
	}
	t = xcalloc(1, sizeof(*t));
	t->ssl = ssl;
	t->ctx = c;
	px_tls_ctx_ref(c);
	t->rd_ev = EPOLLIN;
	t->wr_ev = EPOLLOUT;
	t->hs_ev = EPOLLIN;
	return t;
}

struct px_tls *px_tls_accept(struct px_tls_ctx *c, int fd)
{
	struct px_tls *t = tls_new(c, fd);

	if (t)
		SSL_set_accept_state(t->ssl);
	return t;
}

struct px_tls *px_tls_connect(struct px_tls_ctx *c, int fd, const char *sni)
{
	struct px_tls *t = tls_new(c, fd);

	if (!t)
		return NULL;
	SSL_set_connect_state(t->ssl);
	if (sni && *sni) {
		SSL_set_tlsext_host_name(t->ssl, sni);
		/* Verified against the name it was asked for (HAProxy checks
		 * the SNI it sends when verify is on). */
		if (c->verify)
			SSL_set1_host(t->ssl, sni);
	} else if (c->verify && c->verify_host[0]) {
		/* No SNI: HAProxy verifies the name verifyhost gives. */
		SSL_set1_host(t->ssl, c->verify_host);
	}
	t->hs_ev = EPOLLOUT;
	return t;
}

void px_tls_free(struct px_tls *t)
{
	if (!t)
		return;
	if (t->hs_done && !t->dead) {
		/* A close_notify, so the peer sees an orderly end (one try:
		 * a full socket buffer drops it, the FIN still tells). */
		ERR_clear_error();
		SSL_shutdown(t->ssl);
		ERR_clear_error();
	}
	SSL_free(t->ssl);
	px_tls_ctx_unref(t->ctx);
	free(t);
}

/* The reason of a failed operation, from OpenSSL's queue (cleared). */
static void keep_error(struct px_tls *t, int code)
{
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, t->err, sizeof(t->err));
	else if (code == SSL_ERROR_SYSCALL)
		snprintf(t->err, sizeof(t->err), "%s", errno ? strerror(errno) : "connection closed");
	else
		snprintf(t->err, sizeof(t->err), "TLS error %d", code);
	ERR_clear_error();
}

int px_tls_handshake(struct px_tls *t)
{
	int r, code;

	if (t->hs_done)
		return 1;
	ERR_clear_error();
	r = SSL_do_handshake(t->ssl);
	if (r == 1) {
		t->hs_done = true;
		return 1;
	}
	code = SSL_get_error(t->ssl, r);
	if (code == SSL_ERROR_WANT_READ) {
		t->hs_ev = EPOLLIN;
		return 0;
	}
	if (code == SSL_ERROR_WANT_WRITE) {
		t->hs_ev = EPOLLOUT;
		return 0;
	}
	t->dead = true;
	keep_error(t, code);
	return -1;
}

const char *px_tls_error(const struct px_tls *t)
{
	return t->err[0] ? t->err : "handshake failed";
}

const char *px_tls_sni(const struct px_tls *t)
{
	const char *s = t ? SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name) : NULL;

	return s ? s : "";
}

const char *px_tls_version(const struct px_tls *t)
{
	return t ? SSL_get_version(t->ssl) : "";
}

const char *px_tls_cipher(const struct px_tls *t)
{
	return t ? SSL_get_cipher_name(t->ssl) : "";
}

/* ------------------------------------------------------------------ */
/* I/O                                                                 */

/* Maps a failed SSL_read / SSL_write to errno; *ev: what it waits for.
 * Returns 0 for a clean end of stream, else -1. */
static int io_fail(struct px_tls *t, int r, uint32_t *ev)
{
	int code = SSL_get_error(t->ssl, r);
	int saved = errno;

	switch (code) {
	case SSL_ERROR_WANT_READ:
		*ev = EPOLLIN;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		*ev = EPOLLOUT;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		t->dead = true;
		errno = saved ? saved : ECONNRESET;
		return -1;
	default:
		t->dead = true;
		keep_error(t, code);
		errno = EPROTO;
		return -1;
	}
}

ssize_t px_io_read(struct px_tls *t, int fd, void *buf, size_t n)
{
	int r;

	if (!t)
		return read(fd, buf, n);
	ERR_clear_error();
	errno = 0;
	r = SSL_read(t->ssl, buf, n > INT_MAX ? INT_MAX : (int)n);
	if (r > 0) {
		t->rd_ev = EPOLLIN;
		return r;
	}
	return io_fail(t, r, &t->rd_ev);
}

ssize_t px_io_writev(struct px_tls *t, int fd, const struct iovec *iov, int cnt)
{
	/* Gathered into one record's worth at a time: a head and the body
	 * behind it go out in one record, not two. Per thread, never
	 * shared. A retry after WANT_WRITE gathers the same bytes again
	 * (they were not counted as written), as OpenSSL requires. */
	static _Thread_local unsigned char chunk[TLS_CHUNK];
	size_t total = 0;
	int i = 0;
	size_t off = 0;	/* in iov[i] */

	if (!t)
		return cnt == 1 ? write(fd, iov[0].iov_base, iov[0].iov_len) : writev(fd, iov, cnt);
	for (;;) {
		size_t len = 0;
		int r;

		for (int k = i; k < cnt && len < TLS_CHUNK;) {
			size_t o = k == i ? off : 0, take = iov[k].iov_len - o;

			if (take > TLS_CHUNK - len)
				take = TLS_CHUNK - len;
			memcpy(chunk + len, (const char *)iov[k].iov_base + o, take);
			len += take;
			if (o + take < iov[k].iov_len)
				break;
			k++;
		}
		if (!len)
			return (ssize_t)total;
		ERR_clear_error();
		errno = 0;
		r = SSL_write(t->ssl, chunk, (int)len);
		if (r <= 0) {
			if (io_fail(t, r, &t->wr_ev) == 0)
				errno = EPIPE;
			return total ? (ssize_t)total : -1;
		}
		t->wr_ev = EPOLLOUT;
		total += (size_t)r;
		/* Move the cursor r bytes on. */
		for (size_t left = (size_t)r; left && i < cnt;) {
			size_t in = iov[i].iov_len - off;

			if (left < in) {
				off += left;
				left = 0;
			} else {
				left -= in;
				i++;
				off = 0;
			}
		}
	}
}

void px_io_shutdown(struct px_tls *t, int fd)
{
	if (t && t->hs_done) {
		/* close_notify, so the peer knows the stream ended here and
		 * was not cut; a full buffer drops it (the FIN still says). */
		ERR_clear_error();
		SSL_shutdown(t->ssl);
		ERR_clear_error();
	}
	shutdown(fd, SHUT_WR);
}

bool px_io_pending(const struct px_tls *t)
{
	return t && SSL_pending(t->ssl) > 0;
}

uint32_t px_io_events(const struct px_tls *t, uint32_t want)
{
	uint32_t ev;

	if (!t)
		return want;
	ev = want & ~(uint32_t)(EPOLLIN | EPOLLOUT);
	if (!t->hs_done)
		return ev | t->hs_ev;
	if (want & EPOLLIN)
		ev |= t->rd_ev;
	if (want & EPOLLOUT)
		ev |= t->wr_ev;
	return ev;
}

uint32_t px_io_ready(const struct px_tls *t, uint32_t ev)
{
	uint32_t r;

	if (!t)
		return ev;
	r = ev & ~(uint32_t)(EPOLLIN | EPOLLOUT);
	if (ev & t->rd_ev)
		r |= EPOLLIN;
	if (ev & t->wr_ev)
		r |= EPOLLOUT;
	return r;
}
