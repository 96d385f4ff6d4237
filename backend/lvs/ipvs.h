/* ipvs: the IPVS kernel interface over generic netlink (family "IPVS").
 *
 * One handle owns one long-lived netlink socket (close-on-exec); every
 * call is one request and its reply, in the caller's thread. Replies are
 * parsed against attribute policies and only kernel-originated messages
 * are accepted.
 *
 * Every function returns 0 or a negative errno and, on failure, appends
 * one line of context to err ("ipvs: add service TCP 192.0.2.10:80: File
 * exists"). Errors worth telling apart: -ENOENT from ipvs_open() (no IPVS
 * in the kernel), -EEXIST from an add, -ESRCH (no such service) and
 * -ENOENT (no such real server, or unknown scheduler) from the others.
 */
#ifndef SOFTLB_LVS_IPVS_H
#define SOFTLB_LVS_IPVS_H

#include <stdbool.h>
#include <stddef.h>

#include "lvs/ipvs-t.h"
#include "util/strbuf.h"

struct ipvs;

/* Opens a handle. Returns -ENOENT with "IPVS unavailable: load the ip_vs
 * module" when the kernel has no IPVS family, another negative errno when
 * netlink itself fails. *out is set only on success; ipvs_close() it. */
int ipvs_open(struct ipvs **out, struct strbuf *err);
void ipvs_close(struct ipvs *h);
/* The socket's descriptor (for poll(2) or to check its flags). */
int ipvs_fd(const struct ipvs *h);

int ipvs_get_info(struct ipvs *h, struct ipvs_info *info, struct strbuf *err);
/* The handle's request counters (see struct ipvs_counters). */
void ipvs_get_counters(const struct ipvs *h, struct ipvs_counters *c);

/* Lists every service with its stats into a new array (*svcs, *n; the
 * caller free()s *svcs, which is NULL when *n is 0). */
int ipvs_list_services(struct ipvs *h, struct ipvs_service **svcs, size_t *n,
		       struct strbuf *err);
/* Reads one service; -ESRCH when there is none with that key. */
int ipvs_get_service(struct ipvs *h, const struct ipvs_service_key *key,
		     struct ipvs_service *svc, struct strbuf *err);
/* Lists the real servers of a service into a new array (caller frees). */
int ipvs_list_dests(struct ipvs *h, const struct ipvs_service_key *key,
		    struct ipvs_dest **dests, size_t *n, struct strbuf *err);

/* Adds a service, or changes one in place (scheduler, flags, timeout,
 * prefix, pe_name; counters and real servers are kept). */
int ipvs_add_service(struct ipvs *h, const struct ipvs_service *svc,
		     struct strbuf *err);
int ipvs_edit_service(struct ipvs *h, const struct ipvs_service *svc,
		      struct strbuf *err);
/* Deletes a service and its real servers. */
int ipvs_del_service(struct ipvs *h, const struct ipvs_service_key *key,
		     struct strbuf *err);

/* Adds a real server, or changes one in place (a weight change keeps its
 * connections and counters), or deletes one (only af, addr, port count). */
int ipvs_add_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err);
int ipvs_edit_dest(struct ipvs *h, const struct ipvs_service_key *key,
		   const struct ipvs_dest *dest, struct strbuf *err);
int ipvs_del_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err);

int ipvs_get_timeouts(struct ipvs *h, struct ipvs_timeouts *t,
		      struct strbuf *err);
/* Sets the non-zero timeouts of *t. */
int ipvs_set_timeouts(struct ipvs *h, const struct ipvs_timeouts *t,
		      struct strbuf *err);

/* Starts a sync daemon (state MASTER or BACKUP); -EEXIST if running. */
int ipvs_start_daemon(struct ipvs *h, const struct ipvs_daemon *d,
		      struct strbuf *err);
/* Stops the daemon with that state (MASTER or BACKUP). */
int ipvs_stop_daemon(struct ipvs *h, uint32_t state, struct strbuf *err);
/* Lists the running daemons (at most 2: master and backup) into d. */
int ipvs_list_daemons(struct ipvs *h, struct ipvs_daemon d[2], size_t *n,
		      struct strbuf *err);

