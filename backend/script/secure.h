/* secure: is a script safe to run with root's privileges? (internal to
 * backend/script; the helper asks before every run).
 *
 * The rule is keepalived's (lib/notify.c, check_script_secure): when the
 * script runs with uid 0 or gid 0 (or is set-user/group-ID root, which
 * comes to the same), the file and every directory on its path, as given
 * and once symlinks are resolved, must be owned by root and writable by
 * nobody else: not by everyone, and not by a group other than root's. A
 * directory with the sticky bit (/tmp) may be writable by everyone, since
 * nobody else can rename what root owns in it. Otherwise whoever can write
 * there can make root run anything.
 */
#ifndef SOFTLB_SCRIPT_SECURE_H
#define SOFTLB_SCRIPT_SECURE_H

#include <stddef.h>
#include <sys/types.h>

enum script_security {
	SCRIPT_SECURE = 0,		/* safe, or not run with root's privileges */
	SCRIPT_UNSAFE = 1,		/* why says which path and what is wrong */
	SCRIPT_NOT_FOUND = 2,		/* cannot be found: execve will say so */
};

/* Checks argv0 (a path, or a bare name looked up in path_dirs, a
 * colon-separated list) run as uid:gid. Writes "PATH: REASON" to why
 * (len bytes) when it returns SCRIPT_UNSAFE. Uses only stat and
 * realpath: safe in the helper. */
enum script_security script_check_secure(const char *argv0, const char *path_dirs, uid_t uid,
					 gid_t gid, char *why, size_t len);

#endif
