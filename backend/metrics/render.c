/* render: one scrape (metrics.h). Runs the show commands in JSON through
 * the grammar, as a view-role client would, and writes each family's
 * HELP, TYPE and samples together, as the exposition format requires. */
#include "config.h"

#include "metrics/metrics.h"
#include "core/daemon.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/server.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ */
/* Running a show command                                              */

/* Runs line (a show command, view role) and returns its JSON answer, or
 * NULL when the command is unavailable here (the engine is not running,
 * IPVS is missing): the families it feeds then have no samples. */
static struct json_object *show_json(struct softlbd *d, const char *line)
{
	struct strbuf out = STRBUF_INIT;
	struct json_object *obj = NULL;
	struct cmd_ctx ctx = { .d = d, .out = &out, .json = true, .node = CMD_NODE_VIEW,
			       .role = CTL_ROLE_VIEW, .json_out = &obj };
	struct cmd_match m;
	int status;

	grammar_match(d->grammar, line, CMD_NODE_VIEW, CTL_ROLE_VIEW, &m);
	if (m.status != CMD_MATCH_OK) {
		cmd_match_clear(&m);
		return NULL;
	}
	status = m.def->handler(&ctx, m.args);
	cmd_match_clear(&m);
	if (status != CTL_OK && obj) {
		json_object_put(obj);
		obj = NULL;
	} else if (status == CTL_OK && !obj) {
		/* a handler that printed its JSON itself */
		obj = json_tokener_parse(strbuf_str(&out));
	}
	strbuf_free(&out);
	return obj;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o && json_object_object_get_ex(o, key, &v))
		return v;
	return NULL;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static size_t arr_len(struct json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

/* ------------------------------------------------------------------ */
/* Writing samples                                                     */

void metrics_escape_label(const char *value, struct strbuf *out)
{
	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '\\': strbuf_puts(out, "\\\\"); break;
		case '"': strbuf_puts(out, "\\\""); break;
		case '\n': strbuf_puts(out, "\\n"); break;
		default: strbuf_putc(out, *p); break;
		}
	}
}

static void family(struct strbuf *out, const char *name, const char *type, const char *help)
{
	strbuf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Writes a sample's value: an integer (every counter, almost every
 * gauge) in decimal without printf, which was a fifth of a scrape of
 * 10,000 servers; anything else with %.17g, which keeps every integer
 * a 64-bit counter can reach below 2^53 exact. */
static void put_value(struct strbuf *out, double value)
{
	if (value > -9007199254740992.0 && value < 9007199254740992.0 &&
	    value == (double)(long long)value)
		strbuf_put_int(out, (long long)value);
	else
		strbuf_printf(out, "%.17g", value);
}

/* Appends key="value" (value escaped) to out, after a comma unless it
 * is the first label. */
static void put_label(struct strbuf *out, bool first, const char *key, const char *value)
{
	if (!first)
		strbuf_putc(out, ',');
	strbuf_puts(out, key);
	strbuf_puts(out, "=\"");
	metrics_escape_label(value, out);
	strbuf_putc(out, '"');
}

/* One sample: name{k1="v1",k2="v2"} value. labels is a NULL-terminated
 * list of key, value pairs. */
static void sample(struct strbuf *out, const char *name, const char *const *labels,
		   double value)
{
	strbuf_puts(out, name);
	if (labels && labels[0]) {
		strbuf_putc(out, '{');
		for (size_t i = 0; labels[i]; i += 2)
			put_label(out, i == 0, labels[i], labels[i + 1]);
		strbuf_putc(out, '}');
	}
	strbuf_putc(out, ' ');
	put_value(out, value);
	strbuf_putc(out, '\n');
}

/* ------------------------------------------------------------------ */
/* Rows: the objects of a family set, read from the JSON once          */

