#include "config.h"

#include "vrrp/vrrp_int.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "vrrp/vrrp_pacer.h"
#include "vrrp/vrrp_pkt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

const char *vrrp_state_name(enum vrrp_state st)
{
	switch (st) {
	case VRRP_STATE_INIT: return "INIT";
	case VRRP_STATE_BACKUP: return "BACKUP";
	case VRRP_STATE_MASTER: return "MASTER";
	case VRRP_STATE_FAULT: return "FAULT";
	case VRRP_STATE_DISABLED: return "DISABLED";
	}
	return "UNKNOWN";
}

/* ------------------------------------------------------------------ */
/* Timers                                                              */

/* The advertisement interval in force: v2 counts whole seconds; a v3
 * backup uses the interval its master advertises (RFC 5798 6.1). */
static unsigned adver_ms(const struct vrrp_instance *in, bool learned)
{
	if (in->s.version == 2) {
		unsigned s = in->s.advert_ms / 1000u;

		return (s ? s : 1u) * 1000u;
	}
	if (learned && in->master_adver_ms)
		return in->master_adver_ms;
	return in->s.advert_ms >= 10 ? in->s.advert_ms / 10u * 10u : 10u;
}

unsigned vrrp_fsm_skew_ms(const struct vrrp_instance *in)
{
	unsigned prio = (unsigned)in->priority;

	/* v2: (256 - Priority) / 256 seconds; v3: the same fraction of the
	 * master's advertisement interval. */
	if (in->s.version == 2)
		return (256u - prio) * 1000u / 256u;
	return (256u - prio) * adver_ms(in, true) / 256u;
}

unsigned vrrp_fsm_master_down_ms(const struct vrrp_instance *in)
{
	return 3u * adver_ms(in, true) + vrrp_fsm_skew_ms(in);
}

/* ------------------------------------------------------------------ */
/* Transitions                                                         */

/* Appends a transition to the history, dropping the oldest when full. */
static void record(struct vrrp_instance *in, enum vrrp_state from, enum vrrp_state to,
		   const char *reason)
{
	struct vrrp_transition *t;

	if (in->hist_len == VRRP_HISTORY) {
		memmove(in->hist, in->hist + 1, sizeof(in->hist[0]) * (VRRP_HISTORY - 1));
		in->hist_len--;
	}
	t = &in->hist[in->hist_len++];
	t->when = time(NULL);
	t->from = from;
	t->to = to;
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
}

/* True when another member of the instance's sync group is in a fault of
 * its own: one member in fault holds the whole group in fault. */
static bool group_fault(const struct vrrp_instance *in)
{
	const struct vrrp_group *g = in->group;

	if (!g)
		return false;
	for (size_t i = 0; i < g->n_members; i++)
		if (g->members[i] != in && g->members[i]->own_fault[0] &&
		    g->members[i]->state != VRRP_STATE_DISABLED)
			return true;
	return false;
}

/* Moves the other members of the instance's sync group along when it
 * becomes master, or stops being master. Faults travel separately
 * (vrrp_fsm_set_fault), since they depend on every member at once. */
static void sync_propagate(struct vrrp_instance *in, enum vrrp_state from,
			   enum vrrp_state to)
{
	struct vrrp_group *g = in->group;
	char why[160];

	if (!g || g->moving)
		return;
	if (to != VRRP_STATE_MASTER && !(from == VRRP_STATE_MASTER && to == VRRP_STATE_BACKUP))
		return;
	snprintf(why, sizeof(why), "sync group %s: %s is %s", g->name, in->name,
		 vrrp_state_name(to));
	g->moving = true;
	for (size_t i = 0; i < g->n_members; i++)
		if (g->members[i] != in)
			vrrp_fsm_follow(g->members[i], to, why);
	g->moving = false;
}

/* The daemon's event journal: "vrrp NAME", old -> new, why. */
static void journal(const struct vrrp_instance *in, enum event_kind kind, const char *from,
		    const char *to, const char *why)
{
	char key[128];
	struct event_spec spec = { .engine = EVENT_VRRP, .kind = kind, .object = key,
				   .old_state = from, .new_state = to, .reason = why };

	if (!in->eng->d)
		return;
	snprintf(key, sizeof(key), "vrrp %s", in->name);
	events_add(in->eng->d->events, &spec);
}

