/*
 * slab.c - per-cache SLUB usage from kmem_cache and kmem_cache_node counters.
 *
 * The kernel's /proc/slabinfo (v6.1 mm/slab_common.c slab_show -> cache_show
 * -> mm/slub.c get_slabinfo) walks slab_caches and, for every node that has a
 * kmem_cache_node (for_each_kmem_cache_node over nr_node_ids), adds
 *   nr_slabs      atomic_long_read(&n->nr_slabs)
 *   nr_objs       atomic_long_read(&n->total_objects)
 *   nr_free       count_partial(n, count_free): slab->objects - slab->inuse
 *                 over the slabs on n->partial
 * Per-cpu slabs and per-cpu partial slabs are not looked at: their free
 * objects count as active, in the kernel and here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kernel.h"
#include "list.h"
#include "slab.h"
#include "vmstat.h"

#define MAX_CACHES	65536		/* far more than any kernel creates */
#define MAX_PARTIAL	(1u << 20)	/* slabs on one node's partial list */
#define MAX_NODES	1024		/* MAX_NUMNODES with NODES_SHIFT 10 */

/*
 * OO_SHIFT is a #define in mm/slub.c (not in the debug info): 16 since it
 * was introduced (2.6.25) through 6.x: order in the high bits, objects in the
 * low 16.  A decoded value that does not fit a slab is reported, not used.
 */
#define OO_SHIFT	16
#define OO_MASK		((1u << OO_SHIFT) - 1)

/*
 * struct slab (5.17+) or struct page (before) keeps inuse:16, objects:15,
 * frozen:1 as bitfields overlaid on "unsigned long counters" (mm/slab.h v6.1).
 * Bitfield positions are not something the target can tell us; this layout
 * has been the same since SLUB began, and x86_64 is little-endian.
 */
#define COUNTERS_INUSE(c)	((unsigned int)((c) & 0xffff))
#define COUNTERS_OBJECTS(c)	((unsigned int)(((c) >> 16) & 0x7fff))

struct slab_layout {
	long list, name, size, object_size, oo, oo_width, node;
	long n_nr_partial, n_partial, n_nr_slabs, n_total_objects;
	long sl_list, sl_counters;	/* in struct slab, or struct page before 5.17 */
	unsigned int nr_node_ids;
	size_t head_len;		/* bytes of kmem_cache read per cache */
};

static struct ms_error *cache_layout(struct ms_target *t, struct slab_layout *l)
{
	l->list = ms_member_offset(t, "kmem_cache", "list");
	l->name = ms_member_offset(t, "kmem_cache", "name");
	l->size = ms_member_offset(t, "kmem_cache", "size");
	l->object_size = ms_member_offset(t, "kmem_cache", "object_size");
	l->oo = ms_member_offset(t, "kmem_cache", "oo");
	l->node = ms_member_offset(t, "kmem_cache", "node");
	if (l->list < 0 || l->name < 0 || l->size < 0 || l->object_size < 0 || l->oo < 0 ||
	    l->node < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct kmem_cache (list, "
				       "name, size, object_size, oo, node): not a SLUB kernel?");
	/* kmem_cache_order_objects.x: unsigned int since 4.x, unsigned long before. */
	l->oo_width = ms_member_size(t, "kmem_cache_order_objects", "x");
	if (l->oo_width != 4 && l->oo_width != 8)
		l->oo_width = ms_member_size(t, "kmem_cache", "oo");
	if (l->oo_width != 4 && l->oo_width != 8)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve the width of kmem_cache.oo");
	return NULL;
}

static struct ms_error *node_layout(struct ms_target *t, struct slab_layout *l)
{
	static const char *const slab_list[] = { "slab_list", "lru", NULL };
	const char *sname = ms_struct_size(t, "slab") > 0 ? "slab" : "page";

