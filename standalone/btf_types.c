/*
 * btf_types.c - type questions answered from BTF with libbpf.
 *
 * Enumerators are looked up often and by name only: all of them (ENUM and
 * ENUM64 types) go into one hash table when the BTF is loaded, each as its
 * type and its index there (value and enum name follow from those).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_types.h"
#include "hash.h"

#define MAX_ANON_DEPTH 8		/* nesting of anonymous structs/unions */

struct ms_btf {
	struct btf *btf;
	struct ms_hash enums;		/* enumerator -> type id << 16 | index */
};

static struct ms_error *index_enums(struct ms_btf *b);

void ms_btf_free(struct ms_btf *b)
{
	if (!b)
		return;
	btf__free(b->btf);
	ms_hash_fini(&b->enums);
	free(b);
}

/* libbpf's answer: a BTF, or NULL / an error pointer with errno. */
static struct ms_error *wrap(struct btf *btf, enum ms_error_code code, const char *what,
			     struct ms_btf **out)
{
	long e = libbpf_get_error(btf);
	struct ms_error *err;
	struct ms_btf *b;

	*out = NULL;
	if (e || !btf) {
		int no = e ? (int)-e : errno;
		char cause[128];

		if (no == ENOMEM)
			return &ms_error_nomem;
		/* libbpf's own error numbers (LIBBPF_ERRNO__*) need its own text. */
		if (libbpf_strerror(no, cause, sizeof(cause)))
			snprintf(cause, sizeof(cause), "%s", strerror(no));
		return ms_error_lib(code, cause, "%s: no BTF", what);
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		btf__free(btf);
		return &ms_error_nomem;
	}
	b->btf = btf;
	ms_hash_init(&b->enums, false);
	err = index_enums(b);
	if (err) {
		ms_btf_free(b);
		return err;
	}
	*out = b;
	return NULL;
}

/*
 * libbpf (1.1) reads the type section in place, at hdr_len + type_off of its
 * copy, without the alignment the kernel's verifier demands (kernel/bpf/btf.c
 * btf_parse_type_sec(): "Unaligned type_off"): an unaligned one is refused here.
 */
static struct ms_error *check_type_section(const void *data, size_t size)
{
	struct btf_header h;
	uint32_t hdr_len, type_off;

	if (size < sizeof(h))
		return NULL;		/* libbpf refuses it with its own words */
	memcpy(&h, data, sizeof(h));
	if (h.magic == BTF_MAGIC) {
		hdr_len = h.hdr_len;
		type_off = h.type_off;
	} else if (h.magic == __builtin_bswap16(BTF_MAGIC)) {
		hdr_len = __builtin_bswap32(h.hdr_len);
		type_off = __builtin_bswap32(h.type_off);
	} else {
		return NULL;
	}
	if (((uint64_t)hdr_len + type_off) % sizeof(uint32_t))
		return ms_error_create(MS_ERR_CORRUPT, "the dump's BTF: type section at unaligned "
				       "offset %llu", (unsigned long long)hdr_len + type_off);
	return NULL;
}

struct ms_error *ms_btf_from_data(const void *data, size_t size, struct ms_btf **out)
{
	struct ms_error *err = check_type_section(data, size);

	*out = NULL;
	if (err)
		return err;
	return wrap(btf__new(data, (__u32)size), MS_ERR_CORRUPT, "the dump's BTF", out);
}

struct ms_error *ms_btf_from_elf(const char *path, struct ms_btf **out)
{
	return wrap(btf__parse_elf(path, NULL), MS_ERR_IO, path, out);
}

struct ms_error *ms_btf_from_file(const char *path, struct ms_btf **out)
{
	return wrap(btf__parse(path, NULL), MS_ERR_IO, path, out);
}

size_t ms_btf_type_count(const struct ms_btf *b)
{
	return btf__type_cnt(b->btf);
}

/* Skip typedefs and qualifiers: the id of the underlying type. */
/* A name of the string section: "" for an offset outside it (libbpf gives
 * NULL; found by tests/fuzz/fuzz_btf.c). */
static const char *name_at(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "";
}

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
			if (!strcmp(name_at(btf, m->name_off), member)) {
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

/* Every enumerator, first definition of a name winning (they are unique in C). */
static struct ms_error *index_enums(struct ms_btf *b)
{
	__u32 n = btf__type_cnt(b->btf);
	struct ms_error *err = NULL;

	for (__u32 id = 1; !err && id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);

		if (!btf_is_enum(t) && !btf_is_enum64(t))
			continue;
		for (__u16 i = 0; !err && i < btf_vlen(t); i++) {
			__u32 name_off = btf_is_enum(t) ? btf_enum(t)[i].name_off :
							  btf_enum64(t)[i].name_off;

			err = ms_hash_add(&b->enums, name_at(b->btf, name_off),
					  (uint64_t)id << 16 | i);
		}
	}
	return err;
}

/* The enum type holding name and its index there. */
static const struct btf_type *find_enumerator(const struct ms_btf *b, const char *name,
					      __u16 *index)
{
	const struct ms_hash_entry *e = ms_hash_get(&b->enums, name);

	if (!e)
		return NULL;
	*index = (__u16)(e->value & 0xffff);
	return btf__type_by_id(b->btf, (__u32)(e->value >> 16));
}

bool ms_btf_enum_value(const struct ms_btf *b, const char *name, long *value)
{
	__u16 i;
	const struct btf_type *t = find_enumerator(b, name, &i);

	if (!t)
		return false;
	if (btf_is_enum64(t))
		*value = (long)btf_enum64_value(&btf_enum64(t)[i]);
	else if (btf_kflag(t))		/* a signed enum */
		*value = (long)btf_enum(t)[i].val;
	else
		*value = (long)(__u32)btf_enum(t)[i].val;
	return true;
}

bool ms_btf_enum_type(const struct ms_btf *b, const char *name, char *buf, size_t len)
{
	__u16 i;
	const struct btf_type *t = find_enumerator(b, name, &i);
	const char *tname = t ? btf__name_by_offset(b->btf, t->name_off) : NULL;

	if (!tname || !*tname)		/* unknown, or an anonymous enum */
		return false;
	snprintf(buf, len, "%s", tname);
	return true;
}
