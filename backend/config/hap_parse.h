/* hap_parse: the haproxy.cfg-dialect parser (internal to backend/config).
 *
 * Sections (global, defaults, listen, frontend, backend) and their
 * keywords are tables in hap_kw.c; hap_parse.c splits lines into words,
 * tracks the section and dispatches.
 */
#ifndef SOFTLB_CONFIG_HAP_PARSE_H
#define SOFTLB_CONFIG_HAP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model-t.h"
#include "util/strvec.h"

/* The sections keywords live in; bits so a row can allow several. */
enum hap_sect {
	HAP_GLOBAL = 1u << 0,
	HAP_DEFAULTS = 1u << 1,
	HAP_LISTEN = 1u << 2,
	HAP_FRONTEND = 1u << 3,
	HAP_BACKEND = 1u << 4,
	HAP_OTHER = 1u << 5,	/* a section softlb skips */
	HAP_USERLIST = 1u << 6,	/* userlist NAME (hap_rules.c) */
};

#define HAP_PROXIES (HAP_DEFAULTS | HAP_LISTEN | HAP_FRONTEND | HAP_BACKEND)
#define HAP_FE (HAP_DEFAULTS | HAP_LISTEN | HAP_FRONTEND)
#define HAP_BE (HAP_DEFAULTS | HAP_LISTEN | HAP_BACKEND)

#define HAP_MAX_LINE 65536
#define HAP_MAX_WORDS 64

struct hap_line {
	const char *file;
	int line;
	char **argv;
	size_t argc;
};

struct hap_parser {
	struct config *cfg;
	struct config_diag *diag;
	enum hap_sect sect;
	struct cfg_proxy *px;	/* current proxy or defaults; NULL in global */
	struct strvec warned;	/* keywords already warned about */
	/* global crt-base / ca-base: the directory a relative crt,
	 * crt-list or ca-file of this file is in ("" none); applied as
	 * the lines are read, so the model holds the paths used. */
	char crt_base[1024];
	char ca_base[1024];
	bool failed;
};

typedef bool (*hap_set_fn)(struct hap_parser *p, const struct hap_line *l);

struct hap_kw {
	const char *name;
	unsigned sect;		/* enum hap_sect bits */
	unsigned char min_args;
	unsigned char max_args;	/* HAP_MANY: unbounded */
	hap_set_fn set;		/* NULL: not implemented (see refuse) */
	const char *help;
	/* For a keyword softlb does not implement: NULL when ignoring it
	 * changes no traffic (a warning), else what ignoring it would
	 * change, a CONFIG_CHANGES_ string (an error). */
	const char *refuse;
};

#define HAP_MANY 255

extern const struct hap_kw hap_keywords[];

/* Parses haproxy text into cfg; false after reporting any error. */
bool hap_parse_text(struct config *cfg, struct config_diag *diag,
		    const char *file, const char *text, size_t len);

/* ---- helpers for setters ---- */
void hap_error(struct hap_parser *p, const struct hap_line *l,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void hap_warn(struct hap_parser *p, const struct hap_line *l,
	      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Warns once per keyword per load. */
void hap_warn_once(struct hap_parser *p, const struct hap_line *l,
		   const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* "'KW' expects WHAT, got 'ARG'"; kw may be several words. */
/* Refuses a keyword softlb does not implement (config_diag_not_yet). */
bool hap_not_yet(struct hap_parser *p, const struct hap_line *l,
		 const char *kw, const char *what);
bool hap_expects(struct hap_parser *p, const struct hap_line *l,
		 const char *kw, size_t i, const char *what);

/* Adds the comma-separated addresses of argument i to the current proxy's
 * binds (bind, and the old `listen NAME ADDR:PORT`). */
bool hap_bind_list(struct hap_parser *p, const struct hap_line *l,
		   const char *kw, size_t i);

/* Logging keywords (hap_kw_log.c). */
#define HAP_LOG_SETTER(fn) bool fn(struct hap_parser *p, const struct hap_line *l)
HAP_LOG_SETTER(hap_set_log);
HAP_LOG_SETTER(hap_set_log_tag);
HAP_LOG_SETTER(hap_set_log_format);
HAP_LOG_SETTER(hap_set_capture);
/* Persistence and error answers (hap_kw_cookie.c, hap_kw_errfile.c). */
HAP_LOG_SETTER(hap_set_cookie);
HAP_LOG_SETTER(hap_set_errorfile);
struct cfg_server_opts;
bool hap_srv_cookie(struct hap_parser *p, const struct hap_line *l, size_t i,
		    struct cfg_server_opts *o);
/* The L7 rule keywords (hap_rules.c). */
bool hap_set_rule(struct hap_parser *p, const struct hap_line *l);
/* userlist NAME, and its user / group lines (hap_rules.c). */
void hap_open_userlist(struct hap_parser *p, const struct hap_line *l);
bool hap_set_user(struct hap_parser *p, const struct hap_line *l);
/* TLS keywords (hap_kw_ssl.c). The argument count of a TLS word of a
 * bind line, or -1 when w is none. */
int hap_bind_tls_word(const char *w);
/* Checks the TLS words of bind line l and records them for its addresses
 * (the proxy's binds from index first on). */
bool hap_bind_tls(struct hap_parser *p, const struct hap_line *l, size_t first);
/* A TLS server option at argument i (ssl, no-ssl, check-ssl, verify,
 * ca-file, crt, sni). */
bool hap_srv_ssl(struct hap_parser *p, const struct hap_line *l, size_t i,
		 struct cfg_server_opts *o);
/* A server line's TLS options, once all are read, make sense together. */
bool hap_srv_ssl_check(struct hap_parser *p, const struct hap_line *l,
		       const struct cfg_server_opts *o);
HAP_LOG_SETTER(hap_set_ssl_default_bind);
/* global crt-base DIR / ca-base DIR. */
bool hap_set_tls_base(struct hap_parser *p, const struct hap_line *l);
/* Removes option name from px (hap_kw.c). */
void hap_option_clear(struct cfg_proxy *px, const char *name);

#endif