static void set_state(struct vrrp_instance *in, enum vrrp_state to, const char *reason)
{
	enum vrrp_state from = in->state;

	if (from == to)
		return;
	in->state = to;
	in->entered_ms = loop_now_ms(in->eng->loop);
	record(in, from, to, reason);
	log_notice("VRRP instance %s: %s -> %s (%s)", in->name, vrrp_state_name(from),
		   vrrp_state_name(to), reason);
	journal(in, EVENT_STATE, vrrp_state_name(from), vrrp_state_name(to), reason);
	if (to == VRRP_STATE_MASTER)
		in->stats.become_master++;
	vrrp_notify(in, to);
	vrrp_observe_notify(in, from);
	sync_propagate(in, from, to);
}

/* While the pacer thread sends a master's adverts, the loop's advert
 * timer only collects its counts, this often. */
#define PACED_BOOKKEEPING_MS 1000u

/* (Re)starts a master's periodic adverts at its current priority, the
 * next one an interval from now: from the pacer thread when it can, else
 * from the loop's timer. */
static void adverts_start(struct vrrp_instance *in)
{
	struct loop *l = in->eng->loop;

	if (vrrp_sock_pace(in, false) == 0) {
		in->paced = true;
		loop_timer_start(l, &in->adver_timer, PACED_BOOKKEEPING_MS);
		return;
	}
	if (in->paced)
		vrrp_fsm_adverts_stop(in);
	loop_timer_start(l, &in->adver_timer, adver_ms(in, false));
}

void vrrp_fsm_adverts_refresh(struct vrrp_instance *in)
{
	if (in->state == VRRP_STATE_MASTER && in->paced && vrrp_sock_pace(in, true) < 0)
		adverts_start(in);
}

void vrrp_fsm_adverts_sync(struct vrrp_instance *in)
{
	uint64_t sent, failed;
	int err;

	if (!in->paced || !in->eng->pacer)
		return;
	vrrp_pacer_take(in->eng->pacer, in, &sent, &failed, &err);
	in->stats.advert_sent += sent;
	if (failed) {
		uint64_t now = loop_now_ms(in->eng->loop);

		if (!in->last_send_log_ms || now - in->last_send_log_ms >= 10000u) {
			in->last_send_log_ms = now;
			log_warn("VRRP instance %s: %llu adverts could not be sent on %s: %s",
				 in->name, (unsigned long long)failed, in->s.interface,
				 strerror(err));
		}
	}
}

void vrrp_fsm_adverts_stop(struct vrrp_instance *in)
{
	if (in->paced && in->eng->pacer) {
		vrrp_fsm_adverts_sync(in);
		vrrp_pacer_clear(in->eng->pacer, in);
	}
	in->paced = false;
	loop_timer_stop(in->eng->loop, &in->adver_timer);
}

int64_t vrrp_fsm_advert_left_ms(struct vrrp_instance *in)
{
	uint64_t now;

	if (in->paced && in->eng->pacer)
		return vrrp_pacer_next_ms(in->eng->pacer, in);
	if (!loop_timer_pending(&in->adver_timer))
		return -1;
	now = loop_now_ms(in->eng->loop);
	return in->adver_timer.when_ms > now ? (int64_t)(in->adver_timer.when_ms - now) : 0;
}

static void become_master(struct vrrp_instance *in, const char *reason)
{
	struct loop *l = in->eng->loop;

	loop_timer_stop(l, &in->down_timer);
	in->hold_preempt = false;
	in->stop_heard = false;
	in->preempt_at_ms = 0;
	in->master_known = in->have_src;
	memcpy(in->master_addr, in->src, 16);
	in->master_prio = in->priority;
	set_state(in, VRRP_STATE_MASTER, reason);
	/* Advert first so the old master and the backups stand down, then
	 * the VIPs, then the ARP announcements that need them in place. */
	vrrp_sock_send_advert(in, in->priority);
	vrrp_vip_add_all(in);
	vrrp_vip_announce_start(in);
	adverts_start(in);
	(void)l;
}

