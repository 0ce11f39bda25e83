/*
 * btf_types.h - struct layouts and enumerators from the kernel's BTF.
 *
 * The BTF comes from the dump itself (the bytes between __start_BTF and
 * __stop_BTF, found with kallsyms), from a vmlinux's .BTF section, or from a
 * raw BTF file (/sys/kernel/btf/vmlinux).  Answers follow crash's: sizes and
 * offsets in bytes, members inside anonymous structs and unions found, a
 * member's size is its whole type (an array: all its elements).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_BTF_TYPES_H
#define MEMSCOPE_BTF_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct ms_btf;

/* From raw BTF bytes (copied), a vmlinux's .BTF section, or a raw BTF file:
 * MS_ERR_CORRUPT / MS_ERR_IO with libbpf's error as the cause, MS_ERR_NOMEM. */
struct ms_error *ms_btf_from_data(const void *data, size_t size, struct ms_btf **out);
struct ms_error *ms_btf_from_elf(const char *path, struct ms_btf **out);
struct ms_error *ms_btf_from_file(const char *path, struct ms_btf **out);
void ms_btf_free(struct ms_btf *b);

size_t ms_btf_type_count(const struct ms_btf *b);

/* sizeof(struct/union/typedef name), or -1. */
long ms_btf_struct_size(struct ms_btf *b, const char *name);
/* offsetof / sizeof of a member (through anonymous members), or -1.  A
 * bitfield's offset is the byte holding its first bit. */
long ms_btf_member_offset(struct ms_btf *b, const char *sname, const char *member);
long ms_btf_member_size(struct ms_btf *b, const char *sname, const char *member);
/* Value of an enumerator of any enum, if one has it. */
bool ms_btf_enum_value(const struct ms_btf *b, const char *name, long *value);
/* Name of the (named) enum type that holds the enumerator, into buf. */
bool ms_btf_enum_type(const struct ms_btf *b, const char *name, char *buf, size_t len);

#endif
