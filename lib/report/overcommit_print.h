/*
 * overcommit_print.h - the overcommit report and the __vm_enough_memory()
 * answer, as text and JSON (overcommit_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OVERCOMMIT_PRINT_H
#define MEMSCOPE_OVERCOMMIT_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "overcommit.h"

struct ms_overcommit_print_opts {
	bool pages;		/* sizes in pages instead of human units */
	bool all;		/* every address space, not the top ones */
	long top;		/* how many committers without -a */
	uint64_t request;	/* -n SIZE in bytes, 0: none */
	long pid;		/* -P PID: its VMAs, and -n answered for it too; 0: none */
};

void ms_overcommit_print(FILE *out, const struct ms_overcommit *o, unsigned int page_shift,
			 const struct ms_overcommit_print_opts *opts);
json_t *ms_overcommit_json(const struct ms_overcommit *o, unsigned int page_shift,
			   const struct ms_overcommit_print_opts *opts);

#endif