/* Leaves MASTER without a priority-0 advert: someone better is there. */
static void drop_mastership(struct vrrp_instance *in)
{
	vrrp_fsm_adverts_stop(in);
	vrrp_vip_announce_stop(in);
	vrrp_vip_del_all(in);
}

static void become_backup(struct vrrp_instance *in, const char *reason)
{
	if (in->state == VRRP_STATE_MASTER)
		drop_mastership(in);
	loop_timer_start(in->eng->loop, &in->down_timer, vrrp_fsm_master_down_ms(in));
	set_state(in, VRRP_STATE_BACKUP, reason);
}

/* The next advert is due one interval after this one was due, not after
 * it actually left: on a loaded machine each wake-up is a little late,
 * and re-arming from "now" would add that lateness up, advert after
 * advert (the gaps would average above the interval). A master more than
 * a whole interval behind starts afresh rather than sending a burst. */
static void on_adver_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_instance *in = arg;
	uint64_t ival = adver_ms(in, false), due = t->when_ms + ival;
	uint64_t now = loop_update_time(l);

	if (in->state != VRRP_STATE_MASTER)
		return;
	if (in->paced) {
		/* the pacer sends; this only keeps the books */
		vrrp_fsm_adverts_sync(in);
		loop_timer_start(l, t, PACED_BOOKKEEPING_MS);
		return;
	}
	vrrp_sock_send_advert(in, in->priority);
	loop_timer_start(l, t, due > now ? due - now : due + ival > now ? 0 : ival);
}

static void on_down_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_instance *in = arg;
	char why[96];

	if (in->state != VRRP_STATE_BACKUP)
		return;
	if (in->stop_heard)
		snprintf(why, sizeof(why), "the master left (priority 0); skew time %u ms",
			 vrrp_fsm_skew_ms(in));
	else
		snprintf(why, sizeof(why), "no advert from a master for %u ms",
			 vrrp_fsm_master_down_ms(in));
	become_master(in, why);
}

void vrrp_fsm_init(struct vrrp_instance *in)
{
	loop_timer_init(&in->adver_timer, on_adver_timer, in);
	loop_timer_init(&in->down_timer, on_down_timer, in);
	in->state = VRRP_STATE_INIT;
}

/* The priority in force: the owner's 255 is never changed; otherwise the
 * operator's override or the configured one, moved by the track weights,
 * within 1-254. */
static int effective_priority(const struct vrrp_instance *in)
{
	int p;

	if (in->s.base_priority >= VRRP_PRIO_OWNER)
		return VRRP_PRIO_OWNER;
	p = (in->prio_override ? in->prio_override : in->s.base_priority) + in->track_delta;
	return p < 1 ? 1 : p > 254 ? 254 : p;
}

void vrrp_fsm_start(struct vrrp_instance *in, const char *reason)
{
	bool from_init = in->state == VRRP_STATE_INIT;

	in->priority = effective_priority(in);
	if (in->own_fault[0] || group_fault(in)) {
		set_state(in, VRRP_STATE_FAULT, in->own_fault[0] ? in->own_fault
					       : "a sync group member is in fault");
		return;
	}
	in->master_adver_ms = 0;
	in->master_known = false;
	if (in->priority == VRRP_PRIO_OWNER || (from_init && in->s.want_master)) {
		char why[160];

		snprintf(why, sizeof(why), "%s; %s", reason,
			 in->priority == VRRP_PRIO_OWNER ? "address owner (priority 255)"
							 : "configured state MASTER");
		become_master(in, why);
	} else {
		/* Only a master may hold the VIPs, even ones a previous run of
		 * softlbd left behind when it was killed. */
		if (from_init)
			vrrp_vip_purge(in);
		become_backup(in, reason);
	}
}

void vrrp_fsm_shutdown(struct vrrp_instance *in, enum vrrp_state to, const char *reason)
{
	struct loop *l = in->eng->loop;

	if (in->state == VRRP_STATE_MASTER) {
		/* Priority 0 tells the backups to take over after their skew
		 * time instead of three intervals. */
		vrrp_sock_send_advert(in, VRRP_PRIO_STOP);
		drop_mastership(in);
	}
	vrrp_fsm_adverts_stop(in);
	loop_timer_stop(l, &in->down_timer);
	set_state(in, to, reason);
}

