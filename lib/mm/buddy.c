/*
 * buddy.c - free blocks per order from zone->free_area[order].nr_free.
 *
 * The kernel's /proc/buddyinfo (mm/vmstat.c: frag_show -> walk_zones_in_node
 * with populated zones only -> frag_show_print) prints exactly these counters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "buddy.h"

struct buddy_layout {
	long present_pages, free_area, free_area_size, nr_free;
	unsigned int nr_orders;
};

static int buddy_layout(struct ms_target *t, struct buddy_layout *l)
{
	long fa_total;

	l->present_pages = ms_member_offset(t, "zone", "present_pages");
	l->free_area = ms_member_offset(t, "zone", "free_area");
	l->free_area_size = ms_struct_size(t, "free_area");
	l->nr_free = ms_member_offset(t, "free_area", "nr_free");
	fa_total = ms_member_size(t, "zone", "free_area");
	if (l->present_pages < 0 || l->free_area < 0 || l->free_area_size <= 0 || l->nr_free < 0 ||
	    fa_total <= 0) {
		ms_warn(t, "cannot resolve zone.free_area / free_area.nr_free");
		return -1;
	}
	/* MAX_ORDER is not an enumerator: the array's size tells it. */
	l->nr_orders = (unsigned int)(fa_total / l->free_area_size);
	if (l->nr_orders == 0 || l->nr_orders > MS_MAX_ORDERS) {
		ms_warn(t, "unexpected number of orders %u", l->nr_orders);
		return -1;
	}
	return 0;
}

static void read_zone(struct ms_target *t, const struct buddy_layout *l, struct ms_zone_free *z)
{
	z->ok = true;
	for (unsigned int o = 0; o < l->nr_orders; o++) {
		uint64_t a = z->addr + l->free_area + o * l->free_area_size + l->nr_free;

		if (ms_read_u64(t, a, &z->nr_free[o])) {
			ms_warn(t, "node %d zone %s: cannot read free_area[%u].nr_free", z->node_id,
				z->name, o);
			z->ok = false;
		}
	}
}

int ms_buddy_read(struct ms_target *t, struct ms_buddy *b)
{
	const struct ms_kernel *k = ms_kernel(t);
	struct buddy_layout l;

	memset(b, 0, sizeof(*b));
	if (!k || buddy_layout(t, &l))
		return -1;
	b->nr_orders = l.nr_orders;
	b->zones = calloc((size_t)k->nr_nodes * k->nr_zones, sizeof(*b->zones));
	if (!b->zones)
		return -1;
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		for (unsigned int zi = 0; zi < k->nr_zones; zi++) {
			struct ms_zone_free *z = &b->zones[b->nr_zones];
			uint64_t present;

			z->addr = ms_zone_addr(k, n, zi);
			if (ms_read_u64(t, z->addr + l.present_pages, &present)) {
				ms_warn(t, "node %d: cannot read zone %u", k->node_id[n], zi);
				continue;
			}
			if (!present)	/* populated_zone() */
				continue;
			z->node_id = k->node_id[n];
			z->zone_idx = zi;
			z->present_pages = present;
			memcpy(z->name, k->zone_name[zi], sizeof(z->name));
			read_zone(t, &l, z);
			b->nr_zones++;
		}
	}
	return 0;
}

void ms_buddy_free(struct ms_buddy *b)
{
	free(b->zones);
	memset(b, 0, sizeof(*b));
}
