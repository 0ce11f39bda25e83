/*
 * snapshot.c - the snapshot document: loading and checking.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "memcat.h"
#include "snapshot.h"

static struct ms_error *fail(const char *what)
{
	return ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: %s", what);
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

/* used.categories: every category of memcat.h, adding up to used.used_kb. */
static struct ms_error *check_used(json_t *snap)
{
	json_t *used = json_object_get(snap, "used");
	json_t *cats = json_object_get(used, "categories");
	json_int_t sum = 0;

	if (!json_is_integer(json_object_get(used, "used_kb")) || !json_is_object(cats))
		return fail("used.used_kb / used.categories missing");
	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++) {
		json_t *v = json_object_get(cats, ms_memcat[c].key);

		if (!json_is_integer(v))
			return ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: "
					       "used.categories.%s missing", ms_memcat[c].key);
		sum += json_integer_value(v);
	}
	if (sum != json_integer_value(json_object_get(used, "used_kb")))
		return fail("used.categories do not add up to used.used_kb");
	return NULL;
}

/* Version 1 to 2: "schema_version" added, equal to "version". */
static struct ms_error *upgrade_1(json_t *snap)
{
	if (json_object_get(snap, "schema_version"))
		return fail("a version 1 snapshot has no \"schema_version\"");
	return NULL;
}

/* Version 2 to 3: pgtables_upper, vmalloc, used.uncounted(_holders),
 * commands' anon_unsynced_kb and the memcgs are optional (a snapshot without them is read and diffed),
 * so there is nothing to fill in; a version 2 that has them already (main
 * wrote them for a while before the bump) is read as it is, their types
 * checked by ms_snapshot_check_schema(). */
static struct ms_error *upgrade_2(json_t *snap)
{
	(void)snap;
	return NULL;
}

/* Version 3 to 4: "page_owner" is optional (written only by a kernel with
 * page_owner=on): nothing to fill in. */
static struct ms_error *upgrade_3(json_t *snap)
{
	(void)snap;
	return NULL;
}

/* upgrades[v] brings version v to v + 1 (before its "version" is set). */
static struct ms_error *(*const upgrades[MS_SNAPSHOT_VERSION])(json_t *snap) = {
	[1] = upgrade_1,
	[2] = upgrade_2,
	[3] = upgrade_3,
};

/* A snapshot of version MS_SNAPSHOT_OLDEST or later as this version has it. */
static struct ms_error *upgrade(json_t *snap)
{
	json_int_t v = json_integer_value(json_object_get(snap, "version"));
	json_t *sv = json_object_get(snap, "schema_version");
	struct ms_error *err;

	if (v < MS_SNAPSHOT_OLDEST || v > MS_SNAPSHOT_VERSION)
		return ms_error_create(MS_ERR_UNSUPPORTED, "snapshot version %lld is not supported "
				       "(this memscope reads %d to %d)", (long long)v,
				       MS_SNAPSHOT_OLDEST, MS_SNAPSHOT_VERSION);
	/* From version 2 on, schema_version is the version. */
	if (v >= 2 && (!json_is_integer(sv) || json_integer_value(sv) != v))
		return fail("\"schema_version\" is not \"version\"");
	for (; v < MS_SNAPSHOT_VERSION; v++) {
		err = upgrades[v](snap);
		if (err)
			return err;
		if (json_object_set_new(snap, "version", json_integer(v + 1)) ||
		    json_object_set_new(snap, "schema_version", json_integer(v + 1)))
			return &ms_error_nomem;
	}
	return NULL;
}

struct ms_error *ms_snapshot_validate(json_t *snap)
{
	struct ms_error *err;
	const char *format;
	json_t *id;

	if (!json_is_object(snap))
		return fail("not a JSON object");
	err = ms_snapshot_check_schema(snap);
	if (err)
		return err;
	format = json_string_value(json_object_get(snap, "format"));
	if (!format || strcmp(format, MS_SNAPSHOT_FORMAT))
		return fail("\"format\" is not \"" MS_SNAPSHOT_FORMAT "\"");
	err = upgrade(snap);
	if (err)
		return err;
	id = json_object_get(snap, "identity");
	if (!json_is_string(json_object_get(id, "release")) ||
	    !json_is_string(json_object_get(id, "version")))
		return fail("identity.release / identity.version missing");
	if (!json_is_object(json_object_get(snap, "meminfo")))
		return fail("meminfo missing");
	err = check_used(snap);
	if (err)
		return err;
	if (check_rows(snap, "commands", "comm") || check_rows(snap, "tmpfs", "mount") ||
	    check_rows(snap, "processes", "comm") || check_rows(snap, "nodes", NULL) ||
	    check_rows(json_object_get(snap, "slab"), "caches", "name"))
		return fail("a list (commands, tmpfs, processes, nodes, slab.caches) is malformed");
	return NULL;
}

/* json_load_file()'s failure as an error: the file, memory, or its text. */
static struct ms_error *load_error(const char *path, const json_error_t *jerr)
{
	switch (json_error_code(jerr)) {
	case json_error_out_of_memory:
		return &ms_error_nomem;
	case json_error_cannot_open_file:
		return ms_error_create(MS_ERR_IO, "%s", jerr->text);
	default:
		return ms_error_create(MS_ERR_CORRUPT, "%s: line %d: %s", path, jerr->line,
				       jerr->text);
	}
}

struct ms_error *ms_snapshot_load(const char *path, json_t **snapp)
{
	struct ms_error *err, *bad;
	json_error_t jerr;
	json_t *snap;

	*snapp = NULL;
	/* A key given twice is refused, not "the last one wins". */
	snap = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!snap)
		return load_error(path, &jerr);
	err = ms_snapshot_validate(snap);
	if (err) {
		/* "...: what is wrong (path)", as the file is named last. */
		bad = ms_error_create(err->code, "%s (%s)", ms_error_string(err), path);
		ms_error_destroy(err);
		json_decref(snap);
		return bad;
	}
	*snapp = snap;
	return NULL;
}
