/* The health-check engine: targets, their schedule, the rise/fall state
 * machine, observers, apply (check.h). The connections the socket
 * checkers share are in check_conn.c. */
#include "config.h"

#include "check/check.h"

#include "check/check_int.h"
#include "core/events.h"
#include "core/log.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <openssl/ssl.h>

static const char *const code_names[CHECK_CODE_COUNT] = {
	[CHECK_CODE_INI] = "INI",	[CHECK_CODE_SOCKERR] = "SOCKERR",
	[CHECK_CODE_L4OK] = "L4OK",	[CHECK_CODE_L4TOUT] = "L4TOUT",
	[CHECK_CODE_L4CON] = "L4CON",	[CHECK_CODE_L6OK] = "L6OK",
	[CHECK_CODE_L6TOUT] = "L6TOUT",	[CHECK_CODE_L6RSP] = "L6RSP",
	[CHECK_CODE_L7OK] = "L7OK",	[CHECK_CODE_L7TOUT] = "L7TOUT",
	[CHECK_CODE_L7RSP] = "L7RSP",	[CHECK_CODE_L7STS] = "L7STS",
	[CHECK_CODE_PROCOK] = "PROCOK",	[CHECK_CODE_PROCERR] = "PROCERR",
	[CHECK_CODE_PROCTOUT] = "PROCTOUT",
};

const char *check_code_name(enum check_code c)
{
	return (unsigned)c < CHECK_CODE_COUNT ? code_names[c] : "?";
}

const char *check_state_name(enum check_state s)
{
	return s == CHECK_UP ? "UP" : "DOWN";
}

void check_put_secs(struct strbuf *out, unsigned ms)
{
	if (ms % 1000 == 0)
		strbuf_printf(out, "%u s", ms / 1000);
	else if (ms % 100 == 0)
		strbuf_printf(out, "%u.%u s", ms / 1000, ms % 1000 / 100);
	else
		strbuf_printf(out, "%u.%03u s", ms / 1000, ms % 1000);
}

void check_progress(const struct check_target *t, struct strbuf *out)
{
	strbuf_puts(out, check_state_name(t->state));
	if (t->state == CHECK_UP && t->fails > 0)
		strbuf_printf(out, " %d/%d", t->fails, t->def.fall);
	else if (t->state == CHECK_DOWN && t->succ > 0)
		strbuf_printf(out, " %d/%d", t->succ, t->def.rise);
}

const char *check_kind_label(const struct check_target *t)
{
	if (t->def.origin == CHECK_FROM_HAPROXY)
		return t->def.kind == CHECK_KIND_HTTP ? "httpchk" : "check";
	switch (t->def.kind) {
	case CHECK_KIND_TCP: return "TCP_CHECK";
	case CHECK_KIND_HTTP: return "HTTP_GET";
	case CHECK_KIND_SSL: return "SSL_GET";
	case CHECK_KIND_MISC: return "MISC_CHECK";
	}
	return "?";
}

/* ------------------------------------------------------------------ */
/* Engine                                                              */

struct check_engine *check_engine_new(struct loop *l, struct script_runner *scripts)
{
	struct check_engine *e = xcalloc(1, sizeof(*e));

	e->loop = l;
	e->scripts = scripts;
	e->rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() ^ loop_now_ms(l);
	check_events_init(&e->events, CHECK_EVENTS_MAX);
	return e;
}

/* Stops whatever t is doing: its run (without a result) and its timers. */
static void target_halt(struct check_target *t)
{
	struct check_engine *e = t->e;

	if (t->running) {
		t->ops->abort(t);
		check_conn_close(t, true);
		t->running = false;
	}
	loop_timer_stop(e->loop, &t->timer);
}

void check_engine_free(struct check_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_targets; i++) {
		target_halt(e->targets[i]);
		check_target_free(e->targets[i]);
	}
	free(e->targets);
	check_conn_pool_free(e);
	check_notify_free(e);
	check_events_free(&e->events);
	if (e->ssl_ctx)
		SSL_CTX_free(e->ssl_ctx);
	free(e);
}

