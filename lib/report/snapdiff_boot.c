/*
 * snapdiff_boot.c - are two snapshots two moments of one boot of one
 * machine?  A diff of dumps of two boots, or of two machines, names a
 * "cause" that is only the difference between them (issue #14), so it is
 * refused unless forced, and then each difference is a warning.
 *
 * What tells them apart: the kernel's release and build (init_uts_ns), the
 * boot (random.c's boot_id when the kernel made one, else the KASLR offset,
 * drawn at every boot), the machine's name (utsname.nodename) and its memory
 * (MemTotal).  A key either snapshot lacks (older snapshots have no "boot")
 * is not compared.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "snapdiff.h"

#define WHY_LEN 1024

static const char *str_at(json_t *snap, const char *sect, const char *key)
{
	return json_string_value(json_object_get(json_object_get(snap, sect), key));
}

static json_t *num_at(json_t *snap, const char *sect, const char *key)
{
	json_t *v = json_object_get(json_object_get(snap, sect), key);

	return json_is_integer(v) ? v : NULL;
}

/* "; what: b / a" appended to why. */
static void add(char *why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(char *why, const char *fmt, ...)
{
	size_t n = strlen(why);
	va_list ap;

	if (n + 3 >= WHY_LEN)
		return;
	if (n) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + n, WHY_LEN - n, fmt, ap);
	va_end(ap);
}

static void differs_str(char *why, json_t *b, json_t *a, const char *sect, const char *key,
			const char *label)
{
	const char *x = str_at(b, sect, key), *y = str_at(a, sect, key);

	if (x && y && strcmp(x, y))
		add(why, "%s %s / %s", label, x, y);
}

static void differs_num(char *why, json_t *b, json_t *a, const char *sect, const char *key,
			const char *label, const char *fmt_unit)
{
	json_t *x = num_at(b, sect, key), *y = num_at(a, sect, key);

	if (x && y && json_integer_value(x) != json_integer_value(y))
		add(why, fmt_unit, label, (long long)json_integer_value(x),
		    (long long)json_integer_value(y));
}

struct ms_error *ms_snapdiff_same_boot(json_t *b, json_t *a, bool force, json_t *warnings)
{
	char why[WHY_LEN] = "";

	differs_str(why, b, a, "identity", "release", "release");
	differs_str(why, b, a, "identity", "version", "kernel build");
	differs_str(why, b, a, "boot", "boot_id", "boot_id");
	differs_num(why, b, a, "boot", "kernel_offset", "KASLR offset", "%s %#llx / %#llx");
	differs_str(why, b, a, "identity", "nodename", "nodename");
	differs_num(why, b, a, "meminfo", "MemTotal", "MemTotal", "%s %lld kB / %lld kB");
	if (!*why)
		return NULL;
	if (!force)
		return ms_error_create(MS_ERR_UNSUPPORTED, "the dumps are not of one boot of one "
				       "machine (%s): what differs would pass for growth; -f "
				       "compares them anyway", why);
	json_array_append_new(warnings, json_sprintf("not one boot of one machine, compared as "
						     "forced: %s", why));
	return NULL;
}
