/*
 * hash.h - memscope's one string-keyed hash table.
 *
 * Open addressing with linear probing, at most half full, grown by
 * doubling.  A value is a 64-bit number: an index into the owner's own
 * array, an offset, a size.  Keys are either the caller's (strings that
 * outlive the table: a BTF string section, a symbol arena) or copied.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_HASH_H
#define MEMSCOPE_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct ms_hash_entry {
	const char *key;	/* NULL: an empty slot */
	uint64_t value;
};

struct ms_hash {
	struct ms_hash_entry *slot;
	size_t size;		/* 0 or a power of two */
	size_t used;
	bool copy_keys;		/* keys are strdup'ed and freed with the table */
};

/* An empty table; copy_keys: keep copies of the keys put in. */
void ms_hash_init(struct ms_hash *h, bool copy_keys);
void ms_hash_fini(struct ms_hash *h);

/* Room for n keys without growing: NULL or MS_ERR_NOMEM. */
struct ms_error *ms_hash_reserve(struct ms_hash *h, size_t n);

/* key's entry, or NULL.  Valid until the next put. */
struct ms_hash_entry *ms_hash_get(const struct ms_hash *h, const char *key);

/* key's entry, added with value 0 if absent (*added says which; may be NULL):
 * NULL or MS_ERR_NOMEM.  *entry is valid until the next put. */
struct ms_error *ms_hash_put(struct ms_hash *h, const char *key, struct ms_hash_entry **entry,
			     bool *added);

/* Put key with value unless it is there (the first definition wins). */
struct ms_error *ms_hash_add(struct ms_hash *h, const char *key, uint64_t value);

static inline size_t ms_hash_count(const struct ms_hash *h)
{
	return h->used;
}

/* The string hash the table uses (djb2). */
unsigned long ms_hash_str(const char *s);

#endif
