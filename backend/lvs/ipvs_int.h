/* ipvs_int.h: what ipvs.c (requests) and ipvs_parse.c (replies) share.
 * Not for users of the library; they include ipvs.h.
 */
#ifndef SOFTLB_LVS_IPVS_INT_H
#define SOFTLB_LVS_IPVS_INT_H

#include <stddef.h>

#include <netlink/msg.h>

#include "lvs/ipvs-t.h"

/* Growable arrays that the dump parsers append to (they own the memory
 * until the caller of ipvs_list_*() takes it). */
struct ipvs_svc_vec {
	struct ipvs_service *v;
	size_t n, cap;
};

struct ipvs_dest_vec {
	struct ipvs_dest *v;
	size_t n, cap;
	uint16_t af;	/* the service's, for kernels without ADDR_FAMILY */
};

struct ipvs_daemon_vec {
	struct ipvs_daemon v[2];
	size_t n;
};

/* Reply parsers: each takes one kernel message and the request's output
 * (the vec or struct above); returns 0 or a negative errno (-EPROTO for a
 * malformed message, the one policy check libnl failed mapped to -EINVAL
 * otherwise). They are the NL_CB_VALID work of one request. */
int ipvs_parse_service_msg(struct nl_msg *msg, void *out);
int ipvs_parse_dest_msg(struct nl_msg *msg, void *out);
int ipvs_parse_daemon_msg(struct nl_msg *msg, void *out);
int ipvs_parse_info_msg(struct nl_msg *msg, void *out);
int ipvs_parse_timeouts_msg(struct nl_msg *msg, void *out);
/* A parser for ipvs_get_service(): one service into a struct ipvs_service. */
int ipvs_parse_one_service_msg(struct nl_msg *msg, void *out);

/* Converts a prefix length to the kernel's netmask attribute and back. */
uint32_t ipvs_prefix_to_netmask(uint16_t af, uint8_t prefix);
uint8_t ipvs_netmask_to_prefix(uint16_t af, uint32_t netmask);

/* Socket buffer sizes asked for at open (see ipvs_open). */
#define IPVS_SOCK_RCVBUF (1024 * 1024)
#define IPVS_SOCK_SNDBUF (256 * 1024)

/* Shared by ipvs.c and ipvs_batch.c. */
struct ipvs;
struct nl_sock *ipvs_sock(const struct ipvs *h);
/* Starts a request for cmd with netlink flags; aborts on no memory. */
struct nl_msg *ipvs_new_msg(const struct ipvs *h, uint8_t cmd, int flags);
/* The same for a batched write of at most size bytes, without NLM_F_ACK
 * (see ipvs_batch.c): libnl's default is a zeroed page per message. */
struct nl_msg *ipvs_new_batch_msg(const struct ipvs *h, uint8_t cmd, size_t size);
/* Attribute nests; 0 or -EMSGSIZE. */
int ipvs_put_service(struct nl_msg *msg, const struct ipvs_service_key *key,
		     const struct ipvs_service *svc);
int ipvs_put_dest(struct nl_msg *msg, const struct ipvs_dest *d, int full);
/* "VERB service KEY" and "VERB real server ADDR:PORT of KEY" into buf. */
const char *ipvs_svc_what(char *buf, size_t size, const char *verb,
			  const struct ipvs_service_key *key);
const char *ipvs_dest_what(char *buf, size_t size, const char *verb,
			   const struct ipvs_service_key *key,
			   const struct ipvs_dest *d);
/* Counts n requests sent on h (ipvs_batch.c's, one per message). */
void ipvs_count_requests(struct ipvs *h, size_t n);
/* Appends "ipvs: WHAT: REASON" to err; returns rc. */
struct strbuf;
int ipvs_fail(struct strbuf *err, const char *what, int rc, int hint_errno,
	      const char *hint);

#endif
