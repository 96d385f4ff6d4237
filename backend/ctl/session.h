/* session: one connected control-socket client, as the server and the
 * command handlers see it. Owned by the ctl server.
 */
#ifndef SOFTLB_CTL_SESSION_H
#define SOFTLB_CTL_SESSION_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/loop.h"
#include "ctl/cmd-t.h"
#include "ctl/role.h"
#include "util/strbuf.h"

struct ctl_server;

struct ctl_session {
	struct ctl_server *srv;
	struct ctl_session *prev, *next;	/* the server's list */
	int fd;
	unsigned id;			/* 1, 2, ... in connection order */
	struct ctl_peer peer;		/* uid, pid, user and role */
	enum cmd_node node;		/* the shell mode it is in */
	char edit_target[160];		/* in a sub-mode: what it edits, as the
					 * command named it ("192.0.2.10:80 tcp",
					 * "web", "VI_1"); else "" */
	time_t connected;		/* wall clock */
	uint64_t last_request_ms;	/* monotonic; for the idle timeout */
	uint64_t last_progress_ms;	/* monotonic; last time output drained */
	unsigned long requests;
	struct strbuf in;		/* bytes read, not yet a whole frame */
	struct strbuf out;		/* reply bytes not yet written */
	bool closing;			/* close once out is flushed */
	bool eof;			/* the client shut its sending side */
	uint32_t events;		/* what the loop watches now */
};

#endif
