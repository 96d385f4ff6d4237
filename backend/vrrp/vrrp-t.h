/* vrrp-t.h: types of the VRRP engine (functions in vrrp.h).
 *
 * One struct vrrp_engine per softlbd (the module's private state) owns the
 * instances, the sync groups, the rtnetlink socket for VIPs and the link
 * poll timer. Each instance owns its raw socket and its timers; instances
 * are allocated one by one because the loop's timer heap points into them.
 *
 * Instance states (RFC 5798 6.4, plus fault and operator disable):
 *
 *            start: owner or state MASTER        master-down timer fires,
 *   INIT ------------------------------> MASTER <---------------------+
 *    |  start (otherwise)                  |  higher priority heard,   |
 *    +----------------------------------> BACKUP <---------------------+
 *                                          ^   handover (sends prio 0)
 *   link / tracked interface down, or a    |
 *   sync-group member in fault: any state -> FAULT -- all clear --> BACKUP
 *   operator disable: any state -> DISABLED -- enable --> INIT -> start
 */
#ifndef SOFTLB_VRRP_T_H
#define SOFTLB_VRRP_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* loop.h has no separate types header; it declares only the loop's small
 * API, and struct loop_timer must be complete to embed it. */
#include "core/loop-t.h"
#include "util/hindex.h"
#include "util/strvec.h"
#include "vrrp/vrrp_pkt-t.h"

struct softlbd;
struct nl_sock;

enum vrrp_state {
	VRRP_STATE_INIT = 0,	/* created, not started */
	VRRP_STATE_BACKUP,	/* watching the master */
	VRRP_STATE_MASTER,	/* advertising, holding the VIPs */
	VRRP_STATE_FAULT,	/* cannot serve: see fault_reason */
	VRRP_STATE_DISABLED,	/* stopped by the operator */
};

/* Per-instance counters, named after VRRP-MIB's vrrpStats* objects. */
struct vrrp_stats {
	uint64_t become_master;		/* vrrpStatsBecomeMaster */
	uint64_t advert_rcvd;		/* vrrpStatsAdvertiseRcvd: accepted */
	uint64_t advert_sent;
	uint64_t prio_zero_rcvd;	/* vrrpStatsPriorityZeroPktsRcvd */
	uint64_t prio_zero_sent;	/* vrrpStatsPriorityZeroPktsSent */
	uint64_t drops[VRRP_RX_COUNT];	/* per reason; [VRRP_RX_OK] unused */
	/* The last advert dropped for its authentication, for
	 * vrrpTrapAuthFailure: its source and reason (VRRP_RX_OK: none). */
	unsigned char last_auth_src[16];
	enum vrrp_rx_result last_auth_why;
};

/* A virtual address: virtual_ipaddress or virtual_ipaddress_excluded. */
struct vrrp_vip {
	int family;
	unsigned char addr[16];
	int prefix;
	bool has_brd;
	unsigned char brd[16];
	char *dev;		/* NULL: the instance's interface */
	char *label;		/* NULL: none */
	int scope;		/* RT_SCOPE_*; 0 (universe) by default */
	bool excluded;		/* not carried in adverts */
	bool installed;		/* added by us: ours to remove */
};

struct vrrp_track_if {
	char *name;
	int weight;		/* 0: down means fault */
	bool up;
};

/* A track_script entry: the vrrp_script's name (its state lives in the
 * engine, shared by every instance that tracks it) and the weight this
 * instance gives it. */
struct vrrp_track_ref {
	char *name;
	int weight;		/* 0: failure means fault */
};

/* A vrrp_script that at least one instance tracks. It runs every
 * interval through the script runner; its result turns bad after `fall`
 * failures in a row and good after `rise` successes in a row. Until its
 * first run ends it counts as good (keepalived without init_fail); that
 * first result then decides at once, whatever rise and fall say, so a
 * router whose service is down at start does not serve for fall
 * intervals. A run that times out, is killed or cannot start fails. */
struct vrrp_script {
	struct vrrp_engine *eng;
	char *name;
	char *cmdline;
	char *user;			/* NULL: softlbd's own user */
	unsigned interval_ms;
	unsigned timeout_ms;
	int rise, fall;
	bool good;			/* the result in force */
	bool decided;			/* a run has ended since it started */
	int streak;			/* runs in a row that disagree with good */
	uint64_t run_id;		/* the run in progress, 0: none */
	uint64_t runs, failed_runs;
	char last[160];			/* how the last run ended, for show */
	struct loop_timer timer;	/* next run */
};

/* Notify scripts of one instance, run one at a time in order. Kept apart
 * from the instance so that what it queued on its way out (notify_stop)
 * still runs after the instance is freed; an instance created again
 * under the same name takes its queue back, so the order holds. */
struct vrrp_notifier {
	struct vrrp_engine *eng;
	char *name;			/* the instance's, for logs */
	struct strvec queue;		/* command lines waiting, in order */
	uint64_t id;			/* the one running, 0: none */
	bool orphan;			/* its instance is gone */
};

/* What an instance was configured with: its own copy, so that it never
 * points into a configuration model that a reload frees. */
