/* Unit tests for vrrp/vrrp_pkt: the encoder against bytes that scapy (an
 * independent implementation) produced, checksums with and without the v3
 * pseudo-header, and every receive rule broken on its own. */
#include "config.h"

#include "vrrp/vrrp_pkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "suites.h"

/* ---- helpers ---- */

/* Parses hex text into buf; returns the byte count. */
static size_t unhex(const char *hex, uint8_t *buf)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		unsigned v;

		sscanf(hex, "%2x", &v);
		buf[n++] = (uint8_t)v;
	}
	return n;
}

static void addr(int family, const char *text, unsigned char *out)
{
	memset(out, 0, 16);
	ck_assert_int_eq(inet_pton(family, text, out), 1);
}

/* One scenario: a valid packet of some kind, and what the receiver
 * expects of it. */
struct fixture {
	unsigned char vip[1][16];
	unsigned char src[16], dst[16], own[16];
	uint8_t buf[VRRP_PKT_MAX];
	struct vrrp_tx tx;
	struct vrrp_rx rx;
	struct vrrp_expect ex;
};

enum kind { V2_PASS = 0, V3_V4 = 1, V3_V6 = 2 };

/* Builds the kind's reference packet (VRID 51, priority 150, one VIP)
 * and an expectation that accepts it. */
static void setup(struct fixture *f, enum kind k)
{
	int family = k == V3_V6 ? AF_INET6 : AF_INET;

	memset(f, 0, sizeof(*f));
	if (family == AF_INET) {
		addr(AF_INET, "192.0.2.100", f->vip[0]);
		addr(AF_INET, "192.0.2.2", f->src);
		addr(AF_INET, "224.0.0.18", f->dst);
		addr(AF_INET, "192.0.2.3", f->own);
	} else {
		addr(AF_INET6, "2001:db8::100", f->vip[0]);
		addr(AF_INET6, "fe80::1", f->src);
		addr(AF_INET6, "ff02::12", f->dst);
		addr(AF_INET6, "fe80::2", f->own);
	}
	f->tx = (struct vrrp_tx){ .family = family, .version = k == V2_PASS ? 2 : 3,
				  .vrid = 51, .priority = 150,
				  .interval_ms = k == V2_PASS ? 1000 : 1000,
				  .auth_type = k == V2_PASS ? VRRP_AUTH_PASS : VRRP_AUTH_NONE,
				  .addrs = (const unsigned char (*)[16])f->vip, .n_addrs = 1,
				  .src = f->src, .dst = f->dst };
	memcpy(f->tx.auth_data, "secret\0\0", 8);
	f->rx.family = family;
	memcpy(f->rx.src, f->src, 16);
	memcpy(f->rx.dst, f->dst, 16);
	f->rx.ttl = 255;
	f->rx.data = f->buf;
	f->rx.len = f->rx.ip_len = vrrp_pkt_build(f->buf, sizeof(f->buf), &f->tx);
	ck_assert_uint_gt(f->rx.len, 0);
	f->ex = (struct vrrp_expect){ .family = family, .version = f->tx.version,
				      .vrid = 51, .auth_type = f->tx.auth_type,
				      .interval_s = 1,
				      .addrs = (const unsigned char (*)[16])f->vip,
				      .n_addrs = 1, .check_addrs = true, .own = f->own };
	memcpy(f->ex.auth_data, f->tx.auth_data, 8);
}

/* Recomputes the checksum after a test changed the packet, so that only
 * the rule under test is broken. */
static void refill(struct fixture *f)
{
	uint16_t ck = vrrp_pkt_checksum(f->buf[0] >> 4, f->rx.family, f->rx.src, f->rx.dst,
					f->buf, f->rx.len, false);

	f->buf[6] = (uint8_t)(ck >> 8);
	f->buf[7] = (uint8_t)ck;
}

/* ---- encoder ---- */

START_TEST(test_build_matches_scapy)
{
	static const char *const want[] = {
		[V2_PASS] = "2133960101014919c00002647365637265740000",
		[V3_V4] = "313396010064d370c0000264",
		[V3_V6] = "3133960100640b8f20010db8000000000000000000000100",
	};
	struct fixture f;
	uint8_t ref[VRRP_PKT_MAX];
	size_t n;

	setup(&f, (enum kind)_i);
	n = unhex(want[_i], ref);
	ck_assert_uint_eq(f.rx.len, n);
	ck_assert_mem_eq(f.buf, ref, n);
}
END_TEST

START_TEST(test_valid_accepted)
{
	struct fixture f;
	struct vrrp_adv adv;

	setup(&f, (enum kind)_i);
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_OK);
	ck_assert_int_eq(adv.vrid, 51);
	ck_assert_int_eq(adv.priority, 150);
	ck_assert_int_eq(adv.count, 1);
	ck_assert_uint_eq(adv.interval_ms, 1000);
	ck_assert_int_eq(adv.version, _i == V2_PASS ? 2 : 3);
}
END_TEST

