/*
 * version.c - the dumped kernel's identity from init_uts_ns (see version.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "version.h"

const char *ms_uts_field_name(enum ms_uts_field f)
{
	static const char *const names[MS_UTS_NR] = {
		[MS_UTS_RELEASE] = "release",
		[MS_UTS_VERSION] = "version",
		[MS_UTS_NODENAME] = "nodename",
		[MS_UTS_MACHINE] = "machine",
	};

	return (unsigned int)f < MS_UTS_NR ? names[f] : "?";
}

struct ms_error *ms_kernel_uts(struct ms_target *t, enum ms_uts_field f, char *buf, size_t len)
{
	const char *member = ms_uts_field_name(f);
	long name = ms_member_offset(t, "uts_namespace", "name");
	long off = ms_member_offset(t, "new_utsname", member);
	struct ms_error *err;
	uint64_t uts;

	if (len < MS_UTS_LEN)
		return ms_error_create(MS_ERR_USAGE, "utsname.%s needs %d bytes", member, MS_UTS_LEN);
	memset(buf, 0, len);
	if (name < 0 || off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no uts_namespace.name.%s", member);
	err = ms_symbol(t, "init_uts_ns", &uts);
	if (!err)
		err = ms_read(t, uts + (uint64_t)name + (uint64_t)off, buf, MS_UTS_LEN);
	buf[MS_UTS_LEN - 1] = '\0';
	return ms_error_wrap(err, "init_uts_ns.name.%s", member);
}

unsigned int ms_kernel_version(struct ms_target *t)
{
	unsigned int a, b, c = 0;
	char release[MS_UTS_LEN];
	struct ms_error *err = ms_kernel_uts(t, MS_UTS_RELEASE, release, sizeof(release));

	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	if (sscanf(release, "%u.%u.%u", &a, &b, &c) < 2)
		return 0;
	return MS_KV(a, b, c > 255 ? 255 : c);
}
