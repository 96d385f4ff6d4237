/* snmp_agent: net-snmp's AgentX subagent inside softlbd's loop. The only
 * file that includes net-snmp's headers.
 *
 * net-snmp keeps its own sockets and alarms. After every call into the
 * library (a read, a timeout, a trap) its descriptors are asked again
 * with snmp_select_info2() -- a large fd set, since softlbd may hold
 * thousands of descriptors -- and mirrored into epoll; the next alarm or
 * session timeout arms one loop timer. A descriptor the library closed
 * and opened again under the same number during one call has lost its
 * epoll watch with the close (keepalived #2726): loop_mod_fd() then fails
 * and the watch is made again, so a reconnect is never missed.
 *
 * net-snmp's alarms run from our timer (NETSNMP_DS_LIB_ALARM_DONT_USE_SIG:
 * no SIGALRM). The AgentX ping every SNMP_PING_S seconds notices a master
 * that went away and reconnects; a master that closes the socket is
 * noticed at once. The library's few synchronous exchanges (the session
 * open and the ping) wait at most one second, with no retry, and only
 * while a master is there but not answering.
 */
#include "config.h"

/* net-snmp's own config header defines these too. */
#undef PACKAGE_BUGREPORT
#undef PACKAGE_NAME
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_URL
#undef PACKAGE_VERSION
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/library/large_fd_set.h>

#include "snmp/snmp_int.h"
#include "core/daemon.h"
#include "core/log.h"
#include "core/loop.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#define SNMP_APP "softlbd"
#define SNMP_PING_S 2
/* Where the library's reconnect attempts go while the master is known
 * not to accept (see gate()): a path that cannot exist, so they fail at
 * once. */
#define GATE_SOCKET "unix:/nonexistent/softlbd-agentx-master-not-accepting"

/* net-snmp's AgentX session with the master (agent library global, not in
 * its installed headers). */
extern netsnmp_session *main_session;
/* The subagent's transport handler; called with OP_DISCONNECT to drop
 * the session when the master's address changed. */
int handle_agentx_packet(int operation, netsnmp_session *session, int reqid,
			 netsnmp_pdu *pdu, void *magic);

struct mib_ctx {
	struct snmp_agent *a;
	enum snmp_mib_id id;
	oid root[MAX_OID_LEN];
	size_t root_len;
	netsnmp_handler_registration *reg;	/* NULL: not registered */
};

struct snmp_agent {
	struct softlbd *d;
	struct snmp_settings set;
	struct snmp_snap *snap;
	void (*refresh)(void *);
	void *refresh_arg;
	struct loop_timer timer;	/* net-snmp's next alarm / timeout */
	int *fds;			/* descriptors watched for the library */
	size_t n_fds, cap_fds;
	netsnmp_large_fd_set fdset;
	enum snmp_agent_state state;
	time_t since;
	bool warned_connect;		/* "cannot connect" logged once per outage */
	bool gated;			/* the library is pointed at GATE_SOCKET */
	bool guard_ready;		/* guard_timer made */
	timer_t guard_timer;		/* interrupts a connect() that blocks */
	uint64_t sessions;		/* sessions opened or lost so far */
	uint64_t requests;
	uint64_t fast;			/* AgentX requests answered by fast_packet */
	uint64_t pdus;			/* AgentX requests received, either path */
	struct mib_ctx mibs[SNMP_MIB_COUNT];
};

/* The library is process-wide and can be initialised once: the first
 * start does it, later starts (after a reload turned SNMP off and on)
 * reuse it. Both belong to the control-plane thread, the only one that
 * calls into net-snmp. */
static bool lib_ready;
static struct snmp_agent *running;

/* ---------------------------------------------------------------- */
/* Descriptors and timers */

static void on_fd(struct loop *l, int fd, uint32_t events, void *arg);
static void sync_fds(struct snmp_agent *a, bool recheck);

static bool watched(const struct snmp_agent *a, int fd, size_t *at)
{
	for (size_t i = 0; i < a->n_fds; i++)
		if (a->fds[i] == fd) {
			*at = i;
			return true;
		}
	return false;
}

static void watch(struct snmp_agent *a, int fd)
{
	if (loop_add_fd(a->d->loop, fd, EPOLLIN, on_fd, a) != 0) {
		log_warn("snmp: cannot watch the AgentX socket (fd %d): %s", fd, strerror(errno));
		return;
	}
	if (a->n_fds == a->cap_fds) {
		a->cap_fds = a->cap_fds ? a->cap_fds * 2 : 4;
		a->fds = xreallocarray(a->fds, a->cap_fds, sizeof(*a->fds));
	}
	a->fds[a->n_fds++] = fd;
}

/* Mirrors the library's descriptors and next timeout into the loop.
 * recheck: the library may have closed a descriptor and opened another
 * under the same number since the last call (a session opened or lost,
 * an alarm ran): each kept one is checked with loop_mod_fd(), which fails
 * once the kernel dropped the old watch. Otherwise (a request read and
 * answered) only added and removed numbers matter: one epoll_ctl per
 * request and descriptor was most of the subagent's CPU. */
