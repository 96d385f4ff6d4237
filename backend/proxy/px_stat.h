/* px_stat.h: HAProxy's statistics as HAProxy 2.6 prints them: the CSV of
 * `show stat` and of the stats page's `;csv` (field order frozen by
 * HAProxy, management.txt 9.1), built from a proxy snapshot and its
 * counters. Read-only over the snapshot and relaxed atomic loads of the
 * counters, so a worker (the stats page) and the control plane (the
 * runtime socket) both call it; nothing here is shared mutable state.
 */
#ifndef SOFTLB_PROXY_PX_STAT_H
#define SOFTLB_PROXY_PX_STAT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct strbuf;
struct px_snapshot;
struct px_proxy;
struct px_server;

/* Field positions (HAProxy 2.6, as captured from haproxy 2.6.12). */
enum px_stat_field {
	PX_F_PXNAME = 0,
	PX_F_SVNAME = 1,
	PX_F_QCUR = 2,
	PX_F_QMAX = 3,
	PX_F_SCUR = 4,
	PX_F_SMAX = 5,
	PX_F_SLIM = 6,
	PX_F_STOT = 7,
	PX_F_BIN = 8,
	PX_F_BOUT = 9,
	PX_F_DREQ = 10,
	PX_F_DRESP = 11,
	PX_F_EREQ = 12,
	PX_F_ECON = 13,
	PX_F_ERESP = 14,
	PX_F_WRETR = 15,
	PX_F_WREDIS = 16,
	PX_F_STATUS = 17,
	PX_F_WEIGHT = 18,
	PX_F_ACT = 19,
	PX_F_BCK = 20,
	PX_F_CHKFAIL = 21,
	PX_F_CHKDOWN = 22,
	PX_F_LASTCHG = 23,
	PX_F_DOWNTIME = 24,
	PX_F_QLIMIT = 25,
	PX_F_PID = 26,
	PX_F_IID = 27,
	PX_F_SID = 28,
	PX_F_THROTTLE = 29,
	PX_F_LBTOT = 30,
	PX_F_TRACKED = 31,
	PX_F_TYPE = 32,
	PX_F_RATE = 33,
	PX_F_RATE_LIM = 34,
	PX_F_RATE_MAX = 35,
	PX_F_CHECK_STATUS = 36,
	PX_F_CHECK_CODE = 37,
	PX_F_CHECK_DURATION = 38,
	PX_F_HRSP_1XX = 39,
	PX_F_HRSP_2XX = 40,
	PX_F_HRSP_3XX = 41,
	PX_F_HRSP_4XX = 42,
	PX_F_HRSP_5XX = 43,
	PX_F_HRSP_OTHER = 44,
	PX_F_HANAFAIL = 45,
	PX_F_REQ_RATE = 46,
	PX_F_REQ_RATE_MAX = 47,
	PX_F_REQ_TOT = 48,
	PX_F_CLI_ABRT = 49,
	PX_F_SRV_ABRT = 50,
	PX_F_COMP_IN = 51,
	PX_F_COMP_OUT = 52,
	PX_F_COMP_BYP = 53,
	PX_F_COMP_RSP = 54,
	PX_F_LASTSESS = 55,
	PX_F_LAST_CHK = 56,
	PX_F_LAST_AGT = 57,
	PX_F_QTIME = 58,
	PX_F_CTIME = 59,
	PX_F_RTIME = 60,
	PX_F_TTIME = 61,
	PX_F_AGENT_STATUS = 62,
	PX_F_AGENT_CODE = 63,
	PX_F_AGENT_DURATION = 64,
	PX_F_CHECK_DESC = 65,
	PX_F_AGENT_DESC = 66,
	PX_F_CHECK_RISE = 67,
	PX_F_CHECK_FALL = 68,
	PX_F_CHECK_HEALTH = 69,
	PX_F_AGENT_RISE = 70,
	PX_F_AGENT_FALL = 71,
	PX_F_AGENT_HEALTH = 72,
	PX_F_ADDR = 73,
	PX_F_COOKIE = 74,
	PX_F_MODE = 75,
	PX_F_ALGO = 76,
	PX_F_CONN_RATE = 77,
	PX_F_CONN_RATE_MAX = 78,
	PX_F_CONN_TOT = 79,
	PX_F_INTERCEPTED = 80,
	PX_F_DCON = 81,
	PX_F_DSES = 82,
	PX_F_WREW = 83,
	PX_F_CONNECT = 84,
	PX_F_REUSE = 85,
	PX_F_CACHE_LOOKUPS = 86,
	PX_F_CACHE_HITS = 87,
	PX_F_SRV_ICUR = 88,
	PX_F_SRC_ILIM = 89,
	PX_F_QTIME_MAX = 90,
	PX_F_CTIME_MAX = 91,
	PX_F_RTIME_MAX = 92,
	PX_F_TTIME_MAX = 93,
	PX_F_EINT = 94,
	PX_F_IDLE_CONN_CUR = 95,
	PX_F_SAFE_CONN_CUR = 96,
	PX_F_USED_CONN_CUR = 97,
	PX_F_NEED_CONN_EST = 98,
	PX_F_UWEIGHT = 99,
	PX_F_AGG_SERVER_STATUS = 100,
	PX_F_AGG_SERVER_CHECK_STATUS = 101,
	PX_F_AGG_CHECK_STATUS = 102,
	PX_F_MODULES = 103,	/* "-": HAProxy's static fields end here */
	PX_F_SSL_SESS = 104,
	PX_F_SSL_REUSED_SESS = 105,
	PX_F_SSL_FAILED_HANDSHAKE = 106,
	PX_F_H2_HEADERS_RCVD = 107,
	PX_F_H2_DATA_RCVD = 108,
	PX_F_H2_SETTINGS_RCVD = 109,
	PX_F_H2_RST_STREAM_RCVD = 110,
	PX_F_H2_GOAWAY_RCVD = 111,
	PX_F_H2_DETECTED_CONN_PROTOCOL_ERRORS = 112,
	PX_F_H2_DETECTED_STRM_PROTOCOL_ERRORS = 113,
	PX_F_H2_RST_STREAM_RESP = 114,
	PX_F_H2_GOAWAY_RESP = 115,
	PX_F_H2_OPEN_CONNECTIONS = 116,
	PX_F_H2_BACKEND_OPEN_STREAMS = 117,
	PX_F_H2_TOTAL_CONNECTIONS = 118,
	PX_F_H2_BACKEND_TOTAL_STREAMS = 119,
	PX_F_H1_OPEN_CONNECTIONS = 120,
	PX_F_H1_OPEN_STREAMS = 121,
	PX_F_H1_TOTAL_CONNECTIONS = 122,
	PX_F_H1_TOTAL_STREAMS = 123,
	PX_F_H1_BYTES_IN = 124,
	PX_F_H1_BYTES_OUT = 125,
	PX_F_H1_SPLICED_BYTES_IN = 126,
	PX_F_H1_SPLICED_BYTES_OUT = 127,
	PX_F_COUNT = 128,
};

