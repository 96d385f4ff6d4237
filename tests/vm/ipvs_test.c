/* ipvs_test: the IPVS netlink library against a real kernel, inside the
 * VM (tests/vm/ipvs.sh runs it there through run-in-vm).
 *
 * Everything is programmed through backend/lvs and then read back two
 * ways: through the library, and through ipvsadm, the peer nobody here
 * wrote. ipvsadm's output is compared exactly with text rendered from the
 * library's view (render_*() below follow ipvsadm 1.31's layouts), so a
 * field the library gets wrong in either direction shows up as a diff.
 *
 * It flushes the kernel's IPVS table and adds a dummy interface, so it
 * refuses to run unless SOFTLB_VM=1 (set by run-in-vm's guest).
 * Exit: 0 pass, 1 fail, 77 skip.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lvs/ipvs.h"
#include "util/strbuf.h"

/* The test's state: counts and the handle, passed around explicitly. */
struct t {
	struct ipvs *h;
	int checks;
	int failures;
	struct strbuf err;
};

/* Records one check; prints a FAIL line with the message when !ok. */
static int check(struct t *t, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int check(struct t *t, int ok, const char *fmt, ...)
{
	va_list ap;

	t->checks++;
	if (ok)
		return 1;
	t->failures++;
	fputs("FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (t->err.len)
		printf("      library said: %s", strbuf_str(&t->err));
	strbuf_reset(&t->err);
	return 0;
}

/* Checks that a library call returned want (0 or a negative errno). */
#define CHECK_RC(t, call, want) \
	check((t), (call) == (want), "%s:%d: %s != %s", __FILE__, __LINE__, #call, #want)

/* Runs a shell command, capturing stdout into out; returns its status. */
static int capture(const char *cmd, struct strbuf *out)
{
	char buf[4096];
	size_t n;
	FILE *p;
	int st;

	strbuf_reset(out);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		strbuf_append(out, buf, n);
	st = pclose(p);
	return st;
}

/* Runs cmd and checks its output equals want exactly. */
static void expect_output(struct t *t, const char *cmd, const char *want)
{
	struct strbuf got = STRBUF_INIT;

	capture(cmd, &got);
	if (!check(t, strcmp(strbuf_str(&got), want) == 0,
		   "`%s` differs from the library's view", cmd))
		printf("--- want\n%s--- got\n%s---\n", want, strbuf_str(&got));
	strbuf_free(&got);
}

/* Runs a setup command that must succeed. */
static void sh(struct t *t, const char *cmd)
{
	int st = system(cmd);

	check(t, st == 0, "`%s` exited %d", cmd, st);
}

/* ------------------------------------------------------------------------
 * ipvsadm's layouts, rendered from the library's view.
 */

enum view {
	VIEW_LIST = 0,		/* -Ln */
	VIEW_TUN,		/* -Ln --tun-info */
	VIEW_THRESH,		/* -Ln --thresholds */
	VIEW_STATS,		/* -Ln --stats --exact */
	VIEW_RATE,		/* -Ln --rate --exact */
	VIEW_SAVE,		/* -S -n */
};

/* libipvs compares addresses 32 bits at a time as (int)(a - b) of host
 * order words, so 10.x sorts after 192.x; replicated, not "fixed". */
static int cmp_addr(uint16_t af, const union ipvs_addr *a, const union ipvs_addr *b)
{
	int i, r = 0;
	uint32_t x, y;

	for (i = 0; !r && i < (af == AF_INET6 ? 4 : 1); i++) {
		memcpy(&x, a->raw + 4 * i, 4);
		memcpy(&y, b->raw + 4 * i, 4);
		r = (int)(ntohl(x) - ntohl(y));
	}
	return r;
}

/* ipvsadm's service order: fwmark, af, protocol, address, port. */
static int cmp_svc(const void *a, const void *b)
{
	const struct ipvs_service_key *x = &((const struct ipvs_service *)a)->key;
	const struct ipvs_service_key *y = &((const struct ipvs_service *)b)->key;
	int r;

	if (x->fwmark != y->fwmark)
		return x->fwmark < y->fwmark ? -1 : 1;
	if (x->af != y->af)
		return x->af - y->af;
	if (x->protocol != y->protocol)
		return x->protocol - y->protocol;
	r = cmp_addr(x->af, &x->addr, &y->addr);
	if (r)
		return r;
	return x->port - y->port;
}

/* ipvsadm's real server order: af, address, port. */
static int cmp_dest(const void *a, const void *b)
{
	const struct ipvs_dest *x = a, *y = b;
	int r;

	if (x->af != y->af)
		return x->af - y->af;
	r = cmp_addr(x->af, &x->addr, &y->addr);
	if (r)
		return r;
	return x->port - y->port;
}

/* Formats ADDR:PORT as ipvsadm -n does ([v6]:port). */
static const char *addrport(char *buf, size_t size, uint16_t af,
			    const union ipvs_addr *a, uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(af, a->raw, s, sizeof(s));
	snprintf(buf, size, af == AF_INET6 ? "[%s]:%u" : "%s:%u", s, port);
	return buf;
}

/* Appends the service's name column ("TCP  a:p", "FWM  7 IPv6"). */
static void svc_name(struct strbuf *sb, const struct ipvs_service *s)
{
	char ap[80];
	const char *proto = s->key.protocol == IPPROTO_TCP ? "TCP" :
			    s->key.protocol == IPPROTO_UDP ? "UDP" : "SCTP";

	if (s->key.fwmark)
		strbuf_printf(sb, "FWM  %u%s", s->key.fwmark,
			      s->key.af == AF_INET6 ? " IPv6" : "");
	else
		strbuf_printf(sb, "%-4s %s", proto,
			      addrport(ap, sizeof(ap), s->key.af, &s->key.addr,
				       s->key.port));
}

/* Appends the scheduler-flag names ipvsadm uses for this scheduler. */
static void sched_flags(struct strbuf *sb, const struct ipvs_service *s,
			const char *sep)
{
	const char *names[3] = { "flag-1", "flag-2", "flag-3" };
	int i, n = 0;

	if (!strcmp(s->sched_name, "sh")) {
		names[0] = "sh-fallback";
		names[1] = "sh-port";
	} else if (!strcmp(s->sched_name, "mh")) {
		names[0] = "mh-fallback";
		names[1] = "mh-port";
	}
	for (i = 0; i < 3; i++)
		if (s->flags & (IPVS_SVC_F_SCHED1 << i))
			strbuf_printf(sb, "%s%s", n++ ? "," : sep, names[i]);
}

/* Appends the -Ln service line. */
static void render_svc_line(struct strbuf *sb, const struct ipvs_service *s)
{
	struct in_addr m;

	svc_name(sb, s);
	strbuf_printf(sb, " %s", s->sched_name);
	if (s->flags & (IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3)) {
		sched_flags(sb, s, " (");
		strbuf_puts(sb, ")");
	}
	if (s->flags & IPVS_SVC_F_ONEPACKET)
		strbuf_puts(sb, " ops");
	if (s->flags & IPVS_SVC_F_PERSISTENT) {
		strbuf_printf(sb, " persistent %u", s->timeout);
		if (s->key.af == AF_INET && s->prefix != 32) {
			m.s_addr = htonl(s->prefix ? ~0u << (32 - s->prefix) : 0);
			strbuf_printf(sb, " mask %s", inet_ntoa(m));
		} else if (s->key.af == AF_INET6 && s->prefix != 128) {
			strbuf_printf(sb, " mask %u", s->prefix);
		}
		if (s->pe_name[0])
			strbuf_printf(sb, " pe %s", s->pe_name);
	}
	strbuf_putc(sb, '\n');
}

/* Appends ipvsadm --tun-info's tunnel column. */
static void tun_info(struct strbuf *sb, const struct ipvs_dest *d)
{
	const char *c = d->tun_flags & IPVS_TUN_F_CSUM ? "+c" :
			d->tun_flags & IPVS_TUN_F_REMCSUM ? "r+c" : "-c";
	char buf[32];

	if (d->fwd != IPVS_FWD_TUNNEL)
		snprintf(buf, sizeof(buf), "n/a");
	else if (d->tun_type == IPVS_TUN_GUE)
		snprintf(buf, sizeof(buf), "gue:%u:%s", d->tun_port, c);
	else if (d->tun_type == IPVS_TUN_GRE)
		snprintf(buf, sizeof(buf), "gre:%s", c);
	else
		snprintf(buf, sizeof(buf), "ipip");
	strbuf_printf(sb, "%-13s ", buf);
}

/* Appends the -S -n lines of one service and its real servers. */
static void render_save(struct strbuf *sb, const struct ipvs_service *s,
			const struct ipvs_dest *d, size_t nd)
{
	struct strbuf key = STRBUF_INIT;
	char ap[80];
	struct in_addr m;
	size_t i;

	if (s->key.fwmark)
		strbuf_printf(&key, "-f %u%s", s->key.fwmark,
			      s->key.af == AF_INET6 ? " -6" : "");
	else
		strbuf_printf(&key, "%s %s",
			      s->key.protocol == IPPROTO_TCP ? "-t" :
			      s->key.protocol == IPPROTO_UDP ? "-u" : "--sctp-service",
			      addrport(ap, sizeof(ap), s->key.af, &s->key.addr,
				       s->key.port));
	strbuf_printf(sb, "-A %s -s %s", strbuf_str(&key), s->sched_name);
	if (s->flags & IPVS_SVC_F_PERSISTENT) {
		strbuf_printf(sb, " -p %u", s->timeout);
		if (s->key.af == AF_INET && s->prefix != 32) {
			m.s_addr = htonl(s->prefix ? ~0u << (32 - s->prefix) : 0);
			strbuf_printf(sb, " -M %s", inet_ntoa(m));
		} else if (s->key.af == AF_INET6 && s->prefix != 128) {
			strbuf_printf(sb, " -M %u", s->prefix);
		}
		if (s->pe_name[0])
			strbuf_printf(sb, " --pe %s", s->pe_name);
	}
	if (s->flags & IPVS_SVC_F_ONEPACKET)
		strbuf_puts(sb, " -o");
	if (s->flags & (IPVS_SVC_F_SCHED1 | IPVS_SVC_F_SCHED2 | IPVS_SVC_F_SCHED3))
		sched_flags(sb, s, " -b ");
	strbuf_putc(sb, '\n');
	for (i = 0; i < nd; i++) {
		const char *c = d[i].tun_flags & IPVS_TUN_F_CSUM ? "--tun-csum" :
				d[i].tun_flags & IPVS_TUN_F_REMCSUM ? "--tun-remcsum" :
				"--tun-nocsum";

		strbuf_printf(sb, "-a %s -r %s %s -w %d", strbuf_str(&key),
			      addrport(ap, sizeof(ap), d[i].af, &d[i].addr, d[i].port),
			      d[i].fwd == IPVS_FWD_ROUTE ? "-g" :
			      d[i].fwd == IPVS_FWD_TUNNEL ? "-i" : "-m",
			      d[i].weight);
		if (d[i].fwd == IPVS_FWD_TUNNEL) {
			if (d[i].tun_type == IPVS_TUN_GUE)
				strbuf_printf(sb, " --tun-type gue --tun-port %u %s",
					      d[i].tun_port, c);
			else if (d[i].tun_type == IPVS_TUN_GRE)
				strbuf_printf(sb, " --tun-type gre %s", c);
			else
				strbuf_puts(sb, " --tun-type ipip");
		}
		strbuf_putc(sb, '\n');
	}
	strbuf_free(&key);
}

/* Renders ipvsadm's output for view from the library's listing. Returns
 * 0, or -1 when the library failed (a check has failed then). */
static int render(struct t *t, enum view v, struct strbuf *sb)
{
	struct ipvs_service *svcs = NULL;
	struct ipvs_dest *d = NULL;
	struct ipvs_info info;
	size_t ns = 0, nd = 0, i, j;
	char name[96], ap[80];

	strbuf_reset(sb);
	if (!CHECK_RC(t, ipvs_get_info(t->h, &info, &t->err), 0) ||
	    !CHECK_RC(t, ipvs_list_services(t->h, &svcs, &ns, &t->err), 0))
		return -1;
	if (ns > 1)
		qsort(svcs, ns, sizeof(*svcs), cmp_svc);
	if (v != VIEW_SAVE)
		strbuf_printf(sb, "IP Virtual Server version %u.%u.%u (size=%u)\n",
			      info.version >> 16, (info.version >> 8) & 0xff,
			      info.version & 0xff, info.conn_tab_size);
	switch (v) {
	case VIEW_LIST:
		strbuf_puts(sb, "Prot LocalAddress:Port Scheduler Flags\n"
			    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
		break;
	case VIEW_TUN:
		strbuf_puts(sb, "Prot LocalAddress:Port Scheduler Flags\n"
			    "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n");
		break;
	case VIEW_THRESH:
		strbuf_puts(sb, "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
			    "  -> RemoteAddress:Port\n");
		break;
	case VIEW_STATS:
		strbuf_puts(sb, "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
			    "  -> RemoteAddress:Port\n");
		break;
	case VIEW_RATE:
		strbuf_puts(sb, "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
			    "  -> RemoteAddress:Port\n");
		break;
	case VIEW_SAVE:
		break;
	}
	for (i = 0; i < ns; i++) {
		const struct ipvs_service *s = &svcs[i];
		const struct ipvs_stats *st = &s->stats;
		struct strbuf nm = STRBUF_INIT;

		if (!CHECK_RC(t, ipvs_list_dests(t->h, &s->key, &d, &nd, &t->err), 0))
			break;
		if (nd > 1)
			qsort(d, nd, sizeof(*d), cmp_dest);
		if (v == VIEW_SAVE) {
			render_save(sb, s, d, nd);
			free(d);
			continue;
		}
		if (v == VIEW_STATS || v == VIEW_RATE) {
			svc_name(&nm, s);
			if (v == VIEW_STATS)
				strbuf_printf(sb, "%-33s %8llu %8llu %8llu %8llu %8llu\n",
					      strbuf_str(&nm), (unsigned long long)st->conns,
					      (unsigned long long)st->inpkts,
					      (unsigned long long)st->outpkts,
					      (unsigned long long)st->inbytes,
					      (unsigned long long)st->outbytes);
			else
				strbuf_printf(sb, "%-33s %8llu %8llu %8llu %8llu %8llu\n",
					      strbuf_str(&nm), (unsigned long long)st->cps,
					      (unsigned long long)st->inpps,
					      (unsigned long long)st->outpps,
					      (unsigned long long)st->inbps,
					      (unsigned long long)st->outbps);
			strbuf_free(&nm);
		} else {
			render_svc_line(sb, s);
		}
		for (j = 0; j < nd; j++) {
			const struct ipvs_stats *ds = &d[j].stats;

			addrport(ap, sizeof(ap), d[j].af, &d[j].addr, d[j].port);
			snprintf(name, sizeof(name), "  -> %s", ap);
			switch (v) {
			case VIEW_LIST:
			case VIEW_TUN:
				strbuf_printf(sb, "  -> %-28s %-7s ", ap,
					      ipvs_fwd_name(d[j].fwd));
				if (v == VIEW_TUN)
					tun_info(sb, &d[j]);
				strbuf_printf(sb, "%-6d %-10u %-10u\n", d[j].weight,
					      d[j].active_conns, d[j].inact_conns);
				break;
			case VIEW_THRESH:
				strbuf_printf(sb, "  -> %-28s %-10u %-10u %-10u %-10u\n",
					      ap, d[j].u_threshold, d[j].l_threshold,
					      d[j].active_conns, d[j].inact_conns);
				break;
			case VIEW_STATS:
				strbuf_printf(sb, "%-33s %8llu %8llu %8llu %8llu %8llu\n",
					      name, (unsigned long long)ds->conns,
					      (unsigned long long)ds->inpkts,
					      (unsigned long long)ds->outpkts,
					      (unsigned long long)ds->inbytes,
					      (unsigned long long)ds->outbytes);
				break;
			case VIEW_RATE:
				strbuf_printf(sb, "%-33s %8llu %8llu %8llu %8llu %8llu\n",
					      name, (unsigned long long)ds->cps,
					      (unsigned long long)ds->inpps,
					      (unsigned long long)ds->outpps,
					      (unsigned long long)ds->inbps,
					      (unsigned long long)ds->outbps);
				break;
			case VIEW_SAVE:
				break;
			}
		}
		free(d);
	}
	free(svcs);
	return 0;
}

/* Compares every ipvsadm view of the table with the library's. Rates
 * move every 2 s while traffic decays, so they are compared only when
 * with_rate says the counters were just zeroed. */
static void cross_check(struct t *t, const char *when, int with_rate)
{
	static const struct {
		enum view v;
		const char *cmd;
	} views[] = {
		{ VIEW_LIST, "ipvsadm -Ln" },
		{ VIEW_TUN, "ipvsadm -Ln --tun-info" },
		{ VIEW_THRESH, "ipvsadm -Ln --thresholds" },
		{ VIEW_STATS, "ipvsadm -Ln --stats --exact" },
		{ VIEW_RATE, "ipvsadm -Ln --rate --exact" },
		{ VIEW_SAVE, "ipvsadm -S -n" },
	};
	struct strbuf want = STRBUF_INIT;
	size_t i;

	printf("cross-check (%s)\n", when);
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		if (!with_rate && views[i].v == VIEW_RATE)
			continue;
		/* The kernel's counters move on their own between the two
		 * reads: a connection of an earlier test expires (ActiveConn
		 * 1 -> 0 once, on a loaded machine, in the second between
		 * our dump and ipvsadm's). A real difference stays; one that
		 * goes away when both are read again was such a move. */
		for (int attempt = 1; attempt <= 3; attempt++) {
			struct strbuf got = STRBUF_INIT;
			int same;

			if (render(t, views[i].v, &want) != 0)
				break;
			if (attempt == 3) {
				expect_output(t, views[i].cmd, strbuf_str(&want));
				break;
			}
			capture(views[i].cmd, &got);
			same = strcmp(strbuf_str(&got), strbuf_str(&want)) == 0;
			strbuf_free(&got);
			if (same) {
				check(t, 1, "%s", views[i].cmd);
				break;
			}
			printf("  `%s`: the table moved between the two reads; reading both again\n",
			       views[i].cmd);
			sleep(1);
		}
	}
	strbuf_free(&want);
}

/* ------------------------------------------------------------------------
 * Builders for the test's table.
 */

/* Fills a TCP/UDP/SCTP service key. */
static struct ipvs_service_key key_of(uint16_t proto, const char *addr, uint16_t port)
{
	struct ipvs_service_key k;

	memset(&k, 0, sizeof(k));
	k.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	k.protocol = proto;
	inet_pton(k.af, addr, k.addr.raw);
	k.port = port;
	return k;
}

/* Fills a service. */
static struct ipvs_service svc_of(struct ipvs_service_key k, const char *sched,
				  uint32_t flags, uint32_t timeout, uint8_t prefix)
{
	struct ipvs_service s;

	ipvs_service_init(&s, k.af);
	s.key = k;
	snprintf(s.sched_name, sizeof(s.sched_name), "%s", sched);
	s.flags = flags;
	s.timeout = timeout;
	if (prefix)
		s.prefix = prefix;
	return s;
}

/* Fills a real server. */
static struct ipvs_dest dest_of(const char *addr, uint16_t port, uint32_t fwd,
				int32_t weight)
{
	struct ipvs_dest d;

	memset(&d, 0, sizeof(d));
	d.af = strchr(addr, ':') ? AF_INET6 : AF_INET;
	inet_pton(d.af, addr, d.addr.raw);
	d.port = port;
	d.fwd = fwd;
	d.weight = weight;
	return d;
}

/* Finds the real server at addr in a listing, or NULL. */
static const struct ipvs_dest *find_dest(const struct ipvs_dest *d, size_t n,
					 const struct ipvs_dest *want)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].af == want->af && d[i].port == want->port &&
		    !memcmp(d[i].addr.raw, want->addr.raw, 16))
			return &d[i];
	return NULL;
}

