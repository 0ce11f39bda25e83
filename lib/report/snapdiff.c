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
#include "snapdiff_causes.h"
#include "snapshot.h"
#include "snapshot_oom.h"
#include "snapshot_memcg.h"
#include "snapshot_tasks.h"
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

/* A row of the drill-down: row of 'after' side matched with peer of the
 * other (-1: none), ranked by delta_kb (what by_abs_delta() ranks by). */
struct pick {
	const struct ms_snaprows *mine, *other;
	long row, peer;
	bool after;
	int64_t delta_kb;
};

/* by_abs_delta() on two picks: a comes first. */
static bool ranks_before(const struct pick *a, const struct pick *b)
{
	if (llabs(a->delta_kb) != llabs(b->delta_kb))
		return llabs(a->delta_kb) > llabs(b->delta_kb);
	return a->delta_kb > b->delta_kb;
}

/* The drill-down row of p as JSON: its name, then each of the first nf fields
 * after, before and its delta, then delta_kb (the sum over the "kb" fields). */
static json_t *pick_json(const struct pick *p, size_t nf)
{
	const struct ms_snaprows *r = p->mine;
	const int64_t *v = ms_snaprows_val(r, (size_t)p->row);
	const int64_t *peer = p->peer >= 0 ? ms_snaprows_val(p->other, (size_t)p->peer) : NULL;
	json_t *out = json_pack("{s:s}", r->name_key, ms_snaprows_name(r, (size_t)p->row));

	for (size_t f = 0; out && f < nf; f++) {
		int64_t mine = v[f], other = peer ? peer[f] : 0;
		int64_t aft = p->after ? mine : other, bef = p->after ? other : mine;
		char k[64];

		json_object_set_new(out, r->fields[f], json_integer(aft));
		snprintf(k, sizeof(k), "%s_before", r->fields[f]);
		json_object_set_new(out, k, json_integer(bef));
		snprintf(k, sizeof(k), "delta_%s", r->fields[f]);
		json_object_set_new(out, k, json_integer(aft - bef));
	}
	json_object_set_new(out, "delta_kb", json_integer(p->delta_kb));
	return out;
}

/* Whether field is one of shared (NULL-terminated, or NULL: none). */
static bool is_shared(const char *const *shared, const char *field)
{
	for (; shared && *shared; shared++)
		if (!strcmp(*shared, field))
			return true;
	return false;
}

/*
 * Rows of 'after' (then those only in 'before') matched by name through the
 * tables' hashes, with the deltas of their first nf fields; of those that
 * moved (a non-zero delta_kb, or for commands processes or threads), the
 * TOP_ROWS that by_abs_delta() ranks first, the earlier first on a tie as
 * qsort() of all of them did.  Only those become JSON: one pass, no row
 * built or sorted that is not shown.  NULL if memory runs out.
 */
static json_t *diff_rows(const struct ms_snaprows *rb, const struct ms_snaprows *ra, size_t nf,
			 bool counts_move, const char *const *shared)
{
	struct pick top[TOP_ROWS];
	size_t ntop = 0;
	json_t *out;

	for (int side = 0; side < 2; side++) {
		const struct ms_snaprows *mine = side ? rb : ra, *other = side ? ra : rb;

		for (size_t i = 0; i < mine->n; i++) {
			const char *name = ms_snaprows_name(mine, i);
			long peer = ms_snaprows_find(other, name);
			const int64_t *v = ms_snaprows_val(mine, i);
			const int64_t *o = peer >= 0 ? ms_snaprows_val(other, (size_t)peer) : NULL;
			struct pick p = { mine, other, (long)i, peer, !side, 0 };
			bool moved = false;
			size_t at;

			if (side && peer >= 0)
				continue;	/* already done from the 'after' side */
			for (size_t f = 0; f < nf; f++) {
				int64_t d = side ? (o ? o[f] : 0) - v[f] : v[f] - (o ? o[f] : 0);

				if (strstr(mine->fields[f], "kb") && !is_shared(shared, mine->fields[f]))
					p.delta_kb += d;
				else if (counts_move && d)
					moved = true;
			}
			if (!p.delta_kb && !moved)
				continue;
			for (at = ntop; at > 0 && ranks_before(&p, &top[at - 1]); at--)
				;
			if (at >= TOP_ROWS)
				continue;
			if (ntop < TOP_ROWS)
				ntop++;
			memmove(&top[at + 1], &top[at], (ntop - 1 - at) * sizeof(top[0]));
			top[at] = p;
		}
	}
	out = json_array();
	for (size_t i = 0; out && i < ntop; i++)
		if (json_array_append_new(out, pick_json(&top[i], nf))) {
			json_decref(out);
			out = NULL;
		}
	return out;
}

static json_t *diff_slab(const struct ms_snapshot *b, const struct ms_snapshot *a)
{
	json_t *sb = json_object_get(b->doc, "slab"), *sa = json_object_get(a->doc, "slab");

	return json_pack("{s:o, s:I}", "caches", diff_rows(&b->caches, &a->caches, 1, false, NULL),
			 "delta_no_cache_kb", geti(sa, "no_cache_kb") - geti(sb, "no_cache_kb"));
}

