#include "config.h"

#include "config/conf.h"

#include "config/kad_lex.h"
#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void kad_lexer_init(struct kad_lexer *lx, struct config *cfg,
		    struct config_diag *diag)
{
	memset(lx, 0, sizeof(*lx));
	lx->cfg = cfg;
	lx->diag = diag;
	strvec_init(&lx->stack);
}

void kad_lexer_free(struct kad_lexer *lx)
{
	for (size_t i = 0; i < lx->text.n_blocks; i++)
		free(lx->text.blocks[i]);
	free(lx->text.blocks);
	free(lx->toks);
	strvec_free(&lx->stack);
	memset(lx, 0, sizeof(*lx));
}

static void lex_error(struct kad_lexer *lx, const char *file, int line,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void lex_error(struct kad_lexer *lx, const char *file, int line,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	config_diag_vadd(lx->diag, CONFIG_ERROR, file, line, fmt, ap);
	va_end(ap);
	lx->failed = true;
}

#define ARENA_BLOCK (64u * 1024u)

/* A NUL-terminated copy of the n bytes at s, in the lexer's arena. */
static char *arena_strndup(struct kad_lexer *lx, const char *s, size_t n)
{
	struct kad_arena *a = &lx->text;
	char *p;

	if (!a->n_blocks || a->size - a->used < n + 1) {
		size_t size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;

		if (a->n_blocks == a->cap_blocks) {
			a->cap_blocks = a->cap_blocks ? a->cap_blocks * 2 : 16;
			a->blocks = xreallocarray(a->blocks, a->cap_blocks, sizeof(*a->blocks));
		}
		a->blocks[a->n_blocks++] = xmalloc(size);
		a->size = size;
		a->used = 0;
	}
	p = a->blocks[a->n_blocks - 1] + a->used;
	memcpy(p, s, n);
	p[n] = '\0';
	a->used += n + 1;
	return p;
}

static void push_tok(struct kad_lexer *lx, enum kad_tok_type type,
		     char *text, const char *file, int line)
{
	struct kad_tok *t = CFG_APPEND(lx->toks, lx->n_toks, lx->cap_toks);

	t->type = type;
	t->text = text;
	t->file = file;
	t->line = line;
}

/* Reads a whole regular file into memory. Devices and FIFOs are refused
 * so that `include /dev/zero` cannot hang the daemon. Returns NULL with
 * errno set on failure; the caller frees. */
char *cfg_read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return NULL;
	}
	if (st.st_size > KAD_MAX_FILE_SIZE) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

static bool lex_text(struct kad_lexer *lx, const char *file,
		     const char *buf, size_t len);

/* Lexes one included file, guarding against loops by its real path. */
static void lex_include_file(struct kad_lexer *lx, const char *path,
			     const char *from, int from_line)
{
	char real[PATH_MAX];
	const char *name;
	char *buf;
	size_t len = 0;

	if (!realpath(path, real)) {
		lex_error(lx, from, from_line,
			  "'include' cannot open '%s': %s", path,
			  strerror(errno));
		return;
	}
	if (strvec_contains(&lx->stack, real)) {
		lex_error(lx, from, from_line,
			  "'include' loop: '%s' is already being read", path);
		return;
	}
	if (lx->stack.len >= KAD_MAX_INCLUDE_DEPTH) {
		lex_error(lx, from, from_line,
			  "'include' nested deeper than %d files",
			  KAD_MAX_INCLUDE_DEPTH);
		return;
	}
	buf = cfg_read_file(path, &len);
	if (!buf) {
		lex_error(lx, from, from_line,
			  "'include' cannot read '%s': %s", path,
			  strerror(errno));
		return;
	}
	name = config_intern_file(lx->cfg, path);
	if (!strvec_contains(&lx->cfg->kad_included, name))
		strvec_push(&lx->cfg->kad_included, name);
	strvec_push(&lx->stack, real);
	lex_text(lx, name, buf, len);
	free(lx->stack.items[--lx->stack.len]);
	lx->stack.items[lx->stack.len] = NULL;
	free(buf);
}

/* Expands one include pattern relative to the including file's folder.
 * A pattern with wildcards may match nothing (a conf.d folder may be
 * empty); a plain file name must exist. */
