#include "config.h"

/* libFuzzer target for the VRRP advertisement decoder and validator
 * (vrrp_pkt_check), the first code that touches a packet from the wire.
 *
 * Input: four bytes of setup, then the VRRP message as the IP layer would
 * hand it over.
 *   byte 0  bit 0 IPv6, bit 1 VRRPv3 expected, bit 2 check the address
 *           list, bit 3 accept v3_checksum_as_v2, bit 4 multicast
 *           destination, bit 5 TTL 255, bit 6 fix the checksum before
 *           checking (so the rules after it are reached), bit 7 PASS
 *   byte 1  the VRID expected
 *   byte 2  the v2 interval expected (seconds)
 *   byte 3  what the IP header claims minus what arrived (signed)
 *
 * Beyond ASan and UBSan, an accepted advert must agree with what was
 * expected, and must survive a rebuild: vrrp_pkt_build() of the decoded
 * fields gives a packet that is accepted again and decodes the same. */

#include "vrrp/vrrp_pkt.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char vips4[2][16] = { { 192, 0, 2, 100 }, { 192, 0, 2, 101 } };
static const unsigned char vips6[2][16] = {
	{ 0xfe, 0x80, [15] = 0x64 }, { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x64 } };

static void same_or_abort(const struct vrrp_adv *a, const struct vrrp_adv *b, size_t alen)
{
	if (a->version != b->version || a->vrid != b->vrid || a->priority != b->priority ||
	    a->count != b->count || a->interval_ms != b->interval_ms ||
	    a->auth_type != b->auth_type ||
	    memcmp(a->addrs, b->addrs, (size_t)a->count * alen) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[VRRP_PKT_MAX + 64], again[VRRP_PKT_MAX];
	unsigned char src[16] = { 0 }, dst[16] = { 0 }, own[16] = { 0 };
	struct vrrp_expect ex;
	struct vrrp_adv adv, adv2;
	struct vrrp_rx rx;
	struct vrrp_tx tx;
	enum vrrp_rx_result r;
	unsigned flags;
	size_t alen, len, built;
	int delta;

	if (size < 4 || size - 4 > sizeof(msg))
		return 0;
	flags = data[0];
	len = size - 4;
	/* A copy of exactly len bytes on the heap would catch over-reads
	 * better; a static buffer keeps runs fast and ASan still sees reads
	 * past msg. The length rules are checked by the property below. */
	memcpy(msg, data + 4, len);

	memset(&rx, 0, sizeof(rx));
	memset(&ex, 0, sizeof(ex));
	rx.family = ex.family = flags & 1u ? AF_INET6 : AF_INET;
	alen = vrrp_addr_len(rx.family);
	if (rx.family == AF_INET) {
		memcpy(src, (const unsigned char[]){ 192, 0, 2, 3 }, 4);
		memcpy(own, (const unsigned char[]){ 192, 0, 2, 2 }, 4);
		memcpy(dst, flags & 16u ? (const unsigned char[]){ 224, 0, 0, 18 }
					: (const unsigned char[]){ 192, 0, 2, 2 }, 4);
	} else {
		src[0] = 0xfe; src[1] = 0x80; src[15] = 3;
		own[0] = 0xfe; own[1] = 0x80; own[15] = 2;
		if (flags & 16u) {
			dst[0] = 0xff; dst[1] = 0x02; dst[15] = 0x12;
		} else {
			memcpy(dst, own, 16);
		}
	}
	memcpy(rx.src, src, 16);
	memcpy(rx.dst, dst, 16);
	rx.ttl = flags & 32u ? 255 : 64;
	rx.data = msg;
	rx.len = len;
	delta = (int8_t)data[3];
	rx.ip_len = delta < 0 && (size_t)-delta > len ? 0 : len + (size_t)(ptrdiff_t)delta;

	ex.version = flags & 2u ? 3 : 2;
	ex.vrid = data[1];
	ex.interval_s = data[2];
	ex.check_addrs = flags & 4u;
	ex.v3_checksum_as_v2 = flags & 8u;
	ex.own = own;
	ex.addrs = rx.family == AF_INET ? vips4 : vips6;
	ex.n_addrs = 2;
	if (flags & 128u) {
		ex.auth_type = VRRP_AUTH_PASS;
		memcpy(ex.auth_data, "s3cret\0\0", VRRP_AUTH_LEN);
	}
	if ((flags & 64u) && len >= VRRP_HDR_LEN) {
		uint16_t ck = vrrp_pkt_checksum(msg[0] >> 4, rx.family, src, dst, msg, len, false);

		msg[6] = (uint8_t)(ck >> 8);
		msg[7] = (uint8_t)(ck & 0xffu);
	}

	r = vrrp_pkt_check(&rx, &ex, &adv);
	if ((unsigned)r >= VRRP_RX_COUNT)
		abort();
	if (r != VRRP_RX_OK)
		return 0;

	/* Accepted: it is what this instance expects, and it is whole. */
	if (adv.version != ex.version || adv.vrid != ex.vrid || adv.type != VRRP_TYPE_ADVERT ||
	    rx.len != rx.ip_len ||
	    rx.len != VRRP_HDR_LEN + (size_t)adv.count * alen +
			      (adv.version == 2 ? VRRP_AUTH_LEN : 0) ||
	    adv.interval_ms == 0 || (adv.version == 2 && adv.auth_type != (int)ex.auth_type) ||
	    (rx.family == AF_INET6 && adv.version != 3))
		abort();

	/* Rebuilt from its fields, it is accepted again and reads the same. */
	memset(&tx, 0, sizeof(tx));
	tx.family = rx.family;
	tx.version = adv.version;
	tx.vrid = adv.vrid;
	tx.priority = adv.priority;
	tx.interval_ms = adv.interval_ms;
	tx.auth_type = (enum vrrp_auth)adv.auth_type;
	if (adv.version == 2)
		memcpy(tx.auth_data, adv.auth_data, VRRP_AUTH_LEN);
	{
		static unsigned char addrs[VRRP_MAX_ADDRS][16];

		for (int i = 0; i < adv.count; i++) {
			memset(addrs[i], 0, 16);
			memcpy(addrs[i], adv.addrs + (size_t)i * alen, alen);
		}
		tx.addrs = (const unsigned char (*)[16])addrs;
	}
	tx.n_addrs = (size_t)adv.count;
	tx.src = src;
	tx.dst = dst;
	built = vrrp_pkt_build(again, sizeof(again), &tx);
	if (built != rx.len)
		abort();
	rx.data = again;
	rx.ip_len = built;
	if (vrrp_pkt_check(&rx, &ex, &adv2) != VRRP_RX_OK)
		abort();
	same_or_abort(&adv, &adv2, alen);
	return 0;
}
