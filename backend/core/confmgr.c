#include "config.h"

#include "core/confmgr.h"
#include "config/changeset.h"
#include "config/conf.h"
#include "config/edit.h"
#include "config/index.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/module.h"
#include "core/runtime.h"
#include "core/sdnotify.h"
#include "script/runner.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads the files named by the options. A file named with -f / -p must
 * exist; a default path that does not exist is an empty configuration, so
 * softlbd runs with no configuration at all. Diagnostics go to diag. */
static struct config *load_files(const struct softlbd *d, struct config_diag *diag)
{
	return config_load(d->opts.kad_path, d->opts.hap_path, d->opts.kad_given,
			   d->opts.hap_given, diag);
}

/* Writes the entries of one severity, one per line. Returns how many. */
static size_t format_severity(const struct config_diag *diag, enum config_severity sev,
			      struct strbuf *out)
{
	size_t n = 0;

	for (size_t i = 0; i < diag->len; i++) {
		if (diag->items[i].severity != sev)
			continue;
		config_diag_format_entry(&diag->items[i], out);
		strbuf_putc(out, '\n');
		n++;
	}
	return n;
}

/* Remembers the warnings of the configuration now running, for `show
 * config warnings`, so a reload report can just count them. */
static void keep_warnings(struct softlbd *d, const struct config_diag *diag)
{
	struct strbuf text = STRBUF_INIT;

	format_severity(diag, CONFIG_WARNING, &text);
	free(d->config_warnings_text);
	d->config_warnings_text = strbuf_detach(&text);
	d->config_warnings = diag->n_warnings;
}

static void log_diag(const struct config_diag *diag)
{
	for (size_t i = 0; i < diag->len; i++) {
		struct strbuf line = STRBUF_INIT;

		config_diag_format_entry(&diag->items[i], &line);
		log_msg(diag->items[i].severity == CONFIG_ERROR ? LOG_ERR : LOG_WARNING, "%s",
			strbuf_str(&line));
		strbuf_free(&line);
	}
}

void confmgr_set_running(struct softlbd *d, struct config *cfg)
{
	if (d->config_ix) {
		config_index_free(d->config_ix);
		free(d->config_ix);
		d->config_ix = NULL;
	}
	if (d->config && d->config != cfg)
		config_free(d->config);
	d->config = cfg;
}

const struct config_index *confmgr_index(struct softlbd *d)
{
	/* Built when first asked for, not at each change: a shell edit
	 * that nobody looks anything up after pays nothing for it. */
	if (!d->config_ix) {
		d->config_ix = xcalloc(1, sizeof(*d->config_ix));
		config_index_build(d->config_ix, d->config);
	}
	return d->config_ix;
}

int confmgr_start(struct softlbd *d, struct strbuf *err)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *cfg = load_files(d, &diag);

	if (!cfg) {
		config_diag_format(&diag, err);
		config_diag_free(&diag);
		return -1;
	}
	log_diag(&diag);
	keep_warnings(d, &diag);
	config_diag_free(&diag);
	confmgr_set_running(d, cfg);
	d->runtime = runtime_new();
	/* Before any engine starts a script (see confmgr_apply). */
	if (d->scripts)
		script_runner_set_security(d->scripts, cfg->global.enable_script_security == 1);
	return 0;
}

void confmgr_stop(struct softlbd *d)
{
	confmgr_set_running(d, NULL);
	free(d->config_warnings_text);
	d->config_warnings_text = NULL;
	runtime_free(d->runtime);
	d->runtime = NULL;
}

/* ------------------------------------------------------------------ */
/* Diff                                                                */

static const char *const kind_words[] = {
	[CONFIG_OBJ_GLOBAL] = "global_defs",
	[CONFIG_OBJ_VRRP_SCRIPT] = "vrrp-script",
	[CONFIG_OBJ_VRRP_INSTANCE] = "vrrp-instance",
	[CONFIG_OBJ_SYNC_GROUP] = "sync-group",
	[CONFIG_OBJ_VS_GROUP] = "virtual-server-group",
	[CONFIG_OBJ_VIRTUAL_SERVER] = "virtual-server",
	[CONFIG_OBJ_REAL_SERVER] = "real-server",
	[CONFIG_OBJ_HAP_GLOBAL] = "haproxy-global",
	[CONFIG_OBJ_DEFAULTS] = "defaults",
	[CONFIG_OBJ_PROXY] = "proxy",
	[CONFIG_OBJ_SERVER] = "server",
};

