#include "config.h"

#include "core/module.h"
#include "check/check.h"
#include "core/confmgr.h"
#include "ctl/server.h"
#include "vrrp/vrrp.h"

/* Every engine of softlbd, in start order; stop runs in reverse. Adding an
 * engine adds a line here. */
const struct module_ops *const softlbd_modules[] = {
	&config_module,	/* first: every engine after it reads the model */
	&vrrp_module,	/* VRRP instances and their VIPs */
	&check_module,	/* health checks; LVS and the proxy subscribe */
	&ctl_module,	/* last: clients connect once everything runs */
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
