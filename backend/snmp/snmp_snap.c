/* snmp_snap: the values softlbd serves over SNMP, read from the engines'
 * own state into one sorted tree per MIB.
 *
 * Nothing here reads the kernel: VRRP instances, their counters and the
 * proxy's counters are in softlbd's memory; the LVS tables show what the
 * LVS engine holds (its desired services and real servers). A build
 * walks every object once and sorts; the handlers then only search, so a
 * walk never rebuilds anything, and the snapshot is rebuilt at most once
 * a second (snmp.c).
 */
#include "config.h"

#include "snmp/snmp_int.h"
#include "config/model.h"
#include "check/check.h"
#include "core/daemon.h"
#include "lvs/lvs.h"
#include "proxy/proxy.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "vrrp/vrrp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const uint32_t root_vrrp[] = { SNMP_ROOT_VRRP };
static const uint32_t root_vrrpv3[] = { SNMP_ROOT_VRRPV3 };
static const uint32_t root_kad_global[] = { SNMP_ROOT_KAD, 1 };
static const uint32_t root_kad_vrrp[] = { SNMP_ROOT_KAD, 2 };
static const uint32_t root_kad_check[] = { SNMP_ROOT_KAD, 3 };
static const uint32_t root_lvs[] = { SNMP_ROOT_LVS };
static const uint32_t root_softlb[] = { SNMP_ROOT_SOFTLB };

#define ROOT(r) r, sizeof(r) / sizeof(r[0])
const struct snmp_mib_def snmp_mibs[SNMP_MIB_COUNT] = {
	[SNMP_MIB_VRRP] = { "VRRP-MIB", ROOT(root_vrrp), "RFC 2787 VRRP-MIB (softlb)" },
	[SNMP_MIB_VRRPV3] = { "VRRPv3-MIB", ROOT(root_vrrpv3), "RFC 6527 VRRPv3-MIB (softlb)" },
	[SNMP_MIB_KAD_GLOBAL] = { "KEEPALIVED-MIB global", ROOT(root_kad_global),
				  "KEEPALIVED-MIB global objects (softlb)" },
	[SNMP_MIB_KAD_VRRP] = { "KEEPALIVED-MIB vrrp", ROOT(root_kad_vrrp),
				"KEEPALIVED-MIB VRRP instances (softlb)" },
	[SNMP_MIB_KAD_CHECK] = { "KEEPALIVED-MIB check", ROOT(root_kad_check),
				 "KEEPALIVED-MIB virtual and real servers (softlb)" },
	[SNMP_MIB_LVS] = { "LVS-MIB", ROOT(root_lvs), "LVS-MIB (softlb)" },
	[SNMP_MIB_SOFTLB] = { "SOFTLB-MIB", ROOT(root_softlb), "SOFTLB-MIB proxies and servers" },
};

void snmp_snap_init(struct snmp_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		snmp_tree_init(&s->trees[i]);
}

void snmp_snap_free(struct snmp_snap *s)
{
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		snmp_tree_free(&s->trees[i]);
	free(s->checks);
	s->checks = NULL;
}

/* ---------------------------------------------------------------- */
/* Short-hands: a column (as a literal list) and the row's index. */

#define COL(...) (const uint32_t[]){ __VA_ARGS__ }, \
	sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t)

static void put_num(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		    const uint32_t *idx, size_t nidx, enum snmp_vtype ty, int64_t v)
{
	snmp_tree_add_num(t, col, ncol, idx, nidx, ty, v);
}

static void put_str(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		    const uint32_t *idx, size_t nidx, const char *s)
{
	snmp_tree_add_str(t, col, ncol, idx, nidx, SNMP_V_OCTETS, s ? s : "", s ? strlen(s) : 0);
}

static void put_bytes(struct snmp_tree *t, const uint32_t *col, size_t ncol,
		      const uint32_t *idx, size_t nidx, enum snmp_vtype ty,
		      const void *b, size_t len)
{
	snmp_tree_add_str(t, col, ncol, idx, nidx, ty, b, len);
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* ---------------------------------------------------------------- */
/* VRRP */

/* RFC 2787 / RFC 6527: initialize(1) backup(2) master(3). FAULT and
 * DISABLED do not take part in the protocol: initialize. */
static int oper_state(enum vrrp_state st)
{
	switch (st) {
	case VRRP_STATE_BACKUP: return 2;
	case VRRP_STATE_MASTER: return 3;
	default: return 1;
	}
}

/* KEEPALIVED-MIB VrrpState: init(0) backup(1) master(2) fault(3). */
static int kad_state(enum vrrp_state st)
{
	switch (st) {
	case VRRP_STATE_INIT: return 0;
	case VRRP_STATE_BACKUP: return 1;
	case VRRP_STATE_MASTER: return 2;
	case VRRP_STATE_FAULT: return 3;
	case VRRP_STATE_DISABLED: return 5;	/* shutdown */
	}
	return 4;
}

/* When the instance last left initialize (INIT, FAULT or DISABLED), wall
 * clock; 0 while it is in one of them. Its transition history is the
 * source; when that rolled over, softlbd's start. */
static time_t up_since(const struct vrrp_instance *in, time_t started)
{
	if (oper_state(in->state) == 1)
		return 0;
	for (size_t i = in->hist_len; i-- > 0;) {
		const struct vrrp_transition *h = &in->hist[i];

		if (oper_state(h->from) == 1 && oper_state(h->to) != 1)
			return h->when;
	}
	return started;
}

/* vrrpv3StatisticsNewMasterReason of the last transition to MASTER:
 * notMaster(0) priority(1) preempted(2) masterNoResponse(3). */
static int new_master_reason(const struct vrrp_instance *in)
{
	for (size_t i = in->hist_len; i-- > 0;) {
		const struct vrrp_transition *h = &in->hist[i];

		if (h->to != VRRP_STATE_MASTER)
			continue;
		if (strstr(h->reason, "no advert") || strstr(h->reason, "priority 0"))
			return 3;
		if (strstr(h->reason, "preempt"))
			return 2;
		return 1;
	}
	return in->stats.become_master ? 1 : 0;
}

/* The master's address: ours when master, the last advert's source when
 * backup, none otherwise. */
static void master_addr(const struct vrrp_instance *in, unsigned char out[16])
{
	memset(out, 0, 16);
	if (in->state == VRRP_STATE_MASTER && in->have_src)
		memcpy(out, in->src, 16);
	else if (in->state == VRRP_STATE_BACKUP && in->master_known)
		memcpy(out, in->master_addr, 16);
}

bool snmp_snap_vrrp_trap(const struct vrrp_instance *in, struct snmp_vrrp_trap_info *ti)
{
	if (in->ifindex <= 0)
		return false;
	ti->ifindex = (uint32_t)in->ifindex;
	ti->vrid = (uint32_t)in->s.vrid;
	ti->family = in->s.family;
	ti->version = in->s.version;
	master_addr(in, ti->master);
	ti->reason = new_master_reason(in);
	return true;
}

static size_t n_vips(const struct vrrp_instance *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->s.n_vips; i++)
		if (!in->s.vips[i].excluded && in->s.vips[i].family == in->s.family)
			n++;
	return n;
}

static void vrrp_mac(const struct vrrp_instance *in, unsigned char mac[6])
{
	mac[0] = 0x00;
	mac[1] = 0x00;
	mac[2] = 0x5e;
	mac[3] = 0x00;
	mac[4] = in->s.family == AF_INET6 ? 0x02 : 0x01;
	mac[5] = (unsigned char)in->s.vrid;
}

struct vrrp_sums {
	uint64_t checksum, version, vrid;
};

