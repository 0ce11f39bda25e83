/*
 * pgtable_upper.c - see pgtable_upper.h.  x86_64 only: the entry layout is
 * the architecture's (arch/x86/include/asm/pgtable_types.h): _PAGE_PRESENT
 * is bit 0, _PAGE_NX bit 63, the table's physical address bits 12 to
 * __PHYSICAL_MASK_SHIFT - 1 (52), less the memory-encryption mask.  A table
 * is read through the direct map (page_offset_base + physical address), as
 * the kernel's own pgd_page_vaddr() / p4d_pgtable() do.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "pgtable_upper.h"

#define X86_PAGE_PRESENT	1ull

#define X86_PHYSICAL_MASK_SHIFT	52	/* __PHYSICAL_MASK_SHIFT, x86_64 */
#define MAX_TABLE		4096	/* one page of 512 entries */

struct ms_error *ms_pgt_era_get(struct ms_target *t, struct ms_pgt_era *e)
{
	long long v;
	uint64_t u;
	char buf[64];
	struct ms_error *err;

	memset(e, 0, sizeof(*e));
	if (ms_page_size(t) != MAX_TABLE || t->word_size != 8)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "upper page tables: x86_64 layout only (4 KiB pages)");
	/* page_offset_base: the direct map's base, randomized with KASLR (4.8+). */
	err = ms_read_sym_uint(t, "page_offset_base", 8, &e->page_offset);
	if (err)
		return ms_error_wrap(err, "upper page tables: no direct map base");
	/* arch_crash_save_vmcoreinfo() (arch/x86/kernel/machine_kexec_64.c). */
	err = ms_vmcoreinfo_number(t, "NUMBER(pgtable_l5_enabled)", &v);
	if (!err) {
		e->l5 = v != 0;
	} else {
		ms_error_destroy(err);
		err = ms_read_sym_uint(t, "__pgtable_l5_enabled", 4, &u);
		if (!err)
			e->l5 = u != 0;
		ms_error_destroy(err);	/* neither: a kernel before 5-level paging */
	}
	/* Written "NUMBER(sme_mask)=0x%llx": hexadecimal, unlike other NUMBER()s. */
	err = ms_vmcoreinfo(t, "NUMBER(sme_mask)", buf, sizeof(buf));
	if (!err)
		e->sme_mask = strtoull(buf, NULL, 0);
	ms_error_destroy(err);
	e->pud_counted = ms_struct_size(t, "ptdesc") > 0;
	/* PGD_ALLOCATION_ORDER (arch/x86/include/asm/pgalloc.h) is 1 whenever the
	 * kernel is built with page-table isolation, whether PTI is on at run time
	 * (an AMD CPU, nopti) or not: arch/x86/mm/pti.c, and its
	 * __pti_set_user_pgtbl(), are built with it. */
	e->pti = ms_has_symbol(t, "__pti_set_user_pgtbl");
	return NULL;
}

static uint64_t entry_phys(const struct ms_pgt_era *e, uint64_t ent)
{
	uint64_t mask = ((1ull << X86_PHYSICAL_MASK_SHIFT) - 1) & ~(uint64_t)(MAX_TABLE - 1);

	return ent & mask & ~e->sme_mask;
}

static struct ms_error *read_table(struct ms_target *t, uint64_t addr, uint64_t tab[MAX_TABLE / 8])
{
	unsigned char buf[MAX_TABLE];
	struct ms_error *err = ms_read(t, addr, buf, sizeof(buf));

	for (size_t i = 0; !err && i < MAX_TABLE / 8; i++)
		tab[i] = ms_get_u64(t, buf, (long)(i * 8));
	return err;
}

/* The present entries of the user half of a table (bounded: one page), each
 * told to sink as the level below. */
static uint64_t present(const struct ms_pgt_era *e, const uint64_t *tab, size_t n,
			ms_pgt_sink *sink, void *arg, enum ms_pgt_level below)
{
	uint64_t c = 0;

	for (size_t i = 0; i < n; i++) {
		if (!(tab[i] & X86_PAGE_PRESENT))
			continue;
		c++;
		if (sink)
			sink(arg, entry_phys(e, tab[i]) / MAX_TABLE, below);
	}
	return c;
}

struct ms_error *ms_pgt_upper_pages(struct ms_target *t, const struct ms_pgt_era *e, uint64_t pgd,
				    struct ms_pgt_upper *out, ms_pgt_sink *sink, void *arg)
{
	uint64_t top[MAX_TABLE / 8], p4d[MAX_TABLE / 8];

