/*
 * meminfo_print.c - meminfo in /proc/meminfo's and nodeN/meminfo's own layouts,
 * the summary of where USED memory is, and JSON.
 *
 * Layouts: fs/proc/meminfo.c show_val_kb() ("%-16s%8lu kB", the label padded
 * by hand in the kernel), hugetlb_report_meminfo(), arch_report_meminfo(), and
 * drivers/base/node.c node_read_meminfo() / hugetlb_report_node_meminfo().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>

#include "memcat.h"
#include "meminfo_print.h"
#include "units.h"

static const char *const names[MS_MI_NR_ITEMS] = {
	[MS_MI_MEMTOTAL] = "MemTotal",
	[MS_MI_MEMFREE] = "MemFree",
	[MS_MI_MEMUSED] = "MemUsed",
	[MS_MI_MEMAVAILABLE] = "MemAvailable",
	[MS_MI_BUFFERS] = "Buffers",
	[MS_MI_CACHED] = "Cached",
	[MS_MI_SWAPCACHED] = "SwapCached",
	[MS_MI_ACTIVE] = "Active",
	[MS_MI_INACTIVE] = "Inactive",
	[MS_MI_ACTIVE_ANON] = "Active(anon)",
	[MS_MI_INACTIVE_ANON] = "Inactive(anon)",
	[MS_MI_ACTIVE_FILE] = "Active(file)",
	[MS_MI_INACTIVE_FILE] = "Inactive(file)",
	[MS_MI_UNEVICTABLE] = "Unevictable",
	[MS_MI_MLOCKED] = "Mlocked",
	[MS_MI_HIGHTOTAL] = "HighTotal",
	[MS_MI_HIGHFREE] = "HighFree",
	[MS_MI_LOWTOTAL] = "LowTotal",
	[MS_MI_LOWFREE] = "LowFree",
	[MS_MI_SWAPTOTAL] = "SwapTotal",
	[MS_MI_SWAPFREE] = "SwapFree",
	[MS_MI_ZSWAP] = "Zswap",
	[MS_MI_ZSWAPPED] = "Zswapped",
	[MS_MI_DIRTY] = "Dirty",
	[MS_MI_WRITEBACK] = "Writeback",
	[MS_MI_FILEPAGES] = "FilePages",
	[MS_MI_ANONPAGES] = "AnonPages",
	[MS_MI_MAPPED] = "Mapped",
	[MS_MI_SHMEM] = "Shmem",
	[MS_MI_KRECLAIMABLE] = "KReclaimable",
	[MS_MI_SLAB] = "Slab",
	[MS_MI_SRECLAIMABLE] = "SReclaimable",
	[MS_MI_SUNRECLAIM] = "SUnreclaim",
	[MS_MI_KERNELSTACK] = "KernelStack",
	[MS_MI_SHADOWCALLSTACK] = "ShadowCallStack",
	[MS_MI_PAGETABLES] = "PageTables",
	[MS_MI_SECPAGETABLES] = "SecPageTables",
	[MS_MI_NFS_UNSTABLE] = "NFS_Unstable",
	[MS_MI_BOUNCE] = "Bounce",
	[MS_MI_WRITEBACKTMP] = "WritebackTmp",
	[MS_MI_COMMITLIMIT] = "CommitLimit",
	[MS_MI_COMMITTED_AS] = "Committed_AS",
	[MS_MI_VMALLOCTOTAL] = "VmallocTotal",
	[MS_MI_VMALLOCUSED] = "VmallocUsed",
	[MS_MI_VMALLOCCHUNK] = "VmallocChunk",
	[MS_MI_PERCPU] = "Percpu",
	[MS_MI_HARDWARECORRUPTED] = "HardwareCorrupted",
	[MS_MI_ANONHUGEPAGES] = "AnonHugePages",
	[MS_MI_SHMEMHUGEPAGES] = "ShmemHugePages",
	[MS_MI_SHMEMPMDMAPPED] = "ShmemPmdMapped",
	[MS_MI_FILEHUGEPAGES] = "FileHugePages",
	[MS_MI_FILEPMDMAPPED] = "FilePmdMapped",
	[MS_MI_CMATOTAL] = "CmaTotal",
	[MS_MI_CMAFREE] = "CmaFree",
	[MS_MI_UNACCEPTED] = "Unaccepted",
	[MS_MI_HUGEPAGES_TOTAL] = "HugePages_Total",
	[MS_MI_HUGEPAGES_FREE] = "HugePages_Free",
	[MS_MI_HUGEPAGES_RSVD] = "HugePages_Rsvd",
	[MS_MI_HUGEPAGES_SURP] = "HugePages_Surp",
	[MS_MI_HUGEPAGESIZE] = "Hugepagesize",
	[MS_MI_HUGETLB] = "Hugetlb",
	[MS_MI_DIRECTMAP4K] = "DirectMap4k",
	[MS_MI_DIRECTMAP2M] = "DirectMap2M",
	[MS_MI_DIRECTMAP1G] = "DirectMap1G",
};

const char *ms_mi_name(enum ms_mi_item i)
{
	return (unsigned int)i < MS_MI_NR_ITEMS ? names[i] : "?";
}

bool ms_mi_is_count(enum ms_mi_item i)
{
	return i >= MS_MI_HUGEPAGES_TOTAL && i <= MS_MI_HUGEPAGES_SURP;
}

/* nodeN/meminfo's order differs from /proc/meminfo's (FilePages, Mapped, AnonPages...). */
static const enum ms_mi_item node_order[] = {
	MS_MI_MEMTOTAL, MS_MI_MEMFREE, MS_MI_MEMUSED, MS_MI_SWAPCACHED, MS_MI_ACTIVE,
	MS_MI_INACTIVE, MS_MI_ACTIVE_ANON, MS_MI_INACTIVE_ANON, MS_MI_ACTIVE_FILE,
	MS_MI_INACTIVE_FILE, MS_MI_UNEVICTABLE, MS_MI_MLOCKED, MS_MI_HIGHTOTAL, MS_MI_HIGHFREE,
	MS_MI_LOWTOTAL, MS_MI_LOWFREE, MS_MI_DIRTY, MS_MI_WRITEBACK, MS_MI_FILEPAGES,
	MS_MI_MAPPED, MS_MI_ANONPAGES, MS_MI_SHMEM, MS_MI_KERNELSTACK, MS_MI_SHADOWCALLSTACK,
	MS_MI_PAGETABLES, MS_MI_SECPAGETABLES, MS_MI_NFS_UNSTABLE, MS_MI_BOUNCE,
	MS_MI_WRITEBACKTMP, MS_MI_KRECLAIMABLE, MS_MI_SLAB, MS_MI_SRECLAIMABLE, MS_MI_SUNRECLAIM,
	MS_MI_ANONHUGEPAGES, MS_MI_SHMEMHUGEPAGES, MS_MI_SHMEMPMDMAPPED, MS_MI_FILEHUGEPAGES,
	MS_MI_FILEPMDMAPPED, MS_MI_UNACCEPTED, MS_MI_HUGEPAGES_TOTAL, MS_MI_HUGEPAGES_FREE, MS_MI_HUGEPAGES_SURP,
};

