/*
 * freelist.c - count the entries of every free list by walking it.
 *
 * In 6.1 a free page sits on zone->free_area[order].free_list[migratetype]
 * through page->buddy_list (an alias of page->lru); only the list_head
 * links are followed here, so the member's name does not matter.  Like
 * pagetypeinfo_showfree_print() we count entries; unlike it we stop at a
 * cycle or an unreadable pointer and say so instead of looping or guessing.
 * zone.c says where the lists are.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "freelist.h"

static long enum_or_absent(struct ms_target *t, const char *name)
{
	long v = -1;

	if (ms_has_enum(t, name))
		ms_error_destroy(ms_enum(t, name, &v));
	return v;
}

/* free_list[MIGRATE_TYPES]: the array's length (zone.c), checked against the enum. */
static struct ms_error *count_types(struct ms_target *t, const struct ms_zone_layout *l,
				    unsigned int *nr_types)
{
	long mt_enum = enum_or_absent(t, "MIGRATE_TYPES");

	*nr_types = l->nr_migratetypes;
	if (!l->nr_migratetypes || l->free_area < 0 || l->free_area_size <= 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve free_area.free_list / struct list_head");
	if (mt_enum >= 0 && mt_enum != (long)*nr_types)
		ms_warn(t, "free_area.free_list has %u lists but MIGRATE_TYPES is %ld", *nr_types,
			mt_enum);
	if (*nr_types > MS_MAX_MIGRATETYPES)
		return ms_error_create(MS_ERR_UNSUPPORTED, "unexpected number of migratetypes %u",
				       *nr_types);
	return NULL;
}

/* The kernel's migratetype_names[] (mm/page_alloc.c) for each enumerator. */
static const struct {
	const char *enumerator, *name;
} mt_names[] = {
	{ "MIGRATE_UNMOVABLE", "Unmovable" },
	{ "MIGRATE_MOVABLE", "Movable" },
	{ "MIGRATE_RECLAIMABLE", "Reclaimable" },
	{ "MIGRATE_HIGHATOMIC", "HighAtomic" },
	{ "MIGRATE_CMA", "CMA" },
	{ "MIGRATE_ISOLATE", "Isolate" },
};

/* migratetype_names[mt] from the dump (MS_ERR_LOOKUP without the table). */
static struct ms_error *dump_type_name(struct ms_target *t, unsigned int mt, char *dst)
{
	struct ms_error *err;
	uint64_t names, p;

	err = ms_symbol(t, "migratetype_names", &names);
	if (!err)
		err = ms_read_ptr(t, names + (uint64_t)t->word_size * mt, &p);
	if (!err)
		err = ms_read_str(t, p, dst, MS_MIGRATETYPE_NAME_LEN);
	if (!err && !dst[0])
		err = ms_error_create(MS_ERR_CORRUPT, "migratetype_names[%u] is empty", mt);
	return err;
}

static void read_type_names(struct ms_target *t, struct ms_freelists *f)
{
	for (unsigned int mt = 0; mt < f->nr_types; mt++) {
		char *dst = f->type_name[mt];
		struct ms_error *err = dump_type_name(t, mt, dst);

		if (!err)
			continue;
		ms_error_destroy(err);		/* the enumerator's name stands in */
		snprintf(dst, MS_MIGRATETYPE_NAME_LEN, "type%u", mt);
		for (size_t i = 0; i < sizeof(mt_names) / sizeof(mt_names[0]); i++)
			if (enum_or_absent(t, mt_names[i].enumerator) == (long)mt)
				snprintf(dst, MS_MIGRATETYPE_NAME_LEN, "%s", mt_names[i].name);
	}
}

/*
 * pageblock_order (include/linux/pageblock-flags.h): a variable only with
 * CONFIG_HUGETLB_PAGE_SIZE_VARIABLE; otherwise HUGETLB_PAGE_ORDER when
 * CONFIG_HUGETLB_PAGE (x86_64: the PMD order, PAGE_SHIFT - 3 as a page-table
 * page holds PAGE_SIZE / 8 entries), else MAX_ORDER - 1; never above MAX_ORDER - 1.
 */
static int read_pageblock_order(struct ms_target *t, unsigned int nr_orders)
{
	uint64_t v;
	int order;

	if (ms_has_symbol(t, "pageblock_order")) {
		struct ms_error *err = ms_read_sym_uint(t, "pageblock_order", 4, &v);

		if (!err && v < nr_orders)
			return (int)v;
		if (err)
			ms_warn_error(t, err, "pageblock_order: using the build's constant");
	}
	if (ms_has_symbol(t, "hstates"))
		order = (int)t->page_shift - 3;
	else
		order = (int)nr_orders - 1;
	return order < (int)nr_orders ? order : (int)nr_orders - 1;
}

static uint64_t list_bound(const struct ms_freelists *f, const struct ms_zone_free *z,
			   unsigned int order)
{
	if (f->mode == MS_FREELIST_PROC)
		return MS_PAGETYPEINFO_CAP - 1;	/* the kernel overflows at the 100000th */
	return z->present_pages >> order;
}

static void read_zone_lists(struct ms_target *t, const struct ms_zone_layout *l,
			    const struct ms_freelists *f, const struct ms_zone_free *z,
			    struct ms_zone_lists *zl)
{
	for (unsigned int o = 0; o < f->nr_orders; o++) {
		for (unsigned int mt = 0; mt < f->nr_types; mt++) {
			struct ms_freelist_cell *c = &zl->cell[o][mt];
			struct ms_list_result r;

			ms_list_walk(t, ms_zone_free_list(l, z->addr, o, mt), list_bound(f, z, o),
				     MS_LIST_CHECK_PREV, NULL, NULL, &r);
			c->count = r.count;
			c->status = r.status;
			c->where = r.where;
			if (!ms_freelist_cell_ok(f, c))
				ms_warn(t, "node %d zone %s order %u %s: free list %s at %#llx after %llu entries",
					z->node_id, z->name, o, f->type_name[mt],
					ms_list_status_name(r.status), (unsigned long long)r.where,
					(unsigned long long)r.count);
		}
	}
}

struct ms_error *ms_freelists_read(struct ms_target *t, const struct ms_buddy *b,
				   enum ms_freelist_bound mode, struct ms_freelists *f)
{
	const struct ms_zone_layout *l;
	struct ms_error *err;

	memset(f, 0, sizeof(*f));
	f->mode = mode;
	f->nr_orders = b->nr_orders;
	err = ms_zone_layout(t, &l);
	if (!err)
		err = count_types(t, l, &f->nr_types);
	if (err)
		return err;
	read_type_names(t, f);
	f->pageblock_order = read_pageblock_order(t, f->nr_orders);
	f->zones = calloc(b->nr_zones ? b->nr_zones : 1, sizeof(*f->zones));
	if (!f->zones)
		return &ms_error_nomem;
	f->nr_zones = b->nr_zones;
	for (unsigned int i = 0; i < b->nr_zones; i++)
		read_zone_lists(t, l, f, &b->zones[i], &f->zones[i]);
	ms_blocks_count(t, b, f);
	return NULL;
}

void ms_freelists_free(struct ms_freelists *f)
{
	free(f->zones);
	memset(f, 0, sizeof(*f));
}
