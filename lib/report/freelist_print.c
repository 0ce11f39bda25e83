/*
 * freelist_print.c - free-list counts as /proc/pagetypeinfo prints them, as
 * JSON, and checked against free_area[].nr_free (see freelist_print.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "freelist_print.h"

/* One cell as pagetypeinfo_showfree_print() prints it: "%s%6lu " with ">" past the cap. */
static void print_cell(FILE *out, const struct ms_freelists *f, const struct ms_freelist_cell *c)
{
	if (!ms_freelist_cell_ok(f, c))
		fprintf(out, "%6s ", "?");	/* damaged list: no number rather than a wrong one */
	else if (c->status == MS_LIST_TRUNCATED || c->count >= MS_PAGETYPEINFO_CAP)
		fprintf(out, ">%6lu ", (unsigned long)MS_PAGETYPEINFO_CAP);
	else
		fprintf(out, "%6llu ", (unsigned long long)c->count);
}

static void print_node_free(FILE *out, const struct ms_buddy *b, const struct ms_freelists *f,
			    unsigned int first, unsigned int end)
{
	fprintf(out, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int o = 0; o < f->nr_orders; o++)
		fprintf(out, "%6u ", o);
	fputc('\n', out);
	for (unsigned int i = first; i < end; i++) {
		const struct ms_zone_free *z = &b->zones[i];

		for (unsigned int mt = 0; mt < f->nr_types; mt++) {
			fprintf(out, "Node %4d, zone %8s, type %12s ", z->node_id, z->name,
				f->type_name[mt]);
			for (unsigned int o = 0; o < f->nr_orders; o++)
				print_cell(out, f, &f->zones[i].cell[o][mt]);
			fputc('\n', out);
		}
	}
}

/* Why a zone's pageblocks are not counted, in the place of its numbers. */
static void print_blocks_note(FILE *out, const struct ms_zone_blocks *zb)
{
	switch (zb->status) {
	case MS_BLOCKS_OVERLAP:
		fprintf(out, "(not shown: its pfns overlap node %d zone %s, and memscope does not decode the zone bits of page->flags)",
			zb->other_node, zb->other_zone);
		break;
	case MS_BLOCKS_UNREADABLE:
		fprintf(out, "(not shown: its span, a mem_section or a pageblock bitmap is unreadable)");
		break;
	default:
		fprintf(out, "(not shown: the pageblock bitmaps cannot be located)");
		break;
	}
}

/* pagetypeinfo_showblockcount() and pagetypeinfo_showblockcount_print(). */
static void print_node_blocks(FILE *out, const struct ms_buddy *b, const struct ms_freelists *f,
			      unsigned int first, unsigned int end)
{
	fprintf(out, "\n%-23s", "Number of blocks type ");
	for (unsigned int mt = 0; mt < f->nr_types; mt++)
		fprintf(out, "%12s ", f->type_name[mt]);
	fputc('\n', out);
	for (unsigned int i = first; i < end; i++) {
		const struct ms_zone_blocks *zb = &f->zones[i].blocks;

		fprintf(out, "Node %d, zone %8s ", b->zones[i].node_id, b->zones[i].name);
		if (zb->status != MS_BLOCKS_OK)
			print_blocks_note(out, zb);
		else
			for (unsigned int mt = 0; mt < f->nr_types; mt++)
				fprintf(out, "%12llu ", (unsigned long long)zb->count[mt]);
		fputc('\n', out);
	}
}

/* pagetypeinfo_showmixedcount(): only when page_owner is on; needs page_owner's records. */
static void print_node_mixed(FILE *out, const struct ms_freelists *f)
{
	if (f->page_owner == MS_PAGE_OWNER_ON)
		fprintf(out, "\n%-23s%s\n", "Number of mixed blocks ",
			"(not shown: memscope does not read page_owner's records)");
	else if (f->page_owner == MS_PAGE_OWNER_UNKNOWN)
		fprintf(out, "\n%-23s%s\n", "Number of mixed blocks ",
			"(not shown: page_owner_inited is unreadable)");
}

