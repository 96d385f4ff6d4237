/* ipvs: requests to the kernel's IPVS generic netlink family.
 *
 * One nl_sock per handle, opened once: ipvsadm opens a socket and
 * resolves the family for every request, which is what makes it slow with
 * thousands of services. Requests are synchronous: send, then read until
 * the kernel's ACK (doit commands, sent with NLM_F_ACK) or NLMSG_DONE
 * (dumps), handing each reply to the request's parser (ipvs_parse.c).
 * The whole reply is always drained, even after an error, so the next
 * request starts on a clean socket.
 */
#include "config.h"

#include "lvs/ipvs.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/ip_vs.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "lvs/ipvs_int.h"
#include "util/xalloc.h"

struct ipvs {
	struct nl_sock *sk;
	struct nl_cb *cb;	/* our handlers; the socket's own stay default */
	int family;		/* the resolved "IPVS" family id */
	/* The request in flight; one at a time per handle. */
	int (*parse)(struct nl_msg *msg, void *out);
	void *out;
	int err;		/* first error: kernel's, parser's or ours */
	/* What one errno means to the request in flight (hint_errno 0: none):
	 * the kernel reuses ENOENT and EINVAL for very different causes. */
	int hint_errno;
	const char *hint;
	int done;		/* ACK, DONE or error seen */
	struct ipvs_counters count;
};

/* ------------------------------------------------------------------------
 * Receive callbacks. Each gets the handle as arg.
 */

/* Drops anything not sent by the kernel (port 0): another process could
 * otherwise feed us forged replies by unicast to our port. */
static int on_msg_in(struct nl_msg *msg, void *arg)
{
	struct sockaddr_nl *src = nlmsg_get_src(msg);

	(void)arg;
	if (!src || src->nl_pid != 0)
		return NL_SKIP;
	return NL_OK;
}

/* Hands one reply to the request's parser; keeps reading either way so
 * the reply is drained, but remembers the first failure. */
static int on_valid(struct nl_msg *msg, void *arg)
{
	struct ipvs *h = arg;
	int rc;

	if (!h->parse || h->err)
		return NL_OK;
	rc = h->parse(msg, h->out);
	if (rc < 0)
		h->err = rc;
	return NL_OK;
}

/* The end of a dump. A dump that failed half-way carries its -errno in
 * NLMSG_DONE's payload. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct ipvs *h = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int e;

	if (nlmsg_datalen(nlh) >= (int)sizeof(int)) {
		memcpy(&e, nlmsg_data(nlh), sizeof(e));
		if (e < 0 && !h->err)
			h->err = e;
	}
	h->done = 1;
	return NL_STOP;
}

/* The kernel's positive acknowledgement of a doit command. */
static int on_ack(struct nl_msg *msg, void *arg)
{
	struct ipvs *h = arg;

	(void)msg;
	h->done = 1;
	return NL_STOP;
}

/* The kernel's error reply: keeps its errno, which says far more than
 * libnl's translation of it. */
static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ipvs *h = arg;

	if (nla && nla->nl_pid != 0)
		return NL_SKIP;
	if (!h->err)
		h->err = e->error < 0 ? e->error : -EPROTO;
	h->done = 1;
	return NL_STOP;
}

/* ------------------------------------------------------------------------
 * Requests.
 */

/* Appends "ipvs: WHAT: REASON" to err; returns rc. The reasons name the
 * IPVS meaning of the errnos ipvsadm users know; hint, when not NULL,
 * is what -hint_errno means to this request. */
int ipvs_fail(struct strbuf *err, const char *what, int rc,
		int hint_errno, const char *hint)
{
	const char *reason;

	if (hint && -rc == hint_errno) {
		strbuf_printf(err, "ipvs: %s: %s\n", what, hint);
		return rc;
	}
	switch (-rc) {
	case ESRCH: reason = "no such service"; break;
	case EEXIST: reason = "already exists"; break;
	case EPROTO: reason = "malformed reply from the kernel"; break;
	case EPERM: reason = "operation not permitted (needs CAP_NET_ADMIN)"; break;
	default: reason = strerror(-rc); break;
	}
	strbuf_printf(err, "ipvs: %s: %s\n", what, reason);
	return rc;
}

/* Starts a request message for cmd with netlink flags (NLM_F_ACK for a
 * doit, NLM_F_DUMP for a dump). Allocation failure aborts, as xmalloc. */
