/* cmds_core: the commands every softlbd has, whatever engines run: show
 * version, status and clients, help, and moving between shell modes.
 */
#ifndef SOFTLB_CTL_CMDS_CORE_H
#define SOFTLB_CTL_CMDS_CORE_H

#include "util/strbuf.h"

struct grammar;

/* Adds the core command table to g. Returns 0, or -1 with err set. */
int cmds_core_register(struct grammar *g, struct strbuf *err);

#endif