static void print_node(FILE *out, const struct ms_buddy *b, const struct ms_freelists *f,
		       unsigned int first, unsigned int end)
{
	fprintf(out, "Page block order: %d\n", f->pageblock_order);
	fprintf(out, "Pages per block:  %lu\n", 1ul << f->pageblock_order);
	fputc('\n', out);
	print_node_free(out, b, f, first, end);
	print_node_blocks(out, b, f, first, end);
	print_node_mixed(out, f);
}

/* pagetypeinfo_show(), node by node; nodes without populated zones print nothing. */
void ms_freelists_print_proc(FILE *out, const struct ms_buddy *b, const struct ms_freelists *f)
{
	unsigned int i = 0;

	while (i < b->nr_zones) {
		unsigned int end = i;

		while (end < b->nr_zones && b->zones[end].node_id == b->zones[i].node_id)
			end++;
		print_node(out, b, f, i, end);
		i = end;
	}
}

static json_t *damage_json(const struct ms_freelists *f, unsigned int o, unsigned int mt,
			   const struct ms_freelist_cell *c)
{
	return json_pack("{s:i, s:s, s:s, s:I, s:I}", "order", o, "type", f->type_name[mt],
			 "status", ms_list_status_name(c->status), "entries_seen",
			 (json_int_t)c->count, "at", (json_int_t)c->where);
}

/* A zone's pageblocks: counts per migratetype (null when not counted) and why. */
static json_t *blocks_json(const struct ms_freelists *f, const struct ms_zone_blocks *zb)
{
	json_t *count = json_null();

	if (zb->status == MS_BLOCKS_OK) {
		count = json_object();
		for (unsigned int mt = 0; mt < f->nr_types; mt++)
			json_object_set_new(count, f->type_name[mt],
					    json_integer((json_int_t)zb->count[mt]));
	}
	return json_pack("{s:s, s:I, s:I, s:o, s:I, s:I}", "status",
			 ms_blocks_status_name(zb->status), "start_pfn", (json_int_t)zb->start_pfn,
			 "end_pfn", (json_int_t)zb->end_pfn, "count", count,
			 "offline", (json_int_t)zb->offline, "beyond_types", (json_int_t)zb->beyond);
}

static const char *page_owner_name(enum ms_page_owner p)
{
	static const char *const names[] = { "absent", "off", "on", "unknown" };

	return names[p];
}

json_t *ms_freelists_json(const struct ms_buddy *b, const struct ms_freelists *f)
{
	json_t *types = json_array(), *zones = json_array();

	for (unsigned int mt = 0; mt < f->nr_types; mt++)
		json_array_append_new(types, json_string(f->type_name[mt]));
	for (unsigned int i = 0; i < b->nr_zones; i++) {
		json_t *free = json_object(), *damaged = json_array();

		for (unsigned int mt = 0; mt < f->nr_types; mt++) {
			json_t *counts = json_array();

			for (unsigned int o = 0; o < f->nr_orders; o++) {
				const struct ms_freelist_cell *c = &f->zones[i].cell[o][mt];

				if (c->status == MS_LIST_OK) {
					json_array_append_new(counts, json_integer((json_int_t)c->count));
				} else {
					json_array_append_new(counts, json_null());
					json_array_append_new(damaged, damage_json(f, o, mt, c));
				}
			}
			json_object_set_new(free, f->type_name[mt], counts);
		}
		json_array_append_new(zones, json_pack("{s:i, s:s, s:o, s:o, s:o}", "node",
			b->zones[i].node_id, "zone", b->zones[i].name, "free", free,
			"damaged", damaged, "pageblocks", blocks_json(f, &f->zones[i].blocks)));
	}
	return json_pack("{s:i, s:I, s:o, s:o, s:s}", "pageblock_order", f->pageblock_order,
			 "pages_per_block", (json_int_t)(1ll << f->pageblock_order),
			 "migratetypes", types, "zones", zones,
			 "page_owner", page_owner_name(f->page_owner));
}

struct order_check {
	uint64_t listed;	/* sum of the complete lists */
	bool complete;		/* every list of the order walked to its end */
};

