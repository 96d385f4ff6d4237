#include "config.h"

#include "core/engines.h"
#include "check/check.h"
#include "core/confmgr.h"
#include "ctl/server.h"
#include "lvs/lvs.h"
#include "metrics/metrics.h"
#include "proxy/proxy.h"
#include "snmp/snmp.h"
#include "vrrp/vrrp.h"

/* Every engine of softlbd, in start order; stop runs in reverse. Adding an
 * engine adds a line here. */
const struct module_ops *const softlbd_modules[] = {
	&config_module,	/* first: every engine after it reads the model */
	&vrrp_module,	/* VRRP instances and their VIPs */
	&check_module,	/* health checks; LVS and the proxy subscribe */
	&lvs_module,	/* IPVS: reads the model and the checks, adopts the kernel's table */
	/* Before the proxy: net-snmp's one-time set-up (environment included)
	 * runs while softlbd has no other thread. Reads the proxy only when
	 * asked, once everything runs. */
	&snmp_module,	/* AgentX subagent: reads VRRP, LVS and the proxy */
	&proxy_module,	/* TCP/HTTP proxy: worker threads; reads the model and the checks */
	&metrics_module,	/* Prometheus endpoint (--metrics): reads through show commands */
	&ctl_module,	/* last: clients connect once everything runs */
};

const size_t softlbd_module_count = sizeof(softlbd_modules) / sizeof(softlbd_modules[0]);

