/* config_edit_cmds: configure-mode commands that change the running
 * configuration live (virtual-server, real-server, proxy, server,
 * vrrp-instance ...). Each one edits a copy of the running model
 * (config/edit.h), validates it, and applies it through confmgr_apply(),
 * the path SIGHUP and `reload` take.
 */
#ifndef SOFTLB_CORE_CONFIG_EDIT_CMDS_H
#define SOFTLB_CORE_CONFIG_EDIT_CMDS_H

#include "util/strbuf.h"

struct grammar;

/* Adds the configuration-editing commands to g. Returns 0, or -1 with
 * err set when a syntax or help string is malformed. */
int config_edit_register(struct grammar *g, struct strbuf *err);

#endif