static struct order_check check_order(const struct ms_freelists *f, unsigned int i,
				      unsigned int o)
{
	struct order_check oc = { 0, true };

	for (unsigned int mt = 0; mt < f->nr_types; mt++) {
		const struct ms_freelist_cell *c = &f->zones[i].cell[o][mt];

		oc.listed += c->count;
		if (c->status != MS_LIST_OK)
			oc.complete = false;
	}
	return oc;
}

static unsigned long verify_zone(FILE *out, const struct ms_buddy *b,
				 const struct ms_freelists *f, unsigned int i)
{
	const struct ms_zone_free *z = &b->zones[i];
	unsigned long problems = 0;
	uint64_t blocks = 0;

	fprintf(out, "Node %d, zone %8s ", z->node_id, z->name);
	if (!z->ok) {
		fprintf(out, " nr_free unreadable\n");
		return 1;
	}
	for (unsigned int o = 0; o < f->nr_orders; o++) {
		struct order_check oc = check_order(f, i, o);

		blocks += oc.listed;
		if (!oc.complete || oc.listed != z->nr_free[o])
			problems++;
	}
	if (!problems) {
		fprintf(out, " ok: %llu blocks on %u x %u lists, each order = nr_free\n",
			(unsigned long long)blocks, f->nr_orders, f->nr_types);
		return 0;
	}
	fputc('\n', out);
	for (unsigned int o = 0; o < f->nr_orders; o++) {
		struct order_check oc = check_order(f, i, o);

		if (oc.complete && oc.listed != z->nr_free[o])
			fprintf(out, "    order %2u: MISMATCH %llu on the lists, nr_free %llu\n", o,
				(unsigned long long)oc.listed,
				(unsigned long long)z->nr_free[o]);
		for (unsigned int mt = 0; mt < f->nr_types; mt++) {
			const struct ms_freelist_cell *c = &f->zones[i].cell[o][mt];

			if (c->status != MS_LIST_OK)
				fprintf(out, "    order %2u: %-12s list %s at %#llx after %llu entries (nr_free %llu)\n",
					o, f->type_name[mt], ms_list_status_name(c->status),
					(unsigned long long)c->where, (unsigned long long)c->count,
					(unsigned long long)z->nr_free[o]);
		}
	}
	return problems;
}

unsigned long ms_freelists_verify_print(FILE *out, const struct ms_buddy *b,
					const struct ms_freelists *f)
{
	unsigned long problems = 0;

	for (unsigned int i = 0; i < b->nr_zones; i++)
		problems += verify_zone(out, b, f, i);
	fprintf(out, "verify: %u zones, %lu order%s with a mismatch or a damaged list\n",
		b->nr_zones, problems, problems == 1 ? "" : "s");
	return problems;
}

json_t *ms_freelists_verify_json(const struct ms_buddy *b, const struct ms_freelists *f)
{
	json_t *zones = json_array();
	unsigned long problems = 0;

	for (unsigned int i = 0; i < b->nr_zones; i++) {
		const struct ms_zone_free *z = &b->zones[i];
		json_t *orders = json_array();
		bool zone_ok = z->ok;

		for (unsigned int o = 0; o < f->nr_orders; o++) {
			struct order_check oc = check_order(f, i, o);
			json_t *damaged = json_array();
			bool ok = z->ok && oc.complete && oc.listed == z->nr_free[o];

			for (unsigned int mt = 0; mt < f->nr_types; mt++) {
				const struct ms_freelist_cell *c = &f->zones[i].cell[o][mt];

				if (c->status != MS_LIST_OK)
					json_array_append_new(damaged, damage_json(f, o, mt, c));
			}
			json_array_append_new(orders, json_pack("{s:i, s:I, s:I, s:b, s:b, s:o}",
				"order", o, "nr_free", (json_int_t)z->nr_free[o], "listed",
				(json_int_t)oc.listed, "complete", oc.complete, "ok", ok,
				"damaged", damaged));
			if (!ok) {
				problems++;
				zone_ok = false;
			}
		}
		json_array_append_new(zones, json_pack("{s:i, s:s, s:b, s:o}", "node", z->node_id,
			"zone", z->name, "ok", zone_ok, "orders", orders));
	}
	return json_pack("{s:I, s:o}", "problems", (json_int_t)problems, "zones", zones);
}