void vrrp_fsm_rx(struct vrrp_instance *in, const struct vrrp_adv *adv,
		 const unsigned char *src)
{
	struct loop *l = in->eng->loop;
	char why[160], from[64];
	struct strbuf sb = STRBUF_INIT;

	in->stats.advert_rcvd++;
	if (adv->priority == VRRP_PRIO_STOP)
		in->stats.prio_zero_rcvd++;
	vrrp_addr_text(in->s.family, src, &sb);
	snprintf(from, sizeof(from), "%s", strbuf_str(&sb));
	strbuf_free(&sb);

	if (in->state == VRRP_STATE_BACKUP) {
		bool may_preempt = !in->s.nopreempt && !in->hold_preempt;

		if (adv->priority == VRRP_PRIO_STOP) {
			/* The master is leaving: take over after the skew time. */
			in->stop_heard = true;
			loop_timer_start(l, &in->down_timer, vrrp_fsm_skew_ms(in));
			return;
		}
		in->stop_heard = false;
		if (!may_preempt || adv->priority >= in->priority) {
			if (in->s.version == 3)
				in->master_adver_ms = adv->interval_ms;
			in->master_known = true;
			memcpy(in->master_addr, src, 16);
			in->master_prio = adv->priority;
			in->preempt_at_ms = 0;
			loop_timer_start(l, &in->down_timer, vrrp_fsm_master_down_ms(in));
			return;
		}
		/* A lower-priority master: preempt_delay holds us back for a
		 * while after we first see it; then the advert is discarded
		 * and the master-down timer makes us master. */
		if (in->s.preempt_delay_ms) {
			uint64_t now = loop_now_ms(l);

			if (!in->preempt_at_ms)
				in->preempt_at_ms = now + in->s.preempt_delay_ms;
			if (now < in->preempt_at_ms) {
				in->master_known = true;
				memcpy(in->master_addr, src, 16);
				in->master_prio = adv->priority;
				loop_timer_start(l, &in->down_timer, vrrp_fsm_master_down_ms(in));
			}
		}
		return;
	}
	if (in->state != VRRP_STATE_MASTER)
		return;
	if (adv->priority == VRRP_PRIO_STOP) {
		/* Another master leaving: make sure the backups hear us now. */
		vrrp_sock_send_advert(in, in->priority);
		adverts_start(in);
		return;
	}
	if (adv->priority > in->priority ||
	    (adv->priority == in->priority &&
	     memcmp(src, in->src, vrrp_addr_len(in->s.family)) > 0)) {
		if (in->s.version == 3)
			in->master_adver_ms = adv->interval_ms;
		in->master_known = true;
		memcpy(in->master_addr, src, 16);
		in->master_prio = adv->priority;
		snprintf(why, sizeof(why), "%s priority %d from %s (ours %d)",
			 adv->priority > in->priority ? "higher" : "equal, higher address,",
			 adv->priority, from, in->priority);
		become_backup(in, why);
		return;
	}
	/* A lower-priority master: answer at once so that it stands down
	 * now rather than at our next interval (keepalived does the same). */
	vrrp_sock_send_advert(in, in->priority);
	adverts_start(in);
}

void vrrp_fsm_set_fault(struct vrrp_instance *in, const char *reason)
{
	struct vrrp_group *g = in->group;
	char why[192];

	if (strcmp(in->own_fault, reason) == 0)
		return;
	if (reason[0]) {
		snprintf(in->own_fault, sizeof(in->own_fault), "%s", reason);
		if (in->state == VRRP_STATE_BACKUP || in->state == VRRP_STATE_MASTER)
			vrrp_fsm_shutdown(in, VRRP_STATE_FAULT, reason);
		if (!g)
			return;
		snprintf(why, sizeof(why), "sync group %s: %s is in fault (%s)", g->name,
			 in->name, reason);
		for (size_t i = 0; i < g->n_members; i++) {
			struct vrrp_instance *m = g->members[i];

			if (m != in && (m->state == VRRP_STATE_BACKUP ||
					m->state == VRRP_STATE_MASTER))
				vrrp_fsm_shutdown(m, VRRP_STATE_FAULT, why);
		}
		return;
	}
	in->own_fault[0] = '\0';
	if (in->state == VRRP_STATE_FAULT && !group_fault(in))
		vrrp_fsm_start(in, "fault cleared");
	if (!g)
		return;
	snprintf(why, sizeof(why), "sync group %s: %s left fault", g->name, in->name);
	for (size_t i = 0; i < g->n_members; i++) {
		struct vrrp_instance *m = g->members[i];

		if (m != in && m->state == VRRP_STATE_FAULT && !m->own_fault[0] &&
		    !group_fault(m))
			vrrp_fsm_start(m, why);
	}
}

