/* Unit tests for the command grammar: matching, binding, completion, help,
 * error text and the compiler's refusals. Most tests are rows in a table
 * run with tcase_add_loop_test, against one grammar built from fixture_cmds. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/grammar.h"
#include "suites.h"
#include "util/strbuf.h"
#include "util/strvec.h"

#define V CMD_NODE_VIEW
#define C CMD_NODE_CONFIG
#define R_VIEW CTL_ROLE_VIEW
#define R_OPER CTL_ROLE_OPER
#define R_ADMIN CTL_ROLE_ADMIN
#define SHOW_HELP "Show running system information"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int h_nop(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	return 0;
}

/* Live values for completion. Names other than "instance" come back as
 * "var:<name>", so a test sees exactly which name the grammar passed. */
static void fake_values(struct cmd_ctx *ctx, const char *var, struct strvec *out)
{
	if (strcmp(var, "instance") == 0) {
		strvec_push(out, "VI_2");
		strvec_push(out, "backup");
		strvec_push(out, "VI_1");
		return;
	}
	{
		struct strbuf sb = STRBUF_INIT;

		strbuf_printf(&sb, "var:%s", var);
		strvec_push_owned(out, strbuf_detach(&sb));
	}
}

static const struct cmd_def fixture_cmds[] = {
	{ "show version", SHOW_HELP "\nDaemon version",
	  CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	{ "show running-config [json]", SHOW_HELP "\nCurrent configuration\nJSON output",
	  CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	{ "show ip", SHOW_HELP "\nIP\n", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	{ "show ipvs", SHOW_HELP "\nIPVS", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	{ "show route [<A.B.C.D/M$prefix|X:X::X:X/M$prefix>]",
	  SHOW_HELP "\nRouting table\nIPv4 prefix\nIPv6 prefix",
	  CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	{ "show vrrp [NAME$instance] [json]", SHOW_HELP "\nVRRP status\nInstance name\nJSON output",
	  CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, fake_values },
	{ "ping ADDR", "Send echo\nDestination", CMD_IN_VIEW, CTL_ROLE_VIEW, h_nop, NULL },
	{ "connect ADDR:PORT", "Connect\nDestination", CMD_IN_VIEW, CTL_ROLE_VIEW, h_nop, NULL },
	{ "echo WORD", "Echo\nAny word", CMD_IN_VIEW, CTL_ROLE_VIEW, h_nop, NULL },
	{ "echo hello", "Echo\nGreeting", CMD_IN_VIEW, CTL_ROLE_VIEW, h_nop, NULL },
	{ "clear lvs counters", "Clear\nLVS\nCounters", CMD_IN_VIEW, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "enable real-server NAME", "Enable\nReal server\nServer name",
	  CMD_IN_VIEW, CTL_ROLE_OPER, h_nop, NULL },
	{ "configure terminal", "Configure\nFrom the terminal", CMD_IN_VIEW, CTL_ROLE_OPER, h_nop, NULL },
	{ "exit", "Leave", CMD_IN_CONFIG, CTL_ROLE_VIEW, h_nop, NULL },
	{ "vrrp instance NAME$inst priority (1-255)$prio",
	  "VRRP\nVRRP instance\nInstance name\nPriority\nPriority value",
	  CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, fake_values },
	{ "set offset (-100--10)", "Set\nOffset\nValue", CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "set limit (-5-5)", "Set\nLimit\nValue", CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "neighbor <A.B.C.D$v4|X:X::X:X$v6> [shutdown]",
	  "Neighbor\nIPv4 address\nIPv6 address\nShut it down",
	  CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "description LINE...", "Description\nText", CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "route <add|del> <A.B.C.D/M$p4 [via A.B.C.D$gw4]|X:X::X:X/M$p6 [via X:X::X:X$gw6]>",
	  "Route\nAdd\nDelete\nIPv4 prefix\nVia\nIPv4 gateway\nIPv6 prefix\nVia\nIPv6 gateway",
	  CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
	{ "big (-9223372036854775808-9223372036854775807)", "Big\nNumber",
	  CMD_IN_CONFIG, CTL_ROLE_ADMIN, h_nop, NULL },
};

static struct grammar *g;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	g = grammar_new();
	ck_assert_msg(grammar_add_table(g, fixture_cmds, ARRAY_LEN(fixture_cmds), &err) == 0,
		      "fixture: %s", strbuf_str(&err));
	strbuf_free(&err);
}

static void teardown(void)
{
	grammar_free(g);
	g = NULL;
}

/* "name=value;..." for every bound argument, in order. */
static char *args_str(const struct cmd_args *a)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < cmd_args_count(a); i++)
		strbuf_printf(&sb, "%s%s=%s", i ? ";" : "", cmd_args_name(a, i),
			      cmd_args_value(a, i));
	return strbuf_detach(&sb);
}

/* ---------------------------------------------------------------------- */
/* grammar_match                                                           */

struct match_case {
	const char *line;
	enum cmd_node node;
	enum ctl_role role;
	enum cmd_match_status status;
	size_t err_pos;
	const char *syntax;	/* matched def (OK, DENIED) */
	const char *args;	/* bound arguments (OK) */
	enum ctl_role needed;	/* DENIED */
};

#define OK(l, n, r, syn, args) { l, n, r, CMD_MATCH_OK, 0, syn, args, CTL_ROLE_NONE }
#define FAIL(l, n, r, st, pos) { l, n, r, CMD_MATCH_##st, pos, NULL, NULL, CTL_ROLE_NONE }
#define DENY(l, n, r, syn, need) { l, n, r, CMD_MATCH_DENIED, 0, syn, NULL, need }

#define SV "show version"
#define SV_ARGS "show=show;version=version"
#define VRRP_CMD "vrrp instance NAME$inst priority (1-255)$prio"
#define ROUTE_CMD "route <add|del> <A.B.C.D/M$p4 [via A.B.C.D$gw4]|X:X::X:X/M$p6 [via X:X::X:X$gw6]>"
#define NEIGH_CMD "neighbor <A.B.C.D$v4|X:X::X:X$v6> [shutdown]"

static const struct match_case match_cases[] = {
	/* keywords, abbreviations, ambiguity, unknown, incomplete */
	OK("show version", V, R_VIEW, SV, SV_ARGS),
	OK("sh ver", V, R_VIEW, SV, SV_ARGS),
	OK("  show\tversion  ", V, R_VIEW, SV, SV_ARGS),
	OK("sh run", V, R_VIEW, "show running-config [json]",
	   "show=show;running-config=running-config"),
	OK("sh run j", V, R_VIEW, "show running-config [json]",
	   "show=show;running-config=running-config;json=json"),
	OK("show ip", V, R_VIEW, "show ip", "show=show;ip=ip"),	/* exact beats prefix */
	OK("show ipv", V, R_VIEW, "show ipvs", "show=show;ipvs=ipvs"),
	FAIL("show i", V, R_VIEW, AMBIGUOUS, 5),
	FAIL("show r", V, R_VIEW, AMBIGUOUS, 5),
	FAIL("s", C, R_ADMIN, AMBIGUOUS, 0),
	FAIL("show fooo", V, R_VIEW, UNKNOWN, 5),
	FAIL("show version extra", V, R_VIEW, UNKNOWN, 13),
	FAIL("fooo", V, R_VIEW, UNKNOWN, 0),
	FAIL("show", V, R_VIEW, INCOMPLETE, 4),
	FAIL("show  ", V, R_VIEW, INCOMPLETE, 6),
	/* nodes */
	OK("exit", C, R_VIEW, "exit", "exit=exit"),
	FAIL("exit", V, R_VIEW, UNKNOWN, 0),
	FAIL("configure terminal", C, R_ADMIN, UNKNOWN, 0),
	OK("show version", C, R_VIEW, SV, SV_ARGS),
	/* ranges */
	OK("vrrp instance VI_1 priority 100", C, R_ADMIN, VRRP_CMD,
	   "vrrp=vrrp;instance=instance;inst=VI_1;priority=priority;prio=100"),
	OK("vrrp instance VI_1 priority 1", C, R_ADMIN, VRRP_CMD,
	   "vrrp=vrrp;instance=instance;inst=VI_1;priority=priority;prio=1"),
	OK("vrrp instance VI_1 priority 255", C, R_ADMIN, VRRP_CMD,
	   "vrrp=vrrp;instance=instance;inst=VI_1;priority=priority;prio=255"),
	FAIL("vrrp instance VI_1 priority 0", C, R_ADMIN, UNKNOWN, 28),
	FAIL("vrrp instance VI_1 priority 256", C, R_ADMIN, UNKNOWN, 28),
	FAIL("vrrp instance VI_1 priority -1", C, R_ADMIN, UNKNOWN, 28),
	FAIL("vrrp instance VI_1 priority 1x", C, R_ADMIN, UNKNOWN, 28),
	FAIL("vrrp instance VI_1 priority", C, R_ADMIN, INCOMPLETE, 27),
	OK("set offset -50", C, R_ADMIN, "set offset (-100--10)",
	   "set=set;offset=offset;(-100--10)=-50"),
	OK("set offset -100", C, R_ADMIN, "set offset (-100--10)",
	   "set=set;offset=offset;(-100--10)=-100"),
	OK("set offset -10", C, R_ADMIN, "set offset (-100--10)",
	   "set=set;offset=offset;(-100--10)=-10"),
	FAIL("set offset -9", C, R_ADMIN, UNKNOWN, 11),
	FAIL("set offset -101", C, R_ADMIN, UNKNOWN, 11),
	FAIL("set offset 50", C, R_ADMIN, UNKNOWN, 11),
	OK("set limit -5", C, R_ADMIN, "set limit (-5-5)", "set=set;limit=limit;(-5-5)=-5"),
	OK("set limit 0", C, R_ADMIN, "set limit (-5-5)", "set=set;limit=limit;(-5-5)=0"),
	FAIL("set limit 6", C, R_ADMIN, UNKNOWN, 10),
	FAIL("set limit +1", C, R_ADMIN, UNKNOWN, 10),
	OK("big 9223372036854775807", C, R_ADMIN, "big (-9223372036854775808-9223372036854775807)",
	   "big=big;(-9223372036854775808-9223372036854775807)=9223372036854775807"),
	OK("big -9223372036854775808", C, R_ADMIN, "big (-9223372036854775808-9223372036854775807)",
	   "big=big;(-9223372036854775808-9223372036854775807)=-9223372036854775808"),
	FAIL("big 9223372036854775808", C, R_ADMIN, UNKNOWN, 4),
	/* addresses */
	OK("ping 10.0.0.1", V, R_VIEW, "ping ADDR", "ping=ping;ADDR=10.0.0.1"),
	OK("ping 2001:db8::1", V, R_VIEW, "ping ADDR", "ping=ping;ADDR=2001:db8::1"),
	FAIL("ping 10.0.0.256", V, R_VIEW, UNKNOWN, 5),
	FAIL("ping 10.0.0", V, R_VIEW, UNKNOWN, 5),
	FAIL("ping fe80::1::2", V, R_VIEW, UNKNOWN, 5),
	FAIL("ping host", V, R_VIEW, UNKNOWN, 5),
	OK("connect 10.0.0.1:80", V, R_VIEW, "connect ADDR:PORT",
	   "connect=connect;ADDR:PORT=10.0.0.1:80"),
	OK("connect [2001:db8::1]:443", V, R_VIEW, "connect ADDR:PORT",
	   "connect=connect;ADDR:PORT=[2001:db8::1]:443"),
	OK("connect 10.0.0.1:0", V, R_VIEW, "connect ADDR:PORT",
	   "connect=connect;ADDR:PORT=10.0.0.1:0"),
	OK("connect 10.0.0.1:65535", V, R_VIEW, "connect ADDR:PORT",
	   "connect=connect;ADDR:PORT=10.0.0.1:65535"),
	FAIL("connect 10.0.0.1:65536", V, R_VIEW, UNKNOWN, 8),
	FAIL("connect 10.0.0.1", V, R_VIEW, UNKNOWN, 8),
	FAIL("connect 10.0.0.1:", V, R_VIEW, UNKNOWN, 8),
	FAIL("connect [2001:db8::1]", V, R_VIEW, UNKNOWN, 8),
	FAIL("connect 2001:db8::1:80", V, R_VIEW, UNKNOWN, 8),
	FAIL("connect [10.0.0.1]:80", V, R_VIEW, UNKNOWN, 8),
	OK("show route", V, R_VIEW, "show route [<A.B.C.D/M$prefix|X:X::X:X/M$prefix>]",
	   "show=show;route=route"),
	OK("show route 10.0.0.0/8", V, R_VIEW, "show route [<A.B.C.D/M$prefix|X:X::X:X/M$prefix>]",
	   "show=show;route=route;prefix=10.0.0.0/8"),
	OK("show route 2001:db8::/32", V, R_VIEW,
	   "show route [<A.B.C.D/M$prefix|X:X::X:X/M$prefix>]",
	   "show=show;route=route;prefix=2001:db8::/32"),
	FAIL("show route 10.0.0.0/33", V, R_VIEW, UNKNOWN, 11),
	FAIL("show route 2001:db8::/129", V, R_VIEW, UNKNOWN, 11),
	FAIL("show route 10.0.0.0", V, R_VIEW, UNKNOWN, 11),
	FAIL("show route 10.0.0.0/", V, R_VIEW, UNKNOWN, 11),
	/* optional parts and nested alternatives */
	OK("route add 10.0.0.0/8 via 10.0.0.1", C, R_ADMIN, ROUTE_CMD,
	   "route=route;add=add;p4=10.0.0.0/8;via=via;gw4=10.0.0.1"),
	OK("route del 2001:db8::/32 via 2001:db8::1", C, R_ADMIN, ROUTE_CMD,
	   "route=route;del=del;p6=2001:db8::/32;via=via;gw6=2001:db8::1"),
	OK("route a 10.0.0.0/8", C, R_ADMIN, ROUTE_CMD, "route=route;add=add;p4=10.0.0.0/8"),
	FAIL("route add 10.0.0.0/8 via 2001:db8::1", C, R_ADMIN, UNKNOWN, 25),
	FAIL("route add 2001:db8::/32 via 10.0.0.1", C, R_ADMIN, UNKNOWN, 28),
	FAIL("route add", C, R_ADMIN, INCOMPLETE, 9),
	FAIL("route add 10.0.0.0/8 via", C, R_ADMIN, INCOMPLETE, 24),
	/* $name */
	OK("neighbor 10.1.1.1", C, R_ADMIN, NEIGH_CMD, "neighbor=neighbor;v4=10.1.1.1"),
	OK("neighbor ::1 shutdown", C, R_ADMIN, NEIGH_CMD,
	   "neighbor=neighbor;v6=::1;shutdown=shutdown"),
	OK("nei ::1 s", C, R_ADMIN, NEIGH_CMD, "neighbor=neighbor;v6=::1;shutdown=shutdown"),
	/* LINE... */
	OK("description hello   big  world", C, R_ADMIN, "description LINE...",
	   "description=description;LINE...=hello big world"),
	OK("desc \"a  b\" c", C, R_ADMIN, "description LINE...",
	   "description=description;LINE...=a  b c"),
	OK("description show version", C, R_ADMIN, "description LINE...",
	   "description=description;LINE...=show version"),
	FAIL("description", C, R_ADMIN, INCOMPLETE, 11),
	/* quotes, and keyword versus free word */
	OK("echo \"hello world\"", V, R_VIEW, "echo WORD", "echo=echo;WORD=hello world"),
	OK("echo \"say \\\"hi\\\" \\\\ ok\"", V, R_VIEW, "echo WORD",
	   "echo=echo;WORD=say \"hi\" \\ ok"),
	OK("echo a\"b c\"d", V, R_VIEW, "echo WORD", "echo=echo;WORD=ab cd"),
	OK("echo back\\slash", V, R_VIEW, "echo WORD", "echo=echo;WORD=back\\slash"),
	OK("echo \"\"", V, R_VIEW, "echo WORD", "echo=echo;WORD="),
	OK("echo hex", V, R_VIEW, "echo WORD", "echo=echo;WORD=hex"),
	OK("echo hello", V, R_VIEW, "echo hello", "echo=echo;hello=hello"),
	OK("echo hel", V, R_VIEW, "echo hello", "echo=echo;hello=hello"),
	FAIL("echo \"unterminated", V, R_VIEW, BAD_INPUT, 5),
	FAIL("echo ok \"bad", V, R_VIEW, BAD_INPUT, 8),
	/* control characters and comments */
	FAIL("show\x01version", V, R_VIEW, BAD_INPUT, 4),
	FAIL("show version\x7f", V, R_VIEW, BAD_INPUT, 12),
	FAIL("show version\n", V, R_VIEW, BAD_INPUT, 12),
	FAIL("# comment \x1b[0m", V, R_VIEW, BAD_INPUT, 10),
	FAIL("", V, R_VIEW, EMPTY, 0),
	FAIL("  \t ", V, R_VIEW, EMPTY, 0),
	FAIL("# show version", V, R_VIEW, EMPTY, 0),
	FAIL("  !x y", V, R_VIEW, EMPTY, 0),
	FAIL("\"#x\"", V, R_VIEW, UNKNOWN, 0),
	FAIL("show #", V, R_VIEW, UNKNOWN, 5),
	/* roles */
	DENY("clear lvs counters", V, R_VIEW, "clear lvs counters", R_ADMIN),
	DENY("cl l c", V, R_OPER, "clear lvs counters", R_ADMIN),
	OK("clear lvs counters", V, R_ADMIN, "clear lvs counters",
	   "clear=clear;lvs=lvs;counters=counters"),
	FAIL("clear lvs", V, R_VIEW, UNKNOWN, 0),
	DENY("enable real-server web1", V, R_VIEW, "enable real-server NAME", R_OPER),
	OK("enable real-server web1", V, R_OPER, "enable real-server NAME",
	   "enable=enable;real-server=real-server;NAME=web1"),
	OK("enable real-server web1", V, R_ADMIN, "enable real-server NAME",
	   "enable=enable;real-server=real-server;NAME=web1"),
	DENY("conf t", V, R_VIEW, "configure terminal", R_OPER),
	/* hidden commands neither complete nor confuse a visible prefix */
	FAIL("co", V, R_VIEW, INCOMPLETE, 2),
	FAIL("co", V, R_ADMIN, AMBIGUOUS, 0),
	DENY("vrrp instance x priority 1", C, R_VIEW, VRRP_CMD, R_ADMIN),
};

START_TEST(test_match)
{
	const struct match_case *tc = &match_cases[_i];
	struct cmd_match m;

	grammar_match(g, tc->line, tc->node, tc->role, &m);
	ck_assert_msg(m.status == tc->status, "'%s': status %d, want %d", tc->line,
		      m.status, tc->status);
	ck_assert_msg(m.err_pos == tc->err_pos, "'%s': err_pos %zu, want %zu", tc->line,
		      m.err_pos, tc->err_pos);
	if (tc->syntax) {
		ck_assert_ptr_nonnull(m.def);
		ck_assert_str_eq(m.def->syntax, tc->syntax);
	} else {
		ck_assert_ptr_null(m.def);
	}
	if (tc->status == CMD_MATCH_OK) {
		char *s = args_str(m.args);

		ck_assert_msg(strcmp(s, tc->args) == 0, "'%s': args '%s', want '%s'", tc->line,
			      s, tc->args);
		free(s);
	} else {
		ck_assert_ptr_null(m.args);
	}
	if (tc->status == CMD_MATCH_DENIED)
		ck_assert_int_eq(m.needed_role, tc->needed);
	cmd_match_clear(&m);
	ck_assert_ptr_null(m.args);
	ck_assert_ptr_null(m.def);
}
END_TEST

/* Two commands that both take the whole line: ambiguous at its end. */
START_TEST(test_match_whole_line_ambiguous)
{
	static const struct cmd_def defs[] = {
		{ "test ADDR", "Test\nAddress", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
		{ "test A.B.C.D", "Test\nIPv4 address", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	};
	struct grammar *gg = grammar_new();
	struct cmd_match m;

	ck_assert_int_eq(grammar_add_table(gg, defs, 2, NULL), 0);
	grammar_match(gg, "test 1.2.3.4", V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_AMBIGUOUS);
	ck_assert_uint_eq(m.err_pos, 12);
	ck_assert_ptr_null(m.args);
	cmd_match_clear(&m);
	grammar_match(gg, "test ::1", V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	ck_assert_ptr_eq(m.def, &defs[0]);
	cmd_match_clear(&m);
	grammar_free(gg);
}
END_TEST

START_TEST(test_match_empty_grammar)
{
	struct grammar *gg = grammar_new();
	struct cmd_match m;

	grammar_match(gg, "show version", V, R_ADMIN, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_UNKNOWN);
	ck_assert_uint_eq(m.err_pos, 0);
	cmd_match_clear(&m);
	grammar_free(gg);
}
END_TEST

START_TEST(test_args_api)
{
	struct cmd_match m;

	grammar_match(g, "vrrp instance VI_1 priority 100", C, R_ADMIN, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	ck_assert_uint_eq(cmd_args_count(m.args), 5);
	ck_assert_str_eq(cmd_arg(m.args, "inst"), "VI_1");
	ck_assert_str_eq(cmd_arg(m.args, "priority"), "priority");
	ck_assert(cmd_arg_has(m.args, "vrrp"));
	ck_assert(!cmd_arg_has(m.args, "json"));
	ck_assert_ptr_null(cmd_arg(m.args, "prio2"));
	ck_assert_int_eq(cmd_arg_num(m.args, "prio", -1), 100);
	ck_assert_int_eq(cmd_arg_num(m.args, "missing", 7), 7);
	ck_assert_int_eq(cmd_arg_num(m.args, "inst", 9), 9);	/* not a number */
	ck_assert_str_eq(cmd_args_name(m.args, 4), "prio");
	ck_assert_str_eq(cmd_args_value(m.args, 0), "vrrp");
	ck_assert_ptr_null(cmd_args_name(m.args, 5));
	ck_assert_ptr_null(cmd_args_value(m.args, 5));
	cmd_match_clear(&m);
	ck_assert_ptr_null(m.args);

	grammar_match(g, "set offset -42", C, R_ADMIN, &m);
	ck_assert_int_eq(cmd_arg_num(m.args, "(-100--10)", 0), -42);
	cmd_match_clear(&m);

	ck_assert_ptr_null(cmd_arg(NULL, "x"));
	ck_assert_uint_eq(cmd_args_count(NULL), 0);
	ck_assert_int_eq(cmd_arg_num(NULL, "x", 3), 3);
}
END_TEST

START_TEST(test_role_names)
{
	ck_assert_str_eq(ctl_role_name(CTL_ROLE_VIEW), "view");
	ck_assert_str_eq(ctl_role_name(CTL_ROLE_OPER), "operator");
	ck_assert_str_eq(ctl_role_name(CTL_ROLE_ADMIN), "admin");
	ck_assert_str_eq(ctl_role_name(CTL_ROLE_NONE), "none");
}
END_TEST

/* A 64 KiB line (the largest request) must cost linear time: thousands of
 * words through LINE..., and a line that fails early. */
START_TEST(test_long_line)
{
	struct strbuf line = STRBUF_INIT, want = STRBUF_INIT;
	struct cmd_match m;
	clock_t t0 = clock();

	strbuf_puts(&line, "description");
	while (line.len < 64 * 1024 - 3) {
		strbuf_puts(&line, " ab");
		strbuf_puts(&want, want.len ? " ab" : "ab");
	}
	grammar_match(g, strbuf_str(&line), C, R_ADMIN, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	ck_assert_str_eq(cmd_arg(m.args, "LINE..."), strbuf_str(&want));
	cmd_match_clear(&m);

	memcpy(line.data, "show       ", 11);
	grammar_match(g, strbuf_str(&line), C, R_ADMIN, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_UNKNOWN);
	ck_assert_uint_eq(m.err_pos, 12);
	cmd_match_clear(&m);

	memcpy(line.data, "echo     x", 10);
	for (size_t i = 10; i < line.len; i++)
		line.data[i] = 'x';
	grammar_match(g, strbuf_str(&line), V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	ck_assert_uint_eq(strlen(cmd_arg(m.args, "WORD")), line.len - 9);
	cmd_match_clear(&m);
	ck_assert_msg(clock() - t0 < 2 * CLOCKS_PER_SEC, "64 KiB lines took too long");
	strbuf_free(&line);
	strbuf_free(&want);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* grammar_explain                                                         */

struct explain_case {
	const char *line;
	enum cmd_node node;
	enum ctl_role role;
	const char *want;
};

static const struct explain_case explain_cases[] = {
	{ "show fooo", V, R_VIEW, "% Unknown command\n  show fooo\n       ^\n" },
	{ "show r", V, R_VIEW, "% Ambiguous command\n  show r\n       ^\n" },
	{ "show", V, R_VIEW, "% Incomplete command\n  show\n      ^\n" },
	{ "echo \"abc", V, R_VIEW, "% Invalid input: unterminated quote\n  echo \"abc\n       ^\n" },
	{ "show\x01", V, R_VIEW, "% Invalid input: control character\n  show?\n      ^\n" },
	{ "\tshow fooo", V, R_VIEW, "% Unknown command\n   show fooo\n        ^\n" },
	{ " clear lvs  counters ", V, R_VIEW,
	  "% Permission denied: 'clear lvs  counters' needs role admin\n" },
	{ "enable real-server x", V, R_VIEW,
	  "% Permission denied: 'enable real-server x' needs role operator\n" },
	{ "show version", V, R_VIEW, "" },
	{ "# nothing", V, R_VIEW, "" },
};

START_TEST(test_explain)
{
	const struct explain_case *tc = &explain_cases[_i];
	struct strbuf out = STRBUF_INIT;
	struct cmd_match m;

	grammar_match(g, tc->line, tc->node, tc->role, &m);
	grammar_explain(tc->line, &m, &out);
	ck_assert_str_eq(strbuf_str(&out), tc->want);
	cmd_match_clear(&m);
	strbuf_free(&out);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* grammar_complete                                                        */

struct complete_case {
	const char *line;
	enum cmd_node node;
	enum ctl_role role;
	bool ctx;		/* pass a context, so values callbacks run */
	enum cmd_match_status status;
	const char *want;	/* candidates joined by one space */
};

static const struct complete_case complete_cases[] = {
	{ "", V, R_VIEW, false, CMD_MATCH_OK, "connect echo ping show" },
	{ "  ", V, R_ADMIN, false, CMD_MATCH_OK,
	  "clear configure connect echo enable ping show" },
	{ "", C, R_VIEW, false, CMD_MATCH_OK, "exit show" },
	{ "sh", V, R_VIEW, false, CMD_MATCH_OK, "show" },
	{ "show ", V, R_VIEW, false, CMD_MATCH_OK, "ip ipvs route running-config version vrrp" },
	{ "show r", V, R_VIEW, false, CMD_MATCH_OK, "route running-config" },
	{ "sh run ", V, R_VIEW, false, CMD_MATCH_OK, "json" },
	{ "show vrrp ", V, R_VIEW, false, CMD_MATCH_OK, "json" },
	{ "show vrrp ", V, R_VIEW, true, CMD_MATCH_OK, "VI_1 VI_2 backup json" },
	{ "show vrrp V", V, R_VIEW, true, CMD_MATCH_OK, "VI_1 VI_2" },
	{ "show vrrp \"V", V, R_VIEW, true, CMD_MATCH_OK, "VI_1 VI_2" },
	{ "show vrrp VI_1 ", V, R_VIEW, true, CMD_MATCH_OK, "json" },
	{ "vrrp instance ", C, R_ADMIN, true, CMD_MATCH_OK, "var:inst" },
	{ "vrrp instance x priority ", C, R_ADMIN, true, CMD_MATCH_OK, "var:prio" },
	{ "route add 10.0.0.0/8 ", C, R_ADMIN, false, CMD_MATCH_OK, "via" },
	{ "neighbor ::1 ", C, R_ADMIN, false, CMD_MATCH_OK, "shutdown" },
	{ "echo h", V, R_VIEW, false, CMD_MATCH_OK, "hello" },
	{ "show version ", V, R_VIEW, false, CMD_MATCH_OK, "" },
	{ "cl", V, R_VIEW, false, CMD_MATCH_OK, "" },
	{ "cl", V, R_ADMIN, false, CMD_MATCH_OK, "clear" },
	{ "clear ", V, R_VIEW, false, CMD_MATCH_UNKNOWN, "" },
	{ "show fooo ", V, R_VIEW, false, CMD_MATCH_UNKNOWN, "" },
	{ "show r x", V, R_VIEW, false, CMD_MATCH_AMBIGUOUS, "" },
	{ "# x", V, R_VIEW, false, CMD_MATCH_EMPTY, "" },
	{ "show\x01", V, R_VIEW, false, CMD_MATCH_BAD_INPUT, "" },
};

static char *join(const struct strvec *v, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < v->len; i++)
		strbuf_printf(&sb, "%s%s", i ? sep : "", v->items[i]);
	return strbuf_detach(&sb);
}

START_TEST(test_complete)
{
	const struct complete_case *tc = &complete_cases[_i];
	struct cmd_ctx ctx;
	struct strvec out = STRVEC_INIT;
	enum cmd_match_status st;
	char *got;

	memset(&ctx, 0, sizeof(ctx));
	st = grammar_complete(g, tc->line, tc->node, tc->role, tc->ctx ? &ctx : NULL, &out);
	got = join(&out, " ");
	ck_assert_msg(st == tc->status, "'%s': status %d, want %d", tc->line, st, tc->status);
	ck_assert_msg(strcmp(got, tc->want) == 0, "'%s': got '%s', want '%s'", tc->line, got,
		      tc->want);
	free(got);
	strvec_free(&out);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* grammar_describe                                                        */

struct describe_case {
	const char *line;
	enum cmd_node node;
	enum ctl_role role;
	enum cmd_match_status status;
	size_t err_pos;		/* when status is not OK */
	const char *want;	/* "token|help\n" per entry */
};

#define CR "<cr>|Run the command\n"

static const struct describe_case describe_cases[] = {
	{ "", V, R_VIEW, CMD_MATCH_OK, 0,
	  "connect|Connect\necho|Echo\nping|Send echo\nshow|" SHOW_HELP "\n" },
	{ "", V, R_ADMIN, CMD_MATCH_OK, 0,
	  "clear|Clear\nconfigure|Configure\nconnect|Connect\necho|Echo\nenable|Enable\n"
	  "ping|Send echo\nshow|" SHOW_HELP "\n" },
	{ "show ", V, R_VIEW, CMD_MATCH_OK, 0,
	  "ip|IP\nipvs|IPVS\nroute|Routing table\nrunning-config|Current configuration\n"
	  "version|Daemon version\nvrrp|VRRP status\n" },
	{ "show r", V, R_VIEW, CMD_MATCH_OK, 0,
	  "route|Routing table\nrunning-config|Current configuration\n" },
	{ "show vrrp", V, R_VIEW, CMD_MATCH_OK, 0, "vrrp|VRRP status\n" },
	{ "show version ", V, R_VIEW, CMD_MATCH_OK, 0, CR },
	{ "show running-config ", V, R_VIEW, CMD_MATCH_OK, 0, "json|JSON output\n" CR },
	{ "show vrrp ", V, R_VIEW, CMD_MATCH_OK, 0,
	  "NAME|Instance name\njson|JSON output\n" CR },
	{ "show vrrp VI_1 ", V, R_VIEW, CMD_MATCH_OK, 0, "json|JSON output\n" CR },
	{ "show route ", V, R_VIEW, CMD_MATCH_OK, 0,
	  "A.B.C.D/M|IPv4 prefix\nX:X::X:X/M|IPv6 prefix\n" CR },
	{ "show route 10.", V, R_VIEW, CMD_MATCH_OK, 0, "A.B.C.D/M|IPv4 prefix\n" },
	{ "show route 10.0.0.0/3", V, R_VIEW, CMD_MATCH_OK, 0, "A.B.C.D/M|IPv4 prefix\n" },
	{ "show route 2001:", V, R_VIEW, CMD_MATCH_OK, 0, "X:X::X:X/M|IPv6 prefix\n" },
	{ "show route ::ffff:1.2.3.4/12", V, R_VIEW, CMD_MATCH_OK, 0, "X:X::X:X/M|IPv6 prefix\n" },
	{ "show route 1", V, R_VIEW, CMD_MATCH_OK, 0,
	  "A.B.C.D/M|IPv4 prefix\nX:X::X:X/M|IPv6 prefix\n" },
	{ "show route 10.0.0.0/33", V, R_VIEW, CMD_MATCH_UNKNOWN, 11, "" },
	{ "show route zz", V, R_VIEW, CMD_MATCH_UNKNOWN, 11, "" },
	{ "vrrp instance VI_1 priority ", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "(1-255)|Priority value\n" },
	{ "vrrp instance VI_1 priority 2", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "(1-255)|Priority value\n" },
	{ "vrrp instance VI_1 priority 25", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "(1-255)|Priority value\n" },
	{ "vrrp instance VI_1 priority 26", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "(1-255)|Priority value\n" },
	{ "vrrp instance VI_1 priority 0", C, R_ADMIN, CMD_MATCH_UNKNOWN, 28, "" },
	{ "vrrp instance VI_1 priority 256", C, R_ADMIN, CMD_MATCH_UNKNOWN, 28, "" },
	{ "vrrp instance VI_1 priority -", C, R_ADMIN, CMD_MATCH_UNKNOWN, 28, "" },
	{ "vrrp instance VI_1 priority 100 ", C, R_ADMIN, CMD_MATCH_OK, 0, CR },
	{ "set offset -", C, R_ADMIN, CMD_MATCH_OK, 0, "(-100--10)|Value\n" },
	{ "set offset -1", C, R_ADMIN, CMD_MATCH_OK, 0, "(-100--10)|Value\n" },
	{ "set offset -9", C, R_ADMIN, CMD_MATCH_OK, 0, "(-100--10)|Value\n" },
	{ "set offset 1", C, R_ADMIN, CMD_MATCH_UNKNOWN, 11, "" },
	{ "set offset -101", C, R_ADMIN, CMD_MATCH_UNKNOWN, 11, "" },
	{ "set limit -", C, R_ADMIN, CMD_MATCH_OK, 0, "(-5-5)|Value\n" },
	{ "set limit 6", C, R_ADMIN, CMD_MATCH_UNKNOWN, 10, "" },
	{ "set limit -6", C, R_ADMIN, CMD_MATCH_UNKNOWN, 10, "" },
	{ "big 92233720368547758", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "(-9223372036854775808-9223372036854775807)|Number\n" },
	{ "big 9223372036854775808", C, R_ADMIN, CMD_MATCH_UNKNOWN, 4, "" },
	{ "connect 10.0.0.1:", V, R_VIEW, CMD_MATCH_OK, 0, "ADDR:PORT|Destination\n" },
	{ "connect [fe80::1", V, R_VIEW, CMD_MATCH_OK, 0, "ADDR:PORT|Destination\n" },
	{ "connect [fe80::1]:8", V, R_VIEW, CMD_MATCH_OK, 0, "ADDR:PORT|Destination\n" },
	{ "connect 10.0.0.1:70000", V, R_VIEW, CMD_MATCH_UNKNOWN, 8, "" },
	{ "connect x", V, R_VIEW, CMD_MATCH_UNKNOWN, 8, "" },
	{ "ping 1", V, R_VIEW, CMD_MATCH_OK, 0, "ADDR|Destination\n" },
	{ "ping fe80:", V, R_VIEW, CMD_MATCH_OK, 0, "ADDR|Destination\n" },
	{ "ping 1.2.3.4.5", V, R_VIEW, CMD_MATCH_UNKNOWN, 5, "" },
	{ "echo ", V, R_VIEW, CMD_MATCH_OK, 0, "WORD|Any word\nhello|Greeting\n" },
	{ "echo x", V, R_VIEW, CMD_MATCH_OK, 0, "WORD|Any word\n" },
	{ "description hello ", C, R_ADMIN, CMD_MATCH_OK, 0, "LINE...|Text\n" CR },
	{ "neighbor ", C, R_ADMIN, CMD_MATCH_OK, 0,
	  "A.B.C.D|IPv4 address\nX:X::X:X|IPv6 address\n" },
	{ "show fooo ", V, R_VIEW, CMD_MATCH_UNKNOWN, 5, "" },
	{ "show r x", V, R_VIEW, CMD_MATCH_AMBIGUOUS, 5, "" },
	{ "show x", V, R_VIEW, CMD_MATCH_UNKNOWN, 5, "" },
	{ "cl", V, R_VIEW, CMD_MATCH_UNKNOWN, 0, "" },
	{ "cl", V, R_ADMIN, CMD_MATCH_OK, 0, "clear|Clear\n" },
	{ "# x", V, R_VIEW, CMD_MATCH_EMPTY, 0, "" },
	{ "echo \x02", V, R_VIEW, CMD_MATCH_BAD_INPUT, 5, "" },
};

START_TEST(test_describe)
{
	const struct describe_case *tc = &describe_cases[_i];
	struct strvec tokens = STRVEC_INIT, helps = STRVEC_INIT;
	struct strbuf got = STRBUF_INIT;
	size_t err_pos = 999;
	enum cmd_match_status st;

	st = grammar_describe(g, tc->line, tc->node, tc->role, &tokens, &helps, &err_pos);
	ck_assert_uint_eq(tokens.len, helps.len);
	for (size_t i = 0; i < tokens.len; i++)
		strbuf_printf(&got, "%s|%s\n", tokens.items[i], helps.items[i]);
	ck_assert_msg(st == tc->status, "'%s': status %d, want %d", tc->line, st, tc->status);
	if (st != CMD_MATCH_OK && st != CMD_MATCH_EMPTY)
		ck_assert_msg(err_pos == tc->err_pos, "'%s': err_pos %zu, want %zu", tc->line,
			      err_pos, tc->err_pos);
	ck_assert_msg(strcmp(strbuf_str(&got), tc->want) == 0, "'%s': got\n%swant\n%s",
		      tc->line, strbuf_str(&got), tc->want);
	strbuf_free(&got);
	strvec_free(&tokens);
	strvec_free(&helps);
}
END_TEST

START_TEST(test_describe_null_err_pos)
{
	struct strvec tokens = STRVEC_INIT, helps = STRVEC_INIT;

	ck_assert_int_eq(grammar_describe(g, "show fooo ", V, R_VIEW, &tokens, &helps, NULL),
			 CMD_MATCH_UNKNOWN);
	ck_assert_uint_eq(tokens.len, 0);
	strvec_free(&tokens);
	strvec_free(&helps);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* grammar_add                                                             */

struct bad_syntax_case {
	const char *syntax;
	const char *help;
	const char *reason;	/* must appear in the error */
};

static const struct bad_syntax_case bad_syntax_cases[] = {
	{ "show [json", "a\nb", "'[' at offset 5 is never closed" },
	{ "show <a|b", "a\nb\nc", "'<' at offset 5 is never closed" },
	{ "show json]", "a\nb", "unbalanced ']' at offset 9" },
	{ "show json>", "a\nb", "unbalanced '>'" },
	{ "show <a [b>]", "a\nb\nc", "'[' at offset 8 is closed by '>'" },
	{ "show | x", "a\nb", "'|' at offset 5 is outside" },
	{ "show <a|>", "a\nb", "empty alternative in '<'" },
	{ "show <|a>", "a\nb", "empty alternative in '<'" },
	{ "show <a||b>", "a\nb\nc", "empty alternative" },
	{ "show []", "a", "empty alternative in '['" },
	{ "show (10-1)", "a\nb", "empty range '(10-1)'" },
	{ "show (1-)", "a\nb", "bad range '(1-)'" },
	{ "show (-1)", "a\nb", "bad range" },
	{ "show (a-b)", "a\nb", "bad range" },
	{ "show (1-2", "a\nb", "bad range" },
	{ "show (1-99999999999999999999)", "a\nb", "bad range" },
	{ "show Foo", "a\nb", "bad token 'Foo' at offset 5" },
	{ "show FOO...", "a\nb", "bad token" },
	{ "show foo_bar", "a\nb", "bad token" },
	{ "show -x", "a\nb", "bad token" },
	{ "show WORD$", "a\nb", "bad name" },
	{ "show WORD$a.b", "a\nb", "bad name" },
	{ "show json$x", "a\nb", "keyword 'json' at offset 5 cannot take a $name" },
	{ "", "", "empty syntax" },
	{ "   ", "", "empty syntax" },
	{ "[show]", "a", "match an empty line" },
	{ "[show] [x]", "a\nb", "match an empty line" },
	{ "show LINE... json", "a\nb\nc", "LINE... must be the last token" },
	{ "show [LINE...] json", "a\nb\nc", "LINE... must be the last token" },
	{ "show <LINE...|x> y", "a\nb\nc\nd", "LINE... must be the last token" },
	{ "show version", "Show", "2 tokens but 1 help line" },
	{ "show version", "a\nb\nc", "2 tokens but 3 help lines" },
	{ "show version", NULL, "2 tokens but 0 help lines" },
	{ "show version", "", "2 tokens but 0 help lines" },
	{ "show <a|b>", "a\nb", "3 tokens but 2 help lines" },
	{ "[[[[[[[[[[[[[[[[[a]]]]]]]]]]]]]]]]] b", "a\nb", "nests too deeply" },
	{ NULL, "a", "no syntax" },
};

START_TEST(test_bad_syntax)
{
	const struct bad_syntax_case *tc = &bad_syntax_cases[_i];
	struct cmd_def def = { tc->syntax, tc->help, CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL };
	static const struct cmd_def ok = { "ok", "OK", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL };
	struct grammar *gg = grammar_new();
	struct strbuf err = STRBUF_INIT;
	struct cmd_match m;

	ck_assert_int_eq(grammar_add(gg, &def, &err), -1);
	ck_assert_msg(strstr(strbuf_str(&err), tc->reason) != NULL, "'%s': error '%s' lacks '%s'",
		      tc->syntax, strbuf_str(&err), tc->reason);
	ck_assert_msg(strncmp(strbuf_str(&err), "command '", 9) == 0, "error '%s'",
		      strbuf_str(&err));
	ck_assert_int_eq(grammar_add(gg, &def, NULL), -1);	/* no buffer: still refused */
	/* A refused command leaves nothing behind. */
	ck_assert_int_eq(grammar_add(gg, &ok, &err), 0);
	grammar_match(gg, "o", V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	ck_assert_ptr_eq(m.def, &ok);
	cmd_match_clear(&m);
	strbuf_free(&err);
	grammar_free(gg);
}
END_TEST

struct good_syntax_case {
	const char *syntax;
	const char *help;
	const char *line;	/* a line it must match */
};

static const struct good_syntax_case good_syntax_cases[] = {
	{ "show version", "a\nb\n", "show version" },
	{ "a <b|c> [d|e]", "a\nb\nc\nd\ne", "a c e" },
	{ "a<b|c>[d]", "a\nb\nc\nd", "a b d" },
	{ "x (1-1)", "x\none", "x 1" },
	{ "x (-5--5)", "x\nminus five", "x -5" },
	{ "x LINE...", "x\nline", "x a b" },
	{ "x [LINE...]", "x\nline", "x" },
	{ "x <LINE...|y>", "x\nline\ny", "x z" },
	{ "x WORD$name-1", "x\nword", "x w" },
	{ "x 10g", "x\nten", "x 10" },
	{ "[[[[[[[[[[[[[[[[a]]]]]]]]]]]]]]]] b", "a\nb", "a b" },
	{ "x <[a] b|c>", "x\na\nb\nc", "x b" },
	{ "x\t[ y ]\t", "x\ny", "x" },
	{ "x", "\n", "x" },
};

START_TEST(test_good_syntax)
{
	const struct good_syntax_case *tc = &good_syntax_cases[_i];
	struct cmd_def def = { tc->syntax, tc->help, CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL };
	struct grammar *gg = grammar_new();
	struct strbuf err = STRBUF_INIT;
	struct cmd_match m;

	ck_assert_msg(grammar_add(gg, &def, &err) == 0, "'%s': %s", tc->syntax, strbuf_str(&err));
	ck_assert_uint_eq(err.len, 0);
	grammar_match(gg, tc->line, V, R_VIEW, &m);
	ck_assert_msg(m.status == CMD_MATCH_OK, "'%s' on '%s': status %d", tc->line, tc->syntax,
		      m.status);
	cmd_match_clear(&m);
	strbuf_free(&err);
	grammar_free(gg);
}
END_TEST

START_TEST(test_add_table_stops)
{
	static const struct cmd_def defs[] = {
		{ "first", "First", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
		{ "bad [", "Bad", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
		{ "third", "Third", CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL },
	};
	struct grammar *gg = grammar_new();
	struct strbuf err = STRBUF_INIT;
	struct cmd_match m;

	ck_assert_int_eq(grammar_add_table(gg, defs, 3, &err), -1);
	ck_assert_ptr_nonnull(strstr(strbuf_str(&err), "command 'bad ['"));
	grammar_match(gg, "first", V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_OK);
	cmd_match_clear(&m);
	grammar_match(gg, "third", V, R_VIEW, &m);
	ck_assert_int_eq(m.status, CMD_MATCH_UNKNOWN);
	cmd_match_clear(&m);
	strbuf_free(&err);
	grammar_free(gg);
}
END_TEST

/* The help line of each token is the one in its position. */
START_TEST(test_help_order)
{
	static const struct cmd_def def = {
		"a <b|c [d]> E$x", "help a\nhelp b\nhelp c\nhelp d\nhelp e",
		CMD_IN_ALL, CTL_ROLE_VIEW, h_nop, NULL
	};
	static const struct { const char *line, *want; } cases[] = {
		{ "", "a|help a\n" },
		{ "a ", "b|help b\nc|help c\n" },
		{ "a c ", "E|help e\nd|help d\n" },
		{ "a c d ", "E|help e\n" },
		{ "a b e ", "<cr>|Run the command\n" },
	};
	struct grammar *gg = grammar_new();

	ck_assert_int_eq(grammar_add(gg, &def, NULL), 0);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct strvec tokens = STRVEC_INIT, helps = STRVEC_INIT;
		struct strbuf got = STRBUF_INIT;

		ck_assert_int_eq(grammar_describe(gg, cases[i].line, V, R_VIEW, &tokens, &helps,
						  NULL), CMD_MATCH_OK);
		for (size_t k = 0; k < tokens.len; k++)
			strbuf_printf(&got, "%s|%s\n", tokens.items[k], helps.items[k]);
		ck_assert_str_eq(strbuf_str(&got), cases[i].want);
		strbuf_free(&got);
		strvec_free(&tokens);
		strvec_free(&helps);
	}
	grammar_free(gg);
}
END_TEST

Suite *grammar_suite(void)
{
	Suite *s = suite_create("grammar");
	TCase *tc = tcase_create("match");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0, ARRAY_LEN(match_cases));
	tcase_add_test(tc, test_match_whole_line_ambiguous);
	tcase_add_test(tc, test_match_empty_grammar);
	tcase_add_test(tc, test_args_api);
	tcase_add_test(tc, test_role_names);
	tcase_add_test(tc, test_long_line);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	tc = tcase_create("explain");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_explain, 0, ARRAY_LEN(explain_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("complete");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_complete, 0, ARRAY_LEN(complete_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("describe");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_describe, 0, ARRAY_LEN(describe_cases));
	tcase_add_test(tc, test_describe_null_err_pos);
	tcase_add_test(tc, test_help_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("compile");
	tcase_add_loop_test(tc, test_bad_syntax, 0, ARRAY_LEN(bad_syntax_cases));
	tcase_add_loop_test(tc, test_good_syntax, 0, ARRAY_LEN(good_syntax_cases));
	tcase_add_test(tc, test_add_table_stops);
	suite_add_tcase(s, tc);
	return s;
}
