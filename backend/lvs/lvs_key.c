/* lvs_key: the typed key of a virtual server (config/vs_key.h), made
 * from a model's virtual server, from the name the check engine gives it,
 * or from an operator override's key. Parsing one name per event replaces
 * formatting the name of every virtual server to find the one meant.
 */
#include "config.h"

#include "lvs/lvs_int.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/edit.h"
#include "config/model.h"
#include "util/xalloc.h"

uint16_t lvs_af(enum cfg_af af)
{
	return af == CFG_AF_INET6 ? AF_INET6 : AF_INET;
}

uint16_t lvs_proto(enum cfg_proto p)
{
	switch (p) {
	case CFG_PROTO_UDP: return IPPROTO_UDP;
	case CFG_PROTO_SCTP: return IPPROTO_SCTP;
	default: return IPPROTO_TCP;
	}
}

void lvs_vs_key_of(const struct cfg_virtual_server *vs, struct cfg_vs_key *k)
{
	cfg_vs_key_of(vs, k);
	/* A fwmark service of no family is IPv4 in IPVS (lvs_af): the
	 * engine's keys always name a family. */
	if (k->kind == CFG_VS_FWMARK && k->af == CFG_AF_ANY)
		k->af = CFG_AF_INET4;
}

void lvs_rs_key_of(const struct cfg_virtual_server *vs, const struct cfg_real_server *rs,
		   struct cfg_rs_key *key)
{
	struct cfg_vs_key vk;

	lvs_vs_key_of(vs, &vk);
	cfg_rs_key_of(key, &vk, &rs->ep);
}

/* "TCP", "udp", "SCTP" to a protocol; CFG_PROTO_UNSET for anything else. */
static enum cfg_proto proto_word(const char *w, size_t n)
{
	if (n == 3 && strncasecmp(w, "tcp", 3) == 0)
		return CFG_PROTO_TCP;
	if (n == 3 && strncasecmp(w, "udp", 3) == 0)
		return CFG_PROTO_UDP;
	if (n == 4 && strncasecmp(w, "sctp", 4) == 0)
		return CFG_PROTO_SCTP;
	return CFG_PROTO_UNSET;
}

int lvs_vs_key_from_identity(const char *text, struct cfg_vs_key *k)
{
	const char *sp = strchr(text, ' ');
	struct cfg_endpoint ep;
	enum cfg_proto proto;

	if (!sp)
		return -1;
	if (strncmp(text, "fwmark ", 7) == 0) {
		char *end;
		unsigned long v = strtoul(sp + 1, &end, 10);

		if (end == sp + 1 || v == 0 || v > UINT32_MAX)
			return -1;
		cfg_vs_key_fwmark(k, strcmp(end, " (IPv6)") == 0 ? CFG_AF_INET6 : CFG_AF_INET4,
				  (uint32_t)v);
		return strcmp(end, " (IPv6)") == 0 || strcmp(end, " (IPv4)") == 0 ? 0 : -1;
	}
	proto = proto_word(text, (size_t)(sp - text));
	if (!proto)
		return -1;
	if (strncmp(sp + 1, "group ", 6) == 0) {
		cfg_vs_key_group(k, sp + 7, proto);
		return 0;
	}
	if (!config_parse_endpoint(sp + 1, 0, &ep))
		return -1;
	cfg_vs_key_addr(k, proto, &ep);
	return 0;
}

size_t lvs_vs_keys_of_override(const char *key, struct cfg_vs_key out[2])
{
	const char *last;
	char *vstext;
	struct config_vs_key vk;
	struct strbuf err = STRBUF_INIT;
	size_t n = 0;

	if (strncmp(key, "real-server ", 12) != 0 || !(last = strrchr(key, ' ')) ||
	    last < key + 12)
		return 0;
	vstext = xstrndup(key + 12, (size_t)(last - key - 12));
	if (config_vs_key_parse(&vk, vstext, &err) == 0) {
		switch (vk.kind) {
		case CFG_VS_ADDR:
			cfg_vs_key_addr(&out[n++], vk.protocol, &vk.ep);
			break;
		case CFG_VS_FWMARK:
			/* The shell's "fwmark N" names either family. */
			cfg_vs_key_fwmark(&out[n++], CFG_AF_INET4, vk.fwmark);
			cfg_vs_key_fwmark(&out[n++], CFG_AF_INET6, vk.fwmark);
			break;
		case CFG_VS_GROUP:
			cfg_vs_key_group(&out[n++], vk.group, vk.protocol);
			break;
		}
	}
	free(vstext);
	strbuf_free(&err);
	return n;
}
