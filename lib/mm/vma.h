/*
 * vma.h - an mm's VMAs (struct vm_area_struct), in address order: from the
 * maple tree mm->mm_mt since 6.1 (maple.h), from the mm->mmap / vm_next
 * list before.  vma.c is the one owner of struct vm_area_struct and of the
 * VM_* flag values.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_VMA_H
#define MEMSCOPE_VMA_H

#include "tasks.h"

struct ms_vma {
	uint64_t addr;			/* the vm_area_struct */
	uint64_t start, end;		/* vm_start, vm_end: [start, end) */
	uint64_t flags;			/* vm_flags */
	uint64_t file;			/* vm_file, or 0 */
};

/* The VM_* flags this code asks about, as masks of vm_flags. */
struct ms_vm_flags {
	uint64_t read, write, exec, shared, maywrite, mayshare, account, noreserve, hugetlb;
};

/* VM_* of this kernel (include/linux/mm.h): from the enum of VMA_*_BIT
 * numbers where the kernel has one (6.18+), else the #define values, the
 * same since 2.6. */
void ms_vm_flags(struct ms_target *t, struct ms_vm_flags *f);

/* A VMA: NULL goes on, an error stops the walk and is returned. */
typedef struct ms_error *(*ms_vma_fn)(struct ms_target *t, const struct ms_vma *v, void *arg);

struct ms_vma_result {
	uint64_t nr;			/* VMAs handed to fn */
	bool complete;			/* every VMA of the mm was seen */
	bool stopped;			/* fn's error stopped the walk */
};

/*
 * Walk the VMAs of process p (ms_tasks_read(): p->vma_tree or p->vma_list,
 * p->map_count), at most map_count of them (with room for a VMA added while
 * the dump was taken): NULL when complete; else the first problem after all
 * that could be walked (a corrupt maple node, an unreadable VMA, a list
 * going backwards or round in a cycle), or fn's own error (r->stopped).
 */
struct ms_error *ms_vma_walk(struct ms_target *t, const struct ms_task *p, ms_vma_fn fn,
			     void *arg, struct ms_vma_result *r);

#endif
