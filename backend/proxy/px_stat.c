/* HAProxy's CSV statistics from a snapshot (px_stat.h). */
#include "config.h"

#include "proxy/px_stat.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "proxy/proxy_int.h"
#include "config/model.h"
#include "util/strbuf.h"

static const char header[] =
	"pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,"
	"wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,"
	"throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,"
	"check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,"
	"req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,"
	"lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,agent_status,agent_code,"
	"agent_duration,check_desc,agent_desc,check_rise,check_fall,check_health,agent_rise,"
	"agent_fall,agent_health,addr,cookie,mode,algo,conn_rate,conn_rate_max,conn_tot,"
	"intercepted,dcon,dses,wrew,connect,reuse,cache_lookups,cache_hits,srv_icur,src_ilim,"
	"qtime_max,ctime_max,rtime_max,ttime_max,eint,idle_conn_cur,safe_conn_cur,used_conn_cur,"
	"need_conn_est,uweight,agg_server_status,agg_server_check_status,agg_check_status,-,"
	"ssl_sess,ssl_reused_sess,ssl_failed_handshake,h2_headers_rcvd,h2_data_rcvd,"
	"h2_settings_rcvd,h2_rst_stream_rcvd,h2_goaway_rcvd,h2_detected_conn_protocol_errors,"
	"h2_detected_strm_protocol_errors,h2_rst_stream_resp,h2_goaway_resp,h2_open_connections,"
	"h2_backend_open_streams,h2_total_connections,h2_backend_total_streams,"
	"h1_open_connections,h1_open_streams,h1_total_connections,h1_total_streams,h1_bytes_in,"
	"h1_bytes_out,h1_spliced_bytes_in,h1_spliced_bytes_out,";

void px_stat_clear(struct px_stat_row *r)
{
	memset(r->v, 0, sizeof(r->v));
	r->type = 0;
	r->px = NULL;
	r->srv = NULL;
}

void px_stat_setu(struct px_stat_row *r, enum px_stat_field f, uint64_t v)
{
	snprintf(r->num[f], sizeof(r->num[f]), "%" PRIu64, v);
	r->v[f] = r->num[f];
}

void px_stat_seti(struct px_stat_row *r, enum px_stat_field f, int64_t v)
{
	snprintf(r->num[f], sizeof(r->num[f]), "%" PRId64, v);
	r->v[f] = r->num[f];
}

void px_stat_sets(struct px_stat_row *r, enum px_stat_field f, const char *s)
{
	r->v[f] = s;
}

void px_stat_csv_header(struct strbuf *out)
{
	strbuf_printf(out, "# %s\n", header);
}

static void csv_value(const char *s, struct strbuf *out)
{
	size_t n = strcspn(s, ",\"\r\n");
	bool quote;

	if (!s[n]) {
		strbuf_append(out, s, n);	/* the usual case: as it is */
		return;
	}
	quote = strpbrk(s, ",\"") != NULL;
	if (quote)
		strbuf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_puts(out, "\"\"");
		else if (*s == '\r' || *s == '\n')
			strbuf_putc(out, ' ');
		else
			strbuf_putc(out, *s);
	}
	if (quote)
		strbuf_putc(out, '"');
}

void px_stat_csv_row(const struct px_stat_row *r, struct strbuf *out)
{
	for (int i = 0; i < PX_F_COUNT; i++) {
		if (i == PX_F_MODULES)
			strbuf_putc(out, '-');
		else if (r->v[i])
			csv_value(r->v[i], out);
		strbuf_putc(out, ',');
	}
	strbuf_putc(out, '\n');
}

const char *px_stat_srv_status(const struct px_server *s)
{
	switch (s->state) {
	case PX_SRV_MAINT: return "MAINT";
	case PX_SRV_DRAIN: return "DRAIN";
	case PX_SRV_DOWN: return "DOWN";
	case PX_SRV_UP: break;
	}
	return s->checked ? "UP" : "no check";
}



static const char *algo_name(enum cfg_balance b)
{
	/* HAProxy's names in the algo column. */
	switch (b) {
	case CFG_BALANCE_ROUNDROBIN: return "roundrobin";
	default: return cfg_balance_name(b);
	}
}

