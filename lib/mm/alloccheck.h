/*
 * alloccheck.h - "why did this allocation fail with free pages left?"
 *
 * Walks the zonelist the page allocator walks (pgdat->node_zonelists
 * [ZONELIST_FALLBACK], zones up to the highest allowed index) and, for each
 * zone, computes what __zone_watermark_ok() (mm/page_alloc.c, 6.1.y) computes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ALLOCCHECK_H
#define MEMSCOPE_ALLOCCHECK_H

#include "zone.h"

/* The alloc_flags bits the check models (mm/internal.h); memscope's own values. */
#define MS_ALLOC_MIN_RESERVE	0x01	/* __GFP_HIGH: half of min */
#define MS_ALLOC_NON_BLOCK	0x02	/* cannot reclaim: a further quarter with __GFP_HIGH */
#define MS_ALLOC_HIGHATOMIC	0x04	/* may use MIGRATE_HIGHATOMIC blocks */
#define MS_ALLOC_OOM		0x08	/* OOM victim: half of what is left */
#define MS_ALLOC_CMA		0x10	/* movable: may use CMA blocks */
#define MS_ALLOC_RESERVES	(MS_ALLOC_NON_BLOCK | MS_ALLOC_MIN_RESERVE | \
				 MS_ALLOC_HIGHATOMIC | MS_ALLOC_OOM)

/* The inputs of __zone_watermark_ok() for one zone, already read. */
struct ms_wmark_in {
	unsigned int order, nr_orders;
	int64_t free_pages;		/* zone_page_state(z, NR_FREE_PAGES) */
	uint64_t mark;			/* wmark_pages(): watermark + boost */
	int64_t lowmem_reserve;		/* z->lowmem_reserve[highest_zoneidx] */
	uint64_t reserved_highatomic;	/* z->nr_reserved_highatomic */
	int64_t free_cma;		/* NR_FREE_CMA_PAGES; 0 without CONFIG_CMA */
	bool has_cma;			/* CONFIG_CMA */
	uint64_t nr_free[MS_MAX_ORDERS];
	/* per order: is any list of these migratetypes non-empty (!free_area_empty) */
	bool pcptype_block[MS_MAX_ORDERS];	/* UNMOVABLE, MOVABLE, RECLAIMABLE */
	bool cma_block[MS_MAX_ORDERS];
	bool highatomic_block[MS_MAX_ORDERS];
};

enum ms_wmark_verdict {
	MS_WMARK_PASS,
	MS_WMARK_BELOW,		/* free - unusable <= min + lowmem_reserve */
	MS_WMARK_NO_BLOCK,	/* order > 0 and no usable free block at or above it */
};

struct ms_wmark_out {
	enum ms_wmark_verdict verdict;
	int64_t unusable;		/* __zone_watermark_unusable_free() */
	int64_t usable;			/* free_pages - unusable (may be negative) */
	int64_t min;			/* mark after the reserve reductions */
	int64_t need;			/* min + lowmem_reserve: usable must exceed it */
	int order_found;		/* order of the block that satisfied it, -1 */
};

/* __zone_watermark_ok(): true if the zone passes. Pure arithmetic, no reads. */
bool ms_zone_watermark_ok(const struct ms_wmark_in *in, unsigned int alloc_flags,
			  struct ms_wmark_out *out);

/* The allocation to check. */
enum ms_gfp_kind {
	MS_GFP_KERNEL,		/* GFP_KERNEL: may reclaim, no reserves */
	MS_GFP_HIGH,		/* GFP_KERNEL | __GFP_HIGH */
	MS_GFP_NOWAIT,		/* GFP_NOWAIT: no reclaim */
	MS_GFP_ATOMIC,		/* GFP_ATOMIC: __GFP_HIGH, no reclaim */
	MS_GFP_MOVABLE,		/* GFP_HIGHUSER_MOVABLE: CMA allowed */
	MS_GFP_OOM,		/* an OOM victim's allocation (ALLOC_OOM) */
	MS_NR_GFP_KINDS,
};

struct ms_alloc_req {
	unsigned int order;
	int highest_zoneidx;		/* -1: the gfp kind's default (Normal / Movable) */
	int nid;			/* node whose zonelist is walked; -1: the first node */
	enum ms_wmark wmark;		/* LOW: the fast path; MIN: the slow path */
	enum ms_gfp_kind gfp;
};

struct ms_alloc_zone {
	int node_id;
	unsigned int zone_idx;
	char name[MS_ZONE_NAME_LEN];
	struct ms_wmark_in in;
	struct ms_wmark_out out;
	bool pass;
	bool boost_ignored;		/* passed only with the atomic boost exemption */
	int64_t free_snapshot;		/* NR_FREE_PAGES with the per-cpu deltas */
	uint64_t blocks;		/* free blocks at or above the order (nr_free) */
	uint64_t boost;
};

struct ms_alloc_check {
	struct ms_alloc_req req;
	unsigned int alloc_flags;	/* MS_ALLOC_* in force */
	char classzone[MS_ZONE_NAME_LEN];
	unsigned int nr;
	struct ms_alloc_zone *zones;	/* in zonelist order */
	int first_pass;			/* index into zones, -1: none passes */
	bool truncated;			/* the zonelist was cut (unreadable / unknown zone) */
};

/* Parse "kernel", "atomic", ...: 0, or -1 for a word that is no gfp kind
 * (a look-up of user input, as ms_wmark_parse() in lib/cmd/allocreq.c). */
int ms_gfp_kind_parse(const char *s, enum ms_gfp_kind *k);
const char *ms_gfp_kind_name(enum ms_gfp_kind k);
/* The alloc_flags of the attempt with watermark w (gfp_to_alloc_flags() for MIN). */
unsigned int ms_alloc_flags(enum ms_gfp_kind k, enum ms_wmark w, unsigned int order, bool has_cma);

/* Replay the zonelist walk for req on the zones zi read: NULL, or why it cannot
 * be (MS_ERR_USAGE for a request this kernel has no zone, order or node for).
 * A zonelist that cannot be read to its end is c->truncated, with a warning. */
struct ms_error *ms_alloc_check(struct ms_target *t, const struct ms_zoneinfo *zi,
				const struct ms_alloc_req *req, struct ms_alloc_check *c);
void ms_alloc_check_free(struct ms_alloc_check *c);

#endif
