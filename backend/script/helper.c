/* The script helper process: forked once from softlbd, it runs each script
 * it is asked to (fork + execve, clean environment, own process group,
 * fds 0-2 only, optional user), enforces the timeout, reaps through a
 * signalfd, and reports each end on the socket. It is single-threaded and
 * uses poll(), so a hundred hanging scripts cost it nothing but slots.
 *
 * It never logs (no syslog, no stdio): whatever goes wrong is reported in
 * the reply's line, and softlbd logs it.
 */
#include "config.h"

#include "script/secure.h"
#include "script/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Scripts the helper runs at once at most, whatever softlbd asks: a
 * backstop, softlbd's own limit is lower. */
#define HELPER_MAX_JOBS 512
/* Output bytes kept per script: enough for a first line; the rest is read
 * and dropped so a chatty script never blocks on a full pipe. */
#define HELPER_OUT_KEEP 1024

#define SAFE_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* The fds the helper keeps for itself. */
enum { HELPER_SOCK_FD = 3, HELPER_SIG_FD = 4 };

struct job {
	bool used;
	uint64_t id;
	pid_t pid;
	int out_fd;			/* read end of the output pipe, or -1 */
	uint64_t start_ms;
	uint64_t deadline_ms;		/* 0: none */
	uint64_t kill_ms;		/* SIGKILL time once SIGTERM was sent */
	unsigned grace_ms;
	bool timed_out;
	char out[HELPER_OUT_KEEP];
	size_t out_len;
	uint32_t security;		/* SCRIPT_SEC_OK or _WARNED */
	char unsafe[SCRIPT_LINE_MAX];	/* why, when warned */
};