/* A command's delta_kb is what its processes hold alone: anon (with the
 * threads' unsynced rss caches), page tables and kernel stacks.  Their file
 * and shmem rss are pages they map, shared with other processes (busybox's
 * text in every shell) and counted once in the page cache and Shmem: summed
 * over processes they would be counted once per process. */
static const char *const command_shared[] = { "file_kb", "shmem_kb", NULL };

static json_t *diff_commands(const struct ms_snapshot *b, const struct ms_snapshot *a)
{
	return diff_rows(&b->commands, &a->commands, b->commands.nfields, true, command_shared);
}

static json_t *diff_tmpfs(const struct ms_snapshot *b, const struct ms_snapshot *a)
{
	return diff_rows(&b->tmpfs, &a->tmpfs, 1, false, NULL);	/* used_kb */
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

/* The sum of column f of r (bounded by the schema: no overflow). */
static json_int_t sum_field(const struct ms_snaprows *r, size_t f)
{
	json_int_t sum = 0;

	for (size_t i = 0; f < r->nfields && i < r->n; i++)
		sum += ms_snaprows_val(r, i)[f];
	return sum;
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
	struct ms_snapshot sb, sa;
	struct ms_error *err;

	*diff = NULL;
	err = ms_snapshot_of_json(b, &sb);
	if (err)
		return err;
	err = ms_snapshot_of_json(a, &sa);
	if (!err) {
		err = ms_snapdiff_snap(&sb, &sa, force, diff);
		ms_snapshot_fini(&sa);
	}
	ms_snapshot_fini(&sb);
	return err;
}

struct ms_error *ms_snapdiff_snap(const struct ms_snapshot *sb, const struct ms_snapshot *sa,
				  bool force, json_t **diff)
{
	json_t *b = sb->doc, *a = sa->doc;
	json_t *warnings = json_array(), *d, *commands;
	json_t *ub = json_object_get(b, "used"), *ua = json_object_get(a, "used");
	json_int_t growth = geti(ua, "used_kb") - geti(ub, "used_kb");
	struct ms_error *err;

	*diff = NULL;
	if (!warnings)
		return &ms_error_nomem;
	/* Numbers bounded by MS_SNAPSHOT_MAX: no difference or sum below overflows,
	 * whether the snapshot was loaded or built from a corrupt dump.  (The rows
	 * of a snapshot read from a file were checked as they were read.) */
	err = ms_error_wrap(ms_snapshot_check_schema(b), "BEFORE");
	if (!err)
		err = ms_error_wrap(ms_snapshot_check_schema(a), "AFTER");
	if (!err)
		err = ms_snapdiff_same_boot(b, a, force, warnings);
	if (err) {
		json_decref(warnings);
		return err;
	}
	commands = diff_commands(sb, sa);
	d = json_pack("{s:s, s:i, s:o, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I}, s:o, s:o, s:o, s:o, s:I, s:o}",
		"format", "memscope-diff", "version", 2, "warnings", warnings,
		"page_size", geti(json_object_get(a, "identity"), "page_size"),
		"used", "before_kb", geti(ub, "used_kb"), "after_kb", geti(ua, "used_kb"),
		"growth_kb", growth,
		"free", "before_kb", geti(ub, "free_kb"), "after_kb", geti(ua, "free_kb"),
		"categories", diff_categories(b, a, growth),
		"slab", diff_slab(sb, sa),
		"commands", commands,
		"tmpfs", diff_tmpfs(sb, sa),
		/* Shmem in files no process maps: what a tmpfs leak looks like. */
		"shmem_unmapped_delta_kb", sum_field(&sa->tmpfs, 1) - sum_field(&sb->tmpfs, 1),
		"zones", diff_zones(b, a));
	/* json_pack() fails, with a section left NULL, only when memory runs out. */
	if (d)
		json_object_set_new(d, "oom_events", ms_snapdiff_oom(b, a));
	if (!d || json_object_set_new(d, "main_cause", main_cause(d)) ||
	    json_object_set_new(d, "tasks_appeared", ms_snapdiff_tasks_appeared(b, a))) {
		json_decref(d);
		return &ms_error_nomem;
	}
	ms_snapdiff_bound_commands(d);
	if (json_object_set_new(d, "causes", ms_snapdiff_causes(d, sb, sa))) {
		json_decref(d);
		return &ms_error_nomem;
	}
	{
		char text[1024];

		/* The sentence at the level of causes; the category stays in "category". */
		if (ms_snapdiff_causes_sentence(d, text, sizeof(text)))
			json_object_set_new(json_object_get(d, "main_cause"), "text",
					    json_string(text));
	}
	ms_snapdiff_storm_cause(d);
	json_object_set_new(d, "memcgs_grown", ms_snapdiff_memcgs(b, a));
	ms_snapdiff_memcg_cause(d);
	*diff = d;
	return NULL;
}