static void sync_fds(struct snmp_agent *a, bool recheck)
{
	int maxfd = 0, block = 1;
	struct timeval tv = { 0, 0 };
	size_t at;

	NETSNMP_LARGE_FD_ZERO(&a->fdset);
	snmp_select_info2(&maxfd, &a->fdset, &tv, &block);
	/* Descriptors the library no longer uses. */
	for (size_t i = 0; i < a->n_fds;) {
		int fd = a->fds[i];

		if (fd < maxfd && NETSNMP_LARGE_FD_ISSET(fd, &a->fdset)) {
			i++;
			continue;
		}
		loop_del_fd(a->d->loop, fd);	/* may fail: already closed */
		a->fds[i] = a->fds[--a->n_fds];
	}
	for (int fd = 0; fd < maxfd; fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &a->fdset))
			continue;
		if (!watched(a, fd, &at)) {
			watch(a, fd);
		} else if (recheck && loop_mod_fd(a->d->loop, fd, EPOLLIN) != 0) {
			/* Closed and opened again under the same number: the
			 * kernel dropped the old watch. */
			loop_del_fd(a->d->loop, fd);
			a->fds[at] = a->fds[--a->n_fds];
			watch(a, fd);
		}
	}
	if (!block) {
		uint64_t ms = (uint64_t)tv.tv_sec * 1000u + ((uint64_t)tv.tv_usec + 999u) / 1000u;

		loop_timer_start(a->d->loop, &a->timer, ms);
	} else {
		loop_timer_stop(a->d->loop, &a->timer);
	}
}

static void on_fd(struct loop *l, int fd, uint32_t events, void *arg)
{
	struct snmp_agent *a = arg;
	uint64_t sessions = a->sessions;

	(void)l;
	NETSNMP_LARGE_FD_ZERO(&a->fdset);
	NETSNMP_LARGE_FD_SET(fd, &a->fdset);
	snmp_read2(&a->fdset);
	netsnmp_check_outstanding_agent_requests();
	sync_fds(a, sessions != a->sessions || (events & (EPOLLHUP | EPOLLERR)));
}

/* Whether the AgentX master at addr accepts connections now, asked
 * without waiting: a non-blocking connect() to its unix socket. A
 * master that is stopped (SIGSTOP, or hung) stops accepting once its
 * listen backlog is full, and the library's own connect() -- blocking --
 * would then wait until it accepts again: minutes, with softlbd's loop
 * stuck. TCP addresses are not probed (the kernel accepts for a stopped
 * process too, and the library's open then gives up after its timeout). */
static bool master_accepting(const char *addr)
{
	struct sockaddr_un sun;
	const char *path = addr;
	int fd, rc;

	if (strncmp(addr, "unix:", 5) == 0)
		path = addr + 5;
	else if (addr[0] != '/')
		return true;
	if (strlen(path) >= sizeof(sun.sun_path))
		return true;	/* the library will say what is wrong */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return true;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	return rc == 0;
}

/* While no session is open, lets the library's reconnect attempt reach
 * the master only when it accepts (master_accepting()); otherwise points
 * it at GATE_SOCKET, where it fails without waiting. */
static void gate(struct snmp_agent *a)
{
	bool open = master_accepting(a->set.socket);

	if (open == !a->gated)
		return;
	a->gated = !open;
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
			      open ? a->set.socket : GATE_SOCKET);
	if (!open)
		log_debug("snmp: the AgentX master at %s does not accept connections: "
			  "not connecting until it does", a->set.socket);
}

/* The library's connect() to a unix socket blocks while the master's
 * listen backlog is full (a stopped master): gate() keeps it from trying
 * when a probe already finds the backlog full, and this guard bounds the
 * rest. Around a reconnect attempt, a one-shot timer sends GUARD_SIGNAL to
 * this thread after GUARD_MS; the signal, unblocked only meanwhile and
 * handled without SA_RESTART, makes a blocked connect() fail with EINTR
 * (the attempt is retried later). */
#define GUARD_SIGNAL (SIGRTMIN + 3)
#define GUARD_MS 500

static void on_guard_signal(int signo)
{
	(void)signo;	/* its only job is to interrupt a system call */
}

static void guard(struct snmp_agent *a, bool on)
{
	struct itimerspec its;
	sigset_t set;

	if (!a->guard_ready) {
		struct sigaction sa;
		struct sigevent sev;

		if (!on)
			return;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_guard_signal;	/* no SA_RESTART */
		sigemptyset(&sa.sa_mask);
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_THREAD_ID;
		sev.sigev_signo = GUARD_SIGNAL;
		sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
		if (sigaction(GUARD_SIGNAL, &sa, NULL) != 0 ||
		    timer_create(CLOCK_MONOTONIC, &sev, &a->guard_timer) != 0) {
			log_warn("snmp: cannot arm the connect guard: %s", strerror(errno));
			return;
		}
		a->guard_ready = true;
	}
	memset(&its, 0, sizeof(its));
	if (on) {
		its.it_value.tv_sec = GUARD_MS / 1000;
		its.it_value.tv_nsec = (long)(GUARD_MS % 1000) * 1000000L;
	}
	sigemptyset(&set);
	sigaddset(&set, GUARD_SIGNAL);
	if (on) {
		timer_settime(a->guard_timer, 0, &its, NULL);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	} else {
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		timer_settime(a->guard_timer, 0, &its, NULL);
	}
}

static void on_timer(struct loop *l, struct loop_timer *t, void *arg)
{
	struct snmp_agent *a = arg;
	bool connecting = a->state == SNMP_AGENT_CONNECTING;

	(void)l;
	(void)t;
	if (connecting) {
		gate(a);
		guard(a, true);
	}
	snmp_timeout();
	run_alarms();
	if (connecting)
		guard(a, false);
	netsnmp_check_outstanding_agent_requests();
	sync_fds(a, true);
}

/* ---------------------------------------------------------------- */
/* Library callbacks */

