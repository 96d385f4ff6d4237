#include "config.h"

/* libFuzzer target for the runtime socket's command parser (px_cli_cmd.c):
 * what a `stats socket` client sends, line by line, at each level, with
 * and without prompt mode. The first byte picks the level and the mode;
 * the rest is split at newlines as the socket splits it.
 *
 * No daemon runs here (the session's d is NULL), so the parser must
 * answer every command from its own checks: the functions below that
 * would reach a daemon abort, and the fuzzer fails if one is ever
 * called. Every reply must keep HAProxy's framing: without prompt mode a
 * line's answer is empty or ends with an empty line; with it, "> ". */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "core/confmgr.h"
#include "core/loop.h"
#include "core/runtime.h"
#include "lvs/lvs.h"
#include "proxy/proxy_int.h"
#include "proxy/px_cli.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reached only through a daemon: never here. */
struct px_engine *px_engine_of(struct softlbd *d)
{
	(void)d;
	abort();
}

struct check_engine *check_engine_of(struct softlbd *d)
{
	(void)d;
	abort();
}

void check_visit_members(const struct check_engine *e, check_member_fn fn, void *arg)
{
	(void)e, (void)fn, (void)arg;
	abort();
}

const char *check_code_name(enum check_code c)
{
	(void)c;
	abort();
}

char *lvs_rs_key(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs)
{
	(void)vs, (void)rs;
	abort();
}

const struct runtime_override *runtime_lookup(const struct runtime_state *rt,
					      const struct runtime_key *key)
{
	(void)rt, (void)key;
	abort();
}

int runtime_set(struct softlbd *d, const struct runtime_key *key, const char *object,
		enum runtime_action act, int weight, const char *who,
		const struct event_actor *by, struct strbuf *out, struct strbuf *warn)
{
	(void)d, (void)key, (void)object, (void)act, (void)weight, (void)who, (void)by;
	(void)out, (void)warn;
	abort();
}

void runtime_key_server(struct runtime_key *k, const char *proxy, const char *server)
{
	(void)k, (void)proxy, (void)server;
	abort();
}

void runtime_key_rs_of(struct runtime_key *k, const struct cfg_virtual_server *vs,
		       const struct cfg_endpoint *rs)
{
	(void)k, (void)vs, (void)rs;
	abort();
}

const struct config_index *confmgr_index(struct softlbd *d)
{
	(void)d;
	abort();
}

size_t runtime_count(const struct runtime_state *rt)
{
	(void)rt;
	abort();
}

size_t loop_timer_count(const struct loop *l)
{
	(void)l;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cfg_stats_level levels[] = {
		CFG_STATS_LEVEL_USER, CFG_STATS_LEVEL_OPERATOR, CFG_STATS_LEVEL_ADMIN,
	};
	struct px_cli_sess s;
	struct strbuf out = STRBUF_INIT;
	const char *p, *end;

	if (size < 1)
		return 0;
	memset(&s, 0, sizeof(s));
	s.level = levels[data[0] % 3];
	s.prompt = (data[0] & 0x4) != 0;
	s.timeout_ms = 10000;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	while (p < end && !s.quit) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool prompt = s.prompt;

		if (len > PX_CLI_LINE_MAX)
			break;	/* the socket refuses such a line before parsing it */
		strbuf_reset(&out);
		px_cli_line(&s, p, len, &out);
		if (!s.quit && s.prompt) {
			if (out.len < 2 || memcmp(out.data + out.len - 2, "> ", 2) != 0)
				abort();	/* prompt mode: every answer ends with "> " */
		} else if (!s.quit && !prompt && out.len &&
			   (out.len < 1 || out.data[out.len - 1] != '\n' ||
			    (out.len >= 2 && out.data[out.len - 2] != '\n'))) {
			abort();	/* each reply ends with one empty line */
		}
		p += len + 1;
	}
	strbuf_free(&out);
	return 0;
}
