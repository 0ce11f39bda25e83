/*
 * crash_types.c - the target's type questions, answered from the dump's own
 * BTF where it has one (crash_btf.h), else by crash and its gdb.
 *
 * A struct member costs crash a millisecond (GNU_GET_DATATYPE, whose
 * get_member_data() looks inside anonymous structs and unions since crash
 * 7.1.6).  ANON_MEMBER_OFFSET, the fallback for a member it does not find,
 * has gdb parse an expression instead, about 0.2 s a member on a Debian
 * vmlinux, and finds nothing more: it is asked only for a path ("a.b"),
 * which get_member_data() does not follow.  An enumerator costs a parse too
 * (gdb_text.h), so it is looked up in the enums already read; if it is in
 * none, one "ptype NAME" gives all the enumerators of its enum, kept for the
 * session.  (Of two enums with an enumerator of the same name, in different
 * files, the first read wins; the names memscope asks for are the kernel
 * headers', one definition each.)
 * Where a gdb command cannot run (crash's second temporary file is held:
 * a nested open_tmpfile2() is an error() that would end the command), or its
 * text is not understood, the question goes to crash as it is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "defs.h"

#include "crash_btf.h"
#include "crash_types.h"
#include "gdb_text.h"
#include "hash.h"

#define MAX_TEXT (1 << 20)	/* of one gdb answer: far more than any kernel type's */

static struct ms_hash enums;	/* enumerator -> value, of every enum read */
static bool ready;

static void init(void)
{
	if (!ready) {
		ms_hash_init(&enums, true);
		ready = true;
	}
}

void ms_crash_types_fini(void)
{
	ms_crash_btf_fini();
	if (!ready)
		return;
	ms_hash_fini(&enums);
	ready = false;
}

/*
 * What gdb prints for cmd, into *text (malloc'd; NULL if it printed
 * nothing): 1, 0 if gdb failed (an unknown name, say), or -1 if it could not
 * be asked or its answer kept (no memory, far too long, crash's second
 * temporary file in use).
 */
static int gdb_text(const char *cmd, char **text)
{
	char line[BUFSIZE], *buf = NULL, *p;
	size_t len = 0, n;
	int rc = 1;

	*text = NULL;
	if (pc->tmpfile2)
		return -1;
	open_tmpfile2();
	if (!gdb_pass_through((char *)cmd, pc->tmpfile2, GNU_RETURN_ON_ERROR)) {
		close_tmpfile2();
		return 0;
	}
	rewind(pc->tmpfile2);
	while (fgets(line, sizeof(line), pc->tmpfile2)) {
		n = strlen(line);
		if (len + n >= MAX_TEXT || !(p = realloc(buf, len + n + 1))) {
			rc = -1;
			break;
		}
		buf = p;
		memcpy(buf + len, line, n + 1);
		len += n;
	}
	close_tmpfile2();
	if (rc < 0)
		free(buf);
	else
		*text = buf;
	return rc;
}

static int keep_enumerator(void *arg, const char *name, long value)
{
	(void)arg;
	/* out of memory only costs a later question again */
	ms_error_failed(ms_hash_add(&enums, name, (uint64_t)value));
	return 0;
}

/*
 * The enum that has enumerator name, read whole into enums: "ptype NAME"
 * prints the type of the expression NAME, the enum with all its
 * enumerators.  1 if gdb knows name (as an enumerator or as anything else),
 * 0 if it does not, -1 if gdb could not be asked.
 */
static int read_enum_of(const char *name)
{
	char cmd[BUFSIZE], *text;
	int rc;

	snprintf(cmd, sizeof(cmd), "ptype %s", name);
	rc = gdb_text(cmd, &text);
	if (rc > 0 && text)
		ms_gdb_parse_enum(text, keep_enumerator, NULL);
	free(text);
	return rc;
}

int ms_crash_enum_value(void *ctx, const char *name, long *value)
{
	struct ms_hash_entry *e;
	long v;

	(void)ctx;
	if (ms_crash_btf())
		return ms_btf_enum_value(ms_crash_btf(), name, value) ? 0 : -1;
	init();
	if (!ms_gdb_is_identifier(name))
		return enumerator_value((char *)name, value) ? 0 : -1;
	e = ms_hash_get(&enums, name);
	if (!e) {
		switch (read_enum_of(name)) {
		case 0:
			return -1;	/* gdb knows no such name */
		case 1:
			e = ms_hash_get(&enums, name);
			break;
		}
	}
	if (e) {
		*value = (long)e->value;
		return 0;
	}
	/* a variable of an enum type, say, or an enum gdb's text did not give */
	if (!enumerator_value((char *)name, &v))
		return -1;
	*value = v;
	return 0;
}

/*
 * "whatis ENUMERATOR" names its enum type.  The enum's tag, or -1
 * ("type = enum {...}": an anonymous enum has none).
 */
int ms_crash_enum_type(void *ctx, const char *name, char *buf, size_t len)
{
	char cmd[BUFSIZE], *what;
	int rc;

	(void)ctx;
	if (ms_crash_btf())
		return ms_btf_enum_type(ms_crash_btf(), name, buf, len) ? 0 : -1;
	if (!ms_gdb_is_identifier(name))
		return -1;
	snprintf(cmd, sizeof(cmd), "whatis %s", name);
	if (gdb_text(cmd, &what) <= 0 || !what)
		return -1;
	rc = ms_gdb_enum_tag(what, buf, len);
	free(what);
	return rc;
}

long ms_crash_struct_size(void *ctx, const char *name)
{
	(void)ctx;
	if (ms_crash_btf())
		return ms_btf_struct_size(ms_crash_btf(), name);
	return STRUCT_SIZE((char *)name);
}

long ms_crash_member_offset(void *ctx, const char *sname, const char *member)
{
	long off;

	(void)ctx;
	if (ms_crash_btf())
		return ms_btf_member_offset(ms_crash_btf(), sname, member);
	off = MEMBER_OFFSET((char *)sname, (char *)member);
	if (off < 0 && !ms_gdb_is_identifier(member))
		off = ANON_MEMBER_OFFSET((char *)sname, (char *)member);
	return off;
}

long ms_crash_member_size(void *ctx, const char *sname, const char *member)
{
	long size;

	(void)ctx;
	if (ms_crash_btf())
		return ms_btf_member_size(ms_crash_btf(), sname, member);
	size = MEMBER_SIZE((char *)sname, (char *)member);
	if (size < 0 && !ms_gdb_is_identifier(member))
		size = ANON_MEMBER_SIZE((char *)sname, (char *)member);
	return size;
}
