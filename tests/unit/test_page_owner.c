/*
 * test_page_owner.c - page_owner (page_owner.c) and the stack depot
 * (stackdepot.c) on synthetic kernels in 6.1's and 6.12's x86_64 layouts:
 * allocated, freed, tail and never-owned pfns, sections without page_ext or
 * with it marked invalid, handles decoded to their records, handle 0,
 * garbage handles and oversized or freed records (corrupt), a filtered
 * page_ext (missing, with what was read), page_owner off or absent
 * (unsupported), and the allocations grouped by stack.
 *
 * The layouts are the kernels' own, on x86_64 (LP64, 4 KiB pages), from the
 * sources of v6.1 (830b3c68c1fb) and v6.12 (adc218676eef):
 *   struct page_owner (mm/page_owner.c): order 0 (2), last_migrate_reason 2
 *     (2), gfp_mask 4, handle 8, free_handle 12, ts_nsec 16, free_ts_nsec 24,
 *     comm[16] 32, pid 48, tgid 52: 56 bytes; 6.12 adds free_pid 56,
 *     free_tgid 60: 64 bytes
 *   struct page_ext { unsigned long flags; }: 8; page_owner is the first
 *     client (page_ext_ops[]), so page_owner_ops.offset is 8 and page_ext_size
 *     8 + 56 = 64 (6.1), 8 + 64 = 72 (6.12)
 *   struct page_ext_operations: offset 0 (size_t): 32 bytes, 40 in 6.12
 *     (need_shared_flags)
 *   struct mem_section: section_mem_map 0, usage 8, page_ext 16, pad 24: 32
 *   struct stack_record 6.1 (lib/stackdepot.c): next 0, hash 8, size 12,
 *     handle 16, entries[] 24: 24 bytes; 6.12 (include/linux/stackdepot.h):
 *     hash_list 0 (16), hash 16, size 20, handle 24, count 28 (refcount_t),
 *     entries[CONFIG_STACKDEPOT_MAX_FRAMES = 64] 32: 544 bytes
 *   union handle_parts: 6.1 slabindex:16 offset:10 valid:1 extra:5, 6.12
 *     pool_index_plus_1:17 offset:10 extra:5, from bit 0
 *   struct static_key_false { struct static_key key; }, static_key.enabled 0
 *     (atomic_t, counter 0)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "page_owner.h"
#include "page_owner_stacks.h"
#include "stackdepot.h"
#include "suites.h"

#define SEC_PAGES 32768ull		/* SECTION_SIZE_BITS 27 - PAGE_SHIFT 12 */
#define SB SEC_PAGES			/* the first pfn of section 1 */
#define NR_EXT 64			/* page_ext entries mapped in section 1 */
#define POOL_SIZE 16384			/* STACK_ALLOC_SIZE / DEPOT_POOL_SIZE */
#define PO_OFF 8			/* page_owner_ops.offset */
#define OWNER 0x1ull			/* 1 << PAGE_EXT_OWNER */
#define ALLOCATED 0x2ull		/* 1 << PAGE_EXT_OWNER_ALLOCATED */

struct era {
	const char *name;
	bool v612;
	long po_size, ext_size, ops_size;
	long rec_entries, rec_size, entries_size;
	unsigned int too_many;		/* a record size the kernel cannot have stored */
};

static const struct era eras[] = {
	{ "6.1", false, 56, 64, 32, 24, 24, 0, 3000 },	/* 2045 frames fit a slab */
	{ "6.12", true, 64, 72, 40, 32, 544, 512, 65 },	/* above MAX_FRAMES 64 */
};

struct world {
	struct fake *f;
	const struct era *e;
	uint64_t root0;			/* sections 0..127 */
	uint64_t ext;			/* section 1's page_ext array */
	uint64_t key, pools[2], disabled;
};

