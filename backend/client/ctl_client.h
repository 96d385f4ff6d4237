/* ctl_client: the client side of the control socket, shared by the shell
 * (softlb) and the monitor (softlbtop). It is the only backend code those
 * programs link, and it does blocking I/O with a timeout: a client has one
 * conversation at a time.
 */
#ifndef SOFTLB_CLIENT_CTL_CLIENT_H
#define SOFTLB_CLIENT_CTL_CLIENT_H

#include <stddef.h>

#include "ctl/proto.h"
#include "util/strbuf.h"

#define CTL_DEFAULT_SOCKET "/run/softlb/softlbd.sock"

struct ctl_client;

/* How a connect failed, so callers can pick an exit status. */
enum ctl_connect_error {
	CTL_CONNECT_OK = 0,
	CTL_CONNECT_UNREACHABLE,	/* no socket, nobody listening, timeout */
	CTL_CONNECT_DENIED,		/* EACCES on the socket, or a 403 greeting */
	CTL_CONNECT_PROTOCOL,		/* the peer does not speak the protocol */
};

/* A reply with its body copied and NUL-terminated (the body may still
 * contain NUL bytes; len is authoritative). */
struct ctl_client_reply {
	int status;
	char node[CTL_NODE_MAX];
	char *body;
	size_t len;
};

/* Connects to path, reads the greeting. On failure returns NULL, sets
 * *why, and writes a one-line reason to err ("cannot connect to
 * /run/softlb/softlbd.sock: No such file or directory (is softlbd
 * running?)"). timeout_ms bounds the connect, and in every later request
 * each wait for the daemon: it is an idle timeout (no byte moved for
 * timeout_ms), so a large reply that keeps coming is never cut off. */
struct ctl_client *ctl_client_connect(const char *path, int timeout_ms,
				      enum ctl_connect_error *why, struct strbuf *err);
void ctl_client_close(struct ctl_client *c);

/* Values from the greeting (never NULL; "" when absent). */
const char *ctl_client_host(const struct ctl_client *c);
const char *ctl_client_role(const struct ctl_client *c);
const char *ctl_client_version(const struct ctl_client *c);
const char *ctl_client_user(const struct ctl_client *c);

/* Sends one request and waits for its reply. Returns 0 with *rep filled
 * (free with ctl_client_reply_free), or -1 with a reason in err when the
 * connection failed or timed out; the client is then unusable. */
int ctl_client_request(struct ctl_client *c, enum ctl_verb verb, unsigned flags,
		       const char *line, struct ctl_client_reply *rep,
		       struct strbuf *err);
void ctl_client_reply_free(struct ctl_client_reply *rep);

#endif
