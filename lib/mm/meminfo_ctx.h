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
#include "zone.h"

/* Inputs read from every node or zone in view: all of them, or the first cause. */
struct mi_part {
	bool ok;
	enum ms_error_code code;
	char why[MS_MI_WHY_LEN];
};

struct mi_ctx {
	struct ms_target *t;
	const struct ms_kernel *k;
	const struct ms_zone_layout *l;	/* NULL: struct zone unresolved (zone_part says why) */
	struct ms_meminfo *mi;
	struct mi_part node_part, zone_part;	/* the counters of every node/zone in view */
	struct mi_part managed_part;		/* zone_managed_pages() */
	struct mi_part wmark_part;		/* low_wmark_pages() */
	int64_t node[MS_MAX_STAT_ITEMS];
	int64_t zone[MS_MAX_STAT_ITEMS];
	int64_t zone_high_free;		/* NR_FREE_PAGES of highmem zones */
	uint64_t managed, managed_high;	/* zone_managed_pages() summed */
	uint64_t wmark_low;		/* sum of low_wmark_pages() over every zone */
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

static inline bool known(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->state[i] == MS_MI_OK;
}

/* A value in pages of a line already set (kB back to pages). */
static inline uint64_t pages_of(const struct mi_ctx *c, enum ms_mi_item i)
{
	return c->mi->val[i] >> (c->t->page_shift - 10);
}

/* meminfo.c: a line the kernel prints that cannot be computed, and its cause:
 * a text, an error (destroyed), or the cause of a line it is computed from. */
void set_unknown(struct mi_ctx *c, enum ms_mi_item i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void set_unknown_err(struct mi_ctx *c, enum ms_mi_item i, struct ms_error *err);
void set_unknown_as(struct mi_ctx *c, enum ms_mi_item i, enum ms_mi_item from);
/* A part that could not be read: keep the first cause, destroy err. */
void mi_part_fail(struct mi_part *p, struct ms_error *err);
/* The error a line gets from a part that was not read (NULL if it was). */
struct ms_error *mi_part_error(const struct mi_part *p, const char *what);

/* meminfo_globals.c: the lines that come from globals, not vm_stat items. */
struct ms_error *mi_sym_uint(struct mi_ctx *c, const char *sym, size_t width, uint64_t *v);
struct ms_error *mi_sym_ulong(struct mi_ctx *c, const char *sym, uint64_t *v);
void mi_line_memtotal(struct mi_ctx *c);
struct ms_error *mi_blockdev_pages(struct mi_ctx *c, uint64_t *pages);
void mi_lines_swap(struct mi_ctx *c);
void mi_lines_zswap(struct mi_ctx *c);
void mi_lines_hugetlb(struct mi_ctx *c);
void mi_line_commit_limit(struct mi_ctx *c);
void mi_line_committed(struct mi_ctx *c);
void mi_line_vmalloc_total(struct mi_ctx *c);
void mi_line_percpu(struct mi_ctx *c);
void mi_lines_directmap(struct mi_ctx *c);

#endif
