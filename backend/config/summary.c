#include "config.h"

/* config_summary(): the one screen `softlbd -t` prints. */

#include "config/conf.h"
#include "config/model.h"

/* Beyond this many objects a group's line ends in "... (N more)", so a
 * config with thousands of services still fits on one screen. */
#define SUMMARY_MAX_ITEMS 6

static void group_start(struct strbuf *out, const char *title, size_t i)
{
	if (i == 0)
		strbuf_printf(out, "  %s: ", title);
	else
		strbuf_puts(out, ", ");
}

/* Returns false once the group has shown enough, after saying so. */
static bool group_more(struct strbuf *out, size_t i, size_t n)
{
	if (i < SUMMARY_MAX_ITEMS)
		return true;
	strbuf_printf(out, ", ... (%zu more)", n - i);
	return false;
}

static void summary_vrrp(const struct config *cfg, struct strbuf *out)
{
	for (size_t i = 0; i < cfg->n_vrrp; i++) {
		const struct cfg_vrrp_instance *vi = &cfg->vrrp[i];

		if (!group_more(out, i, cfg->n_vrrp))
			break;
		group_start(out, "VRRP instances", i);
		strbuf_printf(out, "%s (%s, %s, VRID %d, priority %d, %zu VIP%s)",
			      vi->name,
			      vi->state == CFG_VRRP_STATE_MASTER ? "MASTER" :
			      "BACKUP", vi->interface ? vi->interface : "-",
			      vi->vrid, vi->priority, vi->n_vips,
			      vi->n_vips == 1 ? "" : "s");
	}
	if (cfg->n_vrrp)
		strbuf_putc(out, '\n');
	for (size_t i = 0; i < cfg->n_sync_groups; i++) {
		const struct cfg_sync_group *sg = &cfg->sync_groups[i];

		if (!group_more(out, i, cfg->n_sync_groups))
			break;
		group_start(out, "sync groups", i);
		strbuf_printf(out, "%s (", sg->name);
		for (size_t j = 0; j < sg->members.len; j++)
			strbuf_printf(out, "%s%s", j ? " " : "",
				      sg->members.items[j]);
		strbuf_putc(out, ')');
	}
	if (cfg->n_sync_groups)
		strbuf_putc(out, '\n');
	for (size_t i = 0; i < cfg->n_scripts; i++) {
		if (!group_more(out, i, cfg->n_scripts))
			break;
		group_start(out, "vrrp scripts", i);
		strbuf_puts(out, cfg->scripts[i].name);
	}
	if (cfg->n_scripts)
		strbuf_putc(out, '\n');
}

static void summary_lvs(const struct config *cfg, struct strbuf *out)
{
	for (size_t i = 0; i < cfg->n_vs; i++) {
		const struct cfg_virtual_server *vs = cfg->vs[i];

		if (!group_more(out, i, cfg->n_vs))
			break;
		group_start(out, "virtual servers", i);
		cfg_vs_identity(vs, out);
		strbuf_printf(out, " (%s, ", vs->lb_algo);
		cfg_lvs_method_text(vs->lb_kind, &vs->tun, out);
		if (vs->persistence_timeout_ms)
			strbuf_printf(out, ", persistent %llds",
				      (long long)vs->persistence_timeout_ms / 1000);
		if (vs->pe_name[0])
			strbuf_printf(out, ", pe %s", vs->pe_name);
		strbuf_printf(out, ", %zu real server%s)", vs->n_rs,
			      vs->n_rs == 1 ? "" : "s");
	}
	if (cfg->n_vs)
		strbuf_putc(out, '\n');
}

static void summary_proxies(const struct config *cfg, struct strbuf *out)
{
	for (size_t i = 0; i < cfg->n_proxies; i++) {
		const struct cfg_proxy *px = &cfg->proxies[i];

		if (!group_more(out, i, cfg->n_proxies))
			break;
		group_start(out, "proxies", i);
		strbuf_printf(out, "%s (%s, %s", px->name,
			      cfg_proxy_kind_name(px->kind),
			      cfg_mode_name(px->mode));
		for (size_t j = 0; j < px->n_binds; j++) {
			strbuf_puts(out, j ? " " : ", ");
			cfg_endpoint_text(&px->binds[j], out);
		}
		if (px->kind != CFG_PROXY_FRONTEND)
			strbuf_printf(out, ", %zu server%s", px->n_servers,
				      px->n_servers == 1 ? "" : "s");
		strbuf_putc(out, ')');
	}
	if (cfg->n_proxies)
		strbuf_putc(out, '\n');
}

void config_summary(const struct config *cfg, const struct config_diag *diag,
		    struct strbuf *out)
{
	size_t n_rs = 0, n_servers = 0;

	for (size_t i = 0; i < cfg->n_vs; i++)
		n_rs += cfg->vs[i]->n_rs;
	for (size_t i = 0; i < cfg->n_proxies; i++)
		n_servers += cfg->proxies[i].n_servers;
	strbuf_printf(out, "%zu VRRP instances (%zu sync groups), %zu virtual "
		      "servers with %zu real servers, %zu proxies with %zu "
		      "servers, %zu warnings\n", cfg->n_vrrp,
		      cfg->n_sync_groups, cfg->n_vs, n_rs, cfg->n_proxies,
		      n_servers, diag ? diag->n_warnings : 0);
	summary_vrrp(cfg, out);
	summary_lvs(cfg, out);
	summary_proxies(cfg, out);
}
