#include "config.h"

#include "vrrp/vrrp.h"
#include "core/log.h"
#include "vrrp/vrrp_pkt.h"

#include <json-c/json.h>
#include <string.h>
#include <sys/socket.h>

/* At most one log line per reason per instance in this many ms: a flood
 * of bad packets must not become a flood of log lines. */
#define DROP_LOG_INTERVAL_MS 10000u

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
