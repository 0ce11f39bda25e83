/*
 * buddy_print.c - see buddy_print.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "buddy_print.h"

void ms_buddy_print_proc(FILE *out, const struct ms_buddy *b)
{
	for (unsigned int i = 0; i < b->nr_zones; i++) {
		const struct ms_zone_free *z = &b->zones[i];

		fprintf(out, "Node %d, zone %8s ", z->node_id, z->name);
		for (unsigned int o = 0; o < b->nr_orders; o++)
			fprintf(out, "%6llu ", (unsigned long long)z->nr_free[o]);
		fputc('\n', out);
	}
}

json_t *ms_buddy_json(const struct ms_buddy *b, uint64_t page_size)
{
	json_t *zones = json_array();

	for (unsigned int i = 0; i < b->nr_zones; i++) {
		const struct ms_zone_free *z = &b->zones[i];
		json_t *orders = json_array();
		uint64_t pages = 0;

		for (unsigned int o = 0; o < b->nr_orders; o++) {
			json_array_append_new(orders, json_integer((json_int_t)z->nr_free[o]));
			pages += z->nr_free[o] << o;
		}
		json_array_append_new(zones, json_pack("{s:i, s:s, s:b, s:o, s:I, s:I}",
			"node", z->node_id, "zone", z->name, "complete", z->ok,
			"nr_free", orders, "free_pages", (json_int_t)pages,
			"free_bytes", (json_int_t)(pages * page_size)));
	}
	return json_pack("{s:i, s:o}", "orders", b->nr_orders, "zones", zones);
}
