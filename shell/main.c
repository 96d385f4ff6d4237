/* softlb: the operator's shell for softlbd.
 *
 * A thin client of the control socket: the daemon owns the command grammar
 * and answers completion (TAB) and help (?) itself, so the shell only
 * edits lines, shows replies and keeps history. It may run as an ssh
 * ForceCommand or login shell, so it starts no program but the monitor,
 * softlbtop, at the path fixed at build time (monitor.h), reads no init
 * file the user controls, and shows no daemon byte to the terminal
 * unfiltered (visible.h).
 */
#include "config.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

#include "client/ctl_client.h"
#include "monitor.h"
#include "pager.h"
#include "visible.h"
#include "util/strbuf.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

/* Exit statuses, for scripts (see --help). */
enum {
	EXIT_OK = 0,		/* every command succeeded, or the session ended */
	EXIT_FAILED = 1,	/* a command failed */
	EXIT_UNREACHABLE = 2,	/* cannot reach softlbd, or the connection broke */
	EXIT_DENIED = 3,	/* not allowed to connect, or to run a command */
	EXIT_USAGE = 64,	/* bad command-line options (sysexits EX_USAGE) */
};

/* How long the daemon may stay silent during one request (an idle
 * timeout: every byte received restarts it, so a 10,000-service `show
 * lvs` is never cut off). Generous, since a reload of a large
 * configuration answers only once done, but bounded so a wedged daemon
 * cannot hang a script for ever. */
#define REQUEST_TIMEOUT_MS 30000
#define DEFAULT_IDLE_SECONDS 600L
#define HISTORY_FILE ".softlb_history"
#define HISTORY_MAX 1000
/* The widest token column '?' help lines up (see visible_columns()). */
#define HELP_TOKEN_COLS 28u

/* What running one line came to. */
enum outcome {
	RUN_OK = 0,
	RUN_FAILED,	/* status >= 400, other than 403 */
	RUN_DENIED,	/* status 403 */
	RUN_BYE,	/* status 221: the daemon ended the session */
	RUN_LOST,	/* the connection failed; the reason is in err */
};

struct options {
	const char *socket;
	struct strvec commands;	/* -c, in order */
	bool json;
	long idle_seconds;
	const char *complete;	/* --complete LINE, or NULL */
};

/* The interactive session. Readline calls back into the shell through
 * plain functions, so this state is file-wide. */
static struct {
	struct ctl_client *client;
	unsigned exec_flags;
	char *host;		/* made visible once, for the prompt */
	char node[CTL_NODE_MAX];
	char *prompt;
	char *history_path;	/* NULL: history is not kept */
	int idle_ms;		/* <= 0: no idle limit */
	bool handler_installed;
	bool line_ready;	/* the line handler ran */
	char *line;		/* what it got; NULL at end of input */
	struct strvec candidates;	/* last completion reply */
	size_t next_candidate;
} sh;

static volatile sig_atomic_t got_sigint;
static volatile sig_atomic_t got_sigwinch;
static volatile sig_atomic_t got_term;	/* the signal number */

/* ------------------------------------------------------------------ */
/* Output                                                              */

/* Shows a reply body on f: made visible and ended with a newline, or with
 * raw (JSON output) byte for byte, since the daemon's JSON is already
 * escaped and a parser wants exactly it. With paged, goes through the
 * pager, whose result is returned (PAGER_DONE otherwise). */
static enum pager_result put_body(FILE *f, const char *body, size_t len, bool raw,
				  bool paged, int idle_ms)
{
	struct strbuf vis = STRBUF_INIT;
	enum pager_result pr = PAGER_DONE;

	if (raw) {
		strbuf_append(&vis, body, len);
	} else {
		visible_append(&vis, body, len, false);
		if (vis.len > 0 && vis.data[vis.len - 1] != '\n')
			strbuf_putc(&vis, '\n');
	}
	if (paged)
		pr = pager_show(f, STDIN_FILENO, strbuf_str(&vis), vis.len, idle_ms);
	else if (fwrite(strbuf_str(&vis), 1, vis.len, f) != vis.len || fflush(f) != 0)
		pr = PAGER_ERROR;
	strbuf_free(&vis);
	return pr;
}

