/* The LVS engine listening to the health checks: a real server whose
 * checks fail leaves IPVS (or drops to weight 0 with inhibit_on_failure),
 * and comes back when they pass, as keepalived's checkers do. */
#include "config.h"

#include "lvs/lvs_int.h"
#include "check/check.h"
#include "config/conf.h"
#include "config/edit.h"
#include "config/model.h"
#include "core/daemon.h"
#include "core/log.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The typed key of the real server the check engine names member
 * ("192.0.2.21:80") in virtual server group ("TCP 192.0.2.10:80", as the
 * diff names it); false when the running model has no such real server.
 * Two names parsed and two hash lookups (the virtual server in the
 * model's index, then its real server), and nothing formatted: formatting
 * every virtual server's name to compare it made a health transition
 * cost the whole configuration. */
static bool key_of(struct lvs_engine *e, const struct config *cfg, const char *group,
		   const char *member, struct cfg_rs_key *key)
{
	const struct cfg_virtual_server *vs;
	const struct cfg_real_server *rs;
	struct cfg_vs_key vk;
	struct cfg_endpoint ep;

	if (lvs_vs_key_from_identity(group, &vk) < 0 || !config_parse_endpoint(member, 0, &ep))
		return false;
	vs = lvs_cfg_find(e, cfg, &vk);
	rs = vs ? cfg_vs_find_rs(vs, &ep) : NULL;
	if (!rs)
		return false;
	/* From the model's virtual server: the key the desired state
	 * looks the server up by (lvs_rs_key_of). */
	lvs_rs_key_of(vs, rs, key);
	return true;
}

static void on_check(const struct check_change *c, void *arg)
{
	struct softlbd *d = arg;
	struct lvs_engine *e = lvs_engine_of(d);
	struct strbuf err = STRBUF_INIT;
	struct cfg_rs_key key;

	if (!e || c->origin != CHECK_FROM_KEEPALIVED || (c->from == c->to && !c->weight_changed))
		return;
	if (!key_of(e, d->config, c->group, c->member, &key))
		return;
	/* misc_dynamic: the weight first, so that a server coming up comes
	 * up with it. */
	if (c->weight_changed && lvs_set_rs_weight(d, &key, c->weight, &err) < 0)
		log_warn("LVS: %s", strbuf_str(&err));
	strbuf_reset(&err);
	if (c->from != c->to && lvs_set_rs_up(d, &key, c->to == CHECK_UP, &err) < 0)
		log_warn("LVS: %s", strbuf_str(&err));
	strbuf_free(&err);
}

void lvs_health_start(struct softlbd *d)
{
	struct check_engine *ce = check_engine_of(d);
	const struct config *cfg = d->config;
	size_t targets, up, down, paused;

	if (!ce)
		return;
	check_subscribe(ce, on_check, d);
	/* What the checks already know (alpha: a server starts down). With
	 * none down there is nothing to learn: formatting the names of
	 * 40,000 real servers to find that out took 0.8 s of a start in the
	 * VM. (The check engine knows its targets by these names.) */
	check_engine_counts(ce, &targets, &up, &down, &paused);
	if (!down)
		return;
	for (size_t i = 0; cfg && i < cfg->n_vs; i++) {
		const struct cfg_virtual_server *vs = cfg->vs[i];
		struct strbuf id = STRBUF_INIT;

		cfg_vs_identity(vs, &id);
		for (size_t j = 0; j < vs->n_rs; j++) {
			struct strbuf ep = STRBUF_INIT, err = STRBUF_INIT;

			cfg_endpoint_text(&vs->rs[j].ep, &ep);
			if (check_member_state(ce, strbuf_str(&id), strbuf_str(&ep)) == 0) {
				struct cfg_rs_key key;

				lvs_rs_key_of(vs, &vs->rs[j], &key);
				if (lvs_set_rs_up(d, &key, false, &err) < 0)
					log_warn("LVS: %s", strbuf_str(&err));
			}
			strbuf_free(&ep);
			strbuf_free(&err);
		}
		strbuf_free(&id);
	}
}

void lvs_health_stop(struct softlbd *d)
{
	struct check_engine *ce = check_engine_of(d);

	if (ce)
		check_unsubscribe(ce, on_check, d);
}
