/* The unit test runner: every suite in suites.h, one SRunner. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(proto_suite());
	int failed;

	srunner_add_suite(sr, grammar_suite());
	srunner_add_suite(sr, loop_suite());
	srunner_add_suite(sr, vrrp_pkt_suite());
	srunner_add_suite(sr, http_reply_suite());
	srunner_add_suite(sr, script_suite());
	srunner_add_suite(sr, client_suite());
	srunner_add_suite(sr, sock_reuse_suite());
	srunner_add_suite(sr, events_suite());
	srunner_add_suite(sr, vrrp_pacer_suite());
	srunner_add_suite(sr, px_h1_suite());
	srunner_add_suite(sr, metrics_suite());
	srunner_add_suite(sr, px_stat_suite());
	srunner_add_suite(sr, px_svc_suite());
	srunner_add_suite(sr, hindex_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
