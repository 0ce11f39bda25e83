/*
 * logmem.h - a region of kernel memory copied in one read, page by page when
 * that fails, remembering which pages could not be read (logmem.c).
 *
 * The log's arrays and text ring are read whole (a few hundred KiB in a
 * handful of reads); a record on a page the dump lacks is then skipped, not
 * the whole log.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_LOGMEM_H
#define MEMSCOPE_LOGMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

struct ms_logmem {
	uint64_t addr;
	size_t len;
	unsigned int page_shift;
	unsigned char *buf;
	unsigned char *bad;	/* per page of the region: 1 if it could not be read */
	size_t nr_bad;		/* pages that could not be read */
	struct ms_error *first_err;	/* the first page's error, kept for messages */
};

/* Copy [addr, addr + len): NULL, MS_ERR_NOMEM, or the error when no page at
 * all could be read. */
struct ms_error *ms_logmem_load(struct ms_target *t, struct ms_logmem *m, uint64_t addr,
				size_t len);
/* Whether [off, off + n) of the region was read (and lies inside it). */
bool ms_logmem_ok(const struct ms_logmem *m, size_t off, size_t n);
void ms_logmem_free(struct ms_logmem *m);

#endif
