/*
 * slab.h - SLUB usage per kmem_cache, from the allocator's own counters.
 *
 * What /proc/slabinfo shows (mm/slub.c get_slabinfo, mm/slab_common.c
 * cache_show), computed the same way: per node nr_slabs and total_objects,
 * free objects counted on the node partial lists only.  No walk of every
 * slab, so it is quick on any dump.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SLAB_H
#define MEMSCOPE_SLAB_H

#include "target.h"

#define MS_SLAB_NAME_LEN 64

/* One kmem_cache_node (s->node[node]). */
struct ms_slab_node {
	int node;
	uint64_t nr_slabs;		/* atomic_long nr_slabs */
	uint64_t total_objects;		/* atomic_long total_objects */
	uint64_t nr_partial;		/* slabs on n->partial, as the kernel counts them */
	uint64_t partial_free;		/* count_partial(n, count_free) */
	bool partial_ok;		/* the partial list was walked to its end */
};

struct ms_slab_cache {
	uint64_t addr;			/* struct kmem_cache */
	char name[MS_SLAB_NAME_LEN];
	unsigned int size;		/* s->size: object plus metadata (/proc's objsize) */
	unsigned int object_size;	/* s->object_size: what the caller asked for */
	unsigned int order;		/* oo_order(s->oo) */
	unsigned int objects;		/* oo_objects(s->oo): objects per slab */
	uint64_t nr_slabs, total_objects, free_objects;	/* summed over nodes */
	bool complete;			/* every node and partial list read */
	unsigned int nr_nodes;
	struct ms_slab_node *nodes;
};

struct ms_slab {
	unsigned int nr_caches;
	struct ms_slab_cache *caches;	/* in slab_caches order, as /proc/slabinfo */
	bool list_complete;		/* slab_caches walked back to its head */
	uint64_t cache_pages;		/* sum over caches of nr_slabs << order */
	bool slab_pages_ok;
	uint64_t slab_pages;		/* meminfo Slab: NR_SLAB_{RECLAIMABLE,UNRECLAIMABLE}_B */
};

/* Read every cache of slab_caches: NULL (s->list_complete and each cache's
 * complete tell what was cut short, said on t->errf), or the error that left
 * no cache (not SLUB, no slab_caches, no memory); s is empty then. */
struct ms_error *ms_slab_read(struct ms_target *t, struct ms_slab *s);
void ms_slab_free(struct ms_slab *s);

/* Objects in use as /proc/slabinfo counts them: total minus free on node partials. */
static inline uint64_t ms_slab_active(const struct ms_slab_cache *c)
{
	return c->total_objects - c->free_objects;
}

/* Pages the cache's slabs hold: nr_slabs << order. */
static inline uint64_t ms_slab_pages(const struct ms_slab_cache *c)
{
	return c->nr_slabs << c->order;
}

/* Slab pages that belong to no cache (large kmalloc since 5.x): Slab - cache pages. */
static inline int64_t ms_slab_uncached_pages(const struct ms_slab *s)
{
	return (int64_t)s->slab_pages - (int64_t)s->cache_pages;
}

#endif