static void layout(struct fake *f, const struct era *e)
{
	fake_struct(f, "mem_section", 32);
	fake_member(f, "mem_section", "section_mem_map", 0, 8);
	fake_member(f, "mem_section", "usage", 8, 8);
	fake_member(f, "mem_section", "page_ext", 16, 8);
	fake_struct(f, "mem_section_usage", 24);
	fake_member(f, "mem_section_usage", "subsection_map", 16, 8);
	fake_member(f, "mem_section_usage", "pageblock_flags", 24, 0);
	fake_struct(f, "page_ext", 8);
	fake_member(f, "page_ext", "flags", 0, 8);
	fake_enum(f, "PAGE_EXT_OWNER", 0);
	fake_enum(f, "PAGE_EXT_OWNER_ALLOCATED", 1);
	fake_struct(f, "page_ext_operations", e->ops_size);
	fake_member(f, "page_ext_operations", "offset", 0, 8);
	fake_struct(f, "static_key_false", 16);
	fake_member(f, "static_key_false", "key", 0, 16);
	fake_struct(f, "static_key", 16);
	fake_member(f, "static_key", "enabled", 0, 4);
	fake_struct(f, "atomic_t", 4);
	fake_member(f, "atomic_t", "counter", 0, 4);
	fake_struct(f, "page_owner", e->po_size);
	fake_member(f, "page_owner", "order", 0, 2);
	fake_member(f, "page_owner", "last_migrate_reason", 2, 2);
	fake_member(f, "page_owner", "gfp_mask", 4, 4);
	fake_member(f, "page_owner", "handle", 8, 4);
	fake_member(f, "page_owner", "free_handle", 12, 4);
	fake_member(f, "page_owner", "ts_nsec", 16, 8);
	fake_member(f, "page_owner", "free_ts_nsec", 24, 8);
	fake_member(f, "page_owner", "comm", 32, 16);
	fake_member(f, "page_owner", "pid", 48, 4);
	fake_member(f, "page_owner", "tgid", 52, 4);
	fake_struct(f, "stack_record", e->rec_size);
	fake_member(f, "stack_record", "size", e->v612 ? 20 : 12, 4);
	fake_member(f, "stack_record", "handle", e->v612 ? 24 : 16, 4);
	fake_member(f, "stack_record", "entries", e->rec_entries, e->entries_size);
	fake_struct(f, "handle_parts", 4);
	fake_member(f, "handle_parts", "handle", 0, 4);
	fake_member(f, "handle_parts", "offset", 0, 4);
	fake_member(f, "handle_parts", "extra", 0, 4);
	if (e->v612) {
		fake_member(f, "page_owner", "free_pid", 56, 4);
		fake_member(f, "page_owner", "free_tgid", 60, 4);
		fake_member(f, "stack_record", "hash_list", 0, 16);
		fake_member(f, "stack_record", "count", 28, 4);
		fake_member(f, "handle_parts", "pool_index_plus_1", 0, 4);
	} else {
		fake_member(f, "stack_record", "next", 0, 8);
		fake_member(f, "handle_parts", "slabindex", 0, 4);
		fake_member(f, "handle_parts", "valid", 0, 4);
	}
}

/* SPARSEMEM_EXTREME: mem_section -> 4 roots -> root 0's 128 sections. */
static uint64_t sections(struct fake *f)
{
	uint64_t var = fake_alloc(f, 8), roots = fake_alloc(f, 4 * 8), root0 = fake_alloc(f, 4096);
	char hex[32];

	fake_put_u64(f, roots, root0);
	fake_put_u64(f, var, roots);
	fake_symbol(f, "mem_section", var);
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)roots);
	fake_vmcoreinfo(f, "SYMBOL(mem_section)", hex);
	fake_vmcoreinfo(f, "LENGTH(mem_section)", "4");
	fake_vmcoreinfo(f, "NUMBER(SECTION_SIZE_BITS)", "27");
	fake_vmcoreinfo(f, "NUMBER(MAX_PHYSMEM_BITS)", "46");
	return root0;
}

/* The globals: the static key, page_ext_size, page_owner_ops, the depot. */
static void globals(struct world *w)
{
	struct fake *f = w->f;
	const struct era *e = w->e;
	uint64_t a, pools = fake_alloc(f, 8 * 8);

	w->key = fake_alloc(f, 16);
	fake_put_u32(f, w->key, 1);			/* static_branch_enable() */
	fake_symbol(f, "page_owner_inited", w->key);
	a = fake_alloc(f, 8);
	fake_put_u64(f, a, (uint64_t)e->ext_size);
	fake_symbol(f, "page_ext_size", a);
	a = fake_alloc(f, (size_t)e->ops_size);
	fake_put_u64(f, a, PO_OFF);
	fake_symbol(f, "page_owner_ops", a);
	for (int i = 0; i < 2; i++) {
		w->pools[i] = fake_alloc(f, POOL_SIZE);
		fake_put_u64(f, pools + 8ull * i, w->pools[i]);
	}
	a = fake_alloc(f, 4);
	fake_symbol(f, e->v612 ? "stack_pools" : "stack_slabs", pools);
	fake_put_u32(f, a, e->v612 ? 2 : 1);		/* pools_num / depot_index */
	fake_symbol(f, e->v612 ? "pools_num" : "depot_index", a);
	if (e->v612) {
		w->disabled = fake_alloc(f, 1);
		fake_symbol(f, "stack_depot_disabled", w->disabled);
	}
}

