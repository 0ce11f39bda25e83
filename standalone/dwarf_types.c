/*
 * dwarf_types.c - type questions answered from a vmlinux's DWARF (libdw),
 * for kernels built without BTF.
 *
 * Every compile unit's top-level named structs, unions and typedefs, and every
 * enumerator, go into hash tables in one pass when the file is opened (the
 * Debian 6.1 vmlinux: well under a second); a question is then one look-up
 * and a walk of one type's members.  The first complete definition of a name
 * wins, as in crash (gdb) and BTF after deduplication.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dwarf_types.h"
#include "hash.h"

#define MAX_ANON_DEPTH 8
#define MAX_TYPE_CHAIN 32

struct enumerator {
	long value;
	const char *type;		/* the enumeration type's name, or NULL */
};

struct ms_dwarf {
	int fd;
	Dwarf *dw;
	struct ms_hash types;		/* name (in the DWARF strings) -> the DIE's offset */
	struct ms_hash enums;		/* name -> index into enumerators */
	struct enumerator *enumerators;
	size_t nr_enums, cap_enums;
};

static struct ms_error *add_enumerator(struct ms_dwarf *d, const char *name, long value,
				       const char *type)
{
	struct ms_hash_entry *e;
	struct ms_error *err;
	bool added;

	if (d->nr_enums == d->cap_enums) {
		size_t cap = d->cap_enums ? d->cap_enums * 2 : 4096;
		struct enumerator *p = realloc(d->enumerators, cap * sizeof(*p));

		if (!p)
			return &ms_error_nomem;
		d->enumerators = p;
		d->cap_enums = cap;
	}
	err = ms_hash_put(&d->enums, name, &e, &added);
	if (err || !added)		/* the first definition wins */
		return err;
	e->value = d->nr_enums;
	d->enumerators[d->nr_enums++] = (struct enumerator){ value, type };
	return NULL;
}

/* An enumerator's DW_AT_const_value. */
static bool const_value(Dwarf_Die *c, long *value)
{
	Dwarf_Attribute a;
	Dwarf_Sword sv;
	Dwarf_Word uv;

	if (!dwarf_attr(c, DW_AT_const_value, &a))
		return false;
	/* GCC writes negative enumerators as sdata, others as udata/dataN. */
	if (dwarf_whatform(&a) == DW_FORM_sdata || dwarf_whatform(&a) == DW_FORM_implicit_const) {
		if (dwarf_formsdata(&a, &sv))
			return false;
	} else {
		if (dwarf_formudata(&a, &uv))
			return false;
		sv = (Dwarf_Sword)uv;
	}
	*value = (long)sv;
	return true;
}

static struct ms_error *index_enumerators(struct ms_dwarf *d, Dwarf_Die *en)
{
	const char *type = dwarf_diename(en);
	Dwarf_Die c;

	if (dwarf_child(en, &c))
		return NULL;
	do {
		struct ms_error *err;
		const char *name;
		long value;

		if (dwarf_tag(&c) != DW_TAG_enumerator || !(name = dwarf_diename(&c)) ||
		    !const_value(&c, &value))
			continue;
		err = add_enumerator(d, name, value, type);
		if (err)
			return err;
	} while (dwarf_siblingof(&c, &c) == 0);
	return NULL;
}

/* One unit's top-level named types and enumerators. */
static struct ms_error *index_unit(struct ms_dwarf *d, Dwarf_Die *cu)
{
	Dwarf_Die c;

	if (dwarf_child(cu, &c))
		return NULL;
	do {
		int tag = dwarf_tag(&c);
		const char *name = dwarf_diename(&c);
		struct ms_error *err = NULL;

		if (tag == DW_TAG_enumeration_type)
			err = index_enumerators(d, &c);
		else if (name && !dwarf_hasattr(&c, DW_AT_declaration) &&
			 (tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
			  tag == DW_TAG_typedef))
			err = ms_hash_add(&d->types, name, dwarf_dieoffset(&c));
		if (err)
			return err;
	} while (dwarf_siblingof(&c, &c) == 0);
	return NULL;
}

/* One pass over every unit's top-level DIEs. */
static struct ms_error *build_index(struct ms_dwarf *d)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(d->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(d->dw, off + hsize, &cu)) {
			struct ms_error *err = index_unit(d, &cu);

			if (err)
				return err;
		}
		off = next;
	}
	return NULL;
}

static struct ms_error *open_dwarf(struct ms_dwarf *d, const char *vmlinux)
{
	struct ms_error *err;

	d->fd = open(vmlinux, O_RDONLY);
	if (d->fd < 0)
		return ms_error_create(errno == ENOMEM ? MS_ERR_NOMEM : MS_ERR_IO, "%s: %s", vmlinux,
				       strerror(errno));
	d->dw = dwarf_begin(d->fd, DWARF_C_READ);
	if (!d->dw)
		return ms_error_lib(MS_ERR_LOOKUP, dwarf_errmsg(-1), "%s: no DWARF", vmlinux);
	err = build_index(d);
	if (!err && !ms_hash_count(&d->types))
		err = ms_error_create(MS_ERR_LOOKUP, "%s: no types in its DWARF", vmlinux);
	return err;
}

