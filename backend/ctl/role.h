/* role: who a control-socket peer is, from the kernel, never from the
 * protocol.
 *
 * SO_PEERCRED gives the peer's uid, gid and pid; SO_PEERGROUPS its
 * supplementary groups as they were when it connected. Groups are looked up
 * by name at every connection, so adding an operator to a group takes
 * effect at their next login without restarting softlbd.
 */
#ifndef SOFTLB_CTL_ROLE_H
#define SOFTLB_CTL_ROLE_H

#include <sys/types.h>

#include "ctl/cmd-t.h"
#include "util/strbuf.h"

#define CTL_GROUP_ADMIN "softlb-admin"
#define CTL_GROUP_OPER "softlb-oper"
#define CTL_GROUP_VIEW "softlb"

struct ctl_peer {
	uid_t uid;
	gid_t gid;
	pid_t pid;
	char user[64];		/* login name, or the uid in decimal */
	enum ctl_role role;
};

/* Fills *peer for the connected socket fd. Returns 0 (peer->role may be
 * CTL_ROLE_NONE, with the one-line reason in why), or -1 with the reason in
 * why when the kernel gave no credentials. */
int ctl_peer_identify(int fd, struct ctl_peer *peer, struct strbuf *why);

#endif