/* RFC 2787: IPv4 VRRPv2 instances, by ifIndex and VRID. */
static void vrrp2_instance(struct snmp_tree *t, const struct vrrp_instance *in, time_t started)
{
	uint32_t idx[2 + 4] = { (uint32_t)in->ifindex, (uint32_t)in->s.vrid };
	const struct vrrp_stats *st = &in->stats;
	unsigned char mac[6], m[16];
	time_t since = up_since(in, started);
	int auth = in->s.auth_type == VRRP_AUTH_PASS ? 2 : in->s.auth_type == VRRP_AUTH_AH ? 3 : 1;

	vrrp_mac(in, mac);
	master_addr(in, m);
	put_bytes(t, COL(1, 3, 1, 2), idx, 2, SNMP_V_OCTETS, mac, 6);
	put_num(t, COL(1, 3, 1, 3), idx, 2, SNMP_V_INTEGER, oper_state(in->state));
	put_num(t, COL(1, 3, 1, 4), idx, 2, SNMP_V_INTEGER,
		in->state == VRRP_STATE_DISABLED ? 2 : 1);
	put_num(t, COL(1, 3, 1, 5), idx, 2, SNMP_V_INTEGER, in->priority);
	put_num(t, COL(1, 3, 1, 6), idx, 2, SNMP_V_INTEGER, (int64_t)n_vips(in));
	put_bytes(t, COL(1, 3, 1, 7), idx, 2, SNMP_V_IPADDRESS, m, 4);
	put_bytes(t, COL(1, 3, 1, 8), idx, 2, SNMP_V_IPADDRESS,
		  in->have_src ? in->src : (const unsigned char[4]){ 0 }, 4);
	put_num(t, COL(1, 3, 1, 9), idx, 2, SNMP_V_INTEGER, auth);
	/* RFC 2787: "when read, vrrpOperAuthKey always returns an Octet
	 * String of length zero". */
	put_str(t, COL(1, 3, 1, 10), idx, 2, "");
	put_num(t, COL(1, 3, 1, 11), idx, 2, SNMP_V_INTEGER, in->s.advert_ms / 1000);
	put_num(t, COL(1, 3, 1, 12), idx, 2, SNMP_V_INTEGER, in->s.nopreempt ? 2 : 1);
	/* TimeStamp: the subagent's sysUpTime is softlbd's uptime. */
	put_num(t, COL(1, 3, 1, 13), idx, 2, SNMP_V_TIMETICKS,
		since && since >= started ? (int64_t)(since - started) * 100 : 0);
	put_num(t, COL(1, 3, 1, 14), idx, 2, SNMP_V_INTEGER, 1);	/* ip */
	put_num(t, COL(1, 3, 1, 15), idx, 2, SNMP_V_INTEGER, 1);	/* active */

	for (size_t i = 0; i < in->s.n_vips; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];
		size_t n = 2;

		if (v->excluded || v->family != AF_INET)
			continue;
		snmp_idx_bytes(idx, &n, v->addr, 4, false);
		put_num(t, COL(1, 4, 1, 2), idx, n, SNMP_V_INTEGER, 1);
	}

	put_num(t, COL(2, 4, 1, 1), idx, 2, SNMP_V_COUNTER32, (int64_t)st->become_master);
	put_num(t, COL(2, 4, 1, 2), idx, 2, SNMP_V_COUNTER32, (int64_t)st->advert_rcvd);
	put_num(t, COL(2, 4, 1, 3), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_INTERVAL]);
	put_num(t, COL(2, 4, 1, 4), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_AUTH_FAIL]);
	put_num(t, COL(2, 4, 1, 5), idx, 2, SNMP_V_COUNTER32, (int64_t)st->drops[VRRP_RX_TTL]);
	put_num(t, COL(2, 4, 1, 6), idx, 2, SNMP_V_COUNTER32, (int64_t)st->prio_zero_rcvd);
	put_num(t, COL(2, 4, 1, 7), idx, 2, SNMP_V_COUNTER32, (int64_t)st->prio_zero_sent);
	put_num(t, COL(2, 4, 1, 8), idx, 2, SNMP_V_COUNTER32, (int64_t)st->drops[VRRP_RX_TYPE]);
	put_num(t, COL(2, 4, 1, 9), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_ADDR_LIST]);
	put_num(t, COL(2, 4, 1, 10), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_AUTH_INVALID]);
	put_num(t, COL(2, 4, 1, 11), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_AUTH_MISMATCH]);
	put_num(t, COL(2, 4, 1, 12), idx, 2, SNMP_V_COUNTER32,
		(int64_t)st->drops[VRRP_RX_LENGTH]);
}

/* vrrpv3StatisticsProtoErrReason: the engine counts errors by reason but
 * does not record which came last, so this names the first reason with
 * a non-zero count in the MIB's order: noError(0) ipTtlError(1)
 * versionError(2) checksumError(3) vrIdError(4). */
static int proto_err_reason(const struct vrrp_stats *st)
{
	if (st->drops[VRRP_RX_TTL])
		return 1;
	if (st->drops[VRRP_RX_VERSION])
		return 2;
	if (st->drops[VRRP_RX_CHECKSUM])
		return 3;
	if (st->drops[VRRP_RX_VRID])
		return 4;
	return 0;
}

/* RFC 6527: VRRPv3 instances of both families, by ifIndex, VRID and
 * address type. */
static void vrrp3_instance(struct snmp_tree *t, const struct vrrp_instance *in, time_t now)
{
	uint32_t idx[SNMP_SUFFIX_MAX] = { (uint32_t)in->ifindex, (uint32_t)in->s.vrid,
					  in->s.family == AF_INET6 ? 2 : 1 };
	const struct vrrp_stats *st = &in->stats;
	size_t al = addr_len(in->s.family);
	unsigned char mac[6], m[16];
	time_t since = up_since(in, 0);

	vrrp_mac(in, mac);
	master_addr(in, m);
	put_bytes(t, COL(1, 1, 1, 1, 3), idx, 3, SNMP_V_OCTETS, m, al);
	put_bytes(t, COL(1, 1, 1, 1, 4), idx, 3, SNMP_V_OCTETS,
		  in->have_src ? in->src : (const unsigned char[16]){ 0 }, al);
	put_bytes(t, COL(1, 1, 1, 1, 5), idx, 3, SNMP_V_OCTETS, mac, 6);
	put_num(t, COL(1, 1, 1, 1, 6), idx, 3, SNMP_V_INTEGER, oper_state(in->state));
	put_num(t, COL(1, 1, 1, 1, 7), idx, 3, SNMP_V_UNSIGNED, in->priority);
	put_num(t, COL(1, 1, 1, 1, 8), idx, 3, SNMP_V_INTEGER, (int64_t)n_vips(in));
	put_num(t, COL(1, 1, 1, 1, 9), idx, 3, SNMP_V_INTEGER, in->s.advert_ms / 10);
	put_num(t, COL(1, 1, 1, 1, 10), idx, 3, SNMP_V_INTEGER, in->s.nopreempt ? 2 : 1);
	/* softlb's VRRP never accepts packets for the VIPs it does not own
	 * beyond what the kernel does: false(2). */
	put_num(t, COL(1, 1, 1, 1, 11), idx, 3, SNMP_V_INTEGER, 2);
	put_num(t, COL(1, 1, 1, 1, 12), idx, 3, SNMP_V_TIMETICKS,
		since && now >= since ? (int64_t)(now - since) * 100 : 0);
	put_num(t, COL(1, 1, 1, 1, 13), idx, 3, SNMP_V_INTEGER, 1);

	for (size_t i = 0; i < in->s.n_vips; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];
		size_t n = 3;

		if (v->excluded || v->family != in->s.family)
			continue;
		snmp_idx_bytes(idx, &n, v->addr, al, true);
		put_num(t, COL(1, 1, 2, 1, 2), idx, n, SNMP_V_INTEGER, 1);
	}

	put_num(t, COL(1, 2, 5, 1, 1), idx, 3, SNMP_V_COUNTER32, (int64_t)st->become_master);
	put_num(t, COL(1, 2, 5, 1, 2), idx, 3, SNMP_V_INTEGER, new_master_reason(in));
	put_num(t, COL(1, 2, 5, 1, 3), idx, 3, SNMP_V_COUNTER64, (int64_t)st->advert_rcvd);
	put_num(t, COL(1, 2, 5, 1, 4), idx, 3, SNMP_V_COUNTER64,
		(int64_t)st->drops[VRRP_RX_INTERVAL]);
	put_num(t, COL(1, 2, 5, 1, 5), idx, 3, SNMP_V_COUNTER64, (int64_t)st->drops[VRRP_RX_TTL]);
	put_num(t, COL(1, 2, 5, 1, 6), idx, 3, SNMP_V_INTEGER, proto_err_reason(st));
	put_num(t, COL(1, 2, 5, 1, 7), idx, 3, SNMP_V_COUNTER64, (int64_t)st->prio_zero_rcvd);
	put_num(t, COL(1, 2, 5, 1, 8), idx, 3, SNMP_V_COUNTER64, (int64_t)st->prio_zero_sent);
	put_num(t, COL(1, 2, 5, 1, 9), idx, 3, SNMP_V_COUNTER64, (int64_t)st->drops[VRRP_RX_TYPE]);
	put_num(t, COL(1, 2, 5, 1, 10), idx, 3, SNMP_V_COUNTER64,
		(int64_t)st->drops[VRRP_RX_ADDR_LIST]);
	put_num(t, COL(1, 2, 5, 1, 11), idx, 3, SNMP_V_COUNTER64,
		(int64_t)st->drops[VRRP_RX_LENGTH]);
	put_num(t, COL(1, 2, 5, 1, 12), idx, 3, SNMP_V_TIMETICKS, 0);
	put_num(t, COL(1, 2, 5, 1, 13), idx, 3, SNMP_V_UNSIGNED, 1000);	/* ms: our refresh */
}

/* KEEPALIVED-MIB vrrpInstanceTable: the columns that fit softlb, by
 * position (as keepalived numbers them). */
