/*
 * vmalloc.h - the vmalloc areas in use, as /proc/vmallocinfo lists them
 * (mm/vmalloc.c s_show() in 6.1, vmalloc_info_show() in 6.12): each busy
 * vmap_area with its vm_struct's size, pages, caller and flags, and the
 * same grouped by caller.  The owner of vmap_area, vm_struct and vmap_node.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_VMALLOC_H
#define MEMSCOPE_VMALLOC_H

#include "target.h"

#define MS_VMAP_MAX_AREAS (1u << 22)	/* areas walked at most */
#define MS_VMAP_SYM_LEN 128
#define MS_VMAP_WHY_LEN 160

/* vm_struct.flags words, as /proc/vmallocinfo prints them. */
#define MS_VM_IOREMAP		0x01	/* include/linux/vmalloc.h VM_IOREMAP (2.6 to 6.12) */
#define MS_VM_ALLOC		0x02	/* VM_ALLOC */
#define MS_VM_MAP		0x04	/* VM_MAP */
#define MS_VM_USERMAP		0x08	/* VM_USERMAP */
#define MS_VM_DMA_COHERENT	0x10	/* VM_DMA_COHERENT */

struct ms_vmap_area {
	uint64_t va_start, va_end;
	uint64_t vm;			/* struct vm_struct, or 0 (vm_map_ram) */
	uint64_t addr, size;		/* vm->addr, vm->size (with the guard page) */
	uint64_t flags;			/* vm->flags */
	uint64_t nr_pages;		/* vm->nr_pages */
	uint64_t pages;			/* vm->pages: struct page *[nr_pages], or 0 */
	uint64_t phys_addr;
	uint64_t caller;
	size_t caller_idx;		/* index in ms_vmalloc.callers, or (size_t)-1 */
	unsigned int node;		/* the vmap_node it is on (6.9+), else 0 */
};

struct ms_vmap_caller {
	char name[MS_VMAP_SYM_LEN];	/* "func [module]", or the address */
	char module[64];		/* "" for the kernel */
	uint64_t areas, size, pages;
};

struct ms_vmalloc {
	size_t nr;
	struct ms_vmap_area *v;		/* list order */
	size_t nr_callers;
	struct ms_vmap_caller *callers;	/* by size, largest first */
	uint64_t size, pages;		/* over the areas with a vm_struct */
	uint64_t map_ram;		/* areas without one (vm_map_ram), bytes */
	unsigned int nr_nodes;		/* vmap_nodes walked (1 before 6.9) */
	bool complete;
	char why[MS_VMAP_WHY_LEN];
};

/* Every busy area: NULL (vm->complete, why), or the error that leaves no
 * list (no layout, no vmap_area_list/vmap_nodes), or MS_ERR_NOMEM. */
struct ms_error *ms_vmalloc_read(struct ms_target *t, struct ms_vmalloc *vm);
void ms_vmalloc_free(struct ms_vmalloc *vm);

/* An address as %pS prints it: "func+0x1a/0x40 [mod]" (kernel symbols
 * without the size; an offset 0 is "+0x0", as the kernel's vsprintf writes
 * it), or "0x..." when no symbol is known; module is set to the module's
 * name or "". */
void ms_vmalloc_symbolize(struct ms_target *t, const void *modules, uint64_t addr, char *buf,
			  size_t len, char *module, size_t mlen, char *func, size_t flen);

#endif
