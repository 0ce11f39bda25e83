/*
 * page_owner.c - page_owner records from page_ext, as mm/page_owner.c keeps them.
 *
 * v6.1 and v6.12, CONFIG_SPARSEMEM (x86_64):
 *   lookup_page_ext()      mm/page_ext.c: section = __pfn_to_section(pfn);
 *                          section->page_ext is NULL, or marked invalid by bit 0
 *                          (PAGE_EXT_INVALID, 6.0+, __invalidate_page_ext() on
 *                          offline), else get_entry(page_ext, pfn): the pointer
 *                          is stored biased by -section_start_pfn * page_ext_size
 *                          (init_section_page_ext()), so + pfn * page_ext_size
 *   page_ext_size          sizeof(struct page_ext) + each enabled client's size
 *                          (invoke_need_callbacks(); 6.12 starts from 0 and adds
 *                          struct page_ext for a client with need_shared_flags,
 *                          which page_owner is)
 *   get_page_owner()       (void *)page_ext + page_owner_ops.offset
 *   read_page_owner()      lists a pfn if test_bit(PAGE_EXT_OWNER) and
 *                          test_bit(PAGE_EXT_OWNER_ALLOCATED) in page_ext->flags,
 *                          IS_ALIGNED(pfn, 1 << page_owner->order) (a tail of a
 *                          high-order allocation has its head's order:
 *                          __set_page_owner_handle() / __update_page_owner_handle()
 *                          write every page of it) and page_owner->handle != 0;
 *                          only while static_branch_unlikely(&page_owner_inited)
 *   struct page_owner      order, last_migrate_reason, gfp_mask, handle,
 *                          free_handle, ts_nsec, free_ts_nsec, comm, pid, tgid;
 *                          6.12 adds free_pid, free_tgid
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "page_owner.h"
#include "pageblock.h"

#define MS_PAGE_EXT_INVALID 0x1ull	/* mm/page_ext.c PAGE_EXT_INVALID (6.0+) */
#define MS_PAGE_OWNER_MAX_SIZE 4096	/* sanity bound on struct page_owner, page_ext_size */

struct field {
	long off;			/* -1: the kernel has no such member */
	size_t w;
};

struct ms_page_owners {
	struct ms_target *t;
	struct ms_pageblocks *pb;	/* the sections */
	struct ms_stackdepot *depot;
	long sec_page_ext;		/* mem_section.page_ext */
	long flags_off;			/* page_ext.flags */
	unsigned int owner_bit, allocated_bit;	/* enum page_ext_flags */
	uint64_t ext_size;		/* page_ext_size */
	uint64_t owner_off;		/* page_owner_ops.offset */
	size_t size;			/* sizeof(struct page_owner) */
	unsigned char *buf;
	struct field order, reason, gfp, handle, free_handle, ts, free_ts, comm, pid, tgid,
		free_pid, free_tgid;
};

/* CONFIG_PAGE_OWNER and CONFIG_PAGE_EXTENSION's traces in the debug info. */
static struct ms_error *check_built_in(struct ms_target *t)
{
	if (!ms_has_symbol(t, "page_owner_inited"))
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "page_owner: not built in (no page_owner_inited: CONFIG_PAGE_OWNER off)");
	if (ms_struct_size(t, "page_owner") <= 0)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "page_owner: no struct page_owner in the debug info");
	if (ms_member_offset(t, "mem_section", "page_ext") < 0)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "page_owner: no mem_section.page_ext (CONFIG_PAGE_EXTENSION off, or not SPARSEMEM)");
	return NULL;
}

/* static_key_enabled(): atomic_read(&key->enabled) > 0, for a static_key_false. */
static struct ms_error *static_key_on(struct ms_target *t, const char *sym, bool *on)
{
	long key = ms_member_offset(t, "static_key_false", "key");
	long enabled = ms_member_offset(t, "static_key", "enabled");
	long counter = ms_member_offset(t, "atomic_t", "counter");
	long w = ms_member_size(t, "atomic_t", "counter");
	struct ms_error *err;
	uint64_t addr, v;

