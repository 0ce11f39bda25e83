/*
 * census_print.c - the census of every page: one line per class, its
 * counter and the difference where the kernel keeps one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>

#include "census_print.h"
#include "units.h"

/* The counter each class is compared with, as /proc/meminfo names it. */
static const char *const ctr_names[MS_CC_NR] = {
	[MS_CC_BUDDY] = "MemFree",
	[MS_CC_PCP] = "pcp count",
	[MS_CC_SLAB] = "Slab",
	[MS_CC_LRU_ANON] = "(In)active(anon), with shmem",
	[MS_CC_LRU_SHMEM] = "Shmem",
	[MS_CC_LRU_FILE] = "(In)active(file)",
	[MS_CC_UNEVICTABLE] = "Unevictable",
	[MS_CC_PAGETABLE] = "PageTables",
	[MS_CC_HUGETLB] = "HugePages_Total",
	[MS_CC_VMALLOC] = "VmallocUsed - KernelStack",
	[MS_CC_KSTACK] = "KernelStack",
};

static char *size(char *buf, size_t len, int64_t pages, unsigned int shift, bool in_pages)
{
	if (in_pages)
		snprintf(buf, len, "%" PRId64, pages);
	else
		ms_fmt_kb_signed(buf, len, (long long)(pages * (1ll << (shift - 10))));
	return buf;
}

/* kmalloc_large() pages: Slab counts them (NR_SLAB_UNRECLAIMABLE_B,
 * kmalloc_large_node_notrace() in 6.1, ___kmalloc_large_node() in 6.12) but
 * no flag or type marks them, so they are among the pages with no owner
 * type: Slab less the slab class, at most that class.  False if unknown. */
static bool kmalloc_large(const struct ms_census *c, uint64_t *pages)
{
	uint64_t v;

	if (!c->ctr_ok[MS_CC_SLAB])
		return false;
	v = c->ctr[MS_CC_SLAB] > c->cls[MS_CC_SLAB] ? c->ctr[MS_CC_SLAB] - c->cls[MS_CC_SLAB] : 0;
	*pages = v < c->cls[MS_CC_NO_OWNER] ? v : c->cls[MS_CC_NO_OWNER];
	return true;
}

/* The census value to compare with class i's counter: anon LRU counts shmem too. */
static uint64_t compared(const struct ms_census *c, int i)
{
	if (i == MS_CC_LRU_ANON)
		return c->cls[MS_CC_LRU_ANON] + c->cls[MS_CC_LRU_SHMEM];
	return c->cls[i];
}

void ms_census_print(FILE *out, const struct ms_census *c, unsigned int page_shift,
		     const struct ms_census_print_opts *o)
{
	char a[32], b[32], d[32];
	uint64_t large;

	fprintf(out, "%-26s %12s %7s   %-30s %12s %12s\n", "CLASS", "PAGES" , "%", "COUNTER",
		"COUNTER_VAL", "DIFF");
	for (int i = 0; i < MS_CC_NR; i++) {
		double pct = c->pfns ? 100.0 * (double)c->cls[i] / (double)c->pfns : 0;

		fprintf(out, "%-26s %12s %6.1f%%", ms_census_class_name(i),
			size(a, sizeof(a), (int64_t)c->cls[i], page_shift, o->pages), pct);
		if (c->ctr_ok[i])
			fprintf(out, "   %-30s %12s %12s", ctr_names[i],
				size(b, sizeof(b), (int64_t)c->ctr[i], page_shift, o->pages),
				size(d, sizeof(d), (int64_t)compared(c, i) - (int64_t)c->ctr[i],
				     page_shift, o->pages));
		fputc('\n', out);
		if (i == MS_CC_NO_OWNER && kmalloc_large(c, &large))
			fprintf(out, "%-26s %12s %6.1f%%   %s\n", "  of which kmalloc_large",
				size(a, sizeof(a), (int64_t)large, page_shift, o->pages),
				c->pfns ? 100.0 * (double)large / (double)c->pfns : 0,
				"Slab - slab pages");
	}
	fprintf(out, "%-26s %12s\n", "online pfns", size(a, sizeof(a), (int64_t)c->pfns,
							     page_shift, o->pages));
	if (c->memtotal_ok)
		fprintf(out, "%-26s %12s   MemTotal %s (present - reserved - MemTotal %s)\n",
			"present - reserved",
			size(a, sizeof(a), (int64_t)(c->pfns - c->cls[MS_CC_RESERVED]), page_shift, o->pages),
			size(b, sizeof(b), (int64_t)c->memtotal, page_shift, o->pages),
			size(d, sizeof(d), (int64_t)(c->pfns - c->cls[MS_CC_RESERVED]) - (int64_t)c->memtotal,
			     page_shift, o->pages));
	fprintf(out, "max_pfn %" PRIu64 "; corrupt entries %" PRIu64 "%s%s\n", c->max_pfn,
		c->corrupt, c->complete ? "" : "; PARTIAL: ", c->complete ? "" : c->why);
	if (!c->pcp_walked || !c->pcp_complete)
		fprintf(out, "per-cpu lists %s: %s\n",
			c->pcp_walked ? "partly walked" : "not walked (their pages counted by the "
			"refcount-0 test)", c->pcp_why);
	if (!c->owners_ok || !c->owners_complete)
		fprintf(out, "vmalloc, kernel stack, pipe, socket and upper page-table pages %s: %s\n",
			c->owners_ok ? "partly told apart" : "not told apart (counted as no owner)",
			c->owners_why);
}

json_t *ms_census_json(const struct ms_census *c, unsigned int page_shift)
{
	json_t *cls = json_object();
	uint64_t kb = 1ull << (page_shift - 10), large;

	for (int i = 0; i < MS_CC_NR; i++) {
		json_t *o = json_pack("{s:s, s:I}", "name", ms_census_class_name(i), "pages",
				      (json_int_t)c->cls[i]);

		if (c->ctr_ok[i]) {
			json_object_set_new(o, "counter", json_string(ctr_names[i]));
			json_object_set_new(o, "counter_pages", json_integer((json_int_t)c->ctr[i]));
			json_object_set_new(o, "diff_pages", json_integer((json_int_t)compared(c, i) -
									  (json_int_t)c->ctr[i]));
		}
		if (i == MS_CC_NO_OWNER && kmalloc_large(c, &large))
			json_object_set_new(o, "kmalloc_large_pages", json_integer((json_int_t)large));
		json_object_set_new(cls, ms_census_class_key(i), o);
	}
	return json_pack("{s:I, s:I, s:I, s:o, s:I, s:o, s:b, s:s?, s:b, s:s?, s:b, s:s?}", "pfns",
			 (json_int_t)c->pfns, "max_pfn", (json_int_t)c->max_pfn, "page_kb",
			 (json_int_t)kb, "classes", cls, "corrupt", (json_int_t)c->corrupt,
			 "memtotal_pages", c->memtotal_ok ? json_integer((json_int_t)c->memtotal) : json_null(),
			 "complete", c->complete, "why", c->complete ? NULL : c->why,
			 "owners_complete", c->owners_ok && c->owners_complete, "owners_why",
			 c->owners_ok && c->owners_complete ? NULL : c->owners_why,
			 "pcp_complete", c->pcp_walked && c->pcp_complete, "pcp_why",
			 c->pcp_walked && c->pcp_complete ? NULL : c->pcp_why);
}
