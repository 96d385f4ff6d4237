/* pager: a small built-in "more" for long command output.
 *
 * The shell may be an ssh ForceCommand, so it never starts $PAGER or any
 * other program; this is the whole pager. It only ever moves forward
 * (output stays in the terminal's scrollback), reads single keys in raw
 * mode and always puts the terminal back as it found it.
 *
 *   space  next page          Enter  next line       q  quit
 *   /      search forward     n      next match
 */
#ifndef SOFTLB_SHELL_PAGER_H
#define SOFTLB_SHELL_PAGER_H

#include <stddef.h>
#include <stdio.h>

enum pager_result {
	PAGER_DONE = 0,		/* shown to the end, or the user quit */
	PAGER_IDLE,		/* no key within the idle limit; caller exits */
	PAGER_ERROR,		/* the terminal could not be written */
};

/* Writes text[0..len) to out, which must already be safe to show (see
 * visible.h). When out and in_fd are terminals and the text is taller than
 * the screen, shows it a page at a time, reading keys from in_fd; idle_ms
 * (<= 0: none) bounds the wait for each key. */
enum pager_result pager_show(FILE *out, int in_fd, const char *text, size_t len,
			     int idle_ms);

#endif
