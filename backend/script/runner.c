/* The daemon side of the script runner: a queue of requests, the ones the
 * helper is running, and the helper's life (runner.h). */
#include "config.h"

#include "script/runner.h"

#include "core/log.h"
#include "core/loop.h"
#include "script/wire.h"
#include "util/strbuf.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A helper that dies sooner than this after its start is restarted only
 * after this delay, so a helper that cannot live does not spin. */
#define RESTART_DELAY_MS 1000

/* One request, from script_run() to its callback. */
struct script_job {
	struct script_job *prev, *next;
	uint64_t id;
	char *msg;			/* the RUN message, ready to send */
	size_t msg_len;
	script_done_fn cb;		/* NULL once cancelled */
	void *arg;
};

struct job_list {
	struct script_job *head, *tail;
	unsigned len;
};

struct script_runner {
	pid_t pid;			/* 0: no helper (restart pending) */
	int fd;				/* our end of the socketpair, or -1 */
	struct loop *loop;		/* NULL until attached */
	bool want_out;			/* EPOLLOUT watched: the socket was full */
	uint64_t started_ms;		/* monotonic start of the current helper */
	struct loop_timer restart;
	struct job_list queued;		/* not yet sent */
	struct job_list running;	/* sent, no reply yet */
	unsigned limit;
	uint64_t next_id;
	uint64_t runs, timeouts;
	unsigned restarts;
	bool secure;			/* enable_script_security */
	uint64_t refused;		/* unsafe scripts not run */
	struct strvec told;		/* unsafe reasons logged already */
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void list_append(struct job_list *l, struct script_job *j)
{
	j->next = NULL;
	j->prev = l->tail;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->len++;
}

static void list_remove(struct job_list *l, struct script_job *j)
{
	if (j->prev)
		j->prev->next = j->next;
	else
		l->head = j->next;
	if (j->next)
		j->next->prev = j->prev;
	else
		l->tail = j->prev;
	l->len--;
	j->prev = j->next = NULL;
}

static struct script_job *list_find(const struct job_list *l, uint64_t id)
{
	for (struct script_job *j = l->head; j; j = j->next)
		if (j->id == id)
			return j;
	return NULL;
}

static void job_free(struct script_job *j)
{
	free(j->msg);
	free(j);
}

/* Forks the helper on a new socketpair. Returns 0, or -1 with the reason
 * in err. */
static int spawn_helper(struct script_runner *r, struct strbuf *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		strbuf_printf(err, "cannot create the script helper's socket: %s",
			      strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		strbuf_printf(err, "cannot fork the script helper: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		script_helper_main(sv[1]);
	}
	close(sv[1]);
	r->pid = pid;
	r->fd = sv[0];
	r->started_ms = mono_ms();
	return 0;
}

/* Sends queued requests while there is room. A full socket waits for
 * EPOLLOUT. */
static void pump(struct script_runner *r)
{
	bool blocked = false;

	if (r->fd < 0 || !r->loop)
		return;
	while (r->queued.head && r->running.len < r->limit) {
		struct script_job *j = r->queued.head;
		ssize_t n = send(r->fd, j->msg, j->msg_len, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			/* EAGAIN waits for room; anything else means the
			 * helper is gone, which the read side handles. */
			blocked = errno == EAGAIN || errno == ENOBUFS;
			break;
		}
		list_remove(&r->queued, j);
		list_append(&r->running, j);
	}
	if (blocked != r->want_out) {
		r->want_out = blocked;
		loop_mod_fd(r->loop, r->fd, EPOLLIN | (blocked ? EPOLLOUT : 0));
	}
}

static void deliver(struct script_runner *r, struct script_job *j, const struct script_result *res)
{
	list_remove(&r->running, j);
	if (j->cb)
		j->cb(res, j->arg);
	job_free(j);
}

/* Logs an unsafe script once per reason (which names the path), as
 * keepalived does at load: a track script every second must not fill the
 * log. Without enable_script_security it still ran: that is a warning. */
static void tell_unsafe(struct script_runner *r, const struct script_wire_done *m)
{
	char key[SCRIPT_LINE_MAX + 2];
	const char *why;

	/* The key carries the outcome: a run asked for before a reload
	 * that turned enable_script_security off still comes back
	 * refused, and its reason must not stand for the warning the
	 * next, permitted run owes the log. */
	snprintf(key, sizeof(key), "%c %.*s", m->security == SCRIPT_SEC_REFUSED ? 'R' : 'V',
		 (int)sizeof(m->unsafe) - 1, m->unsafe);
	why = key + 2;
	if (strvec_contains(&r->told, key))
		return;
	strvec_push(&r->told, key);
	if (m->security == SCRIPT_SEC_REFUSED)
		log_warn("script security: unsafe permissions, not run: %s", why);
	else
		log_warn("SECURITY VIOLATION - a script runs as root but enable_script_security "
			 "is not set: %s", why);
}

static void on_reply(struct script_runner *r, const struct script_wire_done *m)
{
	struct script_job *j = list_find(&r->running, m->id);
	struct script_result res;

	if (!j)
		return;
	memset(&res, 0, sizeof(res));
	res.id = m->id;
	res.started = m->started;
	res.timed_out = m->timed_out;
	res.duration_ms = m->duration_ms;
	memcpy(res.line, m->line, sizeof(res.line));
	res.line[sizeof(res.line) - 1] = '\0';
	if (m->started) {
		if (WIFEXITED(m->wstatus)) {
			res.exited = true;
			res.exit_code = WEXITSTATUS(m->wstatus);
		} else if (WIFSIGNALED(m->wstatus)) {
			res.signo = WTERMSIG(m->wstatus);
		}
	}
	if (m->security != SCRIPT_SEC_OK)
		tell_unsafe(r, m);
	if (m->security == SCRIPT_SEC_REFUSED) {
		res.refused_unsafe = true;
		r->refused++;
	}
	r->runs++;
	if (res.timed_out)
		r->timeouts++;
	deliver(r, j, &res);
}

static void on_fd(struct loop *l, int fd, uint32_t events, void *arg);

/* Starts a new helper from the restart timer. */
static void on_restart(struct loop *l, struct loop_timer *t, void *arg)
{
	struct script_runner *r = arg;
	struct strbuf err = STRBUF_INIT;

	if (spawn_helper(r, &err) < 0) {
		log_err("script helper: %s; trying again in %d ms", err.data, RESTART_DELAY_MS);
		strbuf_free(&err);
		loop_timer_start(l, &r->restart, RESTART_DELAY_MS);
		return;
	}
	if (loop_add_fd(l, r->fd, EPOLLIN, on_fd, r) < 0) {
		log_err("script helper: cannot watch its socket: %s; trying again in %d ms",
			strerror(errno), RESTART_DELAY_MS);
		close(r->fd);
		r->fd = -1;
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
		loop_timer_start(l, &r->restart, RESTART_DELAY_MS);
		return;
	}
	r->want_out = false;
	r->restarts++;
	log_notice("script helper restarted (pid %ld)", (long)r->pid);
	strbuf_free(&err);
	pump(r);
}

/* The helper is gone: reap it, fail what it was running, and start
 * another. */
static void helper_died(struct script_runner *r)
{
	struct strbuf how = STRBUF_INIT;
	struct script_result res;
	uint64_t lived = mono_ms() - r->started_ms;
	int wstatus = 0;

	loop_del_fd(r->loop, r->fd);
	close(r->fd);
	r->fd = -1;
	/* Its socket is closed, so it is exiting or gone: SIGKILL makes sure
	 * and the wait cannot block for long. */
	kill(r->pid, SIGKILL);
	if (waitpid(r->pid, &wstatus, 0) == r->pid) {
		if (WIFEXITED(wstatus))
			strbuf_printf(&how, "exited %d", WEXITSTATUS(wstatus));
		else if (WIFSIGNALED(wstatus))
			strbuf_printf(&how, "killed by signal %d (%s)", WTERMSIG(wstatus),
				      strsignal(WTERMSIG(wstatus)));
	}
	log_err("script helper (pid %ld) died (%s) after %lu ms; %u scripts failed; restarting",
		(long)r->pid, how.len ? how.data : "unknown", (unsigned long)lived,
		r->running.len);
	strbuf_free(&how);
	r->pid = 0;
	memset(&res, 0, sizeof(res));
	snprintf(res.line, sizeof(res.line), "script helper died");
	while (r->running.head) {
		res.id = r->running.head->id;
		deliver(r, r->running.head, &res);
	}
	loop_timer_start(r->loop, &r->restart, lived < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0);
}

static void on_fd(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct script_runner *r = arg;

	if (events & EPOLLIN) {
		struct script_wire_done m;
		ssize_t n;

		/* Bounded: a burst of replies beyond this waits for the next
		 * iteration rather than starving the loop. */
		for (int i = 0; i < 256 && r->fd >= 0; i++) {
			n = recv(r->fd, &m, sizeof(m), MSG_DONTWAIT);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0) {
				helper_died(r);
				return;
			}
			if ((size_t)n == sizeof(m) && m.type == SCRIPT_MSG_DONE)
				on_reply(r, &m);
		}
	} else if (events & (EPOLLHUP | EPOLLERR)) {
		helper_died(r);
		return;
	}
	pump(r);
}

int script_runner_start(struct script_runner **out, struct strbuf *err)
{
	struct script_runner *r = xcalloc(1, sizeof(*r));

	r->fd = -1;
	r->limit = SCRIPT_DEFAULT_LIMIT;
	r->next_id = 1;
	loop_timer_init(&r->restart, on_restart, r);
	if (spawn_helper(r, err) < 0) {
		free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int script_runner_attach(struct script_runner *r, struct loop *l)
{
	if (loop_add_fd(l, r->fd, EPOLLIN, on_fd, r) < 0)
		return -1;
	r->loop = l;
	pump(r);
	return 0;
}

void script_runner_set_limit(struct script_runner *r, unsigned limit)
{
	r->limit = limit ? limit : 1;
	pump(r);
}

void script_runner_set_security(struct script_runner *r, bool enforce)
{
	if (r->secure != enforce)
		strvec_free(&r->told);	/* the news differs: tell again */
	r->secure = enforce;
}

int script_run(struct script_runner *r, char *const argv[], const char *user,
	       unsigned timeout_ms, script_done_fn cb, void *arg, uint64_t *id)
{
	struct script_wire_req req;
	struct strbuf msg = STRBUF_INIT;
	struct script_job *j;
	size_t argc = 0, total = 0, ulen = user ? strlen(user) : 0;

	if (!argv || !argv[0] || !argv[0][0] || ulen > 255) {
		errno = EINVAL;
		return -1;
	}
	for (argc = 0; argv[argc]; argc++)
		total += strlen(argv[argc]) + 1;
	if (total > SCRIPT_ARGV_MAX) {
		errno = EINVAL;
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.type = SCRIPT_MSG_RUN;
	req.id = r->next_id++;
	req.timeout_ms = timeout_ms;
	req.grace_ms = SCRIPT_KILL_GRACE_MS;
	req.argc = (uint16_t)argc;
	req.user_len = (uint16_t)ulen;
	req.flags = r->secure ? SCRIPT_REQ_SECURE : 0;
	strbuf_append(&msg, &req, sizeof(req));
	if (ulen)
		strbuf_append(&msg, user, ulen);
	for (size_t i = 0; i < argc; i++)
		strbuf_append(&msg, argv[i], strlen(argv[i]) + 1);
	j = xcalloc(1, sizeof(*j));
	j->id = req.id;
	j->msg_len = msg.len;
	j->msg = strbuf_detach(&msg);
	j->cb = cb;
	j->arg = arg;
	list_append(&r->queued, j);
	if (id)
		*id = j->id;
	pump(r);
	return 0;
}

void script_cancel(struct script_runner *r, uint64_t id)
{
	struct script_job *j = list_find(&r->queued, id);

	if (j) {
		list_remove(&r->queued, j);
		job_free(j);
		return;
	}
	j = list_find(&r->running, id);
	if (!j || !j->cb)
		return;
	/* It stays in the running list until the helper reports it, so the
	 * limit keeps counting it while it dies. */
	j->cb = NULL;
	if (r->fd >= 0) {
		struct script_wire_req req;

		memset(&req, 0, sizeof(req));
		req.type = SCRIPT_MSG_CANCEL;
		req.id = id;
		(void)send(r->fd, &req, sizeof(req), MSG_DONTWAIT | MSG_NOSIGNAL);
	}
}

void script_runner_get_stats(const struct script_runner *r, struct script_runner_stats *st)
{
	st->helper_pid = r->pid;
	st->running = r->running.len;
	st->queued = r->queued.len;
	st->limit = r->limit;
	st->runs = r->runs;
	st->timeouts = r->timeouts;
	st->restarts = r->restarts;
	st->refused_unsafe = r->refused;
}

void script_runner_stop(struct script_runner *r)
{
	struct script_job *j;

	if (!r)
		return;
	if (r->loop) {
		loop_timer_stop(r->loop, &r->restart);
		if (r->fd >= 0)
			loop_del_fd(r->loop, r->fd);
	}
	if (r->fd >= 0)
		close(r->fd);
	if (r->pid > 0) {
		/* The closed socket tells it to kill its scripts and exit;
		 * give it two seconds, then make sure. */
		for (int i = 0; i < 200; i++) {
			if (waitpid(r->pid, NULL, WNOHANG) == r->pid) {
				r->pid = 0;
				break;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
		}
		if (r->pid > 0) {
			kill(r->pid, SIGKILL);
			waitpid(r->pid, NULL, 0);
		}
	}
	while ((j = r->queued.head)) {
		list_remove(&r->queued, j);
		job_free(j);
	}
	while ((j = r->running.head)) {
		list_remove(&r->running, j);
		job_free(j);
	}
	strvec_free(&r->told);
	free(r);
}

/* ------------------------------------------------------------------ */

int script_split_cmdline(const char *line, struct strvec *argv, struct strbuf *err)
{
	struct strbuf word = STRBUF_INIT;
	const char *p = line;
	size_t start_len = argv->len;

	while (*p) {
		bool have = false;
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		strbuf_reset(&word);
		while (*p && (quote || (*p != ' ' && *p != '\t'))) {
			if (quote && *p == quote) {
				quote = 0;
			} else if (!quote && (*p == '\'' || *p == '"')) {
				quote = *p;
			} else if (*p == '\\' && quote != '\'' && p[1]) {
				p++;
				strbuf_putc(&word, *p);
			} else {
				strbuf_putc(&word, *p);
			}
			have = true;
			p++;
		}
		if (quote) {
			strbuf_printf(err, "unterminated %c quote in '%s'", quote, line);
			strbuf_free(&word);
			return -1;
		}
		if (have)
			strvec_push(argv, strbuf_str(&word));
	}
	strbuf_free(&word);
	if (argv->len == start_len) {
		strbuf_puts(err, "empty command line");
		return -1;
	}
	return 0;
}
