/*
 * fuzz_gdb_text.c - libFuzzer: what the extension reads out of gdb's
 * printed types (extension/gdb_text.c) on hostile text: an enum body as
 * "ptype NAME" prints it, a "whatis" line, and a name for a command line.
 * gdb prints what the vmlinux's debug info says, and a wrong or damaged
 * vmlinux says anything.  Every enumerator told must be a C identifier.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gdb_text.h"

static int check(void *arg, const char *name, long value)
{
	(void)value;
	(*(unsigned long *)arg)++;
	if (!ms_gdb_is_identifier(name))
		abort();	/* a name that is no identifier was told */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), tag[64];
	unsigned long told = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ms_gdb_parse_enum(text, check, &told) < 0 && told)
		abort();	/* a body that is no enum's must tell nothing */
	ms_gdb_enum_tag(text, tag, sizeof(tag));
	ms_gdb_is_identifier(text);
	free(text);
	return 0;
}
