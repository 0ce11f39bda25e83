/*
 * pageblock.c - pageblock migratetypes from the sparse memory model.
 *
 * v6.1, x86_64 (CONFIG_SPARSEMEM_EXTREME, CONFIG_SPARSEMEM_VMEMMAP):
 *   pfn_to_online_page()        mm/memory_hotplug.c: nr = pfn >> PFN_SECTION_SHIFT,
 *                               nr < NR_MEM_SECTIONS, online_section(__nr_to_section(nr)),
 *                               pfn_section_valid(); ZONE_DEVICE sections are left
 *                               to the caller (see blockcount.c)
 *   __nr_to_section()           include/linux/mmzone.h: mem_section[nr / SECTIONS_PER_ROOT]
 *                               [nr % SECTIONS_PER_ROOT], NULL for a missing root
 *   pfn_section_valid()         test_bit(subsection_map_index(pfn), usage->subsection_map)
 *   get_pfnblock_flags_mask()   mm/page_alloc.c: usage->pageblock_flags, bit index
 *                               pfn_to_bitidx() = ((pfn & (PAGES_PER_SECTION - 1)) >>
 *                               pageblock_order) * NR_PAGEBLOCK_BITS, one unsigned long
 *                               word, & MIGRATETYPE_MASK
 *
 * Resolved by name, with the fallbacks used when a name is missing:
 *   struct mem_section size / section_mem_map    debug info, else VMCOREINFO SIZE()/OFFSET()
 *   mem_section.usage -> mem_section_usage       5.3+; before, mem_section.pageblock_flags
 *                                                points at the bitmap itself
 *   mem_section_usage.subsection_map             only with SPARSEMEM_VMEMMAP (5.3+);
 *                                                without it pfn_section_valid() is 1
 *   SECTION_IS_ONLINE_BIT (enum, 6.0+)           else bit 2, the #define of 4.13-5.19
 *   NR_PAGEBLOCK_BITS, PB_migrate, PB_migrate_end (enum pageblock_bits)
 *                                                else 4, 0, 2 (3 migratetype bits)
 *   SECTION_SIZE_BITS                            VMCOREINFO NUMBER(), else x86_64's 27
 *                                                (arch/x86/include/asm/sparsemem.h)
 *   NR_SECTION_ROOTS                             VMCOREINFO LENGTH(mem_section), else
 *                                                from NUMBER(MAX_PHYSMEM_BITS), else
 *                                                unbounded (a missing root reads as NULL
 *                                                or fails)
 *   SPARSEMEM_EXTREME                            VMCOREINFO SYMBOL(mem_section) is the
 *                                                pointer's value (extreme) or the array's
 *                                                own address (static); without VMCOREINFO,
 *                                                extreme: x86_64 never selects SPARSEMEM_STATIC
 *   SUBSECTION_SHIFT                             21, the same on every arch since 5.3 (a
 *                                                #define, not in debug info or VMCOREINFO)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "pageblock.h"

#define MS_SUBSECTION_SHIFT 21
#define MS_X86_64_SECTION_SIZE_BITS 27

struct ms_pageblocks {
	struct ms_target *t;
	unsigned int section_shift;	/* PFN_SECTION_SHIFT */
	unsigned int pageblock_order;
	bool extreme;
	uint64_t mem_section;		/* extreme: the roots' array; static: the sections */
	uint64_t nr_sections;		/* NR_MEM_SECTIONS, 0 if unknown */
	uint64_t nr_roots;		/* NR_SECTION_ROOTS, 0 if unknown */
	uint64_t per_root;		/* SECTIONS_PER_ROOT */

	long sec_size, map_off, usage_off, old_flags_off, flags_off, subsec_off;
	size_t subsec_len, bitmap_len;
	unsigned int subsec_shift;	/* PFN_SUBSECTION_SHIFT; subsec_len 0: no check */
	uint64_t online_mask;
	unsigned int nr_bits, mt_shift;
	uint64_t mt_mask;
	long map_last_bit;		/* SECTION_MAP_LAST_BIT, checked: -1 if out of range */
	long page_size;			/* struct page, or -1 */

	/* The last root and section read. */
	bool root_cached, sec_cached;
	uint64_t root_nr, root;
	uint64_t sec_nr;
	uint64_t sec_map;		/* its section_mem_map, raw */
	enum ms_pfn_state sec_state;
	unsigned char *subsec, *bitmap;
};

