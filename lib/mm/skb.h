/*
 * skb.h - the memory of socket buffers: for each struct sk_buff of a queue
 * (a struct sk_buff_head list, or a struct rb_root of skbs as TCP keeps its
 * retransmit and out-of-order queues), its head (skb->head: kmalloc_reserve()'s
 * slab object, a kmalloc_large() page or a page fragment) and the pages of
 * its fragments (skb_shinfo(skb)->frags[0..nr_frags), the pages
 * tcp_sendmsg() filled from the sender's page_frag), and the same of the skbs
 * on its frag_list.  The owner of sk_buff, sk_buff_head, skb_shared_info and
 * skb_frag_t.
 *
 * skb_frag_t by era (include/linux/skbuff.h): 6.1 has struct bio_vec
 * (bv_page); 6.12 has struct skb_frag, whose netmem_ref is a struct page
 * pointer unless bit 0 (NET_IOV, include/net/netmem.h) marks a net_iov,
 * which owns no page and is skipped.  skb->end is an offset from head where
 * sk_buff_data_t is 32 bits (NET_SKBUFF_DATA_USES_OFFSET: 64-bit kernels),
 * a pointer otherwise: told by its size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SKB_H
#define MEMSCOPE_SKB_H

#include <stdint.h>

#include "target.h"

#define MS_SKB_MAX (1u << 20)		/* skbs of one queue at most: a bound on the walk */

enum ms_skb_mem {
	MS_SKB_HEAD,			/* addr is skb->head, a kernel virtual address */
	MS_SKB_FRAG_PAGE,		/* addr is a fragment's struct page */
};

/* Told each head and fragment page; a non-NULL return stops the walk. */
typedef struct ms_error *ms_skb_sink(void *arg, uint64_t addr, enum ms_skb_mem kind);

/* A walker: the layouts resolved once, for every queue of every socket. */
struct ms_skb_walk;

/* NULL, or the error that leaves no walk (no layout: MS_ERR_LOOKUP). */
struct ms_error *ms_skb_walk_open(struct ms_target *t, ms_skb_sink *sink, void *arg,
				  struct ms_skb_walk **w);
void ms_skb_walk_close(struct ms_skb_walk *w);

/* Every skb on the struct sk_buff_head at head: NULL, or the first error (a
 * read, a queue longer than MS_SKB_MAX, or the sink's); the sink was told
 * what came before it. */
struct ms_error *ms_skb_queue_pages(struct ms_skb_walk *w, uint64_t head);

/* Every skb of the struct rb_root at root (skb->rbnode); the same. */
struct ms_error *ms_skb_rbtree_pages(struct ms_skb_walk *w, uint64_t root);

#endif
