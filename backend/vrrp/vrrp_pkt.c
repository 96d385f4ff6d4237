#include "config.h"

#include "vrrp/vrrp_pkt.h"

#include <string.h>
#include <sys/socket.h>

size_t vrrp_addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

/* Adds n bytes to a ones-complement sum as big-endian 16-bit words; an
 * odd last byte is padded with zero, as RFC 1071 says. */
static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

uint16_t vrrp_pkt_checksum(int version, int family, const unsigned char *src,
			   const unsigned char *dst, const uint8_t *msg,
			   size_t len, bool as_v2)
{
	uint32_t sum = 0;

	if (version == 3 && !as_v2) {
		size_t alen = vrrp_addr_len(family);

		sum = sum_bytes(sum, src, alen);
		sum = sum_bytes(sum, dst, alen);
		/* IPv4: zero, protocol, 16-bit length; IPv6: 32-bit length,
		 * three zero bytes, next header. Same sum either way. */
		sum += VRRP_IPPROTO;
		sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffffu);
	}
	/* The checksum field (bytes 6-7) counts as zero. */
	sum = sum_bytes(sum, msg, len < 6 ? len : 6);
	if (len > 8)
		sum = sum_bytes(sum, msg + 8, len - 8);
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	return (uint16_t)~sum;
}

bool vrrp_mem_equal_ct(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;

	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(x[i] ^ y[i]);
	return diff == 0;
}

/* The expected message length for a version, family and address count. */
static size_t expected_len(int version, int family, int count)
{
	size_t n = VRRP_HDR_LEN + (size_t)count * vrrp_addr_len(family);

	return version == 2 ? n + VRRP_AUTH_LEN : n;
}

size_t vrrp_pkt_build(uint8_t *buf, size_t cap, const struct vrrp_tx *tx)
{
	size_t alen = vrrp_addr_len(tx->family);
	size_t len;
	uint16_t ck;

	if (!alen || (tx->version != 2 && tx->version != 3) ||
	    (tx->version == 2 && tx->family != AF_INET) ||
	    tx->n_addrs > VRRP_MAX_ADDRS || tx->vrid < 1 || tx->vrid > 255 ||
	    tx->priority < 0 || tx->priority > 255)
		return 0;
	len = expected_len(tx->version, tx->family, (int)tx->n_addrs);
	if (len > cap)
		return 0;
	memset(buf, 0, len);
	buf[0] = (uint8_t)(tx->version << 4 | VRRP_TYPE_ADVERT);
	buf[1] = (uint8_t)tx->vrid;
	buf[2] = (uint8_t)tx->priority;
	buf[3] = (uint8_t)tx->n_addrs;
	if (tx->version == 2) {
		unsigned s = tx->interval_ms / 1000u;

		buf[4] = (uint8_t)tx->auth_type;
		buf[5] = (uint8_t)(s < 1 ? 1 : s > 255 ? 255 : s);
	} else {
		unsigned cs = tx->interval_ms / 10u;

		cs = cs < 1 ? 1 : cs > 0xfff ? 0xfff : cs;
		buf[4] = (uint8_t)(cs >> 8);
		buf[5] = (uint8_t)(cs & 0xffu);
	}
	for (size_t i = 0; i < tx->n_addrs; i++)
		memcpy(buf + VRRP_HDR_LEN + i * alen, tx->addrs[i], alen);
	if (tx->version == 2 && tx->auth_type == VRRP_AUTH_PASS)
		memcpy(buf + len - VRRP_AUTH_LEN, tx->auth_data, VRRP_AUTH_LEN);
	ck = vrrp_pkt_checksum(tx->version, tx->family, tx->src, tx->dst, buf, len,
			       tx->v3_checksum_as_v2);
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)(ck & 0xffu);
	return len;
}

static bool is_multicast(int family, const unsigned char *a)
{
	return family == AF_INET ? (a[0] & 0xf0u) == 0xe0u : a[0] == 0xffu;
}

/* True when every address of the packet is one of ours and the counts
 * agree (the order may differ: keepalived sorts nothing either). */
static bool addrs_match(const struct vrrp_adv *adv, const struct vrrp_expect *ex,
			size_t alen)
{
	if ((size_t)adv->count != ex->n_addrs)
		return false;
	for (int i = 0; i < adv->count; i++) {
		const uint8_t *a = adv->addrs + (size_t)i * alen;
		bool found = false;

		for (size_t j = 0; j < ex->n_addrs && !found; j++)
			found = memcmp(a, ex->addrs[j], alen) == 0;
		if (!found)
			return false;
	}
	return true;
}

enum vrrp_rx_result vrrp_pkt_check(const struct vrrp_rx *rx,
				   const struct vrrp_expect *ex,
				   struct vrrp_adv *adv)
{
	const uint8_t *p = rx->data;
	size_t alen = vrrp_addr_len(rx->family);
	uint16_t ck;