static struct nl_msg *new_msg(const struct ipvs *h, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
				 flags, cmd, IPVS_GENL_VERSION)) {
		fputs("softlb: out of memory for a netlink message\n", stderr);
		abort();
	}
	return msg;
}

struct nl_msg *ipvs_new_msg(const struct ipvs *h, uint8_t cmd, int flags)
{
	return new_msg(h, cmd, flags, 0);
}

struct nl_msg *ipvs_new_batch_msg(const struct ipvs *h, uint8_t cmd, size_t size)
{
	return new_msg(h, cmd, 0, size);
}

/* Sends msg (and frees it), then reads the whole reply, passing each
 * message to parse(msg, out) when parse is not NULL. Returns 0 or a
 * negative errno, with "ipvs: WHAT: REASON" appended to err. With key,
 * WHAT is "what service KEY", written only for an error (show lvs dumps
 * the real servers of 10,000 services and threw 10,000 such names away). */
static int request_key(struct ipvs *h, struct nl_msg *msg, const char *verb,
		       const struct ipvs_service_key *key,
		       int (*parse)(struct nl_msg *, void *), void *out,
		       struct strbuf *err)
{
	const char *hint;
	char buf[128];
	int rc, hint_errno;

#define WHAT() (key ? ipvs_svc_what(buf, sizeof(buf), verb, key) : verb)

	h->parse = parse;
	h->out = out;
	h->err = 0;
	h->done = 0;
	h->count.requests++;
	rc = nl_send_auto(h->sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		h->hint = NULL;
		strbuf_printf(err, "ipvs: %s: send: %s\n", WHAT(), nl_geterror(rc));
		return -EIO;
	}
	while (!h->done) {
		rc = nl_recvmsgs(h->sk, h->cb);
		if (rc < 0 && !h->done) {
			h->hint = NULL;
			strbuf_printf(err, "ipvs: %s: receive: %s\n", WHAT(),
				      nl_geterror(rc));
			return -EIO;
		}
	}
	h->parse = NULL;
	h->out = NULL;
	hint = h->hint;
	hint_errno = h->hint_errno;
	h->hint = NULL;
	if (h->err)
		return ipvs_fail(err, WHAT(), h->err, hint_errno, hint);
	return 0;
#undef WHAT
}

static int request(struct ipvs *h, struct nl_msg *msg, const char *what,
		   int (*parse)(struct nl_msg *, void *), void *out,
		   struct strbuf *err)
{
	return request_key(h, msg, what, NULL, parse, out, err);
}

/* Opens the socket and resolves the family; see ipvs.h. */
int ipvs_open(struct ipvs **out, struct strbuf *err)
{
	struct ipvs *h = xcalloc(1, sizeof(*h));
	int rc, fd, fl;

	h->sk = nl_socket_alloc();
	h->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!h->sk || !h->cb) {
		fputs("softlb: out of memory for a netlink socket\n", stderr);
		abort();
	}
	/* ACKs are asked for per request (doit yes, dump no). Replies may
	 * exceed a page, but the kernel caps a dump's datagram at 32 KiB:
	 * a 64 KiB buffer always holds one, which saves libnl a peeking
	 * recvmsg per message (one syscall in three when programming). */
	nl_socket_disable_auto_ack(h->sk);
	nl_socket_disable_msg_peek(h->sk);
	if (nl_socket_set_msg_buf_size(h->sk, 65536) < 0)
		nl_socket_enable_msg_peek(h->sk);
	rc = genl_connect(h->sk);
	if (rc < 0) {
		strbuf_printf(err, "ipvs: cannot open a generic netlink socket: %s\n",
			      nl_geterror(rc));
		ipvs_close(h);
		return -EIO;
	}
	/* libnl's connect sets 32 KiB buffers (64 KiB in the kernel's
	 * count). A batch (ipvs_batch.c) sends up to 64 KiB at once and
	 * the kernel queues one ACK per request, each a whole small skb,
	 * before the send returns: ask for room for them (forced where we
	 * may; otherwise up to net.core.rmem_max / wmem_max). */
	{
		int rx = IPVS_SOCK_RCVBUF, tx = IPVS_SOCK_SNDBUF;

		fd = nl_socket_get_fd(h->sk);
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rx, sizeof(rx)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rx, sizeof(rx));
		if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &tx, sizeof(tx)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &tx, sizeof(tx));
	}
	/* libnl opens with SOCK_CLOEXEC where it can; make sure, so that no
	 * child (a check script) inherits the socket. */
	fd = nl_socket_get_fd(h->sk);
	fl = fcntl(fd, F_GETFD);
	if (fl < 0 || (!(fl & FD_CLOEXEC) && fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)) {
		rc = -errno;
		strbuf_printf(err, "ipvs: cannot set close-on-exec: %s\n", strerror(-rc));
		ipvs_close(h);
		return rc;
	}
	h->family = genl_ctrl_resolve(h->sk, IPVS_GENL_NAME);
	if (h->family < 0) {
		rc = h->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		if (rc == -ENOENT)
			strbuf_puts(err, "IPVS unavailable: load the ip_vs module\n");
		else
			strbuf_printf(err, "ipvs: cannot resolve the IPVS family: %s\n",
				      nl_geterror(h->family));
		ipvs_close(h);
		return rc;
	}
	nl_cb_set(h->cb, NL_CB_MSG_IN, NL_CB_CUSTOM, on_msg_in, h);
	nl_cb_set(h->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, h);
	nl_cb_set(h->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, h);
	nl_cb_set(h->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, h);
	nl_cb_err(h->cb, NL_CB_CUSTOM, on_error, h);
	*out = h;
	return 0;
}

