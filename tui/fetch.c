#include "config.h"

#include "fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/ctl_client.h"
#include "util/xalloc.h"

uint64_t fetch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void fetch_init(struct fetch *f, const char *socket_path)
{
	memset(f, 0, sizeof(*f));
	f->socket_path = xstrdup(socket_path);
	strbuf_init(&f->why);
	f->events = json_object_new_array();
}

void fetch_free(struct fetch *f)
{
	if (f->client)
		ctl_client_close(f->client);
	free(f->socket_path);
	strbuf_free(&f->why);
	json_object_put(f->events);
	ptable_unref(f->proxy_last);
	ptable_unref(f->lvs_last);
	ptable_unref(f->sum_last);
	memset(f, 0, sizeof(*f));
}

bool fetch_connected(const struct fetch *f)
{
	return f->client != NULL;
}

void fetch_disconnect(struct fetch *f, const char *why)
{
	if (f->client)
		ctl_client_close(f->client);
	f->client = NULL;
	if (why) {
		strbuf_reset(&f->why);
		strbuf_puts(&f->why, why);
	}
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

bool fetch_connect(struct fetch *f, int timeout_ms)
{
	enum ctl_connect_error why;
	struct strbuf err = STRBUF_INIT;

	if (f->client)
		return true;
	f->client = ctl_client_connect(f->socket_path, timeout_ms, &why, &err);
	if (!f->client) {
		strbuf_reset(&f->why);
		strbuf_puts(&f->why, err.len ? strbuf_str(&err) : "cannot connect");
		strbuf_free(&err);
		return false;
	}
	strbuf_free(&err);
	strbuf_reset(&f->why);
	copy(f->host, sizeof(f->host), ctl_client_host(f->client));
	copy(f->role, sizeof(f->role), ctl_client_role(f->client));
	copy(f->user, sizeof(f->user), ctl_client_user(f->client));
	copy(f->version, sizeof(f->version), ctl_client_version(f->client));
	f->ever_connected = true;
	f->generation++;
	/* A new daemon: its journal is its own. */
	f->events_support = FETCH_EVENTS_UNKNOWN;
	f->events_seq = 0;
	ptable_unref(f->proxy_last);
	f->proxy_last = NULL;
	ptable_unref(f->lvs_last);
	f->lvs_last = NULL;
	ptable_unref(f->sum_last);
	f->sum_last = NULL;
	f->table_no = false;
	f->sum_no = false;
	json_object_put(f->events);
	f->events = json_object_new_array();
	return true;
}

/* The daemon's message of a failed reply, on one line: the "error" field
 * of a JSON body, else the first line of the text ("% Unknown command"). */
static void reply_error(struct strbuf *err, const struct ctl_client_reply *rep)
{
	struct json_object *o = json_tokener_parse(rep->body), *e;
	const char *nl;

	strbuf_reset(err);
	if (o && json_object_object_get_ex(o, "error", &e) && json_object_is_type(e, json_type_string)) {
		strbuf_puts(err, json_object_get_string(e));
		json_object_put(o);
		return;
	}
	json_object_put(o);
	nl = memchr(rep->body, '\n', rep->len);
	strbuf_append(err, rep->body, nl ? (size_t)(nl - rep->body) : rep->len);
	if (err->len == 0)
		strbuf_printf(err, "status %d", rep->status);
}

/* Runs one show command in JSON into r. Returns false when the
 * connection failed (and drops it). */
static bool show(struct fetch *f, const char *line, struct fetch_reply *r, int *status)
{
	struct ctl_client_reply rep;
	struct strbuf err = STRBUF_INIT;

	json_object_put(r->obj);
	r->obj = NULL;
	strbuf_reset(&r->err);
	if (!f->client) {
		strbuf_puts(&r->err, "not connected");
		return false;
	}
	if (ctl_client_request(f->client, CTL_VERB_EXEC, CTL_FLAG_JSON, line, &rep, &err) != 0) {
		strbuf_puts(&r->err, strbuf_str(&err));
		fetch_disconnect(f, strbuf_str(&err));
		strbuf_free(&err);
		return false;
	}
	strbuf_free(&err);
	if (status)
		*status = rep.status;
	if (rep.status == 200) {
		enum json_tokener_error jerr = json_tokener_success;

		r->obj = json_tokener_parse_verbose(rep.body, &jerr);
		if (!r->obj)
			strbuf_printf(&r->err, "%s: unreadable JSON (%s)", line,
				      json_tokener_error_desc(jerr));
	} else {
		reply_error(&r->err, &rep);
	}
	ctl_client_reply_free(&rep);
	return true;
}

static void reply_free(struct fetch_reply *r)
{
	json_object_put(r->obj);
	r->obj = NULL;
	strbuf_free(&r->err);
}

void snapshot_free(struct snapshot *s)
{
	reply_free(&s->status);
	reply_free(&s->lvs);
	ptable_unref(s->lt);
	reply_free(&s->proxy);
	ptable_unref(s->pt);
	ptable_unref(s->ps);
	reply_free(&s->vrrp);
	reply_free(&s->checks);
	json_object_put(s->vrrp_detail);
	memset(s, 0, sizeof(*s));
}

/* The VRRP screen's details: one show vrrp NAME per instance. */
static bool vrrp_details(struct fetch *f, struct snapshot *s)
{
	struct json_object *list = s->vrrp.obj;
	struct strbuf line = STRBUF_INIT;
	bool ok = true;

	s->vrrp_detail = json_object_new_array();
	if (!list || !json_object_is_type(list, json_type_array))
		return true;
	for (size_t i = 0; ok && i < json_object_array_length(list); i++) {
		struct json_object *name, *inst = json_object_array_get_idx(list, i);
		struct fetch_reply r = { NULL, STRBUF_INIT };

		if (!json_object_object_get_ex(inst, "name", &name))
			continue;
		strbuf_reset(&line);
		strbuf_printf(&line, "show vrrp %s", json_object_get_string(name));
		ok = show(f, strbuf_str(&line), &r, NULL);
		if (r.obj) {
			json_object_array_add(s->vrrp_detail, r.obj);
			r.obj = NULL;
		}
		reply_free(&r);
	}
	strbuf_free(&line);
	return ok;
}

bool fetch_show(struct fetch *f, const char *line, struct fetch_reply *r)
{
	return show(f, line, r, NULL);
}

void fetch_reply_free(struct fetch_reply *r)
{
	reply_free(r);
}

/* The proxies: the terse table, asked only for a newer generation than
 * the last one; the JSON from a daemon that does not know it. */
static int table(struct fetch *f, const char *name, struct ptable **last, struct ptable **out,
		 struct strbuf *errs, bool *no);

static bool proxy_table(struct fetch *f, struct snapshot *s)
{
	bool ok;

	if (f->table_no) {
		ok = show(f, "show proxy", &s->proxy, NULL);
		if (s->proxy.obj) {
			s->pt = ptable_from_proxy_json(s->proxy.obj);
			json_object_put(s->proxy.obj);
			s->proxy.obj = NULL;
			if (!s->pt)
				strbuf_puts(&s->proxy.err, "show proxy: unreadable JSON");
		}
		return ok;
	}
	if (!f->client) {
		strbuf_puts(&s->proxy.err, "not connected");
		return false;
	}
	switch (table(f, "proxy", &f->proxy_last, &s->pt, &s->proxy.err, &f->table_no)) {
	case -1:
		return false;
	case 1:
		return proxy_table(f, s);	/* now through the JSON */
	default:
		return true;
	}
}

/* show table NAME since the generation of *last: *out gets the table (a
 * new one, or *last again when unchanged), or err why not. NAME is the
 * table's ("proxy-summary" is asked as "proxy summary"). Returns 0, -1
 * when the connection failed, 1 when softlbd does not know the command
 * (*no is then set). */
static int table(struct fetch *f, const char *name, struct ptable **last, struct ptable **out,
		 struct strbuf *errs, bool *no)
{
	struct ctl_client_reply rep;
	struct strbuf err = STRBUF_INIT;
	char line[80];

	snprintf(line, sizeof(line), "show table %s since %llu",
		 strcmp(name, "proxy-summary") == 0 ? "proxy summary" : name,
		 (unsigned long long)(*last ? (*last)->gen : 0));
	if (ctl_client_request(f->client, CTL_VERB_EXEC, 0, line, &rep, &err) != 0) {
		strbuf_puts(errs, strbuf_str(&err));
		fetch_disconnect(f, strbuf_str(&err));
		strbuf_free(&err);
		return -1;
	}
	strbuf_free(&err);
	if (rep.status == 400 && rep.len &&
	    (strstr(rep.body, "Unknown command") || strstr(rep.body, "Invalid input"))) {
		ctl_client_reply_free(&rep);
		*no = true;
		return 1;
	}
	if (rep.status != 200) {
		/* "% IPVS unavailable: ...": the reason, as the JSON's error. */
		reply_error(errs, &rep);
		if (strncmp(strbuf_str(errs), "% ", 2) == 0)
			strbuf_consume(errs, 2);
	} else {
		struct ptable *t = NULL;

		switch (ptable_parse(rep.body, rep.len, name, &t, errs)) {
		case PTABLE_NEW:
			ptable_unref(*last);
			*last = ptable_ref(t);
			*out = t;
			break;
		case PTABLE_UNCHANGED:
			if (*last) {
				*out = ptable_ref(*last);
				break;
			}
			strbuf_printf(errs, "show table %s: unchanged, but nothing came before", name);
			break;
		case PTABLE_ERROR:
			break;
		}
	}
	ctl_client_reply_free(&rep);
	return 0;
}

/* The LVS table; a softlbd without it (older than this softlbtop) is
 * named as the reason the table is empty. */
static bool lvs_table(struct fetch *f, struct snapshot *s)
{
	if (!f->client) {
		strbuf_puts(&s->lvs.err, "not connected");
		return false;
	}
	if (f->table_no) {
		strbuf_puts(&s->lvs.err, "this softlbd has no show table lvs (older than softlbtop)");
		return true;
	}
	switch (table(f, "lvs", &f->lvs_last, &s->lt, &s->lvs.err, &f->table_no)) {
	case -1:
		return false;
	case 1:
		strbuf_puts(&s->lvs.err, "this softlbd has no show table lvs (older than softlbtop)");
		return true;
	default:
		return true;
	}
}

/* The proxy summary, when softlbd has it. */
static bool proxy_summary(struct fetch *f, struct snapshot *s)
{
	struct strbuf err = STRBUF_INIT;
	int rc;

	if (f->table_no || f->sum_no)
		return true;
	if (!f->client)
		return false;
	rc = table(f, "proxy-summary", &f->sum_last, &s->ps, &err, &f->sum_no);
	if (rc == 0 && !s->ps)
		strbuf_puts(&s->proxy.err, strbuf_str(&err));
	strbuf_free(&err);
	return rc >= 0;
}

/* How many servers the summary counts. */
static long long summary_servers(const struct ptable *t)
{
	int c = ptable_col(t, "servers");
	long long n = 0;

	for (size_t i = 0; i < t->nrows; i++)
		n += ptable_num(t, i, c);
	return n;
}

bool fetch_snapshot(struct fetch *f, struct snapshot *s, unsigned need)
{
	bool want_proxy;

	snapshot_free(s);
	s->t_ms = fetch_now_ms();
	if (!show(f, "show status", &s->status, NULL) || !lvs_table(f, s) || !proxy_summary(f, s))
		return false;
	/* Without a summary the header counts the servers of the table. */
	want_proxy = (need & FETCH_PROXY) || !s->ps ||
		     ((need & FETCH_PROXY_SMALL) && summary_servers(s->ps) <= FETCH_SMALL_SERVERS);
	return (!want_proxy || proxy_table(f, s)) &&
	       show(f, "show vrrp", &s->vrrp, NULL) &&
	       show(f, "show checks", &s->checks, NULL) &&
	       (!(need & FETCH_VRRP_DETAIL) || vrrp_details(f, s));
}

bool fetch_snapshot_has(const struct snapshot *s, unsigned need)
{
	if ((need & FETCH_PROXY) && !s->pt && !s->proxy.err.len)
		return false;
	if ((need & FETCH_VRRP_DETAIL) && !s->vrrp_detail)
		return false;
	return true;
}

static int64_t get_int(struct json_object *o, const char *k)
{
	struct json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v) : 0;
}

