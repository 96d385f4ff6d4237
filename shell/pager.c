#include "config.h"

#include "pager.h"
#include "visible.h"

#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_ROWS 24u
#define DEFAULT_COLS 80u
#define TAB_STOP 8u
/* A search string longer than any line worth searching for. */
#define PATTERN_MAX 256u

/* Plain ANSI sequences: every terminal an operator ssh-es from knows them,
 * and the shell links no terminfo library for four strings. */
#define SGR_REVERSE "\033[7m"
#define SGR_RESET "\033[m"
#define ERASE_LINE "\r\033[K"

/* What read_key() returns besides a byte. */
#define KEY_EOF (-1)
#define KEY_IDLE (-2)

struct pager {
	FILE *out;
	int in_fd;
	int idle_ms;
	const char *text;
	size_t *starts;		/* starts[i]: offset of line i; starts[n] = end */
	size_t nlines;
	unsigned rows, cols;
	size_t top;		/* first line of the page on screen */
	size_t next;		/* first line not shown yet */
	char pattern[PATTERN_MAX + 1];
	bool write_failed;
};

/* ------------------------------------------------------------------ */
/* Text                                                                */

/* Splits the text into lines; a final line without '\n' still counts. */
static void index_lines(struct pager *p, const char *text, size_t len)
{
	size_t cap = 64, i;

	p->starts = xreallocarray(NULL, cap, sizeof(*p->starts));
	p->nlines = 0;
	p->starts[0] = 0;
	for (i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		if (p->nlines + 2 > cap) {
			cap *= 2;
			p->starts = xreallocarray(p->starts, cap, sizeof(*p->starts));
		}
		p->starts[++p->nlines] = i + 1;
	}
	if (p->starts[p->nlines] < len) {
		if (p->nlines + 2 > cap)
			p->starts = xreallocarray(p->starts, cap + 1, sizeof(*p->starts));
		p->starts[++p->nlines] = len + 1;	/* as if it had a '\n' */
	}
}

/* Line i without its '\n'. */
static const char *line_at(const struct pager *p, size_t i, size_t *len)
{
	*len = p->starts[i + 1] - p->starts[i] - 1;
	return p->text + p->starts[i];
}

/* Screen rows that line i takes once the terminal wraps it. */
static unsigned line_rows(const struct pager *p, size_t i)
{
	size_t len, cols = 0, seg = 0, k;
	const char *s = line_at(p, i, &len);

	for (k = 0; k <= len; k++) {
		if (k < len && s[k] != '\t')
			continue;
		cols += visible_width(s + seg, k - seg);
		if (k < len)
			cols = (cols / TAB_STOP + 1) * TAB_STOP;
		seg = k + 1;
	}
	if (cols <= p->cols)
		return 1;
	cols = (cols + p->cols - 1) / p->cols;
	return cols > p->rows ? p->rows : (unsigned)cols;
}

