/* vrrp_int: the VRRP engine's internal interface, shared by the files of
 * backend/vrrp only; the rest of softlbd includes vrrp.h. */
#ifndef SOFTLB_VRRP_INT_H
#define SOFTLB_VRRP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/loop.h"
#include "vrrp/vrrp.h"

struct config;
struct cfg_vrrp_instance;
struct grammar;
struct json_object;

/* ---- vrrp_conf.c ---- */

/* Copies what the instance vi of cfg needs into s (which the caller
 * frees with vrrp_settings_free()). Returns 0, or -1 with the reason in
 * err when the instance cannot run as configured. */
int vrrp_settings_from_cfg(const struct config *cfg, const struct cfg_vrrp_instance *vi,
			   struct vrrp_settings *s, struct strbuf *err);
void vrrp_settings_free(struct vrrp_settings *s);
/* True when a and b put the same packets on the same wire (interface,
 * VRID, version, family, group, source, peers): an instance whose wire
 * settings change is restarted; any other change is applied in place. */
bool vrrp_settings_same_wire(const struct vrrp_settings *a, const struct vrrp_settings *b);

/* ---- vrrp_fsm.c ---- */

void vrrp_fsm_init(struct vrrp_instance *in);
/* Leaves INIT (or FAULT, DISABLED) for BACKUP or MASTER, or FAULT when
 * the interface is not usable. */
void vrrp_fsm_start(struct vrrp_instance *in, const char *reason);
/* Leaves the current state for `to` (INIT, FAULT or DISABLED): a master
 * sends priority 0 and drops its VIPs; every timer stops. */
void vrrp_fsm_shutdown(struct vrrp_instance *in, enum vrrp_state to, const char *reason);
/* Handles one advert that passed every receive rule. */
void vrrp_fsm_rx(struct vrrp_instance *in, const struct vrrp_adv *adv,
		 const unsigned char *src);
/* Records (reason non-empty) or clears (reason "") the instance's own
 * fault, entering or leaving FAULT as needed. */
void vrrp_fsm_set_fault(struct vrrp_instance *in, const char *reason);
/* Recomputes the effective priority after an override, a tracked
 * interface or a reload changed one of its inputs. */
void vrrp_fsm_priority_changed(struct vrrp_instance *in, const char *why);
/* Operator commands; each returns 0, or -1 with the reason in err. */
int vrrp_fsm_handover(struct vrrp_instance *in, struct strbuf *err);
int vrrp_fsm_disable(struct vrrp_instance *in, struct strbuf *err);
int vrrp_fsm_enable(struct vrrp_instance *in, struct strbuf *err);
/* Becomes master (from backup) or backup (from master) on a sync
 * group's behalf. */
void vrrp_fsm_follow(struct vrrp_instance *in, enum vrrp_state to, const char *reason);
/* Timers as the RFCs define them, in milliseconds. */
unsigned vrrp_fsm_skew_ms(const struct vrrp_instance *in);
unsigned vrrp_fsm_master_down_ms(const struct vrrp_instance *in);
/* Restarts the advert timer after the interval changed by reload. */
void vrrp_fsm_interval_changed(struct vrrp_instance *in);

/* ---- vrrp_sock.c ---- */

/* Opens the instance's raw socket on its interface, joins the group and
 * watches it in the loop. Returns 0, or -1 with the reason in err. */
int vrrp_sock_open(struct vrrp_instance *in, struct strbuf *err);
void vrrp_sock_close(struct vrrp_instance *in);
/* Sends one advert with this priority to the group or every peer.
 * Returns 0, or -1 (logged) when nothing could be sent. */
int vrrp_sock_send_advert(struct vrrp_instance *in, int priority);
/* Hands the pacer thread (vrrp_pacer.h) in's advert at its priority, to
 * send every interval from one interval from now (keep_due: when the next
 * was due). Returns 0, or -1 when it cannot (no socket, no source
 * address, no pacer). */
int vrrp_sock_pace(struct vrrp_instance *in, bool keep_due);
/* A master's advert changed (VIPs, authentication, peers): the pacer
 * sends the new one from its next due time. */
void vrrp_fsm_adverts_refresh(struct vrrp_instance *in);
/* Stops a master's periodic adverts (the pacer's, or the timer's). */
void vrrp_fsm_adverts_stop(struct vrrp_instance *in);
/* Adds the adverts the pacer sent to in's statistics, and logs its send
 * failures (at most one line every 10 s). */
void vrrp_fsm_adverts_sync(struct vrrp_instance *in);
/* Milliseconds to in's next periodic advert, -1 when none is due. */
int64_t vrrp_fsm_advert_left_ms(struct vrrp_instance *in);
/* Finds the address adverts leave from: the configured source, or the
 * interface's first IPv4 address / IPv6 link-local address that is not
 * one of our VIPs. Returns false when there is none. */
bool vrrp_sock_refresh_src(struct vrrp_instance *in);

/* ---- vrrp_vip.c ---- */

