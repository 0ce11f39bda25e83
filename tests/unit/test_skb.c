/*
 * test_skb.c - skb.h's walks on a synthetic kernel: a receive queue and a
 * TCP rb-tree of skbs, with heads, fragments and a frag_list, in the
 * skb_frag_t of 6.1 (struct bio_vec) and of 6.12 (struct skb_frag, a
 * netmem_ref whose bit 0 marks a net_iov); and the walks' bounds on a
 * corrupt queue, a bad nr_frags and a page the dump lacks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "skb.h"
#include "suites.h"

/* struct sk_buff: next, prev (rbnode over them), head, end (an offset) */
#define SKB_SIZE 0x40
#define SKB_NEXT 0x00
#define SKB_HEAD 0x20
#define SKB_END 0x28
#define RB_RIGHT 0x08
#define RB_LEFT 0x10
/* struct skb_shared_info: nr_frags, frag_list, frags[4] of 16 bytes */
#define SI_NR 0x02
#define SI_FRAG_LIST 0x08
#define SI_FRAGS 0x30
#define NR_FRAGS 4
#define FRAG_SIZE 16
#define SHINFO_SIZE (SI_FRAGS + NR_FRAGS * FRAG_SIZE)
#define HEAD_LEN 0x200			/* the data before skb_shinfo() */

static void skb_types(struct fake *f, bool netmem)
{
	fake_struct(f, "sk_buff", SKB_SIZE);
	fake_member(f, "sk_buff", "next", SKB_NEXT, 8);
	fake_member(f, "sk_buff", "rbnode", 0, 24);
	fake_member(f, "sk_buff", "head", SKB_HEAD, 8);
	fake_member(f, "sk_buff", "end", SKB_END, 4);
	fake_struct(f, "rb_node", 24);
	fake_member(f, "rb_node", "rb_right", RB_RIGHT, 8);
	fake_member(f, "rb_node", "rb_left", RB_LEFT, 8);
	fake_struct(f, "sk_buff_head", 24);
	fake_member(f, "sk_buff_head", "next", 0, 8);
	fake_struct(f, "skb_shared_info", SHINFO_SIZE);
	fake_member(f, "skb_shared_info", "nr_frags", SI_NR, 1);
	fake_member(f, "skb_shared_info", "frag_list", SI_FRAG_LIST, 8);
	fake_member(f, "skb_shared_info", "frags", SI_FRAGS, NR_FRAGS * FRAG_SIZE);
	if (netmem) {
		fake_struct(f, "skb_frag", FRAG_SIZE);
		fake_member(f, "skb_frag", "netmem", 0, 8);
	} else {
		fake_struct(f, "bio_vec", FRAG_SIZE);
		fake_member(f, "bio_vec", "bv_page", 0, 8);
	}
}

/* An skb with a head and nr fragments on pages[0..nr). */
static uint64_t make_skb(struct fake *f, unsigned int nr, const uint64_t *pages)
{
	uint64_t skb = fake_alloc(f, SKB_SIZE), head = fake_alloc(f, HEAD_LEN + SHINFO_SIZE);
	unsigned char n = (unsigned char)nr;

	fake_put_u64(f, skb + SKB_HEAD, head);
	fake_put_u32(f, skb + SKB_END, HEAD_LEN);
	fake_put(f, head + HEAD_LEN + SI_NR, &n, 1);
	for (unsigned int i = 0; i < nr; i++)
		fake_put_u64(f, head + HEAD_LEN + SI_FRAGS + i * FRAG_SIZE, pages[i]);
	return skb;
}

static uint64_t shinfo_of(struct fake *f, uint64_t skb)
{
	uint64_t head = 0;

	ck_assert_ptr_null(ms_read_ptr(fake_target(f), skb + SKB_HEAD, &head));
	return head + HEAD_LEN;
}

/* A queue head whose list is skbs[0..n) in order. */
static uint64_t make_queue(struct fake *f, const uint64_t *skbs, size_t n)
{
	uint64_t q = fake_alloc(f, 24);

	fake_put_u64(f, q, n ? skbs[0] : q);
	for (size_t i = 0; i < n; i++)
		fake_put_u64(f, skbs[i] + SKB_NEXT, i + 1 < n ? skbs[i + 1] : q);
	return q;
}

struct seen {
	size_t heads, pages;
	uint64_t head[16], page[16];
};

static struct ms_error *record(void *arg, uint64_t addr, enum ms_skb_mem kind)
{
	struct seen *s = arg;

	if (kind == MS_SKB_HEAD && s->heads < 16)
		s->head[s->heads++] = addr;
	else if (kind == MS_SKB_FRAG_PAGE && s->pages < 16)
		s->page[s->pages++] = addr;
	return NULL;
}

/* One queue or tree through a walker opened for it. */
static struct ms_error *queue(struct ms_target *t, uint64_t head, struct seen *s)
{
	struct ms_skb_walk *w;
	struct ms_error *err = ms_skb_walk_open(t, record, s, &w);

	if (!err)
		err = ms_skb_queue_pages(w, head);
	ms_skb_walk_close(w);
	return err;
}

static struct ms_error *tree(struct ms_target *t, uint64_t root, struct seen *s)
{
	struct ms_skb_walk *w;
	struct ms_error *err = ms_skb_walk_open(t, record, s, &w);

	if (!err)
		err = ms_skb_rbtree_pages(w, root);
	ms_skb_walk_close(w);
	return err;
}

