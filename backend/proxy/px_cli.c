/* The runtime socket (px_cli.h): a unix stream socket in the control
 * plane's loop. Each client is non-blocking both ways and bounded: a line
 * is at most PX_CLI_LINE_MAX bytes, a client's pending reply stops its
 * reading until it is written, an idle client is closed at its timeout
 * (stats timeout, or `set timeout cli`), and at most PX_CLI_CLIENTS_MAX
 * clients are served at once. Without `prompt`, one line is answered and
 * the connection closed, as HAProxy does. */
#include "config.h"

#include "proxy/px_cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/model-t.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "ctl/role.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define OUT_HIGH (1u << 20)	/* a reply this big waits to be read before more input */

struct cli_client {
	struct px_cli *cli;
	struct cli_client *prev, *next;
	int fd;
	struct px_cli_sess s;
	struct strbuf in, out;
	bool closing;			/* close once out is written */
	bool eof;			/* the client sent all it will send */
	uint32_t events;
	struct loop_timer tm;
};

struct px_cli {
	struct softlbd *d;
	int fd;
	char *path;
	int mode;
	enum cfg_stats_level level;
	int64_t timeout_ms;
	struct cli_client *clients;
	size_t n_clients;
};

static void client_close(struct cli_client *c)
{
	struct px_cli *cli = c->cli;

	loop_timer_stop(cli->d->loop, &c->tm);
	loop_del_fd(cli->d->loop, c->fd);
	close(c->fd);
	if (c->prev)
		c->prev->next = c->next;
	else
		cli->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	cli->n_clients--;
	strbuf_free(&c->in);
	strbuf_free(&c->out);
	free(c);
}

static void set_events(struct cli_client *c)
{
	uint32_t want = c->out.len ? EPOLLOUT : 0;

	if (!c->closing && !c->eof && c->out.len < OUT_HIGH)
		want |= EPOLLIN;
	if (want != c->events && loop_mod_fd(c->cli->d->loop, c->fd, want) == 0)
		c->events = want;
}

static void arm(struct cli_client *c)
{
	if (c->s.timeout_ms > 0)
		loop_timer_start(c->cli->d->loop, &c->tm, (uint64_t)c->s.timeout_ms);
	else
		loop_timer_stop(c->cli->d->loop, &c->tm);
}

/* Writes what it can; closes the client once a last reply is out, or when
 * the client went away (EPIPE: it disconnected mid-reply). Returns false
 * when c was freed. */
static bool flush(struct cli_client *c)
{
	while (c->out.len) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			client_close(c);
			return false;
		}
		strbuf_consume(&c->out, (size_t)n);
	}
	if (!c->out.len && c->closing) {
		client_close(c);
		return false;
	}
	set_events(c);
	return true;
}

/* Answers the whole lines in c->in. */
static void run_lines(struct cli_client *c)
{
	char *nl;

	while (!c->closing && c->out.len < OUT_HIGH &&
	       (nl = memchr(c->in.data, '\n', c->in.len))) {
		size_t len = (size_t)(nl - c->in.data);

		px_cli_line(&c->s, c->in.data, len, &c->out);
		strbuf_consume(&c->in, len + 1);
		/* Not interactive: one line, then the connection closes. */
		if (c->s.quit || !c->s.prompt)
			c->closing = true;
	}
	if (!c->closing && c->in.len > PX_CLI_LINE_MAX) {
		strbuf_puts(&c->out, "Command line too long.\n\n");
		c->closing = true;
	}
}

static bool has_line(const struct cli_client *c)
{
	return c->in.len && memchr(c->in.data, '\n', c->in.len) != NULL;
}

static void on_client(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct cli_client *c = arg;

	(void)l;
	if (events & EPOLLIN) {
		char buf[4096];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n < 0) {
			client_close(c);
			return;
		}
		if (n == 0) {
			/* End of input (socat shuts its side once it sent):
			 * what was asked is still answered, a last line
			 * without its newline too, then the connection
			 * closes once the answers are out. */
			c->eof = true;
			if (c->in.len && !has_line(c))
				strbuf_putc(&c->in, '\n');
		} else {
			strbuf_append(&c->in, buf, (size_t)n);
		}
		run_lines(c);
		/* After the commands: `set timeout cli` counts from now. */
		arm(c);
	} else if (events & (EPOLLERR | EPOLLHUP)) {
		client_close(c);	/* gone both ways: nobody reads the rest */
		return;
	}
	if (!flush(c))
		return;
	/* Lines wait while a big answer goes out. */
	if (!c->closing && c->out.len < OUT_HIGH && has_line(c)) {
		run_lines(c);
		if (!flush(c))
			return;
	}
	if (c->eof && !c->closing && !has_line(c)) {
		c->closing = true;
		flush(c);
	}
}

static void on_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	(void)l;
	(void)t;
	client_close(arg);
}

