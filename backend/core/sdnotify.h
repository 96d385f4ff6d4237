/* sdnotify: tells systemd how softlbd is doing (Type=notify).
 *
 * The only file that links libsystemd. Built without it (configure
 * --without-systemd, or no libsystemd-dev), every call does nothing; run
 * outside systemd (no NOTIFY_SOCKET), libsystemd itself does nothing. A
 * notification that cannot be sent never stops the daemon: systemd would
 * notice the missing READY=1 on its own (TimeoutStartSec).
 *
 * status is one line (no newline) shown by `systemctl status`.
 */
#ifndef SOFTLB_CORE_SDNOTIFY_H
#define SOFTLB_CORE_SDNOTIFY_H

#include <stdbool.h>

/* True when this build can talk to systemd (HAVE_LIBSYSTEMD). */
bool sdnotify_built_in(void);

/* True when notifications go somewhere (built in, and NOTIFY_SOCKET
 * set): a caller can skip building a status nobody reads. */
bool sdnotify_listening(void);

/* READY=1 with STATUS=status: the configuration is applied, or a reload
 * ended (applied or refused). */
void sdnotify_ready(const char *status);

/* RELOADING=1 with STATUS=status: a reload starts. */
void sdnotify_reloading(const char *status);

/* STATUS=status alone. */
void sdnotify_status(const char *status);

/* STOPPING=1 with STATUS=status. */
void sdnotify_stopping(const char *status);

#endif
