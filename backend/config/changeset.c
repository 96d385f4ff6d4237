#include "config.h"

#include "config/changeset.h"

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "util/xalloc.h"

static void keep(const struct config_change_item *it, void *arg)
{
	struct config_changeset *cs = arg;
	struct config_change_item *c =
		CFG_APPEND(cs->items, cs->n_items, cs->cap_items);

	*c = *it;
	c->id = it->id ? xstrdup(it->id) : NULL;
	c->fields = it->fields ? xstrdup(it->fields) : NULL;
	cs->kinds |= CONFIG_KIND_BIT(it->kind);
}

size_t config_changeset_build(struct config_changeset *cs,
			      const struct config *old_cfg,
			      const struct config *new_cfg)
{
	memset(cs, 0, sizeof(*cs));
	cs->old_cfg = old_cfg;
	cs->new_cfg = new_cfg;
	/* a model made by configure mode names what it touched */
	config_diff_marked(old_cfg, new_cfg, new_cfg->edit_marks, keep, cs);
	return cs->n_items;
}

void config_changeset_reverse(const struct config_changeset *cs,
			      struct config_changeset *rev)
{
	memset(rev, 0, sizeof(*rev));
	rev->old_cfg = cs->new_cfg;
	rev->new_cfg = cs->old_cfg;
	rev->kinds = cs->kinds;
	for (size_t i = 0; i < cs->n_items; i++) {
		const struct config_change_item *it = &cs->items[i];
		struct config_change_item *r =
			CFG_APPEND(rev->items, rev->n_items, rev->cap_items);

		*r = *it;
		r->change = it->change == CONFIG_ADDED ? CONFIG_REMOVED :
			    it->change == CONFIG_REMOVED ? CONFIG_ADDED :
			    CONFIG_CHANGED;
		r->old_obj = it->new_obj;
		r->new_obj = it->old_obj;
		r->old_parent = it->new_parent;
		r->new_parent = it->old_parent;
		r->id = it->id ? xstrdup(it->id) : NULL;
		r->fields = it->fields ? xstrdup(it->fields) : NULL;
	}
}

void config_changeset_free(struct config_changeset *cs)
{
	for (size_t i = 0; i < cs->n_items; i++) {
		free((char *)cs->items[i].id);
		free((char *)cs->items[i].fields);
	}
	free(cs->items);
	memset(cs, 0, sizeof(*cs));
}
