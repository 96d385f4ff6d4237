/* source: which local address (and port) a connection to a server
 * leaves from.
 *
 * One source address gives at most one ephemeral port range of
 * connections to one server address and port (the seed's ~64k wall).
 * With several addresses (`source A,B`), connections take them in turn,
 * and an address whose ports are all taken (connect() says
 * EADDRNOTAVAIL) is passed over for the next, so the limit is the sum.
 *
 * Without a port range the address is bound with IP_BIND_ADDRESS_NO_PORT:
 * the kernel picks the port at connect() time, knowing the destination,
 * so a port is shared by connections to different servers. With a range
 * (`source A:1024-2047`) the ports are tried in turn from a per-worker
 * cursor, as HAProxy's port ranges do.
 *
 * usesrc clientip (transparent proxying): the connection leaves from the
 * client's own address (IP_TRANSPARENT lets a socket bind an address that
 * is not local; CAP_NET_ADMIN needed), so the server sees the client.
 * The network must route the server's answers to the client back through
 * this host and deliver them locally (e.g. `ip rule add iif SERVER-SIDE
 * lookup 100` and `ip route add local CLIENT-NET dev lo table 100`).
 */
#include "config.h"

#include "proxy/proxy_int.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define PORT_TRIES 256		/* a bound on bind() attempts per address */

#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT 19
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT 75
#endif

static void set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

static int new_socket(const struct sockaddr_storage *to)
{
	int one = 1, fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Binds fd to a (with a port of the range, when there is one).
 * Returns 0, or -1 with errno. */
static int bind_source(struct px_ctr *c, const struct px_source *src,
		       const struct sockaddr_storage *a, int fd)
{
	struct sockaddr_storage b = *a;
	int one = 1;
	uint32_t range, tries;

	if (!src->port_lo) {
		setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
		set_port(&b, 0);
		return bind(fd, (struct sockaddr *)&b, src->addr_len);
	}
	range = (uint32_t)(src->port_hi - src->port_lo + 1);
	tries = range < PORT_TRIES ? range : PORT_TRIES;
	for (uint32_t t = 0; t < tries; t++) {
		uint16_t port = (uint16_t)(src->port_lo + (int)(c->port_next++ % range));

		set_port(&b, port);
		if (bind(fd, (struct sockaddr *)&b, src->addr_len) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRNOTAVAIL;
	return -1;
}

/* usesrc clientip: a transparent socket bound to the client's address. */
static int connect_as_client(const struct sockaddr_storage *to, socklen_t to_len,
			     const struct sockaddr_storage *cli)
{
	struct sockaddr_storage b = *cli;
	int one = 1, fd, err;

	if (cli->ss_family != to->ss_family) {
		errno = EAFNOSUPPORT;	/* an IPv6 client to an IPv4 server */
		return -1;
	}
	fd = new_socket(to);
	if (fd < 0)
		return -1;
	set_port(&b, 0);
	setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if ((to->ss_family == AF_INET6
		     ? setsockopt(fd, IPPROTO_IPV6, IPV6_TRANSPARENT, &one, sizeof(one))
		     : setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof(one))) < 0 ||
	    bind(fd, (struct sockaddr *)&b, to_len) < 0 ||
	    (connect(fd, (const struct sockaddr *)to, to_len) < 0 && errno != EINPROGRESS)) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

int px_source_connect(struct px_worker *w, const struct px_server *srv,
		      const struct sockaddr_storage *to, socklen_t to_len,
		      const struct sockaddr_storage *cli)
{
	const struct px_source *src = &srv->src;
	struct px_ctr *c = &srv->st->slots[w->idx];
	uint32_t start;
	int fd, err = EADDRNOTAVAIL;

	if (src->usesrc_clientip)
		return connect_as_client(to, to_len, cli);

	if (src->n == 0) {
		fd = new_socket(to);
		if (fd < 0)
			return -1;
		if (connect(fd, (const struct sockaddr *)to, to_len) < 0 && errno != EINPROGRESS) {
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
		return fd;
	}
	start = c->src_next++;
	for (int k = 0; k < src->n; k++) {
		const struct sockaddr_storage *a = &src->addr[(start + (uint32_t)k) % (uint32_t)src->n];

		fd = new_socket(to);
		if (fd < 0)
			return -1;
		if (bind_source(c, src, a, fd) == 0 &&
		    (connect(fd, (const struct sockaddr *)to, to_len) == 0 || errno == EINPROGRESS))
			return fd;
		err = errno;
		close(fd);
		/* No port left on this address (or it is not ours): the
		 * next one; any other failure is the server's. */
		if (err != EADDRNOTAVAIL && err != EADDRINUSE)
			break;
	}
	errno = err;
	return -1;
}
