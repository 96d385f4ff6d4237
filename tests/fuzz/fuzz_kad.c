#include "config.h"

/* libFuzzer target for the keepalived-dialect parser: the input is a
 * keepalived.conf, parsed from memory. A successful parse must also
 * print and load back. Includes resolve under a folder that does not
 * exist, so an input cannot pull in real files by relative path.
 *
 *   clang -fsanitize=fuzzer,address -include config.h -Ibackend \
 *     tests/fuzz/fuzz_kad.c backend/config/\*.c backend/util/\*.c
 */

#include "config/conf.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct config *cfg;

	cfg = config_load_buffers("/nonexistent/fuzz/k.conf",
				  (const char *)data, size, NULL, NULL, 0, &d);
	if (cfg) {
		struct strbuf out = STRBUF_INIT;
		struct config_diag d2 = CONFIG_DIAG_INIT;
		struct config *again;

		config_summary(cfg, &d, &out);
		strbuf_reset(&out);
		config_print_keepalived(cfg, &out);
		again = config_load_buffers("/nonexistent/fuzz/rt.conf",
					    strbuf_str(&out), out.len, NULL,
					    NULL, 0, &d2);
		/* The printers' promise: what they print loads back to the
		 * same model. */
		if (!again || !config_equal(cfg, again)) {
			struct strbuf why = STRBUF_INIT;

			/* Say what broke before dying: the printed text and
			 * why it did not load back. */
			config_diag_format(&d2, &why);
			fprintf(stderr, "round trip failed (%s)\n--- printed:\n%s\n--- diag:\n%s\n",
				again ? "models differ" : "printed text does not load",
				strbuf_str(&out), strbuf_str(&why));
			abort();
		}
		config_free(again);
		config_diag_free(&d2);
		strbuf_free(&out);
	}
	config_free(cfg);
	config_diag_free(&d);
	return 0;
}
