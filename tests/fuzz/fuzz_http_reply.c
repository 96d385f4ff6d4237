#include "config.h"

/* libFuzzer target for the HTTP reply parser of the health checks: the
 * input is a server's reply, fed whole and then in pieces whose sizes
 * come from the input's first byte; the verdicts must agree, and the
 * parser must never read past what it was given. */

#include "check/http_reply.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_body(const char *d, size_t len, void *arg)
{
	uint64_t *sum = arg;

	for (size_t i = 0; i < len; i++)
		*sum += (unsigned char)d[i];
}

/* Feeds the input in pieces of step bytes; returns the verdict after
 * the peer's close. */
static int run(const char *in, size_t len, size_t step, struct http_reply *r, uint64_t *sum)
{
	size_t off = 0;
	int rc = HTTP_REPLY_MORE;

	http_reply_init(r);
	while (off < len && rc == HTTP_REPLY_MORE) {
		size_t n = step < len - off ? step : len - off;

		rc = http_reply_feed(r, in + off, n, on_body, sum);
		off += n;
	}
	if (rc == HTTP_REPLY_MORE)
		rc = http_reply_eof(r);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct http_reply a, b;
	uint64_t sa = 0, sb = 0;
	size_t step;
	int ra, rb;

	if (size < 1)
		return 0;
	step = (size_t)data[0] % 17 + 1;
	ra = run((const char *)data + 1, size - 1, size, &a, &sa);
	rb = run((const char *)data + 1, size - 1, step, &b, &sb);
	if (ra != rb || sa != sb || a.status != b.status)
		abort();	/* how bytes are split must not change the verdict */
	if (ra == HTTP_REPLY_DONE && (a.status < 100 || a.status > 599))
		abort();
	return 0;
}
