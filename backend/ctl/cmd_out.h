/* cmd_out: how command handlers write their answers, the same way in every
 * engine: JSON pretty-printed (people type `json` too, and at these sizes
 * it costs nothing), and durations in the shortest readable form. */
#ifndef SOFTLB_CTL_CMD_OUT_H
#define SOFTLB_CTL_CMD_OUT_H

#include <stdint.h>

#include "ctl/cmd-t.h"

struct json_object;
struct strbuf;

/* Appends obj as pretty JSON and a newline to ctx->out, and releases obj. */
void cmd_put_json(struct cmd_ctx *ctx, struct json_object *obj);

/* Appends a duration: "45s", "3m12s", "2h05m", "3d04h". */
void cmd_put_duration(struct strbuf *out, uint64_t secs);

#endif
