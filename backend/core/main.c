/* softlbd: the softlb daemon. main() parses options, becomes a daemon,
 * starts the modules in order, runs the control-plane loop, and stops the
 * modules in reverse order on SIGTERM or SIGINT.
 */
#include "config.h"

#include "core/confmgr.h"
#include "core/daemon.h"
#include "core/engines.h"
#include "core/events.h"
#include "core/events_cmds.h"
#include "config/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/module.h"
#include "core/pidfile.h"
#include "core/sdnotify.h"
#include "ctl/grammar.h"
#include "ctl/server.h"
#include "script/runner.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_KAD_PATH CONFIG_DEFAULT_KAD_PATH
#define DEFAULT_HAP_PATH CONFIG_DEFAULT_HAP_PATH
#define DEFAULT_PIDFILE "/run/softlbd.pid"

enum {
	OPT_PIDFILE = 256,
	OPT_VERSION,
	OPT_MAX_CLIENTS,
	OPT_IDLE_TIMEOUT,
	OPT_STALL_TIMEOUT,
	OPT_LVS_RECONCILE,
	OPT_LVS_DRAIN,
	OPT_EVENTS,
	OPT_METRICS,
};

static const struct option long_opts[] = {
	{ "foreground", no_argument, NULL, 'n' },
	{ "config", required_argument, NULL, 'f' },
	{ "proxy-config", required_argument, NULL, 'p' },
	{ "check", no_argument, NULL, 't' },
	{ "log-stderr", no_argument, NULL, 'l' },
	{ "socket", required_argument, NULL, 'S' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "pidfile", required_argument, NULL, OPT_PIDFILE },
	{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT },
	{ "stall-timeout", required_argument, NULL, OPT_STALL_TIMEOUT },
	{ "lvs-reconcile-interval", required_argument, NULL, OPT_LVS_RECONCILE },
	{ "lvs-drain-timeout", required_argument, NULL, OPT_LVS_DRAIN },
	{ "events", required_argument, NULL, OPT_EVENTS },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: softlbd [OPTION]...\n"
		"The softlb daemon: LVS, a TCP/HTTP proxy, VRRP, health checks and SNMP in one.\n"
		"\n"
		"  -f, --config FILE        keepalived-dialect configuration (default %s)\n"
		"  -p, --proxy-config FILE  haproxy-dialect configuration (default %s)\n"
		"  -t, --check              check the configuration, print a summary, exit 0 or 1\n"
		"  -n, --foreground         do not become a daemon\n"
		"  -l, --log-stderr         log to stderr instead of syslog\n"
		"  -v, --verbose            log debug messages too\n"
		"  -S, --socket PATH        control socket (default %s)\n"
		"      --pidfile FILE       pid file (default %s)\n"
		"      --max-clients N      control clients at once (default %u)\n"
		"      --idle-timeout SECS  drop idle control clients (default %u; 0 = never)\n"
		"      --stall-timeout SECS drop control clients that stop reading (default %u)\n"
		"      --lvs-reconcile-interval SECS  repair IPVS drift every SECS (default 5)\n"
		"      --lvs-drain-timeout SECS  longest drain of a removed real server (default 60)\n"
		"      --events N           events the journal keeps (show events; default 10000)\n"
		"      --metrics [ADDR:]PORT  serve Prometheus metrics at http://ADDR:PORT/metrics\n"
		"                           (ADDR defaults to 127.0.0.1)\n"
		"      --version            print the version and exit\n"
		"  -h, --help               print this help and exit\n"
		"\n"
		"Signals: SIGHUP reloads the configuration; SIGTERM and SIGINT stop cleanly.\n",
		DEFAULT_KAD_PATH, DEFAULT_HAP_PATH, CTL_DEFAULT_SOCKET_PATH, DEFAULT_PIDFILE,
		CTL_DEFAULT_MAX_CLIENTS, CTL_DEFAULT_IDLE_TIMEOUT_S,
		CTL_DEFAULT_STALL_TIMEOUT_S);
}

/* Parses a decimal option value in [min, max]; exits with a message naming
 * the option otherwise. */
static unsigned parse_uint_opt(const char *name, const char *arg, unsigned min, unsigned max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		fprintf(stderr, "softlbd: --%s expects a number from %u to %u, got '%s'\n", name,
			min, max, arg);
		exit(EXIT_FAILURE);
	}
	return (unsigned)v;
}

