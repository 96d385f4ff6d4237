/* The runtime socket's command line (px_cli.h): HAProxy 2.6's framing
 * and the commands an LB manager (hatop, scripts) needs. Every change
 * goes through runtime_set(), the shell's own override path. */
#include "config.h"

#include "proxy/px_cli.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

#include "check/check.h"
#include "config/edit.h"
#include "config/index.h"
#include "config/model.h"
#include "core/confmgr.h"
#include "core/daemon.h"
#include "core/events.h"
#include "core/runtime.h"
#include "lvs/lvs.h"
#include "proxy/proxy_int.h"
#include "proxy/px_stat.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MAX_WORDS 16

/* Levels in order of what they allow. */
static int rank(enum cfg_stats_level l)
{
	switch (l) {
	case CFG_STATS_LEVEL_USER: return 0;
	case CFG_STATS_LEVEL_OPERATOR: return 1;
	case CFG_STATS_LEVEL_ADMIN: return 2;
	}
	return 0;
}

struct cli_cmd;
typedef void (*cli_fn)(struct px_cli_sess *s, char **av, int ac, struct strbuf *out);

struct cli_cmd {
	const char *w[3];		/* the keywords that name it */
	const char *usage;
	const char *help;
	enum cfg_stats_level level;	/* the lowest level that may run it */
	cli_fn fn;
};

static struct px_engine *engine(struct px_cli_sess *s)
{
	struct px_engine *e = s->d ? px_engine_of(s->d) : NULL;

	return e && e->snap ? e : NULL;
}

/* ------------------------------------------------------------------ */
/* Finding servers: PX/SRV of the proxy engine, or of an LVS virtual
 * server ("TCP_192.0.2.10:80/198.51.100.11:80", as show stat names it). */

struct target {
	const struct px_proxy *px;	/* a proxy's server ... */
	const struct px_server *srv;
	const struct cfg_virtual_server *vs;	/* ... or an LVS real server */
	const struct cfg_real_server *rs;
	struct runtime_key key;		/* borrows the names above */
	char *object;			/* the journal's object */
	int iweight;			/* configured weight */
	int weight;			/* in force */
};

/* The proxy name show stat gives virtual server vs. */
static void lvs_pxname(const struct cfg_virtual_server *vs, struct strbuf *out)
{
	size_t at = out->len;

	cfg_vs_identity(vs, out);
	for (size_t i = at; i < out->len; i++)
		if (out->data[i] == ' ')
			out->data[i] = '_';
}

/* Reads a name lvs_pxname() wrote ("TCP_192.0.2.10:80", "fwmark_7_(IPv4)",
 * "UDP_group_G") into id, a virtual server that only names one (its
 * group borrows buf). Returns false when name is none of those. */
static bool pxname_vs(char *buf, struct cfg_virtual_server *id)
{
	static const char *const protos[] = { "TCP", "UDP", "SCTP" };
	static const enum cfg_proto pvals[] = { CFG_PROTO_TCP, CFG_PROTO_UDP, CFG_PROTO_SCTP };
	char *rest;

	/* init allocates nothing, so id needs no cleanup */
	cfg_virtual_server_init(id);
	if (strncmp(buf, "fwmark_", 7) == 0) {
		char *end;
		unsigned long mark = strtoul(buf + 7, &end, 10);

		if (end == buf + 7 || mark == 0 || mark > UINT32_MAX)
			return false;
		id->kind = CFG_VS_FWMARK;
		id->fwmark = (uint32_t)mark;
		if (strcmp(end, "_(IPv4)") == 0)
			id->af = CFG_AF_INET4;
		else if (strcmp(end, "_(IPv6)") == 0)
			id->af = CFG_AF_INET6;
		else
			return false;
		return true;
	}
	rest = strchr(buf, '_');
	if (!rest)
		return false;
	*rest++ = '\0';
	for (size_t i = 0; i < 3; i++)
		if (strcmp(buf, protos[i]) == 0)
			id->protocol = pvals[i];
	if (!id->protocol)
		return false;
	if (strncmp(rest, "group_", 6) == 0 && rest[6]) {
		id->kind = CFG_VS_GROUP;
		id->group = rest + 6;
		return true;
	}
	id->kind = CFG_VS_ADDR;
	return config_parse_endpoint(rest, 0, &id->ep);
}

/* The virtual server show stat names pxname (len bytes), found through
 * the running model's index: one hash lookup, not a name formatted for
 * each of 10,000 virtual servers. */
static const struct cfg_virtual_server *find_lvs(struct px_cli_sess *s, const char *pxname,
						 size_t len)
{
	const struct cfg_virtual_server *vs;
	struct cfg_virtual_server id;
	struct strbuf n = STRBUF_INIT;
	char *buf;
	bool same;

	if (!s->d || !s->d->config || len > 512)
		return NULL;
	buf = xstrndup(pxname, len);
	vs = pxname_vs(buf, &id) ? config_index_vs(confmgr_index(s->d), &id) : NULL;
	free(buf);
	if (!vs)
		return NULL;
	/* The name it is shown by, exactly: "tcp_..." or "TCP_0192.0.2.10:80"
	 * parse to the same key but are not its name. */
	lvs_pxname(vs, &n);
	same = n.len == len && memcmp(n.data, pxname, len) == 0;
	strbuf_free(&n);
	return same ? vs : NULL;
}

