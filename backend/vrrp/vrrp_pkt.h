/* vrrp_pkt: builds, parses and validates VRRP advertisements, v2 and v3,
 * IPv4 and IPv6 (types in vrrp_pkt-t.h). Pure functions over buffers: no
 * sockets, no state, so every receive rule is unit-tested on its own.
 */
#ifndef SOFTLB_VRRP_PKT_H
#define SOFTLB_VRRP_PKT_H

#include "vrrp/vrrp_pkt-t.h"

/* Writes the advertisement tx describes into buf (cap bytes), checksum
 * included. Returns its length, or 0 when it does not fit or tx is not
 * encodable (bad version/family pair, too many addresses). */
size_t vrrp_pkt_build(uint8_t *buf, size_t cap, const struct vrrp_tx *tx);

/* Checks every receive rule of RFC 3768 7.1 / RFC 5798 7.1 on rx against
 * what ex accepts, in the order of enum vrrp_rx_result. Returns VRRP_RX_OK
 * with adv filled in, or the first rule broken (adv then holds whatever
 * could be decoded, for messages). */
enum vrrp_rx_result vrrp_pkt_check(const struct vrrp_rx *rx,
				   const struct vrrp_expect *ex,
				   struct vrrp_adv *adv);

/* The checksum of a VRRP message as stored in its header: v2 over the
 * message; v3 over the pseudo-header and the message unless as_v2. The
 * checksum field of msg is taken as zero. */
uint16_t vrrp_pkt_checksum(int version, int family, const unsigned char *src,
			   const unsigned char *dst, const uint8_t *msg,
			   size_t len, bool as_v2);

/* Compares n bytes in time that depends only on n (for passwords).
 * Returns true when equal. */
bool vrrp_mem_equal_ct(const void *a, const void *b, size_t n);

/* Address length for a family: 4 or 16 (0 for anything else). */
size_t vrrp_addr_len(int family);

/* The counter name of a drop reason, VRRP-MIB style ("ipTtlErrors"), and a
 * short sentence for logs ("TTL is not 255"). */
const char *vrrp_rx_result_name(enum vrrp_rx_result r);
const char *vrrp_rx_result_text(enum vrrp_rx_result r);

#endif