struct helper {
	int sock;
	int sigfd;
	struct job jobs[HELPER_MAX_JOBS];
	unsigned n_jobs;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Sends one reply; a failure means softlbd is gone, which the next
 * receive notices. */
static void send_done(struct helper *h, uint64_t id, bool started, int wstatus,
		      bool timed_out, unsigned duration_ms, const char *line, size_t line_len,
		      uint32_t security, const char *unsafe)
{
	struct script_wire_done m;
	size_t n = 0;

	memset(&m, 0, sizeof(m));
	m.type = SCRIPT_MSG_DONE;
	m.id = id;
	m.started = started;
	m.wstatus = wstatus;
	m.timed_out = timed_out;
	m.duration_ms = duration_ms;
	/* First line only, without its end, printable. */
	for (size_t i = 0; i < line_len && n < SCRIPT_LINE_MAX - 1; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\n')
			break;
		if (c == '\r' && (i + 1 == line_len || line[i + 1] == '\n'))
			break;
		m.line[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	m.line[n] = '\0';
	m.line_len = (uint16_t)n;
	m.security = security;
	if (unsafe)
		snprintf(m.unsafe, sizeof(m.unsafe), "%s", unsafe);
	while (send(h->sock, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void send_refusal(struct helper *h, uint64_t id, const char *why)
{
	send_done(h, id, false, 0, false, 0, why, strlen(why), SCRIPT_SEC_OK, NULL);
}

/* Writes a message on fd 2 of a child that failed before execve. */
static void child_say(const char *what, const char *arg, int err)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s %s: %s\n", what, arg, strerror(err));

	if (n > 0 && write(STDERR_FILENO, buf, (size_t)n) < 0)
		_exit(127);
}

/* In the child: everything from the fork to execve. Never returns. */
static void child_exec(char **argv, int out_w, const struct passwd *pw, bool as_user)
{
	static char path_env[] = "PATH=" SAFE_PATH;
	char *envp[] = { path_env, NULL };
	sigset_t all;
	int null, err = ENOENT;

	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0 ||
	    dup2(out_w, STDERR_FILENO) < 0)
		_exit(127);
	close_range(3, ~0U, 0);
	if (as_user) {
		if (setgid(pw->pw_gid) < 0 || initgroups(pw->pw_name, pw->pw_gid) < 0) {
			child_say("cannot take the groups of", pw->pw_name, errno);
			_exit(127);
		}
		if (setuid(pw->pw_uid) < 0) {
			child_say("cannot become", pw->pw_name, errno);
			_exit(127);
		}
	}
	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, envp);
		err = errno;
	} else {
		/* A bare name: look it up in the clean PATH, never the
		 * caller's. */
		const char *dirs = SAFE_PATH;

		while (*dirs) {
			const char *colon = strchr(dirs, ':');
			size_t dl = colon ? (size_t)(colon - dirs) : strlen(dirs);
			char full[4096];

			if (snprintf(full, sizeof(full), "%.*s/%s", (int)dl, dirs, argv[0]) <
			    (int)sizeof(full)) {
				execve(full, argv, envp);
				if (errno != ENOENT)
					err = errno;
			}
			dirs += dl + (colon ? 1 : 0);
		}
	}
	child_say("cannot execute", argv[0], err);
	_exit(err == EACCES || err == ENOEXEC ? 126 : 127);
}

/* Parses a RUN request and starts the script. Replies at once when it
 * cannot start. */
static void start_job(struct helper *h, const char *msg, size_t len)
{
	struct script_wire_req req;
	char *argv[SCRIPT_ARGV_MAX / 2 + 2];
	char user[256];
	struct passwd pwbuf, *pw = NULL;
	char pwstore[4096];
	const char *p, *end = msg + len;
	struct job *j = NULL;
	int pfd[2];
	bool as_user = false;
	char unsafe[SCRIPT_LINE_MAX];
	enum script_security sec;

	memcpy(&req, msg, sizeof(req));
	p = msg + sizeof(req);
	if (req.argc == 0 || req.argc > SCRIPT_ARGV_MAX / 2 || req.user_len >= sizeof(user) ||
	    (size_t)(end - p) < req.user_len) {
		send_refusal(h, req.id, "malformed request");
		return;
	}
	memcpy(user, p, req.user_len);
	user[req.user_len] = '\0';
	p += req.user_len;
	for (unsigned i = 0; i < req.argc; i++) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (!nul) {
			send_refusal(h, req.id, "malformed request");
			return;
		}
		argv[i] = (char *)p;
		p = nul + 1;
	}
	argv[req.argc] = NULL;
	if (h->n_jobs >= HELPER_MAX_JOBS) {
		send_refusal(h, req.id, "too many scripts running at once");
		return;
	}
	/* The user is looked up here, not in the child, so a failure is a
	 * clear refusal rather than an exit code. Only root can switch. */
	if (req.user_len && geteuid() == 0) {
		int rc = getpwnam_r(user, &pwbuf, pwstore, sizeof(pwstore), &pw);

		if (rc != 0 || !pw) {
			char why[320];

			snprintf(why, sizeof(why), "unknown user %s", user);
			send_refusal(h, req.id, why);
			return;
		}
		as_user = true;
	}
	/* Checked here, at every run, not once at load: a script made
	 * writable later is caught too, and the check sees the user the
	 * script really runs as. */
	sec = script_check_secure(argv[0], SAFE_PATH, as_user ? pw->pw_uid : geteuid(),
				  as_user ? pw->pw_gid : getegid(), unsafe, sizeof(unsafe));
	if (sec == SCRIPT_UNSAFE && (req.flags & SCRIPT_REQ_SECURE)) {
		char why[SCRIPT_LINE_MAX + 32];

		snprintf(why, sizeof(why), "unsafe permissions: %s", unsafe);
		send_done(h, req.id, false, 0, false, 0, why, strlen(why), SCRIPT_SEC_REFUSED,
			  unsafe);
		return;
	}
	for (unsigned i = 0; i < HELPER_MAX_JOBS; i++) {
		if (!h->jobs[i].used) {
			j = &h->jobs[i];
			break;
		}
	}
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		send_refusal(h, req.id, "cannot create a pipe");
		return;
	}
	memset(j, 0, sizeof(*j));
	j->start_ms = now_ms();
	j->pid = fork();
	if (j->pid < 0) {
		char why[128];

		snprintf(why, sizeof(why), "cannot fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		send_refusal(h, req.id, why);
		return;
	}
	if (j->pid == 0)
		child_exec(argv, pfd[1], pw, as_user);
	/* Also from this side, so a kill of the group cannot race the
	 * child's own setpgid. */
	setpgid(j->pid, j->pid);
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	j->used = true;
	j->id = req.id;
	if (sec == SCRIPT_UNSAFE) {
		j->security = SCRIPT_SEC_WARNED;
		snprintf(j->unsafe, sizeof(j->unsafe), "%s", unsafe);
	}
	j->out_fd = pfd[0];
	j->grace_ms = req.grace_ms;
	if (req.timeout_ms)
		j->deadline_ms = j->start_ms + req.timeout_ms;
	h->n_jobs++;
}

/* Reads what the script wrote so far; closes on EOF. */
static void read_output(struct job *j)
{
	char buf[4096];
	ssize_t n;

	while (j->out_fd >= 0) {
		n = read(j->out_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || errno != EAGAIN) {
				close(j->out_fd);
				j->out_fd = -1;
			}
			return;
		}
		if (j->out_len < sizeof(j->out)) {
			size_t take = sizeof(j->out) - j->out_len;

			if (take > (size_t)n)
				take = (size_t)n;
			memcpy(j->out + j->out_len, buf, take);
			j->out_len += take;
		}
	}
}