static int find_target(struct px_cli_sess *s, const char *arg, struct target *t,
		       struct strbuf *out)
{
	struct px_engine *e = engine(s);
	const char *slash = strchr(arg, '/');
	const struct cfg_virtual_server *vs;
	size_t pl;

	memset(t, 0, sizeof(*t));
	if (!slash || slash == arg || !slash[1]) {
		strbuf_puts(out, "Require 'backend/server'.\n");
		return -1;
	}
	pl = (size_t)(slash - arg);
	for (size_t i = 0; e && i < e->snap->n_proxies; i++) {
		const struct px_proxy *p = &e->snap->proxies[i];
		struct strbuf k = STRBUF_INIT;

		if (p->kind == CFG_PROXY_FRONTEND || strlen(p->name) != pl ||
		    memcmp(p->name, arg, pl) != 0)
			continue;
		for (size_t j = 0; j < p->n_srv; j++) {
			if (strcmp(p->srv[j].name, slash + 1) != 0)
				continue;
			t->px = p;
			t->srv = &p->srv[j];
			t->iweight = p->srv[j].iweight;
			t->weight = p->srv[j].weight;
			runtime_key_server(&t->key, p->name, p->srv[j].name);
			strbuf_printf(&k, "server %s/%s", p->name, p->srv[j].name);
			t->object = strbuf_detach(&k);
			return 0;
		}
		strbuf_puts(out, "No such server.\n");
		return -1;
	}
	vs = find_lvs(s, arg, pl);
	if (vs) {
		struct cfg_endpoint ep;
		const struct cfg_real_server *rs = NULL;

		/* The real server as show stat prints it: parsed, then
		 * printed back, must be what was typed. */
		if (config_parse_endpoint(slash + 1, 0, &ep))
			rs = cfg_vs_find_rs(vs, &ep);
		if (rs) {
			struct strbuf txt = STRBUF_INIT, obj = STRBUF_INIT;
			const struct runtime_override *o;

			cfg_endpoint_text(&rs->ep, &txt);
			if (strcmp(strbuf_str(&txt), slash + 1) == 0) {
				t->vs = vs;
				t->rs = rs;
				runtime_key_rs_of(&t->key, vs, &rs->ep);
				strbuf_puts(&obj, "rs ");
				cfg_vs_identity(vs, &obj);
				strbuf_printf(&obj, " %s", strbuf_str(&txt));
				t->object = strbuf_detach(&obj);
				t->iweight = t->rs->weight;
				o = runtime_lookup(s->d->runtime, &t->key);
				t->weight = o && o->weight >= 0 ? o->weight : t->iweight;
				strbuf_free(&txt);
				return 0;
			}
			strbuf_free(&txt);
		}
		strbuf_puts(out, "No such server.\n");
		return -1;
	}
	strbuf_puts(out, "No such backend.\n");
	return -1;
}

static void target_free(struct target *t)
{
	free(t->object);
}

/* Sets an override on t through the shell's path (journalled). */
static void act(struct px_cli_sess *s, struct target *t, enum runtime_action a, int weight,
		struct strbuf *out)
{
	struct strbuf said = STRBUF_INIT, warn = STRBUF_INIT;
	struct event_actor by;

	memset(&by, 0, sizeof(by));
	snprintf(by.user, sizeof(by.user), "%.63s", s->who);
	by.uid = s->uid;
	by.role = "admin";
	/* HAProxy answers a success with nothing: the shell's sentence
	 * is for the journal reader, not for this client. */
	if (runtime_set(s->d, &t->key, t->object, a, weight, s->who, &by, &said, &warn) < 0)
		strbuf_printf(out, "%s", strbuf_str(&warn));
	strbuf_free(&said);
	strbuf_free(&warn);
}

/* ------------------------------------------------------------------ */
/* Commands                                                            */

static void cmd_help(struct px_cli_sess *s, char **av, int ac, struct strbuf *out);

static void cmd_prompt(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	(void)av;
	(void)ac;
	(void)out;
	s->prompt = !s->prompt;
}

static void cmd_quit(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	(void)av;
	(void)ac;
	(void)out;
	s->quit = true;
}

static void cmd_level(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	enum cfg_stats_level want = strcmp(av[0], "user") == 0 ? CFG_STATS_LEVEL_USER
				    : CFG_STATS_LEVEL_OPERATOR;

	(void)ac;
	/* A session lowers its level, never raises it. */
	if (rank(want) > rank(s->level)) {
		strbuf_puts(out, "Permission denied\n");
		return;
	}
	s->level = want;
}

static void cmd_cli_level(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	static const char *const names[] = { "operator", "user", "admin" };

	(void)av;
	(void)ac;
	strbuf_printf(out, "%s\n", names[s->level]);
}