	l->n_nr_partial = ms_member_offset(t, "kmem_cache_node", "nr_partial");
	l->n_partial = ms_member_offset(t, "kmem_cache_node", "partial");
	l->n_nr_slabs = ms_member_offset(t, "kmem_cache_node", "nr_slabs");
	l->n_total_objects = ms_member_offset(t, "kmem_cache_node", "total_objects");
	if (l->n_nr_partial < 0 || l->n_partial < 0)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve kmem_cache_node.partial / nr_partial");
	if (l->n_nr_slabs < 0 || l->n_total_objects < 0)
		return ms_error_create(MS_ERR_UNSUPPORTED, "kmem_cache_node has no nr_slabs/"
				       "total_objects (CONFIG_SLUB_DEBUG off): /proc/slabinfo "
				       "cannot be reproduced without walking every slab");
	l->sl_list = ms_member_offset_any(t, sname, slab_list);
	l->sl_counters = ms_member_offset(t, sname, "counters");
	if (l->sl_list < 0 || l->sl_counters < 0 || ms_member_size(t, sname, "counters") != 8)
		ms_warn(t, "cannot resolve struct %s slab_list/counters: free objects unknown",
			sname);
	return NULL;
}

static struct ms_error *read_layout(struct ms_target *t, struct slab_layout *l)
{
	struct ms_error *err;
	long arr;
	uint64_t v;

	err = cache_layout(t, l);
	if (!err)
		err = node_layout(t, l);
	if (err)
		return err;
	/* for_each_kmem_cache_node: node ids 0 .. nr_node_ids-1; no nr_node_ids
	 * (a kernel without NUMA) is one node. */
	arr = ms_member_size(t, "kmem_cache", "node");
	l->nr_node_ids = 1;
	err = ms_read_sym_uint(t, "nr_node_ids", 4, &v);
	if (!err && v > 0 && v <= MAX_NODES)
		l->nr_node_ids = (unsigned int)v;
	ms_error_destroy(err);
	/* kmem_cache.node[]: MAX_NUMNODES pointers. */
	if (arr > 0 && (long)l->nr_node_ids * t->word_size > arr) {
		ms_warn(t, "nr_node_ids %u exceeds kmem_cache.node[]", l->nr_node_ids);
		l->nr_node_ids = (unsigned int)(arr / t->word_size);
	}
	l->head_len = (size_t)l->node + (size_t)t->word_size * l->nr_node_ids;
	return NULL;
}

struct partial_walk {
	const struct slab_layout *l;
	uint64_t free;
};

/* count_free() of one slab on the partial list: its counters unreadable or
 * inconsistent stop the count. */
static struct ms_error *count_free(struct ms_target *t, uint64_t entry, void *arg)
{
	struct partial_walk *w = arg;
	uint64_t slab = entry - w->l->sl_list, counters;
	unsigned int inuse, objects;
	struct ms_error *err;