START_TEST(test_v3_checksum_as_v2)
{
	struct fixture f;
	struct vrrp_adv adv;

	setup(&f, V3_V4);
	f.tx.v3_checksum_as_v2 = true;
	f.rx.len = f.rx.ip_len = vrrp_pkt_build(f.buf, sizeof(f.buf), &f.tx);
	/* The v2-style sum is exactly the checksum without pseudo-header. */
	ck_assert_uint_eq((unsigned)(f.buf[6] << 8 | f.buf[7]),
			  vrrp_pkt_checksum(3, AF_INET, f.src, f.dst, f.buf, f.rx.len, true));
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_CHECKSUM);
	f.ex.v3_checksum_as_v2 = true;
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_OK);
}
END_TEST

START_TEST(test_pseudo_header_covers_addresses)
{
	struct fixture f;
	struct vrrp_adv adv;

	/* The same bytes from another source fail a v3 check ... */
	setup(&f, V3_V6);
	f.rx.src[15] ^= 0x40;
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_CHECKSUM);
	/* ... but not a v2 one, which has no pseudo-header. */
	setup(&f, V2_PASS);
	f.rx.src[3] ^= 0x40;
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_OK);
}
END_TEST

START_TEST(test_build_refuses)
{
	struct fixture f;

	setup(&f, V3_V6);
	f.tx.version = 2;	/* v2 has no IPv6 */
	ck_assert_uint_eq(vrrp_pkt_build(f.buf, sizeof(f.buf), &f.tx), 0);
	setup(&f, V2_PASS);
	ck_assert_uint_eq(vrrp_pkt_build(f.buf, 10, &f.tx), 0);
	f.tx.n_addrs = 256;
	ck_assert_uint_eq(vrrp_pkt_build(f.buf, sizeof(f.buf), &f.tx), 0);
}
END_TEST

START_TEST(test_interval_encoding)
{
	struct fixture f;
	struct vrrp_adv adv;

	setup(&f, V3_V4);
	f.tx.interval_ms = 120;	/* 12 centiseconds */
	f.rx.len = f.rx.ip_len = vrrp_pkt_build(f.buf, sizeof(f.buf), &f.tx);
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_OK);
	ck_assert_uint_eq(adv.interval, 12);
	ck_assert_uint_eq(adv.interval_ms, 120);
	f.tx.interval_ms = 100000;	/* above 40.95 s: clamped to 0xfff cs */
	f.rx.len = f.rx.ip_len = vrrp_pkt_build(f.buf, sizeof(f.buf), &f.tx);
	ck_assert_int_eq(vrrp_pkt_check(&f.rx, &f.ex, &adv), VRRP_RX_OK);
	ck_assert_uint_eq(adv.interval, 0xfff);
}
END_TEST

START_TEST(test_ct_compare)
{
	ck_assert(vrrp_mem_equal_ct("abcdefgh", "abcdefgh", 8));
	ck_assert(!vrrp_mem_equal_ct("abcdefgh", "abcdefgx", 8));
	ck_assert(!vrrp_mem_equal_ct("xbcdefgh", "abcdefgh", 8));
	ck_assert(vrrp_mem_equal_ct("a", "b", 0));
}
END_TEST

/* ---- every receive rule, broken alone ---- */

struct rule_case {
	const char *what;
	enum kind kind;
	enum vrrp_rx_result want;
};

