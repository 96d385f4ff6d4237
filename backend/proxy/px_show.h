/* px_show: what the control socket's views of the proxy (show proxy in
 * px_cmds.c, show table proxy in px_table.c) say of a proxy or a server,
 * written once so both say it alike: its status word, the status an
 * operator sees with the health check's progress, its address.
 */
#ifndef SOFTLB_PROXY_PX_SHOW_H
#define SOFTLB_PROXY_PX_SHOW_H

#include "proxy/proxy_int.h"

struct check_member_info;
struct strbuf;

/* "OPEN" (a frontend), "UP" (a server up with weight, or none at all:
 * a proxy serving only its stats page, as HAProxy), "DOWN". */
const char *px_show_proxy_status(const struct px_proxy *p);

/* What an operator sees of a server: MAINT or DRAIN, else the check's
 * progress ("UP 1/3") when ci (its check, or NULL) is given, else its
 * state. Points into ci or static text. */
const char *px_show_srv_status(const struct px_server *s, const struct check_member_info *ci);

/* "192.0.2.21:80", "[2001:db8::1]:80", or the address alone for a
 * server that takes the client's port. */
void px_show_addr(const struct px_server *s, struct strbuf *out);

#endif
