/* hap_cookie: the `cookie` line (hap_cookie.h). */
#include "config.h"

#include "config/hap_cookie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* A cookie name is an RFC 6265 token. */
static bool token_ok(const char *s)
{
	if (!*s || strlen(s) > CFG_COOKIE_NAME_MAX)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 32 || c >= 127 || strchr("()<>@,;:\\\"/[]?={}", c))
			return false;
	}
	return true;
}

bool cfg_cookie_value_ok(const char *v)
{
	if (!*v || strlen(v) > CFG_COOKIE_VALUE_MAX)
		return false;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		/* '|' and '~' are the delimiters of dates and prefixes */
		if (c <= 32 || c >= 127 || strchr(";,\"\\|~", c))
			return false;
	}
	return true;
}

/* An attribute text goes into a header: no control byte, no ';' (it would
 * start another attribute the operator did not write). */
static bool attr_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 32 || c == 127 || c == ';')
			return false;
	}
	return true;
}

/* Appends "; PRE" and v to dst (PRE: "domain=" or ""). */
static bool append(char *dst, const char *pre, const char *v)
{
	size_t l = strlen(dst);
	int n = snprintf(dst + l, CFG_COOKIE_ATTRS_MAX + 1 - l, "; %s%s", pre, v);

	return n >= 0 && (size_t)n < CFG_COOKIE_ATTRS_MAX + 1 - l;
}

bool cfg_cookie_parse(char *const *w, size_t n, struct cfg_cookie *c, struct strbuf *err)
{
	bool mode_set = false;

	memset(c, 0, sizeof(*c));
	if (n < 1 || !token_ok(w[0])) {
		strbuf_printf(err, "'cookie' expects a cookie name (a token of at most %d bytes), "
			      "got '%s'", CFG_COOKIE_NAME_MAX, n ? w[0] : "");
		return false;
	}
	snprintf(c->name, sizeof(c->name), "%s", w[0]);
	for (size_t i = 1; i < n; i++) {
		const char *o = w[i];
		bool has_arg = i + 1 < n;

		if (strcmp(o, "insert") == 0 || strcmp(o, "rewrite") == 0 ||
		    strcmp(o, "prefix") == 0) {
			enum cfg_cookie_mode m = o[0] == 'i' ? CFG_COOKIE_INSERT
						 : o[0] == 'r' ? CFG_COOKIE_REWRITE : CFG_COOKIE_PREFIX;

			if (mode_set && m != c->mode) {
				strbuf_printf(err, "'cookie' takes one of insert, rewrite and prefix, "
					      "got '%s' after another", o);
				return false;
			}
			c->mode = m;
			mode_set = true;
		} else if (strcmp(o, "indirect") == 0) {
			c->indirect = true;
		} else if (strcmp(o, "nocache") == 0) {
			c->nocache = true;
		} else if (strcmp(o, "postonly") == 0) {
			c->postonly = true;
		} else if (strcmp(o, "preserve") == 0) {
			c->preserve = true;
		} else if (strcmp(o, "httponly") == 0) {
			c->httponly = true;
		} else if (strcmp(o, "secure") == 0) {
			c->secure = true;
		} else if (strcmp(o, "domain") == 0 || strcmp(o, "attr") == 0) {
			bool dom = o[0] == 'd';

			if (!has_arg || !attr_ok(w[i + 1]) || (dom && strpbrk(w[i + 1], " \t,"))) {
				strbuf_printf(err, "'cookie %s' expects %s without control bytes or ';'", o,
					      dom ? "a domain name" : "an attribute");
				return false;
			}
			if (!(dom ? append(c->domains, "domain=", w[i + 1])
				  : append(c->attrs, "", w[i + 1]))) {
				strbuf_printf(err, "'cookie %s': the attributes are longer than %d bytes",
					      o, CFG_COOKIE_ATTRS_MAX);
				return false;
			}
			i++;
		} else if (strcmp(o, "maxidle") == 0 || strcmp(o, "maxlife") == 0) {
			int64_t ms;
			char *t;

			if (!has_arg) {
				strbuf_printf(err, "'cookie %s' expects a time", o);
				return false;
			}
			/* HAProxy's unit here is the second. */
			t = xstrdup(w[i + 1]);
			if (t[strspn(t, "0123456789")] == '\0') {
				free(t);
				t = xmalloc(strlen(w[i + 1]) + 2);
				sprintf(t, "%ss", w[i + 1]);
			}
			if (!cfg_parse_hap_time(t, 2147483647LL, &ms) || ms / 1000 > 0x3fffffff) {
				free(t);
				strbuf_printf(err, "'cookie %s' expects a time (a number of seconds, or "
					      "with a unit ms, s, m, h or d), got '%s'", o, w[i + 1]);
				return false;
			}
			free(t);
			if (strcmp(o, "maxidle") == 0)
				c->maxidle_s = (uint32_t)(ms / 1000);
			else
				c->maxlife_s = (uint32_t)(ms / 1000);
			i++;
		} else if (strcmp(o, "dynamic") == 0) {
			strbuf_puts(err, "'cookie ... dynamic' is not implemented by softlb yet; "
				    "ignoring it would change where traffic goes, so the "
				    "configuration is refused");
			return false;
		} else {
			strbuf_printf(err, "'cookie' expects insert, rewrite, prefix, indirect, "
				      "nocache, postonly, preserve, httponly, secure, domain D, "
				      "maxidle T, maxlife T or attr A, got '%s'", o);
			return false;
		}
	}
	if (!mode_set) {
		/* HAProxy's default mode is rewrite. */
		c->mode = CFG_COOKIE_REWRITE;
	}
	if (c->mode != CFG_COOKIE_INSERT && (c->postonly || c->maxidle_s || c->maxlife_s)) {
		strbuf_puts(err, "'cookie': postonly, maxidle and maxlife are for insert mode only");
		return false;
	}
	if (c->preserve && c->mode != CFG_COOKIE_INSERT && !c->indirect) {
		strbuf_puts(err, "'cookie ... preserve' needs insert or indirect");
		return false;
	}
	return true;
}

bool cfg_cookie_parse_text(const char *text, struct cfg_cookie *c, struct strbuf *err)
{
	char *copy = xstrdup(text), *save = NULL;
	char *words[64];
	size_t n = 0;
	bool ok;

	for (char *t = strtok_r(copy, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
		words[n++] = t;
	ok = cfg_cookie_parse(words, n, c, err);
	free(copy);
	return ok;
}
