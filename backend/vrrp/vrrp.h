/* vrrp: the VRRP engine of softlbd -- keepalived-compatible VRRP v2 and
 * v3 over raw IP protocol 112, with VIPs through rtnetlink (types in
 * vrrp-t.h, the wire codec in vrrp_pkt.h) -- as the rest of softlbd sees
 * it: other engines (LVS, SNMP) find instances, read their state through
 * vrrp-t.h's types and follow their changes; the engine's own files
 * share vrrp_int.h as well.
 *
 * The engine lives on the control-plane thread and uses only its loop for
 * fds and timers. Files, one job each:
 *   vrrp.c        the module: instances from the model, reload, sync groups
 *   vrrp_conf.c   an instance's settings copied out of the model
 *   vrrp_fsm.c    the state machine and its timers
 *   vrrp_sock.c   raw sockets: multicast / unicast send, receive rules
 *   vrrp_vip.c    VIPs (libnl-route-3), gratuitous ARP, unsolicited NA
 *   vrrp_track.c  interface link state, tracked interfaces and scripts
 *   vrrp_script.c vrrp_script runs on their interval, rise / fall
 *   vrrp_stats.c  counters and rate-limited drop logs
 *   vrrp_notify.c notify scripts, run in order through the script runner
 *   vrrp_cmds.c   show vrrp and the operator commands
 */
#ifndef SOFTLB_VRRP_H
#define SOFTLB_VRRP_H

#include "vrrp/vrrp-t.h"
#include "util/strbuf.h"

struct softlbd;

/* The module (listed in core/module.c). */
extern const struct module_ops vrrp_module;

/* The running engine of d, or NULL when the module is not running. */
struct vrrp_engine *vrrp_engine_of(struct softlbd *d);
/* The instance called name, or NULL. */
struct vrrp_instance *vrrp_find(struct vrrp_engine *eng, const char *name);

/* An instance's state, for people and logs ("MASTER"). */
const char *vrrp_state_name(enum vrrp_state st);

/* The running script called name, or NULL. */
struct vrrp_script *vrrp_script_find(const struct vrrp_engine *eng, const char *name);

/* Calls fn(instance, previous state, arg) after every state change of any
 * instance (the new state is in->state), until vrrp_unsubscribe(). Other
 * engines follow VRRP this way (the LVS sync daemon). Returns 0, or -1
 * when VRRP_MAX_OBSERVERS are already registered. */
int vrrp_subscribe(struct vrrp_engine *eng, vrrp_observer_fn fn, void *arg);
void vrrp_unsubscribe(struct vrrp_engine *eng, vrrp_observer_fn fn, void *arg);

#endif
