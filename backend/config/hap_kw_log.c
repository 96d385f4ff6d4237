/* The haproxy-dialect logging keywords: log, log-tag, log-format (the
 * values are checked by hap_log.c, the same code the proxy engine builds
 * its loggers with). The options httplog, tcplog, dontlognull and
 * log-separate-errors are plain options (hap_kw.c). */
#include "config.h"

#include "config/hap_log.h"
#include "config/hap_parse.h"
#include "config/model.h"
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
