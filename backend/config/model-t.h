/* model-t.h: the configuration model's types, shared by both dialects.
 *
 * One in-memory model for what keepalived.conf and haproxy.cfg describe.
 * Types only (see model.h for functions). Every object has a stable
 * identity that the diff uses to pair an old object with a new one:
 *
 *   virtual server  family + protocol + address + port, or family + fwmark,
 *                   or the name of its virtual_server_group
 *   real server     address + port, within its virtual server
 *   VRRP instance   name;  sync group  name;  vrrp_script  name
 *   proxy           name (listen, frontend, backend)
 *   server          proxy + name
 *
 * Numbers use CFG_UNSET while parsing: unset means "take the parent's
 * value, then the default" (nginx's merge). After config_load() every field
 * holds its effective value, except where CFG_UNSET itself means "none"
 * (e.g. a HAProxy timeout that nobody set).
 *
 * Times are milliseconds everywhere (keepalived writes seconds, HAProxy
 * any unit); the printers convert back.
 */
#ifndef SOFTLB_CONFIG_MODEL_T_H
#define SOFTLB_CONFIG_MODEL_T_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* strvec.h has no separate types header; it declares only its own
 * small functions, so this pulls in no engine code. */
#include "util/strvec.h"

struct cfg_rules;

#define CFG_UNSET (-1)
/* The bounds of what operators set most, written once: the keepalived
 * and haproxy parsers, configure mode's syntax and help, and the edit
 * checks all take them from here (CFG_STR makes one a string for a
 * grammar or a message). */
#define CFG_RS_WEIGHT_MAX 65535		/* keepalived weight, 0 up */
#define CFG_SERVER_WEIGHT_MAX 256	/* HAProxy server weight, 0 up */
#define CFG_VRRP_PRIORITY_MAX 255	/* from 1 */
#define CFG_PERSISTENCE_MAX_S 2678400	/* 31 days, as ipvsadm; from 0 */
#define CFG_STR_(x) #x
#define CFG_STR(x) CFG_STR_(x)

/* VRRP weights are signed (-253..253, -1 included), so their "unset" is
 * a value no weight can take. */
#define CFG_UNSET_WEIGHT INT_MIN

/* ---------------------------------------------------------------- */
/* Addresses */

enum cfg_af {
	CFG_AF_ANY = 0,		/* no address given, or HAProxy's '*' */
	CFG_AF_INET4 = 1,
	CFG_AF_INET6 = 2,
};

struct cfg_addr {
	enum cfg_af af;
	unsigned char b[16];	/* network order; 4 bytes used for IPv4 */
};

/* An address with a port; port is CFG_UNSET where none was given. */
struct cfg_endpoint {
	struct cfg_addr addr;
	int port;
};

/* Where an object was defined, for messages; never compared. The file
 * name is borrowed from struct config's file list. */
struct cfg_loc {
	const char *file;
	int line;
};

/* ---------------------------------------------------------------- */
/* keepalived: global_defs */

struct cfg_lvs_sync_daemon {
	char *interface;	/* NULL: no sync daemon */
	char *instance;		/* VRRP instance it follows, or NULL */
	int id;			/* syncid 0-255 */
	int maxlen;		/* sync message max length, 1-65507 */
	int port;
	int ttl;		/* 1-255 */
	struct cfg_addr group;	/* multicast group, CFG_AF_ANY: kernel's */
};

