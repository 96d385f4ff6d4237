#include "config.h"

#include "ctl/proto.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Longest length field: 10 digits covers any body a 32-bit size_t can hold
 * and keeps the value far from overflowing uint64_t while it is parsed. */
#define LENGTH_DIGITS_MAX 10u
/* A header line of CTL_HEADER_MAX bytes has at most this many
 * space-separated words, so the word array below never overflows. */
#define HEADER_WORDS_MAX (CTL_HEADER_MAX / 2u + 1u)

static const char *const verb_names[CTL_VERB_COUNT] = {
	[CTL_VERB_EXEC] = "exec",
	[CTL_VERB_COMPLETE] = "complete",
	[CTL_VERB_DESCRIBE] = "describe",
};

/* Request flags: one row per word a header may carry. */
static const struct {
	const char *name;
	unsigned flag;
} flag_names[] = {
	{ "json", CTL_FLAG_JSON },
};

static const struct {
	int status;
	const char *name;
} status_names[] = {
	{ CTL_OK, "ok" },
	{ CTL_BYE, "bye" },
	{ CTL_ERR_SYNTAX, "syntax error" },
	{ CTL_ERR_DENIED, "permission denied" },
	{ CTL_ERR_NOTFOUND, "not found" },
	{ CTL_ERR_TOOBIG, "request too large" },
	{ CTL_ERR_FAILED, "command failed" },
	{ CTL_ERR_INTERNAL, "internal error" },
	{ CTL_ERR_UNAVAILABLE, "unavailable" },
};

/* One word of a header line; not NUL-terminated. */
struct word {
	const char *p;
	size_t n;
};

/* The verb's wire name, or "unknown verb" for a value outside the enum. */
const char *ctl_verb_name(enum ctl_verb verb)
{
	if ((unsigned)verb >= CTL_VERB_COUNT)
		return "unknown verb";
	return verb_names[verb];
}

/* A short English name for status, or "unknown status". */
const char *ctl_status_name(int status)
{
	size_t i;

	for (i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].status == status)
			return status_names[i].name;
	return "unknown status";
}

