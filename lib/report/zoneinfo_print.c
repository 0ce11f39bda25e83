/*
 * zoneinfo_print.c - nodes and zones as /proc/zoneinfo (exact layout of
 * mm/vmstat.c zoneinfo_show_print, v6.1), as a table, as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>

#include "zoneinfo_print.h"

char *ms_zi_fmt_pages(char *buf, size_t len, uint64_t pages, unsigned int page_shift)
{
	uint64_t kb = pages << (page_shift - 10);

	if (kb < 1024)
		snprintf(buf, len, "%" PRIu64 "K", kb);
	else if (kb < 1024ull * 1024)
		snprintf(buf, len, "%.1fM", kb / 1024.0);
	else
		snprintf(buf, len, "%.1fG", kb / (1024.0 * 1024));
	return buf;
}

static const char *nz(const char *s)
{
	return s && *s ? s : "?";
}

/* Unreadable counters (already warned about) print "?" rather than a wrong 0. */
static void proc_stat(FILE *out, const char *name, bool ok, uint64_t v)
{
	if (ok)
		fprintf(out, "\n      %-12s %" PRIu64, nz(name), v);
	else
		fprintf(out, "\n      %-12s ?", nz(name));
}

static void proc_node_stats(FILE *out, const struct ms_zoneinfo *zi, const struct ms_node *nd,
			    bool atomic_only)
{
	fprintf(out, "\n  per-node stats");
	for (unsigned int i = 0; i < zi->nr_node_items; i++) {
		uint64_t v = nd->stats_ok ? ms_zi_counter(&nd->stats, i, atomic_only) : 0;

		if (zi->node_item_thp && zi->node_item_thp[i])
			v /= zi->hpage_pmd_nr;
		proc_stat(out, zi->node_item[i], nd->stats_ok, v);
	}
}

static void proc_zone_head(FILE *out, const struct ms_zoneinfo *zi, const struct ms_zone *z,
			   bool atomic_only)
{
	bool free_ok = z->stats_ok && zi->nr_free_idx >= 0;
	uint64_t free = free_ok ?
			ms_zi_counter(&z->stats, (unsigned int)zi->nr_free_idx, atomic_only) : 0;

	/* An unpopulated zone's counters are not read: the kernel's are 0 there. */
	if (free_ok || !z->populated)
		fprintf(out, "\n  pages free     %" PRIu64, free);
	else
		fprintf(out, "\n  pages free     ?");
	fprintf(out, "\n        boost    %" PRIu64
		"\n        min      %" PRIu64
		"\n        low      %" PRIu64
		"\n        high     %" PRIu64,
		z->boost, ms_zone_wmark(z, MS_WMARK_MIN), ms_zone_wmark(z, MS_WMARK_LOW),
		ms_zone_wmark(z, MS_WMARK_HIGH));
	if (zi->has_promo)	/* promo_wmark_pages(): boost included too */
		fprintf(out, "\n        promo    %" PRIu64, z->promo + z->boost);
	fprintf(out, "\n        spanned  %" PRIu64
		"\n        present  %" PRIu64
		"\n        managed  %" PRIu64
		"\n        cma      %" PRIu64,
		z->spanned, z->present, z->managed, z->cma);
	fprintf(out, "\n        protection: (");
	for (unsigned int i = 0; i < z->nr_reserve; i++)
		fprintf(out, "%s%" PRId64, i ? ", " : "", z->lowmem_reserve[i]);
	fputc(')', out);
}

static void proc_zone_body(FILE *out, const struct ms_zoneinfo *zi, const struct ms_node *nd,
			   const struct ms_zone *z, bool atomic_only)
{
	for (unsigned int i = 0; i < zi->nr_zone_items; i++)
		proc_stat(out, zi->zone_item[i], z->stats_ok,
			  z->stats_ok ? ms_zi_counter(&z->stats, i, atomic_only) : 0);
	for (unsigned int i = 0; i < z->nr_numa; i++)
		proc_stat(out, zi->numa_item[i], z->numa_ok, z->numa[i]);
	fprintf(out, "\n  pagesets");
	for (unsigned int i = 0; i < z->nr_pcp; i++) {
		const struct ms_pcp *p = &z->pcp[i];

		fprintf(out, "\n    cpu: %u"
			"\n              count: %ld"
			"\n              high:  %ld"
			"\n              batch: %ld",
			p->cpu, p->count, p->high, p->batch);
		if (p->stat_threshold >= 0)
			fprintf(out, "\n  vm stats threshold: %ld", p->stat_threshold);
	}
	fprintf(out, "\n  node_unreclaimable:  %u"
		"\n  start_pfn:           %" PRIu64,
		nd->unreclaimable ? 1u : 0u, z->start_pfn);
}

