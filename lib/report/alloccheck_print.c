/*
 * alloccheck_print.c - see alloccheck_print.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>

#include "alloccheck_print.h"

static const char *wmark_name(enum ms_wmark w)
{
	return w == MS_WMARK_MIN ? "min" : w == MS_WMARK_LOW ? "low" : "high";
}

static void flags_str(char *buf, size_t len, unsigned int f)
{
	static const char *const names[] = { "ALLOC_MIN_RESERVE", "ALLOC_NON_BLOCK",
					     "ALLOC_HIGHATOMIC", "ALLOC_OOM", "ALLOC_CMA" };
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < 5; i++)
		if (f & (1u << i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
					      n ? "|" : "", names[i]);
	if (!n)
		snprintf(buf, len, "none");
}

/* Why a zone fails, in the terms of __zone_watermark_ok(). */
static void print_reason(FILE *out, const struct ms_alloc_check *c, const struct ms_alloc_zone *a)
{
	const struct ms_wmark_in *in = &a->in;

	if (a->out.verdict == MS_WMARK_BELOW) {
		fprintf(out, "       fails: free %" PRId64 " - unusable %" PRId64, in->free_pages,
			a->out.unusable);
		fprintf(out, " (order %" PRId64, ((int64_t)1 << in->order) - 1);
		if (!(c->alloc_flags & MS_ALLOC_RESERVES))
			fprintf(out, " + highatomic reserve %" PRIu64, in->reserved_highatomic);
		if (in->has_cma && !(c->alloc_flags & MS_ALLOC_CMA))
			fprintf(out, " + free CMA %" PRId64, in->free_cma);
		fprintf(out, ") = %" PRId64 " <= min %" PRId64 " + lowmem_reserve[%s] %" PRId64 "\n",
			a->out.usable, a->out.min, c->classzone, in->lowmem_reserve);
	} else if (a->out.verdict == MS_WMARK_NO_BLOCK) {
		fprintf(out, "       fails: the order-0 watermark holds, but no free block of order"
			" >= %u on a list it may use (unmovable/movable/reclaimable%s%s); %" PRIu64
			" such blocks are free, all on other lists\n", in->order,
			(c->alloc_flags & MS_ALLOC_CMA) ? "/cma" : "",
			(c->alloc_flags & (MS_ALLOC_HIGHATOMIC | MS_ALLOC_OOM)) ?
				"/highatomic" : "", a->blocks);
	}
}

void ms_alloc_check_print(FILE *out, const struct ms_alloc_check *c)
{
	char flags[128];

	flags_str(flags, sizeof(flags), c->alloc_flags);
	fprintf(out, "order-%u allocation, gfp %s, highest zone %s (%d), zonelist of node %d\n",
		c->req.order, ms_gfp_kind_name(c->req.gfp), c->classzone, c->req.highest_zoneidx,
		c->req.nid);
	fprintf(out, "watermark %s%s, alloc_flags %s\n", wmark_name(c->req.wmark),
		c->req.wmark == MS_WMARK_LOW ? " (the fast path's first attempt)" :
		c->req.wmark == MS_WMARK_MIN ? " (the slow path, gfp_to_alloc_flags())" : "",
		flags);
	fprintf(out, "FREE is zone_page_state(NR_FREE_PAGES) as the allocator reads it (no per-cpu"
		" deltas); MARK = watermark + boost after reserve reductions; NEED = MARK +"
		" lowmem_reserve[%s]\n\n", c->classzone);
	fprintf(out, "NODE ZONE         FREE  UNUSABLE   BOOST    MARK  RESERVE     NEED  BLOCKS>=%-2u"
		" RESULT\n", c->req.order);
	for (unsigned int i = 0; i < c->nr; i++) {
		const struct ms_alloc_zone *a = &c->zones[i];

		fprintf(out, "%4d %-8s %8" PRId64 " %9" PRId64 " %7" PRIu64 " %7" PRId64
			" %8" PRId64 " %8" PRId64 " %11" PRIu64 " %s\n",
			a->node_id, a->name, a->in.free_pages, a->out.unusable, a->boost,
			a->out.min, a->in.lowmem_reserve, a->out.need, a->blocks,
			a->pass ? (a->boost_ignored ? "ok (boost ignored)" : "ok") :
			a->out.verdict == MS_WMARK_BELOW ? "FAIL: below watermark" :
							   "FAIL: no suitable block");
		if (!a->pass)
			print_reason(out, c, a);
	}
	if (c->truncated)
		fprintf(out, "(the zonelist could not be read to its end)\n");
	if (c->first_pass >= 0)
		fprintf(out, "\nfirst zone that passes: node %d %s\n",
			c->zones[c->first_pass].node_id, c->zones[c->first_pass].name);
	else
		fprintf(out, "\nno zone passes at the %s watermark%s\n", wmark_name(c->req.wmark),
			c->req.wmark == MS_WMARK_LOW ?
			": the allocator wakes kswapd and enters the slow path (-w min)" :
			c->req.wmark == MS_WMARK_MIN ?
			": next come direct reclaim, compaction, then the OOM killer" : "");
}

json_t *ms_alloc_check_json(const struct ms_alloc_check *c)
{
	static const char *const verdict[] = { "pass", "below_watermark", "no_suitable_block" };
	json_t *zones = json_array();
	char flags[128];

	flags_str(flags, sizeof(flags), c->alloc_flags);
	for (unsigned int i = 0; i < c->nr; i++) {
		const struct ms_alloc_zone *a = &c->zones[i];

		json_array_append_new(zones, json_pack(
			"{s:i, s:s, s:i, s:b, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:i}",
			"node", a->node_id, "zone", a->name, "zone_idx", (int)a->zone_idx,
			"pass", a->pass, "verdict", verdict[a->out.verdict],
			"boost_ignored", a->boost_ignored,
			"free_pages", (json_int_t)a->in.free_pages,
			"free_pages_snapshot", (json_int_t)a->free_snapshot,
			"unusable", (json_int_t)a->out.unusable, "boost", (json_int_t)a->boost,
			"mark", (json_int_t)a->in.mark, "min", (json_int_t)a->out.min,
			"lowmem_reserve", (json_int_t)a->in.lowmem_reserve,
			"need", (json_int_t)a->out.need,
			"reserved_highatomic", (json_int_t)a->in.reserved_highatomic,
			"blocks_at_or_above_order", (json_int_t)a->blocks,
			"order_found", a->out.order_found));
	}
	return json_pack("{s:i, s:s, s:i, s:s, s:s, s:i, s:s, s:o, s:o, s:b}",
		"order", (int)c->req.order, "gfp", ms_gfp_kind_name(c->req.gfp),
		"highest_zoneidx", c->req.highest_zoneidx, "classzone", c->classzone,
		"watermark", wmark_name(c->req.wmark), "node", c->req.nid, "alloc_flags", flags,
		"zones", zones,
		"first_pass", c->first_pass >= 0 ? json_integer(c->first_pass) : json_null(),
		"truncated", c->truncated);
}