static int on_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *m = serverarg;
	struct snmp_agent *a = running;
	char text[512];
	size_t n;
	int prio = m->priority;

	(void)major;
	(void)minor;
	(void)clientarg;
	snprintf(text, sizeof(text), "%s", m->msg ? m->msg : "");
	n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
		text[--n] = '\0';
	/* A master that is not there is retried every SNMP_PING_S seconds:
	 * said once per outage (show status tells the rest). */
	if (a && strstr(text, "softlbd-agentx-master-not-accepting"))
		prio = LOG_DEBUG;	/* gate(): expected */
	else if (a && strstr(text, "Failed to connect to the agentx master")) {
		if (a->warned_connect)
			prio = LOG_DEBUG;
		a->warned_connect = true;
	}
	if (prio > LOG_DEBUG)
		prio = LOG_DEBUG;
	log_msg(prio, "snmp: %s", text);
	return SNMP_ERR_NOERROR;
}

static int on_session_init(int major, int minor, void *serverarg, void *clientarg)
{
	netsnmp_session *s = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	/* Never wait long for a master that does not answer. */
	s->timeout = ONE_SEC;
	s->retries = 0;
	return SNMP_ERR_NOERROR;
}

static int fast_packet(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);

static int on_index_start(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_agent *a = clientarg;

	(void)major;
	(void)minor;
	a->state = SNMP_AGENT_REGISTERED;
	/* Requests are answered by fast_packet() from now on. */
	if (serverarg && ((netsnmp_session *)serverarg)->callback == handle_agentx_packet)
		((netsnmp_session *)serverarg)->callback = fast_packet;
	a->since = time(NULL);
	a->sessions++;
	a->warned_connect = false;
	/* The library reads the address only to open a session. Pointed at
	 * the gate now, the attempt it makes at once when a ping goes
	 * unanswered fails without waiting; the next ones pass gate(). */
	a->gated = true;
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, GATE_SOCKET);
	log_notice("snmp: connected to the AgentX master at %s", a->set.socket);
	return SNMP_ERR_NOERROR;
}

static int on_index_stop(int major, int minor, void *serverarg, void *clientarg)
{
	struct snmp_agent *a = clientarg;

	(void)major;
	(void)minor;
	(void)serverarg;
	if (a->state == SNMP_AGENT_REGISTERED)
		log_warn("snmp: lost the AgentX master at %s; reconnecting every %d s",
			 a->set.socket, SNMP_PING_S);
	a->state = SNMP_AGENT_CONNECTING;
	a->since = time(NULL);
	a->sessions++;
	return SNMP_ERR_NOERROR;
}

/* ---------------------------------------------------------------- */
/* Requests */

/* The ASN.1 type and bytes of a stored value, as net-snmp wants them
 * (integers as long / u_long, Counter64 as struct counter64). box is the
 * room for a number; a string points into the tree. */
union value_box {
	long l;
	u_long u;
	struct counter64 c64;
};

static u_char value_of(const struct snmp_tree *t, const struct snmp_ent *e, union value_box *box,
		       const void **val, size_t *len)
{
	*val = box;
	switch ((enum snmp_vtype)e->type) {
	case SNMP_V_INTEGER:
		box->l = (long)e->num;
		*len = sizeof(box->l);
		return ASN_INTEGER;
	case SNMP_V_UNSIGNED:
		/* Gauge32: stays at its maximum rather than wrapping. */
		box->u = e->num < 0 ? 0 : e->num > UINT32_MAX ? UINT32_MAX : (u_long)e->num;
		*len = sizeof(box->u);
		return ASN_GAUGE;
	case SNMP_V_COUNTER32:
		box->u = (uint32_t)e->num;
		*len = sizeof(box->u);
		return ASN_COUNTER;
	case SNMP_V_TIMETICKS:
		box->u = (uint32_t)e->num;
		*len = sizeof(box->u);
		return ASN_TIMETICKS;
	case SNMP_V_COUNTER64:
		box->c64.high = (u_long)((uint64_t)e->num >> 32);
		box->c64.low = (u_long)((uint64_t)e->num & 0xffffffffu);
		*len = sizeof(box->c64);
		return ASN_COUNTER64;
	case SNMP_V_IPADDRESS:
		*val = snmp_ent_str(t, e);
		*len = 4;
		return ASN_IPADDRESS;
	case SNMP_V_OCTETS:
		break;
	}
	*val = snmp_ent_str(t, e);
	*len = e->str_len;
	return ASN_OCTET_STR;
}

static void set_value(netsnmp_variable_list *vb, const struct snmp_tree *t,
		      const struct snmp_ent *e)
{
	union value_box box;
	const void *val;
	size_t len;
	u_char type = value_of(t, e, &box, &val, &len);

	snmp_set_var_typed_value(vb, type, val, len);
}

/* Where name sorts against the root: -1 before it (and not under it),
 * 0 under it (its suffix in sfx, *n), 1 after it. */
static int place(const struct mib_ctx *c, const oid *name, size_t len, uint64_t *sfx, size_t *n)
{
	size_t k = len < c->root_len ? len : c->root_len;

	for (size_t i = 0; i < k; i++)
		if (name[i] != c->root[i])
			return name[i] < c->root[i] ? -1 : 1;
	if (len < c->root_len)
		return -1;
	*n = 0;
	for (size_t i = c->root_len; i < len && *n < MAX_OID_LEN; i++)
		sfx[(*n)++] = name[i];
	return 0;
}

