/*
 * crashver_check.c - the verdict on a memscope.so loaded into a crash other
 * than the one whose defs.h it was built against (crashver_check.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "crashver_check.h"

struct buf {
	char *s;
	size_t len, used;
};

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->used + 1 >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->used, b->len - b->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->used += (size_t)n < b->len - b->used ? (size_t)n : b->len - b->used - 1;
}

static int layout_differs(const struct ms_crash_layout *l)
{
	if (l->members == MS_CRASH_MEMBERS_MOVED)
		return 1;
	return l->members == MS_CRASH_MEMBERS_UNCHECKED && l->running && l->running != l->built;
}

enum ms_crashver_verdict ms_crashver_judge(const char *built_version, const char *running_version,
					   const char *rebuild, const struct ms_crash_layout *l,
					   size_t n, char *msg, size_t len)
{
	struct buf b = { msg, len, 0 };
	int same = built_version && running_version && *built_version &&
		   !strcmp(built_version, running_version);
	int refuse = 0, resized = 0;

	if (len)
		msg[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		refuse |= layout_differs(&l[i]);
		resized |= l[i].running && l[i].running != l[i].built;
	}
	if (same && !refuse && !resized)
		return MS_CRASHVER_SAME;
	if (built_version && *built_version)
		put(&b, "memscope: this memscope.so was built against crash %s's defs.h; this is crash %s\n",
		    built_version, running_version ? running_version : "(unknown)");
	else
		put(&b, "memscope: this memscope.so was built against a defs.h of no known crash "
			"version; this is crash %s\n", running_version ? running_version : "(unknown)");
	for (size_t i = 0; i < n; i++) {
		if (!layout_differs(&l[i]) && !(l[i].running && l[i].running != l[i].built))
			continue;
		if (l[i].members == MS_CRASH_MEMBERS_MOVED)
			put(&b, "memscope: %s: the members memscope reads do not hold their values here "
				"(%zu bytes in this crash, %zu in that defs.h)\n",
			    l[i].name, l[i].running, l[i].built);
		else if (layout_differs(&l[i]))
			put(&b, "memscope: %s is %zu bytes in this crash, %zu in that defs.h\n",
			    l[i].name, l[i].running, l[i].built);
		else
			put(&b, "memscope: %s is %zu bytes in this crash, %zu in that defs.h "
				"(the members memscope reads check out)\n",
			    l[i].name, l[i].running, l[i].built);
	}
	put(&b, "memscope: rebuild it for this crash: %s\n", rebuild ? rebuild : "make CRASH_INCLUDE=DIR");
	if (refuse) {
		put(&b, "memscope: a layout it relies on differs: not loaded\n");
		return MS_CRASHVER_REFUSE;
	}
	return MS_CRASHVER_WARN;
}
