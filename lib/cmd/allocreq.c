/*
 * allocreq.c - parse the allocation check's request words.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allocreq.h"
#include "command.h"

/* The highest order asked of the page allocator fits a shift of unsigned long. */
#define MS_ORDER_MAX 64

struct ms_error *ms_alloc_arg_parse(const char *arg, void *dst)
{
	struct ms_alloc_arg *a = dst;
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);
	unsigned long order = 0;
	char q[64];

	for (size_t i = 0; i < len && order <= MS_ORDER_MAX; i++)
		order = (arg[i] >= '0' && arg[i] <= '9') ? order * 10 + (unsigned)(arg[i] - '0') :
							   MS_ORDER_MAX + 1;
	if (!len || order > MS_ORDER_MAX) {
		char word[64];

		snprintf(word, sizeof(word), "%.*s", (int)(len < 60 ? len : 60), arg);
		return ms_error_create(MS_ERR_USAGE, "bad order %s (0 to %d)",
				       ms_cmd_quote(q, sizeof(q), word), MS_ORDER_MAX);
	}
	if (comma && !comma[1])
		return ms_error_create(MS_ERR_USAGE, "unknown zone \"\"");
	a->given = true;
	a->order = (unsigned int)order;
	a->zone = comma ? comma + 1 : NULL;
	return NULL;
}

struct ms_error *ms_wmark_arg_parse(const char *arg, void *dst)
{
	static const char *const names[MS_NR_WMARK] = { "min", "low", "high" };
	char q[64];

	for (int i = 0; i < MS_NR_WMARK; i++) {
		if (!strcmp(arg, names[i])) {
			*(enum ms_wmark *)dst = (enum ms_wmark)i;
			return NULL;
		}
	}
	return ms_error_create(MS_ERR_USAGE, "%s is not min, low or high",
			       ms_cmd_quote(q, sizeof(q), arg));
}

struct ms_error *ms_gfp_arg_parse(const char *arg, void *dst)
{
	char q[64];

	if (ms_gfp_kind_parse(arg, dst) == 0)
		return NULL;
	return ms_error_create(MS_ERR_USAGE, "unknown gfp %s (kernel, high, nowait, atomic, "
			       "movable, oom)", ms_cmd_quote(q, sizeof(q), arg));
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
