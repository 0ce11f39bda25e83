/*
 * alloccheck.c - the page allocator's zone-by-zone watermark decision,
 * replayed on a dump.
 *
 * get_page_from_freelist() (mm/page_alloc.c, 6.1.y) walks the zonelist of the
 * local node from the preferred zone on, skipping zones above highest_zoneidx,
 * and takes the first zone where zone_watermark_fast() -> __zone_watermark_ok()
 * passes with mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK).  The
 * first attempt (fast path) uses ALLOC_WMARK_LOW and no reserves; the slow path
 * retries with gfp_to_alloc_flags(): ALLOC_WMARK_MIN plus the reserve bits of
 * the gfp mask.  Not modelled: cpusets and mempolicy nodemasks, the dirty
 * limit of __GFP_WRITE, node reclaim (node_reclaim_mode, off by default),
 * ALLOC_NOFRAGMENT's first local-only pass, the 6.1 deferred struct page init.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "alloccheck.h"

/* __zone_watermark_unusable_free() */
static int64_t unusable_free(const struct ms_wmark_in *in, unsigned int flags)
{
	int64_t unusable = ((int64_t)1 << in->order) - 1;

	/* Without rights to the reserves, the high-atomic reserve is not usable. */
	if (!(flags & MS_ALLOC_RESERVES))
		unusable += (int64_t)in->reserved_highatomic;
	/* An allocation that cannot use CMA areas does not count free CMA pages. */
	if (in->has_cma && !(flags & MS_ALLOC_CMA))
		unusable += in->free_cma;
	return unusable;
}

