/* term: the terminal, taken and always given back.
 *
 * The monitor changes the terminal's modes (cbreak, no echo, the
 * alternate screen, a hidden cursor). Every way out gives them back:
 * q and the end of main (term_stop), SIGINT/SIGTERM/SIGHUP/SIGQUIT (they
 * only set a flag and wake the main loop, which then stops normally),
 * and a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT): the handler
 * writes the saved exit sequences and the saved termios with
 * async-signal-safe calls, then dies of the same signal. Ctrl-Z / fg is
 * ncurses' own SIGTSTP handling; SIGCONT and SIGWINCH wake the loop so it
 * redraws at once.
 */
#ifndef SOFTLB_TUI_TERM_H
#define SOFTLB_TUI_TERM_H

#include <stdbool.h>

/* Installs the signal handlers (before the terminal is taken, so
 * ncurses keeps ours for SIGINT and SIGTERM). Returns the read end of the
 * wake-up pipe, or -1. */
int term_signals_init(void);

/* Takes the terminal. want_color: colours if the terminal has them.
 * Returns false (with a reason in err) when the terminal cannot be
 * driven (TERM unknown). */
bool term_start(bool want_color, char *err, int errlen);

/* Gives the terminal back; safe to call twice. */
void term_stop(void);

/* True once a stop signal arrived; term_woken() drains the pipe and
 * says whether SIGCONT came (a full redraw is due). */
bool term_stop_requested(void);
bool term_woken(void);

bool term_has_color(void);

#endif