/* A family set over many objects (servers, real servers, checks) is
 * written family by family, as the format requires, so each object
 * appears once per family. Reading its labels and values from the JSON
 * once per object, not once per family, is what keeps a scrape of
 * 10,000 servers cheap: the labels are escaped once into one buffer and
 * the values kept in a matrix, one row per object. */
struct rows {
	size_t n, cap, ncol;
	struct strbuf labels;		/* each object's labels, escaped, NUL-separated */
	size_t *label_at;		/* where each object's labels start in labels */
	double *val;			/* n x ncol */
};

static void rows_init(struct rows *r, size_t ncol)
{
	*r = (struct rows){ .ncol = ncol };
	strbuf_init(&r->labels);
}

/* Starts an object: returns its row of ncol values (zeroed); its labels
 * are appended to r->labels by the caller with put_label, then ended
 * with rows_end_labels. */
static double *rows_add(struct rows *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->label_at = xreallocarray(r->label_at, r->cap, sizeof(*r->label_at));
		r->val = xreallocarray(r->val, r->cap * r->ncol, sizeof(*r->val));
	}
	r->label_at[r->n] = r->labels.len;
	memset(r->val + r->n * r->ncol, 0, r->ncol * sizeof(double));
	return r->val + r->n++ * r->ncol;
}

static void rows_end_labels(struct rows *r)
{
	strbuf_putc(&r->labels, '\0');
}

static const char *rows_labels(const struct rows *r, size_t i)
{
	return r->labels.data + r->label_at[i];
}

/* name{LABELS[,extra_key="extra"]} value for object i. */
static void rows_sample(struct strbuf *out, const struct rows *r, size_t i, const char *name,
			const char *extra_key, const char *extra, double value)
{
	const char *l = rows_labels(r, i);

	strbuf_puts(out, name);
	strbuf_putc(out, '{');
	strbuf_puts(out, l);
	if (extra_key)
		put_label(out, *l == '\0', extra_key, extra);
	strbuf_puts(out, "} ");
	put_value(out, value);
	strbuf_putc(out, '\n');
}

static void rows_free(struct rows *r)
{
	strbuf_free(&r->labels);
	free(r->label_at);
	free(r->val);
}

static double num(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	if (!v)
		return 0;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? 1 : 0;
	return json_object_get_double(v);
}

/* ------------------------------------------------------------------ */
/* The daemon                                                          */

static void render_daemon(struct softlbd *d, struct json_object *status, struct strbuf *out)
{
	struct json_object *engines = get(status, "engines");
	const char *lv[] = { "version", PACKAGE_VERSION, NULL };

	family(out, "softlb_build_info", "gauge", "softlbd's version, as a label; always 1.");
	sample(out, "softlb_build_info", lv, 1);
	family(out, "softlb_start_time_seconds", "gauge", "When softlbd started, in seconds since the epoch.");
	sample(out, "softlb_start_time_seconds", NULL, (double)d->started);
	family(out, "softlb_reloads_total", "counter", "Configuration reloads applied.");
	sample(out, "softlb_reloads_total", NULL, num(status, "reloads"));
	family(out, "softlb_config_errors_total", "counter",
	       "Reloads refused because the configuration had an error.");
	sample(out, "softlb_config_errors_total", NULL, d->reload_failures);
	family(out, "softlb_control_clients", "gauge", "Clients connected to the control socket.");
	sample(out, "softlb_control_clients", NULL,
	       ctl_server_of(d) ? (double)ctl_server_client_count(ctl_server_of(d)) : 0);
	family(out, "softlb_engine_running", "gauge",
	       "1 when the engine runs, 0 when it is not configured or unavailable.");
	for (size_t i = 0; i < arr_len(engines); i++) {
		struct json_object *e = json_object_array_get_idx(engines, i);
		const char *l[] = { "engine", get_str(e, "name"), NULL };

		sample(out, "softlb_engine_running", l, strcmp(get_str(e, "state"), "running") == 0);
	}
}

/* ------------------------------------------------------------------ */
/* LVS                                                                 */

