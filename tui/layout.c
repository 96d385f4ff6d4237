#include "config.h"

#include "layout.h"

#include <string.h>
#include <wchar.h>

#include "util/strbuf.h"
#include "visible.h"

int layout_fit(const struct layout_col *cols, size_t n, int width, int want0, bool *shown, int *w)
{
	int total = 0;

	for (size_t i = 0; i < n; i++) {
		shown[i] = true;
		w[i] = cols[i].width;
		total += cols[i].width + (i ? LAYOUT_GAP : 0);
	}
	/* Drop the least important column until the rest fit. */
	while (total > width) {
		size_t drop = n;

		for (size_t i = 0; i < n; i++)
			if (shown[i] && cols[i].prio > 0 &&
			    (drop == n || cols[i].prio >= cols[drop].prio))
				drop = i;
		if (drop == n)
			break;	/* only the essential columns are left */
		shown[drop] = false;
		total -= cols[drop].width + (drop ? LAYOUT_GAP : 0);
	}
	if (n > 0 && total < width) {
		int spare = width - total, grow = want0 - w[0];
		size_t last = 0;

		if (grow > spare)
			grow = spare;
		if (grow > 0) {
			w[0] += grow;
			spare -= grow;
		}
		/* A trailing free-text column (a reason) takes the rest;
		 * else the name does: a padded number or state would read
		 * badly. */
		for (size_t i = 0; i < n; i++)
			if (shown[i])
				last = i;
		if (cols[last].right)
			last = 0;
		w[last] += spare;
		total = width;
	}
	return total;
}

/* Columns of one decoded character; see visible_width() for why -1
 * counts as 1. */
static int char_width(unsigned cp)
{
	int cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);

	return cw < 0 ? 1 : cw;
}

int layout_text_width(const char *s)
{
	return (int)visible_width(s, strlen(s));
}

void layout_cell(struct strbuf *out, const char *s, int width, bool right)
{
	size_t len = strlen(s), i = 0;
	int tw = layout_text_width(s), used = 0;

	if (width <= 0)
		return;
	if (tw <= width) {
		if (right)
			for (int k = tw; k < width; k++)
				strbuf_putc(out, ' ');
		strbuf_append(out, s, len);
		if (!right)
			for (int k = tw; k < width; k++)
				strbuf_putc(out, ' ');
		return;
	}
	/* Cut: as many whole characters as fit before the "~". */
	while (i < len) {
		unsigned cp;
		size_t nb = visible_utf8_decode(s + i, len - i, &cp);
		int cw;

		if (nb == 0) {
			nb = 1;
			cp = '?';
		}
		cw = char_width(cp);
		if (used + cw > width - 1)
			break;
		strbuf_append(out, s + i, nb);
		used += cw;
		i += nb;
	}
	strbuf_putc(out, '~');
	for (used++; used < width; used++)
		strbuf_putc(out, ' ');
}
