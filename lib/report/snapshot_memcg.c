/*
 * snapshot_memcg.c - the memory cgroups in the snapshot, and the cgroups
 * that grew in the diff.
 *
 * A snapshot comes from a file (snapshot_read checks the keys its schema
 * knows; "memcgs" is read here only, every value checked for its type as it
 * is used: a wrong one counts as absent).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "memcg.h"
#include "snapshot_memcg.h"
#include "units.h"

#define GROWN_MAX 10		/* cgroups listed in the diff */
#define CAUSE_SHARE 0.5		/* of the USED growth, to be named in the cause */

static const char *const rows[] = { "anon", "file", "shmem", "kernel", "slab" };

static json_int_t row_kb(const struct ms_memcg_tree *tree, const struct ms_memcg *m,
			 const char *name)
{
	long r = ms_memcg_row(tree, name);

	return r < 0 || m->stat[r] < 0 ? 0 : (json_int_t)(m->stat[r] / 1024);
}

void ms_snapshot_memcgs(struct ms_target *t, json_t *snap)
{
	struct ms_memcg_tree tree;
	struct ms_memcg_dying d;
	json_t *a, *o;
	struct ms_error *err = ms_memcg_read_ex(t, &tree, false);

	if (err) {
		ms_warn_error(t, err, "snapshot: memory cgroups left out");
		return;
	}
	if (!tree.present) {
		ms_memcg_free(&tree);
		return;
	}
	a = json_array();
	for (size_t i = 0; i < tree.nr; i++) {
		const struct ms_memcg *m = &tree.v[i];
		json_t *c;

		if (!m->read_ok)
			continue;
		c = json_pack("{s:s, s:b, s:I}", "path", m->path, "online", m->online,
			      "usage_kb", (json_int_t)ms_pages_to_kb(t, m->usage));
		for (size_t r = 0; c && r < sizeof(rows) / sizeof(rows[0]); r++) {
			char key[32];

			snprintf(key, sizeof(key), "%s_kb", rows[r]);
			json_object_set_new(c, key, json_integer(row_kb(&tree, m, rows[r])));
		}
		json_array_append_new(a, c);
	}
	ms_memcg_dying_sum(&tree, &d);
	o = json_pack("{s:i, s:o, s:{s:i, s:I, s:I, s:I}}", "version", tree.v1 ? 1 : 2,
		      "cgroups", a, "dying", "count", (int)d.nr,
		      "usage_kb", (json_int_t)ms_pages_to_kb(t, d.usage),
		      "file_kb", (json_int_t)ms_pages_to_kb(t, d.file),
		      "shmem_kb", (json_int_t)ms_pages_to_kb(t, d.shmem));
	if (o)
		json_object_set_new(snap, "memcgs", o);
	ms_memcg_free(&tree);
}

static json_int_t num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : "";
}

static json_int_t num(json_t *o, const char *k);
static const char *str(json_t *o, const char *k);

static json_t *find(json_t *cgroups, const char *path)
{
	size_t i;
	json_t *c;

	json_array_foreach(cgroups, i, c)
		if (json_is_true(json_object_get(c, "online")) && !strcmp(str(c, "path"), path))
			return c;
	return NULL;
}

static size_t depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

/* Largest growth first; of equal growth the deeper (the cgroup itself
 * before the parents that only pass its charges up). */
static int by_growth(const void *x, const void *y)
{
	json_t *cx = *(json_t *const *)x, *cy = *(json_t *const *)y;
	json_int_t a = num(cx, "growth_kb"), b = num(cy, "growth_kb");
	size_t da = depth(str(cx, "path")), db = depth(str(cy, "path"));

	if (a != b)
		return a < b ? 1 : -1;
	return da < db ? 1 : da > db ? -1 : 0;
}