/* "TCP 192.0.2.10:80", "FWM 7": how ipvsadm and `show lvs` name a
 * virtual server. */
static void vs_name(struct json_object *s, char *buf, size_t len)
{
	const char *proto = get_str(s, "protocol");
	const char *addr = get_str(s, "address");
	bool v6 = strcmp(get_str(s, "family"), "inet6") == 0;

	if (get(s, "fwmark"))
		snprintf(buf, len, "FWM %.0f", num(s, "fwmark"));
	else
		snprintf(buf, len, "%s %s%s%s:%.0f", proto, v6 ? "[" : "", addr, v6 ? "]" : "",
			 num(s, "port"));
	for (char *p = buf; *p && p < buf + 3; p++)
		*p = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
}

struct counter_row {
	const char *suffix;	/* after softlb_lvs_virtual_server_ / _real_server_ */
	const char *type;
	const char *key;	/* in "stats" when stats, else in the object */
	bool stats;
	const char *help;
};

static const struct counter_row lvs_rows[] = {
	{ "connections_total", "counter", "conns", true, "Connections scheduled (ipvsadm --stats Conns)." },
	{ "in_packets_total", "counter", "inpkts", true, "Packets in." },
	{ "out_packets_total", "counter", "outpkts", true, "Packets out (NAT only)." },
	{ "in_bytes_total", "counter", "inbytes", true, "Bytes in." },
	{ "out_bytes_total", "counter", "outbytes", true, "Bytes out (NAT only)." },
};

static const struct counter_row rs_only_rows[] = {
	{ "weight", "gauge", "weight", false, "Weight in the kernel (0: drained or down)." },
	{ "active_connections", "gauge", "active_conns", false, "Active connections." },
	{ "inactive_connections", "gauge", "inactive_conns", false, "Inactive connections." },
};

#define N_LVS_ROWS (sizeof(lvs_rows) / sizeof(lvs_rows[0]))
#define N_RS_ONLY_ROWS (sizeof(rs_only_rows) / sizeof(rs_only_rows[0]))

static void render_lvs(struct json_object *lvs, struct strbuf *out)
{
	struct json_object *svcs = get(lvs, "services");
	struct rows vsr, rsr;
	char name[96], vs[128], rs[96];

	rows_init(&vsr, N_LVS_ROWS);
	rows_init(&rsr, N_LVS_ROWS + N_RS_ONLY_ROWS);
	for (size_t i = 0; i < arr_len(svcs); i++) {
		struct json_object *s = json_object_array_get_idx(svcs, i);
		struct json_object *stats = get(s, "stats");
		struct json_object *dests = get(s, "real_servers");
		double *v = rows_add(&vsr);

		vs_name(s, vs, sizeof(vs));
		put_label(&vsr.labels, true, "virtual_server", vs);
		rows_end_labels(&vsr);
		for (size_t r = 0; r < N_LVS_ROWS; r++)
			v[r] = num(stats, lvs_rows[r].key);
		for (size_t j = 0; j < arr_len(dests); j++) {
			struct json_object *dst = json_object_array_get_idx(dests, j);
			struct json_object *dstats = get(dst, "stats");
			const char *addr = get_str(dst, "address");
			bool v6 = strchr(addr, ':') != NULL;

			v = rows_add(&rsr);
			snprintf(rs, sizeof(rs), "%s%s%s:%.0f", v6 ? "[" : "", addr, v6 ? "]" : "",
				 num(dst, "port"));
			put_label(&rsr.labels, true, "virtual_server", vs);
			put_label(&rsr.labels, false, "real_server", rs);
			rows_end_labels(&rsr);
			for (size_t r = 0; r < N_LVS_ROWS; r++)
				v[r] = num(dstats, lvs_rows[r].key);
			for (size_t r = 0; r < N_RS_ONLY_ROWS; r++)
				v[N_LVS_ROWS + r] = num(dst, rs_only_rows[r].key);
		}
	}
	for (size_t r = 0; r < N_LVS_ROWS; r++) {
		snprintf(name, sizeof(name), "softlb_lvs_virtual_server_%s", lvs_rows[r].suffix);
		family(out, name, lvs_rows[r].type, lvs_rows[r].help);
		for (size_t i = 0; i < vsr.n; i++)
			rows_sample(out, &vsr, i, name, NULL, NULL, vsr.val[i * vsr.ncol + r]);
	}
	for (size_t r = 0; r < rsr.ncol; r++) {
		const struct counter_row *row = r < N_LVS_ROWS ? &lvs_rows[r]
							       : &rs_only_rows[r - N_LVS_ROWS];

		snprintf(name, sizeof(name), "softlb_lvs_real_server_%s", row->suffix);
		family(out, name, row->type, row->help);
		for (size_t i = 0; i < rsr.n; i++)
			rows_sample(out, &rsr, i, name, NULL, NULL, rsr.val[i * rsr.ncol + r]);
	}
	rows_free(&vsr);
	rows_free(&rsr);
}

