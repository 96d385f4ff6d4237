#include "config.h"

/* The haproxy-dialect TLS keywords: the TLS words of a bind line, the
 * server's ssl options and the global ssl-default-bind-* lines. Only the
 * words are checked here (the configuration layer never sees OpenSSL);
 * the proxy engine builds the contexts from them at load and refuses a
 * bad certificate, key or list with the line they came from. */

#include "config/conf.h"
#include "config/hap_parse.h"
#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The TLS words of a bind line softlb implements, with their argument
 * count. */
static const struct {
	const char *name;
	unsigned char nargs;
} tls_words[] = {
	{ "ssl", 0 }, { "crt", 1 }, { "crt-list", 1 }, { "ca-file", 1 },
	{ "verify", 1 }, { "alpn", 1 }, { "ssl-min-ver", 1 }, { "ssl-max-ver", 1 },
	{ "ciphers", 1 }, { "ciphersuites", 1 }, { "no-tls-tickets", 0 },
	{ "no-sslv3", 0 }, { "no-tlsv10", 0 }, { "no-tlsv11", 0 }, { "no-tlsv12", 0 },
	{ "no-tlsv13", 0 }, { "curves", 1 }, { "strict-sni", 0 },
};

#define N_TLS_WORDS (sizeof(tls_words) / sizeof(*tls_words))

int hap_bind_tls_word(const char *w)
{
	for (size_t k = 0; k < N_TLS_WORDS; k++)
		if (strcmp(tls_words[k].name, w) == 0)
			return tls_words[k].nargs;
	return -1;
}

static bool tls_version(const char *v)
{
	return strcmp(v, "TLSv1.2") == 0 || strcmp(v, "TLSv1.3") == 0;
}

/* Checks one word (and its argument) of a bind line. */
static bool check_word(struct hap_parser *p, const struct hap_line *l, size_t i)
{
	const char *w = l->argv[i], *a = i + 1 < l->argc ? l->argv[i + 1] : NULL;
	char key[64];

	snprintf(key, sizeof(key), "bind %s", w);
	if (hap_bind_tls_word(w) > 0 && !a)
		return hap_expects(p, l, key, i + 1, "a value");
	if (strcmp(w, "verify") == 0 && strcmp(a, "none") != 0 && strcmp(a, "optional") != 0 &&
	    strcmp(a, "required") != 0)
		return hap_expects(p, l, key, i + 1, "none, optional or required");
	if ((strcmp(w, "ssl-min-ver") == 0 || strcmp(w, "ssl-max-ver") == 0) && !tls_version(a)) {
		/* SSLv3, TLSv1.0 and TLSv1.1 are broken: softlb never speaks
		 * them, whatever the file asks. */
		return hap_expects(p, l, key, i + 1, "TLSv1.2 or TLSv1.3 (older versions are "
				   "refused: they are not safe)");
	}
	if (strcmp(w, "alpn") == 0) {
		char *copy = xstrdup(a), *save = NULL;
		bool ok = true;

		for (char *t = strtok_r(copy, ",", &save); t && ok; t = strtok_r(NULL, ",", &save))
			if (strcmp(t, "http/1.1") != 0 && strcmp(t, "http/1.0") != 0)
				ok = false;
		free(copy);
		if (!ok)	/* h2 would need an HTTP/2 engine */
			return hap_not_yet(p, l, "bind alpn h2", CONFIG_CHANGES_SEND);
	}
	return true;
}

static void stamp_file(struct strbuf *st, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0)
		strbuf_printf(st, "%s:%lld.%09ld:%lld:%llu;", path, (long long)sb.st_mtim.tv_sec,
			      sb.st_mtim.tv_nsec, (long long)sb.st_size,
			      (unsigned long long)sb.st_ino);
	else
		strbuf_printf(st, "%s:-;", path);
}

