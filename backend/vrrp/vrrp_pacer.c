#include "config.h"

#include "vrrp/vrrp_pacer.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

struct pacer_dst {
	unsigned char addr[16];
	uint8_t *pkt;
	size_t len;
};

/* What the thread sends for one instance. */
struct pacer_entry {
	const void *key;
	int fd;				/* owned: a dup of the instance's */
	int family;
	int ifindex;
	unsigned char src[16];
	uint64_t interval_ms;
	uint64_t due_ms;		/* CLOCK_MONOTONIC */
	struct pacer_dst *dst;
	size_t n_dst;
	uint64_t sent, failed;		/* since the last vrrp_pacer_take */
	int last_errno;
};

struct vrrp_pacer {
	pthread_t thread;
	pthread_mutex_t lock;		/* guards everything below */
	int wake_fd;			/* eventfd: the table changed, or stop */
	bool stop;
	struct pacer_entry **entries;
	size_t n, cap;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int vrrp_pacer_send(int fd, int family, int ifindex, const unsigned char *src,
		    const unsigned char *dst, const uint8_t *pkt, size_t len)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf.b };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct cmsghdr *c;

	memset(&cbuf, 0, sizeof(cbuf));
	if (family == AF_INET) {
		struct in_pktinfo pi = { .ipi_ifindex = ifindex };

		memcpy(&sin.sin_addr, dst, 4);
		memcpy(&pi.ipi_spec_dst, src, 4);
		msg.msg_name = &sin;
		msg.msg_namelen = sizeof(sin);
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)ifindex };

		memcpy(&sin6.sin6_addr, dst, 16);
		sin6.sin6_scope_id = (uint32_t)ifindex;
		memcpy(&pi.ipi6_addr, src, 16);
		msg.msg_name = &sin6;
		msg.msg_namelen = sizeof(sin6);
		msg.msg_controllen = CMSG_SPACE(sizeof(pi));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	return sendmsg(fd, &msg, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

static void entry_free(struct pacer_entry *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_dst; i++)
		free(e->dst[i].pkt);
	free(e->dst);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

/* Sends what is due (lock held). The next advert is due one interval
 * after this one was due, not after it left: wake-ups that are each a
 * little late do not add up. One more than an interval behind (a stopped
 * process) starts afresh rather than sending a burst. Returns the delay
 * until the next one, -1 when none. */
static int64_t send_due(struct vrrp_pacer *p)
{
	uint64_t now = now_ms();
	int64_t next = -1;

	for (size_t i = 0; i < p->n; i++) {
		struct pacer_entry *e = p->entries[i];

		if (e->due_ms <= now) {
			bool ok = false;

			for (size_t k = 0; k < e->n_dst; k++) {
				if (vrrp_pacer_send(e->fd, e->family, e->ifindex, e->src,
						    e->dst[k].addr, e->dst[k].pkt,
						    e->dst[k].len) == 0)
					ok = true;
				else
					e->last_errno = errno;
			}
			if (ok)
				e->sent++;
			else
				e->failed++;
			e->due_ms += e->interval_ms;
			if (e->due_ms <= now)
				e->due_ms = now + e->interval_ms;
		}
		if (next < 0 || (int64_t)(e->due_ms - now) < next)
			next = (int64_t)(e->due_ms - now);
	}
	return next;
}

static void *pacer_main(void *arg)
{
	struct vrrp_pacer *p = arg;

	pthread_setname_np(pthread_self(), "softlbd-vrrp");
	/* Before the control thread's other work (it runs at nice -10 as
	 * well); a failure to raise it only loses that preference. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), -10);
	for (;;) {
		struct pollfd pfd = { .fd = p->wake_fd, .events = POLLIN };
		int64_t wait_ms;
		uint64_t v;

		pthread_mutex_lock(&p->lock);
		if (p->stop) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		wait_ms = send_due(p);
		pthread_mutex_unlock(&p->lock);
		if (poll(&pfd, 1, wait_ms > INT32_MAX ? INT32_MAX : (int)wait_ms) > 0)
			(void)!read(p->wake_fd, &v, sizeof(v));
	}
	return NULL;
}

static void wake(struct vrrp_pacer *p)
{
	uint64_t one = 1;

	(void)!write(p->wake_fd, &one, sizeof(one));
}

struct vrrp_pacer *vrrp_pacer_new(struct strbuf *err)
{
	struct vrrp_pacer *p = xcalloc(1, sizeof(*p));
	sigset_t all, old;
	int rc;

	p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p->wake_fd < 0) {
		strbuf_printf(err, "VRRP advert thread: eventfd: %s", strerror(errno));
		free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	/* Signals stay with the control thread's signalfd. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&p->thread, NULL, pacer_main, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		strbuf_printf(err, "VRRP advert thread: pthread_create: %s", strerror(rc));
		close(p->wake_fd);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return NULL;
	}
	return p;
}

void vrrp_pacer_free(struct vrrp_pacer *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_mutex_unlock(&p->lock);
	wake(p);
	pthread_join(p->thread, NULL);
	for (size_t i = 0; i < p->n; i++)
		entry_free(p->entries[i]);
	free(p->entries);
	close(p->wake_fd);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

/* The index of key's entry (lock held), or p->n. */
static size_t find(const struct vrrp_pacer *p, const void *key)
{
	size_t i = 0;

	while (i < p->n && p->entries[i]->key != key)
		i++;
	return i;
}

int vrrp_pacer_set(struct vrrp_pacer *p, const void *key, const struct vrrp_beat *beat,
		   bool keep_due)
{
	struct pacer_entry *e = xcalloc(1, sizeof(*e)), *old = NULL;
	size_t i;

	e->key = key;
	e->fd = fcntl(beat->fd, F_DUPFD_CLOEXEC, 0);
	if (e->fd < 0) {
		free(e);
		return -1;
	}
	e->family = beat->family;
	e->ifindex = beat->ifindex;
	memcpy(e->src, beat->src, 16);
	e->interval_ms = beat->interval_ms ? beat->interval_ms : 1000;
	e->due_ms = now_ms() + e->interval_ms;
	e->n_dst = beat->n_dst;
	e->dst = xcalloc(beat->n_dst ? beat->n_dst : 1, sizeof(*e->dst));
	for (size_t k = 0; k < beat->n_dst; k++) {
		memcpy(e->dst[k].addr, beat->dst[k].addr, 16);
		e->dst[k].pkt = xmalloc(beat->dst[k].len ? beat->dst[k].len : 1);
		memcpy(e->dst[k].pkt, beat->dst[k].pkt, beat->dst[k].len);
		e->dst[k].len = beat->dst[k].len;
	}
	pthread_mutex_lock(&p->lock);
	i = find(p, key);
	if (i < p->n) {
		old = p->entries[i];
		if (keep_due && old->interval_ms == e->interval_ms)
			e->due_ms = old->due_ms;
		/* counts not yet taken carry over */
		e->sent = old->sent;
		e->failed = old->failed;
		e->last_errno = old->last_errno;
		p->entries[i] = e;
	} else {
		if (p->n == p->cap) {
			p->cap = p->cap ? p->cap * 2 : 8;
			p->entries = xreallocarray(p->entries, p->cap, sizeof(*p->entries));
		}
		p->entries[p->n++] = e;
	}
	pthread_mutex_unlock(&p->lock);
	entry_free(old);
	wake(p);
	return 0;
}

void vrrp_pacer_clear(struct vrrp_pacer *p, const void *key)
{
	struct pacer_entry *old = NULL;
	size_t i;

	pthread_mutex_lock(&p->lock);
	i = find(p, key);
	if (i < p->n) {
		old = p->entries[i];
		p->entries[i] = p->entries[--p->n];
	}
	pthread_mutex_unlock(&p->lock);
	/* closed outside the lock; the thread no longer sees it */
	entry_free(old);
}

void vrrp_pacer_take(struct vrrp_pacer *p, const void *key, uint64_t *sent,
		     uint64_t *failed, int *last_errno)
{
	size_t i;

	*sent = *failed = 0;
	*last_errno = 0;
	pthread_mutex_lock(&p->lock);
	i = find(p, key);
	if (i < p->n) {
		*sent = p->entries[i]->sent;
		*failed = p->entries[i]->failed;
		*last_errno = p->entries[i]->last_errno;
		p->entries[i]->sent = p->entries[i]->failed = 0;
	}
	pthread_mutex_unlock(&p->lock);
}

int64_t vrrp_pacer_next_ms(struct vrrp_pacer *p, const void *key)
{
	int64_t left = -1;
	size_t i;

	pthread_mutex_lock(&p->lock);
	i = find(p, key);
	if (i < p->n) {
		uint64_t now = now_ms();

		left = p->entries[i]->due_ms > now ? (int64_t)(p->entries[i]->due_ms - now) : 0;
	}
	pthread_mutex_unlock(&p->lock);
	return left;
}