/* Prints "softlb: " and the formatted message, made visible, to stderr. */
static void __attribute__((format(printf, 1, 2))) say_error(const char *fmt, ...)
{
	struct strbuf msg = STRBUF_INIT, vis = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	visible_append(&vis, msg.data, msg.len, true);
	fflush(stdout);
	fprintf(stderr, "softlb: %s\n", strbuf_str(&vis));
	strbuf_free(&msg);
	strbuf_free(&vis);
}

/* True for a line that holds nothing but blanks. */
static bool is_blank(const char *line)
{
	return line[strspn(line, " \t")] == '\0';
}

/* ------------------------------------------------------------------ */
/* Running commands                                                    */

/* Sends line as an exec request and shows the reply: output to stdout (a
 * page at a time when paged), errors to stderr. Returns the outcome; on
 * RUN_LOST the reason is in err. *idle is set when the pager gave up
 * waiting for a key. */
static enum outcome run_line(struct ctl_client *c, const char *line, unsigned flags,
			     bool paged, int idle_ms, bool *idle, struct strbuf *err)
{
	struct ctl_client_reply rep;
	enum outcome out;

	*idle = false;
	if (strlen(line) > CTL_REQUEST_MAX) {
		say_error("command line too long");
		return RUN_FAILED;
	}
	if (ctl_client_request(c, CTL_VERB_EXEC, flags, line, &rep, err) < 0)
		return RUN_LOST;
	memcpy(sh.node, rep.node, sizeof(sh.node));

	if (rep.status >= 400) {
		put_body(stderr, rep.body, rep.len, false, false, 0);
		if (rep.len == 0)
			say_error("%s (%d)", ctl_status_name(rep.status), rep.status);
		out = rep.status == CTL_ERR_DENIED ? RUN_DENIED : RUN_FAILED;
	} else {
		*idle = put_body(stdout, rep.body, rep.len, (flags & CTL_FLAG_JSON) != 0,
				 paged, idle_ms) == PAGER_IDLE;
		out = rep.status == CTL_BYE ? RUN_BYE : RUN_OK;
	}
	ctl_client_reply_free(&rep);
	return out;
}

/* Maps an outcome to the exit status of a script that stops there. */
static int exit_status(enum outcome out)
{
	return out == RUN_OK || out == RUN_BYE ? EXIT_OK :
	       out == RUN_DENIED ? EXIT_DENIED :
	       out == RUN_LOST ? EXIT_UNREACHABLE : EXIT_FAILED;
}

/* Runs one line of a batch and says where a batch stopped. Returns true
 * to go on with the next line. */
static bool batch_line(struct ctl_client *c, const char *line, unsigned flags,
		       const char *where, int *status)
{
	struct strbuf err = STRBUF_INIT;
	enum outcome out;
	bool idle;

	out = run_line(c, line, flags, false, 0, &idle, &err);
	*status = exit_status(out);
	if (out == RUN_LOST)
		say_error("%s", strbuf_str(&err));
	else if (out == RUN_FAILED || out == RUN_DENIED)
		say_error("stopped at %s", where);
	strbuf_free(&err);
	return out == RUN_OK;
}

/* Runs the -c commands, or the lines of stdin, with no prompt, pager or
 * colour, stopping at the first that does not succeed. Returns the exit
 * status. */
static int run_batch(struct ctl_client *c, const struct options *o)
{
	struct strbuf where = STRBUF_INIT;
	unsigned flags = o->json ? CTL_FLAG_JSON : 0;
	int status = EXIT_OK;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;

	if (o->commands.len > 0) {
		for (size_t i = 0; i < o->commands.len; i++) {
			strbuf_reset(&where);
			strbuf_printf(&where, "-c \"%s\"", o->commands.items[i]);
			if (!batch_line(c, o->commands.items[i], flags, where.data, &status))
				break;
		}
		strbuf_free(&where);
		return status;
	}
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';	/* a script saved with CRLF */
		if (memchr(line, '\0', len)) {
			say_error("line %zu of standard input holds a NUL byte", lineno);
			status = EXIT_FAILED;
			break;
		}
		if (is_blank(line))
			continue;
		strbuf_reset(&where);
		strbuf_printf(&where, "line %zu of standard input", lineno);
		if (!batch_line(c, line, flags, where.data, &status))
			break;
	}
	if (n < 0 && ferror(stdin)) {
		say_error("cannot read standard input");
		status = EXIT_FAILED;
	}
	free(line);
	strbuf_free(&where);
	return status;
}

