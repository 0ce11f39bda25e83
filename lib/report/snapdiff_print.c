/*
 * snapdiff_print.c - the comparison report as text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "snapdiff.h"
#include "snapdiff_causes.h"
#include "snapshot_oom.h"
#include "snapshot_memcg.h"
#include "snapshot_tasks.h"
#include "units.h"

struct units {
	bool pages;
	long long page_kb;
};

static long long geti(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *gets(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static char *size(char *buf, size_t len, const struct units *u, long long kb)
{
	if (u->pages)
		snprintf(buf, len, "%lld", kb / u->page_kb);
	else
		ms_fmt_kb(buf, len, kb);
	return buf;
}

static char *change(char *buf, size_t len, const struct units *u, long long kb)
{
	if (u->pages)
		snprintf(buf, len, "%+lld", kb / u->page_kb);
	else
		ms_fmt_kb_signed(buf, len, kb);
	return buf;
}

static void print_categories(FILE *out, json_t *d, const struct units *u)
{
	char b[32], a[32], c[32];
	json_t *row;
	size_t i;

	fprintf(out, "%-40s %11s %11s %12s %7s\n", "WHERE USED IS", "BEFORE", "AFTER", "CHANGE",
		"SHARE");
	json_array_foreach(json_object_get(d, "categories"), i, row)
		fprintf(out, "%-40s %11s %11s %12s %6.1f%%\n", gets(row, "label"),
			size(b, sizeof(b), u, geti(row, "before_kb")),
			size(a, sizeof(a), u, geti(row, "after_kb")),
			change(c, sizeof(c), u, geti(row, "delta_kb")),
			json_real_value(json_object_get(row, "share")));
	row = json_object_get(d, "used");
	fprintf(out, "%-40s %11s %11s %12s %6.1f%%\n", "USED",
		size(b, sizeof(b), u, geti(row, "before_kb")),
		size(a, sizeof(a), u, geti(row, "after_kb")),
		change(c, sizeof(c), u, geti(row, "growth_kb")), geti(row, "growth_kb") ? 100.0 : 0.0);
}

static void print_tmpfs(FILE *out, json_t *d, const struct units *u)
{
	json_t *rows = json_object_get(d, "tmpfs"), *row;
	char b[32], a[32], c[32];
	size_t i;

	fprintf(out, "\nShmem / tmpfs: mounts that changed\n");
	if (!json_array_size(rows))
		fprintf(out, "  (none)\n");
	else
		fprintf(out, "  %-32s %11s %11s %12s\n", "MOUNT", "BEFORE", "AFTER", "CHANGE");
	json_array_foreach(rows, i, row)
		fprintf(out, "  %-32s %11s %11s %12s\n", gets(row, "mount"),
			size(b, sizeof(b), u, geti(row, "used_kb_before")),
			size(a, sizeof(a), u, geti(row, "used_kb")),
			change(c, sizeof(c), u, geti(row, "delta_kb")));
	fprintf(out, "  Shmem growth in files no process maps: %s\n",
		change(c, sizeof(c), u, geti(d, "shmem_unmapped_delta_kb")));
}

static void print_slab(FILE *out, json_t *d, const struct units *u)
{
	json_t *slab = json_object_get(d, "slab"), *row;
	char b[32], a[32], c[32];
	size_t i;

	fprintf(out, "\nSlab: caches that changed\n");
	if (json_array_size(json_object_get(slab, "caches")))
		fprintf(out, "  %-32s %11s %11s %12s\n", "CACHE", "BEFORE", "AFTER", "CHANGE");
	json_array_foreach(json_object_get(slab, "caches"), i, row)
		fprintf(out, "  %-32s %11s %11s %12s\n", gets(row, "name"),
			size(b, sizeof(b), u, geti(row, "kb_before")),
			size(a, sizeof(a), u, geti(row, "kb")),
			change(c, sizeof(c), u, geti(row, "delta_kb")));
	fprintf(out, "  Slab pages in no cache (large kmalloc): %s\n",
		change(c, sizeof(c), u, geti(slab, "delta_no_cache_kb")));
}

static void print_commands(FILE *out, json_t *d, const struct units *u)
{
	json_t *rows = json_object_get(d, "commands"), *row;
	char an[32], un[32], fi[32], sh[32], pt[32], ks[32], own[32];
	size_t i;

	fprintf(out, "\nProcesses: commands that changed\n");
	if (!json_array_size(rows)) {
		fprintf(out, "  (none)\n");
		return;
	}
	fprintf(out, "  %-16s %7s %7s %11s %10s %11s %11s %11s %11s %11s\n", "COMM", "PROCS",
		"THREADS", "ANON", "UNSYNCED", "FILE*", "SHMEM*", "PGTABLES", "KSTACK", "OWN");
	json_array_foreach(rows, i, row)
		fprintf(out, "  %-16s %7lld %7lld %11s %10s %11s %11s %11s %11s %11s\n",
			gets(row, "comm"), geti(row, "delta_processes"), geti(row, "delta_threads"),
			change(an, sizeof(an), u, geti(row, "delta_anon_kb")),
			change(un, sizeof(un), u, geti(row, "delta_anon_unsynced_kb")),
			change(fi, sizeof(fi), u, geti(row, "delta_file_kb")),
			change(sh, sizeof(sh), u, geti(row, "delta_shmem_kb")),
			change(pt, sizeof(pt), u, geti(row, "delta_pgtables_kb")),
			change(ks, sizeof(ks), u, geti(row, "delta_kstack_kb")),
			change(own, sizeof(own), u, geti(row, "delta_kb")));
	fprintf(out, "  ANON as /proc/PID/status; UNSYNCED: anon in the threads' rss caches (before 6.2).\n"
		     "  * mapped, shared pages: counted once in the page cache and Shmem, not in OWN\n"
		     "    (anon, unsynced, page tables and kernel stacks, each at most what its\n"
		     "    category grew: RssAnon counts a copy-on-write page in every process).\n");
}

static void print_zones(FILE *out, json_t *d, const struct units *u)
{
	json_t *row;
	char b[32], a[32], c[32];
	size_t i;

	fprintf(out, "\nFree memory per zone\n  %-4s %-8s %11s %11s %12s\n", "NODE", "ZONE",
		"BEFORE", "AFTER", "CHANGE");
	json_array_foreach(json_object_get(d, "zones"), i, row)
		fprintf(out, "  %-4lld %-8s %11s %11s %12s\n", geti(row, "node"), gets(row, "zone"),
			size(b, sizeof(b), u, geti(row, "free_before_kb")),
			size(a, sizeof(a), u, geti(row, "free_after_kb")),
			change(c, sizeof(c), u, geti(row, "delta_kb")));
}

void ms_snapdiff_print(FILE *out, json_t *d, bool pages)
{
	struct units u = { pages, geti(d, "page_size") / 1024 };
	json_t *w;
	size_t i;

	if (u.page_kb <= 0)
		u.page_kb = 4;
	json_array_foreach(json_object_get(d, "warnings"), i, w)
		fprintf(out, "WARNING: %s\n", json_string_value(w));
	if (pages)
		fprintf(out, "(sizes in pages of %lld KiB)\n", u.page_kb);
	print_categories(out, d, &u);
	print_tmpfs(out, d, &u);
	print_slab(out, d, &u);
	print_commands(out, d, &u);
	print_zones(out, d, &u);
	ms_snapdiff_oom_print(out, d);
	ms_snapdiff_print_tasks(out, d, pages, u.page_kb);
	ms_snapdiff_print_memcgs(out, d, pages, u.page_kb);
	ms_snapdiff_causes_print(out, d, pages, u.page_kb);
	fprintf(out, "\n%s\n", gets(json_object_get(d, "main_cause"), "text"));
}