static int mib_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reg,
		       netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	struct mib_ctx *c = handler->myvoid;
	struct snmp_agent *a = c->a;
	const struct snmp_tree *t;

	(void)reg;
	if (reqinfo->mode == MODE_GET || reqinfo->mode == MODE_GETNEXT)
		a->refresh(a->refresh_arg);
	t = &a->snap->trees[c->id];
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		uint64_t sfx[MAX_OID_LEN];
		const struct snmp_ent *e = NULL;
		size_t n = 0;
		int where;

		if (r->processed)
			continue;
		a->requests++;
		where = place(c, vb->name, vb->name_length, sfx, &n);
		switch (reqinfo->mode) {
		case MODE_GET:
			if (where == 0)
				e = snmp_tree_get(t, sfx, n);
			if (e)
				set_value(vb, t, e);
			else
				netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			break;
		case MODE_GETNEXT: {
			oid full[MAX_OID_LEN];
			const uint32_t *en;

			if (where < 0)
				e = snmp_tree_next(t, NULL, 0);
			else if (where == 0)
				e = snmp_tree_next(t, sfx, n);
			if (!e)
				break;	/* past our subtree: the agent moves on */
			memcpy(full, c->root, c->root_len * sizeof(oid));
			en = snmp_ent_name(t, e);
			for (size_t i = 0; i < e->name_len; i++)
				full[c->root_len + i] = en[i];
			snmp_set_var_objid(vb, full, c->root_len + e->name_len);
			set_value(vb, t, e);
			break;
		}
		default:
			/* Read-only: every SET phase answers notWritable. */
			netsnmp_set_request_error(reqinfo, r, SNMP_ERR_NOTWRITABLE);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* ---------------------------------------------------------------- */
/* The AgentX fast path.
 *
 * snmpd, as AgentX master, turns every GETBULK into one AgentX GetNext
 * per varbind to its subagents: a walk of N objects is N AgentX
 * requests. net-snmp's subagent passes each one to its agent engine
 * through an internal "callback" transport -- a pipe written and read
 * twice, three passes of softlbd's loop, the PDU cloned twice, a
 * request cache built and torn down -- and that was most of softlbd's
 * CPU during a walk (perf: syscalls and the library's allocations; the
 * snapshot lookup itself was under 2%). The session's callback is
 * therefore ours: Get, GetNext and GetBulk in the default context are
 * answered here, straight from the snapshot, with one response PDU sent
 * on the same session; everything else (Sets, responses to our own
 * requests, a disconnect, a non-default context) goes on to net-snmp's
 * handle_agentx_packet unchanged. */

#define AX_MSG_GET 5
#define AX_MSG_GETNEXT 6
#define AX_MSG_GETBULK 7
#define AX_MSG_RESPONSE 18
/* A GetBulk is answered with at most this many varbinds (the master
 * bounds the SNMP response further by its size). */
#define AX_BULK_MAX 2048

/* The registered subtrees in OID order, so that a GetNext that leaves
 * one goes on into the next. */
static size_t mib_order(const struct snmp_agent *a, const struct mib_ctx **out)
{
	size_t n = 0;

	for (int i = 0; i < SNMP_MIB_COUNT; i++) {
		const struct mib_ctx *c = &a->mibs[i];
		size_t k;

		if (!c->reg)
			continue;
		for (k = n; k > 0 && snmp_oid_compare(c->root, c->root_len, out[k - 1]->root,
						      out[k - 1]->root_len) < 0; k--)
			out[k] = out[k - 1];
		out[k] = c;
		n++;
	}
	return n;
}

/* Writes the full name of e (under c's root) into name. */
static size_t full_name(const struct mib_ctx *c, const struct snmp_tree *t,
			const struct snmp_ent *e, oid *name)
{
	const uint32_t *en = snmp_ent_name(t, e);

	memcpy(name, c->root, c->root_len * sizeof(oid));
	for (size_t i = 0; i < e->name_len; i++)
		name[c->root_len + i] = en[i];
	return c->root_len + e->name_len;
}

/* The object an AgentX search range names: the first one after start
 * (or at it, when include) and before end (end_len 0: no end). Returns
 * the entry and its tree, or NULL: endOfMibView. */
static const struct snmp_ent *search(const struct snmp_agent *a, const struct mib_ctx *const *order,
				     size_t n_order, const oid *start, size_t start_len, bool include,
				     const oid *end, size_t end_len, oid *name, size_t *name_len,
				     const struct snmp_tree **tree)
{
	uint64_t sfx[MAX_OID_LEN];

	for (size_t i = 0; i < n_order; i++) {
		const struct mib_ctx *c = order[i];
		const struct snmp_tree *t = &a->snap->trees[c->id];
		const struct snmp_ent *e = NULL;
		size_t n = 0;
		int where = place(c, start, start_len, sfx, &n);

		if (where > 0)
			continue;
		if (where < 0) {
			e = snmp_tree_next(t, NULL, 0);
		} else {
			if (include)
				e = snmp_tree_get(t, sfx, n);
			if (!e)
				e = snmp_tree_next(t, sfx, n);
		}
		if (!e)
			continue;
		*name_len = full_name(c, t, e, name);
		if (end_len && snmp_oid_compare(name, *name_len, end, end_len) >= 0)
			return NULL;	/* past the range: later subtrees are too */
		*tree = t;
		return e;
	}
	return NULL;
}

/* The value at exactly name: the entry, or NULL with *in_mib saying
 * whether the name is under a registered subtree. */
static const struct snmp_ent *lookup(const struct snmp_agent *a, const struct mib_ctx *const *order,
				     size_t n_order, const oid *name, size_t len,
				     const struct snmp_tree **tree, bool *in_mib)
{
	uint64_t sfx[MAX_OID_LEN];

	*in_mib = false;
	for (size_t i = 0; i < n_order; i++) {
		const struct mib_ctx *c = order[i];
		size_t n = 0;

		if (place(c, name, len, sfx, &n) != 0)
			continue;
		*in_mib = true;
		*tree = &a->snap->trees[c->id];
		return snmp_tree_get(*tree, sfx, n);
	}
	return NULL;
}

/* The end of an AgentX search range, as net-snmp's parser keeps it in
 * the varbind's value (the null OID 0.0, or nothing: no end). */
static size_t range_end(const netsnmp_variable_list *vb, const oid **end)
{
	size_t len = vb->val.objid ? vb->val_len / sizeof(oid) : 0;

	*end = vb->val.objid;
	if (len == 2 && vb->val.objid[0] == 0 && vb->val.objid[1] == 0)
		len = 0;
	if (len == 0)
		*end = NULL;
	return len;
}

/* Appends the answer to one search range to *out (start: the name asked
 * when there is nothing). Returns false when net-snmp could not
 * allocate. The name answered is left in name / *name_len. */
static bool answer_next(const struct snmp_agent *a, const struct mib_ctx *const *order,
			size_t n_order, netsnmp_variable_list **out, const oid *start,
			size_t start_len, bool include, const oid *end, size_t end_len, oid *name,
			size_t *name_len, bool *at_end)
{
	const struct snmp_tree *t = NULL;
	const struct snmp_ent *e;
	union value_box box;
	const void *val;
	size_t len;
	u_char type;

	e = search(a, order, n_order, start, start_len, include, end, end_len, name, name_len, &t);
	*at_end = e == NULL;
	if (!e) {
		/* RFC 2741 7.2.3.2: the start name, endOfMibView. */
		memmove(name, start, start_len * sizeof(oid));
		*name_len = start_len;
		return snmp_varlist_add_variable(out, name, *name_len, SNMP_ENDOFMIBVIEW, NULL, 0) !=
		       NULL;
	}
	type = value_of(t, e, &box, &val, &len);
	return snmp_varlist_add_variable(out, name, *name_len, type, val, len) != NULL;
}

static netsnmp_variable_list *answer_bulk(struct snmp_agent *a,
					  const struct mib_ctx *const *order, size_t n_order,
					  const netsnmp_pdu *pdu, bool *ok)
{
	netsnmp_variable_list *out = NULL;
	const netsnmp_variable_list *vb;
	size_t count = 0, non_rep, reps, max_reps, added = 0;
	/* Where each repeater stands: its last name answered. */
	oid (*cur)[MAX_OID_LEN] = NULL;
	size_t *cur_len = NULL;
	bool *done = NULL;
	oid name[MAX_OID_LEN];
	size_t name_len;

	*ok = true;
	for (vb = pdu->variables; vb; vb = vb->next_variable)
		count++;
	non_rep = pdu->non_repeaters < 0 ? 0 : (size_t)pdu->non_repeaters;
	if (non_rep > count)
		non_rep = count;
	reps = count - non_rep;
	max_reps = pdu->max_repetitions < 0 ? 0 : (size_t)pdu->max_repetitions;
	if (reps && max_reps > (AX_BULK_MAX - non_rep) / reps)
		max_reps = (AX_BULK_MAX - non_rep) / reps;
	if (reps) {
		cur = xcalloc(reps, sizeof(*cur));
		cur_len = xcalloc(reps, sizeof(*cur_len));
		done = xcalloc(reps, sizeof(*done));
	}
	vb = pdu->variables;
	for (size_t i = 0; i < count && *ok; i++, vb = vb->next_variable) {
		const oid *end;
		size_t end_len = range_end(vb, &end);
		bool inc = vb->type == ASN_PRIV_INCL_RANGE, at_end;

		if (i < non_rep) {
			*ok = answer_next(a, order, n_order, &out, vb->name, vb->name_length, inc, end,
					  end_len, name, &name_len, &at_end);
			added++;
			continue;
		}
		if (max_reps == 0)
			break;
		*ok = answer_next(a, order, n_order, &out, vb->name, vb->name_length, inc, end,
				  end_len, cur[i - non_rep], &cur_len[i - non_rep], &done[i - non_rep]);
		added++;
	}
	for (size_t r = 1; r < max_reps && *ok; r++) {
		bool any = false;

		for (size_t j = 0; j < reps; j++)
			any = any || !done[j];
		if (!any)
			break;	/* every repeater at the end of the view */
		vb = pdu->variables;
		for (size_t i = 0; i < non_rep; i++)
			vb = vb->next_variable;
		for (size_t j = 0; j < reps && *ok; j++, vb = vb->next_variable) {
			const oid *end;
			size_t end_len = range_end(vb, &end);

			*ok = answer_next(a, order, n_order, &out, cur[j], cur_len[j], false, end,
					  end_len, cur[j], &cur_len[j], &done[j]);
			added++;
		}
	}
	a->requests += added;
	free(cur);
	free(cur_len);
	free(done);
	return out;
}

/* The response to a Get, GetNext or GetBulk, or NULL when net-snmp could
 * not allocate (the request then takes the library's own path). */
static netsnmp_pdu *answer(struct snmp_agent *a, netsnmp_session *s, netsnmp_pdu *pdu)
{
	const struct mib_ctx *order[SNMP_MIB_COUNT];
	size_t n_order = mib_order(a, order);
	netsnmp_variable_list *vars = pdu->variables, *out = NULL;
	netsnmp_pdu *resp;
	bool ok = true;

	a->refresh(a->refresh_arg);
	if (pdu->command == AX_MSG_GETBULK) {
		out = answer_bulk(a, order, n_order, pdu, &ok);
	} else {
		for (netsnmp_variable_list *vb = vars; vb && ok; vb = vb->next_variable) {
			oid name[MAX_OID_LEN];
			size_t name_len;

			a->requests++;
			if (pdu->command == AX_MSG_GETNEXT) {
				const oid *end;
				size_t end_len = range_end(vb, &end);
				bool at_end;

				ok = answer_next(a, order, n_order, &out, vb->name, vb->name_length,
						 vb->type == ASN_PRIV_INCL_RANGE, end, end_len, name,
						 &name_len, &at_end);
			} else {
				const struct snmp_tree *t = NULL;
				bool in_mib;
				const struct snmp_ent *e = lookup(a, order, n_order, vb->name,
								  vb->name_length, &t, &in_mib);
				union value_box box;
				const void *val = NULL;
				size_t len = 0;
				u_char type = in_mib ? SNMP_NOSUCHINSTANCE : SNMP_NOSUCHOBJECT;

				if (e)
					type = value_of(t, e, &box, &val, &len);
				ok = snmp_varlist_add_variable(&out, vb->name, vb->name_length, type,
							       val, len) != NULL;
			}
		}
	}
	if (!ok) {
		snmp_free_varbind(out);
		return NULL;
	}
	/* The request's header (session, transaction and packet ids, byte
	 * order) without its varbinds. */
	pdu->variables = NULL;
	resp = snmp_clone_pdu(pdu);
	pdu->variables = vars;
	if (!resp) {
		snmp_free_varbind(out);
		return NULL;
	}
	resp->command = AX_MSG_RESPONSE;
	resp->version = s->version;
	resp->errstat = 0;
	resp->errindex = 0;
	resp->time = netsnmp_get_agent_uptime();
	resp->flags &= ~UCD_MSG_FLAG_EXPECT_RESPONSE;
	resp->variables = out;
	return resp;
}

static int fast_packet(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
	struct snmp_agent *a = running;
	netsnmp_pdu *resp;

	/* Every request the master sends, whichever path answers it: what a
	 * walk costs in AgentX round trips (snmp_poll.sh prints it). */
	if (a && op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu && pdu->command != AX_MSG_RESPONSE)
		a->pdus++;
	if (!a || op != NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || !pdu || pdu->community_len ||
	    (pdu->command != AX_MSG_GET && pdu->command != AX_MSG_GETNEXT &&
	     pdu->command != AX_MSG_GETBULK))
		return handle_agentx_packet(op, s, reqid, pdu, magic);
	/* As handle_agentx_packet does: the master is there, no ping due. */
	if (s->securityModel != SNMP_DEFAULT_SECMODEL)
		snmp_alarm_reset((unsigned)s->securityModel);
	resp = answer(a, s, pdu);
	if (!resp)
		return handle_agentx_packet(op, s, reqid, pdu, magic);
	if (!snmp_send(s, resp))
		snmp_free_pdu(resp);
	a->fast++;
	return 1;
}

static void add_mib(struct snmp_agent *a, enum snmp_mib_id id)
{
	struct mib_ctx *c = &a->mibs[id];
	const struct snmp_mib_def *m = &snmp_mibs[id];
	netsnmp_handler_registration *reg;

	c->a = a;
	c->id = id;
	c->root_len = m->root_len;
	for (size_t i = 0; i < m->root_len; i++)
		c->root[i] = m->root[i];
	/* HANDLER_CAN_SET too, so that a SET reaches mib_handler, which
	 * answers notWritable for every phase. */
	reg = netsnmp_create_handler_registration(m->name, mib_handler, c->root, c->root_len,
						  HANDLER_CAN_RONLY | HANDLER_CAN_SET);
	if (!reg) {
		log_warn("snmp: cannot register %s", m->name);
		return;
	}
	reg->handler->myvoid = c;
	if (netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		log_warn("snmp: cannot register %s", m->name);
		return;	/* netsnmp_register_handler freed reg */
	}
	c->reg = reg;
	register_sysORTable(c->root, c->root_len, m->descr);
}

static void drop_mib(struct snmp_agent *a, enum snmp_mib_id id)
{
	struct mib_ctx *c = &a->mibs[id];

	if (!c->reg)
		return;
	unregister_sysORTable(c->root, c->root_len);
	netsnmp_unregister_handler(c->reg);
	c->reg = NULL;
}

/* ---------------------------------------------------------------- */

/* Set before and again after the library's initialisation, which
 * installs its own defaults (a 15 s ping). */
static void lib_settings(struct snmp_agent *a)
{
	a->gated = !master_accepting(a->set.socket);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET,
			      a->gated ? GATE_SOCKET : a->set.socket);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL,
			   SNMP_PING_S);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_TIMEOUT, 1);
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_AGENTX_RETRIES, 0);
}