/* ------------------------------------------------------------------ */
/* History                                                             */

/* Finds ~/.softlb_history from HOME, else the password database, and makes
 * sure it is a regular file only its owner can read. On any problem, says
 * so and leaves history off for the session: it is a convenience, not a
 * reason to refuse a shell. */
static void history_open(void)
{
	struct strbuf path = STRBUF_INIT;
	const char *home = getenv("HOME");
	struct stat st;
	int fd, rc;

	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw && pw->pw_dir && *pw->pw_dir ? pw->pw_dir : NULL;
	}
	if (!home) {
		say_error("history is off: cannot find your home directory");
		return;
	}
	strbuf_printf(&path, "%s/%s", home, HISTORY_FILE);
	fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0 || fstat(fd, &st) < 0) {
		say_error("history is off: %s: %s", path.data, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		say_error("history is off: %s is not a regular file", path.data);
	} else if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0) {
		/* The history holds every command typed, server names and
		 * secrets pasted by mistake: owner only, whatever the umask
		 * or an older version made of it. */
		say_error("history is off: cannot make %s private: %s", path.data,
			  strerror(errno));
	} else {
		sh.history_path = strbuf_detach(&path);
	}
	if (fd >= 0)
		close(fd);
	strbuf_free(&path);
	if (!sh.history_path)
		return;
	stifle_history(HISTORY_MAX);
	rc = read_history(sh.history_path);
	if (rc != 0 && rc != ENOENT)
		say_error("cannot read %s: %s", sh.history_path, strerror(rc));
}

/* Adds line unless it is blank or repeats the previous entry. */
static void history_note(const char *line)
{
	HIST_ENTRY *last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

	if (is_blank(line) || (last && strcmp(last->line, line) == 0))
		return;
	add_history(line);
}

/* Writes the history file; a failure is reported, not fatal. */
static void history_save(void)
{
	mode_t mask;
	int rc;

	if (!sh.history_path)
		return;
	/* readline writes a temporary file and renames it over the history,
	 * so the mode is whatever open() and the umask make of 0600. */
	mask = umask(077);
	rc = write_history(sh.history_path);
	umask(mask);
	if (rc != 0)
		say_error("cannot write %s: %s", sh.history_path, strerror(rc));
}

/* ------------------------------------------------------------------ */
/* Leaving                                                             */

/* Gives the terminal back to its normal mode (readline keeps it raw while
 * a line is being edited). */
static void release_terminal(void)
{
	if (sh.handler_installed) {
		rl_callback_handler_remove();
		sh.handler_installed = false;
	}
}

/* Ends the interactive session: terminal restored, history written. msg,
 * when given, goes to stderr (made visible) first. */
static void __attribute__((noreturn)) leave(int status, const char *msg)
{
	release_terminal();
	if (msg)
		say_error("%s", msg);
	history_save();
	ctl_client_close(sh.client);
	exit(status);
}

/* Ends the session after the connection broke mid-line (in TAB or ?),
 * moving off the half-typed line first. */
static void __attribute__((noreturn)) lost_in_line(const struct strbuf *err)
{
	fputc('\n', stdout);
	leave(EXIT_UNREACHABLE, strbuf_str(err));
}

/* ------------------------------------------------------------------ */
/* Prompt                                                              */

/* Rebuilds the prompt from the host and the node of the last reply:
 * "softlb@HOST> " in view, "softlb@HOST(NODE)# " anywhere else. */
static void update_prompt(void)
{
	struct strbuf p = STRBUF_INIT;

	strbuf_puts(&p, "softlb");
	if (sh.host[0])
		strbuf_printf(&p, "@%s", sh.host);
	/* The node passed the protocol's [a-z0-9-] check, so it is safe. */
	if (strcmp(sh.node, "view") == 0)
		strbuf_puts(&p, "> ");
	else
		strbuf_printf(&p, "(%s)# ", sh.node);
	free(sh.prompt);
	sh.prompt = strbuf_detach(&p);
}

