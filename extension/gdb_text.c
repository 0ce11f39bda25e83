/*
 * gdb_text.c - see gdb_text.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gdb_text.h"

#define MAX_IDENTIFIER 200

static bool ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static const char *skip_space(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* The identifier at s: its length, 0 if there is none. */
static size_t ident_len(const char *s)
{
	size_t n = 0;

	if (isdigit((unsigned char)*s))
		return 0;
	while (ident_char(s[n]))
		n++;
	return n;
}

bool ms_gdb_is_identifier(const char *s)
{
	size_t n = ident_len(s);

	return n && n <= MAX_IDENTIFIER && !s[n];
}

/* Past "type = enum": the rest of the line, or NULL. */
static const char *after_enum_keyword(const char *line)
{
	static const char prefix[] = "type = enum";
	const char *s = skip_space(line);

	if (strncmp(s, prefix, sizeof(prefix) - 1))
		return NULL;
	s += sizeof(prefix) - 1;
	return ident_char(*s) ? NULL : s;
}

int ms_gdb_enum_tag(const char *line, char *buf, size_t len)
{
	const char *s = after_enum_keyword(line);
	size_t n;

	if (!s)
		return -1;
	s = skip_space(s);
	n = ident_len(s);
	if (!n || n >= len || n > MAX_IDENTIFIER)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

/* One pass over the body at s ("{A, B = 3}"); fn NULL only checks it. */
static int enum_body(const char *s, ms_gdb_enumerator_fn fn, void *arg)
{
	char name[MAX_IDENTIFIER + 1];
	long value = 0;
	bool past_max = false;		/* the one before was LONG_MAX: no next value */
	size_t n;
	int rc;

	s = skip_space(s + 1);
	if (*s == '}')
		return 0;
	for (;;) {
		n = ident_len(s);
		if (!n || n > MAX_IDENTIFIER)
			return -1;
		memcpy(name, s, n);
		name[n] = '\0';
		s = skip_space(s + n);
		if (*s == '=') {
			char *end;

			errno = 0;
			value = strtol(s + 1, &end, 10);
			if (errno || end == s + 1)
				return -1;
			s = skip_space(end);
		} else if (past_max) {
			return -1;
		}
		if (fn && (rc = fn(arg, name, value)))
			return rc;
		past_max = value == LONG_MAX;
		if (!past_max)
			value++;
		if (*s == '}')
			return 0;
		if (*s != ',')
			return -1;
		s = skip_space(s + 1);
	}
}

int ms_gdb_parse_enum(const char *text, ms_gdb_enumerator_fn fn, void *arg)
{
	const char *s = after_enum_keyword(text);

	if (!s)
		return -1;
	/* the tag and C++'s ": underlying type" come before the body */
	s = strchr(s, '{');
	if (!s || enum_body(s, NULL, NULL))
		return -1;
	return enum_body(s, fn, arg);
}
