/*
 * fragindex.h - the external fragmentation indexes of a zone, as the kernel
 * computes them from free_area[].nr_free (mm/vmstat.c, CONFIG_COMPACTION):
 * the unusable free space index (debugfs extfrag/unusable_index) and the
 * fragmentation index (extfrag/extfrag_index, used by compaction).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FRAGINDEX_H
#define MEMSCOPE_FRAGINDEX_H

#include <stddef.h>
#include <stdint.h>
#include "buddy.h"

/* struct contig_page_info */
struct ms_contig_info {
	uint64_t free_pages;
	uint64_t free_blocks_total;
	uint64_t free_blocks_suitable;
};

/* Sentinel of the fragmentation index: an allocation of that order would succeed. */
#define MS_FRAG_WOULD_SUCCEED (-1000)

/* fill_contig_page_info(): nr_free[] has nr_orders (MAX_ORDER) entries. */
void ms_fill_contig_info(const uint64_t *nr_free, unsigned int nr_orders,
			 unsigned int suitable_order, struct ms_contig_info *info);

/* unusable_free_index(): thousandths, 0..1000. */
int ms_unusable_free_index(unsigned int order, const struct ms_contig_info *info);

/* __fragmentation_index(): thousandths, or MS_FRAG_WOULD_SUCCEED; 0 for order >= nr_orders. */
int ms_fragmentation_index(unsigned int order, unsigned int nr_orders,
			   const struct ms_contig_info *info);

/* The kernel's "%d.%03d" of index / 1000 and index % 1000 (C division, so -500 is "0.-500"). */
void ms_index_str(char *buf, size_t len, int index);

enum ms_frag_kind {
	MS_UNUSABLE_INDEX,	/* debugfs extfrag/unusable_index */
	MS_EXTFRAG_INDEX,	/* debugfs extfrag/extfrag_index */
};

/* Index of zone z for one order, from its nr_free counters. */
int ms_zone_index(const struct ms_buddy *b, const struct ms_zone_free *z, enum ms_frag_kind kind,
		  unsigned int order);

#endif
