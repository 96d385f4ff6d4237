#include "config.h"

#include "vrrp/vrrp.h"
#include "core/log.h"

/* The script configured for entering state (notify_master ...), or NULL. */
static const char *script_for(const struct vrrp_settings *s, enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER: return s->notify_master;
	case VRRP_STATE_BACKUP: return s->notify_backup;
	case VRRP_STATE_FAULT: return s->notify_fault;
	case VRRP_STATE_INIT:
	case VRRP_STATE_DISABLED: return s->notify_stop;
	}
	return NULL;
}

void vrrp_notify(struct vrrp_instance *in, enum vrrp_state state)
{
	const char *script = script_for(&in->s, state);

	/* Scripts run in a helper process started at launch, never forked
	 * from this threaded daemon; until that runner lands, this is the
	 * one place that would hand them over. */
	if (script || in->s.notify)
		log_notice("VRRP instance %s: %s: notify scripts: not run yet "
			   "(script runner pending)", in->name, vrrp_state_name(state));
}