static void parse_options(int argc, char **argv, struct softlbd_opts *o)
{
	int c;

	o->kad_path = DEFAULT_KAD_PATH;
	o->hap_path = DEFAULT_HAP_PATH;
	o->socket_path = CTL_DEFAULT_SOCKET_PATH;
	o->pidfile_path = DEFAULT_PIDFILE;
	o->ctl_max_clients = CTL_DEFAULT_MAX_CLIENTS;
	o->ctl_idle_timeout_s = CTL_DEFAULT_IDLE_TIMEOUT_S;
	o->ctl_stall_timeout_s = CTL_DEFAULT_STALL_TIMEOUT_S;
	o->lvs_reconcile_interval_s = 5;
	o->lvs_drain_timeout_s = 60;
	o->event_journal_size = 10000;

	while ((c = getopt_long(argc, argv, "f:p:tnlvS:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->kad_path = optarg;
			o->kad_given = true;
			break;
		case 'p':
			o->hap_path = optarg;
			o->hap_given = true;
			break;
		case 't':
			o->check_only = true;
			break;
		case 'n':
			o->foreground = true;
			break;
		case 'l':
			o->log_stderr = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'S':
			o->socket_path = optarg;
			break;
		case OPT_PIDFILE:
			o->pidfile_path = optarg;
			break;
		case OPT_MAX_CLIENTS:
			o->ctl_max_clients = parse_uint_opt("max-clients", optarg, 1, 10000);
			break;
		case OPT_IDLE_TIMEOUT:
			o->ctl_idle_timeout_s = parse_uint_opt("idle-timeout", optarg, 0, 86400 * 7);
			break;
		case OPT_STALL_TIMEOUT:
			o->ctl_stall_timeout_s = parse_uint_opt("stall-timeout", optarg, 1, 3600);
			break;
		case OPT_LVS_RECONCILE:
			o->lvs_reconcile_interval_s = parse_uint_opt("lvs-reconcile-interval", optarg,
								     1, 3600);
			break;
		case OPT_LVS_DRAIN:
			o->lvs_drain_timeout_s = parse_uint_opt("lvs-drain-timeout", optarg, 0, 86400);
			break;
		case OPT_EVENTS:
			o->event_journal_size = parse_uint_opt("events", optarg, 1, 10000000);
			break;
		case OPT_METRICS:
			o->metrics_listen = optarg;
			break;
		case OPT_VERSION:
			printf("softlbd %s\n", PACKAGE_VERSION);
			exit(EXIT_SUCCESS);
		case 'h':
			usage(stdout);
			exit(EXIT_SUCCESS);
		default:
			fprintf(stderr, "Try 'softlbd --help' for more information.\n");
			exit(EXIT_FAILURE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "softlbd: unexpected argument '%s'\n"
			"Try 'softlbd --help' for more information.\n", argv[optind]);
		exit(EXIT_FAILURE);
	}
}

/* ------------------------------------------------------------------ */
/* Becoming a daemon                                                   */

/* Forks into the background. The parent waits on a pipe until the daemon
 * reports that it started (exit 0) or why it failed (message, exit 1), so
 * an init script or a person sees a start failure on their terminal
 * rather than only in syslog. Returns the write end in the daemon. */
static int daemon_start(void)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		perror("softlbd: pipe");
		exit(EXIT_FAILURE);
	}
	pid = fork();
	if (pid < 0) {
		perror("softlbd: fork");
		exit(EXIT_FAILURE);
	}
	if (pid > 0) {
		char buf[1024];
		ssize_t n, total = 0;

		close(fds[1]);
		while ((n = read(fds[0], buf + total, sizeof(buf) - 1 - (size_t)total)) > 0)
			total += n;
		buf[total] = '\0';
		waitpid(pid, NULL, 0);
		if (total == 1 && buf[0] == '0')
			exit(EXIT_SUCCESS);
		fprintf(stderr, "softlbd: %s\n", total ? buf : "failed to start (see syslog)");
		exit(EXIT_FAILURE);
	}
	close(fds[0]);
	if (setsid() < 0) {
		perror("softlbd: setsid");
		exit(EXIT_FAILURE);
	}
	/* Fork again so the daemon is not a session leader and can never
	 * acquire a controlling terminal. */
	pid = fork();
	if (pid < 0) {
		perror("softlbd: fork");
		exit(EXIT_FAILURE);
	}
	if (pid > 0)
		_exit(EXIT_SUCCESS);
	umask(022);
	if (chdir("/") < 0)
		exit(EXIT_FAILURE);
	return fds[1];
}