static void cmd_timeout(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	char *end;
	long v;

	if (ac != 4 || strcmp(av[2], "cli") != 0) {
		strbuf_puts(out, "'set timeout' only supports 'cli'.\n");
		return;
	}
	v = strtol(av[3], &end, 10);
	if (end == av[3] || *end || v < 0 || v > 86400 * 24) {
		strbuf_puts(out, "Expects an integer value.\n");
		return;
	}
	s->timeout_ms = (int64_t)v * 1000;
}

/* Release date in the form HAProxy prints (YYYY/MM/DD, no spaces: hatop
 * reads it as \S+): configure's SOFTLB_RELEASE_DATE, which is the date of
 * SOURCE_DATE_EPOCH when set (a reproducible package build) and of the
 * configure run otherwise; never the compiler's __DATE__, which makes two
 * builds of one source differ. */
static void release_date(char out[16])
{
	snprintf(out, 16, "%s", SOFTLB_RELEASE_DATE);
}

static void cmd_info(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct px_engine *e = engine(s);
	time_t now = time(NULL);
	long up = s->d && now > s->d->started ? (long)(now - s->d->started) : 0;
	uint64_t cur = 0, cum = 0, req = 0, bout = 0;
	size_t sessions = 0, listeners = 0;
	struct rlimit rl = { 0, 0 };
	char date[16];

	(void)av;
	(void)ac;
	getrlimit(RLIMIT_NOFILE, &rl);
	release_date(date);
	for (size_t i = 0; e && i < e->snap->n_proxies; i++) {
		const struct px_proxy *p = &e->snap->proxies[i];

		if (p->kind == CFG_PROXY_BACKEND)
			continue;
		for (size_t w = 0; w < p->st->n_slots; w++) {
			cur += px_ld(&p->st->slots[w].cur);
			cum += px_ld(&p->st->slots[w].total);
			req += px_ld(&p->st->slots[w].requests);
			bout += px_ld(&p->st->slots[w].bytes_out);
		}
	}
	sessions = (size_t)cur;
	listeners = e ? e->snap->n_binds : 0;
	strbuf_printf(out, "Name: softlb\nVersion: %s\nRelease_date: %s\nNbthread: %zu\n"
		      "Nbproc: 1\nProcess_num: 1\nPid: %d\n", PACKAGE_VERSION, date,
		      e ? e->n_workers : 0, s->d ? (int)s->d->pid : 0);
	strbuf_printf(out, "Uptime: %ldd %ldh%02ldm%02lds\nUptime_sec: %ld\n", up / 86400,
		      (up % 86400) / 3600, (up % 3600) / 60, up % 60, up);
	strbuf_printf(out, "Memmax_MB: 0\nPoolAlloc_MB: 0\nPoolUsed_MB: 0\nPoolFailed: 0\n"
		      "Ulimit-n: %llu\nMaxsock: %llu\nMaxconn: %d\nHard_maxconn: %d\n",
		      (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_cur,
		      e ? e->snap->maxconn : 0, e ? e->snap->maxconn : 0);
	strbuf_printf(out, "CurrConns: %" PRIu64 "\nCumConns: %" PRIu64 "\nCumReq: %" PRIu64 "\n",
		      cur, cum, req);
	strbuf_puts(out, "MaxSslConns: 0\nCurrSslConns: 0\nCumSslConns: 0\n"
		    "Maxpipes: 0\nPipesUsed: 0\nPipesFree: 0\n");
	/* Tasks: the control plane's armed timers; softlb has no run queue
	 * (a ready event runs at once). */
	strbuf_printf(out, "Tasks: %zu\nRun_queue: 0\n",
		      s->d && s->d->loop ? loop_timer_count(s->d->loop) : 0);
	strbuf_printf(out, "node: %s\nStopping: %d\nJobs: %zu\nListeners: %zu\n",
		      s->d && s->d->hostname[0] ? s->d->hostname : "-",
		      s->d && s->d->stopping ? 1 : 0, sessions + listeners, listeners);
	strbuf_printf(out, "TotalBytesOut: %" PRIu64 "\nBuild info: %s\nStart_time_sec: %lld\n"
		      "Tainted: 0\n", bout, PACKAGE_VERSION,
		      (long long)(s->d ? s->d->started : 0));
}

/* The health checks' detail, indexed once per show stat: asking the
 * check engine member by member would cost a walk over every target for
 * each row, and show stat (which hatop sends every second or so) must
 * stay linear in the number of servers on the control plane's thread.
 * The first target of a (group, member) speaks for it, as in
 * check_member_info(). */
struct ck_entry {
	char *key;			/* "group\x1fmember" */
	struct check_member_info ci;
};

struct ck_index {
	struct ck_entry *v;
	size_t cap;			/* a power of two, or 0 */
	size_t n;
};

static uint64_t ck_hash(const char *g, const char *m)
{
	uint64_t h = 1469598103934665603ull;

	for (; *g; g++)
		h = (h ^ (unsigned char)*g) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (; *m; m++)
		h = (h ^ (unsigned char)*m) * 1099511628211ull;
	return h;
}

static bool ck_same(const char *key, const char *g, const char *m)
{
	size_t gl = strlen(g);

	return strncmp(key, g, gl) == 0 && key[gl] == 0x1f && strcmp(key + gl + 1, m) == 0;
}

static void ck_count(const char *g, const char *m, const struct check_member_info *ci, void *arg)
{
	(void)g, (void)m, (void)ci;
	((struct ck_index *)arg)->n++;
}

static void ck_add(const char *g, const char *m, const struct check_member_info *ci, void *arg)
{
	struct ck_index *ix = arg;
	size_t i = (size_t)ck_hash(g, m) & (ix->cap - 1);
	struct strbuf k = STRBUF_INIT;

	for (; ix->v[i].key; i = (i + 1) & (ix->cap - 1))
		if (ck_same(ix->v[i].key, g, m))
			return;	/* the first target speaks for the member */
	strbuf_printf(&k, "%s\x1f%s", g, m);
	ix->v[i].key = strbuf_detach(&k);
	ix->v[i].ci = *ci;
}

static void ck_build(struct px_cli_sess *s, struct ck_index *ix)
{
	struct check_engine *ce = s->d ? check_engine_of(s->d) : NULL;

	memset(ix, 0, sizeof(*ix));
	if (!ce)
		return;
	check_visit_members(ce, ck_count, ix);
	if (!ix->n)
		return;
	ix->cap = 16;
	while (ix->cap < 2 * ix->n)
		ix->cap *= 2;
	ix->v = xcalloc(ix->cap, sizeof(*ix->v));
	check_visit_members(ce, ck_add, ix);
}

static const struct check_member_info *ck_find(const struct ck_index *ix, const char *g,
					       const char *m)
{
	if (!ix->cap)
		return NULL;
	for (size_t i = (size_t)ck_hash(g, m) & (ix->cap - 1); ix->v[i].key;
	     i = (i + 1) & (ix->cap - 1))
		if (ck_same(ix->v[i].key, g, m))
			return &ix->v[i].ci;
	return NULL;
}

static void ck_free(struct ck_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		free(ix->v[i].key);
	free(ix->v);
}

/* Adds what only the control plane knows: the health checks' detail.
 * Returns the member's check info, or NULL when it has no check. */
static const struct check_member_info *check_fields(const struct ck_index *ix,
						    struct px_stat_row *r, const char *group,
						    const char *member)
{
	const struct check_member_info *ci = ck_find(ix, group, member);
	const char *st = r->v[PX_F_STATUS];

	if (!ci)
		return NULL;
	if (st && strcmp(st, "MAINT") != 0 && strcmp(st, "DRAIN") != 0)
		px_stat_sets(r, PX_F_STATUS, ci->progress);
	if (!ci->last_check)
		return ci;
	px_stat_sets(r, PX_F_CHECK_STATUS, check_code_name(ci->code));
	px_stat_setu(r, PX_F_CHECK_DURATION, ci->latency_ms);
	px_stat_sets(r, PX_F_LAST_CHK, ci->reason);
	px_stat_sets(r, PX_F_CHECK_DESC, ci->reason);
	return ci;
}

/* show stat [{iid|name} type sid] [up|no-maint]: the filter as HAProxy
 * reads it (type a mask: 1 frontend, 2 backend, 4 server; -1 all). */
struct stat_filter {
	struct px_cli_sess *s;
	struct strbuf *out;
	int iid;			/* -1: all */
	const char *name;		/* or by name */
	int mask;
	int sid;
	bool up, no_maint;
	bool legends;			/* addr and algo: operator level and above */
	struct ck_index ck;
};

static bool keep_row(const struct stat_filter *f, const struct px_stat_row *r, int iid, int sid,
		     const char *pxname)
{
	int bit = r->type == PX_STAT_FE ? 1 : r->type == PX_STAT_BE ? 2 : 4;
	const char *st = r->v[PX_F_STATUS] ? r->v[PX_F_STATUS] : "";

	if (f->name && strcmp(f->name, pxname) != 0)
		return false;
	if (f->iid >= 0 && f->iid != iid)
		return false;
	if (f->mask != -1 && !(f->mask & bit))
		return false;
	if (f->sid >= 0 && r->type == PX_STAT_SRV && f->sid != sid)
		return false;
	if (r->type == PX_STAT_SRV && f->up && strncmp(st, "UP", 2) != 0 &&
	    strcmp(st, "no check") != 0)
		return false;
	if (r->type == PX_STAT_SRV && f->no_maint && strncmp(st, "MAINT", 5) == 0)
		return false;
	return true;
}

static void on_stat_row(struct px_stat_row *r, void *arg)
{
	struct stat_filter *f = arg;
	if (!keep_row(f, r, r->px->iid, r->srv ? r->srv->sid : 0, r->px->name))
		return;
	if (r->srv)
		check_fields(&f->ck, r, r->px->name, r->srv->name);
	px_stat_csv_row(r, f->out);
}

/* The LVS virtual servers, as mode tcp proxies after the proxy engine's
 * (iid going on from them): FRONTEND, a row per real server, BACKEND.
 * State and weight from the overrides and the health checks; the
 * kernel's counters are `show lvs`'s business (none here when IPVS is
 * not loaded). */
static void lvs_rows(struct stat_filter *f, int iid0)
{
	const struct config *cfg = f->s->d ? f->s->d->config : NULL;

	for (size_t i = 0; cfg && i < cfg->n_vs; i++) {
		const struct cfg_virtual_server *vs = cfg->vs[i];
		struct strbuf name = STRBUF_INIT, id = STRBUF_INIT;
		struct px_stat_row r;
		int iid = iid0 + (int)i, weight = 0, act_n = 0;

		lvs_pxname(vs, &name);
		cfg_vs_identity(vs, &id);
		px_stat_clear(&r);
		r.type = PX_STAT_FE;
		px_stat_sets(&r, PX_F_PXNAME, strbuf_str(&name));
		px_stat_sets(&r, PX_F_SVNAME, "FRONTEND");
		px_stat_sets(&r, PX_F_STATUS, "OPEN");
		px_stat_setu(&r, PX_F_PID, 1);
		px_stat_seti(&r, PX_F_IID, iid);
		px_stat_seti(&r, PX_F_SID, 0);
		px_stat_seti(&r, PX_F_TYPE, PX_STAT_FE);
		px_stat_sets(&r, PX_F_MODE, "tcp");
		if (keep_row(f, &r, iid, 0, strbuf_str(&name)))
			px_stat_csv_row(&r, f->out);
		for (size_t j = 0; j < vs->n_rs; j++) {
			const struct cfg_real_server *rs = &vs->rs[j];
			struct runtime_key key;
			const struct runtime_override *o;

			runtime_key_rs_of(&key, vs, &rs->ep);
			o = runtime_lookup(f->s->d->runtime, &key);
			struct strbuf ep = STRBUF_INIT;
			int w = o && o->weight >= 0 ? o->weight : rs->weight;
			const char *st = "no check";

			cfg_endpoint_text(&rs->ep, &ep);
			if (o && o->admin == RUNTIME_DISABLED)
				st = "MAINT";
			else if (o && o->admin == RUNTIME_DRAINING)
				st = "DRAIN";
			px_stat_clear(&r);
			r.type = PX_STAT_SRV;
			px_stat_sets(&r, PX_F_PXNAME, strbuf_str(&name));
			px_stat_sets(&r, PX_F_SVNAME, strbuf_str(&ep));
			px_stat_sets(&r, PX_F_STATUS, st);
			px_stat_seti(&r, PX_F_WEIGHT, w);
			px_stat_seti(&r, PX_F_ACT, 1);
			px_stat_seti(&r, PX_F_BCK, 0);
			px_stat_setu(&r, PX_F_PID, 1);
			px_stat_seti(&r, PX_F_IID, iid);
			px_stat_seti(&r, PX_F_SID, (int)j + 1);
			px_stat_seti(&r, PX_F_TYPE, PX_STAT_SRV);
			if (f->legends)
				px_stat_sets(&r, PX_F_ADDR, strbuf_str(&ep));
			px_stat_sets(&r, PX_F_MODE, "tcp");
			px_stat_seti(&r, PX_F_UWEIGHT, w);
			check_fields(&f->ck, &r, strbuf_str(&id), strbuf_str(&ep));
			/* The backend's weight: its servers that take traffic. */
			if (strcmp(r.v[PX_F_STATUS], "UP") == 0 ||
			    strcmp(r.v[PX_F_STATUS], "no check") == 0 ||
			    strncmp(r.v[PX_F_STATUS], "DOWN ", 5) == 0) {
				weight += w;
				act_n++;
			}
			if (keep_row(f, &r, iid, (int)j + 1, strbuf_str(&name)))
				px_stat_csv_row(&r, f->out);
			strbuf_free(&ep);
		}
		px_stat_clear(&r);
		r.type = PX_STAT_BE;
		px_stat_sets(&r, PX_F_PXNAME, strbuf_str(&name));
		px_stat_sets(&r, PX_F_SVNAME, "BACKEND");
		px_stat_sets(&r, PX_F_STATUS, act_n && weight ? "UP" : "DOWN");
		px_stat_seti(&r, PX_F_WEIGHT, weight);
		px_stat_seti(&r, PX_F_ACT, act_n);
		px_stat_seti(&r, PX_F_BCK, 0);
		px_stat_setu(&r, PX_F_PID, 1);
		px_stat_seti(&r, PX_F_IID, iid);
		px_stat_seti(&r, PX_F_SID, 0);
		px_stat_seti(&r, PX_F_TYPE, PX_STAT_BE);
		px_stat_sets(&r, PX_F_MODE, "tcp");
		if (f->legends)
			px_stat_sets(&r, PX_F_ALGO, vs->lb_algo);
		if (keep_row(f, &r, iid, 0, strbuf_str(&name)))
			px_stat_csv_row(&r, f->out);
		strbuf_free(&name);
		strbuf_free(&id);
	}
}

static bool parse_int(const char *s, long *v)
{
	char *end;

	*v = strtol(s, &end, 10);
	return end != s && !*end;
}

static void cmd_stat(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct px_engine *e = engine(s);
	struct stat_filter f = { .s = s, .out = out, .iid = -1, .mask = -1, .sid = -1,
				 .legends = rank(s->level) >= rank(CFG_STATS_LEVEL_OPERATOR) };
	int i = 2;
	long v;

	if (ac >= 5 && strcmp(av[2], "typed") != 0 && strcmp(av[2], "json") != 0) {
		long t, sid;

		if (!parse_int(av[3], &t) || !parse_int(av[4], &sid)) {
			strbuf_puts(out, "Usage: show stat [{<iid>|<proxy>} <type> <sid>] "
				    "[up|no-maint]\n");
			return;
		}
		if (parse_int(av[2], &v))
			f.iid = (int)v;
		else
			f.name = av[2];
		f.mask = (int)t;
		f.sid = (int)sid;
		i = 5;
	}
	for (; i < ac; i++) {
		if (strcmp(av[i], "up") == 0) {
			f.up = true;
		} else if (strcmp(av[i], "no-maint") == 0) {
			f.no_maint = true;
		} else if (strcmp(av[i], "typed") == 0 || strcmp(av[i], "json") == 0 ||
			   strcmp(av[i], "desc") == 0) {
			strbuf_printf(out, "softlb answers show stat in CSV only, not '%s'.\n",
				      av[i]);
			return;
		} else {
			strbuf_puts(out, "Usage: show stat [{<iid>|<proxy>} <type> <sid>] "
				    "[up|no-maint]\n");
			return;
		}
	}
	px_stat_csv_header(out);
	ck_build(s, &f.ck);
	if (e)
		px_stat_rows(e->snap, time(NULL), f.legends, on_stat_row, &f);
	lvs_rows(&f, (e ? e->snap->iid0 + (int)e->snap->n_proxies : 2));
	ck_free(&f.ck);
}

static void cmd_servers_state(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct px_engine *e = engine(s);
	time_t now = time(NULL);
	bool found = ac < 4;

	strbuf_puts(out, "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state "
		    "srv_admin_state srv_uweight srv_iweight srv_time_since_last_change "
		    "srv_check_status srv_check_result srv_check_health srv_check_state "
		    "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord "
		    "srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n");
	for (size_t i = 0; e && i < e->snap->n_proxies; i++) {
		const struct px_proxy *p = &e->snap->proxies[i];

		if (p->kind == CFG_PROXY_FRONTEND || (ac >= 4 && strcmp(av[3], p->name) != 0))
			continue;
		found = true;
		for (size_t j = 0; j < p->n_srv; j++) {
			const struct px_server *sv = &p->srv[j];
			struct strbuf a = STRBUF_INIT;
			struct runtime_key rk;
			const struct runtime_override *o;
			char ip[64] = "-";
			unsigned port = 0;
			int op = sv->state == PX_SRV_UP || sv->state == PX_SRV_DRAIN ? 2 : 0;
			int admin = 0;
			long since = 0;

			runtime_key_server(&rk, p->name, sv->name);
			o = runtime_lookup(s->d->runtime, &rk);
			/* FMAINT 0x01 (forced by the operator), CMAINT 0x04
			 * (disabled in the configuration), FDRAIN 0x08. */
			if (sv->state == PX_SRV_MAINT)
				admin = o && o->admin == RUNTIME_DISABLED ? 0x01 : 0x04;
			if (sv->state == PX_SRV_DRAIN)
				admin = 0x08;
			if (o && now > o->since)
				since = (long)(now - o->since);
			if (sv->addr.ss_family == AF_INET6) {
				const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&sv->addr;

				inet_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof(ip));
				port = ntohs(a6->sin6_port);
			} else {
				const struct sockaddr_in *a4 = (const struct sockaddr_in *)&sv->addr;

				inet_ntop(AF_INET, &a4->sin_addr, ip, sizeof(ip));
				port = ntohs(a4->sin_port);
			}
			strbuf_printf(out, "%d %s %d %s %s %d %d %d %d %ld 0 %d 0 %d 0 0 0 - %u - 0 0 "
				      "- - 0\n", p->iid, p->name, sv->sid, sv->name, ip, op, admin,
				      sv->weight, sv->iweight, since, sv->checked ? 3 : 0,
				      sv->checked ? 6 : 0, port);
			strbuf_free(&a);
		}
	}
	if (!found) {
		strbuf_reset(out);
		strbuf_puts(out, "Can't find backend.\n");
	}
}

