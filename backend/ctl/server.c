#include "config.h"

#include "ctl/server.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "ctl/cmds_core.h"
#include "ctl/grammar.h"
#include "ctl/proto.h"
#include "ctl/session.h"
#include "util/strvec.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct ctl_server {
	struct softlbd *d;
	char *path;
	int fd;
	unsigned max_clients;
	uint64_t idle_timeout_ms;
	uint64_t stall_timeout_ms;
	unsigned next_id;
	size_t count;
	struct ctl_session *head, *tail;
	struct loop_timer sweep;	/* idle and stalled clients, once a second */
};

static const char *const node_names[CMD_NODE_COUNT] = {
	[CMD_NODE_VIEW] = "view",
	[CMD_NODE_CONFIG] = "config",
	[CMD_NODE_VS] = "config-vs",
	[CMD_NODE_PROXY] = "config-proxy",
	[CMD_NODE_VRRP] = "config-vrrp",
	[CMD_NODE_VSG] = "config-vsg",
};

const char *cmd_node_name(enum cmd_node node)
{
	return (unsigned)node < CMD_NODE_COUNT ? node_names[node] : "view";
}

/* ------------------------------------------------------------------ */
/* Socket set-up                                                       */

/* Creates the socket's directory when missing: 0750, group softlb when that
 * group exists, so only root and the softlb group can reach the socket. */
static int ensure_dir(const char *path, struct strbuf *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat st;
	int rc = 0;

	if (!slash || slash == dir) {
		free(dir);
		return 0;
	}
	*slash = '\0';
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			strbuf_printf(err, "%s exists and is not a directory", dir);
			rc = -1;
		}
	} else if (errno != ENOENT || mkdir(dir, 0750) < 0) {
		strbuf_printf(err, "cannot create %s: %s", dir, strerror(errno));
		rc = -1;
	} else {
		struct group *gr = getgrnam(CTL_GROUP_VIEW);

		/* mkdir is subject to the umask; say exactly what we mean. */
		if (chmod(dir, 0750) < 0 || (gr && chown(dir, 0, gr->gr_gid) < 0)) {
			strbuf_printf(err, "cannot set the owner and mode of %s: %s",
				      dir, strerror(errno));
			rc = -1;
		}
	}
	free(dir);
	return rc;
}

/* Refuses a path that holds anything but a dead socket: never follow a
 * symlink planted there, never replace a file, never steal a live
 * daemon's socket. */
static int check_path(const char *path, struct strbuf *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		strbuf_printf(err, "cannot examine %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		strbuf_printf(err, "%s is a symbolic link: refusing to use it", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		strbuf_printf(err, "%s exists and is not a socket: refusing to replace it", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		strbuf_printf(err, "socket: %s", strerror(errno));
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (rc == 0) {
		strbuf_printf(err, "another softlbd is listening on %s", path);
		return -1;
	}
	return 0;	/* a stale socket: the rename below replaces it */
}

/* Binds under a temporary name, then renames into place, so a client never
 * sees a socket that is not yet listening or has the wrong mode. Returns
 * the listening fd or -1. */
static int open_socket(const char *path, struct strbuf *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct strbuf tmp = STRBUF_INIT;
	int fd;

	strbuf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	if (tmp.len >= sizeof(sa.sun_path)) {
		strbuf_printf(err, "socket path %s is too long (at most %zu bytes)",
			      path, sizeof(sa.sun_path) - 16);
		strbuf_free(&tmp);
		return -1;
	}
	memcpy(sa.sun_path, tmp.data, tmp.len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		strbuf_printf(err, "socket: %s", strerror(errno));
		strbuf_free(&tmp);
		return -1;
	}
	unlink(tmp.data);
	/* Access is decided by the directory and by SO_PEERCRED, so the
	 * socket itself is open to all: a user outside the groups then gets
	 * a reason instead of a bare EACCES. */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(tmp.data, 0666) < 0 || listen(fd, 64) < 0 ||
	    rename(tmp.data, path) < 0) {
		strbuf_printf(err, "cannot listen on %s: %s", path, strerror(errno));
		unlink(tmp.data);
		close(fd);
		fd = -1;
	}
	strbuf_free(&tmp);
	return fd;
}