	memset(adv, 0, sizeof(*adv));
	/* Without a whole header there is nothing to attribute. */
	if (rx->len < VRRP_HDR_LEN || rx->ip_len < VRRP_HDR_LEN || !alen)
		return VRRP_RX_LENGTH;
	adv->version = p[0] >> 4;
	adv->type = p[0] & 0x0f;
	adv->vrid = p[1];
	adv->priority = p[2];
	adv->count = p[3];
	if (adv->vrid != ex->vrid)
		return VRRP_RX_VRID;
	if (ex->own && memcmp(rx->src, ex->own, alen) == 0)
		return VRRP_RX_OWN;
	if (is_multicast(rx->family, rx->dst) && rx->ttl != VRRP_TTL)
		return VRRP_RX_TTL;
	if (adv->version != ex->version)
		return VRRP_RX_VERSION;
	if (adv->type != VRRP_TYPE_ADVERT)
		return VRRP_RX_TYPE;
	/* What arrived, what the IP header claims and what the count implies
	 * must all agree: a short or padded packet is not trusted. */
	if (rx->len != rx->ip_len ||
	    rx->len != expected_len(adv->version, rx->family, adv->count))
		return VRRP_RX_LENGTH;
	adv->addrs = p + VRRP_HDR_LEN;
	if (adv->version == 2) {
		adv->auth_type = p[4];
		adv->interval = p[5];
		adv->interval_ms = adv->interval * 1000u;
		adv->auth_data = p + rx->len - VRRP_AUTH_LEN;
	} else {
		adv->interval = ((unsigned)(p[4] & 0x0fu) << 8) | p[5];
		adv->interval_ms = adv->interval * 10u;
	}
	ck = (uint16_t)(p[6] << 8 | p[7]);
	if (ck != vrrp_pkt_checksum(adv->version, rx->family, rx->src, rx->dst, p,
				    rx->len, false) &&
	    !(ex->v3_checksum_as_v2 && adv->version == 3 &&
	      ck == vrrp_pkt_checksum(3, rx->family, rx->src, rx->dst, p, rx->len, true)))
		return VRRP_RX_CHECKSUM;
	if (adv->version == 2) {
		if (adv->auth_type > VRRP_AUTH_AH)
			return VRRP_RX_AUTH_INVALID;
		if (adv->auth_type != (int)ex->auth_type)
			return VRRP_RX_AUTH_MISMATCH;
		/* AH cannot be verified here: never trust it. */
		if (adv->auth_type == VRRP_AUTH_AH ||
		    (adv->auth_type == VRRP_AUTH_PASS &&
		     !vrrp_mem_equal_ct(adv->auth_data, ex->auth_data, VRRP_AUTH_LEN)))
			return VRRP_RX_AUTH_FAIL;
		if (adv->interval != ex->interval_s)
			return VRRP_RX_INTERVAL;
	} else if (adv->interval == 0) {
		return VRRP_RX_INTERVAL;
	}
	if (rx->family == AF_INET6 && is_multicast(AF_INET6, rx->dst) &&
	    !(rx->src[0] == 0xfe && (rx->src[1] & 0xc0) == 0x80))
		return VRRP_RX_SRC;
	/* RFC 3768 7.1: a list that differs is dropped unless the sender
	 * owns the addresses. */
	if (ex->check_addrs && adv->priority != VRRP_PRIO_OWNER &&
	    !addrs_match(adv, ex, alen))
		return VRRP_RX_ADDR_LIST;
	return VRRP_RX_OK;
}

static const char *const rx_names[VRRP_RX_COUNT] = {
	[VRRP_RX_OK] = "ok",
	[VRRP_RX_LENGTH] = "packetLengthErrors",
	[VRRP_RX_VRID] = "vrIdErrors",
	[VRRP_RX_OWN] = "ownPktsRcvd",
	[VRRP_RX_TTL] = "ipTtlErrors",
	[VRRP_RX_VERSION] = "versionErrors",
	[VRRP_RX_TYPE] = "invalidTypePktsRcvd",
	[VRRP_RX_CHECKSUM] = "checksumErrors",
	[VRRP_RX_AUTH_INVALID] = "invalidAuthType",
	[VRRP_RX_AUTH_MISMATCH] = "authTypeMismatch",
	[VRRP_RX_AUTH_FAIL] = "authFailures",
	[VRRP_RX_INTERVAL] = "advertiseIntervalErrors",
	[VRRP_RX_SRC] = "srcAddrErrors",
	[VRRP_RX_ADDR_LIST] = "addressListErrors",
};

static const char *const rx_texts[VRRP_RX_COUNT] = {
	[VRRP_RX_OK] = "accepted",
	[VRRP_RX_LENGTH] = "length does not match the IP length and address count",
	[VRRP_RX_VRID] = "VRID is not ours",
	[VRRP_RX_OWN] = "our own packet",
	[VRRP_RX_TTL] = "TTL / hop limit is not 255",
	[VRRP_RX_VERSION] = "wrong VRRP version",
	[VRRP_RX_TYPE] = "type is not ADVERTISEMENT",
	[VRRP_RX_CHECKSUM] = "bad checksum",
	[VRRP_RX_AUTH_INVALID] = "unknown authentication type",
	[VRRP_RX_AUTH_MISMATCH] = "authentication type differs from ours",
	[VRRP_RX_AUTH_FAIL] = "authentication failed",
	[VRRP_RX_INTERVAL] = "advertisement interval differs from ours, or is 0",
	[VRRP_RX_SRC] = "IPv6 source is not link-local",
	[VRRP_RX_ADDR_LIST] = "address list differs from ours",
};

const char *vrrp_rx_result_name(enum vrrp_rx_result r)
{
	return (unsigned)r < VRRP_RX_COUNT ? rx_names[r] : "unknown";
}

const char *vrrp_rx_result_text(enum vrrp_rx_result r)
{
	return (unsigned)r < VRRP_RX_COUNT ? rx_texts[r] : "unknown";
}