struct vrrp_settings {
	char *interface;
	int vrid;
	int base_priority;
	int version;
	int family;			/* of the VIPs: AF_INET or AF_INET6 */
	unsigned advert_ms;
	enum vrrp_auth auth_type;
	uint8_t auth_data[VRRP_AUTH_LEN];
	bool want_master;		/* state MASTER */
	bool nopreempt;
	uint64_t preempt_delay_ms;
	bool check_addrs;		/* !vrrp_skip_check_adv_addr */
	bool dont_track_primary;
	bool v3_checksum_as_v2;		/* v3 sum without the pseudo-header */
	struct vrrp_vip *vips;
	size_t n_vips;
	struct vrrp_track_if *tracks;
	size_t n_tracks;
	struct vrrp_track_ref *track_scripts;
	size_t n_track_scripts;
	unsigned char group[16];	/* multicast group */
	bool has_src;
	unsigned char src[16];		/* unicast_src_ip or mcast_src_ip */
	unsigned char (*peers)[16];	/* unicast_peer; none: multicast */
	size_t n_peers;
	uint64_t garp_delay_ms;
	int garp_repeat;
	uint64_t garp_refresh_ms;
	int garp_refresh_repeat;
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify_stop;
	char *notify;
};

#define VRRP_HISTORY 16

struct vrrp_transition {
	time_t when;			/* wall clock */
	enum vrrp_state from, to;
	char reason[112];
};

struct vrrp_engine;
struct vrrp_group;

struct vrrp_instance {
	struct vrrp_engine *eng;
	char *name;
	struct vrrp_settings s;
	struct vrrp_group *group;	/* sync group, or NULL */
	enum vrrp_state state;
	int ifindex;			/* 0: interface missing */
	int fd;				/* raw socket, -1 when closed */
	bool have_src;
	unsigned char src[16];		/* the address adverts leave from */
	int prio_override;		/* operator's priority, 0: none */
	struct vrrp_notifier *notifier;	/* notify scripts, in order */
	int track_delta;		/* sum of the track weights in force */
	int priority;			/* effective, as advertised */
	unsigned master_adver_ms;	/* v3: the master's interval */
	bool master_known;
	unsigned char master_addr[16];
	int master_prio;
	uint64_t preempt_at_ms;		/* preempt_delay deadline, 0: none */
	bool hold_preempt;		/* after a handover: no preemption */
	bool stop_heard;		/* backup: the master sent priority 0 */
	char own_fault[128];		/* why this instance is in fault, or "" */
	struct loop_timer adver_timer;	/* master: next advert, or, while the
					 * pacer sends them, its bookkeeping */
	bool paced;			/* the pacer thread sends its adverts */
	struct loop_timer down_timer;	/* backup: master-down */
	struct loop_timer garp_timer;	/* master: delayed and refresh GARPs */
	int garp_phase;			/* 0: delayed batch next, 1: refresh */
	struct vrrp_stats stats;
	uint64_t last_log_ms[VRRP_RX_COUNT];	/* drop log rate limit */
	/* Journal events for dropped adverts (vrrp_stats.c), per class
	 * (authentication, protocol error): when the last went, and the
	 * drops of that class since, which the next event reports. */
	uint64_t drop_event_ms[2];
	uint64_t drop_event_held[2];
	uint64_t last_send_log_ms;	/* send error log rate limit */
	uint64_t entered_ms;		/* monotonic time of the last transition */
	struct vrrp_transition hist[VRRP_HISTORY];
	size_t hist_len;		/* entries used, oldest first */
};

struct vrrp_group {
	char *name;
	struct vrrp_instance **members;
	size_t n_members;
	bool moving;			/* propagating a transition */
	enum vrrp_state notified;	/* the group state last notified */
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify;
};

/* Observers of state changes (vrrp_subscribe); called after the change. */
struct vrrp_instance;
typedef void (*vrrp_observer_fn)(const struct vrrp_instance *in, enum vrrp_state from,
				 void *arg);
#define VRRP_MAX_OBSERVERS 4
struct vrrp_observer {
	vrrp_observer_fn fn;
	void *arg;
};

struct vrrp_pacer;

struct vrrp_engine {
	struct softlbd *d;
	struct loop *loop;
	/* Sends the masters' periodic adverts from its own thread, so they
	 * leave on time whatever the control plane is doing (vrrp_pacer.h);
	 * NULL if the thread could not start (the loop's timer sends). */
	struct vrrp_pacer *pacer;
	struct nl_sock *nl;		/* rtnetlink, for VIPs */
	int ioctl_fd;			/* for interface flags and MACs */
	int arp_fd;			/* AF_PACKET, for gratuitous ARP */
	int na_fd;			/* ICMPv6, for unsolicited NA */
	struct vrrp_instance **insts;
	size_t n_insts, cap_insts;
	struct hindex by_name;		/* insts by name (vrrp_find) */
	struct vrrp_group *groups;
	size_t n_groups;
	struct loop_timer link_timer;	/* polls interface state */
	struct loop_timer prio_timer;	/* raises the control thread's priority */
	struct vrrp_script **scripts;	/* vrrp_scripts some instance tracks */
	size_t n_scripts;
	struct vrrp_notifier **orphans;	/* notifiers still busy, instance gone */
	size_t n_orphans;
	char unavailable[160];		/* why the engine cannot run, or "" */
	struct vrrp_observer observers[VRRP_MAX_OBSERVERS];
	size_t n_observers;
};

#endif