/* Asks the terminal for its size; 24x80 when it will not say. */
static void get_size(struct pager *p)
{
	struct winsize ws;

	p->rows = DEFAULT_ROWS;
	p->cols = DEFAULT_COLS;
	if (ioctl(fileno(p->out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		p->rows = ws.ws_row;
		p->cols = ws.ws_col;
	}
	if (p->rows < 2)
		p->rows = 2;
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

/* Write helpers: a failure is remembered and ends the pager, since a
 * terminal that takes no output will not take the rest either. */
static void put(struct pager *p, const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, p->out) != n)
		p->write_failed = true;
}

static void puts_(struct pager *p, const char *s)
{
	put(p, s, strlen(s));
}

/* Prints lines from p->top until a screen less one row is full (at least
 * one line, however long), and moves p->next past them. */
static void show_page(struct pager *p)
{
	unsigned budget = p->rows - 1, used = 0;
	size_t i;

	for (i = p->top; i < p->nlines; i++) {
		unsigned r = line_rows(p, i);
		size_t len;
		const char *s;

		if (used > 0 && used + r > budget)
			break;
		s = line_at(p, i, &len);
		put(p, s, len);
		put(p, "\n", 1);
		used += r;
	}
	p->next = i;
}

/* Prints the prompt line: msg in reverse video, or "--More--" with how far
 * through the text the screen is. */
static void show_prompt(struct pager *p, const char *msg)
{
	char more[48];

	if (!msg) {
		snprintf(more, sizeof(more), "--More--(%zu%%)",
			 p->next * 100 / (p->nlines ? p->nlines : 1));
		msg = more;
	}
	puts_(p, SGR_REVERSE);
	puts_(p, msg);
	puts_(p, SGR_RESET);
	if (fflush(p->out) != 0)
		p->write_failed = true;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/* Reads one byte from the terminal within the idle limit. Returns the
 * byte, KEY_IDLE, or KEY_EOF (end of input or a read error, both of which
 * end the pager). A signal such as SIGWINCH only restarts the wait. */
static int read_key(struct pager *p)
{
	struct timespec t0;
	unsigned char c;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { .fd = p->in_fd, .events = POLLIN };
		int ms = -1, rc;
		ssize_t n;

		if (p->idle_ms > 0) {
			struct timespec t;
			int64_t spent;

			clock_gettime(CLOCK_MONOTONIC, &t);
			spent = (int64_t)(t.tv_sec - t0.tv_sec) * 1000 +
				(t.tv_nsec - t0.tv_nsec) / 1000000;
			if (spent >= p->idle_ms)
				return KEY_IDLE;
			ms = p->idle_ms - (int)spent;
		}
		rc = poll(&pfd, 1, ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return KEY_EOF;
		if (rc == 0)
			return KEY_IDLE;
		n = read(p->in_fd, &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		return KEY_EOF;
	}
}

/* Length of buf[0..len) without a trailing UTF-8 sequence whose last
 * bytes have not been typed yet, so the echo never shows half a
 * character. */
static size_t whole_chars(const char *buf, size_t len)
{
	size_t lead = len, need;
	unsigned char c;

	while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return len;
	c = (unsigned char)buf[lead - 1];
	if (c < 0xc0)
		return len;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
	return len - (lead - 1) < need ? lead - 1 : len;
}

/* Reads a search string on the prompt line, echoing it. Returns 1 when
 * Enter accepted it (into p->pattern; an empty entry keeps the previous
 * pattern), 0 when Esc or Ctrl-C cancelled, or a KEY_* value. */
static int read_pattern(struct pager *p)
{
	char buf[PATTERN_MAX + 1];
	size_t len = 0;

	for (;;) {
		struct strbuf echo = STRBUF_INIT;
		int k;

		/* The echo goes through the same filter as output: the
		 * terminal sends bytes we did not choose either. */
		visible_append(&echo, buf, whole_chars(buf, len), true);
		puts_(p, ERASE_LINE "/");
		put(p, strbuf_str(&echo), echo.len);
		strbuf_free(&echo);
		fflush(p->out);
		k = read_key(p);
		if (k < 0)
			return k;
		if (k == '\n' || k == '\r') {
			if (len > 0) {
				memcpy(p->pattern, buf, len);
				p->pattern[len] = '\0';
			}
			return 1;
		}
		if (k == 0x1b || k == 0x03)
			return 0;
		if (k == 0x7f || k == 0x08) {
			/* Drop one whole character, continuation bytes first. */
			while (len > 0 && ((unsigned char)buf[len - 1] & 0xc0) == 0x80)
				len--;
			if (len > 0)
				len--;
		} else if (k == 0x15) {
			len = 0;	/* Ctrl-U */
		} else if (k >= 0x20 && k != 0x7f && len < PATTERN_MAX) {
			buf[len++] = (char)k;
		}
	}
}

/* Finds the first line at or after from that contains p->pattern. Returns
 * its index, or p->nlines when there is none. */
static size_t search(const struct pager *p, size_t from)
{
	size_t plen = strlen(p->pattern), i;

	for (i = from; i < p->nlines; i++) {
		size_t len;
		const char *s = line_at(p, i, &len);

		if (memmem(s, len, p->pattern, plen))
			return i;
	}
	return p->nlines;
}

/* ------------------------------------------------------------------ */
/* The pager                                                           */

/* True when the whole text fits above the last screen row. */
static bool fits(const struct pager *p)
{
	unsigned used = 0;
	size_t i;

	for (i = 0; i < p->nlines; i++) {
		used += line_rows(p, i);
		if (used > p->rows - 1)
			return false;
	}
	return true;
}

/* Runs the key loop until the end of the text, q, or the idle limit. The
 * terminal is in raw mode throughout. */
static enum pager_result page(struct pager *p)
{
	const char *msg = NULL;

	show_page(p);
	while (p->next < p->nlines && !p->write_failed) {
		size_t hit;
		int k;

		show_prompt(p, msg);
		msg = NULL;
		k = read_key(p);
		puts_(p, ERASE_LINE);
		if (k == KEY_IDLE)
			return PAGER_IDLE;
		if (k == KEY_EOF || k == 'q' || k == 'Q' || k == 0x03)
			break;
		get_size(p);	/* the window may have been resized */
		switch (k) {
		case ' ':
			p->top = p->next;
			show_page(p);
			break;
		case '\n':
		case '\r': {
			size_t len;
			const char *s = line_at(p, p->next, &len);

			put(p, s, len);
			put(p, "\n", 1);
			p->next++;
			p->top++;
			break;
		}
		case '/':
		case 'n':
			if (k == '/') {
				int r = read_pattern(p);

				puts_(p, ERASE_LINE);
				if (r == KEY_IDLE)
					return PAGER_IDLE;
				if (r == KEY_EOF)
					goto out;
				if (r == 0)
					break;
			}
			if (p->pattern[0] == '\0') {
				msg = "No previous search pattern";
				break;
			}
			/* From the line after the top of the screen, so 'n'
			 * walks from one match to the next. */
			hit = search(p, p->top + 1);
			if (hit == p->nlines) {
				msg = "Pattern not found";
				break;
			}
			if (hit > p->next)
				puts_(p, "...skipping\n");
			p->top = hit;
			show_page(p);
			break;
		default:
			break;	/* unknown keys, and the tails of arrow keys */
		}
	}
out:
	return p->write_failed ? PAGER_ERROR : PAGER_DONE;
}

/* Shows text, paged when out and in_fd are terminals and it is taller
 * than the screen; see pager.h. Restores the terminal on every path. */
enum pager_result pager_show(FILE *out, int in_fd, const char *text, size_t len,
			     int idle_ms)
{
	struct pager p = { .out = out, .in_fd = in_fd, .idle_ms = idle_ms, .text = text };
	struct termios saved, raw;
	enum pager_result res;

	if (!isatty(fileno(out)) || !isatty(in_fd) || tcgetattr(in_fd, &saved) < 0) {
		if (len && fwrite(text, 1, len, out) != len)
			return PAGER_ERROR;
		return fflush(out) == 0 ? PAGER_DONE : PAGER_ERROR;
	}
	get_size(&p);
	index_lines(&p, text, len);
	if (fits(&p)) {
		free(p.starts);
		if (len && fwrite(text, 1, len, out) != len)
			return PAGER_ERROR;
		return fflush(out) == 0 ? PAGER_DONE : PAGER_ERROR;
	}

	/* Raw enough to get each key at once; ISIG off so Ctrl-C is just a
	 * key that quits, and OPOST left on so '\n' still returns the
	 * carriage. */
	raw = saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG | IEXTEN);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in_fd, TCSANOW, &raw) < 0) {
		free(p.starts);
		if (len && fwrite(text, 1, len, out) != len)
			return PAGER_ERROR;
		return fflush(out) == 0 ? PAGER_DONE : PAGER_ERROR;
	}
	res = page(&p);
	fflush(out);
	tcsetattr(in_fd, TCSANOW, &saved);
	free(p.starts);
	return res;
}