	err = ms_read_u64(t, slab + w->l->sl_counters, &counters);
	if (err)
		return err;
	inuse = COUNTERS_INUSE(counters);
	objects = COUNTERS_OBJECTS(counters);
	if (inuse > objects)
		return ms_error_at(MS_ERR_CORRUPT, slab, "slab inuse %u > objects %u", inuse,
				   objects);
	w->free += objects - inuse;
	return NULL;
}

static void read_partial(struct ms_target *t, const struct slab_layout *l,
			 const struct ms_slab_cache *c, uint64_t n, struct ms_slab_node *sn)
{
	struct partial_walk w = { .l = l };
	struct ms_list_result r;
	struct ms_error *err;

	if (l->sl_list < 0 || l->sl_counters < 0)
		return;
	err = ms_list_visit(t, n + l->n_partial, MAX_PARTIAL, MS_LIST_CHECK_PREV, count_free, &w,
			    &r);
	sn->partial_free = w.free;
	if (r.status == MS_LIST_STOPPED)
		ms_warn_error(t, err, "%s node %d: unreadable or inconsistent slab %#llx on the "
			      "partial list", c->name, sn->node, (unsigned long long)r.where);
	else if (err || r.status != MS_LIST_OK)
		ms_list_warn(t, err, "%s node %d: partial list %s after %llu slabs", c->name,
			     sn->node, ms_list_status_name(r.status), (unsigned long long)r.count);
	else
		sn->partial_ok = true;
}

/* One node's counters, then its partial list: true if all of it was read. */
static bool read_node(struct ms_target *t, const struct slab_layout *l,
		      const struct ms_slab_cache *c, uint64_t n, struct ms_slab_node *sn)
{
	struct ms_error *err;

	err = ms_read_u64(t, n + l->n_nr_slabs, &sn->nr_slabs);
	if (!err)
		err = ms_read_u64(t, n + l->n_total_objects, &sn->total_objects);
	if (!err)
		err = ms_read_u64(t, n + l->n_nr_partial, &sn->nr_partial);
	if (err) {
		ms_warn_error(t, err, "%s: cannot read kmem_cache_node %#llx (node %d)", c->name,
			      (unsigned long long)n, sn->node);
		return false;
	}
	read_partial(t, l, c, n, sn);
	return sn->partial_ok;
}

static void decode_oo(struct ms_target *t, const struct slab_layout *l, const void *buf,
		      struct ms_slab_cache *c)
{
	uint64_t oo = ms_get_uint(t, buf, l->oo, (size_t)l->oo_width);

	c->order = (unsigned int)(oo >> OO_SHIFT);
	c->objects = (unsigned int)(oo & OO_MASK);
	/* A slab of 2^order pages must hold its objects. */
	if (c->order > 20 || !c->objects ||
	    (uint64_t)c->objects * c->size > (ms_page_size(t) << c->order)) {
		ms_warn(t, "%s: kmem_cache.oo %#llx does not decode (OO_SHIFT %d)", c->name,
			(unsigned long long)oo, OO_SHIFT);
		c->complete = false;
		c->order = 0;
	}
}

/* One cache: NULL (what could not be read is said, and c->complete is false),
 * or out of memory. */
static struct ms_error *read_cache(struct ms_target *t, const struct slab_layout *l,
				   uint64_t addr, struct ms_slab_cache *c)
{
	unsigned char *buf = malloc(l->head_len);
	struct ms_error *err;
	uint64_t name;

	c->addr = addr;
	snprintf(c->name, sizeof(c->name), "<kmem_cache %#llx>", (unsigned long long)addr);
	c->nodes = calloc(l->nr_node_ids, sizeof(*c->nodes));
	if (!buf || !c->nodes) {
		free(buf);
		return &ms_error_nomem;
	}
	err = ms_read(t, addr, buf, l->head_len);
	if (err) {
		ms_warn_error(t, err, "cannot read struct kmem_cache at %#llx",
			      (unsigned long long)addr);
		free(buf);
		return NULL;
	}
	name = ms_get_ptr(t, buf, l->name);
	err = ms_read_str(t, name, c->name, sizeof(c->name));
	if (err)
		ms_warn_error(t, err, "kmem_cache %#llx: unreadable name",
			      (unsigned long long)addr);
	c->size = (unsigned int)ms_get_uint(t, buf, l->size, 4);
	c->object_size = (unsigned int)ms_get_uint(t, buf, l->object_size, 4);
	c->complete = true;
	decode_oo(t, l, buf, c);
	for (unsigned int node = 0; node < l->nr_node_ids; node++) {
		uint64_t n = ms_get_ptr(t, buf, l->node + (long)t->word_size * node);
		struct ms_slab_node *sn = &c->nodes[c->nr_nodes];

		if (!n)		/* get_node() NULL: no memory on that node */
			continue;
		sn->node = (int)node;
		if (!read_node(t, l, c, n, sn))
			c->complete = false;
		c->nr_slabs += sn->nr_slabs;
		c->total_objects += sn->total_objects;
		c->free_objects += sn->partial_free;
		c->nr_nodes++;
	}
	free(buf);
	return NULL;
}

struct cache_walk {
	const struct slab_layout *l;
	struct ms_slab *s;
	size_t cap;
};

static struct ms_error *add_cache(struct ms_target *t, uint64_t entry, void *arg)
{
	struct cache_walk *w = arg;
	struct ms_slab *s = w->s;