/* A VMCOREINFO number, or false where there is none (a question, not a failure). */
static bool vmcoreinfo_number(struct ms_target *t, const char *key, long long *n)
{
	struct ms_error *err = ms_vmcoreinfo_number(t, key, n);

	ms_error_destroy(err);
	return !err;
}

static long size_or_vmcoreinfo(struct ms_target *t, long v, const char *key)
{
	long long n;

	if (v < 0 && vmcoreinfo_number(t, key, &n))
		v = (long)n;
	return v;
}

static struct ms_error *resolve_members(struct ms_pageblocks *pb)
{
	struct ms_target *t = pb->t;

	pb->sec_size = size_or_vmcoreinfo(t, ms_struct_size(t, "mem_section"),
					  "SIZE(mem_section)");
	pb->map_off = size_or_vmcoreinfo(t, ms_member_offset(t, "mem_section", "section_mem_map"),
					 "OFFSET(mem_section.section_mem_map)");
	pb->usage_off = ms_member_offset(t, "mem_section", "usage");
	pb->old_flags_off = ms_member_offset(t, "mem_section", "pageblock_flags");
	pb->flags_off = ms_member_offset(t, "mem_section_usage", "pageblock_flags");
	pb->subsec_off = ms_member_offset(t, "mem_section_usage", "subsection_map");
	if (pb->sec_size <= 0 || pb->map_off < 0 ||
	    ((pb->usage_off < 0 || pb->flags_off < 0) && pb->old_flags_off < 0))
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve struct mem_section / mem_section_usage.pageblock_flags");
	if (pb->usage_off < 0)
		pb->subsec_off = -1;	/* pre-5.3: no usage, no subsections */
	return NULL;
}

static struct ms_error *resolve_geometry(struct ms_pageblocks *pb)
{
	struct ms_target *t = pb->t;
	long long bits, n;

	if (!vmcoreinfo_number(t, "NUMBER(SECTION_SIZE_BITS)", &bits)) {
		bits = MS_X86_64_SECTION_SIZE_BITS;
		ms_warn(t, "VMCOREINFO has no SECTION_SIZE_BITS: assuming x86_64's %lld", bits);
	}
	if (bits <= (long long)t->page_shift || bits - t->page_shift > 40 ||
	    pb->pageblock_order > (unsigned int)(bits - t->page_shift))
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "SECTION_SIZE_BITS %lld does not fit PAGE_SHIFT %u and pageblock order %u",
				       bits, t->page_shift, pb->pageblock_order);
	pb->section_shift = (unsigned int)(bits - t->page_shift);
	pb->per_root = pb->extreme ? ms_page_size(t) / (uint64_t)pb->sec_size : 1;
	if (!pb->per_root)
		return ms_error_create(MS_ERR_CORRUPT, "struct mem_section of %ld bytes",
				       pb->sec_size);
	if (vmcoreinfo_number(t, "NUMBER(MAX_PHYSMEM_BITS)", &n) && n > bits && n < 64)
		pb->nr_sections = 1ull << (n - bits);
	if (vmcoreinfo_number(t, "LENGTH(mem_section)", &n) && n > 0)
		pb->nr_roots = (uint64_t)n;
	else if (pb->nr_sections)
		pb->nr_roots = (pb->nr_sections + pb->per_root - 1) / pb->per_root;
	return NULL;
}

/*
 * VMCOREINFO's SYMBOL(name) as an address, false if absent.  The kernel writes
 * it "%lx": kernel addresses do not fit ms_vmcoreinfo_number()'s long long.
 */