static void kad_instance(struct snmp_tree *t, const struct vrrp_instance *in, uint32_t pos)
{
	uint32_t idx[1] = { pos };
	bool all_set = true;

	for (size_t i = 0; i < in->s.n_vips; i++)
		if (!in->s.vips[i].installed)
			all_set = false;
	put_str(t, COL(3, 1, 2), idx, 1, in->name);
	put_num(t, COL(3, 1, 3), idx, 1, SNMP_V_INTEGER, in->s.vrid);
	put_num(t, COL(3, 1, 4), idx, 1, SNMP_V_INTEGER, kad_state(in->state));
	put_num(t, COL(3, 1, 5), idx, 1, SNMP_V_INTEGER, in->s.want_master ? 2 : 1);
	put_num(t, COL(3, 1, 6), idx, 1, SNMP_V_INTEGER,
		in->state == VRRP_STATE_MASTER ? 2 : kad_state(in->state));
	put_num(t, COL(3, 1, 7), idx, 1, SNMP_V_INTEGER, in->s.base_priority);
	put_num(t, COL(3, 1, 8), idx, 1, SNMP_V_INTEGER, in->priority);
	/* allSet(1) notAllSet(2) */
	put_num(t, COL(3, 1, 9), idx, 1, SNMP_V_INTEGER,
		in->state == VRRP_STATE_MASTER && all_set ? 1 : 2);
	put_str(t, COL(3, 1, 10), idx, 1, in->s.interface);
	/* vrrpInstanceTrackPrimaryIf: true(1) unless dont_track_primary */
	put_num(t, COL(3, 1, 11), idx, 1, SNMP_V_INTEGER, in->s.dont_track_primary ? 2 : 1);
	put_num(t, COL(3, 1, 12), idx, 1, SNMP_V_INTEGER, in->s.advert_ms / 1000);
	put_num(t, COL(3, 1, 13), idx, 1, SNMP_V_INTEGER, in->s.nopreempt ? 2 : 1);
	put_num(t, COL(3, 1, 30), idx, 1, SNMP_V_INTEGER, in->s.version);
}

/* InetScopeType of an address scope (RT_SCOPE_*): host -> interfaceLocal(1),
 * link -> linkLocal(2), site -> siteLocal(5), universe -> global(14). */
static int inet_scope(int rt_scope)
{
	switch (rt_scope) {
	case 254: return 1;
	case 253: return 2;
	case 200: return 5;
	default: return 14;
	}
}

/* KEEPALIVED-MIB vrrpAddressTable (.2.6): an instance's virtual
 * addresses, by instance position and address position (1..n, the
 * configuration's order, excluded ones after the others as keepalived
 * lists them). */
static void kad_addresses(struct snmp_tree *t, const struct vrrp_instance *in, uint32_t pos)
{
	for (size_t i = 0; i < in->s.n_vips; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];
		uint32_t idx[2] = { pos, (uint32_t)i + 1 };
		size_t al = addr_len(v->family);
		bool own_if = !v->dev || strcmp(v->dev, in->s.interface) == 0;

		put_num(t, COL(6, 1, 2), idx, 2, SNMP_V_INTEGER, v->family == AF_INET6 ? 2 : 1);
		put_bytes(t, COL(6, 1, 3), idx, 2, SNMP_V_OCTETS, v->addr, al);
		put_bytes(t, COL(6, 1, 4), idx, 2, SNMP_V_OCTETS, v->brd, v->has_brd ? al : 0);
		put_num(t, COL(6, 1, 5), idx, 2, SNMP_V_UNSIGNED, v->prefix);
		put_num(t, COL(6, 1, 6), idx, 2, SNMP_V_INTEGER, inet_scope(v->scope));
		/* The ifIndex is known for the instance's own interface only
		 * (softlbd asks the kernel for no other here). */
		if (own_if && in->ifindex > 0)
			put_num(t, COL(6, 1, 7), idx, 2, SNMP_V_INTEGER, in->ifindex);
		put_str(t, COL(6, 1, 8), idx, 2, v->dev ? v->dev : in->s.interface);
		put_str(t, COL(6, 1, 9), idx, 2, v->label ? v->label : "");
		/* set(1) unset(2); advertised(1) notAdvertised(2) */
		put_num(t, COL(6, 1, 10), idx, 2, SNMP_V_INTEGER, v->installed ? 1 : 2);
		put_num(t, COL(6, 1, 11), idx, 2, SNMP_V_INTEGER, v->excluded ? 2 : 1);
	}
}

/* KEEPALIVED-MIB vrrpTrackedInterfaceTable (.2.4): by instance position
 * and track_interface position. The MIB's text names ifIndex as the
 * second index, but keepalived 2.2 serves the interface's position in
 * the instance's list (1..n, the configuration's order), and pollers
 * written against keepalived expect what it serves: so does softlbd
 * (tests/integration/snmp_kad.sh walks both). The weight is the one
 * softlbd applies; reverse weights do not exist in softlb: WgtRev is
 * false(2). No interface is looked up here, so a tracked interface that
 * is missing still has its row. */
static void kad_track_ifs(struct snmp_tree *t, const struct vrrp_instance *in, uint32_t pos)
{
	for (size_t i = 0; i < in->s.n_tracks; i++) {
		const struct vrrp_track_if *r = &in->s.tracks[i];
		uint32_t idx[2] = { pos, (uint32_t)i + 1 };

		put_str(t, COL(4, 1, 1), idx, 2, r->name);
		put_num(t, COL(4, 1, 2), idx, 2, SNMP_V_INTEGER, r->weight);
		put_num(t, COL(4, 1, 3), idx, 2, SNMP_V_INTEGER, 2);	/* WgtRev false(2) */
	}
}

/* KEEPALIVED-MIB vrrpTrackedScriptTable (.2.5): by instance position and
 * track_script position; the weight in force (the script's own when the
 * instance gives none). */
static void kad_track_scripts(struct snmp_tree *t, const struct vrrp_instance *in, uint32_t pos)
{
	for (size_t i = 0; i < in->s.n_track_scripts; i++) {
		const struct vrrp_track_ref *r = &in->s.track_scripts[i];
		uint32_t idx[2] = { pos, (uint32_t)i + 1 };

		put_str(t, COL(5, 1, 2), idx, 2, r->name);
		put_num(t, COL(5, 1, 3), idx, 2, SNMP_V_INTEGER, r->weight);
		put_num(t, COL(5, 1, 4), idx, 2, SNMP_V_INTEGER, 2);	/* WgtRev false(2) */
	}
}

/* KEEPALIVED-MIB vrrpSyncGroupTable (.2.1) and vrrpSyncGroupMemberTable
 * (.2.2), by group position (the configuration's order) and member
 * position. A group's state: its members' when they agree (they move
 * together), otherwise the state last notified for the group. */
static void kad_groups(struct snmp_tree *t, const struct vrrp_engine *eng)
{
	for (size_t g = 0; g < eng->n_groups; g++) {
		const struct vrrp_group *gr = &eng->groups[g];
		uint32_t idx[2] = { (uint32_t)g + 1, 0 };
		enum vrrp_state st = gr->notified;
		bool notify = gr->notify_master || gr->notify_backup || gr->notify_fault || gr->notify;

		if (gr->n_members) {
			bool same = true;

			for (size_t m = 1; m < gr->n_members; m++)
				same = same && gr->members[m]->state == gr->members[0]->state;
			if (same)
				st = gr->members[0]->state;
		}
		put_str(t, COL(1, 1, 2), idx, 1, gr->name);
		put_num(t, COL(1, 1, 3), idx, 1, SNMP_V_INTEGER, kad_state(st));
		put_num(t, COL(1, 1, 4), idx, 1, SNMP_V_INTEGER, 2);	/* no SMTP alerts */
		put_num(t, COL(1, 1, 5), idx, 1, SNMP_V_INTEGER, notify ? 1 : 2);
		put_str(t, COL(1, 1, 6), idx, 1, gr->notify_master);
		put_str(t, COL(1, 1, 7), idx, 1, gr->notify_backup);
		put_str(t, COL(1, 1, 8), idx, 1, gr->notify_fault);
		put_str(t, COL(1, 1, 9), idx, 1, gr->notify);
		for (size_t m = 0; m < gr->n_members; m++) {
			idx[1] = (uint32_t)m + 1;
			put_str(t, COL(2, 1, 2), idx, 2, gr->members[m]->name);
		}
	}
}

/* KEEPALIVED-MIB vrrpScriptTable (.2.9): the vrrp_scripts some instance
 * tracks, by position; the weight is the script's own (configuration). */
static void kad_scripts(struct snmp_tree *t, const struct vrrp_engine *eng,
			const struct config *cfg)
{
	for (size_t i = 0; i < eng->n_scripts; i++) {
		const struct vrrp_script *sc = eng->scripts[i];
		uint32_t idx[1] = { (uint32_t)i + 1 };
		int weight = 0;

		for (size_t k = 0; cfg && k < cfg->n_scripts; k++)
			if (strcmp(cfg->scripts[k].name, sc->name) == 0)
				weight = cfg->scripts[k].weight;
		put_str(t, COL(9, 1, 2), idx, 1, sc->name);
		put_str(t, COL(9, 1, 3), idx, 1, sc->cmdline);
		put_num(t, COL(9, 1, 4), idx, 1, SNMP_V_INTEGER, sc->interval_ms / 1000);
		put_num(t, COL(9, 1, 5), idx, 1, SNMP_V_INTEGER, weight);
		/* init(1) bad(2) good(3) */
		put_num(t, COL(9, 1, 6), idx, 1, SNMP_V_INTEGER,
			!sc->decided ? 1 : sc->good ? 3 : 2);
		put_num(t, COL(9, 1, 7), idx, 1, SNMP_V_UNSIGNED, sc->rise);
		put_num(t, COL(9, 1, 8), idx, 1, SNMP_V_UNSIGNED, sc->fall);
		put_num(t, COL(9, 1, 9), idx, 1, SNMP_V_INTEGER, 2);	/* WgtRev false(2) */
	}
}