bool fetch_events(struct fetch *f)
{
	struct fetch_reply r = { NULL, STRBUF_INIT };
	struct json_object *evs;
	char line[64];
	int status = 0;

	if (!f->client || f->events_support == FETCH_EVENTS_NO)
		return f->client != NULL;
	/* The first poll asks for the newest events only (the ring may hold
	 * thousands); then exactly what came after. */
	if (f->events_seq == 0)
		snprintf(line, sizeof(line), "show events last %d", FETCH_EVENTS_MAX);
	else
		snprintf(line, sizeof(line), "show events since %llu",
			 (unsigned long long)f->events_seq);
	if (!show(f, line, &r, &status)) {
		reply_free(&r);
		return false;
	}
	if (status == 400 && strstr(strbuf_str(&r.err), "Unknown command")) {
		f->events_support = FETCH_EVENTS_NO;
	} else if (r.obj && json_object_object_get_ex(r.obj, "events", &evs) &&
		   json_object_is_type(evs, json_type_array)) {
		uint64_t last = (uint64_t)get_int(r.obj, "last_seq");
		size_t n = json_object_array_length(evs);

		f->events_support = FETCH_EVENTS_YES;
		if (last < f->events_seq) {
			/* The journal started again (a new daemon behind the
			 * same connection cannot happen; a cleared journal can). */
			json_object_put(f->events);
			f->events = json_object_new_array();
		}
		for (size_t i = 0; i < n; i++)
			json_object_array_add(f->events, json_object_get(json_object_array_get_idx(evs, i)));
		n = json_object_array_length(f->events);
		if (n > FETCH_EVENTS_MAX)
			json_object_array_del_idx(f->events, 0, n - FETCH_EVENTS_MAX);
		f->events_seq = last;
	}
	reply_free(&r);
	return true;
}

int fetch_exec(struct fetch *f, const char *line, struct strbuf *out)
{
	struct ctl_client_reply rep;
	struct strbuf err = STRBUF_INIT;
	int st;

	strbuf_reset(out);
	if (!f->client) {
		strbuf_puts(out, "not connected to softlbd");
		return -1;
	}
	if (ctl_client_request(f->client, CTL_VERB_EXEC, 0, line, &rep, &err) != 0) {
		strbuf_puts(out, strbuf_str(&err));
		fetch_disconnect(f, strbuf_str(&err));
		strbuf_free(&err);
		return -1;
	}
	strbuf_free(&err);
	strbuf_append(out, rep.body, rep.len);
	st = rep.status;
	ctl_client_reply_free(&rep);
	return st;
}
