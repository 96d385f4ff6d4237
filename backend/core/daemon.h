/* daemon: the control-plane context of softlbd, owned by main().
 *
 * One struct holds what the control-plane thread shares between its
 * modules. It belongs to that thread: worker threads (the proxy, later)
 * never touch it; they get messages.
 */
#ifndef SOFTLB_CORE_DAEMON_H
#define SOFTLB_CORE_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "core/module.h"

struct loop;
struct grammar;
struct runtime_state;
struct script_runner;
struct event_journal;
struct vrrp_engine;
struct check_engine;
struct lvs_engine;
struct px_engine;
struct ctl_server;
struct config_index;
struct strbuf;

/* Command-line settings. */
struct softlbd_opts {
	const char *kad_path;	/* -f: keepalived dialect */
	const char *hap_path;	/* -p: haproxy dialect */
	bool kad_given;		/* -f was given (the file must then exist) */
	bool hap_given;
	const char *socket_path;	/* -S */
	const char *pidfile_path;	/* --pidfile */
	bool foreground;	/* -n */
	bool log_stderr;	/* -l */
	bool verbose;		/* -v */
	bool check_only;	/* -t */
	unsigned ctl_max_clients;	/* --max-clients */
	unsigned ctl_idle_timeout_s;	/* --idle-timeout */
	unsigned ctl_stall_timeout_s;	/* --stall-timeout */
	unsigned lvs_reconcile_interval_s;	/* --lvs-reconcile-interval */
	unsigned lvs_drain_timeout_s;	/* --lvs-drain-timeout */
	unsigned event_journal_size;	/* --events: events kept */
	const char *metrics_listen;	/* --metrics [ADDR:]PORT, or NULL */
};

/* Room for every engine's state (main() refuses a longer list). */
#define SOFTLBD_MAX_MODULES 12

struct softlbd {
	struct softlbd_opts opts;
	struct loop *loop;
	struct grammar *grammar;
	/* Runs every script (health checks, VRRP): forked at launch,
	 * before any thread (script/runner.h). */
	struct script_runner *scripts;
	char hostname[256];
	pid_t pid;
	time_t started;		/* wall clock, for show status */
	uint64_t started_ms;	/* monotonic */
	unsigned reloads;	/* successful reloads so far */
	unsigned reload_failures;	/* reloads refused (metrics) */
	struct config *config;	/* the running configuration (confmgr.h) */
	/* Its objects by typed key, built on first use after each change
	 * (confmgr_index()), dropped with the model it indexes. */
	struct config_index *config_ix;
	size_t config_warnings;	/* warnings when it was loaded */
	char *config_warnings_text;	/* those warnings, one per line */
	struct runtime_state *runtime;	/* operator overrides (runtime.h) */
	/* Every state change of every engine, in order (events.h). */
	struct event_journal *events;
	/* Set once the loop has ended: modules are stopping, and a module
	 * that still runs the loop for a moment (VRRP, waiting for its
	 * notify_stop scripts) must not see a reload reach the others. */
	bool stopping;
	/* The engines, in start order: softlbd's list (core/engines.c), or
	 * a test's own. module_priv[i] is modules[i]'s private state. */
	const struct module_ops *const *modules;
	size_t n_modules;
	void *module_priv[SOFTLBD_MAX_MODULES];
	/* Each engine's state, set by its own init and cleared by its stop
	 * (NULL: not running), for the engines and commands that use
	 * another one: named here, not found by scanning the list. */
	struct softlbd_engines {
		struct vrrp_engine *vrrp;
		struct check_engine *check;
		struct lvs_engine *lvs;
		struct px_engine *proxy;
		struct ctl_server *ctl;
	} engines;
	/* Answers an engine gives another without knowing it by name, set
	 * by the engine that has them (NULL: not running). prometheus: the
	 * metrics module's text exposition (metrics_render()), which the
	 * proxy serves for use-service prometheus-exporter. */
	struct softlbd_services {
		int (*prometheus)(struct softlbd *d, struct strbuf *out);
	} services;
};

#endif