/* Fields every row of a proxy shares. */
static void common(struct px_stat_row *r, const struct px_proxy *p, const char *svname, int type,
		   int sid, const struct px_sums *m)
{
	px_stat_clear(r);
	r->type = type;
	r->px = p;
	px_stat_sets(r, PX_F_PXNAME, p->name);
	px_stat_sets(r, PX_F_SVNAME, svname);
	px_stat_setu(r, PX_F_SCUR, m->cur);
	px_stat_setu(r, PX_F_SMAX, m->max);
	px_stat_setu(r, PX_F_STOT, m->total);
	px_stat_setu(r, PX_F_BIN, m->bin);
	px_stat_setu(r, PX_F_BOUT, m->bout);
	px_stat_setu(r, PX_F_PID, 1);	/* always 1 since HAProxy 2.5 */
	px_stat_seti(r, PX_F_IID, p->iid);
	px_stat_seti(r, PX_F_SID, sid);
	px_stat_seti(r, PX_F_TYPE, type);
	px_stat_sets(r, PX_F_MODE, cfg_mode_name(p->mode));
	if (p->mode == CFG_MODE_HTTP && type != PX_STAT_SRV)
		px_stat_setu(r, PX_F_REQ_TOT, m->req);
	/* HTTP responses by class: HAProxy 2.6 fills them for every row of
	 * an HTTP proxy (frontend, server and backend alike), and leaves
	 * them empty in TCP mode. */
	if (p->mode == CFG_MODE_HTTP)
		for (int k = 0; k < 6; k++)
			px_stat_setu(r, (enum px_stat_field)(PX_F_HRSP_1XX + k), m->hrsp[k]);
}

static void frontend_row(const struct px_proxy *p, px_stat_fn fn, void *arg)
{
	struct px_stat_row r;
	struct px_sums m;

	px_stats_sum(p->st, &m);
	common(&r, p, "FRONTEND", PX_STAT_FE, 0, &m);
	if (p->maxconn)
		px_stat_seti(&r, PX_F_SLIM, p->maxconn);
	px_stat_setu(&r, PX_F_DREQ, m.denied);
	px_stat_sets(&r, PX_F_STATUS, "OPEN");
	px_stat_setu(&r, PX_F_CONN_TOT, m.total);
	fn(&r, arg);
}

static void server_row(const struct px_proxy *p, const struct px_server *s, time_t now,
		       bool legends, px_stat_fn fn, void *arg)
{
	struct px_stat_row r;
	struct px_sums m;
	char addr[INET6_ADDRSTRLEN + 10], ip[INET6_ADDRSTRLEN];

	(void)now;
	px_stats_sum(s->st, &m);
	common(&r, p, s->name, PX_STAT_SRV, s->sid, &m);
	r.srv = s;
	px_stat_setu(&r, PX_F_QCUR, m.qcur);
	px_stat_setu(&r, PX_F_QMAX, m.qmax);
	if (s->maxconn)
		px_stat_seti(&r, PX_F_SLIM, s->maxconn);
	px_stat_setu(&r, PX_F_ECON, m.econ);
	px_stat_setu(&r, PX_F_ERESP, m.eresp);
	px_stat_setu(&r, PX_F_WRETR, m.retries);
	px_stat_setu(&r, PX_F_WREDIS, m.redisp);
	px_stat_sets(&r, PX_F_STATUS, px_stat_srv_status(s));
	px_stat_seti(&r, PX_F_WEIGHT, s->weight);	/* as HAProxy: also in MAINT */
	px_stat_seti(&r, PX_F_ACT, s->backup ? 0 : 1);
	px_stat_seti(&r, PX_F_BCK, s->backup ? 1 : 0);
	px_stat_setu(&r, PX_F_LBTOT, m.total);
	if (s->addr.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&s->addr;

		inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
		snprintf(addr, sizeof(addr), "[%s]:%u", ip, (unsigned)ntohs(a->sin6_port));
	} else {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&s->addr;

		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		snprintf(addr, sizeof(addr), "%s:%u", ip, (unsigned)ntohs(a->sin_port));
	}
	if (legends)
		px_stat_sets(&r, PX_F_ADDR, addr);
	px_stat_setu(&r, PX_F_REUSE, m.reused);
	px_stat_seti(&r, PX_F_UWEIGHT, s->weight);
	fn(&r, arg);
}

