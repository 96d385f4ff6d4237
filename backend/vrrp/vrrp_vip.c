#include "config.h"

#include "vrrp/vrrp_int.h"
#include "core/log.h"
#include "vrrp/vrrp_pkt.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int vrrp_vip_engine_init(struct vrrp_engine *eng, struct strbuf *err)
{
	int rc;

	eng->nl = nl_socket_alloc();
	if (!eng->nl) {
		strbuf_puts(err, "cannot allocate a netlink socket");
		return -1;
	}
	rc = nl_connect(eng->nl, NETLINK_ROUTE);
	if (rc < 0) {
		strbuf_printf(err, "cannot open rtnetlink: %s", nl_geterror(rc));
		nl_socket_free(eng->nl);
		eng->nl = NULL;
		return -1;
	}
	return 0;
}

void vrrp_vip_engine_stop(struct vrrp_engine *eng)
{
	if (eng->nl)
		nl_socket_free(eng->nl);
	eng->nl = NULL;
	if (eng->arp_fd >= 0)
		close(eng->arp_fd);
	if (eng->na_fd >= 0)
		close(eng->na_fd);
	eng->arp_fd = eng->na_fd = -1;
}

int vrrp_vip_scope(const char *word)
{
	static const struct {
		const char *word;
		int scope;
	} scopes[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "universe", RT_SCOPE_UNIVERSE },
		{ "site", RT_SCOPE_SITE }, { "link", RT_SCOPE_LINK },
		{ "host", RT_SCOPE_HOST }, { "nowhere", RT_SCOPE_NOWHERE },
	};
	char *end;
	long n;

	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++)
		if (strcmp(word, scopes[i].word) == 0)
			return scopes[i].scope;
	n = strtol(word, &end, 10);
	return *word && !*end && n >= 0 && n <= 255 ? (int)n : -1;
}

void vrrp_vip_text(const struct vrrp_vip *v, struct strbuf *out)
{
	vrrp_addr_text(v->family, v->addr, out);
	strbuf_printf(out, "/%d", v->prefix);
}

static int vip_ifindex(const struct vrrp_instance *in, const struct vrrp_vip *v)
{
	return v->dev ? (int)if_nametoindex(v->dev) : in->ifindex;
}

/* Builds the rtnl_addr for a VIP; NULL when its device is missing. */
static struct rtnl_addr *vip_obj(const struct vrrp_instance *in, const struct vrrp_vip *v)
{
	int ifindex = vip_ifindex(in, v);
	struct rtnl_addr *a;
	struct nl_addr *local;

	if (ifindex <= 0)
		return NULL;
	a = rtnl_addr_alloc();
	local = nl_addr_build(v->family, v->addr, vrrp_addr_len(v->family));
	if (!a || !local) {
		if (a)
			rtnl_addr_put(a);
		if (local)
			nl_addr_put(local);
		return NULL;
	}
	nl_addr_set_prefixlen(local, v->prefix);
	rtnl_addr_set_local(a, local);
	nl_addr_put(local);
	rtnl_addr_set_prefixlen(a, v->prefix);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_scope(a, v->scope);
	if (v->family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);	/* usable at once */
	if (v->has_brd) {
		struct nl_addr *brd = nl_addr_build(v->family, v->brd, vrrp_addr_len(v->family));

		if (brd) {
			rtnl_addr_set_broadcast(a, brd);
			nl_addr_put(brd);
		}
	}
	if (v->label)
		rtnl_addr_set_label(a, v->label);
	return a;
}

static void log_vip(const struct vrrp_instance *in, const struct vrrp_vip *v,
		    const char *what, const char *why)
{
	struct strbuf t = STRBUF_INIT;

	vrrp_vip_text(v, &t);
	log_warn("VRRP instance %s: cannot %s VIP %s on %s: %s", in->name, what,
		 strbuf_str(&t), v->dev ? v->dev : in->s.interface, why);
	strbuf_free(&t);
}

