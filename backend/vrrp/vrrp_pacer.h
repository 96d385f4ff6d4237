/* vrrp_pacer: a master's periodic adverts, sent from a thread of their own.
 *
 * A backup declares its master dead after three advert intervals plus a
 * skew (360 ms at advert_int 0.1). The control-plane thread that runs the
 * VRRP state machine also parses reloads, applies changes and answers the
 * shell; whatever it is doing, a master's adverts must still leave on
 * time. So the state machine decides (become master, change priority,
 * stand down) and hands the pacer the advert as bytes ready to send; the
 * pacer thread sends them every interval until told to stop. It never
 * touches the engine's state: it owns a duplicate of the instance's raw
 * socket and its own copy of the packets, so an instance can be
 * reconfigured or freed while the pacer sends.
 *
 * Everything but the thread's own loop is called from the control-plane
 * thread.
 */
#ifndef SOFTLB_VRRP_PACER_H
#define SOFTLB_VRRP_PACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>


struct strbuf;
struct vrrp_pacer;

/* One destination of an advert: the v3 checksum covers the destination,
 * so each has its own bytes. Borrowed by vrrp_pacer_set(), which copies. */
struct vrrp_beat_dst {
	unsigned char addr[16];
	const uint8_t *pkt;
	size_t len;
};

/* One advert, ready to leave: the socket, the interface, the source
 * address, the datagram for each destination, and the interval. */
struct vrrp_beat {
	int fd;				/* the instance's raw socket (dup'd) */
	int family;			/* AF_INET, AF_INET6 */
	int ifindex;
	unsigned char src[16];
	uint64_t interval_ms;
	size_t n_dst;
	const struct vrrp_beat_dst *dst;
};

/* Starts the pacer thread. Returns NULL with the reason in err. */
struct vrrp_pacer *vrrp_pacer_new(struct strbuf *err);
/* Stops the thread and closes every socket it holds. */
void vrrp_pacer_free(struct vrrp_pacer *p);

/* Sends beat (copied) for key every beat->interval_ms, replacing what was
 * sent for key: the first one an interval from now, or, with keep_due and
 * key already sending at that interval, when the next one was due (new
 * contents, same rhythm). Returns 0, or -1 when the socket could not be
 * duplicated. */
int vrrp_pacer_set(struct vrrp_pacer *p, const void *key, const struct vrrp_beat *beat,
		   bool keep_due);
/* Stops sending for key (nothing when it was not sending). */
void vrrp_pacer_clear(struct vrrp_pacer *p, const void *key);

/* Adverts sent for key since the last call, send failures and the last
 * failure's errno; zeroes the counts. */
void vrrp_pacer_take(struct vrrp_pacer *p, const void *key, uint64_t *sent,
		     uint64_t *failed, int *last_errno);
/* Milliseconds until key's next advert, or -1 when it is not sending. */
int64_t vrrp_pacer_next_ms(struct vrrp_pacer *p, const void *key);

/* Sends one datagram as the pacer does (IP_PKTINFO / IPV6_PKTINFO for
 * the interface and source). Returns 0, or -1 with errno set. */
int vrrp_pacer_send(int fd, int family, int ifindex, const unsigned char *src,
		    const unsigned char *dst, const uint8_t *pkt, size_t len);

#endif