static void lib_init(void)
{
	netsnmp_enable_subagent();
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, on_log, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT,
			       on_session_init, NULL);
	/* softlbd's own settings only: no snmp.conf, no persistent files,
	 * no MIB files (the subagent serves numbers). */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_RETRIES, 0);
	netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_TIMEOUT, 1);
	/* No MIB files to parse. softlbd has no other thread yet when SNMP
	 * is on from the start (the module starts before the proxy's
	 * workers); turned on later by a reload, the workers never read the
	 * environment. */
	if (!getenv("MIBS"))
		setenv("MIBS", "", 1);
}

struct snmp_agent *snmp_agent_start(struct softlbd *d, const struct snmp_settings *set,
				    struct snmp_snap *s, void (*refresh)(void *), void *arg,
				    char *err, size_t errlen)
{
	struct snmp_agent *a;

	if (running) {
		snprintf(err, errlen, "the SNMP subagent is already running");
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->d = d;
	a->set = *set;
	a->snap = s;
	a->refresh = refresh;
	a->refresh_arg = arg;
	a->state = SNMP_AGENT_CONNECTING;
	a->since = time(NULL);
	loop_timer_init(&a->timer, on_timer, a);
	netsnmp_large_fd_set_init(&a->fdset, FD_SETSIZE);
	running = a;
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
			       on_index_start, a);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
			       on_index_stop, a);
	lib_settings(a);
	if (!lib_ready) {
		lib_init();
		if (init_agent(SNMP_APP) != 0) {
			snprintf(err, errlen, "net-snmp: init_agent failed");
			snmp_agent_stop(a, false);
			return NULL;
		}
		lib_settings(a);
	}
	for (int i = 0; i < SNMP_MIB_COUNT; i++)
		if (set->mib[i])
			add_mib(a, (enum snmp_mib_id)i);
	if (!lib_ready) {
		/* Connects (or schedules the first retry) through the
		 * subagent's post-config hook. */
		init_snmp(SNMP_APP);
		lib_ready = true;
	}
	/* Started again after a stop: the library's reconnect alarm is
	 * still armed and uses the socket set above. */
	sync_fds(a, true);
	return a;
}

