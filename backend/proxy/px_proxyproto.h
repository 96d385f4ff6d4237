/* px_proxyproto.h: the PROXY protocol, versions 1 and 2 (HAProxy's
 * doc/proxy-protocol.txt): the header a balancer puts before a
 * connection's first byte to tell the server who the client is.
 *
 * Pure functions over bytes (no sockets, no allocation), so the Check
 * suite and the libFuzzer target drive them exactly as the sessions do:
 * px_pp_parse() reads a header received on an `accept-proxy` bind,
 * px_pp_build() writes one for a `send-proxy` / `send-proxy-v2` server
 * or a health check.
 */
#ifndef SOFTLB_PROXY_PX_PROXYPROTO_H
#define SOFTLB_PROXY_PX_PROXYPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define PX_PP_V1_MAX 107	/* the spec's bound, CRLF included */
#define PX_PP_MAX 2048		/* a longer v2 header (TLVs) is refused */

/* What a parse returns besides a header length (> 0). */
enum {
	PX_PP_MORE = 0,		/* a valid beginning: more bytes needed */
	PX_PP_BAD = -1,		/* not a valid header: close the connection */
};

struct px_pp_info {
	int version;		/* 1 or 2 */
	bool has_addr;		/* src and dst hold the client's connection;
				 * false: LOCAL, UNKNOWN, UNSPEC or AF_UNIX,
				 * the connection's own addresses stand */
	struct sockaddr_storage src, dst;
	const char *why;	/* PX_PP_BAD: what was wrong (static text) */
};

/* Parses the header at the start of buf[0..len). Returns its length
 * (> 0) with *out filled, PX_PP_MORE, or PX_PP_BAD with out->why set.
 * Never reads past len; bytes after the header are not looked at. */
int px_pp_parse(const void *buf, size_t len, struct px_pp_info *out);

/* Writes into out (room for PX_PP_V1_MAX, or 16 + 36 for v2) the header
 * of version 1 or 2 for a connection from src to dst. With src or dst
 * NULL, or of different families, or not IPv4/IPv6: v1 says UNKNOWN and
 * v2 LOCAL (health checks send that). Returns the length, 0 when cap is
 * too small. */
size_t px_pp_build(int version, const struct sockaddr_storage *src,
		   const struct sockaddr_storage *dst, void *out, size_t cap);

#endif
