/*
 * snaprows.h - one row section of a snapshot (commands, slab.caches, tmpfs)
 * in compact form: the names in one arena, the numbers the diff needs as
 * int64, and a hash of the names.  A 185 MB snapshot held as jansson values
 * took ~25x its size; held so, well under its size (issue #14).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPROWS_H
#define MEMSCOPE_SNAPROWS_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "hash.h"

struct ms_snaprows {
	const char *name_key;		/* the field that names a row: "comm" */
	const char *const *fields;	/* the numbers kept, NULL-terminated */
	size_t nfields;
	size_t n, cap;			/* rows */
	size_t *name;			/* row i's name: names + name[i] */
	int64_t *val;			/* row i's fields: val + i * nfields */
	char *names;
	size_t names_len, names_cap;
	struct ms_hash index;		/* name -> its first row (ms_snaprows_seal) */
};

void ms_snaprows_init(struct ms_snaprows *r, const char *name_key, const char *const *fields);
void ms_snaprows_fini(struct ms_snaprows *r);

/* Append a row object: its name (or "") and fields (0 where absent or not an
 * integer, as the schema has refused those already).  NULL or MS_ERR_NOMEM. */
struct ms_error *ms_snaprows_add(struct ms_snaprows *r, json_t *row);
/* Every row of a JSON array (anything else: no rows), then sealed. */
struct ms_error *ms_snaprows_from_json(struct ms_snaprows *r, json_t *rows);
/* Index the names once every row is in: NULL or MS_ERR_NOMEM. */
struct ms_error *ms_snaprows_seal(struct ms_snaprows *r);

static inline const char *ms_snaprows_name(const struct ms_snaprows *r, size_t i)
{
	return r->names + r->name[i];
}

static inline const int64_t *ms_snaprows_val(const struct ms_snaprows *r, size_t i)
{
	return r->val + i * r->nfields;
}

/* The first row named name, or -1. */
long ms_snaprows_find(const struct ms_snaprows *r, const char *name);

#endif
