/*
 * snapshot_schema.c - every number and name of a snapshot checked against
 * its schema (snapshot.h) before anything adds or subtracts them: a number
 * written as a string, a real, a negative size or one past MS_SNAPSHOT_MAX
 * (1 PiB, so that sums over millions of rows cannot overflow) is refused
 * with the path of the value, never read as 0 (issue #14).  Keys the schema
 * does not know are left alone: sections are added without a new version.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "snapshot.h"

enum kind {
	K_STR,		/* a string */
	K_SIZE,		/* an integer from 0 to MS_SNAPSHOT_MAX */
	K_SIGNED,	/* an integer of at most MS_SNAPSHOT_MAX either way */
	K_BOOL,
	K_OBJ,		/* an object of the fields in sub */
	K_ROWS,		/* an array of such objects */
	K_SIZES,	/* an object of K_SIZE values, any keys */
	K_SIGNEDS,	/* an object of K_SIGNED values, any keys */
	K_STRS,		/* an array of strings */
};

struct field {
	const char *key;
	enum kind kind;
	const struct field *sub;
};

static const struct field zone_f[] = {
	{ "zone", K_STR, NULL }, { "managed_kb", K_SIZE, NULL }, { "free_kb", K_SIZE, NULL }, { NULL, K_STR, NULL } };
static const struct field node_f[] = { { "node", K_SIZE, NULL }, { "zones", K_ROWS, zone_f }, { NULL, K_STR, NULL } };
static const struct field cache_f[] = {
	{ "name", K_STR, NULL }, { "kb", K_SIZE, NULL }, { "num_objs", K_SIZE, NULL }, { "active_objs", K_SIZE, NULL },
	{ "objsize", K_SIZE, NULL }, { NULL, K_STR, NULL } };
static const struct field slab_f[] = {
	{ "caches", K_ROWS, cache_f }, { "no_cache_kb", K_SIZE, NULL }, { "complete", K_BOOL, NULL }, { NULL, K_STR, NULL } };
static const struct field command_f[] = {
	{ "comm", K_STR, NULL }, { "processes", K_SIZE, NULL }, { "threads", K_SIZE, NULL }, { "anon_kb", K_SIZE, NULL },
	{ "file_kb", K_SIZE, NULL }, { "shmem_kb", K_SIZE, NULL }, { "pgtables_kb", K_SIZE, NULL },
	{ "kstack_kb", K_SIZE, NULL }, { "anon_unsynced_kb", K_SIGNED, NULL }, { NULL, K_STR, NULL } };
static const struct field process_f[] = {
	{ "pid", K_SIZE, NULL }, { "comm", K_STR, NULL }, { "anon_kb", K_SIZE, NULL }, { "file_kb", K_SIZE, NULL },
	{ "shmem_kb", K_SIZE, NULL }, { "pgtables_kb", K_SIZE, NULL }, { NULL, K_STR, NULL } };
static const struct field tmpfs_f[] = {
	{ "mount", K_STR, NULL }, { "dev", K_STR, NULL }, { "fstype", K_STR, NULL }, { "used_kb", K_SIZE, NULL },
	{ "unmapped_kb", K_SIZE, NULL }, { "complete", K_BOOL, NULL }, { NULL, K_STR, NULL } };
/* The upper page tables (snapshot_build.c, pgtable_upper.h). */
static const struct field upper_cmd_f[] = {
	{ "comm", K_STR, NULL }, { "uncounted_kb", K_SIZE, NULL }, { "pud_kb", K_SIZE, NULL },
	{ NULL, K_STR, NULL } };
static const struct field upper_f[] = {
	{ "pud_counted", K_BOOL, NULL }, { "pti", K_BOOL, NULL }, { "levels", K_SIZE, NULL },
	{ "mms", K_SIZE, NULL }, { "pgd_kb", K_SIZE, NULL }, { "p4d_kb", K_SIZE, NULL },
	{ "pud_kb", K_SIZE, NULL }, { "uncounted_kb", K_SIZE, NULL }, { "complete", K_BOOL, NULL },
	{ "commands", K_ROWS, upper_cmd_f }, { NULL, K_STR, NULL } };
/* Who holds a consumer's pages (snapshot_sections.c, uncounted.h). */
static const struct field holder_f[] = {
	{ "consumer", K_STR, NULL }, { "name", K_STR, NULL }, { "pid", K_SIGNED, NULL },
	{ "nr", K_SIZE, NULL }, { "kb", K_SIZE, NULL }, { NULL, K_STR, NULL } };