struct cfg_global {
	char *router_id;
	int vrrp_version;		/* 2 or 3 */
	struct cfg_addr mcast_group4;	/* default 224.0.0.18 */
	struct cfg_addr mcast_group6;	/* default ff02::12 */
	int64_t vrrp_garp_master_delay_ms;
	int vrrp_garp_master_repeat;
	int64_t vrrp_garp_master_refresh_ms;	/* 0: no refresh */
	int vrrp_garp_master_refresh_repeat;
	int enable_script_security;	/* 0/1 */
	char *script_user;
	int vrrp_skip_check_adv_addr;	/* 0/1 */
	int vrrp_strict;		/* 0/1 */
	int v3_checksum_as_v2;		/* 0/1: default of the instances' */
	int64_t lvs_timeout_tcp_ms;	/* 0: leave the kernel's */
	int64_t lvs_timeout_tcpfin_ms;
	int64_t lvs_timeout_udp_ms;
	struct cfg_lvs_sync_daemon sync;
	/* SNMP (backend/snmp): which MIBs the AgentX subagent serves. */
	int enable_snmp_vrrp;		/* 0/1: KEEPALIVED-MIB vrrp part */
	int enable_snmp_checker;	/* 0/1: KEEPALIVED-MIB check part, LVS-MIB */
	int enable_snmp_rfcv2;		/* 0/1: VRRP-MIB (RFC 2787) */
	int enable_snmp_rfcv3;		/* 0/1: VRRPv3-MIB (RFC 6527) */
	int enable_snmp_proxy;		/* 0/1: SOFTLB-MIB (softlb's keyword) */
	int enable_traps;		/* 0/1 */
	char *snmp_socket;		/* AgentX master; NULL: unix:/var/agentx/master */
	/* Prometheus (backend/metrics): softlb_metrics [ADDR:]PORT, as
	 * written (validated by the parser); NULL: no endpoint. */
	char *softlb_metrics;
	struct cfg_loc loc;		/* the first global_defs block */
};

/* ---------------------------------------------------------------- */
/* keepalived: VRRP */

enum cfg_vrrp_state {
	CFG_VRRP_STATE_UNSET = 0,
	CFG_VRRP_STATE_BACKUP = 1,
	CFG_VRRP_STATE_MASTER = 2,
};

enum cfg_vrrp_auth {
	CFG_VRRP_AUTH_UNSET = 0,
	CFG_VRRP_AUTH_NONE = 1,
	CFG_VRRP_AUTH_PASS = 2,
	CFG_VRRP_AUTH_AH = 3,
};

/* ADDR[/PREFIX] [brd X] [dev IF] [scope S] [label L] */
struct cfg_vip {
	struct cfg_addr addr;
	int prefix;		/* default 32 or 128 */
	struct cfg_addr brd;	/* CFG_AF_ANY: none */
	char *dev;		/* NULL: the instance's interface */
	char *scope;		/* NULL: global */
	char *label;
};

/* track_interface / track_script entries: name [weight N] */
struct cfg_track {
	char *name;
	int weight;		/* CFG_UNSET_WEIGHT: the script's own weight, or 0 */
};

struct cfg_vrrp_script {
	char *name;
	char *script;
	int64_t interval_ms;	/* default 1 s */
	int64_t timeout_ms;	/* default: the interval */
	int weight;		/* -253..253, default 0 */
	int rise;		/* default 1 */
	int fall;		/* default 1 */
	char *user;
	struct cfg_loc loc;
};

struct cfg_vrrp_instance {
	char *name;
	enum cfg_vrrp_state state;
	char *interface;
	int vrid;			/* 1-255 */
	int priority;			/* 1-255, default 100 */
	int64_t advert_int_ms;		/* default 1000 */
	int version;			/* 2 or 3; default global vrrp_version */
	enum cfg_vrrp_auth auth_type;
	char *auth_pass;		/* at most 8 characters */
	struct cfg_vip *vips;
	size_t n_vips, cap_vips;
	struct cfg_vip *vips_excluded;
	size_t n_vips_excluded, cap_vips_excluded;
	int nopreempt;			/* 0/1 */
	int64_t preempt_delay_ms;
	struct cfg_track *track_ifs;
	size_t n_track_ifs, cap_track_ifs;
	struct cfg_track *track_scripts;
	size_t n_track_scripts, cap_track_scripts;
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify_stop;
	char *notify;
	struct cfg_addr unicast_src_ip;
	struct cfg_addr *unicast_peers;
	size_t n_unicast_peers, cap_unicast_peers;
	struct cfg_addr mcast_src_ip;
	int64_t garp_master_delay_ms;	/* default global */
	int garp_master_repeat;
	int64_t garp_master_refresh_ms;
	int garp_master_refresh_repeat;
	int dont_track_primary;		/* 0/1 */
	int strict_mode;		/* 0/1; default global vrrp_strict */
	int v3_checksum_as_v2;		/* 0/1; default the global one */
	struct cfg_loc loc;
};