int vrrp_vip_add(struct vrrp_instance *in, struct vrrp_vip *v)
{
	struct rtnl_addr *a = vip_obj(in, v);
	int rc;

	if (!a) {
		log_vip(in, v, "add", "no such interface");
		return -1;
	}
	rc = rtnl_addr_add(in->eng->nl, a, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_addr_put(a);
	/* Already there counts as done: a restart after kill -9 finds it. */
	if (rc < 0 && rc != -NLE_EXIST) {
		log_vip(in, v, "add", nl_geterror(rc));
		return -1;
	}
	v->installed = true;
	return 0;
}

int vrrp_vip_del(struct vrrp_instance *in, struct vrrp_vip *v)
{
	struct rtnl_addr *a;
	int rc;

	if (!v->installed)
		return 0;
	v->installed = false;
	a = vip_obj(in, v);
	if (!a)
		return 0;	/* its interface is gone, and the address with it */
	rc = rtnl_addr_delete(in->eng->nl, a, 0);
	rtnl_addr_put(a);
	if (rc < 0 && rc != -NLE_NOADDR && rc != -NLE_OBJ_NOTFOUND &&
	    rc != -NLE_NODEV && rc != -NLE_INVAL) {
		log_vip(in, v, "remove", nl_geterror(rc));
		return -1;
	}
	return 0;
}

void vrrp_vip_add_all(struct vrrp_instance *in)
{
	for (size_t i = 0; i < in->s.n_vips; i++)
		vrrp_vip_add(in, &in->s.vips[i]);
}

void vrrp_vip_purge(struct vrrp_instance *in)
{
	for (size_t i = 0; i < in->s.n_vips; i++) {
		in->s.vips[i].installed = true;
		vrrp_vip_del(in, &in->s.vips[i]);
	}
}

void vrrp_vip_del_all(struct vrrp_instance *in)
{
	for (size_t i = 0; i < in->s.n_vips; i++)
		vrrp_vip_del(in, &in->s.vips[i]);
}

/* ------------------------------------------------------------------ */
/* Announcements                                                       */

/* The interface's MAC address. Returns 0, or -1 when it has none. */
static int if_mac(struct vrrp_engine *eng, int ifindex, unsigned char mac[6])
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (!if_indextoname((unsigned)ifindex, ifr.ifr_name) ||
	    ioctl(eng->ioctl_fd, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/* One gratuitous ARP request (RFC 5227 announcement: sender and target
 * protocol address both the VIP), broadcast on the interface. */
static int send_garp(struct vrrp_engine *eng, int ifindex, const unsigned char *ip,
		     const unsigned char mac[6])
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
				   .sll_ifindex = ifindex, .sll_halen = 6 };
	unsigned char p[28] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01 };

	if (eng->arp_fd < 0)
		eng->arp_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
				     htons(ETH_P_ARP));
	if (eng->arp_fd < 0)
		return -1;
	memset(sll.sll_addr, 0xff, 6);
	memcpy(p + 8, mac, 6);
	memcpy(p + 14, ip, 4);
	memcpy(p + 24, ip, 4);
	return sendto(eng->arp_fd, p, sizeof(p), 0, (struct sockaddr *)&sll, sizeof(sll)) < 0
		       ? -1 : 0;
}

/* One unsolicited neighbour advertisement (RFC 4861 7.2.6) to all nodes,
 * override flag set, with our link-layer address. */
static int send_na(struct vrrp_engine *eng, int ifindex, const unsigned char *ip,
		   const unsigned char mac[6])
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)ifindex };
	unsigned char p[32] = { ND_NEIGHBOR_ADVERT, 0, 0, 0, 0x20 };

	if (eng->na_fd < 0) {
		int hops = 255;

		eng->na_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
				    IPPROTO_ICMPV6);
		/* RFC 4861: receivers drop NDs whose hop limit is not 255. */
		if (eng->na_fd >= 0 &&
		    setsockopt(eng->na_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
			       sizeof(hops)) < 0) {
			close(eng->na_fd);
			eng->na_fd = -1;
		}
	}
	if (eng->na_fd < 0)
		return -1;
	dst.sin6_addr.s6_addr[0] = 0xff;
	dst.sin6_addr.s6_addr[1] = 0x02;
	dst.sin6_addr.s6_addr[15] = 0x01;
	memcpy(p + 8, ip, 16);
	p[24] = ND_OPT_TARGET_LINKADDR;
	p[25] = 1;
	memcpy(p + 26, mac, 6);
	/* The kernel fills in the ICMPv6 checksum on these sockets. */
	return sendto(eng->na_fd, p, sizeof(p), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0
		       ? -1 : 0;
}

void vrrp_vip_announce(struct vrrp_instance *in, int count)
{
	for (size_t i = 0; i < in->s.n_vips; i++) {
		const struct vrrp_vip *v = &in->s.vips[i];
		int ifindex = vip_ifindex(in, v);
		unsigned char mac[6];

		if (!v->installed || ifindex <= 0 || if_mac(in->eng, ifindex, mac) < 0)
			continue;
		for (int k = 0; k < count; k++) {
			int rc = v->family == AF_INET ? send_garp(in->eng, ifindex, v->addr, mac)
						      : send_na(in->eng, ifindex, v->addr, mac);

			if (rc < 0) {
				log_debug("VRRP instance %s: announcement failed: %s", in->name,
					  strerror(errno));
				break;
			}
		}
	}
}

static void on_garp_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_instance *in = arg;

	if (in->state != VRRP_STATE_MASTER)
		return;
	if (in->garp_phase == 0) {
		/* garp_master_delay after becoming master: one more round,
		 * for switches that were slow to learn the first. */
		vrrp_vip_announce(in, in->s.garp_repeat);
		if (!in->s.garp_refresh_ms)
			return;
		in->garp_phase = 1;
	} else {
		vrrp_vip_announce(in, in->s.garp_refresh_repeat);
	}
	loop_timer_start(l, t, in->s.garp_refresh_ms);
}

void vrrp_vip_instance_init(struct vrrp_instance *in)
{
	loop_timer_init(&in->garp_timer, on_garp_timer, in);
}

void vrrp_vip_announce_start(struct vrrp_instance *in)
{
	struct loop *l = in->eng->loop;

	vrrp_vip_announce(in, in->s.garp_repeat);
	if (in->s.garp_delay_ms) {
		in->garp_phase = 0;
		loop_timer_start(l, &in->garp_timer, in->s.garp_delay_ms);
	} else if (in->s.garp_refresh_ms) {
		in->garp_phase = 1;
		loop_timer_start(l, &in->garp_timer, in->s.garp_refresh_ms);
	}
}

void vrrp_vip_announce_stop(struct vrrp_instance *in)
{
	loop_timer_stop(in->eng->loop, &in->garp_timer);
}
