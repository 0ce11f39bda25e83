/*
 * skb.c - the heads and fragment pages of socket buffers (see skb.h).
 *
 * A queue is walked the way skb_queue_walk() does (include/linux/skbuff.h):
 * from head->next until the list comes back to the head; a tree the way
 * skb_rbtree_walk() visits it, here depth-first (the order does not matter
 * to a set of pages).  skb_shinfo(skb) is skb_end_pointer(skb): head + end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "skb.h"

#define MAX_SKB_SIZE 1024		/* struct sk_buff is 232 bytes on x86_64 */
#define MAX_SHINFO_SIZE 4096		/* skb_shared_info to its frags' end: 320 bytes */
#define RB_DEPTH 64			/* an rb-tree of n nodes is at most 2 log2(n + 1) deep */
#define NET_IOV 1ul			/* include/net/netmem.h: a netmem_ref that is no page */

struct skb_layout {
	long size;			/* struct sk_buff */
	long next, head, end, end_size, rbnode;
	long rb_left, rb_right;		/* struct rb_node */
	long queue_next;		/* struct sk_buff_head */
	long nr_frags, nr_frags_size, frag_list, frags, frags_size;	/* skb_shared_info */
	long frag_size, frag_page;	/* one skb_frag_t, and its page's offset in it */
	bool netmem;			/* the page is a netmem_ref (6.12) */
	size_t shinfo_len;		/* bytes of skb_shared_info read: to the frags' end */
};

struct ms_skb_walk {
	struct ms_target *t;
	struct skb_layout l;
	ms_skb_sink *sink;
	void *arg;
	unsigned char skb[MAX_SKB_SIZE], shinfo[MAX_SHINFO_SIZE];
};

/* skb_frag_t: 6.12's struct skb_frag (netmem), else 6.1's struct bio_vec. */
static void frag_layout(struct ms_target *t, struct skb_layout *l)
{
	l->netmem = ms_has_member(t, "skb_frag", "netmem");
	if (l->netmem) {
		l->frag_size = ms_struct_size(t, "skb_frag");
		l->frag_page = ms_member_offset(t, "skb_frag", "netmem");
	} else {
		l->frag_size = ms_struct_size(t, "bio_vec");
		l->frag_page = ms_member_offset(t, "bio_vec", "bv_page");
	}
}

static struct ms_error *layout(struct ms_target *t, struct skb_layout *l)
{
	l->size = ms_struct_size(t, "sk_buff");
	l->next = ms_member_offset(t, "sk_buff", "next");
	l->head = ms_member_offset(t, "sk_buff", "head");
	l->end = ms_member_offset(t, "sk_buff", "end");
	l->end_size = ms_member_size(t, "sk_buff", "end");
	l->rbnode = ms_member_offset(t, "sk_buff", "rbnode");
	l->rb_left = ms_member_offset(t, "rb_node", "rb_left");
	l->rb_right = ms_member_offset(t, "rb_node", "rb_right");
	l->queue_next = ms_member_offset(t, "sk_buff_head", "next");
	l->nr_frags = ms_member_offset(t, "skb_shared_info", "nr_frags");
	l->nr_frags_size = ms_member_size(t, "skb_shared_info", "nr_frags");
	l->frag_list = ms_member_offset(t, "skb_shared_info", "frag_list");
	l->frags = ms_member_offset(t, "skb_shared_info", "frags");
	l->frags_size = ms_member_size(t, "skb_shared_info", "frags");
	frag_layout(t, l);
	if (l->size <= 0 || l->size > MAX_SKB_SIZE || l->next < 0 || l->head < 0 || l->end < 0 ||
	    (l->end_size != 4 && l->end_size != 8) || l->rbnode < 0 || l->rb_left < 0 ||
	    l->rb_right < 0 || l->queue_next < 0 || l->nr_frags < 0 || l->nr_frags_size <= 0 ||
	    l->frag_list < 0 || l->frags < 0 || l->frags_size <= 0 || l->frag_size <= 0 || l->frag_page < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no layout for struct sk_buff, skb_shared_info "
				       "or skb_frag_t (head, end, frags, bv_page or netmem)");
	l->shinfo_len = (size_t)(l->frags + l->frags_size);
	if (l->shinfo_len > MAX_SHINFO_SIZE || (size_t)(l->frag_list + t->word_size) > l->shinfo_len ||
	    (size_t)(l->nr_frags + l->nr_frags_size) > l->shinfo_len)
		return ms_error_create(MS_ERR_UNSUPPORTED, "struct skb_shared_info of %zu bytes",
				       l->shinfo_len);
	return NULL;
}

/* The head and fragment pages of the skb in w->skb (read from addr). */
static struct ms_error *skb_mem(struct ms_skb_walk *w, uint64_t addr, uint64_t *frag_list)
{
	struct ms_target *t = w->t;
	const struct skb_layout *l = &w->l;
	uint64_t head = ms_get_ptr(t, w->skb, l->head);
	uint64_t end = ms_get_uint(t, w->skb, l->end, (size_t)l->end_size);
	uint64_t nr, prev = 0;
	struct ms_error *err;

