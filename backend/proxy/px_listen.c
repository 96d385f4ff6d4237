/* Listening sockets. Each worker gets its own socket per address, bound
 * with SO_REUSEPORT (the kernel spreads connections over the workers) and
 * IP_FREEBIND (the proxy comes up before VRRP has put the VIP on an
 * interface: the seed's "start HAProxy only after the VIP" pain). */
#include "config.h"

#include "proxy/proxy_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/model.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define PX_BACKLOG 1024

void px_listener_unref(struct px_listener *l)
{
	if (!l || atomic_fetch_sub(&l->refs, 1) != 1)
		return;
	for (size_t i = 0; i < l->n_fds; i++)
		if (l->fds[i] >= 0)
			close(l->fds[i]);
	free(l->fds);
	free(l->key);
	free(l);
}

/* One socket on ep; returns the fd, or -1 with the reason in err. */
static int open_one(const struct cfg_endpoint *ep, const char *key, struct strbuf *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;
	int af = ep->addr.af == CFG_AF_INET6 ? AF_INET6 : AF_INET;

	memset(&ss, 0, sizeof(ss));
	if (af == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_addr, ep->addr.b, 16);
		a->sin6_port = htons((uint16_t)ep->port);
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		if (ep->addr.af == CFG_AF_INET4)
			memcpy(&a->sin_addr, ep->addr.b, 4);
		a->sin_port = htons((uint16_t)ep->port);
		len = sizeof(*a);
	}
	fd = socket(af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		strbuf_printf(err, "bind %s: socket: %s", key, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, af == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       af == AF_INET6 ? IPV6_FREEBIND : IP_FREEBIND, &one, sizeof(one)) < 0) {
		strbuf_printf(err, "bind %s: setsockopt: %s", key, strerror(errno));
		close(fd);
		return -1;
	}
	if (af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, PX_BACKLOG) < 0) {
		strbuf_printf(err, "bind %s: %s", key, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct px_listener *px_listener_get(struct px_engine *e, const struct cfg_endpoint *ep,
				    struct px_snapshot *old, struct strbuf *err)
{
	struct strbuf key = STRBUF_INIT;
	struct px_listener *l;

	if (ep->addr.af == CFG_AF_ANY)
		strbuf_printf(&key, "*:%d", ep->port);
	else
		cfg_endpoint_text(ep, &key);
	if (ep->port == CFG_UNSET || ep->port <= 0) {
		strbuf_printf(err, "bind %s: a port is needed", strbuf_str(&key));
		strbuf_free(&key);
		return NULL;
	}
	for (size_t i = 0; old && i < old->n_binds; i++)
		if (strcmp(old->binds[i].l->key, strbuf_str(&key)) == 0) {
			l = old->binds[i].l;
			atomic_fetch_add(&l->refs, 1);
			strbuf_free(&key);
			return l;
		}
	l = xcalloc(1, sizeof(*l));
	atomic_init(&l->refs, 1);
	l->key = strbuf_detach(&key);
	l->n_fds = e->n_workers;
	l->fds = xcalloc(l->n_fds, sizeof(int));
	for (size_t i = 0; i < l->n_fds; i++)
		l->fds[i] = -1;
	for (size_t i = 0; i < l->n_fds; i++) {
		l->fds[i] = open_one(ep, l->key, err);
		if (l->fds[i] < 0) {
			px_listener_unref(l);
			return NULL;
		}
	}
	return l;
}