/* ------------------------------------------------------------------ */
/* The proxy, with HAProxy's exporter names                            */

struct px_row {
	const char *name;
	const char *type;
	const char *key;
	const char *help;
};

static const struct px_row frontend_rows[] = {
	{ "haproxy_frontend_current_sessions", "gauge", "cur", "Current number of active sessions." },
	{ "haproxy_frontend_max_sessions", "gauge", "max", "Maximum observed number of active sessions." },
	{ "haproxy_frontend_sessions_total", "counter", "total", "Total number of sessions." },
	{ "haproxy_frontend_bytes_in_total", "counter", "bytes_in", "Current total of incoming bytes." },
	{ "haproxy_frontend_bytes_out_total", "counter", "bytes_out", "Current total of outgoing bytes." },
	{ "haproxy_frontend_requests_denied_total", "counter", "denied", "Total number of denied requests." },
	{ "haproxy_frontend_http_requests_total", "counter", "requests", "Total number of HTTP requests received." },
};

static const struct px_row backend_rows[] = {
	{ "haproxy_backend_current_sessions", "gauge", "cur", "Current number of active sessions." },
	{ "haproxy_backend_max_sessions", "gauge", "max", "Maximum observed number of active sessions." },
	{ "haproxy_backend_sessions_total", "counter", "total", "Total number of sessions." },
	{ "haproxy_backend_bytes_in_total", "counter", "bytes_in", "Current total of incoming bytes." },
	{ "haproxy_backend_bytes_out_total", "counter", "bytes_out", "Current total of outgoing bytes." },
	{ "haproxy_backend_current_queue", "gauge", "queue_cur", "Current number of queued requests." },
	{ "haproxy_backend_max_queue", "gauge", "queue_max", "Maximum observed number of queued requests." },
	{ "haproxy_backend_connection_errors_total", "counter", "econ", "Total number of connection errors." },
	{ "haproxy_backend_response_errors_total", "counter", "eresp", "Total number of response errors." },
	{ "haproxy_backend_retry_warnings_total", "counter", "retries", "Total number of retry warnings." },
	{ "haproxy_backend_redispatch_warnings_total", "counter", "redispatches", "Total number of redispatch warnings." },
	{ "haproxy_backend_connection_reuses_total", "counter", "reused", "Total number of connection reuses." },
};

