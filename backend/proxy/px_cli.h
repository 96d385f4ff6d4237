/* px_cli.h: HAProxy's runtime API on softlb's `stats socket` (global
 * `stats socket PATH [mode M] [level user|operator|admin]`, `stats
 * timeout`), so hatop and HAProxy users' scripts drive softlb.
 *
 *   px_cli.c      the unix socket and its clients, in the control-plane
 *                 loop (non-blocking; every command does bounded work)
 *   px_cli_cmd.c  the command line: `;` separation with `\` escapes,
 *                 words, levels, the commands; no sockets, so the fuzzer
 *                 drives it as the socket does
 *
 * It runs in the control-plane thread because everything it reads and
 * changes lives there: the running snapshot, the health checks' detail,
 * the LVS state and the runtime overrides (runtime.h), the one path
 * every operator action takes (journalled, audited). A thread of its own
 * would need copies of all of it.
 */
#ifndef SOFTLB_PROXY_PX_CLI_H
#define SOFTLB_PROXY_PX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "config/model-t.h"

struct softlbd;
struct strbuf;
struct config;
struct px_cli;

#define PX_CLI_LINE_MAX 16384	/* a longer line is refused (HAProxy's bufsize) */
#define PX_CLI_CLIENTS_MAX 16	/* clients at once; more are closed at once */

/* One client's state, as the commands see it. */
struct px_cli_sess {
	struct softlbd *d;		/* NULL: no daemon (the fuzzer) */
	enum cfg_stats_level level;	/* lowered by `user` / `operator` */
	bool prompt;			/* interactive: "> " after each reply */
	bool quit;			/* close after this reply */
	int64_t timeout_ms;		/* idle timeout (set timeout cli) */
	char who[96];			/* "root (stats socket)", for the journal */
	uid_t uid;
};

/* Runs one line (without its newline) as HAProxy does: each command of
 * it, `;`-separated, answers to out followed by one empty line; in
 * prompt mode "> " follows the whole line's answers. Never fails: bad
 * input is answered in words. */
void px_cli_line(struct px_cli_sess *s, const char *line, size_t len, struct strbuf *out);

/* The socket: opened, moved or closed to match cfg's global `stats
 * socket` (an unchanged one keeps its clients). Returns 0, or -1 with the
 * reason in err (the change is refused). */
int px_cli_configure(struct softlbd *d, struct px_cli **cli, const struct config *cfg,
		     struct strbuf *err);
/* Closes the socket and every client, removes the socket file. */
void px_cli_free(struct px_cli *cli);

#endif