/* "Name:" padded as the kernel's format string pads it, and the number's width. */
static int label(char *buf, size_t len, enum ms_mi_item i, bool node)
{
	const char *n = names[i];

	if (i == MS_MI_HARDWARECORRUPTED) {		/* "HardwareCorrupted: %5lu kB" */
		snprintf(buf, len, "%s: ", n);
		return 5;
	}
	if (ms_mi_is_count(i)) {	/* "HugePages_Total:   %5lu", node "HugePages_Total: %5u" */
		snprintf(buf, len, "%s:%*s", n, (int)(node ? 17 : 19) - (int)strlen(n) - 1, "");
		return 5;
	}
	snprintf(buf, len, "%-16s", "");
	memcpy(buf, n, strlen(n));
	buf[strlen(n)] = ':';
	return 8;
}

static void print_line(FILE *out, const struct ms_meminfo *mi, enum ms_mi_item i)
{
	bool count = ms_mi_is_count(i);
	char lbl[32];
	int w;

	if (mi->state[i] == MS_MI_ABSENT)
		return;
	w = label(lbl, sizeof(lbl), i, mi->node >= 0);
	if (mi->node >= 0)
		fprintf(out, "Node %d ", mi->node);
	if (mi->state[i] == MS_MI_OK)
		fprintf(out, "%s%*" PRIu64 "%s\n", lbl, w, mi->val[i], count ? "" : " kB");
	else	/* never a made-up number: a marker and the reason */
		fprintf(out, "%s%*s%s    <- memscope: unknown, %s\n", lbl, w, "?", count ? "" : " kB",
			mi->why[i][0] ? mi->why[i] : "unreadable");
}