/* union handle_parts, as the kernel packs it. */
static uint32_t handle(const struct era *e, uint32_t pool, uint32_t offset)
{
	if (e->v612)
		return (pool + 1) | (offset >> 4) << 17;
	return pool | (offset >> 4) << 16 | 1u << 26;	/* valid = 1 */
}

static void record(struct world *w, int pool, uint32_t offset, uint32_t size, uint32_t count,
		   const uint64_t *entries, unsigned int n)
{
	uint64_t r = w->pools[pool] + offset;

	fake_put_u32(w->f, r + (w->e->v612 ? 20 : 12), size);
	fake_put_u32(w->f, r + (w->e->v612 ? 24 : 16), handle(w->e, (uint32_t)pool, offset));
	if (w->e->v612)
		fake_put_u32(w->f, r + 28, count);
	for (unsigned int i = 0; i < n; i++)
		fake_put_u64(w->f, r + (uint64_t)w->e->rec_entries + 8 * i, entries[i]);
}

static uint64_t ext_of(const struct world *w, uint64_t pfn)
{
	return w->ext + (pfn - SB) * (uint64_t)w->e->ext_size;
}

static void owner(struct world *w, uint64_t pfn, uint64_t flags, unsigned int order,
		  uint32_t h, int32_t pid, const char *comm)
{
	uint64_t x = ext_of(w, pfn), po = x + PO_OFF;
	uint16_t ord = (uint16_t)order;
	int16_t reason = -1;

	fake_put_u64(w->f, x, flags);
	fake_put(w->f, po, &ord, 2);
	fake_put(w->f, po + 2, &reason, 2);
	fake_put_u32(w->f, po + 4, 0xcc0);		/* GFP_KERNEL */
	fake_put_u32(w->f, po + 8, h);
	fake_put_u64(w->f, po + 16, 1000u * (uint32_t)pid);
	fake_put(w->f, po + 32, comm, strlen(comm) + 1);
	fake_put_u32(w->f, po + 48, (uint32_t)pid);
	fake_put_u32(w->f, po + 52, (uint32_t)pid + 1);
}

static const uint64_t st1[] = { 0xffffffff81234560ull, 0xffffffff81234570ull, 0xffffffff81234580ull };
static const uint64_t st2[] = { 0xffffffffc0001000ull, 0xffffffffc0001010ull, 0xffffffffc0001020ull,
				0xffffffffc0001030ull, 0xffffffffc0001040ull };
static const uint64_t st3[] = { 0xffffffff81100000ull, 0xffffffff81100008ull };

/*
 * A kernel with page_owner on:
 *   section 0 has no page_ext, section 2's is marked invalid
 *   SB, SB+1: order 0 by pid 100 (stack 1); SB+2: order 0 by pid 200 (stack 1)
 *   SB+4..7: order 2 by pid 300 (stack 2); SB+8: freed; SB+9: never owned
 *   SB+16..23: order 3 by pid 400 (stack 3); SB+24: allocated, no handle
 */
static struct world make(const struct era *e)
{
	struct world w = { .f = fake_new(), .e = e };
	uint32_t h1 = handle(e, 0, 0), h2 = handle(e, 1, 0x40), h3 = handle(e, 0, 0x400);