static void build_vrrp(struct snmp_snap *s, struct softlbd *d, const struct snmp_settings *set)
{
	struct vrrp_engine *eng = vrrp_engine_of(d);
	struct snmp_tree *t2 = &s->trees[SNMP_MIB_VRRP];
	struct snmp_tree *t3 = &s->trees[SNMP_MIB_VRRPV3];
	struct snmp_tree *tk = &s->trees[SNMP_MIB_KAD_VRRP];
	uint64_t sum2[3] = { 0 }, sum3[3] = { 0 };
	time_t now = time(NULL);

	for (size_t i = 0; eng && i < eng->n_insts; i++) {
		const struct vrrp_instance *in = eng->insts[i];
		const struct vrrp_stats *st = &in->stats;
		uint64_t *sum = in->s.version == 3 ? sum3 : sum2;

		sum[0] += st->drops[VRRP_RX_CHECKSUM];
		sum[1] += st->drops[VRRP_RX_VERSION];
		sum[2] += st->drops[VRRP_RX_VRID];
		if (set->mib[SNMP_MIB_KAD_VRRP]) {
			kad_instance(tk, in, (uint32_t)i + 1);
			kad_track_ifs(tk, in, (uint32_t)i + 1);
			kad_track_scripts(tk, in, (uint32_t)i + 1);
			kad_addresses(tk, in, (uint32_t)i + 1);
		}
		if (in->ifindex <= 0)
			continue;	/* no interface: no ifIndex to index by */
		if (set->mib[SNMP_MIB_VRRP] && in->s.version == 2 && in->s.family == AF_INET)
			vrrp2_instance(t2, in, d->started);
		if (set->mib[SNMP_MIB_VRRPV3] && in->s.version == 3)
			vrrp3_instance(t3, in, now);
	}
	if (eng && set->mib[SNMP_MIB_KAD_VRRP]) {
		kad_groups(tk, eng);
		kad_scripts(tk, eng, d->config);
	}
	if (set->mib[SNMP_MIB_VRRP]) {
		put_num(t2, COL(1, 1, 0), NULL, 0, SNMP_V_INTEGER, 2);
		/* vrrpNotificationCntl: enabled(1) disabled(2) */
		put_num(t2, COL(1, 2, 0), NULL, 0, SNMP_V_INTEGER, set->traps ? 1 : 2);
		put_num(t2, COL(2, 1, 0), NULL, 0, SNMP_V_COUNTER32, (int64_t)sum2[0]);
		put_num(t2, COL(2, 2, 0), NULL, 0, SNMP_V_COUNTER32, (int64_t)sum2[1]);
		put_num(t2, COL(2, 3, 0), NULL, 0, SNMP_V_COUNTER32, (int64_t)sum2[2]);
	}
	if (set->mib[SNMP_MIB_VRRPV3]) {
		put_num(t3, COL(1, 2, 1, 0), NULL, 0, SNMP_V_COUNTER64, (int64_t)sum3[0]);
		put_num(t3, COL(1, 2, 2, 0), NULL, 0, SNMP_V_COUNTER64, (int64_t)sum3[1]);
		put_num(t3, COL(1, 2, 3, 0), NULL, 0, SNMP_V_COUNTER64, (int64_t)sum3[2]);
		put_num(t3, COL(1, 2, 4, 0), NULL, 0, SNMP_V_TIMETICKS, 0);
	}
}

/* KEEPALIVED-MIB global scalars: version, routerId, trapEnable. */
static void build_kad_global(struct snmp_tree *t, struct softlbd *d, const struct snmp_settings *set)
{
	const char *rid = d->config && d->config->global.router_id ? d->config->global.router_id
								 : d->hostname;

	put_str(t, COL(1, 0), NULL, 0, "softlb " PACKAGE_VERSION);
	put_str(t, COL(2, 0), NULL, 0, rid);
	put_num(t, COL(4, 0), NULL, 0, SNMP_V_INTEGER, set->traps ? 1 : 2);
}

/* ---------------------------------------------------------------- */
/* LVS-MIB: net-snmp-lvs-module's layout, positional indexes (1..n in the
 * engine's order), IPv4 addresses only in its IpAddress columns (an
 * IPv6 service shows 0.0.0.0 there, as the module could not show it). */

static void ipv4_of(uint16_t af, const union ipvs_addr *a, unsigned char out[4])
{
	memset(out, 0, 4);
	if (af == AF_INET)
		memcpy(out, a, 4);
}

static void build_lvs(struct snmp_tree *t, struct softlbd *d)
{
	struct lvs_engine *e = lvs_engine_of(d);
	const struct lvs_desired *w = e ? &e->want : NULL;
	char ver[32];
	size_t n = w ? w->n_svcs : 0;

	if (e && e->info.version)
		snprintf(ver, sizeof(ver), "%u.%u.%u", (e->info.version >> 16) & 0xff,
			 (e->info.version >> 8) & 0xff, e->info.version & 0xff);
	else
		snprintf(ver, sizeof(ver), "unavailable");
	put_str(t, COL(1, 0), NULL, 0, ver);
	put_num(t, COL(2, 0), NULL, 0, SNMP_V_INTEGER, (int64_t)n);
	put_num(t, COL(3, 0), NULL, 0, SNMP_V_INTEGER, e ? (int64_t)e->info.conn_tab_size : 0);
	put_num(t, COL(4, 0), NULL, 0, SNMP_V_INTEGER, w ? (int64_t)w->timeouts.tcp * 100 : 0);
	put_num(t, COL(5, 0), NULL, 0, SNMP_V_INTEGER, w ? (int64_t)w->timeouts.tcp_fin * 100 : 0);
	put_num(t, COL(6, 0), NULL, 0, SNMP_V_INTEGER, w ? (int64_t)w->timeouts.udp * 100 : 0);
	put_num(t, COL(7, 0), NULL, 0, SNMP_V_INTEGER,
		w && w->want_daemon ? (w->daemon.state == IPVS_DAEMON_BACKUP ? 2 : 1) : 0);
	put_str(t, COL(8, 0), NULL, 0, w && w->want_daemon ? w->daemon.mcast_ifn : "");

	for (size_t i = 0; i < n; i++) {
		const struct lvs_svc_want *sw = &w->svcs[i];
		const struct ipvs_service *sv = &sw->svc;
		const struct ipvs_stats *st = &sv->stats;
		uint32_t idx[2] = { (uint32_t)i + 1, 0 };
		unsigned char a[4], mask[4] = { 0 };
		uint32_t m = sv->prefix >= 32 ? 0xffffffffu
			   : sv->prefix ? ~(0xffffffffu >> sv->prefix) : 0;

		m = htonl(m);
		memcpy(mask, &m, 4);
		ipv4_of(sv->key.af, &sv->key.addr, a);
		put_num(t, COL(17, 1, 1), idx, 1, SNMP_V_INTEGER, i + 1);
		put_str(t, COL(17, 1, 2), idx, 1, sv->sched_name);
		put_num(t, COL(17, 1, 3), idx, 1, SNMP_V_INTEGER, sv->key.protocol);
		put_bytes(t, COL(17, 1, 4), idx, 1, SNMP_V_IPADDRESS, a, 4);
		put_num(t, COL(17, 1, 5), idx, 1, SNMP_V_INTEGER, sv->key.port);
		put_num(t, COL(17, 1, 6), idx, 1, SNMP_V_UNSIGNED, sv->key.fwmark);
		put_num(t, COL(17, 1, 7), idx, 1, SNMP_V_UNSIGNED, sv->timeout);
		put_bytes(t, COL(17, 1, 8), idx, 1, SNMP_V_IPADDRESS, mask, 4);
		put_num(t, COL(17, 1, 9), idx, 1, SNMP_V_INTEGER, (int64_t)sw->n_dests);
		put_num(t, COL(17, 1, 10), idx, 1, SNMP_V_COUNTER32, (int64_t)st->conns);
		put_num(t, COL(17, 1, 11), idx, 1, SNMP_V_COUNTER32, (int64_t)st->inpkts);
		put_num(t, COL(17, 1, 12), idx, 1, SNMP_V_COUNTER32, (int64_t)st->outpkts);
		put_num(t, COL(17, 1, 13), idx, 1, SNMP_V_COUNTER64, (int64_t)st->inbytes);
		put_num(t, COL(17, 1, 14), idx, 1, SNMP_V_COUNTER64, (int64_t)st->outbytes);
		put_num(t, COL(17, 1, 15), idx, 1, SNMP_V_UNSIGNED, (int64_t)st->cps);
		put_num(t, COL(17, 1, 16), idx, 1, SNMP_V_UNSIGNED, (int64_t)st->inpps);
		put_num(t, COL(17, 1, 17), idx, 1, SNMP_V_UNSIGNED, (int64_t)st->outpps);
		put_num(t, COL(17, 1, 18), idx, 1, SNMP_V_UNSIGNED, (int64_t)st->inbps);
		put_num(t, COL(17, 1, 19), idx, 1, SNMP_V_UNSIGNED, (int64_t)st->outbps);
		for (size_t k = 0; k < sw->n_dests; k++) {
			const struct ipvs_dest *de = &sw->dests[k].dest;
			const struct ipvs_stats *ds = &de->stats;

			idx[1] = (uint32_t)k + 1;
			ipv4_of(de->af, &de->addr, a);
			put_num(t, COL(18, 1, 1), idx, 2, SNMP_V_INTEGER, i + 1);
			put_num(t, COL(18, 1, 2), idx, 2, SNMP_V_INTEGER, k + 1);
			put_bytes(t, COL(18, 1, 3), idx, 2, SNMP_V_IPADDRESS, a, 4);
			put_num(t, COL(18, 1, 4), idx, 2, SNMP_V_INTEGER, de->port);
			put_num(t, COL(18, 1, 5), idx, 2, SNMP_V_INTEGER, de->fwd & 0x7);
			put_num(t, COL(18, 1, 6), idx, 2, SNMP_V_INTEGER, de->weight);
			put_num(t, COL(18, 1, 7), idx, 2, SNMP_V_COUNTER32, (int64_t)ds->conns);
			put_num(t, COL(18, 1, 8), idx, 2, SNMP_V_COUNTER32, (int64_t)ds->inpkts);
			put_num(t, COL(18, 1, 9), idx, 2, SNMP_V_COUNTER32, (int64_t)ds->outpkts);
			put_num(t, COL(18, 1, 10), idx, 2, SNMP_V_COUNTER64, (int64_t)ds->inbytes);
			put_num(t, COL(18, 1, 11), idx, 2, SNMP_V_COUNTER64, (int64_t)ds->outbytes);
			put_num(t, COL(18, 1, 12), idx, 2, SNMP_V_UNSIGNED, (int64_t)ds->cps);
			put_num(t, COL(18, 1, 13), idx, 2, SNMP_V_UNSIGNED, (int64_t)ds->inpps);
			put_num(t, COL(18, 1, 14), idx, 2, SNMP_V_UNSIGNED, (int64_t)ds->outpps);
			put_num(t, COL(18, 1, 15), idx, 2, SNMP_V_UNSIGNED, (int64_t)ds->inbps);
			put_num(t, COL(18, 1, 16), idx, 2, SNMP_V_UNSIGNED, (int64_t)ds->outbps);
		}
	}
}

