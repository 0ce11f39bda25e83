/*
 * census_print.h - the census of every page as a table and as JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CENSUS_PRINT_H
#define MEMSCOPE_CENSUS_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "census.h"

struct ms_census_print_opts {
	bool pages;		/* sizes in pages instead of human units */
};

void ms_census_print(FILE *out, const struct ms_census *c, unsigned int page_shift,
		     const struct ms_census_print_opts *opts);
json_t *ms_census_json(const struct ms_census *c, unsigned int page_shift);

#endif
