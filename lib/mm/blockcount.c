/*
 * blockcount.c - pageblocks per migratetype and zone, as mm/vmstat.c (v6.1)
 * pagetypeinfo_showblockcount_print() counts them: for pfn from
 * zone_start_pfn to zone_end_pfn() in steps of pageblock_nr_pages, skip the
 * pfn if pfn_to_online_page() finds no page or page_zone(page) is another
 * zone, else count[get_pageblock_migratetype(page)]++ when below MIGRATE_TYPES.
 *
 * page_zone() reads the zone bits of page->flags, whose position depends on
 * the build (NODES_SHIFT, ZONES_SHIFT, SECTIONS_WIDTH: not in debug info).
 * It is not decoded.  Instead: memmap_init() gives the struct pages of a
 * zone's span that zone unless another zone's span covers them too, so when
 * no other zone of any node overlaps this zone's pfn range, page_zone(page)
 * == zone at every pfn checked.  A zone that overlaps another (ZONE_MOVABLE
 * inside Normal, interleaved nodes) is not counted.  The same argument
 * covers ZONE_DEVICE: its pfns lie in the Device zone's span, so in a zone
 * that overlaps nothing pfn_to_online_page() finds no dev_pagemap and
 * online_section() + pfn_section_valid() decide alone.
 *
 * One exception to "unless": a hole after a zone's last memory range is
 * initialised with the zone of the next range (memmap_init_zone_range() ->
 * init_unavailable_range()).  The kernel looks at a block start there only if
 * its 2 MiB subsection holds memory before it; on x86_64 a pageblock is a
 * subsection, so that needs a zone start that is not block-aligned and the
 * zone's memory ending inside a subsection, at or before the pfn checked
 * there.  Not handled.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "freelist.h"
#include "pageblock.h"

/* x86_64 with 5-level paging: no zone can span more (VMCOREINFO has the real one). */
#define MS_MAX_PHYSMEM_BITS_FALLBACK 52

struct span {
	bool ok;
	uint64_t start, end;
};

struct spans {
	const struct ms_kernel *k;
	const struct ms_zone_layout *l;
	struct span *s;			/* k->nr_nodes * k->nr_zones */
};

static uint64_t max_span(struct ms_target *t)
{
	long long bits;
	struct ms_error *err = ms_vmcoreinfo_number(t, "NUMBER(MAX_PHYSMEM_BITS)", &bits);

	if (err || bits <= t->page_shift || bits >= 64)
		bits = MS_MAX_PHYSMEM_BITS_FALLBACK;
	ms_error_destroy(err);
	return 1ull << (bits - t->page_shift);
}

/* [zone_start_pfn, zone_end_pfn()) of one zone, bounded by what memory can span. */
static struct ms_error *read_span(struct ms_target *t, const struct spans *sp, uint64_t zone,
				  uint64_t limit, struct span *s)
{
	struct ms_error *err;
	uint64_t spanned = 0;

	err = ms_zone_member(t, sp->l, zone, MS_ZONE_START_PFN, &s->start);
	if (!err)
		err = ms_zone_member(t, sp->l, zone, MS_ZONE_SPANNED, &spanned);
	if (!err && (s->start >= limit || spanned > limit - s->start))
		err = ms_error_create(MS_ERR_CORRUPT, "span %llu + %llu pages is implausible",
				      (unsigned long long)s->start, (unsigned long long)spanned);
	s->ok = !err;
	s->end = s->ok ? s->start + spanned : 0;
	return err;
}

/* zone_start_pfn and spanned_pages of every zone of every node. */
static struct ms_error *read_spans(struct ms_target *t, struct spans *sp)
{
	const struct ms_kernel *k = sp->k;
	uint64_t limit = max_span(t);

	if (!ms_zone_has(sp->l, MS_ZONE_START_PFN) || !ms_zone_has(sp->l, MS_ZONE_SPANNED))
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve zone.zone_start_pfn / zone.spanned_pages");
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		for (unsigned int z = 0; z < k->nr_zones; z++) {
			struct span *s = &sp->s[n * k->nr_zones + z];
			struct ms_error *err = read_span(t, sp, ms_zone_addr(k, n, z), limit, s);

			if (err)
				ms_warn_error(t, err, "node %d zone %s: span", k->node_id[n],
					      k->zone_name[z]);
		}
	}
	return NULL;
}

/* Which entry of the span table zone addr is; -1 if none. */
static long span_index(const struct ms_kernel *k, uint64_t addr)
{
	for (unsigned int n = 0; n < k->nr_nodes; n++)
		for (unsigned int z = 0; z < k->nr_zones; z++)
			if (ms_zone_addr(k, n, z) == addr)
				return (long)(n * k->nr_zones + z);
	return -1;
}

