/*
 * logmem.c - a region of kernel memory copied whole, or page by page.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "logmem.h"

#define MAX_LEADING_MISSES 64	/* pages unreadable from the start: the region is not there */

struct ms_error *ms_logmem_load(struct ms_target *t, struct ms_logmem *m, uint64_t addr,
				size_t len)
{
	uint64_t psize = ms_page_size(t);
	uint64_t first = addr & ~(psize - 1);
	size_t pages = (size_t)((addr + len - first + psize - 1) / psize);
	struct ms_error *err;

	memset(m, 0, sizeof(*m));
	if (addr + len < addr)
		return ms_error_at(MS_ERR_CORRUPT, addr, "%zu bytes at %#llx wrap around", len,
				   (unsigned long long)addr);
	m->addr = addr;
	m->len = len;
	m->page_shift = t->page_shift;
	m->buf = malloc(len ? len : 1);
	m->bad = calloc(pages ? pages : 1, 1);
	if (!m->buf || !m->bad) {
		ms_logmem_free(m);
		return &ms_error_nomem;
	}
	err = ms_read(t, addr, m->buf, len);
	if (!err)
		return NULL;
	ms_error_destroy(err);
	/* One page at a time: the pages the dump has are still worth having. */
	for (size_t i = 0; i < pages; i++) {
		uint64_t a = i ? first + i * psize : addr;
		uint64_t end = first + (i + 1) * psize;
		size_t n;

		if (end > addr + len)
			end = addr + len;
		n = (size_t)(end - a);
		err = ms_read(t, a, m->buf + (a - addr), n);
		if (!err)
			continue;
		memset(m->buf + (a - addr), 0, n);
		m->bad[i] = 1;
		m->nr_bad++;
		if (!m->first_err)
			m->first_err = err;
		else
			ms_error_destroy(err);
		/* A pointer to nowhere, not a page gone: stop asking. */
		if (m->nr_bad == i + 1 && m->nr_bad >= MAX_LEADING_MISSES) {
			m->nr_bad = pages;
			break;
		}
	}
	if (m->nr_bad == pages) {
		err = m->first_err;
		m->first_err = NULL;
		ms_logmem_free(m);
		return err;
	}
	return NULL;
}

bool ms_logmem_ok(const struct ms_logmem *m, size_t off, size_t n)
{
	uint64_t psize, first;

	if (!m->buf || off > m->len || n > m->len - off)
		return false;
	if (!m->nr_bad || !n)
		return true;
	psize = 1ull << m->page_shift;
	first = m->addr & ~(psize - 1);
	uint64_t lo = (m->addr + off - first) / psize, hi = (m->addr + off + n - 1 - first) / psize;

	for (uint64_t p = lo; p <= hi; p++)
		if (m->bad[p])
			return false;
	return true;
}

void ms_logmem_free(struct ms_logmem *m)
{
	free(m->buf);
	free(m->bad);
	ms_error_destroy(m->first_err);
	memset(m, 0, sizeof(*m));
}
