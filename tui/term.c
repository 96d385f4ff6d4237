#include "config.h"

#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

/* Signal handlers may only touch these: set once before they can run,
 * then read (or written, for the flags) as sig_atomic_t. */
static volatile sig_atomic_t stop_flag, cont_flag;
static int wake_pipe[2] = { -1, -1 };
static struct termios saved_tio;
static volatile sig_atomic_t have_tio, active;
static char restore_seq[256];	/* sgr0, cnorm, rmcup: what endwin would send */
static size_t restore_len;
static bool color;
static SCREEN *scr;

static void wake(void)
{
	int saved = errno;

	if (wake_pipe[1] >= 0)
		(void)!write(wake_pipe[1], "x", 1);
	errno = saved;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
	wake();
}

static void on_cont(int sig)
{
	(void)sig;
	cont_flag = 1;
	wake();
}

/* A crash: give the terminal back, then die of the same signal. Only
 * write(), tcsetattr(), sigaction() and raise() here. */
static void on_crash(int sig)
{
	struct sigaction sa;

	if (active) {
		if (restore_len)
			(void)!write(STDOUT_FILENO, restore_seq, restore_len);
		if (have_tio)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
		(void)!write(STDOUT_FILENO, "\r\n", 2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	raise(sig);
}

int term_signals_init(void)
{
	static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	static const int crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	struct sigaction sa;

	if (pipe(wake_pipe) != 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(wake_pipe[i], F_SETFL, fcntl(wake_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
		sigaction(stops[i], &sa, NULL);
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(crashes) / sizeof(crashes[0]); i++)
		sigaction(crashes[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sa.sa_flags = 0;
	sigaction(SIGPIPE, &sa, NULL);
	return wake_pipe[0];
}

/* Appends terminfo capability cap to the crash handler's sequence. */
static void add_cap(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof(restore_seq)) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

bool term_start(bool want_color, char *err, int errlen)
{
	const char *t = getenv("TERM");

	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		have_tio = 1;
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		snprintf(err, (size_t)errlen, "cannot drive the terminal (TERM=%s); try --once",
			 t ? t : "");
		return false;
	}
	set_term(scr);
	restore_len = 0;
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	/* Esc alone (leaving a prompt) should not wait a second. */
	set_escdelay(50);
	color = want_color && has_colors() && !(t && strcmp(t, "dumb") == 0);
	if (color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_GREEN, -1);
		init_pair(2, COLOR_YELLOW, -1);
		init_pair(3, COLOR_RED, -1);
		init_pair(4, COLOR_MAGENTA, -1);
		init_pair(5, COLOR_WHITE, COLOR_RED);
	}
	return true;
}

void term_stop(void)
{
	if (!active)
		return;
	endwin();
	active = 0;
	delscreen(scr);
	scr = NULL;
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

bool term_stop_requested(void)
{
	return stop_flag != 0;
}

bool term_woken(void)
{
	char buf[64];
	bool cont;

	while (wake_pipe[0] >= 0 && read(wake_pipe[0], buf, sizeof(buf)) > 0)
		;
	cont = cont_flag != 0;
	cont_flag = 0;
	return cont;
}

bool term_has_color(void)
{
	return color;
}