/* ------------------------------------------------------------------------
 * The tests.
 */

static const char seed_table[] =
	"IP Virtual Server version 1.2.1 (size=4096)\n"
	"Prot LocalAddress:Port Scheduler Flags\n"
	"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
	"TCP  10.10.209.199:8180 wlc persistent 600\n"
	"  -> 10.10.209.102:8180           Route   100    0          0         \n"
	"  -> 10.10.209.144:8180           Route   100    0          0         \n";

static const char seed_save[] =
	"-A -t 10.10.209.199:8180 -s wlc -p 600\n"
	"-a -t 10.10.209.199:8180 -r 10.10.209.102:8180 -g -w 100\n"
	"-a -t 10.10.209.199:8180 -r 10.10.209.144:8180 -g -w 100\n";

/* The seed's table (keepalived.conf's virtual_server), exactly. */
static void test_seed(struct t *t)
{
	struct ipvs_service_key k = key_of(IPPROTO_TCP, "10.10.209.199", 8180);
	struct ipvs_service s = svc_of(k, "wlc", IPVS_SVC_F_PERSISTENT, 600, 0);
	struct ipvs_dest d1 = dest_of("10.10.209.102", 8180, IPVS_FWD_ROUTE, 100);
	struct ipvs_dest d2 = dest_of("10.10.209.144", 8180, IPVS_FWD_ROUTE, 100);
	struct ipvs_service got;
	struct ipvs_dest *d = NULL;
	size_t n = 0;

	puts("seed table");
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	CHECK_RC(t, ipvs_add_dest(t->h, &k, &d1, &t->err), 0);
	CHECK_RC(t, ipvs_add_dest(t->h, &k, &d2, &t->err), 0);
	expect_output(t, "ipvsadm -Ln", seed_table);
	expect_output(t, "ipvsadm -S -n", seed_save);

	if (CHECK_RC(t, ipvs_get_service(t->h, &k, &got, &t->err), 0)) {
		check(t, !strcmp(got.sched_name, "wlc"), "sched %s", got.sched_name);
		check(t, (got.flags & IPVS_SVC_F_USER_MASK) == IPVS_SVC_F_PERSISTENT,
		      "flags %#x", got.flags);
		check(t, got.timeout == 600 && got.prefix == 32,
		      "timeout %u prefix %u", got.timeout, got.prefix);
	}
	if (CHECK_RC(t, ipvs_list_dests(t->h, &k, &d, &n, &t->err), 0)) {
		const struct ipvs_dest *a = find_dest(d, n, &d1);
		const struct ipvs_dest *b = find_dest(d, n, &d2);

		check(t, n == 2 && a && b, "%zu real servers", n);
		check(t, a && a->weight == 100 && a->fwd == IPVS_FWD_ROUTE,
		      "real server 1 weight/fwd");
		check(t, b && b->weight == 100 && b->fwd == IPVS_FWD_ROUTE,
		      "real server 2 weight/fwd");
	}
	free(d);

	/* Distinct errors the engine relies on. */
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), -EEXIST);
	strbuf_reset(&t->err);
	CHECK_RC(t, ipvs_add_dest(t->h, &k, &d1, &t->err), -EEXIST);
	strbuf_reset(&t->err);
	{
		struct ipvs_dest nod = dest_of("10.10.209.9", 8180, IPVS_FWD_ROUTE, 1);
		struct ipvs_service_key nok = key_of(IPPROTO_TCP, "10.10.209.198", 8180);

		CHECK_RC(t, ipvs_del_dest(t->h, &k, &nod, &t->err), -ENOENT);
		check(t, strstr(strbuf_str(&t->err), "no such real server") != NULL,
		      "message for a missing real server: %s", strbuf_str(&t->err));
		strbuf_reset(&t->err);
		CHECK_RC(t, ipvs_del_service(t->h, &nok, &t->err), -ESRCH);
		strbuf_reset(&t->err);
		CHECK_RC(t, ipvs_get_service(t->h, &nok, &got, &t->err), -ESRCH);
		strbuf_reset(&t->err);
	}
}

