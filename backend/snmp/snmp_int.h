/* snmp_int.h: what the files of the SNMP engine share (other engines use
 * snmp.h). Only snmp_agent.c includes net-snmp's headers.
 *
 *   snmp.c        the module: configuration, status, the snapshot's age
 *   snmp_agent.c  net-snmp: AgentX session in softlbd's loop, handlers, traps
 *   snmp_snap.c   the snapshot: one sorted tree per MIB, from the engines
 *   snmp_tree.c   the sorted tree (GET / GETNEXT by binary search)
 */
#ifndef SOFTLB_SNMP_INT_H
#define SOFTLB_SNMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/loop.h"
#include "snmp/snmp_tree.h"

struct softlbd;
struct vrrp_instance;

/* The MIBs softlbd serves, each a subtree registered with the master. */
enum snmp_mib_id {
	SNMP_MIB_VRRP = 0,	/* RFC 2787 VRRP-MIB, mib-2.68 */
	SNMP_MIB_VRRPV3,	/* RFC 6527 VRRPv3-MIB, mib-2.207 */
	SNMP_MIB_KAD_GLOBAL,	/* KEEPALIVED-MIB global scalars (.1) */
	SNMP_MIB_KAD_VRRP,	/* KEEPALIVED-MIB vrrp (.2) */
	SNMP_MIB_KAD_CHECK,	/* KEEPALIVED-MIB check (.3) */
	SNMP_MIB_LVS,		/* LVS-MIB (net-snmp-lvs-module's layout) */
	SNMP_MIB_SOFTLB,	/* SOFTLB-MIB (mibs/SOFTLB-MIB.txt) */
	SNMP_MIB_COUNT
};

struct snmp_mib_def {
	const char *name;		/* "VRRP-MIB" */
	const uint32_t *root;
	size_t root_len;
	const char *descr;		/* sysORTable */
};
extern const struct snmp_mib_def snmp_mibs[SNMP_MIB_COUNT];

/* Roots and the notification OIDs the traps use. */
#define SNMP_ROOT_VRRP		1, 3, 6, 1, 2, 1, 68
#define SNMP_ROOT_VRRPV3	1, 3, 6, 1, 2, 1, 207
#define SNMP_ROOT_KAD		1, 3, 6, 1, 4, 1, 9586, 100, 5
#define SNMP_ROOT_LVS		1, 3, 6, 1, 4, 1, 8225, 4711
/* enterprises.99999: a placeholder until softlb has an IANA Private
 * Enterprise Number (mibs/SOFTLB-MIB.txt says so too). */
#define SNMP_ROOT_SOFTLB	1, 3, 6, 1, 4, 1, 99999, 1

/* What the configuration enables (global_defs). */
struct snmp_settings {
	bool mib[SNMP_MIB_COUNT];
	bool traps;
	char socket[256];		/* AgentX master */
};

/* The values served: rebuilt from the engines at most once a second. */
struct check_row;
struct snmp_snap {
	struct snmp_tree trees[SNMP_MIB_COUNT];
	struct check_row *checks;	/* the check engine's members, sorted */
	size_t n_checks, cap_checks;
	uint64_t built_ms;		/* loop time of the last build; 0: never */
	uint64_t builds;		/* how many, for show status detail */
	size_t objects;			/* entries over every tree */
};

void snmp_snap_init(struct snmp_snap *s);
void snmp_snap_free(struct snmp_snap *s);
/* Fills every tree enabled in set from the engines of d. */
void snmp_snap_build(struct snmp_snap *s, struct softlbd *d, const struct snmp_settings *set);

/* The VRRP values a trap carries, computed as the snapshot does. */
struct snmp_vrrp_trap_info {
	uint32_t ifindex, vrid;
	int family;			/* AF_INET / AF_INET6 */
	int version;			/* 2 or 3 */
	unsigned char master[16];	/* the new master's address */
	int reason;			/* vrrpv3StatisticsNewMasterReason */
};
/* False when the instance has no row in the VRRP MIBs (no interface). */
bool snmp_snap_vrrp_trap(const struct vrrp_instance *in, struct snmp_vrrp_trap_info *ti);