	/* atomic_t is { int counter; } in every era: the fallback where a
	 * binding cannot answer for the typedef'd anonymous struct */
	if (counter < 0 || w < 1) {
		counter = 0;
		w = 4;
	}
	if (key < 0 || enabled < 0 || w > 8)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve static_key_false.key.enabled.counter");
	err = ms_symbol(t, sym, &addr);
	if (!err)
		err = ms_read_uint(t, addr + (uint64_t)(key + enabled + counter), (size_t)w, &v);
	if (err)
		return ms_error_wrap(err, "cannot read %s", sym);
	/* a signed int: a negative count (a corrupt key) is not on either */
	*on = v && !(v >> (8 * w - 1));
	return NULL;
}

enum ms_page_owner ms_page_owner_state(struct ms_target *t)
{
	struct ms_error *err;
	bool on = false;

	if (!ms_has_symbol(t, "page_owner_inited"))
		return MS_PAGE_OWNER_ABSENT;
	err = static_key_on(t, "page_owner_inited", &on);
	if (err) {
		ms_warn_error(t, err, "page_owner_inited");
		return MS_PAGE_OWNER_UNKNOWN;
	}
	return on ? MS_PAGE_OWNER_ON : MS_PAGE_OWNER_OFF;
}

static struct ms_error *check_enabled(struct ms_target *t)
{
	struct ms_error *err;
	bool on = false;

	err = static_key_on(t, "page_owner_inited", &on);
	if (err)
		return ms_error_wrap(err, "page_owner");
	if (!on)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "page_owner: built in but not enabled at boot (page_owner_inited is off: boot with page_owner=on)");
	return NULL;
}

/* A member of struct page_owner that fits in it, or off -1. */
static bool resolve_field(struct ms_page_owners *po, const char *name, struct field *f, size_t maxw)
{
	long off = ms_member_offset(po->t, "page_owner", name);
	long w = ms_member_size(po->t, "page_owner", name);

	f->off = -1;
	f->w = 0;
	if (off < 0 || w < 1 || (size_t)w > maxw || (size_t)(off + w) > po->size)
		return false;
	f->off = off;
	f->w = (size_t)w;
	return true;
}

static struct ms_error *resolve_owner(struct ms_page_owners *po)
{
	bool ok;

	po->size = (size_t)ms_struct_size(po->t, "page_owner");
	if (po->size > MS_PAGE_OWNER_MAX_SIZE)
		return ms_error_create(MS_ERR_UNSUPPORTED, "page_owner: struct page_owner of %zu bytes",
				       po->size);
	ok = resolve_field(po, "order", &po->order, 8);
	ok &= resolve_field(po, "gfp_mask", &po->gfp, 8);
	ok &= resolve_field(po, "handle", &po->handle, 4);	/* depot_stack_handle_t */
	ok &= resolve_field(po, "ts_nsec", &po->ts, 8);
	ok &= resolve_field(po, "comm", &po->comm, MS_PAGE_OWNER_COMM_LEN);
	ok &= resolve_field(po, "pid", &po->pid, 8);
	ok &= resolve_field(po, "tgid", &po->tgid, 8);
	if (!ok)
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve struct page_owner (order, gfp_mask, handle, ts_nsec, comm, pid, tgid)");
	/* older or newer members: absent is a question, not a failure */
	resolve_field(po, "last_migrate_reason", &po->reason, 8);
	resolve_field(po, "free_handle", &po->free_handle, 4);
	resolve_field(po, "free_ts_nsec", &po->free_ts, 8);
	resolve_field(po, "free_pid", &po->free_pid, 8);	/* 6.12 */
	resolve_field(po, "free_tgid", &po->free_tgid, 8);
	return NULL;
}

static struct ms_error *resolve_page_ext(struct ms_page_owners *po)
{
	struct ms_target *t = po->t;
	long owner, allocated;
	struct ms_error *err;

