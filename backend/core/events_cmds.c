#include "config.h"

#include "core/events_cmds.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/daemon.h"
#include "ctl/cmd_out.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/strbuf.h"
#include "util/strvec.h"

/* Text `show events` without last or since: the newest this many. */
#define TEXT_DEFAULT_LAST 100

bool events_actor_of(const struct cmd_ctx *ctx, struct event_actor *by)
{
	if (!ctx || !ctx->sess)
		return false;
	memset(by, 0, sizeof(*by));
	snprintf(by->user, sizeof(by->user), "%s", ctx->sess->peer.user);
	by->uid = ctx->sess->peer.uid;
	by->role = ctl_role_name(ctx->role);
	return true;
}

static void put_wall(struct strbuf *out, int64_t wall_ms, bool iso)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	char buf[40];

	if (iso) {
		gmtime_r(&secs, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
		strbuf_printf(out, "%s.%03dZ", buf, (int)(wall_ms % 1000));
	} else {
		localtime_r(&secs, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		strbuf_printf(out, "%s.%03d", buf, (int)(wall_ms % 1000));
	}
}

static struct json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static struct json_object *event_json(const struct event *ev)
{
	struct json_object *o = json_object_new_object();
	struct strbuf t = STRBUF_INIT;

	put_wall(&t, ev->wall_ms, true);
	json_object_object_add(o, "seq", json_object_new_int64((int64_t)ev->seq));
	json_object_object_add(o, "mono_ms", json_object_new_int64((int64_t)ev->mono_ms));
	json_object_object_add(o, "time", jstr(strbuf_str(&t)));
	json_object_object_add(o, "engine", jstr(event_engine_name(ev->engine)));
	json_object_object_add(o, "kind", jstr(event_kind_name(ev->kind)));
	json_object_object_add(o, "object", jstr(ev->object));
	if (ev->old_state)
		json_object_object_add(o, "old", jstr(ev->old_state));
	if (ev->new_state)
		json_object_object_add(o, "new", jstr(ev->new_state));
	if (ev->reason)
		json_object_object_add(o, "reason", jstr(ev->reason));
	if (ev->has_actor) {
		json_object_object_add(o, "user", jstr(ev->by.user));
		json_object_object_add(o, "uid", json_object_new_int64((int64_t)ev->by.uid));
		json_object_object_add(o, "role", jstr(ev->by.role));
	}
	strbuf_free(&t);
	return o;
}

static void event_line(struct strbuf *out, const struct event *ev)
{
	put_wall(out, ev->wall_ms, false);
	strbuf_printf(out, "  #%llu  %s %s  %s", (unsigned long long)ev->seq,
		      event_engine_name(ev->engine), event_kind_name(ev->kind), ev->object);
	if (ev->old_state || ev->new_state)
		strbuf_printf(out, ": %s -> %s", ev->old_state ? ev->old_state : "-",
			      ev->new_state ? ev->new_state : "-");
	if (ev->reason)
		strbuf_printf(out, " (%s)", ev->reason);
	if (ev->has_actor)
		strbuf_printf(out, " by %s (uid %lu, %s)", ev->by.user, (unsigned long)ev->by.uid,
			      ev->by.role);
	strbuf_putc(out, '\n');
}

static int cmd_show_events(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct event_journal *j = ctx->d->events;
	const char *engine = cmd_arg(args, "engine-name");
	const char *object = cmd_arg(args, "object-text");
	long long last = cmd_arg_num(args, "count", -1);
	long long since = cmd_arg_num(args, "seq", -1);
	enum event_engine want = EVENT_ENGINE_COUNT;
	uint64_t from, to = events_last_seq(j);
	struct json_object *arr = NULL;
	size_t shown = 0;

	if (engine) {
		want = event_engine_parse(engine);
		if (want == EVENT_ENGINE_COUNT) {
			strbuf_printf(ctx->out, "%% no engine named '%s' (core, config, runtime, "
				      "check, vrrp, lvs, proxy, snmp)\n", engine);
			return CTL_ERR_NOTFOUND;
		}
	}
	/* since: exactly the events after SEQ, oldest first; a SEQ older
	 * than the ring starts at the oldest held (the JSON's oldest_seq
	 * tells the reader that some went) */
	from = events_oldest_seq(j);
	if (since >= 0 && (uint64_t)since + 1 > from)
		from = (uint64_t)since + 1;
	if (last < 0 && since < 0 && !ctx->json)
		last = TEXT_DEFAULT_LAST;
	if (ctx->json)
		arr = json_object_new_array();
	/* last N counts matching events back from the newest */
	if (last >= 0 && from && to >= from) {
		long long n = 0;
		uint64_t s = to + 1;

		while (s > from && n < last) {
			const struct event *ev = events_get(j, --s);

			if (ev && (want == EVENT_ENGINE_COUNT || ev->engine == want) &&
			    (!object || strstr(ev->object, object)))
				n++;
		}
		from = s;
	}
	for (uint64_t s = from; from && s <= to; s++) {
		const struct event *ev = events_get(j, s);

		if (!ev || (want != EVENT_ENGINE_COUNT && ev->engine != want) ||
		    (object && !strstr(ev->object, object)))
			continue;
		if (arr)
			json_object_array_add(arr, event_json(ev));
		else
			event_line(ctx->out, ev);
		shown++;
	}
	if (arr) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "last_seq", json_object_new_int64((int64_t)to));
		json_object_object_add(o, "oldest_seq",
				       json_object_new_int64((int64_t)events_oldest_seq(j)));
		json_object_object_add(o, "capacity",
				       json_object_new_int64((int64_t)events_capacity(j)));
		json_object_object_add(o, "events", arr);
		cmd_put_json(ctx, o);
	} else if (!shown) {
		strbuf_puts(ctx->out, "no events\n");
	}
	return CTL_OK;
}

static void engine_values(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	(void)ctx;
	if (strcmp(var, "engine-name") != 0)
		return;
	for (int e = 0; e < EVENT_ENGINE_COUNT; e++)
		strvec_push(out, event_engine_name((enum event_engine)e));
}

static const struct cmd_def events_cmds[] = {
	{ "show events [engine WORD$engine-name] [object WORD$object-text] "
	  "[last (1-10000000)$count] [since (0-9223372036854775807)$seq] [json]",
	  "Show running system information\n"
	  "The event journal: every state change, in order\n"
	  "Only one engine's events\nAn engine: core config runtime check vrrp lvs proxy snmp\n"
	  "Only events whose object contains this text\n"
	  "Text, e.g. 198.51.100.11:80, web/s1 or VI_1\n"
	  "Only the newest N\nA count\n"
	  "Only the events after a sequence number\nA sequence number (seq, last_seq)\n"
	  "Answer in JSON\n",
	  CMD_IN_ALL, CTL_ROLE_VIEW, cmd_show_events, engine_values },
};

int events_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, events_cmds, sizeof(events_cmds) / sizeof(events_cmds[0]),
				 err);
}