/* vmalloc by caller (snapshot_sections.c, vmalloc.h). */
static const struct field vcaller_f[] = {
	{ "caller", K_STR, NULL }, { "module", K_STR, NULL }, { "areas", K_SIZE, NULL },
	{ "kb", K_SIZE, NULL }, { "stack", K_BOOL, NULL }, { NULL, K_STR, NULL } };
static const struct field vmalloc_f[] = {
	{ "callers", K_ROWS, vcaller_f }, { "complete", K_BOOL, NULL }, { NULL, K_STR, NULL } };
/* Who allocated the pages with no owner type (snapshot_page_owner.c). */
static const struct field po_stack_f[] = {
	{ "kb", K_SIZE, NULL }, { "module", K_STR, NULL }, { "frames", K_STRS, NULL },
	{ NULL, K_STR, NULL } };
static const struct field page_owner_f[] = {
	{ "no_owner_kb", K_SIZE, NULL }, { "owned_kb", K_SIZE, NULL }, { "stacks", K_ROWS, po_stack_f },
	{ NULL, K_STR, NULL } };
/* USED and "unaccounted" are differences: signed. */
static const struct field used_f[] = {
	{ "total_kb", K_SIZE, NULL }, { "free_kb", K_SIZE, NULL }, { "used_kb", K_SIGNED, NULL },
	{ "categories", K_SIGNEDS, NULL }, { "unknown_categories", K_STRS, NULL }, { "complete", K_BOOL, NULL },
	{ "uncounted", K_SIGNEDS, NULL }, { "uncounted_holders", K_ROWS, holder_f },
	{ NULL, K_STR, NULL } };
static const struct field identity_f[] = {
	{ "release", K_STR, NULL }, { "version", K_STR, NULL }, { "nodename", K_STR, NULL }, { "machine", K_STR, NULL },
	{ "page_size", K_SIZE, NULL }, { NULL, K_STR, NULL } };
static const struct field boot_f[] = {
	{ "boot_id", K_STR, NULL }, { "kernel_offset", K_SIZE, NULL }, { NULL, K_STR, NULL } };
static const struct field snapshot_f[] = {
	{ "format", K_STR, NULL }, { "version", K_SIZE, NULL }, { "schema_version", K_SIZE, NULL },
	{ "identity", K_OBJ, identity_f },
	{ "meminfo", K_SIZES, NULL }, { "used", K_OBJ, used_f }, { "nodes", K_ROWS, node_f },
	{ "slab", K_OBJ, slab_f }, { "commands", K_ROWS, command_f },
	{ "processes", K_ROWS, process_f }, { "tmpfs", K_ROWS, tmpfs_f },
	{ "thread_stack_kb", K_SIZE, NULL }, { "boot", K_OBJ, boot_f },
	{ "pgtables_upper", K_OBJ, upper_f }, { "vmalloc", K_OBJ, vmalloc_f },
	{ "page_owner", K_OBJ, page_owner_f }, { NULL, K_STR, NULL } };

static const char *const kind_name[] = {
	[K_STR] = "a string", [K_SIZE] = "a size (an integer from 0 to 2^40)",
	[K_SIGNED] = "an integer of at most 2^40 either way", [K_BOOL] = "true or false",
	[K_OBJ] = "an object", [K_ROWS] = "an array of objects",
	[K_SIZES] = "an object of sizes", [K_SIGNEDS] = "an object of integers",
	[K_STRS] = "an array of strings",
};

/* Where a value is: its parent and its key or index.  Written out only for
 * an error (formatting every path cost most of a 30,000-row check). */
struct path {
	const struct path *up;
	const char *key;	/* or NULL: index */
	size_t index;
};

static void path_text(const struct path *p, char *buf, size_t len)
{
	const struct path *chain[64];
	size_t n = 0, used = 0;

	for (; p && n < 64; p = p->up)
		if (p->key || p->up)
			chain[n++] = p;
	buf[0] = '\0';
	while (n-- && used < len) {
		const struct path *c = chain[n];
		int w = c->key ? snprintf(buf + used, len - used, "%s%s", used ? "." : "", c->key) :
			snprintf(buf + used, len - used, "[%zu]", c->index);

		used += w > 0 ? (size_t)w : 0;
	}
}

static struct ms_error *wrong(const struct path *p, enum kind kind, const json_t *v)
{
	char where[256];

