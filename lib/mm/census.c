/*
 * census.c - a census of every page (see census.h).
 *
 * The pfns are walked from 0 to max_pfn, section by section, through
 * pageblock.c (the owner of mem_section): pfn_to_online_page() decides which
 * pfns have a struct page, __section_mem_map_addr() + pfn gives it.  Each
 * section's memmap is read in chunks of MS_CENSUS_CHUNK struct pages.
 *
 * A page is classified the way include/linux/page-flags.h tests it:
 *   PageBuddy(), PageTable(), PageOffline(), PageGuard()   page_type
 *     before 6.11: (page_type & (PAGE_TYPE_BASE | PG_x)) == PAGE_TYPE_BASE
 *     6.11+:       page_type >> 24 == PGTY_x (enum pagetype), with
 *                  PGTY_slab, PGTY_hugetlb, PGTY_zsmalloc
 *   PageSlab()       PG_slab before 6.10
 *   PageHuge()       6.1: page[1].compound_dtor == HUGETLB_PAGE_DTOR
 *   PageTail()       compound_head & 1; the tail counts with its head
 *   folio_is_file_lru() !PG_swapbacked; PageAnon() mapping & PAGE_MAPPING_ANON
 * A free buddy block is its head with the type and the order in
 * page->private (buddy_order()), then 2^order - 1 pages without a type.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "census.h"
#include "census_owners.h"
#include "grow.h"
#include "meminfo.h"
#include "pageblock.h"
#include "zone.h"

#define MS_CENSUS_CHUNK 4096		/* struct pages per read: 256 KiB of memmap */
#define MS_PAGE_MAPPING_ANON 0x1	/* include/linux/page-flags.h, every era */
#define MS_CENSUS_MAX_PFN (1ull << 40)	/* 4 PiB of 4 KiB pages: a bound on the walk */

static const char *const names[MS_CC_NR][2] = {
	[MS_CC_BUDDY] = { "free (buddy)", "buddy" },
	[MS_CC_PCP] = { "free (per-cpu lists)", "pcp" },
	[MS_CC_REF0] = { "allocated, refcount 0", "ref0" },
	[MS_CC_SLAB] = { "slab", "slab" },
	[MS_CC_LRU_ANON] = { "LRU anon", "lru_anon" },
	[MS_CC_LRU_SHMEM] = { "LRU shmem", "lru_shmem" },
	[MS_CC_LRU_FILE] = { "LRU file", "lru_file" },
	[MS_CC_UNEVICTABLE] = { "LRU unevictable", "unevictable" },
	[MS_CC_PAGETABLE] = { "page tables", "pagetable" },
	[MS_CC_HUGETLB] = { "hugetlb", "hugetlb" },
	[MS_CC_RESERVED] = { "reserved", "reserved" },
	[MS_CC_OFFLINE] = { "offline / balloon", "offline" },
	[MS_CC_ZSMALLOC] = { "zsmalloc", "zsmalloc" },
	[MS_CC_OTHER_TYPE] = { "other page type", "other_type" },
	[MS_CC_VMALLOC] = { "vmalloc", "vmalloc" },
	[MS_CC_KSTACK] = { "kernel stacks", "kstack" },
	[MS_CC_PIPE] = { "pipe buffers", "pipe" },
	[MS_CC_SOCKET] = { "socket buffers", "socket" },
	[MS_CC_PGT_UPPER] = { "page tables, upper", "pgtable_upper" },
	[MS_CC_NO_OWNER] = { "allocated, no owner type", "no_owner" },
	[MS_CC_TAIL_ORPHAN] = { "tail, head not seen", "tail_orphan" },
	[MS_CC_UNREADABLE] = { "struct page unreadable", "unreadable" },
};

const char *ms_census_class_name(enum ms_census_class c)
{
	return c < MS_CC_NR ? names[c][0] : "?";
}

const char *ms_census_class_key(enum ms_census_class c)
{
	return c < MS_CC_NR ? names[c][1] : "?";
}

/* enum pageflags by name; the fallback is 6.1's x86_64 numbering. */
static int pageflag(struct ms_target *t, const char *name, int fallback)
{
	long v = ms_enum_or(t, name, -1);

	return v >= 0 && v < 64 ? (int)v : fallback;
}

