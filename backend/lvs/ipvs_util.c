/* ipvs_util: the helpers of ipvs.h that need no netlink (key text,
 * defaults, method names), apart from ipvs.c so that a test binary can
 * link them with an in-memory IPVS (tests/unit/fake_ipvs.c) instead of
 * the kernel's.
 */
#include "config.h"

#include "lvs/ipvs.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <linux/ip_vs.h>

/* Sets the kernel's defaults; see ipvs.h. */
void ipvs_service_init(struct ipvs_service *svc, uint16_t af)
{
	memset(svc, 0, sizeof(*svc));
	svc->key.af = af;
	svc->prefix = af == AF_INET6 ? 128 : 32;
}

/* Formats a service key as ipvsadm -Ln names it. */
const char *ipvs_key_format(const struct ipvs_service_key *key,
			    char buf[IPVS_KEY_STRLEN])
{
	char a[INET6_ADDRSTRLEN], p[8];
	const char *proto;

	if (key->fwmark) {
		snprintf(buf, IPVS_KEY_STRLEN, "FWM %u%s", key->fwmark,
			 key->af == AF_INET6 ? " IPv6" : "");
		return buf;
	}
	switch (key->protocol) {
	case IPPROTO_TCP: proto = "TCP"; break;
	case IPPROTO_UDP: proto = "UDP"; break;
	case IPPROTO_SCTP: proto = "SCTP"; break;
	default:
		snprintf(p, sizeof(p), "P%u", key->protocol);
		proto = p;
		break;
	}
	if (!inet_ntop(key->af, key->addr.raw, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, IPVS_KEY_STRLEN, key->af == AF_INET6 ? "%s [%s]:%u" : "%s %s:%u",
		 proto, a, key->port);
	return buf;
}

/* Names a forwarding method in ipvsadm's words. */
const char *ipvs_fwd_name(uint32_t fwd)
{
	switch (fwd & IP_VS_CONN_F_FWD_MASK) {
	case IPVS_FWD_MASQ: return "Masq";
	case IPVS_FWD_LOCAL: return "Local";
	case IPVS_FWD_TUNNEL: return "Tunnel";
	case IPVS_FWD_ROUTE: return "Route";
	default: return "?";
	}
}
