#include "config.h"

#include "config/conf.h"
#include "config/hap_parse.h"
#include "config/kad_lex.h"
#include "config/kad_parse.h"
#include "config/model.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Runs the keepalived lexer and parser over text (or, when text is NULL,
 * over the file called name). */
static bool load_kad(struct config *cfg, struct config_diag *diag,
		     const char *name, const char *text, size_t len)
{
	struct kad_parser p;
	bool ok;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.diag = diag;
	strvec_init(&p.warned);
	kad_lexer_init(&p.lx, cfg, diag);
	if (text)
		ok = kad_lex_buffer(&p.lx, name, text, len);
	else
		ok = kad_lex_file(&p.lx, name);
	if (ok)
		ok = kad_parse_tokens(&p);
	kad_lexer_free(&p.lx);
	strvec_free(&p.warned);
	return ok;
}

static bool load_hap_file(struct config *cfg, struct config_diag *diag,
			  const char *path)
{
	size_t len = 0;
	char *text = cfg_read_file(path, &len);
	bool ok;

	if (!text) {
		config_diag_add(diag, CONFIG_ERROR, path, 0, "cannot read: %s",
				strerror(errno));
		return false;
	}
	ok = hap_parse_text(cfg, diag, path, text, len);
	free(text);
	return ok;
}

/* A file that does not exist is fine unless required: the default paths
 * under /etc/softlb are optional. /dev/null is the usual way to say "no
 * file of this dialect" (devices are otherwise refused, so that a config
 * can never make softlbd read a tty or /dev/zero). Any other failure is an
 * error. */
static bool skip_missing(const char *path, bool required,
			 struct config_diag *diag)
{
	struct stat st;

	if (strcmp(path, "/dev/null") == 0)
		return true;
	if (stat(path, &st) == 0 || errno != ENOENT)
		return false;
	if (required)
		config_diag_add(diag, CONFIG_ERROR, path, 0,
				"cannot read: %s", strerror(ENOENT));
	return true;
}

/* Finishes a model whose parses all succeeded. */
static struct config *finish(struct config *cfg, struct config_diag *diag,
			     size_t errors_before)
{
	if (diag->n_errors > errors_before) {
		config_free(cfg);
		return NULL;
	}
	config_merge_kad(cfg);
	return cfg;
}

struct config *config_load(const char *kad_path, const char *hap_path,
			   bool kad_required, bool hap_required,
			   struct config_diag *diag)
{
	struct config *cfg = config_new();
	size_t errors_before = diag->n_errors;

	if (kad_path && !skip_missing(kad_path, kad_required, diag)) {
		cfg->kad_path = xstrdup(kad_path);
		load_kad(cfg, diag, kad_path, NULL, 0);
	}
	if (hap_path && !skip_missing(hap_path, hap_required, diag)) {
		cfg->hap_path = xstrdup(hap_path);
		load_hap_file(cfg, diag, hap_path);
	}
	return finish(cfg, diag, errors_before);
}

struct config *config_load_buffers(const char *kad_name, const char *kad_text,
				   size_t kad_len, const char *hap_name,
				   const char *hap_text, size_t hap_len,
				   struct config_diag *diag)
{
	struct config *cfg = config_new();
	size_t errors_before = diag->n_errors;

	if (kad_text) {
		cfg->kad_path = xstrdup(kad_name);
		load_kad(cfg, diag, kad_name, kad_text, kad_len);
	}
	if (hap_text) {
		cfg->hap_path = xstrdup(hap_name);
		hap_parse_text(cfg, diag, hap_name, hap_text, hap_len);
	}
	return finish(cfg, diag, errors_before);
}
