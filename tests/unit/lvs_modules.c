/* The module list of check_lvs: the LVS engine alone. It replaces
 * backend/core/module.c (every symbol of it is here, so the linker never
 * takes that one from libsoftlbd.a): the real list would start the other
 * engines, and the runtime commands would hand an override to engines
 * that never started. */
#include "config.h"

#include "core/daemon.h"
#include "core/module.h"
#include "lvs/lvs.h"
#include "util/strbuf.h"

const struct module_ops *const softlbd_modules[] = {
	&lvs_module,
};

const size_t softlbd_module_count = sizeof(softlbd_modules) / sizeof(softlbd_modules[0]);

const char *module_state_name(enum module_state state)
{
	switch (state) {
	case MODULE_RUNNING: return "running";
	case MODULE_UNAVAILABLE: return "unavailable";
	case MODULE_NOT_CONFIGURED: return "not configured";
	}
	return "unknown";
}

int modules_runtime_changed(struct softlbd *d, struct strbuf *err)
{
	int rc = 0;

	for (size_t i = 0; i < softlbd_module_count; i++) {
		const struct module_ops *m = softlbd_modules[i];
		struct strbuf merr = STRBUF_INIT;

		if (m->runtime_changed && m->runtime_changed(d, d->module_priv[i], &merr) < 0) {
			strbuf_printf(err, "%s: %s\n", m->name, strbuf_str(&merr));
			rc = -1;
		}
		strbuf_free(&merr);
	}
	return rc;
}