/* Closes the socket and frees the handle; NULL is a no-op. */
void ipvs_close(struct ipvs *h)
{
	if (!h)
		return;
	if (h->cb)
		nl_cb_put(h->cb);
	if (h->sk)
		nl_socket_free(h->sk);
	free(h);
}

/* Returns the netlink socket's descriptor. */
int ipvs_fd(const struct ipvs *h)
{
	return nl_socket_get_fd(h->sk);
}

/* The socket, for ipvs_batch.c. */
void ipvs_get_counters(const struct ipvs *h, struct ipvs_counters *c)
{
	*c = h->count;
}

void ipvs_count_requests(struct ipvs *h, size_t n)
{
	h->count.requests += n;
}

struct nl_sock *ipvs_sock(const struct ipvs *h)
{
	return h->sk;
}

/* ------------------------------------------------------------------------
 * Attribute builders. Each returns 0 or -EMSGSIZE (via libnl's NLA_PUT
 * macros, which jump to nla_put_failure).
 */

/* Puts an IPVS_CMD_ATTR_SERVICE nest with the key only, or (svc not
 * NULL) the key and every settable field. */
int ipvs_put_service(struct nl_msg *msg, const struct ipvs_service_key *key,
		       const struct ipvs_service *svc)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_SERVICE);

	if (!nest)
		goto nla_put_failure;
	NLA_PUT_U16(msg, IPVS_SVC_ATTR_AF, key->af);
	if (key->fwmark) {
		NLA_PUT_U32(msg, IPVS_SVC_ATTR_FWMARK, key->fwmark);
	} else {
		NLA_PUT_U16(msg, IPVS_SVC_ATTR_PROTOCOL, key->protocol);
		NLA_PUT(msg, IPVS_SVC_ATTR_ADDR, sizeof(key->addr), key->addr.raw);
		NLA_PUT_U16(msg, IPVS_SVC_ATTR_PORT, htons(key->port));
	}
	if (svc) {
		/* The mask says which flags to take; all the user's ones. */
		struct ip_vs_flags fl = {
			.flags = svc->flags & IPVS_SVC_F_USER_MASK,
			.mask = ~0u,
		};

		NLA_PUT_STRING(msg, IPVS_SVC_ATTR_SCHED_NAME, svc->sched_name);
		if (svc->pe_name[0])
			NLA_PUT_STRING(msg, IPVS_SVC_ATTR_PE_NAME, svc->pe_name);
		NLA_PUT(msg, IPVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
		NLA_PUT_U32(msg, IPVS_SVC_ATTR_TIMEOUT, svc->timeout);
		NLA_PUT_U32(msg, IPVS_SVC_ATTR_NETMASK,
			    ipvs_prefix_to_netmask(key->af, svc->prefix));
	}
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -EMSGSIZE;
}

/* Puts an IPVS_CMD_ATTR_DEST nest: address and port, and with full set
 * every settable field (tunnel ones only for TUN, so that kernels older
 * than 5.3 still accept the rest). */