void ms_meminfo_print_proc(FILE *out, const struct ms_meminfo *mi)
{
	if (mi->node >= 0) {
		for (size_t j = 0; j < sizeof(node_order) / sizeof(node_order[0]); j++)
			print_line(out, mi, node_order[j]);
		return;
	}
	for (unsigned int i = 0; i < MS_MI_NR_ITEMS; i++)
		print_line(out, mi, (enum ms_mi_item)i);
}

/* ---- summary ---- */

const char *ms_mi_cat_name(enum ms_mi_cat c)
{
	return (unsigned int)c < MS_CAT_NR ? ms_memcat[c].summary : "?";
}

/* pages as "123.4 MiB" (or a page count), signed. */
static void amount(char *buf, size_t len, int64_t pages, unsigned int shift, bool in_pages)
{
	if (in_pages)
		snprintf(buf, len, "%" PRId64, pages);
	else
		ms_fmt_kb(buf, len, (long long)(pages * (1ll << (shift - 10))));
}

static void row(FILE *out, const char *name, const char *source, int64_t pages, bool ok,
		const struct ms_mi_breakdown *b, unsigned int shift, bool in_pages)
{
	char a[32];

	if (!ok) {
		fprintf(out, "  %-26s %-28s %12s\n", name, source, "unknown");
		return;
	}
	amount(a, sizeof(a), pages, shift, in_pages);
	fprintf(out, "  %-26s %-28s %12s %6.1f%%\n", name, source, a,
		b->total ? 100.0 * (double)pages / (double)b->total : 0.0);
}

static const char *unc_state(const struct ms_unc_item *it)
{
	switch (it->state) {
	case MS_UNC_ABSENT:
		return "absent";
	case MS_UNC_UNKNOWN:
		return "unknown";
	case MS_UNC_PARTIAL:
		return "partial";
	default:
		return "ok";
	}
}

/* The consumers under "no counter accounts for", and what stays unexplained. */
static void print_uncounted(FILE *out, const struct ms_mi_breakdown *b,
			    const struct ms_uncounted *u, unsigned int shift, bool in_pages)
{
	char a[32], name[40];

	for (size_t i = 0; i < u->nr; i++) {
		const struct ms_unc_item *it = &u->item[i];

		snprintf(name, sizeof(name), "  %s", it->name);
		if (it->state == MS_UNC_ABSENT || it->state == MS_UNC_UNKNOWN) {
			fprintf(out, "  %-26s %-28s %12s    (%s)\n", name, it->source,
				it->state == MS_UNC_ABSENT ? "-" : "unknown", it->why);
			continue;
		}
		row(out, name, it->source, it->pages, true, b, shift, in_pages);
		if (it->state == MS_UNC_PARTIAL)
			fprintf(out, "  %-26s (at least: %s)\n", "", it->why);
		if (it->bound && it->pages)
			fprintf(out, "  %-26s (at most: part of it may be in a counter above)\n", "");
		if (it->nr_holders && it->pages) {
			fprintf(out, "  %-26s held by:", "");
			for (size_t h = 0; h < it->nr_holders && h < 3; h++) {
				amount(a, sizeof(a), (int64_t)it->holder[h].pages, shift, in_pages);
				fprintf(out, "%s %s", h ? "," : "", it->holder[h].name);
				if (it->holder[h].pid >= 0)
					fprintf(out, " (pid %d)", it->holder[h].pid);
				fprintf(out, " %s", a);
			}
			fprintf(out, "%s\n", it->nr_holders > 3 ? ", ..." : "");
		}
	}
	row(out, "unexplained", "the remainder - the above", u->unexplained, true, b, shift,
	    in_pages);
	if (!u->complete)
		fprintf(out, "  (some consumers could not be read whole: the unexplained rest "
			"includes them)\n");
}

