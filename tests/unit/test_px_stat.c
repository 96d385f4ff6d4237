/* Unit tests for HAProxy's CSV (proxy/px_stat.c) and the stats page
 * (proxy/px_page.c) over a snapshot built by hand: quoting, the field
 * count, the rows' order, Basic auth (every near miss refused), HTML
 * escaping, ;csv and ;up. The page against real clients and haproxy
 * 2.6 is tests/integration/proxy_stats.sh. */
#include "config.h"

#include "proxy/proxy_int.h"
#include "proxy/px_page.h"
#include "proxy/px_stat.h"
#include "proxy/px_svc.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "suites.h"

static size_t commas(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += s[i] == ',';
	return c;
}

START_TEST(test_csv_quoting)
{
	struct px_stat_row r;
	struct strbuf out = STRBUF_INIT;

	px_stat_clear(&r);
	px_stat_sets(&r, PX_F_PXNAME, "a,b");
	px_stat_sets(&r, PX_F_SVNAME, "q\"x");
	px_stat_sets(&r, PX_F_LAST_CHK, "Connection refused");
	px_stat_setu(&r, PX_F_SCUR, 7);
	px_stat_csv_row(&r, &out);
	ck_assert_msg(strncmp(out.data, "\"a,b\",\"q\"\"x\",,,7,", 16) == 0, "%s", out.data);
	/* 128 fields and a trailing comma: 128 commas outside the quotes. */
	ck_assert_uint_eq(commas(out.data, out.len), 128 + 1);
	ck_assert(strstr(out.data, ",Connection refused,") != NULL);
	ck_assert(strstr(out.data, ",-,") != NULL);	/* the "-" column */
	ck_assert_int_eq(out.data[out.len - 2], ',');
	ck_assert_int_eq(out.data[out.len - 1], '\n');
	strbuf_reset(&out);
	px_stat_csv_header(&out);
	ck_assert(strncmp(out.data, "# pxname,svname,qcur,", 21) == 0);
	ck_assert_uint_eq(commas(out.data, out.len), 128);
	ck_assert(strstr(out.data, ",agg_check_status,-,ssl_sess,") != NULL);
	ck_assert(strstr(out.data, ",h1_spliced_bytes_out,\n") != NULL);
	strbuf_free(&out);
}
END_TEST

/* A snapshot of one listen "web" (mode http, a page with auth) and two
 * servers, the second named to break HTML, and in MAINT. */
struct fixture {
	struct px_snapshot snap;
	struct px_proxy px;
	struct px_server srv[2];
	struct px_stats st[3];
	struct px_page pg;
	char *auth[1];
};

static void stats_init(struct px_stats *st, const char *key)
{
	memset(st, 0, sizeof(*st));
	st->key = (char *)key;
	st->n_slots = 1;
	st->slots = aligned_alloc(64, sizeof(struct px_ctr));
	ck_assert_ptr_nonnull(st->slots);
	memset(st->slots, 0, sizeof(struct px_ctr));
}

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 3; i++)
		stats_init(&f->st[i], "x");
	atomic_store(&f->st[1].slots[0].total, 5);
	f->srv[0].name = (char *)"s1";
	f->srv[0].weight = f->srv[0].iweight = 10;
	f->srv[0].sid = 1;
	f->srv[0].st = &f->st[1];
	f->srv[1].name = (char *)"<b>x</b>&";
	f->srv[1].weight = 20;
	f->srv[1].sid = 2;
	f->srv[1].state = PX_SRV_MAINT;
	f->srv[1].st = &f->st[2];
	f->px.name = (char *)"web";
	f->px.kind = CFG_PROXY_LISTEN;
	f->px.mode = CFG_MODE_HTTP;
	f->px.balance = CFG_BALANCE_ROUNDROBIN;
	f->px.srv = f->srv;
	f->px.n_srv = 2;
	f->px.st = &f->st[0];
	f->px.iid = 1;
	f->px.page = &f->pg;
	f->auth[0] = (char *)"admin:s3cret";
	f->pg.uri = (char *)"/st";
	f->pg.realm = (char *)"R \"q\"";
	f->pg.auth = f->auth;
	f->pg.n_auth = 1;
	f->pg.refresh_s = 3;
	f->snap.proxies = &f->px;
	f->snap.n_proxies = 1;
	f->snap.iid0 = 1;
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < 3; i++)
		free(f->st[i].slots);
}

/* The page's answer to a request head (without its final CRLF CRLF). */
static char *answer(struct fixture *f, const char *head)
{
	struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;
	static struct px_h1_msg m;

	strbuf_printf(&req, "%s\r\nHost: lb\r\n\r\n", head);
	ck_assert_int_eq(px_h1_request(req.data, req.len, 8192, NULL, &m), PX_H1_DONE);
	if (!px_page_match(f->px.page, req.data, &m)) {
		strbuf_free(&req);
		return NULL;
	}
	px_page_answer(&f->snap, &f->px, req.data, &m, false, &out);
	strbuf_free(&req);
	return strbuf_detach(&out);
}

