/* ipvs-t.h: the types of the IPVS kernel interface (services, real
 * servers, timeouts, sync daemons, counters), as softlb sees them.
 *
 * These mirror the kernel's generic netlink attributes
 * (include/uapi/linux/ip_vs.h) but in host byte order and without the
 * kernel's quirks: a persistence granularity is a prefix length for both
 * families, addresses are always 16 bytes wide. Only types here; the
 * functions are in ipvs.h.
 */
#ifndef SOFTLB_LVS_IPVS_T_H
#define SOFTLB_LVS_IPVS_T_H

#include <stdint.h>
#include <netinet/in.h>

/* Scheduler and persistence-engine names: the kernel's 16 bytes with NUL. */
#define IPVS_SCHED_NAME_MAX	15
#define IPVS_PE_NAME_MAX	15
#define IPVS_IFNAME_MAX		15

/* Room for ipvs_key_format()'s "TCP [2001:db8::1]:65535" / "FWM 4294967295 IPv6". */
#define IPVS_KEY_STRLEN		64

/* An IPv4 or IPv6 address; IPv4 uses the first 4 bytes, the rest are 0. */
union ipvs_addr {
	struct in_addr in;
	struct in6_addr in6;
	uint8_t raw[16];
};

/* What names a virtual service: protocol, address and port, or a
 * firewall mark (then protocol, address and port are 0). */
struct ipvs_service_key {
	uint16_t af;		/* AF_INET or AF_INET6 */
	uint16_t protocol;	/* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP; 0 for fwmark */
	union ipvs_addr addr;
	uint16_t port;		/* host byte order */
	uint32_t fwmark;	/* non-zero: a fwmark service */
};

/* Service flags, as the kernel keeps them. The scheduler flags mean
 * different things to different schedulers, hence the aliases. */
enum ipvs_service_flag {
	IPVS_SVC_F_PERSISTENT	= 0x0001,	/* persistence (with timeout, netmask) */
	IPVS_SVC_F_HASHED	= 0x0002,	/* set by the kernel: ignore when comparing */
	IPVS_SVC_F_ONEPACKET	= 0x0004,	/* one-packet scheduling (UDP) */
	IPVS_SVC_F_SCHED1	= 0x0008,
	IPVS_SVC_F_SCHED2	= 0x0010,
	IPVS_SVC_F_SCHED3	= 0x0020,
	IPVS_SVC_F_SH_FALLBACK	= IPVS_SVC_F_SCHED1,	/* sh: skip unavailable servers */
	IPVS_SVC_F_SH_PORT	= IPVS_SVC_F_SCHED2,	/* sh: hash the source port too */
	IPVS_SVC_F_MH_FALLBACK	= IPVS_SVC_F_SCHED1,	/* mh: skip unavailable servers */
	IPVS_SVC_F_MH_PORT	= IPVS_SVC_F_SCHED2,	/* mh: hash the source port too */
};

/* The flags a user sets (everything but HASHED). */
#define IPVS_SVC_F_USER_MASK	(IPVS_SVC_F_PERSISTENT | IPVS_SVC_F_ONEPACKET | \
				 IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | \
				 IPVS_SVC_F_SCHED3)

/* Counters and rates of a service or real server. The kernel's 64-bit
 * set (STATS64) when it has one, else its 32-bit set widened. */
struct ipvs_stats {
	uint64_t conns;		/* connections scheduled */
	uint64_t inpkts;	/* packets in */
	uint64_t outpkts;	/* packets out */
	uint64_t inbytes;
	uint64_t outbytes;
	uint64_t cps;		/* connections per second (rate estimator) */
	uint64_t inpps;
	uint64_t outpps;
	uint64_t inbps;
	uint64_t outbps;
};

