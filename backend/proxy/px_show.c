/* px_show: status words and addresses of the proxy's views (px_show.h). */
#include "config.h"

#include "proxy/px_show.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "check/check.h"
#include "util/strbuf.h"

const char *px_show_proxy_status(const struct px_proxy *p)
{
	if (p->kind == CFG_PROXY_FRONTEND)
		return "OPEN";
	if (p->n_srv == 0)
		return "UP";
	for (size_t i = 0; i < p->n_srv; i++)
		if (p->srv[i].state == PX_SRV_UP && p->srv[i].weight > 0)
			return "UP";
	return "DOWN";
}

const char *px_show_srv_status(const struct px_server *s, const struct check_member_info *ci)
{
	if (s->state == PX_SRV_MAINT || s->state == PX_SRV_DRAIN || !ci)
		return px_srv_state_name(s->state);
	return ci->progress;
}

void px_show_addr(const struct px_server *s, struct strbuf *out)
{
	char ip[INET6_ADDRSTRLEN];
	unsigned port;

	if (s->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&s->addr;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		port = ntohs(a->sin6_port);
		strbuf_printf(out, "[%s]", ip);
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&s->addr;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		strbuf_puts(out, ip);
	}
	if (!s->client_port)
		strbuf_printf(out, ":%u", port);
}
