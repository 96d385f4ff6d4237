#include "config.h"

#include "config/edit.h"
#include "config/edit_int.h"

/* Configure mode's edits of VRRP instances. */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ================================================================ */
/* VRRP instances */

static struct cfg_vrrp_instance *vrrp_must_exist(const struct config *cfg,
						 const char *name,
						 struct strbuf *err)
{
	struct cfg_vrrp_instance *vi = config_find_vrrp(cfg, name);

	if (!vi)
		strbuf_printf(err, "vrrp-instance '%s' does not exist\n", name);
	return vi;
}

static int edit_vrrp_priority(struct config *cfg, const char *name,
			      long long priority, struct strbuf *err)
{
	struct cfg_vrrp_instance *vi;

	if (priority < 1 || priority > CFG_VRRP_PRIORITY_MAX) {
		strbuf_printf(err, "priority %lld is out of range (1-%d)\n", priority,
			      CFG_VRRP_PRIORITY_MAX);
		return -1;
	}
	vi = config_find_vrrp(cfg, name);
	if (!vi) {
		strbuf_printf(err, "vrrp-instance '%s' does not exist; a new instance "
			      "needs an interface and a virtual_router_id: add it "
			      "to keepalived.conf and reload\n", name);
		return -1;
	}
	vi->priority = (int)priority;
	/* strict mode: the address owner (255) is MASTER, every other
	 * priority BACKUP, as a reload of the saved file would make it */
	if (vi->strict_mode == 1)
		vi->state = priority == 255 ? CFG_VRRP_STATE_MASTER : CFG_VRRP_STATE_BACKUP;
	return 0;
}

static int edit_vrrp_delete(struct config *cfg, const char *name,
			    struct strbuf *err)
{
	struct cfg_vrrp_instance *vi = vrrp_must_exist(cfg, name, err);
	struct config *trash;

	if (!vi)
		return -1;
	/* the parser refuses a group or sync daemon naming a missing
	 * instance; say which, rather than quote its message */
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		if (strvec_contains(&cfg->sync_groups[i].members, name)) {
			strbuf_printf(err, "vrrp-instance '%s' is in vrrp_sync_group "
				      "'%s'; remove it there first\n", name,
				      cfg->sync_groups[i].name);
			return -1;
		}
	}
	if (cfg->global.sync.instance && strcmp(cfg->global.sync.instance, name) == 0) {
		strbuf_printf(err, "vrrp-instance '%s' is followed by the "
			      "lvs_sync_daemon; change that first\n", name);
		return -1;
	}
	trash = config_new();
	*CFG_APPEND(trash->vrrp, trash->n_vrrp, trash->cap_vrrp) = *vi;
	CFG_REMOVE(cfg->vrrp, cfg->n_vrrp, (size_t)(vi - cfg->vrrp));
	config_free(trash);
	return 0;
}

int config_edit_vrrp_priority(struct config *cfg, const char *name,
			      long long priority, struct strbuf *err)
{
	/* the VRRP side is always in the scratch model */
	MARK(cfg, vrrp, name);
	return edit_vrrp_priority(cfg, name, priority, err);
}

int config_edit_vrrp_delete(struct config *cfg, const char *name,
			    struct strbuf *err)
{
	MARK_ALL(cfg);
	return edit_vrrp_delete(cfg, name, err);
}