	path_text(p, where, sizeof(where));
	if (json_is_integer(v) && (kind == K_SIZE || kind == K_SIGNED))
		return ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: %s is %lld, not %s",
				       where, (long long)json_integer_value(v), kind_name[kind]);
	return ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: %s is not %s", where,
			       kind_name[kind]);
}

static struct ms_error *check_object(json_t *obj, const struct field *fields,
				     const struct path *p);

/* At most how many rows of sub an array may hold (0: any number).  No kernel
 * has more nodes than MAX_NUMNODES (1 << NODES_SHIFT, at most 10 bits) or
 * more zones in one than __MAX_NR_ZONES (6); the diff matches zones by name,
 * so a million of them would be a quadratic walk (issue #14: no hang). */
static size_t rows_max(const struct field *sub)
{
	if (sub == node_f)
		return 1024;
	if (sub == zone_f)
		return 8;
	return 0;
}

static struct ms_error *check_value(json_t *v, enum kind kind, const struct field *sub,
				    const struct path *p)
{
	struct ms_error *err;
	const char *key;
	json_int_t n;
	json_t *e;
	size_t i;

	switch (kind) {
	case K_STR:
		return json_is_string(v) ? NULL : wrong(p, kind, v);
	case K_BOOL:
		return json_is_boolean(v) ? NULL : wrong(p, kind, v);
	case K_SIZE:
	case K_SIGNED:
		if (!json_is_integer(v))
			return wrong(p, kind, v);
		n = json_integer_value(v);
		if (n > MS_SNAPSHOT_MAX || n < (kind == K_SIZE ? 0 : -MS_SNAPSHOT_MAX))
			return wrong(p, kind, v);
		return NULL;
	case K_OBJ:
		return json_is_object(v) ? check_object(v, sub, p) : wrong(p, kind, v);
	case K_SIZES:
	case K_SIGNEDS:
		if (!json_is_object(v))
			return wrong(p, kind, v);
		json_object_foreach(v, key, e) {
			struct path at = { p, key, 0 };

			err = check_value(e, kind == K_SIZES ? K_SIZE : K_SIGNED, NULL, &at);
			if (err)
				return err;
		}
		return NULL;
	case K_ROWS:
	case K_STRS:
		if (!json_is_array(v))
			return wrong(p, kind, v);
		if (kind == K_ROWS && rows_max(sub) && json_array_size(v) > rows_max(sub)) {
			char where[256];

			path_text(p, where, sizeof(where));
			return ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: %s has %zu "
					       "rows, more than any kernel has (%zu)", where,
					       json_array_size(v), rows_max(sub));
		}
		json_array_foreach(v, i, e) {
			struct path at = { p, NULL, i };

			err = check_value(e, kind == K_ROWS ? K_OBJ : K_STR, sub, &at);
			if (err)
				return err;
		}
		return NULL;
	}
	return NULL;
}

static struct ms_error *check_object(json_t *obj, const struct field *fields,
				     const struct path *p)
{
	for (const struct field *f = fields; f->key; f++) {
		json_t *v = json_object_get(obj, f->key);
		struct path at = { p, f->key, 0 };
		struct ms_error *err;

		if (!v)
			continue;	/* what must be there is snapshot.c's to say */
		err = check_value(v, f->kind, f->sub, &at);
		if (err)
			return err;
	}
	return NULL;
}

struct ms_error *ms_snapshot_check_schema(json_t *snap)
{
	return json_is_object(snap) ? check_object(snap, snapshot_f, NULL) :
	       ms_error_create(MS_ERR_CORRUPT, "not a memscope snapshot: not a JSON object");
}

struct ms_error *ms_snapshot_check_element(const char *const *where, size_t index, json_t *elem)
{
	const struct field *fields = snapshot_f, *f = NULL;
	struct path chain[8];
	size_t depth = 0;

	for (; *where && depth < 7; where++, depth++) {
		for (f = fields; f->key && strcmp(f->key, *where); f++)
			;
		if (!f->key)
			return NULL;	/* a section the schema does not know */
		chain[depth] = (struct path){ depth ? &chain[depth - 1] : NULL, f->key, 0 };
		fields = f->sub;
	}
	if (!f || f->kind != K_ROWS)
		return NULL;
	chain[depth] = (struct path){ &chain[depth - 1], NULL, index };
	return check_value(elem, K_OBJ, f->sub, &chain[depth]);
}