/* Ends the session with the master the way a master that went away
 * does (the library then schedules its reconnect alarm). */
static void drop_session(void)
{
	netsnmp_session *s = main_session;

	if (!s)
		return;
	handle_agentx_packet(NETSNMP_CALLBACK_OP_DISCONNECT, s, 0, NULL, NULL);
	snmp_close(s);
}

void snmp_agent_stop(struct snmp_agent *a, bool final)
{
	if (!a)
		return;
	for (int i = 0; i < SNMP_MIB_COUNT; i++)
		drop_mib(a, (enum snmp_mib_id)i);
	a->state = SNMP_AGENT_CONNECTING;	/* leaving is no loss to report */
	drop_session();
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_START,
				 on_index_start, a, 1);
	snmp_unregister_callback(SNMP_CALLBACK_APPLICATION, SNMPD_CALLBACK_INDEX_STOP,
				 on_index_stop, a, 1);
	/* The library cannot be initialised twice: turned off by a reload,
	 * it keeps its state (and its reconnect alarm, which nothing runs
	 * until SNMP is turned on again). softlbd stopping shuts it down. */
	for (size_t i = 0; i < a->n_fds; i++)
		loop_del_fd(a->d->loop, a->fds[i]);
	if (final && lib_ready) {
		snmp_shutdown(SNMP_APP);
		shutdown_agent();
	}
	loop_timer_stop(a->d->loop, &a->timer);
	if (a->guard_ready)
		timer_delete(a->guard_timer);
	netsnmp_large_fd_set_cleanup(&a->fdset);
	free(a->fds);
	if (running == a)
		running = NULL;
	free(a);
}

