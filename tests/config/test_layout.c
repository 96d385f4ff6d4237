#include "config.h"

#include "config/layout.h"

/* write memory's layout: a config split over include files, cloned and
 * edited, is laid out back over the same files; writing those texts and
 * loading them again gives the same model and the same layout. */

#include "suites.h"
#include "config/edit.h"
#include "config/kad_lex.h"
#include "config/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static char *get(const char *path)
{
	size_t len;

	return cfg_read_file(path, &len);
}

/* A temporary folder, made the current one so paths stay short. */
static char *enter_tmp(void)
{
	char tmpl[] = "/tmp/softlb-layout.XXXXXX";
	char *dir = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(chdir(dir), 0);
	return strdup(dir);
}

static void leave_tmp(char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(chdir("/"), 0);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
}

static const char main_conf[] =
	"! main\n"
	"global_defs {\n    router_id lb1\n}\n\n"
	"include conf.d/*.conf\n\n"
	"virtual_server 192.0.2.10 80 {\n    lvs_sched rr\n}\n";
static const char web_conf[] =
	"virtual_server 192.0.2.20 80 {\n"
	"    real_server 198.51.100.21 80 {\n    }\n}\n"
	"vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 1\n}\n";

START_TEST(layout_round_trip)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct strbuf err = STRBUF_INIT;
	struct config_vs_key key;
	struct config_layout lay;
	struct config *cfg, *work, *again;
	char *dir = enter_tmp(), *text;

	ck_assert_int_eq(mkdir("conf.d", 0755), 0);
	put("keepalived.conf", main_conf);
	put("conf.d/10-web.conf", web_conf);
	cfg = config_load("keepalived.conf", NULL, true, false, &d);
	ck_assert_ptr_nonnull(cfg);

	/* an edit on a clone, as configure mode does it */
	work = config_clone(cfg, &d);
	ck_assert_ptr_nonnull(work);
	ck_assert_int_eq(config_vs_key_addr(&key, "192.0.2.20:80", "tcp", &err), 0);
	ck_assert_int_eq(config_edit_rs_set(work, &key, "198.51.100.22:80", 4,
					    CFG_LB_KIND_UNSET, NULL, &err), 0);
	ck_assert_int_eq(config_vs_key_addr(&key, "192.0.2.99:80", "tcp", &err), 0);
	{
		struct config_vs_change none = CONFIG_VS_CHANGE_NONE;

		ck_assert_int_eq(config_edit_vs_set(work, &key, &none, NULL, &err), 0);
	}
	work = config_edit_finish(work, &err);
	ck_assert_msg(work != NULL, "%s", strbuf_str(&err));

	config_layout_keepalived(work, "keepalived.conf", "! saved\n", &lay);
	ck_assert_ptr_null(lay.flattened);
	ck_assert_int_eq(lay.n_files, 2);
	ck_assert_str_eq(lay.files[0].path, "keepalived.conf");
	ck_assert_str_eq(lay.files[1].path, "conf.d/10-web.conf");
	/* the main file: its objects in their order, the include line
	 * where it was, the new virtual server at the end */
	ck_assert_str_eq(strbuf_str(&lay.files[0].text),
			 "! saved\n"
			 "global_defs {\n    router_id lb1\n}\n\n"
			 "include conf.d/*.conf\n\n"
			 "virtual_server 192.0.2.10 80 {\n    lvs_sched rr\n"
			 "    lvs_method NAT\n    protocol TCP\n}\n\n"
			 "virtual_server 192.0.2.99 80 {\n    lvs_sched wlc\n"
			 "    lvs_method NAT\n    protocol TCP\n}\n\n");
	/* the included file keeps its order (the virtual server before the
	 * instance) and gets the new real server */
	text = strstr(strbuf_str(&lay.files[1].text), "virtual_server 192.0.2.20");
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "real_server 198.51.100.22 80"));
	ck_assert_ptr_nonnull(strstr(text, "vrrp_instance VI_1"));
	ck_assert_ptr_null(strstr(strbuf_str(&lay.files[1].text), "192.0.2.99"));

	for (size_t i = 0; i < lay.n_files; i++)
		put(lay.files[i].path, strbuf_str(&lay.files[i].text));
	again = config_load("keepalived.conf", NULL, true, false, &d);
	ck_assert_ptr_nonnull(again);
	ck_assert(config_equal(again, work));
	ck_assert_str_eq(config_find_vrrp(again, "VI_1")->loc.file,
			 "conf.d/10-web.conf");
	text = get("keepalived.conf");
	ck_assert_str_eq(text, strbuf_str(&lay.files[0].text));
	free(text);

	config_layout_free(&lay);
	config_free(again);
	config_free(work);
	config_free(cfg);
	config_diag_free(&d);
	strbuf_free(&err);
	leave_tmp(dir);
}
END_TEST

/* An include inside a block (the corpus has one) cannot be kept: the
 * layout is one flat file, and says why. */
START_TEST(layout_nested_flattens)
{
	struct config_diag d = CONFIG_DIAG_INIT;
	struct config_layout lay;
	struct strbuf all = STRBUF_INIT;
	struct config *cfg;

	ck_assert_int_eq(chdir(corpus_dir("good")), 0);
	cfg = config_load("include-main.conf", NULL, true, false, &d);
	ck_assert_ptr_nonnull(cfg);
	config_layout_keepalived(cfg, "include-main.conf", NULL, &lay);
	ck_assert_int_eq(lay.n_files, 1);
	ck_assert_ptr_nonnull(lay.flattened);
	ck_assert_msg(strstr(lay.flattened, "include-main.conf:8 includes "
			     "'inc.d/servers.inc' inside a block") != NULL,
		      "%s", lay.flattened);
	config_print_keepalived(cfg, &all);
	ck_assert_str_eq(strbuf_str(&lay.files[0].text), strbuf_str(&all));
	config_layout_free(&lay);
	strbuf_free(&all);
	config_free(cfg);
	config_diag_free(&d);
}
END_TEST

Suite *config_layout_suite(void)
{
	Suite *s = suite_create("config-layout");
	TCase *t = tcase_create("layout");

	tcase_add_test(t, layout_round_trip);
	tcase_add_test(t, layout_nested_flattens);
	suite_add_tcase(s, t);
	return s;
}
