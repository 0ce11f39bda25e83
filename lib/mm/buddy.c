/*
 * buddy.c - free blocks per order from zone->free_area[order].nr_free.
 *
 * The kernel's /proc/buddyinfo (mm/vmstat.c: frag_show -> walk_zones_in_node
 * with populated zones only -> frag_show_print) prints exactly these counters.
 * zone.c resolves struct zone and free_area.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "buddy.h"

static void read_zone(struct ms_target *t, const struct ms_zone_layout *l, struct ms_zone_free *z)
{
	z->ok = true;
	for (unsigned int o = 0; o < l->nr_orders; o++) {
		struct ms_error *err = ms_zone_nr_free(t, l, z->addr, o, &z->nr_free[o]);

		if (err) {
			ms_warn_error(t, err, "node %d zone %s", z->node_id, z->name);
			z->ok = false;
		}
	}
}

/* populated_zone(): present_pages, read; false (after a warning) if unreadable. */
static bool populated(struct ms_target *t, const struct ms_kernel *k,
		      const struct ms_zone_layout *l, unsigned int n, unsigned int zi,
		      uint64_t *present)
{
	struct ms_error *err = ms_zone_member(t, l, ms_zone_addr(k, n, zi), MS_ZONE_PRESENT,
					      present);

	if (err) {
		ms_warn_error(t, err, "node %d: cannot read zone %u", k->node_id[n], zi);
		return false;
	}
	return *present != 0;
}

struct ms_error *ms_buddy_read(struct ms_target *t, struct ms_buddy *b)
{
	const struct ms_zone_layout *l;
	const struct ms_kernel *k;
	struct ms_error *err;

	memset(b, 0, sizeof(*b));
	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (err)
		return err;
	if (!l->nr_orders || l->nr_free < 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve zone.free_area / free_area.nr_free");
	b->nr_orders = l->nr_orders;
	b->zones = calloc((size_t)k->nr_nodes * k->nr_zones, sizeof(*b->zones));
	if (!b->zones)
		return &ms_error_nomem;
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		for (unsigned int zi = 0; zi < k->nr_zones; zi++) {
			struct ms_zone_free *z = &b->zones[b->nr_zones];
			uint64_t present;

			if (!populated(t, k, l, n, zi, &present))
				continue;
			z->addr = ms_zone_addr(k, n, zi);
			z->node_id = k->node_id[n];
			z->zone_idx = zi;
			z->present_pages = present;
			memcpy(z->name, k->zone_name[zi], sizeof(z->name));
			read_zone(t, l, z);
			b->nr_zones++;
		}
	}
	return NULL;
}

void ms_buddy_free(struct ms_buddy *b)
{
	free(b->zones);
	memset(b, 0, sizeof(*b));
}