static void backend_row(const struct px_proxy *p, bool legends, px_stat_fn fn, void *arg)
{
	struct px_stat_row r;
	struct px_sums m;
	int weight = 0, act = 0, bck = 0;
	bool up = false;

	int bweight = 0;

	for (size_t i = 0; i < p->n_srv; i++) {
		const struct px_server *s = &p->srv[i];

		if (s->state != PX_SRV_UP)
			continue;
		if (s->backup) {
			bck++;
			bweight += s->weight;
		} else {
			act++;
			weight += s->weight;
		}
		if (s->weight > 0)
			up = true;
	}
	/* HAProxy's: the active servers' weight, the backups' when no
	 * active server is up. */
	if (!act)
		weight = bweight;
	px_stats_sum(p->st, &m);
	common(&r, p, "BACKEND", PX_STAT_BE, 0, &m);
	px_stat_setu(&r, PX_F_QCUR, m.qcur);
	px_stat_setu(&r, PX_F_QMAX, m.qmax);
	px_stat_setu(&r, PX_F_DREQ, m.denied);
	px_stat_setu(&r, PX_F_ECON, m.econ);
	px_stat_setu(&r, PX_F_ERESP, m.eresp);
	px_stat_setu(&r, PX_F_WRETR, m.retries);
	px_stat_setu(&r, PX_F_WREDIS, m.redisp);
	/* HAProxy: a backend without servers (a stats page alone) is UP */
	px_stat_sets(&r, PX_F_STATUS, up || p->n_srv == 0 ? "UP" : "DOWN");
	px_stat_seti(&r, PX_F_WEIGHT, weight);
	px_stat_seti(&r, PX_F_ACT, act);
	px_stat_seti(&r, PX_F_BCK, bck);
	px_stat_setu(&r, PX_F_LBTOT, m.total);
	if (legends)
		px_stat_sets(&r, PX_F_ALGO, algo_name(p->balance));
	px_stat_setu(&r, PX_F_REUSE, m.reused);
	px_stat_seti(&r, PX_F_UWEIGHT, weight);
	fn(&r, arg);
}

void px_stat_rows(const struct px_snapshot *snap, time_t now, bool legends, px_stat_fn fn,
		  void *arg)
{
	for (size_t i = 0; snap && i < snap->n_proxies; i++) {
		const struct px_proxy *p = &snap->proxies[i];

		if (p->kind != CFG_PROXY_BACKEND)
			frontend_row(p, fn, arg);
		if (p->kind == CFG_PROXY_FRONTEND)
			continue;
		for (size_t k = 0; k < p->n_srv; k++)
			server_row(p, &p->srv[k], now, legends, fn, arg);
		backend_row(p, legends, fn, arg);
	}
}

void px_stats_sum(const struct px_stats *st, struct px_sums *o)
{
	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < st->n_slots; i++) {
		struct px_ctr *c = &st->slots[i];

		o->cur += px_ld(&c->cur);
		o->max += px_ld(&c->max);	/* exact with one worker; a bound otherwise */
		o->total += px_ld(&c->total);
		o->bin += px_ld(&c->bytes_in);
		o->bout += px_ld(&c->bytes_out);
		o->econ += px_ld(&c->econ);
		o->eresp += px_ld(&c->eresp);
		o->denied += px_ld(&c->denied);
		o->retries += px_ld(&c->retries);
		o->redisp += px_ld(&c->redispatches);
		for (int k = 0; k < 3; k++)
			o->http[k] += px_ld(&c->http_err[k]);
		o->qcur += px_ld(&c->qcur);
		o->qmax += px_ld(&c->qmax);
		o->req += px_ld(&c->requests);
		o->reused += px_ld(&c->reused);
		for (int k = 0; k < 6; k++)
			o->hrsp[k] += px_ld(&c->hrsp[k]);
	}
}
