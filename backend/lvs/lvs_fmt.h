/* lvs_fmt: how softlbd names and orders what it reads of IPVS, shared by
 * the listings (show lvs, lvs_cmds.c) and the terse table (show table
 * lvs, lvs_table.c), so both print a service, a real server and their
 * order the same way.
 */
#ifndef SOFTLB_LVS_FMT_H
#define SOFTLB_LVS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "lvs/ipvs.h"
#include "lvs/lvs-t.h"

struct strbuf;

/* "TCP", "UDP", "SCTP", "?" */
const char *lvs_proto_name(uint16_t p);

/* "192.0.2.1:80", "[2001:db8::1]:80" into buf (64 bytes are enough).
 * Written by hand for IPv4: at 10,000 real servers glibc's inet_ntop (a
 * sprintf) was the biggest cost of the listings outside the kernel. */
void lvs_addrport(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t size);

/* A service's name: LVS_NAME_IPVSADM as ipvsadm prints it ("TCP
 * 192.0.2.10:80" with the protocol padded to 4 columns, an IPv4 name cut
 * at 33 characters, "FWM  7"), LVS_NAME_KEY as softlbtop keys services
 * ("TCP 192.0.2.10:80", "FWM 7", never cut). */
enum lvs_name_style {
	LVS_NAME_IPVSADM,
	LVS_NAME_KEY,
};
void lvs_svc_name(const struct ipvs_service_key *k, enum lvs_name_style style, char *buf,
		  size_t size);

/* softlbd's word for a real server's state: "up", "draining", ... */
const char *lvs_rs_state_name(enum lvs_rs_state s);

/* One dump of the kernel's table in ipvsadm's order (libipvs's
 * comparisons): services, and for each its real servers. A service
 * deleted between the two dumps is listed without real servers. */
struct lvs_dump {
	struct ipvs_service *svcs;
	size_t n;
	struct ipvs_dest **dests;	/* n arrays */
	size_t *nd;
};

int lvs_dump_take(struct ipvs *h, struct lvs_dump *d, struct strbuf *err);
void lvs_dump_free(struct lvs_dump *d);

#endif
