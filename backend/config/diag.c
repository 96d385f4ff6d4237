#include "config.h"

#include "config/conf.h"

#include "config/diag.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void config_diag_init(struct config_diag *d)
{
	memset(d, 0, sizeof(*d));
}

void config_diag_free(struct config_diag *d)
{
	for (size_t i = 0; i < d->len; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	config_diag_init(d);
}

void config_diag_vadd(struct config_diag *d, enum config_severity sev,
		      const char *file, int line, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct config_diag_entry *e;

	strbuf_vprintf(&sb, fmt, ap);
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->items = xreallocarray(d->items, d->cap, sizeof(*d->items));
	}
	e = &d->items[d->len++];
	e->severity = sev;
	e->file = file ? xstrdup(file) : NULL;
	e->line = line;
	e->msg = strbuf_detach(&sb);
	if (!e->msg)
		e->msg = xstrdup("");
	if (sev == CONFIG_ERROR)
		d->n_errors++;
	else
		d->n_warnings++;
}

void config_diag_add(struct config_diag *d, enum config_severity sev,
		     const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(d, sev, file, line, fmt, ap);
	va_end(ap);
}

void config_diag_format_entry(const struct config_diag_entry *e,
			      struct strbuf *out)
{
	if (e->file && e->line > 0)
		strbuf_printf(out, "%s:%d: ", e->file, e->line);
	else if (e->file)
		strbuf_printf(out, "%s: ", e->file);
	if (e->severity == CONFIG_WARNING)
		strbuf_puts(out, "warning: ");
	strbuf_puts(out, e->msg);
}

void config_diag_format(const struct config_diag *d, struct strbuf *out)
{
	for (size_t i = 0; i < d->len; i++) {
		config_diag_format_entry(&d->items[i], out);
		strbuf_putc(out, '\n');
	}
}

void config_diag_not_yet(struct config_diag *d, const char *file, int line,
			 const char *kw, const char *what)
{
	config_diag_add(d, CONFIG_ERROR, file, line,
			"'%s' is not implemented by softlb yet; ignoring it "
			"would change %s, so the configuration is refused",
			kw, what);
}