/* ---------------------------------------------------------------- */
/* KEEPALIVED-MIB check part (.3): virtualServerTable and realServerTable,
 * the LVS engine's services and real servers with keepalived's
 * positional indexes (1..n in the engine's order; a group's services are
 * rows of their own, type group), and lvsTimeouts. Counters and rates as
 * the LVS-MIB's: what the reconcile pass last read from IPVS. */

/* virtualServerLoadBalancingAlgo: rr(1) wrr(2) lc(3) wlc(4) lblc(5)
 * lblcr(6) dh(7) sh(8) sed(9) nq(10) fo(11) ovf(12) mh(13) twos(14)
 * unknown(99). */
static int kad_algo(const char *sched)
{
	static const char *const names[] = { "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
					     "sh", "sed", "nq", "fo", "ovf", "mh", "twos" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(sched, names[i]) == 0)
			return (int)i + 1;
	return 99;
}

/* virtualServerLoadBalancingKind / realServerForwardingMethod from
 * IPVS's forwarding (masq 0, local 1, tunnel 2, route 3): nat(1) dr(2)
 * tun(3). */
static int kad_kind(uint32_t fwd)
{
	switch (fwd & 0x7) {
	case 2: return 3;
	case 3: return 2;
	default: return 1;
	}
}

/* tcp(1) udp(2) sctp(3) none(4) */
static int kad_proto(uint16_t proto)
{
	return proto == IPPROTO_TCP ? 1 : proto == IPPROTO_UDP ? 2 : proto == IPPROTO_SCTP ? 3 : 4;
}

static void kad_stats(struct snmp_tree *t, uint32_t tab, const uint32_t *idx, size_t n,
		      uint32_t c_conns, uint32_t c_rates, uint32_t c_64, const struct ipvs_stats *st)
{
	put_num(t, COL(tab, 1, c_conns), idx, n, SNMP_V_UNSIGNED, (int64_t)st->conns);
	put_num(t, COL(tab, 1, c_conns + 1), idx, n, SNMP_V_COUNTER32, (int64_t)st->inpkts);
	put_num(t, COL(tab, 1, c_conns + 2), idx, n, SNMP_V_COUNTER32, (int64_t)st->outpkts);
	put_num(t, COL(tab, 1, c_conns + 3), idx, n, SNMP_V_COUNTER64, (int64_t)st->inbytes);
	put_num(t, COL(tab, 1, c_conns + 4), idx, n, SNMP_V_COUNTER64, (int64_t)st->outbytes);
	put_num(t, COL(tab, 1, c_rates), idx, n, SNMP_V_UNSIGNED, (int64_t)st->cps);
	put_num(t, COL(tab, 1, c_rates + 1), idx, n, SNMP_V_UNSIGNED, (int64_t)st->inpps);
	put_num(t, COL(tab, 1, c_rates + 2), idx, n, SNMP_V_UNSIGNED, (int64_t)st->outpps);
	put_num(t, COL(tab, 1, c_rates + 3), idx, n, SNMP_V_UNSIGNED, (int64_t)st->inbps);
	put_num(t, COL(tab, 1, c_rates + 4), idx, n, SNMP_V_UNSIGNED, (int64_t)st->outbps);
	put_num(t, COL(tab, 1, c_64), idx, n, SNMP_V_COUNTER64, (int64_t)st->conns);
	put_num(t, COL(tab, 1, c_64 + 1), idx, n, SNMP_V_COUNTER64, (int64_t)st->inpkts);
	put_num(t, COL(tab, 1, c_64 + 2), idx, n, SNMP_V_COUNTER64, (int64_t)st->outpkts);
}

/* virtualServerGroupTable (.3.1) and virtualServerGroupMemberTable
 * (.3.2), from the configuration (a group is configuration: what IPVS
 * holds of it are virtualServerTable's rows of type group), by group and
 * entry position: type fwmark(1) ip(2) iprange(3), the mark, the address
 * (Addr1 / Addr2: a range's first and last), the port. */
static void kad_vs_groups(struct snmp_tree *t, const struct config *cfg)
{
	for (size_t g = 0; cfg && g < cfg->n_vs_groups; g++) {
		const struct cfg_vs_group *vg = &cfg->vs_groups[g];
		uint32_t idx[2] = { (uint32_t)g + 1, 0 };

		put_str(t, COL(1, 1, 2), idx, 1, vg->name);
		for (size_t k = 0; k < vg->n_entries; k++) {
			const struct cfg_vsg_entry *ve = &vg->entries[k];
			size_t al = ve->addr.af == CFG_AF_INET6 ? 16 : 4;
			bool range = !ve->is_fwmark && ve->range_last != CFG_UNSET;

			idx[1] = (uint32_t)k + 1;
			put_num(t, COL(2, 1, 2), idx, 2, SNMP_V_INTEGER,
				ve->is_fwmark ? 1 : range ? 3 : 2);
			if (ve->is_fwmark) {
				put_num(t, COL(2, 1, 3), idx, 2, SNMP_V_UNSIGNED, ve->fwmark);
				continue;
			}
			put_num(t, COL(2, 1, 4), idx, 2, SNMP_V_INTEGER,
				ve->addr.af == CFG_AF_INET6 ? 2 : 1);
			if (range) {
				unsigned char last[16];

				memcpy(last, ve->addr.b, 16);
				if (al == 4) {
					last[3] = (unsigned char)ve->range_last;
				} else {
					last[14] = (unsigned char)(ve->range_last >> 8);
					last[15] = (unsigned char)ve->range_last;
				}
				put_bytes(t, COL(2, 1, 6), idx, 2, SNMP_V_OCTETS, ve->addr.b, al);
				put_bytes(t, COL(2, 1, 7), idx, 2, SNMP_V_OCTETS, last, al);
			} else {
				put_bytes(t, COL(2, 1, 5), idx, 2, SNMP_V_OCTETS, ve->addr.b, al);
			}
			if (ve->port != CFG_UNSET)
				put_num(t, COL(2, 1, 8), idx, 2, SNMP_V_UNSIGNED, ve->port);
		}
	}
}

static int quorum_num(const struct lvs_engine *e, const char *vs_name);