/* ------------------------------------------------------------------ */
/* Sessions                                                            */

static void session_close(struct ctl_session *s, const char *why)
{
	struct ctl_server *srv = s->srv;

	if (why)
		log_info("control client %u (%s, pid %ld) dropped: %s", s->id, s->peer.user,
			 (long)s->peer.pid, why);
	loop_del_fd(srv->d->loop, s->fd);
	close(s->fd);
	if (s->prev)
		s->prev->next = s->next;
	else
		srv->head = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		srv->tail = s->prev;
	srv->count--;
	strbuf_free(&s->in);
	strbuf_free(&s->out);
	free(s);
}

/* Watches for input only when the client has no reply pending: a client
 * must read what it asked for before it may ask for more, which bounds
 * what it can make us buffer. */
static void session_update_events(struct ctl_session *s)
{
	uint32_t want = 0;

	if (!s->closing && !s->eof && s->out.len == 0)
		want |= EPOLLIN;
	if (s->out.len > 0)
		want |= EPOLLOUT;
	if (want != s->events) {
		loop_mod_fd(s->srv->d->loop, s->fd, want);
		s->events = want;
	}
}

/* Writes what the socket takes now. Returns -1 when the session was closed
 * on a write error, 0 otherwise (s->out may still hold bytes). */
static int session_write(struct ctl_session *s)
{
	while (s->out.len > 0) {
		ssize_t n = send(s->fd, s->out.data, s->out.len, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			session_close(s, strerror(errno));
			return -1;
		}
		strbuf_consume(&s->out, (size_t)n);
		s->last_progress_ms = loop_now_ms(s->srv->d->loop);
	}
	if (s->out.len > CTL_OUTPUT_MAX) {
		session_close(s, "too much reply pending (client not reading)");
		return -1;
	}
	return 0;
}

static void session_reply(struct ctl_session *s, int status, const struct strbuf *body)
{
	if (s->out.len == 0)
		s->last_progress_ms = loop_now_ms(s->srv->d->loop);
	ctl_encode_reply(&s->out, status, cmd_node_name(s->node), strbuf_str(body), body->len);
}

/* Writes the line to the audit trail with who ran it and how it ended. */
static void audit(const struct ctl_session *s, const char *what, const char *line, int status)
{
	log_audit("%s: user=%s uid=%lu pid=%ld role=%s command=\"%s\" result=%d %s", what,
		  s->peer.user, (unsigned long)s->peer.uid, (long)s->peer.pid,
		  ctl_role_name(s->peer.role), line, status, ctl_status_name(status));
}

static int run_exec(struct ctl_session *s, const char *line, unsigned flags, struct strbuf *out)
{
	struct softlbd *d = s->srv->d;
	struct cmd_match m;
	int status;

	grammar_match(d->grammar, line, s->node, s->peer.role, &m);
	switch (m.status) {
	case CMD_MATCH_EMPTY:
		status = CTL_OK;
		break;
	case CMD_MATCH_OK: {
		struct cmd_ctx ctx = {
			.d = d, .sess = s, .out = out, .node = s->node, .role = s->peer.role,
			.json = (flags & CTL_FLAG_JSON) || cmd_arg_has(m.args, "json"),
		};

		status = m.def->handler(&ctx, m.args);
		s->node = ctx.node;
		/* Only commands that may change something are audited; show
		 * commands would drown the trail. */
		if (m.def->role >= CTL_ROLE_OPER && !(m.def->flags & CMD_F_READONLY))
			audit(s, "command", line, status);
		break;
	}
	case CMD_MATCH_DENIED:
		status = CTL_ERR_DENIED;
		grammar_explain(line, &m, out);
		audit(s, "refused", line, status);
		break;
	default:
		status = CTL_ERR_SYNTAX;
		grammar_explain(line, &m, out);
		break;
	}
	cmd_match_clear(&m);
	return status;
}

