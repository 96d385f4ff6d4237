/* The PROXY protocol header, read and written (px_proxyproto.h).
 *
 * Reading is strict, as the spec asks of a receiver: a header is taken
 * whole or the connection is refused; nothing is guessed.
 *
 *   v1  "PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n", or "PROXY UNKNOWN...\r\n";
 *       at most 107 bytes; single spaces; addresses as inet_pton takes
 *       them for that family; ports decimal 0-65535 without leading
 *       zeros; CR only before the final LF.
 *   v2  12-byte signature, version 2, command LOCAL or PROXY, family
 *       UNSPEC / INET / INET6 / UNIX with STREAM (or UNSPEC) transport,
 *       a length that covers the addresses, then TLVs, each of which must
 *       fit inside the header (they are skipped: softlb uses none).
 */
#include "config.h"

#include "proxy/px_proxyproto.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const unsigned char v2sig[12] = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
					 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A };

static int bad(struct px_pp_info *out, const char *why)
{
	out->why = why;
	return PX_PP_BAD;
}

/* ------------------------------------------------------------------ */
/* Version 1                                                           */

/* A port: 0-65535, decimal, no sign, no leading zero. */
static bool v1_port(const char *s, size_t n, uint16_t *port)
{
	unsigned long v = 0;

	if (n == 0 || n > 5 || (n > 1 && s[0] == '0'))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

static bool v1_addr(int af, const char *s, size_t n, struct sockaddr_storage *ss, uint16_t port)
{
	char tmp[INET6_ADDRSTRLEN + 1];

	if (n == 0 || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		return inet_pton(AF_INET, tmp, &a->sin_addr) == 1;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		return inet_pton(AF_INET6, tmp, &a->sin6_addr) == 1;
	}
}

static int parse_v1(const char *b, size_t len, struct px_pp_info *out)
{
	static const char pfx[] = "PROXY ";
	size_t n = len < PX_PP_V1_MAX ? len : PX_PP_V1_MAX, end = 0;
	const char *f[5];
	size_t fl[5], nf = 0, i, start;
	uint16_t sp, dp;
	int af;

	if (memcmp(b, pfx, len < 6 ? len : 6) != 0)
		return bad(out, "not a PROXY header");
	/* The line: CR LF ends it; a lone CR or LF, a NUL or any other
	 * control byte is refused. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '\r') {
			if (i + 1 == n)
				break;	/* the LF may come */
			if (b[i + 1] != '\n')
				return bad(out, "CR without LF in a v1 header");
			end = i;
			break;
		}
		if (c < 0x20 || c > 0x7e)
			return bad(out, "a control byte in a v1 header");
	}
	if (!end) {
		if (len >= PX_PP_V1_MAX)
			return bad(out, "v1 header longer than 107 bytes");
		return PX_PP_MORE;
	}
	out->version = 1;
	out->has_addr = false;
	if (end >= 13 && memcmp(b + 6, "UNKNOWN", 7) == 0 && (end == 13 || b[13] == ' '))
		return (int)end + 2;	/* the rest of the line is ignored */
	if (end < 11 || (memcmp(b + 6, "TCP4 ", 5) != 0 && memcmp(b + 6, "TCP6 ", 5) != 0))
		return bad(out, "v1 protocol is not TCP4, TCP6 or UNKNOWN");
	af = b[9] == '4' ? AF_INET : AF_INET6;
	/* Exactly four fields after the protocol, one space apart. */
	start = 11;
	for (i = 11; i <= end; i++) {
		if (i == end || b[i] == ' ') {
			if (nf == 5)
				return bad(out, "too many fields in a v1 header");
			f[nf] = b + start;
			fl[nf++] = i - start;
			if (i - start == 0)
				return bad(out, "empty field in a v1 header");
			start = i + 1;
		}
	}
	if (nf != 4)
		return bad(out, "a v1 header needs SRC DST SPORT DPORT");
	if (!v1_port(f[2], fl[2], &sp) || !v1_port(f[3], fl[3], &dp))
		return bad(out, "bad port in a v1 header");
	if (!v1_addr(af, f[0], fl[0], &out->src, sp) || !v1_addr(af, f[1], fl[1], &out->dst, dp))
		return bad(out, "bad address in a v1 header");
	out->has_addr = true;
	return (int)end + 2;
}

/* ------------------------------------------------------------------ */
/* Version 2                                                           */

