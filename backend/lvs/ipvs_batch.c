/* ipvs_batch: several IPVS write requests in one sendmsg (see ipvs.h).
 *
 * ipvsadm -R and a request-at-a-time softlbd pay one sendmsg and one
 * recvmsg per service and per real server: 50,000 round trips into the
 * kernel for 10,000 services of 4. A netlink buffer may hold many
 * messages; the kernel's netlink_rcv_skb() runs each in turn, in order,
 * before the sendmsg returns, and queues an error message (-errno) for
 * every request that failed, whether it asked for an ACK or not. So only
 * the last request of a send carries NLM_F_ACK: its answer comes after
 * every error of the requests before it, and a request with no error
 * message by then succeeded. An ACK for each of 50,000 requests cost the
 * kernel an skb and us a poll and a recvmsg each; with it gone (and the
 * request buffers below made small) the bench's 10,000 x 4 took 1.4-1.7 s
 * in the VM instead of 3.9-6.0 s. Errors are matched to their requests
 * by sequence number, so a refusal still names its object, and a failed
 * request does not stop the ones after it.
 */
#include "config.h"

#include "lvs/ipvs.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ip_vs.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "lvs/ipvs_int.h"
#include "util/xalloc.h"

/* The largest request queued: a service with every attribute, or a real
 * server with its tunnel ones, stays well under this. */
#define REQUEST_MAX 512
/* Waiting for ACKs the kernel has in fact already queued: only a broken
 * socket makes this wait matter. */
#define ACK_WAIT_MS 5000
/* Not sent yet, or sent and not answered yet. */
#define PENDING 1

/* One request. Its object is kept, not its text: "add real server ...
 * of TCP ..." is written only for a refusal, not 50,000 times to be
 * thrown away. */
struct batch_op {
	uint32_t seq;
	int rc;			/* 0, a negative errno, or PENDING */
	int hint_errno;		/* what -hint_errno means to this request */
	const char *hint;
	const char *verb;	/* "add", "edit", "delete" */
	bool is_dest;
	struct ipvs_service_key key;
	struct ipvs_dest dest;	/* when is_dest */
};

struct ipvs_batch {
	struct ipvs *h;
	unsigned char *buf;	/* the queued messages, back to back */
	size_t len;
	size_t last;		/* offset of the last message queued in buf */
	bool queued;		/* buf holds at least one message */
	struct batch_op ops[IPVS_BATCH_OPS];
	size_t n;
};

struct ipvs_batch *ipvs_batch_new(struct ipvs *h)
{
	struct ipvs_batch *b = xcalloc(1, sizeof(*b));

	b->h = h;
	b->buf = xmalloc(IPVS_BATCH_BYTES);
	return b;
}

void ipvs_batch_free(struct ipvs_batch *b)
{
	if (!b)
		return;
	free(b->buf);
	free(b);
}

bool ipvs_batch_room(const struct ipvs_batch *b)
{
	return b->n < IPVS_BATCH_OPS && b->len + REQUEST_MAX <= IPVS_BATCH_BYTES;
}

size_t ipvs_batch_count(const struct ipvs_batch *b)
{
	return b->n;
}

void ipvs_batch_reset(struct ipvs_batch *b)
{
	b->n = 0;
	b->len = 0;
	b->last = 0;
	b->queued = false;
}

/* Queues msg (and frees it) after its builder's rc; a message that could
 * not be built fails alone, without being sent. Queueing with no room
 * is the caller's bug. The message asks for no ACK: ipvs_batch_send()
 * asks it of the last one only. */
static size_t queue(struct ipvs_batch *b, struct nl_msg *msg, int built, struct batch_op *op)
{
	struct nlmsghdr *hdr;
	size_t size;

	op->rc = built < 0 ? built : PENDING;
	if (built == 0) {
		nl_complete_msg(ipvs_sock(b->h), msg);
		hdr = nlmsg_hdr(msg);
		size = NLMSG_ALIGN(hdr->nlmsg_len);
		if (size > REQUEST_MAX) {
			op->rc = -EMSGSIZE;
		} else {
			op->seq = hdr->nlmsg_seq;
			memcpy(b->buf + b->len, hdr, hdr->nlmsg_len);
			memset(b->buf + b->len + hdr->nlmsg_len, 0, size - hdr->nlmsg_len);
			b->last = b->len;
			b->queued = true;
			b->len += size;
		}
	}
	nlmsg_free(msg);
	return b->n++;
}

/* The next op, filled but for its result. */
static struct batch_op *new_op(struct ipvs_batch *b, const char *verb, int hint_errno,
			       const char *hint)
{
	struct batch_op *op;

	if (!ipvs_batch_room(b))
		abort();
	op = &b->ops[b->n];
	op->seq = 0;
	op->verb = verb;
	op->hint_errno = hint_errno;
	op->hint = hint;
	op->is_dest = false;
	return op;
}

static size_t queue_service(struct ipvs_batch *b, uint8_t cmd, const char *verb,
			    const struct ipvs_service *svc)
{
	struct batch_op *op = new_op(b, verb, ENOENT, "no such scheduler or persistence engine");
	struct nl_msg *msg = ipvs_new_batch_msg(b->h, cmd, REQUEST_MAX);

	op->key = svc->key;
	return queue(b, msg, ipvs_put_service(msg, &svc->key, svc), op);
}

