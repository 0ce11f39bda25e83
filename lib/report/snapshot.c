/*
 * snapshot.c - the snapshot document: loading and checking.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "memcat.h"
#include "snapshot.h"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "not a memscope snapshot: %s", what);
	return -1;
}

static int check_rows(json_t *snap, const char *key, const char *name_key)
{
	json_t *rows = json_object_get(snap, key), *row;
	size_t i;

	if (!rows)
		return 0;
	if (!json_is_array(rows))
		return -1;
	json_array_foreach(rows, i, row)
		if (!json_is_object(row) || (name_key && !json_is_string(json_object_get(row, name_key))))
			return -1;
	return 0;
}

int ms_snapshot_validate(json_t *snap, char *err, size_t errlen)
{
	json_t *id, *used, *cats;
	const char *format;
	json_int_t sum = 0;
	char msg[128];

	if (!json_is_object(snap))
		return fail(err, errlen, "not a JSON object");
	format = json_string_value(json_object_get(snap, "format"));
	if (!format || strcmp(format, MS_SNAPSHOT_FORMAT))
		return fail(err, errlen, "\"format\" is not \"" MS_SNAPSHOT_FORMAT "\"");
	if (json_integer_value(json_object_get(snap, "version")) != MS_SNAPSHOT_VERSION) {
		snprintf(err, errlen, "snapshot version %lld is not supported (this memscope reads %d)",
			 (long long)json_integer_value(json_object_get(snap, "version")),
			 MS_SNAPSHOT_VERSION);
		return -1;
	}
	id = json_object_get(snap, "identity");
	if (!json_is_string(json_object_get(id, "release")) ||
	    !json_is_string(json_object_get(id, "version")))
		return fail(err, errlen, "identity.release / identity.version missing");
	if (!json_is_object(json_object_get(snap, "meminfo")))
		return fail(err, errlen, "meminfo missing");
	used = json_object_get(snap, "used");
	cats = json_object_get(used, "categories");
	if (!json_is_integer(json_object_get(used, "used_kb")) || !json_is_object(cats))
		return fail(err, errlen, "used.used_kb / used.categories missing");
	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++) {
		json_t *v = json_object_get(cats, ms_memcat[c].key);

		if (!json_is_integer(v)) {
			snprintf(msg, sizeof(msg), "used.categories.%s missing", ms_memcat[c].key);
			return fail(err, errlen, msg);
		}
		sum += json_integer_value(v);
	}
	if (sum != json_integer_value(json_object_get(used, "used_kb")))
		return fail(err, errlen, "used.categories do not add up to used.used_kb");
	if (check_rows(snap, "commands", "comm") || check_rows(snap, "tmpfs", "mount") ||
	    check_rows(snap, "processes", "comm") || check_rows(snap, "nodes", NULL) ||
	    check_rows(json_object_get(snap, "slab"), "caches", "name"))
		return fail(err, errlen, "a list (commands, tmpfs, processes, nodes, slab.caches) is malformed");
	return 0;
}

json_t *ms_snapshot_load(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *snap = json_load_file(path, 0, &jerr);

	if (!snap) {
		snprintf(err, errlen, "%s: line %d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	if (ms_snapshot_validate(snap, err, errlen)) {
		size_t n = strlen(err);

		snprintf(err + n, errlen > n ? errlen - n : 0, " (%s)", path);
		json_decref(snap);
		return NULL;
	}
	return snap;
}
