/* vrrp_pkt-t.h: types of the VRRP advertisement codec (see vrrp_pkt.h).
 *
 * Wire formats (network order):
 *
 *   v2 (RFC 3768), IPv4 only:
 *     0: version(4) type(4) | 1: VRID | 2: priority | 3: count IPv4 addrs
 *     4: auth type | 5: advert interval (seconds) | 6-7: checksum
 *     8: count x 4-byte addresses | then 8 bytes of authentication data
 *
 *   v3 (RFC 5798 / RFC 9568), IPv4 or IPv6:
 *     0: version(4) type(4) | 1: VRID | 2: priority | 3: count addrs
 *     4-5: reserved(4) max advert interval (12, centiseconds)
 *     6-7: checksum | 8: count x 4- or 16-byte addresses
 *
 * The v2 checksum covers the VRRP message only; the v3 one adds the IP
 * pseudo-header (RFC 5798 5.2.8), unless the peer computes it the v2 way
 * (v3_checksum_as_v2, for old implementations).
 */
#ifndef SOFTLB_VRRP_PKT_T_H
#define SOFTLB_VRRP_PKT_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_IPPROTO 112
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_LEN 8
#define VRRP_TYPE_ADVERT 1
#define VRRP_PRIO_STOP 0	/* the master is leaving */
#define VRRP_PRIO_OWNER 255	/* owns the addresses */
#define VRRP_TTL 255		/* sent, and required on multicast receive */
#define VRRP_MAX_ADDRS 255	/* the count is one byte */
/* Largest message: v3 IPv6 with 255 addresses. */
#define VRRP_PKT_MAX (VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16)

/* v2 authentication types (RFC 2338; 3768 keeps the field). */
enum vrrp_auth {
	VRRP_AUTH_NONE = 0,
	VRRP_AUTH_PASS = 1,	/* simple text password */
	VRRP_AUTH_AH = 2,	/* IPsec AH: recognised, not supported */
};

/* Why a received packet was dropped; VRRP_RX_OK when it was not. The
 * checks run in this order, so each packet moves exactly one counter.
 * The names in comments are VRRP-MIB's (RFC 2787 / RFC 6527). */
enum vrrp_rx_result {
	VRRP_RX_OK = 0,
	VRRP_RX_LENGTH,		/* vrrpStatsPacketLengthErrors */
	VRRP_RX_VRID,		/* vrrpRouterVrIdErrors: not our VRID */
	VRRP_RX_OWN,		/* our own packet looped back */
	VRRP_RX_TTL,		/* vrrpStatsIpTtlErrors */
	VRRP_RX_VERSION,	/* vrrpRouterVersionErrors */
	VRRP_RX_TYPE,		/* vrrpStatsInvalidTypePktsRcvd */
	VRRP_RX_CHECKSUM,	/* vrrpRouterChecksumErrors */
	VRRP_RX_AUTH_INVALID,	/* vrrpStatsInvalidAuthType */
	VRRP_RX_AUTH_MISMATCH,	/* vrrpStatsAuthTypeMismatch */
	VRRP_RX_AUTH_FAIL,	/* vrrpStatsAuthFailures */
	VRRP_RX_INTERVAL,	/* vrrpStatsAdvertiseIntervalErrors */
	VRRP_RX_SRC,		/* IPv6 multicast advert not from link-local */
	VRRP_RX_ADDR_LIST,	/* vrrpStatsAddressListErrors */
	VRRP_RX_COUNT
};

/* One received packet, as the socket layer saw it. Addresses use the
 * first 4 bytes for IPv4. */
struct vrrp_rx {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char src[16];
	unsigned char dst[16];
	int ttl;		/* TTL / hop limit; -1: unknown */
	const uint8_t *data;	/* the VRRP message, after the IP header */
	size_t len;		/* bytes of it that arrived */
	size_t ip_len;		/* bytes the IP header says follow it */
};

/* What one instance accepts. */
struct vrrp_expect {
	int family;
	int version;		/* 2 or 3 */
	int vrid;
	enum vrrp_auth auth_type;	/* v2 only */
	uint8_t auth_data[VRRP_AUTH_LEN];	/* PASS: zero-padded */
	unsigned interval_s;	/* v2: the configured interval */
	const unsigned char (*addrs)[16];	/* the VIPs we advertise */
	size_t n_addrs;
	bool check_addrs;	/* !vrrp_skip_check_adv_addr */
	bool v3_checksum_as_v2;	/* also accept the pseudo-header-less v3 sum */
	const unsigned char *own;	/* our source address, or NULL */
};

/* A decoded advertisement. addrs points into the packet. */
struct vrrp_adv {
	int version;
	int type;
	int vrid;
	int priority;
	int count;
	int auth_type;		/* v2 */
	unsigned interval;	/* raw: v2 seconds, v3 centiseconds */
	unsigned interval_ms;
	const uint8_t *addrs;	/* count x (4 or 16) bytes */
	const uint8_t *auth_data;	/* v2: 8 bytes; v3: NULL */
};

/* What to send. */
struct vrrp_tx {
	int family;
	int version;
	int vrid;
	int priority;
	unsigned interval_ms;	/* encoded as seconds (v2) or cs (v3) */
	enum vrrp_auth auth_type;
	uint8_t auth_data[VRRP_AUTH_LEN];
	const unsigned char (*addrs)[16];
	size_t n_addrs;
	const unsigned char *src;	/* for the v3 pseudo-header */
	const unsigned char *dst;
	bool v3_checksum_as_v2;
};

#endif
