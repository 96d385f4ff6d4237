/* check-t.h: types of the health-check engine (types only; see check.h).
 *
 * A target is one check of one server: every checker block of a
 * keepalived real_server, and every HAProxy server with `check`. Targets
 * are named so an operator can type them:
 *
 *   keepalived  VS/RS/KIND[#N]    "192.0.2.10:80/192.0.2.21:80/http",
 *               "[2001:db8::10]:80/[2001:db8::21]:80/tcp", "fwmark7/...",
 *               "group-NAME/..."; "udp:" before VS for a UDP service;
 *               #N (2, 3 ...) when one real server has several checkers
 *               of one kind
 *   haproxy     PROXY/SERVER      "web/s1"
 *
 * State machine of one target (rise and fall in consecutive results):
 *
 *        start (keepalived: UP, or DOWN with alpha; HAProxy: UP, and
 *          |    the first result decides: a failure is at once DOWN)
 *          v
 *   UP --fall failures--> DOWN --rise successes--> UP
 *
 * keepalived has rise 1 and fall retry+1 (one try, then `retry` more
 * delay_before_retry apart). While moving, HAProxy's progress shows:
 * "UP 1/3" (up, 1 of the 3 failures that take it down), "DOWN 1/2".
 */
#ifndef SOFTLB_CHECK_CHECK_T_H
#define SOFTLB_CHECK_CHECK_T_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "config/model-t.h"
#include "util/strvec.h"

enum check_state {
	CHECK_UP = 0,
	CHECK_DOWN = 1,
};

enum check_origin {
	CHECK_FROM_KEEPALIVED = 0,
	CHECK_FROM_HAPROXY = 1,
};

enum check_kind {
	CHECK_KIND_TCP = 0,	/* TCP_CHECK, or HAProxy check without httpchk */
	CHECK_KIND_HTTP = 1,	/* HTTP_GET, or option httpchk */
	CHECK_KIND_SSL = 2,	/* SSL_GET */
	CHECK_KIND_MISC = 3,	/* MISC_CHECK */
};

/* Results, with HAProxy's check status names (show checks prints them). */
enum check_code {
	CHECK_CODE_INI = 0,	/* no result yet */
	CHECK_CODE_SOCKERR,	/* socket error on our side */
	CHECK_CODE_L4OK,	/* connected (no layer 7 check) */
	CHECK_CODE_L4TOUT,	/* connect timeout */
	CHECK_CODE_L4CON,	/* connection refused, reset, unreachable */
	CHECK_CODE_L6OK,	/* TLS handshake done */
	CHECK_CODE_L6TOUT,	/* TLS handshake timeout */
	CHECK_CODE_L6RSP,	/* TLS handshake failed */
	CHECK_CODE_L7OK,	/* HTTP reply as expected */
	CHECK_CODE_L7TOUT,	/* no (whole) reply in time */
	CHECK_CODE_L7RSP,	/* malformed reply, or content mismatch */
	CHECK_CODE_L7STS,	/* unexpected HTTP status */
	CHECK_CODE_PROCOK,	/* script succeeded */
	CHECK_CODE_PROCERR,	/* script failed */
	CHECK_CODE_PROCTOUT,	/* script timed out */
	CHECK_CODE_COUNT
};

/* What an HTTP reply must be. */
enum check_expect_kind {
	CHECK_EXPECT_STATUS = 0,	/* status in ranges (none: 2xx/3xx for
					 * HAProxy; keepalived fills 200-299) */
	CHECK_EXPECT_STRING = 1,	/* body contains pattern */
	CHECK_EXPECT_RSTATUS = 2,	/* status matches the regex */
	CHECK_EXPECT_RSTRING = 3,	/* body matches the regex */
};

/* One HTTP request and what its reply must be: a keepalived url block,
 * or HAProxy's httpchk with http-check expect. */
