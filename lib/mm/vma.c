/*
 * vma.c - struct vm_area_struct and the walk over an mm's VMAs: the maple
 * tree's entries since 6.1 (for_each_vma(), VMA_ITERATOR over mm->mm_mt),
 * the mm->mmap list linked by vm_next before (the rb-tree mm_rb holds the
 * same VMAs; the list is the kernel's own in-order walk, e.g. in
 * exit_mmap() of 5.x).  Both are bounded by map_count and stop on a cycle.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "maple.h"
#include "vma.h"

/* VMAs an mm can have: sysctl_max_map_count's default is 65530, but it can
 * be raised; past map_count (+ slack for a VMA being added) we stop anyway. */
#define MAP_COUNT_SLACK	16
#define MAX_VMAS	(1u << 24)

struct vma_layout {
	long start, end, flags, flags_w, file, next;
	long size;
};

static struct ms_error *vma_layout(struct ms_target *t, struct vma_layout *l)
{
	l->start = ms_member_offset(t, "vm_area_struct", "vm_start");
	l->end = ms_member_offset(t, "vm_area_struct", "vm_end");
	/* 6.3+: a const vm_flags in a union with __vm_flags; by name either way. */
	l->flags = ms_member_offset(t, "vm_area_struct", "vm_flags");
	l->flags_w = ms_member_size(t, "vm_area_struct", "vm_flags");
	l->file = ms_member_offset(t, "vm_area_struct", "vm_file");
	l->next = ms_member_offset(t, "vm_area_struct", "vm_next");	/* before 6.1 */
	l->size = ms_struct_size(t, "vm_area_struct");
	if (l->start < 0 || l->end < 0 || l->flags < 0 || l->file < 0 || l->size <= 0 ||
	    l->flags_w <= 0 || l->flags_w > 8)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct vm_area_struct "
				       "(vm_start, vm_end, vm_flags, vm_file)");
	return NULL;
}

static uint64_t vm_bit(struct ms_target *t, const char *bit, long fallback)
{
	long n = ms_enum_or(t, bit, fallback);

	return n >= 0 && n < 64 ? 1ull << n : 1ull << fallback;
}

void ms_vm_flags(struct ms_target *t, struct ms_vm_flags *f)
{
	/* VM_READ 0x1, VM_WRITE 0x2, VM_EXEC 0x4, VM_SHARED 0x8, VM_MAYWRITE 0x20,
	 * VM_MAYSHARE 0x80, VM_ACCOUNT 0x00100000, VM_NORESERVE 0x00200000,
	 * VM_HUGETLB 0x00400000. */
	f->read = vm_bit(t, "VMA_READ_BIT", 0);
	f->write = vm_bit(t, "VMA_WRITE_BIT", 1);
	f->exec = vm_bit(t, "VMA_EXEC_BIT", 2);
	f->shared = vm_bit(t, "VMA_SHARED_BIT", 3);
	f->maywrite = vm_bit(t, "VMA_MAYWRITE_BIT", 5);
	f->mayshare = vm_bit(t, "VMA_MAYSHARE_BIT", 7);
	f->account = vm_bit(t, "VMA_ACCOUNT_BIT", 20);
	f->noreserve = vm_bit(t, "VMA_NORESERVE_BIT", 21);
	f->hugetlb = vm_bit(t, "VMA_HUGETLB_BIT", 22);
}

/* One VMA read at addr (buf holds it). */
static struct ms_error *read_vma(struct ms_target *t, const struct vma_layout *l, uint64_t addr,
				 struct ms_vma *v, unsigned char *buf)
{
	long want = l->file + (long)t->word_size;
	struct ms_error *err;

	if (l->next >= 0 && l->next + (long)t->word_size > want)
		want = l->next + (long)t->word_size;
	if (l->flags + l->flags_w > want)
		want = l->flags + l->flags_w;
	err = ms_read(t, addr, buf, (size_t)(want < l->size ? want : l->size));
	if (err)
		return ms_error_wrap(err, "vm_area_struct");
	v->addr = addr;
	v->start = ms_get_uint(t, buf, l->start, t->word_size);
	v->end = ms_get_uint(t, buf, l->end, t->word_size);
	v->flags = ms_get_uint(t, buf, l->flags, (size_t)l->flags_w);
	v->file = ms_get_uint(t, buf, l->file, t->word_size);
	if (v->end <= v->start)
		return ms_error_at(MS_ERR_CORRUPT, addr, "vm_area_struct with vm_end %#llx not "
				   "above vm_start %#llx", (unsigned long long)v->end,
				   (unsigned long long)v->start);
	return NULL;
}

