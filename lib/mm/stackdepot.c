/*
 * stackdepot.c - stack depot records by handle, as stack_depot_fetch() finds them.
 *
 * v6.1 (lib/stackdepot.c): union handle_parts { slabindex, offset, valid,
 * extra } over a u32; the record is at stack_slabs[slabindex] +
 * (offset << STACK_ALLOC_ALIGN); an index above depot_index (the last slab
 * in use) is refused with a WARN; struct stack_record { next, hash, size,
 * handle, entries[] } with a flexible entries[]: a record lies within one
 * slab of STACK_ALLOC_SIZE bytes (depot_alloc_stack()).
 *
 * v6.12 (include/linux/stackdepot.h, since 6.8): { pool_index_plus_1,
 * offset, extra } (no valid bit: 6.8 made 0 mean "no pool" instead, so the
 * first record no longer has handle 0); depot_fetch_stack() refuses
 * pool_index_plus_1 - 1 >= pools_num, a NULL pool, and a record whose
 * refcount is 0 (freed); struct stack_record { hash_list, hash, size,
 * handle, count, entries[CONFIG_STACKDEPOT_MAX_FRAMES] }; stack_depot_fetch()
 * returns nothing while stack_depot_disabled.
 *
 * The bitfield widths are macros, not in debug info: they are the era's row
 * of the table below, the era told by which symbols and members exist.
 * Bitfields are allocated from the low bits on little-endian (x86_64), from
 * the high bits on big-endian (GCC's ABIs).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "stackdepot.h"

#define MS_DEPOT_HANDLE_BITS 32		/* sizeof(depot_stack_handle_t) * 8 */

struct depot_era {
	const char *name;
	const char *pools_sym;		/* the pools' array */
	const char *count_sym;		/* how many are in use */
	bool count_is_last;		/* count_sym is the last index in use, not a count */
	const char *index_member;	/* union handle_parts' pool index field */
	bool index_plus_1;		/* the field is the index + 1, 0 meaning none */
	bool refcount;			/* stack_record.count; 0 is a freed record */
	const char *disabled_sym;	/* stack_depot_fetch() returns 0 while set, or NULL */
	unsigned int pool_order;	/* a pool is 1 << (PAGE_SHIFT + this) bytes */
	unsigned int align;		/* records are 1 << this aligned; offset is in those units */
	unsigned int valid_bits;	/* the valid bit between offset and extra */
	unsigned int extra_bits;
	unsigned int pools_cap;		/* the pools' array: min(this, 1 << index bits [- 1]) */
	bool cap_minus_1;
};

static const struct depot_era eras[] = {
	{
		/* v6.1's lib/stackdepot.c (stack_slabs until the 6.3 rename) */
		.name = "6.1",
		.pools_sym = "stack_slabs",
		.count_sym = "depot_index",
		.count_is_last = true,
		.index_member = "slabindex",
		.pool_order = 2,	/* STACK_ALLOC_ORDER */
		.align = 4,		/* STACK_ALLOC_ALIGN */
		.valid_bits = 1,	/* STACK_ALLOC_NULL_PROTECTION_BITS */
		.extra_bits = 5,	/* STACK_DEPOT_EXTRA_BITS (include/linux/stackdepot.h) */
		.pools_cap = 8192,	/* STACK_ALLOC_SLABS_CAP, in STACK_ALLOC_MAX_SLABS */
	},
	{
		/* v6.8+, include/linux/stackdepot.h and lib/stackdepot.c */
		.name = "6.12",
		.pools_sym = "stack_pools",
		.count_sym = "pools_num",
		.index_member = "pool_index_plus_1",
		.index_plus_1 = true,
		.refcount = true,
		.disabled_sym = "stack_depot_disabled",
		.pool_order = 2,	/* DEPOT_POOL_ORDER */
		.align = 4,		/* DEPOT_STACK_ALIGN */
		.valid_bits = 0,	/* DEPOT_POOL_INDEX_BITS has no valid bit */
		.extra_bits = 5,	/* STACK_DEPOT_EXTRA_BITS */
		.pools_cap = 8192,	/* DEPOT_POOLS_CAP, in DEPOT_MAX_POOLS */
		.cap_minus_1 = true,	/* DEPOT_MAX_POOLS: (1 << DEPOT_POOL_INDEX_BITS) - 1 */
	},
};

