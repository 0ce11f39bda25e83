/*
 * uncounted.c - the table of consumers outside /proc/meminfo's counters, and
 * how the remainder of the USED breakdown splits into them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "modules.h"
#include "pipe.h"
#include "uncounted.h"

/*
 * The consumers, in the order meminfo prints them.  Each one's pages are in
 * no vmstat item that /proc/meminfo prints:
 *  - pipe buffers: pipe_write() alloc_page()s (fs/pipe.c);
 *  - socket buffers: proto->memory_allocated counts skb truesize; page-frag
 *    data (sk_page_frag_refill()) is in no counter, skb heads are slab, so
 *    this is an upper bound of the uncounted part;
 *  - dma-bufs: the exporter's pages (system heap alloc_pages(), a driver's
 *    own); udmabuf's memfd pages are shmem, so an upper bound too;
 *  - balloon: pages a balloon driver took from the page allocator and gave
 *    to the host (virtio_balloon: only with DEFLATE_ON_OOM are they left in
 *    MemTotal, adjust_managed_page_count() takes them out otherwise);
 *  - zsmalloc: zs_pool pages (zram, zswap's pool is Zswap's own line).
 */
const struct ms_unc_source ms_unc_sources[] = {
	{ "pipes", "pipe buffers", "pipe_inode_info.bufs", false, ms_unc_pipes },
	{ "pgtables_upper", "upper page tables", "pgd, p4d, pud pages", false,
	  ms_unc_pgtables_upper },
	{ "sockets", "socket buffers", "proto.memory_allocated", true, ms_unc_sockets },
	{ "dmabuf", "dma-buf buffers", "dma_buf.size", true, ms_unc_dmabuf },
	{ "balloon", "balloon pages", "virtio_balloon", false, ms_unc_balloon },
	{ "zsmalloc", "zsmalloc pools", "zs_pool.pages_allocated", false, ms_unc_zsmalloc },
};
const size_t ms_unc_nr_sources = sizeof(ms_unc_sources) / sizeof(ms_unc_sources[0]);

struct ms_error *ms_unc_tasks(struct ms_unc_ctx *c, const struct ms_tasks **ts)
{
	if (!c->tasks_tried) {
		c->tasks_tried = true;
		c->tasks_err = ms_tasks_read(c->t, &c->tasks);
	}
	*ts = &c->tasks;
	if (c->tasks_err)
		return ms_error_create(c->tasks_err->code, "the process list: %s",
				       ms_error_string(c->tasks_err));
	return NULL;
}

void ms_unc_add_holder(struct ms_unc_item *it, const char *name, int32_t pid, unsigned int nr,
		       uint64_t pages)
{
	struct ms_unc_holder *h = NULL;
	size_t small = 0;

	for (size_t i = 0; i < it->nr_holders; i++) {
		if (!strcmp(it->holder[i].name, name)) {
			h = &it->holder[i];
			break;
		}
		if (it->holder[i].pages < it->holder[small].pages)
			small = i;
	}
	if (!h && it->nr_holders < MS_UNC_HOLDERS) {
		h = &it->holder[it->nr_holders++];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", name);
		h->pid = pid;
	} else if (!h) {
		if (it->holder[small].pages >= pages)
			return;
		h = &it->holder[small];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", name);
		h->pid = pid;
	}
	h->nr += nr;
	h->pages += pages;
	/* largest first */
	while (h > it->holder && h[-1].pages < h->pages) {
		struct ms_unc_holder tmp = h[-1];

		h[-1] = *h;
		*h = tmp;
		h--;
	}
}

struct ms_error *ms_uncounted_read_from(struct ms_target *t, const struct ms_unc_source *src,
					size_t nr, struct ms_uncounted *u)
{
	struct ms_unc_ctx c = { .t = t };

	memset(u, 0, sizeof(*u));
	u->item = calloc(nr ? nr : 1, sizeof(*u->item));
	if (!u->item)
		return &ms_error_nomem;
	u->nr = nr;
	u->complete = true;
	for (size_t i = 0; i < nr; i++) {
		struct ms_unc_item *it = &u->item[i];
		struct ms_error *err;

		it->key = src[i].key;
		it->name = src[i].name;
		it->source = src[i].source;
		it->bound = src[i].bound;
		it->state = MS_UNC_OK;
		err = src[i].read(&c, it);
		if (err == &ms_error_nomem) {
			ms_uncounted_free(u);
			if (c.tasks_tried && !c.tasks_err)
				ms_tasks_free(&c.tasks);
			ms_error_destroy(c.tasks_err);
			return err;
		}
		if (err) {
			it->state = ms_error_is(err, MS_ERR_LOOKUP) ||
					    ms_error_is(err, MS_ERR_UNSUPPORTED)
					    ? MS_UNC_ABSENT : MS_UNC_UNKNOWN;
			it->pages = 0;
			snprintf(it->why, sizeof(it->why), "%s", ms_error_string(err));
			ms_error_destroy(err);
		}
		if (it->state == MS_UNC_PARTIAL || it->state == MS_UNC_UNKNOWN)
			u->complete = false;
	}
	if (c.tasks_tried && !c.tasks_err)
		ms_tasks_free(&c.tasks);
	ms_error_destroy(c.tasks_err);
	return NULL;
}

