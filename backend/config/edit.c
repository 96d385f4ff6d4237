#include "config.h"

#include "config/edit.h"
#include "config/edit_int.h"

/* Editing the model for configure mode (see edit.h): the copy an edit
 * works on, the marks of what it touched, and the validation of only
 * those objects. The edits of each kind of object are in edit_lvs.c,
 * edit_proxy.c and edit_vrrp.c; addresses and keys in edit_keys.c. */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ================================================================ */
/* Clone and validate */


struct config *config_clone(const struct config *cfg, struct config_diag *diag)
{
	struct config *copy = config_copy(cfg);

	(void)diag;
	copy->edit_marks = xcalloc(1, sizeof(*copy->edit_marks));
	strvec_init(&copy->edit_marks->vs_groups);
	strvec_init(&copy->edit_marks->proxies);
	strvec_init(&copy->edit_marks->vrrp);
	return copy;
}

struct config *config_new_empty(void)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *cfg = config_load_buffers(NULL, NULL, 0, NULL, NULL, 0, &diag);

	config_diag_free(&diag);
	return cfg;
}

/* Prints m and loads the text back: the parsers' verdict on m. */
static bool parses(const struct config *m, struct strbuf *err)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct strbuf kad = STRBUF_INIT, hap = STRBUF_INIT;
	struct config *back;

	config_print_keepalived(m, &kad);
	config_print_haproxy(m, &hap);
	back = config_load_buffers(CONFIG_CLONE_KAD_NAME, strbuf_str(&kad), kad.len,
				   CONFIG_CLONE_HAP_NAME, strbuf_str(&hap), hap.len,
				   &diag);
	if (!back) {
		for (size_t i = 0; i < diag.len; i++)
			if (diag.items[i].severity == CONFIG_ERROR)
				strbuf_printf(err, "%s\n", diag.items[i].msg);
	}
	config_free(back);
	config_diag_free(&diag);
	strbuf_free(&kad);
	strbuf_free(&hap);
	return back != NULL;
}

/* Adds a copy of proxy px (and, for a frontend, of its default backend)
 * to the scratch model, once. */
static void scratch_proxy(struct config *scratch, const struct config *cfg,
			  const struct cfg_proxy *px)
{
	const struct cfg_proxy *be;

	if (!px || config_find_proxy(scratch, px->name))
		return;
	cfg_proxy_copy_all(scratch, CFG_APPEND(scratch->proxies, scratch->n_proxies,
					       scratch->cap_proxies), px);
	if (px->default_backend) {
		be = config_find_proxy(cfg, px->default_backend);
		scratch_proxy(scratch, cfg, be);
	}
}

static void scratch_vs_group(struct config *scratch, const struct config *cfg,
			     const char *name)
{
	const struct cfg_vs_group *g = config_find_vs_group(cfg, name);
	struct cfg_vs_group *c;

	if (!g || config_find_vs_group(scratch, name))
		return;
	c = CFG_APPEND(scratch->vs_groups, scratch->n_vs_groups, scratch->cap_vs_groups);
	*c = *g;
	c->name = xstrdup(g->name);
	c->entries = NULL;
	c->n_entries = c->cap_entries = 0;
	for (size_t i = 0; i < g->n_entries; i++)
		*CFG_APPEND(c->entries, c->n_entries, c->cap_entries) = g->entries[i];
	c->loc.file = NULL;
}

/* The edited objects and what they refer to, in a model of their own:
 * global_defs, the VRRP side (small, and what the sync daemon and the
 * sync groups refer to), the haproxy global and defaults sections, then
 * each edited virtual server (with its group), group and proxy (with its
 * default backend). Proportional to the edit, not to the model. */
static struct config *scratch_of(const struct config *cfg)
{
	const struct cfg_edit_marks *m = cfg->edit_marks;
	struct config *scratch = config_copy_frame(cfg);

	for (size_t i = 0; i < m->n_vs; i++) {
		long at = edit_vs_at(cfg, &m->vs[i]);

		if (at >= 0) {
			struct cfg_virtual_server *vs = cfg->vs[at];

			/* read only: shared, as a copy would be */
			config_vs_append(scratch, cfg_vs_ref(vs));
			if (vs->kind == CFG_VS_GROUP)
				scratch_vs_group(scratch, cfg, vs->group);
		}
	}
	for (size_t i = 0; i < m->vs_groups.len; i++)
		scratch_vs_group(scratch, cfg, m->vs_groups.items[i]);
	for (size_t i = 0; i < m->proxies.len; i++)
		scratch_proxy(scratch, cfg, config_find_proxy(cfg, m->proxies.items[i]));
	return scratch;
}

struct config *config_edit_finish(struct config *edited, struct strbuf *err)
{
	struct cfg_edit_marks *m = edited->edit_marks;
	struct config *scratch;
	bool ok;

	if (!m || m->all) {
		/* something may refer to what went: the whole model */
		ok = parses(edited, err);
	} else {
		scratch = scratch_of(edited);
		ok = parses(scratch, err);
		config_free(scratch);
	}
	if (!ok) {
		config_free(edited);
		return NULL;
	}
	/* the marks stay: the diff against the running model walks only
	 * what they name (config_diff_marked); config_edit_marks_clear()
	 * once applied */
	return edited;
}

void config_edit_marks_clear(struct config *cfg)
{
	struct cfg_edit_marks *m = cfg->edit_marks;

	if (!m)
		return;
	free(m->vs);
	strvec_free(&m->vs_groups);
	strvec_free(&m->proxies);
	strvec_free(&m->vrrp);
	free(m);
	cfg->edit_marks = NULL;
}

/* HAProxy's name characters; the printers write names bare, so anything
 * else would not survive the round trip. */
static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("-_.:", *s)))
			return false;
	return true;
}

int edit_check_name(const char *what, const char *name, struct strbuf *err)
{
	if (valid_name(name))
		return 0;
	strbuf_printf(err, "%s name '%s' is not valid: use letters, digits, "
		      "'-', '_', '.' and ':'\n", what, name);
	return -1;
}

/* ================================================================ */
/* Marking what an edit touched, for config_edit_finish() */

void edit_mark(struct strvec *v, const char *name)
{
	if (!strvec_contains(v, name))
		strvec_push(v, name);
}

void edit_mark_vs(struct config *cfg, const struct config_vs_key *key)
{
	struct cfg_edit_marks *m = cfg->edit_marks;

	if (!m)
		return;
	for (size_t i = 0; i < m->n_vs; i++)
		if (config_vs_key_equal(&m->vs[i], key))
			return;
	*CFG_APPEND(m->vs, m->n_vs, m->cap_vs) = *key;
}