static void expect_status(struct fixture *f, const char *head, const char *status)
{
	char *a = answer(f, head);

	ck_assert_ptr_nonnull(a);
	ck_assert_msg(strncmp(a, status, strlen(status)) == 0, "%s: got %.40s", head, a);
	free(a);
}

START_TEST(test_page_auth)
{
	struct fixture f;
	char *a;

	fixture_init(&f);
	ck_assert_ptr_null(answer(&f, "GET /other HTTP/1.1"));
	ck_assert_ptr_nonnull((a = answer(&f, "GET /st HTTP/1.1")));
	ck_assert(strncmp(a, "HTTP/1.1 401 ", 13) == 0);
	/* A '"' in the realm cannot end the quoted string early. */
	ck_assert_msg(strstr(a, "WWW-Authenticate: Basic realm=\"R 'q'\"\r\n") != NULL, "%s", a);
	free(a);
	/* admin:s3cret = YWRtaW46czNjcmV0 */
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmV0",
		      "HTTP/1.1 200 OK");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: basic   YWRtaW46czNjcmV0",
		      "HTTP/1.1 200 OK");
	/* admin:s3cre, admin:s3cretX, admin:s3creT, admin, empty */
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmU=",
		      "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmV0WA==",
		      "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRtaW46czNjcmVU",
		      "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRtaW4=", "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic", "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Bearer YWRtaW46czNjcmV0",
		      "HTTP/1.1 401");
	expect_status(&f, "GET /st HTTP/1.1\r\nAuthorization: Basic YWRt=aW46czNjcmV0",
		      "HTTP/1.1 401");
	expect_status(&f, "POST /st HTTP/1.1\r\nContent-Length: 0", "HTTP/1.1 405");
	fixture_free(&f);
}
END_TEST

START_TEST(test_page_content)
{
	struct fixture f;
	char *a;

	fixture_init(&f);
	f.pg.n_auth = 0;
	a = answer(&f, "GET /st HTTP/1.1");
	ck_assert(strncmp(a, "HTTP/1.1 200 OK\r\n", 17) == 0);
	ck_assert(strstr(a, "\r\nRefresh: 3\r\n") != NULL);
	ck_assert(strstr(a, "&lt;b&gt;x&lt;/b&gt;&amp;") != NULL);
	ck_assert(strstr(a, "<b>x") == NULL);
	ck_assert(strstr(a, "class=\"maintain\"") != NULL);
	free(a);
	a = answer(&f, "GET /st;norefresh HTTP/1.1");
	ck_assert(strstr(a, "Refresh:") == NULL);
	free(a);
	a = answer(&f, "HEAD /st HTTP/1.1");
	ck_assert(strstr(a, "\r\n\r\n")[4] == '\0');	/* no body */
	free(a);
	a = answer(&f, "GET /st;csv HTTP/1.1");
	ck_assert(strstr(a, "Content-Type: text/plain") != NULL);
	ck_assert(strstr(a, "\r\n\r\n# pxname,svname,") != NULL);
	ck_assert(strstr(a, "\nweb,FRONTEND,") != NULL);
	ck_assert(strstr(a, "\nweb,s1,0,0,0,0,,5,") != NULL);	/* stot from the counters */
	ck_assert(strstr(a, "\nweb,<b>x</b>&,") != NULL);	/* CSV is not HTML */
	ck_assert(strstr(a, "\nweb,BACKEND,") != NULL);
	ck_assert(strstr(a, "\nweb,FRONTEND,") < strstr(a, "\nweb,s1,"));
	ck_assert(strstr(a, "\nweb,s1,") < strstr(a, "\nweb,BACKEND,"));
	ck_assert(strstr(a, "127.0.0.1") == NULL);	/* no addr without show-legends */
	free(a);
	a = answer(&f, "GET /st;csv;up HTTP/1.1");
	ck_assert(strstr(a, "\nweb,<b>x</b>&,") == NULL);	/* MAINT hidden */
	ck_assert(strstr(a, "\nweb,s1,") != NULL);
	free(a);
	fixture_free(&f);
}
END_TEST

/* The admin form's decoder (px_page_form): fields, repeated s=, '+' and
 * %XX; a bad escape or a control character is a 400 naming the byte. */
