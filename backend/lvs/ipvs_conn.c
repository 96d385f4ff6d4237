/* ipvs_conn: the kernel's IPVS connection table as ipvsadm -Lnc reads it,
 * from /proc/net/ip_vs_conn (the table has no netlink dump). A reader of
 * a file format, so apart from the engine's commands, and tested on
 * files of its own (tests/unit/check_lvs.c).
 *
 * Each line: protocol, client address and port, virtual address and
 * port, destination address and port, state, seconds to expiry; IPv4
 * addresses as 8 hex digits, IPv6 in full colon form, ports as hex.
 */
#include "config.h"

#include "lvs/ipvs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

/* One address field into its usual text: "192.0.2.1", "[2001:db8::1]".
 * Returns false for a field that is neither form. */
static bool conn_addr(const char *field, char *buf, size_t size)
{
	struct in6_addr a6;
	unsigned long v;
	char *end;

	if (strchr(field, ':')) {
		char t[INET6_ADDRSTRLEN];

		if (inet_pton(AF_INET6, field, &a6) != 1 || !inet_ntop(AF_INET6, &a6, t, sizeof(t)))
			return false;
		snprintf(buf, size, "[%s]", t);
		return true;
	}
	errno = 0;
	v = strtoul(field, &end, 16);
	if (errno || *end || end - field != 8)
		return false;
	snprintf(buf, size, "%lu.%lu.%lu.%lu", (v >> 24) & 0xff, (v >> 16) & 0xff,
		 (v >> 8) & 0xff, v & 0xff);
	return true;
}

/* Parses one line into c; false for the header or a line that is not an
 * entry. */
static bool conn_parse(const char *line, struct ipvs_conn *c)
{
	char from[48], to[48], dst[48], fa[64], ta[64], da[64];
	unsigned fp, tp, dp;

	if (sscanf(line, "%7s %47s %x %47s %x %47s %x %23s %u", c->protocol, from, &fp, to,
		   &tp, dst, &dp, c->state, &c->expires_s) != 9 ||
	    fp > 65535 || tp > 65535 || dp > 65535 ||
	    !conn_addr(from, fa, sizeof(fa)) || !conn_addr(to, ta, sizeof(ta)) ||
	    !conn_addr(dst, da, sizeof(da)))
		return false;
	snprintf(c->source, sizeof(c->source), "%s:%u", fa, fp);
	snprintf(c->virtual, sizeof(c->virtual), "%s:%u", ta, tp);
	snprintf(c->destination, sizeof(c->destination), "%s:%u", da, dp);
	return true;
}

int ipvs_conn_read(const char *path, int (*fn)(const struct ipvs_conn *c, void *arg),
		   void *arg, struct strbuf *err)
{
	char line[512];
	FILE *f;

	if (!path)
		path = "/proc/net/ip_vs_conn";
	f = fopen(path, "re");
	if (!f) {
		strbuf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct ipvs_conn c;

		if (conn_parse(line, &c) && fn(&c, arg) != 0)
			break;
	}
	fclose(f);
	return 0;
}
