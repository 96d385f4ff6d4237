/* ipvs_parse: turns the kernel's IPVS replies into ipvs-t.h structs.
 *
 * Every attribute goes through an nla_policy before it is read, so a
 * short or mistyped attribute is an error (-EPROTO), never a read past
 * the message. Attributes the kernel may omit (older kernels: no STATS64,
 * no ADDR_FAMILY, no tunnel attributes) default sensibly.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "lvs/ipvs_int.h"
#include "util/xalloc.h"

/* ------------------------------------------------------------------------
 * Policies: one per attribute set in include/uapi/linux/ip_vs.h.
 */

static const struct nla_policy cmd_policy[IPVS_CMD_ATTR_MAX + 1] = {
	[IPVS_CMD_ATTR_SERVICE] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DEST] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_DAEMON] = { .type = NLA_NESTED },
	[IPVS_CMD_ATTR_TIMEOUT_TCP] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN] = { .type = NLA_U32 },
	[IPVS_CMD_ATTR_TIMEOUT_UDP] = { .type = NLA_U32 },
};

static const struct nla_policy svc_policy[IPVS_SVC_ATTR_MAX + 1] = {
	[IPVS_SVC_ATTR_AF] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_PROTOCOL] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_SVC_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_SVC_ATTR_FWMARK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_STRING,
				       .maxlen = IPVS_SCHED_NAME_MAX + 1 },
	[IPVS_SVC_ATTR_FLAGS] = { .type = NLA_UNSPEC,
				  .minlen = sizeof(struct ip_vs_flags) },
	[IPVS_SVC_ATTR_TIMEOUT] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_NETMASK] = { .type = NLA_U32 },
	[IPVS_SVC_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_SVC_ATTR_PE_NAME] = { .type = NLA_STRING,
				    .maxlen = IPVS_PE_NAME_MAX + 1 },
	[IPVS_SVC_ATTR_STATS64] = { .type = NLA_NESTED },
};

static const struct nla_policy dest_policy[IPVS_DEST_ATTR_MAX + 1] = {
	[IPVS_DEST_ATTR_ADDR] = { .type = NLA_UNSPEC, .minlen = 4, .maxlen = 16 },
	[IPVS_DEST_ATTR_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_FWD_METHOD] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_WEIGHT] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[IPVS_DEST_ATTR_STATS] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_STATS64] = { .type = NLA_NESTED },
	[IPVS_DEST_ATTR_TUN_TYPE] = { .type = NLA_U8 },
	[IPVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[IPVS_DEST_ATTR_TUN_FLAGS] = { .type = NLA_U16 },
};

static const struct nla_policy daemon_policy[IPVS_DAEMON_ATTR_MAX + 1] = {
	[IPVS_DAEMON_ATTR_STATE] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_STRING,
					 .maxlen = IPVS_IFNAME_MAX + 1 },
	[IPVS_DAEMON_ATTR_SYNC_ID] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_SYNC_MAXLEN] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_U32 },
	[IPVS_DAEMON_ATTR_MCAST_GROUP6] = { .type = NLA_UNSPEC, .minlen = 16,
					    .maxlen = 16 },
	[IPVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_U16 },
	[IPVS_DAEMON_ATTR_MCAST_TTL] = { .type = NLA_U8 },
};

/* The 32-bit set: bytes are 64-bit even there. */
static const struct nla_policy stats_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U32 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U32 },
};

static const struct nla_policy stats64_policy[IPVS_STATS_ATTR_MAX + 1] = {
	[IPVS_STATS_ATTR_CONNS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPKTS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBYTES] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_CPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTPPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_INBPS] = { .type = NLA_U64 },
	[IPVS_STATS_ATTR_OUTBPS] = { .type = NLA_U64 },
};

static const struct nla_policy info_policy[IPVS_INFO_ATTR_MAX + 1] = {
	[IPVS_INFO_ATTR_VERSION] = { .type = NLA_U32 },
	[IPVS_INFO_ATTR_CONN_TAB_SIZE] = { .type = NLA_U32 },
};

