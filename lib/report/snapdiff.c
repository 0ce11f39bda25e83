/*
 * snapdiff.c - compare two snapshots: USED growth by category, ranked, with
 * a drill-down under the categories that moved and one sentence naming the
 * main cause.
 *
 * The categories of a snapshot add up to its USED exactly (the remainder is
 * "unaccounted"), so their deltas add up to the USED growth exactly.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "memcat.h"
#include "snapdiff.h"
#include "snapshot.h"
#include "snapshot_oom.h"
#include "units.h"

#define TOP_ROWS 10

static json_int_t geti(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static const char *gets(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static int by_abs_delta(const void *x, const void *y)
{
	json_int_t a = geti(*(json_t *const *)x, "delta_kb");
	json_int_t b = geti(*(json_t *const *)y, "delta_kb");

	if (llabs(a) != llabs(b))
		return llabs(a) < llabs(b) ? 1 : -1;
	return a < b ? 1 : (a > b ? -1 : 0);
}

static int by_delta(const void *x, const void *y)
{
	json_int_t a = geti(*(json_t *const *)x, "delta_kb");
	json_int_t b = geti(*(json_t *const *)y, "delta_kb");

	return a < b ? 1 : (a > b ? -1 : 0);
}

/* Sort an array of objects with "delta_kb" and keep at most max of them
 * (NULL if memory runs out).  Takes rows' reference. */
static json_t *sorted(json_t *rows, int (*cmp)(const void *, const void *), size_t max)
{
	size_t n = json_array_size(rows);
	json_t **v = malloc(n * sizeof(*v) + 1), *out = json_array();

	if (!rows || !v || !out) {
		free(v);
		json_decref(out);
		json_decref(rows);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(rows, i);
	qsort(v, n, sizeof(*v), cmp);
	for (size_t i = 0; i < n && i < max; i++)
		json_array_append(out, v[i]);
	free(v);
	json_decref(rows);
	return out;
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *row;

	json_array_foreach(arr, i, row)
		if (!strcmp(gets(row, key), value))
			return row;
	return NULL;
}

static json_t *diff_categories(json_t *b, json_t *a, json_int_t growth)
{
	json_t *cb = json_object_get(json_object_get(b, "used"), "categories");
	json_t *ca = json_object_get(json_object_get(a, "used"), "categories");
	json_t *rows = json_array();

	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++) {
		const char *key = ms_memcat[c].key;
		json_int_t before = geti(cb, key), after = geti(ca, key);
		double share = growth ? 100.0 * (double)(after - before) / (double)growth : 0.0;

		json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:I, s:I, s:f}", "name", key,
			"label", ms_memcat[c].label, "before_kb", before, "after_kb", after,
			"delta_kb", after - before, "share", round(share * 10) / 10));
	}
	return sorted(rows, by_delta, (size_t)-1);
}

/*
 * The rows of arr by their key, the first of equal names (what find_by()
 * finds), in a JSON object used as a hash table: matching tens of thousands
 * of caches or commands stays linear.  NULL if memory runs out.
 */
static json_t *index_by(json_t *arr, const char *key)
{
	json_t *idx = json_object(), *row;
	size_t i;

	json_array_foreach(arr, i, row) {
		const char *name = gets(row, key);

		if (idx && !json_object_get(idx, name) && json_object_set_nocheck(idx, name, row)) {
			json_decref(idx);
			idx = NULL;
		}
	}
	return idx;
}

/* Rows of 'after' (or 'before' only) matched by key, with the deltas of fields. */
static json_t *diff_rows(json_t *rb, json_t *ra, const char *key, const char *const *fields,
			 const char *total_field)
{
	json_t *rows = json_array(), *row;
	json_t *by_name[2] = { index_by(rb, key), index_by(ra, key) };	/* the other side's */
	size_t i;

	if (!rows || !by_name[0] || !by_name[1]) {
		json_decref(rows);
		rows = NULL;
	}
	for (int side = 0; rows && side < 2; side++) {
		json_t *mine = side ? rb : ra, *other = by_name[side];

		json_array_foreach(mine, i, row) {
			const char *name = gets(row, key);
			json_t *peer = json_object_get(other, name), *out;
			json_t *bef = side ? row : peer, *aft = side ? peer : row;
			json_int_t total = 0;

			if (side && peer)
				continue;	/* already done from the 'after' side */
			out = json_pack("{s:s}", key, name);
			for (const char *const *f = fields; *f; f++) {
				char k[64];
				json_int_t d = geti(aft, *f) - geti(bef, *f);

				json_object_set_new(out, *f, json_integer(geti(aft, *f)));
				snprintf(k, sizeof(k), "%s_before", *f);
				json_object_set_new(out, k, json_integer(geti(bef, *f)));
				snprintf(k, sizeof(k), "delta_%s", *f);
				json_object_set_new(out, k, json_integer(d));
				if (total_field && strstr(*f, total_field))
					total += d;
			}
			if (total_field)
				json_object_set_new(out, "delta_kb", json_integer(total));
			json_array_append_new(rows, out);
		}
	}
	json_decref(by_name[0]);
	json_decref(by_name[1]);
	return rows;
}