/* Opens the engine's rtnetlink socket. Returns 0, or -1 with err. */
int vrrp_vip_engine_init(struct vrrp_engine *eng, struct strbuf *err);
void vrrp_vip_engine_stop(struct vrrp_engine *eng);
/* Prepares the instance's announcement timer (once, at creation). */
void vrrp_vip_instance_init(struct vrrp_instance *in);
/* RT_SCOPE_* for keepalived's scope words ("host", "link", "global" ...);
 * -1 when unknown. */
int vrrp_vip_scope(const char *word);
/* Adds (or removes) every VIP of the instance; failures are logged and
 * the others still go ahead. */
void vrrp_vip_add_all(struct vrrp_instance *in);
void vrrp_vip_del_all(struct vrrp_instance *in);
/* Removes every VIP of the instance whether or not we added it: a
 * backup starting after a kill -9 must not keep the old master's VIPs. */
void vrrp_vip_purge(struct vrrp_instance *in);
int vrrp_vip_add(struct vrrp_instance *in, struct vrrp_vip *v);
int vrrp_vip_del(struct vrrp_instance *in, struct vrrp_vip *v);
/* Sends `count` gratuitous ARPs / unsolicited NAs for each installed VIP. */
void vrrp_vip_announce(struct vrrp_instance *in, int count);
/* On becoming master: announces now, then after garp_master_delay, then
 * every garp_master_refresh. */
void vrrp_vip_announce_start(struct vrrp_instance *in);
void vrrp_vip_announce_stop(struct vrrp_instance *in);
/* The address of a VIP, for people ("192.0.2.100/32"). */
void vrrp_vip_text(const struct vrrp_vip *v, struct strbuf *out);

/* ---- vrrp_track.c ---- */

/* Prepares the link poll timer (first thing), then starts it. */
void vrrp_track_init(struct vrrp_engine *eng);
void vrrp_track_start(struct vrrp_engine *eng);
void vrrp_track_stop(struct vrrp_engine *eng);
/* Looks at the instance's interface and tracked interfaces now: opens
 * the socket when its interface appeared, enters or leaves FAULT, and
 * adjusts the priority by the track weights. */
void vrrp_track_instance(struct vrrp_instance *in);

/* ---- vrrp_script.c ---- */

/* Makes the running track scripts match cfg: the vrrp_scripts that some
 * instance tracks run, an unchanged one keeps its result and timer, a new
 * or changed one starts now (counting as good until its first run ends). */
void vrrp_script_reconcile(struct vrrp_engine *eng, const struct config *cfg);
/* Stops every track script (running ones are killed) and frees them. */
void vrrp_script_stop_all(struct vrrp_engine *eng);

/* ---- vrrp_stats.c ---- */

/* Counts one dropped packet and logs it, at most once per reason per
 * instance every 10 s. An authentication failure or a protocol error
 * (TTL, version, checksum) is also journalled: an EVENT_ERROR event on
 * "vrrp NAME", new state "auth-failure" or "protocol-error", reason
 * "<MIB reason name> from <source>: <text>", at most one per class per
 * instance every 10 s, the next saying how many were dropped between.
 * The SNMP engine turns these into vrrpTrapAuthFailure /
 * vrrpv3ProtoError. */
void vrrp_stats_drop(struct vrrp_instance *in, enum vrrp_rx_result why,
		     const unsigned char *src, const char *detail);
/* The counters as a JSON object, keys VRRP-MIB style. */
struct json_object *vrrp_stats_json(const struct vrrp_stats *st);
/* The counters as "name value" lines, indented. */
void vrrp_stats_text(const struct vrrp_stats *st, struct strbuf *out);

/* ---- vrrp_notify.c ---- */

/* Gives the instance its notifier: the one a previous instance of the
 * same name left still busy (so the order holds), or a new one. */
void vrrp_notify_attach(struct vrrp_instance *in);
/* Runs the notify scripts configured for entering state. */
void vrrp_notify(struct vrrp_instance *in, enum vrrp_state state);
/* The instance is going away: its notifier finishes what is queued on its
 * own (notify_stop among it), then frees itself. */
void vrrp_notify_detach(struct vrrp_instance *in);
/* True while some notify script of the engine is queued or running. */
bool vrrp_notify_busy(const struct vrrp_engine *eng);
/* Cancels every notify script still queued or running, and frees the
 * notifiers whose instance is gone. */
void vrrp_notify_stop_all(struct vrrp_engine *eng);

/* ---- vrrp_observe.c ---- */

/* Tells every observer that in left state from (vrrp_fsm.c calls it). */
void vrrp_observe_notify(struct vrrp_instance *in, enum vrrp_state from);

/* ---- vrrp_cmds.c ---- */

int vrrp_cmds_register(struct grammar *g, struct strbuf *err);

/* ---- helpers ---- */

/* An address as text ("192.0.2.2", "fe80::1"). */
void vrrp_addr_text(int family, const unsigned char *a, struct strbuf *out);

#endif