/* ------------------------------------------------------------------------
 * Helpers.
 */

/* Converts a prefix length to what the kernel's NETMASK attribute holds:
 * an IPv4 mask in network byte order, or the IPv6 prefix length itself. */
uint32_t ipvs_prefix_to_netmask(uint16_t af, uint8_t prefix)
{
	if (af == AF_INET6)
		return prefix;
	if (prefix == 0)
		return 0;
	if (prefix > 32)
		prefix = 32;
	return htonl(~0u << (32 - prefix));
}

/* The inverse of ipvs_prefix_to_netmask(); counts leading one bits of an
 * IPv4 mask, so a non-contiguous mask maps to its contiguous part. */
uint8_t ipvs_netmask_to_prefix(uint16_t af, uint32_t netmask)
{
	uint32_t m;
	uint8_t n = 0;

	if (af == AF_INET6)
		return netmask > 128 ? 128 : (uint8_t)netmask;
	for (m = ntohl(netmask); m & 0x80000000u; m <<= 1)
		n++;
	return n;
}

/* Copies an address attribute (4 or 16 bytes, policy-checked) into a. */
static void get_addr(union ipvs_addr *a, const struct nlattr *nla)
{
	int len = nla_len(nla);

	memset(a, 0, sizeof(*a));
	memcpy(a->raw, nla_data(nla), len > 16 ? 16 : (size_t)len);
}

/* Copies a string attribute (NUL-terminated by policy) into buf. */
static void get_str(char *buf, size_t size, const struct nlattr *nla)
{
	size_t len = (size_t)nla_len(nla);

	if (len >= size)
		len = size - 1;
	memcpy(buf, nla_data(nla), len);
	buf[len] = '\0';
}

/* Parses a STATS64 (wide) or STATS (32-bit) nest into st. Returns 0 or
 * -EPROTO when the nest breaks its policy. */
static int parse_stats(struct ipvs_stats *st, struct nlattr *nest, int wide)
{
	struct nlattr *tb[IPVS_STATS_ATTR_MAX + 1];
	uint64_t *field[IPVS_STATS_ATTR_MAX + 1] = {
		[IPVS_STATS_ATTR_CONNS] = &st->conns,
		[IPVS_STATS_ATTR_INPKTS] = &st->inpkts,
		[IPVS_STATS_ATTR_OUTPKTS] = &st->outpkts,
		[IPVS_STATS_ATTR_INBYTES] = &st->inbytes,
		[IPVS_STATS_ATTR_OUTBYTES] = &st->outbytes,
		[IPVS_STATS_ATTR_CPS] = &st->cps,
		[IPVS_STATS_ATTR_INPPS] = &st->inpps,
		[IPVS_STATS_ATTR_OUTPPS] = &st->outpps,
		[IPVS_STATS_ATTR_INBPS] = &st->inbps,
		[IPVS_STATS_ATTR_OUTBPS] = &st->outbps,
	};
	const struct nla_policy *pol = wide ? stats64_policy : stats_policy;
	int i;

	if (nla_parse_nested(tb, IPVS_STATS_ATTR_MAX, nest, pol) < 0)
		return -EPROTO;
	memset(st, 0, sizeof(*st));
	for (i = 0; i <= IPVS_STATS_ATTR_MAX; i++) {
		if (!tb[i] || !field[i])
			continue;
		*field[i] = pol[i].type == NLA_U64 ? nla_get_u64(tb[i])
						   : nla_get_u32(tb[i]);
	}
	return 0;
}

/* Parses the genl message's top-level attributes with policy; returns 0
 * or -EPROTO. */
static int parse_top(struct nl_msg *msg, struct nlattr **tb, int max,
		     const struct nla_policy *policy)
{
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, max, policy) < 0)
		return -EPROTO;
	return 0;
}

/* ------------------------------------------------------------------------
 * Services.
 */

/* Parses one IPVS_CMD_ATTR_SERVICE nest into svc. Returns 0 or -EPROTO
 * when an attribute breaks its policy or a mandatory one is missing. */
