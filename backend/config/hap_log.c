/* hap_log: `log` targets and `log-format` strings (hap_log.h). */
#include "config.h"

#include "config/hap_log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* HAProxy's facility names, in syslog's order (their index is the code). */
static const char *const facilities[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "auth2", "ftp", "ntp", "audit", "alert", "cron2",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};

static const char *const levels[] = {
	"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

int cfg_log_level(const char *name)
{
	for (int i = 0; i < 8; i++)
		if (strcmp(name, levels[i]) == 0)
			return i;
	return -1;
}

static int facility(const char *name)
{
	for (int i = 0; i < 24; i++)
		if (strcmp(name, facilities[i]) == 0)
			return i;
	return -1;
}

/* ADDR[:PORT] (UDP, port 514 by default), [V6]:PORT, udp@ / udp4@ / udp6@
 * / ipv4@ / ipv6@ prefixes, /path or unix@/path (a datagram socket). */
static bool parse_dest(const char *w, struct cfg_log_target *t, struct strbuf *err)
{
	char host[256];
	const char *port = NULL;
	long p = 514;

	memset(&t->addr, 0, sizeof(t->addr));
	if (strncmp(w, "unix@", 5) == 0)
		w += 5;
	if (w[0] == '/') {
		struct sockaddr_un *u = (struct sockaddr_un *)&t->addr;

		if (strlen(w) >= sizeof(u->sun_path)) {
			strbuf_printf(err, "unix socket path '%s' is too long", w);
			return false;
		}
		u->sun_family = AF_UNIX;
		strcpy(u->sun_path, w);
		t->addr_len = sizeof(*u);
		return true;
	}
	for (const char *const *pre = (const char *const[]){ "udp4@", "udp6@", "udp@", "ipv4@",
							     "ipv6@", NULL };
	     *pre; pre++)
		if (strncmp(w, *pre, strlen(*pre)) == 0) {
			w += strlen(*pre);
			break;
		}
	if (strchr(w, '@')) {
		strbuf_printf(err, "log target '%s' is not supported by softlb (UDP ADDR[:PORT] or "
			      "a unix socket path)", w);
		return false;
	}
	if (w[0] == '[') {
		const char *close = strchr(w, ']');

		if (!close || (size_t)(close - w - 1) >= sizeof(host)) {
			strbuf_printf(err, "bad address '%s'", w);
			return false;
		}
		memcpy(host, w + 1, (size_t)(close - w - 1));
		host[close - w - 1] = '\0';
		if (close[1] == ':')
			port = close + 2;
		else if (close[1]) {
			strbuf_printf(err, "bad address '%s'", w);
			return false;
		}
	} else {
		const char *colon = strrchr(w, ':');

		/* One colon: ADDR:PORT; several: a bare IPv6 address. */
		if (colon && strchr(w, ':') == colon) {
			if ((size_t)(colon - w) >= sizeof(host)) {
				strbuf_printf(err, "bad address '%s'", w);
				return false;
			}
			memcpy(host, w, (size_t)(colon - w));
			host[colon - w] = '\0';
			port = colon + 1;
		} else {
			snprintf(host, sizeof(host), "%s", w);
		}
	}
	if (port) {
		char *end;

		p = strtol(port, &end, 10);
		if (!*port || *end || p < 1 || p > 65535) {
			strbuf_printf(err, "bad port in '%s' (1 to 65535)", w);
			return false;
		}
	}
	{
		struct sockaddr_in *a4 = (struct sockaddr_in *)&t->addr;
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&t->addr;

		if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
			a4->sin_family = AF_INET;
			a4->sin_port = htons((uint16_t)p);
			t->addr_len = sizeof(*a4);
			return true;
		}
		memset(&t->addr, 0, sizeof(t->addr));
		if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
			a6->sin6_family = AF_INET6;
			a6->sin6_port = htons((uint16_t)p);
			t->addr_len = sizeof(*a6);
			return true;
		}
	}
	strbuf_printf(err, "'%s' is not an IPv4 or IPv6 address with an optional port, nor a "
		      "unix socket path (softlb resolves no names here)", w);
	return false;
}

