/* errorfile answers (px_errfile.h). The model holds each answer as it is
 * sent ("CODE FILE\n" then the bytes); the snapshot keeps the bytes. */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_errfile.h"

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "util/xalloc.h"

struct px_errfiles {
	int *code;
	char **msg;
	size_t n;
};

struct px_errfiles *px_errfiles_build(const struct cfg_proxy *cp)
{
	struct px_errfiles *e;

	if (!cp->errorfiles.len)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->code = xcalloc(cp->errorfiles.len, sizeof(*e->code));
	e->msg = xcalloc(cp->errorfiles.len, sizeof(*e->msg));
	for (size_t i = 0; i < cp->errorfiles.len; i++) {
		const char *it = cp->errorfiles.items[i], *nl = strchr(it, '\n');

		if (!nl)
			continue;	/* checked at load: cannot happen */
		e->code[e->n] = atoi(it);
		e->msg[e->n++] = xstrdup(nl + 1);
	}
	return e;
}

void px_errfiles_free(struct px_errfiles *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->msg[i]);
	free(e->msg);
	free(e->code);
	free(e);
}

static const char *find(const struct px_proxy *p, int status)
{
	for (size_t i = 0; p && p->errfiles && i < p->errfiles->n; i++)
		if (p->errfiles->code[i] == status)
			return p->errfiles->msg[i];
	return NULL;
}

const char *px_http_answer(const struct px_proxy *fe, const struct px_proxy *be, int status)
{
	const char *m = be ? find(be, status) : NULL;

	if (!m)
		m = find(fe, status);
	return m ? m : px_http_error(status);
}
