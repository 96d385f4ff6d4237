/* lvs_vrrp: the connection sync daemon follows its VRRP instance, as
 * keepalived's lvs_sync_daemon does: master while the instance is MASTER
 * (it sends the connection table), backup otherwise (it receives it), so
 * that after a failover the new master already knows the established
 * connections. */
#include "config.h"

#include "lvs/lvs_int.h"

#include <string.h>

#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "vrrp/vrrp.h"

static void on_vrrp(const struct vrrp_instance *in, enum vrrp_state from, void *arg)
{
	struct lvs_engine *e = arg;
	const struct config *cfg = e->d->config;
	struct strbuf err = STRBUF_INIT;

	if (!cfg || !cfg->global.sync.interface || !cfg->global.sync.instance ||
	    strcmp(cfg->global.sync.instance, in->name) != 0)
		return;
	/* Only MASTER matters: every other state means backup. */
	if ((from == VRRP_STATE_MASTER) == (in->state == VRRP_STATE_MASTER))
		return;
	log_notice("LVS: VRRP instance %s is %s: sync daemon becomes %s", in->name,
		   vrrp_state_name(in->state), in->state == VRRP_STATE_MASTER ? "master" : "backup");
	/* The sync daemon alone: no service changes with it. */
	e->mark_daemon = true;
	if (lvs_flush(e, cfg, false, &err) < 0)
		log_warn("LVS: %s", strbuf_str(&err));
	strbuf_free(&err);
}

void lvs_vrrp_start(struct lvs_engine *e)
{
	struct vrrp_engine *v = vrrp_engine_of(e->d);

	if (!v || e->vrrp_followed)
		return;
	if (vrrp_subscribe(v, on_vrrp, e) < 0) {
		log_warn("LVS: cannot follow VRRP (too many observers): the sync daemon keeps its configured role");
		return;
	}
	e->vrrp_followed = true;
}

void lvs_vrrp_stop(struct lvs_engine *e)
{
	struct vrrp_engine *v = vrrp_engine_of(e->d);

	if (v && e->vrrp_followed)
		vrrp_unsubscribe(v, on_vrrp, e);
	e->vrrp_followed = false;
}

int lvs_vrrp_is_master(const struct lvs_engine *e, const char *name)
{
	struct vrrp_engine *v = vrrp_engine_of(e->d);
	struct vrrp_instance *in = v ? vrrp_find(v, name) : NULL;

	if (!in)
		return -1;
	return in->state == VRRP_STATE_MASTER;
}