static void lex_include(struct kad_lexer *lx, const char *pattern,
			const char *from, int from_line)
{
	struct strbuf full = STRBUF_INIT;
	struct config *cfg = lx->cfg;
	struct cfg_include *inc;
	size_t idx = cfg->n_includes;
	int depth = lx->depth;
	glob_t g;
	int rc = GLOB_NOMATCH;

	/* remembered for write memory, which writes objects back to their
	 * files and keeps this line */
	inc = CFG_APPEND(cfg->includes, cfg->n_includes, cfg->cap_includes);
	inc->loc.file = from;
	inc->loc.line = from_line;
	inc->pattern = xstrdup(pattern);
	inc->nested = depth > 0;

	/* a file named without a folder includes from the current one,
	 * and messages keep the short name */
	if (pattern[0] == '/' || !strchr(from, '/')) {
		strbuf_puts(&full, pattern);
	} else {
		char *copy = xstrdup(from);

		strbuf_printf(&full, "%s/%s", dirname(copy), pattern);
		free(copy);
	}
	if (!strpbrk(pattern, "*?[")) {
		lex_include_file(lx, strbuf_str(&full), from, from_line);
		goto out;
	}
	rc = glob(strbuf_str(&full), GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH) {
		config_diag_add(lx->diag, CONFIG_WARNING, from, from_line,
				"'include' pattern '%s' matches no file",
				pattern);
	} else if (rc != 0) {
		lex_error(lx, from, from_line,
			  "'include' cannot expand '%s'", pattern);
	} else {
		/* glob sorts its results, so conf.d/10-x loads before 20-y */
		for (size_t i = 0; i < g.gl_pathc && !lx->failed; i++)
			lex_include_file(lx, g.gl_pathv[i], from, from_line);
	}
	if (rc == 0)
		globfree(&g);
out:
	strbuf_free(&full);
	/* included text that opens or closes a block of the includer's
	 * makes objects span files (the array may have moved meanwhile) */
	if (lx->depth != depth)
		cfg->includes[idx].nested = true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Handles a finished line: an `include` statement is replaced by the
 * files it names; anything else is already in the stream. */
static void end_line(struct kad_lexer *lx, const char *file, int line,
		     size_t line_start)
{
	size_t n = lx->n_toks - line_start;
	struct kad_tok *t;

	if (n == 0)	/* also: no token array yet, toks may be NULL */
		return;
	t = &lx->toks[line_start];
	if (t[0].type == KAD_TOK_WORD &&
	    strcmp(t[0].text, "include") == 0) {
		char **patterns;
		size_t np = 0;

		if (n != 2 || t[1].type != KAD_TOK_WORD) {
			lex_error(lx, file, line,
				  "'include' expects one file name or pattern");
			return;
		}
		/* take the words out of the stream before splicing */
		patterns = xcalloc(n, sizeof(*patterns));
		for (size_t i = 1; i < n; i++)
			patterns[np++] = t[i].text;
		lx->n_toks = line_start;
		for (size_t i = 0; i < np; i++) {
			if (!lx->failed)
				lex_include(lx, patterns[i], file, line);
		}
		free(patterns);
		return;
	}
	if (n > 0)
		push_tok(lx, KAD_TOK_EOL, NULL, file, line);
}

/* Splits text into tokens. Comments start with '!' or '#' at the start
 * of a token, so the seed's `{#SAP` is a brace and a comment while a path
 * like /a#b stays one word. */
static bool lex_text(struct kad_lexer *lx, const char *file,
		     const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	size_t i = 0, line_start = lx->n_toks;
	int line = 1;

	if (nul) {
		int nl = 1;

		for (const char *p = buf; p < nul; p++)
			nl += *p == '\n';
		lex_error(lx, file, nl, "NUL byte in file");
		return false;
	}
	while (i < len && !lx->failed) {
		char c = buf[i];

		if (c == '\n') {
			end_line(lx, file, line, line_start);
			line_start = lx->n_toks;
			line++;
			i++;
		} else if (is_space(c)) {
			i++;
		} else if (c == '#' || c == '!') {
			while (i < len && buf[i] != '\n')
				i++;
		} else if (c == '{') {
			if (lx->depth >= KAD_MAX_DEPTH) {
				lex_error(lx, file, line,
					  "blocks nested deeper than %d levels",
					  KAD_MAX_DEPTH);
				return false;
			}
			lx->braces[lx->depth].file = file;
			lx->braces[lx->depth].line = line;
			lx->depth++;
			push_tok(lx, KAD_TOK_LBRACE, NULL, file, line);
			i++;
		} else if (c == '}') {
			if (lx->depth == 0) {
				lex_error(lx, file, line,
					  "unexpected '}' with no open block");
				return false;
			}
			lx->depth--;
			push_tok(lx, KAD_TOK_RBRACE, NULL, file, line);
			i++;
		} else if (c == '"') {
			size_t start = ++i;

			while (i < len && buf[i] != '"' && buf[i] != '\n')
				i++;
			if (i >= len || buf[i] != '"') {
				lex_error(lx, file, line,
					  "unterminated quoted string");
				return false;
			}
			push_tok(lx, KAD_TOK_WORD,
				 arena_strndup(lx, buf + start, i - start), file, line);
			i++;
		} else {
			size_t start = i;

			while (i < len && !is_space(buf[i]) && buf[i] != '\n' &&
			       buf[i] != '{' && buf[i] != '}')
				i++;
			push_tok(lx, KAD_TOK_WORD,
				 arena_strndup(lx, buf + start, i - start), file, line);
		}
	}
	if (!lx->failed)
		end_line(lx, file, line, line_start);
	return !lx->failed;
}

/* Ends the stream: every block opened must have been closed. */
static bool lex_finish(struct kad_lexer *lx, const char *file, int line)
{
	if (!lx->failed && lx->depth > 0) {
		const struct kad_open_brace *b = &lx->braces[lx->depth - 1];

		lex_error(lx, b->file, b->line,
			  "unterminated block: '{' is never closed");
	}
	push_tok(lx, KAD_TOK_EOF, NULL, file, line);
	return !lx->failed;
}

bool kad_lex_buffer(struct kad_lexer *lx, const char *name,
		    const char *buf, size_t len)
{
	const char *file = config_intern_file(lx->cfg, name);
	char real[PATH_MAX];

	/* a real file on disk joins the loop guard under its real path */
	strvec_push(&lx->stack, realpath(name, real) ? real : name);
	lex_text(lx, file, buf, len);
	return lex_finish(lx, file, 0);
}

bool kad_lex_file(struct kad_lexer *lx, const char *path)
{
	size_t len = 0;
	char *buf = cfg_read_file(path, &len);
	bool ok;

	if (!buf) {
		lex_error(lx, path, 0, "cannot read: %s", strerror(errno));
		return false;
	}
	ok = kad_lex_buffer(lx, path, buf, len);
	free(buf);
	return ok;
}
