#include "config.h"

#include "vrrp/vrrp_int.h"
#include "vrrp/vrrp_pacer.h"
#include "util/xalloc.h"
#include "core/log.h"
#include "vrrp/vrrp_pkt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

/* Packets read per readable event: a flood of bad packets then costs a
 * bounded slice of the loop, and timers still run on time. */
#define RX_BATCH 64

void vrrp_addr_text(int family, const unsigned char *a, struct strbuf *out)
{
	char buf[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, a, buf, sizeof(buf)))
		snprintf(buf, sizeof(buf), "?");
	strbuf_puts(out, buf);
}

/* The addresses carried in adverts: the VIPs of the instance's family
 * that are not excluded. Returns how many went into out. */
static size_t advert_addrs(const struct vrrp_instance *in, unsigned char (*out)[16])
{
	size_t n = 0;

	for (size_t i = 0; i < in->s.n_vips && n < VRRP_MAX_ADDRS; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];

		if (!v->excluded && v->family == in->s.family)
			memcpy(out[n++], v->addr, 16);
	}
	return n;
}

static bool is_our_vip(const struct vrrp_instance *in, int family, const void *a)
{
	for (size_t i = 0; i < in->s.n_vips; i++)
		if (in->s.vips[i].family == family &&
		    memcmp(in->s.vips[i].addr, a, vrrp_addr_len(family)) == 0)
			return true;
	return false;
}

bool vrrp_sock_refresh_src(struct vrrp_instance *in)
{
	struct ifaddrs *ifs, *ifa;
	bool found = false;

	if (in->s.has_src) {
		memcpy(in->src, in->s.src, 16);
		in->have_src = true;
		return true;
	}
	if (getifaddrs(&ifs) < 0)
		return in->have_src;
	for (ifa = ifs; ifa && !found; ifa = ifa->ifa_next) {
		const unsigned char *a;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != in->s.family ||
		    strcmp(ifa->ifa_name, in->s.interface) != 0)
			continue;
		if (in->s.family == AF_INET) {
			a = (const unsigned char *)&((struct sockaddr_in *)(void *)ifa->ifa_addr)->sin_addr;
		} else {
			a = (const unsigned char *)&((struct sockaddr_in6 *)(void *)ifa->ifa_addr)->sin6_addr;
			/* RFC 5798 5.1.2.1: adverts leave from the link-local. */
			if (!(a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
				continue;
		}
		if (is_our_vip(in, in->s.family, a))
			continue;
		memset(in->src, 0, 16);
		memcpy(in->src, a, vrrp_addr_len(in->s.family));
		found = true;
	}
	freeifaddrs(ifs);
	in->have_src = found;
	return found;
}

/* Turns one datagram into a struct vrrp_rx. Returns VRRP_RX_OK, or the
 * length error when the IP header itself is unusable. */
static enum vrrp_rx_result decode(const struct vrrp_instance *in, uint8_t *buf, size_t n,
				  struct msghdr *msg, struct vrrp_rx *rx)
{
	memset(rx, 0, sizeof(*rx));
	rx->family = in->s.family;
	rx->ttl = -1;
	if (msg->msg_flags & MSG_TRUNC)
		return VRRP_RX_LENGTH;
	if (in->s.family == AF_INET) {
		size_t ihl, tot;

		/* IPv4 raw sockets hand over the IP header as received. */
		if (n < 20)
			return VRRP_RX_LENGTH;
		ihl = (size_t)(buf[0] & 0x0f) * 4u;
		tot = (size_t)buf[2] << 8 | buf[3];
		if (ihl < 20 || ihl > n)
			return VRRP_RX_LENGTH;
		rx->ttl = buf[8];
		memcpy(rx->src, buf + 12, 4);
		memcpy(rx->dst, buf + 16, 4);
		rx->data = buf + ihl;
		rx->len = n - ihl;
		rx->ip_len = tot > ihl ? tot - ihl : 0;
		return VRRP_RX_OK;
	}
	/* IPv6 raw sockets give the payload; the rest is in ancillary data. */
	memcpy(rx->src, &((struct sockaddr_in6 *)msg->msg_name)->sin6_addr, 16);
	for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(rx->dst, &pi.ipi6_addr, 16);
		} else if (c->cmsg_type == IPV6_HOPLIMIT) {
			int hl;

			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			rx->ttl = hl;
		}
	}
	rx->data = buf;
	rx->len = rx->ip_len = n;
	return VRRP_RX_OK;
}

/* Checks one datagram against every receive rule and hands a good advert
 * to the state machine; a bad one only moves its counter. */
