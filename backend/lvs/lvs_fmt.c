/* lvs_fmt: names and order of IPVS objects (see lvs_fmt.h). */
#include "config.h"

#include "lvs/lvs_fmt.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

const char *lvs_proto_name(uint16_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_SCTP: return "SCTP";
	default: return "?";
	}
}

void lvs_addrport(uint16_t af, const union ipvs_addr *a, uint16_t port, char *buf, size_t size)
{
	char t[INET6_ADDRSTRLEN], n[STRBUF_DEC_LEN];
	char *p = buf;

	if (af == AF_INET && size >= 22) {	/* "255.255.255.255:65535" */
		for (int i = 0; i < 4; i++) {
			const char *d = strbuf_dec(n, a->raw[i], false);

			if (i)
				*p++ = '.';
			while (*d)
				*p++ = *d++;
		}
		*p++ = ':';
		strcpy(p, strbuf_dec(n, port, false));
		return;
	}
	if (!inet_ntop(af, a->raw, t, sizeof(t)))
		snprintf(t, sizeof(t), "?");
	snprintf(buf, size, af == AF_INET6 ? "[%s]:%u" : "%s:%u", t, port);
}

void lvs_svc_name(const struct ipvs_service_key *k, enum lvs_name_style style, char *buf,
		  size_t size)
{
	const char *pn = lvs_proto_name(k->protocol);
	char ap[80];

	if (k->fwmark) {
		if (style == LVS_NAME_IPVSADM)
			snprintf(buf, size, k->af == AF_INET6 ? "FWM  %u IPv6" : "FWM  %u", k->fwmark);
		else
			snprintf(buf, size, k->af == AF_INET6 ? "FWM %u IPv6" : "FWM %u", k->fwmark);
		return;
	}
	lvs_addrport(k->af, &k->addr, k->port, ap, sizeof(ap));
	if (style == LVS_NAME_KEY) {
		snprintf(buf, size, "%s %s", pn, ap);
		return;
	}
	/* ipvsadm pads the protocol to 4 columns: "TCP  ", "SCTP ". */
	if (k->af == AF_INET && size >= 4 + 1 + sizeof(ap)) {
		size_t n = strlen(pn);

		memcpy(buf, pn, n);
		while (n < 4)
			buf[n++] = ' ';
		buf[n++] = ' ';
		strcpy(buf + n, ap);
	} else {
		snprintf(buf, size, "%-4s %s", pn, ap);
	}
	if (k->af != AF_INET6 && size > 33)
		buf[33] = '\0';
}

const char *lvs_rs_state_name(enum lvs_rs_state s)
{
	switch (s) {
	case LVS_RS_DRAINING: return "draining";
	case LVS_RS_DISABLED: return "disabled";
	case LVS_RS_DOWN: return "down";
	case LVS_RS_SORRY: return "sorry-server";
	case LVS_RS_NO_QUORUM: return "no-quorum";
	default: return "up";
	}
}

/* libipvs's comparisons, wrap-around of the int differences included,
 * so the order is ipvsadm's own. */
static int addr_cmp(uint16_t af, const union ipvs_addr *a, const union ipvs_addr *b)
{
	int r = 0;

	for (int i = 0; i < (af == AF_INET6 ? 4 : 1) && !r; i++) {
		uint32_t x, y;

		memcpy(&x, a->raw + 4 * i, 4);
		memcpy(&y, b->raw + 4 * i, 4);
		r = (int)(ntohl(x) - ntohl(y));
	}
	return r;
}

static int svc_cmp(const void *pa, const void *pb)
{
	const struct ipvs_service_key *a = &((const struct ipvs_service *)pa)->key;
	const struct ipvs_service_key *b = &((const struct ipvs_service *)pb)->key;
	int r = (int)(a->fwmark - b->fwmark);

	if (!r)
		r = a->af - b->af;
	if (!r)
		r = a->protocol - b->protocol;
	if (!r)
		r = addr_cmp(a->af, &a->addr, &b->addr);
	return r ? r : a->port - b->port;
}

static int dest_cmp(const void *pa, const void *pb)
{
	const struct ipvs_dest *a = pa, *b = pb;
	int r = addr_cmp(a->af, &a->addr, &b->addr);

	return r ? r : a->port - b->port;
}

int lvs_dump_take(struct ipvs *h, struct lvs_dump *d, struct strbuf *err)
{
	struct strbuf e2 = STRBUF_INIT;

	memset(d, 0, sizeof(*d));
	if (ipvs_list_services(h, &d->svcs, &d->n, err) < 0)
		return -1;
	if (d->n > 1)
		qsort(d->svcs, d->n, sizeof(*d->svcs), svc_cmp);
	d->dests = xcalloc(d->n ? d->n : 1, sizeof(*d->dests));
	d->nd = xcalloc(d->n ? d->n : 1, sizeof(*d->nd));
	for (size_t i = 0; i < d->n; i++) {
		if (ipvs_list_dests(h, &d->svcs[i].key, &d->dests[i], &d->nd[i], &e2) < 0) {
			/* Deleted between the two dumps: listed empty. */
			strbuf_reset(&e2);
			d->dests[i] = NULL;
			d->nd[i] = 0;
		}
		if (d->nd[i] > 1)
			qsort(d->dests[i], d->nd[i], sizeof(*d->dests[i]), dest_cmp);
	}
	strbuf_free(&e2);
	return 0;
}

void lvs_dump_free(struct lvs_dump *d)
{
	for (size_t i = 0; i < d->n && d->dests; i++)
		free(d->dests[i]);
	free(d->dests);
	free(d->nd);
	free(d->svcs);
	memset(d, 0, sizeof(*d));
}
