/* diag: the warnings and errors of one configuration load, in order.
 *
 * The parsers never print: they add entries here, each with the file and
 * line it is about, and the caller decides where the text goes (stderr for
 * `softlbd -t`, the log on reload, the shell for `configure`). A load with
 * any error yields no model.
 */
#ifndef SOFTLB_CONFIG_DIAG_H
#define SOFTLB_CONFIG_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "util/strbuf.h"

enum config_severity {
	CONFIG_WARNING = 0,
	CONFIG_ERROR = 1,
};

struct config_diag_entry {
	enum config_severity severity;
	char *file;	/* owned; NULL when not about a file */
	int line;	/* 0 when not about a line */
	char *msg;	/* owned; no file, line or severity prefix */
};

struct config_diag {
	struct config_diag_entry *items;
	size_t len;
	size_t cap;
	size_t n_warnings;
	size_t n_errors;
};

#define CONFIG_DIAG_INIT { NULL, 0, 0, 0, 0 }

void config_diag_init(struct config_diag *d);
/* Frees every entry; the diag can be reused after config_diag_init(). */
void config_diag_free(struct config_diag *d);
/* Appends one entry; file may be NULL and line 0. */
void config_diag_add(struct config_diag *d, enum config_severity sev,
		     const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void config_diag_vadd(struct config_diag *d, enum config_severity sev,
		      const char *file, int line, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
/* Fail closed. A keyword softlb knows but does not act on is either
 * harmless to ignore (logging, process management: a warning) or would
 * change traffic if ignored. The second kind is refused with the one
 * message below, naming what ignoring it would change: one of the
 * CONFIG_CHANGES_ strings. */
#define CONFIG_CHANGES_ROUTE "where traffic goes"
#define CONFIG_CHANGES_ADMIT "who is let in"
#define CONFIG_CHANGES_SEND "what is sent"

/* Adds the error "'KW' is not implemented by softlb yet; ignoring it
 * would change WHAT, so the configuration is refused". */
void config_diag_not_yet(struct config_diag *d, const char *file, int line,
			 const char *kw, const char *what);

/* Formats one entry as "FILE:LINE: MSG" for an error and
 * "FILE:LINE: warning: MSG" for a warning (no newline). */
void config_diag_format_entry(const struct config_diag_entry *e,
			      struct strbuf *out);
/* Formats every entry, one per line, in the order they were added. */
void config_diag_format(const struct config_diag *d, struct strbuf *out);

#endif
