/* The configuration commands: show running-config, show startup-config,
 * show config diff, reload, write memory; and the "config" module that
 * loads the configuration at start. */
#include "config.h"

#include "core/confmgr.h"
#include "ctl/cmd_out.h"
#include "core/config_edit_cmds.h"
#include "core/runtime.h"
#include "config/conf.h"
#include "config/layout.h"
#include "core/daemon.h"
#include "core/events_cmds.h"
#include "core/log.h"
#include "core/module.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/xalloc.h"

#include <json-c/json.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Answers { "keepalived": TEXT, "haproxy": TEXT } for the dialects asked:
 * programs get the same text people do, without having to split it. */
static void put_json_texts(struct cmd_ctx *ctx, const char *kad, const char *hap)
{
	struct json_object *o = json_object_new_object();

	if (kad)
		json_object_object_add(o, "keepalived", json_object_new_string(kad));
	if (hap)
		json_object_object_add(o, "haproxy", json_object_new_string(hap));
	cmd_put_json(ctx, o);
}

/* Which dialects a command is about: both unless one is named. */
static void dialects(const struct cmd_args *args, bool *kad, bool *hap)
{
	*kad = !cmd_arg_has(args, "haproxy");
	*hap = !cmd_arg_has(args, "keepalived");
}

static int cmd_show_running(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct config *cfg = ctx->d->config;
	bool kad, hap;

	dialects(args, &kad, &hap);
	if (!cfg) {
		strbuf_puts(ctx->out, ctx->json ? "{ }\n" : "! no configuration loaded\n");
		return CTL_OK;
	}
	if (ctx->json) {
		struct strbuf k = STRBUF_INIT, h = STRBUF_INIT;

		config_print_keepalived(cfg, &k);
		config_print_haproxy(cfg, &h);
		put_json_texts(ctx, kad ? strbuf_str(&k) : NULL, hap ? strbuf_str(&h) : NULL);
		strbuf_free(&k);
		strbuf_free(&h);
		return CTL_OK;
	}
	if (kad) {
		strbuf_printf(ctx->out, "! keepalived dialect (%s)\n", ctx->d->opts.kad_path);
		config_print_keepalived(cfg, ctx->out);
	}
	if (kad && hap)
		strbuf_putc(ctx->out, '\n');
	if (hap) {
		strbuf_printf(ctx->out, "# haproxy dialect (%s)\n", ctx->d->opts.hap_path);
		config_print_haproxy(cfg, ctx->out);
	}
	/* Overrides are not configuration, but whoever reads the
	 * configuration must know they are in force. */
	runtime_format_comments(ctx->d->runtime, hap ? "#" : "!", ctx->out);
	return CTL_OK;
}

