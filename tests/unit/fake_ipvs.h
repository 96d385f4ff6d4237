/* fake_ipvs: an in-memory IPVS behind backend/lvs/ipvs.h, for unit tests
 * of the LVS engine without the VM (tests/unit/check_lvs links it instead
 * of ipvs.c and ipvs_batch.c).
 *
 * One table per process, as the kernel has one per network namespace:
 * every handle ipvs_open() returns sees it. It answers as the kernel does
 * where the engine can tell (-EEXIST for an add of what is there, -ESRCH
 * for a service that is not, -ENOENT for a real server that is not, or
 * for a scheduler it was told to refuse), and counts every request by
 * type, so that a test can say exactly what a change cost. Tests run in
 * one thread; nothing here is locked.
 */
#ifndef SOFTLB_TESTS_FAKE_IPVS_H
#define SOFTLB_TESTS_FAKE_IPVS_H

#include <stdbool.h>
#include <stddef.h>

#include "lvs/ipvs-t.h"

enum fake_ipvs_op {
	FAKE_INFO = 0,
	FAKE_LIST_SERVICES,	/* a dump of every service */
	FAKE_GET_SERVICE,
	FAKE_LIST_DESTS,	/* a dump of one service's real servers */
	FAKE_ADD_SERVICE,
	FAKE_EDIT_SERVICE,
	FAKE_DEL_SERVICE,
	FAKE_ADD_DEST,
	FAKE_EDIT_DEST,
	FAKE_DEL_DEST,
	FAKE_TIMEOUTS,		/* get or set */
	FAKE_DAEMON,		/* start, stop or list */
	FAKE_OTHER,		/* zero, flush */
	FAKE_OPS
};

/* Empties the table, zeroes the counters, forgets refusals. */
void fake_ipvs_reset(void);
/* ipvs_open() fails with -ENOENT (no IPVS in the kernel) while set. */
void fake_ipvs_set_unavailable(bool unavailable);
/* Adds and edits of services with this scheduler fail with -ENOENT, as
 * the kernel's do for a scheduler module it lacks (NULL: none). */
void fake_ipvs_refuse_scheduler(const char *name);

/* Requests of one type, or of all, since the last reset or clear. */
unsigned long fake_ipvs_count(enum fake_ipvs_op op);
unsigned long fake_ipvs_total(void);
/* Requests that named a service other than the one watched (dumps of
 * every service count too): 0 means every request was for that one. */
unsigned long fake_ipvs_count_others(void);
void fake_ipvs_watch(const struct ipvs_service_key *key);
void fake_ipvs_clear_counts(void);

/* The table, as a test reads or changes it behind the engine's back (as
 * ipvsadm would). */
size_t fake_ipvs_n_services(void);
const struct ipvs_service *fake_ipvs_service(const struct ipvs_service_key *key);
size_t fake_ipvs_n_dests(const struct ipvs_service_key *key);
/* The real server of that service with d's address and port, or NULL. */
struct ipvs_dest *fake_ipvs_dest(const struct ipvs_service_key *key, const struct ipvs_dest *d);
const struct ipvs_timeouts *fake_ipvs_timeouts(void);
int fake_ipvs_put_service(const struct ipvs_service *svc);
int fake_ipvs_put_dest(const struct ipvs_service_key *key, const struct ipvs_dest *d);

#endif