static bool vmcoreinfo_symbol(struct ms_target *t, const char *key, uint64_t *v)
{
	struct ms_error *err;
	char buf[64], *end;

	err = ms_vmcoreinfo(t, key, buf, sizeof(buf));
	ms_error_destroy(err);
	if (err || !buf[0])
		return false;
	*v = strtoull(buf, &end, 16);
	return !*end;
}

/* Where the sections are: SPARSEMEM_EXTREME's root array, or the static array. */
static struct ms_error *resolve_mem_section(struct ms_pageblocks *pb)
{
	struct ms_target *t = pb->t;
	uint64_t sym, ptr = 0, vmci = 0;
	struct ms_error *err;
	bool have_vmci;

	if (!ms_has_symbol(t, "mem_section"))
		return ms_error_create(MS_ERR_LOOKUP, "no symbol mem_section (not a SPARSEMEM kernel?)");
	err = ms_symbol(t, "mem_section", &sym);
	if (err)
		return err;
	have_vmci = vmcoreinfo_symbol(t, "SYMBOL(mem_section)", &vmci);
	pb->extreme = !have_vmci || vmci != sym;
	if (!pb->extreme) {
		pb->mem_section = sym;
		return NULL;
	}
	err = ms_read_ptr(t, sym, &ptr);
	if (err) {
		if (!have_vmci)
			return ms_error_wrap(err, "cannot read mem_section");
		ms_error_destroy(err);		/* VMCOREINFO has the pointer's value */
		ptr = vmci;
	} else if (have_vmci && ptr != vmci) {
		ms_warn(t, "mem_section is %#llx, VMCOREINFO says %#llx: using the dump's",
			(unsigned long long)ptr, (unsigned long long)vmci);
	}
	pb->mem_section = ptr;		/* NULL: __nr_to_section() finds nothing */
	return NULL;
}

static void resolve_bits(struct ms_pageblocks *pb)
{
	struct ms_target *t = pb->t;
	long online = ms_enum_or(t, "SECTION_IS_ONLINE_BIT", 2);
	long nr_bits = ms_enum_or(t, "NR_PAGEBLOCK_BITS", 4);
	long first = ms_enum_or(t, "PB_migrate", 0), last = ms_enum_or(t, "PB_migrate_end", 2);
	uint64_t blocks = 1ull << (pb->section_shift - pb->pageblock_order);
	unsigned int wbits = 8 * t->word_size;

	if (online < 0 || online > 63)
		online = 2;
	/* A word holds whole blocks' bits only for a power of two up to its width. */
	if (nr_bits <= 0 || nr_bits > (long)wbits || (nr_bits & (nr_bits - 1)))
		nr_bits = 4;
	if (first < 0 || last < first || last >= nr_bits) {
		first = 0;
		last = 2;
	}
	pb->online_mask = 1ull << online;
	/* __section_mem_map_addr()'s mask (5.12-6.12: 5), and the struct page
	 * size: asked once, not for every pfn */
	pb->map_last_bit = ms_enum_or(t, "SECTION_MAP_LAST_BIT", 5);
	if (pb->map_last_bit < 2 || pb->map_last_bit > 12)
		pb->map_last_bit = -1;
	pb->page_size = ms_struct_size(t, "page");
	pb->nr_bits = (unsigned int)nr_bits;
	pb->mt_shift = (unsigned int)first;
	pb->mt_mask = (1ull << (last - first + 1)) - 1;	/* MIGRATETYPE_MASK */
	/* usemap_size(): BITS_TO_LONGS(SECTION_BLOCKFLAGS_BITS) longs */
	pb->bitmap_len = (size_t)((blocks * pb->nr_bits + wbits - 1) / wbits * t->word_size);
}

