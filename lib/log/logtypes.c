/*
 * logtypes.c - the log's layouts from type info, else from VMCOREINFO.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "logtypes.h"

static long vmcoreinfo_long(struct ms_target *t, const char *key)
{
	long long v;
	struct ms_error *err = ms_vmcoreinfo_number(t, key, &v);

	if (err || v < 0)
		return ms_error_ignore(err), -1;
	return (long)v;
}

long ms_log_offset(struct ms_target *t, const char *s, const char *m)
{
	long off = ms_member_offset(t, s, m);
	char key[96];

	if (off >= 0)
		return off;
	snprintf(key, sizeof(key), "OFFSET(%s.%s)", s, m);
	return vmcoreinfo_long(t, key);
}

long ms_log_size(struct ms_target *t, const char *s)
{
	long size = ms_struct_size(t, s);
	char key[96];

	if (size >= 0)
		return size;
	snprintf(key, sizeof(key), "SIZE(%s)", s);
	return vmcoreinfo_long(t, key);
}

void ms_log_flags_level(const struct ms_target *t, uint8_t b, uint8_t *flags, uint8_t *level)
{
	if (t->big_endian) {
		*flags = b >> 3;
		*level = b & 7;
	} else {
		*flags = b & 0x1f;
		*level = b >> 5;
	}
}
