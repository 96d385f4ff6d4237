/* events_cmds: `show events`, the journal's command, and who a command
 * runs for, as the producers of events record it. */
#ifndef SOFTLB_CORE_EVENTS_CMDS_H
#define SOFTLB_CORE_EVENTS_CMDS_H

#include <stdbool.h>

#include "core/events.h"

struct grammar;
struct strbuf;
struct cmd_ctx;

/* Adds `show events [engine NAME] [object TEXT] [last N] [since SEQ]
 * [json]`. Returns 0, or -1 with the reason in err. */
int events_register(struct grammar *g, struct strbuf *err);

/* Fills *by with the user, uid and role of the client that runs ctx's
 * command. Returns false (and leaves *by alone) when there is none (a
 * signal, the daemon itself, a unit test). */
bool events_actor_of(const struct cmd_ctx *ctx, struct event_actor *by);

#endif