static void cmd_backend(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct px_engine *e = engine(s);

	(void)av;
	(void)ac;
	strbuf_puts(out, "# name\n");
	for (size_t i = 0; e && i < e->snap->n_proxies; i++)
		if (e->snap->proxies[i].kind != CFG_PROXY_FRONTEND)
			strbuf_printf(out, "%s\n", e->snap->proxies[i].name);
}

static void cmd_version(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	(void)s;
	(void)av;
	(void)ac;
	strbuf_puts(out, PACKAGE_VERSION "\n");
}

static void cmd_get_weight(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct target t;

	if (ac != 3) {
		strbuf_puts(out, "Require 'backend/server'.\n");
		return;
	}
	if (find_target(s, av[2], &t, out) < 0)
		return;
	strbuf_printf(out, "%d (initial %d)\n", t.weight, t.iweight);
	target_free(&t);
}

static void cmd_enable_disable(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct target t;

	if (ac != 3) {
		strbuf_puts(out, "Require 'backend/server'.\n");
		return;
	}
	if (find_target(s, av[2], &t, out) < 0)
		return;
	act(s, &t, strcmp(av[0], "disable") == 0 ? RUNTIME_ACT_DISABLE : RUNTIME_ACT_ENABLE, -1,
	    out);
	target_free(&t);
}

