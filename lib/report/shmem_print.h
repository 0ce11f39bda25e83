/*
 * shmem_print.h - tmpfs/shmem superblocks as a table and as JSON (shmem_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SHMEM_PRINT_H
#define MEMSCOPE_SHMEM_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "shmem.h"

void ms_tmpfs_print(FILE *out, const struct ms_tmpfs *m, unsigned int page_shift, bool all);
json_t *ms_tmpfs_json(const struct ms_tmpfs *m, unsigned int page_shift);

#endif