/* Zeroes the counters of one service (key) or of all (key NULL). */
int ipvs_zero(struct ipvs *h, const struct ipvs_service_key *key,
	      struct strbuf *err);
/* Deletes every service. softlbd itself never calls it (it deletes only
 * what it owns); tests and `clear` tools do. */
int ipvs_flush(struct ipvs *h, struct strbuf *err);

/* Batches: adds, changes and deletes of services and real servers queued
 * and sent several to one sendmsg (the kernel runs each request of the
 * buffer in turn and ACKs each), then every ACK read and matched to its
 * request by sequence number. A failed request does not stop the ones
 * after it; each keeps its own result and names its object. Requests
 * run in the order queued (a service before its real servers). A batch
 * is bounded (IPVS_BATCH_BYTES, IPVS_BATCH_OPS) so that the ACKs of one
 * send fit the socket's receive buffer.
 *
 *   b = ipvs_batch_new(h);
 *   while (...) { if (!ipvs_batch_room(b)) flush; i = ipvs_batch_add_dest(b, ...); }
 *   ipvs_batch_send(b); for each i: ipvs_batch_result(b, i, err); ipvs_batch_reset(b);
 */
#define IPVS_BATCH_BYTES (64u * 1024u)
#define IPVS_BATCH_OPS 256u

struct ipvs_batch;

struct ipvs_batch *ipvs_batch_new(struct ipvs *h);
void ipvs_batch_free(struct ipvs_batch *b);
/* True when one more request fits; queue only then. */
bool ipvs_batch_room(const struct ipvs_batch *b);
/* Requests queued so far (each queueing call returns its number). */
size_t ipvs_batch_count(const struct ipvs_batch *b);
size_t ipvs_batch_add_service(struct ipvs_batch *b, const struct ipvs_service *svc);
size_t ipvs_batch_edit_service(struct ipvs_batch *b, const struct ipvs_service *svc);
size_t ipvs_batch_add_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest);
size_t ipvs_batch_edit_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			    const struct ipvs_dest *dest);
size_t ipvs_batch_del_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest);
/* Sends what is queued and reads every answer; returns how many
 * requests failed. A request with no answer (the socket failed) fails
 * with -EIO. */
size_t ipvs_batch_send(struct ipvs_batch *b);
/* Request i's result after ipvs_batch_send(): 0, or a negative errno
 * with "ipvs: WHAT: REASON" appended to err, as the single calls. */
int ipvs_batch_result(const struct ipvs_batch *b, size_t i, struct strbuf *err);
/* Empties the batch for reuse. */
void ipvs_batch_reset(struct ipvs_batch *b);

/* Fills a service with the kernel's defaults for family af: no flags,
 * full-length prefix, empty scheduler (which the kernel refuses: set it). */
void ipvs_service_init(struct ipvs_service *svc, uint16_t af);
/* Writes "TCP 192.0.2.10:80", "UDP [2001:db8::1]:53" or "FWM 7" into buf. */
const char *ipvs_key_format(const struct ipvs_service_key *key,
			    char buf[IPVS_KEY_STRLEN]);
/* Returns "Masq", "Local", "Tunnel", "Route" (ipvsadm's words) or "?". */
const char *ipvs_fwd_name(uint32_t fwd);

/* One entry of the kernel's connection table, in text (ipvs_conn.c). */
struct ipvs_conn {
	char protocol[8];	/* "TCP", "UDP", "SCTP" */
	char state[24];		/* "ESTABLISHED", "FIN_WAIT", ... */
	unsigned expires_s;
	char source[80];	/* "192.0.2.1:40000", "[2001:db8::1]:40000" */
	char virtual[80];
	char destination[80];
};

/* Calls fn for each entry of the connection table in path (NULL:
 * /proc/net/ip_vs_conn, what ipvsadm -Lnc reads); a line that is not an
 * entry (the header) is skipped, and fn returning non-zero stops the
 * reading. Returns 0, or -1 with the reason in err when the file cannot
 * be read. */
int ipvs_conn_read(const char *path, int (*fn)(const struct ipvs_conn *c, void *arg),
		   void *arg, struct strbuf *err);

#endif