/* A file, or each entry of a directory (crt DIR). */
static void stamp_path(struct strbuf *st, const char *path)
{
	struct dirent **ents = NULL;
	int n = scandir(path, &ents, NULL, alphasort);

	stamp_file(st, path);
	for (int i = 0; i < n; i++) {
		struct strbuf f = STRBUF_INIT;

		if (ents[i]->d_name[0] != '.') {
			strbuf_printf(&f, "%s/%s", path, ents[i]->d_name);
			stamp_file(st, strbuf_str(&f));
		}
		strbuf_free(&f);
		free(ents[i]);
	}
	free(ents);
}

/* crt-list: the list, and the first word of each of its lines. */
static void stamp_list(struct strbuf *st, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];

	stamp_file(st, path);
	while (f && fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);

		if (w && w[0] != '#')
			stamp_path(st, w);
	}
	if (f)
		fclose(f);
}

/* global crt-base / ca-base DIR: later relative paths of this file are
 * taken in DIR, as HAProxy does. */
bool hap_set_tls_base(struct hap_parser *p, const struct hap_line *l)
{
	bool crt = strcmp(l->argv[0], "crt-base") == 0;
	char *dst = crt ? p->crt_base : p->ca_base;
	size_t cap = crt ? sizeof(p->crt_base) : sizeof(p->ca_base);

	if (strlen(l->argv[1]) >= cap - 1 || !l->argv[1][0])
		return hap_expects(p, l, l->argv[0], 1, "a directory name (at most 1,000 characters)");
	snprintf(dst, cap, "%s", l->argv[1]);
	return true;
}

/* path in base when it is relative and a base is set, into out. */
static const char *based(const char *base, const char *path, struct strbuf *out)
{
	strbuf_reset(out);
	if (!base[0] || path[0] == '/')
		strbuf_puts(out, path);
	else
		strbuf_printf(out, "%s%s%s", base, base[strlen(base) - 1] == '/' ? "" : "/", path);
	return strbuf_str(out);
}

/* With crt-base set, HAProxy also takes a crt-list's relative entries in
 * it; softlb reads the entries as written, so such a list is refused
 * rather than served with other certificates. */
static bool list_entries_absolute(struct hap_parser *p, const struct hap_line *l,
				  const char *path)
{
	FILE *f;
	char line[4096];
	int ln = 0;
	bool ok = true;

	if (!p->crt_base[0] || !(f = fopen(path, "r")))
		return true;	/* a missing list is reported when it loads */
	while (ok && fgets(line, sizeof(line), f)) {
		char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);

		ln++;
		if (w && w[0] != '#' && w[0] != '/') {
			hap_error(p, l, "crt-list %s:%d: '%s' is relative and crt-base is set: "
				  "softlb does not take crt-list entries in crt-base yet; write "
				  "the full path", path, ln, w);
			ok = false;
		}
	}
	fclose(f);
	return ok;
}

