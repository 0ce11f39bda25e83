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