/* The reserve reductions of min (__zone_watermark_ok, 6.1.y with ALLOC_NON_BLOCK). */
static int64_t reduced_min(int64_t min, unsigned int flags)
{
	if (!(flags & MS_ALLOC_RESERVES))
		return min;
	if (flags & MS_ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (flags & MS_ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (flags & MS_ALLOC_OOM)
		min -= min / 2;
	return min;
}

bool ms_zone_watermark_ok(const struct ms_wmark_in *in, unsigned int flags,
			  struct ms_wmark_out *out)
{
	memset(out, 0, sizeof(*out));
	out->order_found = -1;
	out->unusable = unusable_free(in, flags);
	out->usable = in->free_pages - out->unusable;	/* may go negative: that's OK */
	out->min = reduced_min((int64_t)in->mark, flags);
	out->need = out->min + in->lowmem_reserve;
	/* Order-0 watermark first: a high-order request cannot pass without it. */
	if (out->usable <= out->need) {
		out->verdict = MS_WMARK_BELOW;
		return false;
	}
	if (!in->order) {
		out->verdict = MS_WMARK_PASS;
		return true;
	}
	/* For a high-order request, at least one suitable block must be free. */
	for (unsigned int o = in->order; o < in->nr_orders && o < MS_MAX_ORDERS; o++) {
		if (!in->nr_free[o])
			continue;
		if (in->pcptype_block[o] ||
		    (in->has_cma && (flags & MS_ALLOC_CMA) && in->cma_block[o]) ||
		    ((flags & (MS_ALLOC_HIGHATOMIC | MS_ALLOC_OOM)) && in->highatomic_block[o])) {
			out->order_found = (int)o;
			out->verdict = MS_WMARK_PASS;
			return true;
		}
	}
	out->verdict = MS_WMARK_NO_BLOCK;
	return false;
}

static const char *const gfp_names[MS_NR_GFP_KINDS] = {
	"kernel", "high", "nowait", "atomic", "movable", "oom",
};

int ms_gfp_kind_parse(const char *s, enum ms_gfp_kind *k)
{
	for (int i = 0; i < MS_NR_GFP_KINDS; i++) {
		if (!strcmp(s, gfp_names[i])) {
			*k = (enum ms_gfp_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *ms_gfp_kind_name(enum ms_gfp_kind k)
{
	return k < MS_NR_GFP_KINDS ? gfp_names[k] : "?";
}

/*
 * The fast path and watermark checks at LOW/HIGH carry no reserve bits
 * (only ALLOC_CMA from gfp_to_alloc_flags_cma()); the slow path at MIN gets
 * gfp_to_alloc_flags(): __GFP_HIGH -> MIN_RESERVE; no __GFP_DIRECT_RECLAIM ->
 * NON_BLOCK, and HIGHATOMIC for order > 0; an OOM victim's flags are replaced
 * by ALLOC_OOM (__gfp_pfmemalloc_flags()).
 */
unsigned int ms_alloc_flags(enum ms_gfp_kind k, enum ms_wmark w, unsigned int order, bool has_cma)
{
	unsigned int f = (k == MS_GFP_MOVABLE && has_cma) ? MS_ALLOC_CMA : 0;

	if (w != MS_WMARK_MIN)
		return f;
	switch (k) {
	case MS_GFP_HIGH:
		f |= MS_ALLOC_MIN_RESERVE;
		break;
	case MS_GFP_ATOMIC:
		f |= MS_ALLOC_MIN_RESERVE;
		/* fall through */
	case MS_GFP_NOWAIT:
		f |= MS_ALLOC_NON_BLOCK;
		if (order > 0)
			f |= MS_ALLOC_HIGHATOMIC;
		break;
	case MS_GFP_OOM:
		f |= MS_ALLOC_OOM;
		break;
	default:
		break;
	}
	return f;
}

struct list_layout {
	const struct ms_zone_layout *zl;
	long pcptypes, highatomic, cma;		/* migratetype values, -1 if absent */
};

static struct ms_error *list_layout(struct ms_target *t, struct list_layout *l)
{
	struct ms_error *err = ms_zone_layout(t, &l->zl);

	if (err)
		return err;
	l->pcptypes = ms_enum_or(t, "MIGRATE_PCPTYPES", -1);
	l->highatomic = ms_enum_or(t, "MIGRATE_HIGHATOMIC", -1);
	l->cma = ms_enum_or(t, "MIGRATE_CMA", -1);
	if (!l->zl->nr_orders || l->zl->free_list < 0 || l->zl->list_head_size <= 0 ||
	    l->pcptypes <= 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve zone.free_area[].free_list[] or MIGRATE_PCPTYPES");
	return NULL;
}

/* !free_area_empty(area, mt): the list head's next is not the head itself.
 * An absent migratetype (mt -1) has no list: empty. */
static struct ms_error *list_nonempty(struct ms_target *t, const struct list_layout *l,
				      uint64_t zone, unsigned int order, long mt, bool *nonempty)
{
	uint64_t head, next;
	struct ms_error *err;

	*nonempty = false;
	if (mt < 0)
		return NULL;
	head = ms_zone_free_list(l->zl, zone, order, (unsigned int)mt);
	err = ms_read_ptr(t, head, &next);
	if (!err)
		*nonempty = next != head;
	return err;
}

/* Of several failures, the first is reported: the others are dropped. */
static struct ms_error *keep_first(struct ms_error *first, struct ms_error *err)
{
	if (!first)
		return err;
	ms_error_destroy(err);
	return first;
}

static void fill_lists(struct ms_target *t, const struct list_layout *l, const struct ms_zone *z,
		       struct ms_wmark_in *in)
{
	struct ms_error *first = NULL;
	bool any;

	for (unsigned int o = in->order; o < in->nr_orders; o++) {
		if (!in->nr_free[o])
			continue;
		for (long mt = 0; mt < l->pcptypes; mt++) {
			first = keep_first(first, list_nonempty(t, l, z->addr, o, mt, &any));
			in->pcptype_block[o] |= any;
		}
		first = keep_first(first, list_nonempty(t, l, z->addr, o, l->highatomic,
							&in->highatomic_block[o]));
		first = keep_first(first, list_nonempty(t, l, z->addr, o, l->cma, &in->cma_block[o]));
	}
	if (first)
		ms_warn_error(t, first, "node %d zone %s: some free lists unreadable (counted as empty)",
			      z->node_id, z->name);
}

static void check_zone(struct ms_target *t, const struct ms_zoneinfo *zi,
		       const struct list_layout *l, const struct ms_alloc_check *c,
		       const struct ms_zone *z, struct ms_alloc_zone *a)
{
	int cma_idx = ms_stat_index(t, "NR_FREE_CMA_PAGES");
	struct ms_wmark_in *in = &a->in;
	int hz = c->req.highest_zoneidx;

	a->node_id = z->node_id;
	a->zone_idx = z->zone_idx;
	memcpy(a->name, z->name, sizeof(a->name));
	a->boost = z->boost;
	in->order = c->req.order;
	in->nr_orders = z->nr_orders;
	/* The allocator reads zone_page_state(): the atomic, without per-cpu deltas. */
	if (zi->nr_free_idx >= 0) {
		in->free_pages = (int64_t)ms_zi_counter(&z->stats, (unsigned int)zi->nr_free_idx,
							true);
		a->free_snapshot = (int64_t)ms_zi_counter(&z->stats,
							  (unsigned int)zi->nr_free_idx, false);
	}
	in->mark = ms_zone_wmark(z, c->req.wmark);
	in->lowmem_reserve = hz >= 0 && (unsigned int)hz < z->nr_reserve ?
			     z->lowmem_reserve[hz] : 0;
	in->reserved_highatomic = z->reserved_highatomic;
	in->has_cma = l->cma >= 0;
	in->free_cma = cma_idx >= 0 ? (int64_t)ms_zi_counter(&z->stats, (unsigned int)cma_idx,
							     true) : 0;
	memcpy(in->nr_free, z->nr_free, sizeof(in->nr_free));
	for (unsigned int o = in->order; o < z->nr_orders; o++)
		a->blocks += z->nr_free[o];
	fill_lists(t, l, z, in);

	a->pass = ms_zone_watermark_ok(in, c->alloc_flags, &a->out);
	/*
	 * zone_watermark_fast(): GFP_ATOMIC order-0 at the min watermark ignores
	 * the boost (mark = _watermark[WMARK_MIN]).
	 */
	if (!a->pass && !in->order && c->req.gfp == MS_GFP_ATOMIC && z->boost &&
	    c->req.wmark == MS_WMARK_MIN) {
		struct ms_wmark_in plain = *in;
		struct ms_wmark_out out;

		plain.mark = z->wmark[MS_WMARK_MIN];
		if (ms_zone_watermark_ok(&plain, c->alloc_flags, &out)) {
			a->pass = a->boost_ignored = true;
			a->out = out;
			in->mark = plain.mark;
		}
	}
}

struct zonelist_layout {
	uint64_t base;				/* the fallback zonelist's _zonerefs[] */
	long ref_size, ref_zone, ref_idx, nr_refs;
};

/* pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs[] (kernel.c has the zonelists). */
static struct ms_error *zonelist_layout(struct ms_target *t, const struct ms_kernel *k,
					unsigned int n, struct zonelist_layout *l)
{
	long refs_size = ms_member_size(t, "zonelist", "_zonerefs");
	long refs = ms_member_offset(t, "zonelist", "_zonerefs");
	long fallback = ms_enum_or(t, "ZONELIST_FALLBACK", -1);
	struct ms_error *err;
	uint64_t list;

	l->base = 0;
	l->ref_size = ms_struct_size(t, "zoneref");
	l->ref_zone = ms_member_offset(t, "zoneref", "zone");
	l->ref_idx = ms_member_offset(t, "zoneref", "zone_idx");
	l->nr_refs = (refs_size > 0 && l->ref_size > 0) ? refs_size / l->ref_size : 0;
	if (refs < 0 || l->ref_size <= 0 || l->ref_zone < 0 || l->ref_idx < 0 ||
	    l->nr_refs <= 0 || fallback < 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve pglist_data.node_zonelists[ZONELIST_FALLBACK]._zonerefs[]");
	err = ms_node_zonelist(t, k, n, fallback, &list);
	if (err)
		return err;
	l->base = list + (uint64_t)refs;
	return NULL;
}

static const struct ms_zone *zone_at(const struct ms_zoneinfo *zi, uint64_t addr)
{
	for (unsigned int i = 0; i < zi->nr_nodes * zi->zones_per_node; i++)
		if (zi->zones[i].addr == addr && zi->zones[i].ok)
			return &zi->zones[i];
	return NULL;
}

/* for_each_zone_zonelist(): the zonerefs up to the NULL zone, bounded by the array.
 * An entry that cannot be read or is no known zone cuts the walk (c->truncated). */
static struct ms_error *walk_zonelist(struct ms_target *t, const struct ms_zoneinfo *zi,
				      unsigned int n, const struct list_layout *ll,
				      struct ms_alloc_check *c)
{
	const struct ms_kernel *k;
	struct zonelist_layout l;
	struct ms_error *err;

	err = ms_kernel_get(t, &k);
	if (!err)
		err = zonelist_layout(t, k, n, &l);
	if (err)
		return err;
	c->zones = calloc((size_t)zi->nr_nodes * zi->zones_per_node, sizeof(*c->zones));
	if (!c->zones)
		return &ms_error_nomem;
	for (long i = 0; i < l.nr_refs; i++) {
		uint64_t ref = l.base + (uint64_t)(i * l.ref_size), zaddr;
		const struct ms_zone *z;
		int32_t idx = 0;

		err = ms_read_ptr(t, ref + l.ref_zone, &zaddr);
		if (!err)
			err = ms_read_s32(t, ref + l.ref_idx, &idx);
		if (err) {
			ms_warn_error(t, err, "zonelist entry %ld unreadable: the walk stops", i);
			c->truncated = true;
			return NULL;
		}
		if (!zaddr)
			return NULL;
		if (idx > c->req.highest_zoneidx)	/* next_zones_zonelist() skips it */
			continue;
		z = zone_at(zi, zaddr);
		if (!z || c->nr >= zi->nr_nodes * zi->zones_per_node) {
			ms_warn(t, "zonelist entry %ld (%#llx) is not a zone of a known node",
				i, (unsigned long long)zaddr);
			c->truncated = true;
			return NULL;
		}
		check_zone(t, zi, ll, c, z, &c->zones[c->nr]);
		if (c->first_pass < 0 && c->zones[c->nr].pass)
			c->first_pass = (int)c->nr;
		c->nr++;
	}
	return NULL;
}

/* gfp_zone(): GFP_KERNEL -> ZONE_NORMAL, GFP_HIGHUSER_MOVABLE -> ZONE_MOVABLE */
static struct ms_error *default_zone(struct ms_target *t, enum ms_gfp_kind gfp, int *idx)
{
	const char *def = gfp == MS_GFP_MOVABLE ? "ZONE_MOVABLE" : "ZONE_NORMAL";
	long v = ms_enum_or(t, def, -1);

	if (v < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no %s: give the highest zone", def);
	*idx = (int)v;
	return NULL;
}

struct ms_error *ms_alloc_check(struct ms_target *t, const struct ms_zoneinfo *zi,
				const struct ms_alloc_req *req, struct ms_alloc_check *c)
{
	struct list_layout ll;
	struct ms_error *err;
	int n;

	memset(c, 0, sizeof(*c));
	c->req = *req;
	c->first_pass = -1;
	err = list_layout(t, &ll);
	if (!err && c->req.highest_zoneidx < 0)
		err = default_zone(t, req->gfp, &c->req.highest_zoneidx);
	if (err)
		return err;
	if ((unsigned int)c->req.highest_zoneidx >= zi->zones_per_node)
		return ms_error_create(MS_ERR_USAGE, "zone index %d out of range",
				       c->req.highest_zoneidx);
	if (c->req.order >= ll.zl->nr_orders)
		return ms_error_create(MS_ERR_USAGE, "order %u: the buddy allocator has orders 0..%u",
				       c->req.order, ll.zl->nr_orders - 1);
	n = req->nid < 0 ? 0 : ms_zi_node_index(zi, req->nid);
	if (n < 0)
		return ms_error_create(MS_ERR_USAGE, "no node %d", req->nid);
	c->req.nid = zi->nodes[n].node_id;
	memcpy(c->classzone, ms_zi_zone(zi, 0, (unsigned int)c->req.highest_zoneidx)->name,
	       sizeof(c->classzone));
	c->alloc_flags = ms_alloc_flags(req->gfp, req->wmark, req->order, ll.cma >= 0);
	err = walk_zonelist(t, zi, (unsigned int)n, &ll, c);
	if (err)
		ms_alloc_check_free(c);
	return err;
}

void ms_alloc_check_free(struct ms_alloc_check *c)
{
	free(c->zones);
	memset(c, 0, sizeof(*c));
}
