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

#define MAX_ANON_DEPTH 8
#define MAX_TYPE_CHAIN 32

struct entry {
	const char *name;		/* in the DWARF string section */
	Dwarf_Off off;			/* types: the DIE */
	long value;			/* enumerators */
};

struct table {
	struct entry *e;
	size_t size, used;		/* size: a power of two */
};

struct ms_dwarf {
	int fd;
	Dwarf *dw;
	struct table types, enums;
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static struct entry *slot(struct table *t, const char *name)
{
	size_t mask = t->size - 1;

	for (size_t h = hash_str(name) & mask;; h = (h + 1) & mask)
		if (!t->e[h].name || !strcmp(t->e[h].name, name))
			return &t->e[h];
}

/* Add name unless it is there: 0, or -1 out of memory. */
static int put(struct table *t, const char *name, Dwarf_Off off, long value)
{
	struct entry *e;

	if ((t->used + 1) * 2 > t->size) {
		struct table n = { .size = t->size ? t->size * 2 : 4096 };

		n.e = calloc(n.size, sizeof(*n.e));
		if (!n.e)
			return -1;
		for (size_t i = 0; i < t->size; i++)
			if (t->e[i].name)
				*slot(&n, t->e[i].name) = t->e[i];
		n.used = t->used;
		free(t->e);
		*t = n;
	}
	e = slot(t, name);
	if (e->name)
		return 0;
	*e = (struct entry){ name, off, value };
	t->used++;
	return 0;
}

static const struct entry *get(const struct table *t, const char *name)
{
	const struct entry *e;

	if (!t->size)
		return NULL;
	e = slot((struct table *)t, name);
	return e->name ? e : NULL;
}

static int index_enumerators(struct ms_dwarf *d, Dwarf_Die *en)
{
	Dwarf_Die c;

	if (dwarf_child(en, &c))
		return 0;
	do {
		Dwarf_Attribute a;
		Dwarf_Sword sv;
		Dwarf_Word uv;
		const char *name;
		int bad;

		if (dwarf_tag(&c) != DW_TAG_enumerator || !(name = dwarf_diename(&c)) ||
		    !dwarf_attr(&c, DW_AT_const_value, &a))
			continue;
		/* GCC writes negative enumerators as sdata, others as udata/dataN. */
		if (dwarf_whatform(&a) == DW_FORM_sdata || dwarf_whatform(&a) == DW_FORM_implicit_const) {
			bad = dwarf_formsdata(&a, &sv);
		} else {
			bad = dwarf_formudata(&a, &uv);
			sv = (Dwarf_Sword)uv;
		}
		if (bad)
			continue;
		if (put(&d->enums, name, 0, (long)sv))
			return -1;
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

/* One pass over every unit's top-level DIEs. */
static int build_index(struct ms_dwarf *d)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(d->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, c;

		if (dwarf_offdie(d->dw, off + hsize, &cu) && dwarf_child(&cu, &c) == 0) {
			do {
				int tag = dwarf_tag(&c);
				const char *name = dwarf_diename(&c);

				if (tag == DW_TAG_enumeration_type && index_enumerators(d, &c))
					return -1;
				if (!name || dwarf_hasattr(&c, DW_AT_declaration))
					continue;
				if ((tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
				     tag == DW_TAG_typedef) &&
				    put(&d->types, name, dwarf_dieoffset(&c), 0))
					return -1;
			} while (dwarf_siblingof(&c, &c) == 0);
		}
		off = next;
	}
	return 0;
}

struct ms_dwarf *ms_dwarf_open(const char *vmlinux, char *err, size_t errlen)
{
	struct ms_dwarf *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->fd = open(vmlinux, O_RDONLY);
	if (d->fd < 0) {
		snprintf(err, errlen, "%s: %s", vmlinux, strerror(errno));
		free(d);
		return NULL;
	}
	d->dw = dwarf_begin(d->fd, DWARF_C_READ);
	if (!d->dw) {
		snprintf(err, errlen, "%s: no DWARF (%s)", vmlinux, dwarf_errmsg(-1));
		ms_dwarf_close(d);
		return NULL;
	}
	if (build_index(d) || !d->types.used) {
		snprintf(err, errlen, "%s: no types in its DWARF", vmlinux);
		ms_dwarf_close(d);
		return NULL;
	}
	return d;
}

void ms_dwarf_close(struct ms_dwarf *d)
{
	if (!d)
		return;
	if (d->dw)
		dwarf_end(d->dw);
	if (d->fd >= 0)
		close(d->fd);
	free(d->types.e);
	free(d->enums.e);
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
	const struct entry *e = get(&d->types, name);

	return e && dwarf_offdie(d->dw, e->off, die) && peel(die) && is_composite(die);
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

int ms_dwarf_enum_value(struct ms_dwarf *d, const char *name, long *value)
{
	const struct entry *e = get(&d->enums, name);

	if (!e)
		return -1;
	*value = e->value;
	return 0;
}