struct ms_stackdepot {
	struct ms_target *t;
	const struct depot_era *era;
	unsigned int index_bits, offset_bits;
	uint64_t pool_size;		/* STACK_ALLOC_SIZE / DEPOT_POOL_SIZE */
	uint64_t pools;			/* the array's address */
	uint32_t max_pools;		/* its length */
	uint32_t nr_pools;		/* indexes below this are in use */
	bool disabled;
	long size_off, entries_off, count_off;
	size_t size_w, count_w;
	unsigned int max_frames;	/* CONFIG_STACKDEPOT_MAX_FRAMES, 0: the pool bounds it */
};

/* Does the kernel's union handle_parts say this era, where the binding sees it? */
static bool handle_parts_fits(struct ms_target *t, const struct depot_era *e)
{
	if (!ms_has_member(t, "handle_parts", "offset"))
		return true;	/* not visible: the symbols decide */
	if (!ms_has_member(t, "handle_parts", e->index_member))
		return false;
	if (ms_has_member(t, "handle_parts", "valid") != (e->valid_bits > 0))
		return false;
	return ms_has_member(t, "handle_parts", "extra") == (e->extra_bits > 0);
}

static struct ms_error *find_era(struct ms_target *t, const struct depot_era **era)
{
	for (size_t i = 0; i < sizeof(eras) / sizeof(eras[0]); i++) {
		const struct depot_era *e = &eras[i];

		if (!ms_has_symbol(t, e->pools_sym))
			continue;
		if (!ms_has_symbol(t, e->count_sym) || !handle_parts_fits(t, e) ||
		    (e->refcount && !ms_has_member(t, "stack_record", "count")))
			return ms_error_create(MS_ERR_UNSUPPORTED,
					       "stack depot: %s, but not the %s layout (%s, handle_parts.%s%s%s): an era not handled",
					       e->pools_sym, e->name, e->count_sym, e->index_member,
					       e->valid_bits ? ", valid" : "",
					       e->refcount ? ", stack_record.count" : "");
		*era = e;
		return NULL;
	}
	return ms_error_create(MS_ERR_UNSUPPORTED,
			       "no stack depot (neither stack_slabs nor stack_pools: CONFIG_STACKDEPOT off?)");
}

/* The handle's bit widths from the era's macros (STACK_ALLOC_OFFSET_BITS,
 * STACK_ALLOC_INDEX_BITS; DEPOT_OFFSET_BITS, DEPOT_POOL_INDEX_BITS). */
static struct ms_error *resolve_bits(struct ms_stackdepot *d)
{
	const struct depot_era *e = d->era;
	unsigned int shift = d->t->page_shift;
	uint64_t cap;

	d->offset_bits = e->pool_order + shift - e->align;
	if (shift + e->pool_order > 40 ||
	    d->offset_bits + e->valid_bits + e->extra_bits >= MS_DEPOT_HANDLE_BITS)
		return ms_error_create(MS_ERR_UNSUPPORTED, "stack depot: PAGE_SHIFT %u leaves no pool index bits",
				       shift);
	d->index_bits = MS_DEPOT_HANDLE_BITS - d->offset_bits - e->valid_bits - e->extra_bits;
	d->pool_size = 1ull << (shift + e->pool_order);
	cap = (1ull << d->index_bits) - (e->cap_minus_1 ? 1 : 0);
	d->max_pools = (uint32_t)(cap < e->pools_cap ? cap : e->pools_cap);
	return NULL;
}

static struct ms_error *resolve_record(struct ms_stackdepot *d)
{
	struct ms_target *t = d->t;
	long entries_size;