/* Another zone whose span meets [s, e): MS_BLOCKS_OVERLAP; one unreadable: UNREADABLE. */
static enum ms_blocks_status check_overlap(const struct spans *sp, long self,
					   struct ms_zone_blocks *zb)
{
	const struct ms_kernel *k = sp->k;
	const struct span *me = &sp->s[self];

	for (long i = 0; i < (long)(k->nr_nodes * k->nr_zones); i++) {
		const struct span *o = &sp->s[i];

		if (i == self)
			continue;
		if (!o->ok)
			return MS_BLOCKS_UNREADABLE;
		if (o->start < o->end && o->start < me->end && me->start < o->end) {
			zb->other_node = k->node_id[i / k->nr_zones];
			memcpy(zb->other_zone, k->zone_name[i % k->nr_zones], MS_ZONE_NAME_LEN);
			return MS_BLOCKS_OVERLAP;
		}
	}
	return MS_BLOCKS_OK;
}

static void count_zone(struct ms_pageblocks *pb, const struct ms_freelists *f,
		       struct ms_zone_blocks *zb)
{
	uint64_t step = 1ull << f->pageblock_order;
	unsigned int mt;

	for (uint64_t pfn = zb->start_pfn; pfn < zb->end_pfn; pfn += step) {
		switch (ms_pageblock_migratetype(pb, pfn, &mt)) {
		case MS_PFN_OFFLINE:
			zb->offline++;
			break;
		case MS_PFN_UNREADABLE:
			zb->status = MS_BLOCKS_UNREADABLE;
			return;
		case MS_PFN_ONLINE:
			if (mt < f->nr_types)
				zb->count[mt]++;
			else
				zb->beyond++;
			break;
		}
	}
}

static void set_all(const struct ms_buddy *b, struct ms_freelists *f, enum ms_blocks_status s)
{
	for (unsigned int i = 0; i < b->nr_zones; i++)
		f->zones[i].blocks.status = s;
}

/* The spans of every zone and the pageblock bitmaps: NULL, or why they cannot be had. */
static struct ms_error *open_layout(struct ms_target *t, const struct ms_freelists *f,
				    struct spans *sp, struct ms_pageblocks **pb)
{
	struct ms_error *err;

	*pb = NULL;
	if (f->pageblock_order < 0)
		return ms_error_create(MS_ERR_LOOKUP, "pageblock_order unknown");
	err = ms_kernel_get(t, &sp->k);
	if (!err)
		err = ms_zone_layout(t, &sp->l);
	if (err)
		return err;
	sp->s = calloc((size_t)sp->k->nr_nodes * sp->k->nr_zones + 1, sizeof(*sp->s));
	if (!sp->s)
		return &ms_error_nomem;
	err = read_spans(t, sp);
	return err ? err : ms_pageblocks_open(t, (unsigned int)f->pageblock_order, pb);
}

void ms_blocks_count(struct ms_target *t, const struct ms_buddy *b, struct ms_freelists *f)
{
	struct spans sp = { NULL, NULL, NULL };
	struct ms_pageblocks *pb;
	struct ms_error *err;

	f->page_owner = ms_page_owner_state(t);
	err = open_layout(t, f, &sp, &pb);
	if (err) {
		ms_warn_error(t, err, "pageblocks not counted");
		free(sp.s);
		set_all(b, f, MS_BLOCKS_NO_LAYOUT);
		return;
	}
	for (unsigned int i = 0; i < b->nr_zones; i++) {
		struct ms_zone_blocks *zb = &f->zones[i].blocks;
		long self = span_index(sp.k, b->zones[i].addr);

		memset(zb, 0, sizeof(*zb));
		if (self < 0 || !sp.s[self].ok) {
			zb->status = MS_BLOCKS_UNREADABLE;
			continue;
		}
		zb->start_pfn = sp.s[self].start;
		zb->end_pfn = sp.s[self].end;
		zb->status = check_overlap(&sp, self, zb);
		if (zb->status == MS_BLOCKS_OK)
			count_zone(pb, f, zb);
	}
	ms_pageblocks_close(pb);
	free(sp.s);
}

const char *ms_blocks_status_name(enum ms_blocks_status s)
{
	switch (s) {
	case MS_BLOCKS_OK:
		return "ok";
	case MS_BLOCKS_OVERLAP:
		return "overlap";
	case MS_BLOCKS_UNREADABLE:
		return "unreadable";
	case MS_BLOCKS_NO_LAYOUT:
		return "no_layout";
	}
	return "?";
}