bool cfg_log_target_parse(char *const *words, size_t n, struct cfg_log_target *t,
			  struct strbuf *err)
{
	size_t i = 1;
	char *end;

	memset(t, 0, sizeof(*t));
	t->maxlen = 1024;
	t->level = 7;
	if (n == 0) {
		strbuf_puts(err, "'log' expects 'global', or a target and a facility");
		return false;
	}
	if (strcmp(words[0], "global") == 0) {
		if (n != 1) {
			strbuf_printf(err, "'log global' takes nothing after it, got '%s'", words[1]);
			return false;
		}
		t->global = true;
		return true;
	}
	if (!parse_dest(words[0], t, err))
		return false;
	while (i < n) {
		if (strcmp(words[i], "len") == 0 && i + 1 < n) {
			long v = strtol(words[i + 1], &end, 10);

			if (*end || v < 80 || v > 65535) {
				strbuf_printf(err, "'log ... len' expects 80 to 65535, got '%s'",
					      words[i + 1]);
				return false;
			}
			t->maxlen = (int)v;
			i += 2;
		} else if (strcmp(words[i], "format") == 0 && i + 1 < n) {
			static const char *const names[] = { "rfc3164", "rfc5424", "short", "raw" };
			int k = 0;

			while (k < 4 && strcmp(words[i + 1], names[k]) != 0)
				k++;
			if (k == 4) {
				strbuf_printf(err, "'log ... format' expects rfc3164, rfc5424, short or "
					      "raw, got '%s'", words[i + 1]);
				return false;
			}
			t->format = (enum cfg_log_fmt)k;
			i += 2;
		} else if (strcmp(words[i], "sample") == 0) {
			strbuf_puts(err, "'log ... sample' is not supported by softlb");
			return false;
		} else {
			break;
		}
	}
	if (i >= n || (t->facility = facility(words[i])) < 0) {
		strbuf_printf(err, "'log' expects a facility (kern, user, ..., local0 to local7)%s%s%s",
			      i < n ? ", got '" : "", i < n ? words[i] : "", i < n ? "'" : "");
		return false;
	}
	i++;
	if (i < n) {
		if ((t->level = cfg_log_level(words[i])) < 0) {
			strbuf_printf(err, "'log' expects a level (emerg, alert, crit, err, warning, "
				      "notice, info, debug), got '%s'", words[i]);
			return false;
		}
		i++;
	}
	if (i < n) {
		if ((t->minlevel = cfg_log_level(words[i])) < 0) {
			strbuf_printf(err, "'log' expects a minimum level, got '%s'", words[i]);
			return false;
		}
		i++;
	}
	if (i < n) {
		strbuf_printf(err, "'log' has an extra word '%s'", words[i]);
		return false;
	}
	return true;
}