struct ms_error *ms_uncounted_read(struct ms_target *t, struct ms_uncounted *u)
{
	return ms_uncounted_read_from(t, ms_unc_sources, ms_unc_nr_sources, u);
}

void ms_uncounted_split(struct ms_uncounted *u, int64_t remainder)
{
	int64_t exact = 0, bounds = 0, room;

	u->remainder = remainder;
	/* Sums that saturate: a corrupt dump's garbage must not overflow. */
	for (size_t i = 0; i < u->nr; i++) {
		int64_t *sum = u->item[i].bound ? &bounds : &exact;

		if (__builtin_add_overflow(*sum, u->item[i].pages, sum))
			*sum = INT64_MAX / 4;
	}
	if (exact > INT64_MAX / 4)
		exact = INT64_MAX / 4;
	if (bounds > INT64_MAX / 4)
		bounds = INT64_MAX / 4;
	if (remainder > INT64_MAX / 4 || remainder < -(INT64_MAX / 4))
		remainder = remainder > 0 ? INT64_MAX / 4 : -(INT64_MAX / 4);
	/* A bound claims no more than what the exact ones leave. */
	room = remainder - exact;
	if (room < 0)
		room = 0;
	u->explained = exact + (bounds < room ? bounds : room);
	u->unexplained = remainder - u->explained;
}

void ms_uncounted_free(struct ms_uncounted *u)
{
	free(u->item);
	memset(u, 0, sizeof(*u));
}

/* ---- the consumers of this file ---- */

/* Pipes: each pipe once, its pages to the command of its first holder. */
struct ms_error *ms_unc_pipes(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	const struct ms_tasks *ts;
	struct ms_pipes p;
	struct ms_error *err = ms_unc_tasks(c, &ts);

	if (err)
		return err;
	if ((err = ms_pipes_read(c->t, ts, true, &p)))
		return err;
	it->pages = (int64_t)p.pages;
	if (!p.complete) {
		it->state = MS_UNC_PARTIAL;
		snprintf(it->why, sizeof(it->why), "%s", p.why);
	}
	for (size_t i = 0; i < p.nr; i++) {
		const struct ms_pipe *pp = &p.v[i];
		const struct ms_pipe_holder *h = &p.holders[pp->first_holder];
		uint64_t pages = pp->pages + (pp->tmp_page ? 1 : 0);

		if (pp->nr_holders && pages)
			ms_unc_add_holder(it, h->comm, h->pid, 1, pages);
	}
	ms_pipes_free(&p);
	return NULL;
}

/* A module of that name in the modules list: 1, 0, or -1 (no list). */
static int module_loaded(struct ms_unc_ctx *c, const char *name)
{
	struct ms_modules m;
	int found = 0;
	struct ms_error *err = ms_modules_read(c->t, &m);

	if (err) {
		ms_error_destroy(err);
		return -1;
	}
	for (size_t i = 0; i < m.nr; i++)
		if (!strcmp(m.v[i].name, name))
			found = 1;
	ms_modules_free(&m);
	return found;
}

/* A driver present in the kernel (built in: its symbol) or loaded. */
static struct ms_error *presence(struct ms_unc_ctx *c, const char *sym, const char *mod,
				 bool *present)
{
	int loaded;

	*present = ms_has_symbol(c->t, sym);
	if (*present)
		return NULL;
	loaded = module_loaded(c, mod);
	if (loaded < 0)
		return ms_error_create(MS_ERR_FAULT, "the modules list cannot be read");
	*present = loaded > 0;
	return NULL;
}

/*
 * virtio_balloon keeps its count in struct virtio_balloon.num_pages, which
 * only the device's driver data points to (vdev->priv): no global reaches it.
 */
struct ms_error *ms_unc_balloon(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	bool present;
	struct ms_error *err = presence(c, "virtballoon_probe", "virtio_balloon", &present);

	if (err)
		return err;
	if (!present)
		return ms_error_create(MS_ERR_LOOKUP, "virtio_balloon not loaded");
	(void)it;
	return ms_error_create(MS_ERR_FAULT, "virtio_balloon is loaded: its num_pages (vdev->priv) is not read "
			       "by this version");
}

/* zsmalloc pools (zram's, zswap's): zs_pool.pages_allocated of each pool,
 * reached from its users only (zram_index_idr in the zram module). */
struct ms_error *ms_unc_zsmalloc(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	bool present;
	struct ms_error *err = presence(c, "zs_create_pool", "zsmalloc", &present);

	(void)it;
	if (err)
		return err;
	if (!present)
		return ms_error_create(MS_ERR_LOOKUP, "zsmalloc not loaded");
	return ms_error_create(MS_ERR_FAULT, "zsmalloc is loaded: its pools are reached from "
			       "zram's devices, which this version does not read");
}