/* ------------------------------------------------------------------ */
/* TAB and ?                                                           */

/* Hands readline the candidates of the last completion reply, one per
 * call, as fresh malloc'd copies (readline frees them). */
static char *next_candidate(const char *text, int state)
{
	if (sh.next_candidate >= sh.candidates.len)
		return NULL;
	return xstrdup(sh.candidates.items[sh.next_candidate++]);
}

/* Readline's fallback generator: never anything, so no filename
 * completion can happen whatever path readline takes. */
static char *no_completion(const char *text, int state)
{
	return NULL;
}

/* TAB: asks softlbd for the candidates for the line up to the cursor.
 * Returns readline's match array, or NULL (readline rings the bell) when
 * there is none or the daemon refused the line. */
static char **on_complete(const char *text, int start, int end)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_client_reply rep;
	char *upto = xstrndup(rl_line_buffer, (size_t)rl_point);
	const char *p, *stop;

	rl_attempted_completion_over = 1;
	if (ctl_client_request(sh.client, CTL_VERB_COMPLETE, 0, upto, &rep, &err) < 0) {
		free(upto);
		lost_in_line(&err);
	}
	free(upto);
	strbuf_free(&err);
	strvec_free(&sh.candidates);
	sh.next_candidate = 0;
	if (rep.status == CTL_OK) {
		for (p = rep.body, stop = rep.body + rep.len; p < stop; ) {
			const char *nl = memchr(p, '\n', (size_t)(stop - p));
			size_t n = (size_t)((nl ? nl : stop) - p);

			/* A candidate goes into the line and onto the screen
			 * as is, so one with anything a terminal would obey
			 * is dropped rather than shown. */
			if (n > 0 && visible_is_clean(p, n, true))
				strvec_push_owned(&sh.candidates, xstrndup(p, n));
			p += n + 1;
		}
	}
	ctl_client_reply_free(&rep);
	rl_completion_append_character = ' ';
	rl_completion_suppress_append = 0;
	if (sh.candidates.len == 0)
		return NULL;
	return rl_completion_matches(text, next_candidate);
}

/* True when the cursor (at line[len]) is inside a double-quoted word, in
 * the daemon's quoting: '"' opens and closes, '\' escapes inside. */
static bool in_quotes(const char *line, size_t len)
{
	bool quoted = false;

	for (size_t i = 0; i < len; i++) {
		if (quoted && line[i] == '\\' && i + 1 < len)
			i++;
		else if (line[i] == '"')
			quoted = !quoted;
	}
	return quoted;
}

/* '?': inside quotes, a literal '?'; otherwise asks softlbd what may come
 * next on the line up to the cursor, prints it under the line, and puts
 * the prompt and line back as they were. Returns 0 (readline's "done"). */
static int on_question(int count, int key)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_client_reply rep;
	char *upto;
	int point = rl_point;

	if (in_quotes(rl_line_buffer, (size_t)rl_point))
		return rl_insert(count, key);
	upto = xstrndup(rl_line_buffer, (size_t)rl_point);
	if (ctl_client_request(sh.client, CTL_VERB_DESCRIBE, 0, upto, &rep, &err) < 0) {
		free(upto);
		lost_in_line(&err);
	}
	free(upto);
	strbuf_free(&err);

	/* Leave the cursor after the whole line, which may span rows, so the
	 * help goes under all of it. */
	rl_point = rl_end;
	rl_redisplay();
	rl_point = point;
	fputc('\n', rl_outstream);
	if (rep.status == CTL_OK) {
		struct strbuf cols = STRBUF_INIT;

		visible_columns(&cols, rep.body, rep.len, HELP_TOKEN_COLS);
		fwrite(strbuf_str(&cols), 1, cols.len, rl_outstream);
		strbuf_free(&cols);
	} else {
		put_body(rl_outstream, rep.body, rep.len, false, false, 0);	/* error, with caret */
	}
	fflush(rl_outstream);
	ctl_client_reply_free(&rep);
	rl_on_new_line();
	rl_redisplay();
	return 0;
}

/* ------------------------------------------------------------------ */
/* Interactive loop                                                    */