int ipvs_put_dest(struct nl_msg *msg, const struct ipvs_dest *d, int full)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_DEST);

	if (!nest)
		goto nla_put_failure;
	NLA_PUT(msg, IPVS_DEST_ATTR_ADDR, sizeof(d->addr), d->addr.raw);
	NLA_PUT_U16(msg, IPVS_DEST_ATTR_ADDR_FAMILY, d->af);
	NLA_PUT_U16(msg, IPVS_DEST_ATTR_PORT, htons(d->port));
	if (full) {
		NLA_PUT_U32(msg, IPVS_DEST_ATTR_FWD_METHOD, d->fwd & IP_VS_CONN_F_FWD_MASK);
		NLA_PUT_U32(msg, IPVS_DEST_ATTR_WEIGHT, (uint32_t)d->weight);
		NLA_PUT_U32(msg, IPVS_DEST_ATTR_U_THRESH, d->u_threshold);
		NLA_PUT_U32(msg, IPVS_DEST_ATTR_L_THRESH, d->l_threshold);
		if (d->fwd == IPVS_FWD_TUNNEL) {
			NLA_PUT_U8(msg, IPVS_DEST_ATTR_TUN_TYPE, d->tun_type);
			NLA_PUT_U16(msg, IPVS_DEST_ATTR_TUN_PORT, htons(d->tun_port));
			NLA_PUT_U16(msg, IPVS_DEST_ATTR_TUN_FLAGS, d->tun_flags);
		}
	}
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -EMSGSIZE;
}

/* Puts an IPVS_CMD_ATTR_DAEMON nest: the state, and with full set the
 * interface, sync id and any non-zero optional field. */
static int put_daemon(struct nl_msg *msg, const struct ipvs_daemon *d, int full)
{
	struct nlattr *nest = nla_nest_start(msg, IPVS_CMD_ATTR_DAEMON);

	if (!nest)
		goto nla_put_failure;
	NLA_PUT_U32(msg, IPVS_DAEMON_ATTR_STATE, d->state);
	if (full) {
		NLA_PUT_STRING(msg, IPVS_DAEMON_ATTR_MCAST_IFN, d->mcast_ifn);
		NLA_PUT_U32(msg, IPVS_DAEMON_ATTR_SYNC_ID, d->syncid);
		if (d->sync_maxlen)
			NLA_PUT_U16(msg, IPVS_DAEMON_ATTR_SYNC_MAXLEN, d->sync_maxlen);
		if (d->mcast_port)
			NLA_PUT_U16(msg, IPVS_DAEMON_ATTR_MCAST_PORT, d->mcast_port);
		if (d->mcast_ttl)
			NLA_PUT_U8(msg, IPVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl);
		if (d->mcast_af == AF_INET)
			NLA_PUT_U32(msg, IPVS_DAEMON_ATTR_MCAST_GROUP,
				    d->mcast_group.in.s_addr);
		else if (d->mcast_af == AF_INET6)
			NLA_PUT(msg, IPVS_DAEMON_ATTR_MCAST_GROUP6, 16,
				d->mcast_group.raw);
	}
	nla_nest_end(msg, nest);
	return 0;
nla_put_failure:
	return -EMSGSIZE;
}

/* Sends msg after a builder's rc: frees msg and reports a failed build,
 * else runs the request (a doit with no reply data). */
static int run(struct ipvs *h, struct nl_msg *msg, int built, const char *what,
	       struct strbuf *err)
{
	if (built < 0) {
		nlmsg_free(msg);
		h->hint = NULL;
		return ipvs_fail(err, what, built, 0, NULL);
	}
	return request(h, msg, what, NULL, NULL, err);
}

/* Writes "VERB service KEY" into buf (for error context). */
const char *ipvs_svc_what(char *buf, size_t size, const char *verb,
			    const struct ipvs_service_key *key)
{
	char k[IPVS_KEY_STRLEN];

	snprintf(buf, size, "%s service %s", verb, ipvs_key_format(key, k));
	return buf;
}

