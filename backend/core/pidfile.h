/* pidfile: one softlbd per pidfile, decided by a lock, not by a guess.
 *
 * The file is held open with an exclusive fcntl lock for the daemon's life.
 * A second softlbd finds the lock taken and refuses, naming the holder; a
 * file left by a crashed daemon has no lock and is simply taken over. (A
 * kill(pid, 0) test would be fooled by a recycled pid.)
 */
#ifndef SOFTLB_CORE_PIDFILE_H
#define SOFTLB_CORE_PIDFILE_H

#include "util/strbuf.h"

struct pidfile;

/* Locks path and writes our pid into it. Returns the handle, or NULL with
 * the reason in err ("another softlbd (pid 123) holds /run/...",
 * "cannot open ...: Permission denied"). */
struct pidfile *pidfile_acquire(const char *path, struct strbuf *err);
/* Rewrites the pid (after daemonising changed it). Returns 0 or -1. */
int pidfile_update(struct pidfile *pf, struct strbuf *err);
/* Removes the file and releases the lock. */
void pidfile_release(struct pidfile *pf);

#endif
