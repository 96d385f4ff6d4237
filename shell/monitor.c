#include "config.h"

#include "monitor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SOFTLBTOP_PATH
#error "SOFTLBTOP_PATH: set by the build to $(bindir)/softlbtop"
#endif

const char *monitor_path(void)
{
	return SOFTLBTOP_PATH;
}

bool monitor_is_command(const char *line, bool *extra)
{
	static const char word[] = "monitor";

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, word, sizeof(word) - 1) != 0)
		return false;
	line += sizeof(word) - 1;
	if (*line && *line != ' ' && *line != '\t')
		return false;	/* "monitoring": not ours, the daemon answers */
	while (*line == ' ' || *line == '\t')
		line++;
	*extra = *line != '\0';
	return true;
}

/* TERM is passed only when it is a plain terminal name: it chooses a
 * terminfo file, and a path there must not choose one. */
static bool term_name_ok(const char *t)
{
	if (!t || !*t || strlen(t) > 64)
		return false;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
		      (*t >= '0' && *t <= '9') || *t == '-' || *t == '.' || *t == '+' || *t == '_'))
			return false;
	return true;
}

/* "K=V" into buf, or false when it does not fit. */
static bool env_entry(char *buf, size_t cap, const char *k, const char *v)
{
	size_t kl = strlen(k), vl = strlen(v);

	if (kl + 1 + vl + 1 > cap)
		return false;
	memcpy(buf, k, kl);
	buf[kl] = '=';
	memcpy(buf + kl + 1, v, vl + 1);
	return true;
}

int monitor_run(const char *socket_path, struct strbuf *err)
{
	static const char *const keep[] = { "LANG", "LC_ALL", "LC_CTYPE", "NO_COLOR", "COLUMNS",
					    "LINES" };
	char *envp[16];
	size_t ne = 0;
	struct sigaction ign, old_int, old_quit;
	pid_t pid;
	int st;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		strbuf_puts(err, "monitor needs a terminal");
		return -1;
	}
	if (access(SOFTLBTOP_PATH, X_OK) != 0) {
		strbuf_printf(err, "monitor: %s: %s (softlbtop is not installed)", SOFTLBTOP_PATH,
			      strerror(errno));
		return -1;
	}
	/* The environment, built before fork (the child only execs). */
	if (term_name_ok(getenv("TERM"))) {
		static char term[80];

		if (env_entry(term, sizeof(term), "TERM", getenv("TERM")))
			envp[ne++] = term;
	}
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);
		static char bufs[6][128];

		/* A locale with a '/' would be a path to locale files. */
		if (v && !strpbrk(v, "/\n") && env_entry(bufs[i], sizeof(bufs[i]), keep[i], v))
			envp[ne++] = bufs[i];
	}
	envp[ne++] = (char *)"PATH=/usr/bin:/bin";
	envp[ne] = NULL;

	/* While softlbtop runs, Ctrl-C and Ctrl-\ are its, not the shell's. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		strbuf_printf(err, "monitor: fork: %s", strerror(errno));
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { (char *)"softlbtop", (char *)"-s", (char *)socket_path, NULL };
		struct sigaction dfl;

		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGQUIT, &dfl, NULL);
		/* SIGTSTP stays ignored, as in the shell: no job control to
		 * come back from under a ForceCommand. */
		execve(SOFTLBTOP_PATH, argv, envp);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}
