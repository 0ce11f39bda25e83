/*
 * gfp.h - a gfp mask as the dumped kernel names it: the names %pGg prints
 * (format_flags() over gfpflag_names[], lib/vsprintf.c and mm/debug.c), the
 * highest zone it allows (gfp_zone(), include/linux/gfp.h) and the
 * allocation check's gfp kind for the slow path (gfp_to_alloc_flags(),
 * mm/page_alloc.c).  The one owner of gfpflag_names and of the gfp bits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_GFP_H
#define MEMSCOPE_GFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloccheck.h"
#include "error.h"
#include "target.h"

#define MS_GFP_NAMES_MAX	96	/* entries of gfpflag_names[] read at most */
#define MS_GFP_NAME_LEN		40

struct ms_gfp_flag {
	uint64_t mask;
	char name[MS_GFP_NAME_LEN];
};

/* The dump's gfpflag_names[] in its order (composites first), or the era's fallback. */
struct ms_gfp_names {
	size_t nr;
	struct ms_gfp_flag v[MS_GFP_NAMES_MAX];
	bool from_dump;		/* read from gfpflag_names; else the fallback */
	const char *source;	/* "gfpflag_names", "___GFP_*_BIT enum", "4.4-6.12 bit values" */
	/* the bits gfp_zone() and gfp_to_alloc_flags() look at */
	uint64_t dma, highmem, dma32, movable, high, direct_reclaim;
};

/* gfpflag_names[] from the dump; without it (no symbol, unreadable) the bits from
 * the ___GFP_*_BIT enum (6.8+) or the values of 4.4 to 6.12, with a warning.
 * Never fails: the fallback is always there. */
void ms_gfp_names_read(struct ms_target *t, struct ms_gfp_names *n);

/* A table given by the caller (tests): entries in %pGg's order, {0, NULL}-less. */
void ms_gfp_names_set(struct ms_gfp_names *n, const struct ms_gfp_flag *v, size_t nr);

/* format_flags(): "GFP_KERNEL|__GFP_NORETRY", what is left as "0x..", "" for 0. */
char *ms_gfp_format(const struct ms_gfp_names *n, uint64_t mask, char *buf, size_t len);

/* gfp_zone()'s zone, by its name: "DMA", "DMA32", "Normal", "Movable" ("HighMem"
 * is Normal on a kernel without it; the caller looks the name up). */
const char *ms_gfp_zone_name(const struct ms_gfp_names *n, uint64_t mask);

/* The allocation check's kind of the slow path for that mask. */
enum ms_gfp_kind ms_gfp_kind_of(const struct ms_gfp_names *n, uint64_t mask);

#endif