/* Tells the waiting parent how the start went, then detaches from the
 * terminal. msg NULL means success. */
static void daemon_report(int fd, const char *msg)
{
	const char *what = msg ? msg : "0";
	int null;

	if (fd < 0)
		return;
	if (write(fd, what, strlen(what)) < 0)
		log_warn("cannot report start-up to the parent: %s", strerror(errno));
	close(fd);
	if (msg)
		return;
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (null > STDERR_FILENO)
			close(null);
	}
}

/* ------------------------------------------------------------------ */

static void on_signal(struct loop *l, int signo, void *arg)
{
	struct softlbd *d = arg;

	if (signo == SIGHUP && d->stopping) {
		/* Modules are stopping (one may still run the loop briefly). */
		log_notice("SIGHUP: ignored, softlbd is stopping");
		return;
	}
	switch (signo) {
	case SIGHUP: {
		struct strbuf out = STRBUF_INIT;
		int rc = confmgr_reload(d, NULL, &out);
		char *line = out.data;

		log_notice("SIGHUP: reload %s", rc == 0 ? "applied" : "refused");
		/* One log line per line of the report. */
		while (line && *line) {
			char *nl = strchr(line, '\n');

			if (nl)
				*nl = '\0';
			log_msg(rc == 0 ? LOG_NOTICE : LOG_ERR, "reload: %s", line);
			line = nl ? nl + 1 : NULL;
		}
		strbuf_free(&out);
		break;
	}
	case SIGTERM:
	case SIGINT:
		log_notice("%s: stopping", strsignal(signo));
		sdnotify_stopping("stopping");
		loop_stop(l);
		break;
	default:
		break;
	}
}

/* softlbd -t: loads both files, has each engine load the files the
 * configuration names (engine verify), prints every warning and error (to
 * stderr, FILE:LINE: ...) and a one-screen summary (to stdout). Returns the
 * exit status: 0 when the configuration loads, 1 when it does not. */
static int check_config(const struct softlbd_opts *o)
{
	struct config_diag diag = CONFIG_DIAG_INIT;
	struct strbuf out = STRBUF_INIT;
	struct config *cfg;

	cfg = config_load(o->kad_path, o->hap_path, o->kad_given, o->hap_given, &diag);
	config_diag_format(&diag, &out);
	fputs(strbuf_str(&out), stderr);
	strbuf_reset(&out);
	if (!cfg) {
		fprintf(stderr, "softlbd: configuration check failed: %zu error%s, %zu warning%s\n",
			diag.n_errors, diag.n_errors == 1 ? "" : "s", diag.n_warnings,
			diag.n_warnings == 1 ? "" : "s");
		config_diag_free(&diag);
		strbuf_free(&out);
		return EXIT_FAILURE;
	}
	/* What only applying would read (certificates, -f files, regexes):
	 * each engine loads it as its apply does, and starts nothing. */
	for (size_t i = 0; i < softlbd_module_count; i++) {
		const struct module_ops *m = softlbd_modules[i];

		if (!m->verify || m->verify(cfg, &out) == 0)
			continue;
		fprintf(stderr, "%s\nsoftlbd: configuration check failed: %s engine refuses it\n",
			strbuf_str(&out), m->name);
		config_free(cfg);
		config_diag_free(&diag);
		strbuf_free(&out);
		return EXIT_FAILURE;
	}
	config_summary(cfg, &diag, &out);
	printf("configuration OK: %s, %s\n%s", o->kad_path, o->hap_path, strbuf_str(&out));
	config_free(cfg);
	config_diag_free(&diag);
	strbuf_free(&out);
	return EXIT_SUCCESS;
}

static void stop_modules(struct softlbd *d, size_t started)
{
	while (started-- > 0)
		d->modules[started]->stop(d, d->module_priv[started]);
}