/* set weight PX/SRV N|N%: N from 0 to 256, N% of the configured weight. */
static void cmd_set_weight(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct target t;
	char *end;
	long w;
	bool pct;

	if (ac != 4) {
		strbuf_puts(out, "Require 'backend/server' and 'weight' or 'weight%'.\n");
		return;
	}
	w = strtol(av[3], &end, 10);
	pct = *end == '%' && end[1] == '\0';
	if (end == av[3] || (*end && !pct)) {
		strbuf_puts(out, "Require 'backend/server' and 'weight' or 'weight%'.\n");
		return;
	}
	if (!pct && (w < 0 || w > 256)) {
		strbuf_puts(out, "Absolute weight can only be between 0 and 256 inclusive.\n");
		return;
	}
	if (pct && w < 0) {
		strbuf_puts(out, "Relative weight must be positive.\n");
		return;
	}
	if (pct && w > 100000) {
		strbuf_puts(out, "Relative weight too high.\n");
		return;
	}
	if (find_target(s, av[2], &t, out) < 0)
		return;
	if (pct) {
		w = ((long)t.iweight * w + 50) / 100;
		if (w > 256)
			w = 256;
	}
	act(s, &t, RUNTIME_ACT_WEIGHT, (int)w, out);
	target_free(&t);
}