static int parse_service(struct ipvs_service *svc, struct nlattr *nest)
{
	struct nlattr *tb[IPVS_SVC_ATTR_MAX + 1];
	struct ip_vs_flags fl;

	if (!nest || nla_parse_nested(tb, IPVS_SVC_ATTR_MAX, nest, svc_policy) < 0)
		return -EPROTO;
	if (!tb[IPVS_SVC_ATTR_AF] || !tb[IPVS_SVC_ATTR_SCHED_NAME] ||
	    !tb[IPVS_SVC_ATTR_FLAGS] || !tb[IPVS_SVC_ATTR_TIMEOUT] ||
	    !tb[IPVS_SVC_ATTR_NETMASK])
		return -EPROTO;
	memset(svc, 0, sizeof(*svc));
	svc->key.af = nla_get_u16(tb[IPVS_SVC_ATTR_AF]);
	if (tb[IPVS_SVC_ATTR_FWMARK]) {
		svc->key.fwmark = nla_get_u32(tb[IPVS_SVC_ATTR_FWMARK]);
	} else {
		if (!tb[IPVS_SVC_ATTR_PROTOCOL] || !tb[IPVS_SVC_ATTR_ADDR] ||
		    !tb[IPVS_SVC_ATTR_PORT])
			return -EPROTO;
		svc->key.protocol = nla_get_u16(tb[IPVS_SVC_ATTR_PROTOCOL]);
		get_addr(&svc->key.addr, tb[IPVS_SVC_ATTR_ADDR]);
		if (svc->key.af == AF_INET)
			memset(svc->key.addr.raw + 4, 0, 12);
		svc->key.port = ntohs(nla_get_u16(tb[IPVS_SVC_ATTR_PORT]));
	}
	get_str(svc->sched_name, sizeof(svc->sched_name),
		tb[IPVS_SVC_ATTR_SCHED_NAME]);
	if (tb[IPVS_SVC_ATTR_PE_NAME])
		get_str(svc->pe_name, sizeof(svc->pe_name),
			tb[IPVS_SVC_ATTR_PE_NAME]);
	memcpy(&fl, nla_data(tb[IPVS_SVC_ATTR_FLAGS]), sizeof(fl));
	svc->flags = fl.flags;
	svc->timeout = nla_get_u32(tb[IPVS_SVC_ATTR_TIMEOUT]);
	svc->prefix = ipvs_netmask_to_prefix(svc->key.af,
					     nla_get_u32(tb[IPVS_SVC_ATTR_NETMASK]));
	if (tb[IPVS_SVC_ATTR_STATS64])
		return parse_stats(&svc->stats, tb[IPVS_SVC_ATTR_STATS64], 1);
	if (tb[IPVS_SVC_ATTR_STATS])
		return parse_stats(&svc->stats, tb[IPVS_SVC_ATTR_STATS], 0);
	return 0;
}

/* Appends the service in one dump message to the struct ipvs_svc_vec at
 * out. Returns 0 or -EPROTO. */
int ipvs_parse_service_msg(struct nl_msg *msg, void *out)
{
	struct ipvs_svc_vec *vec = out;
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	struct ipvs_service svc;
	int rc;

	if ((rc = parse_top(msg, tb, IPVS_CMD_ATTR_MAX, cmd_policy)) < 0)
		return rc;
	if ((rc = parse_service(&svc, tb[IPVS_CMD_ATTR_SERVICE])) < 0)
		return rc;
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 16;
		vec->v = xreallocarray(vec->v, vec->cap, sizeof(*vec->v));
	}
	vec->v[vec->n++] = svc;
	return 0;
}

/* Parses a GET_SERVICE reply into the struct ipvs_service at out. */
int ipvs_parse_one_service_msg(struct nl_msg *msg, void *out)
{
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int rc;

	if ((rc = parse_top(msg, tb, IPVS_CMD_ATTR_MAX, cmd_policy)) < 0)
		return rc;
	return parse_service(out, tb[IPVS_CMD_ATTR_SERVICE]);
}

/* ------------------------------------------------------------------------
 * Real servers.
 */

