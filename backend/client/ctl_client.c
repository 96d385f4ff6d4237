#include "config.h"

#include "client/ctl_client.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How much to ask read() for at a time: large enough that a big table
 * arrives in few system calls, small enough to sit on the stack. */
#define READ_CHUNK (64u * 1024u)
/* Pause between connect attempts while the daemon's backlog is full. */
#define BACKLOG_RETRY_MS 20

struct ctl_client {
	int fd;			/* -1 once the connection failed */
	int timeout_ms;		/* <= 0: wait for ever */
	char *path;
	char *version, *host, *role, *user;
	struct strbuf in;	/* bytes read but not yet decoded */
};

/* ------------------------------------------------------------------ */
/* Deadlines                                                           */

/* Milliseconds on the monotonic clock, which wall-clock steps (NTP,
 * an operator setting the date) cannot move. */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The deadline for an operation starting now, or -1 for none. */
static int64_t deadline_from(int timeout_ms)
{
	return timeout_ms > 0 ? now_ms() + timeout_ms : -1;
}

/* Milliseconds left before deadline, as poll() wants them: -1 for no
 * deadline, 0 once it has passed. */
static int remaining_ms(int64_t deadline)
{
	int64_t left;

	if (deadline < 0)
		return -1;
	left = deadline - now_ms();
	if (left <= 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Waits until fd is ready for events or the deadline passes. Returns 1
 * when ready, 0 on timeout, -1 with errno set on a poll() error. A signal
 * does not cut the wait short: the shell's Ctrl-C handler only sets a
 * flag, and a half-read reply cannot be abandoned without losing the
 * stream. */
static int wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		int ms = remaining_ms(deadline);
		int rc;

		if (ms == 0)
			return 0;
		rc = poll(&pfd, 1, ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0)
			return -1;
		if (rc > 0)
			return 1;
	}
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */

/* Marks the connection dead so every later request fails at once. */
static void client_break(struct ctl_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Sends data[0..len) before the deadline. Returns 0, or -1 with the
 * reason in err. */
static int write_all(struct ctl_client *c, const char *data, size_t len,
		     int64_t deadline, struct strbuf *err)
{
	while (len > 0) {
		ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int rc;

		if (n >= 0) {
			data += n;
			len -= (size_t)n;
			/* an idle timeout: progress restarts it */
			if (n > 0)
				deadline = deadline_from(c->timeout_ms);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EPIPE || errno == ECONNRESET) {
			strbuf_printf(err, "softlbd (%s) closed the connection", c->path);
			return -1;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			strbuf_printf(err, "lost the connection to softlbd (%s): %s",
				      c->path, strerror(errno));
			return -1;
		}
		rc = wait_fd(c->fd, POLLOUT, deadline);
		if (rc <= 0) {
			strbuf_printf(err, "sending to softlbd (%s): %s", c->path,
				      rc == 0 ? "timed out" : strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* What read_reply() failed on: the caller of a connect maps these to
 * different exit statuses. */
#define READ_IO_ERROR (-1)	/* closed, reset or timed out */
#define READ_BAD_FRAME (-2)	/* the peer does not speak the protocol */

/* Reads until one whole reply frame is buffered, then copies it into *rep
 * and drops it from the buffer. Returns 0, or READ_IO_ERROR or
 * READ_BAD_FRAME with the reason in err. */
static int read_reply(struct ctl_client *c, int64_t deadline,
		      struct ctl_client_reply *rep, struct strbuf *err)
{
	struct strbuf why = STRBUF_INIT;

	for (;;) {
		struct ctl_reply r;
		size_t used = 0;
		enum ctl_decode dc;
		ssize_t n;
		int rc;

		dc = ctl_decode_reply(strbuf_str(&c->in), c->in.len, CTL_REPLY_MAX,
				      &r, &used, &why);
		if (dc == CTL_DECODE_OK) {
			rep->status = r.status;
			memcpy(rep->node, r.node, sizeof(rep->node));
			rep->body = xmalloc(r.len + 1);
			memcpy(rep->body, r.body, r.len);
			rep->body[r.len] = '\0';
			rep->len = r.len;
			strbuf_consume(&c->in, used);
			strbuf_free(&why);
			return 0;
		}
		if (dc != CTL_DECODE_AGAIN) {
			strbuf_printf(err, "softlbd (%s) sent a reply that does not parse: %s",
				      c->path, strbuf_str(&why));
			strbuf_free(&why);
			return READ_BAD_FRAME;
		}

		strbuf_reserve(&c->in, READ_CHUNK);
		n = recv(c->fd, c->in.data + c->in.len, READ_CHUNK, MSG_DONTWAIT);
		if (n > 0) {
			c->in.len += (size_t)n;
			c->in.data[c->in.len] = '\0';
			/* An idle timeout, not a total: a 10,000-service
			 * `show lvs` may take longer than the timeout to
			 * arrive, and is never cut off while bytes flow. */
			deadline = deadline_from(c->timeout_ms);
			continue;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			strbuf_printf(err, "softlbd (%s) closed the connection", c->path);
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			strbuf_printf(err, "lost the connection to softlbd (%s): %s",
				      c->path, strerror(errno));
			break;
		}
		rc = wait_fd(c->fd, POLLIN, deadline);
		if (rc <= 0) {
			strbuf_printf(err, "waiting for softlbd (%s): %s", c->path,
				      rc == 0 ? "timed out" : strerror(errno));
			break;
		}
	}
	strbuf_free(&why);
	return READ_IO_ERROR;
}

/* ------------------------------------------------------------------ */
/* Connecting                                                          */

/* Connects fd to sa before the deadline. A non-blocking connect on a UNIX
 * socket either completes at once or fails with EAGAIN when the listen
 * backlog is full; that is retried until the deadline, while
 * EINPROGRESS (not seen on Linux today) is waited for like TCP's. Returns
 * 0, or -1 with errno set (ETIMEDOUT when the deadline passed). */
static int connect_by(int fd, const struct sockaddr_un *sa, int64_t deadline)
{
	for (;;) {
		int rc, soerr = 0;
		socklen_t sl = sizeof(soerr);

		if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN) {
			int left = remaining_ms(deadline);

			if (left == 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			if (left < 0 || left > BACKLOG_RETRY_MS)
				left = BACKLOG_RETRY_MS;
			poll(NULL, 0, left);
			continue;
		}
		if (errno != EINPROGRESS)
			return -1;
		rc = wait_fd(fd, POLLOUT, deadline);
		if (rc == 0)
			errno = ETIMEDOUT;
		if (rc <= 0)
			return -1;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
			return -1;
		if (soerr != 0) {
			errno = soerr;
			return -1;
		}
		return 0;
	}
}

/* Stores the greeting's "key=value" lines; unknown keys are ignored so the
 * daemon may add some later. */
static void parse_greeting(struct ctl_client *c, const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *eq = memchr(p, '=', (size_t)(eol - p));

		if (eq) {
			size_t klen = (size_t)(eq - p);
			char *value = xstrndup(eq + 1, (size_t)(eol - eq - 1));
			char **slot = NULL;

			if (klen == 7 && memcmp(p, "version", 7) == 0)
				slot = &c->version;
			else if (klen == 4 && memcmp(p, "host", 4) == 0)
				slot = &c->host;
			else if (klen == 4 && memcmp(p, "role", 4) == 0)
				slot = &c->role;
			else if (klen == 4 && memcmp(p, "user", 4) == 0)
				slot = &c->user;
			if (slot) {
				free(*slot);
				*slot = value;
			} else {
				free(value);
			}
		}
		p = eol + 1;
	}
}

/* Appends the daemon's one-line reason to err without its "% " prefix and
 * trailing newline; the caller shows it through its own filter. */
static void put_reason(struct strbuf *err, const char *body, size_t len)
{
	if (len >= 2 && body[0] == '%' && body[1] == ' ') {
		body += 2;
		len -= 2;
	}
	while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
		len--;
	strbuf_append(err, body, len);
}

/* Connects to path and reads the greeting. Returns the client, or NULL
 * with *why and a one-line reason in err. */
struct ctl_client *ctl_client_connect(const char *path, int timeout_ms,
				      enum ctl_connect_error *why, struct strbuf *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_client_reply rep;
	struct ctl_client *c;
	int64_t deadline = deadline_from(timeout_ms);
	size_t plen = strlen(path);
	int rc;

	*why = CTL_CONNECT_UNREACHABLE;
	if (plen == 0 || plen >= sizeof(sa.sun_path)) {
		strbuf_printf(err, "cannot connect to %s: socket path is empty or longer than %zu bytes",
			      path, sizeof(sa.sun_path) - 1);
		return NULL;
	}
	memcpy(sa.sun_path, path, plen + 1);

	c = xcalloc(1, sizeof(*c));
	c->timeout_ms = timeout_ms;
	c->path = xstrdup(path);
	strbuf_init(&c->in);
	/* Non-blocking throughout: every wait goes through poll() with the
	 * deadline, so a wedged daemon cannot hang the shell. */
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		strbuf_printf(err, "cannot create a socket: %s", strerror(errno));
		goto fail;
	}
	if (connect_by(c->fd, &sa, deadline) < 0) {
		int e = errno;

		strbuf_printf(err, "cannot connect to %s: %s", path, strerror(e));
		if (e == EACCES || e == EPERM) {
			*why = CTL_CONNECT_DENIED;
			strbuf_puts(err, " (you must be in group softlb to use it)");
		} else if (e == ENOENT || e == ECONNREFUSED) {
			strbuf_puts(err, " (is softlbd running?)");
		}
		goto fail;
	}

	rc = read_reply(c, deadline, &rep, err);
	if (rc < 0) {
		/* A peer that answers with something other than a frame is
		 * not softlbd; a silent close or a timeout is just
		 * unreachable. */
		if (rc == READ_BAD_FRAME)
			*why = CTL_CONNECT_PROTOCOL;
		goto fail;
	}
	if (rep.status == CTL_OK) {
		parse_greeting(c, rep.body, rep.len);
		ctl_client_reply_free(&rep);
		*why = CTL_CONNECT_OK;
		return c;
	}
	strbuf_printf(err, "softlbd (%s) refused the connection: ", path);
	if (rep.len > 0)
		put_reason(err, rep.body, rep.len);
	else
		strbuf_printf(err, "%d %s", rep.status, ctl_status_name(rep.status));
	if (rep.status == CTL_ERR_DENIED)
		*why = CTL_CONNECT_DENIED;
	else if (rep.status < 400)
		*why = CTL_CONNECT_PROTOCOL;	/* not a greeting we know */
	/* Any other refusal (503: too many clients) is worth a retry later:
	 * unreachable for now. */
	ctl_client_reply_free(&rep);
fail:
	ctl_client_close(c);
	return NULL;
}

/* Closes the connection and frees everything; c may be NULL. */
void ctl_client_close(struct ctl_client *c)
{
	if (!c)
		return;
	client_break(c);
	free(c->path);
	free(c->version);
	free(c->host);
	free(c->role);
	free(c->user);
	strbuf_free(&c->in);
	free(c);
}

/* Greeting values; "" when the daemon did not send one. */
const char *ctl_client_host(const struct ctl_client *c)
{
	return c->host ? c->host : "";
}

const char *ctl_client_role(const struct ctl_client *c)
{
	return c->role ? c->role : "";
}

const char *ctl_client_version(const struct ctl_client *c)
{
	return c->version ? c->version : "";
}

const char *ctl_client_user(const struct ctl_client *c)
{
	return c->user ? c->user : "";
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */

/* Sends one request with line as its body and waits for the reply. Returns
 * 0 with *rep filled, or -1 with the reason in err; after -1 the client
 * refuses every further request. */
int ctl_client_request(struct ctl_client *c, enum ctl_verb verb, unsigned flags,
		       const char *line, struct ctl_client_reply *rep,
		       struct strbuf *err)
{
	struct strbuf frame = STRBUF_INIT;
	int64_t deadline = deadline_from(c->timeout_ms);
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (c->fd < 0) {
		strbuf_printf(err, "not connected to softlbd (%s)", c->path);
		return -1;
	}
	/* The protocol is strictly one reply per request; bytes left over
	 * from before mean the stream is out of step, and any answer read
	 * now would belong to another question. */
	if (c->in.len > 0) {
		strbuf_printf(err, "softlbd (%s) sent data nobody asked for", c->path);
		client_break(c);
		return -1;
	}
	ctl_encode_request(&frame, verb, flags, line, strlen(line));
	rc = write_all(c, frame.data, frame.len, deadline, err);
	strbuf_free(&frame);
	if (rc == 0)	/* the wait for the reply starts once it is asked */
		rc = read_reply(c, deadline_from(c->timeout_ms), rep, err);
	if (rc < 0) {
		client_break(c);
		return -1;
	}
	return 0;
}

/* Frees the body of a reply filled by ctl_client_request(). */
void ctl_client_reply_free(struct ctl_client_reply *rep)
{
	free(rep->body);
	rep->body = NULL;
	rep->len = 0;
}
