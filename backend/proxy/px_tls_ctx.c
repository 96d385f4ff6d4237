/* TLS contexts of the proxy (px_tls.h), built from the words of a bind
 * line (hap_kw_ssl.c checked them) or a server's TLS options.
 *
 * A bind gets one SSL_CTX per certificate; the first one is the one the
 * handshake starts on, and its servername callback moves the connection
 * to the certificate whose names match the client's SNI. All of them
 * get the same settings, so only the certificate changes.
 *
 * Secure defaults (what a bind without options gets): TLS 1.2 at least,
 * ECDHE key exchange with AEAD ciphers only, no renegotiation, no
 * compression, the server's cipher order, session tickets whose keys
 * change every hour (derived from a random secret of the context and the
 * hour's number: no state a worker writes, and a ticket stays good for
 * two hours at most).
 */
#include "config.h"

#include "proxy/px_tls.h"
#include "proxy/px_tls_int.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "config/model-t.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DEFAULT_CIPHERS "ECDHE+AESGCM:ECDHE+CHACHA20"
#define DEFAULT_GROUPS "X25519:P-256:P-384"
#define TICKET_PERIOD_S 3600
#define SESSION_LIFETIME_S 300	/* HAProxy's tune.ssl.lifetime */

/* The last OpenSSL error, as text (the queue is cleared). */
static void ossl_err(struct strbuf *err)
{
	unsigned long e = ERR_get_error(), last = e;
	char buf[256];

	while (e) {
		last = e;
		e = ERR_get_error();
	}
	if (!last) {
		strbuf_puts(err, "unknown error");
		return;
	}
	ERR_error_string_n(last, buf, sizeof(buf));
	strbuf_puts(err, buf);
}

const char *px_tls_ctx_sni(const struct px_tls_ctx *c, bool *client)
{
	*client = c->sni_from_client;
	return c->sni[0] ? c->sni : NULL;
}

void px_tls_ctx_ref(struct px_tls_ctx *c)
{
	atomic_fetch_add(&c->refs, 1);
}

void px_tls_ctx_unref(struct px_tls_ctx *c)
{
	if (!c || atomic_fetch_sub(&c->refs, 1) != 1)
		return;
	for (size_t i = 0; i < c->n_certs; i++) {
		SSL_CTX_free(c->certs[i].ctx);
		for (size_t k = 0; k < c->certs[i].n_names; k++)
			free(c->certs[i].names[k]);
		free(c->certs[i].names);
	}
	free(c->certs);
	free(c->alpn);
	free(c->key);
	OPENSSL_cleanse(c->secret, sizeof(c->secret));
	free(c);
}

/* ------------------------------------------------------------------ */
/* Session tickets                                                     */

/* The AES and HMAC keys of period `epoch`. */
static void ticket_keys(const struct px_tls_ctx *c, uint64_t epoch, unsigned char aes[32],
			unsigned char mac[32])
{
	unsigned char in[9];
	unsigned int len = 32;

	for (int i = 0; i < 8; i++)
		in[i] = (unsigned char)(epoch >> (8 * i));
	in[8] = 'a';
	HMAC(EVP_sha256(), c->secret, sizeof(c->secret), in, sizeof(in), aes, &len);
	in[8] = 'm';
	len = 32;
	HMAC(EVP_sha256(), c->secret, sizeof(c->secret), in, sizeof(in), mac, &len);
}

/* OpenSSL's ticket key callback: encrypt with this hour's keys, decrypt
 * with this hour's or the last one's (and then ask for a new ticket). */
