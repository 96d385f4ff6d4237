#include "config.h"

/* libFuzzer target for mode http's parsers (px_h1.c) and head writers
 * (px_http.c): the input is what a client (or a server) sends. Byte 0
 * picks the side and the proxy's options, byte 1 seeds where reads are
 * split. Checked, for requests and responses alike:
 *
 *  - reads split anywhere give the same answer as one read: a prefix of
 *    a valid head is "more", never an error, and the head's length and
 *    framing do not depend on how it arrived;
 *  - a head the parser accepts is written again (X-Forwarded-For, our
 *    Connection field, one Content-Length) into a head the parser accepts
 *    with the same framing, of exactly its own length: what the proxy
 *    sends is never malformed;
 *  - every balancing key points inside the head;
 *  - the chunked body after the head, fed in random pieces, ends at the
 *    same byte (or fails at the same point) as when fed whole. */

#include "proxy/proxy_int.h"

#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t next_split(uint32_t *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 17;
	*r ^= *r << 5;
	return *r;
}

static int parse(bool req, const char *in, size_t len, struct px_h1_msg *m)
{
	if (req)
		return px_h1_request(in, len, PX_HTTP_HEAD_MAX, "X-Forwarded-For", m);
	return px_h1_response(in, len, PX_HTTP_HEAD_MAX, PX_M_GET, m);
}

/* The head arriving in pieces: every prefix is "more" or the final
 * answer, and the answer once it is whole is the one-shot one. */
static void split_reads(bool req, const char *in, size_t len, int whole, size_t head_len,
			uint32_t seed, struct px_h1_msg *m)
{
	size_t at = 0;

	while (at < len) {
		int r;

		at += 1 + next_split(&seed) % 64;
		if (at > len)
			at = len;
		r = parse(req, in, at, m);
		if (r == PX_H1_MORE)
			continue;
		if (r != whole)
			abort();
		if (r == PX_H1_DONE && m->head_len != head_len)
			abort();
		return;
	}
	if (whole != PX_H1_MORE)
		abort();
}

static void chunks(const char *in, size_t len, uint32_t seed)
{
	struct px_h1_chunk a, b;
	bool done_a = false, done_b = false;
	long n_a, total = 0;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	n_a = px_h1_chunk_run(&a, in, len, &done_a);
	if (n_a > (long)len || (n_a >= 0 && !done_a && n_a != (long)len))
		abort();
	while ((size_t)total < len) {
		size_t piece = 1 + next_split(&seed) % 32;
		long n;

		if (piece > len - (size_t)total)
			piece = len - (size_t)total;
		n = px_h1_chunk_run(&b, in + total, piece, &done_b);
		if (n < 0) {
			if (n_a >= 0)
				abort();	/* whole, it passed */
			return;
		}
		total += n;
		if (done_b)
			break;
		if ((size_t)n != piece)
			abort();
	}
	if (n_a < 0 || done_a != done_b || (done_a && total != n_a))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cfg_balance kinds[4] = { CFG_BALANCE_ROUNDROBIN, CFG_BALANCE_HDR,
						   CFG_BALANCE_URI, CFG_BALANCE_URL_PARAM };
	struct px_proxy p;
	struct sockaddr_storage cli;
	struct strbuf out = STRBUF_INIT;
	struct px_h1_msg *m = malloc(sizeof(*m)), *m2 = malloc(sizeof(*m2));
	const char *key = NULL;
	char *in;
	size_t len, key_len = 0;
	bool req;
	int whole;

	if (size < 2 || !m || !m2) {
		free(m);
		free(m2);
		return 0;
	}
	memset(&p, 0, sizeof(p));
	req = !(data[0] & 0x80);
	p.xff.on = data[0] & 1;
	p.xff.if_none = data[0] & 0x40;
	strcpy(p.xff.name, "X-Forwarded-For");
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
	len = size - 2;
	in = malloc(len ? len : 1);
	memcpy(in, data + 2, len);

	whole = parse(req, in, len, m);
	{
		size_t hl = whole == PX_H1_DONE ? m->head_len : 0;
		enum px_h1_body body = m->body;
		uint64_t cl = m->cl;

		split_reads(req, in, len, whole, hl, data[1] | 1u, m2);
		if (whole == PX_H1_DONE) {
			if (hl > len || hl > PX_HTTP_HEAD_MAX)
				abort();
			if (req) {
				px_http_key(&p, in, m, &key, &key_len);
				if (key && (key < in || key + key_len > in + hl))
					abort();
				px_http_req_out(&p, &p, in, m, &cli, data[0] & 2, &out);
			} else {
				px_http_rsp_out(in, m, data[0] & 2, data[0] & 0x20 ? 1 : 0, &out);
			}
			/* (Two fields more may pass the count limit: X-Forwarded-For
			 * and our Connection.) */
			if (out.len <= PX_HTTP_HEAD_MAX && m->nh + 2 <= PX_H1_MAXHDR) {
				int again = parse(req, out.data, out.len, m2);

				if (again != PX_H1_DONE || m2->head_len != out.len)
					abort();
				if (req && (m2->body != body || m2->cl != cl))
					abort();
				if (!req && m2->body != body && !(m->te_and_cl && m2->body == PX_BODY_CHUNKED))
					abort();
			}
			if (body == PX_BODY_CHUNKED)
				chunks(in + hl, len - hl, data[1] * 7919u + 1);
		}
	}
	/* The chunk decoder on raw input too, not only behind a valid head. */
	chunks(in, len, data[1] | 2u);
	strbuf_free(&out);
	free(in);
	free(m);
	free(m2);
	return 0;
}
