/*
 * pagecache.c - whole pages of kernel memory kept for later reads
 * (pagecache.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pagecache.h"

#define MAX_PAGES_PER_READ 4	/* larger reads are a binding's strength */

struct slot {
	uint64_t page;
	bool valid;
};

struct ms_pagecache {
	uint64_t page_size;
	unsigned int nslots;		/* a power of two */
	struct slot *slot;
	unsigned char *data;		/* nslots pages */
};

struct ms_pagecache *ms_pagecache_new(uint64_t page_size, unsigned int slots)
{
	struct ms_pagecache *c;

	if (!page_size || (page_size & (page_size - 1)) || !slots || (slots & (slots - 1)) ||
	    page_size > (1u << 20))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->page_size = page_size;
	c->nslots = slots;
	c->slot = calloc(slots, sizeof(*c->slot));
	c->data = malloc((size_t)page_size * slots);
	if (!c->slot || !c->data) {
		ms_pagecache_free(c);
		return NULL;
	}
	return c;
}

void ms_pagecache_free(struct ms_pagecache *c)
{
	if (!c)
		return;
	free(c->slot);
	free(c->data);
	free(c);
}

void ms_pagecache_clear(struct ms_pagecache *c)
{
	if (c)
		memset(c->slot, 0, c->nslots * sizeof(*c->slot));
}

/* The cached copy of the page at page, filled if it is not there; NULL if it
 * cannot be kept. */
static const unsigned char *page_of(struct ms_pagecache *c, uint64_t page, ms_page_fill_fn fill,
				    void *ctx)
{
	/* by page number: contiguous pages (a slab, a stack) never collide */
	unsigned int i = (unsigned int)(page / c->page_size) & (c->nslots - 1);
	unsigned char *p = c->data + (size_t)i * c->page_size;

	if (c->slot[i].valid && c->slot[i].page == page)
		return p;
	c->slot[i].valid = false;
	if (fill(ctx, page, p))
		return NULL;
	c->slot[i].page = page;
	c->slot[i].valid = true;
	return p;
}

int ms_pagecache_read(struct ms_pagecache *c, uint64_t addr, void *buf, size_t len,
		      ms_page_fill_fn fill, void *ctx)
{
	unsigned char *out = buf;

	if (!c || len > MAX_PAGES_PER_READ * c->page_size || addr + len < addr)
		return -1;
	while (len) {
		uint64_t page = addr & ~(c->page_size - 1), in = addr - page;
		size_t n = len < c->page_size - in ? len : (size_t)(c->page_size - in);
		const unsigned char *p = page_of(c, page, fill, ctx);

		if (!p)
			return -1;
		memcpy(out, p + in, n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}