bool hap_bind_tls(struct hap_parser *p, const struct hap_line *l, size_t first)
{
	struct strbuf opts = STRBUF_INIT, stamp = STRBUF_INIT, full = STRBUF_INIT;
	bool ssl = false, crt = false, tls = false, ok = true;
	const char *path;

	for (size_t i = 2; i < l->argc && ok;) {
		int n = hap_bind_tls_word(l->argv[i]);

		if (n < 0) {
			i++;	/* another bind option: set_bind reads it */
			continue;
		}
		ok = check_word(p, l, i);
		tls = true;
		path = NULL;
		if (ok && (strcmp(l->argv[i], "crt") == 0 || strcmp(l->argv[i], "crt-list") == 0))
			path = based(p->crt_base, l->argv[i + 1], &full);
		else if (ok && strcmp(l->argv[i], "ca-file") == 0)
			path = based(p->ca_base, l->argv[i + 1], &full);
		if (path && strcmp(l->argv[i], "crt-list") == 0) {
			stamp_list(&stamp, path);
			ok = list_entries_absolute(p, l, path);
		} else if (path) {
			stamp_path(&stamp, path);
		}
		ssl |= strcmp(l->argv[i], "ssl") == 0;
		crt |= strcmp(l->argv[i], "crt") == 0 || strcmp(l->argv[i], "crt-list") == 0;
		for (int k = 0; k <= n && ok; k++) {
			const char *word = k == 1 && path ? path : l->argv[i + k];

			if (strchr(word, ' ')) {
				ok = hap_expects(p, l, "bind", i + k, "a word without spaces");
				break;
			}
			if (opts.len)
				strbuf_putc(&opts, ' ');
			strbuf_puts(&opts, word);
		}
		i += 1 + (size_t)n;
	}
	for (size_t i = 2; ok && tls && i < l->argc; i++)
		if (strcmp(l->argv[i], "accept-proxy") == 0)	/* the header would
								 * reach OpenSSL */
			ok = hap_not_yet(p, l, "bind accept-proxy with ssl", CONFIG_CHANGES_ADMIT);
	if (ok && tls && !ssl) {
		hap_error(p, l, "'bind' has TLS options but no 'ssl': the address would serve "
			  "plain text");
		ok = false;
	}
	if (ok && ssl && !crt) {
		hap_error(p, l, "'bind ... ssl' needs a certificate: 'crt FILE|DIR' or 'crt-list FILE'");
		ok = false;
	}
	for (size_t j = first; ok && tls && j < p->px->n_binds; j++) {
		struct cfg_proxy *px = p->px;
		struct cfg_bind_ssl *b = CFG_APPEND(px->bind_ssl, px->n_bind_ssl, px->cap_bind_ssl);
		struct strbuf t = STRBUF_INIT;

		cfg_endpoint_text(&px->binds[j], &t);
		b->bind = strbuf_detach(&t);
		b->opts = xstrdup(strbuf_str(&opts));
		b->stamp = xstrdup(strbuf_str(&stamp));
		b->loc.file = l->file;
		b->loc.line = l->line;
	}
	strbuf_free(&opts);
	strbuf_free(&stamp);
	strbuf_free(&full);
	return ok;
}

/* ---- servers ---- */

static bool copy_arg(struct hap_parser *p, const struct hap_line *l, size_t i, const char *kw,
		     char *dst, size_t cap)
{
	if (strlen(l->argv[i]) >= cap) {
		char what[64];

		snprintf(what, sizeof(what), "at most %zu characters", cap - 1);
		return hap_expects(p, l, kw, i, what);
	}
	snprintf(dst, cap, "%s", l->argv[i]);
	return true;
}

/* A file argument, in base when it is relative (crt-base, ca-base). */
static bool copy_path(struct hap_parser *p, const struct hap_line *l, size_t i, const char *kw,
		      const char *base, char *dst, size_t cap)
{
	struct strbuf full = STRBUF_INIT;
	bool ok = true;

	based(base, l->argv[i], &full);
	if (full.len >= cap) {
		char what[64];

		snprintf(what, sizeof(what), "a path of at most %zu characters", cap - 1);
		ok = hap_expects(p, l, kw, i, what);
	} else {
		snprintf(dst, cap, "%s", strbuf_str(&full));
	}
	strbuf_free(&full);
	return ok;
}

bool hap_srv_ssl(struct hap_parser *p, const struct hap_line *l, size_t i,
		 struct cfg_server_opts *o)
{
	const char *w = l->argv[i], *a = i + 1 < l->argc ? l->argv[i + 1] : "";

