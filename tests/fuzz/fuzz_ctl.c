#include "config.h"

/* libFuzzer target for what a control-socket client sends: the frame
 * decoder, then the command grammar (match, explain, complete, describe)
 * on the body. The grammar has a table shaped like softlbd's own: keywords,
 * options, alternatives, ranges, addresses and free words. */

#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "util/strbuf.h"
#include "util/strvec.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int handler(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return 200;
}

static const struct cmd_def table[] = {
	{ "show version [json]", "a\nb\nc\n", CMD_IN_ALL, CTL_ROLE_VIEW, handler, NULL, 0 },
	{ "show running-config [<keepalived|haproxy>]", "a\nb\nc\nd\n", CMD_IN_ALL,
	  CTL_ROLE_OPER, handler, NULL, 0 },
	{ "configure", "a\n", CMD_IN_VIEW, CTL_ROLE_ADMIN, handler, NULL, 0 },
	{ "real-server ADDR:PORT [weight (0-65535)] [method <dr|nat|tun>]",
	  "a\nb\nc\nd\ne\nf\ng\nh\n", CMD_IN_CONFIG, CTL_ROLE_ADMIN, handler, NULL, 0 },
	{ "virtual-server <A.B.C.D|X:X::X:X> (1-65535) <tcp|udp>", "a\nb\nc\nd\ne\nf\n",
	  CMD_IN_CONFIG, CTL_ROLE_ADMIN, handler, NULL, 0 },
	{ "vip A.B.C.D/M dev WORD$dev", "a\nb\nc\nd\n", CMD_IN_CONFIG, CTL_ROLE_ADMIN, handler,
	  NULL, 0 },
	{ "description LINE...", "a\nb\n", CMD_IN_ALL, CTL_ROLE_OPER, handler, NULL, 0 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct grammar *g;
	struct ctl_request req;
	struct strbuf err = STRBUF_INIT;
	size_t used = 0;
	char *line;

	if (!g) {
		g = grammar_new();
		if (grammar_add_table(g, table, sizeof(table) / sizeof(table[0]), &err) < 0)
			abort();	/* the table itself is wrong */
	}
	ctl_decode_request((const char *)data, size, CTL_REQUEST_MAX, &req, &used, &err);
	strbuf_free(&err);

	/* The whole input as a command line, in every node and role. */
	line = strndup((const char *)data, size);
	if (!line)
		return 0;
	for (int node = 0; node < CMD_NODE_COUNT; node++) {
		for (int role = CTL_ROLE_VIEW; role <= CTL_ROLE_ADMIN; role++) {
			struct cmd_match m;
			struct strbuf out = STRBUF_INIT;
			struct strvec a = STRVEC_INIT, b = STRVEC_INIT;
			size_t pos = 0;

			grammar_match(g, line, node, role, &m);
			grammar_explain(line, &m, &out);
			cmd_match_clear(&m);
			grammar_complete(g, line, node, role, NULL, &a);
			grammar_describe(g, line, node, role, &a, &b, &pos);
			strvec_free(&a);
			strvec_free(&b);
			strbuf_free(&out);
		}
	}
	free(line);
	return 0;
}