static int run_complete(struct ctl_session *s, const char *line, struct strbuf *out)
{
	struct softlbd *d = s->srv->d;
	struct strvec cands = STRVEC_INIT;
	struct cmd_ctx ctx = { .d = d, .sess = s, .out = out, .node = s->node,
			       .role = s->peer.role };

	grammar_complete(d->grammar, line, s->node, s->peer.role, &ctx, &cands);
	for (size_t i = 0; i < cands.len; i++) {
		strbuf_puts(out, cands.items[i]);
		strbuf_putc(out, '\n');
	}
	strvec_free(&cands);
	return CTL_OK;
}

static int run_describe(struct ctl_session *s, const char *line, struct strbuf *out)
{
	struct strvec tokens = STRVEC_INIT, helps = STRVEC_INIT;
	struct cmd_match m = { .status = CMD_MATCH_OK };
	int status = CTL_OK;

	m.status = grammar_describe(s->srv->d->grammar, line, s->node, s->peer.role,
				    &tokens, &helps, &m.err_pos);
	if (m.status == CMD_MATCH_OK || m.status == CMD_MATCH_EMPTY) {
		for (size_t i = 0; i < tokens.len && i < helps.len; i++)
			strbuf_printf(out, "%s\t%s\n", tokens.items[i], helps.items[i]);
	} else {
		status = CTL_ERR_SYNTAX;
		grammar_explain(line, &m, out);
	}
	strvec_free(&tokens);
	strvec_free(&helps);
	return status;
}

static void session_handle(struct ctl_session *s, const struct ctl_request *req)
{
	struct strbuf out = STRBUF_INIT;
	char *line;
	int status;

	s->requests++;
	s->last_request_ms = loop_now_ms(s->srv->d->loop);
	if (memchr(req->body, '\0', req->len)) {
		strbuf_puts(&out, "% Invalid input: NUL byte in the command\n");
		session_reply(s, CTL_ERR_SYNTAX, &out);
		strbuf_free(&out);
		return;
	}
	line = xstrndup(req->body, req->len);
	/* A trailing newline is how people type; it is not part of the command. */
	if (req->len && line[req->len - 1] == '\n')
		line[req->len - 1] = '\0';

	switch (req->verb) {
	case CTL_VERB_EXEC:
		status = run_exec(s, line, req->flags, &out);
		break;
	case CTL_VERB_COMPLETE:
		status = run_complete(s, line, &out);
		break;
	case CTL_VERB_DESCRIBE:
		status = run_describe(s, line, &out);
		break;
	default:
		status = CTL_ERR_INTERNAL;
		break;
	}
	session_reply(s, status, &out);
	if (status == CTL_BYE)
		s->closing = true;
	strbuf_free(&out);
	free(line);
}

/* Decodes one buffered request and runs it. Returns false when no whole
 * frame is buffered. A malformed frame is answered and the session marked
 * closing: a byte stream cannot be resynchronised. */
static bool session_run_one(struct ctl_session *s)
{
	struct strbuf err = STRBUF_INIT;
	struct ctl_request req;
	size_t used = 0;
	enum ctl_decode rc;

	rc = ctl_decode_request(s->in.data, s->in.len, CTL_REQUEST_MAX, &req, &used, &err);
	if (rc == CTL_DECODE_AGAIN) {
		strbuf_free(&err);
		return false;
	}
	if (rc == CTL_DECODE_OK) {
		session_handle(s, &req);
		strbuf_consume(&s->in, used);
	} else {
		struct strbuf body = STRBUF_INIT;
		int status = rc == CTL_DECODE_TOOBIG ? CTL_ERR_TOOBIG : CTL_ERR_SYNTAX;

		strbuf_printf(&body, "%% %s\n", strbuf_str(&err));
		session_reply(s, status, &body);
		log_info("control client %u (%s): %s", s->id, s->peer.user, strbuf_str(&err));
		s->closing = true;
		strbuf_reset(&s->in);
		strbuf_free(&body);
	}
	strbuf_free(&err);
	return true;
}