/* Writes "VERB real server ADDR:PORT of KEY" into buf. */
const char *ipvs_dest_what(char *buf, size_t size, const char *verb,
			     const struct ipvs_service_key *key,
			     const struct ipvs_dest *d)
{
	char k[IPVS_KEY_STRLEN], a[INET6_ADDRSTRLEN];

	if (!inet_ntop(d->af, d->addr.raw, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, size, d->af == AF_INET6 ? "%s real server [%s]:%u of %s"
					      : "%s real server %s:%u of %s",
		 verb, a, d->port, ipvs_key_format(key, k));
	return buf;
}

/* ------------------------------------------------------------------------
 * Operations (see ipvs.h for the contracts).
 */

/* Reads the IPVS version and connection table size. */
int ipvs_get_info(struct ipvs *h, struct ipvs_info *info, struct strbuf *err)
{
	memset(info, 0, sizeof(*info));
	return request(h, ipvs_new_msg(h, IPVS_CMD_GET_INFO, NLM_F_ACK), "get info",
		       ipvs_parse_info_msg, info, err);
}

/* Dumps every service. */
int ipvs_list_services(struct ipvs *h, struct ipvs_service **svcs, size_t *n,
		       struct strbuf *err)
{
	struct ipvs_svc_vec vec = { NULL, 0, 0 };
	int rc;

	rc = request(h, ipvs_new_msg(h, IPVS_CMD_GET_SERVICE, NLM_F_DUMP),
		     "list services", ipvs_parse_service_msg, &vec, err);
	if (rc < 0) {
		free(vec.v);
		vec.v = NULL;
		vec.n = 0;
	}
	*svcs = vec.v;
	*n = vec.n;
	h->count.services_listed += vec.n;
	return rc;
}

/* Reads one service by key. */
int ipvs_get_service(struct ipvs *h, const struct ipvs_service_key *key,
		     struct ipvs_service *svc, struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_GET_SERVICE, NLM_F_ACK);
	char what[128];
	int rc = ipvs_put_service(msg, key, NULL);

	ipvs_svc_what(what, sizeof(what), "get", key);
	if (rc < 0) {
		nlmsg_free(msg);
		return ipvs_fail(err, what, rc, 0, NULL);
	}
	memset(svc, 0, sizeof(*svc));
	rc = request(h, msg, what, ipvs_parse_one_service_msg, svc, err);
	if (rc == 0)
		h->count.services_listed++;
	return rc;
}

/* Dumps the real servers of one service. */
int ipvs_list_dests(struct ipvs *h, const struct ipvs_service_key *key,
		    struct ipvs_dest **dests, size_t *n, struct strbuf *err)
{
	struct ipvs_dest_vec vec = { NULL, 0, 0, key->af };
	/* A service key is all it holds: not libnl's zeroed page, 10,000
	 * times per show lvs. */
	struct nl_msg *msg = new_msg(h, IPVS_CMD_GET_DEST, NLM_F_DUMP, 512);
	int rc = ipvs_put_service(msg, key, NULL);

	if (rc < 0) {
		char what[128];

		nlmsg_free(msg);
		rc = ipvs_fail(err, ipvs_svc_what(what, sizeof(what), "list real servers of", key),
			       rc, 0, NULL);
	} else {
		h->count.dest_lists++;
		rc = request_key(h, msg, "list real servers of", key, ipvs_parse_dest_msg, &vec,
				 err);
	}
	if (rc < 0) {
		free(vec.v);
		vec.v = NULL;
		vec.n = 0;
	}
	*dests = vec.v;
	*n = vec.n;
	return rc;
}

/* Sends NEW_SERVICE or SET_SERVICE with every field of svc. */
static int write_service(struct ipvs *h, uint8_t cmd, const char *verb,
			 const struct ipvs_service *svc, struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, cmd, NLM_F_ACK);
	char what[128];

	ipvs_svc_what(what, sizeof(what), verb, &svc->key);
	h->hint_errno = ENOENT;
	h->hint = "no such scheduler or persistence engine";
	return run(h, msg, ipvs_put_service(msg, &svc->key, svc), what, err);
}

/* Adds a service. */
int ipvs_add_service(struct ipvs *h, const struct ipvs_service *svc,
		     struct strbuf *err)
{
	return write_service(h, IPVS_CMD_NEW_SERVICE, "add", svc, err);
}

/* Changes a service in place. */
int ipvs_edit_service(struct ipvs *h, const struct ipvs_service *svc,
		      struct strbuf *err)
{
	return write_service(h, IPVS_CMD_SET_SERVICE, "edit", svc, err);
}

/* Deletes a service. */
int ipvs_del_service(struct ipvs *h, const struct ipvs_service_key *key,
		     struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_DEL_SERVICE, NLM_F_ACK);
	char what[128];

	ipvs_svc_what(what, sizeof(what), "delete", key);
	return run(h, msg, ipvs_put_service(msg, key, NULL), what, err);
}

/* Sends a dest command: the service key, then the dest (full or not). */
static int write_dest(struct ipvs *h, uint8_t cmd, const char *verb,
		      const struct ipvs_service_key *key,
		      const struct ipvs_dest *d, int full, struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, cmd, NLM_F_ACK);
	char what[160];
	int rc = ipvs_put_service(msg, key, NULL);

	ipvs_dest_what(what, sizeof(what), verb, key, d);
	if (rc == 0)
		rc = ipvs_put_dest(msg, d, full);
	h->hint_errno = ENOENT;
	h->hint = "no such real server";
	return run(h, msg, rc, what, err);
}

