#include "config.h"

#include "ctl/cmd_out.h"
#include "util/strbuf.h"

#include <json-c/json.h>

void cmd_put_json(struct cmd_ctx *ctx, struct json_object *obj)
{
	if (ctx->json_out && !*ctx->json_out) {
		*ctx->json_out = obj;
		return;
	}
	strbuf_puts(ctx->out, json_object_to_json_string_ext(obj,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_putc(ctx->out, '\n');
	json_object_put(obj);
}

void cmd_put_duration(struct strbuf *out, uint64_t secs)
{
	if (secs < 60)
		strbuf_printf(out, "%lus", (unsigned long)secs);
	else if (secs < 3600)
		strbuf_printf(out, "%lum%02lus", (unsigned long)(secs / 60),
			      (unsigned long)(secs % 60));
	else if (secs < 86400)
		strbuf_printf(out, "%luh%02lum", (unsigned long)(secs / 3600),
			      (unsigned long)(secs % 3600 / 60));
	else
		strbuf_printf(out, "%lud%02luh", (unsigned long)(secs / 86400),
			      (unsigned long)(secs % 86400 / 3600));
}
