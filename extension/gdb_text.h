/*
 * gdb_text.h - what the extension reads out of gdb's printed types, apart
 * from crash's headers (crash_types.c runs gdb; tests/unit checks this).
 *
 * crash answers an enumerator (enumerator_value()) by having gdb parse an
 * expression, and gdb's parser looks the name up in every compilation unit:
 * about 0.05-0.1 s a question on a Debian vmlinux, seconds for the first
 * memscope command of a session.  One "ptype NAME" instead gives every
 * enumerator of NAME's enum at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_GDB_TEXT_H
#define MEMSCOPE_GDB_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each enumerator; nonzero stops the parse (and is returned). */
typedef int (*ms_gdb_enumerator_fn)(void *arg, const char *name, long value);

/*
 * The enumerators of gdb's "type = enum [TAG] [: TYPE] {A, B = 3, C}", as
 * c_type_print_base() prints them: a value is printed only where it is not
 * the one before plus one (the first: where it is not 0).  0 when the whole
 * list was read, -1 when text is not an enum's body (nothing is reported
 * then, even for the names before the fault), or fn's nonzero return.
 */
int ms_gdb_parse_enum(const char *text, ms_gdb_enumerator_fn fn, void *arg);

/* The tag of "type = enum TAG" (whatis of one of its enumerators) into buf:
 * 0, or -1 if the line names no tagged enum ("type = enum {...}" has none). */
int ms_gdb_enum_tag(const char *line, char *buf, size_t len);

/* Whether s is a C identifier short enough for a gdb command line. */
bool ms_gdb_is_identifier(const char *s);

#endif