static size_t queue_dest(struct ipvs_batch *b, uint8_t cmd, const char *verb,
			 const struct ipvs_service_key *key, const struct ipvs_dest *d,
			 int full)
{
	struct batch_op *op = new_op(b, verb, ENOENT, "no such real server");
	struct nl_msg *msg = ipvs_new_batch_msg(b->h, cmd, REQUEST_MAX);
	int rc = ipvs_put_service(msg, key, NULL);

	if (rc == 0)
		rc = ipvs_put_dest(msg, d, full);
	op->is_dest = true;
	op->key = *key;
	op->dest = *d;
	return queue(b, msg, rc, op);
}

size_t ipvs_batch_add_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return queue_service(b, IPVS_CMD_NEW_SERVICE, "add", svc);
}

size_t ipvs_batch_edit_service(struct ipvs_batch *b, const struct ipvs_service *svc)
{
	return queue_service(b, IPVS_CMD_SET_SERVICE, "edit", svc);
}

size_t ipvs_batch_add_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest)
{
	return queue_dest(b, IPVS_CMD_NEW_DEST, "add", key, dest, 1);
}

size_t ipvs_batch_edit_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			    const struct ipvs_dest *dest)
{
	return queue_dest(b, IPVS_CMD_SET_DEST, "edit", key, dest, 1);
}

size_t ipvs_batch_del_dest(struct ipvs_batch *b, const struct ipvs_service_key *key,
			   const struct ipvs_dest *dest)
{
	return queue_dest(b, IPVS_CMD_DEL_DEST, "delete", key, dest, 0);
}

/* Gives every request still waiting the result rc. */
static void fail_pending(struct ipvs_batch *b, int rc)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->ops[i].rc == PENDING)
			b->ops[i].rc = rc;
}

/* Records one answer: an error, or the last request's ACK. They come in
 * the order sent, so the search starts where the last one matched;
 * *cursor moves past it. Returns true when it answered a request still
 * waiting. */
static bool take_ack(struct ipvs_batch *b, uint32_t seq, int error, size_t *cursor)
{
	for (size_t k = 0; k < b->n; k++) {
		struct batch_op *op = &b->ops[(*cursor + k) % b->n];

		if (op->rc == PENDING && op->seq == seq) {
			op->rc = error < 0 ? error : error == 0 ? 0 : -EPROTO;
			*cursor = (*cursor + k + 1) % b->n;
			return true;
		}
	}
	return false;	/* a stray: not ours, or already answered */
}

size_t ipvs_batch_send(struct ipvs_batch *b)
{
	struct nl_sock *sk = ipvs_sock(b->h);
	struct nlmsghdr *last = (struct nlmsghdr *)(b->buf + b->last);
	uint32_t last_seq = 0;
	size_t failed = 0, cursor = 0;
	bool waiting = b->queued;

	if (waiting) {
		for (size_t i = 0; i < b->n; i++)
			ipvs_count_requests(b->h, b->ops[i].rc == PENDING);
		last_seq = last->nlmsg_seq;
		last->nlmsg_flags |= NLM_F_ACK;
		if (nl_sendto(sk, b->buf, b->len) < 0) {
			fail_pending(b, -EIO);
			waiting = false;
		}
	}
	while (waiting) {
		struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
		struct sockaddr_nl peer;
		unsigned char *data = NULL;
		struct nlmsghdr *hdr;
		int n;

		/* The kernel queued every ACK before nl_sendto returned; a
		 * wait here means some were lost (the receive buffer
		 * overflowed, which the next read reports as ENOBUFS). */
		if (poll(&pfd, 1, ACK_WAIT_MS) <= 0)
			break;
		n = nl_recv(sk, &peer, &data, NULL);
		if (n <= 0) {
			free(data);
			break;
		}
		if (peer.nl_pid != 0) {	/* only the kernel answers */
			free(data);
			continue;
		}
		for (hdr = (struct nlmsghdr *)data; nlmsg_ok(hdr, n); hdr = nlmsg_next(hdr, &n)) {
			const struct nlmsgerr *e;

			if (hdr->nlmsg_type != NLMSG_ERROR ||
			    hdr->nlmsg_len < (uint32_t)nlmsg_size(sizeof(*e)))
				continue;
			e = nlmsg_data(hdr);
			if (take_ack(b, hdr->nlmsg_seq, e->error, &cursor) &&
			    hdr->nlmsg_seq == last_seq) {
				/* Every error before it has been read: the
				 * requests still waiting succeeded. */
				fail_pending(b, 0);
				waiting = false;
			}
		}
		free(data);
	}
	/* No answer to the last request: the socket failed or overflowed
	 * (ENOBUFS), and the errors of the others may be lost with it. */
	fail_pending(b, -EIO);
	for (size_t i = 0; i < b->n; i++)
		failed += b->ops[i].rc != 0;
	return failed;
}

int ipvs_batch_result(const struct ipvs_batch *b, size_t i, struct strbuf *err)
{
	const struct batch_op *op = &b->ops[i];
	char what[160];

	if (op->rc == 0)
		return 0;
	if (op->is_dest)
		ipvs_dest_what(what, sizeof(what), op->verb, &op->key, &op->dest);
	else
		ipvs_svc_what(what, sizeof(what), op->verb, &op->key);
	if (op->rc == PENDING)
		return ipvs_fail(err, what, -EIO, 0, NULL);
	return ipvs_fail(err, what, op->rc, op->hint_errno, op->hint);
}
