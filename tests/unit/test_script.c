/* Unit tests for script/runner: real scripts through a real helper
 * process: exit codes, the first line, the clean environment and fds,
 * the process group, the timeout (SIGTERM ignored, SIGKILL on time), the
 * concurrency limit, cancel, and a restart after the helper dies. */
#include "config.h"

#include "script/runner.h"

#include "core/log.h"
#include "core/loop.h"
#include "util/strbuf.h"
#include "util/strvec.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "suites.h"

struct done {
	int n;
	struct script_result res[16];
};

static void on_done(const struct script_result *res, void *arg)
{
	struct done *d = arg;

	ck_assert_int_lt(d->n, 16);
	d->res[d->n++] = *res;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Runs the loop until want results came, failing after max_ms. */
static void wait_for(struct loop *l, struct done *d, int want, unsigned max_ms)
{
	uint64_t end = now_ms() + max_ms;

	while (d->n < want) {
		ck_assert_msg(now_ms() < end, "only %d of %d scripts ended in %u ms", d->n, want,
			      max_ms);
		ck_assert_int_ge(loop_run_once(l, 50), 0);
	}
}

static struct loop *l;
static struct script_runner *r;

static void setup(void)
{
	struct strbuf err = STRBUF_INIT;

	l = loop_new();
	ck_assert_ptr_nonnull(l);
	ck_assert_msg(script_runner_start(&r, &err) == 0, "%s", strbuf_str(&err));
	ck_assert_int_eq(script_runner_attach(r, l), 0);
	strbuf_free(&err);
}

static void teardown(void)
{
	script_runner_stop(r);
	loop_free(l);
}

static void run1(const char *cmd, unsigned timeout_ms, struct done *d)
{
	struct strvec argv = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;

	ck_assert_msg(script_split_cmdline(cmd, &argv, &err) == 0, "%s", strbuf_str(&err));
	ck_assert_int_eq(script_run(r, argv.items, NULL, timeout_ms, on_done, d, NULL), 0);
	strvec_free(&argv);
	strbuf_free(&err);
}

/* Command, exit code, first line. */
static const struct {
	const char *cmd;
	int code;
	const char *line;
} exits[] = {
	{ "/bin/sh -c 'echo ok; exit 0'", 0, "ok" },
	{ "/bin/sh -c 'echo first; echo second; exit 1'", 1, "first" },
	{ "/bin/sh -c 'echo to stderr >&2; exit 42'", 42, "to stderr" },
	{ "/bin/sh -c 'printf \"a\\tb\\r\\n\"; exit 255'", 255, "a?b" },
	{ "/bin/sh -c 'exit 3'", 3, "" },
	{ "/nonexistent/script", 127, "cannot execute /nonexistent/script: No such file or directory" },
	{ "/dev/null", 126, "cannot execute /dev/null: Permission denied" },
	{ "true", 0, "" },
	/* Only PATH in the environment. */
	{ "/usr/bin/awk 'BEGIN { n = 0; for (k in ENVIRON) n++; print n, ENVIRON[\"PATH\"] }'", 0,
	  "1 /usr/sbin:/usr/bin:/sbin:/bin" },
	/* fds 0-2 only, stdin /dev/null. */
	{ "/bin/sh -c 'for i in 3 4 5 6 7 8 9 10 11 12; do [ -e /proc/$$/fd/$i ] && echo fd $i open; done; echo none $(readlink /proc/$$/fd/0)'",
	  0, "none /dev/null" },
	/* Its own process group. */
	{ "/usr/bin/python3 -c 'import os; print(os.getpgid(0) == os.getpid())'", 0, "True" },
};

START_TEST(test_script_exits)
{
	struct done d = { 0 };

	run1(exits[_i].cmd, 5000, &d);
	wait_for(l, &d, 1, 5000);
	ck_assert(d.res[0].started);
	ck_assert_msg(d.res[0].exited, "%s: not exited (signal %d)", exits[_i].cmd,
		      d.res[0].signo);
	ck_assert_int_eq(d.res[0].exit_code, exits[_i].code);
	ck_assert_str_eq(d.res[0].line, exits[_i].line);
	ck_assert(!d.res[0].timed_out);
}
END_TEST

/* A script that ignores SIGTERM is killed by SIGKILL after the grace,
 * on time; the next script runs normally. */
START_TEST(test_script_timeout)
{
	struct done d = { 0 };
	uint64_t t0 = now_ms(), took;

	run1("/bin/sh -c 'trap \"\" TERM; echo stubborn; while :; do sleep 0.05; done'", 300, &d);
	wait_for(l, &d, 1, 5000);
	took = now_ms() - t0;
	ck_assert(d.res[0].started);
	ck_assert(d.res[0].timed_out);
	ck_assert(!d.res[0].exited);
	ck_assert_int_eq(d.res[0].signo, SIGKILL);
	ck_assert_str_eq(d.res[0].line, "stubborn");
	ck_assert_msg(took >= 300 + SCRIPT_KILL_GRACE_MS - 50 && took < 300 + SCRIPT_KILL_GRACE_MS + 700,
		      "killed after %lu ms", (unsigned long)took);
	run1("/bin/sh -c 'echo next'", 1000, &d);
	wait_for(l, &d, 2, 2000);
	ck_assert_str_eq(d.res[1].line, "next");

	/* One that dies of SIGTERM is reported as such, timed out. */
	run1("/bin/sh -c 'sleep 5'", 200, &d);
	wait_for(l, &d, 3, 3000);
	ck_assert(d.res[2].timed_out);
	ck_assert_int_eq(d.res[2].signo, SIGTERM);
}
END_TEST

/* With a limit of 2, five 300 ms scripts take three rounds, never more
 * than 2 at once. */
START_TEST(test_script_limit)
{
	struct done d = { 0 };
	struct script_runner_stats st;
	uint64_t t0 = now_ms(), took;

	script_runner_set_limit(r, 2);
	for (int i = 0; i < 5; i++)
		run1("/bin/sh -c 'sleep 0.3'", 5000, &d);
	script_runner_get_stats(r, &st);
	ck_assert_uint_eq(st.running, 2);
	ck_assert_uint_eq(st.queued, 3);
	while (d.n < 5) {
		script_runner_get_stats(r, &st);
		ck_assert_uint_le(st.running, 2);
		ck_assert_int_ge(loop_run_once(l, 20), 0);
		ck_assert_uint_lt(now_ms() - t0, 5000);
	}
	took = now_ms() - t0;
	ck_assert_msg(took >= 850, "5 scripts, 2 at a time, took only %lu ms", (unsigned long)took);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(d.res[i].exit_code, 0);
}
END_TEST

/* A cancelled script never calls back, queued or running; the runner
 * goes on. */
START_TEST(test_script_cancel)
{
	struct done d = { 0 }, other = { 0 };
	char *sleeper[] = { "/bin/sleep", "5", NULL };
	uint64_t id1, id2, t0 = now_ms();

	script_runner_set_limit(r, 1);
	ck_assert_int_eq(script_run(r, sleeper, NULL, 0, on_done, &d, &id1), 0);
	ck_assert_int_eq(script_run(r, sleeper, NULL, 0, on_done, &d, &id2), 0);
	script_cancel(r, id2);	/* queued */
	for (int i = 0; i < 5; i++)
		loop_run_once(l, 10);
	script_cancel(r, id1);	/* running */
	run1("/bin/sh -c 'echo after'", 2000, &other);
	wait_for(l, &other, 1, 3000);
	ck_assert_str_eq(other.res[0].line, "after");
	ck_assert_int_eq(d.n, 0);
	ck_assert_uint_lt(now_ms() - t0, 3000);
}
END_TEST

/* The helper killed under a running script: the script fails with a
 * reason, a new helper comes, and scripts run again. */
START_TEST(test_script_helper_restart)
{
	struct done d = { 0 };
	struct script_runner_stats st;

	run1("/bin/sleep 5", 0, &d);
	loop_run_once(l, 50);
	script_runner_get_stats(r, &st);
	ck_assert_int_gt(st.helper_pid, 0);
	ck_assert_int_eq(kill((pid_t)st.helper_pid, SIGKILL), 0);
	wait_for(l, &d, 1, 3000);
	ck_assert(!d.res[0].started);
	ck_assert_str_eq(d.res[0].line, "script helper died");
	run1("/bin/sh -c 'echo again'", 2000, &d);
	wait_for(l, &d, 2, 5000);
	ck_assert(d.res[1].started);
	ck_assert_str_eq(d.res[1].line, "again");
	script_runner_get_stats(r, &st);
	ck_assert_uint_eq(st.restarts, 1);
}
END_TEST

/* enable_script_security turned off while a refused run is still on
 * its way back: that late refusal must not use up the one warning the
 * next run, which is allowed, owes the log. Only root is checked. */
START_TEST(test_script_security_flip)
{
	char dir[] = "/tmp/softlb-script-XXXXXX", ww[64], path[96], logp[96], buf[4096];
	struct done d = { 0 };
	FILE *f;
	size_t n;
	int saved, fd;

	if (geteuid() != 0)
		return;	/* the permission checks apply to root's scripts */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(ww, sizeof(ww), "%s/ww", dir);
	ck_assert_int_eq(mkdir(ww, 0777), 0);
	ck_assert_int_eq(chmod(ww, 0777), 0);
	snprintf(path, sizeof(path), "%s/s.sh", ww);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	snprintf(logp, sizeof(logp), "%s/log", dir);
	fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	close(fd);
	log_open("test", true, false);

	script_runner_set_security(r, true);
	run1(path, 2000, &d);
	script_runner_set_security(r, false);	/* the reload, before the reply */
	wait_for(l, &d, 1, 5000);
	ck_assert(d.res[0].refused_unsafe);
	run1(path, 2000, &d);
	wait_for(l, &d, 2, 5000);
	ck_assert(!d.res[1].refused_unsafe);
	ck_assert_int_eq(d.res[1].exit_code, 0);

	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	f = fopen(logp, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	ck_assert_msg(strstr(buf, "SECURITY VIOLATION") && strstr(buf, path),
		      "no warning for the permitted run in: %s", buf);
	unlink(logp);
	unlink(path);
	rmdir(ww);
	rmdir(dir);
}
END_TEST

/* Command lines split as keepalived splits them. */
START_TEST(test_script_split)
{
	struct strvec v = STRVEC_INIT;
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(script_split_cmdline("  /a/b  'c d' \"e \\\"f\" g\\ h ", &v, &err), 0);
	ck_assert_uint_eq(v.len, 4);
	ck_assert_str_eq(v.items[0], "/a/b");
	ck_assert_str_eq(v.items[1], "c d");
	ck_assert_str_eq(v.items[2], "e \"f");
	ck_assert_str_eq(v.items[3], "g h");
	strvec_free(&v);
	ck_assert_int_eq(script_split_cmdline("/a 'b", &v, &err), -1);
	ck_assert(strstr(strbuf_str(&err), "unterminated") != NULL);
	strbuf_reset(&err);
	ck_assert_int_eq(script_split_cmdline("   ", &v, &err), -1);
	strvec_free(&v);
	strbuf_free(&err);
}
END_TEST

Suite *script_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("runner");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_script_exits, 0, (int)(sizeof(exits) / sizeof(exits[0])));
	tcase_add_test(tc, test_script_timeout);
	tcase_add_test(tc, test_script_limit);
	tcase_add_test(tc, test_script_cancel);
	tcase_add_test(tc, test_script_helper_restart);
	tcase_add_test(tc, test_script_split);
	tcase_add_test(tc, test_script_security_flip);
	suite_add_tcase(s, tc);
	return s;
}