/* Object types (the "type" field). */
enum {
	PX_STAT_FE = 0,
	PX_STAT_BE = 1,
	PX_STAT_SRV = 2,
};

/* One CSV row: each field NULL (empty) or a string the row or its
 * caller owns for as long as the row is used. */
struct px_stat_row {
	const char *v[PX_F_COUNT];
	char num[PX_F_COUNT][24];	/* numbers, formatted in place */
	int type;
	const struct px_proxy *px;	/* NULL for rows not of the proxy engine */
	const struct px_server *srv;	/* server rows */
};

void px_stat_clear(struct px_stat_row *r);
void px_stat_setu(struct px_stat_row *r, enum px_stat_field f, uint64_t v);
void px_stat_seti(struct px_stat_row *r, enum px_stat_field f, int64_t v);
void px_stat_sets(struct px_stat_row *r, enum px_stat_field f, const char *s);

/* "# pxname,svname,...," and its newline. */
void px_stat_csv_header(struct strbuf *out);
/* One row: every field, a value quoted only when it holds ',' or '"'
 * (an inner '"' doubled; CR and LF, which would break the line, become
 * spaces), and a trailing comma. */
void px_stat_csv_row(const struct px_stat_row *r, struct strbuf *out);

/* Calls fn for every row of snap in HAProxy's order: for each proxy
 * (iid = snap->iid0, and on, in configuration order) FRONTEND (listen, frontend),
 * its servers (sid 1, 2, ...), BACKEND (listen, backend). now is the wall
 * clock for lastchg. legends: the addr and algo fields are filled (as
 * HAProxy fills them on its CLI at operator level and above, and on the
 * page only with `stats show-legends`). fn may adjust the row (the
 * runtime socket adds the live health-check fields) before printing it. */
typedef void (*px_stat_fn)(struct px_stat_row *r, void *arg);
void px_stat_rows(const struct px_snapshot *snap, time_t now, bool legends, px_stat_fn fn,
		  void *arg);

/* The status word of a server in the snapshot: "UP", "DOWN", "MAINT",
 * "DRAIN", or "no check" (UP without a health check). */
const char *px_stat_srv_status(const struct px_server *s);

#endif