struct cfg_sync_group {
	char *name;
	struct strvec members;		/* vrrp_instance names, in order */
	char *notify_master;
	char *notify_backup;
	char *notify_fault;
	char *notify;
	struct cfg_loc loc;
};

/* ---------------------------------------------------------------- */
/* keepalived: LVS and checkers */

enum cfg_proto {
	CFG_PROTO_UNSET = 0,
	CFG_PROTO_TCP = 1,
	CFG_PROTO_UDP = 2,
	CFG_PROTO_SCTP = 3,
};

/* IPVS forwarding method */
enum cfg_lb_kind {
	CFG_LB_KIND_UNSET = 0,
	CFG_LB_KIND_NAT = 1,
	CFG_LB_KIND_DR = 2,
	CFG_LB_KIND_TUN = 3,
};

/* The encapsulation of a TUN real server (keepalived 2.1+:
 * `lvs_method TUN type ipip|gue|gre [port N] [nocsum|csum|remcsum]`).
 * UNSET and IPIP both mean IP-in-IP to the kernel; they are kept apart so
 * the printer writes back only what the file said. */
enum cfg_tun_type {
	CFG_TUN_UNSET = 0,
	CFG_TUN_IPIP = 1,
	CFG_TUN_GUE = 2,		/* UDP: needs a port */
	CFG_TUN_GRE = 3,
};

/* Checksums of the outer header (GUE and GRE; remcsum GUE only). */
enum cfg_tun_csum {
	CFG_TUN_CSUM_UNSET = 0,		/* the kernel's default: none */
	CFG_TUN_NOCSUM = 1,
	CFG_TUN_CSUM = 2,
	CFG_TUN_REMCSUM = 3,
};

struct cfg_tunnel {
	enum cfg_tun_type type;
	int port;			/* GUE's UDP port; 0: none */
	enum cfg_tun_csum csum;
};

enum cfg_vs_kind {
	CFG_VS_ADDR = 0,	/* protocol + address + port */
	CFG_VS_FWMARK = 1,	/* family + firewall mark */
	CFG_VS_GROUP = 2,	/* virtual_server_group NAME */
};

/* Options that virtual_server, real_server and the checkers share and
 * that flow down that chain (unset: take the parent's value). */
struct cfg_check_opts {
	int64_t delay_loop_ms;		/* default 60 s */
	int64_t warmup_ms;		/* default: the delay_loop */
	int64_t connect_timeout_ms;	/* default 5 s */
	int retry;			/* default 1 */
	int64_t delay_before_retry_ms;	/* default 1 s */
	int inhibit_on_failure;		/* 0/1 */
	char *virtualhost;		/* HTTP Host header, NULL: none */
};

enum cfg_check_kind {
	CFG_CHECK_TCP = 0,
	CFG_CHECK_HTTP = 1,
	CFG_CHECK_SSL = 2,
	CFG_CHECK_MISC = 3,
};

/* One status_code range; a single code has lo == hi. */
struct cfg_status_range {
	int lo;
	int hi;
};

struct cfg_url {
	char *path;
	char *digest;			/* 32 lowercase hex digits, or NULL */
	struct cfg_status_range *codes;	/* none: 200-299 */
	size_t n_codes, cap_codes;
};

struct cfg_checker {
	enum cfg_check_kind kind;
	struct cfg_check_opts co;
	struct cfg_addr connect_ip;	/* CFG_AF_ANY: the real server's */
	int connect_port;		/* CFG_UNSET: the real server's */
	struct cfg_addr bindto;
	int bind_port;
	char *http_protocol;		/* "1.0", "1.1", ...; NULL: 1.0 */
	struct cfg_url *urls;		/* HTTP_GET, SSL_GET */
	size_t n_urls, cap_urls;
	char *misc_path;		/* MISC_CHECK */
	int64_t misc_timeout_ms;
	int misc_dynamic;		/* 0/1 */
	char *user;
};