static void handle(struct vrrp_instance *in, uint8_t *buf, size_t n, struct msghdr *msg)
{
	unsigned char addrs[VRRP_MAX_ADDRS][16];
	struct vrrp_expect ex;
	struct vrrp_adv adv;
	struct vrrp_rx rx;
	enum vrrp_rx_result r;

	r = decode(in, buf, n, msg, &rx);
	if (r != VRRP_RX_OK) {
		vrrp_stats_drop(in, r, rx.src, "bad IP header");
		return;
	}
	memset(&ex, 0, sizeof(ex));
	ex.family = in->s.family;
	ex.version = in->s.version;
	ex.vrid = in->s.vrid;
	ex.auth_type = in->s.auth_type;
	memcpy(ex.auth_data, in->s.auth_data, VRRP_AUTH_LEN);
	ex.interval_s = in->s.advert_ms / 1000u ? in->s.advert_ms / 1000u : 1u;
	ex.n_addrs = advert_addrs(in, addrs);
	ex.addrs = (const unsigned char (*)[16])addrs;
	ex.check_addrs = in->s.check_addrs;
	ex.v3_checksum_as_v2 = in->s.v3_checksum_as_v2;
	ex.own = in->have_src ? in->src : NULL;
	r = vrrp_pkt_check(&rx, &ex, &adv);
	if (r != VRRP_RX_OK) {
		char detail[64] = "";

		if (r == VRRP_RX_TTL)
			snprintf(detail, sizeof(detail), "TTL %d", rx.ttl);
		else if (r == VRRP_RX_VERSION)
			snprintf(detail, sizeof(detail), "version %d", adv.version);
		else if (r == VRRP_RX_INTERVAL)
			snprintf(detail, sizeof(detail), "interval %u", adv.interval);
		else if (r == VRRP_RX_VRID)
			snprintf(detail, sizeof(detail), "VRID %d", adv.vrid);
		vrrp_stats_drop(in, r, rx.src, detail);
		return;
	}
	vrrp_fsm_rx(in, &adv, rx.src);
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct vrrp_instance *in = arg;

	for (int i = 0; i < RX_BATCH; i++) {
		uint8_t buf[2048];
		union {
			char b[256];
			struct cmsghdr align;
		} cbuf;
		struct sockaddr_in6 from;
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from),
				      .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b) };
		ssize_t n = recvmsg(fd, &msg, MSG_DONTWAIT);

		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("VRRP instance %s: receive: %s", in->name, strerror(errno));
			return;
		}
		handle(in, buf, (size_t)n, &msg);
		if (in->fd != fd)
			return;	/* closed by what the packet caused */
	}
}

static int setopt(int fd, int level, int name, const void *val, socklen_t len,
		  const char *what, struct strbuf *err)
{
	if (setsockopt(fd, level, name, val, len) == 0)
		return 0;
	strbuf_printf(err, "%s: %s", what, strerror(errno));
	return -1;
}

/* Socket options for IPv4: TTL 255 out, the multicast interface, no
 * loop back of our own adverts, and the group joined. */
static int setup_v4(struct vrrp_instance *in, int fd, struct strbuf *err)
{
	int one = 1, zero = 0, ttl = VRRP_TTL;
	struct ip_mreqn mr = { .imr_ifindex = in->ifindex };

	if (setopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one), "IP_PKTINFO", err) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl), "IP_TTL", err) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl), "IP_MULTICAST_TTL",
		   err) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero),
		   "IP_MULTICAST_LOOP", err) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr), "IP_MULTICAST_IF", err) < 0)
		return -1;
	if (in->s.n_peers)
		return 0;
	memcpy(&mr.imr_multiaddr, in->s.group, 4);
	return setopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr),
		      "joining the multicast group", err);
}

static int setup_v6(struct vrrp_instance *in, int fd, struct strbuf *err)
{
	int one = 1, zero = 0, hops = VRRP_TTL;
	unsigned ifindex = (unsigned)in->ifindex;
	struct ipv6_mreq mr = { .ipv6mr_interface = ifindex };

	if (setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one), "IPV6_RECVPKTINFO",
		   err) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one),
		   "IPV6_RECVHOPLIMIT", err) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops),
		   "IPV6_UNICAST_HOPS", err) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops),
		   "IPV6_MULTICAST_HOPS", err) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero),
		   "IPV6_MULTICAST_LOOP", err) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex),
		   "IPV6_MULTICAST_IF", err) < 0)
		return -1;
	if (in->s.n_peers)
		return 0;
	memcpy(&mr.ipv6mr_multiaddr, in->s.group, 16);
	return setopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr),
		      "joining the multicast group", err);
}

int vrrp_sock_open(struct vrrp_instance *in, struct strbuf *err)
{
	int fd;

	if (in->fd >= 0)
		return 0;
	fd = socket(in->s.family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, VRRP_IPPROTO);
	if (fd < 0) {
		strbuf_printf(err, "raw socket for IP protocol 112: %s", strerror(errno));
		return -1;
	}
	/* Bound to the interface: we hear only its packets, and send only
	 * through it, whatever the routing table says. */
	if (setopt(fd, SOL_SOCKET, SO_BINDTODEVICE, in->s.interface,
		   (socklen_t)strlen(in->s.interface), "binding to the interface", err) < 0 ||
	    (in->s.family == AF_INET ? setup_v4(in, fd, err) : setup_v6(in, fd, err)) < 0 ||
	    loop_add_fd(in->eng->loop, fd, EPOLLIN, on_readable, in) < 0) {
		if (!err->len)
			strbuf_printf(err, "watching the socket: %s", strerror(errno));
		close(fd);
		return -1;
	}
	in->fd = fd;
	return 0;
}

