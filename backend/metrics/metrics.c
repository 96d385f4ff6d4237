/* metrics: the HTTP side of the Prometheus endpoint (metrics.h).
 *
 * Deliberately tiny: GET or HEAD of /metrics, one request per connection
 * (Connection: close), a request head of at most 4 KiB read within 5
 * seconds, at most 8 scrapers at once. A scrape is rendered whole in the
 * control-plane loop (render.c) and then written as the socket takes it,
 * so a slow scraper holds memory, never the loop. */
#include "config.h"

#include "metrics/metrics.h"
#include "config/changeset.h"
#include "config/conf.h"
#include "config/model-t.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/module.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define METRICS_HEAD_MAX 4096
#define METRICS_TIMEOUT_MS 5000
#define METRICS_CLIENTS_MAX 8

struct metrics;

struct scrape {
	struct metrics *m;
	int fd;
	char head[METRICS_HEAD_MAX];
	size_t head_len;
	struct strbuf reply;	/* head and body, once known */
	size_t sent;
	struct loop_timer timer;
	struct scrape *next;
};

struct metrics {
	struct softlbd *d;
	int listen_fd;		/* -1: no endpoint */
	char *spec;		/* what it listens on, as given (NULL: none) */
	bool from_cli;		/* --metrics, which the configuration does not move */
	char where[80];		/* ADDR:PORT, for show status and the log */
	struct scrape *scrapes;
	size_t n_scrapes;
	unsigned long long served;	/* scrapes answered 200 */
};

static void scrape_free(struct scrape *s)
{
	struct metrics *m = s->m;

	for (struct scrape **pp = &m->scrapes; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	m->n_scrapes--;
	loop_timer_stop(m->d->loop, &s->timer);
	loop_close_fd(m->d->loop, s->fd);
	strbuf_free(&s->reply);
	free(s);
}

static void on_timeout(struct loop *l, struct loop_timer *t, void *arg)
{
	scrape_free(arg);
}

static void on_writable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct scrape *s = arg;

	while (s->sent < s->reply.len) {
		ssize_t n = send(fd, s->reply.data + s->sent, s->reply.len - s->sent, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			scrape_free(s);
			return;
		}
		s->sent += (size_t)n;
		/* The 5 s bound a slow client gets is per step, not for the
		 * whole reply: a scrape of 10,000 servers is megabytes, and a
		 * loaded scraper took longer than 5 s to read one (the reply
		 * was cut off). A client that reads nothing for 5 s goes. */
		loop_timer_start(s->m->d->loop, &s->timer, METRICS_TIMEOUT_MS);
	}
	scrape_free(s);
}

static void respond(struct scrape *s, const char *status, const char *extra,
		    const char *type, const struct strbuf *body, bool head_only)
{
	strbuf_printf(&s->reply, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		      "%sConnection: close\r\n\r\n", status, type, body->len, extra);
	if (!head_only)
		strbuf_append(&s->reply, body->data ? body->data : "", body->len);
	if (loop_mod_fd(s->m->d->loop, s->fd, EPOLLOUT) < 0) {
		scrape_free(s);
		return;
	}
	/* Most replies fit the socket buffer: try at once. */
	on_writable(s->m->d->loop, s->fd, EPOLLOUT, s);
}

/* The head has arrived: answers it. */
static void handle(struct scrape *s)
{
	struct strbuf body = STRBUF_INIT;
	char method[8], target[256];
	const char *text = "text/plain; charset=utf-8";
	bool head_only;

	if (sscanf(s->head, "%7s %255s HTTP/1.%*c", method, target) != 2) {
		strbuf_puts(&body, "bad request\n");
		respond(s, "400 Bad Request", "", text, &body, false);
		strbuf_free(&body);
		return;
	}
	head_only = strcmp(method, "HEAD") == 0;
	if (!head_only && strcmp(method, "GET") != 0) {
		strbuf_puts(&body, "only GET and HEAD\n");
		respond(s, "405 Method Not Allowed", "Allow: GET, HEAD\r\n", text, &body, false);
	} else if (strcmp(target, "/metrics") != 0 && strncmp(target, "/metrics?", 9) != 0) {
		strbuf_puts(&body, "not found: the metrics are at /metrics\n");
		respond(s, "404 Not Found", "", text, &body, head_only);
	} else {
		metrics_render(s->m->d, &body);
		s->m->served++;
		respond(s, "200 OK", "", "text/plain; version=0.0.4; charset=utf-8", &body,
			head_only);
	}
	strbuf_free(&body);
}