static const struct px_row server_rows[] = {
	{ "haproxy_server_current_sessions", "gauge", "cur", "Current number of active sessions." },
	{ "haproxy_server_max_sessions", "gauge", "max", "Maximum observed number of active sessions." },
	{ "haproxy_server_sessions_total", "counter", "total", "Total number of sessions." },
	{ "haproxy_server_bytes_in_total", "counter", "bytes_in", "Current total of incoming bytes." },
	{ "haproxy_server_bytes_out_total", "counter", "bytes_out", "Current total of outgoing bytes." },
	{ "haproxy_server_current_queue", "gauge", "queue_cur", "Current number of queued requests." },
	{ "haproxy_server_max_queue", "gauge", "queue_max", "Maximum observed number of queued requests." },
	{ "haproxy_server_connection_errors_total", "counter", "econ", "Total number of connection errors." },
	{ "haproxy_server_response_errors_total", "counter", "eresp", "Total number of response errors." },
	{ "haproxy_server_retry_warnings_total", "counter", "retries", "Total number of retry warnings." },
	{ "haproxy_server_redispatch_warnings_total", "counter", "redispatches", "Total number of redispatch warnings." },
	{ "haproxy_server_connection_reuses_total", "counter", "reused", "Total number of connection reuses." },
	{ "haproxy_server_weight", "gauge", "weight", "Server's effective weight." },
};

/* HAProxy 2.4's states of haproxy_server_status, one series each. */
static const char *const server_states[] = { "UP", "DOWN", "MAINT", "DRAIN", "NOLB" };

static bool is_frontend(struct json_object *p)
{
	const char *t = get_str(p, "type");

	return strcmp(t, "listen") == 0 || strcmp(t, "frontend") == 0;
}

static bool is_backend(struct json_object *p)
{
	const char *t = get_str(p, "type");

	return strcmp(t, "listen") == 0 || strcmp(t, "backend") == 0;
}

#define N_SERVER_ROWS (sizeof(server_rows) / sizeof(server_rows[0]))
#define N_SERVER_STATES (sizeof(server_states) / sizeof(server_states[0]))

/* Every backend's servers: the counters of server_rows, then one status
 * series per state. Columns N_SERVER_ROWS.. of a row are the states. */
static void render_servers(struct json_object *px, struct strbuf *out)
{
	struct rows sr;

	rows_init(&sr, N_SERVER_ROWS + N_SERVER_STATES);
	for (size_t i = 0; i < arr_len(px); i++) {
		struct json_object *p = json_object_array_get_idx(px, i);
		struct json_object *srvs = get(p, "servers");
		const char *pname = get_str(p, "name");

		for (size_t j = 0; j < arr_len(srvs); j++) {
			struct json_object *s = json_object_array_get_idx(srvs, j);
			const char *st = get_str(s, "status");
			double *v = rows_add(&sr);

			put_label(&sr.labels, true, "proxy", pname);
			put_label(&sr.labels, false, "server", get_str(s, "name"));
			rows_end_labels(&sr);
			for (size_t r = 0; r < N_SERVER_ROWS; r++)
				v[r] = num(s, server_rows[r].key);
			for (size_t k = 0; k < N_SERVER_STATES; k++) {
				size_t n = strlen(server_states[k]);

				/* "UP", "UP 1/2" (going down), "DOWN 1/3" ... */
				v[N_SERVER_ROWS + k] = strncmp(st, server_states[k], n) == 0 &&
						       (st[n] == '\0' || st[n] == ' ');
			}
		}
	}
	for (size_t r = 0; r < N_SERVER_ROWS; r++) {
		family(out, server_rows[r].name, server_rows[r].type, server_rows[r].help);
		for (size_t i = 0; i < sr.n; i++)
			rows_sample(out, &sr, i, server_rows[r].name, NULL, NULL,
				    sr.val[i * sr.ncol + r]);
	}
	family(out, "haproxy_server_status", "gauge",
	       "Current status of the server, per state label value.");
	for (size_t i = 0; i < sr.n; i++)
		for (size_t k = 0; k < N_SERVER_STATES; k++)
			rows_sample(out, &sr, i, "haproxy_server_status", "state", server_states[k],
				    sr.val[i * sr.ncol + N_SERVER_ROWS + k]);
	rows_free(&sr);
}