struct cfg_real_server {
	struct cfg_endpoint ep;
	int weight;			/* 0-65535, default 1 */
	enum cfg_lb_kind lb_kind;	/* default: the virtual server's */
	struct cfg_tunnel tun;		/* set with lb_kind, inherited with
					 * it: one lvs_method line says all */
	int uthreshold;			/* 0: none */
	int lthreshold;
	char *notify_up;
	char *notify_down;
	struct cfg_check_opts co;
	struct cfg_checker *checkers;
	size_t n_checkers, cap_checkers;
	struct cfg_loc loc;
};

/* virtual_server_group entries: IP[-LAST] PORT, or fwmark N */
struct cfg_vsg_entry {
	bool is_fwmark;
	struct cfg_addr addr;
	int range_last;		/* last byte of an IPv4 / last 16 bits of
				 * an IPv6 range; CFG_UNSET: one address */
	int port;
	uint32_t fwmark;
};

struct cfg_vs_group {
	char *name;
	struct cfg_vsg_entry *entries;
	size_t n_entries, cap_entries;
	struct cfg_loc loc;
};

/* Virtual servers are shared between a model and its copies (copy.c):
 * configure mode copies the running model for every edit, and at 10,000
 * services a deep copy (and the free of the model it replaces) was most
 * of what one typed weight cost. refs counts the models holding one; a
 * shared one is read-only, and what edits it takes its own copy first
 * (config_vs_own()). Models live on the control-plane thread only, so
 * refs is a plain count. */
struct cfg_virtual_server {
	unsigned refs;
	enum cfg_vs_kind kind;
	enum cfg_af af;			/* fwmark: from the real servers or
					 * 'family'; default inet */
	enum cfg_proto protocol;	/* default TCP */
	struct cfg_endpoint ep;		/* CFG_VS_ADDR */
	uint32_t fwmark;		/* CFG_VS_FWMARK */
	char *group;			/* CFG_VS_GROUP */
	char lb_algo[16];		/* kernel scheduler name, <= 15 chars */
	struct strvec sched_flags;	/* sh-port, sh-fallback, mh-port, ... */
	enum cfg_lb_kind lb_kind;	/* default NAT */
	struct cfg_tunnel tun;		/* the real servers' default */
	int64_t persistence_timeout_ms;	/* 0: not persistent */
	struct cfg_addr persistence_granularity; /* netmask; ANY: none */
	char pe_name[16];		/* persistence_engine ("sip"), <= 15
					 * chars; "": the kernel's default */
	struct cfg_loc pe_loc;		/* where persistence_engine was set */
	int ops;			/* one-packet scheduling 0/1 */
	int alpha;			/* 0/1 */
	int omega;			/* 0/1 */
	int quorum;			/* default 1 */
	int hysteresis;			/* default 0 */
	char *quorum_up;
	char *quorum_down;
	struct cfg_endpoint sorry_server; /* af ANY: none */
	int sorry_server_inhibit;	/* 0/1 */
	struct cfg_check_opts co;
	struct cfg_real_server *rs;
	size_t n_rs, cap_rs;
	struct cfg_loc loc;
};

/* ---------------------------------------------------------------- */
/* haproxy */

enum cfg_proxy_kind {
	CFG_PROXY_DEFAULTS = 0,
	CFG_PROXY_LISTEN = 1,
	CFG_PROXY_FRONTEND = 2,
	CFG_PROXY_BACKEND = 3,
};

enum cfg_proxy_mode {
	CFG_MODE_UNSET = 0,
	CFG_MODE_TCP = 1,	/* HAProxy's default */
	CFG_MODE_HTTP = 2,
};

enum cfg_balance {
	CFG_BALANCE_UNSET = 0,
	CFG_BALANCE_ROUNDROBIN = 1,	/* default */
	CFG_BALANCE_STATIC_RR = 2,
	CFG_BALANCE_LEASTCONN = 3,
	CFG_BALANCE_SOURCE = 4,
	CFG_BALANCE_URI = 5,
	CFG_BALANCE_URL_PARAM = 6,	/* arg: the parameter */
	CFG_BALANCE_HDR = 7,		/* arg: the header name */
	CFG_BALANCE_RANDOM = 8,
	CFG_BALANCE_FIRST = 9,
};