/* A weight change is a SET: connections and counters survive it. Traffic
 * is one SYN from the VM itself to the VIP; DR sends it to a real server
 * address routed to a dummy interface, which drops it. */
static void test_edit_keeps_counters(struct t *t)
{
	struct ipvs_service_key k = key_of(IPPROTO_TCP, "10.10.209.199", 8180);
	struct ipvs_dest d1 = dest_of("10.10.209.102", 8180, IPVS_FWD_ROUTE, 100);
	struct ipvs_dest d2 = dest_of("10.10.209.144", 8180, IPVS_FWD_ROUTE, 100);
	struct ipvs_service before, after;
	struct sockaddr_in sin;
	int fd, i;

	puts("edit in place keeps counters");
	sh(t, "ip link add softlb0 type dummy && ip link set softlb0 up && "
	      "ip addr add 10.10.209.1/24 dev softlb0");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(8180);
	inet_pton(AF_INET, "10.10.209.199", &sin.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (!check(t, fd >= 0, "socket: %s", strerror(errno)))
		return;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		check(t, errno == EINPROGRESS, "connect: %s", strerror(errno));
	/* Wait for IPVS to schedule the SYN (TCG is slow), then close the
	 * socket so no retransmission moves the counters under the checks. */
	for (i = 0; i < 50; i++) {
		if (!CHECK_RC(t, ipvs_get_service(t->h, &k, &before, &t->err), 0)) {
			close(fd);
			return;
		}
		if (before.stats.conns)
			break;
		usleep(100000);
	}
	close(fd);
	if (!CHECK_RC(t, ipvs_get_service(t->h, &k, &before, &t->err), 0))
		return;
	check(t, before.stats.conns == 1 && before.stats.inpkts >= 1,
	      "one connection scheduled (conns %llu, inpkts %llu)",
	      (unsigned long long)before.stats.conns,
	      (unsigned long long)before.stats.inpkts);
	cross_check(t, "one connection", 0);
	d1.weight = 50;
	d2.weight = 50;
	CHECK_RC(t, ipvs_edit_dest(t->h, &k, &d1, &t->err), 0);
	CHECK_RC(t, ipvs_edit_dest(t->h, &k, &d2, &t->err), 0);
	if (CHECK_RC(t, ipvs_get_service(t->h, &k, &after, &t->err), 0))
		check(t, after.stats.conns == before.stats.conns &&
			 after.stats.inpkts >= before.stats.inpkts,
		      "counters survive a weight change (conns %llu -> %llu)",
		      (unsigned long long)before.stats.conns,
		      (unsigned long long)after.stats.conns);
	cross_check(t, "weights 50, after traffic", 0);
	/* Zero this service only, then everything. */
	CHECK_RC(t, ipvs_zero(t->h, &k, &t->err), 0);
	if (CHECK_RC(t, ipvs_get_service(t->h, &k, &after, &t->err), 0))
		check(t, after.stats.conns == 0 && after.stats.inpkts == 0,
		      "zeroed service has conns %llu",
		      (unsigned long long)after.stats.conns);
	CHECK_RC(t, ipvs_zero(t->h, NULL, &t->err), 0);
	cross_check(t, "zeroed", 1);
	d1.weight = 100;
	d2.weight = 100;
	CHECK_RC(t, ipvs_edit_dest(t->h, &k, &d1, &t->err), 0);
	CHECK_RC(t, ipvs_edit_dest(t->h, &k, &d2, &t->err), 0);
}

/* Every scheduler the kernel has, added, read back and deleted. */
static void test_schedulers(struct t *t)
{
	static const char *const scheds[] = {
		"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed",
		"nq", "fo", "ovf", "mh", "twos",
	};
	size_t i;

	puts("schedulers");
	for (i = 0; i < sizeof(scheds) / sizeof(scheds[0]); i++) {
		struct ipvs_service_key k = key_of(IPPROTO_TCP, "192.0.2.1",
						   (uint16_t)(1000 + i));
		struct ipvs_service s = svc_of(k, scheds[i], 0, 0, 0);
		struct ipvs_service got;
		struct strbuf want = STRBUF_INIT, out = STRBUF_INIT;
		int rc = ipvs_add_service(t->h, &s, &t->err);

		if (rc == -ENOENT) {
			printf("  note: scheduler %s not in this kernel: skipped (%.*s)\n",
			       scheds[i], (int)t->err.len - 1, strbuf_str(&t->err));
			strbuf_reset(&t->err);
			continue;
		}
		if (!check(t, rc == 0, "add %s service: %d", scheds[i], rc))
			continue;
		strbuf_printf(&want, "TCP  192.0.2.1:%zu %s\n", 1000 + i, scheds[i]);
		capture("ipvsadm -Ln", &out);
		check(t, strstr(strbuf_str(&out), strbuf_str(&want)) != NULL,
		      "ipvsadm -Ln lacks %s", strbuf_str(&want));
		if (CHECK_RC(t, ipvs_get_service(t->h, &k, &got, &t->err), 0))
			check(t, !strcmp(got.sched_name, scheds[i]), "read back %s as %s",
			      scheds[i], got.sched_name);
		CHECK_RC(t, ipvs_del_service(t->h, &k, &t->err), 0);
		CHECK_RC(t, ipvs_get_service(t->h, &k, &got, &t->err), -ESRCH);
		strbuf_reset(&t->err);
		strbuf_free(&want);
		strbuf_free(&out);
	}
}

/* Flags, forwarding methods, tunnels, IPv6, fwmark, SCTP, thresholds,
 * persistence engine: one table, cross-checked as a whole. */
static void test_table(struct t *t)
{
	struct ipvs_service_key ksh = key_of(IPPROTO_TCP, "192.0.2.10", 81);
	struct ipvs_service_key kmh = key_of(IPPROTO_TCP, "192.0.2.10", 82);
	struct ipvs_service_key kops = key_of(IPPROTO_UDP, "192.0.2.10", 53);
	struct ipvs_service_key kmask = key_of(IPPROTO_TCP, "192.0.2.10", 84);
	struct ipvs_service_key ksip = key_of(IPPROTO_UDP, "192.0.2.10", 5060);
	struct ipvs_service_key ksctp = key_of(IPPROTO_SCTP, "192.0.2.10", 9);
	struct ipvs_service_key k6 = key_of(IPPROTO_TCP, "2001:db8::1", 80);
	struct ipvs_service_key kfw = { .af = AF_INET, .fwmark = 7 };
	struct ipvs_service_key kfw6 = { .af = AF_INET6, .fwmark = 8 };
	struct ipvs_service s;
	struct ipvs_dest d, *ds = NULL;
	size_t n = 0;

	puts("flags, methods, tunnels, IPv6, fwmark");
	s = svc_of(ksh, "sh", IPVS_SVC_F_SH_FALLBACK | IPVS_SVC_F_SH_PORT, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(kmh, "mh", IPVS_SVC_F_MH_PORT, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(kops, "rr", IPVS_SVC_F_ONEPACKET, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(kmask, "rr", IPVS_SVC_F_PERSISTENT, 30, 24);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(ksip, "rr", IPVS_SVC_F_PERSISTENT, 30, 0);
	snprintf(s.pe_name, sizeof(s.pe_name), "sip");
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(ksctp, "nq", 0, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(k6, "wrr", IPVS_SVC_F_PERSISTENT, 60, 64);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(kfw, "lc", 0, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);
	s = svc_of(kfw6, "lc", 0, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), 0);

	/* Every tunnel flavour and NAT. */
	d = dest_of("192.0.2.21", 81, IPVS_FWD_TUNNEL, 1);
	d.tun_type = IPVS_TUN_GUE;
	d.tun_port = 6080;
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), 0);
	d = dest_of("192.0.2.22", 81, IPVS_FWD_TUNNEL, 1);
	d.tun_type = IPVS_TUN_GRE;
	d.tun_flags = IPVS_TUN_F_CSUM;
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), 0);
	d = dest_of("192.0.2.23", 81, IPVS_FWD_TUNNEL, 1);
	d.tun_type = IPVS_TUN_GUE;
	d.tun_port = 6081;
	d.tun_flags = IPVS_TUN_F_REMCSUM;
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), 0);
	d = dest_of("192.0.2.24", 81, IPVS_FWD_MASQ, 4);
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), 0);
	/* An IPv6 real server behind an IPv4 service: only TUN may mix. */
	d = dest_of("2001:db8::30", 81, IPVS_FWD_TUNNEL, 1);
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), 0);
	d = dest_of("2001:db8::31", 81, IPVS_FWD_ROUTE, 1);
	CHECK_RC(t, ipvs_add_dest(t->h, &ksh, &d, &t->err), -EINVAL);
	strbuf_reset(&t->err);
	d = dest_of("2001:db8::2", 80, IPVS_FWD_MASQ, 3);
	d.u_threshold = 100;
	d.l_threshold = 10;
	CHECK_RC(t, ipvs_add_dest(t->h, &k6, &d, &t->err), 0);
	d = dest_of("192.0.2.20", 0, IPVS_FWD_TUNNEL, 2);
	CHECK_RC(t, ipvs_add_dest(t->h, &kfw, &d, &t->err), 0);
	d = dest_of("192.0.2.25", 84, IPVS_FWD_ROUTE, 7);
	d.u_threshold = 1000;
	d.l_threshold = 900;
	CHECK_RC(t, ipvs_add_dest(t->h, &kmask, &d, &t->err), 0);
	cross_check(t, "full table", 1);

	/* The library's own view of what it wrote. */
	if (CHECK_RC(t, ipvs_list_dests(t->h, &ksh, &ds, &n, &t->err), 0)) {
		struct ipvs_dest w = dest_of("192.0.2.23", 81, IPVS_FWD_TUNNEL, 1);
		const struct ipvs_dest *g = find_dest(ds, n, &w);

		check(t, n == 5, "%zu real servers on the sh service", n);
		check(t, g && g->tun_type == IPVS_TUN_GUE && g->tun_port == 6081 &&
			 g->tun_flags == IPVS_TUN_F_REMCSUM, "GUE tunnel read back");
	}
	free(ds);
	ds = NULL;
	if (CHECK_RC(t, ipvs_list_dests(t->h, &k6, &ds, &n, &t->err), 0))
		check(t, n == 1 && ds[0].af == AF_INET6 && ds[0].u_threshold == 100 &&
			 ds[0].l_threshold == 10 && ds[0].weight == 3,
		      "IPv6 real server read back");
	free(ds);

	/* Edit services in place: scheduler, flags, persistence. */
	s = svc_of(ksh, "rr", 0, 0, 0);
	CHECK_RC(t, ipvs_edit_service(t->h, &s, &t->err), 0);
	s = svc_of(kmh, "mh", IPVS_SVC_F_MH_FALLBACK | IPVS_SVC_F_PERSISTENT, 120, 16);
	CHECK_RC(t, ipvs_edit_service(t->h, &s, &t->err), 0);
	s = svc_of(ksip, "wlc", 0, 0, 0);
	CHECK_RC(t, ipvs_edit_service(t->h, &s, &t->err), 0);
	d = dest_of("192.0.2.21", 81, IPVS_FWD_TUNNEL, 9);
	d.tun_type = IPVS_TUN_IPIP;
	CHECK_RC(t, ipvs_edit_dest(t->h, &ksh, &d, &t->err), 0);
	d = dest_of("192.0.2.24", 81, IPVS_FWD_ROUTE, 0);
	CHECK_RC(t, ipvs_edit_dest(t->h, &ksh, &d, &t->err), 0);
	cross_check(t, "after edits", 1);

	/* An unknown scheduler is ENOENT with a clear message. */
	s = svc_of(key_of(IPPROTO_TCP, "192.0.2.10", 99), "nosuch", 0, 0, 0);
	CHECK_RC(t, ipvs_add_service(t->h, &s, &t->err), -ENOENT);
	check(t, strstr(strbuf_str(&t->err), "no such scheduler") != NULL,
	      "message for an unknown scheduler: %s", strbuf_str(&t->err));
	strbuf_reset(&t->err);

	/* Delete a real server and a service; the rest stays. */
	d = dest_of("192.0.2.22", 81, IPVS_FWD_TUNNEL, 0);
	CHECK_RC(t, ipvs_del_dest(t->h, &ksh, &d, &t->err), 0);
	CHECK_RC(t, ipvs_del_service(t->h, &kfw6, &t->err), 0);
	cross_check(t, "after deletes", 1);

	/* The sync protocol cannot carry mixed families: while such a real
	 * server exists, the kernel refuses to start a daemon. */
	{
		struct ipvs_daemon m = { .state = IPVS_DAEMON_MASTER, .mcast_ifn = "lo" };

		CHECK_RC(t, ipvs_start_daemon(t->h, &m, &t->err), -EINVAL);
		check(t, strstr(strbuf_str(&t->err), "another address family") != NULL,
		      "message for sync with mixed families: %s", strbuf_str(&t->err));
		strbuf_reset(&t->err);
	}
	d = dest_of("2001:db8::30", 81, IPVS_FWD_TUNNEL, 0);
	CHECK_RC(t, ipvs_del_dest(t->h, &ksh, &d, &t->err), 0);
}

