/* lvs_key: the typed key of a virtual server (lvs-t.h), made from a
 * model's virtual server, from the name the check engine gives it, or
 * from an operator override's key. Parsing one name per event replaces
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

/* A group name as a key field: itself when it fits, else its head and a
 * 64-bit FNV-1a of the whole name (configuration files put no bound on
 * it, the shell 63 bytes). */
static void group_field(char out[LVS_GROUP_KEY_MAX], const char *name)
{
	size_t len = strlen(name);
	uint64_t h = 14695981039346656037ull;

	if (len < LVS_GROUP_KEY_MAX) {
		memcpy(out, name, len + 1);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 1099511628211ull;
	}
	memcpy(out, name, LVS_GROUP_KEY_MAX - 18);
	snprintf(out + LVS_GROUP_KEY_MAX - 18, 18, "#%016llx", (unsigned long long)h);
}

void lvs_vs_key_group(struct lvs_vs_key *k, const char *name, uint16_t protocol)
{
	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_GROUP;
	k->protocol = (uint8_t)protocol;
	group_field(k->group, name ? name : "");
}

static void key_addr(struct lvs_vs_key *k, uint16_t protocol, const struct cfg_endpoint *ep)
{
	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_ADDR;
	k->protocol = (uint8_t)protocol;
	k->af = lvs_af(ep->addr.af);
	k->port = (uint16_t)(ep->port > 0 ? ep->port : 0);
	memcpy(k->addr.raw, ep->addr.b, k->af == AF_INET6 ? 16 : 4);
}

static void key_fwmark(struct lvs_vs_key *k, uint16_t af, uint32_t fwmark)
{
	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_FWMARK;
	k->af = af;
	k->fwmark = fwmark;
}

void lvs_vs_key_of(const struct cfg_virtual_server *vs, struct lvs_vs_key *k)
{
	switch (vs->kind) {
	case CFG_VS_ADDR:
		key_addr(k, lvs_proto(vs->protocol), &vs->ep);
		return;
	case CFG_VS_FWMARK:
		key_fwmark(k, lvs_af(vs->af), vs->fwmark);
		return;
	case CFG_VS_GROUP:
		lvs_vs_key_group(k, vs->group, lvs_proto(vs->protocol));
		return;
	}
	memset(k, 0, sizeof(*k));
}

/* "TCP", "udp", "SCTP" to a protocol number; 0 for anything else. */
static uint16_t proto_word(const char *w, size_t n)
{
	if (n == 3 && strncasecmp(w, "tcp", 3) == 0)
		return IPPROTO_TCP;
	if (n == 3 && strncasecmp(w, "udp", 3) == 0)
		return IPPROTO_UDP;
	if (n == 4 && strncasecmp(w, "sctp", 4) == 0)
		return IPPROTO_SCTP;
	return 0;
}

int lvs_vs_key_from_identity(const char *text, struct lvs_vs_key *k)
{
	const char *sp = strchr(text, ' ');
	struct cfg_endpoint ep;
	uint16_t proto;

	if (!sp)
		return -1;
	if (strncmp(text, "fwmark ", 7) == 0) {
		char *end;
		unsigned long v = strtoul(sp + 1, &end, 10);

		if (end == sp + 1 || v == 0 || v > UINT32_MAX)
			return -1;
		key_fwmark(k, strcmp(end, " (IPv6)") == 0 ? AF_INET6 : AF_INET, (uint32_t)v);
		return strcmp(end, " (IPv6)") == 0 || strcmp(end, " (IPv4)") == 0 ? 0 : -1;
	}
	proto = proto_word(text, (size_t)(sp - text));
	if (!proto)
		return -1;
	if (strncmp(sp + 1, "group ", 6) == 0) {
		lvs_vs_key_group(k, sp + 7, proto);
		return 0;
	}
	if (!config_parse_endpoint(sp + 1, 0, &ep))
		return -1;
	key_addr(k, proto, &ep);
	return 0;
}

size_t lvs_vs_keys_of_override(const char *key, struct lvs_vs_key out[2])
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
			key_addr(&out[n++], lvs_proto(vk.protocol), &vk.ep);
			break;
		case CFG_VS_FWMARK:
			/* The shell's "fwmark N" names either family. */
			key_fwmark(&out[n++], AF_INET, vk.fwmark);
			key_fwmark(&out[n++], AF_INET6, vk.fwmark);
			break;
		case CFG_VS_GROUP:
			lvs_vs_key_group(&out[n++], vk.group, lvs_proto(vk.protocol));
			break;
		}
	}
	free(vstext);
	strbuf_free(&err);
	return n;
}