	layout(w.f, e);
	w.root0 = sections(w.f);
	globals(&w);
	w.ext = fake_alloc(w.f, NR_EXT * (size_t)e->ext_size);
	fake_put_u64(w.f, w.root0 + 32 + 16, w.ext - SB * (uint64_t)e->ext_size);	/* biased */
	fake_put_u64(w.f, w.root0 + 64 + 16, (w.ext - 2 * SB * (uint64_t)e->ext_size) | 1);
	record(&w, 0, 0, 3, 1, st1, 3);
	record(&w, 1, 0x40, 5, 2, st2, 5);
	record(&w, 0, 0x400, 2, 0xc0000000u, st3, 2);	/* REFCOUNT_SATURATED: persistent */
	owner(&w, SB, OWNER | ALLOCATED, 0, h1, 100, "bash");
	owner(&w, SB + 1, OWNER | ALLOCATED, 0, h1, 100, "bash");
	owner(&w, SB + 2, OWNER | ALLOCATED, 0, h1, 200, "sshd");
	for (int i = 4; i < 8; i++)
		owner(&w, SB + i, OWNER | ALLOCATED, 2, h2, 300, "kworker/0:1");
	owner(&w, SB + 8, OWNER, 0, h1, 100, "bash");
	fake_put_u32(w.f, ext_of(&w, SB + 8) + PO_OFF + 12, h2);	/* free_handle */
	for (int i = 16; i < 24; i++)
		owner(&w, SB + i, OWNER | ALLOCATED, 3, h3, 400, "systemd");
	owner(&w, SB + 24, OWNER | ALLOCATED, 0, 0, 500, "init");
	return w;
}

static struct ms_page_owners *open_ok(struct world *w)
{
	struct ms_page_owners *po = NULL;
	struct ms_error *err = ms_page_owner_open(fake_target(w->f), &po);

	ck_assert_msg(!err, "%s", err ? ms_error_string(err) : "");
	ck_assert_ptr_nonnull(po);
	return po;
}

static void get_ok(struct ms_page_owners *po, uint64_t pfn, struct ms_page_owner_rec *rec)
{
	struct ms_error *err = ms_page_owner_get(po, pfn, rec);

	ck_assert_msg(!err, "%s", err ? ms_error_string(err) : "");
}

START_TEST(test_lookup)
{
	struct world w = make(&eras[_i]);
	struct ms_page_owners *po = open_ok(&w);
	struct ms_page_owner_rec r;

	get_ok(po, SB + 2, &r);
	ck_assert_uint_eq(r.page_ext, w.ext + 2 * (uint64_t)w.e->ext_size);
	ck_assert(r.flags_ok && r.owner && r.allocated && r.owner_ok && r.listed);
	ck_assert_uint_eq(r.order, 0);
	ck_assert_int_eq(r.last_migrate_reason, -1);
	ck_assert_uint_eq(r.gfp_mask, 0xcc0);
	ck_assert_uint_eq(r.handle, handle(w.e, 0, 0));
	ck_assert_int_eq(r.pid, 200);
	ck_assert_int_eq(r.tgid, 201);
	ck_assert_uint_eq(r.ts_nsec, 200000);
	ck_assert_str_eq(r.comm, "sshd");
	ck_assert(r.has_free_pid == w.e->v612);

	get_ok(po, SB + 4, &r);				/* an order-2 head */
	ck_assert(r.listed);
	ck_assert_uint_eq(r.order, 2);
	ck_assert_str_eq(r.comm, "kworker/0:1");
	get_ok(po, SB + 6, &r);				/* its tail: not listed */
	ck_assert(r.owner && r.allocated && !r.listed);

	get_ok(po, SB + 8, &r);				/* freed */
	ck_assert(r.owner && !r.allocated && !r.listed);
	ck_assert_uint_eq(r.free_handle, handle(w.e, 1, 0x40));
	get_ok(po, SB + 9, &r);				/* never owned */
	ck_assert(r.flags_ok && !r.owner && !r.owner_ok && !r.listed);
	get_ok(po, SB + 24, &r);			/* no handle: not listed */
	ck_assert(r.allocated && !r.listed);

	get_ok(po, 5, &r);				/* section 0: no page_ext */
	ck_assert_uint_eq(r.page_ext, 0);
	ck_assert(!r.flags_ok && !r.owner);
	get_ok(po, 2 * SB + 3, &r);			/* invalid (PAGE_EXT_INVALID) */
	ck_assert_uint_eq(r.page_ext, 0);
	get_ok(po, 600 * SB, &r);			/* beyond the roots */
	ck_assert_uint_eq(r.page_ext, 0);
	ms_page_owner_close(po);
	fake_free(w.f);
}
END_TEST