/* A table written by ipvsadm is read back right (adopting kernel state). */
static void test_read_foreign(struct t *t)
{
	struct ipvs_service_key k = key_of(IPPROTO_TCP, "192.0.2.30", 80);
	struct ipvs_service got;

	puts("read what ipvsadm wrote");
	sh(t, "ipvsadm -A -t 192.0.2.30:80 -s lblcr -p 77 -M 255.255.0.0 && "
	      "ipvsadm -a -t 192.0.2.30:80 -r 192.0.2.31:8080 -m -w 5 -x 20 -y 2");
	if (CHECK_RC(t, ipvs_get_service(t->h, &k, &got, &t->err), 0))
		check(t, !strcmp(got.sched_name, "lblcr") && got.timeout == 77 &&
			 got.prefix == 16 && (got.flags & IPVS_SVC_F_PERSISTENT),
		      "lblcr/77/16 read back as %s/%u/%u", got.sched_name,
		      got.timeout, got.prefix);
	cross_check(t, "with ipvsadm's service", 1);
	CHECK_RC(t, ipvs_del_service(t->h, &k, &t->err), 0);
}

/* Timeouts: read, set all, set one (zeros leave the others). */
static void test_timeouts(struct t *t)
{
	struct ipvs_timeouts orig, tm = { 100, 20, 30 }, one = { 200, 0, 0 };
	char want[128];

	puts("timeouts");
	if (!CHECK_RC(t, ipvs_get_timeouts(t->h, &orig, &t->err), 0))
		return;
	snprintf(want, sizeof(want), "Timeout (tcp tcpfin udp): %u %u %u\n",
		 orig.tcp, orig.tcp_fin, orig.udp);
	expect_output(t, "ipvsadm -L --timeout", want);
	CHECK_RC(t, ipvs_set_timeouts(t->h, &tm, &t->err), 0);
	expect_output(t, "ipvsadm -L --timeout", "Timeout (tcp tcpfin udp): 100 20 30\n");
	CHECK_RC(t, ipvs_set_timeouts(t->h, &one, &t->err), 0);
	expect_output(t, "ipvsadm -L --timeout", "Timeout (tcp tcpfin udp): 200 20 30\n");
	if (CHECK_RC(t, ipvs_get_timeouts(t->h, &tm, &t->err), 0))
		check(t, tm.tcp == 200 && tm.tcp_fin == 20 && tm.udp == 30,
		      "timeouts read back %u %u %u", tm.tcp, tm.tcp_fin, tm.udp);
	CHECK_RC(t, ipvs_set_timeouts(t->h, &orig, &t->err), 0);
}