/* Only records the signal: all the work happens in the loop, outside
 * the handler, where readline and stdio may be used. */
static void on_signal(int sig)
{
	if (sig == SIGINT)
		got_sigint = 1;
	else if (sig == SIGWINCH)
		got_sigwinch = 1;
	else
		got_term = sig;
}

/* Installs the handlers the interactive loop relies on. No SA_RESTART:
 * the signal must cut poll() short so the loop sees it at once. */
static void setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* As a ForceCommand there is no job control to come back from a
	 * stop, and a core dump helps no operator. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGTSTP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* Readline's line handler: takes the line (NULL at end of input) and
 * removes itself, so the loop runs the command with the terminal back in
 * normal mode and installs the handler again with the new prompt. */
static void on_line(char *line)
{
	rl_callback_handler_remove();
	sh.handler_installed = false;
	sh.line = line;
	sh.line_ready = true;
}

/* Shows the prompt and hands the terminal to readline for one line. */
static void prompt_for_line(void)
{
	rl_callback_handler_install(sh.prompt, on_line);
	sh.handler_installed = true;
}

/* Ctrl-C: drops the line being edited (and any search, argument or
 * half-typed key sequence) and starts a fresh one on the next row. */
static void cancel_line(void)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_point = rl_end;
	rl_redisplay();
	release_terminal();
	rl_replace_line("", 1);
	fputs("^C\n", stdout);
	fflush(stdout);
	prompt_for_line();
}

/* Fixed readline settings: no ~/.inputrc, no $INPUTRC, no /etc/inputrc.
 * A macro or key binding from a file the user controls could type
 * commands on its own, and the operator should get the same shell on
 * every appliance. */
static void setup_readline(void)
{
	setenv("INPUTRC", "/dev/null", 1);
	rl_readline_name = "softlb";
	rl_catch_signals = 0;		/* SIGINT is ours: see cancel_line() */
	rl_catch_sigwinch = 0;		/* handled in the loop, in the callback way */
	rl_change_environment = 0;	/* leave LINES and COLUMNS alone */
	rl_initialize();
	rl_variable_bind("editing-mode", "emacs");
	rl_variable_bind("bell-style", "audible");
	/* A pasted block must run line by line, not arrive as one line full
	 * of newlines that the daemon would refuse. */
	rl_variable_bind("enable-bracketed-paste", "off");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("expand-tilde", "off");
	rl_variable_bind("horizontal-scroll-mode", "off");
	rl_unbind_command_in_map("re-read-init-file", emacs_standard_keymap);
	rl_completer_word_break_characters = " \t";
	rl_completer_quote_characters = "";
	rl_attempted_completion_function = on_complete;
	rl_completion_entry_function = no_completion;
	rl_bind_key('?', on_question);
}

/* Waits for keys and feeds them to readline until a line is complete.
 * Handles Ctrl-C, window changes, SIGTERM/SIGHUP and the idle limit
 * (which ends the process). */
static void read_line(void)
{
	struct timespec last;

	sh.line_ready = false;
	got_sigint = 0;
	prompt_for_line();
	clock_gettime(CLOCK_MONOTONIC, &last);
	while (!sh.line_ready) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		int ms = -1, rc;

		if (got_term) {
			int sig = got_term;

			release_terminal();
			history_save();
			signal(sig, SIG_DFL);
			raise(sig);
			exit(EXIT_OK);
		}
		if (got_sigint) {
			got_sigint = 0;
			cancel_line();
			clock_gettime(CLOCK_MONOTONIC, &last);
		}
		if (got_sigwinch) {
			got_sigwinch = 0;
			rl_resize_terminal();
		}
		if (sh.idle_ms > 0) {
			struct timespec now;
			int64_t spent;

			clock_gettime(CLOCK_MONOTONIC, &now);
			spent = (int64_t)(now.tv_sec - last.tv_sec) * 1000 +
				(now.tv_nsec - last.tv_nsec) / 1000000;
			ms = spent >= sh.idle_ms ? 0 : sh.idle_ms - (int)spent;
		}
		rc = ms == 0 ? 0 : poll(&pfd, 1, ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			leave(EXIT_FAILED, "cannot wait for the terminal");
		if (rc == 0) {
			fputc('\n', stdout);
			leave(EXIT_OK, "idle timeout, bye");
		}
		rl_callback_read_char();
		clock_gettime(CLOCK_MONOTONIC, &last);
	}
}