struct tree_arg {
	const struct vma_layout *l;
	ms_vma_fn fn;
	void *arg;
	struct ms_vma_result *r;
	struct ms_error *first;		/* a VMA that could not be read or made no sense */
	unsigned char buf[512];
};

/* A maple entry is a VMA covering [first, last]: a VMA that does not say so
 * is not counted (the tree and the VMA disagree). */
static struct ms_error *tree_entry(struct ms_target *t, uint64_t first, uint64_t last,
				   uint64_t entry, void *arg)
{
	struct tree_arg *a = arg;
	struct ms_error *err;
	struct ms_vma v;

	err = read_vma(t, a->l, entry, &v, a->buf);
	if (!err && (v.start != first || v.end - 1 != last))
		err = ms_error_at(MS_ERR_CORRUPT, entry, "vm_area_struct of [%#llx, %#llx) "
				  "where the maple tree says [%#llx, %#llx]",
				  (unsigned long long)v.start,
				  (unsigned long long)v.end, (unsigned long long)first,
				  (unsigned long long)last);
	if (err) {
		a->r->complete = false;
		if (!a->first)
			a->first = err;
		else
			ms_error_destroy(err);
		return NULL;
	}
	a->r->nr++;
	err = a->fn(t, &v, a->arg);
	if (err)
		a->r->stopped = true;
	return err;
}

static uint64_t bound(const struct ms_task *p)
{
	if (p->map_count < 0 || p->map_count > MAX_VMAS)
		return MAX_VMAS;
	return (uint64_t)p->map_count + MAP_COUNT_SLACK;
}

static struct ms_error *walk_tree(struct ms_target *t, const struct vma_layout *l,
				  const struct ms_task *p, ms_vma_fn fn, void *arg,
				  struct ms_vma_result *r)
{
	struct tree_arg a = { .l = l, .fn = fn, .arg = arg, .r = r };
	struct ms_maple_result mr;
	struct ms_error *err;

	if (l->size > (long)sizeof(a.buf))
		return ms_error_create(MS_ERR_UNSUPPORTED, "struct vm_area_struct of %ld bytes",
				       l->size);
	err = ms_maple_walk(t, p->vma_tree, bound(p), tree_entry, &a, &mr);
	if (mr.stopped) {
		ms_error_destroy(a.first);
		return err;
	}
	if (err) {
		r->complete = false;
		ms_error_destroy(a.first);
		return ms_error_wrap(err, "mm %#llx: VMA tree", (unsigned long long)p->mm);
	}
	return a.first;
}

/* Before 6.1: mm->mmap, then vm_next; VMAs in address order, so one that does
 * not start after the previous one's end is a cycle or corruption. */
static struct ms_error *walk_list(struct ms_target *t, const struct vma_layout *l,
				  const struct ms_task *p, ms_vma_fn fn, void *arg,
				  struct ms_vma_result *r)
{
	unsigned char buf[512];
	uint64_t addr = p->vma_list, prev_end = 0, max = bound(p);
	struct ms_error *err;
	struct ms_vma v;

	if (l->next < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no vm_area_struct.vm_next nor maple tree");
	if (l->size > (long)sizeof(buf))
		return ms_error_create(MS_ERR_UNSUPPORTED, "struct vm_area_struct of %ld bytes",
				       l->size);
	for (uint64_t n = 0; addr; n++) {
		if (n >= max)
			return ms_error_create(MS_ERR_CORRUPT, "mm %#llx: more than %llu VMAs on "
					       "its list", (unsigned long long)p->mm,
					       (unsigned long long)max);
		err = read_vma(t, l, addr, &v, buf);
		if (!err && v.start < prev_end)
			err = ms_error_at(MS_ERR_CORRUPT, addr, "a cycle? vm_area_struct "
					  "starting at %#llx, below the previous VMA's end "
					  "%#llx,",
					  (unsigned long long)v.start,
					  (unsigned long long)prev_end);
		if (err)
			return err;
		r->nr++;
		err = fn(t, &v, arg);
		if (err) {
			r->stopped = true;
			return err;
		}
		prev_end = v.end;
		addr = ms_get_uint(t, buf, l->next, t->word_size);
	}
	return NULL;
}

struct ms_error *ms_vma_walk(struct ms_target *t, const struct ms_task *p, ms_vma_fn fn,
			     void *arg, struct ms_vma_result *r)
{
	struct vma_layout l;
	struct ms_error *err;

	memset(r, 0, sizeof(*r));
	err = vma_layout(t, &l);
	if (err)
		return err;
	r->complete = true;
	if (p->vma_tree)
		err = walk_tree(t, &l, p, fn, arg, r);
	else
		err = walk_list(t, &l, p, fn, arg, r);
	if (err)
		r->complete = false;
	return err;
}