static void on_accept(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct px_cli *cli = arg;

	(void)l;
	(void)events;
	for (int k = 0; k < 16; k++) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct cli_client *c;
		struct ctl_peer peer;
		struct strbuf why = STRBUF_INIT;

		if (cfd < 0)
			return;
		if (cli->n_clients >= PX_CLI_CLIENTS_MAX) {
			close(cfd);
			continue;
		}
		c = xcalloc(1, sizeof(*c));
		c->cli = cli;
		c->fd = cfd;
		strbuf_init(&c->in);
		strbuf_init(&c->out);
		c->s.d = cli->d;
		c->s.level = cli->level;
		c->s.timeout_ms = cli->timeout_ms;
		memset(&peer, 0, sizeof(peer));
		if (ctl_peer_identify(cfd, &peer, &why) == 0)
			snprintf(c->s.who, sizeof(c->s.who), "%s (stats socket)", peer.user);
		else
			snprintf(c->s.who, sizeof(c->s.who), "? (stats socket)");
		c->s.uid = peer.uid;
		strbuf_free(&why);
		loop_timer_init(&c->tm, on_timeout, c);
		if (loop_add_fd(cli->d->loop, cfd, EPOLLIN, on_client, c) < 0) {
			close(cfd);
			free(c);
			continue;
		}
		c->events = EPOLLIN;
		c->next = cli->clients;
		if (cli->clients)
			cli->clients->prev = c;
		cli->clients = c;
		cli->n_clients++;
		arm(c);
	}
}

/* Binds under a temporary name, sets the mode, then renames into place,
 * so no client ever finds the socket with a wider mode. An existing file
 * at path is replaced only when it is a socket (a stale one). */
static int open_socket(const char *path, int mode, struct strbuf *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct strbuf tmp = STRBUF_INIT;
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
		strbuf_printf(err, "stats socket %s: a file that is not a socket is there", path);
		return -1;
	}
	strbuf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	if (tmp.len >= sizeof(sa.sun_path)) {
		strbuf_printf(err, "stats socket %s: path too long (at most %zu bytes)", path,
			      sizeof(sa.sun_path) - 16);
		strbuf_free(&tmp);
		return -1;
	}
	memcpy(sa.sun_path, tmp.data, tmp.len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		strbuf_printf(err, "stats socket: %s", strerror(errno));
		strbuf_free(&tmp);
		return -1;
	}
	unlink(tmp.data);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(tmp.data, (mode_t)(mode >= 0 ? mode : 0600)) < 0 || listen(fd, 16) < 0 ||
	    rename(tmp.data, path) < 0) {
		strbuf_printf(err, "stats socket: cannot listen on %s: %s", path, strerror(errno));
		unlink(tmp.data);
		close(fd);
		fd = -1;
	}
	strbuf_free(&tmp);
	return fd;
}

void px_cli_free(struct px_cli *cli)
{
	if (!cli)
		return;
	while (cli->clients)
		client_close(cli->clients);
	if (cli->fd >= 0) {
		loop_del_fd(cli->d->loop, cli->fd);
		close(cli->fd);
		unlink(cli->path);
	}
	free(cli->path);
	free(cli);
}

int px_cli_configure(struct softlbd *d, struct px_cli **clip, const struct config *cfg,
		     struct strbuf *err)
{
	const struct cfg_hap_global *g = cfg ? &cfg->hap : NULL;
	struct px_cli *cli = *clip;
	int64_t timeout = g && g->stats_timeout_ms > 0 ? g->stats_timeout_ms : 10000;

	if (!d->loop)
		return 0;
	if (cli && g && g->stats_socket && strcmp(cli->path, g->stats_socket) == 0 &&
	    cli->mode == g->stats_socket_mode) {
		/* Same socket: its clients stay; new ones get the new level
		 * and timeout. */
		cli->level = (enum cfg_stats_level)g->stats_socket_level;
		cli->timeout_ms = timeout;
		return 0;
	}
	if (g && g->stats_socket) {
		struct px_cli *n = xcalloc(1, sizeof(*n));

		n->d = d;
		n->path = xstrdup(g->stats_socket);
		n->mode = g->stats_socket_mode;
		n->level = (enum cfg_stats_level)g->stats_socket_level;
		n->timeout_ms = timeout;
		if (cli && strcmp(cli->path, n->path) == 0) {
			/* Same path, new mode: the old one goes first. */
			px_cli_free(cli);
			cli = NULL;
		}
		n->fd = open_socket(n->path, n->mode, err);
		if (n->fd < 0 || loop_add_fd(d->loop, n->fd, EPOLLIN, on_accept, n) < 0) {
			if (n->fd >= 0) {
				strbuf_printf(err, "stats socket %s: cannot watch it", n->path);
				close(n->fd);
				unlink(n->path);
			}
			free(n->path);
			free(n);
			*clip = cli;
			return -1;
		}
		log_notice("runtime API (stats socket) listening on %s", n->path);
		px_cli_free(cli);
		*clip = n;
		return 0;
	}
	px_cli_free(cli);
	*clip = NULL;
	return 0;
}