void vrrp_fsm_priority_changed(struct vrrp_instance *in, const char *why)
{
	int p = effective_priority(in);

	if (p == in->priority)
		return;
	log_notice("VRRP instance %s: priority %d -> %d (%s)", in->name, in->priority, p, why);
	{
		char from[16], to[16];

		snprintf(from, sizeof(from), "priority %d", in->priority);
		snprintf(to, sizeof(to), "priority %d", p);
		journal(in, EVENT_STATE, from, to, why);
	}
	in->priority = p;
	/* A master says so at once, so that a better backup preempts now. */
	if (in->state == VRRP_STATE_MASTER) {
		vrrp_sock_send_advert(in, in->priority);
		adverts_start(in);
	}
}

void vrrp_fsm_interval_changed(struct vrrp_instance *in)
{
	struct loop *l = in->eng->loop;

	if (in->state == VRRP_STATE_MASTER)
		adverts_start(in);
	else if (in->state == VRRP_STATE_BACKUP)
		loop_timer_start(l, &in->down_timer, vrrp_fsm_master_down_ms(in));
}

/* Hands one master over: priority 0, then backup without preemption. */
static void hand_over(struct vrrp_instance *in, const char *reason)
{
	vrrp_sock_send_advert(in, VRRP_PRIO_STOP);
	drop_mastership(in);
	/* Stay backup while someone else advertises, whatever our priority:
	 * without this, preemption would take mastership straight back. */
	in->hold_preempt = true;
	in->master_adver_ms = 0;
	become_backup(in, reason);
}

int vrrp_fsm_handover(struct vrrp_instance *in, struct strbuf *err)
{
	struct vrrp_group *g = in->group;

	if (in->state != VRRP_STATE_MASTER) {
		strbuf_printf(err, "%s is %s, not MASTER: nothing to hand over", in->name,
			      vrrp_state_name(in->state));
		return -1;
	}
	if (!g) {
		hand_over(in, "handover by operator (priority 0 sent)");
		return 0;
	}
	/* A sync group moves as one: every master member hands over the same
	 * way, or the members left behind would preempt the others back. */
	g->moving = true;
	for (size_t i = 0; i < g->n_members; i++)
		if (g->members[i]->state == VRRP_STATE_MASTER)
			hand_over(g->members[i], g->members[i] == in
				  ? "handover by operator (priority 0 sent)"
				  : "handover of its sync group by operator (priority 0 sent)");
	g->moving = false;
	return 0;
}

int vrrp_fsm_disable(struct vrrp_instance *in, struct strbuf *err)
{
	if (in->state == VRRP_STATE_DISABLED) {
		strbuf_printf(err, "%s is already disabled", in->name);
		return -1;
	}
	vrrp_fsm_shutdown(in, VRRP_STATE_DISABLED, "disabled by operator");
	return 0;
}

int vrrp_fsm_enable(struct vrrp_instance *in, struct strbuf *err)
{
	if (in->state != VRRP_STATE_DISABLED) {
		strbuf_printf(err, "%s is not disabled (it is %s)", in->name,
			      vrrp_state_name(in->state));
		return -1;
	}
	in->hold_preempt = false;
	vrrp_fsm_start(in, "enabled by operator");
	return 0;
}

void vrrp_fsm_follow(struct vrrp_instance *in, enum vrrp_state to, const char *reason)
{
	if (to == VRRP_STATE_MASTER && in->state == VRRP_STATE_BACKUP)
		become_master(in, reason);
	else if (to == VRRP_STATE_BACKUP && in->state == VRRP_STATE_MASTER)
		become_backup(in, reason);
}