static int parse_v2(const unsigned char *b, size_t len, struct px_pp_info *out)
{
	size_t total, alen, need;
	unsigned ver_cmd, fam;

	if (memcmp(b, v2sig, len < 12 ? len : 12) != 0)
		return bad(out, "not a PROXY header");
	if (len < 16)
		return PX_PP_MORE;
	ver_cmd = b[12];
	fam = b[13];
	alen = ((size_t)b[14] << 8) | b[15];
	total = 16 + alen;
	if ((ver_cmd >> 4) != 2)
		return bad(out, "v2 header with a version other than 2");
	if ((ver_cmd & 0xf) > 1)
		return bad(out, "v2 command neither LOCAL nor PROXY");
	if (total > PX_PP_MAX)
		return bad(out, "v2 header too long");
	/* Check what can be checked before waiting for the rest. */
	switch (fam >> 4) {
	case 0: need = 0; break;	/* UNSPEC */
	case 1: need = 12; break;	/* INET */
	case 2: need = 36; break;	/* INET6 */
	case 3: need = 216; break;	/* UNIX */
	default:
		return bad(out, "v2 unknown address family");
	}
	if ((fam & 0xf) > 2)
		return bad(out, "v2 unknown transport");
	if ((ver_cmd & 0xf) == 1 && (fam & 0xf) == 2)
		return bad(out, "v2 DGRAM on a stream connection");
	if ((ver_cmd & 0xf) == 1 && (fam >> 4) != 0 && (fam & 0xf) == 0)
		return bad(out, "v2 address family without a transport");
	if ((ver_cmd & 0xf) == 1 && alen < need)
		return bad(out, "v2 length shorter than its addresses");
	if (len < total)
		return PX_PP_MORE;
	out->version = 2;
	out->has_addr = false;
	if ((ver_cmd & 0xf) == 0)
		return (int)total;	/* LOCAL: addresses and TLVs ignored */
	if ((fam >> 4) == 1) {
		struct sockaddr_in *s = (struct sockaddr_in *)&out->src;
		struct sockaddr_in *d = (struct sockaddr_in *)&out->dst;

		memset(&out->src, 0, sizeof(out->src));
		memset(&out->dst, 0, sizeof(out->dst));
		s->sin_family = d->sin_family = AF_INET;
		memcpy(&s->sin_addr, b + 16, 4);
		memcpy(&d->sin_addr, b + 20, 4);
		memcpy(&s->sin_port, b + 24, 2);
		memcpy(&d->sin_port, b + 26, 2);
		out->has_addr = true;
	} else if ((fam >> 4) == 2) {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&out->src;
		struct sockaddr_in6 *d = (struct sockaddr_in6 *)&out->dst;

		memset(&out->src, 0, sizeof(out->src));
		memset(&out->dst, 0, sizeof(out->dst));
		s->sin6_family = d->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, b + 16, 16);
		memcpy(&d->sin6_addr, b + 32, 16);
		memcpy(&s->sin6_port, b + 48, 2);
		memcpy(&d->sin6_port, b + 50, 2);
		out->has_addr = true;
	}
	/* TLVs: each must fit; their contents are not used. */
	for (size_t off = 16 + need; off < total;) {
		size_t vlen;

		if (total - off < 3)
			return bad(out, "v2 truncated TLV");
		vlen = ((size_t)b[off + 1] << 8) | b[off + 2];
		if (vlen > total - off - 3)
			return bad(out, "v2 TLV longer than the header");
		off += 3 + vlen;
	}
	return (int)total;
}

int px_pp_parse(const void *buf, size_t len, struct px_pp_info *out)
{
	const unsigned char *b = buf;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return PX_PP_MORE;
	if (b[0] == 'P')
		return parse_v1(buf, len, out);
	if (b[0] == 0x0D)
		return parse_v2(b, len, out);
	return bad(out, "not a PROXY header");
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static bool same_ip_family(const struct sockaddr_storage *src, const struct sockaddr_storage *dst)
{
	return src && dst && src->ss_family == dst->ss_family &&
	       (src->ss_family == AF_INET || src->ss_family == AF_INET6);
}

size_t px_pp_build(int version, const struct sockaddr_storage *src,
		   const struct sockaddr_storage *dst, void *out, size_t cap)
{
	unsigned char *o = out;

	if (version == 1) {
		char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
		int n;

		if (!same_ip_family(src, dst)) {
			n = snprintf(out, cap, "PROXY UNKNOWN\r\n");
		} else if (src->ss_family == AF_INET) {
			const struct sockaddr_in *a = (const void *)src, *b = (const void *)dst;

			inet_ntop(AF_INET, &a->sin_addr, s, sizeof(s));
			inet_ntop(AF_INET, &b->sin_addr, d, sizeof(d));
			n = snprintf(out, cap, "PROXY TCP4 %s %s %u %u\r\n", s, d, ntohs(a->sin_port),
				     ntohs(b->sin_port));
		} else {
			const struct sockaddr_in6 *a = (const void *)src, *b = (const void *)dst;

			inet_ntop(AF_INET6, &a->sin6_addr, s, sizeof(s));
			inet_ntop(AF_INET6, &b->sin6_addr, d, sizeof(d));
			n = snprintf(out, cap, "PROXY TCP6 %s %s %u %u\r\n", s, d,
				     ntohs(a->sin6_port), ntohs(b->sin6_port));
		}
		return n > 0 && (size_t)n < cap ? (size_t)n : 0;
	}
	if (cap < 16 + 36)
		return 0;
	memcpy(o, v2sig, 12);
	if (!same_ip_family(src, dst)) {
		o[12] = 0x20;	/* LOCAL */
		o[13] = 0x00;
		o[14] = o[15] = 0;
		return 16;
	}
	o[12] = 0x21;	/* PROXY */
	if (src->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)src, *b = (const void *)dst;

		o[13] = 0x11;
		o[14] = 0;
		o[15] = 12;
		memcpy(o + 16, &a->sin_addr, 4);
		memcpy(o + 20, &b->sin_addr, 4);
		memcpy(o + 24, &a->sin_port, 2);
		memcpy(o + 26, &b->sin_port, 2);
		return 28;
	}
	{
		const struct sockaddr_in6 *a = (const void *)src, *b = (const void *)dst;

		o[13] = 0x21;
		o[14] = 0;
		o[15] = 36;
		memcpy(o + 16, &a->sin6_addr, 16);
		memcpy(o + 32, &b->sin6_addr, 16);
		memcpy(o + 48, &a->sin6_port, 2);
		memcpy(o + 50, &b->sin6_port, 2);
		return 52;
	}
}
