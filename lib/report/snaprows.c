/*
 * snaprows.c - a snapshot's row section in compact form (snaprows.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "snaprows.h"

void ms_snaprows_init(struct ms_snaprows *r, const char *name_key, const char *const *fields)
{
	memset(r, 0, sizeof(*r));
	r->name_key = name_key;
	r->fields = fields;
	while (fields[r->nfields])
		r->nfields++;
	ms_hash_init(&r->index, false);
}

void ms_snaprows_fini(struct ms_snaprows *r)
{
	ms_hash_fini(&r->index);
	free(r->name);
	free(r->val);
	free(r->names);
	memset(r, 0, sizeof(*r));
}

/* Room for one more row and len more bytes of names: doubling keeps it linear. */
static int reserve(struct ms_snaprows *r, size_t len)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		size_t *name = realloc(r->name, cap * sizeof(*name));
		int64_t *val;

		if (!name)
			return -1;
		r->name = name;
		val = realloc(r->val, cap * (r->nfields ? r->nfields : 1) * sizeof(*val));
		if (!val)
			return -1;
		r->val = val;
		r->cap = cap;
	}
	if (r->names_cap - r->names_len < len) {
		size_t cap = r->names_cap ? r->names_cap : 4096;
		char *names;

		while (cap - r->names_len < len)
			cap *= 2;
		names = realloc(r->names, cap);
		if (!names)
			return -1;
		r->names = names;
		r->names_cap = cap;
	}
	return 0;
}

struct ms_error *ms_snaprows_add(struct ms_snaprows *r, json_t *row)
{
	const char *name = json_string_value(json_object_get(row, r->name_key));
	size_t len;

	if (!name)
		name = "";
	len = strlen(name) + 1;
	if (reserve(r, len))
		return &ms_error_nomem;
	memcpy(r->names + r->names_len, name, len);
	r->name[r->n] = r->names_len;
	r->names_len += len;
	for (size_t f = 0; f < r->nfields; f++) {
		json_t *v = json_object_get(row, r->fields[f]);

		r->val[r->n * r->nfields + f] = json_is_integer(v) ? json_integer_value(v) : 0;
	}
	r->n++;
	return NULL;
}

struct ms_error *ms_snaprows_from_json(struct ms_snaprows *r, json_t *rows)
{
	struct ms_error *err;
	json_t *row;
	size_t i;

	json_array_foreach(rows, i, row) {
		err = ms_snaprows_add(r, row);
		if (err)
			return err;
	}
	return ms_snaprows_seal(r);
}

/* After the last add: the arena no longer moves, so the hash keeps pointers
 * into it instead of copies. */
struct ms_error *ms_snaprows_seal(struct ms_snaprows *r)
{
	struct ms_error *err = ms_hash_reserve(&r->index, r->n);

	for (size_t i = 0; !err && i < r->n; i++)
		err = ms_hash_add(&r->index, ms_snaprows_name(r, i), i);	/* the first wins */
	return err;
}

long ms_snaprows_find(const struct ms_snaprows *r, const char *name)
{
	const struct ms_hash_entry *e = ms_hash_get(&r->index, name);

	return e ? (long)e->value : -1;
}
