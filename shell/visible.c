#include "config.h"

#include "visible.h"

#include <string.h>
#include <wchar.h>

/* Decodes one UTF-8 sequence by the table in RFC 3629 section 4, which
 * already excludes overlong forms, surrogates and code points above
 * U+10FFFF; returns 0 for anything else. */
size_t visible_utf8_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;
	unsigned v;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 2;
		v = p[0] & 0x1fu;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 3;
		v = p[0] & 0x0fu;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* shorter forms are overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* U+D800..U+DFFF are surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 4;
		v = p[0] & 0x07u;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		return 0;	/* a continuation byte, 0xc0/0xc1 or 0xf5..0xff */
	}
	if (len < need)
		return 0;
	for (i = 1; i < need; i++) {
		if (p[i] < lo || p[i] > hi)
			return 0;
		v = (v << 6) | (p[i] & 0x3fu);
		/* Only the second byte has a narrowed range. */
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = v;
	return need;
}

/* Appends the visible form of the control byte c: "^X" for C0, "^?" for
 * DEL. */
static void put_caret(struct strbuf *out, unsigned char c)
{
	strbuf_putc(out, '^');
	strbuf_putc(out, c == 0x7f ? '?' : (char)(c + 0x40));
}

/* Appends s[0..len) to out with every byte a terminal would obey replaced
 * by printable text; see visible.h for the rules. Never fails. */
void visible_append(struct strbuf *out, const char *s, size_t len, bool one_line)
{
	size_t i = 0;

	/* Only when something will be appended: strbuf_reserve() alone
	 * leaves a fresh buffer without its NUL. */
	if (len > 0)
		strbuf_reserve(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		unsigned cp;

		if ((c == '\n' || c == '\t') && !one_line) {
			strbuf_putc(out, (char)c);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			put_caret(out, c);
			i++;
		} else if (c < 0x80) {
			strbuf_putc(out, (char)c);
			i++;
		} else if ((n = visible_utf8_decode(s + i, len - i, &cp)) == 0) {
			/* Not UTF-8: on an 8-bit terminal 0x80..0x9f are C1
			 * controls (0x9b is CSI), so no stray high byte goes
			 * out raw. */
			strbuf_printf(out, "\\x%02x", c);
			i++;
		} else if (cp >= 0x80 && cp <= 0x9f) {
			/* C1 code points encoded as UTF-8 are obeyed as
			 * controls by some terminals (xterm among them). */
			strbuf_printf(out, "\\x%02x\\x%02x", c, (unsigned char)s[i + 1]);
			i += n;
		} else {
			strbuf_append(out, s + i, n);
			i += n;
		}
	}
}

/* True when s[0..len) needs no change to be shown; the same rules as
 * visible_append(), without building the copy. */
bool visible_is_clean(const char *s, size_t len, bool one_line)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t n;
		unsigned cp;

		if (c == '\n' || c == '\t') {
			if (one_line)
				return false;
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			return false;
		} else if (c < 0x80) {
			i++;
		} else {
			n = visible_utf8_decode(s + i, len - i, &cp);
			if (n == 0 || cp <= 0x9f)
				return false;
			i += n;
		}
	}
	return true;
}

/* Sums wcwidth() over the characters of s[0..len). glibc's wchar_t holds
 * the Unicode code point whatever the locale, so the cast is exact; in a
 * locale that cannot measure a character wcwidth() returns -1, and one
 * column is the best guess. */
size_t visible_width(const char *s, size_t len)
{
	size_t i = 0, cols = 0;

	while (i < len) {
		unsigned cp;
		size_t n = visible_utf8_decode(s + i, len - i, &cp);
		int w;

		if (n == 0) {
			cols++;
			i++;
			continue;
		}
		w = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		cols += w < 0 ? 1 : (size_t)w;
		i += n;
	}
	return cols;
}

/* Appends the NUL-terminated s made visible on one line. */
void visible_puts(struct strbuf *out, const char *s)
{
	visible_append(out, s, strlen(s), true);
}

/* Lays out "TOKEN\tHELP" lines in two columns: one pass to find the
 * widest token, one to print. Lines without a tab are a token alone;
 * empty lines are skipped. */
void visible_columns(struct strbuf *out, const char *body, size_t len, size_t max_cols)
{
	size_t width = 0;

	for (int pass = 0; pass < 2; pass++) {
		const char *p = body, *stop = body + len;

		while (p < stop) {
			const char *nl = memchr(p, '\n', (size_t)(stop - p));
			const char *eol = nl ? nl : stop;
			const char *tab = memchr(p, '\t', (size_t)(eol - p));
			struct strbuf tok = STRBUF_INIT;
			size_t w;

			visible_append(&tok, p, (size_t)((tab ? tab : eol) - p), true);
			w = visible_width(strbuf_str(&tok), tok.len);
			if (pass == 0 && w > width && w <= max_cols)
				width = w;
			if (pass == 1 && eol > p) {
				strbuf_printf(out, "  %s", strbuf_str(&tok));
				if (tab && tab + 1 < eol) {
					for (; w < width; w++)
						strbuf_putc(out, ' ');
					strbuf_puts(out, "  ");
					visible_append(out, tab + 1, (size_t)(eol - tab - 1), true);
				}
				strbuf_putc(out, '\n');
			}
			strbuf_free(&tok);
			p = eol + 1;
		}
	}
}
