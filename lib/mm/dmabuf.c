/*
 * dmabuf.c - dma-buf buffers by exporter: every struct dma_buf on db_list
 * (drivers/dma-buf/dma-buf.c, where dma_buf_export() adds it and the
 * debugfs bufinfo file, dma_buf_debug_show(), walks it), its size and its
 * exp_name.  The owner of struct dma_buf.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "list.h"
#include "uncounted.h"

#define MAX_BUFS (1u << 20)

struct walk {
	struct ms_unc_item *it;
	long list_node, size, exp_name;
	uint64_t bytes, pages;
	unsigned int page_shift;
};

static struct ms_error *one(struct ms_target *t, uint64_t node, void *arg)
{
	struct walk *w = arg;
	uint64_t buf = node - (uint64_t)w->list_node, size, name;
	char exp[40] = "?";
	struct ms_error *err;

	if ((err = ms_read_ptr(t, buf + (uint64_t)w->size, &size)) ||
	    (err = ms_read_ptr(t, buf + (uint64_t)w->exp_name, &name)))
		return ms_error_wrap(err, "dma_buf %#llx", (unsigned long long)buf);
	if (name)
		ms_error_ignore(ms_read_str(t, name, exp, sizeof(exp)));
	w->bytes += size;
	w->pages += (size + (1ull << w->page_shift) - 1) >> w->page_shift;
	ms_unc_add_holder(w->it, exp, -1, 1, (size + (1ull << w->page_shift) - 1) >> w->page_shift);
	return NULL;
}

struct ms_error *ms_unc_dmabuf(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	struct ms_target *t = c->t;
	struct walk w = { .it = it, .page_shift = t->page_shift };
	long head = ms_member_offset(t, "dma_buf_list", "head");
	uint64_t db_list;
	struct ms_list_result r;
	struct ms_error *err;

	w.list_node = ms_member_offset(t, "dma_buf", "list_node");
	w.size = ms_member_offset(t, "dma_buf", "size");
	w.exp_name = ms_member_offset(t, "dma_buf", "exp_name");
	if (w.list_node < 0 || w.size < 0 || w.exp_name < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no dma-buf list in this kernel (no "
				       "dma_buf.list_node/size/exp_name)");
	if (ms_has_symbol(t, "db_list")) {
		if (head < 0)
			return ms_error_create(MS_ERR_LOOKUP, "no layout of dma_buf_list.head");
		if ((err = ms_symbol(t, "db_list", &db_list)))
			return err;
		db_list += (uint64_t)head;
	} else if (ms_has_symbol(t, "debugfs_list")) {
		if ((err = ms_symbol(t, "debugfs_list", &db_list)))
			return err;
	} else {
		return ms_error_create(MS_ERR_LOOKUP, "no dma-buf list in this kernel (neither "
				       "db_list nor debugfs_list)");
	}
	err = ms_list_visit(t, db_list, MAX_BUFS, 0, one, &w, &r);
	if (err == &ms_error_nomem)
		return err;
	it->pages = (int64_t)w.pages;
	if (err || r.status != MS_LIST_OK) {
		it->state = MS_UNC_PARTIAL;
		snprintf(it->why, sizeof(it->why), "db_list walk %s%s%s",
			 ms_list_status_name(r.status), err ? ": " : "",
			 err ? ms_error_string(err) : "");
		ms_error_destroy(err);
	}
	return NULL;
}