static void fetch_ok(struct ms_stackdepot *d, uint32_t h, const uint64_t *want, unsigned int n)
{
	uint64_t got[MS_STACKDEPOT_MAX_FRAMES];
	unsigned int nr = 99;
	struct ms_error *err = ms_stackdepot_fetch(d, h, got, MS_STACKDEPOT_MAX_FRAMES, &nr);

	ck_assert_msg(!err, "%s", err ? ms_error_string(err) : "");
	ck_assert_uint_eq(nr, n);
	for (unsigned int i = 0; i < n; i++)
		ck_assert_uint_eq(got[i], want[i]);
}

static void fetch_fails(struct ms_stackdepot *d, uint32_t h, enum ms_error_code code,
			const char *text)
{
	uint64_t got[4];
	unsigned int nr = 99;
	struct ms_error *err = ms_stackdepot_fetch(d, h, got, 4, &nr);

	ck_assert_ptr_nonnull(err);
	ck_assert_msg(ms_error_is(err, code), "%s", ms_error_string(err));
	ck_assert_msg(strstr(ms_error_string(err), text), "%s", ms_error_string(err));
	ck_assert_uint_eq(nr, 0);
	ms_error_destroy(err);
}

START_TEST(test_handles)
{
	struct world w = make(&eras[_i]);
	struct ms_page_owners *po = open_ok(&w);
	struct ms_stackdepot *d = ms_page_owner_depot(po);
	struct ms_page_owner_rec r;
	struct ms_stack_handle h;
	uint64_t two[2];
	unsigned int nr;

	ck_assert_str_eq(ms_stackdepot_era(d), w.e->name);
	get_ok(po, SB + 4, &r);
	ms_stackdepot_decode(d, r.handle, &h);
	ck_assert_uint_eq(h.pool, 1);
	ck_assert_uint_eq(h.offset, 0x40);
	ck_assert_uint_eq(h.extra, 0);
	ck_assert(h.valid);
	fetch_ok(d, r.handle, st2, 5);
	fetch_ok(d, handle(w.e, 0, 0), st1, 3);		/* pool 0, offset 0 */
	fetch_ok(d, handle(w.e, 0, 0x400), st3, 2);
	fetch_ok(d, 0, NULL, 0);			/* handle 0: no stack */
	/* a short buffer: the record's size, its first entries */
	ck_assert_ptr_null(ms_stackdepot_fetch(d, handle(w.e, 1, 0x40), two, 2, &nr));
	ck_assert_uint_eq(nr, 5);
	ck_assert_uint_eq(two[1], st2[1]);

	fetch_fails(d, handle(w.e, 5, 0), MS_ERR_CORRUPT, "out of bounds");
	fetch_fails(d, handle(w.e, 2, 0), MS_ERR_CORRUPT, "out of bounds");
	record(&w, 1, 0x800, w.e->too_many, 1, st1, 3);
	fetch_fails(d, handle(w.e, 1, 0x800), MS_ERR_CORRUPT, "frames");
	fake_missing(w.f, w.pools[1] + 0x1000, 0x1000);
	record(&w, 1, 0x1000, 3, 1, st1, 3);
	fetch_fails(d, handle(w.e, 1, 0x1000), MS_ERR_MISSING, "cannot read its record");
	if (w.e->v612) {
		fetch_fails(d, 1u << 17, MS_ERR_CORRUPT, "out of bounds");	/* pool_index_plus_1 0 */
		record(&w, 0, 0x800, 3, 0, st1, 3);
		fetch_fails(d, handle(w.e, 0, 0x800), MS_ERR_CORRUPT, "refcount 0");
	}
	ms_page_owner_close(po);
	fake_free(w.f);
}
END_TEST

START_TEST(test_depot_disabled_6_12)
{
	struct world w = make(&eras[1]);
	struct ms_stackdepot *d;

	fake_put(w.f, w.disabled, "\1", 1);		/* stack_depot_disable=on */
	ck_assert_ptr_null(ms_stackdepot_open(fake_target(w.f), &d));
	fetch_ok(d, handle(w.e, 0, 0), NULL, 0);	/* stack_depot_fetch() returns 0 */
	ms_stackdepot_close(d);
	fake_free(w.f);
}
END_TEST