/* True when node is a name the reply header can carry: [a-z0-9-]{1,31}. */
static bool node_valid(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n >= CTL_NODE_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

/* Appends a request frame to out. verb must be a valid enum value; flag
 * bits other than CTL_FLAG_* are not representable and are dropped. */
void ctl_encode_request(struct strbuf *out, enum ctl_verb verb, unsigned flags,
			const char *body, size_t len)
{
	size_t i;

	assert((unsigned)verb < CTL_VERB_COUNT);
	strbuf_printf(out, "%s %zu", ctl_verb_name(verb), len);
	for (i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (flags & flag_names[i].flag)
			strbuf_printf(out, " %s", flag_names[i].name);
	strbuf_putc(out, '\n');
	strbuf_append(out, body, len);
}

/* Appends a reply frame to out. status must be 100..599 and node match
 * [a-z0-9-]{1,31}; anything else is a bug in the caller, and the peer's
 * decoder would refuse the frame. */
void ctl_encode_reply(struct strbuf *out, int status, const char *node,
		      const char *body, size_t len)
{
	assert(status >= 100 && status <= 599);
	assert(node_valid(node, strlen(node)));
	strbuf_printf(out, "%03d %s %zu\n", status, node, len);
	strbuf_append(out, body, len);
}

/* Replaces err's contents with a reason; err may be NULL when the caller
 * does not care why. */
static void __attribute__((format(printf, 2, 3)))
set_err(struct strbuf *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	strbuf_reset(err);
	va_start(ap, fmt);
	strbuf_vprintf(err, fmt, ap);
	va_end(ap);
}

/* Finds the header line at the start of buf. On OK, *line_len is its length
 * without the '\n', at most CTL_HEADER_MAX (the documented "header line over
 * 128 bytes" is refused). Bad bytes are refused as soon as they arrive, and
 * an over-long line as soon as its first excess byte does, so a peer cannot
 * make us buffer a header forever. */
static enum ctl_decode find_header(const char *buf, size_t len,
				   size_t *line_len, struct strbuf *err)
{
	size_t scan = len < CTL_HEADER_MAX + 1 ? len : CTL_HEADER_MAX + 1;
	size_t i;

	for (i = 0; i < scan; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n') {
			*line_len = i;
			return CTL_DECODE_OK;
		}
		if (c < 0x20 || c == 0x7f) {
			set_err(err, "control character 0x%02x in header", c);
			return CTL_DECODE_MALFORMED;
		}
		if (c > 0x7f) {
			set_err(err, "non-ASCII byte 0x%02x in header", c);
			return CTL_DECODE_MALFORMED;
		}
	}
	if (len > CTL_HEADER_MAX) {
		set_err(err, "header line too long (limit %u bytes)", CTL_HEADER_MAX);
		return CTL_DECODE_MALFORMED;
	}
	return CTL_DECODE_AGAIN;
}

/* Splits line on single spaces into words[]; returns the number of words,
 * or 0 after setting err when the line is empty or has a leading, trailing
 * or doubled space. */
static size_t split_words(const char *line, size_t n, struct word *words,
			  struct strbuf *err)
{
	size_t count = 0, start = 0, i;

	if (n == 0) {
		set_err(err, "empty header line");
		return 0;
	}
	for (i = 0; i <= n; i++) {
		if (i < n && line[i] != ' ')
			continue;
		if (i == start) {
			set_err(err, "stray space in header");
			return 0;
		}
		/* Cannot overflow: every word but the last ends with a space,
		 * and the line is at most CTL_HEADER_MAX bytes. */
		words[count].p = line + start;
		words[count].n = i - start;
		count++;
		start = i + 1;
	}
	return count;
}

/* True when w is exactly the string s. */
static bool word_is(const struct word *w, const char *s)
{
	return strlen(s) == w->n && memcmp(w->p, s, w->n) == 0;
}

/* Parses a length field: decimal digits only, no sign, no leading zero
 * except "0" itself, at most LENGTH_DIGITS_MAX digits. Returns false after
 * setting err. */
static bool parse_length(const struct word *w, uint64_t *value,
			 struct strbuf *err)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (w->p[i] < '0' || w->p[i] > '9') {
			set_err(err, "invalid length '%.*s': expected decimal digits",
				(int)w->n, w->p);
			return false;
		}
	}
	if (w->n > LENGTH_DIGITS_MAX) {
		set_err(err, "invalid length '%.*s': more than %u digits",
			(int)w->n, w->p, LENGTH_DIGITS_MAX);
		return false;
	}
	if (w->n > 1 && w->p[0] == '0') {
		set_err(err, "invalid length '%.*s': leading zero",
			(int)w->n, w->p);
		return false;
	}
	for (i = 0; i < w->n; i++)
		v = v * 10u + (uint64_t)(w->p[i] - '0');
	*value = v;
	return true;
}

/* Checks the announced body against max_body and the bytes at hand, once
 * the header (hdr bytes, '\n' included) has been parsed. what names the
 * frame kind for the error message. */
static enum ctl_decode check_body(const char *what, size_t len, size_t hdr,
				  uint64_t body, size_t max_body,
				  size_t *used, struct strbuf *err)
{
	if (body > max_body) {
		set_err(err, "%s of %" PRIu64 " bytes exceeds the %zu-byte limit",
			what, body, max_body);
		return CTL_DECODE_TOOBIG;
	}
	/* Compared this way round (hdr <= len always) so that nothing can
	 * overflow; then hdr + body <= len fits in size_t. */
	if (len - hdr < body)
		return CTL_DECODE_AGAIN;
	*used = hdr + (size_t)body;
	return CTL_DECODE_OK;
}

/* Decodes "<verb> <length>[ <flag>...]\n" <body>; see proto.h. err, when
 * not NULL, is reset and holds the reason on MALFORMED or TOOBIG. */
enum ctl_decode ctl_decode_request(const char *buf, size_t len, size_t max_body,
				   struct ctl_request *req, size_t *used,
				   struct strbuf *err)
{
	struct word words[HEADER_WORDS_MAX];
	enum ctl_decode rc;
	size_t line, nwords, i, j, frame;
	uint64_t body;
	unsigned verb, flags = 0;

