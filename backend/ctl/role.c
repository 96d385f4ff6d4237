#include "config.h"

#include "ctl/role.h"
#include "util/xalloc.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

/* Reads the peer's supplementary groups. Returns the count (>= 0) and a
 * malloc'd array in *out, or -1 with errno. */
static int peer_groups(int fd, gid_t **out)
{
	socklen_t len = 32 * sizeof(gid_t);

	for (int tries = 0; tries < 8; tries++) {
		gid_t *g = xmalloc(len);
		socklen_t got = len;

		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &got) == 0) {
			*out = g;
			return (int)(got / sizeof(gid_t));
		}
		free(g);
		if (errno != ERANGE)
			return -1;
		/* The kernel wrote the size it needs into got. */
		len = got > len ? got : len * 2;
	}
	errno = ERANGE;
	return -1;
}

/* Tells whether gid or one of groups[0..n) is the group called name. */
static bool in_group(const char *name, gid_t gid, const gid_t *groups, int n)
{
	struct group *gr = getgrnam(name);

	if (!gr)
		return false;
	if (gr->gr_gid == gid)
		return true;
	for (int i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return true;
	return false;
}

int ctl_peer_identify(int fd, struct ctl_peer *peer, struct strbuf *why)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct passwd *pw;
	gid_t *groups = NULL;
	int n;

	memset(peer, 0, sizeof(*peer));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		strbuf_printf(why, "no peer credentials: %s", strerror(errno));
		return -1;
	}
	peer->uid = cred.uid;
	peer->gid = cred.gid;
	peer->pid = cred.pid;
	pw = getpwuid(cred.uid);
	if (pw)
		snprintf(peer->user, sizeof(peer->user), "%s", pw->pw_name);
	else
		snprintf(peer->user, sizeof(peer->user), "%lu", (unsigned long)cred.uid);

	if (cred.uid == 0) {
		peer->role = CTL_ROLE_ADMIN;
		return 0;
	}
	n = peer_groups(fd, &groups);
	if (n < 0) {
		strbuf_printf(why, "cannot read the groups of uid %lu: %s",
			      (unsigned long)cred.uid, strerror(errno));
		return -1;
	}
	if (in_group(CTL_GROUP_ADMIN, cred.gid, groups, n))
		peer->role = CTL_ROLE_ADMIN;
	else if (in_group(CTL_GROUP_OPER, cred.gid, groups, n))
		peer->role = CTL_ROLE_OPER;
	else if (in_group(CTL_GROUP_VIEW, cred.gid, groups, n))
		peer->role = CTL_ROLE_VIEW;
	else
		strbuf_printf(why, "permission denied: user %s (uid %lu) is in none of the groups "
			      CTL_GROUP_VIEW ", " CTL_GROUP_OPER ", " CTL_GROUP_ADMIN,
			      peer->user, (unsigned long)cred.uid);
	free(groups);
	return 0;
}