void ms_zoneinfo_print_proc(FILE *out, const struct ms_zoneinfo *zi,
			    const struct ms_zi_print_opts *o)
{
	for (unsigned int n = 0; n < zi->nr_nodes; n++) {
		const struct ms_node *nd = &zi->nodes[n];

		for (unsigned int zn = 0; zn < zi->zones_per_node; zn++) {
			const struct ms_zone *z = ms_zi_zone(zi, n, zn);

			if (!z->ok)
				continue;
			fprintf(out, "Node %d, zone %8s", z->node_id, z->name);
			if (nd->first_populated == (int)zn)
				proc_node_stats(out, zi, nd, o->atomic_only);
			proc_zone_head(out, zi, z, o->atomic_only);
			/* If unpopulated, no other information is useful (the kernel's words). */
			if (z->populated)
				proc_zone_body(out, zi, nd, z, o->atomic_only);
			fputc('\n', out);
		}
	}
}

static void cell(FILE *out, int width, uint64_t pages, unsigned int page_shift, bool in_pages)
{
	char b[32];

	if (in_pages)
		fprintf(out, " %*" PRIu64, width, pages);
	else
		fprintf(out, " %*s", width, ms_zi_fmt_pages(b, sizeof(b), pages, page_shift));
}

void ms_zoneinfo_print_table(FILE *out, const struct ms_zoneinfo *zi, unsigned int page_shift,
			     const struct ms_zi_print_opts *o)
{
	static const char *const cols[] = { "SPANNED", "PRESENT", "MANAGED", "FREE", "MIN",
					    "LOW", "HIGH", "BOOST", "PCP" };
	const int w = 8;

	fprintf(out, "NODE ZONE    ");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		fprintf(out, " %*s", w, cols[i]);
	fprintf(out, "  LOWMEM_RESERVE (pages)\n");
	for (unsigned int n = 0; n < zi->nr_nodes; n++) {
		for (unsigned int zn = 0; zn < zi->zones_per_node; zn++) {
			const struct ms_zone *z = ms_zi_zone(zi, n, zn);
			uint64_t free = z->stats_ok && zi->nr_free_idx >= 0 ?
				ms_zi_counter(&z->stats, (unsigned int)zi->nr_free_idx,
					      o->atomic_only) : 0;
			const uint64_t v[] = { z->spanned, z->present, z->managed, free,
					       ms_zone_wmark(z, MS_WMARK_MIN),
					       ms_zone_wmark(z, MS_WMARK_LOW),
					       ms_zone_wmark(z, MS_WMARK_HIGH), z->boost,
					       z->pcp_pages };

			if (!z->ok || (!z->populated && !o->all))
				continue;
			fprintf(out, "%4d %-8s", z->node_id, z->name);
			for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
				cell(out, w, v[i], page_shift, o->pages);
			fprintf(out, "  ");
			for (unsigned int i = 0; i < z->nr_reserve; i++)
				fprintf(out, "%s%" PRId64, i ? " " : "", z->lowmem_reserve[i]);
			fputc('\n', out);
		}
	}
	if (!o->pages)
		fprintf(out, "(sizes in KiB/MiB/GiB; -p for pages. MIN/LOW/HIGH include BOOST;"
			" PCP: pages on the per-cpu lists, not in FREE)\n");
}

static json_t *counters_json(char (*names)[MS_STAT_NAME_LEN], unsigned int nr,
			     const struct ms_counters *c, bool atomic_only, const bool *thp,
			     unsigned int hpage_nr)
{
	json_t *j = json_object();

	for (unsigned int i = 0; i < nr && i < c->nr; i++) {
		uint64_t v = ms_zi_counter(c, i, atomic_only);

		if (thp && thp[i])
			v /= hpage_nr;
		json_object_set_new(j, nz(names[i]), json_integer((json_int_t)v));
	}
	return j;
}

