/* visible: make daemon text safe to put on a terminal.
 *
 * Everything softlbd sends (command output, error messages, help text, the
 * host name in the prompt) may contain bytes a terminal would act on: an
 * ESC starts a control sequence that can move the cursor, retitle the
 * window or rewrite what the operator sees. The shell shows no byte from
 * the daemon to a terminal without passing it through here first.
 *
 * Rules: '\n' and '\t' stay (unless the caller wants one line); ESC becomes
 * "^[", other C0 controls "^X", DEL "^?"; a byte that is not part of a valid
 * UTF-8 sequence becomes "\xNN" (this covers raw C1 controls 0x80-0x9f); a
 * valid UTF-8 sequence for a C1 code point (U+0080..U+009F, which some
 * terminals obey as controls) becomes "\xC2\xNN"; every other valid UTF-8
 * sequence is kept as it is.
 */
#ifndef SOFTLB_SHELL_VISIBLE_H
#define SOFTLB_SHELL_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Appends s[0..len) to out made visible. With one_line, '\n' and '\t' are
 * shown as "^J" and "^I" too, for text that must stay on one line (the
 * prompt, one column of a table). */
void visible_append(struct strbuf *out, const char *s, size_t len, bool one_line);

/* visible_append() of a NUL-terminated string, on one line. */
void visible_puts(struct strbuf *out, const char *s);

/* Appends "TOKEN\tHELP" lines (softlbd's describe reply) to out as two
 * aligned, visible columns indented by two spaces. The token column is as
 * wide as the widest token up to max_cols; a longer token pushes only its
 * own help to the right. */
void visible_columns(struct strbuf *out, const char *body, size_t len, size_t max_cols);

/* True when s[0..len) would come out of visible_append() unchanged. */
bool visible_is_clean(const char *s, size_t len, bool one_line);

/* Terminal columns that s[0..len) takes, for text that went through
 * visible_append() (so it holds valid UTF-8 and no controls but '\t' and
 * '\n', which count as one column each; callers measure single lines).
 * Uses wcwidth() in the current locale; a character it cannot measure
 * counts as one column. */
size_t visible_width(const char *s, size_t len);

/* Decodes the UTF-8 sequence at s[0..len). Returns its length (1 to 4)
 * and stores the code point in *cp, or returns 0 when the bytes there are
 * not a valid, shortest-form sequence. */
size_t visible_utf8_decode(const char *s, size_t len, unsigned *cp);

#endif
