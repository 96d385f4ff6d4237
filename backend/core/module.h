/* module: what every engine of softlbd is, to the core.
 *
 * Each engine is a module with the same entry points. softlbd's list is
 * core/engines.c (a test gives its own); main() hands it to struct
 * softlbd (modules, n_modules) and walks it in order to start, and in
 * reverse to stop. `show status` asks each
 * for its state, so an operator sees at a glance which engines run, which
 * cannot (and why), and which the configuration does not use.
 */
#ifndef SOFTLB_CORE_MODULE_H
#define SOFTLB_CORE_MODULE_H

#include <stddef.h>

struct softlbd;
struct strbuf;
struct config;
struct config_changeset;

enum module_state {
	MODULE_NOT_CONFIGURED = 0,	/* nothing in the configuration uses it */
	MODULE_RUNNING,			/* working */
	MODULE_UNAVAILABLE,		/* cannot run here; reason says why */
};

struct module_status {
	enum module_state state;
	char reason[256];	/* for UNAVAILABLE; optional detail otherwise */
};

struct module_ops {
	const char *name;		/* short, as shown by show status: "ctl" */
	const char *description;	/* "control socket and command grammar" */
	/* Starts the engine: registers its commands and opens what it needs.
	 * Returns 0; or -1 with the reason in err, which stops softlbd (a
	 * module that merely cannot run here reports UNAVAILABLE instead and
	 * returns 0). *priv is the module's own state. */
	int (*init)(struct softlbd *d, void **priv, struct strbuf *err);
	/* Applies a configuration change: cs holds the two models and the
	 * typed differences between them (config/changeset.h). An engine
	 * tests config_changeset_touches() with the kinds it reads and
	 * returns at once when none changed, and otherwise touches only
	 * what differs for it. Returns 0, or -1 with the reason in err,
	 * which refuses the whole change (the running model stays, and
	 * the engines that had applied it are handed the reverse change).
	 * May be NULL for engines without configuration. */
	int (*apply)(struct softlbd *d, void *priv,
		     const struct config_changeset *cs, struct strbuf *err);
	/* An operator override (runtime.h) changed: the engine brings what
	 * it drives in line at once. Returns 0, or -1 with the reason in err
	 * (the override stays in force; the operator is told). May be NULL. */
	int (*runtime_changed)(struct softlbd *d, void *priv, struct strbuf *err);
	/* softlbd -t: loads what apply would load from cfg (certificates,
	 * pattern files, regexes: the same code) without starting or
	 * opening anything, so a check catches what a start or reload
	 * would refuse. Returns 0, or -1 with the reason in err (naming
	 * FILE:LINE and the file at fault). May be NULL. */
	int (*verify)(const struct config *cfg, struct strbuf *err);
	/* Reports the engine's state. */
	void (*status)(struct softlbd *d, void *priv, struct module_status *st);
	/* Appends a human-readable dump of the engine's state (for debugging,
	 * `show status detail`). May be NULL. */
	void (*dump)(struct softlbd *d, void *priv, struct strbuf *out);
	/* Stops the engine and frees priv. */
	void (*stop)(struct softlbd *d, void *priv);
};

const char *module_state_name(enum module_state state);

/* Tells every engine that an operator override changed. Returns 0, or -1
 * with one line per engine that failed in err. */
int modules_runtime_changed(struct softlbd *d, struct strbuf *err);

#endif