START_TEST(test_depot_era_not_handled)
{
	struct fake *f = fake_new();
	struct ms_stackdepot *d = NULL;
	struct ms_error *err;

	/* 6.3-6.7's shape: stack_pools, pool_index, handle_parts.pool_index */
	fake_symbol(f, "stack_pools", fake_alloc(f, 64));
	fake_symbol(f, "pool_index", fake_alloc(f, 4));
	fake_member(f, "handle_parts", "pool_index", 0, 4);
	fake_member(f, "handle_parts", "offset", 0, 4);
	fake_member(f, "handle_parts", "valid", 0, 4);
	fake_member(f, "handle_parts", "extra", 0, 4);
	err = ms_stackdepot_open(fake_target(f), &d);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "not handled"));
	ck_assert_ptr_null(d);
	ms_error_destroy(err);
	fake_free(f);

	f = fake_new();					/* CONFIG_STACKDEPOT off */
	err = ms_stackdepot_open(fake_target(f), &d);
	ck_assert(ms_error_is(err, MS_ERR_UNSUPPORTED));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "no stack depot"));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(test_filtered_page_ext)
{
	struct world w = make(&eras[_i]);
	struct ms_page_owners *po = open_ok(&w);
	struct ms_page_owner_rec r;
	struct ms_error *err;

	fake_missing(w.f, ext_of(&w, SB + 2), (size_t)w.e->ext_size);
	err = ms_page_owner_get(po, SB + 2, &r);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "cannot read page_ext"));
	ck_assert_uint_eq(r.page_ext, ext_of(&w, SB + 2));	/* where it is */
	ck_assert(!r.flags_ok && !r.listed);
	ms_error_destroy(err);

	/* the flags readable, the page_owner after them not */
	fake_missing(w.f, ext_of(&w, SB + 4) + PO_OFF, (size_t)w.e->po_size);
	err = ms_page_owner_get(po, SB + 4, &r);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "cannot read its page_owner"));
	ck_assert(r.flags_ok && r.owner && r.allocated && !r.owner_ok && !r.listed);
	ms_error_destroy(err);

	/* an order no allocation has: corrupt, the record kept */
	fake_put(w.f, ext_of(&w, SB + 1) + PO_OFF, "\x40\0", 2);
	err = ms_page_owner_get(po, SB + 1, &r);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert(r.owner_ok && !r.listed);
	ck_assert_int_eq(r.pid, 100);
	ms_error_destroy(err);
	ms_page_owner_close(po);
	fake_free(w.f);
}
END_TEST

static void open_unsupported(struct fake *f, const char *text)
{
	struct ms_page_owners *po = NULL;
	struct ms_error *err = ms_page_owner_open(fake_target(f), &po);

	ck_assert_ptr_nonnull(err);
	ck_assert_msg(ms_error_is(err, MS_ERR_UNSUPPORTED), "%s", ms_error_string(err));
	ck_assert_msg(strstr(ms_error_string(err), text), "%s", ms_error_string(err));
	ck_assert_ptr_null(po);
	ms_error_destroy(err);
}

START_TEST(test_unsupported)
{
	struct world w = make(&eras[_i]);
	struct fake *f;

	fake_put_u32(w.f, w.key, 0);			/* built in, page_owner=off */
	open_unsupported(w.f, "not enabled at boot");
	fake_free(w.f);

	/* a fresh fake each: the target remembers what it did not find */
	f = fake_new();					/* CONFIG_PAGE_OWNER off */
	layout(f, &eras[_i]);
	sections(f);
	open_unsupported(f, "not built in");
	fake_free(f);

	f = fake_new();					/* no struct page_owner */
	fake_symbol(f, "page_owner_inited", fake_alloc(f, 16));
	open_unsupported(f, "no struct page_owner");
	fake_free(f);

	f = fake_new();					/* no CONFIG_PAGE_EXTENSION */
	fake_symbol(f, "page_owner_inited", fake_alloc(f, 16));
	fake_struct(f, "page_owner", eras[_i].po_size);
	fake_struct(f, "mem_section", 16);
	open_unsupported(f, "no mem_section.page_ext");
	fake_free(f);
}
END_TEST