/* ---- snmp_agent.c ---- */

enum snmp_agent_state {
	SNMP_AGENT_CONNECTING = 0,	/* no session with the master yet */
	SNMP_AGENT_REGISTERED,		/* session open, subtrees registered */
};

struct snmp_agent;
/* Starts the subagent: net-snmp's AgentX session towards set->socket,
 * its descriptors and timeouts driven by d's loop. The snapshot s is
 * what the handlers answer from; refresh(arg) is called before a request
 * when s is older than a second. Returns NULL with the reason in err. */
struct snmp_agent *snmp_agent_start(struct softlbd *d, const struct snmp_settings *set,
				    struct snmp_snap *s, void (*refresh)(void *), void *arg,
				    char *err, size_t errlen);
/* Stops serving: unregisters every subtree and leaves the master. final:
 * softlbd is stopping, the library is shut down (it cannot be started
 * again in this process). */
void snmp_agent_stop(struct snmp_agent *a, bool final);
/* The configuration changed: registers the subtrees turned on,
 * unregisters those turned off (the session stays), takes the traps
 * flag, and reconnects when the master's address changed. */
void snmp_agent_update(struct snmp_agent *a, const struct snmp_settings *set);
/* The master's address changed: leaves the session, and the next attempt
 * (at once, then every ping interval) goes to socket. */
void snmp_agent_reconnect(struct snmp_agent *a, const char *socket);
enum snmp_agent_state snmp_agent_state(const struct snmp_agent *a, time_t *since);
/* Sends vrrpTrapNewMaster (VRRP-MIB) / vrrpv3NewMaster (VRRPv3-MIB), as
 * the settings enable. */
void snmp_agent_trap_new_master(struct snmp_agent *a, const struct snmp_vrrp_trap_info *ti);
/* Sends vrrpTrapAuthFailure (VRRP-MIB): src (4 bytes) and
 * vrrpTrapAuthErrorType invalidAuthType(1) authTypeMismatch(2)
 * authFailure(3). */
void snmp_agent_trap_auth_failure(struct snmp_agent *a, const unsigned char *src, int type);
/* Sends vrrpv3ProtoError (VRRPv3-MIB) for a VRRPv3 instance, with
 * vrrpv3StatisticsProtoErrReason = reason (ipTtlError(1),
 * versionError(2), checksumError(3), vrIdError(4)). */
void snmp_agent_trap_proto_error(struct snmp_agent *a, const struct snmp_vrrp_trap_info *ti,
				 int reason);
/* SOFTLB-MIB notifications (softlbMIB.0.notification): one journal
 * event, its fields as slbEventSeq, slbEventObject, slbEventOldState,
 * slbEventNewState, slbEventReason (NULL: empty). */
enum {
	SLB_NOTIFY_RS_UP = 1,
	SLB_NOTIFY_RS_DOWN = 2,
	SLB_NOTIFY_SERVER_UP = 3,
	SLB_NOTIFY_SERVER_DOWN = 4,
	SLB_NOTIFY_QUORUM_LOST = 5,
	SLB_NOTIFY_QUORUM_REGAINED = 6,
	SLB_NOTIFY_VRRP_TRANSITION = 7,
};
void snmp_agent_trap_event(struct snmp_agent *a, unsigned notification, uint64_t seq,
			   const char *object, const char *old_state, const char *new_state,
			   const char *reason);
/* Requests answered so far. */
uint64_t snmp_agent_requests(const struct snmp_agent *a);
/* AgentX requests (PDUs other than responses) received from the master,
 * whichever path answered them. */
uint64_t snmp_agent_pdus(const struct snmp_agent *a);
/* AgentX Get / GetNext / GetBulk PDUs answered straight from the
 * snapshot (the rest go through net-snmp's agent engine). */
uint64_t snmp_agent_fast(const struct snmp_agent *a);

#endif
