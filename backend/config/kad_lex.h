/* kad_lex: the keepalived-dialect lexer.
 *
 * Turns a file (and every file it includes) into one flat token stream:
 * words, braces and line ends, each with its file and line. Includes are
 * spliced in where they appear, so the parser never sees them. Internal to
 * backend/config.
 */
#ifndef SOFTLB_CONFIG_KAD_LEX_H
#define SOFTLB_CONFIG_KAD_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model-t.h"
#include "util/strvec.h"

/* Limits that turn hostile input into clean errors. */
#define KAD_MAX_DEPTH 32		/* nested blocks */
#define KAD_MAX_INCLUDE_DEPTH 16	/* nested includes */
#define KAD_MAX_FILE_SIZE (16 * 1024 * 1024)

enum kad_tok_type {
	KAD_TOK_WORD = 0,
	KAD_TOK_LBRACE = 1,
	KAD_TOK_RBRACE = 2,
	KAD_TOK_EOL = 3,
	KAD_TOK_EOF = 4,
};

struct kad_tok {
	enum kad_tok_type type;
	char *text;		/* words only; in the lexer's arena */
	const char *file;	/* interned in the config */
	int line;
};

struct kad_open_brace {
	const char *file;
	int line;
};

/* The words' text, in blocks freed together with the lexer: a malloc
 * and a free per word were a fifth of parsing 10,000 virtual servers. */
struct kad_arena {
	char **blocks;
	size_t n_blocks, cap_blocks;
	size_t used, size;		/* of the last block */
};

struct kad_lexer {
	struct config *cfg;		/* interns file names */
	struct config_diag *diag;
	struct kad_tok *toks;		/* owned */
	size_t n_toks, cap_toks;
	struct kad_arena text;
	struct strvec stack;		/* real paths of the files being read */
	struct kad_open_brace braces[KAD_MAX_DEPTH];
	int depth;
	bool failed;
};

void kad_lexer_init(struct kad_lexer *lx, struct config *cfg,
		    struct config_diag *diag);
void kad_lexer_free(struct kad_lexer *lx);
/* Tokenises path and its includes; false (with errors in diag) on any
 * error. Ends the stream with KAD_TOK_EOF. */
bool kad_lex_file(struct kad_lexer *lx, const char *path);
/* The same for text already in memory, named name in messages; includes
 * are resolved relative to name's directory. */
bool kad_lex_buffer(struct kad_lexer *lx, const char *name,
		    const char *buf, size_t len);

/* Reads a whole regular file (at most KAD_MAX_FILE_SIZE bytes) into a
 * NUL-terminated buffer the caller frees; NULL with errno set on failure.
 * Devices and FIFOs are refused so `include /dev/zero` cannot hang. */
char *cfg_read_file(const char *path, size_t *len);

#endif
