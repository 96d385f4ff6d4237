/* vrrp_observe: other engines follow the instances' states (the LVS sync
 * daemon is master while its instance is MASTER). A fixed, small table in
 * the engine: observers are engines, registered once at their start. */
#include "config.h"

#include "vrrp/vrrp_int.h"

int vrrp_subscribe(struct vrrp_engine *eng, vrrp_observer_fn fn, void *arg)
{
	if (eng->n_observers == VRRP_MAX_OBSERVERS)
		return -1;
	eng->observers[eng->n_observers].fn = fn;
	eng->observers[eng->n_observers].arg = arg;
	eng->n_observers++;
	return 0;
}

void vrrp_unsubscribe(struct vrrp_engine *eng, vrrp_observer_fn fn, void *arg)
{
	for (size_t i = 0; i < eng->n_observers; i++) {
		if (eng->observers[i].fn != fn || eng->observers[i].arg != arg)
			continue;
		eng->observers[i] = eng->observers[--eng->n_observers];
		return;
	}
}

void vrrp_observe_notify(struct vrrp_instance *in, enum vrrp_state from)
{
	struct vrrp_engine *eng = in->eng;

	/* By index: an observer may unsubscribe itself from its callback. */
	for (size_t i = 0; i < eng->n_observers; i++)
		eng->observers[i].fn(in, from, eng->observers[i].arg);
}
