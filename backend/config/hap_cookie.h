/* hap_cookie: HAProxy's `cookie` line (cookie persistence) as a value
 * (hap_cookie.c). Pure parsing: the haproxy-dialect keyword checks the
 * line with it at load, and the proxy engine builds its snapshot from the
 * same function, so what loads is exactly what runs. The model keeps the
 * words after `cookie` as one text (cfg_proxy.cookie).
 */
#ifndef SOFTLB_CONFIG_HAP_COOKIE_H
#define SOFTLB_CONFIG_HAP_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

#define CFG_COOKIE_NAME_MAX 64		/* bytes of a cookie name */
#define CFG_COOKIE_ATTRS_MAX 512	/* domain and attr text */
#define CFG_COOKIE_VALUE_MAX 64		/* a server's cookie value */

enum cfg_cookie_mode {
	CFG_COOKIE_INSERT = 0,	/* softlb sets NAME=SERVER on responses */
	CFG_COOKIE_REWRITE = 1,	/* the server sets NAME; its value is replaced */
	CFG_COOKIE_PREFIX = 2,	/* the server sets NAME; SERVER~ is put before it */
};

/* cookie NAME insert|rewrite|prefix [indirect] [nocache] [postonly]
 * [preserve] [httponly] [secure] [domain D]... [maxidle T] [maxlife T]
 * [attr A]... -- plain data, no pointers. */
struct cfg_cookie {
	char name[CFG_COOKIE_NAME_MAX + 1];
	enum cfg_cookie_mode mode;
	bool indirect, nocache, postonly, preserve, httponly, secure;
	uint32_t maxidle_s, maxlife_s;	/* 0: none */
	/* "; domain=a; domain=b; attr" as appended to a Set-Cookie, after
	 * the path (HAProxy's order: domains, HttpOnly, Secure, attrs) */
	char domains[CFG_COOKIE_ATTRS_MAX + 1];
	char attrs[CFG_COOKIE_ATTRS_MAX + 1];
};

/* Parses the words of a `cookie` line after the keyword. On error returns
 * false with the reason in err, naming the word; words softlb knows but
 * does not do (dynamic) say so. */
bool cfg_cookie_parse(char *const *words, size_t n, struct cfg_cookie *c, struct strbuf *err);
/* The same, from the text the model keeps (words joined by spaces). */
bool cfg_cookie_parse_text(const char *text, struct cfg_cookie *c, struct strbuf *err);
/* Whether v is a server cookie value softlb can send and match: 1 to
 * CFG_COOKIE_VALUE_MAX visible ASCII bytes without ; , " \ | ~ or space. */
bool cfg_cookie_value_ok(const char *v);

#endif