START_TEST(test_groups_from_dump)
{
	struct world w = make(&eras[_i]);
	struct ms_page_owners *po = open_ok(&w);
	struct ms_page_owner_groups g;
	struct ms_page_owner_rec r;

	fake_missing(w.f, ext_of(&w, SB + 32), (size_t)w.e->ext_size);
	ms_page_owner_groups_init(&g);
	for (uint64_t pfn = SB; pfn < SB + NR_EXT; pfn++) {
		struct ms_error *err = ms_page_owner_get(po, pfn, &r);

		ck_assert(!err || pfn == SB + 32);
		ms_error_destroy(err);
		ck_assert_ptr_null(ms_page_owner_groups_add(&g, &r));
	}
	ms_page_owner_groups_sort(&g);
	ck_assert_uint_eq(g.nr, 3);
	ck_assert_uint_eq(g.allocs, 5);
	ck_assert_uint_eq(g.pages, 15);
	ck_assert_uint_eq(g.v[0].handle, handle(w.e, 0, 0x400));	/* order 3 */
	ck_assert_uint_eq(g.v[0].pages, 8);
	ck_assert_uint_eq(g.v[0].allocs, 1);
	ck_assert_str_eq(g.v[0].top_comm, "systemd");
	ck_assert_uint_eq(g.v[1].handle, handle(w.e, 1, 0x40));	/* order 2 */
	ck_assert_uint_eq(g.v[1].pages, 4);
	ck_assert_int_eq(g.v[1].top_pid, 300);
	ck_assert_uint_eq(g.v[2].handle, handle(w.e, 0, 0));		/* 3 x order 0 */
	ck_assert_uint_eq(g.v[2].allocs, 3);
	ck_assert_uint_eq(g.v[2].pages, 3);
	ck_assert_int_eq(g.v[2].top_pid, 100);			/* 2 of the 3 */
	ck_assert_int_eq(g.v[2].top_tgid, 101);
	ck_assert_str_eq(g.v[2].top_comm, "bash");
	ck_assert_uint_eq(g.v[2].top_pages, 2);
	ms_page_owner_groups_free(&g);
	ms_page_owner_close(po);
	fake_free(w.f);
}
END_TEST

static struct ms_page_owner_rec alloc(uint32_t h, unsigned int order, int32_t pid, const char *comm)
{
	struct ms_page_owner_rec r = { .listed = true, .handle = h, .order = order, .pid = pid };

	snprintf(r.comm, sizeof(r.comm), "%s", comm);
	return r;
}

START_TEST(test_groups_sorted)
{
	struct ms_page_owner_rec v[] = {
		alloc(0xa, 0, 1, "a"), alloc(0xb, 2, 2, "b"), alloc(0xc, 1, 3, "c"),
		alloc(0xc, 1, 4, "d"), alloc(0xd, 2, 5, "e"), alloc(0xa, 0, 6, "f"),
		alloc(0xa, 0, 6, "f"), alloc(0xe, 4, 7, "g"),
	};
	struct ms_page_owner_rec tail = alloc(0xe, 4, 7, "g");
	struct ms_page_owner_groups g;

	tail.listed = false;				/* tails and frees are not counted */
	ms_page_owner_groups_init(&g);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		ck_assert_ptr_null(ms_page_owner_groups_add(&g, &v[i]));
	ck_assert_ptr_null(ms_page_owner_groups_add(&g, &tail));
	ms_page_owner_groups_sort(&g);
	/* pages: e 16; c 4 in 2, b 4 in 1, d 4 in 1 (handle order); a 3 */
	ck_assert_uint_eq(g.nr, 5);
	ck_assert_uint_eq(g.v[0].handle, 0xe);
	ck_assert_uint_eq(g.v[1].handle, 0xc);
	ck_assert_uint_eq(g.v[2].handle, 0xb);
	ck_assert_uint_eq(g.v[3].handle, 0xd);
	ck_assert_uint_eq(g.v[4].handle, 0xa);
	ck_assert_int_eq(g.v[4].top_pid, 6);
	ck_assert_str_eq(g.v[4].top_comm, "f");
	ck_assert_int_eq(g.v[1].top_pid, 3);		/* a tie: the first to get there */
	/* adds go on after a sort */
	ck_assert_ptr_null(ms_page_owner_groups_add(&g, &v[1]));
	ck_assert_uint_eq(g.nr, 5);
	ck_assert_uint_eq(g.v[2].pages, 8);
	ms_page_owner_groups_sort(&g);
	ck_assert_uint_eq(g.v[1].handle, 0xb);
	ck_assert_uint_eq(g.allocs, 9);
	ck_assert_uint_eq(g.pages, 35);
	ms_page_owner_groups_free(&g);
}
END_TEST

