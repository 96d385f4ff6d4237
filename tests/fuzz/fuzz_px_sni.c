#include "config.h"

/* libFuzzer target for the ClientHello peek of req.ssl_sni (px_sni.c):
 * the input is what a client sends first on a mode tcp frontend that
 * inspects it. Checked:
 *
 *  - never a read past the input (ASan), whatever the lengths inside;
 *  - a prefix of the input never gives an answer the whole input
 *    contradicts: "more" on a prefix, or the same answer (the peek runs
 *    again after every read);
 *  - a server name found lies within the input, is 1 to 255 bytes long. */

#include "proxy/px_sni.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *sni, *psni;
	size_t len, plen, cut;
	uint8_t *copy = malloc(size ? size : 1);
	int whole, part;

	/* An exact-size copy: ASan sees any read past its end. */
	memcpy(copy, data, size);
	whole = px_sni_peek(copy, size, &sni, &len);
	if (whole == PX_SNI_DONE && sni) {
		if (sni < copy || sni + len > copy + size || len == 0 || len > 255)
			abort();
	} else if (sni || len) {
		abort();
	}
	cut = size ? (size_t)data[0] % (size + 1) : 0;
	part = px_sni_peek(copy, cut, &psni, &plen);
	if (part != PX_SNI_MORE && cut < size) {
		if (part != whole)
			abort();
		if (part == PX_SNI_DONE && (plen != len || (len && memcmp(psni, sni, len) != 0)))
			abort();
	}
	free(copy);
	return 0;
}