static bool has(const uint64_t *v, size_t n, uint64_t x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void queue_era(bool netmem)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	/* 6.12: the third fragment is a net_iov (bit 0), no page */
	uint64_t p1[] = { 0xffffea0000001000ull, 0xffffea0000001000ull, 0xffffea0000002040ull },
		 p2[] = { 0xffffea0000003000ull }, skbs[3], q;
	struct seen s = { 0 };

	skb_types(f, netmem);
	if (netmem)
		p1[2] |= 1;
	skbs[0] = make_skb(f, 3, p1);
	skbs[1] = make_skb(f, 0, NULL);
	skbs[2] = make_skb(f, 1, p2);
	q = make_queue(f, skbs, 3);
	ck_assert_ptr_null(queue(t, q, &s));
	ck_assert_uint_eq(s.heads, 3);
	/* one page of two fragments told once; the net_iov is skipped */
	ck_assert_uint_eq(s.pages, netmem ? 2 : 3);
	ck_assert(has(s.page, s.pages, p1[0]) && has(s.page, s.pages, p2[0]));
	ck_assert(netmem != has(s.page, s.pages, 0xffffea0000002040ull));
	/* an empty queue points at itself */
	memset(&s, 0, sizeof(s));
	ck_assert_ptr_null(queue(t, make_queue(f, NULL, 0), &s));
	ck_assert_uint_eq(s.heads + s.pages, 0);
	fake_free(f);
}

START_TEST(queue_bio_vec)
{
	queue_era(false);
}
END_TEST

START_TEST(queue_netmem)
{
	queue_era(true);
}
END_TEST

START_TEST(frag_list_followed)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t pa[] = { 0xffffea0000001000ull }, pb[] = { 0xffffea0000005000ull };
	uint64_t top, chain[2], q;
	struct seen s = { 0 };

	skb_types(f, false);
	top = make_skb(f, 0, NULL);
	chain[0] = make_skb(f, 1, pa);
	chain[1] = make_skb(f, 1, pb);
	fake_put_u64(f, shinfo_of(f, top) + SI_FRAG_LIST, chain[0]);
	fake_put_u64(f, chain[0] + SKB_NEXT, chain[1]);
	q = make_queue(f, &top, 1);
	ck_assert_ptr_null(queue(t, q, &s));
	ck_assert_uint_eq(s.heads, 3);
	ck_assert_uint_eq(s.pages, 2);
	fake_free(f);
}
END_TEST

START_TEST(rbtree_every_node)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t pg[5][1], skb[5], root;
	struct seen s = { 0 };

	skb_types(f, true);
	for (int i = 0; i < 5; i++) {
		pg[i][0] = 0xffffea0000010000ull + (uint64_t)i * 0x1000;
		skb[i] = make_skb(f, 1, pg[i]);
	}
	/* 1 at the root; 0 and 3 its children; 2 and 4 under 3 */
	fake_put_u64(f, skb[1] + RB_LEFT, skb[0]);
	fake_put_u64(f, skb[1] + RB_RIGHT, skb[3]);
	fake_put_u64(f, skb[3] + RB_LEFT, skb[2]);
	fake_put_u64(f, skb[3] + RB_RIGHT, skb[4]);
	root = fake_alloc(f, 8);
	fake_put_u64(f, root, skb[1]);
	ck_assert_ptr_null(tree(t, root, &s));
	ck_assert_uint_eq(s.heads, 5);
	for (int i = 0; i < 5; i++)
		ck_assert(has(s.page, s.pages, pg[i][0]));
	/* an empty tree */
	memset(&s, 0, sizeof(s));
	ck_assert_ptr_null(tree(t, fake_alloc(f, 8), &s));
	ck_assert_uint_eq(s.heads, 0);
	/* a node that is its own child: bounded, and said to be corrupt */
	fake_put_u64(f, skb[4] + RB_LEFT, skb[4]);
	memset(&s, 0, sizeof(s));
	struct ms_error *err = tree(t, root, &s);

	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(corrupt_and_missing)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t p[] = { 0xffffea0000001000ull }, skbs[3], q;
	struct seen s = { 0 };
	struct ms_error *err;
	unsigned char many = NR_FRAGS + 1;

	skb_types(f, false);
	for (int i = 0; i < 3; i++)
		skbs[i] = make_skb(f, 1, p);
	/* a cycle that misses the head: the bound ends it */
	q = make_queue(f, skbs, 3);
	fake_put_u64(f, skbs[2] + SKB_NEXT, skbs[1]);
	err = queue(t, q, &s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "longer than"));
	ms_error_destroy(err);
	/* more fragments than frags[] holds */
	q = make_queue(f, skbs, 3);
	fake_put(f, shinfo_of(f, skbs[1]) + SI_NR, &many, 1);
	memset(&s, 0, sizeof(s));
	err = queue(t, q, &s);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_uint_eq(s.heads, 2);		/* the first skb's, and the bad one's */
	ms_error_destroy(err);
	/* an skb the dump does not hold: the read's own error, what came before told */
	many = 1;
	fake_put(f, shinfo_of(f, skbs[1]) + SI_NR, &many, 1);
	fake_missing(f, skbs[2], SKB_SIZE);
	memset(&s, 0, sizeof(s));
	err = queue(t, q, &s);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ck_assert_uint_eq(s.heads, 2);
	ms_error_destroy(err);
	/* no layout: said so */
	{
		struct fake *g = fake_new();

		err = queue(fake_target(g), q, &s);
		ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
		ms_error_destroy(err);
		fake_free(g);
	}
	fake_free(f);
}
END_TEST

static Suite *skb_suite(void)
{
	Suite *s = suite_create("skb");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, queue_bio_vec);
	tcase_add_test(tc, queue_netmem);
	tcase_add_test(tc, frag_list_followed);
	tcase_add_test(tc, rbtree_every_node);
	tcase_add_test(tc, corrupt_and_missing);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(skb_suite)