	po->sec_page_ext = ms_member_offset(t, "mem_section", "page_ext");
	po->flags_off = ms_member_offset(t, "page_ext", "flags");
	if (po->flags_off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve page_ext.flags");
	err = ms_enum(t, "PAGE_EXT_OWNER", &owner);
	if (!err)
		err = ms_enum(t, "PAGE_EXT_OWNER_ALLOCATED", &allocated);
	if (err)
		return ms_error_wrap(err, "page_owner: enum page_ext_flags");
	if (owner < 0 || allocated < 0 || owner >= 8 * (long)t->word_size ||
	    allocated >= 8 * (long)t->word_size)
		return ms_error_create(MS_ERR_CORRUPT, "page_owner: PAGE_EXT_OWNER %ld, _ALLOCATED %ld",
				       owner, allocated);
	po->owner_bit = (unsigned int)owner;
	po->allocated_bit = (unsigned int)allocated;
	return NULL;
}

/* page_ext_size and page_owner_ops.offset, as invoke_need_callbacks() left them. */
static struct ms_error *read_layout(struct ms_page_owners *po)
{
	struct ms_target *t = po->t;
	long off = ms_member_offset(t, "page_ext_operations", "offset");
	long w = ms_member_size(t, "page_ext_operations", "offset");
	struct ms_error *err;
	uint64_t ops;

	if (off < 0 || w < 1 || w > 8)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve page_ext_operations.offset");
	err = ms_read_sym_uint(t, "page_ext_size", t->word_size, &po->ext_size);
	if (!err)
		err = ms_symbol(t, "page_owner_ops", &ops);
	if (!err)
		err = ms_read_uint(t, ops + (uint64_t)off, (size_t)w, &po->owner_off);
	if (err)
		return ms_error_wrap(err, "page_owner: cannot read page_ext_size, page_owner_ops.offset");
	/* page_owner shares page_ext->flags: its data follows struct page_ext */
	if (po->ext_size > MS_PAGE_OWNER_MAX_SIZE ||
	    po->owner_off < (uint64_t)po->flags_off + t->word_size ||
	    po->owner_off + po->size > po->ext_size)
		return ms_error_create(MS_ERR_CORRUPT,
				       "page_owner: page_owner_ops.offset %llu + %zu bytes do not fit page_ext_size %llu",
				       (unsigned long long)po->owner_off, po->size,
				       (unsigned long long)po->ext_size);
	return NULL;
}

struct ms_error *ms_page_owner_open(struct ms_target *t, struct ms_page_owners **pop)
{
	struct ms_page_owners *po;
	struct ms_error *err;

