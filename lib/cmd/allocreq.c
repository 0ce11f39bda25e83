/*
 * allocreq.c - parse the allocation check's request words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allocreq.h"

int ms_wmark_parse(const char *s, enum ms_wmark *w)
{
	static const char *const names[MS_NR_WMARK] = { "min", "low", "high" };

	for (int i = 0; i < MS_NR_WMARK; i++) {
		if (!strcmp(s, names[i])) {
			*w = (enum ms_wmark)i;
			return 0;
		}
	}
	return -1;
}

int ms_zone_parse(const struct ms_zoneinfo *zi, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s && !*end)
		return (v >= 0 && (unsigned long)v < zi->zones_per_node) ? (int)v : -1;
	for (unsigned int z = 0; z < zi->zones_per_node; z++)
		if (!strcasecmp(ms_zi_zone(zi, 0, z)->name, s))
			return (int)z;
	return -1;
}

int ms_alloc_req_parse(const struct ms_zoneinfo *zi, const char *arg, struct ms_alloc_req *req,
		       char *err, size_t errlen)
{
	char buf[64], *comma, *end;
	unsigned long order;

	snprintf(buf, sizeof(buf), "%s", arg);
	comma = strchr(buf, ',');
	if (comma) {
		*comma = '\0';
		req->highest_zoneidx = ms_zone_parse(zi, comma + 1);
		if (req->highest_zoneidx < 0) {
			snprintf(err, errlen, "unknown zone \"%s\"", comma + 1);
			return -1;
		}
	}
	order = strtoul(buf, &end, 10);
	if (!*buf || *end || order > 64) {
		snprintf(err, errlen, "bad order \"%s\"", buf);
		return -1;
	}
	req->order = (unsigned int)order;
	return 0;
}
