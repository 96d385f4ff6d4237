/* One Check suite per area; check_main.c runs them all. */
#ifndef SOFTLB_TESTS_SUITES_H
#define SOFTLB_TESTS_SUITES_H

#include <check.h>

Suite *proto_suite(void);
Suite *grammar_suite(void);
Suite *loop_suite(void);
Suite *vrrp_pkt_suite(void);
Suite *http_reply_suite(void);
Suite *script_suite(void);
Suite *client_suite(void);
Suite *sock_reuse_suite(void);
Suite *events_suite(void);
Suite *vrrp_pacer_suite(void);
Suite *px_h1_suite(void);
Suite *metrics_suite(void);
Suite *px_stat_suite(void);
Suite *px_svc_suite(void);
Suite *hindex_suite(void);

#endif
