#include "config.h"

/* libFuzzer target for the proxy's HTTP request-head parser (mode http):
 * the input is what a client sends; its first byte picks the proxy's
 * options. A head the parser accepts is rewritten; the rewrite must
 * itself be a valid head of exactly its own length that rewrites again
 * without error (what the proxy sends is never malformed), and every
 * balancing key must point inside the input. */

#include "proxy/proxy_int.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cfg_balance kinds[4] = { CFG_BALANCE_ROUNDROBIN, CFG_BALANCE_HDR,
						   CFG_BALANCE_URI, CFG_BALANCE_URL_PARAM };
	struct px_proxy p;
	struct sockaddr_storage cli;
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT;
	const char *in, *key = NULL;
	size_t len, head_len = 0, key_len = 0, h2 = 0;

	if (size < 1)
		return 0;
	memset(&p, 0, sizeof(p));
	p.forwardfor = data[0] & 1;
	p.server_close = (data[0] >> 1) & 1;
	p.balance = kinds[(data[0] >> 2) & 3];
	p.balance_arg = (char *)((data[0] >> 2 & 3) == 3 ? "id" : "pragma");
	memset(&cli, 0, sizeof(cli));
	if (data[0] & 0x10) {
		cli.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&cli)->sin6_addr.s6_addr[15] = 1;
	} else {
		cli.ss_family = AF_INET;
		((struct sockaddr_in *)&cli)->sin_addr.s_addr = htonl(0xc000020a);
	}
	/* A copy of exactly the input: ASan catches any read beyond it. */
	len = size - 1;
	in = malloc(len ? len : 1);
	memcpy((char *)in, data + 1, len);
	if (px_http_head(in, len, &head_len) == PX_HTTP_DONE) {
		if (head_len > len || head_len > PX_HTTP_HEAD_MAX)
			abort();
		if (px_http_rewrite(&p, &p, in, head_len, &cli, &out, &key, &key_len) == 0) {
			if (key && (key < in || key + key_len > in + head_len))
				abort();
			if (px_http_head(out.data, out.len, &h2) != PX_HTTP_DONE && out.len <= PX_HTTP_HEAD_MAX)
				abort();
			if (out.len <= PX_HTTP_HEAD_MAX) {
				if (h2 != out.len)
					abort();
				if (px_http_rewrite(&p, &p, out.data, out.len, &cli, &again, &key,
						    &key_len) != 0)
					abort();
			}
		}
	}
	strbuf_free(&out);
	strbuf_free(&again);
	free((char *)in);
	return 0;
}