static void render_proxy(struct json_object *px, struct strbuf *out)
{
	for (size_t r = 0; r < sizeof(frontend_rows) / sizeof(frontend_rows[0]); r++) {
		family(out, frontend_rows[r].name, frontend_rows[r].type, frontend_rows[r].help);
		for (size_t i = 0; i < arr_len(px); i++) {
			struct json_object *p = json_object_array_get_idx(px, i);
			const char *l[] = { "proxy", get_str(p, "name"), NULL };

			if (is_frontend(p))
				sample(out, frontend_rows[r].name, l, num(p, frontend_rows[r].key));
		}
	}
	for (size_t r = 0; r < sizeof(backend_rows) / sizeof(backend_rows[0]); r++) {
		family(out, backend_rows[r].name, backend_rows[r].type, backend_rows[r].help);
		for (size_t i = 0; i < arr_len(px); i++) {
			struct json_object *p = json_object_array_get_idx(px, i);
			const char *l[] = { "proxy", get_str(p, "name"), NULL };

			if (is_backend(p))
				sample(out, backend_rows[r].name, l, num(p, backend_rows[r].key));
		}
	}
	family(out, "haproxy_backend_status", "gauge",
	       "Current status of the service, per state label value.");
	for (size_t i = 0; i < arr_len(px); i++) {
		struct json_object *p = json_object_array_get_idx(px, i);

		if (!is_backend(p))
			continue;
		for (size_t s = 0; s < 2; s++) {
			const char *l[] = { "proxy", get_str(p, "name"), "state", server_states[s], NULL };

			sample(out, "haproxy_backend_status", l,
			       strcmp(get_str(p, "status"), server_states[s]) == 0);
		}
	}
	render_servers(px, out);
}

/* ------------------------------------------------------------------ */
/* Health checks                                                       */

static void render_checks(struct json_object *checks, struct strbuf *out)
{
	static const struct px_row rows[] = {
		{ "softlb_check_up", "gauge", NULL, "1 when the checked server is up, else 0." },
		{ "softlb_check_duration_seconds", "gauge", "latency_ms",
		  "How long the last check took." },
		{ "softlb_check_runs_total", "counter", "runs", "Checks run." },
		{ "softlb_check_failures_total", "counter", "failed", "Checks that failed." },
	};

	struct rows cr;

	rows_init(&cr, sizeof(rows) / sizeof(rows[0]));
	for (size_t i = 0; i < arr_len(checks); i++) {
		struct json_object *c = json_object_array_get_idx(checks, i);
		double *v = rows_add(&cr);

		put_label(&cr.labels, true, "target", get_str(c, "target"));
		put_label(&cr.labels, false, "origin", get_str(c, "origin"));
		put_label(&cr.labels, false, "check", get_str(c, "check"));
		rows_end_labels(&cr);
		v[0] = strcmp(get_str(c, "state"), "UP") == 0;
		v[1] = num(c, rows[1].key) / 1000.0;
		for (size_t r = 2; r < cr.ncol; r++)
			v[r] = num(c, rows[r].key);
	}
	for (size_t r = 0; r < cr.ncol; r++) {
		family(out, rows[r].name, rows[r].type, rows[r].help);
		for (size_t i = 0; i < cr.n; i++)
			rows_sample(out, &cr, i, rows[r].name, NULL, NULL, cr.val[i * cr.ncol + r]);
	}
	rows_free(&cr);
}

/* ------------------------------------------------------------------ */
/* VRRP                                                                */

static const char *const vrrp_states[] = { "INIT", "BACKUP", "MASTER", "FAULT" };

/* The stats of one instance, keyed like VRRP-MIB's counters
 * (becomeMaster, advertiseRcvd ... and one per drop reason). */