static void build_kad_check(struct snmp_tree *t, struct softlbd *d)
{
	struct lvs_engine *e = lvs_engine_of(d);
	const struct lvs_desired *w = e ? &e->want : NULL;

	for (size_t i = 0; w && i < w->n_svcs; i++) {
		const struct lvs_svc_want *sw = &w->svcs[i];
		const struct ipvs_service *sv = &sw->svc;
		uint32_t idx[2] = { (uint32_t)i + 1, 0 };
		bool group = strncmp(sw->vs_name, "group ", 6) == 0;
		size_t up = 0;

		for (size_t k = 0; k < sw->n_dests; k++)
			up += sw->dests[k].state == LVS_RS_UP || sw->dests[k].state == LVS_RS_DRAINING;
		/* fwmark(1) ip(2) group(3) */
		put_num(t, COL(3, 1, 2), idx, 1, SNMP_V_INTEGER,
			group ? 3 : sv->key.fwmark ? 1 : 2);
		if (group)
			put_str(t, COL(3, 1, 3), idx, 1, sw->vs_name + 6);
		put_num(t, COL(3, 1, 4), idx, 1, SNMP_V_UNSIGNED, sv->key.fwmark);
		put_num(t, COL(3, 1, 5), idx, 1, SNMP_V_INTEGER, sv->key.af == AF_INET6 ? 2 : 1);
		put_bytes(t, COL(3, 1, 6), idx, 1, SNMP_V_OCTETS, sv->key.addr.raw,
			  addr_len(sv->key.af));
		put_num(t, COL(3, 1, 7), idx, 1, SNMP_V_UNSIGNED, sv->key.port);
		put_num(t, COL(3, 1, 8), idx, 1, SNMP_V_INTEGER, kad_proto(sv->key.protocol));
		put_num(t, COL(3, 1, 9), idx, 1, SNMP_V_INTEGER, kad_algo(sv->sched_name));
		if (sw->n_dests)
			put_num(t, COL(3, 1, 10), idx, 1, SNMP_V_INTEGER,
				kad_kind(sw->dests[0].dest.fwd));
		/* alive(1) dead(2): dead when no real server takes traffic */
		put_num(t, COL(3, 1, 11), idx, 1, SNMP_V_INTEGER, up ? 1 : 2);
		put_num(t, COL(3, 1, 13), idx, 1, SNMP_V_INTEGER,
			sv->flags & IPVS_SVC_F_PERSISTENT ? 1 : 2);
		put_num(t, COL(3, 1, 14), idx, 1, SNMP_V_UNSIGNED,
			sv->flags & IPVS_SVC_F_PERSISTENT ? sv->timeout : 0);
		put_num(t, COL(3, 1, 20), idx, 1, SNMP_V_UNSIGNED, (int64_t)sw->n_dests);
		put_num(t, COL(3, 1, 21), idx, 1, SNMP_V_UNSIGNED, (int64_t)up);
		/* met(1) notMet(2): the engine follows a quorum only for
		 * virtual servers with a sorry server or quorum scripts */
		put_num(t, COL(3, 1, 23), idx, 1, SNMP_V_INTEGER,
			quorum_num(e, sw->vs_name) == 2 ? 2 : 1);
		kad_stats(t, 3, idx, 1, 27, 32, 38, &sv->stats);
		put_str(t, COL(3, 1, 71), idx, 1, sw->vs_name);
		for (size_t k = 0; k < sw->n_dests; k++) {
			const struct lvs_dest_want *dw = &sw->dests[k];
			const struct ipvs_dest *de = &dw->dest;

			idx[1] = (uint32_t)k + 1;
			put_num(t, COL(4, 1, 2), idx, 2, SNMP_V_INTEGER,
				dw->state == LVS_RS_SORRY ? 2 : 1);
			put_num(t, COL(4, 1, 3), idx, 2, SNMP_V_INTEGER, de->af == AF_INET6 ? 2 : 1);
			put_bytes(t, COL(4, 1, 4), idx, 2, SNMP_V_OCTETS, de->addr.raw,
				  addr_len(de->af));
			put_num(t, COL(4, 1, 5), idx, 2, SNMP_V_UNSIGNED, de->port);
			put_num(t, COL(4, 1, 6), idx, 2, SNMP_V_INTEGER,
				dw->state == LVS_RS_UP || dw->state == LVS_RS_DRAINING ||
				dw->state == LVS_RS_SORRY ? 1 : 2);
			put_num(t, COL(4, 1, 7), idx, 2, SNMP_V_INTEGER, de->weight);
			put_num(t, COL(4, 1, 8), idx, 2, SNMP_V_UNSIGNED, de->u_threshold);
			put_num(t, COL(4, 1, 9), idx, 2, SNMP_V_UNSIGNED, de->l_threshold);
			put_num(t, COL(4, 1, 15), idx, 2, SNMP_V_UNSIGNED, de->active_conns);
			put_num(t, COL(4, 1, 16), idx, 2, SNMP_V_UNSIGNED, de->inact_conns);
			put_num(t, COL(4, 1, 17), idx, 2, SNMP_V_UNSIGNED, de->persist_conns);
			/* conns 14, pkts 18-19, bytes 20-21; rates 22-26; 64-bit 27-29 */
			put_num(t, COL(4, 1, 14), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.conns);
			put_num(t, COL(4, 1, 18), idx, 2, SNMP_V_COUNTER32, (int64_t)de->stats.inpkts);
			put_num(t, COL(4, 1, 19), idx, 2, SNMP_V_COUNTER32, (int64_t)de->stats.outpkts);
			put_num(t, COL(4, 1, 20), idx, 2, SNMP_V_COUNTER64, (int64_t)de->stats.inbytes);
			put_num(t, COL(4, 1, 21), idx, 2, SNMP_V_COUNTER64, (int64_t)de->stats.outbytes);
			put_num(t, COL(4, 1, 22), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.cps);
			put_num(t, COL(4, 1, 23), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.inpps);
			put_num(t, COL(4, 1, 24), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.outpps);
			put_num(t, COL(4, 1, 25), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.inbps);
			put_num(t, COL(4, 1, 26), idx, 2, SNMP_V_UNSIGNED, (int64_t)de->stats.outbps);
			put_num(t, COL(4, 1, 27), idx, 2, SNMP_V_COUNTER64, (int64_t)de->stats.conns);
			put_num(t, COL(4, 1, 28), idx, 2, SNMP_V_COUNTER64, (int64_t)de->stats.inpkts);
			put_num(t, COL(4, 1, 29), idx, 2, SNMP_V_COUNTER64, (int64_t)de->stats.outpkts);
			put_num(t, COL(4, 1, 40), idx, 2, SNMP_V_INTEGER, kad_kind(de->fwd));
		}
	}
	/* lvsTimeouts (.3.7), seconds (1..2678400): only those the
	 * configuration sets (otherwise IPVS keeps its own) */
	if (w && w->timeouts.tcp)
		put_num(t, COL(7, 1, 0), NULL, 0, SNMP_V_INTEGER, w->timeouts.tcp);
	if (w && w->timeouts.tcp_fin)
		put_num(t, COL(7, 2, 0), NULL, 0, SNMP_V_INTEGER, w->timeouts.tcp_fin);
	if (w && w->timeouts.udp)
		put_num(t, COL(7, 3, 0), NULL, 0, SNMP_V_INTEGER, w->timeouts.udp);
}

/* ---------------------------------------------------------------- */
/* SOFTLB-MIB: proxies by name, servers by proxy name + server name, so a
 * row keeps its index whatever is added or removed around it. */

static int srv_status(const char *s)
{
	/* up(1) drain(2) down(3) maint(4) */
	if (!strcmp(s, "UP"))
		return 1;
	if (!strcmp(s, "DRAIN"))
		return 2;
	if (!strcmp(s, "DOWN"))
		return 3;
	return 4;
}

static int proxy_status_num(const char *s)
{
	/* up(1) down(2) open(3) */
	if (!strcmp(s, "UP"))
		return 1;
	if (!strcmp(s, "OPEN"))
		return 3;
	return 2;
}

