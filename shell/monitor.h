/* monitor: the shell's `monitor` command, which runs softlbtop.
 *
 * The shell may be an ssh ForceCommand, so what it runs is fixed when
 * softlb is built: SOFTLBTOP_PATH ($(bindir)/softlbtop), never a PATH
 * search, and the only argument is the shell's own socket. The
 * environment is rebuilt from a short list (TERM, when it is a plain
 * terminal name, the locale, NO_COLOR, and the window size), so nothing
 * the user controls (TERMINFO, LD_*, ...) reaches the program. The shell
 * waits for softlbtop and returns to its prompt.
 */
#ifndef SOFTLB_SHELL_MONITOR_H
#define SOFTLB_SHELL_MONITOR_H

#include <stdbool.h>

#include "util/strbuf.h"

/* True when line is a monitor command ("monitor", blanks around it
 * allowed). *extra is set when words follow it (refused: it takes none). */
bool monitor_is_command(const char *line, bool *extra);

/* Runs softlbtop on socket_path and waits for it. Returns its exit
 * status, or -1 with the reason in err (not installed, no terminal,
 * fork failed). */
int monitor_run(const char *socket_path, struct strbuf *err);

/* The program monitor runs. */
const char *monitor_path(void);

#endif