static json_t *zone_json(const struct ms_zoneinfo *zi, const struct ms_zone *z, uint64_t psz,
			 const struct ms_zi_print_opts *o)
{
	json_t *j = json_pack("{s:s, s:i, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
		"zone", z->name, "zone_idx", (int)z->zone_idx, "populated", z->populated,
		"spanned", (json_int_t)z->spanned, "present", (json_int_t)z->present,
		"managed", (json_int_t)z->managed, "cma", (json_int_t)z->cma,
		"start_pfn", (json_int_t)z->start_pfn, "boost", (json_int_t)z->boost,
		"min", (json_int_t)ms_zone_wmark(z, MS_WMARK_MIN),
		"low", (json_int_t)ms_zone_wmark(z, MS_WMARK_LOW),
		"high", (json_int_t)ms_zone_wmark(z, MS_WMARK_HIGH),
		"nr_reserved_highatomic", (json_int_t)z->reserved_highatomic);
	json_t *prot = json_array(), *nf = json_array(), *pcp = json_array(), *numa = json_object();

	for (unsigned int i = 0; i < z->nr_reserve; i++)
		json_array_append_new(prot, json_integer(z->lowmem_reserve[i]));
	json_object_set_new(j, "protection", prot);
	if (zi->has_promo)
		json_object_set_new(j, "promo", json_integer((json_int_t)(z->promo + z->boost)));
	json_object_set_new(j, "managed_bytes", json_integer((json_int_t)(z->managed * psz)));
	if (!z->populated) {
		json_decref(nf);
		json_decref(pcp);
		json_decref(numa);
		return j;
	}
	if (z->stats_ok)
		json_object_set_new(j, "stats", counters_json(zi->zone_item, zi->nr_zone_items,
							      &z->stats, o->atomic_only, NULL, 1));
	for (unsigned int i = 0; z->numa_ok && i < z->nr_numa; i++)
		json_object_set_new(numa, nz(zi->numa_item[i]), json_integer((json_int_t)z->numa[i]));
	json_object_set_new(j, "numa", numa);
	for (unsigned int i = 0; i < z->nr_pcp; i++) {
		const struct ms_pcp *p = &z->pcp[i];

		json_array_append_new(pcp, json_pack("{s:i, s:b, s:I, s:I, s:I, s:I}",
			"cpu", (int)p->cpu, "ok", p->ok, "count", (json_int_t)p->count,
			"high", (json_int_t)p->high, "batch", (json_int_t)p->batch,
			"stat_threshold", (json_int_t)p->stat_threshold));
	}
	json_object_set_new(j, "pagesets", pcp);
	json_object_set_new(j, "pcp_pages", json_integer((json_int_t)z->pcp_pages));
	for (unsigned int i = 0; z->free_ok && i < z->nr_orders; i++)
		json_array_append_new(nf, json_integer((json_int_t)z->nr_free[i]));
	json_object_set_new(j, "nr_free", nf);
	return j;
}

json_t *ms_zoneinfo_json(const struct ms_zoneinfo *zi, uint64_t page_size,
			 const struct ms_zi_print_opts *o)
{
	json_t *nodes = json_array();

	for (unsigned int n = 0; n < zi->nr_nodes; n++) {
		const struct ms_node *nd = &zi->nodes[n];
		json_t *zones = json_array();
		json_t *jn = json_pack("{s:i, s:i, s:b}", "node", nd->node_id,
				       "kswapd_failures", nd->kswapd_failures,
				       "node_unreclaimable", nd->unreclaimable);

		if (nd->stats_ok)
			json_object_set_new(jn, "stats", counters_json(zi->node_item,
				zi->nr_node_items, &nd->stats, o->atomic_only, zi->node_item_thp,
				zi->hpage_pmd_nr));
		for (unsigned int zn = 0; zn < zi->zones_per_node; zn++) {
			const struct ms_zone *z = ms_zi_zone(zi, n, zn);

			if (z->ok)
				json_array_append_new(zones, zone_json(zi, z, page_size, o));
		}
		json_object_set_new(jn, "zones", zones);
		json_array_append_new(nodes, jn);
	}
	return json_pack("{s:s, s:I, s:o}", "counters",
			 o->atomic_only ? "atomic" : "snapshot (per-cpu deltas folded)",
			 "page_size", (json_int_t)page_size, "nodes", nodes);
}