static void render_vrrp(struct softlbd *d, struct json_object *vrrp, struct strbuf *out)
{
	size_t n = arr_len(vrrp);
	struct json_object **detail = n ? calloc(n, sizeof(*detail)) : NULL;
	static const struct px_row counters[] = {
		{ "softlb_vrrp_become_master_total", "counter", "becomeMaster", "Transitions to MASTER." },
		{ "softlb_vrrp_advertisements_received_total", "counter", "advertiseRcvd", "Advertisements received." },
		{ "softlb_vrrp_advertisements_sent_total", "counter", "advertiseSent", "Advertisements sent." },
	};
	/* The counters above, and the rest of "stats": drop reasons. */
	static const char *const not_drops[] = { "becomeMaster", "advertiseRcvd", "advertiseSent",
						 "priorityZeroPktsRcvd", "priorityZeroPktsSent" };

	for (size_t i = 0; i < n; i++) {
		const char *name = get_str(json_object_array_get_idx(vrrp, i), "name");
		char line[160];

		/* Names are single words in keepalived.conf; any other is
		 * left out of the per-instance counters rather than guessed. */
		if (!*name || strpbrk(name, " \t\"'\\") || strlen(name) > 100)
			continue;
		snprintf(line, sizeof(line), "show vrrp %s json", name);
		detail[i] = show_json(d, line);
	}
	family(out, "softlb_vrrp_state", "gauge", "The instance's state, per state label value.");
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vrrp, i);

		for (size_t k = 0; k < sizeof(vrrp_states) / sizeof(vrrp_states[0]); k++) {
			const char *l[] = { "instance", get_str(v, "name"), "state", vrrp_states[k], NULL };

			sample(out, "softlb_vrrp_state", l, strcmp(get_str(v, "state"), vrrp_states[k]) == 0);
		}
	}
	family(out, "softlb_vrrp_priority", "gauge", "Effective priority.");
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vrrp, i);
		const char *l[] = { "instance", get_str(v, "name"), NULL };

		sample(out, "softlb_vrrp_priority", l, num(v, "priority"));
	}
	for (size_t r = 0; r < sizeof(counters) / sizeof(counters[0]); r++) {
		family(out, counters[r].name, counters[r].type, counters[r].help);
		for (size_t i = 0; i < n; i++) {
			const char *l[] = { "instance",
					    get_str(json_object_array_get_idx(vrrp, i), "name"), NULL };

			if (detail[i])
				sample(out, counters[r].name, l, num(get(detail[i], "stats"), counters[r].key));
		}
	}
	family(out, "softlb_vrrp_advertisements_dropped_total", "counter",
	       "Advertisements dropped, by reason (VRRP-MIB's error counters).");
	for (size_t i = 0; i < n; i++) {
		struct json_object *stats = detail[i] ? get(detail[i], "stats") : NULL;

		if (!stats)
			continue;
		json_object_object_foreach(stats, key, val) {
			bool skip = false;
			const char *l[] = { "instance",
					    get_str(json_object_array_get_idx(vrrp, i), "name"),
					    "reason", key, NULL };

			for (size_t k = 0; k < sizeof(not_drops) / sizeof(not_drops[0]); k++)
				skip = skip || strcmp(key, not_drops[k]) == 0;
			if (!skip)
				sample(out, "softlb_vrrp_advertisements_dropped_total", l,
				       json_object_get_double(val));
		}
	}
	for (size_t i = 0; i < n; i++)
		if (detail[i])
			json_object_put(detail[i]);
	free(detail);
}

int metrics_render(struct softlbd *d, struct strbuf *out)
{
	struct json_object *status = show_json(d, "show status json");
	struct json_object *lvs = show_json(d, "show lvs stats json");
	struct json_object *px = show_json(d, "show proxy json");
	struct json_object *checks = show_json(d, "show checks json");
	struct json_object *vrrp = show_json(d, "show vrrp json");

	render_daemon(d, status, out);
	render_lvs(lvs, out);
	render_proxy(px, out);
	render_checks(checks, out);
	render_vrrp(d, vrrp, out);
	json_object_put(status);
	json_object_put(lvs);
	json_object_put(px);
	json_object_put(checks);
	json_object_put(vrrp);
	return 0;
}
