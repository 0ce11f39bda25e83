/*
 * pagecache.h - whole pages of kernel memory kept for later reads.
 *
 * A binding's read costs the same for 8 bytes as for a page (crash's
 * readmem(): a page-table walk and crash's own page cache; libkdumpfile: an
 * address translation and its cache), and lib/ reads structures a field at a
 * time: the walk of 300,000 tmpfs inodes made 1.8 million reads (issue #15).
 * A small direct-mapped cache of whole pages, filled through the binding,
 * serves them.  Only pages the binding read whole and as they are (no hole,
 * no filtered page) are kept; any other read goes to the binding unchanged,
 * so errors, and the count of reads of pages the dump does not hold, are
 * the same as without the cache.  A dump does not change: the cache is
 * emptied only when the binding says so (crash, before each command).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_PAGECACHE_H
#define MEMSCOPE_PAGECACHE_H

#include <stddef.h>
#include <stdint.h>

/* Read the page at page (page-aligned) into buf whole: 0, or -1 if it is
 * not to be kept (unreadable, partly held, filtered). */
typedef int (*ms_page_fill_fn)(void *ctx, uint64_t page, void *buf);

struct ms_pagecache;

/* A cache of slots pages (a power of two) of page_size bytes; NULL without
 * memory (the binding then reads without one). */
struct ms_pagecache *ms_pagecache_new(uint64_t page_size, unsigned int slots);
void ms_pagecache_free(struct ms_pagecache *c);
void ms_pagecache_clear(struct ms_pagecache *c);

/* [addr, addr + len) from cached pages, filling the missing ones through
 * fill: 0, or -1 when a page could not be kept or the read is larger than a
 * few pages (the caller reads it itself; buf may have been written). */
int ms_pagecache_read(struct ms_pagecache *c, uint64_t addr, void *buf, size_t len,
		      ms_page_fill_fn fill, void *ctx);

#endif
