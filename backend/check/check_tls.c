/* TLS for health checks: the SSL of one run, and the contexts it comes
 * from. A check of a server with 'ssl verify required ca-file F' (or
 * check-ssl with them) verifies the server's certificate as HAProxy's
 * check does: the chain against F, and the name (check-sni when sent,
 * else verifyhost); a failure is a failed check whose reason names the
 * verification error. Other TLS checks (keepalived's SSL_GET without
 * ssl_ca, 'verify none') share the engine's context, which verifies
 * nothing: the check is about the service answering.
 */
#include "config.h"

#include "check/check_int.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "util/strbuf.h"

static SSL_CTX *ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx)
		SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
				 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return ctx;
}

int check_tls_ctx(struct check_target *t, struct strbuf *err)
{
	SSL_CTX *ctx = ctx_new();
	unsigned long e;

	if (!ctx) {
		strbuf_puts(err, "cannot create a TLS context");
		return -1;
	}
	ERR_clear_error();
	if (!SSL_CTX_load_verify_locations(ctx, t->def.ca_file, NULL)) {
		char buf[256];

		e = ERR_get_error();
		ERR_error_string_n(e, buf, sizeof(buf));
		strbuf_printf(err, "ca-file %s: %s", t->def.ca_file, e ? buf : "cannot load it");
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return -1;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	t->ssl_ctx = ctx;
	return 0;
}

void check_tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

void *check_tls_new(struct check_target *t)
{
	SSL_CTX *ctx = t->ssl_ctx;
	SSL *ssl;

	if (!ctx) {
		if (!t->e->ssl_ctx) {
			t->e->ssl_ctx = ctx_new();
			if (t->e->ssl_ctx)
				SSL_CTX_set_verify(t->e->ssl_ctx, SSL_VERIFY_NONE, NULL);
		}
		ctx = t->e->ssl_ctx;
	}
	ssl = ctx ? SSL_new(ctx) : NULL;
	if (!ssl)
		return NULL;
	if (t->def.sni)
		SSL_set_tlsext_host_name(ssl, t->def.sni);
	if (t->ssl_ctx) {
		/* HAProxy verifies the name it sent, else verifyhost's;
		 * neither: the chain only. */
		const char *host = t->def.sni ? t->def.sni : t->def.verify_host;

		if (host && !SSL_set1_host(ssl, host)) {
			SSL_free(ssl);
			return NULL;
		}
	}
	return ssl;
}

bool check_tls_verify_error(void *ssl, struct strbuf *out)
{
	long v;

	if (SSL_get_verify_mode(ssl) == SSL_VERIFY_NONE)
		return false;
	/* X509_V_OK until a certificate was received and judged. */
	v = SSL_get_verify_result(ssl);
	if (v == X509_V_OK)
		return false;
	strbuf_printf(out, "certificate verify failed: %s", X509_verify_cert_error_string(v));
	return true;
}
