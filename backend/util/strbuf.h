/* strbuf: a growable, always NUL-terminated byte buffer.
 *
 * The one way backend code builds text: command output, error messages,
 * protocol frames. The buffer owns its memory; strbuf_free() releases it.
 * Allocation failure aborts (see xalloc.h): a daemon that cannot allocate a
 * few bytes of text cannot do anything useful either.
 */
#ifndef SOFTLB_UTIL_STRBUF_H
#define SOFTLB_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;	/* NUL-terminated; NULL until the first append */
	size_t len;	/* bytes used, not counting the NUL */
	size_t cap;	/* bytes allocated */
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
/* Empties the buffer but keeps its memory for reuse. */
void strbuf_reset(struct strbuf *sb);
/* Makes room for at least n more bytes (plus the NUL). */
void strbuf_reserve(struct strbuf *sb, size_t n);
void strbuf_append(struct strbuf *sb, const void *data, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
void strbuf_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Decimal text without printf, for output written tens of thousands of
 * times (show lvs, the configuration printer): printf's machinery was the
 * biggest cost of show lvs outside the kernel. strbuf_dec() writes v
 * (negative when neg) at the end of buf and returns where it starts. */
#define STRBUF_DEC_LEN 24
char *strbuf_dec(char buf[STRBUF_DEC_LEN], unsigned long long v, bool neg);
/* Appends v in decimal, as %lld. */
void strbuf_put_int(struct strbuf *sb, long long v);
/* Removes the first n bytes (used to consume sent or parsed data). */
void strbuf_consume(struct strbuf *sb, size_t n);
/* Returns the contents ("" when empty); valid until the next change. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the contents to the caller (free() it) and empties the buffer. */
char *strbuf_detach(struct strbuf *sb);

#endif
