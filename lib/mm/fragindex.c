/*
 * fragindex.c - see fragindex.h.  The arithmetic is the kernel's, in the
 * kernel's integer types (mm/vmstat.c in v6.1: fill_contig_page_info,
 * unusable_free_index, __fragmentation_index, unusable_show_print and
 * extfrag_show_print), so the printed values are the same digits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "fragindex.h"

void ms_fill_contig_info(const uint64_t *nr_free, unsigned int nr_orders,
			 unsigned int suitable_order, struct ms_contig_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int order = 0; order < nr_orders; order++) {
		uint64_t blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

int ms_unusable_free_index(unsigned int order, const struct ms_contig_info *info)
{
	/* No free memory counts as all free memory unusable. */
	if (info->free_pages == 0)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000ull /
		     info->free_pages);
}

int ms_fragmentation_index(unsigned int order, unsigned int nr_orders,
			   const struct ms_contig_info *info)
{
	uint64_t requested = 1ull << order;
	uint64_t q;

	if (order >= nr_orders)		/* the kernel WARNs and returns 0 */
		return 0;
	if (!info->free_blocks_total)
		return 0;
	/* Only meaningful when the allocation would fail. */
	if (info->free_blocks_suitable)
		return MS_FRAG_WOULD_SUCCEED;
	/*
	 * 1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total, in
	 * unsigned long and then returned as int: with few blocks the quotient
	 * exceeds 1000 and the kernel's index goes negative (e.g. -500).
	 */
	q = (1000 + info->free_pages * 1000ull / requested) / info->free_blocks_total;
	return (int)(int64_t)(1000 - q);
}

void ms_index_str(char *buf, size_t len, int index)
{
	snprintf(buf, len, "%d.%03d", index / 1000, index % 1000);
}

int ms_zone_index(const struct ms_buddy *b, const struct ms_zone_free *z, enum ms_frag_kind kind,
		  unsigned int order)
{
	struct ms_contig_info info;

	ms_fill_contig_info(z->nr_free, b->nr_orders, order, &info);
	if (kind == MS_UNUSABLE_INDEX)
		return ms_unusable_free_index(order, &info);
	return ms_fragmentation_index(order, b->nr_orders, &info);
}

void ms_frag_print(FILE *out, const struct ms_buddy *b, enum ms_frag_kind kind)
{
	char s[32];

	for (unsigned int i = 0; i < b->nr_zones; i++) {
		const struct ms_zone_free *z = &b->zones[i];

		fprintf(out, "Node %d, zone %8s ", z->node_id, z->name);
		for (unsigned int o = 0; o < b->nr_orders; o++) {
			if (z->ok)
				ms_index_str(s, sizeof(s), ms_zone_index(b, z, kind, o));
			else
				snprintf(s, sizeof(s), "?");	/* nr_free unreadable */
			fprintf(out, "%s ", s);
		}
		fputc('\n', out);
	}
}

json_t *ms_frag_json(const struct ms_buddy *b, enum ms_frag_kind kind)
{
	json_t *zones = json_array();
	char s[32];

	for (unsigned int i = 0; i < b->nr_zones; i++) {
		const struct ms_zone_free *z = &b->zones[i];
		json_t *idx = json_array(), *txt = json_array();

		for (unsigned int o = 0; o < b->nr_orders; o++) {
			int v = ms_zone_index(b, z, kind, o);

			ms_index_str(s, sizeof(s), v);
			json_array_append_new(idx, z->ok ? json_integer(v) : json_null());
			json_array_append_new(txt, z->ok ? json_string(s) : json_null());
		}
		json_array_append_new(zones, json_pack("{s:i, s:s, s:o, s:o}", "node", z->node_id,
			"zone", z->name, "index", idx, "text", txt));
	}
	return json_pack("{s:s, s:o}", "scale", "thousandths", "zones", zones);
}
