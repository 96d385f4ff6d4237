/* vs_key: the typed keys of virtual and real servers (vs_key.h). */
#include "config.h"

#include "config/vs_key.h"

#include <stdio.h>
#include <string.h>

#include "config/edit.h"
#include "config/model.h"
#include "util/hindex.h"

static size_t addr_len(uint8_t af)
{
	return af == CFG_AF_INET4 ? 4 : af == CFG_AF_INET6 ? 16 : 0;
}

static uint8_t proto_or_tcp(enum cfg_proto p)
{
	return (uint8_t)(p ? p : CFG_PROTO_TCP);
}

void cfg_vs_key_addr(struct cfg_vs_key *k, enum cfg_proto protocol,
		     const struct cfg_endpoint *ep)
{
	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_ADDR;
	k->protocol = proto_or_tcp(protocol);
	k->af = (uint8_t)ep->addr.af;
	k->port = (uint16_t)(ep->port > 0 ? ep->port : 0);
	memcpy(k->addr, ep->addr.b, addr_len(k->af));
}

void cfg_vs_key_fwmark(struct cfg_vs_key *k, enum cfg_af af, uint32_t fwmark)
{
	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_FWMARK;
	k->af = (uint8_t)af;
	k->fwmark = fwmark;
}

void cfg_vs_key_group(struct cfg_vs_key *k, const char *name, enum cfg_proto protocol)
{
	size_t len;
	uint64_t h = 14695981039346656037ull;

	memset(k, 0, sizeof(*k));
	k->kind = CFG_VS_GROUP;
	k->protocol = proto_or_tcp(protocol);
	name = name ? name : "";
	len = strlen(name);
	if (len < CFG_VS_KEY_GROUP_MAX) {
		memcpy(k->group, name, len + 1);
		return;
	}
	/* Too long to keep whole: its head and a 64-bit FNV-1a of all of
	 * it, so two long names sharing a head still differ. */
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)name[i];
		h *= 1099511628211ull;
	}
	memcpy(k->group, name, CFG_VS_KEY_GROUP_MAX - 18);
	snprintf(k->group + CFG_VS_KEY_GROUP_MAX - 18, 18, "#%016llx", (unsigned long long)h);
}

void cfg_vs_key_of(const struct cfg_virtual_server *vs, struct cfg_vs_key *k)
{
	switch (vs->kind) {
	case CFG_VS_ADDR:
		cfg_vs_key_addr(k, vs->protocol, &vs->ep);
		return;
	case CFG_VS_FWMARK:
		cfg_vs_key_fwmark(k, vs->af, vs->fwmark);
		return;
	case CFG_VS_GROUP:
		cfg_vs_key_group(k, vs->group, vs->protocol);
		return;
	}
	memset(k, 0, sizeof(*k));
	k->kind = (uint8_t)vs->kind;
}

void cfg_vs_key_of_shell(const struct config_vs_key *in, struct cfg_vs_key *k)
{
	switch (in->kind) {
	case CFG_VS_ADDR:
		cfg_vs_key_addr(k, in->protocol, &in->ep);
		return;
	case CFG_VS_FWMARK:
		cfg_vs_key_fwmark(k, CFG_AF_ANY, in->fwmark);
		return;
	case CFG_VS_GROUP:
		cfg_vs_key_group(k, in->group, in->protocol);
		return;
	}
	memset(k, 0, sizeof(*k));
	k->kind = (uint8_t)in->kind;
}

uint32_t cfg_vs_key_hash(const struct cfg_vs_key *k)
{
	uint32_t h = hindex_fnv(HINDEX_FNV_SEED, &k->kind, 1);

	switch (k->kind) {
	case CFG_VS_ADDR:
		h = hindex_fnv(h, &k->protocol, 1);
		h = hindex_fnv(h, &k->af, 1);
		h = hindex_fnv(h, &k->port, sizeof(k->port));
		return hindex_fnv(h, k->addr, addr_len(k->af));
	case CFG_VS_FWMARK:
		return hindex_fnv(h, &k->fwmark, sizeof(k->fwmark));
	case CFG_VS_GROUP:
		h = hindex_fnv(h, &k->protocol, 1);
		return hindex_fnv_str(h, k->group);
	}
	return h;
}

bool cfg_vs_key_equal(const struct cfg_vs_key *a, const struct cfg_vs_key *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case CFG_VS_ADDR:
		return a->protocol == b->protocol && a->af == b->af && a->port == b->port &&
		       memcmp(a->addr, b->addr, addr_len(a->af)) == 0;
	case CFG_VS_FWMARK:
		return a->fwmark == b->fwmark &&
		       (a->af == CFG_AF_ANY || b->af == CFG_AF_ANY || a->af == b->af);
	case CFG_VS_GROUP:
		return a->protocol == b->protocol && strcmp(a->group, b->group) == 0;
	}
	return false;
}

void cfg_rs_key_of(struct cfg_rs_key *k, const struct cfg_vs_key *vs,
		   const struct cfg_endpoint *rs)
{
	memset(k, 0, sizeof(*k));
	k->vs = *vs;
	k->af = (uint8_t)rs->addr.af;
	k->port = (uint16_t)(rs->port > 0 ? rs->port : 0);
	memcpy(k->addr, rs->addr.b, addr_len(k->af));
}

uint32_t cfg_rs_key_hash(const struct cfg_rs_key *k)
{
	uint32_t h = cfg_vs_key_hash(&k->vs);

	h = hindex_fnv(h, &k->af, 1);
	h = hindex_fnv(h, &k->port, sizeof(k->port));
	return hindex_fnv(h, k->addr, addr_len(k->af));
}

bool cfg_rs_key_equal(const struct cfg_rs_key *a, const struct cfg_rs_key *b)
{
	return a->af == b->af && a->port == b->port &&
	       memcmp(a->addr, b->addr, addr_len(a->af)) == 0 && cfg_vs_key_equal(&a->vs, &b->vs);
}

/* The endpoint a key holds, for printing. */
static void key_endpoint(struct cfg_endpoint *ep, uint8_t af, const unsigned char *addr,
			 uint16_t port)
{
	memset(ep, 0, sizeof(*ep));
	ep->addr.af = (enum cfg_af)af;
	memcpy(ep->addr.b, addr, addr_len(af));
	ep->port = port ? port : CFG_UNSET;
}

void cfg_rs_key_format(const struct cfg_rs_key *k, struct strbuf *out)
{
	struct cfg_endpoint ep;

	strbuf_puts(out, "real-server ");
	if (k->vs.kind == CFG_VS_GROUP) {
		strbuf_printf(out, "group %s", k->vs.group);
	} else {
		struct config_vs_key vk;

		memset(&vk, 0, sizeof(vk));
		vk.kind = (enum cfg_vs_kind)k->vs.kind;
		vk.protocol = (enum cfg_proto)k->vs.protocol;
		key_endpoint(&vk.ep, k->vs.af, k->vs.addr, k->vs.port);
		vk.fwmark = k->vs.fwmark;
		config_vs_key_format(&vk, out);
	}
	strbuf_putc(out, ' ');
	key_endpoint(&ep, k->af, k->addr, k->port);
	cfg_endpoint_text(&ep, out);
}
