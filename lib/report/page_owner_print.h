/*
 * page_owner_print.h - one census class's pages by allocation stack, module
 * and pid (page_owner_stacks.h), as a table and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PAGE_OWNER_PRINT_H
#define MEMSCOPE_PAGE_OWNER_PRINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "page_owner_stacks.h"

void ms_po_stacks_print(FILE *out, const struct ms_po_stacks *s, unsigned int page_shift,
			bool in_pages);
json_t *ms_po_stacks_json(const struct ms_po_stacks *s);

#endif
