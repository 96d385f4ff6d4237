/* px_tls.h: TLS in the proxy. Contexts (px_tls_ctx.c) are built in the
 * control plane when a snapshot is built, from the model's words, and
 * never change afterwards: workers only read them, and each connection
 * holds its own OpenSSL reference to the context it started with, so a
 * reload with new certificates serves them to new connections while
 * established ones keep theirs.
 *
 * The I/O (px_tls.c) is what a session reads, writes and shuts through:
 * a NULL struct px_tls is a plain socket, so the session code has one
 * path for both. Everything is non-blocking: an operation that cannot
 * go on fails with errno EAGAIN, and px_io_events() says which epoll
 * events it waits for (a TLS read may wait for the socket to be
 * writable, and a write for it to be readable).
 */
#ifndef SOFTLB_PROXY_PX_TLS_H
#define SOFTLB_PROXY_PX_TLS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct strbuf;
struct cfg_bind_ssl;
struct cfg_hap_global;
struct cfg_server;
struct px_tls_ctx;
struct px_tls;

/* ---- contexts (px_tls_ctx.c) ---- */

/* The contexts of a TLS bind: one per certificate, chosen by SNI (exact
 * name, then wildcard, else the first). old (may be NULL): a context of
 * the running snapshot for the same bind, taken over (a reference) when
 * neither the words nor the files changed. NULL with the reason in err,
 * naming the bind's FILE:LINE and the file at fault. */
struct px_tls_ctx *px_tls_ctx_bind(const struct cfg_bind_ssl *b, const struct cfg_hap_global *g,
				   struct px_tls_ctx *old, struct strbuf *err);
/* The client context for TLS to server cs (ssl, verify, ca-file, crt);
 * old as above. */
struct px_tls_ctx *px_tls_ctx_server(const struct cfg_server *cs, const char *proxy,
				     struct px_tls_ctx *old, struct strbuf *err);
/* A server context's SNI: the name to send (NULL: none), and *client
 * true when it is the client's own (sni ssl_fc_sni). */
const char *px_tls_ctx_sni(const struct px_tls_ctx *c, bool *client);
void px_tls_ctx_ref(struct px_tls_ctx *c);
/* Drops a reference (any thread); the last one frees the contexts. */
void px_tls_ctx_unref(struct px_tls_ctx *c);

/* ---- connections (px_tls.c) ---- */

/* A TLS server side on accepted socket fd, or NULL (out of memory). */
struct px_tls *px_tls_accept(struct px_tls_ctx *c, int fd);
/* A TLS client side on connected socket fd, SNI sni (NULL: none). */
struct px_tls *px_tls_connect(struct px_tls_ctx *c, int fd, const char *sni);
void px_tls_free(struct px_tls *t);
/* Drives the handshake: 1 done, 0 waiting (px_io_events), -1 failed
 * (px_tls_error says why). */
int px_tls_handshake(struct px_tls *t);
const char *px_tls_error(const struct px_tls *t);
/* The SNI the client sent ("" if none) and the version and cipher agreed. */
const char *px_tls_sni(const struct px_tls *t);
const char *px_tls_version(const struct px_tls *t);
const char *px_tls_cipher(const struct px_tls *t);

/* read(2) / writev(2) / shutdown(SHUT_WR) through t (NULL: plain).
 * read returns 0 at the end of the stream (a close_notify, or the peer
 * closing), -1 with errno (EAGAIN: wait). writev writes what it can and
 * returns the count, -1 with EAGAIN when nothing could go. */
ssize_t px_io_read(struct px_tls *t, int fd, void *buf, size_t n);
ssize_t px_io_writev(struct px_tls *t, int fd, const struct iovec *iov, int cnt);
void px_io_shutdown(struct px_tls *t, int fd);
/* Bytes decrypted and waiting inside t: readable whatever epoll says. */
bool px_io_pending(const struct px_tls *t);
/* The epoll events to watch for want (EPOLLIN: to read, EPOLLOUT: to
 * write), and back: which of EPOLLIN / EPOLLOUT events ev means for
 * reading and writing. */
uint32_t px_io_events(const struct px_tls *t, uint32_t want);
uint32_t px_io_ready(const struct px_tls *t, uint32_t ev);

#endif
