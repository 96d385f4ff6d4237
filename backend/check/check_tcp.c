/* TCP_CHECK, and HAProxy's plain `check`: the server is up when a TCP
 * connection to it completes within the connect timeout. */
#include "config.h"

#include "check/check_int.h"

#include <sys/epoll.h>

static void tcp_event(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct check_target *t = arg;

	if (!check_conn_established(t, events, false))
		return;
	check_run_end(t, true, CHECK_CODE_L4OK, "connected in %lu ms",
		      (unsigned long)(loop_now_ms(l) - t->run_start_ms));
}

static void tcp_start(struct check_target *t)
{
	check_conn_open(t, tcp_event);
}

/* Nothing beyond the socket, which the engine closes. */
static void tcp_abort(struct check_target *t)
{
}

const struct check_ops check_tcp_ops = {
	.name = "TCP_CHECK",
	.start = tcp_start,
	.abort = tcp_abort,
	.reuse_socket = true,
};
