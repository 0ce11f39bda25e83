/*
 * stackdepot.h - stack traces saved in the kernel's stack depot
 * (lib/stackdepot.c): a 32-bit handle names a record in one of the depot's
 * pools, as stack_depot_fetch() finds it.  The owner of union handle_parts
 * and struct stack_record.  page_owner's allocation and free stacks are
 * such handles (page_owner.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_STACKDEPOT_H
#define MEMSCOPE_STACKDEPOT_H

#include "target.h"

/* A buffer of this many entries holds any record: lib/Kconfig's
 * STACKDEPOT_MAX_FRAMES ranges 1..256 (6.8+); page_owner saves at most
 * PAGE_OWNER_STACK_DEPTH (16) frames in 6.1 and 6.12. */
#define MS_STACKDEPOT_MAX_FRAMES 256

struct ms_stackdepot;

/* A handle's fields (union handle_parts). */
struct ms_stack_handle {
	uint32_t pool;		/* the pool's index: slabindex, or pool_index_plus_1 - 1 */
	uint32_t offset;	/* bytes into the pool (offset << the era's alignment) */
	uint32_t extra;		/* the caller's extra bits (stack_depot_get_extra_bits()) */
	bool valid;		/* 6.1's valid bit; true in eras without one */
};

/* The depot's era (by which of stack_slabs / stack_pools exists and the
 * members of handle_parts / stack_record), its pools' array and how many are
 * in use: NULL, MS_ERR_UNSUPPORTED (no stack depot, an era not handled), a
 * look-up or a read's error. */
struct ms_error *ms_stackdepot_open(struct ms_target *t, struct ms_stackdepot **d);
void ms_stackdepot_close(struct ms_stackdepot *d);

/* "6.1" (stack_slabs, slabindex/valid/extra) or "6.12" (stack_pools,
 * pool_index_plus_1, refcounted records: 6.8+). */
const char *ms_stackdepot_era(const struct ms_stackdepot *d);

/* Split a handle into its fields, as union handle_parts does. */
void ms_stackdepot_decode(const struct ms_stackdepot *d, uint32_t handle, struct ms_stack_handle *h);

/*
 * stack_depot_fetch(): the entries of handle's record.  *nr is the record's
 * size (what the kernel returns); at most max of them are stored in entries,
 * so *nr > max says the buffer was short.  Handle 0 (or a disabled depot,
 * 6.8+) is no stack: *nr = 0, NULL.  A pool index out of range, a NULL pool,
 * a freed record (refcount 0, 6.8+) or a size the pool cannot hold is
 * MS_ERR_CORRUPT; a read's error (MS_ERR_MISSING: the pool's page was
 * filtered) is handed up with *nr = 0.
 */
struct ms_error *ms_stackdepot_fetch(struct ms_stackdepot *d, uint32_t handle, uint64_t *entries,
				     unsigned int max, unsigned int *nr);

#endif
