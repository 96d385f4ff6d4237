#include "config.h"

#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Written once by log_open() before threads exist; read-only afterwards. */
static struct {
	bool to_stderr;
	bool verbose;
	const char *ident;
} log_cfg = { true, false, "softlbd" };

void log_open(const char *ident, bool to_stderr, bool verbose)
{
	log_cfg.ident = ident;
	log_cfg.to_stderr = to_stderr;
	log_cfg.verbose = verbose;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_close(void)
{
	closelog();
}

static const char *prio_name(int prio)
{
	switch (prio) {
	case LOG_EMERG: case LOG_ALERT: case LOG_CRIT: return "crit";
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_NOTICE: return "notice";
	case LOG_INFO: return "info";
	default: return "debug";
	}
}

/* Writes one line to stderr with a timestamp, as a person reading a
 * foreground daemon's terminal expects. */
static void log_stderr(const char *tag, const char *fmt, va_list ap)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s.%03ld %s[%s] ", stamp, ts.tv_nsec / 1000000L, log_cfg.ident, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

bool log_enabled(int prio)
{
	return prio != LOG_DEBUG || log_cfg.verbose;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !log_cfg.verbose)
		return;
	va_start(ap, fmt);
	if (log_cfg.to_stderr)
		log_stderr(prio_name(prio), fmt, ap);
	else
		vsyslog(prio, fmt, ap);
	va_end(ap);
}

void log_audit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(LOG_AUTHPRIV | LOG_NOTICE, fmt, ap);
	va_end(ap);
	if (log_cfg.to_stderr) {
		va_start(ap, fmt);
		log_stderr("audit", fmt, ap);
		va_end(ap);
	}
}
