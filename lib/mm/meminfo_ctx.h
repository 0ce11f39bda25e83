/*
 * meminfo_ctx.h - what the files of the meminfo reader share (lib-internal):
 * the context of one read and the helpers that set a line's value.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_MEMINFO_CTX_H
#define MEMSCOPE_MEMINFO_CTX_H

#include "kernel.h"
#include "meminfo.h"
#include "vmstat.h"

struct mi_ctx {
	struct ms_target *t;
	const struct ms_kernel *k;
	struct ms_meminfo *mi;
	bool node_ok, zone_ok;		/* counters of every node/zone in view were read */
	int64_t node[MS_MAX_STAT_ITEMS];
	int64_t zone[MS_MAX_STAT_ITEMS];
	int64_t zone_high_free;		/* NR_FREE_PAGES of highmem zones */
	uint64_t managed, managed_high;	/* zone_managed_pages() summed */
	bool managed_ok;
	uint64_t wmark_low;		/* sum of low_wmark_pages() over every zone */
	bool wmark_ok;
	int highmem_idx;		/* ZONE_HIGHMEM, or -1 */
};

/* ---- values ---- */

/* A value in the line's own unit: kB, or a count for HugePages_*. */
static inline void set_kb(struct mi_ctx *c, enum ms_mi_item i, uint64_t kb)
{
	c->mi->val[i] = kb;
	c->mi->state[i] = MS_MI_OK;
}

static inline void set_count(struct mi_ctx *c, enum ms_mi_item i, uint64_t n)
{
	set_kb(c, i, n);
}

static inline void set_pages(struct mi_ctx *c, enum ms_mi_item i, uint64_t pages)
{
	set_kb(c, i, ms_pages_to_kb(c->t, pages));
}

static inline void set_unknown(struct mi_ctx *c, enum ms_mi_item i, const char *why)
{
	c->mi->val[i] = 0;
	c->mi->state[i] = MS_MI_UNKNOWN;
	c->mi->why[i] = why;
}

static inline bool known(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->state[i] == MS_MI_OK;
}

/* A value in pages of a line already set (kB back to pages). */
static inline uint64_t pages_of(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->val[i] >> (c->t->page_shift - 10);
}

/* meminfo_globals.c: the lines that come from globals, not vm_stat items. */
int mi_sym_uint(struct mi_ctx *c, const char *sym, size_t width, uint64_t *v);
void mi_line_memtotal(struct mi_ctx *c);
int mi_blockdev_pages(struct mi_ctx *c, uint64_t *pages);
void mi_lines_swap(struct mi_ctx *c);
void mi_lines_zswap(struct mi_ctx *c);
void mi_lines_hugetlb(struct mi_ctx *c);
void mi_line_commit_limit(struct mi_ctx *c);
void mi_line_committed(struct mi_ctx *c);
void mi_line_vmalloc_total(struct mi_ctx *c);
void mi_line_percpu(struct mi_ctx *c);
void mi_lines_directmap(struct mi_ctx *c);

#endif
