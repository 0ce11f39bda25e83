/*
 * page_owner_stacks.c - see page_owner_stacks.h.
 *
 * print_page_owner() (mm/page_owner.c) writes each listed allocation's
 * stack; tools/mm/page_owner_sort.c --cull=stacktrace -m adds up the pages
 * of allocations with the same stack.  Here the census chooses the pfns (one
 * class), page_owner_groups (page_owner.c) adds them up by depot handle, and
 * only the top stacks are read back from the depot and named; the module a
 * stack is charged to is its first frame inside a module's core text, the
 * way a user reads "who called alloc_pages()".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "page_owner_stacks.h"
#include "vmalloc.h"

struct ms_error *ms_po_stacks_begin(struct ms_target *t, enum ms_census_class cls,
				    struct ms_po_stacks *s)
{
	struct ms_error *err;

	memset(s, 0, sizeof(*s));
	s->cls = cls;
	ms_page_owner_groups_init(&s->groups);
	err = ms_page_owner_open(t, &s->po);
	if (err == &ms_error_nomem)
		return err;
	if (err) {
		snprintf(s->why, sizeof(s->why), "%s", ms_error_string(err));
		ms_error_destroy(err);
		return NULL;
	}
	s->available = true;
	return NULL;
}

void ms_po_stacks_each(void *arg, uint64_t pfn, enum ms_census_class cls)
{
	struct ms_po_stacks *s = arg;
	struct ms_page_owner_rec rec;
	struct ms_error *err;

	if (cls != s->cls)
		return;
	s->class_pages++;
	if (!s->available)
		return;
	if (pfn < s->last_head_end) {	/* a tail of the allocation just counted */
		s->owned_pages++;
		return;
	}
	err = ms_page_owner_get(s->po, pfn, &rec);
	if (err) {
		if (!s->read_failed++)
			snprintf(s->fail_why, sizeof(s->fail_why), "%s", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	if (!rec.listed)
		return;
	if (ms_page_owner_groups_add(&s->groups, &rec) == &ms_error_nomem) {
		if (!s->read_failed++)
			snprintf(s->fail_why, sizeof(s->fail_why), "out of memory");
		return;
	}
	s->owned_pages++;
	s->allocs++;
	s->last_head_end = pfn + (1ull << rec.order);
}

/* One stack's frames from the depot, each named; the first module's name. */
static void read_stack(struct ms_target *t, struct ms_po_stacks *s, const struct ms_modules *mods,
		       struct ms_po_stack *st)
{
	uint64_t entries[MS_STACKDEPOT_MAX_FRAMES];
	unsigned int nr = 0;
	struct ms_error *err;

	err = ms_stackdepot_fetch(ms_page_owner_depot(s->po), st->handle, entries,
				  MS_STACKDEPOT_MAX_FRAMES, &nr);
	if (err) {
		snprintf(st->why, sizeof(st->why), "%s", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	if (nr > MS_STACKDEPOT_MAX_FRAMES)
		nr = MS_STACKDEPOT_MAX_FRAMES;
	for (unsigned int i = 0; i < nr; i++) {
		char module[MS_MODULE_NAME_LEN + 1], func[96], text[MS_PO_FRAME_LEN];

		ms_vmalloc_symbolize(t, mods, entries[i], text, sizeof(text), module, sizeof(module),
				     func, sizeof(func));
		if (module[0] && !st->module[0])
			snprintf(st->module, sizeof(st->module), "%s", module);
		if (st->nr_frames < MS_PO_FRAMES)
			snprintf(st->frames[st->nr_frames++], MS_PO_FRAME_LEN, "%s", text);
	}
}

static struct ms_error *add_module(struct ms_po_stacks *s, size_t *cap, const char *name,
				   const struct ms_page_owner_group *g)
{
	struct ms_po_module *v;

	for (size_t i = 0; i < s->nr_modules; i++)
		if (!strcmp(s->modules[i].name, name)) {
			s->modules[i].pages += g->pages;
			s->modules[i].allocs += g->allocs;
			return NULL;
		}
	v = ms_grow(s->modules, cap, s->nr_modules, sizeof(*v), 8);
	if (!v)
		return &ms_error_nomem;
	s->modules = v;
	v = &s->modules[s->nr_modules++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->pages = g->pages;
	v->allocs = g->allocs;
	return NULL;
}

static int by_pages(const void *pa, const void *pb)
{
	const struct ms_po_module *a = pa, *b = pb;

	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Stacks whose module is looked up beyond the top ones: each costs a depot
 * read and a symbol look-up per frame, so a bound keeps a dump with a
 * hundred thousand distinct stacks answering. */
#define MS_PO_MODULE_STACKS 4096

struct ms_error *ms_po_stacks_end(struct ms_target *t, struct ms_po_stacks *s)
{
	struct ms_modules mods;
	bool have_mods;
	size_t cap = 0;
	struct ms_error *err = NULL;

	if (!s->available)
		return NULL;
	ms_page_owner_groups_sort(&s->groups);
	s->nr_stacks = s->groups.nr;
	have_mods = !ms_error_failed(ms_modules_read(t, &mods));
	for (size_t i = 0; i < s->groups.nr && i < MS_PO_MODULE_STACKS && !err; i++) {
		const struct ms_page_owner_group *g = &s->groups.v[i];
		struct ms_po_stack one, *st = i < MS_PO_TOP ? &s->v[s->nr++] : &one;

		memset(st, 0, sizeof(*st));
		st->handle = g->handle;
		st->pages = g->pages;
		st->allocs = g->allocs;
		st->top_pid = g->top_pid;
		st->top_pages = g->top_pages;
		memcpy(st->top_comm, g->top_comm, sizeof(st->top_comm));
		read_stack(t, s, have_mods ? &mods : NULL, st);
		err = add_module(s, &cap, st->why[0] ? "?" : st->module, g);
	}
	if (have_mods)
		ms_modules_free(&mods);
	if (s->nr_modules)
		qsort(s->modules, s->nr_modules, sizeof(*s->modules), by_pages);
	return err;
}

void ms_po_stacks_free(struct ms_po_stacks *s)
{
	ms_page_owner_groups_free(&s->groups);
	ms_page_owner_close(s->po);
	free(s->modules);
	s->modules = NULL;
	s->po = NULL;
}