	*pop = NULL;
	err = check_built_in(t);
	if (!err)
		err = check_enabled(t);
	if (err)
		return err;
	po = calloc(1, sizeof(*po));
	if (!po)
		return &ms_error_nomem;
	po->t = t;
	err = resolve_owner(po);
	if (!err)
		err = resolve_page_ext(po);
	if (!err)
		err = read_layout(po);
	if (!err && !(po->buf = malloc(po->size)))
		err = &ms_error_nomem;
	/* the sections only: any pageblock order does, their bitmaps are unused */
	if (!err)
		err = ms_pageblocks_open(t, 0, &po->pb);
	if (!err)
		err = ms_error_wrap(ms_stackdepot_open(t, &po->depot), "page_owner");
	if (err) {
		ms_page_owner_close(po);
		return err;
	}
	*pop = po;
	return NULL;
}

void ms_page_owner_close(struct ms_page_owners *po)
{
	if (!po)
		return;
	ms_stackdepot_close(po->depot);
	ms_pageblocks_close(po->pb);
	free(po->buf);
	free(po);
}

struct ms_stackdepot *ms_page_owner_depot(struct ms_page_owners *po)
{
	return po->depot;
}

static uint64_t get_u(const struct ms_page_owners *po, const struct field *f)
{
	return f->off < 0 ? 0 : ms_get_uint(po->t, po->buf, f->off, f->w);
}

/* A signed member (pid_t, short), sign-extended from its width. */
static int64_t get_s(const struct ms_page_owners *po, const struct field *f)
{
	uint64_t v = get_u(po, f);
	unsigned int bits = 8 * (unsigned int)f->w;

	if (bits && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ull << bits;
	return (int64_t)v;
}

static void decode_owner(const struct ms_page_owners *po, struct ms_page_owner_rec *rec)
{
	rec->order = (unsigned int)get_u(po, &po->order);
	rec->last_migrate_reason = po->reason.off < 0 ? -1 : (int)get_s(po, &po->reason);
	rec->gfp_mask = (uint32_t)get_u(po, &po->gfp);
	rec->handle = (uint32_t)get_u(po, &po->handle);
	rec->free_handle = (uint32_t)get_u(po, &po->free_handle);
	rec->ts_nsec = get_u(po, &po->ts);
	rec->free_ts_nsec = get_u(po, &po->free_ts);
	rec->pid = (int32_t)get_s(po, &po->pid);
	rec->tgid = (int32_t)get_s(po, &po->tgid);
	rec->has_free_pid = po->free_pid.off >= 0 && po->free_tgid.off >= 0;
	rec->free_pid = (int32_t)get_s(po, &po->free_pid);
	rec->free_tgid = (int32_t)get_s(po, &po->free_tgid);
	memcpy(rec->comm, po->buf + po->comm.off, po->comm.w);	/* strscpy()'d: NUL-terminated */
	rec->comm[po->comm.w] = '\0';
}

/* lookup_page_ext(): pfn's struct page_ext into *ext, 0 if there is none. */
static struct ms_error *lookup_page_ext(struct ms_page_owners *po, uint64_t pfn, uint64_t *ext)
{
	struct ms_error *err;
	uint64_t sec, base;

	*ext = 0;
	err = ms_pageblock_section(po->pb, pfn, &sec);
	if (err || !sec)
		return err;
	err = ms_read_ptr(po->t, sec + (uint64_t)po->sec_page_ext, &base);
	if (err)
		return ms_error_wrap(err, "cannot read its mem_section's page_ext");
	if (!base || (base & MS_PAGE_EXT_INVALID))	/* page_ext_invalid() */
		return NULL;
	*ext = base + po->ext_size * pfn;		/* get_entry() */
	return NULL;
}

static struct ms_error *read_record(struct ms_page_owners *po, struct ms_page_owner_rec *rec)
{
	struct ms_target *t = po->t;
	unsigned int max_order = ms_pageblock_section_shift(po->pb);
	struct ms_error *err;
	uint64_t flags;

	err = lookup_page_ext(po, rec->pfn, &rec->page_ext);
	if (err || !rec->page_ext)
		return err;
	err = ms_read_uint(t, rec->page_ext + (uint64_t)po->flags_off, t->word_size, &flags);
	if (err)
		return ms_error_wrap(err, "cannot read page_ext %#llx", (unsigned long long)rec->page_ext);
	rec->flags_ok = true;
	rec->owner = (flags >> po->owner_bit) & 1;
	rec->allocated = (flags >> po->allocated_bit) & 1;
	if (!rec->owner)
		return NULL;	/* __dump_page_owner(): "not present (never set?)" */
	err = ms_read(t, rec->page_ext + po->owner_off, po->buf, po->size);
	if (err)
		return ms_error_wrap(err, "cannot read its page_owner at %#llx",
				     (unsigned long long)(rec->page_ext + po->owner_off));
	decode_owner(po, rec);
	rec->owner_ok = true;
	/* an allocation fits its section (MAX_PAGE_ORDER <= PFN_SECTION_SHIFT, mmzone.h) */
	if (rec->order > max_order)
		return ms_error_create(MS_ERR_CORRUPT, "page_owner order %u (at most %u)", rec->order,
				       max_order);
	rec->listed = rec->allocated && !(rec->pfn & ((1ull << rec->order) - 1)) && rec->handle;
	return NULL;
}

struct ms_error *ms_page_owner_get(struct ms_page_owners *po, uint64_t pfn,
				   struct ms_page_owner_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->pfn = pfn;
	rec->last_migrate_reason = -1;
	return ms_error_wrap(read_record(po, rec), "pfn %#llx", (unsigned long long)pfn);
}

/* Grouping by stack: page_owner_sort's culling, by handle instead of text. */

struct ms_po_tally {
	uint32_t handle;
	int32_t pid, tgid;
	char comm[MS_PAGE_OWNER_COMM_LEN + 1];
	uint64_t pages;
};

void ms_page_owner_groups_init(struct ms_page_owner_groups *g)
{
	memset(g, 0, sizeof(*g));
	ms_hash_init(&g->by_handle, true);
	ms_hash_init(&g->by_pid, true);
}

void ms_page_owner_groups_free(struct ms_page_owner_groups *g)
{
	ms_hash_fini(&g->by_handle);
	ms_hash_fini(&g->by_pid);
	free(g->v);
	free(g->tally);
	memset(g, 0, sizeof(*g));
}

static struct ms_error *group_of(struct ms_page_owner_groups *g, uint32_t handle,
				 struct ms_page_owner_group **grp)
{
	struct ms_page_owner_group *v;
	struct ms_hash_entry *e;
	struct ms_error *err;
	char key[16];
	bool added;

	snprintf(key, sizeof(key), "%08x", handle);
	v = ms_grow(g->v, &g->cap, g->nr, sizeof(*v), 64);
	if (!v)
		return &ms_error_nomem;
	g->v = v;
	err = ms_hash_put(&g->by_handle, key, &e, &added);
	if (err)
		return err;
	if (added) {
		e->value = g->nr;
		memset(&g->v[g->nr], 0, sizeof(g->v[0]));
		g->v[g->nr++].handle = handle;
	}
	*grp = &g->v[e->value];
	return NULL;
}

static struct ms_error *tally_of(struct ms_page_owner_groups *g, const struct ms_page_owner_rec *rec,
				 struct ms_po_tally **tp)
{
	struct ms_hash_entry *e;
	struct ms_po_tally *t;
	struct ms_error *err;
	char key[32];
	bool added;

	snprintf(key, sizeof(key), "%08x/%d", rec->handle, rec->pid);
	t = ms_grow(g->tally, &g->cap_tally, g->nr_tally, sizeof(*t), 64);
	if (!t)
		return &ms_error_nomem;
	g->tally = t;
	err = ms_hash_put(&g->by_pid, key, &e, &added);
	if (err)
		return err;
	if (added) {
		e->value = g->nr_tally;
		t = &g->tally[g->nr_tally++];
		memset(t, 0, sizeof(*t));
		t->handle = rec->handle;
		t->pid = rec->pid;
		t->tgid = rec->tgid;
		memcpy(t->comm, rec->comm, sizeof(t->comm));	/* its first allocation's */
	}
	*tp = &g->tally[e->value];
	return NULL;
}

struct ms_error *ms_page_owner_groups_add(struct ms_page_owner_groups *g,
					  const struct ms_page_owner_rec *rec)
{
	uint64_t pages = 1ull << rec->order;
	struct ms_page_owner_group *grp;
	struct ms_po_tally *tally;
	struct ms_error *err;

	if (!rec->listed)
		return NULL;
	err = group_of(g, rec->handle, &grp);
	if (!err)
		err = tally_of(g, rec, &tally);
	if (err)
		return err;
	grp->allocs++;
	grp->pages += pages;
	tally->pages += pages;
	/* tallies only grow: the running maximum is the group's top pid */
	if (tally->pages > grp->top_pages) {
		grp->top_pages = tally->pages;
		grp->top_pid = tally->pid;
		grp->top_tgid = tally->tgid;
		memcpy(grp->top_comm, tally->comm, sizeof(grp->top_comm));
	}
	g->allocs++;
	g->pages += pages;
	return NULL;
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct ms_page_owner_group *a = pa, *b = pb;

	if (a->pages != b->pages)
		return a->pages > b->pages ? -1 : 1;
	if (a->allocs != b->allocs)
		return a->allocs > b->allocs ? -1 : 1;
	return a->handle < b->handle ? -1 : a->handle > b->handle;
}

void ms_page_owner_groups_sort(struct ms_page_owner_groups *g)
{
	char key[16];

	if (g->nr > 1)
		qsort(g->v, g->nr, sizeof(g->v[0]), cmp_group);
	for (size_t i = 0; i < g->nr; i++) {	/* the index follows the groups */
		struct ms_hash_entry *e;

		snprintf(key, sizeof(key), "%08x", g->v[i].handle);
		e = ms_hash_get(&g->by_handle, key);
		if (e)
			e->value = i;
	}
}
