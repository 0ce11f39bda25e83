/*
 * gfp.c - gfp masks in the dumped kernel's own words (see gfp.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "gfp.h"

/*
 * The single bits, named as mmflags.h's __def_gfpflag_names names them:
 * the ___GFP_*_BIT enumerator (6.8+, include/linux/gfp_types.h) and the
 * value those bits had from 4.4 (___GFP_DIRECT_RECLAIM) to 6.12, for a
 * kernel whose type info has no such enum; in mmflags.h's order, which is
 * the order %pGg prints them in.  0x200 was __GFP_ATOMIC until 6.3, unused
 * since.
 */
static const struct {
	const char *name, *bit_enum;
	uint64_t value;
} bits[] = {
	{ "GFP_DMA", "___GFP_DMA_BIT", 0x01 },
	{ "__GFP_HIGHMEM", "___GFP_HIGHMEM_BIT", 0x02 },
	{ "GFP_DMA32", "___GFP_DMA32_BIT", 0x04 },
	{ "__GFP_HIGH", "___GFP_HIGH_BIT", 0x20 },
	{ "__GFP_IO", "___GFP_IO_BIT", 0x40 },
	{ "__GFP_FS", "___GFP_FS_BIT", 0x80 },
	{ "__GFP_NOWARN", "___GFP_NOWARN_BIT", 0x2000 },
	{ "__GFP_RETRY_MAYFAIL", "___GFP_RETRY_MAYFAIL_BIT", 0x4000 },
	{ "__GFP_NOFAIL", "___GFP_NOFAIL_BIT", 0x8000 },
	{ "__GFP_NORETRY", "___GFP_NORETRY_BIT", 0x10000 },
	{ "__GFP_COMP", "___GFP_COMP_BIT", 0x40000 },
	{ "__GFP_ZERO", "___GFP_ZERO_BIT", 0x100 },
	{ "__GFP_NOMEMALLOC", "___GFP_NOMEMALLOC_BIT", 0x80000 },
	{ "__GFP_MEMALLOC", "___GFP_MEMALLOC_BIT", 0x20000 },
	{ "__GFP_HARDWALL", "___GFP_HARDWALL_BIT", 0x100000 },
	{ "__GFP_THISNODE", "___GFP_THISNODE_BIT", 0x200000 },
	{ "__GFP_RECLAIMABLE", "___GFP_RECLAIMABLE_BIT", 0x10 },
	{ "__GFP_MOVABLE", "___GFP_MOVABLE_BIT", 0x08 },
	{ "__GFP_ACCOUNT", "___GFP_ACCOUNT_BIT", 0x400000 },
	{ "__GFP_WRITE", "___GFP_WRITE_BIT", 0x1000 },
	{ "__GFP_DIRECT_RECLAIM", "___GFP_DIRECT_RECLAIM_BIT", 0x400 },
	{ "__GFP_KSWAPD_RECLAIM", "___GFP_KSWAPD_RECLAIM_BIT", 0x800 },
	{ "__GFP_ZEROTAGS", "___GFP_ZEROTAGS_BIT", 0x800000 },
};

/* The composites %pGg prints first, as unions of the bits above. */
static const struct {
	const char *name;
	const char *parts[8];
} composites[] = {
	{ "GFP_HIGHUSER_MOVABLE", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO",
				    "__GFP_FS", "__GFP_HARDWALL", "__GFP_HIGHMEM", "__GFP_MOVABLE" } },
	{ "GFP_HIGHUSER", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO", "__GFP_FS",
			    "__GFP_HARDWALL", "__GFP_HIGHMEM" } },
	{ "GFP_USER", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO", "__GFP_FS",
			"__GFP_HARDWALL" } },
	{ "GFP_KERNEL_ACCOUNT", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO",
				  "__GFP_FS", "__GFP_ACCOUNT" } },
	{ "GFP_KERNEL", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO", "__GFP_FS" } },
	{ "GFP_NOFS", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM", "__GFP_IO" } },
	{ "GFP_NOIO", { "__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM" } },
	{ "GFP_NOWAIT", { "__GFP_KSWAPD_RECLAIM" } },
};

static uint64_t find(const struct ms_gfp_names *n, const char *name)
{
	for (size_t i = 0; i < n->nr; i++)
		if (!strcmp(n->v[i].name, name))
			return n->v[i].mask;
	return 0;
}

static void add(struct ms_gfp_names *n, const char *name, uint64_t mask)
{
	if (n->nr >= MS_GFP_NAMES_MAX)
		return;
	n->v[n->nr].mask = mask;
	snprintf(n->v[n->nr].name, MS_GFP_NAME_LEN, "%s", name);
	n->nr++;
}

/* The bits gfp_zone() and the slow path look at, once the table is there. */
static void resolve_bits(struct ms_gfp_names *n)
{
	n->dma = find(n, "GFP_DMA") | find(n, "__GFP_DMA");
	n->highmem = find(n, "__GFP_HIGHMEM");
	n->dma32 = find(n, "GFP_DMA32") | find(n, "__GFP_DMA32");
	n->movable = find(n, "__GFP_MOVABLE");
	n->high = find(n, "__GFP_HIGH");
	n->direct_reclaim = find(n, "__GFP_DIRECT_RECLAIM");
}

void ms_gfp_names_set(struct ms_gfp_names *n, const struct ms_gfp_flag *v, size_t nr)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < nr; i++)
		add(n, v[i].name, v[i].mask);
	n->from_dump = true;
	n->source = "given";
	resolve_bits(n);
}