enum snmp_agent_state snmp_agent_state(const struct snmp_agent *a, time_t *since)
{
	*since = a->since;
	return a->state;
}

uint64_t snmp_agent_requests(const struct snmp_agent *a)
{
	return a->requests;
}

uint64_t snmp_agent_pdus(const struct snmp_agent *a)
{
	return a->pdus;
}

uint64_t snmp_agent_fast(const struct snmp_agent *a)
{
	return a->fast;
}

/* snmpTrapOID.0 */
static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };

void snmp_agent_trap_new_master(struct snmp_agent *a, const struct snmp_vrrp_trap_info *ti)
{
	if (!a->set.traps)
		return;
	if (a->set.mib[SNMP_MIB_VRRP] && ti->version == 2 && ti->family == AF_INET) {
		static const oid trap[] = { SNMP_ROOT_VRRP, 0, 1 };
		oid obj[] = { SNMP_ROOT_VRRP, 1, 3, 1, 7, ti->ifindex, ti->vrid };
		netsnmp_variable_list *vl = NULL;

		snmp_varlist_add_variable(&vl, trap_oid_oid, OID_LENGTH(trap_oid_oid),
					  ASN_OBJECT_ID, trap, sizeof(trap));
		snmp_varlist_add_variable(&vl, obj, OID_LENGTH(obj), ASN_IPADDRESS, ti->master, 4);
		send_v2trap(vl);
		snmp_free_varbind(vl);
	}
	if (a->set.mib[SNMP_MIB_VRRPV3] && ti->version == 3) {
		static const oid trap[] = { SNMP_ROOT_VRRPV3, 0, 1 };
		oid type = ti->family == AF_INET6 ? 2 : 1;
		oid obj[] = { SNMP_ROOT_VRRPV3, 1, 1, 1, 1, 3, ti->ifindex, ti->vrid, type };
		oid why[] = { SNMP_ROOT_VRRPV3, 1, 2, 5, 1, 2, ti->ifindex, ti->vrid, type };
		long reason = ti->reason;
		netsnmp_variable_list *vl = NULL;

		snmp_varlist_add_variable(&vl, trap_oid_oid, OID_LENGTH(trap_oid_oid),
					  ASN_OBJECT_ID, trap, sizeof(trap));
		snmp_varlist_add_variable(&vl, obj, OID_LENGTH(obj), ASN_OCTET_STR, ti->master,
					  ti->family == AF_INET6 ? 16 : 4);
		snmp_varlist_add_variable(&vl, why, OID_LENGTH(why), ASN_INTEGER, &reason,
					  sizeof(reason));
		send_v2trap(vl);
		snmp_free_varbind(vl);
	}
	sync_fds(a, true);
}

