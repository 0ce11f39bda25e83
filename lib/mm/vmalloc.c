/*
 * vmalloc.c - the busy vmap areas, walked as /proc/vmallocinfo does:
 *  - 6.1 (s_start()/s_show(), mm/vmalloc.c): vmap_area_list, the address
 *    ordered list of busy areas;
 *  - 6.9+ (vmalloc_info_show()): for each of nr_vmap_nodes vmap_node at
 *    vmap_nodes, its busy.head list.
 * An area with a vm_struct prints "start-end size caller pages=N ...", one
 * without is a vm_map_ram() area (6.12: va->flags & VMAP_RAM).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "list.h"
#include "modules.h"
#include "vmalloc.h"

#define MAX_NODES 1024

struct layout {
	long va_start, va_end, list, vm, flags;
	long addr, size, vflags, nr_pages, nr_pages_size, phys, caller, pages;
	long node_size, busy, rb_head;
};

struct walk {
	struct ms_vmalloc *vm;
	const struct layout *l;
	unsigned int node;
	size_t cap;
};

static struct ms_error *one(struct ms_target *t, uint64_t node, void *arg)
{
	struct walk *w = arg;
	const struct layout *l = w->l;
	struct ms_vmalloc *vm = w->vm;
	uint64_t va = node - (uint64_t)l->list;
	struct ms_vmap_area a = { .node = w->node, .caller_idx = (size_t)-1 };
	struct ms_error *err;

	if ((err = ms_read_ptr(t, va + (uint64_t)l->va_start, &a.va_start)) ||
	    (err = ms_read_ptr(t, va + (uint64_t)l->va_end, &a.va_end)) ||
	    (err = ms_read_ptr(t, va + (uint64_t)l->vm, &a.vm)))
		return ms_error_wrap(err, "vmap_area %#llx", (unsigned long long)va);
	if (a.vm) {
		if ((err = ms_read_ptr(t, a.vm + (uint64_t)l->addr, &a.addr)) ||
		    (err = ms_read_ptr(t, a.vm + (uint64_t)l->size, &a.size)) ||
		    (err = ms_read_ptr(t, a.vm + (uint64_t)l->vflags, &a.flags)) ||
		    (err = ms_read_uint(t, a.vm + (uint64_t)l->nr_pages, (size_t)l->nr_pages_size,
					&a.nr_pages)) ||
		    (err = ms_read_ptr(t, a.vm + (uint64_t)l->caller, &a.caller)))
			return ms_error_wrap(err, "vm_struct %#llx", (unsigned long long)a.vm);
		if (l->phys >= 0)
			ms_error_ignore(ms_read_u64(t, a.vm + (uint64_t)l->phys, &a.phys_addr));
		if (l->pages >= 0)
			ms_error_ignore(ms_read_ptr(t, a.vm + (uint64_t)l->pages, &a.pages));
		/* A corrupt area is kept but counts nothing. */
		if (a.size > (1ull << 46) || a.nr_pages > (a.size >> t->page_shift) + 1) {
			if (vm->complete)
				snprintf(vm->why, sizeof(vm->why), "vm_struct %#llx: size %#llx, "
					 "nr_pages %llu make no sense", (unsigned long long)a.vm,
					 (unsigned long long)a.size, (unsigned long long)a.nr_pages);
			vm->complete = false;
			a.size = a.nr_pages = a.pages = 0;
		}
	} else {
		uint64_t fl = 1;

		/* 6.12: only areas marked VMAP_RAM (mm/vmalloc.c: 0x1) are printed. */
		if (l->flags >= 0)
			ms_error_ignore(ms_read_ptr(t, va + (uint64_t)l->flags, &fl));
		if (!(fl & 1))
			return NULL;
	}
	struct ms_vmap_area *v = ms_grow(vm->v, &w->cap, vm->nr, sizeof(*v), 1024);

	if (!v)
		return &ms_error_nomem;
	vm->v = v;
	vm->v[vm->nr++] = a;
	return NULL;
}

