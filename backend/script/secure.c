/* Script security checks (secure.h). */
#include "config.h"

#include "script/secure.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Finds a bare name in the colon-separated dirs, as the helper's execve
 * loop does: the first one that exists. Returns false when none does. */
static bool find_in_path(const char *name, const char *dirs, char *out, size_t len)
{
	struct stat st;

	while (*dirs) {
		const char *colon = strchr(dirs, ':');
		size_t dl = colon ? (size_t)(colon - dirs) : strlen(dirs);

		if (snprintf(out, len, "%.*s/%s", (int)dl, dirs, name) < (int)len &&
		    stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return true;
		dirs += dl + (colon ? 1 : 0);
	}
	return false;
}

/* Checks one path component (already stat-ed). Returns false with why
 * filled when someone but root could change it. */
static bool component_safe(const char *script, const char *comp, const struct stat *st,
			   char *why, size_t len)
{
	/* A sticky directory: others may write in it, but not replace what
	 * root owns there. A file's sticky bit means nothing. */
	bool sticky_dir = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX);

	if (st->st_uid != 0) {
		snprintf(why, len, "%s: %s is owned by uid %u, not root", script, comp,
			 (unsigned)st->st_uid);
		return false;
	}
	if (sticky_dir)
		return true;
	if (st->st_mode & S_IWOTH) {
		snprintf(why, len, "%s: %s is writable by everyone", script, comp);
		return false;
	}
	if ((st->st_mode & S_IWGRP) && st->st_gid != 0) {
		snprintf(why, len, "%s: %s is writable by group %u", script, comp,
			 (unsigned)st->st_gid);
		return false;
	}
	return true;
}

/* Walks "/", "/a", "/a/b", ..., path. Returns SCRIPT_SECURE, or
 * SCRIPT_UNSAFE with why, or SCRIPT_NOT_FOUND. */
static enum script_security walk(const char *script, const char *path, char *why, size_t len)
{
	char prefix[PATH_MAX];
	size_t n = strlen(path);
	struct stat st;

	if (n == 0 || n >= sizeof(prefix))
		return SCRIPT_NOT_FOUND;
	for (size_t i = 0; i <= n; i++) {
		/* A prefix ends before each '/' but the first, and at the end. */
		if (i < n && !(path[i] == '/' && i > 0))
			continue;
		if (i == n && path[n - 1] == '/')
			break;
		memcpy(prefix, path, i ? i : 1);
		prefix[i ? i : 1] = '\0';
		if (stat(prefix, &st) < 0)
			return SCRIPT_NOT_FOUND;
		if (!component_safe(script, prefix, &st, why, len))
			return SCRIPT_UNSAFE;
	}
	if (stat("/", &st) == 0 && !component_safe(script, "/", &st, why, len))
		return SCRIPT_UNSAFE;
	return SCRIPT_SECURE;
}

enum script_security script_check_secure(const char *argv0, const char *path_dirs, uid_t uid,
					 gid_t gid, char *why, size_t len)
{
	char found[PATH_MAX], real[PATH_MAX];
	const char *path = argv0;
	enum script_security rc;
	struct stat st;
	bool as_root;

	if (!strchr(argv0, '/')) {
		if (!find_in_path(argv0, path_dirs, found, sizeof(found)))
			return SCRIPT_NOT_FOUND;
		path = found;
	}
	if (stat(path, &st) < 0)
		return SCRIPT_NOT_FOUND;
	/* Set-user/group-ID root runs with root's privileges whoever starts
	 * it; anyone else's scripts are theirs to guard. */
	as_root = uid == 0 || gid == 0 || ((st.st_mode & S_ISUID) && st.st_uid == 0) ||
		  ((st.st_mode & S_ISGID) && st.st_gid == 0);
	if (!as_root)
		return SCRIPT_SECURE;
	/* The path as given (a writable directory holding a symlink is as bad
	 * as a writable target), then where it really leads. */
	if (path[0] == '/') {
		rc = walk(argv0, path, why, len);
		if (rc != SCRIPT_SECURE)
			return rc;
	}
	if (!realpath(path, real))
		return SCRIPT_NOT_FOUND;
	return walk(argv0, real, why, len);
}