static void on_readable(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct scrape *s = arg;
	ssize_t n;

	if (s->reply.len) {
		on_writable(l, fd, events, arg);
		return;
	}
	n = recv(fd, s->head + s->head_len, sizeof(s->head) - 1 - s->head_len, 0);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		scrape_free(s);
		return;
	}
	s->head_len += (size_t)n;
	s->head[s->head_len] = '\0';
	if (strstr(s->head, "\r\n\r\n") || strstr(s->head, "\n\n")) {
		handle(s);
		return;
	}
	if (s->head_len == sizeof(s->head) - 1) {
		struct strbuf body = STRBUF_INIT;

		strbuf_puts(&body, "request head too large\n");
		respond(s, "431 Request Header Fields Too Large", "", "text/plain; charset=utf-8",
			&body, false);
		strbuf_free(&body);
	}
}

static void on_accept(struct loop *l, int lfd, uint32_t events, void *arg)
{
	struct metrics *m = arg;

	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct scrape *s;

		if (fd < 0)
			return;
		if (m->n_scrapes >= METRICS_CLIENTS_MAX) {
			/* A scraper is one Prometheus, not a crowd. */
			close(fd);
			continue;
		}
		s = xcalloc(1, sizeof(*s));
		s->m = m;
		s->fd = fd;
		strbuf_init(&s->reply);
		if (loop_add_fd(l, fd, EPOLLIN, on_readable, s) < 0) {
			close(fd);
			free(s);
			continue;
		}
		s->next = m->scrapes;
		m->scrapes = s;
		m->n_scrapes++;
		loop_timer_init(&s->timer, on_timeout, s);
		loop_timer_start(l, &s->timer, METRICS_TIMEOUT_MS);
	}
}

/* Parses "PORT", "ADDR:PORT" or "[ADDR6]:PORT" into ss. Returns 0, or -1
 * with the reason in err (what names the setting: "--metrics"). */
static int parse_where(const char *spec, const char *what, struct sockaddr_storage *ss,
		       socklen_t *len, struct strbuf *err)
{
	char host[64] = "127.0.0.1";
	const char *port = spec;
	const char *colon = strrchr(spec, ':');
	char *end;
	unsigned long p;

	if (colon) {
		size_t hl = (size_t)(colon - spec);

		if (spec[0] == '[' && hl >= 2 && spec[hl - 1] == ']') {
			spec++;
			hl -= 2;
		}
		if (hl == 0 || hl >= sizeof(host)) {
			strbuf_printf(err, "%s '%s': expected [ADDR:]PORT", what, spec);
			return -1;
		}
		memcpy(host, spec, hl);
		host[hl] = '\0';
		port = colon + 1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno || end == port || *end || p == 0 || p > 65535) {
		strbuf_printf(err, "%s: '%s' is not a port from 1 to 65535", what, port);
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		*len = sizeof(*a);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) == 1)
			return 0;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		*len = sizeof(*a);
		if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
			return 0;
	}
	strbuf_printf(err, "%s: '%s' is not an IP address", what, host);
	return -1;
}

/* Listens on spec (from what: "--metrics", "softlb_metrics"). Returns
 * the listening socket, watched by the loop, with the address in where;
 * or -1 with the reason in err and the errno in *eno (0: spec is bad). */