/* A virtual service. stats is filled when read and ignored when written. */
struct ipvs_service {
	struct ipvs_service_key key;
	char sched_name[IPVS_SCHED_NAME_MAX + 1];	/* "rr", "wlc", ... */
	uint32_t flags;		/* enum ipvs_service_flag */
	uint32_t timeout;	/* persistence timeout, seconds */
	/* Persistence granularity as a prefix length (0-32 / 1-128); the
	 * kernel keeps an IPv4 mask, and a non-contiguous one (only ipvsadm
	 * can make those) reads back as its count of leading one bits. */
	uint8_t prefix;
	char pe_name[IPVS_PE_NAME_MAX + 1];	/* persistence engine ("sip") or "" */
	struct ipvs_stats stats;
};

/* Forwarding methods (the kernel's IP_VS_CONN_F_* values). */
enum ipvs_fwd {
	IPVS_FWD_MASQ = 0,	/* NAT ("Masq") */
	IPVS_FWD_LOCAL = 1,	/* the director itself ("Local") */
	IPVS_FWD_TUNNEL = 2,	/* TUN ("Tunnel") */
	IPVS_FWD_ROUTE = 3,	/* DR ("Route") */
};

/* Tunnel encapsulations for IPVS_FWD_TUNNEL. */
enum ipvs_tun_type {
	IPVS_TUN_IPIP = 0,
	IPVS_TUN_GUE = 1,
	IPVS_TUN_GRE = 2,
};

/* Tunnel flags (GUE and GRE): checksums. */
enum ipvs_tun_flag {
	IPVS_TUN_F_NOCSUM = 0,
	IPVS_TUN_F_CSUM = 0x1,
	IPVS_TUN_F_REMCSUM = 0x2,
};

/* A real server of a service. The connection counts and stats are
 * filled when read and ignored when written. */
struct ipvs_dest {
	uint16_t af;		/* may differ from the service's only for TUN */
	union ipvs_addr addr;
	uint16_t port;		/* host byte order */
	uint32_t fwd;		/* enum ipvs_fwd */
	int32_t weight;		/* 0 = no new connections (drain) */
	uint32_t u_threshold;	/* 0 = no upper limit */
	uint32_t l_threshold;
	uint8_t tun_type;	/* enum ipvs_tun_type, when fwd is TUNNEL */
	uint16_t tun_port;	/* GUE's UDP port, host byte order */
	uint16_t tun_flags;	/* enum ipvs_tun_flag */
	uint32_t active_conns;
	uint32_t inact_conns;
	uint32_t persist_conns;
	struct ipvs_stats stats;
};

/* Connection timeouts, seconds. Writing 0 leaves that one unchanged. */
struct ipvs_timeouts {
	uint32_t tcp;
	uint32_t tcp_fin;
	uint32_t udp;
};

/* Sync daemon roles (a bit set in the kernel: both may run at once). */
enum ipvs_daemon_state {
	IPVS_DAEMON_NONE = 0,
	IPVS_DAEMON_MASTER = 1,
	IPVS_DAEMON_BACKUP = 2,
};

/* A connection sync daemon. Zero optional fields take the kernel's
 * defaults (maxlen from the MTU, port 8848, ttl 1, group 224.0.0.81). */
struct ipvs_daemon {
	uint32_t state;		/* IPVS_DAEMON_MASTER or IPVS_DAEMON_BACKUP */
	char mcast_ifn[IPVS_IFNAME_MAX + 1];
	uint32_t syncid;	/* 0-255 */
	uint16_t sync_maxlen;	/* UDP payload size */
	uint16_t mcast_port;
	uint8_t mcast_ttl;
	uint16_t mcast_af;	/* 0 (default group), AF_INET or AF_INET6 */
	union ipvs_addr mcast_group;
};

/* What one handle has asked of the kernel since it was opened, so that
 * an operator (and a test) can see what a change cost: every request
 * counts once (a dump, a get, a write, each request of a batch), and the
 * dumps and gets count what they read. */
struct ipvs_counters {
	uint64_t requests;
	uint64_t services_listed;	/* services read, by dump or get */
	uint64_t dest_lists;		/* real-server dumps (one service each) */
};

/* What the kernel says about IPVS itself. */
struct ipvs_info {
	uint32_t version;	/* 0x010201 for 1.2.1 */
	uint32_t conn_tab_size;	/* connection hash table size */
};

#endif