json_t *ms_snapdiff_memcgs(json_t *b, json_t *a)
{
	json_t *mb = json_object_get(b, "memcgs"), *ma = json_object_get(a, "memcgs");
	json_t *cb = json_object_get(mb, "cgroups"), *ca = json_object_get(ma, "cgroups");
	json_t *out = json_object(), *list = json_array(), *c, **v;
	size_t i, n = 0;

	json_object_set_new(out, "known", json_boolean(json_is_array(cb) && json_is_array(ca)));
	if (!json_is_array(cb) || !json_is_array(ca)) {
		json_object_set_new(out, "cgroups", list);
		return out;
	}
	v = calloc(json_array_size(ca) + 1, sizeof(*v));
	json_array_foreach(ca, i, c) {
		const char *path = str(c, "path");
		json_t *old, *g;
		json_int_t growth;
		const char *most = NULL;
		json_int_t most_kb = 0;
		char text[384], m[32];

		if (!v || !json_is_true(json_object_get(c, "online")) || !strcmp(path, "/") ||
		    !(old = find(cb, path)))
			continue;
		growth = num(c, "usage_kb") - num(old, "usage_kb");
		if (growth <= 0)
			continue;
		g = json_pack("{s:s, s:I}", "path", path, "growth_kb", growth);
		for (size_t r = 0; g && r < sizeof(rows) / sizeof(rows[0]); r++) {
			char key[32];
			json_int_t dk;

			snprintf(key, sizeof(key), "%s_kb", rows[r]);
			dk = num(c, key) - num(old, key);
			json_object_set_new(g, key, json_integer(dk));
			/* file includes shmem: name shmem when it is most of file's growth. */
			if (dk > most_kb && strcmp(rows[r], "shmem")) {
				most_kb = dk;
				most = rows[r];
			}
		}
		if (!g)
			continue;
		if (most && !strcmp(most, "file") && 2 * num(g, "shmem_kb") >= most_kb)
			most = "shmem";
		ms_fmt_kb(m, sizeof(m), growth);
		snprintf(text, sizeof(text), "cgroup %s grew %s%s%s", path, m, most ? ", " : "",
			 most ? most : "");
		json_object_set_new(g, "text", json_string(text));
		v[n++] = g;
	}
	if (v)
		qsort(v, n, sizeof(*v), by_growth);
	for (i = 0; i < n; i++) {
		if (i < GROWN_MAX)
			json_array_append(list, v[i]);
		json_decref(v[i]);
	}
	free(v);
	json_object_set_new(out, "count", json_integer((json_int_t)n));
	json_object_set_new(out, "cgroups", list);
	json_object_set_new(out, "dying_delta_kb",
			    json_integer(num(json_object_get(ma, "dying"), "usage_kb") -
					 num(json_object_get(mb, "dying"), "usage_kb")));
	json_object_set_new(out, "dying_count_delta",
			    json_integer(num(json_object_get(ma, "dying"), "count") -
					 num(json_object_get(mb, "dying"), "count")));
	json_object_set_new(out, "dying_count", json_integer(num(json_object_get(ma, "dying"), "count")));
	json_object_set_new(out, "dying_shmem_kb",
			    json_integer(num(json_object_get(ma, "dying"), "shmem_kb")));
	return out;
}

void ms_snapdiff_memcg_cause(json_t *d)
{
	json_t *g = json_object_get(d, "memcgs_grown");
	json_t *cause = json_object_get(d, "main_cause");
	json_t *top = NULL, *c;
	json_int_t growth = num(json_object_get(d, "used"), "growth_kb");
	char text[1024], m[32];
	size_t i;

	if (!json_is_object(cause) || growth <= 0)
		return;
	/* The deepest cgroup that holds enough of it: its parents' growth is its own. */
	json_array_foreach(json_object_get(g, "cgroups"), i, c)
		if ((double)num(c, "growth_kb") >= CAUSE_SHARE * (double)growth &&
		    (!top || depth(str(c, "path")) > depth(str(top, "path"))))
			top = c;
	if (top && (double)num(top, "growth_kb") >= CAUSE_SHARE * (double)growth) {
		snprintf(text, sizeof(text), "%s Of it, %s (%.0f%% of the USED growth).",
			 str(cause, "text"), str(top, "text"),
			 100.0 * (double)num(top, "growth_kb") / (double)growth);
		json_object_set_new(cause, "text", json_string(text));
		json_object_set_new(cause, "memcg", json_deep_copy(top));
	} else if ((double)num(g, "dying_delta_kb") >= CAUSE_SHARE * (double)growth) {
		ms_fmt_kb(m, sizeof(m), num(g, "dying_delta_kb"));
		snprintf(text, sizeof(text), "%s Of it, %s of %s pages charged to %lld deleted cgroups.",
			 str(cause, "text"), m,
			 2 * num(g, "dying_shmem_kb") >= num(g, "dying_delta_kb") ? "tmpfs" : "memory",
			 (long long)num(g, "dying_count"));
		json_object_set_new(cause, "text", json_string(text));
	}
}

void ms_snapdiff_print_memcgs(FILE *out, json_t *d, bool pages, long long page_kb)
{
	json_t *g = json_object_get(d, "memcgs_grown"), *c;
	char m[32];
	size_t i;

	if (!json_is_true(json_object_get(g, "known")))
		return;	/* snapshots of kernels without memory cgroups say nothing */
	fprintf(out, "\nMemory cgroups that grew (memory.current)\n");
	if (!json_array_size(json_object_get(g, "cgroups")))
		fprintf(out, "  none\n");
	json_array_foreach(json_object_get(g, "cgroups"), i, c) {
		if (pages)
			snprintf(m, sizeof(m), "%lld", (long long)(num(c, "growth_kb") / page_kb));
		else
			ms_fmt_kb_signed(m, sizeof(m), num(c, "growth_kb"));
		fprintf(out, "  %-32s %11s   anon %+lld kB, file %+lld kB (shmem %+lld kB), kernel %+lld kB\n",
			str(c, "path"), m, (long long)num(c, "anon_kb"), (long long)num(c, "file_kb"),
			(long long)num(c, "shmem_kb"), (long long)num(c, "kernel_kb"));
	}
	if (num(g, "dying_count_delta") || num(g, "dying_delta_kb")) {
		ms_fmt_kb_signed(m, sizeof(m), num(g, "dying_delta_kb"));
		fprintf(out, "  dying cgroups: %+lld (now %lld), what they hold %s\n",
			(long long)num(g, "dying_count_delta"), (long long)num(g, "dying_count"), m);
	}
}