/* set server PX/SRV state ready|drain|maint, or weight N. */
static void cmd_set_server(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	struct target t;
	enum runtime_action a;

	if (ac == 5 && strcmp(av[3], "weight") == 0) {
		char *w4[4] = { av[0], av[1], av[2], av[4] };

		cmd_set_weight(s, w4, 4, out);
		return;
	}
	if (ac != 5 || strcmp(av[3], "state") != 0) {
		strbuf_puts(out, "'set server <srv>' only supports 'state' and 'weight' in "
			    "softlb.\n");
		return;
	}
	if (strcmp(av[4], "ready") == 0)
		a = RUNTIME_ACT_ENABLE;
	else if (strcmp(av[4], "drain") == 0)
		a = RUNTIME_ACT_DRAIN;
	else if (strcmp(av[4], "maint") == 0)
		a = RUNTIME_ACT_DISABLE;
	else {
		strbuf_puts(out, "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n");
		return;
	}
	if (find_target(s, av[2], &t, out) < 0)
		return;
	act(s, &t, a, -1, out);
	target_free(&t);
}

#define U CFG_STATS_LEVEL_USER
#define A CFG_STATS_LEVEL_ADMIN

static const struct cli_cmd cmds[] = {
	{ { "disable", "server", NULL }, "disable server <bk>/<srv>",
	  "disable a server for maintenance (MAINT)", A, cmd_enable_disable },
	{ { "enable", "server", NULL }, "enable server <bk>/<srv>",
	  "enable a disabled server", A, cmd_enable_disable },
	{ { "get", "weight", NULL }, "get weight <bk>/<srv>",
	  "report a server's current weight", U, cmd_get_weight },
	{ { "set", "server", NULL }, "set server <bk>/<srv> state|weight",
	  "state ready|drain|maint, or weight <w>", A, cmd_set_server },
	{ { "set", "timeout", NULL }, "set timeout cli <delay>",
	  "set this session's idle timeout in seconds", U, cmd_timeout },
	{ { "set", "weight", NULL }, "set weight <bk>/<srv> (<w>|<w>%)",
	  "change a server's weight (0-256, or % of the configured)", A, cmd_set_weight },
	{ { "show", "backend", NULL }, "show backend", "list backends", U, cmd_backend },
	{ { "show", "cli", "level" }, "show cli level", "display the current CLI level", U,
	  cmd_cli_level },
	{ { "show", "info", NULL }, "show info", "report information about the running process",
	  U, cmd_info },
	{ { "show", "servers", "state" }, "show servers state [<backend>]",
	  "dump volatile server information for all known backends", U, cmd_servers_state },
	{ { "show", "stat", NULL }, "show stat [{<iid>|<px>} <type> <sid>]",
	  "report counters for each proxy and server (CSV)", U, cmd_stat },
	{ { "show", "version", NULL }, "show version", "show version of the current process", U,
	  cmd_version },
	{ { "operator", NULL, NULL }, "operator",
	  "lower the level of the current CLI session to operator", U, cmd_level },
	{ { "user", NULL, NULL }, "user", "lower the level of the current CLI session to user", U,
	  cmd_level },
	{ { "help", NULL, NULL }, "help [<command>]", "list matching or all commands", U,
	  cmd_help },
	{ { "prompt", NULL, NULL }, "prompt", "toggle interactive mode with prompt", U,
	  cmd_prompt },
	{ { "quit", NULL, NULL }, "quit", "disconnect", U, cmd_quit },
};