/* The census's hook: the pfns of one class looked up, tails skipped, the
 * allocations grouped, the top stacks read back from the depot. */
START_TEST(test_stacks_of_a_class)
{
	struct world w = make(&eras[_i]);
	struct ms_po_stacks s;
	fake_symbol(w.f, "__alloc_pages", st3[0]);
	ck_assert_ptr_null(ms_po_stacks_begin(fake_target(w.f), MS_CC_NO_OWNER, &s));
	ck_assert(s.available);
	/* SB+2 is slab: not asked about; SB+32 cannot be read */
	fake_missing(w.f, ext_of(&w, SB + 32), (size_t)w.e->ext_size);
	for (uint64_t pfn = SB; pfn < SB + 40; pfn++)
		ms_po_stacks_each(&s, pfn, pfn == SB + 2 ? MS_CC_SLAB : MS_CC_NO_OWNER);
	ck_assert_ptr_null(ms_po_stacks_end(fake_target(w.f), &s));
	ck_assert_uint_eq(s.class_pages, 39);
	/* SB, SB+1 (order 0), SB+4..7 (order 2), SB+16..23 (order 3) */
	ck_assert_uint_eq(s.owned_pages, 14);
	ck_assert_uint_eq(s.allocs, 4);
	ck_assert_uint_eq(s.read_failed, 1);
	ck_assert_uint_eq(s.nr_stacks, 3);
	ck_assert_uint_eq(s.nr, 3);
	ck_assert_uint_eq(s.v[0].pages, 8);
	ck_assert_str_eq(s.v[0].top_comm, "systemd");
	ck_assert_uint_eq(s.v[0].nr_frames, 2);
	ck_assert_str_eq(s.v[0].frames[0], "__alloc_pages+0x0");	/* kallsyms_lookup() */
	ck_assert_str_eq(s.v[0].frames[1], "__alloc_pages+0x8");
	ck_assert_uint_eq(s.v[1].nr_frames, 5);
	ck_assert_uint_eq(s.v[2].pages, 2);		/* SB+2 was slab */
	ck_assert_int_eq(s.v[2].top_pid, 100);
	/* no modules list: every stack is the kernel's */
	ck_assert_uint_eq(s.nr_modules, 1);
	ck_assert_str_eq(s.modules[0].name, "");
	ck_assert_uint_eq(s.modules[0].pages, 14);
	ms_po_stacks_free(&s);
	fake_free(w.f);
}
END_TEST

/* Without page_owner, the reason and the class's size, and no stacks. */
START_TEST(test_stacks_unavailable)
{
	struct fake *f = fake_new();
	struct ms_po_stacks s;

	ck_assert_ptr_null(ms_po_stacks_begin(fake_target(f), MS_CC_NO_OWNER, &s));
	ck_assert(!s.available);
	ck_assert_ptr_nonnull(strstr(s.why, "not built in"));
	ms_po_stacks_each(&s, 5, MS_CC_NO_OWNER);
	ms_po_stacks_each(&s, 6, MS_CC_SLAB);
	ck_assert_ptr_null(ms_po_stacks_end(fake_target(f), &s));
	ck_assert_uint_eq(s.class_pages, 1);
	ck_assert_uint_eq(s.nr, 0);
	ms_po_stacks_free(&s);
	fake_free(f);
}
END_TEST

static Suite *page_owner_suite(void)
{
	Suite *s = suite_create("page_owner");
	TCase *tc = tcase_create("page_owner");

	tcase_add_loop_test(tc, test_lookup, 0, 2);
	tcase_add_loop_test(tc, test_handles, 0, 2);
	tcase_add_test(tc, test_depot_disabled_6_12);
	tcase_add_test(tc, test_depot_era_not_handled);
	tcase_add_loop_test(tc, test_filtered_page_ext, 0, 2);
	tcase_add_loop_test(tc, test_unsupported, 0, 2);
	tcase_add_loop_test(tc, test_groups_from_dump, 0, 2);
	tcase_add_test(tc, test_groups_sorted);
	tcase_add_loop_test(tc, test_stacks_of_a_class, 0, 2);
	tcase_add_test(tc, test_stacks_unavailable);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(page_owner_suite)