/* Adds a real server. */
int ipvs_add_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err)
{
	return write_dest(h, IPVS_CMD_NEW_DEST, "add", key, dest, 1, err);
}

/* Changes a real server in place. */
int ipvs_edit_dest(struct ipvs *h, const struct ipvs_service_key *key,
		   const struct ipvs_dest *dest, struct strbuf *err)
{
	return write_dest(h, IPVS_CMD_SET_DEST, "edit", key, dest, 1, err);
}

/* Deletes a real server. */
int ipvs_del_dest(struct ipvs *h, const struct ipvs_service_key *key,
		  const struct ipvs_dest *dest, struct strbuf *err)
{
	return write_dest(h, IPVS_CMD_DEL_DEST, "delete", key, dest, 0, err);
}

/* Reads the tcp, tcpfin and udp timeouts. */
int ipvs_get_timeouts(struct ipvs *h, struct ipvs_timeouts *t,
		      struct strbuf *err)
{
	memset(t, 0, sizeof(*t));
	return request(h, ipvs_new_msg(h, IPVS_CMD_GET_CONFIG, NLM_F_ACK),
		       "get timeouts", ipvs_parse_timeouts_msg, t, err);
}

/* Sets the non-zero timeouts. */
int ipvs_set_timeouts(struct ipvs *h, const struct ipvs_timeouts *t,
		      struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_SET_CONFIG, NLM_F_ACK);
	int rc = 0;

	if (t->tcp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP, t->tcp) < 0)
		rc = -EMSGSIZE;
	if (t->tcp_fin &&
	    nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t->tcp_fin) < 0)
		rc = -EMSGSIZE;
	if (t->udp && nla_put_u32(msg, IPVS_CMD_ATTR_TIMEOUT_UDP, t->udp) < 0)
		rc = -EMSGSIZE;
	return run(h, msg, rc, "set timeouts", err);
}

/* Starts a sync daemon. */
int ipvs_start_daemon(struct ipvs *h, const struct ipvs_daemon *d,
		      struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_NEW_DAEMON, NLM_F_ACK);
	char what[96];

	snprintf(what, sizeof(what), "start %s sync daemon on %s",
		 d->state == IPVS_DAEMON_BACKUP ? "backup" : "master",
		 d->mcast_ifn);
	h->hint_errno = EINVAL;
	h->hint = "invalid argument (a non-multicast group, or a real server "
		  "of another address family than its service: the sync "
		  "protocol cannot carry those)";
	return run(h, msg, put_daemon(msg, d, 1), what, err);
}

/* Stops a sync daemon. */
int ipvs_stop_daemon(struct ipvs *h, uint32_t state, struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_DEL_DAEMON, NLM_F_ACK);
	struct ipvs_daemon d = { .state = state };

	return run(h, msg, put_daemon(msg, &d, 0),
		   state == IPVS_DAEMON_BACKUP ? "stop backup sync daemon"
					       : "stop master sync daemon", err);
}

/* Dumps the running sync daemons. */
int ipvs_list_daemons(struct ipvs *h, struct ipvs_daemon d[2], size_t *n,
		      struct strbuf *err)
{
	struct ipvs_daemon_vec vec;
	int rc;

	memset(&vec, 0, sizeof(vec));
	rc = request(h, ipvs_new_msg(h, IPVS_CMD_GET_DAEMON, NLM_F_DUMP),
		     "list sync daemons", ipvs_parse_daemon_msg, &vec, err);
	memcpy(d, vec.v, sizeof(vec.v));
	*n = rc < 0 ? 0 : vec.n;
	return rc;
}

/* Zeroes counters of one service or all. */
int ipvs_zero(struct ipvs *h, const struct ipvs_service_key *key,
	      struct strbuf *err)
{
	struct nl_msg *msg = ipvs_new_msg(h, IPVS_CMD_ZERO, NLM_F_ACK);
	char what[128];

	if (!key)
		return run(h, msg, 0, "zero all counters", err);
	ipvs_svc_what(what, sizeof(what), "zero counters of", key);
	return run(h, msg, ipvs_put_service(msg, key, NULL), what, err);
}

/* Deletes every service. */
int ipvs_flush(struct ipvs *h, struct strbuf *err)
{
	return run(h, ipvs_new_msg(h, IPVS_CMD_FLUSH, NLM_F_ACK), 0, "flush", err);
}
