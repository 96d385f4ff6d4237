/* log: messages to syslog, or to stderr with -l; the audit trail to authpriv.
 *
 * log_open() is called once in main() before any thread starts; after that
 * the settings are only read, so threads may log without locks (syslog(3)
 * and stdio are themselves thread-safe).
 */
#ifndef SOFTLB_CORE_LOG_H
#define SOFTLB_CORE_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* ident names the program in syslog; to_stderr is -l; verbose adds
 * LOG_DEBUG messages. */
void log_open(const char *ident, bool to_stderr, bool verbose);
void log_close(void);

/* prio is a syslog priority (LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO,
 * LOG_DEBUG). */
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when a message of prio would be written (debug needs -v): lets a
 * caller skip formatting what would be dropped. */
bool log_enabled(int prio);

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* One line of the audit trail: always to syslog's authpriv facility (the
 * place security officers look), and to stderr as well under -l. */
void log_audit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