void vrrp_sock_close(struct vrrp_instance *in)
{
	if (in->fd < 0)
		return;
	loop_del_fd(in->eng->loop, in->fd);
	close(in->fd);
	in->fd = -1;
}

/* Sends one built advert to dst, from the instance's source address on
 * its interface. Returns 0 or -1 with errno. */
static int send_one(struct vrrp_instance *in, const uint8_t *pkt, size_t len,
		    const unsigned char *dst)
{
	return vrrp_pacer_send(in->fd, in->s.family, in->ifindex, in->src, dst, pkt, len);
}

/* The advert fields of in at priority (destination and checksum aside). */
static void advert_tx(struct vrrp_instance *in, int priority, struct vrrp_tx *tx,
		      unsigned char (*addrs)[16])
{
	memset(tx, 0, sizeof(*tx));
	tx->family = in->s.family;
	tx->version = in->s.version;
	tx->vrid = in->s.vrid;
	tx->priority = priority;
	tx->interval_ms = in->s.advert_ms;
	tx->auth_type = in->s.auth_type;
	memcpy(tx->auth_data, in->s.auth_data, VRRP_AUTH_LEN);
	tx->n_addrs = advert_addrs(in, addrs);
	tx->addrs = (const unsigned char (*)[16])addrs;
	tx->src = in->src;
	tx->v3_checksum_as_v2 = in->s.v3_checksum_as_v2;
}

int vrrp_sock_pace(struct vrrp_instance *in, bool keep_due)
{
	unsigned char addrs[VRRP_MAX_ADDRS][16];
	size_t n_dst = in->s.n_peers ? in->s.n_peers : 1;
	struct vrrp_beat_dst *dst;
	uint8_t *pkts;
	struct vrrp_beat beat = { .fd = in->fd, .family = in->s.family,
				  .ifindex = in->ifindex, .interval_ms = in->s.advert_ms };
	struct vrrp_tx tx;
	int rc;

	if (!in->eng->pacer || in->fd < 0 || (!in->have_src && !vrrp_sock_refresh_src(in)))
		return -1;
	advert_tx(in, in->priority, &tx, addrs);
	dst = xcalloc(n_dst, sizeof(*dst));
	pkts = xmalloc(n_dst * VRRP_PKT_MAX);
	for (size_t i = 0; i < n_dst; i++) {
		const unsigned char *d = in->s.n_peers ? in->s.peers[i] : in->s.group;

		tx.dst = d;
		memcpy(dst[beat.n_dst].addr, d, 16);
		dst[beat.n_dst].pkt = pkts + i * VRRP_PKT_MAX;
		dst[beat.n_dst].len = vrrp_pkt_build(pkts + i * VRRP_PKT_MAX, VRRP_PKT_MAX, &tx);
		if (dst[beat.n_dst].len)
			beat.n_dst++;
	}
	memcpy(beat.src, in->src, 16);
	beat.dst = dst;
	rc = beat.n_dst ? vrrp_pacer_set(in->eng->pacer, in, &beat, keep_due) : -1;
	free(dst);
	free(pkts);
	return rc;
}

int vrrp_sock_send_advert(struct vrrp_instance *in, int priority)
{
	unsigned char addrs[VRRP_MAX_ADDRS][16];
	uint8_t pkt[VRRP_PKT_MAX];
	struct vrrp_tx tx;
	size_t n_dst = in->s.n_peers ? in->s.n_peers : 1;
	int sent = 0, saved = 0;

	if (in->fd < 0 || (!in->have_src && !vrrp_sock_refresh_src(in))) {
		saved = in->fd < 0 ? EBADF : EADDRNOTAVAIL;
		goto fail;
	}
	advert_tx(in, priority, &tx, addrs);
	for (size_t i = 0; i < n_dst; i++) {
		const unsigned char *dst = in->s.n_peers ? in->s.peers[i] : in->s.group;
		size_t len;

		/* The v3 pseudo-header names the destination: one build each. */
		tx.dst = dst;
		len = vrrp_pkt_build(pkt, sizeof(pkt), &tx);
		if (len && send_one(in, pkt, len, dst) == 0)
			sent++;
		else
			saved = len ? errno : EINVAL;
	}
	if (!sent)
		goto fail;
	in->stats.advert_sent++;
	if (priority == VRRP_PRIO_STOP)
		in->stats.prio_zero_sent++;
	return 0;
fail: {
	uint64_t now = loop_now_ms(in->eng->loop);

	if (!in->last_send_log_ms || now - in->last_send_log_ms >= 10000u) {
		in->last_send_log_ms = now;
		log_warn("VRRP instance %s: cannot send an advert on %s: %s", in->name,
			 in->s.interface, saved == EADDRNOTAVAIL
			 ? "no source address on the interface" : strerror(saved));
	}
	return -1;
}
}
