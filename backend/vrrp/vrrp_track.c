#include "config.h"

#include "vrrp/vrrp_int.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

/* How often links are looked at. Polling (SIOCGIFFLAGS, which sees the
 * daemon's own network namespace) is enough for a fault to be noticed
 * well within one master-down interval. */
#define LINK_POLL_MS 500u

/* True when the interface exists, is up and has carrier. */
static bool link_up(struct vrrp_engine *eng, const char *name, bool *exists)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	*exists = ioctl(eng->ioctl_fd, SIOCGIFFLAGS, &ifr) == 0;
	return *exists && (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

void vrrp_track_instance(struct vrrp_instance *in)
{
	struct vrrp_engine *eng = in->eng;
	char reason[128] = "";
	bool exists, up;
	int ifindex, delta = 0;

	if (in->state == VRRP_STATE_DISABLED)
		return;
	ifindex = (int)if_nametoindex(in->s.interface);
	if (ifindex != in->ifindex) {
		/* Gone, or gone and back with a new index: the socket's
		 * binding and group membership are stale either way. */
		vrrp_sock_close(in);
		in->have_src = false;
		in->ifindex = ifindex;
	}
	up = link_up(eng, in->s.interface, &exists);
	if (!ifindex || !exists) {
		snprintf(reason, sizeof(reason), "interface %s does not exist", in->s.interface);
	} else if (in->fd < 0) {
		struct strbuf err = STRBUF_INIT;

		if (vrrp_sock_open(in, &err) < 0)
			snprintf(reason, sizeof(reason), "cannot listen on %s: %s",
				 in->s.interface, strbuf_str(&err));
		strbuf_free(&err);
	}
	if (!reason[0] && !up && !in->s.dont_track_primary)
		snprintf(reason, sizeof(reason), "interface %s is down", in->s.interface);
	if (!reason[0] && !vrrp_sock_refresh_src(in))
		snprintf(reason, sizeof(reason), "interface %s has no %s address",
			 in->s.interface, in->s.family == AF_INET ? "IPv4" : "IPv6 link-local");
	for (size_t i = 0; i < in->s.n_tracks; i++) {
		struct vrrp_track_if *t = &in->s.tracks[i];

		t->up = link_up(eng, t->name, &exists);
		/* keepalived: weight 0 faults the instance; a positive weight
		 * is added while up, a negative one while down. */
		if (!t->up && t->weight == 0 && !reason[0])
			snprintf(reason, sizeof(reason), "tracked interface %s is %s", t->name,
				 exists ? "down" : "missing");
		else if (t->up && t->weight > 0)
			delta += t->weight;
		else if (!t->up && t->weight < 0)
			delta += t->weight;
	}
	for (size_t i = 0; i < in->s.n_track_scripts; i++) {
		const struct vrrp_track_ref *t = &in->s.track_scripts[i];
		const struct vrrp_script *sc = vrrp_script_find(eng, t->name);
		/* keepalived sets a sync group member's script weights to 0:
		 * members with priorities moved apart would re-elect forever. */
		int w = in->group ? 0 : t->weight;

		/* Same rules as interfaces; a script not running (yet)
		 * counts as good, as it does before its first result. */
		if (!sc || sc->good) {
			if (w > 0)
				delta += w;
		} else if (w == 0) {
			if (!reason[0])
				snprintf(reason, sizeof(reason), "track script %s failed", t->name);
		} else {
			delta += w;
		}
	}
	in->track_delta = delta;
	vrrp_fsm_set_fault(in, reason);
	if (in->state == VRRP_STATE_MASTER || in->state == VRRP_STATE_BACKUP)
		vrrp_fsm_priority_changed(in, "tracked interface or script");
}

static void on_link_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct vrrp_engine *eng = arg;

	for (size_t i = 0; i < eng->n_insts; i++)
		vrrp_track_instance(eng->insts[i]);
	loop_timer_start(l, t, LINK_POLL_MS);
}

void vrrp_track_init(struct vrrp_engine *eng)
{
	loop_timer_init(&eng->link_timer, on_link_timer, eng);
}

void vrrp_track_start(struct vrrp_engine *eng)
{
	loop_timer_start(eng->loop, &eng->link_timer, LINK_POLL_MS);
}

void vrrp_track_stop(struct vrrp_engine *eng)
{
	loop_timer_stop(eng->loop, &eng->link_timer);
}
