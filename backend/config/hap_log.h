/* hap_log: HAProxy's logging words as values (hap_log.c): a `log` line's
 * target, and a `log-format` string compiled into nodes. Pure parsing, no
 * sockets: the haproxy-dialect keywords validate with it at load, and the
 * proxy engine builds its loggers from the same functions, so what loads
 * is exactly what runs.
 */
#ifndef SOFTLB_CONFIG_HAP_LOG_H
#define SOFTLB_CONFIG_HAP_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct strbuf;

enum cfg_log_fmt {
	CFG_LOGF_RFC3164 = 0,	/* <PRI>Mmm dd hh:mm:ss TAG[PID]: MSG (HAProxy's default) */
	CFG_LOGF_RFC5424 = 1,	/* <PRI>1 ISO-TIME - TAG PID - - MSG */
	CFG_LOGF_SHORT = 2,	/* <PRI>MSG */
	CFG_LOGF_RAW = 3,	/* MSG */
};

/* log ADDR[:PORT] | /path | unix@/path [len N] [format F] FACILITY [LEVEL [MINLEVEL]] */
struct cfg_log_target {
	bool global;			/* "log global": the global section's targets */
	struct sockaddr_storage addr;	/* AF_INET, AF_INET6 (UDP) or AF_UNIX (datagram) */
	socklen_t addr_len;
	int maxlen;			/* a longer line is cut (default 1024) */
	enum cfg_log_fmt format;
	int facility;			/* 0..23 */
	int level;			/* send only severities <= level (default 7: all) */
	int minlevel;			/* a more severe message is sent at this
					 * level instead (default 0, emerg: none) */
};

/* Parses the words of a `log` line after the keyword (words[0..n)). On
 * error returns false with the reason in err, naming the word. */
bool cfg_log_target_parse(char *const *words, size_t n, struct cfg_log_target *t,
			  struct strbuf *err);
/* The same, from the text kept in the model (words joined by spaces). */
bool cfg_log_target_parse_text(const char *text, struct cfg_log_target *t, struct strbuf *err);

/* syslog levels by name ("err" -> 3), -1 when unknown. */
int cfg_log_level(const char *name);

/* The %-variables of log-format softlb renders (HAProxy's names). */
enum cfg_lf_var {
	LF_LIT = 0,	/* literal text */
	LF_CI, LF_CP, LF_FI, LF_FP, LF_SI, LF_SP, LF_BI, LF_BP,
	LF_T, LF_TR_DATE, LF_TL, LF_TS_EPOCH,
	LF_FT, LF_F, LF_B, LF_S,
	LF_TH, LF_TI, LF_TRQ, LF_TQ, LF_TW, LF_TC, LF_TRS, LF_TA, LF_TT, LF_TU,
	LF_ST, LF_BYTES, LF_U,
	LF_TSF, LF_TSC,
	LF_AC, LF_FC, LF_BC, LF_SC, LF_RC, LF_SQ, LF_BQ,
	LF_R, LF_HM, LF_HU, LF_HP, LF_HV,
	LF_CC, LF_CS, LF_HR, LF_HS,
	LF_H, LF_PID,
	LF_TRG, LF_MS, LF_HRL, LF_HSL,	/* request date in GMT, accept ms, capture lists */
	LF_COUNT
};

struct cfg_lf_node {
	enum cfg_lf_var var;
	bool quote;		/* %{+Q}: in double quotes */
	char *lit;		/* LF_LIT: the text */
};

struct cfg_logfmt {
	struct cfg_lf_node *n;
	size_t len;
};

/* Compiles a log-format string. An unknown %-variable, a sample
 * expression (%[...]) or a bad flag is an error naming it. */
bool cfg_logfmt_compile(const char *s, struct cfg_logfmt *f, struct strbuf *err);
void cfg_logfmt_free(struct cfg_logfmt *f);

/* HAProxy's formats of option httplog and option tcplog. */
extern const char cfg_logfmt_httplog[];
extern const char cfg_logfmt_tcplog[];
/* option httplog clf: HAProxy's Common Log Format layout (its %{+Q}o,
 * "quote every string", spelled out per variable). */
extern const char cfg_logfmt_httplog_clf[];

#endif
