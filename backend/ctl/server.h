/* server: the control socket of softlbd.
 *
 * A UNIX stream socket (default /run/softlb/softlbd.sock) speaking the
 * framed protocol of proto.h. Every client gets a role from its kernel
 * credentials at connect; every request runs through the one grammar.
 *
 * Limits protect the daemon from its clients: a request larger than
 * CTL_REQUEST_MAX is refused and the client dropped; replies are buffered
 * per client and written as the client reads, never blocking the loop; a
 * client that stops reading (no progress for the stall timeout, or more
 * than CTL_OUTPUT_MAX pending) is dropped; an idle client is dropped after
 * the idle timeout; at most max_clients are connected at once.
 */
#ifndef SOFTLB_CTL_SERVER_H
#define SOFTLB_CTL_SERVER_H

#include <stddef.h>

#include "core/module.h"
#include "ctl/cmd-t.h"

struct softlbd;
struct ctl_server;
struct ctl_session;

#define CTL_DEFAULT_SOCKET_PATH "/run/softlb/softlbd.sock"
#define CTL_DEFAULT_MAX_CLIENTS 64u
#define CTL_DEFAULT_IDLE_TIMEOUT_S 900u
/* A client that has not taken any of its pending reply for this long is
 * dropped: it is stuck, or hostile. */
#define CTL_DEFAULT_STALL_TIMEOUT_S 30u
/* A client may have at most this much reply pending. */
#define CTL_OUTPUT_MAX (64u * 1024u * 1024u)

/* The ctl engine's module descriptor (see module.c). */
extern const struct module_ops ctl_module;

/* The server of the running daemon (the ctl module's private state). */
struct ctl_server *ctl_server_of(struct softlbd *d);

/* Calls fn for every connected session, in connection order. */
void ctl_server_foreach(struct ctl_server *srv,
			void (*fn)(const struct ctl_session *s, void *arg), void *arg);
size_t ctl_server_client_count(const struct ctl_server *srv);
const char *ctl_server_path(const struct ctl_server *srv);

/* The name of a node as sent in reply headers ("view", "config"). */
const char *cmd_node_name(enum cmd_node node);

#endif