/* Formats a daemon as ipvsadm -L --daemon does. */
static void daemon_line(struct strbuf *sb, const struct ipvs_daemon *d)
{
	char g[INET6_ADDRSTRLEN];

	inet_ntop(d->mcast_af ? d->mcast_af : AF_INET, d->mcast_group.raw, g, sizeof(g));
	strbuf_printf(sb, "%s sync daemon (mcast=%s, syncid=%u, maxlen=%u, group=%s, "
		      "port=%u, ttl=%u)\n",
		      d->state == IPVS_DAEMON_MASTER ? "master" : "backup",
		      d->mcast_ifn, d->syncid, d->sync_maxlen, g, d->mcast_port,
		      d->mcast_ttl);
}

/* Sync daemons: master with defaults, backup with every parameter. */
static void test_daemons(struct t *t)
{
	struct ipvs_daemon m, b, got[2];
	struct strbuf want = STRBUF_INIT;
	size_t n = 0, i;

	puts("sync daemons");
	memset(&m, 0, sizeof(m));
	m.state = IPVS_DAEMON_MASTER;
	snprintf(m.mcast_ifn, sizeof(m.mcast_ifn), "lo");
	m.syncid = 5;
	memset(&b, 0, sizeof(b));
	b.state = IPVS_DAEMON_BACKUP;
	snprintf(b.mcast_ifn, sizeof(b.mcast_ifn), "lo");
	b.syncid = 6;
	b.sync_maxlen = 1400;
	b.mcast_port = 8999;
	b.mcast_ttl = 3;
	b.mcast_af = AF_INET;
	inet_pton(AF_INET, "224.0.0.99", b.mcast_group.raw);
	CHECK_RC(t, ipvs_start_daemon(t->h, &m, &t->err), 0);
	CHECK_RC(t, ipvs_start_daemon(t->h, &b, &t->err), 0);
	CHECK_RC(t, ipvs_start_daemon(t->h, &m, &t->err), -EEXIST);
	strbuf_reset(&t->err);
	if (CHECK_RC(t, ipvs_list_daemons(t->h, got, &n, &t->err), 0)) {
		check(t, n == 2, "%zu daemons", n);
		for (i = 0; i < n; i++)
			daemon_line(&want, &got[i]);
		expect_output(t, "ipvsadm -L --daemon", strbuf_str(&want));
		for (i = 0; i < n; i++)
			if (got[i].state == IPVS_DAEMON_BACKUP)
				check(t, got[i].syncid == 6 && got[i].sync_maxlen == 1400 &&
					 got[i].mcast_port == 8999 && got[i].mcast_ttl == 3,
				      "backup daemon read back");
	}
	CHECK_RC(t, ipvs_stop_daemon(t->h, IPVS_DAEMON_MASTER, &t->err), 0);
	CHECK_RC(t, ipvs_stop_daemon(t->h, IPVS_DAEMON_BACKUP, &t->err), 0);
	expect_output(t, "ipvsadm -L --daemon", "");
	if (CHECK_RC(t, ipvs_list_daemons(t->h, got, &n, &t->err), 0))
		check(t, n == 0, "%zu daemons after stop", n);

	/* A backup listening on an IPv6 group. */
	b.mcast_af = AF_INET6;
	memset(&b.mcast_group, 0, sizeof(b.mcast_group));
	inet_pton(AF_INET6, "ff02::1:99", b.mcast_group.raw);
	CHECK_RC(t, ipvs_start_daemon(t->h, &b, &t->err), 0);
	strbuf_reset(&want);
	if (CHECK_RC(t, ipvs_list_daemons(t->h, got, &n, &t->err), 0) &&
	    check(t, n == 1 && got[0].mcast_af == AF_INET6 &&
		     !memcmp(got[0].mcast_group.raw, b.mcast_group.raw, 16),
		  "IPv6 group read back")) {
		daemon_line(&want, &got[0]);
		expect_output(t, "ipvsadm -L --daemon", strbuf_str(&want));
	}
	CHECK_RC(t, ipvs_stop_daemon(t->h, IPVS_DAEMON_BACKUP, &t->err), 0);
	strbuf_free(&want);
}

