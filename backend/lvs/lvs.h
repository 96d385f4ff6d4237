/* lvs: the LVS engine of softlbd, as the rest of softlbd sees it (the
 * engine's own files share lvs_int.h as well). It turns the virtual servers of the
 * model (plus operator overrides and health-check results) into IPVS
 * services and real servers, and keeps the kernel that way.
 *
 *   lvs.c            the module: init, apply, status, stop; the timer
 *   lvs_desired.c    model + runtime + health -> desired state
 *   lvs_reconcile.c  desired vs kernel: adopt, add, edit in place, drain,
 *                    delete only what softlbd owns
 *   lvs_changed.c    the changed set: marks, and the flush that rebuilds
 *                    and reconciles only the virtual servers marked
 *   lvs_key.c        typed virtual-server keys
 *   lvs_index.c      hash indexes of service and virtual-server keys
 *   lvs_cmds.c       show lvs ..., show virtual-server, clear lvs counters
 *
 * Readers (SNMP, the runtime socket) see the engine's state through the
 * types of lvs-t.h and this header only; lvs_int.h is the engine's.
 *
 * Only this folder includes libnl (through ipvs.h's implementation).
 */
#ifndef SOFTLB_LVS_LVS_H
#define SOFTLB_LVS_LVS_H

#include <stdbool.h>

#include "config/model-t.h"
#include "lvs/lvs-t.h"
#include "util/strbuf.h"

struct softlbd;
struct cfg_virtual_server;
struct cfg_real_server;

/* The module (listed in core/module.c). */
extern const struct module_ops lvs_module;

/* The health-check hook: the check engine reports a real server up or
 * down by its typed key (config/vs_key.h; its virtual server's key is
 * the LVS engine's, lvs_vs_key_of). A server reported down leaves IPVS
 * (or gets weight 0 with inhibit_on_failure); the sorry server comes in
 * when none is up. Every server is up until reported otherwise. Only its
 * virtual server is marked changed; the kernel follows at the loop's
 * next flush. A report is one hash lookup and formats nothing (but the
 * log line). Returns 0, or -1 with the reason in err (no LVS engine). */
int lvs_set_rs_up(struct softlbd *d, const struct cfg_rs_key *key, bool up, struct strbuf *err);

/* misc_dynamic: a MISC_CHECK's exit code set the real server's weight
 * (weight >= 0), as keepalived does; -1 goes back to the configured one.
 * Marks as lvs_set_rs_up() does. Returns 0, or -1 with the reason. */
int lvs_set_rs_weight(struct softlbd *d, const struct cfg_rs_key *key, int weight,
		      struct strbuf *err);

/* The engine's key of a real server of vs (the health table's). */
void lvs_rs_key_of(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs,
		   struct cfg_rs_key *key);

/* The text key a real server is shown by ("real-server 192.0.2.10:80 tcp
 * 198.51.100.11:80", "real-server group NAME 198.51.100.11:80"),
 * malloc'd. Lookups use typed keys instead (core/runtime.h, the health
 * table above). */
char *lvs_rs_key(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs);

/* The engine's state, or NULL when the module is not running. */
struct lvs_engine *lvs_engine_of(struct softlbd *d);

#endif
