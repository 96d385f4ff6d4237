/* px_sni.h: the server name of a TLS ClientHello, peeked before any byte
 * is forwarded (req.ssl_sni, for SNI routing in mode tcp). Pure function
 * over bytes, so the fuzzer drives it as the sessions do.
 */
#ifndef SOFTLB_PROXY_PX_SNI_H
#define SOFTLB_PROXY_PX_SNI_H

#include <stddef.h>

enum {
	PX_SNI_MORE = 0,	/* a ClientHello so far: more bytes needed */
	PX_SNI_DONE = 1,	/* a whole ClientHello: *sni set, or NULL without one */
	PX_SNI_NOT_TLS = -1,	/* not a ClientHello (or a malformed one) */
};

/* Looks at buf[0..len) for a ClientHello in its first TLS record. On
 * PX_SNI_DONE *sni points into buf (not NUL terminated) with *sni_len
 * bytes, or is NULL. */
int px_sni_peek(const unsigned char *buf, size_t len, const unsigned char **sni,
		size_t *sni_len);

#endif