static void proxy_row(const struct proxy_obj_info *o, void *arg)
{
	struct snmp_tree *t = arg;
	uint32_t idx[SNMP_SUFFIX_MAX];
	size_t n = 0;

	if (!snmp_idx_str(idx, &n, o->proxy))
		return;		/* a name too long for an OID: no row */
	if (!o->server) {
		put_str(t, COL(1, 1, 1, 2), idx, n, o->kind);
		put_str(t, COL(1, 1, 1, 3), idx, n, o->mode);
		put_num(t, COL(1, 1, 1, 4), idx, n, SNMP_V_INTEGER, proxy_status_num(o->status));
		put_num(t, COL(1, 1, 1, 5), idx, n, SNMP_V_UNSIGNED, (int64_t)o->cur);
		put_num(t, COL(1, 1, 1, 6), idx, n, SNMP_V_UNSIGNED, (int64_t)o->max);
		put_num(t, COL(1, 1, 1, 7), idx, n, SNMP_V_COUNTER64, (int64_t)o->total);
		put_num(t, COL(1, 1, 1, 8), idx, n, SNMP_V_COUNTER64, (int64_t)o->bytes_in);
		put_num(t, COL(1, 1, 1, 9), idx, n, SNMP_V_COUNTER64, (int64_t)o->bytes_out);
		put_num(t, COL(1, 1, 1, 10), idx, n, SNMP_V_COUNTER64, (int64_t)o->econ);
		put_num(t, COL(1, 1, 1, 11), idx, n, SNMP_V_COUNTER64, (int64_t)o->eresp);
		put_num(t, COL(1, 1, 1, 12), idx, n, SNMP_V_COUNTER64, (int64_t)o->denied);
		put_num(t, COL(1, 1, 1, 13), idx, n, SNMP_V_COUNTER64, (int64_t)o->retries);
		put_num(t, COL(1, 1, 1, 14), idx, n, SNMP_V_COUNTER64, (int64_t)o->redispatches);
		put_num(t, COL(1, 1, 1, 15), idx, n, SNMP_V_COUNTER64, (int64_t)o->http_502);
		put_num(t, COL(1, 1, 1, 16), idx, n, SNMP_V_COUNTER64, (int64_t)o->http_503);
		put_num(t, COL(1, 1, 1, 17), idx, n, SNMP_V_COUNTER64, (int64_t)o->http_504);
		put_num(t, COL(1, 1, 1, 18), idx, n, SNMP_V_UNSIGNED, (int64_t)o->qcur);
		put_num(t, COL(1, 1, 1, 19), idx, n, SNMP_V_UNSIGNED, (int64_t)o->qmax);
		return;
	}
	if (!snmp_idx_str(idx, &n, o->server))
		return;
	if (o->addr && o->addr->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)o->addr;

		put_num(t, COL(1, 2, 1, 2), idx, n, SNMP_V_INTEGER, 2);
		put_bytes(t, COL(1, 2, 1, 3), idx, n, SNMP_V_OCTETS, &a->sin6_addr, 16);
		put_num(t, COL(1, 2, 1, 4), idx, n, SNMP_V_UNSIGNED, ntohs(a->sin6_port));
	} else if (o->addr && o->addr->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)o->addr;

		put_num(t, COL(1, 2, 1, 2), idx, n, SNMP_V_INTEGER, 1);
		put_bytes(t, COL(1, 2, 1, 3), idx, n, SNMP_V_OCTETS, &a->sin_addr, 4);
		put_num(t, COL(1, 2, 1, 4), idx, n, SNMP_V_UNSIGNED, ntohs(a->sin_port));
	}
	put_num(t, COL(1, 2, 1, 5), idx, n, SNMP_V_INTEGER, srv_status(o->status));
	put_num(t, COL(1, 2, 1, 6), idx, n, SNMP_V_INTEGER, o->weight);
	put_num(t, COL(1, 2, 1, 7), idx, n, SNMP_V_INTEGER, o->backup ? 1 : 2);
	put_num(t, COL(1, 2, 1, 8), idx, n, SNMP_V_UNSIGNED, (int64_t)o->cur);
	put_num(t, COL(1, 2, 1, 9), idx, n, SNMP_V_UNSIGNED, (int64_t)o->max);
	put_num(t, COL(1, 2, 1, 10), idx, n, SNMP_V_COUNTER64, (int64_t)o->total);
	put_num(t, COL(1, 2, 1, 11), idx, n, SNMP_V_COUNTER64, (int64_t)o->bytes_in);
	put_num(t, COL(1, 2, 1, 12), idx, n, SNMP_V_COUNTER64, (int64_t)o->bytes_out);
	put_num(t, COL(1, 2, 1, 13), idx, n, SNMP_V_COUNTER64, (int64_t)o->econ);
	put_num(t, COL(1, 2, 1, 14), idx, n, SNMP_V_COUNTER64, (int64_t)o->eresp);
	put_num(t, COL(1, 2, 1, 15), idx, n, SNMP_V_COUNTER64, (int64_t)o->retries);
	put_num(t, COL(1, 2, 1, 16), idx, n, SNMP_V_COUNTER64, (int64_t)o->redispatches);
	put_num(t, COL(1, 2, 1, 17), idx, n, SNMP_V_UNSIGNED, (int64_t)o->qcur);
}

/* A virtual service's index: its IPVS key, so that it never shifts when
 * others come and go: address type, address (length-prefixed), protocol,
 * port, firewall mark (a fwmark service has the zero address of its
 * family and port 0; an address service has mark 0). */
static size_t vs_index(const struct ipvs_service_key *k, uint32_t *idx)
{
	size_t n = 0;

	idx[n++] = k->af == AF_INET6 ? 2 : 1;
	snmp_idx_bytes(idx, &n, k->addr.raw, addr_len(k->af), true);
	idx[n++] = k->protocol;
	idx[n++] = k->port;
	idx[n++] = k->fwmark;
	return n;
}

/* slbRsFwdMethod: masq(1) local(2) tunnel(3) route(4) bypass(5). */
static int fwd_num(uint32_t fwd)
{
	return (int)(fwd & 0x7) + 1;
}

/* slbRsState, as show virtual-server names them: up(1) draining(2)
 * disabled(3) down(4) sorryServer(5) noQuorum(6). */
static int rs_state_num(enum lvs_rs_state s)
{
	return (int)s + 1;
}

static void put_stats(struct snmp_tree *t, uint32_t col0, uint32_t tab, const uint32_t *idx,
		      size_t n, const struct ipvs_stats *st)
{
	put_num(t, COL(1, tab, 1, col0), idx, n, SNMP_V_COUNTER64, (int64_t)st->conns);
	put_num(t, COL(1, tab, 1, col0 + 1), idx, n, SNMP_V_COUNTER64, (int64_t)st->inpkts);
	put_num(t, COL(1, tab, 1, col0 + 2), idx, n, SNMP_V_COUNTER64, (int64_t)st->outpkts);
	put_num(t, COL(1, tab, 1, col0 + 3), idx, n, SNMP_V_COUNTER64, (int64_t)st->inbytes);
	put_num(t, COL(1, tab, 1, col0 + 4), idx, n, SNMP_V_COUNTER64, (int64_t)st->outbytes);
	put_num(t, COL(1, tab, 1, col0 + 5), idx, n, SNMP_V_UNSIGNED, (int64_t)st->cps);
	put_num(t, COL(1, tab, 1, col0 + 6), idx, n, SNMP_V_UNSIGNED, (int64_t)st->inpps);
	put_num(t, COL(1, tab, 1, col0 + 7), idx, n, SNMP_V_UNSIGNED, (int64_t)st->outpps);
	put_num(t, COL(1, tab, 1, col0 + 8), idx, n, SNMP_V_UNSIGNED, (int64_t)st->inbps);
	put_num(t, COL(1, tab, 1, col0 + 9), idx, n, SNMP_V_UNSIGNED, (int64_t)st->outbps);
}

/* slbVsQuorum: up(1) lost(2) notTracked(3) (no sorry server and no
 * quorum script: the engine does not follow it). */
static int quorum_num(const struct lvs_engine *e, const char *vs_name)
{
	for (size_t i = 0; i < e->n_quorum; i++)
		if (e->quorum[i].vs_name && strcmp(e->quorum[i].vs_name, vs_name) == 0)
			return e->quorum[i].up ? 1 : 2;
	return 3;
}

/* The check engine's members, sorted by (group, member), made once per
 * build: a lookup per real server in the engine's own list was
 * quadratic (4,000 real servers: 16 million comparisons a build). */
struct check_row {
	const char *group, *member;	/* the engine's, valid during the build */
	struct check_member_info ci;
};

static int cmp_check_row(const void *pa, const void *pb)
{
	const struct check_row *a = pa, *b = pb;
	int c = strcmp(a->group, b->group);

	return c ? c : strcmp(a->member, b->member);
}

static void collect_check(const char *group, const char *member,
			  const struct check_member_info *ci, void *arg)
{
	struct snmp_snap *s = arg;

	if (s->n_checks == s->cap_checks) {
		s->cap_checks = s->cap_checks ? s->cap_checks * 2 : 64;
		s->checks = xreallocarray(s->checks, s->cap_checks, sizeof(*s->checks));
	}
	s->checks[s->n_checks].group = group;
	s->checks[s->n_checks].member = member;
	s->checks[s->n_checks].ci = *ci;
	s->n_checks++;
}

static void index_checks(struct snmp_snap *s, struct softlbd *d)
{
	struct check_engine *ce = check_engine_of(d);

	s->n_checks = 0;
	if (!ce)
		return;
	check_visit_members(ce, collect_check, s);
	if (s->n_checks)	/* checks is NULL until the first member */
		qsort(s->checks, s->n_checks, sizeof(*s->checks), cmp_check_row);
}

static const struct check_member_info *find_check(const struct snmp_snap *s, const char *group,
						  const char *member)
{
	struct check_row key = { .group = group, .member = member };
	const struct check_row *r;

	if (!s->n_checks)
		return NULL;
	r = bsearch(&key, s->checks, s->n_checks, sizeof(*s->checks), cmp_check_row);
	return r ? &r->ci : NULL;
}

/* The check's last result for a real server, as the check engine keys
 * it: group = the virtual server's identity, member = "ADDR:PORT". */
static void rs_check(struct snmp_tree *t, const struct snmp_snap *s, const char *vs_name,
		     const struct ipvs_dest *de, const uint32_t *idx, size_t n)
{
	const struct check_member_info *ci;
	char a[INET6_ADDRSTRLEN], member[INET6_ADDRSTRLEN + 16];

	if (!inet_ntop(de->af, de->addr.raw, a, sizeof(a)))
		a[0] = '\0';
	snprintf(member, sizeof(member), de->af == AF_INET6 ? "[%s]:%u" : "%s:%u", a, de->port);
	ci = find_check(s, vs_name, member);
	if (!ci) {
		/* up(1) down(2) notChecked(3) */
		put_num(t, COL(1, 4, 1, 21), idx, n, SNMP_V_INTEGER, 3);
		put_str(t, COL(1, 4, 1, 22), idx, n, "");
		put_str(t, COL(1, 4, 1, 23), idx, n, "");
		return;
	}
	put_num(t, COL(1, 4, 1, 21), idx, n, SNMP_V_INTEGER, ci->state == CHECK_UP ? 1 : 2);
	put_str(t, COL(1, 4, 1, 22), idx, n, ci->last_check ? check_code_name(ci->code) : "");
	put_str(t, COL(1, 4, 1, 23), idx, n, ci->reason);
}