int main(int argc, char **argv)
{
	static const int signals[] = { SIGHUP, SIGTERM, SIGINT };
	struct softlbd d = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct pidfile *pf = NULL;
	size_t started = 0;
	int report_fd = -1;
	int rc = EXIT_FAILURE;

	/* A reload of a large configuration allocates tens of megabytes
	 * (tokens, the new model) and frees them again. Above glibc's mmap
	 * threshold each such block is a fresh mapping, faulted in page by
	 * page at every reload: on a virtual machine that was half of a
	 * 10,000-service reload. Kept in the heap instead, the pages are
	 * reused; the memory stays available to softlbd. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
	parse_options(argc, argv, &d.opts);
	if (d.opts.check_only)
		return check_config(&d.opts);
	if (!d.opts.foreground)
		report_fd = daemon_start();
	/* Without -l a daemon logs to syslog; in the foreground without -l,
	 * start-up errors still reach the terminal through stderr below. */
	log_open("softlbd", d.opts.log_stderr, d.opts.verbose);
	signal(SIGPIPE, SIG_IGN);

	d.pid = getpid();
	d.started = time(NULL);
	if (gethostname(d.hostname, sizeof(d.hostname) - 1) < 0)
		snprintf(d.hostname, sizeof(d.hostname), "localhost");

	pf = pidfile_acquire(d.opts.pidfile_path, &err);
	if (!pf)
		goto out;
	/* The script helper is forked now: after daemonising, before the
	 * loop blocks signals and before any thread exists, so it starts
	 * as a clean single-threaded copy (script/runner.h). */
	if (script_runner_start(&d.scripts, &err) < 0)
		goto out;
	d.loop = loop_new();
	if (!d.loop) {
		strbuf_printf(&err, "cannot create the event loop: %s", strerror(errno));
		goto out;
	}
	d.started_ms = loop_update_time(d.loop);
	if (script_runner_attach(d.scripts, d.loop) < 0) {
		strbuf_printf(&err, "cannot watch the script helper: %s", strerror(errno));
		goto out;
	}
	if (loop_add_signals(d.loop, signals, sizeof(signals) / sizeof(signals[0]),
			     on_signal, &d) < 0) {
		strbuf_printf(&err, "cannot watch signals: %s", strerror(errno));
		goto out;
	}
	d.grammar = grammar_new();
	d.events = events_new(d.opts.event_journal_size);
	if (events_register(d.grammar, &err) < 0)
		goto out;
	d.modules = softlbd_modules;
	d.n_modules = softlbd_module_count;
	if (d.n_modules > SOFTLBD_MAX_MODULES) {
		strbuf_printf(&err, "%zu engines, room for %d (SOFTLBD_MAX_MODULES)",
			      d.n_modules, SOFTLBD_MAX_MODULES);
		goto out;
	}
	for (started = 0; started < d.n_modules; started++) {
		const struct module_ops *m = d.modules[started];
		struct strbuf merr = STRBUF_INIT;
		uint64_t t0 = loop_update_time(d.loop);

		if (m->init(&d, &d.module_priv[started], &merr) < 0) {
			strbuf_printf(&err, "%s: %s", m->name, strbuf_str(&merr));
			strbuf_free(&merr);
			goto out;
		}
		strbuf_free(&merr);
		/* Where a slow start goes (10,000 services), for -v. */
		log_debug("%s engine started in %llu ms", m->name,
			  (unsigned long long)(loop_update_time(d.loop) - t0));
	}
	log_notice("softlbd %s started (pid %ld)", PACKAGE_VERSION, (long)d.pid);
	{
		char why[64];
		struct event_spec spec = { .engine = EVENT_CORE, .kind = EVENT_STATE,
					   .object = "softlbd", .new_state = "started",
					   .reason = why };

		snprintf(why, sizeof(why), "softlbd %s, pid %ld", PACKAGE_VERSION, (long)d.pid);
		events_add(d.events, &spec);
	}
	daemon_report(report_fd, NULL);
	report_fd = -1;
	{
		/* Every engine has applied the configuration: systemd may
		 * now start what comes after softlbd (Type=notify). */
		struct strbuf status = STRBUF_INIT;

		confmgr_state_line(&d, &status);
		sdnotify_ready(strbuf_str(&status));
		strbuf_free(&status);
	}

	if (loop_run(d.loop) < 0)
		log_err("event loop failed: %s", strerror(errno));
	else
		rc = EXIT_SUCCESS;
	log_notice("softlbd stopped");

out:
	if (err.len) {
		log_err("%s", err.data);
		sdnotify_status(err.data);
		if (!d.opts.log_stderr && report_fd < 0)
			fprintf(stderr, "softlbd: %s\n", err.data);
		daemon_report(report_fd, err.data);
	}
	d.stopping = true;
	stop_modules(&d, started);
	/* After the modules: their stop may still cancel scripts. */
	script_runner_stop(d.scripts);
	if (d.grammar)
		grammar_free(d.grammar);
	events_free(d.events);
	if (d.loop)
		loop_free(d.loop);
	pidfile_release(pf);
	strbuf_free(&err);
	log_close();
	return rc;
}