enum cfg_timeout {
	CFG_TO_CONNECT = 0,
	CFG_TO_CLIENT = 1,
	CFG_TO_SERVER = 2,
	CFG_TO_HTTP_REQUEST = 3,
	CFG_TO_HTTP_KEEP_ALIVE = 4,
	CFG_TO_QUEUE = 5,
	CFG_TO_TUNNEL = 6,
	CFG_TO_CHECK = 7,
	CFG_TO_CLIENT_FIN = 8,	/* half-closed client side */
	CFG_TO_SERVER_FIN = 9,	/* half-closed server side */
	CFG_TO_COUNT = 10,
};

/* source ADDR[:PORT[-PORT]][,ADDR...]: the addresses a proxy's
 * connections to its servers leave from (several: softlb spreads the
 * connections over them, so one server can take more than one address's
 * ports). Plain data: copied with the structs holding it. */
#define CFG_SOURCE_MAX 8
struct cfg_source {
	int n;				/* 0: none (the kernel chooses) */
	struct cfg_addr addr[CFG_SOURCE_MAX];
	int port_lo, port_hi;		/* 0: any port (the kernel's range) */
	int usesrc_clientip;		/* 0/1: usesrc clientip: leave from the
					 * client's address (IP_TRANSPARENT) */
};

/* Server settings that default-server sets for the servers after it. */
struct cfg_server_opts {
	int weight;		/* 0-256, default 1 */
	int check;		/* 0/1 */
	int64_t inter_ms;	/* default 2 s */
	int64_t fastinter_ms;	/* default: inter */
	int64_t downinter_ms;	/* default: inter */
	int rise;		/* default 2 */
	int fall;		/* default 3 */
	int port;		/* check port; CFG_UNSET: the server's */
	struct cfg_addr addr;	/* check address; ANY: the server's */
	int backup;		/* 0/1 */
	int maxconn;		/* 0: none */
	int disabled;		/* 0/1 */
	int send_proxy;		/* PROXY protocol version sent first: 0 none, 1, 2 */
	int check_send_proxy;	/* 0/1: checks send it too whatever addr/port */
	struct cfg_source source;	/* n 0: the backend's */
	int pool_max_conn;	/* idle connections kept; -1 none (CFG_UNSET: 100) */
	int64_t pool_purge_ms;	/* idle connection lifetime (CFG_UNSET: 5 s) */
	/* TLS to the server (server ... ssl): plain data, so default-server
	 * copies stay simple; "" is none. */
	int ssl;		/* 0/1 */
	int ssl_verify;		/* 0 none, 1 required (CFG_UNSET: required) */
	int check_ssl;		/* 0/1: health checks over TLS */
	char ssl_ca[256];	/* ca-file */
	char ssl_crt[256];	/* crt: our certificate and key */
	char ssl_sni[128];	/* sni: "str(NAME)" or "ssl_fc_sni" */
	char ssl_verifyhost[128];	/* verifyhost: the name verified when
					 * no SNI is sent */
	char check_sni[128];	/* check-sni: the SNI of TLS health checks */
};

/* bind ADDR:PORT ssl ...: the TLS words of one address of a bind line,
 * kept as written (the proxy engine builds the TLS context from them and
 * reports a bad certificate at loc). */
struct cfg_bind_ssl {
	char *bind;		/* "ADDR:PORT", as cfg_endpoint_text writes it */
	char *opts;		/* "ssl crt site.pem alpn http/1.1" */
	char *stamp;		/* size, time and inode of each file named, so
				 * that a reload after a certificate renewal is
				 * a change (not printed) */
	struct cfg_loc loc;
};

struct cfg_server {
	char *name;
	struct cfg_endpoint ep;	/* port CFG_UNSET: the client's port */
	struct cfg_server_opts o;
	char *cookie;		/* cookie VALUE (persistence), or NULL */
	struct cfg_loc loc;
};

/* option NAME [ARGS...]; absent from the list means off */
struct cfg_option {
	char *name;
	char *args;		/* the arguments joined by one space, or NULL */
};