/* slbVirtualServerTable and slbRealServerTable: the LVS engine's
 * services and real servers (what the configuration wants, with the
 * counters the last reconcile pass read from IPVS). */
static void build_softlb_lvs(struct snmp_tree *t, struct snmp_snap *s, struct softlbd *d)
{
	struct lvs_engine *e = lvs_engine_of(d);
	const struct lvs_desired *w = e ? &e->want : NULL;

	for (size_t i = 0; w && i < w->n_svcs; i++) {
		const struct lvs_svc_want *sw = &w->svcs[i];
		const struct ipvs_service *sv = &sw->svc;
		uint32_t idx[SNMP_SUFFIX_MAX];
		size_t n = vs_index(&sv->key, idx);
		uint64_t act = 0, inact = 0, pers = 0;

		for (size_t k = 0; k < sw->n_dests; k++) {
			act += sw->dests[k].dest.active_conns;
			inact += sw->dests[k].dest.inact_conns;
			pers += sw->dests[k].dest.persist_conns;
		}
		put_str(t, COL(1, 3, 1, 6), idx, n, sw->vs_name);
		put_str(t, COL(1, 3, 1, 7), idx, n, sv->sched_name);
		put_num(t, COL(1, 3, 1, 8), idx, n, SNMP_V_UNSIGNED,
			sv->flags & IPVS_SVC_F_PERSISTENT ? sv->timeout : 0);
		put_num(t, COL(1, 3, 1, 9), idx, n, SNMP_V_UNSIGNED, (int64_t)sw->n_dests);
		put_num(t, COL(1, 3, 1, 10), idx, n, SNMP_V_UNSIGNED, (int64_t)act);
		put_num(t, COL(1, 3, 1, 11), idx, n, SNMP_V_UNSIGNED, (int64_t)inact);
		put_num(t, COL(1, 3, 1, 12), idx, n, SNMP_V_UNSIGNED, (int64_t)pers);
		put_stats(t, 13, 3, idx, n, &sv->stats);
		put_num(t, COL(1, 3, 1, 23), idx, n, SNMP_V_INTEGER, quorum_num(e, sw->vs_name));
		for (size_t k = 0; k < sw->n_dests; k++) {
			const struct lvs_dest_want *dw = &sw->dests[k];
			const struct ipvs_dest *de = &dw->dest;
			size_t m = n;

			if (m + 3 + addr_len(de->af) > SNMP_SUFFIX_MAX)
				continue;
			idx[m++] = de->af == AF_INET6 ? 2 : 1;
			snmp_idx_bytes(idx, &m, de->addr.raw, addr_len(de->af), true);
			idx[m++] = de->port;
			put_num(t, COL(1, 4, 1, 4), idx, m, SNMP_V_INTEGER, fwd_num(de->fwd));
			put_num(t, COL(1, 4, 1, 5), idx, m, SNMP_V_INTEGER, dw->cfg_weight);
			put_num(t, COL(1, 4, 1, 6), idx, m, SNMP_V_INTEGER, de->weight);
			put_num(t, COL(1, 4, 1, 7), idx, m, SNMP_V_INTEGER, rs_state_num(dw->state));
			put_num(t, COL(1, 4, 1, 8), idx, m, SNMP_V_UNSIGNED, de->active_conns);
			put_num(t, COL(1, 4, 1, 9), idx, m, SNMP_V_UNSIGNED, de->inact_conns);
			put_num(t, COL(1, 4, 1, 10), idx, m, SNMP_V_UNSIGNED, de->persist_conns);
			put_stats(t, 11, 4, idx, m, &de->stats);
			if (dw->key)
				rs_check(t, s, sw->vs_name, de, idx, m);
			else
				put_num(t, COL(1, 4, 1, 21), idx, m, SNMP_V_INTEGER, 3);
		}
	}
}

/* slbVrrpTable: what VRRP-MIB has no room for, by instance name. */
static void build_softlb_vrrp(struct snmp_tree *t, struct softlbd *d)
{
	struct vrrp_engine *eng = vrrp_engine_of(d);
	time_t now = time(NULL);

	for (size_t i = 0; eng && i < eng->n_insts; i++) {
		const struct vrrp_instance *in = eng->insts[i];
		uint32_t idx[SNMP_SUFFIX_MAX];
		size_t n = 0, down = 0;
		struct strbuf tr = STRBUF_INIT;

		if (!in || !snmp_idx_str(idx, &n, in->name))
			continue;
		for (size_t k = 0; k < in->s.n_tracks; k++) {
			const struct vrrp_track_if *ti = &in->s.tracks[k];

			strbuf_printf(&tr, "%sinterface %s weight %d %s", tr.len ? ", " : "", ti->name,
				      ti->weight, ti->up ? "up" : "down");
			down += !ti->up;
		}
		for (size_t k = 0; k < in->s.n_track_scripts; k++) {
			const struct vrrp_track_ref *ts = &in->s.track_scripts[k];
			const struct vrrp_script *sc = vrrp_script_find(in->eng, ts->name);
			bool good = !sc || sc->good;

			strbuf_printf(&tr, "%sscript %s weight %d %s", tr.len ? ", " : "", ts->name,
				      ts->weight, good ? "good" : "bad");
			down += !good;
		}
		/* init(1) backup(2) master(3) fault(4) disabled(5) */
		put_num(t, COL(1, 5, 1, 2), idx, n, SNMP_V_INTEGER, (int)in->state + 1);
		put_num(t, COL(1, 5, 1, 3), idx, n, SNMP_V_INTEGER, in->s.base_priority);
		put_num(t, COL(1, 5, 1, 4), idx, n, SNMP_V_INTEGER, in->priority);
		put_num(t, COL(1, 5, 1, 5), idx, n, SNMP_V_INTEGER, in->track_delta);
		/* DisplayString: at most 255 octets. */
		put_bytes(t, COL(1, 5, 1, 6), idx, n, SNMP_V_OCTETS, strbuf_str(&tr),
			  tr.len > 255 ? 255 : tr.len);
		put_num(t, COL(1, 5, 1, 7), idx, n, SNMP_V_UNSIGNED, (int64_t)down);
		if (in->hist_len) {
			const struct vrrp_transition *h = &in->hist[in->hist_len - 1];
			char what[64];

			snprintf(what, sizeof(what), "%s -> %s", vrrp_state_name(h->from),
				 vrrp_state_name(h->to));
			put_str(t, COL(1, 5, 1, 8), idx, n, what);
			put_num(t, COL(1, 5, 1, 9), idx, n, SNMP_V_TIMETICKS,
				now > h->when ? (int64_t)(now - h->when) * 100 : 0);
			put_str(t, COL(1, 5, 1, 10), idx, n, h->reason);
		} else {
			put_str(t, COL(1, 5, 1, 8), idx, n, "");
			put_num(t, COL(1, 5, 1, 9), idx, n, SNMP_V_TIMETICKS, 0);
			put_str(t, COL(1, 5, 1, 10), idx, n, "");
		}
		strbuf_free(&tr);
	}
}

static void build_softlb(struct snmp_tree *t, struct snmp_snap *s, struct softlbd *d)
{
	put_str(t, COL(2, 1, 0), NULL, 0, PACKAGE_VERSION);
	proxy_visit(d, proxy_row, t);
	build_softlb_lvs(t, s, d);
	build_softlb_vrrp(t, d);
}

void snmp_snap_build(struct snmp_snap *s, struct softlbd *d, const struct snmp_settings *set)
{
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++)
		snmp_tree_clear(&s->trees[i]);
	index_checks(s, d);
	if (set->mib[SNMP_MIB_VRRP] || set->mib[SNMP_MIB_VRRPV3] || set->mib[SNMP_MIB_KAD_VRRP])
		build_vrrp(s, d, set);
	if (set->mib[SNMP_MIB_KAD_GLOBAL])
		build_kad_global(&s->trees[SNMP_MIB_KAD_GLOBAL], d, set);
	if (set->mib[SNMP_MIB_LVS])
		build_lvs(&s->trees[SNMP_MIB_LVS], d);
	if (set->mib[SNMP_MIB_KAD_CHECK]) {
		kad_vs_groups(&s->trees[SNMP_MIB_KAD_CHECK], d->config);
		build_kad_check(&s->trees[SNMP_MIB_KAD_CHECK], d);
	}
	if (set->mib[SNMP_MIB_SOFTLB])
		build_softlb(&s->trees[SNMP_MIB_SOFTLB], s, d);
	s->objects = 0;
	for (size_t i = 0; i < SNMP_MIB_COUNT; i++) {
		snmp_tree_sort(&s->trees[i]);
		s->objects += s->trees[i].n;
	}
	s->builds++;
}
