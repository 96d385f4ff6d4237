#include "config.h"

#include "vrrp/vrrp_int.h"
#include "config/conf.h"
#include "config/model.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int af_of(enum cfg_af af)
{
	return af == CFG_AF_INET4 ? AF_INET : af == CFG_AF_INET6 ? AF_INET6 : AF_UNSPEC;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The instance's family: keepalived takes it from the first VIP, then
 * the first excluded one, then the unicast peers; IPv4 otherwise. */
static int instance_family(const struct cfg_vrrp_instance *vi)
{
	if (vi->n_vips)
		return af_of(vi->vips[0].addr.af);
	if (vi->n_vips_excluded)
		return af_of(vi->vips_excluded[0].addr.af);
	if (vi->n_unicast_peers)
		return af_of(vi->unicast_peers[0].af);
	return AF_INET;
}

/* Copies one VIP entry. Returns 0, or -1 with err for an unknown scope. */
static int copy_vip(const struct cfg_vip *c, bool excluded, struct vrrp_vip *v,
		    struct strbuf *err)
{
	memset(v, 0, sizeof(*v));
	v->family = af_of(c->addr.af);
	memcpy(v->addr, c->addr.b, 16);
	v->prefix = c->prefix;
	if (c->brd.af != CFG_AF_ANY) {
		v->has_brd = true;
		memcpy(v->brd, c->brd.b, 16);
	}
	v->dev = dup_or_null(c->dev);
	v->label = dup_or_null(c->label);
	v->excluded = excluded;
	v->scope = c->scope ? vrrp_vip_scope(c->scope) : 0;
	if (v->scope < 0) {
		strbuf_printf(err, "unknown scope '%s'", c->scope);
		return -1;
	}
	return 0;
}

int vrrp_settings_from_cfg(const struct config *cfg, const struct cfg_vrrp_instance *vi,
			   struct vrrp_settings *s, struct strbuf *err)
{
	const struct cfg_global *g = &cfg->global;
	size_t n;

	memset(s, 0, sizeof(*s));
	s->interface = xstrdup(vi->interface ? vi->interface : "");
	s->vrid = vi->vrid;
	s->base_priority = vi->priority;
	s->family = instance_family(vi);
	/* VRRPv2 has no IPv6: keepalived runs IPv6 instances as v3. */
	s->version = s->family == AF_INET6 ? 3 : vi->version;
	s->advert_ms = vi->advert_int_ms > 0 ? (unsigned)vi->advert_int_ms : 1000u;
	if (s->version == 2 && vi->auth_type == CFG_VRRP_AUTH_PASS) {
		s->auth_type = VRRP_AUTH_PASS;
		/* Zero-padded to 8 bytes, no terminator: that is the wire field. */
		if (vi->auth_pass) {
			size_t plen = strlen(vi->auth_pass);

			memcpy(s->auth_data, vi->auth_pass, plen < VRRP_AUTH_LEN ? plen : VRRP_AUTH_LEN);
		}
	} else if (s->version == 2 && vi->auth_type == CFG_VRRP_AUTH_AH) {
		strbuf_puts(err, "auth_type AH is not supported (use PASS, or VRRPv3)");
		vrrp_settings_free(s);
		return -1;
	}
	s->want_master = vi->state == CFG_VRRP_STATE_MASTER;
	s->nopreempt = vi->nopreempt > 0;
	s->preempt_delay_ms = vi->preempt_delay_ms > 0 ? (uint64_t)vi->preempt_delay_ms : 0;
	s->check_addrs = g->vrrp_skip_check_adv_addr <= 0;
	s->dont_track_primary = vi->dont_track_primary > 0;
	s->v3_checksum_as_v2 = vi->v3_checksum_as_v2 > 0;

	n = vi->n_vips + vi->n_vips_excluded;
	s->vips = n ? xcalloc(n, sizeof(*s->vips)) : NULL;
	for (size_t i = 0; i < vi->n_vips; i++, s->n_vips++)
		if (copy_vip(&vi->vips[i], false, &s->vips[s->n_vips], err) < 0)
			goto fail;
	for (size_t i = 0; i < vi->n_vips_excluded; i++, s->n_vips++)
		if (copy_vip(&vi->vips_excluded[i], true, &s->vips[s->n_vips], err) < 0)
			goto fail;

	s->tracks = vi->n_track_ifs ? xcalloc(vi->n_track_ifs, sizeof(*s->tracks)) : NULL;
	for (size_t i = 0; i < vi->n_track_ifs; i++, s->n_tracks++) {
		s->tracks[i].name = xstrdup(vi->track_ifs[i].name);
		s->tracks[i].weight = vi->track_ifs[i].weight > 0 || vi->track_ifs[i].weight < 0
					      ? vi->track_ifs[i].weight : 0;
		s->tracks[i].up = true;
	}
	s->track_scripts = vi->n_track_scripts
				   ? xcalloc(vi->n_track_scripts, sizeof(*s->track_scripts)) : NULL;
	for (size_t i = 0; i < vi->n_track_scripts; i++, s->n_track_scripts++) {
		/* The model already merged the script's own weight in. */
		s->track_scripts[i].name = xstrdup(vi->track_scripts[i].name);
		s->track_scripts[i].weight = vi->track_scripts[i].weight;
	}

	memcpy(s->group, s->family == AF_INET6 ? g->mcast_group6.b : g->mcast_group4.b, 16);
	if (vi->unicast_src_ip.af != CFG_AF_ANY) {
		s->has_src = true;
		memcpy(s->src, vi->unicast_src_ip.b, 16);
	} else if (vi->mcast_src_ip.af != CFG_AF_ANY) {
		s->has_src = true;
		memcpy(s->src, vi->mcast_src_ip.b, 16);
	}
	s->peers = vi->n_unicast_peers ? xcalloc(vi->n_unicast_peers, sizeof(*s->peers)) : NULL;
	for (size_t i = 0; i < vi->n_unicast_peers; i++)
		if (af_of(vi->unicast_peers[i].af) == s->family)
			memcpy(s->peers[s->n_peers++], vi->unicast_peers[i].b, 16);

	s->garp_delay_ms = vi->garp_master_delay_ms > 0 ? (uint64_t)vi->garp_master_delay_ms : 0;
	s->garp_repeat = vi->garp_master_repeat > 0 ? vi->garp_master_repeat : 0;
	s->garp_refresh_ms = vi->garp_master_refresh_ms > 0 ? (uint64_t)vi->garp_master_refresh_ms : 0;
	s->garp_refresh_repeat = vi->garp_master_refresh_repeat > 0
					 ? vi->garp_master_refresh_repeat : 1;
	s->notify_master = dup_or_null(vi->notify_master);
	s->notify_backup = dup_or_null(vi->notify_backup);
	s->notify_fault = dup_or_null(vi->notify_fault);
	s->notify_stop = dup_or_null(vi->notify_stop);
	s->notify = dup_or_null(vi->notify);
	return 0;
fail:
	vrrp_settings_free(s);
	return -1;
}

void vrrp_settings_free(struct vrrp_settings *s)
{
	free(s->interface);
	for (size_t i = 0; i < s->n_vips; i++) {
		free(s->vips[i].dev);
		free(s->vips[i].label);
	}
	free(s->vips);
	for (size_t i = 0; i < s->n_tracks; i++)
		free(s->tracks[i].name);
	free(s->tracks);
	for (size_t i = 0; i < s->n_track_scripts; i++)
		free(s->track_scripts[i].name);
	free(s->track_scripts);
	free(s->peers);
	free(s->notify_master);
	free(s->notify_backup);
	free(s->notify_fault);
	free(s->notify_stop);
	free(s->notify);
	memset(s, 0, sizeof(*s));
}

bool vrrp_settings_same_wire(const struct vrrp_settings *a, const struct vrrp_settings *b)
{
	return strcmp(a->interface, b->interface) == 0 && a->vrid == b->vrid &&
	       a->version == b->version && a->family == b->family &&
	       memcmp(a->group, b->group, 16) == 0 && a->has_src == b->has_src &&
	       memcmp(a->src, b->src, 16) == 0 && a->n_peers == b->n_peers &&
	       (a->n_peers == 0 || memcmp(a->peers, b->peers, a->n_peers * 16) == 0);
}