static void put_change(const struct config_change_item *it, void *arg)
{
	struct strbuf *out = arg;
	char mark = it->change == CONFIG_ADDED ? '+' : it->change == CONFIG_REMOVED ? '-' : '~';
	const char *kind = (unsigned)it->kind < sizeof(kind_words) / sizeof(kind_words[0])
				   ? kind_words[it->kind] : "object";

	strbuf_printf(out, "%c %s %s", mark, kind, it->id ? it->id : "");
	if (it->change == CONFIG_CHANGED && it->fields)
		strbuf_printf(out, ": %s", it->fields);
	strbuf_putc(out, '\n');
}

size_t confmgr_format_diff(const struct config *old_cfg, const struct config *new_cfg,
			   struct strbuf *out)
{
	return config_diff(old_cfg, new_cfg, put_change, out);
}

/* ------------------------------------------------------------------ */
/* Apply                                                               */

/* The journal's key prefix of each kind of object (show events). */
static const char *const kind_keys[] = {
	[CONFIG_OBJ_GLOBAL] = "global_defs",
	[CONFIG_OBJ_VRRP_SCRIPT] = "vrrp-script",
	[CONFIG_OBJ_VRRP_INSTANCE] = "vrrp",
	[CONFIG_OBJ_SYNC_GROUP] = "sync-group",
	[CONFIG_OBJ_VS_GROUP] = "vsg",
	[CONFIG_OBJ_VIRTUAL_SERVER] = "vs",
	[CONFIG_OBJ_REAL_SERVER] = "rs",
	[CONFIG_OBJ_HAP_GLOBAL] = "haproxy-global",
	[CONFIG_OBJ_DEFAULTS] = "defaults",
	[CONFIG_OBJ_PROXY] = "proxy",
	[CONFIG_OBJ_SERVER] = "server",
};

/* At most this many events for the objects of one change; a reload that
 * changes more says how many in its summary event. */
#define JOURNAL_ITEMS_MAX 1000

static void journal_change(struct softlbd *d, const struct config_changeset *cs,
			   enum event_kind how, const struct event_actor *by)
{
	struct strbuf key = STRBUF_INIT, sum = STRBUF_INIT;
	struct event_spec spec = { .engine = EVENT_CONFIG, .kind = how, .by = by };
	size_t n = cs->n_items < JOURNAL_ITEMS_MAX ? cs->n_items : JOURNAL_ITEMS_MAX;

	for (size_t i = 0; i < n; i++) {
		const struct config_change_item *it = &cs->items[i];
		const char *kind = (unsigned)it->kind < sizeof(kind_keys) / sizeof(kind_keys[0])
					   ? kind_keys[it->kind] : "object";

		strbuf_reset(&key);
		if (it->kind == CONFIG_OBJ_GLOBAL)
			strbuf_puts(&key, kind);
		else
			strbuf_printf(&key, "%s %s", kind, it->id ? it->id : "");
		spec.object = strbuf_str(&key);
		spec.old_state = it->change == CONFIG_ADDED ? NULL : "configured";
		spec.new_state = it->change == CONFIG_ADDED ? "added" :
				 it->change == CONFIG_REMOVED ? "removed" : "changed";
		spec.reason = it->fields;
		events_add(d->events, &spec);
	}
	strbuf_printf(&sum, "%zu change%s", cs->n_items, cs->n_items == 1 ? "" : "s");
	if (cs->n_items > n)
		strbuf_printf(&sum, " (the first %zu listed)", n);
	spec.object = "config";
	spec.old_state = NULL;
	spec.new_state = how == EVENT_RELOAD ? "reloaded" : "edited";
	spec.reason = strbuf_str(&sum);
	events_add(d->events, &spec);
	strbuf_free(&key);
	strbuf_free(&sum);
}