/* Without gfpflag_names: the bits by their enumerators, or by the era's values. */
static void fallback(struct ms_target *t, struct ms_gfp_names *n)
{
	struct ms_gfp_names b = { 0 };
	bool by_enum = ms_has_enum(t, "___GFP_DMA_BIT");

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		long e = by_enum ? ms_enum_or(t, bits[i].bit_enum, -1) : -1;

		if (by_enum && (e < 0 || e > 62))
			continue;	/* no such bit in this kernel */
		add(&b, bits[i].name, by_enum ? 1ull << e : bits[i].value);
	}
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < sizeof(composites) / sizeof(composites[0]); i++) {
		uint64_t m = 0, part = 1;

		for (size_t k = 0; part && k < 8 && composites[i].parts[k]; k++)
			m |= part = find(&b, composites[i].parts[k]);
		if (part)	/* every part is a bit of this kernel */
			add(n, composites[i].name, m);
	}
	for (size_t i = 0; i < b.nr; i++)
		add(n, b.v[i].name, b.v[i].mask);
	n->source = by_enum ? "___GFP_*_BIT enum" : "4.4-6.12 bit values";
	resolve_bits(n);
}

/* gfpflag_names[] (mm/debug.c): struct trace_print_flags { unsigned long mask;
 * const char *name; } entries up to { 0, NULL }. */
void ms_gfp_names_read(struct ms_target *t, struct ms_gfp_names *n)
{
	long size = ms_struct_size(t, "trace_print_flags");
	long mask_off = ms_member_offset(t, "trace_print_flags", "mask");
	long name_off = ms_member_offset(t, "trace_print_flags", "name");
	struct ms_error *err;
	uint64_t addr;

	if (size <= 0 || mask_off < 0 || name_off < 0) {
		/* 64-bit layout of every era: two words */
		size = 2 * (long)t->word_size;
		mask_off = 0;
		name_off = (long)t->word_size;
	}
	memset(n, 0, sizeof(*n));
	err = ms_symbol(t, "gfpflag_names", &addr);
	for (size_t i = 0; !err && i < MS_GFP_NAMES_MAX; i++) {
		uint64_t e = addr + i * (uint64_t)size, mask, name;
		char buf[MS_GFP_NAME_LEN];

		err = ms_read_uint(t, e + (uint64_t)mask_off, t->word_size, &mask);
		if (!err)
			err = ms_read_ptr(t, e + (uint64_t)name_off, &name);
		if (err || !name)
			break;
		err = ms_read_str(t, name, buf, sizeof(buf));
		if (!err)
			add(n, buf, mask);
	}
	if (err || !n->nr) {
		if (err)
			ms_warn_error(t, err, "gfpflag_names unreadable; gfp names from the gfp bits");
		else
			ms_warn(t, "gfpflag_names is empty; gfp names from the gfp bits");
		fallback(t, n);
		return;
	}
	n->from_dump = true;
	n->source = "gfpflag_names";
	resolve_bits(n);
}

char *ms_gfp_format(const struct ms_gfp_names *n, uint64_t mask, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	/* format_flags(): a name whose every bit is set, those bits cleared */
	for (size_t i = 0; i < n->nr && mask; i++) {
		uint64_t m = n->v[i].mask;
		int w;

		if (!m || (mask & m) != m)
			continue;
		mask &= ~m;
		w = snprintf(buf + at, len - at, "%s%s", n->v[i].name, mask ? "|" : "");
		if (w < 0 || (size_t)w >= len - at)
			return buf;
		at += (size_t)w;
	}
	if (mask)
		snprintf(buf + at, len - at, "%#llx", (unsigned long long)mask);
	return buf;
}

/* GFP_ZONE_TABLE: DMA and DMA32 win; HIGHMEM with MOVABLE is ZONE_MOVABLE. */
const char *ms_gfp_zone_name(const struct ms_gfp_names *n, uint64_t mask)
{
	if (n->dma && (mask & n->dma))
		return "DMA";
	if (n->dma32 && (mask & n->dma32))
		return "DMA32";
	if (n->highmem && (mask & n->highmem))
		return (n->movable && (mask & n->movable)) ? "Movable" : "HighMem";
	return "Normal";
}

enum ms_gfp_kind ms_gfp_kind_of(const struct ms_gfp_names *n, uint64_t mask)
{
	bool high = n->high && (mask & n->high);

	if (!(n->direct_reclaim && (mask & n->direct_reclaim)))
		return high ? MS_GFP_ATOMIC : MS_GFP_NOWAIT;
	if (high)
		return MS_GFP_HIGH;
	return (n->movable && (mask & n->movable)) ? MS_GFP_MOVABLE : MS_GFP_KERNEL;
}