/* `monitor`: softlbtop on the shell's socket, then back to the prompt.
 * Handled here, not by the daemon: it is the terminal's, not a command
 * of softlbd. Only in view mode, and with no argument. */
static void run_monitor(const char *socket_path, bool extra)
{
	struct strbuf err = STRBUF_INIT;
	int rc;

	if (extra) {
		say_error("monitor takes no argument");
		return;
	}
	if (strcmp(sh.node, "view") != 0) {
		say_error("monitor: leave configure mode first (end)");
		return;
	}
	rc = monitor_run(socket_path, &err);
	if (rc < 0)
		say_error("%s", strbuf_str(&err));
	else if (rc != 0)
		say_error("softlbtop ended with status %d", rc);
	strbuf_free(&err);
	got_sigint = 0;
	got_sigwinch = 0;
	rl_resize_terminal();
}

/* The interactive shell: greeting, then one line at a time until end of
 * input, "exit", the idle limit or a broken connection. Never returns. */
static void __attribute__((noreturn)) run_interactive(const struct options *o)
{
	struct strbuf vis = STRBUF_INIT, msg = STRBUF_INIT;
	struct ctl_client *c = sh.client;

	sh.exec_flags = o->json ? CTL_FLAG_JSON : 0;
	sh.idle_ms = (int)(o->idle_seconds * 1000);
	visible_puts(&vis, ctl_client_host(c));
	sh.host = strbuf_detach(&vis);
	snprintf(sh.node, sizeof(sh.node), "view");
	update_prompt();

	setup_signals();
	setup_readline();
	history_open();

	strbuf_puts(&msg, "Connected to softlbd ");
	visible_puts(&msg, ctl_client_version(c));
	strbuf_printf(&msg, " on %s as ", sh.host);
	visible_puts(&msg, ctl_client_user(c));
	strbuf_puts(&msg, " (role ");
	visible_puts(&msg, ctl_client_role(c));
	strbuf_puts(&msg, "). Type ? for help.\n");
	fputs(msg.data, stdout);
	fflush(stdout);
	strbuf_free(&msg);

	for (;;) {
		struct strbuf err = STRBUF_INIT;
		enum outcome out;
		bool idle;

		read_line();
		if (!sh.line) {
			fputc('\n', stdout);	/* Ctrl-D: end the prompt's row */
			leave(EXIT_OK, NULL);
		}
		if (is_blank(sh.line)) {
			free(sh.line);
			continue;
		}
		history_note(sh.line);
		if (monitor_is_command(sh.line, &idle)) {
			run_monitor(o->socket, idle);
			free(sh.line);
			sh.line = NULL;
			continue;
		}
		out = run_line(c, sh.line, sh.exec_flags, true, sh.idle_ms, &idle, &err);
		free(sh.line);
		sh.line = NULL;
		if (out == RUN_LOST) {
			strbuf_puts(&err, "; the session has ended");
			leave(EXIT_UNREACHABLE, strbuf_str(&err));
		}
		strbuf_free(&err);
		if (out == RUN_BYE)
			leave(EXIT_OK, NULL);
		if (idle)
			leave(EXIT_OK, "idle timeout, bye");
		update_prompt();
	}
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

/* Prints the options and exit statuses to f. */
static void usage(FILE *f)
{
	fprintf(f,
		"Usage: softlb [-s SOCKET] [-t SECONDS] [--json] [-c COMMAND]...\n"
		"The operator's shell for softlbd.\n"
		"\n"
		"  -s, --socket SOCKET   control socket (default $SOFTLB_SOCKET, else %s)\n"
		"  -c, --command COMMAND run COMMAND and exit; repeat to run several in order,\n"
		"                        stopping at the first that fails\n"
		"      --json            ask for JSON output\n"
		"      --complete LINE   print the daemon's completions of LINE's last word\n"
		"  -t, --timeout SECONDS leave an idle interactive shell after SECONDS\n"
		"                        (default %ld; 0 = never)\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Without -c and with standard input not a terminal, runs one command per\n"
		"input line. Exit status: 0 success, 1 a command failed, 2 softlbd\n"
		"unreachable or connection lost, 3 permission denied, 64 bad usage.\n",
		CTL_DEFAULT_SOCKET, DEFAULT_IDLE_SECONDS);
}

/* Parses argv into o. Exits on --help, --version and errors. */
static void parse_options(int argc, char **argv, struct options *o)
{
	enum { OPT_JSON = 256, OPT_COMPLETE };
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "command", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "complete", required_argument, NULL, OPT_COMPLETE },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("SOFTLB_SOCKET");
	int opt;

	o->socket = env && *env ? env : CTL_DEFAULT_SOCKET;
	o->json = false;
	o->complete = NULL;
	o->idle_seconds = DEFAULT_IDLE_SECONDS;
	strvec_init(&o->commands);
	while ((opt = getopt_long(argc, argv, "s:c:t:hV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			o->socket = optarg;
			break;
		case 'c':
			strvec_push(&o->commands, optarg);
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_COMPLETE:
			o->complete = optarg;
			break;
		case 't': {
			char *end;

			errno = 0;
			o->idle_seconds = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || o->idle_seconds < 0 ||
			    o->idle_seconds > INT_MAX / 1000) {
				fprintf(stderr, "softlb: -t wants whole seconds from 0 to %d, not '%s'\n",
					INT_MAX / 1000, optarg);
				exit(EXIT_USAGE);
			}
			break;
		}
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("softlb %s\n", PACKAGE_VERSION);
			exit(EXIT_OK);
		default:
			usage(stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "softlb: unexpected argument '%s' (quote a command for -c)\n",
			argv[optind]);
		exit(EXIT_USAGE);
	}
}

/* softlb --complete LINE: the daemon's candidates for the last word of
 * LINE, one per line, for the bash completion (dist/completion/softlb),
 * so the shell's grammar is completed by the daemon that owns it.
 * Returns 0, or 1 when the daemon refused the request. */
static int run_complete(struct ctl_client *c, const char *line)
{
	struct ctl_client_reply rep;
	struct strbuf err = STRBUF_INIT;
	const char *p, *stop;

	if (ctl_client_request(c, CTL_VERB_COMPLETE, 0, line, &rep, &err) < 0) {
		say_error("%s", strbuf_str(&err));
		strbuf_free(&err);
		return EXIT_UNREACHABLE;
	}
	strbuf_free(&err);
	if (rep.status != CTL_OK) {
		ctl_client_reply_free(&rep);
		return EXIT_FAILED;
	}
	for (p = rep.body, stop = rep.body + rep.len; p < stop; ) {
		const char *nl = memchr(p, '\n', (size_t)(stop - p));
		size_t n = (size_t)((nl ? nl : stop) - p);

		/* What a terminal would obey never reaches one. */
		if (n > 0 && visible_is_clean(p, n, true))
			printf("%.*s\n", (int)n, p);
		p += n + 1;
	}
	ctl_client_reply_free(&rep);
	return EXIT_OK;
}

/* Connects, then runs the interactive shell or the batch; returns (or
 * exits with) the status described in usage(). */
int main(int argc, char **argv)
{
	struct options o;
	struct strbuf err = STRBUF_INIT;
	enum ctl_connect_error why;
	int status;

	/* For readline's multibyte editing and wcwidth(); nothing else here
	 * depends on the locale. */
	setlocale(LC_CTYPE, "");
	parse_options(argc, argv, &o);

	sh.client = ctl_client_connect(o.socket, REQUEST_TIMEOUT_MS, &why, &err);
	if (!sh.client) {
		say_error("%s", strbuf_str(&err));
		strbuf_free(&err);
		strvec_free(&o.commands);
		return why == CTL_CONNECT_DENIED ? EXIT_DENIED : EXIT_UNREACHABLE;
	}
	strbuf_free(&err);

	if (o.complete) {
		status = run_complete(sh.client, o.complete);
		ctl_client_close(sh.client);
		strvec_free(&o.commands);
		return status;
	}
	if (o.commands.len == 0 && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		run_interactive(&o);

	status = run_batch(sh.client, &o);
	ctl_client_close(sh.client);
	strvec_free(&o.commands);
	return status;
}