/* The script's process ended: report and free the slot. A grandchild may
 * still hold the pipe; what it wrote so far counts, the rest is not
 * waited for. */
static void finish_job(struct helper *h, struct job *j, int wstatus)
{
	read_output(j);
	if (j->out_fd >= 0)
		close(j->out_fd);
	send_done(h, j->id, true, wstatus, j->timed_out, (unsigned)(now_ms() - j->start_ms),
		  j->out, j->out_len, j->security, j->unsafe);
	j->used = false;
	h->n_jobs--;
}

static void reap(struct helper *h)
{
	struct signalfd_siginfo si;
	int wstatus;
	pid_t pid;

	while (read(h->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		for (unsigned i = 0; i < HELPER_MAX_JOBS; i++) {
			if (h->jobs[i].used && h->jobs[i].pid == pid) {
				finish_job(h, &h->jobs[i], wstatus);
				break;
			}
		}
	}
}

static void cancel_job(struct helper *h, uint64_t id)
{
	for (unsigned i = 0; i < HELPER_MAX_JOBS; i++)
		if (h->jobs[i].used && h->jobs[i].id == id)
			kill(-h->jobs[i].pid, SIGKILL);
}

/* Sends SIGTERM to the groups past their deadline and SIGKILL to those
 * past their grace; returns the poll timeout until the next such time. */
static int enforce_timeouts(struct helper *h)
{
	uint64_t now = now_ms(), next = UINT64_MAX;

	for (unsigned i = 0; i < HELPER_MAX_JOBS; i++) {
		struct job *j = &h->jobs[i];

		if (!j->used)
			continue;
		if (j->deadline_ms && !j->timed_out && now >= j->deadline_ms) {
			j->timed_out = true;
			kill(-j->pid, SIGTERM);
			j->kill_ms = now + j->grace_ms;
		}
		if (j->timed_out && j->kill_ms && now >= j->kill_ms) {
			kill(-j->pid, SIGKILL);
			/* Keep trying every second: a group member may have
			 * left the group; the script itself cannot. */
			j->kill_ms = now + 1000;
		}
		if (!j->timed_out && j->deadline_ms && j->deadline_ms < next)
			next = j->deadline_ms;
		if (j->timed_out && j->kill_ms < next)
			next = j->kill_ms;
	}
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

/* softlbd is gone: nothing will read results, so the scripts are killed
 * rather than left behind, and the helper exits. */
static void shutdown_helper(struct helper *h)
{
	for (unsigned i = 0; i < HELPER_MAX_JOBS; i++)
		if (h->jobs[i].used)
			kill(-h->jobs[i].pid, SIGKILL);
	for (unsigned i = 0; i < HELPER_MAX_JOBS; i++)
		if (h->jobs[i].used)
			waitpid(h->jobs[i].pid, NULL, 0);
	_exit(0);
}

/* Makes the process its own clean self: known fds, default signals but
 * the terminal's, SIGCHLD through a signalfd. */
static void helper_setup(struct helper *h, int fd)
{
	sigset_t mask;
	int null;

	if (fd != HELPER_SOCK_FD) {
		if (dup2(fd, HELPER_SOCK_FD) < 0)
			_exit(1);
		close(fd);
	}
	close_range(HELPER_SOCK_FD + 1, ~0U, 0);
	null = open("/dev/null", O_RDWR);
	if (null < 0)
		_exit(1);
	dup2(null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	if (null > STDERR_FILENO)
		close(null);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	/* Ctrl-C or a hangup on softlbd's terminal is not for the helper:
	 * it ends when softlbd closes the socket. */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (signalfd(HELPER_SIG_FD, &mask, SFD_CLOEXEC | SFD_NONBLOCK) < 0) {
		int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

		/* The lowest free descriptor may be HELPER_SIG_FD itself:
		 * then it is already in place and must stay open (closing
		 * it left the helper polling a dead descriptor, spinning). */
		if (sfd < 0)
			_exit(1);
		if (sfd != HELPER_SIG_FD) {
			if (dup2(sfd, HELPER_SIG_FD) < 0)
				_exit(1);
			close(sfd);
		}
	}
	fcntl(HELPER_SOCK_FD, F_SETFD, FD_CLOEXEC);
	prctl(PR_SET_NAME, "softlbd-script", 0, 0, 0);
	h->sock = HELPER_SOCK_FD;
	h->sigfd = HELPER_SIG_FD;
}

void script_helper_main(int fd)
{
	static struct helper h;	/* 512 slots: too big for the stack */
	static char msg[SCRIPT_WIRE_REQ_MAX];
	static struct pollfd pfds[HELPER_MAX_JOBS + 2];
	static struct job *pjobs[HELPER_MAX_JOBS + 2];

	helper_setup(&h, fd);
	for (;;) {
		int timeout = enforce_timeouts(&h);
		nfds_t n = 0;

		pfds[n++] = (struct pollfd){ .fd = h.sock, .events = POLLIN };
		pfds[n++] = (struct pollfd){ .fd = h.sigfd, .events = POLLIN };
		for (unsigned i = 0; i < HELPER_MAX_JOBS; i++) {
			if (h.jobs[i].used && h.jobs[i].out_fd >= 0) {
				pjobs[n] = &h.jobs[i];
				pfds[n++] = (struct pollfd){ .fd = h.jobs[i].out_fd,
							     .events = POLLIN };
			}
		}
		if (poll(pfds, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			shutdown_helper(&h);
		}
		/* Its own socket or signalfd invalid: nothing can work any
		 * more, and polling on would spin. */
		if ((pfds[0].revents | pfds[1].revents) & POLLNVAL)
			shutdown_helper(&h);
		for (nfds_t i = 2; i < n; i++)
			if (pfds[i].revents)
				read_output(pjobs[i]);
		if (pfds[1].revents)
			reap(&h);
		if (pfds[0].revents) {
			ssize_t len = recv(h.sock, msg, sizeof(msg), MSG_DONTWAIT);
			uint32_t type;

			if (len == 0 || (len < 0 && errno != EAGAIN && errno != EINTR))
				shutdown_helper(&h);
			if (len < (ssize_t)sizeof(struct script_wire_req))
				continue;
			memcpy(&type, msg, sizeof(type));
			if (type == SCRIPT_MSG_RUN) {
				start_job(&h, msg, (size_t)len);
			} else if (type == SCRIPT_MSG_CANCEL) {
				struct script_wire_req req;

				memcpy(&req, msg, sizeof(req));
				cancel_job(&h, req.id);
			}
		}
	}
}