static int ticket_cb(SSL *ssl, unsigned char name[16], unsigned char *iv, EVP_CIPHER_CTX *ectx,
		     EVP_MAC_CTX *hctx, int enc)
{
	struct px_tls_ctx *c = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), px_tls_ctx_index());
	uint64_t now = (uint64_t)time(NULL) / TICKET_PERIOD_S, epoch = now;
	unsigned char aes[32], mac[32];
	OSSL_PARAM params[3];
	int ret = 1;

	if (!c)
		return -1;
	if (enc) {
		memcpy(name, c->id, 8);
		for (int i = 0; i < 8; i++)
			name[8 + i] = (unsigned char)(now >> (8 * i));
		if (RAND_bytes(iv, EVP_MAX_IV_LENGTH) <= 0)
			return -1;
	} else {
		if (memcmp(name, c->id, 8) != 0)
			return 0;	/* not ours (another reload's): full handshake */
		epoch = 0;
		for (int i = 0; i < 8; i++)
			epoch |= (uint64_t)name[8 + i] << (8 * i);
		if (epoch != now && epoch + 1 != now)
			return 0;
		ret = epoch == now ? 1 : 2;
	}
	ticket_keys(c, epoch, aes, mac);
	params[0] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, mac, sizeof(mac));
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[2] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(hctx, params) ||
	    !EVP_CipherInit_ex(ectx, EVP_aes_256_cbc(), NULL, aes, iv, enc))
		ret = -1;
	OPENSSL_cleanse(aes, sizeof(aes));
	OPENSSL_cleanse(mac, sizeof(mac));
	return ret;
}

/* ------------------------------------------------------------------ */
/* SNI and ALPN                                                        */

static bool name_matches(const char *pat, const char *host)
{
	if (strcasecmp(pat, host) == 0)
		return true;
	/* *.example.com covers one label, as browsers and HAProxy do. */
	if (pat[0] == '*' && pat[1] == '.') {
		const char *dot = strchr(host, '.');

		return dot && dot != host && strcasecmp(pat + 1, dot) == 0;
	}
	return false;
}

/* The certificate for host: an exact name first, then a wildcard, else
 * -1. Negative filters (!name) of a crt-list line exclude it. */
static int cert_for(const struct px_tls_ctx *c, const char *host)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->n_certs; i++) {
			const struct px_tls_cert *ce = &c->certs[i];
			bool hit = false, excluded = false;

			for (size_t k = 0; k < ce->n_names; k++) {
				const char *n = ce->names[k];

				if (n[0] == '!') {
					excluded |= name_matches(n + 1, host);
					continue;
				}
				if ((n[0] == '*') == (pass == 1) && name_matches(n, host))
					hit = true;
			}
			if (hit && !excluded)
				return (int)i;
		}
	return -1;
}

static int servername_cb(SSL *ssl, int *alert, void *arg)
{
	struct px_tls_ctx *c = arg;
	const char *host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	int i = host ? cert_for(c, host) : -1;

	if (i < 0) {
		if (c->strict_sni) {
			*alert = SSL_AD_UNRECOGNIZED_NAME;
			return SSL_TLSEXT_ERR_ALERT_FATAL;
		}
		return SSL_TLSEXT_ERR_OK;	/* the default: the first */
	}
	if (i > 0 && !SSL_set_SSL_CTX(ssl, c->certs[i].ctx))
		return SSL_TLSEXT_ERR_ALERT_FATAL;
	return SSL_TLSEXT_ERR_OK;
}