struct cfg_proxy {
	char *name;			/* "" for an unnamed defaults section */
	enum cfg_proxy_kind kind;
	/* Which defaults section this one was built on, as HAProxy does it:
	 * a proxy starts from the last defaults section before it, or from
	 * the one it names with 'from'; a defaults section starts from the
	 * built-in values, or from the one it names with 'from'.
	 * defaults_pos: index in config->defaults of the last defaults
	 * section before this proxy (for a defaults section: its own
	 * index); -1 when there is none. It fixes where the printer puts
	 * the section, so that loading the text builds it the same way.
	 * defaults_from: index of the defaults section named by 'from', or
	 * -1 when the section has no 'from'. */
	int defaults_pos;
	int defaults_from;
	enum cfg_proxy_mode mode;
	enum cfg_balance balance;
	char *balance_arg;
	int64_t timeout_ms[CFG_TO_COUNT];	/* CFG_UNSET: none */
	int maxconn;			/* 0: the global's */
	int retries;			/* default 3 */
	int http_reuse;			/* 0 safe (default), 1 never, 2 aggressive,
					 * 3 always (HAProxy's http-reuse) */
	int hash_type;			/* 0 map-based (default), 1 consistent */
	int hash_avalanche;		/* 0/1: hash-type ... avalanche */
	struct cfg_source source;	/* source on a backend or defaults */
	struct strvec accept_proxy;	/* the binds ("ADDR:PORT", as
					 * cfg_endpoint_text writes them) that
					 * read a PROXY header first */
	struct cfg_bind_ssl *bind_ssl;	/* the binds that speak TLS */
	size_t n_bind_ssl, cap_bind_ssl;
	struct cfg_option *options;	/* sorted by name, one per name */
	size_t n_options, cap_options;
	struct cfg_endpoint *binds;
	size_t n_binds, cap_binds;
	char *default_backend;
	struct cfg_server_opts default_server;
	struct cfg_server *servers;
	size_t n_servers, cap_servers;
	int stats_enabled;		/* 0/1 */
	char *stats_uri;
	int64_t stats_refresh_ms;	/* 0: none */
	char *stats_realm;
	struct strvec stats_auth;	/* user:password */
	int stats_hide_version;		/* 0/1 */
	int stats_show_legends;		/* 0/1: addresses and algorithms on the page */
	int http_check_expect_neg;	/* 0/1: the '!' */
	char *http_check_expect;	/* "status 200", "string OK"; NULL */
	/* Logging (hap_kw_log.c): each 'log' line's words after 'log', as
	 * written ("global", "127.0.0.1:514 local0 err"); inherited from
	 * defaults and appended to; 'no log' empties it. */
	struct strvec logs;
	char *log_tag;			/* NULL: the global one */
	char *log_format;		/* NULL: option httplog / tcplog / none */
	/* Cookie persistence (config/hap_cookie.h): the words after
	 * 'cookie', as written; NULL: none. */
	char *cookie;
	/* errorfile CODE FILE: "CODE FILE\n" then the answer as sent (read
	 * and checked at load, line ends made CRLF); one per code, inherited
	 * from defaults, a proxy's own replacing it. */
	struct strvec errorfiles;
	/* capture request|response header NAME len N: "request NAME N", in
	 * order (the order of %hr / %hs). */
	struct strvec captures;
	struct cfg_rules *rules;	/* acl, use_backend, http-request ... lines
					 * (config/rules.h); NULL: none */
	struct cfg_loc loc;
};

/* stats socket level: what a runtime-socket client may do. */
enum cfg_stats_level {
	CFG_STATS_LEVEL_OPERATOR = 0,	/* HAProxy's default: show, and light changes */
	CFG_STATS_LEVEL_USER = 1,	/* show only */
	CFG_STATS_LEVEL_ADMIN = 2,	/* everything */
};