	/* User space is the lower half of the canonical addresses: PGD entries
	 * 0 .. PTRS_PER_PGD / 2 - 1 (TASK_SIZE_MAX, 4- and 5-level alike).  The
	 * upper half points to the kernel's own tables, shared by every mm. */
	const size_t user = MAX_TABLE / 8 / 2, all = MAX_TABLE / 8;
	struct ms_error *err;

	memset(out, 0, sizeof(*out));
	if (!pgd || pgd & (MAX_TABLE - 1) || pgd < e->page_offset)
		return ms_error_at(MS_ERR_CORRUPT, pgd, "mm->pgd is not a page address");
	err = read_table(t, pgd, top);
	if (err)
		return ms_error_wrap(err, "PGD at %#llx", (unsigned long long)pgd);
	out->pgd = e->pti ? 2 : 1;
	if (sink) {
		/* mm->pgd is in the direct map; with PTI the user copy is the next
		 * page (kernel_to_user_pgdp() sets bit PAGE_SHIFT). */
		uint64_t pfn = (pgd - e->page_offset) / MAX_TABLE;

		for (uint64_t i = 0; i < out->pgd; i++)
			sink(arg, pfn + i, MS_PGT_PGD);
	}
	if (!e->l5) {
		/* 4-level: the P4D is folded into the PGD; each entry is a PUD page. */
		out->pud = present(e, top, user, sink, arg, MS_PGT_PUD);
		out->complete = true;
		return NULL;
	}
	for (size_t i = 0; i < user; i++) {
		if (!(top[i] & X86_PAGE_PRESENT))
			continue;
		out->p4d++;
		if (sink)
			sink(arg, entry_phys(e, top[i]) / MAX_TABLE, MS_PGT_P4D);
		err = read_table(t, e->page_offset + entry_phys(e, top[i]), p4d);
		if (err)
			return ms_error_wrap(err, "P4D of PGD entry %zu", i);
		out->pud += present(e, p4d, all, sink, arg, MS_PGT_PUD);
	}
	out->complete = true;
	return NULL;
}

struct ms_error *ms_pgt_upper_read(struct ms_target *t, const struct ms_pgt_era *e, uint64_t pgd,
				   struct ms_pgt_upper *out)
{
	return ms_pgt_upper_pages(t, e, pgd, out, NULL, NULL);
}

struct mm_ref {
	uint64_t mm;
	size_t i;
};

static int by_mm(const void *a, const void *b)
{
	const struct mm_ref *x = a, *y = b;

	if (x->mm != y->mm)
		return x->mm < y->mm ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

struct ms_error *ms_pgt_upper_tasks_pages(struct ms_target *t, const struct ms_tasks *ts,
					  struct ms_pgt_era *e, struct ms_pgt_upper *per,
					  struct ms_pgt_totals *tot, ms_pgt_sink *sink, void *arg)
{
	struct mm_ref *refs = calloc(ts->nr + 1, sizeof(*refs));
	size_t n = 0;
	struct ms_error *err;

	memset(tot, 0, sizeof(*tot));
	if (!refs)
		return &ms_error_nomem;
	err = ms_pgt_era_get(t, e);
	if (err) {
		free(refs);
		return err;
	}
	tot->complete = ts->complete;
	/* Kernel threads have no mm; a process that shares another's mm
	 * (clone(CLONE_VM) without CLONE_THREAD) counts with the first. */
	for (size_t i = 0; i < ts->nr; i++) {
		if (per)
			memset(&per[i], 0, sizeof(per[i]));
		if (ts->v[i].mm && ts->v[i].pgd)
			refs[n++] = (struct mm_ref){ ts->v[i].mm, i };
	}
	if (n)
		qsort(refs, n, sizeof(*refs), by_mm);
	for (size_t k = 0; k < n; k++) {
		const struct ms_task *p = &ts->v[refs[k].i];
		struct ms_pgt_upper u;

		if (k && refs[k].mm == refs[k - 1].mm)
			continue;
		err = ms_pgt_upper_pages(t, e, p->pgd, &u, sink, arg);
		if (err) {
			ms_warn_error(t, err, "pid %d: upper page tables not walked", p->pid);
			tot->complete = false;
		}
		if (per)
			per[refs[k].i] = u;
		tot->nr_mm++;
		tot->pgd += u.pgd;
		tot->p4d += u.p4d;
		tot->pud += u.pud;
		tot->uncounted += ms_pgt_uncounted(e, &u);
	}
	free(refs);
	return NULL;
}

struct ms_error *ms_pgt_upper_tasks(struct ms_target *t, const struct ms_tasks *ts,
				    struct ms_pgt_era *e, struct ms_pgt_upper *per,
				    struct ms_pgt_totals *tot)
{
	return ms_pgt_upper_tasks_pages(t, ts, e, per, tot, NULL, NULL);
}
