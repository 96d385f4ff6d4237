/* px_tls_int.h: what px_tls.c and px_tls_ctx.c share (OpenSSL types;
 * the rest of the proxy sees px_tls.h only). */
#ifndef SOFTLB_PROXY_PX_TLS_INT_H
#define SOFTLB_PROXY_PX_TLS_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

/* One certificate of a bind and the names it answers for. */
struct px_tls_cert {
	SSL_CTX *ctx;
	char **names;		/* "www.example.com", "*.example.com", "!x" (crt-list) */
	size_t n_names;
};

/* Read-only once built, shared by the workers; counted. */
struct px_tls_ctx {
	_Atomic int refs;
	char *key;			/* the words and files it was built from */
	struct px_tls_cert *certs;	/* a bind: the first is the default;
					 * a server: one, the client context */
	size_t n_certs;
	unsigned char *alpn;		/* wire format, or NULL */
	size_t alpn_len;
	bool strict_sni;
	unsigned char secret[32];	/* ticket keys derive from it */
	unsigned char id[8];		/* names its tickets */
	bool client;			/* a server's context */
	bool verify;			/* server: verify its certificate */
	char sni[128];			/* server: the SNI sent, "" none */
	char verify_host[128];		/* server: verifyhost, checked when no
					 * SNI is sent */
	bool sni_from_client;		/* server: sni ssl_fc_sni */
};

/* The ex_data slot of an SSL_CTX that points to its px_tls_ctx. */
int px_tls_ctx_index(void);

#endif