/* Moves the session forward as far as it can go without blocking: write
 * pending reply bytes; once none are pending, run the next buffered
 * request; repeat. A request is only run when the previous reply has been
 * taken by the client, so a client that pipelines without reading can
 * make us hold at most one reply and one read's worth of requests.
 * Returns -1 when the session was closed. */
static int session_pump(struct ctl_session *s)
{
	for (;;) {
		if (session_write(s) < 0)
			return -1;
		if (s->out.len > 0)
			break;
		if (s->closing || (s->eof && !s->in.len)) {
			session_close(s, NULL);
			return -1;
		}
		if (!session_run_one(s)) {
			if (s->eof) {	/* a partial frame that can never complete */
				session_close(s, NULL);
				return -1;
			}
			break;
		}
	}
	session_update_events(s);
	return 0;
}

static void session_on_event(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct ctl_session *s = arg;

	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !s->eof && s->out.len == 0) {
		char buf[16384];
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			session_close(s, strerror(errno));
			return;
		}
		if (n == 0)
			s->eof = true;
		else if (n > 0)
			strbuf_append(&s->in, buf, (size_t)n);
	}
	session_pump(s);
}

/* Sends a one-frame answer on a fresh socket and closes it, for clients
 * that are refused before they get a session. The socket's buffer is
 * empty, so a short frame always fits. */