static int alpn_cb(SSL *ssl, const unsigned char **out, unsigned char *outlen,
		   const unsigned char *in, unsigned int inlen, void *arg)
{
	struct px_tls_ctx *c = arg;

	(void)ssl;
	if (SSL_select_next_proto((unsigned char **)out, outlen, c->alpn, (unsigned)c->alpn_len, in,
				  inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;	/* no protocol in common: none */
	return SSL_TLSEXT_ERR_OK;
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */

struct bind_opts {
	char **crt;		/* files or directories, in order */
	size_t n_crt;
	const char *crt_list, *ca_file, *ciphers, *suites, *curves, *alpn;
	int verify;		/* SSL_VERIFY_* */
	int min_ver, max_ver;
	bool no_tickets, strict_sni;
};

static int tls_ver(const char *v)
{
	return strcmp(v, "TLSv1.3") == 0 ? TLS1_3_VERSION : TLS1_2_VERSION;
}

/* Words of ssl-default-bind-options or a bind line that set versions
 * and tickets. Returns how many words w[i..] used (0: not such a word). */
static int version_word(struct bind_opts *o, char **w, size_t i, size_t n)
{
	if (strcmp(w[i], "no-tlsv12") == 0) {
		o->min_ver = TLS1_3_VERSION;
		return 1;
	}
	if (strcmp(w[i], "no-tlsv13") == 0) {
		o->max_ver = TLS1_2_VERSION;
		return 1;
	}
	if (strcmp(w[i], "no-sslv3") == 0 || strcmp(w[i], "no-tlsv10") == 0 ||
	    strcmp(w[i], "no-tlsv11") == 0)
		return 1;	/* never spoken anyway */
	if (strcmp(w[i], "no-tls-tickets") == 0) {
		o->no_tickets = true;
		return 1;
	}
	if (strcmp(w[i], "ssl-min-ver") == 0 && i + 1 < n) {
		o->min_ver = tls_ver(w[i + 1]);
		return 2;
	}
	if (strcmp(w[i], "ssl-max-ver") == 0 && i + 1 < n) {
		o->max_ver = tls_ver(w[i + 1]);
		return 2;
	}
	return 0;
}

static void split(const char *s, char ***w, size_t *n)
{
	char *copy = xstrdup(s ? s : ""), *save = NULL;

	*w = NULL;
	*n = 0;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		*w = xreallocarray(*w, *n + 1, sizeof(**w));
		(*w)[(*n)++] = xstrdup(t);
	}
	free(copy);
}

static void free_words(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* The settings every context of c shares. */
static bool ctx_setup(struct px_tls_ctx *c, SSL_CTX *ctx, const struct bind_opts *o,
		      struct strbuf *err)
{
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
				 SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF |
				 SSL_OP_SINGLE_ECDH_USE | (o->no_tickets ? SSL_OP_NO_TICKET : 0));
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_min_proto_version(ctx, o->min_ver);
	SSL_CTX_set_max_proto_version(ctx, o->max_ver);
	if (!SSL_CTX_set_cipher_list(ctx, o->ciphers ? o->ciphers : DEFAULT_CIPHERS)) {
		strbuf_printf(err, "ciphers '%s': ", o->ciphers ? o->ciphers : DEFAULT_CIPHERS);
		ossl_err(err);
		return false;
	}
	if (o->suites && !SSL_CTX_set_ciphersuites(ctx, o->suites)) {
		strbuf_printf(err, "ciphersuites '%s': ", o->suites);
		ossl_err(err);
		return false;
	}
	if (!SSL_CTX_set1_groups_list(ctx, o->curves ? o->curves : DEFAULT_GROUPS)) {
		strbuf_printf(err, "curves '%s': ", o->curves ? o->curves : DEFAULT_GROUPS);
		ossl_err(err);
		return false;
	}
	SSL_CTX_set_timeout(ctx, SESSION_LIFETIME_S);
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"softlb", 6);
	if (!SSL_CTX_set_ex_data(ctx, px_tls_ctx_index(), c))
		return false;
	if (!o->no_tickets)
		SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, ticket_cb);
	if (o->ca_file) {
		STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(o->ca_file);

		if (!SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL) || !names) {
			sk_X509_NAME_pop_free(names, X509_NAME_free);
			strbuf_printf(err, "ca-file %s: ", o->ca_file);
			ossl_err(err);
			return false;
		}
		SSL_CTX_set_client_CA_list(ctx, names);
	}
	SSL_CTX_set_verify(ctx, o->verify, NULL);
	if (c->alpn)
		SSL_CTX_set_alpn_select_cb(ctx, alpn_cb, c);
	return true;
}

/* The DNS names of the certificate in ctx: its subjectAltNames, else its
 * common name. */