struct check_http_probe {
	char *path;			/* for messages */
	char *request;			/* the whole request, ready to send */
	enum check_expect_kind expect;
	bool negate;			/* http-check expect ! ... */
	struct cfg_status_range *codes;
	size_t n_codes;
	char *pattern;			/* STRING, RSTATUS, RSTRING */
	regex_t re;
	bool re_ok;
	bool has_digest;
	char digest[33];		/* lowercase hex MD5 of the body */
};

/* A target's definition, resolved from the model and owned: nothing
 * points into the configuration, which a reload frees. */
struct check_def {
	enum check_kind kind;
	enum check_origin origin;
	struct sockaddr_storage addr;	/* where to connect */
	socklen_t addr_len;
	struct sockaddr_storage bind;	/* bindto / bind_port */
	socklen_t bind_len;		/* 0: none */
	unsigned connect_timeout_ms;	/* until connected */
	unsigned io_timeout_ms;		/* after connected, until the reply */
	unsigned inter_ms;		/* between checks while steady UP */
	unsigned fastinter_ms;		/* while moving (retrying) */
	unsigned downinter_ms;		/* while steady DOWN */
	unsigned warmup_ms;		/* first check within this; 0: inter */
	int rise, fall;
	bool start_down;		/* keepalived alpha */
	int send_proxy;			/* a PROXY header (version 1 or 2) first,
					 * as LOCAL / UNKNOWN; 0: none */
	/* HTTP, SSL */
	struct check_http_probe *probes;
	size_t n_probes;
	char *sni;			/* SSL_GET: virtualhost, or NULL */
	char *ca_file;			/* verify the server's certificate against
					 * it (HAProxy's verify required); NULL:
					 * no verification */
	char *verify_host;		/* the name verified when no SNI is sent
					 * (verifyhost), or NULL */
	/* MISC */
	struct strvec argv;
	char *user;
	unsigned script_timeout_ms;
	bool dynamic;
};

struct check_target;
struct check_engine;

/* A checker: one file each (check_tcp.c ...). start() begins a run, which
 * ends, now or later, with check_run_end(); abort() ends it without a
 * result (pause, reload, stop). */
struct check_ops {
	const char *name;	/* "TCP_CHECK", "HTTP_GET", ... */
	void (*start)(struct check_target *t);
	void (*abort)(struct check_target *t);
	/* Done once connected, never watching more than the connect: its
	 * sockets can be reused (check_conn.c). */
	bool reuse_socket;
};

/* What observers hear: every UP/DOWN transition, and every change of a
 * misc_dynamic weight. Pointers are valid during the call only. */
struct check_change {
	const char *target;	/* target name */
	enum check_origin origin;
	const char *group;	/* keepalived: the virtual server as the diff
				 * names it ("TCP 192.0.2.10:80"); HAProxy:
				 * the proxy name */
	const char *member;	/* keepalived: the real server "192.0.2.21:80";
				 * HAProxy: the server name */
	enum check_state from, to;	/* equal for a weight change */
	bool weight_changed;
	int weight;		/* misc_dynamic weight, or -1 */
	enum check_code code;
	const char *reason;
};

typedef void (*check_observer_fn)(const struct check_change *c, void *arg);

/* One entry of the event ring. */
enum check_event_kind {
	CHECK_EV_TRANSITION = 0,	/* from -> to */
	CHECK_EV_WEIGHT = 1,		/* misc_dynamic weight changed */
	CHECK_EV_PAUSED = 2,		/* by an operator */
	CHECK_EV_RESUMED = 3,
};

struct check_event {
	uint64_t seq;			/* 1, 2, ... */
	enum check_event_kind kind;
	time_t when;			/* wall clock */
	char *target;			/* owned */
	enum check_state from, to;
	enum check_code code;
	char reason[192];
	unsigned check_ms;		/* duration of the check that caused it */
	uint64_t prev_ms;		/* time spent in the previous state */
	int weight;			/* CHECK_EV_WEIGHT: the new weight */
};

struct check_events {
	struct check_event *ring;
	size_t cap, start, len;
	uint64_t next_seq;
};

#endif
