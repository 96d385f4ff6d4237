#include "config.h"

#include "vrrp/vrrp_int.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/log.h"
#include "vrrp/vrrp_pkt.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/* At most one log line per reason per instance in this many ms: a flood
 * of bad packets must not become a flood of log lines. */
#define DROP_LOG_INTERVAL_MS 10000u
/* At most one journal event per class per instance in this many ms: the
 * journal is a bounded ring shared by every engine, and each event may
 * become a notification, so a flood of forged adverts must neither push
 * the operator's history out nor flood the trap receiver. */
#define DROP_EVENT_INTERVAL_MS 10000u

enum drop_class { DROP_AUTH = 0, DROP_PROTO = 1, DROP_NONE };

/* The class of a drop reason and its name in the MIBs: VRRP-MIB's
 * vrrpTrapAuthErrorType, VRRPv3-MIB's vrrpv3StatisticsProtoErrReason.
 * VRID errors are left out: another router's VRID on a shared segment is
 * normal, not an error worth an event. */
static enum drop_class drop_class(enum vrrp_rx_result why, const char **mib_name)
{
	switch (why) {
	case VRRP_RX_AUTH_INVALID: *mib_name = "invalidAuthType"; return DROP_AUTH;
	case VRRP_RX_AUTH_MISMATCH: *mib_name = "authTypeMismatch"; return DROP_AUTH;
	case VRRP_RX_AUTH_FAIL: *mib_name = "authFailure"; return DROP_AUTH;
	case VRRP_RX_TTL: *mib_name = "ipTtlError"; return DROP_PROTO;
	case VRRP_RX_VERSION: *mib_name = "versionError"; return DROP_PROTO;
	case VRRP_RX_CHECKSUM: *mib_name = "checksumError"; return DROP_PROTO;
	default: *mib_name = NULL; return DROP_NONE;
	}
}

static void drop_event(struct vrrp_instance *in, enum vrrp_rx_result why,
		       const unsigned char *src, const char *detail, uint64_t now)
{
	const char *mib_name;
	enum drop_class c = drop_class(why, &mib_name);
	struct strbuf from = STRBUF_INIT, reason = STRBUF_INIT;
	char key[128];
	struct event_spec spec = { .engine = EVENT_VRRP, .kind = EVENT_ERROR, .object = key };

	if (c == DROP_NONE || !in->eng->d)
		return;
	if (in->drop_event_ms[c] && now - in->drop_event_ms[c] < DROP_EVENT_INTERVAL_MS) {
		in->drop_event_held[c]++;
		return;
	}
	vrrp_addr_text(in->s.family, src, &from);
	strbuf_printf(&reason, "%s from %s: %s%s%s", mib_name, strbuf_str(&from),
		      vrrp_rx_result_text(why), detail && *detail ? ": " : "",
		      detail ? detail : "");
	if (in->drop_event_held[c])
		strbuf_printf(&reason, " (and %llu more dropped since the last such event; "
			      "one event per 10 s)", (unsigned long long)in->drop_event_held[c]);
	snprintf(key, sizeof(key), "vrrp %s", in->name);
	spec.new_state = c == DROP_AUTH ? "auth-failure" : "protocol-error";
	spec.reason = strbuf_str(&reason);
	in->drop_event_ms[c] = now;
	in->drop_event_held[c] = 0;
	events_add(in->eng->d->events, &spec);
	strbuf_free(&from);
	strbuf_free(&reason);
}

void vrrp_stats_drop(struct vrrp_instance *in, enum vrrp_rx_result why,
		     const unsigned char *src, const char *detail)
{
	uint64_t now = loop_now_ms(in->eng->loop);
	struct strbuf from = STRBUF_INIT;

	if ((unsigned)why >= VRRP_RX_COUNT || why == VRRP_RX_OK)
		return;
	in->stats.drops[why]++;
	if (why == VRRP_RX_AUTH_INVALID || why == VRRP_RX_AUTH_MISMATCH ||
	    why == VRRP_RX_AUTH_FAIL) {
		memcpy(in->stats.last_auth_src, src, in->s.family == AF_INET6 ? 16 : 4);
		in->stats.last_auth_why = why;
	}
	drop_event(in, why, src, detail, now);
	/* Our own looped packets and other routers' VRIDs are normal. */
	if (why == VRRP_RX_OWN || why == VRRP_RX_VRID)
		return;
	if (in->last_log_ms[why] && now - in->last_log_ms[why] < DROP_LOG_INTERVAL_MS)
		return;
	in->last_log_ms[why] = now;
	vrrp_addr_text(in->s.family, src, &from);
	log_warn("VRRP instance %s: dropped an advert from %s: %s%s%s (%s now %llu; "
		 "one line per 10 s)", in->name, strbuf_str(&from), vrrp_rx_result_text(why),
		 detail && *detail ? ": " : "", detail ? detail : "",
		 vrrp_rx_result_name(why), (unsigned long long)in->stats.drops[why]);
	strbuf_free(&from);
}

struct json_object *vrrp_stats_json(const struct vrrp_stats *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "becomeMaster", json_object_new_int64((int64_t)st->become_master));
	json_object_object_add(o, "advertiseRcvd", json_object_new_int64((int64_t)st->advert_rcvd));
	json_object_object_add(o, "advertiseSent", json_object_new_int64((int64_t)st->advert_sent));
	json_object_object_add(o, "priorityZeroPktsRcvd",
			       json_object_new_int64((int64_t)st->prio_zero_rcvd));
	json_object_object_add(o, "priorityZeroPktsSent",
			       json_object_new_int64((int64_t)st->prio_zero_sent));
	for (int r = VRRP_RX_OK + 1; r < VRRP_RX_COUNT; r++)
		json_object_object_add(o, vrrp_rx_result_name((enum vrrp_rx_result)r),
				       json_object_new_int64((int64_t)st->drops[r]));
	return o;
}

void vrrp_stats_text(const struct vrrp_stats *st, struct strbuf *out)
{
	strbuf_printf(out, "    %-26s %llu\n", "becomeMaster", (unsigned long long)st->become_master);
	strbuf_printf(out, "    %-26s %llu\n", "advertiseRcvd", (unsigned long long)st->advert_rcvd);
	strbuf_printf(out, "    %-26s %llu\n", "advertiseSent", (unsigned long long)st->advert_sent);
	strbuf_printf(out, "    %-26s %llu\n", "priorityZeroPktsRcvd",
		      (unsigned long long)st->prio_zero_rcvd);
	strbuf_printf(out, "    %-26s %llu\n", "priorityZeroPktsSent",
		      (unsigned long long)st->prio_zero_sent);
	for (int r = VRRP_RX_OK + 1; r < VRRP_RX_COUNT; r++)
		strbuf_printf(out, "    %-26s %llu\n", vrrp_rx_result_name((enum vrrp_rx_result)r),
			      (unsigned long long)st->drops[r]);
}