static void cert_names(SSL_CTX *ctx, struct px_tls_cert *ce)
{
	X509 *x = SSL_CTX_get0_certificate(ctx);
	GENERAL_NAMES *alt = x ? X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL) : NULL;

	for (int i = 0; alt && i < sk_GENERAL_NAME_num(alt); i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(alt, i);

		if (g->type == GEN_DNS) {
			const unsigned char *s = ASN1_STRING_get0_data(g->d.dNSName);
			int len = ASN1_STRING_length(g->d.dNSName);

			ce->names = xreallocarray(ce->names, ce->n_names + 1, sizeof(*ce->names));
			ce->names[ce->n_names++] = xstrndup((const char *)s, (size_t)len);
		}
	}
	GENERAL_NAMES_free(alt);
	if (!ce->n_names && x) {
		char cn[256];

		if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
					      sizeof(cn)) > 0) {
			ce->names = xcalloc(1, sizeof(*ce->names));
			ce->names[ce->n_names++] = xstrdup(cn);
		}
	}
}

/* Loads one PEM file as HAProxy reads it (certificate, chain and key in
 * one file, or the key beside it in FILE.key) into a new context of c.
 * filters (may be NULL): crt-list names that replace the certificate's. */
static bool load_cert(struct px_tls_ctx *c, const struct bind_opts *o, const char *path,
		      char **filters, size_t n_filters, struct strbuf *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	struct px_tls_cert *ce;

	if (!ctx) {
		ossl_err(err);
		return false;
	}
	if (!SSL_CTX_use_certificate_chain_file(ctx, path)) {
		strbuf_printf(err, "crt %s: no certificate: ", path);
		ossl_err(err);
		SSL_CTX_free(ctx);
		return false;
	}
	if (!SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM)) {
		struct strbuf kp = STRBUF_INIT;
		bool ok;

		ERR_clear_error();
		strbuf_printf(&kp, "%s.key", path);
		ok = access(strbuf_str(&kp), R_OK) == 0 &&
		     SSL_CTX_use_PrivateKey_file(ctx, strbuf_str(&kp), SSL_FILETYPE_PEM);
		strbuf_free(&kp);
		if (!ok) {
			strbuf_printf(err, "crt %s: no private key in it (nor in %s.key)", path,
				      path);
			ERR_clear_error();
			SSL_CTX_free(ctx);
			return false;
		}
	}
	if (!SSL_CTX_check_private_key(ctx)) {
		strbuf_printf(err, "crt %s: the private key does not match the certificate", path);
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return false;
	}
	if (!ctx_setup(c, ctx, o, err)) {
		SSL_CTX_free(ctx);
		return false;
	}
	c->certs = xreallocarray(c->certs, c->n_certs + 1, sizeof(*c->certs));
	ce = &c->certs[c->n_certs++];
	memset(ce, 0, sizeof(*ce));
	ce->ctx = ctx;
	if (n_filters) {
		ce->names = xcalloc(n_filters, sizeof(*ce->names));
		for (size_t i = 0; i < n_filters; i++)
			ce->names[ce->n_names++] = xstrdup(filters[i]);
	} else {
		cert_names(ctx, ce);
	}
	return true;
}