/* Appends the file's bytes as they are on disk, or a note when it cannot. */
static void put_file(struct strbuf *out, const char *path)
{
	char buf[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;

	if (fd < 0) {
		strbuf_printf(out, "! %s: %s\n", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		strbuf_printf(out, "! %s: not a regular file\n", path);
		close(fd);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		strbuf_append(out, buf, (size_t)n);
	if (out->len && out->data[out->len - 1] != '\n')
		strbuf_putc(out, '\n');
	close(fd);
}

/* The keepalived main file, then each file it included (as the running
 * configuration knows them), each after a comment naming it. */
static void put_kad_files(struct cmd_ctx *ctx, struct strbuf *out)
{
	const struct config *cfg = ctx->d->config;

	put_file(out, ctx->d->opts.kad_path);
	for (size_t i = 0; cfg && i < cfg->kad_included.len; i++) {
		strbuf_printf(out, "! ---- included: %s\n", cfg->kad_included.items[i]);
		put_file(out, cfg->kad_included.items[i]);
	}
}

static int cmd_show_startup(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	bool kad, hap;

	dialects(args, &kad, &hap);
	if (ctx->json) {
		struct strbuf k = STRBUF_INIT, h = STRBUF_INIT;

		put_kad_files(ctx, &k);
		put_file(&h, ctx->d->opts.hap_path);
		put_json_texts(ctx, kad ? strbuf_str(&k) : NULL, hap ? strbuf_str(&h) : NULL);
		strbuf_free(&k);
		strbuf_free(&h);
		return CTL_OK;
	}
	if (kad)
		put_kad_files(ctx, ctx->out);
	if (hap)
		put_file(ctx->out, ctx->d->opts.hap_path);
	return CTL_OK;
}

/* show config diff: what a reload would change (running -> files).
 * show config diff startup: what write memory would change in the files
 * (files -> running). */
static int cmd_show_diff(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct config *disk, *empty = NULL;
	const struct config *running = ctx->d->config;
	bool startup = cmd_arg_has(args, "startup");
	size_t n;

	disk = config_load(ctx->d->opts.kad_path, ctx->d->opts.hap_path,
			   ctx->d->opts.kad_given, ctx->d->opts.hap_given, &diag);
	if (!disk) {
		strbuf_puts(ctx->out, "% the files on disk do not load:\n");
		config_diag_format(&diag, ctx->out);
		config_diag_free(&diag);
		return CTL_ERR_FAILED;
	}
	config_diag_free(&diag);
	if (!running) {
		empty = config_load_buffers(NULL, NULL, 0, NULL, NULL, 0, &diag);
		config_diag_free(&diag);
		running = empty;
	}
	if (ctx->json) {
		struct strbuf lines = STRBUF_INIT;
		struct json_object *arr = json_object_new_array();
		char *line, *save = NULL;

		if (startup)
			confmgr_format_diff(disk, running, &lines);
		else
			confmgr_format_diff(running, disk, &lines);
		/* One object per "+ kind id[: fields]" line. */
		for (line = strtok_r(lines.data, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			struct json_object *c = json_object_new_object();
			const char *change = line[0] == '+' ? "added" : line[0] == '-' ? "removed"
							 : "changed";
			char *kind = line + 2, *id = strchr(kind, ' '), *fields;

			if (id)
				*id++ = '\0';
			fields = id ? strstr(id, ": ") : NULL;
			if (fields) {
				*fields = '\0';
				fields += 2;
			}
			json_object_object_add(c, "change", json_object_new_string(change));
			json_object_object_add(c, "kind", json_object_new_string(kind));
			json_object_object_add(c, "id", json_object_new_string(id ? id : ""));
			if (fields)
				json_object_object_add(c, "fields", json_object_new_string(fields));
			json_object_array_add(arr, c);
		}
		cmd_put_json(ctx, arr);
		strbuf_free(&lines);
		n = 1;
	} else if (startup) {
		n = confmgr_format_diff(disk, running, ctx->out);
	} else {
		n = confmgr_format_diff(running, disk, ctx->out);
	}
	if (n == 0)
		strbuf_puts(ctx->out, startup ? "the files on disk match the running configuration\n"
					       : "a reload would change nothing\n");
	config_free(disk);
	if (empty)
		config_free(empty);
	return CTL_OK;
}

static int cmd_show_warnings(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const char *w = ctx->d->config_warnings_text;

	if (ctx->json) {
		struct json_object *arr = json_object_new_array();
		char *copy = xstrdup(w ? w : ""), *line, *save = NULL;

		for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			json_object_array_add(arr, json_object_new_string(line));
		cmd_put_json(ctx, arr);
		free(copy);
		return CTL_OK;
	}
	strbuf_puts(ctx->out, w && *w ? w : "no warnings\n");
	return CTL_OK;
}

static int cmd_reload(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_actor by;
	int rc = confmgr_reload(ctx->d, events_actor_of(ctx, &by) ? &by : NULL, ctx->out);

	log_notice("reload from the shell: %s", rc == 0 ? "applied" : "refused");
	return rc == 0 ? CTL_OK : CTL_ERR_FAILED;
}

/* ------------------------------------------------------------------ */
/* write memory                                                        */

/* Writes text to path atomically: a temporary file in the same directory,
 * fsync'd, the old file kept as path.bak, then renamed over path, and the
 * directory fsync'd. A crash at any point leaves the old file or the new
 * one, never half of one. Returns 0, or -1 with the reason in err. */
static int write_atomic(const char *given, const struct strbuf *text, struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT, bak = STRBUF_INIT;
	char real[PATH_MAX];
	/* A symbolic link (conf.d/web.conf -> ../available/web.conf) stays
	 * one: the file it points to is the one replaced. */
	const char *path = realpath(given, real) ? real : given;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	mode_t mode = 0640;
	struct stat st;
	size_t off = 0;
	int fd, dfd, rc = -1;

	if (slash)
		*slash = '\0';
	/* Only a regular file is ever replaced: renaming over /dev/null
	 * (how an empty dialect is named) or a device would replace the
	 * device node itself. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		strbuf_printf(err, "%s is not a regular file", given);
		free(dir);
		return -1;
	}
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	strbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	strbuf_printf(&bak, "%s.bak", path);
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		strbuf_printf(err, "cannot create %s: %s", tmp.data, strerror(errno));
		goto out;
	}
	while (off < text->len) {
		ssize_t n = write(fd, text->data + off, text->len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			strbuf_printf(err, "cannot write %s: %s", tmp.data, strerror(errno));
			close(fd);
			unlink(tmp.data);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		strbuf_printf(err, "cannot sync %s: %s", tmp.data, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	if (access(path, F_OK) == 0) {
		unlink(bak.data);
		if (link(path, bak.data) < 0) {
			strbuf_printf(err, "cannot keep the previous file as %s: %s", bak.data,
				      strerror(errno));
			unlink(tmp.data);
			goto out;
		}
	}
	if (rename(tmp.data, path) < 0) {
		strbuf_printf(err, "cannot replace %s: %s", path, strerror(errno));
		unlink(tmp.data);
		goto out;
	}
	dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	free(dir);
	strbuf_free(&tmp);
	strbuf_free(&bak);
	return rc;
}

/* Checks a dialect whose file is /dev/null: fine while that dialect of
 * the model is empty; otherwise -1 with the reason in out, before any
 * file is written. */
static int no_file(const char *path, const struct config *cfg, bool kad,
		   struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT;
	int rc = 0;

	if (strcmp(path, "/dev/null") != 0)
		return 0;
	if (kad)
		config_print_keepalived(cfg, &text);
	else
		config_print_haproxy(cfg, &text);
	if (text.len) {
		strbuf_printf(out, "%% write memory refused: the %s configuration is "
			      "not empty but its file is /dev/null; start softlbd "
			      "with %s FILE to save it\n",
			      kad ? "keepalived" : "haproxy", kad ? "-f" : "-p");
		rc = -1;
	}
	strbuf_free(&text);
	return rc;
}

/* Writes the running model back to the files it came from: each
 * keepalived object to the file that defined it (include lines stay
 * where they were; new objects go to the main file), the haproxy model
 * to its file. Every file is written atomically with its .bak. */
static int cmd_write_memory(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	const struct config *cfg = ctx->d->config;
	struct strbuf hap = STRBUF_INIT, err = STRBUF_INIT, names = STRBUF_INIT;
	struct config_layout kad;
	int status = CTL_OK;

	if (!cfg) {
		strbuf_puts(ctx->out, "% no configuration loaded: nothing to write\n");
		return CTL_ERR_FAILED;
	}
	config_layout_keepalived(cfg, ctx->d->opts.kad_path,
				 "! written by softlbd (write memory)\n", &kad);
	strbuf_puts(&hap, "# written by softlbd (write memory)\n");
	config_print_haproxy(cfg, &hap);
	/* /dev/null names no file of that dialect: nothing to write there
	 * while the dialect is empty, and nowhere to write it otherwise */
	if (no_file(ctx->d->opts.kad_path, cfg, true, ctx->out) < 0 ||
	    no_file(ctx->d->opts.hap_path, cfg, false, ctx->out) < 0) {
		config_layout_free(&kad);
		strbuf_free(&hap);
		return CTL_ERR_FAILED;
	}
	for (size_t i = 0; i < kad.n_files && status == CTL_OK &&
	     strcmp(ctx->d->opts.kad_path, "/dev/null") != 0; i++) {
		if (write_atomic(kad.files[i].path, &kad.files[i].text, &err) < 0)
			status = CTL_ERR_FAILED;
		else
			strbuf_printf(&names, "%s, ", kad.files[i].path);
	}
	if (status == CTL_OK && strcmp(ctx->d->opts.hap_path, "/dev/null") != 0) {
		if (write_atomic(ctx->d->opts.hap_path, &hap, &err) < 0)
			status = CTL_ERR_FAILED;
		else
			strbuf_printf(&names, "%s, ", ctx->d->opts.hap_path);
	}
	if (status != CTL_OK) {
		strbuf_printf(ctx->out, "%% write memory failed: %s\n", strbuf_str(&err));
		if (names.len)
			strbuf_printf(ctx->out, "%% already written: %.*s\n",
				      (int)names.len - 2, strbuf_str(&names));
	} else {
		strbuf_printf(ctx->out, "wrote %.*s (previous versions kept as .bak)\n",
			      names.len ? (int)names.len - 2 : 0, strbuf_str(&names));
		if (kad.flattened)
			strbuf_printf(ctx->out, "note: %s\n", kad.flattened);
	}
	config_layout_free(&kad);
	strbuf_free(&hap);
	strbuf_free(&err);
	strbuf_free(&names);
	return status;
}

#define SHOW_HELP "Show running system information\n"
#define JSON_HELP "Answer in JSON\n"
#define DIALECT_HELP "Only the keepalived dialect\nOnly the haproxy dialect\n"

static const struct cmd_def confmgr_cmds[] = {
	{ "show running-config [<keepalived|haproxy>] [json]",
	  SHOW_HELP "The configuration softlbd runs now, in canonical syntax\n" DIALECT_HELP
	  JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_OPER, cmd_show_running, NULL, CMD_F_READONLY },
	{ "show startup-config [<keepalived|haproxy>] [json]",
	  SHOW_HELP "The configuration files as they are on disk\n" DIALECT_HELP JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_OPER, cmd_show_startup, NULL, CMD_F_READONLY },
	{ "show config diff [startup] [json]",
	  SHOW_HELP "Configuration\nWhat a reload would change\n"
	  "What write memory would change in the files\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_OPER, cmd_show_diff, NULL, CMD_F_READONLY },
	{ "show config warnings [json]",
	  SHOW_HELP "Configuration\nWarnings from loading the running configuration\n" JSON_HELP,
	  CMD_IN_ALL, CTL_ROLE_OPER, cmd_show_warnings, NULL, CMD_F_READONLY },
	{ "reload", "Re-read the configuration files and apply what changed\n",
	  CMD_IN_VIEW | CMD_IN_CONFIG, CTL_ROLE_ADMIN, cmd_reload, NULL },
	{ "write memory", "Save the running configuration\nto the files it came from\n",
	  CMD_IN_VIEW | CMD_IN_CONFIG_ANY, CTL_ROLE_ADMIN, cmd_write_memory, NULL },
};

int confmgr_register(struct grammar *g, struct strbuf *err)
{
	return grammar_add_table(g, confmgr_cmds, sizeof(confmgr_cmds) / sizeof(confmgr_cmds[0]),
				 err);
}

/* ------------------------------------------------------------------ */
/* The module                                                          */

static int config_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	if (confmgr_register(d->grammar, err) < 0 || config_edit_register(d->grammar, err) < 0 ||
	    runtime_register(d->grammar, err) < 0)
		return -1;
	return confmgr_start(d, err);
}

static void config_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct strbuf sum = STRBUF_INIT;
	char *nl;

	st->state = MODULE_RUNNING;
	if (!d->config) {
		snprintf(st->reason, sizeof(st->reason), "no configuration");
		return;
	}
	diag.n_warnings = d->config_warnings;
	config_summary(d->config, &diag, &sum);
	nl = strchr(strbuf_str(&sum), '\n');
	if (nl)
		*nl = '\0';
	snprintf(st->reason, sizeof(st->reason), "%s", strbuf_str(&sum));
	strbuf_free(&sum);
}

static void config_stop(struct softlbd *d, void *priv)
{
	confmgr_stop(d);
}

const struct module_ops config_module = {
	.name = "config",
	.description = "configuration: keepalived and haproxy dialects",
	.init = config_init,
	.status = config_status,
	.stop = config_stop,
};
