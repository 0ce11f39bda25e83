/*
 * fragindex_print.c - see fragindex_print.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fragindex_print.h"

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
