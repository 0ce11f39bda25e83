/*
 * btf_types.c - type questions answered from BTF with libbpf.
 *
 * Enumerators are looked up often and by name only: all of them (ENUM and
 * ENUM64 types) go into one hash table, built on the first question.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_types.h"

#define MAX_ANON_DEPTH 8		/* nesting of anonymous structs/unions */

struct enumerator {
	const char *name;		/* inside the BTF's string section */
	long value;
};

struct ms_btf {
	struct btf *btf;
	struct enumerator *enums;	/* open addressing; name NULL = empty */
	size_t enums_size;		/* power of two, 0 until built */
};

static struct ms_btf *wrap(struct btf *btf, const char *what, char *err, size_t errlen)
{
	struct ms_btf *b;

	if (!btf) {
		snprintf(err, errlen, "%s: no BTF (%s)", what, strerror(errno));
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		btf__free(btf);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->btf = btf;
	return b;
}

struct ms_btf *ms_btf_from_data(const void *data, size_t size, char *err, size_t errlen)
{
	return wrap(btf__new(data, (__u32)size), "the dump's BTF", err, errlen);
}

struct ms_btf *ms_btf_from_elf(const char *path, char *err, size_t errlen)
{
	return wrap(btf__parse_elf(path, NULL), path, err, errlen);
}

struct ms_btf *ms_btf_from_file(const char *path, char *err, size_t errlen)
{
	return wrap(btf__parse(path, NULL), path, err, errlen);
}

void ms_btf_free(struct ms_btf *b)
{
	if (!b)
		return;
	btf__free(b->btf);
	free(b->enums);
	free(b);
}

size_t ms_btf_type_count(const struct ms_btf *b)
{
	return btf__type_cnt(b->btf);
}

/* Skip typedefs and qualifiers: the id of the underlying type. */
static __u32 skip_mods(const struct btf *btf, __u32 id)
{
	for (int i = 0; i < 32; i++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return 0;
		if (!btf_is_typedef(t) && !btf_is_mod(t))
			return id;
		id = t->type;
	}
	return 0;
}

/* The struct or union called name (a typedef of one counts too): its id, or 0. */
static __u32 find_composite(const struct btf *btf, const char *name)
{
	static const int kinds[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		__s32 id = btf__find_by_name_kind(btf, name, kinds[i]);
		const struct btf_type *t;

		if (id <= 0)
			continue;
		id = (__s32)skip_mods(btf, (__u32)id);
		t = id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
		if (t && btf_is_composite(t))
			return (__u32)id;
	}
	return 0;
}

long ms_btf_struct_size(struct ms_btf *b, const char *name)
{
	__u32 id = find_composite(b->btf, name);

	return id ? (long)btf__type_by_id(b->btf, id)->size : -1;
}

/* Find member in the composite type id, descending into anonymous members:
 * its byte offset and its type id, or -1. */
static long find_member(const struct btf *btf, __u32 id, const char *member, __u32 *type,
			int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || !btf_is_composite(t) || depth > MAX_ANON_DEPTH)
		return -1;
	m = btf_members(t);
	for (__u16 i = 0; i < btf_vlen(t); i++, m++) {
		long off = (long)(btf_member_bit_offset(t, i) / 8);

		if (m->name_off) {
			if (!strcmp(btf__name_by_offset(btf, m->name_off), member)) {
				*type = m->type;
				return off;
			}
			continue;
		}
		/* An anonymous struct or union: its members are the parent's. */
		{
			__u32 inner = skip_mods(btf, m->type);
			long r = inner ? find_member(btf, inner, member, type, depth + 1) : -1;

			if (r >= 0)
				return off + r;
		}
	}
	return -1;
}

long ms_btf_member_offset(struct ms_btf *b, const char *sname, const char *member)
{
	__u32 id = find_composite(b->btf, sname), type;

	return id ? find_member(b->btf, id, member, &type, 0) : -1;
}

long ms_btf_member_size(struct ms_btf *b, const char *sname, const char *member)
{
	__u32 id = find_composite(b->btf, sname), type;
	__s64 size;

	if (!id || find_member(b->btf, id, member, &type, 0) < 0)
		return -1;
	size = btf__resolve_size(b->btf, type);
	return size < 0 ? -1 : (long)size;
}

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* First definition of a name wins (enumerators are unique in C). */
static void enum_put(struct ms_btf *b, const char *name, long value)
{
	size_t mask = b->enums_size - 1;

	for (size_t h = hash_str(name) & mask;; h = (h + 1) & mask) {
		struct enumerator *e = &b->enums[h];

		if (!e->name) {
			e->name = name;
			e->value = value;
			return;
		}
		if (!strcmp(e->name, name))
			return;
	}
}

static int build_enums(struct ms_btf *b)
{
	__u32 n = btf__type_cnt(b->btf);
	size_t count = 0, size = 1;

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);

		if (btf_is_enum(t) || btf_is_enum64(t))
			count += btf_vlen(t);
	}
	while (size < count * 2 + 2)
		size <<= 1;
	b->enums = calloc(size, sizeof(*b->enums));
	if (!b->enums)
		return -1;
	b->enums_size = size;
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);
		bool is_signed = btf_kflag(t);

		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);

			for (__u16 i = 0; i < btf_vlen(t); i++, e++)
				enum_put(b, btf__name_by_offset(b->btf, e->name_off),
					 is_signed ? (long)e->val : (long)(__u32)e->val);
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);

			for (__u16 i = 0; i < btf_vlen(t); i++, e++)
				enum_put(b, btf__name_by_offset(b->btf, e->name_off),
					 (long)btf_enum64_value(e));
		}
	}
	return 0;
}

int ms_btf_enum_value(struct ms_btf *b, const char *name, long *value)
{
	size_t mask;

	if (!b->enums_size && build_enums(b))
		return -1;
	mask = b->enums_size - 1;
	for (size_t h = hash_str(name) & mask; b->enums[h].name; h = (h + 1) & mask) {
		if (!strcmp(b->enums[h].name, name)) {
			*value = b->enums[h].value;
			return 0;
		}
	}
	return -1;
}
