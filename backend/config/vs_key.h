/* vs_key: the one typed key of a virtual server, and of a real server of
 * one, with its one hash and its one comparison.
 *
 * Every index of virtual servers is keyed by this: the model's
 * (config/index.h: the diff, the duplicate check, the shell's lookups)
 * and the LVS engine's (its desired state, its changed set, its health
 * table). One definition, so that what config calls "the same virtual
 * server" and what LVS calls it cannot drift apart. Keys are plain
 * values (no pointers): built zeroed, then filled, so they can be kept,
 * copied and hashed as they are. Use them with util/hindex.h.
 *
 *   address: kind, protocol (TCP when unset), af, addr, port
 *   fwmark:  kind, fwmark, af (CFG_AF_ANY: either family, as the shell's
 *            "fwmark 7" and a configuration without an address family)
 *   group:   kind, protocol, group (a name of CFG_VS_KEY_GROUP_MAX - 1
 *            bytes or more is kept as its head and a 64-bit hash of the
 *            whole: configuration files put no bound on it)
 */
#ifndef SOFTLB_CONFIG_VS_KEY_H
#define SOFTLB_CONFIG_VS_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model-t.h"
#include "util/strbuf.h"

#define CFG_VS_KEY_GROUP_MAX 96

struct cfg_vs_key {
	uint8_t kind;		/* enum cfg_vs_kind */
	uint8_t protocol;	/* enum cfg_proto; CFG_PROTO_UNSET for fwmark */
	uint8_t af;		/* enum cfg_af; CFG_AF_ANY for a group */
	uint8_t pad_;		/* always 0 */
	uint16_t port;
	uint32_t fwmark;
	unsigned char addr[16];	/* network order, zero-filled */
	char group[CFG_VS_KEY_GROUP_MAX];
};

/* A real server of a virtual server: its virtual server's key, then its
 * own address and port (as configured: no method, no weight). */
struct cfg_rs_key {
	struct cfg_vs_key vs;
	uint8_t af;		/* enum cfg_af */
	uint8_t pad_[1];
	uint16_t port;
	unsigned char addr[16];
};

void cfg_vs_key_addr(struct cfg_vs_key *k, enum cfg_proto protocol,
		     const struct cfg_endpoint *ep);
void cfg_vs_key_fwmark(struct cfg_vs_key *k, enum cfg_af af, uint32_t fwmark);
void cfg_vs_key_group(struct cfg_vs_key *k, const char *name, enum cfg_proto protocol);
/* The key of a model's virtual server. */
void cfg_vs_key_of(const struct cfg_virtual_server *vs, struct cfg_vs_key *k);
/* The key of the shell's typed name (model-t.h's config_vs_key: a fwmark
 * there names either family). */
void cfg_vs_key_of_shell(const struct config_vs_key *in, struct cfg_vs_key *k);

/* Hashes what cfg_vs_key_equal compares, and no more: a fwmark key's
 * family is left out, because CFG_AF_ANY equals either family (the two
 * families of one mark share a chain; the comparison tells them apart). */
uint32_t cfg_vs_key_hash(const struct cfg_vs_key *k);
/* The same virtual server: cfg_vs_same_identity() on keys. Not an
 * equivalence only for a fwmark of CFG_AF_ANY, which equals both of its
 * families (an index of keys that all know their family is exact). */
bool cfg_vs_key_equal(const struct cfg_vs_key *a, const struct cfg_vs_key *b);

void cfg_rs_key_of(struct cfg_rs_key *k, const struct cfg_vs_key *vs,
		   const struct cfg_endpoint *rs);
uint32_t cfg_rs_key_hash(const struct cfg_rs_key *k);
bool cfg_rs_key_equal(const struct cfg_rs_key *a, const struct cfg_rs_key *b);
/* "real-server 192.0.2.10:80 tcp 198.51.100.11:80", "real-server fwmark
 * 7 198.51.100.11:80", "real-server group web tcp 198.51.100.11:80": the
 * runtime key's words, for a log line (formatted only when one is
 * written, never to find anything). */
void cfg_rs_key_format(const struct cfg_rs_key *k, struct strbuf *out);

#endif