/* Appends the real server in one dump message to the struct
 * ipvs_dest_vec at out (whose af is the service's, used when the kernel
 * predates IPVS_DEST_ATTR_ADDR_FAMILY). Returns 0 or -EPROTO. */
int ipvs_parse_dest_msg(struct nl_msg *msg, void *out)
{
	struct ipvs_dest_vec *vec = out;
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *tb[IPVS_DEST_ATTR_MAX + 1];
	struct ipvs_dest d;
	int rc;

	if ((rc = parse_top(msg, top, IPVS_CMD_ATTR_MAX, cmd_policy)) < 0)
		return rc;
	if (!top[IPVS_CMD_ATTR_DEST] ||
	    nla_parse_nested(tb, IPVS_DEST_ATTR_MAX, top[IPVS_CMD_ATTR_DEST],
			     dest_policy) < 0)
		return -EPROTO;
	if (!tb[IPVS_DEST_ATTR_ADDR] || !tb[IPVS_DEST_ATTR_PORT] ||
	    !tb[IPVS_DEST_ATTR_FWD_METHOD] || !tb[IPVS_DEST_ATTR_WEIGHT])
		return -EPROTO;
	memset(&d, 0, sizeof(d));
	d.af = tb[IPVS_DEST_ATTR_ADDR_FAMILY] ?
		nla_get_u16(tb[IPVS_DEST_ATTR_ADDR_FAMILY]) : vec->af;
	get_addr(&d.addr, tb[IPVS_DEST_ATTR_ADDR]);
	if (d.af == AF_INET)
		memset(d.addr.raw + 4, 0, 12);
	d.port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_PORT]));
	d.fwd = nla_get_u32(tb[IPVS_DEST_ATTR_FWD_METHOD]) & IP_VS_CONN_F_FWD_MASK;
	d.weight = (int32_t)nla_get_u32(tb[IPVS_DEST_ATTR_WEIGHT]);
	if (tb[IPVS_DEST_ATTR_U_THRESH])
		d.u_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_U_THRESH]);
	if (tb[IPVS_DEST_ATTR_L_THRESH])
		d.l_threshold = nla_get_u32(tb[IPVS_DEST_ATTR_L_THRESH]);
	if (tb[IPVS_DEST_ATTR_TUN_TYPE])
		d.tun_type = nla_get_u8(tb[IPVS_DEST_ATTR_TUN_TYPE]);
	if (tb[IPVS_DEST_ATTR_TUN_PORT])
		d.tun_port = ntohs(nla_get_u16(tb[IPVS_DEST_ATTR_TUN_PORT]));
	if (tb[IPVS_DEST_ATTR_TUN_FLAGS])
		d.tun_flags = nla_get_u16(tb[IPVS_DEST_ATTR_TUN_FLAGS]);
	if (tb[IPVS_DEST_ATTR_ACTIVE_CONNS])
		d.active_conns = nla_get_u32(tb[IPVS_DEST_ATTR_ACTIVE_CONNS]);
	if (tb[IPVS_DEST_ATTR_INACT_CONNS])
		d.inact_conns = nla_get_u32(tb[IPVS_DEST_ATTR_INACT_CONNS]);
	if (tb[IPVS_DEST_ATTR_PERSIST_CONNS])
		d.persist_conns = nla_get_u32(tb[IPVS_DEST_ATTR_PERSIST_CONNS]);
	if (tb[IPVS_DEST_ATTR_STATS64])
		rc = parse_stats(&d.stats, tb[IPVS_DEST_ATTR_STATS64], 1);
	else if (tb[IPVS_DEST_ATTR_STATS])
		rc = parse_stats(&d.stats, tb[IPVS_DEST_ATTR_STATS], 0);
	if (rc < 0)
		return rc;
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 8;
		vec->v = xreallocarray(vec->v, vec->cap, sizeof(*vec->v));
	}
	vec->v[vec->n++] = d;
	return 0;
}

/* ------------------------------------------------------------------------
 * Sync daemons, info, timeouts.
 */