void ms_meminfo_print_summary(FILE *out, const struct ms_meminfo *mi, unsigned int shift,
			      bool in_pages)
{
	ms_meminfo_print_summary_u(out, mi, NULL, shift, in_pages);
}

void ms_meminfo_print_summary_u(FILE *out, const struct ms_meminfo *mi,
				const struct ms_uncounted *u, unsigned int shift, bool in_pages)
{
	const struct ms_mi_breakdown *b = &mi->bd;
	char a[32];

	if (!b->ok) {
		fprintf(out, "summary: MemTotal or MemFree unknown\n");
		return;
	}
	fprintf(out, "  %-26s %-28s %12s %7s\n", "", "FROM", in_pages ? "PAGES" : "SIZE",
		"TOTAL");
	row(out, "TOTAL", "MemTotal", (int64_t)b->total, true, b, shift, in_pages);
	row(out, "FREE", "MemFree", (int64_t)b->free, true, b, shift, in_pages);
	row(out, "USED", "TOTAL - FREE", b->used, true, b, shift, in_pages);
	fprintf(out, "\n  where USED is:\n");
	for (unsigned int c = 0; c < MS_CAT_NR; c++) {
		const char *src = ms_memcat[c].source;

		if (c == MS_CAT_VMALLOC && mi->extra.vmap_stack)
			src = "VmallocUsed - KernelStack";
		row(out, ms_memcat[c].summary, src, b->cat[c], b->cat_ok[c], b, shift, in_pages);
	}
	row(out, "sum of the above", "", b->accounted, true, b, shift, in_pages);
	row(out, "no counter accounts for", "USED - sum", b->unaccounted, true, b, shift,
	    in_pages);
	if (u)
		print_uncounted(out, b, u, shift, in_pages);
	if (b->unaccounted < 0) {
		amount(a, sizeof(a), -b->unaccounted, shift, in_pages);
		fprintf(out, "  (negative: the categories exceed USED by %s)\n", a);
	}
	if (!b->complete)
		fprintf(out, "  (some categories are unknown and counted as 0: the remainder "
			"includes them)\n");
	amount(a, sizeof(a), (int64_t)mi->extra.swapcache, shift, in_pages);
	fprintf(out, "\n  not added: swap cache (SwapCached) %s, inside anon or not counted.\n", a);
	fprintf(out, "  Shmem is inside Cached and on the anon LRU: counted once, as shmem.\n");
	if (mi->extra.vmap_stack)
		fprintf(out, "  Kernel stacks are vmalloc'ed (CONFIG_VMAP_STACK): counted once, "
			"as kernel stacks.\n");
	if (!mi->diffs_folded)
		fprintf(out, "  Some per-cpu counter deltas were unreadable: counters may be off "
			"by them.\n");
}

/* ---- JSON ---- */