static int open_listener(struct metrics *m, const char *spec, const char *what,
			 char where[80], struct strbuf *err, int *eno)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;

	*eno = 0;
	if (parse_where(spec, what, &ss, &len, err) < 0)
		return -1;
	{
		/* Said as bound: "127.0.0.1:9100" even when only a port was given. */
		char a[INET6_ADDRSTRLEN] = "?";
		const void *raw = ss.ss_family == AF_INET6 ?
			(const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr :
			(const void *)&((struct sockaddr_in *)&ss)->sin_addr;
		unsigned port = ntohs(ss.ss_family == AF_INET6 ?
				      ((struct sockaddr_in6 *)&ss)->sin6_port :
				      ((struct sockaddr_in *)&ss)->sin_port);

		inet_ntop(ss.ss_family, raw, a, sizeof(a));
		snprintf(where, 80, ss.ss_family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, port);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0 ||
	    loop_add_fd(m->d->loop, fd, EPOLLIN, on_accept, m) < 0) {
		*eno = errno;
		strbuf_printf(err, "%s: cannot listen on %s for /metrics: %s", what, where,
			      strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Stops listening; scrapes in flight are still answered. */
static void close_listener(struct metrics *m)
{
	if (m->listen_fd >= 0)
		loop_close_fd(m->d->loop, m->listen_fd);
	m->listen_fd = -1;
	free(m->spec);
	m->spec = NULL;
	m->where[0] = '\0';
}

/* Moves the endpoint to spec (NULL: none). The new socket is opened
 * before the old one closes, so a refused move leaves the endpoint as
 * it was; when the new one needs the old one's port (another address,
 * same port), the old one closes first and comes back if the new one
 * cannot open. Returns 0, or -1 with the reason in err. */
static int move_listener(struct metrics *m, const char *spec, const char *what,
			 struct strbuf *err)
{
	char where[80], old_where[80];
	char *old_spec;
	int fd, eno;

	if (!spec) {
		if (m->listen_fd >= 0)
			log_notice("metrics: endpoint http://%s/metrics closed", m->where);
		close_listener(m);
		return 0;
	}
	fd = open_listener(m, spec, what, where, err, &eno);
	if (fd < 0 && m->listen_fd >= 0 && eno == EADDRINUSE) {
		struct strbuf again = STRBUF_INIT;

		old_spec = m->spec ? xstrdup(m->spec) : NULL;
		memcpy(old_where, m->where, sizeof(old_where));
		close_listener(m);
		strbuf_reset(err);
		fd = open_listener(m, spec, what, where, err, &eno);
		if (fd < 0 && old_spec) {
			m->listen_fd = open_listener(m, old_spec, what, m->where, &again, &eno);
			if (m->listen_fd >= 0)
				m->spec = xstrdup(old_spec);
			else
				log_err("metrics: could not listen on %s again: %s", old_where,
					strbuf_str(&again));
		}
		free(old_spec);
		strbuf_free(&again);
	}
	if (fd < 0)
		return -1;
	close_listener(m);
	m->listen_fd = fd;
	m->spec = xstrdup(spec);
	memcpy(m->where, where, sizeof(m->where));
	log_notice("metrics: Prometheus endpoint on http://%s/metrics (%s)", m->where, what);
	return 0;
}

static int metrics_init(struct softlbd *d, void **priv, struct strbuf *err)
{
	struct metrics *m = xcalloc(1, sizeof(*m));
	const char *spec = d->opts.metrics_listen;
	const char *what = "--metrics";

	m->d = d;
	m->listen_fd = -1;
	/* The command line wins over the configuration, as the address of
	 * a service is the operator's, not the file's, when both say. */
	m->from_cli = spec != NULL;
	if (!spec && d->config) {
		spec = d->config->global.softlb_metrics;
		what = "softlb_metrics";
	}
	if (spec && move_listener(m, spec, what, err) < 0) {
		free(m);
		return -1;
	}
	*priv = m;
	d->services.prometheus = metrics_render;
	return 0;
}

/* softlb_metrics changed in global_defs: the endpoint follows, unless
 * --metrics set it. A new endpoint that cannot listen refuses the
 * change (the running configuration and endpoint stay). */
static int metrics_apply(struct softlbd *d, void *priv, const struct config_changeset *cs,
			 struct strbuf *err)
{
	struct metrics *m = priv;
	const char *spec = cs->new_cfg ? cs->new_cfg->global.softlb_metrics : NULL;
	const char *old = cs->old_cfg ? cs->old_cfg->global.softlb_metrics : NULL;

	(void)d;
	if (!config_changeset_touches(cs, CONFIG_KIND_BIT(CONFIG_OBJ_GLOBAL)))
		return 0;
	if ((spec == NULL) == (old == NULL) && (!spec || strcmp(spec, old) == 0))
		return 0;
	if (m->from_cli) {
		log_notice("metrics: softlb_metrics changed; --metrics %s stays in force",
			   m->spec);
		return 0;
	}
	return move_listener(m, spec, "softlb_metrics", err);
}

static void metrics_status(struct softlbd *d, void *priv, struct module_status *st)
{
	struct metrics *m = priv;

	if (!m || m->listen_fd < 0) {
		st->state = MODULE_NOT_CONFIGURED;
		return;
	}
	st->state = MODULE_RUNNING;
	snprintf(st->reason, sizeof(st->reason), "http://%s/metrics (%s), %llu scrapes, %zu open",
		 m->where, m->from_cli ? "--metrics" : "softlb_metrics", m->served, m->n_scrapes);
}

static void metrics_stop(struct softlbd *d, void *priv)
{
	struct metrics *m = priv;

	if (!m)
		return;
	d->services.prometheus = NULL;
	while (m->scrapes)
		scrape_free(m->scrapes);
	close_listener(m);
	free(m);
}

const struct module_ops metrics_module = {
	.name = "metrics",
	.description = "Prometheus endpoint (GET /metrics)",
	.init = metrics_init,
	.apply = metrics_apply,
	.status = metrics_status,
	.stop = metrics_stop,
};
