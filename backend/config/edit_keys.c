#include "config.h"

#include "config/edit.h"
#include "config/edit_int.h"

/* Addresses and virtual-server keys as configure mode types them. */

#include "config/conf.h"
#include "config/model.h"
#include "config/value.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool config_parse_endpoint(const char *s, int min_port, struct cfg_endpoint *ep)
{
	struct cfg_endpoint tmp;
	const char *port;
	char *addr;
	long long v;
	bool ok;

	if (*s == '[') {
		const char *close = strstr(s, "]:");

		if (!close)
			return false;
		addr = xstrndup(s + 1, (size_t)(close - s - 1));
		port = close + 2;
		ok = cfg_parse_addr(addr, &tmp.addr) && tmp.addr.af == CFG_AF_INET6;
	} else {
		const char *colon = strchr(s, ':');

		if (!colon)
			return false;
		addr = xstrndup(s, (size_t)(colon - s));
		port = colon + 1;
		/* a bare IPv6 address would leave colons in the port */
		ok = cfg_parse_addr(addr, &tmp.addr) && tmp.addr.af == CFG_AF_INET4;
	}
	free(addr);
	if (!ok || !cfg_parse_int(port, min_port, 65535, &v))
		return false;
	tmp.port = (int)v;
	*ep = tmp;
	return true;
}

/* The error for a word that is not ADDR:PORT. */
int edit_bad_endpoint(struct strbuf *err, const char *what, const char *s,
			int min_port)
{
	strbuf_printf(err, "%s '%s' is not ADDR:PORT (a.b.c.d:port or "
		      "[ipv6]:port, port %d-65535)\n", what, s, min_port);
	return -1;
}

static enum cfg_proto proto_parse(const char *s)
{
	if (strcasecmp(s, "tcp") == 0)
		return CFG_PROTO_TCP;
	if (strcasecmp(s, "udp") == 0)
		return CFG_PROTO_UDP;
	if (strcasecmp(s, "sctp") == 0)
		return CFG_PROTO_SCTP;
	return CFG_PROTO_UNSET;
}

int config_vs_key_addr(struct config_vs_key *key, const char *addrport,
		       const char *proto, struct strbuf *err)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_ADDR;
	key->protocol = proto_parse(proto);
	if (key->protocol == CFG_PROTO_UNSET) {
		strbuf_printf(err, "protocol '%s' is not tcp, udp or sctp\n", proto);
		return -1;
	}
	/* port 0 is a persistent every-port service in IPVS */
	if (!config_parse_endpoint(addrport, 0, &key->ep))
		return edit_bad_endpoint(err, "virtual-server", addrport, 0);
	return 0;
}

void config_vs_key_fwmark(struct config_vs_key *key, uint32_t fwmark)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_FWMARK;
	key->protocol = CFG_PROTO_TCP;
	key->ep.port = CFG_UNSET;
	key->fwmark = fwmark;
}

int config_vs_key_group(struct config_vs_key *key, const char *group,
			const char *proto, struct strbuf *err)
{
	memset(key, 0, sizeof(*key));
	key->kind = CFG_VS_GROUP;
	key->ep.port = CFG_UNSET;
	key->protocol = proto_parse(proto);
	if (key->protocol == CFG_PROTO_UNSET) {
		strbuf_printf(err, "protocol '%s' is not tcp, udp or sctp\n", proto);
		return -1;
	}
	if (!*group || strlen(group) >= sizeof(key->group) ||
	    strpbrk(group, " \t{}#!\"")) {
		strbuf_printf(err, "'%s' is not a virtual-server-group name\n", group);
		return -1;
	}
	strcpy(key->group, group);
	return 0;
}

int config_vs_key_parse(struct config_vs_key *key, const char *text,
			struct strbuf *err)
{
	const char *sp = strchr(text, ' ');
	long long v;
	char *first;
	int rc;

	if (!sp) {
		strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
		return -1;
	}
	if (strncmp(text, "group ", 6) == 0) {
		const char *name = text + 6, *end = strchr(name, ' ');

		if (!end) {
			strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
			return -1;
		}
		first = xstrndup(name, (size_t)(end - name));
		rc = config_vs_key_group(key, first, end + 1, err);
		free(first);
		return rc;
	}
	if (strncmp(text, "fwmark ", 7) == 0) {
		if (!cfg_parse_int(sp + 1, 1, UINT32_MAX, &v)) {
			strbuf_printf(err, "'%s' does not name a virtual-server\n", text);
			return -1;
		}
		config_vs_key_fwmark(key, (uint32_t)v);
		return 0;
	}
	first = xstrndup(text, (size_t)(sp - text));
	rc = config_vs_key_addr(key, first, sp + 1, err);
	free(first);
	return rc;
}

void config_vs_key_format(const struct config_vs_key *key, struct strbuf *out)
{
	static const char *const protos[] = { "tcp", "tcp", "udp", "sctp" };

	if (key->kind == CFG_VS_FWMARK) {
		strbuf_printf(out, "fwmark %u", (unsigned)key->fwmark);
		return;
	}
	if (key->kind == CFG_VS_GROUP)
		strbuf_printf(out, "group %s", key->group);
	else
		cfg_endpoint_text(&key->ep, out);
	strbuf_printf(out, " %s", (unsigned)key->protocol < 4 ?
		      protos[key->protocol] : "tcp");
}

bool config_vs_key_equal(const struct config_vs_key *a, const struct config_vs_key *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CFG_VS_ADDR:
		return a->protocol == b->protocol && cfg_endpoint_equal(&a->ep, &b->ep);
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark;
	case CFG_VS_GROUP:
		return a->protocol == b->protocol && strcmp(a->group, b->group) == 0;
	}
	return false;
}
