/*
 * slab_print.c - the slab caches as /proc/slabinfo, as a table of the
 * biggest caches, and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "slab_print.h"
#include "units.h"

/* mm/slab_common.c print_slabinfo_header (without CONFIG_DEBUG_SLAB) and cache_show. */
void ms_slab_print_proc(FILE *out, const struct ms_slab *s)
{
	fputs("slabinfo - version: 2.1\n", out);
	fputs("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
	      " : tunables <limit> <batchcount> <sharedfactor>"
	      " : slabdata <active_slabs> <num_slabs> <sharedavail>\n", out);
	for (unsigned int i = 0; i < s->nr_caches; i++) {
		const struct ms_slab_cache *c = &s->caches[i];

		/* SLUB: no tunables, active_slabs == num_slabs, no shared arrays. */
		fprintf(out, "%-17s %6llu %6llu %6u %4u %4d : tunables %4u %4u %4u"
			" : slabdata %6llu %6llu %6lu\n",
			c->name, (unsigned long long)ms_slab_active(c),
			(unsigned long long)c->total_objects, c->size, c->objects, 1 << c->order,
			0u, 0u, 0u, (unsigned long long)c->nr_slabs,
			(unsigned long long)c->nr_slabs, 0ul);
	}
}

static const struct ms_slab *sort_ctx;

/* Biggest first; equal sizes in name order so the output is stable. */
static int by_pages_desc(const void *a, const void *b)
{
	const struct ms_slab_cache *x = &sort_ctx->caches[*(const unsigned int *)a];
	const struct ms_slab_cache *y = &sort_ctx->caches[*(const unsigned int *)b];
	uint64_t px = ms_slab_pages(x), py = ms_slab_pages(y);

	if (px != py)
		return px > py ? -1 : 1;
	return strcmp(x->name, y->name);
}

static char *kb_of_pages(char *buf, size_t len, int64_t pages, unsigned int page_shift)
{
	return ms_fmt_kb(buf, len, (long long)(pages * (1ll << (page_shift - 10))));
}

static void print_total(FILE *out, const char *what, int64_t pages, unsigned int page_shift)
{
	char h[32];

	fprintf(out, "%-62s %10s\n", what, kb_of_pages(h, sizeof(h), pages, page_shift));
}

void ms_slab_print_top(FILE *out, const struct ms_slab *s, unsigned int page_shift,
		       unsigned int top)
{
	unsigned int *idx = malloc((s->nr_caches + 1) * sizeof(*idx));
	unsigned int n = top && top < s->nr_caches ? top : s->nr_caches;
	uint64_t rest = 0;
	bool partial = false;
	char h[32], label[80];

	if (!idx)
		return;
	for (unsigned int i = 0; i < s->nr_caches; i++)
		idx[i] = i;
	sort_ctx = s;
	qsort(idx, s->nr_caches, sizeof(*idx), by_pages_desc);
	fprintf(out, "%-24s %7s %9s %9s %7s %7s %10s %5s\n", "CACHE", "OBJSIZE", "ACTIVE",
		"OBJS", "SLABS", "PG/SLAB", "MEMORY", "USE%");
	for (unsigned int i = 0; i < n; i++) {
		const struct ms_slab_cache *c = &s->caches[idx[i]];
		unsigned int use = c->total_objects ?
			(unsigned int)(ms_slab_active(c) * 100 / c->total_objects) : 0;

		partial |= !c->complete;
		fprintf(out, "%-24s %7u %9llu %9llu %7llu %7d %10s %4u%%%s\n", c->name, c->size,
			(unsigned long long)ms_slab_active(c),
			(unsigned long long)c->total_objects, (unsigned long long)c->nr_slabs,
			1 << c->order,
			kb_of_pages(h, sizeof(h), (int64_t)ms_slab_pages(c), page_shift), use,
			c->complete ? "" : " *");
	}
	for (unsigned int i = n; i < s->nr_caches; i++)
		rest += ms_slab_pages(&s->caches[idx[i]]);
	if (n < s->nr_caches) {
		snprintf(label, sizeof(label), "(%u more caches)", s->nr_caches - n);
		print_total(out, label, (int64_t)rest, page_shift);
	}
	fputc('\n', out);
	snprintf(label, sizeof(label), "caches total (%u caches%s)", s->nr_caches,
		 s->list_complete ? "" : ", list incomplete");
	print_total(out, label, (int64_t)s->cache_pages, page_shift);
	if (s->slab_pages_ok) {
		print_total(out, "slab pages in no cache (large kmalloc)", ms_slab_uncached_pages(s),
			    page_shift);
		print_total(out, "Slab (meminfo: SReclaimable + SUnreclaim)",
			    (int64_t)s->slab_pages, page_shift);
	}
	if (partial)
		fputs("* a partial list could not be walked: ACTIVE counts its free objects\n",
		      out);
	free(idx);
}

static json_t *nodes_json(const struct ms_slab_cache *c)
{
	json_t *a = json_array();

	for (unsigned int i = 0; i < c->nr_nodes; i++) {
		const struct ms_slab_node *n = &c->nodes[i];

		json_array_append_new(a, json_pack("{s:i, s:I, s:I, s:I, s:I, s:b}",
			"node", n->node, "nr_slabs", (json_int_t)n->nr_slabs,
			"total_objects", (json_int_t)n->total_objects,
			"nr_partial", (json_int_t)n->nr_partial,
			"partial_free", (json_int_t)n->partial_free, "complete", n->partial_ok));
	}
	return a;
}

static json_t *cache_json(const struct ms_slab_cache *c, unsigned int page_shift)
{
	json_t *j = json_pack("{s:s, s:I, s:i, s:i, s:i, s:i, s:i}",
		"name", c->name, "addr", (json_int_t)c->addr, "size", (int)c->size,
		"object_size", (int)c->object_size, "order", (int)c->order,
		"objects_per_slab", (int)c->objects, "pages_per_slab", 1 << c->order);

	json_object_set_new(j, "num_slabs", json_integer((json_int_t)c->nr_slabs));
	json_object_set_new(j, "num_objs", json_integer((json_int_t)c->total_objects));
	json_object_set_new(j, "active_objs", json_integer((json_int_t)ms_slab_active(c)));
	json_object_set_new(j, "free_objs", json_integer((json_int_t)c->free_objects));
	json_object_set_new(j, "bytes",
			    json_integer((json_int_t)(ms_slab_pages(c) << page_shift)));
	json_object_set_new(j, "complete", json_boolean(c->complete));
	json_object_set_new(j, "nodes", nodes_json(c));
	return j;
}

json_t *ms_slab_json(const struct ms_slab *s, unsigned int page_shift)
{
	json_t *caches = json_array();
	json_t *j;

	for (unsigned int i = 0; i < s->nr_caches; i++)
		json_array_append_new(caches, cache_json(&s->caches[i], page_shift));
	j = json_pack("{s:I, s:b, s:I, s:o}", "page_size", (json_int_t)1 << page_shift,
		      "list_complete", s->list_complete,
		      "cache_bytes", (json_int_t)(s->cache_pages << page_shift), "caches", caches);
	if (s->slab_pages_ok) {
		json_object_set_new(j, "slab_bytes",
				    json_integer((json_int_t)(s->slab_pages << page_shift)));
		json_object_set_new(j, "uncached_bytes",
				    json_integer((json_int_t)ms_slab_uncached_pages(s) *
						     ((json_int_t)1 << page_shift)));
	} else {
		json_object_set_new(j, "slab_bytes", json_null());
		json_object_set_new(j, "uncached_bytes", json_null());
	}
	return j;
}
