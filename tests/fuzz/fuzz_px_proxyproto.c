#include "config.h"

/* libFuzzer target for the PROXY protocol header parser (px_proxyproto.c):
 * the input is what a client sends first on an accept-proxy bind.
 * Byte 0 seeds where reads are split. Checked:
 *
 *  - never a read past the input (ASan), whatever the lengths inside;
 *  - reads split anywhere give the same answer as one read: a prefix of
 *    a valid header is "more", never an error, and the header's length
 *    and addresses do not depend on how it arrived;
 *  - an accepted header has a length within the input and the bounds
 *    (107 for v1, PX_PP_MAX for v2), and a refused one says why;
 *  - an accepted header with addresses, written again by px_pp_build()
 *    in its version, parses to the same addresses. */

#include "proxy/px_proxyproto.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return memcmp(a, b, sizeof(struct sockaddr_in)) == 0;
	return memcmp(a, b, sizeof(struct sockaddr_in6)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct px_pp_info whole, part;
	uint32_t r;
	int w, p = PX_PP_MORE;
	size_t at = 0;
	uint8_t *copy;

	if (size < 1)
		return 0;
	r = data[0] | 1u;
	data++;
	size--;
	/* An exact-size heap copy: ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	w = px_pp_parse(copy, size, &whole);
	if (w > 0) {
		if ((size_t)w > size || (whole.version == 1 && w > PX_PP_V1_MAX) || w > PX_PP_MAX)
			abort();
	} else if (w == PX_PP_BAD && !whole.why) {
		abort();
	}
	/* The same bytes arriving in pieces. */
	while (at < size) {
		size_t step;

		r ^= r << 13;
		r ^= r >> 17;
		r ^= r << 5;
		step = 1 + r % 64;
		at = at + step > size ? size : at + step;
		p = px_pp_parse(copy, at, &part);
		if (p != PX_PP_MORE)
			break;
	}
	if (size && p != w && !(w == PX_PP_MORE && p == PX_PP_MORE))
		abort();
	if (w > 0 && (part.has_addr != whole.has_addr ||
		      (whole.has_addr && (!same_addr(&part.src, &whole.src) ||
					  !same_addr(&part.dst, &whole.dst)))))
		abort();
	if (w > 0 && whole.has_addr) {
		unsigned char out[PX_PP_V1_MAX + 64];
		struct px_pp_info again;
		size_t n = px_pp_build(whole.version, &whole.src, &whole.dst, out, sizeof(out));
		int a = px_pp_parse(out, n, &again);

		if (n == 0 || a != (int)n || !again.has_addr || !same_addr(&again.src, &whole.src) ||
		    !same_addr(&again.dst, &whole.dst))
			abort();
	}
	free(copy);
	return 0;
}