static struct ms_error *layout(struct ms_target *t, struct layout *l)
{
	l->va_start = ms_member_offset(t, "vmap_area", "va_start");
	l->va_end = ms_member_offset(t, "vmap_area", "va_end");
	l->list = ms_member_offset(t, "vmap_area", "list");
	l->vm = ms_member_offset(t, "vmap_area", "vm");
	l->flags = ms_member_offset(t, "vmap_area", "flags");
	l->addr = ms_member_offset(t, "vm_struct", "addr");
	l->size = ms_member_offset(t, "vm_struct", "size");
	l->vflags = ms_member_offset(t, "vm_struct", "flags");
	l->nr_pages = ms_member_offset(t, "vm_struct", "nr_pages");
	l->nr_pages_size = ms_member_size(t, "vm_struct", "nr_pages");
	l->phys = ms_member_offset(t, "vm_struct", "phys_addr");
	l->caller = ms_member_offset(t, "vm_struct", "caller");
	l->pages = ms_member_offset(t, "vm_struct", "pages");
	l->node_size = ms_struct_size(t, "vmap_node");
	l->busy = ms_member_offset(t, "vmap_node", "busy");
	l->rb_head = ms_member_offset(t, "rb_list", "head");
	if (l->va_start < 0 || l->va_end < 0 || l->list < 0 || l->vm < 0 || l->addr < 0 ||
	    l->size < 0 || l->vflags < 0 || l->nr_pages < 0 || l->nr_pages_size <= 0 ||
	    l->caller < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout of vmap_area (va_start, va_end, "
				       "list, vm) or vm_struct (addr, size, flags, nr_pages, caller)");
	return NULL;
}

void ms_vmalloc_symbolize(struct ms_target *t, const void *modules, uint64_t addr, char *buf,
			  size_t len, char *module, size_t mlen, char *func, size_t flen)
{
	const struct ms_modules *m = modules;
	const struct ms_module *mod = m ? ms_module_of(m, addr) : NULL;
	char name[96];
	uint64_t off = 0, size = 0;
	struct ms_error *err;

	module[0] = '\0';
	func[0] = '\0';
	if (mod) {
		snprintf(module, mlen, "%s", mod->name);
		err = ms_module_symbol(t, m, mod, addr, name, sizeof(name), &off, &size);
		if (!err) {
			snprintf(func, flen, "%s", name);
			snprintf(buf, len, "%s+0x%" PRIx64 "/0x%" PRIx64 " [%s]", name, off, size,
				 mod->name);
			return;
		}
		ms_error_destroy(err);
		snprintf(buf, len, "%#" PRIx64 " [%s]", addr, mod->name);
		return;
	}
	/* kallsyms_lookup() names the kernel image (is_kernel(): _stext to _end)
	 * and live modules; anything else, such as a module's freed init text, is
	 * printed as an address. */
	{
		uint64_t stext, end;

		if (ms_has_symbol(t, "_stext") && ms_has_symbol(t, "_end") &&
		    !ms_error_failed(ms_symbol(t, "_stext", &stext)) &&
		    !ms_error_failed(ms_symbol(t, "_end", &end)) &&
		    (addr < stext || addr >= end)) {
			snprintf(buf, len, "%#" PRIx64, addr);
			return;
		}
	}
	err = ms_symbol_at(t, addr, name, sizeof(name), &off);
	if (!err) {
		snprintf(func, flen, "%s", name);
		snprintf(buf, len, "%s+0x%" PRIx64, name, off);
		return;
	}
	ms_error_destroy(err);
	snprintf(buf, len, "%#" PRIx64, addr);
}

static int by_size(const void *a, const void *b)
{
	const struct ms_vmap_caller *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Group the areas by the caller's function (and module). */
static struct ms_error *group(struct ms_target *t, struct ms_vmalloc *vm)
{
	struct ms_modules mods;
	struct ms_error *merr = ms_modules_read(t, &mods);
	bool have_mods = !merr;

	/* Without the modules list, module callers are printed as addresses. */
	ms_error_destroy(merr);
	vm->callers = calloc(vm->nr ? vm->nr : 1, sizeof(*vm->callers));
	if (!vm->callers) {
		if (have_mods)
			ms_modules_free(&mods);
		return &ms_error_nomem;
	}
	for (size_t i = 0; i < vm->nr; i++) {
		struct ms_vmap_area *a = &vm->v[i];
		char full[MS_VMAP_SYM_LEN], module[64], func[96], key[MS_VMAP_SYM_LEN];
		size_t j;

		if (!a->vm)
			continue;
		ms_vmalloc_symbolize(t, have_mods ? &mods : NULL, a->caller, full, sizeof(full),
				     module, sizeof(module), func, sizeof(func));
		if (func[0])
			snprintf(key, sizeof(key), module[0] ? "%s [%s]" : "%s", func, module);
		else
			snprintf(key, sizeof(key), "%s", full);
		for (j = 0; j < vm->nr_callers; j++)
			if (!strcmp(vm->callers[j].name, key))
				break;
		if (j == vm->nr_callers) {
			snprintf(vm->callers[j].name, sizeof(vm->callers[j].name), "%s", key);
			snprintf(vm->callers[j].module, sizeof(vm->callers[j].module), "%s", module);
			vm->nr_callers++;
		}
		vm->callers[j].areas++;
		vm->callers[j].size += a->size;
		vm->callers[j].pages += a->nr_pages;
		a->caller_idx = j;
	}
	/* Sorting moves the callers: the areas' indexes are redone after. */
	{
		char (*names)[MS_VMAP_SYM_LEN] = NULL;

		if (vm->nr_callers > 1) {
			names = malloc(vm->nr_callers * sizeof(*names));
			if (!names)
				goto out;
			for (size_t j = 0; j < vm->nr_callers; j++)
				memcpy(names[j], vm->callers[j].name, MS_VMAP_SYM_LEN);
			qsort(vm->callers, vm->nr_callers, sizeof(*vm->callers), by_size);
			for (size_t i = 0; i < vm->nr; i++) {
				size_t old = vm->v[i].caller_idx;

				if (old == (size_t)-1)
					continue;
				for (size_t j = 0; j < vm->nr_callers; j++)
					if (!strcmp(vm->callers[j].name, names[old])) {
						vm->v[i].caller_idx = j;
						break;
					}
			}
			free(names);
		}
	}
out:
	if (have_mods)
		ms_modules_free(&mods);
	return NULL;
}

struct ms_error *ms_vmalloc_read(struct ms_target *t, struct ms_vmalloc *vm)
{
	struct layout l;
	struct walk w = { .vm = vm, .l = &l };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t heads[MAX_NODES];
	unsigned int nheads = 0;

	memset(vm, 0, sizeof(*vm));
	vm->complete = true;
	if ((err = layout(t, &l)))
		return err;
	if (ms_has_symbol(t, "vmap_nodes") && ms_has_symbol(t, "nr_vmap_nodes")) {
		uint64_t nodes, nr;

		if (l.node_size <= 0 || l.busy < 0 || l.rb_head < 0)
			return ms_error_create(MS_ERR_LOOKUP, "no layout of vmap_node.busy.head");
		if ((err = ms_read_sym_uint(t, "vmap_nodes", t->word_size, &nodes)) ||
		    (err = ms_read_sym_uint(t, "nr_vmap_nodes", 4, &nr)))
			return err;
		if (!nr || nr > MAX_NODES || !nodes)
			return ms_error_create(MS_ERR_CORRUPT, "nr_vmap_nodes %llu, vmap_nodes %#llx",
					       (unsigned long long)nr, (unsigned long long)nodes);
		for (uint64_t i = 0; i < nr; i++)
			heads[nheads++] = nodes + i * (uint64_t)l.node_size + (uint64_t)l.busy +
					  (uint64_t)l.rb_head;
	} else {
		if ((err = ms_symbol(t, "vmap_area_list", &heads[0])))
			return err;
		nheads = 1;
	}
	vm->nr_nodes = nheads;
	for (unsigned int n = 0; n < nheads; n++) {
		w.node = n;
		err = ms_list_visit(t, heads[n], MS_VMAP_MAX_AREAS, 0, one, &w, &r);
		if (err == &ms_error_nomem) {
			ms_vmalloc_free(vm);
			return err;
		}
		if (err || r.status != MS_LIST_OK) {
			if (vm->complete)
				snprintf(vm->why, sizeof(vm->why), "node %u: the list walk %s%s%s", n,
					 ms_list_status_name(r.status), err ? ": " : "",
					 err ? ms_error_string(err) : "");
			vm->complete = false;
			ms_error_destroy(err);
		}
	}
	for (size_t i = 0; i < vm->nr; i++) {
		if (vm->v[i].vm) {
			vm->size += vm->v[i].size;
			vm->pages += vm->v[i].nr_pages;
		} else {
			vm->map_ram += vm->v[i].va_end - vm->v[i].va_start;
		}
	}
	if ((err = group(t, vm))) {
		ms_vmalloc_free(vm);
		return err;
	}
	return NULL;
}

void ms_vmalloc_free(struct ms_vmalloc *vm)
{
	free(vm->v);
	free(vm->callers);
	memset(vm, 0, sizeof(*vm));
}
