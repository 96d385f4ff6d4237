/* The ClientHello's server_name (px_sni.h), per RFC 8446 4.1.2 and RFC
 * 6066 section 3. Only the first record is read, as HAProxy does: a
 * ClientHello split over records has no SNI to route by. */
#include "config.h"

#include "proxy/px_sni.h"

#include <stdint.h>

/* A bounded reader: every read checks what is left. */
struct rd {
	const unsigned char *p;
	size_t left;
};

static int get(struct rd *r, size_t n, const unsigned char **out)
{
	if (r->left < n)
		return -1;
	*out = r->p;
	r->p += n;
	r->left -= n;
	return 0;
}

static int get_n(struct rd *r, size_t n, size_t *v)
{
	const unsigned char *b;

	if (get(r, n, &b) < 0)
		return -1;
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = (*v << 8) | b[i];
	return 0;
}

int px_sni_peek(const unsigned char *buf, size_t len, const unsigned char **sni,
		size_t *sni_len)
{
	struct rd r, hs, ext;
	size_t rec_len, hs_len, n, ext_len;
	const unsigned char *skip;

	*sni = NULL;
	*sni_len = 0;
	if (len >= 1 && buf[0] != 0x16)
		return PX_SNI_NOT_TLS;	/* not a handshake record */
	if (len >= 2 && buf[1] != 0x03)
		return PX_SNI_NOT_TLS;
	if (len < 5)
		return PX_SNI_MORE;
	rec_len = ((size_t)buf[3] << 8) | buf[4];
	if (rec_len < 4 || rec_len > 16384)
		return PX_SNI_NOT_TLS;
	if (len >= 6 && buf[5] != 0x01)
		return PX_SNI_NOT_TLS;	/* not a ClientHello */
	if (len < 5 + rec_len)
		return PX_SNI_MORE;
	r.p = buf + 5;
	r.left = rec_len;
	if (get(&r, 1, &skip) < 0 || get_n(&r, 3, &hs_len) < 0)
		return PX_SNI_NOT_TLS;
	if (hs_len > r.left)
		return PX_SNI_NOT_TLS;	/* split over records: not routable */
	hs.p = r.p;
	hs.left = hs_len;
	/* legacy_version, random */
	if (get(&hs, 2 + 32, &skip) < 0)
		return PX_SNI_NOT_TLS;
	/* legacy_session_id <0..32> */
	if (get_n(&hs, 1, &n) < 0 || n > 32 || get(&hs, n, &skip) < 0)
		return PX_SNI_NOT_TLS;
	/* cipher_suites <2..2^16-2> */
	if (get_n(&hs, 2, &n) < 0 || get(&hs, n, &skip) < 0)
		return PX_SNI_NOT_TLS;
	/* legacy_compression_methods <1..2^8-1> */
	if (get_n(&hs, 1, &n) < 0 || get(&hs, n, &skip) < 0)
		return PX_SNI_NOT_TLS;
	if (hs.left == 0)
		return PX_SNI_DONE;	/* no extensions at all */
	if (get_n(&hs, 2, &ext_len) < 0 || ext_len > hs.left)
		return PX_SNI_NOT_TLS;
	ext.p = hs.p;
	ext.left = ext_len;
	while (ext.left) {
		size_t type, elen;
		struct rd e;

		if (get_n(&ext, 2, &type) < 0 || get_n(&ext, 2, &elen) < 0 ||
		    elen > ext.left)
			return PX_SNI_NOT_TLS;
		e.p = ext.p;
		e.left = elen;
		ext.p += elen;
		ext.left -= elen;
		if (type != 0)
			continue;
		/* server_name_list <1..2^16-1>: the first host_name entry */
		if (get_n(&e, 2, &n) < 0 || n > e.left)
			return PX_SNI_NOT_TLS;
		e.left = n;
		while (e.left) {
			size_t nt, nl;
			const unsigned char *name;

			if (get_n(&e, 1, &nt) < 0 || get_n(&e, 2, &nl) < 0 ||
			    get(&e, nl, &name) < 0)
				return PX_SNI_NOT_TLS;
			if (nt == 0 && nl > 0 && nl <= 255) {
				*sni = name;
				*sni_len = nl;
				return PX_SNI_DONE;
			}
		}
		return PX_SNI_DONE;
	}
	return PX_SNI_DONE;
}
