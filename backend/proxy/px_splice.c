/* mode tcp with option splice-*: bytes go socket -> pipe -> socket with
 * splice(2), never copied through user space.
 *
 * A session direction takes a pipe from its worker when it starts
 * splicing and gives it back when the session ends. Pipes are bounded:
 * global `maxpipes` (default maxconn / 4, as HAProxy), shared out over
 * the workers; a direction that finds none copies through its buffer as
 * without splice. Empty pipes are kept for the next session (a few per
 * worker), so a busy balancer does not pay pipe2() per connection.
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/xalloc.h"

#define PIPE_CACHE 16		/* empty pipes a worker keeps */
#define SPLICE_CHUNK (64 * 1024)	/* a pipe's default capacity */

bool px_pipe_get(struct px_worker *w, struct px_pipe *p)
{
	int fds[2];

	if (w->n_free_pipes) {
		*p = w->pipes[--w->n_free_pipes];
		return true;
	}
	if (w->snap->maxpipes <= 0 || w->n_pipes >= (size_t)w->snap->maxpipes)
		return false;
	if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) < 0)
		return false;
	p->rfd = fds[0];
	p->wfd = fds[1];
	p->len = 0;
	w->n_pipes++;
	return true;
}

void px_pipe_put(struct px_worker *w, struct px_pipe *p)
{
	if (p->rfd < 0)
		return;
	if (p->len == 0 && w->n_free_pipes < PIPE_CACHE &&
	    (w->snap->maxpipes <= 0 || w->n_pipes <= (size_t)w->snap->maxpipes)) {
		if (!w->pipes)
			w->pipes = xcalloc(PIPE_CACHE, sizeof(*w->pipes));
		w->pipes[w->n_free_pipes++] = *p;
	} else {
		/* Bytes still inside (a session cut short), or too many. */
		close(p->rfd);
		close(p->wfd);
		w->n_pipes--;
	}
	p->rfd = p->wfd = -1;
	p->len = 0;
}

void px_pipe_free_all(struct px_worker *w)
{
	while (w->n_free_pipes) {
		struct px_pipe *p = &w->pipes[--w->n_free_pipes];

		close(p->rfd);
		close(p->wfd);
		w->n_pipes--;
	}
	free(w->pipes);
	w->pipes = NULL;
}

int px_splice_move(struct px_pipe *p, int src, int dst, bool may_read, size_t *in,
		   size_t *out, bool *eof)
{
	*in = *out = 0;
	for (int round = 0; round < 8; round++) {
		ssize_t n;

		/* What the pipe holds goes first. */
		while (p->len) {
			n = splice(p->rfd, NULL, dst, NULL, p->len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;	/* dst full: wait for EPOLLOUT */
				return -1;
			}
			p->len -= (size_t)n;
			*out += (size_t)n;
		}
		if (*eof || !may_read)
			return 0;
		n = splice(src, NULL, p->wfd, NULL, SPLICE_CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;	/* nothing more to read now */
			return -1;
		}
		if (n == 0) {
			*eof = true;
			return 0;
		}
		p->len += (size_t)n;
		*in += (size_t)n;
	}
	return 0;
}