	d->size_off = ms_member_offset(t, "stack_record", "size");
	d->size_w = (size_t)ms_member_size(t, "stack_record", "size");
	d->entries_off = ms_member_offset(t, "stack_record", "entries");
	d->count_off = ms_member_offset(t, "stack_record", "count");
	d->count_w = (size_t)ms_member_size(t, "stack_record", "count");
	if (d->size_off < 0 || d->entries_off <= d->size_off || d->size_w < 1 || d->size_w > 8 ||
	    (d->era->refcount && (d->count_off < 0 || d->count_w < 1 || d->count_w > 8 ||
				  d->count_off >= d->entries_off)))
		return ms_error_create(MS_ERR_LOOKUP,
				       "cannot resolve struct stack_record (size, entries%s)",
				       d->era->refcount ? ", count" : "");
	/* 6.8+: entries[CONFIG_STACKDEPOT_MAX_FRAMES]; 6.1: entries[], size 0 */
	entries_size = ms_member_size(t, "stack_record", "entries");
	if (entries_size > 0)
		d->max_frames = (unsigned int)(entries_size / t->word_size);
	return NULL;
}

/* The pools in use: depot_index + 1 (6.1) or pools_num (6.12), and 6.12's off switch. */
static struct ms_error *read_globals(struct ms_stackdepot *d)
{
	const struct depot_era *e = d->era;
	struct ms_error *err;
	uint64_t addr, on = 0;
	int32_t count;

	err = ms_symbol(d->t, e->pools_sym, &d->pools);
	if (!err)
		err = ms_symbol(d->t, e->count_sym, &addr);
	if (!err)
		err = ms_read_s32(d->t, addr, &count);		/* a static int */
	if (err)
		return ms_error_wrap(err, "stack depot: cannot read %s", e->count_sym);
	if (e->count_is_last)
		count++;
	if (count < 0 || (uint32_t)count > d->max_pools)
		return ms_error_create(MS_ERR_CORRUPT, "stack depot: %s of %d pools, at most %u",
				       e->count_sym, count, d->max_pools);
	d->nr_pools = (uint32_t)count;
	if (!e->disabled_sym || !ms_has_symbol(d->t, e->disabled_sym))
		return NULL;
	err = ms_read_sym_uint(d->t, e->disabled_sym, 1, &on);	/* a static bool */
	d->disabled = on != 0;
	return err ? ms_error_wrap(err, "stack depot: cannot read %s", e->disabled_sym) : NULL;
}

struct ms_error *ms_stackdepot_open(struct ms_target *t, struct ms_stackdepot **dp)
{
	struct ms_stackdepot *d = calloc(1, sizeof(*d));
	struct ms_error *err;

	*dp = NULL;
	if (!d)
		return &ms_error_nomem;
	d->t = t;
	err = find_era(t, &d->era);
	if (!err)
		err = resolve_bits(d);
	if (!err)
		err = resolve_record(d);
	if (!err)
		err = read_globals(d);
	if (err) {
		free(d);
		return err;
	}
	*dp = d;
	return NULL;
}

void ms_stackdepot_close(struct ms_stackdepot *d)
{
	free(d);
}

const char *ms_stackdepot_era(const struct ms_stackdepot *d)
{
	return d->era->name;
}

/* The width bits at *pos of a u32 bitfield, allocated as the target's ABI does. */
static uint32_t take_bits(const struct ms_stackdepot *d, uint32_t v, unsigned int *pos,
			  unsigned int width)
{
	unsigned int lo = d->t->big_endian ? MS_DEPOT_HANDLE_BITS - *pos - width : *pos;

	*pos += width;
	return width ? (uint32_t)((v >> lo) & ((1ull << width) - 1)) : 0;
}

void ms_stackdepot_decode(const struct ms_stackdepot *d, uint32_t handle, struct ms_stack_handle *h)
{
	const struct depot_era *e = d->era;
	unsigned int pos = 0;

	/* declaration order: index, offset, [valid], extra */
	h->pool = take_bits(d, handle, &pos, d->index_bits);
	h->offset = take_bits(d, handle, &pos, d->offset_bits) << e->align;
	h->valid = e->valid_bits ? take_bits(d, handle, &pos, e->valid_bits) != 0 : true;
	h->extra = take_bits(d, handle, &pos, e->extra_bits);
	if (e->index_plus_1)
		h->pool -= 1;		/* u32: 0 wraps far out of range, as in depot_fetch_stack() */
}