static const struct {
	const char *body;
	const char *b, *action, *s0, *s1;	/* NULL: absent; "!" : 400 */
} forms[] = {
	{ "s=a1&s=a2&action=drain&b=app", "app", "drain", "a1", "a2" },
	{ "b=%23" "3&action=maint&s=w+1", "#3", "maint", "w 1", NULL },
	{ "s=%41%62&x=1&b=app&action=ready&", "app", "ready", "Ab", NULL },
	{ "&&&=&==", NULL, NULL, NULL, NULL },
	{ "", NULL, NULL, NULL, NULL },
	{ "s", NULL, NULL, "", NULL },
	{ "s=a%zz", "!", NULL, NULL, NULL },
	{ "s=a%4", "!", NULL, NULL, NULL },
	{ "s=a%", "!", NULL, NULL, NULL },
	{ "s=a%00b", "!", NULL, NULL, NULL },
	{ "s=a%0d%0ab", "!", NULL, NULL, NULL },
};

START_TEST(test_page_form)
{
	struct px_svc_msg *m = px_svc_msg_new(PX_SVC_STATS_ADMIN);
	struct strbuf out = STRBUF_INIT;
	int rc = px_page_form(forms[_i].body, strlen(forms[_i].body), m, &out);

	if (forms[_i].b && strcmp(forms[_i].b, "!") == 0) {
		ck_assert_int_eq(rc, -1);
		ck_assert_msg(strncmp(strbuf_str(&out), "HTTP/1.1 400", 12) == 0, "%s", strbuf_str(&out));
		ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "at byte"));
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(out.len, 0);
		if (forms[_i].b)
			ck_assert_str_eq(m->backend, forms[_i].b);
		else
			ck_assert_ptr_null(m->backend);
		if (forms[_i].action)
			ck_assert_str_eq(m->action, forms[_i].action);
		else
			ck_assert_ptr_null(m->action);
		ck_assert_uint_eq(m->servers.len, !forms[_i].s0 ? 0 : !forms[_i].s1 ? 1 : 2);
		if (forms[_i].s0)
			ck_assert_str_eq(m->servers.items[0], forms[_i].s0);
		if (forms[_i].s1)
			ck_assert_str_eq(m->servers.items[1], forms[_i].s1);
	}
	strbuf_free(&out);
	px_svc_msg_free(m);
}
END_TEST

/* A POST: 401 without credentials, DENY when admin is false, IVAL when
 * chunked, EXCD beyond the room, else the body is to be read. */
START_TEST(test_page_post)
{
	struct fixture f;
	struct strbuf req = STRBUF_INIT, out = STRBUF_INIT;
	static struct px_h1_msg m;
	char user[64];

	fixture_init(&f);
	strbuf_puts(&req, "POST /st HTTP/1.1\r\nHost: lb\r\nContent-Length: 20\r\n\r\n");
	ck_assert_int_eq(px_h1_request(req.data, req.len, 8192, NULL, &m), PX_H1_DONE);
	ck_assert_int_eq(px_page_post_start(&f.pg, req.data, &m, true, 100, user, sizeof(user), &out),
			 PX_PAGE_POST_ANSWERED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "401 Unauthorized"));
	strbuf_reset(&req);
	strbuf_reset(&out);
	/* admin:s3cret */
	strbuf_puts(&req, "POST /st HTTP/1.1\r\nHost: lb\r\nAuthorization: Basic YWRtaW46czNjcmV0\r\n"
		    "Content-Length: 20\r\n\r\n");
	ck_assert_int_eq(px_h1_request(req.data, req.len, 8192, NULL, &m), PX_H1_DONE);
	ck_assert_int_eq(px_page_post_start(&f.pg, req.data, &m, false, 100, user, sizeof(user), &out),
			 PX_PAGE_POST_ANSWERED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "303 See Other\r\n"));
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "Location: /st;st=DENY\r\n"));
	strbuf_reset(&out);
	ck_assert_int_eq(px_page_post_start(&f.pg, req.data, &m, true, 19, user, sizeof(user), &out),
			 PX_PAGE_POST_ANSWERED);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&out), "Location: /st;st=EXCD\r\n"));
	strbuf_reset(&out);
	ck_assert_int_eq(px_page_post_start(&f.pg, req.data, &m, true, 20, user, sizeof(user), &out),
			 PX_PAGE_POST_READ);
	ck_assert_str_eq(user, "admin");
	ck_assert_uint_eq(out.len, 0);
	strbuf_free(&req);
	strbuf_free(&out);
	fixture_free(&f);
}
END_TEST

Suite *px_stat_suite(void)
{
	Suite *s = suite_create("px_stat");
	TCase *tc = tcase_create("csv and page");

	tcase_add_test(tc, test_csv_quoting);
	tcase_add_test(tc, test_page_auth);
	tcase_add_test(tc, test_page_content);
	tcase_add_loop_test(tc, test_page_form, 0, sizeof(forms) / sizeof(forms[0]));
	tcase_add_test(tc, test_page_post);
	suite_add_tcase(s, tc);
	return s;
}
