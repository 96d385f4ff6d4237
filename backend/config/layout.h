/* layout: which file each keepalived object lives in, so that `write
 * memory` keeps the user's layout instead of flattening includes.
 *
 * The model remembers where every object was defined (cfg_loc) and every
 * include line (cfg_include). write memory writes each object back to
 * the file it came from, in the order it was there, and the main file
 * keeps its include lines where they were; an object made in the shell
 * goes to the main file, where an operator looks first and where no
 * glob can miss it.
 *
 * One layout cannot be kept: an include inside a block (real servers
 * of one virtual_server spread over files), where objects span files.
 * Then the files are flattened into the main one, as before, and the
 * caller is told why.
 */
#ifndef SOFTLB_CONFIG_LAYOUT_H
#define SOFTLB_CONFIG_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/model-t.h"
#include "util/strbuf.h"

/* One file to write. */
struct config_file_text {
	char *path;
	struct strbuf text;
};

struct config_layout {
	struct config_file_text *files;	/* the main file first */
	size_t n_files, cap_files;
	char *flattened;	/* why the includes were flattened, or NULL */
};

/* Lays out cfg's keepalived objects over main_path and the files it
 * included; header (may be NULL) starts every file. Free with
 * config_layout_free(). */
void config_layout_keepalived(const struct config *cfg, const char *main_path,
			      const char *header, struct config_layout *out);
void config_layout_free(struct config_layout *l);

#endif