static json_t *lines_json(const struct ms_meminfo *mi)
{
	json_t *arr = json_array();
	const enum ms_mi_item *order = node_order;
	size_t n = sizeof(node_order) / sizeof(node_order[0]);
	enum ms_mi_item all[MS_MI_NR_ITEMS];

	if (mi->node < 0) {
		for (unsigned int i = 0; i < MS_MI_NR_ITEMS; i++)
			all[i] = (enum ms_mi_item)i;
		order = all;
		n = MS_MI_NR_ITEMS;
	}
	for (size_t j = 0; j < n; j++) {
		enum ms_mi_item i = order[j];
		json_t *o;

		if (mi->state[i] == MS_MI_ABSENT)
			continue;
		o = json_pack("{s:s, s:s}", "name", names[i], "unit",
			      ms_mi_is_count(i) ? "count" : "kB");
		if (mi->state[i] == MS_MI_OK) {
			json_object_set_new(o, "value", json_integer((json_int_t)mi->val[i]));
		} else {
			json_object_set_new(o, "value", json_null());
			json_object_set_new(o, "unknown", json_string(mi->why[i]));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *summary_json(const struct ms_meminfo *mi, unsigned int shift)
{
	const struct ms_mi_breakdown *b = &mi->bd;
	json_t *cs = json_array();

	for (unsigned int c = 0; c < MS_CAT_NR; c++)
		json_array_append_new(cs, json_pack("{s:s, s:s, s:b, s:I, s:I}", "name",
			ms_memcat[c].summary, "from", ms_memcat[c].source, "known", b->cat_ok[c],
			"pages", (json_int_t)b->cat[c],
			"bytes", (json_int_t)(b->cat[c] * (1ll << shift))));
	return json_pack("{s:b, s:I, s:I, s:I, s:o, s:I, s:I, s:b, s:I, s:b}",
			 "ok", b->ok, "total_pages", (json_int_t)b->total,
			 "free_pages", (json_int_t)b->free, "used_pages", (json_int_t)b->used,
			 "categories", cs, "accounted_pages", (json_int_t)b->accounted,
			 "unaccounted_pages", (json_int_t)b->unaccounted, "complete", b->complete,
			 "swapcache_pages", (json_int_t)mi->extra.swapcache,
			 "vmap_stack", mi->extra.vmap_stack);
}

static json_t *uncounted_json(const struct ms_uncounted *u, unsigned int shift)
{
	json_t *cs = json_array();

	for (size_t i = 0; i < u->nr; i++) {
		const struct ms_unc_item *it = &u->item[i];
		json_t *hs = json_array();

		for (size_t h = 0; h < it->nr_holders; h++)
			json_array_append_new(hs, json_pack("{s:s, s:o, s:I, s:I}", "name",
				it->holder[h].name, "pid", it->holder[h].pid >= 0
				? json_integer(it->holder[h].pid) : json_null(),
				"count", (json_int_t)it->holder[h].nr,
				"pages", (json_int_t)it->holder[h].pages));
		json_array_append_new(cs, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b, s:o, s:o}",
			"key", it->key, "name", it->name, "from", it->source, "state",
			unc_state(it), "pages", (json_int_t)it->pages,
			"bytes", (json_int_t)(it->pages * (1ll << shift)), "upper_bound", it->bound,
			"why", it->why[0] ? json_string(it->why) : json_null(), "holders", hs));
	}
	return json_pack("{s:o, s:I, s:I, s:b}", "consumers", cs,
			 "explained_pages", (json_int_t)u->explained,
			 "unexplained_pages", (json_int_t)u->unexplained, "complete", u->complete);
}

json_t *ms_meminfo_json(const struct ms_meminfo *mi, unsigned int shift)
{
	return ms_meminfo_json_u(mi, NULL, shift);
}

json_t *ms_meminfo_json_u(const struct ms_meminfo *mi, const struct ms_uncounted *u,
			  unsigned int shift)
{
	json_t *j = json_pack("{s:I, s:b, s:o}", "page_size", (json_int_t)(1ll << shift),
			      "per_cpu_deltas_folded", mi->diffs_folded, "lines", lines_json(mi));

	json_object_set_new(j, "node", mi->node >= 0 ? json_integer(mi->node) : json_null());
	if (mi->node < 0) {
		json_t *sum = summary_json(mi, shift);

		if (u)	/* beside unaccounted_pages, which keeps its meaning */
			json_object_set_new(sum, "uncounted", uncounted_json(u, shift));
		json_object_set_new(j, "summary", sum);
	}
	return j;
}