/* Many services: dumps span many messages, and the one socket is fast.
 * Also times programming and listing (TCG: slow, but relative). */
static void test_bulk(struct t *t)
{
	enum { NSVC = 1000 };
	struct ipvs_service *svcs = NULL;
	struct ipvs_dest d;
	struct timespec t0, t1, t2;
	struct strbuf out = STRBUF_INIT;
	size_t n = 0;
	int i, bad = 0;

	puts("bulk");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NSVC && !bad; i++) {
		char a[32];
		struct ipvs_service_key k;
		struct ipvs_service s;

		snprintf(a, sizeof(a), "198.18.%d.%d", i / 250, i % 250 + 1);
		k = key_of(IPPROTO_TCP, a, 80);
		s = svc_of(k, "wrr", 0, 0, 0);
		bad |= ipvs_add_service(t->h, &s, &t->err) != 0;
		d = dest_of("198.19.0.1", 80, IPVS_FWD_MASQ, i % 7);
		bad |= ipvs_add_dest(t->h, &k, &d, &t->err) != 0;
		d = dest_of("198.19.0.2", 80, IPVS_FWD_MASQ, 1);
		bad |= ipvs_add_dest(t->h, &k, &d, &t->err) != 0;
	}
	check(t, !bad, "bulk programming stopped at service %d", i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (CHECK_RC(t, ipvs_list_services(t->h, &svcs, &n, &t->err), 0))
		check(t, n >= NSVC, "listed %zu services", n);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	free(svcs);
	printf("  %d services x 2 real servers programmed in %.2f s, listed in %.3f s\n",
	       NSVC, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)(t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9);
	capture("ipvsadm -Ln | grep -c '^TCP  198\\.18\\.'", &out);
	check(t, atoi(strbuf_str(&out)) == NSVC, "ipvsadm lists %s bulk services",
	      strbuf_str(&out));
	cross_check(t, "bulk", 0);
	strbuf_free(&out);
}