static const struct rule_case rule_cases[] = {
	{ "shorter than a header", V2_PASS, VRRP_RX_LENGTH },
	{ "another VRID", V2_PASS, VRRP_RX_VRID },
	{ "our own packet", V2_PASS, VRRP_RX_OWN },
	{ "TTL 254 to the multicast group", V2_PASS, VRRP_RX_TTL },
	{ "TTL 1 to the IPv6 group", V3_V6, VRRP_RX_TTL },
	{ "version 3 to a v2 instance", V2_PASS, VRRP_RX_VERSION },
	{ "version 2 to a v3 instance", V3_V4, VRRP_RX_VERSION },
	{ "type 2", V2_PASS, VRRP_RX_TYPE },
	{ "truncated: fewer bytes than IP says", V2_PASS, VRRP_RX_LENGTH },
	{ "count says 2 addresses, 1 present", V3_V4, VRRP_RX_LENGTH },
	{ "trailing bytes", V3_V6, VRRP_RX_LENGTH },
	{ "checksum off by one", V2_PASS, VRRP_RX_CHECKSUM },
	{ "checksum off by one (v3 IPv6)", V3_V6, VRRP_RX_CHECKSUM },
	{ "auth type 7", V2_PASS, VRRP_RX_AUTH_INVALID },
	{ "auth type none to a PASS instance", V2_PASS, VRRP_RX_AUTH_MISMATCH },
	{ "wrong password", V2_PASS, VRRP_RX_AUTH_FAIL },
	{ "AH", V2_PASS, VRRP_RX_AUTH_FAIL },
	{ "v2 interval 2 s against 1 s", V2_PASS, VRRP_RX_INTERVAL },
	{ "v3 interval 0", V3_V4, VRRP_RX_INTERVAL },
	{ "IPv6 global source to ff02::12", V3_V6, VRRP_RX_SRC },
	{ "another VIP", V2_PASS, VRRP_RX_ADDR_LIST },
	{ "another VIP (v3 IPv6)", V3_V6, VRRP_RX_ADDR_LIST },
	/* Not errors: */
	{ "another VIP from the owner (priority 255)", V2_PASS, VRRP_RX_OK },
	{ "another VIP with the check skipped", V3_V4, VRRP_RX_OK },
	{ "TTL 1 to a unicast address", V3_V4, VRRP_RX_OK },
	{ "v3 with another interval (backup learns it)", V3_V4, VRRP_RX_OK },
	{ "priority 0", V2_PASS, VRRP_RX_OK },
};

START_TEST(test_rule)
{
	const struct rule_case *c = &rule_cases[_i];
	struct fixture f;
	struct vrrp_adv adv;
	enum vrrp_rx_result got;

	setup(&f, c->kind);
	switch (_i) {
	case 0: f.rx.len = f.rx.ip_len = 7; break;
	case 1: f.buf[1] = 52; refill(&f); break;
	case 2: memcpy(f.rx.src, f.own, 16); break;
	case 3: f.rx.ttl = 254; break;
	case 4: f.rx.ttl = 1; break;
	case 5: f.buf[0] = 0x31; refill(&f); break;
	case 6: f.buf[0] = 0x21; refill(&f); break;
	case 7: f.buf[0] = 0x22; refill(&f); break;
	case 8: f.rx.len--; break;
	case 9: f.buf[3] = 2; refill(&f); break;
	case 10: f.buf[f.rx.len] = 0; f.rx.len++; f.rx.ip_len++; refill(&f); break;
	case 11: case 12: f.buf[7] ^= 1; break;
	case 13: f.buf[4] = 7; refill(&f); break;
	case 14: f.buf[4] = 0; refill(&f); break;
	case 15: f.buf[f.rx.len - 1] = 'x'; refill(&f); break;
	case 16: f.buf[4] = 2; f.ex.auth_type = VRRP_AUTH_AH; refill(&f); break;
	case 17: f.buf[5] = 2; refill(&f); break;
	case 18: f.buf[4] = 0; f.buf[5] = 0; refill(&f); break;
	case 19: addr(AF_INET6, "2001:db8::9", f.rx.src); refill(&f); break;
	case 20: f.buf[11] = 101; refill(&f); break;
	case 21: f.buf[23] = 0x99; refill(&f); break;
	case 22: f.buf[11] = 101; f.buf[2] = 255; refill(&f); break;
	case 23: f.buf[11] = 101; f.ex.check_addrs = false; refill(&f); break;
	case 24: addr(AF_INET, "192.0.2.3", f.rx.dst); f.rx.ttl = 1; refill(&f); break;
	case 25: f.buf[5] = 37; refill(&f); break;
	case 26: f.buf[2] = 0; refill(&f); break;
	default: ck_abort_msg("no mutation for case %d", _i);
	}
	got = vrrp_pkt_check(&f.rx, &f.ex, &adv);
	ck_assert_msg(got == c->want, "%s: got %s, want %s", c->what,
		      vrrp_rx_result_name(got), vrrp_rx_result_name(c->want));
}
END_TEST

Suite *vrrp_pkt_suite(void)
{
	Suite *s = suite_create("vrrp_pkt");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, test_build_matches_scapy, V2_PASS, V3_V6 + 1);
	tcase_add_loop_test(tc, test_valid_accepted, V2_PASS, V3_V6 + 1);
	tcase_add_test(tc, test_v3_checksum_as_v2);
	tcase_add_test(tc, test_pseudo_header_covers_addresses);
	tcase_add_test(tc, test_build_refuses);
	tcase_add_test(tc, test_interval_encoding);
	tcase_add_test(tc, test_ct_compare);
	suite_add_tcase(s, tc);

	tc = tcase_create("receive rules");
	tcase_add_loop_test(tc, test_rule, 0, (int)(sizeof(rule_cases) / sizeof(rule_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