	if (strcmp(w, "ssl") == 0) {
		o->ssl = 1;
	} else if (strcmp(w, "no-ssl") == 0) {
		o->ssl = 0;
	} else if (strcmp(w, "check-ssl") == 0) {
		o->check_ssl = 1;
	} else if (strcmp(w, "verify") == 0) {
		if (strcmp(a, "none") != 0 && strcmp(a, "required") != 0)
			return hap_expects(p, l, "verify", i + 1, "none or required");
		o->ssl_verify = strcmp(a, "required") == 0;
	} else if (strcmp(w, "ca-file") == 0) {
		return copy_path(p, l, i + 1, "ca-file", p->ca_base, o->ssl_ca, sizeof(o->ssl_ca));
	} else if (strcmp(w, "crt") == 0) {
		return copy_path(p, l, i + 1, "crt", p->crt_base, o->ssl_crt, sizeof(o->ssl_crt));
	} else if (strcmp(w, "sni") == 0) {
		size_t n = strlen(a);

		/* HAProxy takes a sample expression; softlb the two forms
		 * people write: a fixed name, and the client's own SNI. */
		if (strcmp(a, "ssl_fc_sni") != 0 &&
		    !(n > 5 && strncmp(a, "str(", 4) == 0 && a[n - 1] == ')'))
			return hap_not_yet(p, l, "server sni (an expression other than "
					   "str(NAME) or ssl_fc_sni)", CONFIG_CHANGES_SEND);
		return copy_arg(p, l, i + 1, "sni", o->ssl_sni, sizeof(o->ssl_sni));
	} else if (strcmp(w, "verifyhost") == 0) {
		return copy_arg(p, l, i + 1, "verifyhost", o->ssl_verifyhost,
				sizeof(o->ssl_verifyhost));
	} else if (strcmp(w, "check-sni") == 0) {
		return copy_arg(p, l, i + 1, "check-sni", o->check_sni, sizeof(o->check_sni));
	}
	return true;
}

bool hap_srv_ssl_check(struct hap_parser *p, const struct hap_line *l,
		       const struct cfg_server_opts *o)
{
	bool tls = o->ssl || o->check_ssl;

	if (!tls && (o->ssl_ca[0] || o->ssl_crt[0] || o->ssl_sni[0] || o->ssl_verifyhost[0] ||
		     o->check_sni[0])) {
		hap_error(p, l, "server has TLS options but neither 'ssl' nor 'check-ssl'");
		return false;
	}
	if (tls && o->ssl_verify != 0 && !o->ssl_ca[0]) {
		/* HAProxy's rule: verifying is the default, and without a
		 * CA there is nothing to verify against. */
		hap_error(p, l, "server 'ssl' verifies the server by default but has no "
			  "'ca-file'; add 'ca-file FILE', or 'verify none' if the network is "
			  "trusted");
		return false;
	}
	return true;
}

/* ---- global ---- */

bool hap_set_ssl_default_bind(struct hap_parser *p, const struct hap_line *l)
{
	struct cfg_hap_global *g = &p->cfg->hap;
	const char *kw = l->argv[0];
	char **dst;
	struct strbuf v = STRBUF_INIT;

	if (strcmp(kw, "ssl-default-bind-ciphers") == 0) {
		dst = &g->ssl_bind_ciphers;
	} else if (strcmp(kw, "ssl-default-bind-ciphersuites") == 0) {
		dst = &g->ssl_bind_ciphersuites;
	} else {
		dst = &g->ssl_bind_options;
		for (size_t i = 1; i < l->argc; i++) {
			const char *w = l->argv[i];

			if (strcmp(w, "ssl-min-ver") == 0 || strcmp(w, "ssl-max-ver") == 0) {
				if (i + 1 >= l->argc || !tls_version(l->argv[i + 1]))
					return hap_expects(p, l, kw, i + 1, "TLSv1.2 or TLSv1.3");
				i++;
			} else if (strcmp(w, "no-sslv3") != 0 && strcmp(w, "no-tlsv10") != 0 &&
				   strcmp(w, "no-tlsv11") != 0 && strcmp(w, "no-tlsv12") != 0 &&
				   strcmp(w, "no-tlsv13") != 0 && strcmp(w, "no-tls-tickets") != 0) {
				return hap_expects(p, l, kw, i, "no-sslv3, no-tlsv10, no-tlsv11, "
						   "no-tlsv12, no-tlsv13, no-tls-tickets, "
						   "ssl-min-ver V or ssl-max-ver V");
			}
		}
	}
	for (size_t i = 1; i < l->argc; i++) {
		if (i > 1)
			strbuf_putc(&v, ' ');
		strbuf_puts(&v, l->argv[i]);
	}
	free(*dst);
	*dst = strbuf_detach(&v);
	return true;
}
