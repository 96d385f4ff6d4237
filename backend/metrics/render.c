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

/* One sample: name{k1="v1",k2="v2"} value. labels is a NULL-terminated
 * list of key, value pairs. */
static void sample(struct strbuf *out, const char *name, const char *const *labels,
		   double value)
{
	strbuf_puts(out, name);
	if (labels && labels[0]) {
		strbuf_putc(out, '{');
		for (size_t i = 0; labels[i]; i += 2) {
			strbuf_printf(out, "%s%s=\"", i ? "," : "", labels[i]);
			metrics_escape_label(labels[i + 1], out);
			strbuf_putc(out, '"');
		}
		strbuf_putc(out, '}');
	}
	/* %.17g keeps every integer a 64-bit counter can reach below 2^53
	 * exact, and prints integers without a fraction. */
	strbuf_printf(out, " %.17g\n", value);
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

static void render_lvs(struct json_object *lvs, struct strbuf *out)
{
	struct json_object *svcs = get(lvs, "services");
	char name[96], vs[128], rs[96];

	for (size_t r = 0; r < sizeof(lvs_rows) / sizeof(lvs_rows[0]); r++) {
		snprintf(name, sizeof(name), "softlb_lvs_virtual_server_%s", lvs_rows[r].suffix);
		family(out, name, lvs_rows[r].type, lvs_rows[r].help);
		for (size_t i = 0; i < arr_len(svcs); i++) {
			struct json_object *s = json_object_array_get_idx(svcs, i);
			const char *l[] = { "virtual_server", vs, NULL };

			vs_name(s, vs, sizeof(vs));
			sample(out, name, l, num(get(s, "stats"), lvs_rows[r].key));
		}
	}
	for (size_t r = 0; r < sizeof(lvs_rows) / sizeof(lvs_rows[0]) +
			       sizeof(rs_only_rows) / sizeof(rs_only_rows[0]); r++) {
		const struct counter_row *row = r < sizeof(lvs_rows) / sizeof(lvs_rows[0]) ?
			&lvs_rows[r] : &rs_only_rows[r - sizeof(lvs_rows) / sizeof(lvs_rows[0])];

		snprintf(name, sizeof(name), "softlb_lvs_real_server_%s", row->suffix);
		family(out, name, row->type, row->help);
		for (size_t i = 0; i < arr_len(svcs); i++) {
			struct json_object *s = json_object_array_get_idx(svcs, i);
			struct json_object *dests = get(s, "real_servers");

			vs_name(s, vs, sizeof(vs));
			for (size_t j = 0; j < arr_len(dests); j++) {
				struct json_object *dst = json_object_array_get_idx(dests, j);
				const char *addr = get_str(dst, "address");
				bool v6 = strchr(addr, ':') != NULL;
				const char *l[] = { "virtual_server", vs, "real_server", rs, NULL };

				snprintf(rs, sizeof(rs), "%s%s%s:%.0f", v6 ? "[" : "", addr,
					 v6 ? "]" : "", num(dst, "port"));
				sample(out, name, l, row->stats ? num(get(dst, "stats"), row->key)
								: num(dst, row->key));
			}
		}
	}
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
	for (size_t r = 0; r < sizeof(server_rows) / sizeof(server_rows[0]); r++) {
		family(out, server_rows[r].name, server_rows[r].type, server_rows[r].help);
		for (size_t i = 0; i < arr_len(px); i++) {
			struct json_object *p = json_object_array_get_idx(px, i);
			struct json_object *srvs = get(p, "servers");

			for (size_t j = 0; j < arr_len(srvs); j++) {
				struct json_object *s = json_object_array_get_idx(srvs, j);
				const char *l[] = { "proxy", get_str(p, "name"), "server",
						    get_str(s, "name"), NULL };

				sample(out, server_rows[r].name, l, num(s, server_rows[r].key));
			}
		}
	}
	family(out, "haproxy_server_status", "gauge",
	       "Current status of the server, per state label value.");
	for (size_t i = 0; i < arr_len(px); i++) {
		struct json_object *p = json_object_array_get_idx(px, i);
		struct json_object *srvs = get(p, "servers");

		for (size_t j = 0; j < arr_len(srvs); j++) {
			struct json_object *s = json_object_array_get_idx(srvs, j);
			const char *st = get_str(s, "status");

			for (size_t k = 0; k < sizeof(server_states) / sizeof(server_states[0]); k++) {
				const char *l[] = { "proxy", get_str(p, "name"), "server",
						    get_str(s, "name"), "state", server_states[k], NULL };
				size_t n = strlen(server_states[k]);

				/* "UP", "UP 1/2" (going down), "DOWN 1/3" ... */
				sample(out, "haproxy_server_status", l,
				       strncmp(st, server_states[k], n) == 0 &&
				       (st[n] == '\0' || st[n] == ' '));
			}
		}
	}
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

	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		family(out, rows[r].name, rows[r].type, rows[r].help);
		for (size_t i = 0; i < arr_len(checks); i++) {
			struct json_object *c = json_object_array_get_idx(checks, i);
			const char *l[] = { "target", get_str(c, "target"), "origin",
					    get_str(c, "origin"), "check", get_str(c, "check"), NULL };
			double v;

			if (r == 0)
				v = strcmp(get_str(c, "state"), "UP") == 0;
			else if (r == 1)
				v = num(c, rows[r].key) / 1000.0;
			else
				v = num(c, rows[r].key);
			sample(out, rows[r].name, l, v);
		}
	}
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