static json_t *diff_slab(json_t *b, json_t *a)
{
	static const char *const f[] = { "kb", NULL };
	json_t *sb = json_object_get(b, "slab"), *sa = json_object_get(a, "slab");
	json_t *rows = diff_rows(json_object_get(sb, "caches"), json_object_get(sa, "caches"),
				 "name", f, "kb");
	json_t *r, *kept = rows ? json_array() : NULL;	/* NULL: out of memory */
	size_t i;

	json_array_foreach(rows, i, r)
		if (geti(r, "delta_kb"))
			json_array_append(kept, r);
	json_decref(rows);
	return json_pack("{s:o, s:I}", "caches", sorted(kept, by_abs_delta, TOP_ROWS),
			 "delta_no_cache_kb", geti(sa, "no_cache_kb") - geti(sb, "no_cache_kb"));
}

static json_t *diff_commands(json_t *b, json_t *a)
{
	static const char *const f[] = { "processes", "threads", "anon_kb", "file_kb", "shmem_kb",
					 "pgtables_kb", "kstack_kb", NULL };
	json_t *rows = diff_rows(json_object_get(b, "commands"), json_object_get(a, "commands"),
				 "comm", f, "kb");
	json_t *kept = rows ? json_array() : NULL, *r;	/* NULL: out of memory */
	size_t i;

	json_array_foreach(rows, i, r)
		if (geti(r, "delta_kb") || geti(r, "delta_processes") || geti(r, "delta_threads"))
			json_array_append(kept, r);
	json_decref(rows);
	return sorted(kept, by_abs_delta, TOP_ROWS);
}

static json_t *diff_tmpfs(json_t *b, json_t *a)
{
	static const char *const f[] = { "used_kb", NULL };
	json_t *rows = diff_rows(json_object_get(b, "tmpfs"), json_object_get(a, "tmpfs"),
				 "mount", f, "kb");
	json_t *kept = rows ? json_array() : NULL, *r;	/* NULL: out of memory */
	size_t i;

	json_array_foreach(rows, i, r)
		if (geti(r, "delta_kb"))
			json_array_append(kept, r);
	json_decref(rows);
	return sorted(kept, by_abs_delta, TOP_ROWS);
}

static json_t *diff_zones(json_t *b, json_t *a)
{
	json_t *rows = json_array(), *nb, *na, *zb, *za;
	size_t i, j;

	json_array_foreach(json_object_get(a, "nodes"), i, na) {
		nb = json_array_get(json_object_get(b, "nodes"), i);
		json_array_foreach(json_object_get(na, "zones"), j, za) {
			zb = find_by(json_object_get(nb, "zones"), "zone", gets(za, "zone"));
			json_array_append_new(rows, json_pack("{s:I, s:s, s:I, s:I, s:I}",
				"node", geti(na, "node"), "zone", gets(za, "zone"),
				"free_before_kb", geti(zb, "free_kb"), "free_after_kb", geti(za, "free_kb"),
				"delta_kb", geti(za, "free_kb") - geti(zb, "free_kb")));
		}
	}
	return rows;
}

static json_int_t sum_field(json_t *rows, const char *field)
{
	json_int_t s = 0;
	size_t i;
	json_t *r;

	json_array_foreach(rows, i, r)
		s += geti(r, field);
	return s;
}