static bool skipped_file(const char *name)
{
	static const char *const ext[] = { ".key", ".ocsp", ".issuer", ".sctl", ".dh" };
	size_t n = strlen(name);

	if (name[0] == '.')
		return true;
	for (size_t i = 0; i < sizeof(ext) / sizeof(*ext); i++) {
		size_t e = strlen(ext[i]);

		if (n > e && strcmp(name + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

/* crt FILE|DIR: a file, or every certificate file of a directory in
 * name order (HAProxy's rule; the files beside them, .key and such,
 * are not certificates). */
static bool load_crt(struct px_tls_ctx *c, const struct bind_opts *o, const char *path,
		     struct strbuf *err)
{
	struct stat sb;
	struct dirent **ents = NULL;
	int n;
	bool ok = true;

	if (stat(path, &sb) < 0) {
		strbuf_printf(err, "crt %s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(sb.st_mode))
		return load_cert(c, o, path, NULL, 0, err);
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		strbuf_printf(err, "crt %s: %s", path, strerror(errno));
		return false;
	}
	for (int i = 0; i < n; i++) {
		if (ok && !skipped_file(ents[i]->d_name)) {
			struct strbuf f = STRBUF_INIT;

			strbuf_printf(&f, "%s/%s", path, ents[i]->d_name);
			if (stat(strbuf_str(&f), &sb) == 0 && S_ISREG(sb.st_mode))
				ok = load_cert(c, o, strbuf_str(&f), NULL, 0, err);
			strbuf_free(&f);
		}
		free(ents[i]);
	}
	free(ents);
	if (ok && n >= 0 && c->n_certs == 0) {
		strbuf_printf(err, "crt %s: no certificate in the directory", path);
		ok = false;
	}
	return ok;
}

/* crt-list FILE: "PATH [SNI filter ...]" per line; '#' comments. */
static bool load_crt_list(struct px_tls_ctx *c, const struct bind_opts *o, const char *path,
			  struct strbuf *err)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int ln = 0;
	bool ok = true;

	if (!f) {
		strbuf_printf(err, "crt-list %s: %s", path, strerror(errno));
		return false;
	}
	while (ok && fgets(line, sizeof(line), f)) {
		char **w;
		size_t n;

		ln++;
		if (!strchr(line, '\n') && !feof(f)) {
			strbuf_printf(err, "%s:%d: line too long", path, ln);
			ok = false;
			break;
		}
		for (char *p = line; *p; p++)
			if (*p == '\t' || *p == '\r' || *p == '\n')
				*p = ' ';
		{
			char *hash = strchr(line, '#');

			if (hash)
				*hash = '\0';
		}
		split(line, &w, &n);
		if (n == 0) {
			free_words(w, n);
			continue;
		}
		for (size_t i = 1; i < n && ok; i++)
			if (w[i][0] == '[') {
				strbuf_printf(err, "%s:%d: per-certificate options ([...]) are not "
					      "implemented by softlb", path, ln);
				ok = false;
			}
		if (ok) {
			size_t before = err->len;

			ok = load_cert(c, o, w[0], w + 1, n - 1, err);
			if (!ok) {
				/* Say which line of the list it was. */
				struct strbuf m = STRBUF_INIT;

				strbuf_printf(&m, "%s:%d: ", path, ln);
				strbuf_append(&m, err->data + before, err->len - before);
				err->len = before;
				strbuf_puts(err, strbuf_str(&m));
				strbuf_free(&m);
			}
		}
		free_words(w, n);
	}
	fclose(f);
	if (ok && c->n_certs == 0) {
		strbuf_printf(err, "crt-list %s: no certificate in it", path);
		ok = false;
	}
	return ok;
}

/* "http/1.1,http/1.0" in ALPN wire format. */
static void alpn_wire(struct px_tls_ctx *c, const char *list)
{
	size_t n = strlen(list), k = 0;
	char *copy = xstrdup(list), *save = NULL;

	c->alpn = xmalloc(n + 1);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(t);

		c->alpn[k++] = (unsigned char)len;
		memcpy(c->alpn + k, t, len);
		k += len;
	}
	c->alpn_len = k;
	free(copy);
}

static char *bind_key(const struct cfg_bind_ssl *b, const struct cfg_hap_global *g)
{
	struct strbuf k = STRBUF_INIT;

	strbuf_printf(&k, "%s\n%s\n%s\n%s\n%s\n%s", b->opts, b->stamp ? b->stamp : "",
		      g->ssl_bind_ciphers ? g->ssl_bind_ciphers : "",
		      g->ssl_bind_ciphersuites ? g->ssl_bind_ciphersuites : "",
		      g->ssl_bind_options ? g->ssl_bind_options : "", b->bind);
	return strbuf_detach(&k);
}

struct px_tls_ctx *px_tls_ctx_bind(const struct cfg_bind_ssl *b, const struct cfg_hap_global *g,
				   struct px_tls_ctx *old, struct strbuf *err)
{
	char *key = bind_key(b, g);
	struct px_tls_ctx *c;
	struct bind_opts o;
	char **w, **gw;
	size_t n, gn;
	bool ok = true;
	size_t before = err->len;

	if (old && old->key && strcmp(old->key, key) == 0) {
		free(key);
		px_tls_ctx_ref(old);
		return old;
	}
	c = xcalloc(1, sizeof(*c));
	atomic_init(&c->refs, 1);
	c->key = key;
	if (RAND_bytes(c->secret, sizeof(c->secret)) <= 0 || RAND_bytes(c->id, sizeof(c->id)) <= 0) {
		strbuf_puts(err, "no random bytes for the ticket keys");
		px_tls_ctx_unref(c);
		return NULL;
	}
	memset(&o, 0, sizeof(o));
	o.min_ver = TLS1_2_VERSION;
	o.max_ver = TLS1_3_VERSION;
	o.ciphers = g->ssl_bind_ciphers;
	o.suites = g->ssl_bind_ciphersuites;
	o.verify = SSL_VERIFY_NONE;
	split(g->ssl_bind_options, &gw, &gn);
	for (size_t i = 0; i < gn;) {
		int used = version_word(&o, gw, i, gn);

		i += used ? (size_t)used : 1;
	}
	split(b->opts, &w, &n);
	for (size_t i = 0; i < n;) {
		int used = version_word(&o, w, i, n);
		const char *a = i + 1 < n ? w[i + 1] : NULL;

		if (used) {
			i += (size_t)used;
			continue;
		}
		if (!a || strcmp(w[i], "ssl") == 0 || strcmp(w[i], "strict-sni") == 0) {
			o.strict_sni |= strcmp(w[i], "strict-sni") == 0;
			i++;
			continue;
		}
		if (strcmp(w[i], "crt") == 0) {
			o.crt = xreallocarray(o.crt, o.n_crt + 1, sizeof(*o.crt));
			o.crt[o.n_crt++] = w[i + 1];
		} else if (strcmp(w[i], "crt-list") == 0) {
			o.crt_list = a;
		} else if (strcmp(w[i], "ca-file") == 0) {
			o.ca_file = a;
		} else if (strcmp(w[i], "verify") == 0) {
			o.verify = strcmp(a, "none") == 0 ? SSL_VERIFY_NONE
				   : strcmp(a, "optional") == 0
				   ? SSL_VERIFY_PEER
				   : SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
		} else if (strcmp(w[i], "alpn") == 0) {
			o.alpn = a;
		} else if (strcmp(w[i], "ciphers") == 0) {
			o.ciphers = a;
		} else if (strcmp(w[i], "ciphersuites") == 0) {
			o.suites = a;
		} else if (strcmp(w[i], "curves") == 0) {
			o.curves = a;
		}
		i += 2;
	}
	c->strict_sni = o.strict_sni;
	if (o.min_ver > o.max_ver) {
		strbuf_puts(err, "no TLS version left (the minimum is above the maximum)");
		ok = false;
	}
	if (ok && o.verify != SSL_VERIFY_NONE && !o.ca_file) {
		strbuf_puts(err, "verify optional|required needs a ca-file to verify clients against");
		ok = false;
	}
	if (ok && o.alpn)
		alpn_wire(c, o.alpn);
	for (size_t i = 0; ok && i < o.n_crt; i++)
		ok = load_crt(c, &o, o.crt[i], err);
	if (ok && o.crt_list)
		ok = load_crt_list(c, &o, o.crt_list, err);
	if (ok) {
		/* The handshake starts on the first certificate's context:
		 * its callback picks the one the client's SNI names. */
		SSL_CTX_set_tlsext_servername_callback(c->certs[0].ctx, servername_cb);
		SSL_CTX_set_tlsext_servername_arg(c->certs[0].ctx, c);
	}
	free(o.crt);
	free_words(w, n);
	free_words(gw, gn);
	if (!ok) {
		struct strbuf m = STRBUF_INIT;

		/* FILE:LINE of the bind line first, as every load error. */
		strbuf_printf(&m, "%s:%d: bind %s: ", b->loc.file ? b->loc.file : "?", b->loc.line,
			      b->bind);
		strbuf_append(&m, err->data + before, err->len - before);
		err->len = before;
		strbuf_puts(err, strbuf_str(&m));
		strbuf_free(&m);
		ERR_clear_error();
		px_tls_ctx_unref(c);
		return NULL;
	}
	return c;
}

/* ------------------------------------------------------------------ */
/* Servers                                                             */

static char *server_key(const struct cfg_server *cs)
{
	struct strbuf k = STRBUF_INIT;

	strbuf_printf(&k, "srv\n%d\n%s\n%s\n%s\n%s", cs->o.ssl_verify, cs->o.ssl_ca, cs->o.ssl_crt,
		      cs->o.ssl_sni, cs->o.ssl_verifyhost);
	return strbuf_detach(&k);
}

struct px_tls_ctx *px_tls_ctx_server(const struct cfg_server *cs, const char *proxy,
				     struct px_tls_ctx *old, struct strbuf *err)
{
	char *key = server_key(cs);
	struct px_tls_ctx *c;
	SSL_CTX *ctx;
	bool ok = true;
	size_t before = err->len;

	if (old && old->key && strcmp(old->key, key) == 0) {
		free(key);
		px_tls_ctx_ref(old);
		return old;
	}
	c = xcalloc(1, sizeof(*c));
	atomic_init(&c->refs, 1);
	c->key = key;
	c->client = true;
	c->verify = cs->o.ssl_verify != 0;
	snprintf(c->verify_host, sizeof(c->verify_host), "%s", cs->o.ssl_verifyhost);
	if (strncmp(cs->o.ssl_sni, "str(", 4) == 0) {
		size_t n = strlen(cs->o.ssl_sni);

		snprintf(c->sni, sizeof(c->sni), "%.*s", (int)(n - 5), cs->o.ssl_sni + 4);
	} else if (strcmp(cs->o.ssl_sni, "ssl_fc_sni") == 0) {
		c->sni_from_client = true;
	}
	ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx) {
		ossl_err(err);
		px_tls_ctx_unref(c);
		return NULL;
	}
	c->certs = xcalloc(1, sizeof(*c->certs));
	c->certs[0].ctx = ctx;
	c->n_certs = 1;
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
				 SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
			      SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (c->verify) {
		if (!SSL_CTX_load_verify_locations(ctx, cs->o.ssl_ca, NULL)) {
			strbuf_printf(err, "ca-file %s: ", cs->o.ssl_ca);
			ossl_err(err);
			ok = false;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	} else {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	if (ok && cs->o.ssl_crt[0]) {
		if (!SSL_CTX_use_certificate_chain_file(ctx, cs->o.ssl_crt) ||
		    !SSL_CTX_use_PrivateKey_file(ctx, cs->o.ssl_crt, SSL_FILETYPE_PEM) ||
		    !SSL_CTX_check_private_key(ctx)) {
			strbuf_printf(err, "crt %s: ", cs->o.ssl_crt);
			ossl_err(err);
			ok = false;
		}
	}
	if (!ok) {
		struct strbuf m = STRBUF_INIT;

		strbuf_printf(&m, "%s:%d: server %s/%s: ", cs->loc.file ? cs->loc.file : "?",
			      cs->loc.line, proxy, cs->name);
		strbuf_append(&m, err->data + before, err->len - before);
		err->len = before;
		strbuf_puts(err, strbuf_str(&m));
		strbuf_free(&m);
		ERR_clear_error();
		px_tls_ctx_unref(c);
		return NULL;
	}
	return c;
}
