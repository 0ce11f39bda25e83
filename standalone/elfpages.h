/*
 * elfpages.h - pages of an ELF dump read from the file itself, for the
 * page cache (lib/base/pagecache.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ELFPAGES_H
#define MEMSCOPE_ELFPAGES_H

#include <stdint.h>
#include <libkdumpfile/kdumpfile.h>

struct ms_elfpages;

/* The PT_LOAD segments of the ELF64 dump on fd (of the host's byte order)
 * and libkdumpfile's address translation for ctx; NULL if it is not one or
 * something is missing (the reads then all go through libkdumpfile). */
struct ms_elfpages *ms_elfpages_open(int fd, kdump_ctx_t *ctx);
void ms_elfpages_close(struct ms_elfpages *e);

/* The page_size bytes of kernel virtual memory at page (aligned) from the
 * file: 0, or -1 if that cannot be done exactly (no translation, not wholly
 * inside one segment's file bytes, a failed read): ask libkdumpfile. */
int ms_elfpages_read(struct ms_elfpages *e, uint64_t page, void *buf, uint64_t page_size);

#endif