struct cfg_hap_global {
	int maxconn;		/* 0: no limit set (derived from the file limit) */
	int maxpipes;		/* 0: not set (maxconn / 4) */
	int nbthread;		/* 0: one per core */
	char *stats_socket;	/* stats socket PATH (a unix socket); NULL: none */
	int stats_socket_mode;	/* mode M (octal); -1: unset (0600 after umask) */
	int stats_socket_level;	/* enum cfg_stats_level */
	int64_t stats_timeout_ms;	/* stats timeout; 0: unset (10 s) */
	struct strvec logs;	/* global 'log' lines, as in cfg_proxy */
	char *log_tag;		/* NULL: "softlbd" */
	struct cfg_rules *userlists;	/* userlist sections' lines (config/rules.h):
					 * "userlist L", "userlist L user U ..." */
	/* ssl-default-bind-*: what a TLS bind uses unless it says (NULL:
	 * softlb's secure defaults) */
	char *ssl_bind_ciphers;
	char *ssl_bind_ciphersuites;
	char *ssl_bind_options;	/* the words, as written */
};

/* ---------------------------------------------------------------- */

/* An `include` line of a keepalived-dialect file, kept so that `write
 * memory` can write each object back to the file it came from and keep
 * the include lines where they were. */
struct cfg_include {
	struct cfg_loc loc;	/* the file and line of the include line */
	char *pattern;		/* as written: a file name or a glob */
	bool nested;		/* inside a block, or the included text leaves
				 * a block open or closes one it did not
				 * open: objects then span files */
};

/* The names of the files a model was read from, which every cfg_loc
 * points into. Shared by a model and its copies, because their virtual
 * servers are (a shared object's location must outlive the model that
 * read it); append-only, so a name never moves. */
struct cfg_files {
	unsigned refs;
	struct strvec names;
};

/* The whole model. Owns every object and string below it, but for the
 * virtual servers and the file names, which it shares (counted). */
/* A virtual server's identity, typed: what configure mode, the edit
 * marks and the diff of an edit look it up by (config/edit.h parses and
 * formats it). */
struct config_vs_key {
	enum cfg_vs_kind kind;
	enum cfg_proto protocol;	/* CFG_VS_ADDR, CFG_VS_GROUP */
	struct cfg_endpoint ep;		/* CFG_VS_ADDR */
	uint32_t fwmark;		/* CFG_VS_FWMARK */
	char group[64];			/* CFG_VS_GROUP */
};

/* The objects configure mode edited in a copy of the running model
 * (edit.h), so that config_edit_finish() validates those, not the whole
 * model: virtual servers by key, the others by name. */
struct cfg_edit_marks {
	bool all;		/* a top-level object went: validate all */
	struct config_vs_key *vs;	/* each once */
	size_t n_vs, cap_vs;
	struct strvec vs_groups;
	struct strvec proxies;
	struct strvec vrrp;
};

struct config {
	char *kad_path;		/* files it came from (NULL: none), so */
	char *hap_path;		/* 'write memory' knows where to save */
	struct cfg_files *files;	/* every file read; cfg_loc points
					 * here; shared with copies */
	struct cfg_include *includes;	/* keepalived include lines, in the
					 * order they were read */
	size_t n_includes, cap_includes;
	struct strvec kad_included;	/* the files they read, as named in
					 * cfg_loc, in order, each once */
	struct cfg_global global;
	struct cfg_vrrp_script *scripts;
	size_t n_scripts, cap_scripts;
	struct cfg_vrrp_instance *vrrp;
	size_t n_vrrp, cap_vrrp;
	struct cfg_sync_group *sync_groups;
	size_t n_sync_groups, cap_sync_groups;
	struct cfg_vs_group *vs_groups;
	size_t n_vs_groups, cap_vs_groups;
	struct cfg_virtual_server **vs;	/* each shared, see above */
	size_t n_vs, cap_vs;
	struct cfg_hap_global hap;
	struct cfg_proxy builtin;	/* HAProxy's built-in defaults: the
					 * base of whatever no defaults
					 * section comes before */
	struct cfg_proxy *defaults;	/* every defaults section, in order */
	size_t n_defaults, cap_defaults;
	struct cfg_proxy *proxies;
	size_t n_proxies, cap_proxies;
	/* Set on a copy made for an edit (config_clone); NULL otherwise. */
	struct cfg_edit_marks *edit_marks;
};

#endif
