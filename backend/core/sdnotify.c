/* sdnotify: systemd's readiness protocol through libsystemd (see
 * sdnotify.h). Kept in one file so the rest of softlbd never sees
 * libsystemd, and a build without it differs only here. */
#include "config.h"

#include "core/sdnotify.h"
#include "core/log.h"

#include <stdlib.h>
#include <string.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>

/* Sends "WHAT\nSTATUS=status". sd_notify returns 0 when NOTIFY_SOCKET is
 * unset (not under systemd): nothing to do, and nothing to say. */
static void send_state(const char *what, const char *status)
{
	int rc;

	if (what)
		rc = sd_notifyf(0, "%s\nSTATUS=%s", what, status ? status : "");
	else
		rc = sd_notifyf(0, "STATUS=%s", status ? status : "");
	if (rc < 0)
		log_warn("cannot notify systemd (%s): %s", what ? what : "STATUS",
			 strerror(-rc));
}

bool sdnotify_built_in(void)
{
	return true;
}

#else

static void send_state(const char *what, const char *status)
{
	(void)what;
	(void)status;
}

bool sdnotify_built_in(void)
{
	return false;
}

#endif

bool sdnotify_listening(void)
{
	return sdnotify_built_in() && getenv("NOTIFY_SOCKET") != NULL;
}

void sdnotify_ready(const char *status)
{
	send_state("READY=1", status);
}

void sdnotify_reloading(const char *status)
{
	send_state("RELOADING=1", status);
}

void sdnotify_status(const char *status)
{
	send_state(NULL, status);
}

void sdnotify_stopping(const char *status)
{
	send_state("STOPPING=1", status);
}
