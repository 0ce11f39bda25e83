/*
 * hash.c - the string-keyed hash table (see hash.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define MIN_SIZE 64

unsigned long ms_hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

void ms_hash_init(struct ms_hash *h, bool copy_keys)
{
	memset(h, 0, sizeof(*h));
	h->copy_keys = copy_keys;
}

void ms_hash_fini(struct ms_hash *h)
{
	if (h->copy_keys)
		for (size_t i = 0; i < h->size; i++)
			free((char *)h->slot[i].key);
	free(h->slot);
	h->slot = NULL;
	h->size = h->used = 0;
}

/* key's slot: its entry, or the empty slot where it belongs (size > 0, never full). */
static struct ms_hash_entry *find_slot(struct ms_hash_entry *slot, size_t size, const char *key)
{
	size_t mask = size - 1;

	for (size_t i = ms_hash_str(key) & mask;; i = (i + 1) & mask)
		if (!slot[i].key || !strcmp(slot[i].key, key))
			return &slot[i];
}

static struct ms_error *resize(struct ms_hash *h, size_t size)
{
	struct ms_hash_entry *slot = calloc(size, sizeof(*slot));

	if (!slot)
		return &ms_error_nomem;
	for (size_t i = 0; i < h->size; i++)
		if (h->slot[i].key)
			*find_slot(slot, size, h->slot[i].key) = h->slot[i];
	free(h->slot);
	h->slot = slot;
	h->size = size;
	return NULL;
}

struct ms_error *ms_hash_reserve(struct ms_hash *h, size_t n)
{
	size_t size = h->size ? h->size : MIN_SIZE;

	if (n > SIZE_MAX / 4)
		return &ms_error_nomem;
	while (size < 2 * n + 2)
		size *= 2;
	return size > h->size ? resize(h, size) : NULL;
}

struct ms_hash_entry *ms_hash_get(const struct ms_hash *h, const char *key)
{
	struct ms_hash_entry *e;

	if (!h->size)
		return NULL;
	e = find_slot(h->slot, h->size, key);
	return e->key ? e : NULL;
}

struct ms_error *ms_hash_put(struct ms_hash *h, const char *key, struct ms_hash_entry **entry,
			     bool *added)
{
	struct ms_hash_entry *e;
	struct ms_error *err = ms_hash_reserve(h, h->used + 1);

	if (err)
		return err;
	e = find_slot(h->slot, h->size, key);
	if (added)
		*added = !e->key;
	if (!e->key) {
		e->key = h->copy_keys ? strdup(key) : key;
		if (!e->key)
			return &ms_error_nomem;
		e->value = 0;
		h->used++;
	}
	if (entry)
		*entry = e;
	return NULL;
}

struct ms_error *ms_hash_add(struct ms_hash *h, const char *key, uint64_t value)
{
	struct ms_hash_entry *e;
	bool added;
	struct ms_error *err = ms_hash_put(h, key, &e, &added);

	if (!err && added)
		e->value = value;
	return err;
}
