/*
 * buddy.h - the buddy allocator's free areas per zone (struct free_area),
 * as /proc/buddyinfo counts them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_BUDDY_H
#define MEMSCOPE_BUDDY_H

#include "zone.h"

struct ms_zone_free {
	int node_id;
	unsigned int zone_idx;
	char name[MS_ZONE_NAME_LEN];
	uint64_t addr;			/* struct zone */
	uint64_t present_pages;
	bool ok;			/* nr_free[] was read */
	uint64_t nr_free[MS_MAX_ORDERS];	/* free blocks of each order */
};

struct ms_buddy {
	unsigned int nr_orders;		/* NR_PAGE_ORDERS (MAX_ORDER before 6.8; 6.1: 11) */
	unsigned int nr_zones;
	struct ms_zone_free *zones;	/* populated zones, node by node */
};

/* Read free_area[].nr_free of every populated zone: NULL, or why nothing could
 * be.  A zone or an order that cannot be read is warned about and left out or
 * marked (ok). */
struct ms_error *ms_buddy_read(struct ms_target *t, struct ms_buddy *b);
void ms_buddy_free(struct ms_buddy *b);

#endif