/* depot_fetch_stack() / 6.1's checks: the record's address. */
static struct ms_error *record_addr(struct ms_stackdepot *d, uint32_t handle,
				    const struct ms_stack_handle *h, uint64_t *rec)
{
	struct ms_error *err;
	uint64_t pool;

	if (h->pool >= d->nr_pools)
		return ms_error_create(MS_ERR_CORRUPT,
				       "stack depot handle %#x: pool index %u out of bounds (%u pools in use)",
				       handle, h->pool, d->nr_pools);
	err = ms_read_ptr(d->t, d->pools + (uint64_t)h->pool * d->t->word_size, &pool);
	if (err)
		return ms_error_wrap(err, "stack depot handle %#x: cannot read %s[%u]", handle,
				     d->era->pools_sym, h->pool);
	/* 6.1 returns no stack here, 6.12 WARNs "corrupt handle": no record has it */
	if (!pool)
		return ms_error_create(MS_ERR_CORRUPT, "stack depot handle %#x: %s[%u] is NULL",
				       handle, d->era->pools_sym, h->pool);
	*rec = pool + h->offset;
	return NULL;
}

/* The record's size, checked against what the kernel can have stored. */
static struct ms_error *record_size(struct ms_stackdepot *d, uint32_t handle,
				    const struct ms_stack_handle *h, uint64_t rec, unsigned int *size)
{
	unsigned char head[256];
	uint64_t v, room;
	struct ms_error *err;

	if ((size_t)d->entries_off > sizeof(head))
		return ms_error_create(MS_ERR_UNSUPPORTED, "struct stack_record of %ld bytes before entries",
				       d->entries_off);
	err = ms_read(d->t, rec, head, (size_t)d->entries_off);
	if (err)
		return ms_error_wrap(err, "stack depot handle %#x: cannot read its record", handle);
	if (d->era->refcount && !ms_get_uint(d->t, head, d->count_off, d->count_w))
		return ms_error_at(MS_ERR_CORRUPT, rec, "stack depot handle %#x: a freed record (refcount 0)",
				   handle);
	v = ms_get_uint(d->t, head, d->size_off, d->size_w);
	/* a record lies within its pool (depot_alloc_stack(), depot_pop_free_pool()) */
	room = 0;
	if (h->offset + (uint64_t)d->entries_off <= d->pool_size)
		room = (d->pool_size - h->offset - (uint64_t)d->entries_off) / d->t->word_size;
	if (v > room || (d->max_frames && v > d->max_frames))
		return ms_error_at(MS_ERR_CORRUPT, rec,
				   "stack depot handle %#x: a record of %llu frames (at most %llu%s)",
				   handle, (unsigned long long)v,
				   (unsigned long long)(d->max_frames && d->max_frames < room ? d->max_frames : room),
				   d->max_frames ? ", CONFIG_STACKDEPOT_MAX_FRAMES" : " in its pool");
	*size = (unsigned int)v;
	return NULL;
}

struct ms_error *ms_stackdepot_fetch(struct ms_stackdepot *d, uint32_t handle, uint64_t *entries,
				     unsigned int max, unsigned int *nr)
{
	struct ms_stack_handle h;
	struct ms_error *err;
	unsigned int size = 0, n;
	unsigned char *buf;
	uint64_t rec = 0;

	*nr = 0;
	if (!handle || d->disabled)
		return NULL;
	ms_stackdepot_decode(d, handle, &h);
	err = record_addr(d, handle, &h, &rec);
	if (!err)
		err = record_size(d, handle, &h, rec, &size);
	if (err)
		return err;
	n = size < max ? size : max;
	if (!n) {
		*nr = size;
		return NULL;
	}
	buf = malloc((size_t)n * d->t->word_size);
	if (!buf)
		return &ms_error_nomem;
	err = ms_read(d->t, rec + (uint64_t)d->entries_off, buf, (size_t)n * d->t->word_size);
	if (!err) {
		for (unsigned int i = 0; i < n; i++)
			entries[i] = ms_get_ptr(d->t, buf, (long)i * d->t->word_size);
		*nr = size;
	}
	free(buf);
	return err ? ms_error_wrap(err, "stack depot handle %#x: cannot read its %u entries", handle,
				   size) : NULL;
}