	struct ms_slab_cache *p = ms_grow(s->caches, &w->cap, s->nr_caches, sizeof(*p), 256);

	if (!p)
		return &ms_error_nomem;
	s->caches = p;
	memset(&s->caches[s->nr_caches], 0, sizeof(s->caches[0]));
	return read_cache(t, w->l, entry - w->l->list, &s->caches[s->nr_caches++]);
}

/* meminfo's Slab: SReclaimable + SUnreclaim, exact per-node counters summed. */
static void read_slab_pages(struct ms_target *t, struct ms_slab *s)
{
	static const char *const recl[] = { "NR_SLAB_RECLAIMABLE_B", "NR_SLAB_RECLAIMABLE", NULL };
	static const char *const unrecl[] = { "NR_SLAB_UNRECLAIMABLE_B", "NR_SLAB_UNRECLAIMABLE",
					      NULL };
	int ir = ms_stat_index_any(t, recl), iu = ms_stat_index_any(t, unrecl);
	const struct ms_kernel *k;
	struct ms_counters c;
	struct ms_error *err;
	int64_t pages = 0;

	err = ms_kernel_get(t, &k);
	if (err) {
		ms_warn_error(t, err, "Slab total unknown");
		return;
	}
	if (ir < 0 || iu < 0) {
		ms_warn(t, "cannot resolve the node slab counters: Slab total unknown");
		return;
	}
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		err = ms_node_counters(t, k->pgdat[n], &c);
		if (err) {
			ms_warn_error(t, err, "node %d: cannot read the slab counters",
				      k->node_id[n]);
			return;
		}
		pages += ms_counter(&c, ir) + ms_counter(&c, iu);
	}
	s->slab_pages = pages > 0 ? (uint64_t)pages : 0;
	s->slab_pages_ok = true;
}

struct ms_error *ms_slab_read(struct ms_target *t, struct ms_slab *s)
{
	struct slab_layout l;
	struct cache_walk w = { .l = &l, .s = s };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t head;

	memset(s, 0, sizeof(*s));
	err = read_layout(t, &l);
	if (err)
		return err;
	err = ms_symbol(t, "slab_caches", &head);
	if (err)
		return err;
	err = ms_list_visit(t, head, MAX_CACHES, MS_LIST_CHECK_PREV, add_cache, &w, &r);
	if (ms_error_is(err, MS_ERR_NOMEM)) {
		ms_slab_free(s);
		return err;
	}
	s->list_complete = !err && r.status == MS_LIST_OK;
	if (!s->nr_caches) {
		ms_slab_free(s);
		if (err)
			return ms_error_wrap(err, "slab_caches: list unreadable");
		return ms_error_create(MS_ERR_CORRUPT, "slab_caches: list %s, no cache",
				       ms_list_status_name(r.status));
	}
	if (!s->list_complete)
		ms_list_warn(t, err, "slab_caches: list %s after %llu caches",
			     ms_list_status_name(r.status), (unsigned long long)r.count);
	for (unsigned int i = 0; i < s->nr_caches; i++)
		s->cache_pages += ms_slab_pages(&s->caches[i]);
	read_slab_pages(t, s);
	return NULL;
}

void ms_slab_free(struct ms_slab *s)
{
	for (unsigned int i = 0; i < s->nr_caches; i++)
		free(s->caches[i].nodes);
	free(s->caches);
	memset(s, 0, sizeof(*s));
}