static void refuse(int fd, int status, const char *reason)
{
	struct strbuf frame = STRBUF_INIT;
	struct strbuf body = STRBUF_INIT;

	strbuf_printf(&body, "%% %s\n", reason);
	ctl_encode_reply(&frame, status, cmd_node_name(CMD_NODE_VIEW), body.data, body.len);
	if (send(fd, frame.data, frame.len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("refused client did not take its answer: %s", strerror(errno));
	close(fd);
	strbuf_free(&frame);
	strbuf_free(&body);
}

static void session_open(struct ctl_server *srv, int fd)
{
	struct strbuf why = STRBUF_INIT, greet = STRBUF_INIT;
	struct ctl_session *s;
	struct ctl_peer peer;

	if (srv->count >= srv->max_clients) {
		strbuf_printf(&why, "too many control clients (limit %u); try again later",
			      srv->max_clients);
		log_warn("control client refused: %s", why.data);
		refuse(fd, CTL_ERR_UNAVAILABLE, why.data);
		strbuf_free(&why);
		return;
	}
	if (ctl_peer_identify(fd, &peer, &why) < 0 || peer.role == CTL_ROLE_NONE) {
		log_audit("refused: connection from user=%s uid=%lu pid=%ld: %s", peer.user,
			  (unsigned long)peer.uid, (long)peer.pid, why.data);
		refuse(fd, CTL_ERR_DENIED, why.data);
		strbuf_free(&why);
		return;
	}
	strbuf_free(&why);

	s = xcalloc(1, sizeof(*s));
	s->srv = srv;
	s->fd = fd;
	s->id = ++srv->next_id;
	s->peer = peer;
	s->node = CMD_NODE_VIEW;
	s->connected = time(NULL);
	s->last_request_ms = s->last_progress_ms = loop_now_ms(srv->d->loop);
	if (loop_add_fd(srv->d->loop, fd, EPOLLIN, session_on_event, s) < 0) {
		log_err("control client: cannot watch fd: %s", strerror(errno));
		close(fd);
		free(s);
		return;
	}
	s->events = EPOLLIN;
	s->prev = srv->tail;
	if (srv->tail)
		srv->tail->next = s;
	else
		srv->head = s;
	srv->tail = s;
	srv->count++;

	strbuf_printf(&greet, "version=%s\nhost=%s\nrole=%s\nuser=%s\n", PACKAGE_VERSION,
		      srv->d->hostname, ctl_role_name(peer.role), peer.user);
	session_reply(s, CTL_OK, &greet);
	strbuf_free(&greet);
	log_debug("control client %u connected: %s (uid %lu, pid %ld), role %s", s->id,
		  peer.user, (unsigned long)peer.uid, (long)peer.pid, ctl_role_name(peer.role));
	session_pump(s);
}

static void on_accept(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct ctl_server *srv = arg;

	for (;;) {
		int cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_err("control socket accept: %s", strerror(errno));
			return;
		}
		session_open(srv, cfd);
	}
}

/* Drops clients that went idle, or that stopped reading their reply. */
static void on_sweep(struct loop *l, struct loop_timer *t, void *arg)
{
	struct ctl_server *srv = arg;
	uint64_t now = loop_now_ms(l);
	struct ctl_session *s = srv->head;

	while (s) {
		struct ctl_session *next = s->next;

		if (s->out.len > 0 && now - s->last_progress_ms >= srv->stall_timeout_ms)
			session_close(s, "not reading its reply");
		else if (s->out.len == 0 && srv->idle_timeout_ms &&
			 now - s->last_request_ms >= srv->idle_timeout_ms)
			session_close(s, "idle timeout");
		s = next;
	}
	loop_timer_start(l, t, 1000);
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

static int ctl_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct ctl_server *srv;
	const char *path = d->opts.socket_path ? d->opts.socket_path : CTL_DEFAULT_SOCKET_PATH;
	int fd;

	if (cmds_core_register(d->grammar, err) < 0)
		return -1;
	if (ensure_dir(path, err) < 0 || check_path(path, err) < 0)
		return -1;
	fd = open_socket(path, err);
	if (fd < 0)
		return -1;
	srv = xcalloc(1, sizeof(*srv));
	srv->d = d;
	srv->fd = fd;
	srv->path = xstrdup(path);
	srv->max_clients = d->opts.ctl_max_clients ? d->opts.ctl_max_clients
						   : CTL_DEFAULT_MAX_CLIENTS;
	srv->idle_timeout_ms = (uint64_t)d->opts.ctl_idle_timeout_s * 1000u;
	srv->stall_timeout_ms = (uint64_t)(d->opts.ctl_stall_timeout_s ? d->opts.ctl_stall_timeout_s
							  : CTL_DEFAULT_STALL_TIMEOUT_S) * 1000u;
	if (loop_add_fd(d->loop, fd, EPOLLIN, on_accept, srv) < 0) {
		strbuf_printf(err, "cannot watch the control socket: %s", strerror(errno));
		unlink(path);
		close(fd);
		free(srv->path);
		free(srv);
		return -1;
	}
	loop_timer_init(&srv->sweep, on_sweep, srv);
	loop_timer_start(d->loop, &srv->sweep, 1000);
	log_info("control socket listening on %s", path);
	*priv = srv;
	d->engines.ctl = srv;
	return 0;
}

static void ctl_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct ctl_server *srv = priv;

	st->state = MODULE_RUNNING;
	snprintf(st->reason, sizeof(st->reason), "%s, %zu of %u clients", srv->path,
		 srv->count, srv->max_clients);
}

static void ctl_stop(struct softlbd *d, void *priv)
{
	struct ctl_server *srv = priv;

	d->engines.ctl = NULL;
	while (srv->head)
		session_close(srv->head, NULL);
	loop_timer_stop(d->loop, &srv->sweep);
	loop_del_fd(d->loop, srv->fd);
	close(srv->fd);
	unlink(srv->path);
	free(srv->path);
	free(srv);
}

const struct module_ops ctl_module = {
	.name = "ctl",
	.description = "control socket and command grammar",
	.init = ctl_init,
	.status = ctl_status,
	.stop = ctl_stop,
};

struct ctl_server *ctl_server_of(struct softlbd *d)
{
	return d ? d->engines.ctl : NULL;
}

void ctl_server_foreach(struct ctl_server *srv,
			void (*fn)(const struct ctl_session *s, void *arg), void *arg)
{
	for (struct ctl_session *s = srv->head; s; s = s->next)
		fn(s, arg);
}

size_t ctl_server_client_count(const struct ctl_server *srv)
{
	return srv->count;
}

const char *ctl_server_path(const struct ctl_server *srv)
{
	return srv->path;
}