void snmp_agent_trap_auth_failure(struct snmp_agent *a, const unsigned char *src, int type)
{
	static const oid trap[] = { SNMP_ROOT_VRRP, 0, 2 };
	static const oid src_oid[] = { SNMP_ROOT_VRRP, 1, 5, 0 };
	static const oid type_oid[] = { SNMP_ROOT_VRRP, 1, 6, 0 };
	netsnmp_variable_list *vl = NULL;
	long t = type;

	if (!a->set.traps || !a->set.mib[SNMP_MIB_VRRP])
		return;
	snmp_varlist_add_variable(&vl, trap_oid_oid, OID_LENGTH(trap_oid_oid), ASN_OBJECT_ID,
				  trap, sizeof(trap));
	snmp_varlist_add_variable(&vl, src_oid, OID_LENGTH(src_oid), ASN_IPADDRESS, src, 4);
	snmp_varlist_add_variable(&vl, type_oid, OID_LENGTH(type_oid), ASN_INTEGER, &t,
				  sizeof(t));
	send_v2trap(vl);
	snmp_free_varbind(vl);
	sync_fds(a, true);
}

void snmp_agent_trap_proto_error(struct snmp_agent *a, const struct snmp_vrrp_trap_info *ti,
				 int reason)
{
	static const oid trap[] = { SNMP_ROOT_VRRPV3, 0, 2 };
	oid type = ti->family == AF_INET6 ? 2 : 1;
	oid obj[] = { SNMP_ROOT_VRRPV3, 1, 2, 5, 1, 6, ti->ifindex, ti->vrid, type };
	netsnmp_variable_list *vl = NULL;
	long r = reason;

	if (!a->set.traps || !a->set.mib[SNMP_MIB_VRRPV3] || ti->version != 3)
		return;
	snmp_varlist_add_variable(&vl, trap_oid_oid, OID_LENGTH(trap_oid_oid), ASN_OBJECT_ID,
				  trap, sizeof(trap));
	snmp_varlist_add_variable(&vl, obj, OID_LENGTH(obj), ASN_INTEGER, &r, sizeof(r));
	send_v2trap(vl);
	snmp_free_varbind(vl);
	sync_fds(a, true);
}

/* DisplayString is at most 255 octets. */
static void add_text(netsnmp_variable_list **vl, const oid *name, size_t len, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	snmp_varlist_add_variable(vl, name, len, ASN_OCTET_STR, s ? s : "", n > 255 ? 255 : n);
}

void snmp_agent_trap_event(struct snmp_agent *a, unsigned notification, uint64_t seq,
			   const char *object, const char *old_state, const char *new_state,
			   const char *reason)
{
	const oid trap[] = { SNMP_ROOT_SOFTLB, 0, notification };
	static const oid seq_oid[] = { SNMP_ROOT_SOFTLB, 4, 1, 0 };
	static const oid obj_oid[] = { SNMP_ROOT_SOFTLB, 4, 2, 0 };
	static const oid old_oid[] = { SNMP_ROOT_SOFTLB, 4, 3, 0 };
	static const oid new_oid[] = { SNMP_ROOT_SOFTLB, 4, 4, 0 };
	static const oid why_oid[] = { SNMP_ROOT_SOFTLB, 4, 5, 0 };
	struct counter64 c64 = { .high = (u_long)(seq >> 32), .low = (u_long)(seq & 0xffffffffu) };
	netsnmp_variable_list *vl = NULL;

	if (!a->set.traps)
		return;
	snmp_varlist_add_variable(&vl, trap_oid_oid, OID_LENGTH(trap_oid_oid), ASN_OBJECT_ID,
				  trap, sizeof(trap));
	snmp_varlist_add_variable(&vl, seq_oid, OID_LENGTH(seq_oid), ASN_COUNTER64, &c64,
				  sizeof(c64));
	add_text(&vl, obj_oid, OID_LENGTH(obj_oid), object);
	add_text(&vl, old_oid, OID_LENGTH(old_oid), old_state);
	add_text(&vl, new_oid, OID_LENGTH(new_oid), new_state);
	add_text(&vl, why_oid, OID_LENGTH(why_oid), reason);
	send_v2trap(vl);
	snmp_free_varbind(vl);
	sync_fds(a, true);
}

void snmp_agent_update(struct snmp_agent *a, const struct snmp_settings *set)
{
	bool moved = strcmp(set->socket, a->set.socket) != 0;

	for (int i = 0; i < SNMP_MIB_COUNT; i++) {
		if (set->mib[i] && !a->mibs[i].reg)
			add_mib(a, (enum snmp_mib_id)i);
		else if (!set->mib[i] && a->mibs[i].reg)
			drop_mib(a, (enum snmp_mib_id)i);
	}
	a->set = *set;
	if (moved)
		snmp_agent_reconnect(a, set->socket);
	else
		sync_fds(a, true);
}

void snmp_agent_reconnect(struct snmp_agent *a, const char *socket)
{

	snprintf(a->set.socket, sizeof(a->set.socket), "%s", socket);
	lib_settings(a);
	drop_session();
	sync_fds(a, true);
}