/* One sentence naming what grew most, with the drill-down's first row. */
static json_t *main_cause(json_t *d)
{
	json_t *top = json_array_get(json_object_get(d, "categories"), 0);
	json_int_t growth = geti(json_object_get(d, "used"), "growth_kb");
	const char *cat = gets(top, "name");
	const struct ms_memcat *mc = ms_memcat_by_key(cat);
	int c = mc ? (int)(mc - ms_memcat) : -1;
	char what[160] = "", amount[32], text[512];
	json_t *first;

	if (growth <= 0 || geti(top, "delta_kb") <= 0) {
		ms_fmt_kb(amount, sizeof(amount), growth < 0 ? -growth : growth);
		snprintf(text, sizeof(text), "USED did not grow (%s %s).",
			 growth < 0 ? "it shrank by" : "change", amount);
		return json_pack("{s:s, s:s}", "category", "none", "text", text);
	}
	if (c == MS_CAT_SHMEM &&
	    (first = json_array_get(json_object_get(d, "tmpfs"), 0))) {
		char m[32], u[32];

		ms_fmt_kb(m, sizeof(m), geti(first, "delta_kb"));
		ms_fmt_kb(u, sizeof(u), geti(d, "shmem_unmapped_delta_kb"));
		snprintf(what, sizeof(what), ": tmpfs %s grew %s; %s of the Shmem growth is in files no process maps",
			 gets(first, "mount"), m, u);
	} else if ((c == MS_CAT_SLAB_RECLAIM || c == MS_CAT_SLAB_UNRECLAIM) &&
		   (first = json_array_get(json_object_get(json_object_get(d, "slab"), "caches"), 0))) {
		char m[32];

		ms_fmt_kb(m, sizeof(m), geti(first, "delta_kb"));
		snprintf(what, sizeof(what), ": cache %s grew %s", gets(first, "name"), m);
	} else if ((c == MS_CAT_ANON || c == MS_CAT_KERNEL_STACK || c == MS_CAT_PAGETABLES) &&
		   (first = json_array_get(json_object_get(d, "commands"), 0))) {
		char m[32];

		ms_fmt_kb(m, sizeof(m), geti(first, "delta_kb"));
		snprintf(what, sizeof(what), ": command %s (%+lld processes) grew %s",
			 gets(first, "comm"), (long long)geti(first, "delta_processes"), m);
	} else if (c == MS_MEMCAT_UNACCOUNTED) {
		snprintf(what, sizeof(what),
			 ": pages taken outside every counter, e.g. by a driver's alloc_pages()");
	}
	ms_fmt_kb(amount, sizeof(amount), geti(top, "delta_kb"));
	snprintf(text, sizeof(text), "Main cause: %s grew %s, %.0f%% of the USED growth%s.",
		 mc ? mc->label : cat, amount, json_real_value(json_object_get(top, "share")), what);
	return json_pack("{s:s, s:I, s:s}", "category", cat, "delta_kb", geti(top, "delta_kb"),
			 "text", text);
}

struct ms_error *ms_snapdiff(json_t *b, json_t *a, json_t **diff)
{
	return ms_snapdiff_force(b, a, false, diff);
}

struct ms_error *ms_snapdiff_force(json_t *b, json_t *a, bool force, json_t **diff)
{
	json_t *warnings = json_array(), *d, *commands;
	json_t *ub = json_object_get(b, "used"), *ua = json_object_get(a, "used");
	json_int_t growth = geti(ua, "used_kb") - geti(ub, "used_kb");
	struct ms_error *err;

	*diff = NULL;
	if (!warnings)
		return &ms_error_nomem;
	/* Numbers bounded by MS_SNAPSHOT_MAX: no difference or sum below overflows,
	 * whether the snapshot was loaded or built from a corrupt dump. */
	err = ms_error_wrap(ms_snapshot_check_schema(b), "BEFORE");
	if (!err)
		err = ms_error_wrap(ms_snapshot_check_schema(a), "AFTER");
	if (!err)
		err = ms_snapdiff_same_boot(b, a, force, warnings);
	if (err) {
		json_decref(warnings);
		return err;
	}
	commands = diff_commands(b, a);
	d = json_pack("{s:s, s:i, s:o, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I}, s:o, s:o, s:o, s:o, s:I, s:o}",
		"format", "memscope-diff", "version", 1, "warnings", warnings,
		"page_size", geti(json_object_get(a, "identity"), "page_size"),
		"used", "before_kb", geti(ub, "used_kb"), "after_kb", geti(ua, "used_kb"),
		"growth_kb", growth,
		"free", "before_kb", geti(ub, "free_kb"), "after_kb", geti(ua, "free_kb"),
		"categories", diff_categories(b, a, growth),
		"slab", diff_slab(b, a),
		"commands", commands,
		"tmpfs", diff_tmpfs(b, a),
		/* Shmem in files no process maps: what a tmpfs leak looks like. */
		"shmem_unmapped_delta_kb", sum_field(json_object_get(a, "tmpfs"), "unmapped_kb") -
					   sum_field(json_object_get(b, "tmpfs"), "unmapped_kb"),
		"zones", diff_zones(b, a));
	/* json_pack() fails, with a section left NULL, only when memory runs out. */
	if (d)
		json_object_set_new(d, "oom_events", ms_snapdiff_oom(b, a));
	if (!d || json_object_set_new(d, "main_cause", main_cause(d))) {
		json_decref(d);
		return &ms_error_nomem;
	}
	*diff = d;
	return NULL;
}
