/* The haproxy-dialect logging keywords: log, log-tag, log-format (the
 * values are checked by hap_log.c, the same code the proxy engine builds
 * its loggers with). The options httplog, tcplog, dontlognull and
 * log-separate-errors are plain options (hap_kw.c). */
#include "config.h"

#include "config/hap_log.h"
#include "config/hap_parse.h"
#include "config/model.h"
#include "config/value.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *join_args(const struct hap_line *l, size_t from)
{
	struct strbuf b = STRBUF_INIT;

	for (size_t i = from; i < l->argc; i++) {
		if (i > from)
			strbuf_putc(&b, ' ');
		strbuf_puts(&b, l->argv[i]);
	}
	return strbuf_detach(&b);
}

/* log global | TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]] */
HAP_LOG_SETTER(hap_set_log)
{
	struct cfg_log_target t;
	struct strbuf err = STRBUF_INIT;
	struct strvec *logs = p->sect == HAP_GLOBAL ? &p->cfg->hap.logs : &p->px->logs;
	char *text;

	if (!cfg_log_target_parse(l->argv + 1, l->argc - 1, &t, &err)) {
		hap_error(p, l, "%s", strbuf_str(&err));
		strbuf_free(&err);
		return false;
	}
	strbuf_free(&err);
	if (t.global && p->sect == HAP_GLOBAL) {
		hap_error(p, l, "'log global' is for proxies and defaults, not the global section");
		return false;
	}
	text = join_args(l, 1);
	if (strvec_contains(logs, text))
		hap_warn(p, l, "'log %s' repeats an earlier log line: each line is sent once", text);
	else
		strvec_push(logs, text);
	free(text);
	return true;
}

HAP_LOG_SETTER(hap_set_log_tag)
{
	char **dst = p->sect == HAP_GLOBAL ? &p->cfg->hap.log_tag : &p->px->log_tag;

	if (!*l->argv[1] || strlen(l->argv[1]) > 100 || strpbrk(l->argv[1], " []:\r\n"))
		return hap_expects(p, l, "log-tag", 1, "a tag of 1 to 100 characters without "
				   "spaces, brackets or colons");
	free(*dst);
	*dst = xstrdup(l->argv[1]);
	return true;
}

/* log-format STRING: replaces option httplog / tcplog (the last one wins,
 * as in HAProxy). */
HAP_LOG_SETTER(hap_set_log_format)
{
	struct cfg_logfmt f;
	struct strbuf err = STRBUF_INIT;
	char *text = join_args(l, 1);

	if (!cfg_logfmt_compile(text, &f, &err)) {
		hap_error(p, l, "%s", strbuf_str(&err));
		strbuf_free(&err);
		free(text);
		return false;
	}
	cfg_logfmt_free(&f);
	strbuf_free(&err);
	free(p->px->log_format);
	p->px->log_format = text;
	hap_option_clear(p->px, "httplog");
	hap_option_clear(p->px, "tcplog");
	return true;
}

/* capture request|response header NAME len N (frontend, listen): the
 * field's value, cut at N bytes, shown in the httplog line's {...|...}
 * blocks (%hr, %hs) in the order of these lines. capture cookie changes
 * nothing sent: accepted, not implemented. */
HAP_LOG_SETTER(hap_set_capture)
{
	struct strbuf item = STRBUF_INIT;
	long long len;
	const char *kind = l->argv[1];

	if (strcmp(kind, "cookie") == 0) {
		hap_warn_once(p, l, "capture cookie", "'capture cookie' accepted, not implemented "
			      "(%%CC and %%CS show '-')");
		return true;
	}
	if ((strcmp(kind, "request") != 0 && strcmp(kind, "response") != 0) || l->argc != 6 ||
	    strcmp(l->argv[2], "header") != 0 || strcmp(l->argv[4], "len") != 0)
		return hap_expects(p, l, "capture", 1, "request|response header NAME len N");
	for (const char *c = l->argv[3]; *c; c++)
		if ((unsigned char)*c <= 32 || (unsigned char)*c >= 127 || *c == ':')
			return hap_expects(p, l, "capture", 3, "a header name");
	if (strlen(l->argv[3]) > 200)
		return hap_expects(p, l, "capture", 3, "a header name of at most 200 bytes");
	if (!cfg_parse_int(l->argv[5], 1, 16384, &len))
		return hap_expects(p, l, "capture ... len", 5, "a length from 1 to 16384");
	if (p->sect == HAP_DEFAULTS) {
		hap_error(p, l, "'capture' is not allowed in a defaults section");
		return false;
	}
	if (p->sect == HAP_BACKEND) {
		hap_warn(p, l, "'capture' in a backend is ignored (HAProxy ignores it there too)");
		return true;
	}
	strbuf_printf(&item, "%s %s %lld", kind, l->argv[3], len);
	strvec_push(&p->px->captures, strbuf_str(&item));
	strbuf_free(&item);
	return true;
}