bool cfg_log_target_parse_text(const char *text, struct cfg_log_target *t, struct strbuf *err)
{
	char *copy = xstrdup(text), *save = NULL, *words[16];
	size_t n = 0;
	bool ok;

	for (char *w = strtok_r(copy, " ", &save); w && n < 16; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	ok = cfg_log_target_parse(words, n, t, err);
	free(copy);
	return ok;
}

/* ---------------------------------------------------------------- */
/* log-format                                                        */

const char cfg_logfmt_httplog[] =
	"%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc "
	"%ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r";
const char cfg_logfmt_httplog_clf[] =
	"%ci - - [%trg] %{+Q}r %ST %B \"\" \"\" %cp %ms %{+Q}ft %{+Q}b %{+Q}s %TR %Tw %Tc "
	"%Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq \"\" \"\" %{+Q}hrl %{+Q}hsl";
const char cfg_logfmt_tcplog[] =
	"%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

static const struct {
	const char *name;
	enum cfg_lf_var var;
} lf_vars[] = {
	{ "ci", LF_CI }, { "cp", LF_CP }, { "fi", LF_FI }, { "fp", LF_FP },
	{ "si", LF_SI }, { "sp", LF_SP }, { "bi", LF_BI }, { "bp", LF_BP },
	{ "t", LF_T }, { "tr", LF_TR_DATE }, { "Tl", LF_TL }, { "Ts", LF_TS_EPOCH },
	{ "ft", LF_FT }, { "f", LF_F }, { "b", LF_B }, { "s", LF_S },
	{ "Th", LF_TH }, { "Ti", LF_TI }, { "TR", LF_TRQ }, { "Tq", LF_TQ },
	{ "Tw", LF_TW }, { "Tc", LF_TC }, { "Tr", LF_TRS }, { "Ta", LF_TA },
	{ "Tt", LF_TT }, { "Tu", LF_TU }, { "ST", LF_ST }, { "B", LF_BYTES },
	{ "U", LF_U }, { "ts", LF_TSF }, { "tsc", LF_TSC }, { "ac", LF_AC },
	{ "fc", LF_FC }, { "bc", LF_BC }, { "sc", LF_SC }, { "rc", LF_RC },
	{ "sq", LF_SQ }, { "bq", LF_BQ }, { "r", LF_R }, { "HM", LF_HM },
	{ "HU", LF_HU }, { "HP", LF_HP }, { "HV", LF_HV }, { "CC", LF_CC },
	{ "CS", LF_CS }, { "hr", LF_HR }, { "hs", LF_HS }, { "H", LF_H },
	{ "pid", LF_PID }, { "trg", LF_TRG }, { "ms", LF_MS }, { "hrl", LF_HRL },
	{ "hsl", LF_HSL },
};

static void add_node(struct cfg_logfmt *f, enum cfg_lf_var v, bool quote, const char *lit,
		     size_t lit_len)
{
	struct cfg_lf_node *n;

	f->n = xreallocarray(f->n, f->len + 1, sizeof(*f->n));
	n = &f->n[f->len++];
	n->var = v;
	n->quote = quote;
	n->lit = lit ? xstrndup(lit, lit_len) : NULL;
}

bool cfg_logfmt_compile(const char *s, struct cfg_logfmt *f, struct strbuf *err)
{
	const char *p = s;

	f->n = NULL;
	f->len = 0;
	while (*p) {
		const char *start = p;
		bool quote = false;
		size_t nl;
		int k = -1;

		if (*p != '%') {
			while (*p && *p != '%')
				p++;
			add_node(f, LF_LIT, false, start, (size_t)(p - start));
			continue;
		}
		p++;
		if (*p == '%') {
			add_node(f, LF_LIT, false, "%", 1);
			p++;
			continue;
		}
		if (*p == '{') {
			const char *close = strchr(p, '}');
			char *flags, *save = NULL;

			if (!close) {
				strbuf_printf(err, "log-format: unterminated '%%{' at '%s'", start);
				goto fail;
			}
			flags = xstrndup(p + 1, (size_t)(close - p - 1));
			for (char *fl = strtok_r(flags, ",", &save); fl; fl = strtok_r(NULL, ",", &save)) {
				if (strcmp(fl, "+Q") == 0) {
					quote = true;
				} else if (strcmp(fl, "-Q") == 0) {
					quote = false;
				} else {
					strbuf_printf(err, "log-format: flag '%s' is not supported by "
						      "softlb (only +Q and -Q)", fl);
					free(flags);
					goto fail;
				}
			}
			free(flags);
			p = close + 1;
		}
		if (*p == '[') {
			strbuf_printf(err, "log-format: sample expressions ('%%[...]') are not "
				      "supported by softlb, at '%s'", start);
			goto fail;
		}
		nl = 0;
		while (isalnum((unsigned char)p[nl]) || p[nl] == '_')
			nl++;
		for (size_t i = 0; i < sizeof(lf_vars) / sizeof(*lf_vars); i++)
			if (strlen(lf_vars[i].name) == nl && strncmp(p, lf_vars[i].name, nl) == 0)
				k = (int)i;
		if (k < 0) {
			strbuf_printf(err, "log-format: unknown variable '%%%.*s'", (int)nl, p);
			goto fail;
		}
		add_node(f, lf_vars[k].var, quote, NULL, 0);
		p += nl;
	}
	return true;
fail:
	cfg_logfmt_free(f);
	return false;
}

void cfg_logfmt_free(struct cfg_logfmt *f)
{
	for (size_t i = 0; i < f->len; i++)
		free(f->n[i].lit);
	free(f->n);
	f->n = NULL;
	f->len = 0;
}