/* A 6.1 page type bit from VMCOREINFO's ~PG_x, else the #define's value. */
static uint32_t type_bit(struct ms_target *t, const char *key, uint32_t fallback)
{
	struct ms_error *err;
	long long v;

	err = ms_vmcoreinfo_number(t, key, &v);
	if (!err)
		return ~(uint32_t)v;
	ms_error_destroy(err);
	return fallback;
}

struct ms_error *ms_page_layout_get(struct ms_target *t, struct ms_page_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->size = ms_struct_size(t, "page");
	l->flags = ms_member_offset(t, "page", "flags");
	l->refcount = ms_member_offset(t, "page", "_refcount");
	l->page_type = ms_member_offset(t, "page", "page_type");
	l->private_ = ms_member_offset(t, "page", "private");
	l->mapping = ms_member_offset(t, "page", "mapping");
	l->compound_head = ms_member_offset(t, "page", "compound_head");
	l->compound_dtor = ms_member_offset(t, "page", "compound_dtor");
	l->hugetlb_dtor = ms_enum_or(t, "HUGETLB_PAGE_DTOR", -1);
	if (l->size <= 0 || l->flags < 0 || l->refcount < 0 || l->page_type < 0 ||
	    l->private_ < 0 || l->mapping < 0 || l->compound_head < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct page (flags, _refcount, "
				       "page_type, private, mapping, compound_head)");
	/* 6.1 x86_64 fallbacks: include/linux/page-flags.h enum pageflags */
	l->pg_lru = pageflag(t, "PG_lru", 4);
	l->pg_active = pageflag(t, "PG_active", 5);
	l->pg_reserved = pageflag(t, "PG_reserved", 12);
	l->pg_head = pageflag(t, "PG_head", 16);
	l->pg_swapbacked = pageflag(t, "PG_swapbacked", 19);
	l->pg_unevictable = pageflag(t, "PG_unevictable", 20);
	l->pgty = ms_has_enum(t, "PGTY_buddy");
	/* PG_slab left enum pageflags in 6.10 for the slab page type */
	l->pg_slab = l->pgty ? -1 : (int)ms_enum_or(t, "PG_slab", -1);
	if (l->pgty) {
		l->ty_buddy = (uint32_t)ms_enum_or(t, "PGTY_buddy", 0xf0);
		l->ty_offline = (uint32_t)ms_enum_or(t, "PGTY_offline", 0xf1);
		l->ty_table = (uint32_t)ms_enum_or(t, "PGTY_table", 0xf2);
		l->ty_guard = (uint32_t)ms_enum_or(t, "PGTY_guard", 0xf3);
		l->ty_hugetlb = (uint32_t)ms_enum_or(t, "PGTY_hugetlb", 0xf4);
		l->ty_slab = (uint32_t)ms_enum_or(t, "PGTY_slab", 0xf5);
		l->ty_zsmalloc = (uint32_t)ms_enum_or(t, "PGTY_zsmalloc", 0xf6);
		l->ty_unaccepted = (uint32_t)ms_enum_or(t, "PGTY_unaccepted", 0xf7);
	} else {
		/* #defines in 5.x-6.10, not in debug info: PAGE_TYPE_BASE 0xf0000000,
		 * PG_buddy 0x80, PG_offline 0x100, PG_table 0x200, PG_guard 0x400 */
		l->ty_base = 0xf0000000u;
		l->ty_buddy = type_bit(t, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", 0x80);
		l->ty_offline = type_bit(t, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)", 0x100);
		l->ty_table = 0x200;
		l->ty_guard = 0x400;
		if (l->pg_slab < 0)
			l->pg_slab = 9;
	}
	/* MAX_ORDER (6.1: 11 orders, 0..10); NR_PAGE_ORDERS on 6.12: the same */
	l->max_order = 10;
	{
		long fa = ms_member_size(t, "zone", "free_area"), one = ms_struct_size(t, "free_area");

		if (fa > 0 && one > 0 && fa / one >= 1 && fa / one <= 64)
			l->max_order = (unsigned int)(fa / one) - 1;
	}
	return NULL;
}

static bool has_type(const struct ms_page_layout *l, uint32_t pt, uint32_t ty)
{
	if (!ty)
		return false;
	if (l->pgty)
		return (pt >> 24) == ty;
	return (pt & (l->ty_base | ty)) == l->ty_base;
}

static bool bit(uint64_t flags, int nr)
{
	return nr >= 0 && nr < 64 && (flags >> nr) & 1;
}

enum ms_census_class ms_census_classify(const struct ms_target *t, const struct ms_page_layout *l,
					struct ms_census_walk *w, uint64_t addr,
					const unsigned char *pg, const unsigned char *next)
{
	uint64_t flags = ms_get_uint(t, pg, l->flags, t->word_size);
	uint64_t ch = ms_get_uint(t, pg, l->compound_head, t->word_size);
	uint32_t pt = (uint32_t)ms_get_uint(t, pg, l->page_type, 4);
	int32_t ref = (int32_t)ms_get_uint(t, pg, l->refcount, 4);
	enum ms_census_class c;

	if (w->buddy_left) {			/* inside a free block: no type, no flags */
		w->buddy_left--;
		return MS_CC_BUDDY;
	}
	if (ch & 1) {				/* PageTail(): compound_head - 1 is the head */
		if (w->head && ch - 1 == w->head)
			return w->head_class;
		return MS_CC_TAIL_ORPHAN;
	}
	if (has_type(l, pt, l->ty_buddy)) {
		uint64_t order = ms_get_uint(t, pg, l->private_, t->word_size);

		if (order > l->max_order) {
			w->corrupt++;
			return MS_CC_BUDDY;
		}
		w->buddy_left = (1ull << order) - 1;
		return MS_CC_BUDDY;
	}
	if (has_type(l, pt, l->ty_slab) || bit(flags, l->pg_slab))
		c = MS_CC_SLAB;
	else if (has_type(l, pt, l->ty_table))
		c = MS_CC_PAGETABLE;
	else if (has_type(l, pt, l->ty_hugetlb))
		c = MS_CC_HUGETLB;
	else if (has_type(l, pt, l->ty_offline))
		c = MS_CC_OFFLINE;
	else if (has_type(l, pt, l->ty_zsmalloc))
		c = MS_CC_ZSMALLOC;
	else if (has_type(l, pt, l->ty_guard) || has_type(l, pt, l->ty_unaccepted))
		c = MS_CC_OTHER_TYPE;
	else if (bit(flags, l->pg_head) && next && l->compound_dtor >= 0 && l->hugetlb_dtor >= 0 &&
		 ms_get_uint(t, next, l->compound_dtor, 1) == (uint64_t)l->hugetlb_dtor)
		c = MS_CC_HUGETLB;		/* 6.1 PageHuge(): folio_test_hugetlb() */
	else if (bit(flags, l->pg_reserved))
		c = MS_CC_RESERVED;
	else if (bit(flags, l->pg_lru)) {
		uint64_t mapping = ms_get_uint(t, pg, l->mapping, t->word_size);

		if (bit(flags, l->pg_unevictable))
			c = MS_CC_UNEVICTABLE;
		else if (!bit(flags, l->pg_swapbacked))
			c = MS_CC_LRU_FILE;
		else
			c = (mapping & MS_PAGE_MAPPING_ANON) ? MS_CC_LRU_ANON : MS_CC_LRU_SHMEM;
	} else if (ref == 0)
		c = MS_CC_PCP;
	else
		c = MS_CC_NO_OWNER;
	if (bit(flags, l->pg_head)) {
		w->head = addr;
		w->head_class = c;
	}
	return c;
}

/* The kernel's counters for the classes that have one, in pages. */
static void counters(struct ms_target *t, struct ms_census *c)
{
	struct ms_meminfo *mi = calloc(1, sizeof(*mi));
	unsigned int kb_shift = t->page_shift - 10;
	struct ms_error *err;

	if (!mi)
		return;
	err = ms_meminfo_read(t, -1, mi);
	if (err) {
		ms_warn_error(t, err, "meminfo: the census is not compared with the counters");
		free(mi);
		return;
	}
#define KB(i) (mi->state[i] == MS_MI_UNKNOWN ? 0 : mi->val[i] >> kb_shift)
#define SET(cls, v, ok) do { c->ctr[cls] = (v); c->ctr_ok[cls] = (ok); } while (0)
#define OK(i) (mi->state[i] != MS_MI_UNKNOWN)
	SET(MS_CC_BUDDY, KB(MS_MI_MEMFREE), OK(MS_MI_MEMFREE));
	SET(MS_CC_PCP, mi->extra.pcp_free, mi->extra.pcp_ok);
	SET(MS_CC_SLAB, KB(MS_MI_SLAB), OK(MS_MI_SLAB));
	SET(MS_CC_LRU_FILE, KB(MS_MI_ACTIVE_FILE) + KB(MS_MI_INACTIVE_FILE),
	    OK(MS_MI_ACTIVE_FILE) && OK(MS_MI_INACTIVE_FILE));
	/* anon LRU counts shmem too (folio_is_file_lru() is !swapbacked) */
	SET(MS_CC_LRU_ANON, KB(MS_MI_ACTIVE_ANON) + KB(MS_MI_INACTIVE_ANON),
	    OK(MS_MI_ACTIVE_ANON) && OK(MS_MI_INACTIVE_ANON));
	SET(MS_CC_LRU_SHMEM, KB(MS_MI_SHMEM), OK(MS_MI_SHMEM));
	SET(MS_CC_UNEVICTABLE, KB(MS_MI_UNEVICTABLE), OK(MS_MI_UNEVICTABLE));
	SET(MS_CC_PAGETABLE, KB(MS_MI_PAGETABLES), OK(MS_MI_PAGETABLES));
	/* KernelStack is the live threads' stacks; with VMAP_STACK they are
	 * vmalloc pages too, so the vmalloc class is VmallocUsed less them. */
	if (c->owners_ok) {
		bool vs = mi->extra.vmap_stack;

		SET(MS_CC_KSTACK, KB(MS_MI_KERNELSTACK), vs && OK(MS_MI_KERNELSTACK));
		SET(MS_CC_VMALLOC, KB(MS_MI_VMALLOCUSED) - (vs ? KB(MS_MI_KERNELSTACK) : 0),
		    OK(MS_MI_VMALLOCUSED) && (!vs || OK(MS_MI_KERNELSTACK)));
	}
	SET(MS_CC_HUGETLB, (OK(MS_MI_HUGEPAGES_TOTAL) ? mi->val[MS_MI_HUGEPAGES_TOTAL] : 0) *
	    (KB(MS_MI_HUGEPAGESIZE)), OK(MS_MI_HUGEPAGES_TOTAL) && OK(MS_MI_HUGEPAGESIZE));
	c->memtotal = KB(MS_MI_MEMTOTAL);
	c->memtotal_ok = OK(MS_MI_MEMTOTAL);
#undef KB
#undef SET
#undef OK
	free(mi);
}

/* The blocks on the per-cpu lists, by struct page address. */
struct pcp_blocks {
	size_t nr, cap;
	struct pcp_block {
		uint64_t page;
		unsigned int order;
	} *v;
};

static struct ms_error *pcp_add(uint64_t page, unsigned int order, void *arg)
{
	struct pcp_blocks *b = arg;

	struct pcp_block *v = ms_grow(b->v, &b->cap, b->nr, sizeof(*v), 1024);

	if (!v)
		return &ms_error_nomem;
	b->v = v;
	b->v[b->nr].page = page;
	b->v[b->nr].order = order;
	b->nr++;
	return NULL;
}

static int by_block(const void *a, const void *b)
{
	const struct pcp_block *x = a, *y = b;

	return x->page < y->page ? -1 : x->page > y->page;
}

/* Every zone's per-cpu blocks; c->pcp_walked false (and why) if unknown. */
static struct ms_error *pcp_read(struct ms_target *t, struct ms_census *c, struct pcp_blocks *b)
{
	const struct ms_kernel *k;
	const struct ms_zone_layout *zl;
	struct ms_error *err = ms_kernel_get(t, &k);
	uint64_t seen = 0, count = 0;

	if (!err)
		err = ms_zone_layout(t, &zl);
	if (err)
		goto fail;
	c->pcp_complete = true;
	for (unsigned int n = 0; n < k->nr_nodes; n++)
		for (unsigned int z = 0; z < k->nr_zones; z++) {
			uint64_t pages, cnt;

			err = ms_zone_pcp_walk(t, k, zl, ms_zone_addr(k, n, z), pcp_add, b, &pages,
					       &cnt);
			seen += pages;
			count += cnt;
			if (ms_error_is(err, MS_ERR_NOMEM))
				return err;
			if (ms_error_is(err, MS_ERR_LOOKUP))
				goto fail;
			if (err && c->pcp_complete)
				snprintf(c->pcp_why, sizeof(c->pcp_why), "%s", ms_error_string(err));
			if (err)
				c->pcp_complete = false;
			ms_error_destroy(err);
		}
	if (c->pcp_complete && seen != count) {
		snprintf(c->pcp_why, sizeof(c->pcp_why), "the lists hold %llu pages, their counts "
			 "say %llu", (unsigned long long)seen, (unsigned long long)count);
		c->pcp_complete = false;
	}
	c->pcp_walked = true;
	if (b->nr)
		qsort(b->v, b->nr, sizeof(*b->v), by_block);
	return NULL;
fail:
	snprintf(c->pcp_why, sizeof(c->pcp_why), "%s", ms_error_string(err));
	ms_error_destroy(err);
	c->pcp_walked = c->pcp_complete = false;
	b->nr = 0;
	return NULL;
}

static const struct pcp_block *pcp_find(const struct pcp_blocks *b, uint64_t page)
{
	struct pcp_block key = { .page = page };

	return b->nr ? bsearch(&key, b->v, b->nr, sizeof(*b->v), by_block) : NULL;
}

/* The census, and who is told each pfn's class. */
struct tally {
	struct ms_census *c;
	ms_census_each_fn each;
	void *arg;
};

static void count(struct tally *ty, uint64_t pfn, enum ms_census_class cls)
{
	ty->c->cls[cls]++;
	if (ty->each && cls != MS_CC_UNREADABLE)
		ty->each(ty->arg, pfn, cls);
}

struct ms_error *ms_census_read(struct ms_target *t, struct ms_census *c,
				void (*progress)(void *arg, uint64_t done, uint64_t total),
				void *arg)
{
	return ms_census_read_each(t, c, progress, arg, NULL, NULL);
}

struct ms_error *ms_census_read_each(struct ms_target *t, struct ms_census *c,
				     void (*progress)(void *arg, uint64_t done, uint64_t total),
				     void *arg, ms_census_each_fn each, void *each_arg)
{
	struct tally ty = { c, each, each_arg };
	struct ms_page_layout l;
	struct ms_census_walk w = { 0 };
	struct ms_pageblocks *pb = NULL;
	struct ms_census_owners owners = { 0 };
	struct pcp_blocks pcp = { 0 };
	uint64_t pcp_left = 0;
	unsigned char *buf = NULL, *one = NULL;
	uint64_t max_pfn = 0, secpages;
	struct ms_error *err;
	bool warned = false;

	memset(c, 0, sizeof(*c));
	c->complete = true;
	err = ms_page_layout_get(t, &l);
	if (!err)
		err = ms_read_sym_uint(t, "max_pfn", t->word_size, &max_pfn);
	if (!err && (max_pfn == 0 || max_pfn > MS_CENSUS_MAX_PFN))
		err = ms_error_create(MS_ERR_CORRUPT, "max_pfn %llu", (unsigned long long)max_pfn);
	if (!err)
		err = ms_pageblocks_open(t, 9, &pb);	/* the migratetypes are not used */
	if (err)
		return ms_error_wrap(err, "cannot walk the memmap");
	/* Who owns the pages with no type: the vmalloc areas and the stacks,
	 * the pipes, the upper page tables, the socket buffers. */
	err = ms_census_owners_read(t, &owners);
	if (err)
		goto out;
	c->owners_ok = owners.vmalloc_ok;
	c->owners_complete = owners.complete;
	snprintf(c->owners_why, sizeof(c->owners_why), "%s", owners.why);
	err = pcp_read(t, c, &pcp);
	if (err)
		goto out;
	c->max_pfn = max_pfn;
	secpages = 1ull << ms_pageblock_section_shift(pb);
	buf = malloc((size_t)l.size * MS_CENSUS_CHUNK);
	one = malloc((size_t)l.size * 2);
	if (!buf || !one) {
		err = &ms_error_nomem;
		goto out;
	}
	for (uint64_t pfn = 0; pfn < max_pfn;) {
		uint64_t n = MS_CENSUS_CHUNK, page0;
		enum ms_pfn_state st;
		bool chunk_ok;

		if (progress && pfn % secpages == 0)
			progress(arg, pfn, max_pfn);
		/* a chunk never crosses a section: its memmap is contiguous */
		if (n > secpages - pfn % secpages)
			n = secpages - pfn % secpages;
		if (n > max_pfn - pfn)
			n = max_pfn - pfn;
		st = ms_pageblock_page(pb, pfn, &page0);
		chunk_ok = false;
		{
			/* the chunk's first online pfn gives the memmap's base */
			uint64_t base = 0, i0 = n;

			for (uint64_t i = 0; i < n; i++)
				if (ms_pageblock_page(pb, pfn + i, &base) == MS_PFN_ONLINE) {
					i0 = i;
					break;
				}
			if (i0 == n) {
				/* nothing online: an unreadable section counts its pfns */
				if (st == MS_PFN_UNREADABLE) {
					c->cls[MS_CC_UNREADABLE] += n;
					c->pfns += n;
					c->complete = false;
				}
				pfn += n;
				continue;
			}
			page0 = base - i0 * (uint64_t)l.size;
			err = ms_read(t, page0, buf, (size_t)l.size * n);
			if (!err)
				chunk_ok = true;
			else {
				if (!warned)
					ms_warn_error(t, err, "memmap at %#llx: read page by page",
						      (unsigned long long)page0);
				else
					ms_error_destroy(err);
				warned = true;
				err = NULL;
			}
		}
		for (uint64_t i = 0; i < n; i++) {
			uint64_t addr;
			const unsigned char *pg, *next = NULL;
			enum ms_census_class cls, owned;

			st = ms_pageblock_page(pb, pfn + i, &addr);
			if (st == MS_PFN_OFFLINE)
				continue;
			c->pfns++;
			if (st == MS_PFN_UNREADABLE) {
				count(&ty, pfn + i, MS_CC_UNREADABLE);
				c->complete = false;
				continue;
			}
			if (chunk_ok) {
				pg = buf + i * (uint64_t)l.size;
				if (i + 1 < n)
					next = pg + l.size;
			} else {
				struct ms_error *e = ms_read(t, addr, one, (size_t)l.size);

				if (e) {
					ms_error_destroy(e);
					count(&ty, pfn + i, MS_CC_UNREADABLE);
					c->complete = false;
					continue;
				}
				pg = one;
			}
			if (!next && l.compound_dtor >= 0) {
				/* 6.1's PageHuge() reads page[1]; only for a head */
				struct ms_error *e = ms_read(t, addr + l.size, one + l.size, (size_t)l.size);

				if (!e)
					next = one + l.size;
				ms_error_destroy(e);
			}
			if (pcp_left) {		/* inside a per-cpu block */
				pcp_left--;
				count(&ty, pfn + i, MS_CC_PCP);
				continue;
			}
			cls = ms_census_classify(t, &l, &w, addr, pg, next);
			if (cls == MS_CC_PCP && c->pcp_walked) {
				const struct pcp_block *pb = pcp_find(&pcp, addr);

				if (pb)
					pcp_left = (1ull << pb->order) - 1;
				else
					cls = MS_CC_REF0;
			}
			if ((cls == MS_CC_NO_OWNER || cls == MS_CC_REF0) &&
			    (owned = ms_census_owner_of(&owners, addr, pfn + i)) != MS_CC_NR) {
				cls = owned;
				if (w.head == addr)	/* a compound head: its tails follow */
					w.head_class = owned;
			}
			count(&ty, pfn + i, cls);
		}
		pfn += n;
	}
	c->corrupt = w.corrupt;
	counters(t, c);
	if (!c->complete)
		snprintf(c->why, sizeof(c->why), "%llu struct pages could not be read",
			 (unsigned long long)c->cls[MS_CC_UNREADABLE]);
out:
	free(buf);
	free(one);
	ms_census_owners_free(&owners);
	free(pcp.v);
	ms_pageblocks_close(pb);
	return err;
}