struct ms_error *ms_dwarf_open(const char *vmlinux, struct ms_dwarf **out)
{
	struct ms_dwarf *d = calloc(1, sizeof(*d));
	struct ms_error *err;

	*out = NULL;
	if (!d)
		return &ms_error_nomem;
	d->fd = -1;
	ms_hash_init(&d->types, false);
	ms_hash_init(&d->enums, false);
	err = open_dwarf(d, vmlinux);
	if (err) {
		ms_dwarf_close(d);
		return err;
	}
	*out = d;
	return NULL;
}

void ms_dwarf_close(struct ms_dwarf *d)
{
	if (!d)
		return;
	if (d->dw)
		dwarf_end(d->dw);
	if (d->fd >= 0)
		close(d->fd);
	ms_hash_fini(&d->types);
	ms_hash_fini(&d->enums);
	free(d->enumerators);
	free(d);
}

/* Follow typedefs and qualifiers to the type itself. */
static bool peel(Dwarf_Die *die)
{
	for (int i = 0; i < MAX_TYPE_CHAIN; i++) {
		Dwarf_Attribute a;

		switch (dwarf_tag(die)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
			if (!dwarf_attr(die, DW_AT_type, &a) || !dwarf_formref_die(&a, die))
				return false;
			continue;
		default:
			return true;
		}
	}
	return false;
}

static bool is_composite(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);

	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type;
}

/* The struct or union called name (through a typedef too). */
static bool find_composite(struct ms_dwarf *d, const char *name, Dwarf_Die *die)
{
	const struct ms_hash_entry *e = ms_hash_get(&d->types, name);

	return e && dwarf_offdie(d->dw, (Dwarf_Off)e->value, die) && peel(die) && is_composite(die);
}

static long member_location(Dwarf_Die *m)
{
	Dwarf_Attribute a;
	Dwarf_Word w;

	if (dwarf_attr(m, DW_AT_data_member_location, &a))
		return dwarf_formudata(&a, &w) ? -1 : (long)w;
	if (dwarf_attr(m, DW_AT_data_bit_offset, &a))	/* a bitfield: its first byte */
		return dwarf_formudata(&a, &w) ? -1 : (long)(w / 8);
	return 0;	/* a union's members */
}

/* member in the composite type, through anonymous members: its byte offset,
 * and its type in *type; or -1. */
static long find_member(Dwarf_Die *st, const char *member, Dwarf_Die *type, int depth)
{
	Dwarf_Die c;

	if (depth > MAX_ANON_DEPTH || dwarf_child(st, &c))
		return -1;
	do {
		const char *name = dwarf_diename(&c);
		Dwarf_Attribute a;
		Dwarf_Die t;
		long off, r;

		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		if (!dwarf_attr(&c, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
			continue;
		off = member_location(&c);
		if (off < 0)
			continue;
		if (name) {
			if (strcmp(name, member))
				continue;
			*type = t;
			return off;
		}
		if (!peel(&t) || !is_composite(&t))
			continue;
		r = find_member(&t, member, type, depth + 1);
		if (r >= 0)
			return off + r;
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

long ms_dwarf_struct_size(struct ms_dwarf *d, const char *name)
{
	Dwarf_Word size;
	Dwarf_Die die;

	if (!find_composite(d, name, &die) || dwarf_aggregate_size(&die, &size))
		return -1;
	return (long)size;
}

long ms_dwarf_member_offset(struct ms_dwarf *d, const char *sname, const char *member)
{
	Dwarf_Die die, type;

	if (!find_composite(d, sname, &die))
		return -1;
	return find_member(&die, member, &type, 0);
}

long ms_dwarf_member_size(struct ms_dwarf *d, const char *sname, const char *member)
{
	Dwarf_Die die, type;
	Dwarf_Word size;

	if (!find_composite(d, sname, &die) || find_member(&die, member, &type, 0) < 0)
		return -1;
	/* dwarf_aggregate_size() sizes arrays whole and follows typedefs; a pointer
	 * or base type has DW_AT_byte_size itself. */
	if (dwarf_aggregate_size(&type, &size) == 0)
		return (long)size;
	return peel(&type) && dwarf_aggregate_size(&type, &size) == 0 ? (long)size : -1;
}

static const struct enumerator *find_enumerator(const struct ms_dwarf *d, const char *name)
{
	const struct ms_hash_entry *e = ms_hash_get(&d->enums, name);

	return e ? &d->enumerators[e->value] : NULL;
}

bool ms_dwarf_enum_value(const struct ms_dwarf *d, const char *name, long *value)
{
	const struct enumerator *e = find_enumerator(d, name);

	if (e)
		*value = e->value;
	return e;
}

/* The enumerator DIE's parent: the enumeration type, named or not. */
bool ms_dwarf_enum_type(const struct ms_dwarf *d, const char *name, char *buf, size_t len)
{
	const struct enumerator *e = find_enumerator(d, name);

	if (!e || !e->type)
		return false;
	snprintf(buf, len, "%s", e->type);
	return true;
}