	*frag_list = 0;
	if (!head)
		return NULL;		/* freed, or a head-less clone */
	if ((err = w->sink(w->arg, head, MS_SKB_HEAD)))
		return err;
	/* skb_end_pointer(): an offset from head on 64-bit kernels */
	if ((err = ms_read(t, l->end_size == 4 ? head + end : end, w->shinfo, l->shinfo_len)))
		return ms_error_wrap(err, "sk_buff %#llx: skb_shared_info", (unsigned long long)addr);
	nr = ms_get_uint(t, w->shinfo, l->nr_frags, (size_t)l->nr_frags_size);
	if (nr > (uint64_t)(l->frags_size / l->frag_size))
		return ms_error_at(MS_ERR_CORRUPT, addr, "sk_buff %#llx: %llu frags",
				   (unsigned long long)addr, (unsigned long long)nr);
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t page = ms_get_ptr(t, w->shinfo, l->frags + (long)i * l->frag_size + l->frag_page);

		if (l->netmem && (page & NET_IOV))
			continue;
		if (!page || page == prev)	/* frags of one page come one after another */
			continue;
		prev = page;
		if ((err = w->sink(w->arg, page, MS_SKB_FRAG_PAGE)))
			return err;
	}
	*frag_list = ms_get_ptr(t, w->shinfo, l->frag_list);
	return NULL;
}

static struct ms_error *read_skb(struct ms_skb_walk *w, uint64_t skb)
{
	struct ms_error *err = ms_read(w->t, skb, w->skb, (size_t)w->l.size);

	return err ? ms_error_wrap(err, "sk_buff %#llx", (unsigned long long)skb) : NULL;
}

/* One skb and the skbs of its frag_list (GRO's chain, skb->next, not nested). */
static struct ms_error *one_skb(struct ms_skb_walk *w, uint64_t skb, size_t *budget)
{
	uint64_t fl, dummy;
	struct ms_error *err = skb_mem(w, skb, &fl);

	while (!err && fl) {
		if (!(*budget)--)
			return ms_error_at(MS_ERR_CORRUPT, skb, "sk_buff %#llx: frag_list longer than %u",
					   (unsigned long long)skb, MS_SKB_MAX);
		if (!(err = read_skb(w, fl)) && !(err = skb_mem(w, fl, &dummy)))
			fl = ms_get_ptr(w->t, w->skb, w->l.next);
	}
	return err;
}

struct ms_error *ms_skb_walk_open(struct ms_target *t, ms_skb_sink *sink, void *arg,
				  struct ms_skb_walk **out)
{
	struct ms_skb_walk *w = calloc(1, sizeof(*w));
	struct ms_error *err;

	*out = NULL;
	if (!w)
		return &ms_error_nomem;
	w->t = t;
	w->sink = sink;
	w->arg = arg;
	if ((err = layout(t, &w->l))) {
		free(w);
		return err;
	}
	*out = w;
	return NULL;
}

void ms_skb_walk_close(struct ms_skb_walk *w)
{
	free(w);
}

struct ms_error *ms_skb_queue_pages(struct ms_skb_walk *w, uint64_t head)
{
	struct ms_target *t = w->t;
	size_t budget = MS_SKB_MAX;
	struct ms_error *err;
	uint64_t skb, next;

	if ((err = ms_read_ptr(t, head + (uint64_t)w->l.queue_next, &skb)))
		return err;
	while (skb && skb != head) {
		if (!budget--)
			return ms_error_at(MS_ERR_CORRUPT, head, "sk_buff_head %#llx: longer than %u",
					   (unsigned long long)head, MS_SKB_MAX);
		if ((err = read_skb(w, skb)))
			return err;
		/* one_skb() reuses w->skb for the frag_list: take next first */
		next = ms_get_ptr(t, w->skb, w->l.next);
		if ((err = one_skb(w, skb, &budget)))
			return err;
		skb = next;
	}
	return NULL;
}

struct ms_error *ms_skb_rbtree_pages(struct ms_skb_walk *w, uint64_t root)
{
	struct ms_target *t = w->t;
	uint64_t stack[RB_DEPTH], node;
	size_t depth = 0, budget = MS_SKB_MAX;
	struct ms_error *err;

	/* struct rb_root is one pointer, rb_node */
	if ((err = ms_read_ptr(t, root, &node)))
		return err;
	if (node)
		stack[depth++] = node;
	while (depth) {
		uint64_t skb = stack[--depth] - (uint64_t)w->l.rbnode, kid[2];

		if (!budget--)
			return ms_error_at(MS_ERR_CORRUPT, root, "rb_root %#llx: more than %u skbs",
					   (unsigned long long)root, MS_SKB_MAX);
		if ((err = read_skb(w, skb)))
			return err;
		kid[0] = ms_get_ptr(t, w->skb, w->l.rbnode + w->l.rb_left);
		kid[1] = ms_get_ptr(t, w->skb, w->l.rbnode + w->l.rb_right);
		if ((err = one_skb(w, skb, &budget)))
			return err;
		for (int i = 0; i < 2; i++) {
			if (!kid[i])
				continue;
			if (depth == RB_DEPTH)
				return ms_error_at(MS_ERR_CORRUPT, root, "rb_root %#llx: deeper than %d",
						   (unsigned long long)root, RB_DEPTH);
			stack[depth++] = kid[i];
		}
	}
	return NULL;
}
