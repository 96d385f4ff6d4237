#include "config.h"

/* libFuzzer target for the haproxy-dialect parser: the input is a
 * haproxy.cfg, parsed from memory. A successful parse must also
 * print and load back. haproxy.cfg has no includes.
 *
 *   clang -fsanitize=fuzzer,address -include config.h -Ibackend \
 *     tests/fuzz/fuzz_hap.c backend/config/\*.c backend/util/\*.c
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

	cfg = config_load_buffers(NULL, NULL, 0, "fuzz.cfg",
				  (const char *)data, size, &d);
	if (cfg) {
		struct strbuf out = STRBUF_INIT;
		struct config_diag d2 = CONFIG_DIAG_INIT;
		struct config *again;

		config_summary(cfg, &d, &out);
		strbuf_reset(&out);
		config_print_haproxy(cfg, &out);
		again = config_load_buffers(NULL, NULL, 0, "rt.cfg",
					    strbuf_str(&out), out.len,
					    &d2);
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
