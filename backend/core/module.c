#include "config.h"

#include "core/module.h"
#include "core/daemon.h"
#include "util/strbuf.h"

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

	for (size_t i = 0; i < d->n_modules; i++) {
		const struct module_ops *m = d->modules[i];
		struct strbuf merr = STRBUF_INIT;

		if (!m->runtime_changed || m->runtime_changed(d, d->module_priv[i], &merr) == 0) {
			strbuf_free(&merr);
			continue;
		}
		strbuf_printf(err, "%s: %s\n", m->name, strbuf_str(&merr));
		strbuf_free(&merr);
		rc = -1;
	}
	return rc;
}