int confmgr_apply(struct softlbd *d, struct config *new_cfg, enum event_kind how,
		  const struct event_actor *by, struct strbuf *out)
{
	struct config *empty = NULL;
	const struct config *old_cfg = d->config;
	struct config_changeset cs;
	size_t n;

	if (!old_cfg) {
		struct config_diag diag = CONFIG_DIAG_INIT;

		empty = config_load_buffers(NULL, NULL, 0, NULL, NULL, 0, &diag);
		config_diag_free(&diag);
		old_cfg = empty;
	}
	/* One walk of the two models: the changeset is both what the
	 * engines receive and what the caller is told. */
	n = config_changeset_build(&cs, old_cfg, new_cfg);
	config_edit_marks_clear(new_cfg);
	for (size_t i = 0; i < n; i++)
		put_change(&cs.items[i], out);
	if (n == 0) {
		config_changeset_free(&cs);
		/* Nothing for the engines; the new model still replaces the
		 * running one, since what it does not compare (where each
		 * object is defined, which files were included) is what
		 * write memory goes by. */
		strbuf_puts(out, "no changes\n");
		if (empty)
			config_free(empty);
		confmgr_set_running(d, new_cfg);
		return 0;
	}
	/* enable_script_security is the script runner's, shared by every
	 * engine that runs scripts, so it is set here, once, before any
	 * engine can ask for a script under the new model. */
	if (d->scripts)
		script_runner_set_security(d->scripts,
					   new_cfg->global.enable_script_security == 1);
	/* Each engine applies only its own differences. An engine that
	 * cannot apply refuses the whole change: the engines before it are
	 * handed the reverse change (new -> old) so that every engine again
	 * runs the running model, which stays. */
	for (size_t i = 0; i < d->n_modules; i++) {
		const struct module_ops *m = d->modules[i];
		struct strbuf err = STRBUF_INIT;

		if (!m->apply)
			continue;
		if (m->apply(d, d->module_priv[i], &cs, &err) < 0) {
			struct config_changeset rev;

			strbuf_reset(out);
			strbuf_printf(out, "%% %s refused the change: %s\n", m->name,
				      strbuf_str(&err));
			log_warn("configuration change refused by %s: %s", m->name, strbuf_str(&err));
			{
				struct event_spec spec = {
					.engine = EVENT_CONFIG, .kind = EVENT_ERROR,
					.object = "config", .new_state = "refused",
					.reason = strbuf_str(&err), .by = by,
				};

				events_add(d->events, &spec);
			}
			config_changeset_reverse(&cs, &rev);
			while (i-- > 0) {
				const struct module_ops *back = d->modules[i];
				struct strbuf berr = STRBUF_INIT;

				if (back->apply &&
				    back->apply(d, d->module_priv[i], &rev, &berr) < 0)
					log_err("%s could not return to the running configuration: %s",
						back->name, strbuf_str(&berr));
				strbuf_free(&berr);
			}
			config_changeset_free(&rev);
			config_changeset_free(&cs);
			strbuf_free(&err);
			if (d->scripts)
				script_runner_set_security(
					d->scripts, old_cfg->global.enable_script_security == 1);
			config_free(new_cfg);
			if (empty)
				config_free(empty);
			return -1;
		}
		strbuf_free(&err);
	}
	journal_change(d, &cs, how, by);
	config_changeset_free(&cs);
	if (empty)
		config_free(empty);
	confmgr_set_running(d, new_cfg);
	/* Overrides outlive reloads, not the objects they are about. */
	/* (The index is built only when some override needs it: a shell
	 * edit with none in force pays nothing for it.) */
	if (runtime_count(d->runtime))
		runtime_prune(d->runtime, confmgr_index(d), d->events, by, out);
	if (how == EVENT_EDIT && sdnotify_listening()) {
		/* A reload says so itself (confmgr_reload); an edit in
		 * configure mode changes what runs just the same. */
		struct strbuf status = STRBUF_INIT;

		confmgr_state_line(d, &status);
		sdnotify_status(strbuf_str(&status));
		strbuf_free(&status);
	}
	return 0;
}

