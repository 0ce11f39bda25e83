/*
 * pgtable_upper.h - the upper levels of each process's page tables (PGD,
 * P4D, PUD), walked from mm->pgd, and which of them NR_PAGETABLE (meminfo's
 * PageTables) does not count: memory no counter accounts for.
 *
 * Which levels NR_PAGETABLE counts, x86_64 (checked in Debian's 6.1.0-55 and
 * 6.12.117 sources):
 *   - PTE and PMD pages: always, through pgtable_pte_page_ctor() and
 *     pgtable_pmd_page_ctor() (6.1), pagetable_pte_ctor() and
 *     pagetable_pmd_ctor() (6.12), which add the page to NR_PAGETABLE.
 *   - PUD pages: not in 6.1 (asm-generic __pud_alloc_one() is a bare
 *     get_zeroed_page()); counted in 6.12 (__pud_alloc_one_noprof() calls
 *     pagetable_pud_ctor(), lruvec_stat_add_folio(folio, NR_PAGETABLE)).
 *     The era is told by the type struct ptdesc, which came with the
 *     pagetable_*_ctor() family; 6.2 - 6.11 are unverified.
 *   - P4D pages (5-level paging only): never; x86 p4d_alloc_one() is a bare
 *     get_zeroed_page() in both.
 *   - The PGD: never; x86 pgd_alloc() -> _pgd_alloc() takes
 *     __get_free_pages(GFP_PGTABLE_USER, PGD_ALLOCATION_ORDER), order 1
 *     (two pages, the kernel and the user copy) in a kernel built with
 *     page-table isolation (CONFIG_PAGE_TABLE_ISOLATION, 6.12's
 *     CONFIG_MITIGATION_PAGE_TABLE_ISOLATION: Debian's), PTI on or off.
 * mm_pgtables_bytes() (VmPTE) counts PTE, PMD and PUD pages (mm_inc_nr_puds()
 * in __pud_alloc()), never the PGD or P4D.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PGTABLE_UPPER_H
#define MEMSCOPE_PGTABLE_UPPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasks.h"

struct ms_pgt_era {
	uint64_t page_offset;		/* page_offset_base: the direct map */
	uint64_t sme_mask;		/* VMCOREINFO NUMBER(sme_mask), cleared from entries */
	bool l5;			/* 5-level paging (pgtable_l5_enabled) */
	bool pti;			/* built with page-table isolation: a PGD of order 1 */
	bool pud_counted;		/* NR_PAGETABLE counts PUD pages (pagetable_pud_ctor) */
};

/* Pages of one mm's upper levels. */
struct ms_pgt_upper {
	uint64_t pgd, p4d, pud;
	bool complete;			/* every table was read */
};

struct ms_pgt_totals {
	size_t nr_mm;			/* distinct mms walked */
	uint64_t pgd, p4d, pud;		/* pages */
	uint64_t uncounted;		/* pages of the levels NR_PAGETABLE does not count */
	bool complete;			/* every mm walked to its end */
};

/* The era of t: NULL, or the look-up that leaves no walk (no page_offset_base). */
struct ms_error *ms_pgt_era_get(struct ms_target *t, struct ms_pgt_era *e);

/* The upper levels under pgd (a kernel address, mm->pgd): NULL, or the error
 * that stopped the walk (out says what was counted before it). */
struct ms_error *ms_pgt_upper_read(struct ms_target *t, const struct ms_pgt_era *e, uint64_t pgd,
				   struct ms_pgt_upper *out);

/* The same walk, telling sink each table page's pfn (the PGD's two with PTI,
 * every P4D and PUD page); sink may be NULL. */
enum ms_pgt_level { MS_PGT_PGD, MS_PGT_P4D, MS_PGT_PUD };
typedef void ms_pgt_sink(void *arg, uint64_t pfn, enum ms_pgt_level level);
struct ms_error *ms_pgt_upper_pages(struct ms_target *t, const struct ms_pgt_era *e, uint64_t pgd,
				    struct ms_pgt_upper *out, ms_pgt_sink *sink, void *arg);

/* Pages of u that NR_PAGETABLE does not count in era e. */
static inline uint64_t ms_pgt_uncounted(const struct ms_pgt_era *e, const struct ms_pgt_upper *u)
{
	return u->pgd + u->p4d + (e->pud_counted ? 0 : u->pud);
}

/* Every process of ts with an mm (an mm shared by processes counted once, with
 * the first): per[i] for ts->v[i] if per is not NULL (zero for a process
 * without mm or a repeated one), and the totals.  NULL, or the era's error;
 * an mm that cannot be walked is warned about on t->errf and makes the
 * totals incomplete. */
struct ms_error *ms_pgt_upper_tasks(struct ms_target *t, const struct ms_tasks *ts,
				    struct ms_pgt_era *e, struct ms_pgt_upper *per,
				    struct ms_pgt_totals *tot);
/* The same, telling sink every table page of every mm walked. */
struct ms_error *ms_pgt_upper_tasks_pages(struct ms_target *t, const struct ms_tasks *ts,
					  struct ms_pgt_era *e, struct ms_pgt_upper *per,
					  struct ms_pgt_totals *tot, ms_pgt_sink *sink, void *arg);

#endif