#undef U
#undef A

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static size_t n_words(const struct cli_cmd *c)
{
	size_t n = 0;

	while (n < 3 && c->w[n])
		n++;
	return n;
}

static bool matches(const struct cli_cmd *c, char **av, int ac)
{
	size_t n = n_words(c);

	if ((size_t)ac < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(c->w[i], av[i]) != 0)
			return false;
	return true;
}

/* The commands this level may run; those whose first word is av[0] when
 * filter (an unknown command's "better match"). */
static void list(struct px_cli_sess *s, char **av, int ac, bool filter, struct strbuf *out)
{
	size_t shown = 0;

	for (int pass = 0; pass < 2 && !shown; pass++) {
		for (size_t i = 0; i < N_CMDS; i++) {
			if (rank(cmds[i].level) > rank(s->level))
				continue;
			if (pass == 0 && filter && ac > 0 && strcmp(cmds[i].w[0], av[0]) != 0)
				continue;
			strbuf_printf(out, "  %-40s: %s\n", cmds[i].usage, cmds[i].help);
			shown++;
		}
	}
}

static void cmd_help(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	if (ac > 1) {
		list(s, av + 1, ac - 1, true, out);
		return;
	}
	strbuf_puts(out, "The following commands are valid at this level:\n");
	list(s, av, ac, false, out);
}