	rc = find_header(buf, len, &line, err);
	if (rc != CTL_DECODE_OK)
		return rc;
	nwords = split_words(buf, line, words, err);
	if (nwords == 0)
		return CTL_DECODE_MALFORMED;

	for (verb = 0; verb < CTL_VERB_COUNT; verb++)
		if (word_is(&words[0], verb_names[verb]))
			break;
	if (verb == CTL_VERB_COUNT) {
		set_err(err, "unknown verb '%.*s'", (int)words[0].n, words[0].p);
		return CTL_DECODE_MALFORMED;
	}
	if (nwords < 2) {
		set_err(err, "missing length after '%s'", verb_names[verb]);
		return CTL_DECODE_MALFORMED;
	}
	if (!parse_length(&words[1], &body, err))
		return CTL_DECODE_MALFORMED;
	for (i = 2; i < nwords; i++) {
		for (j = 0; j < sizeof(flag_names) / sizeof(flag_names[0]); j++)
			if (word_is(&words[i], flag_names[j].name))
				break;
		if (j == sizeof(flag_names) / sizeof(flag_names[0])) {
			set_err(err, "unknown flag '%.*s'",
				(int)words[i].n, words[i].p);
			return CTL_DECODE_MALFORMED;
		}
		/* A repeated flag means the sender is confused; say so rather
		 * than guess. */
		if (flags & flag_names[j].flag) {
			set_err(err, "duplicate flag '%s'", flag_names[j].name);
			return CTL_DECODE_MALFORMED;
		}
		flags |= flag_names[j].flag;
	}

	rc = check_body("request", len, line + 1, body, max_body, &frame, err);
	if (rc != CTL_DECODE_OK)
		return rc;
	req->verb = (enum ctl_verb)verb;
	req->flags = flags;
	req->body = buf + line + 1;
	req->len = (size_t)body;
	*used = frame;
	return CTL_DECODE_OK;
}

/* Decodes "<status> <node> <length>\n" <body>; see proto.h. err, when not
 * NULL, is reset and holds the reason on MALFORMED or TOOBIG. */
enum ctl_decode ctl_decode_reply(const char *buf, size_t len, size_t max_body,
				 struct ctl_reply *rep, size_t *used,
				 struct strbuf *err)
{
	struct word words[HEADER_WORDS_MAX];
	enum ctl_decode rc;
	size_t line, nwords, frame;
	uint64_t body;
	const struct word *st;
	int status;

	rc = find_header(buf, len, &line, err);
	if (rc != CTL_DECODE_OK)
		return rc;
	nwords = split_words(buf, line, words, err);
	if (nwords == 0)
		return CTL_DECODE_MALFORMED;
	if (nwords != 3) {
		set_err(err, "reply header has %zu words, expected '<status> <node> <length>'",
			nwords);
		return CTL_DECODE_MALFORMED;
	}

	st = &words[0];
	if (st->n != 3 || st->p[0] < '1' || st->p[0] > '5' ||
	    st->p[1] < '0' || st->p[1] > '9' || st->p[2] < '0' || st->p[2] > '9') {
		set_err(err, "invalid status '%.*s': expected 100 to 599",
			(int)st->n, st->p);
		return CTL_DECODE_MALFORMED;
	}
	status = (st->p[0] - '0') * 100 + (st->p[1] - '0') * 10 + (st->p[2] - '0');
	if (!node_valid(words[1].p, words[1].n)) {
		set_err(err, "invalid node '%.*s': expected 1 to %u of a-z, 0-9, '-'",
			(int)words[1].n, words[1].p, CTL_NODE_MAX - 1);
		return CTL_DECODE_MALFORMED;
	}
	if (!parse_length(&words[2], &body, err))
		return CTL_DECODE_MALFORMED;

	rc = check_body("reply", len, line + 1, body, max_body, &frame, err);
	if (rc != CTL_DECODE_OK)
		return rc;
	rep->status = status;
	memcpy(rep->node, words[1].p, words[1].n);
	rep->node[words[1].n] = '\0';
	rep->body = buf + line + 1;
	rep->len = (size_t)body;
	*used = frame;
	return CTL_DECODE_OK;
}
