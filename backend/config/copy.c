#include "config.h"

/* config_copy(): a structural copy of a model.
 *
 * Configure mode edits a copy of the running model, so a copy must cost
 * memory copies only: it used to print the model and parse the text back,
 * which at 10,000 virtual servers took a third of a second of the control
 * plane for every line typed. Then it was a deep copy, and copying and
 * freeing 10,000 virtual servers was still most of what one typed weight
 * cost; now the virtual servers are shared, counted, and an edit copies
 * only those it changes (config_vs_own()). So is the file-name table every
 * location points into, which keeps locations valid in every model that
 * shares an object. Every other owned pointer of model-t.h is copied
 * here; config_free() is the list to keep this in step with, and the
 * corpus test (tests/config/test_edit.c) checks copy == original for
 * every configuration of the corpus. */

#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "config/rules.h"
#include "util/xalloc.h"

static char *copy_str(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Copies n elements of size bytes; NULL for none. The capacity becomes
 * the length: a later append grows it as usual. */
static void *dup_array(const void *src, size_t n, size_t size, size_t *cap)
{
	void *p;

	*cap = n;
	if (!n)
		return NULL;
	p = xreallocarray(NULL, n, size);
	memcpy(p, src, n * size);
	return p;
}

#define COPY_ARRAY(dst, src, arr, n, cap) \
	((dst)->n = (src)->n, \
	 (dst)->arr = dup_array((src)->arr, (src)->n, sizeof(*(src)->arr), \
				&(dst)->cap))

static void strvec_copy(struct strvec *dst, const struct strvec *src)
{
	strvec_init(dst);
	for (size_t i = 0; i < src->len; i++)
		strvec_push(dst, src->items[i]);
}

static void loc_copy(struct config *dst, struct cfg_loc *loc)
{
	if (loc->file)
		loc->file = config_intern_file(dst, loc->file);
}

static void vip_copy(struct cfg_vip *v)
{
	v->dev = copy_str(v->dev);
	v->scope = copy_str(v->scope);
	v->label = copy_str(v->label);
}

static void track_copy(struct cfg_track *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t[i].name = copy_str(t[i].name);
}

void cfg_vrrp_instance_copy(struct config *dst, struct cfg_vrrp_instance *d,
			    const struct cfg_vrrp_instance *s)
{
	*d = *s;
	d->name = copy_str(s->name);
	d->interface = copy_str(s->interface);
	d->auth_pass = copy_str(s->auth_pass);
	COPY_ARRAY(d, s, vips, n_vips, cap_vips);
	for (size_t i = 0; i < d->n_vips; i++)
		vip_copy(&d->vips[i]);
	COPY_ARRAY(d, s, vips_excluded, n_vips_excluded, cap_vips_excluded);
	for (size_t i = 0; i < d->n_vips_excluded; i++)
		vip_copy(&d->vips_excluded[i]);
	COPY_ARRAY(d, s, track_ifs, n_track_ifs, cap_track_ifs);
	track_copy(d->track_ifs, d->n_track_ifs);
	COPY_ARRAY(d, s, track_scripts, n_track_scripts, cap_track_scripts);
	track_copy(d->track_scripts, d->n_track_scripts);
	d->notify_master = copy_str(s->notify_master);
	d->notify_backup = copy_str(s->notify_backup);
	d->notify_fault = copy_str(s->notify_fault);
	d->notify_stop = copy_str(s->notify_stop);
	d->notify = copy_str(s->notify);
	COPY_ARRAY(d, s, unicast_peers, n_unicast_peers, cap_unicast_peers);
	loc_copy(dst, &d->loc);
}

static void check_opts_copy(struct cfg_check_opts *co)
{
	co->virtualhost = copy_str(co->virtualhost);
}

static void checker_copy(struct cfg_checker *d, const struct cfg_checker *s)
{
	*d = *s;
	check_opts_copy(&d->co);
	d->http_protocol = copy_str(s->http_protocol);
	COPY_ARRAY(d, s, urls, n_urls, cap_urls);
	for (size_t i = 0; i < d->n_urls; i++) {
		struct cfg_url *u = &d->urls[i];

		u->path = copy_str(u->path);
		u->digest = copy_str(u->digest);
		COPY_ARRAY(u, &s->urls[i], codes, n_codes, cap_codes);
	}
	d->misc_path = copy_str(s->misc_path);
	d->user = copy_str(s->user);
}

void cfg_real_server_copy(struct config *dst, struct cfg_real_server *d,
			  const struct cfg_real_server *s)
{
	*d = *s;
	d->notify_up = copy_str(s->notify_up);
	d->notify_down = copy_str(s->notify_down);
	check_opts_copy(&d->co);
	d->checkers = NULL;
	d->n_checkers = d->cap_checkers = 0;
	if (s->n_checkers) {
		d->checkers = xcalloc(s->n_checkers, sizeof(*d->checkers));
		d->n_checkers = d->cap_checkers = s->n_checkers;
		for (size_t i = 0; i < s->n_checkers; i++)
			checker_copy(&d->checkers[i], &s->checkers[i]);
	}
	loc_copy(dst, &d->loc);
}

void cfg_virtual_server_copy(struct config *dst, struct cfg_virtual_server *d,
			     const struct cfg_virtual_server *s)
{
	*d = *s;
	d->refs = 1;
	d->group = copy_str(s->group);
	strvec_copy(&d->sched_flags, &s->sched_flags);
	d->quorum_up = copy_str(s->quorum_up);
	d->quorum_down = copy_str(s->quorum_down);
	check_opts_copy(&d->co);
	d->rs = NULL;
	d->n_rs = d->cap_rs = 0;
	if (s->n_rs) {
		d->rs = xcalloc(s->n_rs, sizeof(*d->rs));
		d->n_rs = d->cap_rs = s->n_rs;
		for (size_t i = 0; i < s->n_rs; i++)
			cfg_real_server_copy(dst, &d->rs[i], &s->rs[i]);
	}
	loc_copy(dst, &d->loc);
	loc_copy(dst, &d->pe_loc);
}

/* A whole proxy, servers and binds included (cfg_proxy_copy() is the
 * inheritance copy, which leaves them out). */
void cfg_proxy_copy_all(struct config *dst, struct cfg_proxy *d,
			const struct cfg_proxy *s)
{
	cfg_proxy_copy(d, s);
	COPY_ARRAY(d, s, binds, n_binds, cap_binds);
	for (size_t i = 0; i < s->accept_proxy.len; i++)
		strvec_push(&d->accept_proxy, s->accept_proxy.items[i]);
	COPY_ARRAY(d, s, bind_ssl, n_bind_ssl, cap_bind_ssl);
	for (size_t i = 0; i < d->n_bind_ssl; i++) {
		d->bind_ssl[i].bind = copy_str(d->bind_ssl[i].bind);
		d->bind_ssl[i].opts = copy_str(d->bind_ssl[i].opts);
		d->bind_ssl[i].stamp = copy_str(d->bind_ssl[i].stamp);
		loc_copy(dst, &d->bind_ssl[i].loc);
	}
	COPY_ARRAY(d, s, servers, n_servers, cap_servers);
	for (size_t i = 0; i < d->n_servers; i++) {
		d->servers[i].name = copy_str(d->servers[i].name);
		d->servers[i].cookie = copy_str(d->servers[i].cookie);
		loc_copy(dst, &d->servers[i].loc);
	}
	for (size_t i = 0; d->rules && i < d->rules->n; i++)
		loc_copy(dst, &d->rules->v[i].loc);	/* cfg_proxy_copy copied the rules */
	loc_copy(dst, &d->loc);
}

static void copy_lvs_objects(struct config *d, const struct config *s)
{
	COPY_ARRAY(d, s, vs_groups, n_vs_groups, cap_vs_groups);
	for (size_t i = 0; i < d->n_vs_groups; i++) {
		struct cfg_vs_group *vg = &d->vs_groups[i];

		vg->name = copy_str(vg->name);
		COPY_ARRAY(vg, &s->vs_groups[i], entries, n_entries,
			   cap_entries);
		loc_copy(d, &vg->loc);
	}
	/* shared, not copied: config_vs_own() copies one to change it */
	COPY_ARRAY(d, s, vs, n_vs, cap_vs);
	for (size_t i = 0; i < d->n_vs; i++)
		cfg_vs_ref(d->vs[i]);
}

/* objects: with the virtual servers, their groups and the proxies, or
 * only the rest (the frame an edit's validation builds on). */
static struct config *copy_model(const struct config *s, bool objects)
{
	struct config *d = config_new();
	struct cfg_global *g = &d->global;

	/* the file table first: every location points into it */
	strvec_free(&d->files->names);
	free(d->files);
	d->files = cfg_files_ref(s->files);
	d->kad_path = copy_str(s->kad_path);
	d->hap_path = copy_str(s->hap_path);
	COPY_ARRAY(d, s, includes, n_includes, cap_includes);
	for (size_t i = 0; i < d->n_includes; i++) {
		d->includes[i].pattern = copy_str(d->includes[i].pattern);
		loc_copy(d, &d->includes[i].loc);
	}
	strvec_free(&d->kad_included);
	strvec_copy(&d->kad_included, &s->kad_included);

	*g = s->global;
	g->router_id = copy_str(g->router_id);
	g->script_user = copy_str(g->script_user);
	g->sync.interface = copy_str(g->sync.interface);
	g->sync.instance = copy_str(g->sync.instance);
	g->snmp_socket = copy_str(g->snmp_socket);
	g->softlb_metrics = copy_str(g->softlb_metrics);
	loc_copy(d, &g->loc);

	COPY_ARRAY(d, s, scripts, n_scripts, cap_scripts);
	for (size_t i = 0; i < d->n_scripts; i++) {
		struct cfg_vrrp_script *sc = &d->scripts[i];

		sc->name = copy_str(sc->name);
		sc->script = copy_str(sc->script);
		sc->user = copy_str(sc->user);
		loc_copy(d, &sc->loc);
	}
	if (s->n_vrrp) {
		d->vrrp = xcalloc(s->n_vrrp, sizeof(*d->vrrp));
		d->n_vrrp = d->cap_vrrp = s->n_vrrp;
		for (size_t i = 0; i < s->n_vrrp; i++)
			cfg_vrrp_instance_copy(d, &d->vrrp[i], &s->vrrp[i]);
	}
	COPY_ARRAY(d, s, sync_groups, n_sync_groups, cap_sync_groups);
	for (size_t i = 0; i < d->n_sync_groups; i++) {
		struct cfg_sync_group *sg = &d->sync_groups[i];

		sg->name = copy_str(sg->name);
		strvec_copy(&sg->members, &s->sync_groups[i].members);
		sg->notify_master = copy_str(sg->notify_master);
		sg->notify_backup = copy_str(sg->notify_backup);
		sg->notify_fault = copy_str(sg->notify_fault);
		sg->notify = copy_str(sg->notify);
		loc_copy(d, &sg->loc);
	}
	if (objects)
		copy_lvs_objects(d, s);
	d->hap = s->hap;
	d->hap.stats_socket = copy_str(s->hap.stats_socket);
	strvec_init(&d->hap.logs);
	for (size_t i = 0; i < s->hap.logs.len; i++)
		strvec_push(&d->hap.logs, s->hap.logs.items[i]);
	d->hap.log_tag = copy_str(s->hap.log_tag);
	d->hap.userlists = cfg_rules_copy(s->hap.userlists);
	for (size_t i = 0; d->hap.userlists && i < d->hap.userlists->n; i++)
		loc_copy(d, &d->hap.userlists->v[i].loc);
	d->hap.ssl_bind_ciphers = copy_str(s->hap.ssl_bind_ciphers);
	d->hap.ssl_bind_ciphersuites = copy_str(s->hap.ssl_bind_ciphersuites);
	d->hap.ssl_bind_options = copy_str(s->hap.ssl_bind_options);
	cfg_proxy_free(&d->builtin);
	cfg_proxy_copy_all(d, &d->builtin, &s->builtin);
	if (s->n_defaults) {
		d->defaults = xcalloc(s->n_defaults, sizeof(*d->defaults));
		d->n_defaults = d->cap_defaults = s->n_defaults;
		for (size_t i = 0; i < s->n_defaults; i++)
			cfg_proxy_copy_all(d, &d->defaults[i], &s->defaults[i]);
	}
	if (objects && s->n_proxies) {
		d->proxies = xcalloc(s->n_proxies, sizeof(*d->proxies));
		d->n_proxies = d->cap_proxies = s->n_proxies;
		for (size_t i = 0; i < s->n_proxies; i++)
			cfg_proxy_copy_all(d, &d->proxies[i], &s->proxies[i]);
	}
	return d;
}

struct config *config_copy(const struct config *src)
{
	return copy_model(src, true);
}

struct config *config_copy_frame(const struct config *src)
{
	return copy_model(src, false);
}