/* One command: its words in av. */
static void run(struct px_cli_sess *s, char **av, int ac, struct strbuf *out)
{
	if (ac == 0)
		return;
	for (size_t i = 0; i < N_CMDS; i++) {
		if (!matches(&cmds[i], av, ac))
			continue;
		if (rank(cmds[i].level) > rank(s->level)) {
			strbuf_puts(out, "Permission denied\n");
			return;
		}
		cmds[i].fn(s, av, ac, out);
		return;
	}
	strbuf_puts(out, "Unknown command, but maybe one of the following ones is a better "
		    "match:\n");
	list(s, av, ac, true, out);
}

/* Ensures a reply ends with exactly one empty line (HAProxy's framing):
 * a command's own text never holds an empty line, so a reader can split
 * replies on it. */
static void frame(struct strbuf *reply, struct strbuf *out)
{
	const char *d = reply->data;
	size_t n = reply->len, i = 0;

	while (i < n && d[i] == '\n')
		i++;	/* no empty line first */
	while (i < n) {
		const char *e = memmem(d + i, n - i, "\n\n", 2);
		size_t end = e ? (size_t)(e - d) + 1 : n;

		strbuf_append(out, d + i, end - i);
		for (i = end; i < n && d[i] == '\n'; i++)
			;	/* an empty line inside: dropped */
	}
	if (n && d[n - 1] != '\n')
		strbuf_putc(out, '\n');
	strbuf_putc(out, '\n');
}

void px_cli_line(struct px_cli_sess *s, const char *line, size_t len, struct strbuf *out)
{
	struct strbuf cmd = STRBUF_INIT, reply = STRBUF_INIT;
	size_t i = 0;

	if (len && line[len - 1] == '\r')
		len--;
	/* Commands split at ';', '\' escaping ';' and '\'. */
	while (i <= len && !s->quit) {
		char *av[MAX_WORDS];
		int ac = 0;
		char *p;

		strbuf_reset(&cmd);
		for (; i < len && line[i] != ';'; i++) {
			if (line[i] == '\\' && i + 1 < len) {
				i++;
				strbuf_putc(&cmd, line[i]);
			} else {
				strbuf_putc(&cmd, line[i] == '\t' || line[i] == '\0' ? ' ' : line[i]);
			}
		}
		i++;
		strbuf_putc(&cmd, '\0');
		p = cmd.data;
		while (*p && ac < MAX_WORDS) {
			while (*p == ' ')
				*p++ = '\0';
			if (!*p)
				break;
			av[ac++] = p;
			while (*p && *p != ' ')
				p++;
		}
		if (*p && ac == MAX_WORDS) {
			strbuf_puts(out, "Too many words on the command line.\n\n");
			continue;
		}
		if (ac == 0)
			continue;
		strbuf_reset(&reply);
		run(s, av, ac, &reply);
		if (!s->quit)
			frame(&reply, out);
	}
	if (s->prompt && !s->quit)
		strbuf_puts(out, "> ");
	strbuf_free(&cmd);
	strbuf_free(&reply);
}