/* Re-reads the files and applies them (confmgr_reload without the
 * notifications around it). */
static int reload_files(struct softlbd *d, const struct event_actor *by, struct strbuf *out)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *cfg = load_files(d, &diag);
	int rc;

	if (!cfg) {
		strbuf_puts(out, "% reload refused; the running configuration is unchanged:\n");
		format_severity(&diag, CONFIG_ERROR, out);
		{
			struct strbuf why = STRBUF_INIT;
			struct event_spec spec = {
				.engine = EVENT_CONFIG, .kind = EVENT_ERROR, .object = "config",
				.new_state = "refused", .by = by,
			};

			format_severity(&diag, CONFIG_ERROR, &why);
			spec.reason = strbuf_str(&why);
			events_add(d->events, &spec);
			strbuf_free(&why);
		}
		if (diag.n_warnings)
			strbuf_printf(out, "(and %zu warnings: softlbd -t lists them)\n",
				      diag.n_warnings);
		config_diag_free(&diag);
		return -1;
	}
	rc = confmgr_apply(d, cfg, EVENT_RELOAD, by, out);
	if (rc == 0) {
		d->reloads++;
		keep_warnings(d, &diag);
		if (diag.n_warnings)
			strbuf_printf(out, "%zu warnings (show config warnings)\n", diag.n_warnings);
	}
	config_diag_free(&diag);
	return rc;
}

void confmgr_state_line(const struct softlbd *d, struct strbuf *out)
{
	const struct config *cfg = d->config;
	size_t n_rs = 0, n_servers = 0;

	if (!cfg) {
		strbuf_puts(out, "no configuration");
		return;
	}
	for (size_t i = 0; i < cfg->n_vs; i++)
		n_rs += cfg->vs[i]->n_rs;
	for (size_t i = 0; i < cfg->n_proxies; i++)
		n_servers += cfg->proxies[i].n_servers;
	strbuf_printf(out, "%zu VRRP instance%s, %zu virtual server%s (%zu real), "
		      "%zu prox%s (%zu servers); %u reload%s",
		      cfg->n_vrrp, cfg->n_vrrp == 1 ? "" : "s",
		      cfg->n_vs, cfg->n_vs == 1 ? "" : "s", n_rs,
		      cfg->n_proxies, cfg->n_proxies == 1 ? "y" : "ies", n_servers,
		      d->reloads, d->reloads == 1 ? "" : "s");
}

/* The first line of a refused reload's report that says why: the
 * "% reload refused; ..." heading is skipped, a "% " prefix dropped. */
static void first_reason(const char *report, struct strbuf *out)
{
	const char *line = report;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (len && strncmp(line, "% reload refused", 16) != 0) {
			if (strncmp(line, "% ", 2) == 0) {
				line += 2;
				len -= 2;
			}
			/* STATUS= is one line, and `systemctl status` cuts it. */
			strbuf_printf(out, "%.*s", (int)(len > 200 ? 200 : len), line);
			return;
		}
		line = nl ? nl + 1 : NULL;
	}
	strbuf_puts(out, "see the log");
}

int confmgr_reload(struct softlbd *d, const struct event_actor *by, struct strbuf *out)
{
	struct strbuf status = STRBUF_INIT;
	int rc;

	/* systemd holds `systemctl reload` between RELOADING=1 and READY=1;
	 * whether it succeeded is said by ExecReload's exit status (softlb
	 * -c reload) and by STATUS=. */
	sdnotify_reloading("reloading the configuration");
	rc = reload_files(d, by, out);
	if (rc < 0) {
		d->reload_failures++;
		strbuf_puts(&status, "reload refused (running the previous configuration): ");
		first_reason(strbuf_str(out), &status);
	} else {
		confmgr_state_line(d, &status);
	}
	sdnotify_ready(strbuf_str(&status));
	strbuf_free(&status);
	return rc;
}
