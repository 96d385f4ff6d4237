/* The haproxy-dialect persistence keywords: `cookie` in a proxy and the
 * server option `cookie VALUE` (the values are checked by hap_cookie.c,
 * the code the proxy engine builds its snapshot with). */
#include "config.h"

#include "config/hap_cookie.h"
#include "config/hap_parse.h"
#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* cookie NAME [insert|rewrite|prefix] [options...] */
HAP_LOG_SETTER(hap_set_cookie)
{
	struct cfg_cookie c;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;

	if (!cfg_cookie_parse(l->argv + 1, l->argc - 1, &c, &err)) {
		hap_error(p, l, "%s", strbuf_str(&err));
		strbuf_free(&err);
		return false;
	}
	strbuf_free(&err);
	for (size_t i = 1; i < l->argc; i++) {
		if (i > 1)
			strbuf_putc(&text, ' ');
		strbuf_puts(&text, l->argv[i]);
	}
	free(p->px->cookie);
	p->px->cookie = strbuf_detach(&text);
	return true;
}

/* server ... cookie VALUE: the value this server's persistence cookie
 * carries. Not on default-server: one value for every server would
 * send each client to the first of them (HAProxy ignores it there). */
bool hap_srv_cookie(struct hap_parser *p, const struct hap_line *l, size_t i,
		    struct cfg_server_opts *o)
{
	struct cfg_proxy *px = p->px;
	struct cfg_server *s = px->n_servers ? &px->servers[px->n_servers - 1] : NULL;

	if (!s || &s->o != o) {
		hap_error(p, l, "'cookie' is a server option, not a default-server one");
		return false;
	}
	if (!cfg_cookie_value_ok(l->argv[i + 1]))
		return hap_expects(p, l, "cookie", i + 1, "a cookie value of 1 to "
				   "64 visible characters without ; , \" \\ | ~");
	free(s->cookie);
	s->cookie = xstrdup(l->argv[i + 1]);
	return true;
}
