/*
 * text.c - strings read from a dump, made safe to print and to put in JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "text.h"

static int cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Length of the well-formed UTF-8 character at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (!cont(s[1]) || !cont(s[2]) || (c == 0xe0 && s[1] < 0xa0) ||
		    (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (!cont(s[1]) || !cont(s[2]) || !cont(s[3]) || (c == 0xf0 && s[1] < 0x90) ||
		    (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

unsigned int ms_text_sanitize(char *str)
{
	unsigned char *s = (unsigned char *)str;
	unsigned int replaced = 0;

	while (*s) {
		size_t n = *s >= 0x80 ? utf8_len(s) : (*s >= 0x20 && *s != 0x7f);

		if (!n) {
			*s++ = '?';
			replaced++;
			continue;
		}
		s += n;
	}
	return replaced;
}
