/* softlbd -t for the proxy: builds a snapshot of the configuration as
 * apply would (px_snap.c: certificates and keys, crt-lists, CA files,
 * -f pattern files, regexes, error files, return files), with no
 * listener, worker or thread, and throws it away. What apply would
 * refuse, the check refuses with the same words. */
#include "config.h"

#include "proxy/proxy.h"
#include "proxy/proxy_int.h"
#include "proxy/px_acl_pat.h"

#include <stdlib.h>

#include "core/daemon.h"
#include "util/xalloc.h"

int px_verify(const struct config *cfg, struct strbuf *err)
{
	/* A softlbd of nothing: no checks, no overrides, no running
	 * snapshot to take contexts or patterns over from. */
	struct softlbd *d = xcalloc(1, sizeof(*d));
	struct px_engine *e = xcalloc(1, sizeof(*e));
	struct px_snapshot *s;

	e->d = d;
	e->n_workers = 1;
	e->dry = true;
	s = px_snapshot_build(e, cfg, err);
	if (s)
		px_snapshot_unref(s);
	for (size_t i = 0; i < e->n_stats; i++)
		px_stats_unref(e->stats[i]);
	free(e->stats);
	px_pat_reg_free(&e->pats);
	free(e);
	free(d);
	return s ? 0 : -1;
}