/* Batches: 1,000 services x 2 real servers through ipvs_batch (several
 * sends, since a batch holds at most IPVS_BATCH_OPS requests), with two
 * requests the kernel refuses in the middle: each refusal names its
 * object and its cause, and every request around them is applied. */
static void test_batch(struct t *t)
{
	enum { NSVC = 1000, BAD_SCHED = 400, BAD_DEST = 700 };
	struct ipvs_batch *b = ipvs_batch_new(t->h);
	struct strbuf out = STRBUF_INIT, errs = STRBUF_INIT;
	struct timespec t0, t1;
	size_t sent = 0, failed = 0, sends = 0;

	puts("batch");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i <= NSVC; i++) {
		char a[32];
		struct ipvs_service_key k;
		struct ipvs_service s;
		struct ipvs_dest d;

		/* room for a service and its two real servers, or send */
		if (i == NSVC || ipvs_batch_count(b) + 4 > IPVS_BATCH_OPS ||
		    !ipvs_batch_room(b)) {
			failed += ipvs_batch_send(b);
			for (size_t j = 0; j < ipvs_batch_count(b); j++)
				ipvs_batch_result(b, j, &errs);
			sent += ipvs_batch_count(b);
			sends++;
			ipvs_batch_reset(b);
		}
		if (i == NSVC)
			break;
		snprintf(a, sizeof(a), "198.20.%d.%d", i / 250, i % 250 + 1);
		k = key_of(IPPROTO_TCP, a, 80);
		s = svc_of(k, i == BAD_SCHED ? "nosuch" : "wrr", 0, 0, 0);
		ipvs_batch_add_service(b, &s);
		if (i == BAD_DEST) {
			/* a real server of a service that does not exist */
			struct ipvs_service_key none = key_of(IPPROTO_TCP, "198.21.0.1", 80);

			d = dest_of("198.19.0.9", 80, IPVS_FWD_MASQ, 1);
			ipvs_batch_add_dest(b, &none, &d);
		}
		d = dest_of("198.19.0.1", 80, IPVS_FWD_MASQ, i % 7);
		ipvs_batch_add_dest(b, &k, &d);
		d = dest_of("198.19.0.2", 80, IPVS_FWD_ROUTE, 1);
		ipvs_batch_add_dest(b, &k, &d);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("  %zu requests in %zu sends, %.2f s\n", sent, sends,
	       (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	check(t, sends > 3, "several sends (%zu)", sends);
	check(t, sent == NSVC * 3 + 1, "requests sent: %zu", sent);
	/* the bad scheduler's service and its 2 real servers, the stray */
	check(t, failed == 4, "failed requests: %zu", failed);
	check(t, strstr(strbuf_str(&errs), "ipvs: add service TCP 198.20.1.151:80: "
			"no such scheduler or persistence engine\n") != NULL,
	      "the refused service is named: %s", strbuf_str(&errs));
	check(t, strstr(strbuf_str(&errs), "ipvs: add real server 198.19.0.9:80 of "
			"TCP 198.21.0.1:80: no such service\n") != NULL,
	      "the refused real server is named: %s", strbuf_str(&errs));
	capture("ipvsadm -Ln | grep -c '^TCP  198\\.20\\.'", &out);
	check(t, atoi(strbuf_str(&out)) == NSVC - 1, "ipvsadm lists %s batched services",
	      strbuf_str(&out));
	strbuf_reset(&out);
	capture("ipvsadm -Ln -t 198.20.2.201:80 | grep -c -- '->.*198\\.19\\.0\\.[12]:80'",
		&out);
	check(t, atoi(strbuf_str(&out)) == 2,
	      "the service after the stray real server has its 2 (%s)", strbuf_str(&out));
	cross_check(t, "batch", 0);
	ipvs_batch_free(b);
	strbuf_free(&errs);
	strbuf_free(&out);
}

int main(void)
{
	struct t t = { NULL, 0, 0, STRBUF_INIT };
	struct ipvs_info info;
	int rc, fl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!getenv("SOFTLB_VM") || strcmp(getenv("SOFTLB_VM"), "1") != 0) {
		puts("SKIP: ipvs_test reprograms the kernel's IPVS table; it runs only "
		     "inside the VM (tests/vm/ipvs.sh)");
		return 77;
	}

	/* Before ip_vs is loaded, opening says so distinctly. Resolving the
	 * family makes the kernel try to autoload ip_vs (genl family alias),
	 * so its modprobe helper is swapped for /bin/true meanwhile. */
	if (system("test ! -d /sys/module/ip_vs && m=$(cat /proc/sys/kernel/modprobe) && "
		   "echo /bin/true > /proc/sys/kernel/modprobe && "
		   "echo \"$m\" > /run/softlb-modprobe") == 0) {
		rc = ipvs_open(&t.h, &t.err);
		check(&t, rc == -ENOENT && !strcmp(strbuf_str(&t.err),
			"IPVS unavailable: load the ip_vs module\n"),
		      "ipvs_open without ip_vs: %d", rc);
		if (rc == 0)
			ipvs_close(t.h);
		t.h = NULL;
		sh(&t, "cat /run/softlb-modprobe > /proc/sys/kernel/modprobe");
	} else {
		puts("  note: ip_vs already loaded; the ENOENT path is not exercised");
	}
	strbuf_reset(&t.err);
	if (system("modprobe ip_vs") != 0) {
		puts("FAIL: modprobe ip_vs");
		return 1;
	}
	if (!CHECK_RC(&t, ipvs_open(&t.h, &t.err), 0))
		return 1;
	fl = fcntl(ipvs_fd(t.h), F_GETFD);
	check(&t, fl >= 0 && (fl & FD_CLOEXEC), "netlink socket is close-on-exec");
	if (CHECK_RC(&t, ipvs_get_info(t.h, &info, &t.err), 0))
		printf("IPVS %u.%u.%u, connection table %u\n", info.version >> 16,
		       (info.version >> 8) & 0xff, info.version & 0xff,
		       info.conn_tab_size);
	CHECK_RC(&t, ipvs_flush(t.h, &t.err), 0);

	test_seed(&t);
	test_edit_keeps_counters(&t);
	test_schedulers(&t);
	test_table(&t);
	test_read_foreign(&t);
	test_timeouts(&t);
	test_daemons(&t);
	test_bulk(&t);
	test_batch(&t);
	CHECK_RC(&t, ipvs_flush(t.h, &t.err), 0);
	expect_output(&t, "ipvsadm -S -n", "");

	ipvs_close(t.h);
	strbuf_free(&t.err);
	printf("%s: %d checks, %d failed\n", t.failures ? "FAIL" : "PASS",
	       t.checks, t.failures);
	return t.failures ? 1 : 0;
}
