/* changeset: what one configuration change is, as the engines receive it.
 *
 * config_diff() walks two models and reports each difference once; a
 * changeset keeps those reports (with their ids and field lists copied,
 * so they outlive the walk) together with the two models, and a bit per
 * kind of object present, so that an engine can tell in one test whether
 * anything it owns changed at all: a VRRP priority edit never wakes LVS,
 * the proxy or the checks.
 */
#ifndef SOFTLB_CONFIG_CHANGESET_H
#define SOFTLB_CONFIG_CHANGESET_H

#include <stdbool.h>
#include <stddef.h>

#include "config/conf.h"

struct config_changeset {
	const struct config *old_cfg;	/* borrowed */
	const struct config *new_cfg;	/* borrowed */
	struct config_change_item *items;	/* owned; id and fields too */
	size_t n_items;
	size_t cap_items;
	unsigned kinds;		/* CONFIG_KIND_BIT() of every item's kind */
};

#define CONFIG_KIND_BIT(kind) (1u << (unsigned)(kind))

/* Masks of the kinds each engine reads. */
#define CONFIG_KINDS_VRRP \
	(CONFIG_KIND_BIT(CONFIG_OBJ_GLOBAL) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VRRP_SCRIPT) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VRRP_INSTANCE) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_SYNC_GROUP))
#define CONFIG_KINDS_LVS \
	(CONFIG_KIND_BIT(CONFIG_OBJ_GLOBAL) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VRRP_INSTANCE) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VS_GROUP) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VIRTUAL_SERVER) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_REAL_SERVER))
#define CONFIG_KINDS_PROXY \
	(CONFIG_KIND_BIT(CONFIG_OBJ_HAP_GLOBAL) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_DEFAULTS) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_PROXY) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_SERVER))
/* Checks probe real servers and proxy servers; global_defs holds the
 * script user and script security their MISC_CHECKs run under. */
#define CONFIG_KINDS_CHECK \
	(CONFIG_KIND_BIT(CONFIG_OBJ_GLOBAL) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VS_GROUP) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_VIRTUAL_SERVER) | \
	 CONFIG_KIND_BIT(CONFIG_OBJ_REAL_SERVER) | CONFIG_KINDS_PROXY)

/* Diffs old_cfg against new_cfg into cs (which borrows both models).
 * Returns the number of changes. */
size_t config_changeset_build(struct config_changeset *cs,
			      const struct config *old_cfg,
			      const struct config *new_cfg);
/* The same change the other way round (new -> old): what an engine that
 * applied cs is handed when a later engine refuses it. */
void config_changeset_reverse(const struct config_changeset *cs,
			      struct config_changeset *rev);
/* True when cs holds a change of a kind in mask. */
static inline bool config_changeset_touches(const struct config_changeset *cs,
					    unsigned mask)
{
	return (cs->kinds & mask) != 0;
}
void config_changeset_free(struct config_changeset *cs);

#endif
