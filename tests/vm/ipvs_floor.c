/* ipvs_floor: the kernel's own floor for tests/bench/lvs_program.sh.
 *
 *   ipvs_floor N
 *
 * Programs the bench's table (N services 10.100.x.y:80 wrr, each with the
 * real servers 192.0.2.1-4:80 DR, weights 1-4) through backend/lvs's
 * batches on one socket, as softlbd does at start but with nothing else
 * around it (no config, no model, no reconcile), then lists it as show
 * lvs does (one dump of services, one dump of real servers per service).
 * What it prints is what any tool must pay for those objects in this
 * kernel, so the bench can tell softlbd's own costs from the kernel's:
 *
 *   floor: 50000 requests in 196 sends 3.210 s (user 0.110 sys 3.080), list 10000 services 1.020 s
 *
 * It writes to the kernel's IPVS table and expects it empty, so it runs
 * only inside the VM (SOFTLB_VM=1), and deletes nothing: the bench
 * reloads the modules after it. Exit: 0, 1 on any refusal, 77 outside
 * the VM.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "lvs/ipvs.h"
#include "util/strbuf.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + tv->tv_usec / 1e6;
}

/* Sends the batch and counts its refusals (each printed once). */
static size_t flush(struct ipvs_batch *b, size_t *sent, size_t *sends, struct strbuf *err)
{
	size_t n = ipvs_batch_count(b), failed;

	if (!n)
		return 0;
	failed = ipvs_batch_send(b);
	for (size_t i = 0; failed && i < n; i++)
		ipvs_batch_result(b, i, err);
	*sent += n;
	(*sends)++;
	ipvs_batch_reset(b);
	return failed;
}

int main(int argc, char **argv)
{
	struct strbuf err = STRBUF_INIT;
	struct ipvs *h;
	struct ipvs_batch *b;
	struct ipvs_service *svcs = NULL;
	struct rusage r0, r1;
	size_t sent = 0, sends = 0, failed = 0, nsvc = 0, ndest = 0;
	double t0, t1, t2;
	long n;

	if (argc != 2 || (n = strtol(argv[1], NULL, 10)) <= 0 || n > 65536 * 4) {
		fputs("usage: ipvs_floor N\n", stderr);
		return 1;
	}
	if (!getenv("SOFTLB_VM") || strcmp(getenv("SOFTLB_VM"), "1") != 0) {
		puts("SKIP: ipvs_floor writes the kernel's IPVS table; it runs only inside the VM");
		return 77;
	}
	if (ipvs_open(&h, &err) < 0) {
		fprintf(stderr, "ipvs_floor: %s", strbuf_str(&err));
		return 1;
	}
	b = ipvs_batch_new(h);
	getrusage(RUSAGE_SELF, &r0);
	t0 = now_s();
	for (long i = 0; i < n; i++) {
		struct ipvs_service s;

		ipvs_service_init(&s, AF_INET);
		s.key.protocol = IPPROTO_TCP;
		s.key.port = 80;
		s.key.addr.raw[0] = 10;
		s.key.addr.raw[1] = (uint8_t)(100 + i / 65536);
		s.key.addr.raw[2] = (uint8_t)(i / 256 % 256);
		s.key.addr.raw[3] = (uint8_t)(i % 256);
		snprintf(s.sched_name, sizeof(s.sched_name), "wrr");
		if (!ipvs_batch_room(b))
			failed += flush(b, &sent, &sends, &err);
		ipvs_batch_add_service(b, &s);
		for (int r = 1; r <= 4; r++) {
			struct ipvs_dest d;

			memset(&d, 0, sizeof(d));
			d.af = AF_INET;
			d.addr.raw[0] = 192;
			d.addr.raw[2] = 2;
			d.addr.raw[3] = (uint8_t)r;
			d.port = 80;
			d.fwd = IPVS_FWD_ROUTE;
			d.weight = r;
			if (!ipvs_batch_room(b))
				failed += flush(b, &sent, &sends, &err);
			ipvs_batch_add_dest(b, &s.key, &d);
		}
	}
	failed += flush(b, &sent, &sends, &err);
	t1 = now_s();
	getrusage(RUSAGE_SELF, &r1);
	/* The listing's floor: what show lvs asks of the kernel. */
	if (ipvs_list_services(h, &svcs, &nsvc, &err) < 0)
		failed++;
	for (size_t i = 0; i < nsvc; i++) {
		struct ipvs_dest *d = NULL;
		size_t nd = 0;

		if (ipvs_list_dests(h, &svcs[i].key, &d, &nd, &err) < 0)
			failed++;
		ndest += nd;
		free(d);
	}
	t2 = now_s();
	printf("floor: %zu requests in %zu sends %.3f s (user %.3f sys %.3f), "
	       "list %zu services %zu real servers %.3f s\n", sent, sends, t1 - t0,
	       tv_s(&r1.ru_utime) - tv_s(&r0.ru_utime), tv_s(&r1.ru_stime) - tv_s(&r0.ru_stime),
	       nsvc, ndest, t2 - t1);
	if (failed)
		fprintf(stderr, "ipvs_floor: %zu refused:\n%s", failed, strbuf_str(&err));
	free(svcs);
	ipvs_batch_free(b);
	ipvs_close(h);
	strbuf_free(&err);
	return failed ? 1 : 0;
}