static void resolve_subsections(struct ms_pageblocks *pb)
{
	struct ms_target *t = pb->t;
	unsigned int sub_shift = MS_SUBSECTION_SHIFT - t->page_shift;
	long size;

	pb->subsec_len = 0;
	if (pb->subsec_off < 0 || pb->section_shift < sub_shift)
		return;
	size = ms_member_size(t, "mem_section_usage", "subsection_map");
	/* SUBSECTIONS_PER_SECTION bits, rounded up to longs */
	if (size <= 0 || (uint64_t)size * 8 < 1ull << (pb->section_shift - sub_shift)) {
		ms_warn(t, "mem_section_usage.subsection_map is %ld bytes, not %llu subsections: not checked",
			size, 1ull << (pb->section_shift - sub_shift));
		return;
	}
	pb->subsec_len = (size_t)size;
	pb->subsec_shift = sub_shift;
}

struct ms_error *ms_pageblocks_open(struct ms_target *t, unsigned int pageblock_order,
				    struct ms_pageblocks **pbp)
{
	struct ms_pageblocks *pb = calloc(1, sizeof(*pb));
	struct ms_error *err;

	*pbp = NULL;
	if (!pb)
		return &ms_error_nomem;
	pb->t = t;
	pb->pageblock_order = pageblock_order;
	err = resolve_members(pb);
	if (!err)
		err = resolve_mem_section(pb);
	if (!err)
		err = resolve_geometry(pb);
	if (err) {
		ms_pageblocks_close(pb);
		return err;
	}
	resolve_bits(pb);
	resolve_subsections(pb);
	pb->bitmap = malloc(pb->bitmap_len);
	pb->subsec = malloc(pb->subsec_len ? pb->subsec_len : 1);
	if (!pb->bitmap || !pb->subsec) {
		ms_pageblocks_close(pb);
		return &ms_error_nomem;
	}
	*pbp = pb;
	return NULL;
}

void ms_pageblocks_close(struct ms_pageblocks *pb)
{
	if (!pb)
		return;
	free(pb->bitmap);
	free(pb->subsec);
	free(pb);
}

/* __nr_to_section(): the section's address, or 0 where the kernel finds NULL. */
static struct ms_error *section_addr(struct ms_pageblocks *pb, uint64_t nr, uint64_t *addr)
{
	uint64_t root_nr = nr / pb->per_root;
	struct ms_error *err;

	*addr = 0;
	if (pb->nr_roots && root_nr >= pb->nr_roots)
		return NULL;
	if (!pb->extreme) {
		*addr = pb->mem_section + nr * (uint64_t)pb->sec_size;
		return NULL;
	}
	if (!pb->mem_section)
		return NULL;
	if (!pb->root_cached || pb->root_nr != root_nr) {
		err = ms_read_ptr(pb->t, pb->mem_section + (uint64_t)pb->t->word_size * root_nr,
				  &pb->root);
		if (err)
			return ms_error_wrap(err, "cannot read mem_section[%llu]",
					     (unsigned long long)root_nr);
		pb->root_nr = root_nr;
		pb->root_cached = true;
	}
	if (pb->root)
		*addr = pb->root + (nr % pb->per_root) * (uint64_t)pb->sec_size;
	return NULL;
}

/* Read section sec's flags, subsection map and pageblock bitmap. */
static struct ms_error *read_section(struct ms_pageblocks *pb, uint64_t sec, bool *online)
{
	struct ms_target *t = pb->t;
	uint64_t map, usage = 0, bitmap = 0;
	struct ms_error *err;

	*online = false;
	err = ms_read_ptr(t, sec + pb->map_off, &map);
	pb->sec_map = err ? 0 : map;
	if (err || !(map & pb->online_mask))		/* online_section() */
		return err;
	if (pb->usage_off >= 0) {
		err = ms_read_ptr(t, sec + pb->usage_off, &usage);
		if (!err && !usage)
			err = ms_error_create(MS_ERR_CORRUPT, "an online section without usage");
		bitmap = usage + pb->flags_off;
		if (!err && pb->subsec_len)
			err = ms_read(t, usage + pb->subsec_off, pb->subsec, pb->subsec_len);
	} else {
		err = ms_read_ptr(t, sec + pb->old_flags_off, &bitmap);
	}
	if (!err)
		err = ms_read(t, bitmap, pb->bitmap, pb->bitmap_len);
	*online = !err;
	return err;
}

