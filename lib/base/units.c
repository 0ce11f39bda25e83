/*
 * units.c - see units.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "units.h"

static char *fmt(char *buf, size_t len, long long kb, const char *sign)
{
	/* |kb| without llabs(LLONG_MIN)'s overflow: negated as unsigned. */
	unsigned long long a = kb < 0 ? 0ull - (unsigned long long)kb : (unsigned long long)kb;

	if (a < 1024)
		snprintf(buf, len, "%s%llu KiB", sign, a);
	else if (a < 1024ull * 1024)
		snprintf(buf, len, "%s%.1f MiB", sign, (double)a / 1024);
	else
		snprintf(buf, len, "%s%.1f GiB", sign, (double)a / (1024.0 * 1024));
	return buf;
}

char *ms_fmt_kb(char *buf, size_t len, long long kb)
{
	return fmt(buf, len, kb, kb < 0 ? "-" : "");
}

char *ms_fmt_kb_signed(char *buf, size_t len, long long kb)
{
	return fmt(buf, len, kb, kb < 0 ? "-" : (kb > 0 ? "+" : ""));
}
