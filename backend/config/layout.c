#include "config.h"

#include "config/layout.h"

/* Keeping the user's file layout in write memory (see layout.h). */

#include "config/conf.h"
#include "config/model.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ */
/* Laying out the keepalived files */

/* One thing to print in a file: an object, or an include line. */
struct item {
	int line;		/* where it was; INT_MAX: new, at the end */
	size_t order;		/* ties and new objects keep model order */
	bool is_include;
	enum config_kad_obj kind;
	size_t idx;		/* into the kind's array, or cfg->includes */
};

struct items {
	struct item *v;
	size_t n, cap;
};

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static struct config_file_text *add_file(struct config_layout *out,
					 const char *path, const char *header)
{
	struct config_file_text *f = CFG_APPEND(out->files, out->n_files,
						out->cap_files);

	f->path = xstrdup(path);
	strbuf_init(&f->text);
	if (header)
		strbuf_puts(&f->text, header);
	return f;
}

/* The file (index into out->files) an object defined at loc goes to:
 * its own when it is one of the files, else the main one. */
static size_t file_of(const struct config_layout *out, const struct cfg_loc *loc)
{
	for (size_t i = 0; loc->file && i < out->n_files; i++)
		if (strcmp(out->files[i].path, loc->file) == 0)
			return i;
	return 0;
}

static void add_item(struct items *it, const struct cfg_loc *loc,
		     bool is_include, enum config_kad_obj kind, size_t idx)
{
	struct item *x = CFG_APPEND(it->v, it->n, it->cap);

	x->line = loc->file && loc->line > 0 ? loc->line : INT_MAX;
	x->order = it->n;
	x->is_include = is_include;
	x->kind = kind;
	x->idx = idx;
}

/* Writes an include line as it was, quoted when the lexer would split
 * it. */
static void put_include(struct strbuf *out, const char *pattern)
{
	if (strpbrk(pattern, " \t{}#!") && !strchr(pattern, '"'))
		strbuf_printf(out, "include \"%s\"\n\n", pattern);
	else
		strbuf_printf(out, "include %s\n\n", pattern);
}

/* Whether an earlier include record has the same file and line: a file
 * read twice records its own include lines twice. */
static bool include_seen(const struct config *cfg, size_t i)
{
	const struct cfg_include *a = &cfg->includes[i];

	for (size_t j = 0; j < i; j++) {
		const struct cfg_include *b = &cfg->includes[j];

		if (a->loc.line == b->loc.line && a->loc.file && b->loc.file &&
		    strcmp(a->loc.file, b->loc.file) == 0)
			return true;
	}
	return false;
}

/* Prints the objects and include lines that belong to file k. */
static void fill_file(const struct config *cfg, struct config_layout *out,
		      size_t k)
{
	struct items it = { NULL, 0, 0 };
	struct strbuf *text = &out->files[k].text;

#define ADD_ALL(arr, n, kind) \
	for (size_t i_ = 0; i_ < (n); i_++) \
		if (file_of(out, &(arr)[i_].loc) == k) \
			add_item(&it, &(arr)[i_].loc, false, kind, i_)

	if (file_of(out, &cfg->global.loc) == k)
		add_item(&it, &cfg->global.loc, false, CONFIG_KAD_GLOBAL, 0);
	ADD_ALL(cfg->scripts, cfg->n_scripts, CONFIG_KAD_SCRIPT);
	ADD_ALL(cfg->sync_groups, cfg->n_sync_groups, CONFIG_KAD_SYNC_GROUP);
	ADD_ALL(cfg->vrrp, cfg->n_vrrp, CONFIG_KAD_VRRP);
	ADD_ALL(cfg->vs_groups, cfg->n_vs_groups, CONFIG_KAD_VS_GROUP);
#undef ADD_ALL
	for (size_t i = 0; i < cfg->n_vs; i++)
		if (file_of(out, &cfg->vs[i]->loc) == k)
			add_item(&it, &cfg->vs[i]->loc, false, CONFIG_KAD_VS, i);
	/* an include line stays only in a file it was read from */
	for (size_t i = 0; i < cfg->n_includes; i++) {
		const struct cfg_include *inc = &cfg->includes[i];

		if (inc->loc.file && strcmp(inc->loc.file, out->files[k].path) == 0 &&
		    !include_seen(cfg, i))
			add_item(&it, &inc->loc, true, CONFIG_KAD_GLOBAL, i);
	}
	qsort(it.v, it.n, sizeof(*it.v), item_cmp);
	for (size_t i = 0; i < it.n; i++) {
		if (it.v[i].is_include)
			put_include(text, cfg->includes[it.v[i].idx].pattern);
		else
			config_print_kad_object(cfg, it.v[i].kind, it.v[i].idx, text);
	}
	free(it.v);
}

void config_layout_keepalived(const struct config *cfg, const char *main_path,
			      const char *header, struct config_layout *out)
{
	memset(out, 0, sizeof(*out));
	add_file(out, main_path, header);
	for (size_t i = 0; i < cfg->n_includes; i++) {
		const struct cfg_include *inc = &cfg->includes[i];
		struct strbuf why = STRBUF_INIT;

		if (!inc->nested)
			continue;
		strbuf_printf(&why, "%s:%d includes '%s' inside a block, so "
			      "objects span files: they are all written to %s",
			      inc->loc.file ? inc->loc.file : main_path,
			      inc->loc.line, inc->pattern, main_path);
		out->flattened = strbuf_detach(&why);
		config_print_keepalived(cfg, &out->files[0].text);
		return;
	}
	for (size_t i = 0; i < cfg->kad_included.len; i++)
		if (strcmp(cfg->kad_included.items[i], main_path) != 0)
			add_file(out, cfg->kad_included.items[i], header);
	for (size_t k = 0; k < out->n_files; k++)
		fill_file(cfg, out, k);
}

void config_layout_free(struct config_layout *l)
{
	for (size_t i = 0; i < l->n_files; i++) {
		free(l->files[i].path);
		strbuf_free(&l->files[i].text);
	}
	free(l->files);
	free(l->flattened);
	memset(l, 0, sizeof(*l));
}