/* How long softlbd waits at exit for the omega notify_down scripts, as
 * the VRRP engine waits for notify_stop: bounded so that a hung script
 * cannot hold up a stop. What still runs then is killed. */
#define CHECK_OMEGA_WAIT_MS 5000u

void check_engine_shutdown(struct check_engine *e)
{
	uint64_t deadline;

	if (!e)
		return;
	/* No check may run or move a state from here on. */
	for (size_t i = 0; i < e->n_targets; i++)
		target_halt(e->targets[i]);
	for (size_t i = 0; i < e->n_targets; i++)
		check_notify_gone(e, e->targets, e->n_targets, i, "softlbd stopping");
	deadline = loop_update_time(e->loop) + CHECK_OMEGA_WAIT_MS;
	while (e->n_notify && loop_update_time(e->loop) < deadline)
		if (loop_run_once(e->loop, 100) < 0)
			break;
	check_engine_free(e);
}

static int cmp_target_name(const void *a, const void *b)
{
	const struct check_target *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

struct check_target *check_find(const struct check_engine *e, const char *name)
{
	struct check_target key = { .name = (char *)name }, *kp = &key, **hit;

	if (!e->n_targets)
		return NULL;
	hit = bsearch(&kp, e->targets, e->n_targets, sizeof(*e->targets), cmp_target_name);
	return hit ? *hit : NULL;
}

static uint64_t rng_next(struct check_engine *e)
{
	/* xorshift64: start spreading needs no more. */
	e->rng ^= e->rng << 13;
	e->rng ^= e->rng >> 7;
	e->rng ^= e->rng << 17;
	return e->rng;
}

static void on_timer(struct loop *l, struct loop_timer *tm, void *arg);

/* First schedule of a new target: somewhere in the warmup, or in the
 * interval, so a thousand targets do not all connect at once. */
static void target_launch(struct check_engine *e, struct check_target *t)
{
	unsigned span = t->def.warmup_ms ? t->def.warmup_ms : t->def.inter_ms;

	t->e = e;
	loop_timer_init(&t->timer, on_timer, t);
	t->since = time(NULL);
	t->since_ms = loop_now_ms(e->loop);
	loop_timer_start(e->loop, &t->timer, span ? rng_next(e) % span : 0);
}

int check_engine_apply(struct check_engine *e, const struct config *cfg, struct strbuf *err)
{
	struct check_target **fresh = NULL;
	size_t n_fresh = 0, kept = 0, added = 0, removed = 0;

	if (cfg && check_build_targets(e, cfg, &fresh, &n_fresh, err) < 0)
		return -1;
	/* New targets are spread from now: the loop's time dates from
	 * before the configuration was read (a second at 10,000 targets),
	 * and starts spread from then would be partly overdue, all at once. */
	loop_update_time(e->loop);
	/* Pair by name; an equal definition keeps the old target (its
	 * state, counters, timers and a run in progress). */
	for (size_t i = 0; i < n_fresh; i++) {
		struct check_target *old = check_find(e, fresh[i]->name);

		if (old && strcmp(old->sig, fresh[i]->sig) == 0) {
			struct strvec up = old->notify_up, down = old->notify_down;
			char *user = old->notify_user;

			/* The same check; its notify scripts may have changed. */
			old->notify_up = fresh[i]->notify_up;
			old->notify_down = fresh[i]->notify_down;
			old->notify_user = fresh[i]->notify_user;
			old->omega = fresh[i]->omega;
			fresh[i]->notify_up = up;
			fresh[i]->notify_down = down;
			fresh[i]->notify_user = user;
			check_target_free(fresh[i]);
			fresh[i] = old;
			kept++;
			continue;
		}
		target_launch(e, fresh[i]);
		added++;
	}
	/* omega: a real server that was up and leaves with this change runs
	 * its notify_down, before its targets are freed. Only targets with
	 * omega pay for the search. */
	for (size_t i = 0; i < e->n_targets; i++) {
		struct check_target *old = e->targets[i];
		bool stays = false;

		if (!old->omega || !old->notify_down.len)
			continue;
		for (size_t j = 0; j < n_fresh && !stays; j++)
			stays = strcmp(fresh[j]->group, old->group) == 0 &&
				strcmp(fresh[j]->member, old->member) == 0;
		if (!stays)
			check_notify_gone(e, e->targets, e->n_targets, i, "removed by a reload");
	}
	for (size_t i = 0; i < e->n_targets; i++) {
		struct check_target *old = e->targets[i];
		struct check_target key = { .name = old->name }, *kp = &key, **hit = NULL;

		if (n_fresh)
			hit = bsearch(&kp, fresh, n_fresh, sizeof(*fresh), cmp_target_name);
		if (hit && *hit == old)
			continue;
		target_halt(old);
		check_target_free(old);
		removed++;
	}
	free(e->targets);
	e->targets = fresh;
	e->n_targets = n_fresh;
	e->results_gen++;
	if (added || removed)
		log_info("checks: %zu targets (%zu kept, %zu new or changed, %zu removed)", n_fresh,
			 kept, added, removed);
	return 0;
}

void check_engine_counts(const struct check_engine *e, size_t *targets, size_t *up,
			 size_t *down, size_t *paused)
{
	*targets = e->n_targets;
	*up = *down = *paused = 0;
	for (size_t i = 0; i < e->n_targets; i++) {
		if (e->targets[i]->state == CHECK_UP)
			(*up)++;
		else
			(*down)++;
		if (e->targets[i]->paused)
			(*paused)++;
	}
}

void check_engine_socket_counts(const struct check_engine *e, uint64_t *opened,
				uint64_t *reused)
{
	*opened = e->sockets_opened;
	*reused = e->sockets_reused;
}

int check_member_state(const struct check_engine *e, const char *group, const char *member)
{
	int st = -1;

	for (size_t i = 0; i < e->n_targets; i++) {
		const struct check_target *t = e->targets[i];

		if (strcmp(t->group, group) != 0 || strcmp(t->member, member) != 0)
			continue;
		if (t->state == CHECK_DOWN)
			return 0;
		st = 1;
	}
	return st;
}

static void member_info(const struct check_target *t, struct check_member_info *out)
{
	struct strbuf p = STRBUF_INIT;

	check_progress(t, &p);
	snprintf(out->progress, sizeof(out->progress), "%s", strbuf_str(&p));
	strbuf_free(&p);
	out->state = t->state;
	out->code = t->code;
	snprintf(out->reason, sizeof(out->reason), "%s", t->reason);
	out->last_check = t->fresh ? 0 : t->last_check;
	out->latency_ms = t->latency_ms;
}

uint64_t check_results_gen(const struct check_engine *e)
{
	return e->results_gen;
}

int check_member_info(const struct check_engine *e, const char *group, const char *member,
		      struct check_member_info *out)
{
	for (size_t i = 0; i < e->n_targets; i++) {
		const struct check_target *t = e->targets[i];

		if (strcmp(t->group, group) != 0 || strcmp(t->member, member) != 0)
			continue;
		member_info(t, out);
		return 0;
	}
	return -1;
}

void check_visit_members(const struct check_engine *e, check_member_fn fn, void *arg)
{
	for (size_t i = 0; i < e->n_targets; i++) {
		struct check_member_info ci;

		member_info(e->targets[i], &ci);
		fn(e->targets[i]->group, e->targets[i]->member, &ci, arg);
	}
}

int check_subscribe(struct check_engine *e, check_observer_fn fn, void *arg)
{
	if (e->n_obs >= CHECK_MAX_OBSERVERS)
		return -1;
	e->obs[e->n_obs].fn = fn;
	e->obs[e->n_obs].arg = arg;
	e->n_obs++;
	return 0;
}

void check_unsubscribe(struct check_engine *e, check_observer_fn fn, void *arg)
{
	for (size_t i = 0; i < e->n_obs; i++) {
		if (e->obs[i].fn == fn && e->obs[i].arg == arg) {
			memmove(&e->obs[i], &e->obs[i + 1], (e->n_obs - i - 1) * sizeof(e->obs[0]));
			e->n_obs--;
			return;
		}
	}
}

static void notify(struct check_target *t, enum check_state from, bool weight_changed)
{
	struct check_change c = {
		.target = t->name, .origin = t->def.origin, .group = t->group,
		.member = t->member, .from = from, .to = t->state,
		.weight_changed = weight_changed, .weight = t->weight, .code = t->code,
		.reason = t->reason,
	};

	for (size_t i = 0; i < t->e->n_obs; i++)
		t->e->obs[i].fn(&c, t->e->obs[i].arg);
}

/* ------------------------------------------------------------------ */
/* Runs and the state machine                                          */

/* The delay before the next run: steady UP at inter, moving at fastinter
 * (keepalived: delay_before_retry while retrying), steady DOWN at
 * downinter. */
static unsigned next_delay(const struct check_target *t)
{
	if (t->state == CHECK_UP)
		return t->fails > 0 ? t->def.fastinter_ms : t->def.inter_ms;
	return t->succ > 0 ? t->def.fastinter_ms : t->def.downinter_ms;
}

static void start_run(struct check_target *t)
{
	t->running = true;
	t->connected = false;
	t->timeout_code = CHECK_CODE_L7TOUT;
	t->timeout_what = "response";
	t->fd = -1;
	t->fd_pooled = false;
	t->fd_watched = false;
	t->on_event = NULL;
	t->probe_idx = 0;
	t->run_start_ms = loop_update_time(t->e->loop);
	t->ops->start(t);
}

/* The run's timeout: ends it with the code of the step it was at. */
static void run_timeout(struct loop *l, struct check_target *t)
{
	struct strbuf secs = STRBUF_INIT;

	/* On a busy machine the answer may be waiting in the kernel behind
	 * thousands of other events the loop has not reached yet: look
	 * before calling it a timeout, and let the checker take it. Still
	 * running with no new deadline after that: a timeout after all. */
	if (t->fd >= 0 && t->on_event) {
		struct pollfd p = { .fd = t->fd, .events = t->connected ? POLLIN : POLLOUT };

		if (poll(&p, 1, 0) == 1 && p.revents) {
			/* POLL* and EPOLL* bits are the same on Linux. */
			t->on_event(l, t->fd, (uint32_t)p.revents, t);
			if (!t->running || loop_timer_pending(&t->timer))
				return;
		}
	}
	/* The reason names the configured timeout, which is what the
	 * operator can compare and change; the run's real duration is in
	 * the event (check_ms), where a loaded loop's lateness shows. */
	check_put_secs(&secs, t->connected ? t->def.io_timeout_ms : t->def.connect_timeout_ms);
	if (!t->connected)
		check_run_end(t, false, CHECK_CODE_L4TOUT, "connect timeout after %s",
			      strbuf_str(&secs));
	else
		check_run_end(t, false, t->timeout_code, "%s timeout after %s", t->timeout_what,
			      strbuf_str(&secs));
	strbuf_free(&secs);
}

/* The target's one timer: a timeout while running, else the next run. */
static void on_timer(struct loop *l, struct loop_timer *tm, void *arg)
{
	struct check_target *t = arg;

	if (t->running)
		run_timeout(l, t);
	else if (!t->paused)
		start_run(t);
}

/* The journal's key of what a target checks: the real server or the
 * proxy server, as the diff and show events name them. */
static void journal_key(const struct check_target *t, struct strbuf *out)
{
	if (t->def.origin == CHECK_FROM_KEEPALIVED)
		strbuf_printf(out, "rs %s %s", t->group, t->member);
	else
		strbuf_printf(out, "server %s/%s", t->group, t->member);
}

static void journal_transition(const struct check_target *t, enum check_state from)
{
	struct strbuf key = STRBUF_INIT, why = STRBUF_INIT;
	struct event_spec spec = { .engine = EVENT_CHECK, .kind = EVENT_HEALTH };

	if (!t->e->journal)
		return;
	journal_key(t, &key);
	strbuf_printf(&why, "%s: %s (%s)", t->name, t->reason, check_code_name(t->code));
	spec.object = strbuf_str(&key);
	spec.old_state = check_state_name(from);
	spec.new_state = check_state_name(t->state);
	spec.reason = strbuf_str(&why);
	events_add(t->e->journal, &spec);
	strbuf_free(&key);
	strbuf_free(&why);
}

static void record_transition(struct check_target *t, enum check_state from, uint64_t now)
{
	struct check_event ev = {
		.kind = CHECK_EV_TRANSITION, .when = time(NULL), .from = from, .to = t->state,
		.code = t->code, .check_ms = t->latency_ms, .prev_ms = now - t->since_ms,
		.weight = t->weight,
	};

	snprintf(ev.reason, sizeof(ev.reason), "%s", t->reason);
	check_events_push(&t->e->events, &ev, t->name);
	journal_transition(t, from);
	log_notice("check %s: %s -> %s: %s (%s, check %u ms)", t->name, check_state_name(from),
		   check_state_name(t->state), t->reason, check_code_name(t->code),
		   t->latency_ms);
	t->since = ev.when;
	t->since_ms = now;
}

void check_run_end(struct check_target *t, bool ok, enum check_code code, const char *fmt, ...)
{
	struct check_engine *e = t->e;
	enum check_state from = t->state;
	uint64_t now = loop_update_time(e->loop);
	va_list ap;

	if (!t->running)
		return;
	/* The reason first: its arguments may point into the checker's
	 * state, which abort() frees. */
	va_start(ap, fmt);
	vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
	va_end(ap);
	t->ops->abort(t);
	check_conn_close(t, true);
	t->running = false;
	t->code = code;
	t->latency_ms = (unsigned)(now - t->run_start_ms);
	t->last_check = time(NULL);
	t->e->results_gen++;
	t->runs++;
	if (ok) {
		t->n_ok++;
		t->fails = 0;
		if (t->state == CHECK_DOWN && ++t->succ >= t->def.rise) {
			t->state = CHECK_UP;
			t->succ = 0;
		}
	} else {
		t->n_failed++;
		t->succ = 0;
		/* HAProxy starts a server UP with the least health: its
		 * first failure takes it down. */
		if (t->state == CHECK_UP &&
		    (++t->fails >= t->def.fall ||
		     (t->fresh && t->def.origin == CHECK_FROM_HAPROXY))) {
			t->state = CHECK_DOWN;
			t->fails = 0;
		}
	}
	t->fresh = false;
	if (t->state != from) {
		record_transition(t, from, now);
		notify(t, from, false);
		check_notify_transition(t, from);
	}
	/* The timer was the run's timeout: now it is the next run. */
	if (!t->paused)
		loop_timer_start(e->loop, &t->timer, next_delay(t));
	else
		loop_timer_stop(e->loop, &t->timer);
}

void check_set_weight(struct check_target *t, int weight)
{
	struct check_event ev = { .kind = CHECK_EV_WEIGHT, .when = time(NULL), .from = t->state,
				  .to = t->state, .code = t->code, .weight = weight };

	if (t->weight == weight)
		return;
	t->weight = weight;
	snprintf(ev.reason, sizeof(ev.reason), "weight %d", weight);
	check_events_push(&t->e->events, &ev, t->name);
	log_info("check %s: weight %d", t->name, weight);
	notify(t, t->state, true);
}

void check_target_pause(struct check_target *t)
{
	struct check_event ev = { .kind = CHECK_EV_PAUSED, .when = time(NULL), .from = t->state,
				  .to = t->state, .code = t->code, .weight = t->weight };

	if (t->paused)
		return;
	target_halt(t);
	t->paused = true;
	snprintf(ev.reason, sizeof(ev.reason), "paused by an operator; state kept");
	check_events_push(&t->e->events, &ev, t->name);
}

void check_target_resume(struct check_target *t)
{
	struct check_event ev = { .kind = CHECK_EV_RESUMED, .when = time(NULL), .from = t->state,
				  .to = t->state, .code = t->code, .weight = t->weight };

	if (!t->paused)
		return;
	t->paused = false;
	snprintf(ev.reason, sizeof(ev.reason), "resumed by an operator");
	check_events_push(&t->e->events, &ev, t->name);
	loop_timer_start(t->e->loop, &t->timer, 0);
}

int check_target_run_now(struct check_target *t)
{
	if (t->running)
		return -1;
	loop_timer_stop(t->e->loop, &t->timer);
	start_run(t);
	return 0;
}