static enum ms_pfn_state load_section(struct ms_pageblocks *pb, uint64_t nr)
{
	struct ms_error *err;
	uint64_t sec;
	bool online;

	if (pb->nr_sections && nr >= pb->nr_sections)
		return MS_PFN_OFFLINE;
	err = section_addr(pb, nr, &sec);
	if (err) {
		ms_warn_error(pb->t, err, "mem_section %llu", (unsigned long long)nr);
		return MS_PFN_UNREADABLE;
	}
	if (!sec)
		return MS_PFN_OFFLINE;
	err = read_section(pb, sec, &online);
	if (err) {
		ms_warn_error(pb->t, err, "mem_section %llu: cannot read its flags, usage or pageblock bitmap",
			      (unsigned long long)nr);
		return MS_PFN_UNREADABLE;
	}
	return online ? MS_PFN_ONLINE : MS_PFN_OFFLINE;
}

/* pfn_to_online_page() up to the memmap: the section online, the subsection valid. */
static enum ms_pfn_state online_pfn(struct ms_pageblocks *pb, uint64_t pfn)
{
	uint64_t nr = pfn >> pb->section_shift, off = pfn & ((1ull << pb->section_shift) - 1);

	if (!pb->sec_cached || pb->sec_nr != nr) {
		pb->sec_state = load_section(pb, nr);
		pb->sec_nr = nr;
		pb->sec_cached = true;
	}
	if (pb->sec_state != MS_PFN_ONLINE)
		return pb->sec_state;
	if (pb->subsec_len) {			/* pfn_section_valid() */
		uint64_t idx = off >> pb->subsec_shift;

		if (!(pb->subsec[idx / 8] & (1u << (idx % 8))))
			return MS_PFN_OFFLINE;
	}
	return MS_PFN_ONLINE;
}

struct ms_error *ms_pageblock_section(struct ms_pageblocks *pb, uint64_t pfn, uint64_t *sec)
{
	uint64_t nr = pfn >> pb->section_shift;

	*sec = 0;
	if (pb->nr_sections && nr >= pb->nr_sections)
		return NULL;
	return section_addr(pb, nr, sec);
}

unsigned int ms_pageblock_section_shift(const struct ms_pageblocks *pb)
{
	return pb->section_shift;
}

enum ms_pfn_state ms_pageblock_page(struct ms_pageblocks *pb, uint64_t pfn, uint64_t *page)
{
	enum ms_pfn_state st = online_pfn(pb, pfn);

	if (st != MS_PFN_ONLINE)
		return st;
	/* __section_mem_map_addr(): section_mem_map & SECTION_MAP_MASK is the
	 * encoded memmap, mem_map - section_nr_to_pfn(nr); + pfn is pfn's page */
	if (pb->map_last_bit < 0 || pb->page_size <= 0)
		return MS_PFN_UNREADABLE;
	*page = (pb->sec_map & ~((1ull << pb->map_last_bit) - 1)) + pfn * (uint64_t)pb->page_size;
	return MS_PFN_ONLINE;
}

enum ms_pfn_state ms_pageblock_migratetype(struct ms_pageblocks *pb, uint64_t pfn,
					   unsigned int *mt)
{
	uint64_t off = pfn & ((1ull << pb->section_shift) - 1);
	unsigned int wbits = 8 * pb->t->word_size;
	uint64_t bitidx, word;
	enum ms_pfn_state st = online_pfn(pb, pfn);

	if (st != MS_PFN_ONLINE)
		return st;
	bitidx = (off >> pb->pageblock_order) * pb->nr_bits;
	/* get_pfnblock_flags_mask(): one unsigned long word of the bitmap */
	word = ms_get_ptr(pb->t, pb->bitmap, (long)(bitidx / wbits * pb->t->word_size));
	*mt = (unsigned int)((word >> (bitidx % wbits + pb->mt_shift)) & pb->mt_mask);
	return MS_PFN_ONLINE;
}