/* Appends the daemon in one dump message to the struct ipvs_daemon_vec
 * at out. Returns 0, or -EPROTO (also for a third daemon: the kernel has
 * only master and backup). */
int ipvs_parse_daemon_msg(struct nl_msg *msg, void *out)
{
	struct ipvs_daemon_vec *vec = out;
	struct nlattr *top[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *tb[IPVS_DAEMON_ATTR_MAX + 1];
	struct ipvs_daemon *d;
	int rc;

	if ((rc = parse_top(msg, top, IPVS_CMD_ATTR_MAX, cmd_policy)) < 0)
		return rc;
	if (!top[IPVS_CMD_ATTR_DAEMON] ||
	    nla_parse_nested(tb, IPVS_DAEMON_ATTR_MAX, top[IPVS_CMD_ATTR_DAEMON],
			     daemon_policy) < 0)
		return -EPROTO;
	if (!tb[IPVS_DAEMON_ATTR_STATE] || !tb[IPVS_DAEMON_ATTR_MCAST_IFN] ||
	    !tb[IPVS_DAEMON_ATTR_SYNC_ID] || vec->n >= 2)
		return -EPROTO;
	d = &vec->v[vec->n++];
	memset(d, 0, sizeof(*d));
	d->state = nla_get_u32(tb[IPVS_DAEMON_ATTR_STATE]);
	get_str(d->mcast_ifn, sizeof(d->mcast_ifn), tb[IPVS_DAEMON_ATTR_MCAST_IFN]);
	d->syncid = nla_get_u32(tb[IPVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN])
		d->sync_maxlen = nla_get_u16(tb[IPVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_PORT])
		d->mcast_port = nla_get_u16(tb[IPVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_TTL])
		d->mcast_ttl = nla_get_u8(tb[IPVS_DAEMON_ATTR_MCAST_TTL]);
	if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]) {
		d->mcast_af = AF_INET6;
		get_addr(&d->mcast_group, tb[IPVS_DAEMON_ATTR_MCAST_GROUP6]);
	} else if (tb[IPVS_DAEMON_ATTR_MCAST_GROUP]) {
		d->mcast_af = AF_INET;
		d->mcast_group.in.s_addr = nla_get_u32(tb[IPVS_DAEMON_ATTR_MCAST_GROUP]);
	}
	return 0;
}

/* Parses a GET_INFO reply into the struct ipvs_info at out. */
int ipvs_parse_info_msg(struct nl_msg *msg, void *out)
{
	struct ipvs_info *info = out;
	struct nlattr *tb[IPVS_INFO_ATTR_MAX + 1];
	int rc;

	/* GET_INFO's attributes sit at the top level, in their own space. */
	if ((rc = parse_top(msg, tb, IPVS_INFO_ATTR_MAX, info_policy)) < 0)
		return rc;
	if (!tb[IPVS_INFO_ATTR_VERSION] || !tb[IPVS_INFO_ATTR_CONN_TAB_SIZE])
		return -EPROTO;
	info->version = nla_get_u32(tb[IPVS_INFO_ATTR_VERSION]);
	info->conn_tab_size = nla_get_u32(tb[IPVS_INFO_ATTR_CONN_TAB_SIZE]);
	return 0;
}

/* Parses a GET_CONFIG reply into the struct ipvs_timeouts at out; a
 * protocol the kernel was built without reads as 0. */
int ipvs_parse_timeouts_msg(struct nl_msg *msg, void *out)
{
	struct ipvs_timeouts *t = out;
	struct nlattr *tb[IPVS_CMD_ATTR_MAX + 1];
	int rc;

	if ((rc = parse_top(msg, tb, IPVS_CMD_ATTR_MAX, cmd_policy)) < 0)
		return rc;
	memset(t, 0, sizeof(*t));
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP])
		t->tcp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN])
		t->tcp_fin = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_TCP_FIN]);
	if (tb[IPVS_CMD_ATTR_TIMEOUT_UDP])
		t->udp = nla_get_u32(tb[IPVS_CMD_ATTR_TIMEOUT_UDP]);
	return 0;
}
