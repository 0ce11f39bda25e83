/*
 * test_log.c - the kernel log from synthetic rings: a printk_ringbuffer
 * written the way prb_reserve() and data_alloc() write it (ids and logical
 * positions starting where the kernel starts them, text blocks wrapping to
 * data[0], old records made reusable), then a reused descriptor, a record on
 * a missing page, head and tail that make no sense; and pre-5.10 log_buf
 * records around the end-of-buffer marker.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "logrec.h"
#include "suites.h"

/* A made-up layout (only the names matter to printk_ring.c). */
#define RB_DESC_RING 0
#define RB_TEXT_RING 48
#define RB_SIZE 96
#define DR_COUNT_BITS 0
#define DR_DESCS 8
#define DR_INFOS 16
#define DR_HEAD_ID 24
#define DR_TAIL_ID 32
#define TR_SIZE_BITS 0
#define TR_DATA 8
#define TR_HEAD_LPOS 16
#define TR_TAIL_LPOS 24
#define DESC_SIZE 24
#define DESC_LPOS 8
#define INFO_SIZE 96
#define INFO_SEQ 0
#define INFO_TS 8
#define INFO_TEXT_LEN 16
#define INFO_FACILITY 18
#define INFO_FLAGS 19
#define INFO_CALLER 20
#define INFO_DEV 24	/* struct dev_printk_info {char subsystem[16]; char device[48];} */

#define MAX_RECS 512
#define ID_MASK (~(3ull << 62))
#define SV(id, state) ((uint64_t)(state) << 62 | (id))
enum { RESERVED, COMMITTED, FINALIZED, REUSABLE };

struct sim {
	struct fake *f;
	unsigned int cb, sb;
	uint64_t count, dsize;
	uint64_t rb, descs, infos, data;
	uint64_t head_id, tail_id, head_lpos, tail_lpos, next_seq;
	/* every record written, oldest first; live[i] while its data is */
	struct { uint64_t id, seq, begin, next; char text[200]; bool live; } r[MAX_RECS];
	unsigned int nr, oldest;
	unsigned int wrapped_blocks;
};

static void ring_types(struct fake *f)
{
	fake_struct(f, "printk_ringbuffer", RB_SIZE);
	fake_member(f, "printk_ringbuffer", "desc_ring", RB_DESC_RING, 48);
	fake_member(f, "printk_ringbuffer", "text_data_ring", RB_TEXT_RING, 32);
	fake_member(f, "prb_desc_ring", "count_bits", DR_COUNT_BITS, 4);
	fake_member(f, "prb_desc_ring", "descs", DR_DESCS, 8);
	fake_member(f, "prb_desc_ring", "infos", DR_INFOS, 8);
	fake_member(f, "prb_desc_ring", "head_id", DR_HEAD_ID, 8);
	fake_member(f, "prb_desc_ring", "tail_id", DR_TAIL_ID, 8);
	fake_member(f, "prb_data_ring", "size_bits", TR_SIZE_BITS, 4);
	fake_member(f, "prb_data_ring", "data", TR_DATA, 8);
	fake_member(f, "prb_data_ring", "head_lpos", TR_HEAD_LPOS, 8);
	fake_member(f, "prb_data_ring", "tail_lpos", TR_TAIL_LPOS, 8);
	fake_struct(f, "prb_desc", DESC_SIZE);
	fake_member(f, "prb_desc", "state_var", 0, 8);
	fake_member(f, "prb_desc", "text_blk_lpos", DESC_LPOS, 16);
	fake_member(f, "prb_data_blk_lpos", "begin", 0, 8);
	fake_member(f, "prb_data_blk_lpos", "next", 8, 8);
	fake_struct(f, "printk_info", INFO_SIZE);
	fake_member(f, "printk_info", "seq", INFO_SEQ, 8);
	fake_member(f, "printk_info", "ts_nsec", INFO_TS, 8);
	fake_member(f, "printk_info", "text_len", INFO_TEXT_LEN, 2);
	fake_member(f, "printk_info", "facility", INFO_FACILITY, 1);
	fake_member(f, "printk_info", "flags", INFO_FLAGS, 1);
	fake_member(f, "printk_info", "level", INFO_FLAGS, 1);
	fake_member(f, "printk_info", "caller_id", INFO_CALLER, 4);
	fake_member(f, "printk_info", "dev_info", INFO_DEV, 64);
	fake_member(f, "dev_printk_info", "subsystem", 0, 16);
	fake_member(f, "dev_printk_info", "device", 16, 48);
}

/* The same layout as VMCOREINFO exports it (kernel/printk/printk.c
 * log_buf_vmcoreinfo_setup()): no facility, flags or level. */
static void ring_vmcoreinfo(struct fake *f)
{
	static const struct { const char *key; long v; } lines[] = {
		{ "SIZE(printk_ringbuffer)", RB_SIZE },
		{ "OFFSET(printk_ringbuffer.desc_ring)", RB_DESC_RING },
		{ "OFFSET(printk_ringbuffer.text_data_ring)", RB_TEXT_RING },
		{ "OFFSET(prb_desc_ring.count_bits)", DR_COUNT_BITS },
		{ "OFFSET(prb_desc_ring.descs)", DR_DESCS },
		{ "OFFSET(prb_desc_ring.infos)", DR_INFOS },
		{ "OFFSET(prb_desc_ring.head_id)", DR_HEAD_ID },
		{ "OFFSET(prb_desc_ring.tail_id)", DR_TAIL_ID },
		{ "SIZE(prb_desc)", DESC_SIZE },
		{ "OFFSET(prb_desc.state_var)", 0 },
		{ "OFFSET(prb_desc.text_blk_lpos)", DESC_LPOS },
		{ "OFFSET(prb_data_blk_lpos.begin)", 0 },
		{ "OFFSET(prb_data_blk_lpos.next)", 8 },
		{ "SIZE(printk_info)", INFO_SIZE },
		{ "OFFSET(printk_info.seq)", INFO_SEQ },
		{ "OFFSET(printk_info.ts_nsec)", INFO_TS },
		{ "OFFSET(printk_info.text_len)", INFO_TEXT_LEN },
		{ "OFFSET(printk_info.caller_id)", INFO_CALLER },
		{ "OFFSET(prb_data_ring.size_bits)", TR_SIZE_BITS },
		{ "OFFSET(prb_data_ring.data)", TR_DATA },
		{ "OFFSET(prb_data_ring.head_lpos)", TR_HEAD_LPOS },
		{ "OFFSET(prb_data_ring.tail_lpos)", TR_TAIL_LPOS },
		{ "OFFSET(printk_info.dev_info)", INFO_DEV },
		{ "OFFSET(dev_printk_info.subsystem)", 0 },
		{ "LENGTH(printk_info_subsystem)", 16 },
		{ "OFFSET(dev_printk_info.device)", 16 },
		{ "LENGTH(printk_info_device)", 48 },
	};
	char v[24];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		snprintf(v, sizeof(v), "%ld", lines[i].v);
		fake_vmcoreinfo(f, lines[i].key, v);
	}
}

static void put_header(struct sim *s)
{
	uint64_t dr = s->rb + RB_DESC_RING, tr = s->rb + RB_TEXT_RING;

	fake_put_u32(s->f, dr + DR_COUNT_BITS, s->cb);
	fake_put_u64(s->f, dr + DR_DESCS, s->descs);
	fake_put_u64(s->f, dr + DR_INFOS, s->infos);
	fake_put_u64(s->f, dr + DR_HEAD_ID, s->head_id);
	fake_put_u64(s->f, dr + DR_TAIL_ID, s->tail_id);
	fake_put_u32(s->f, tr + TR_SIZE_BITS, s->sb);
	fake_put_u64(s->f, tr + TR_DATA, s->data);
	fake_put_u64(s->f, tr + TR_HEAD_LPOS, s->head_lpos);
	fake_put_u64(s->f, tr + TR_TAIL_LPOS, s->tail_lpos);
}

static uint64_t desc_addr(const struct sim *s, uint64_t id)
{
	return s->descs + (id & (s->count - 1)) * DESC_SIZE;
}

static uint64_t info_addr(const struct sim *s, uint64_t id)
{
	return s->infos + (id & (s->count - 1)) * INFO_SIZE;
}

/* An empty ring as _DEFINE_PRINTKRB() makes it: head and tail at DESC0_ID,
 * whose reusable descriptor sits in the last slot; data at BLK0_LPOS. */
static void sim_new_layout(struct sim *s, unsigned int cb, unsigned int sb,
			   void (*layout)(struct fake *f))
{
	uint64_t prb;

	memset(s, 0, sizeof(*s));
	s->f = fake_new();
	layout(s->f);
	s->cb = cb;
	s->sb = sb;
	s->count = 1ull << cb;
	s->dsize = 1ull << sb;
	s->rb = fake_alloc(s->f, RB_SIZE);
	s->descs = fake_alloc(s->f, s->count * DESC_SIZE);
	s->infos = fake_alloc(s->f, s->count * INFO_SIZE);
	s->data = fake_alloc(s->f, s->dsize);
	prb = fake_alloc(s->f, 8);
	fake_put_u64(s->f, prb, s->rb);
	fake_symbol(s->f, "prb", prb);
	s->head_id = s->tail_id = ID_MASK & (0 - (s->count + 1));
	fake_put_u64(s->f, desc_addr(s, s->head_id), SV(s->head_id, REUSABLE));
	fake_put_u64(s->f, desc_addr(s, s->head_id) + DESC_LPOS, 1);	/* FAILED_LPOS */
	fake_put_u64(s->f, desc_addr(s, s->head_id) + DESC_LPOS + 8, 1);
	fake_put_u64(s->f, info_addr(s, 0), 0 - s->count);
	s->head_lpos = s->tail_lpos = 0 - s->dsize;
	put_header(s);
}

static void sim_new(struct sim *s, unsigned int cb, unsigned int sb)
{
	sim_new_layout(s, cb, sb, ring_types);
}

static void make_reusable(struct sim *s, unsigned int i)
{
	fake_put_u64(s->f, desc_addr(s, s->r[i].id), SV(s->r[i].id, REUSABLE));
	s->r[i].live = false;
}

/* prb_reserve() + data_alloc() + prb_final_commit(), pushing both tails. */
static void sim_add(struct sim *s, const char *text, unsigned int level, uint64_t ts)
{
	uint64_t id = (s->head_id + 1) & ID_MASK, len = strlen(text);
	uint64_t size = (8 + len + 7) & ~7ull, begin = s->head_lpos, next = begin + size, slot;
	unsigned int i = s->nr++;

	ck_assert_uint_lt(i, MAX_RECS);
	/* desc_push_tail(): the slot of the new id must be free. */
	while (((id - s->tail_id) & ID_MASK) >= s->count) {
		for (unsigned int j = 0; j < i; j++)
			if (s->r[j].id == s->tail_id && s->r[j].live) {
				make_reusable(s, j);
				s->tail_lpos = s->r[j].next;
				s->oldest = j + 1;
			}
		s->tail_id = (s->tail_id + 1) & ID_MASK;
	}
	/* get_next_lpos(): a block that would cross the end starts at data[0]. */
	if ((begin >> s->sb) != (next >> s->sb)) {
		next = (next & ~(s->dsize - 1)) + size;
		s->wrapped_blocks++;
	}
	/* data_push_tail(): the oldest blocks are overwritten and reusable. */
	while (next - s->tail_lpos > s->dsize) {
		make_reusable(s, s->oldest);
		s->tail_lpos = s->r[s->oldest++].next;
	}
	slot = id & (s->count - 1);
	s->r[i].id = id;
	s->r[i].begin = begin;
	s->r[i].next = next;
	s->r[i].live = true;
	s->r[i].seq = s->next_seq++;
	snprintf(s->r[i].text, sizeof(s->r[i].text), "%s", text);
	fake_put_u64(s->f, s->data + (begin & (s->dsize - 1)), id);
	if ((begin >> s->sb) != (next >> s->sb)) {
		fake_put_u64(s->f, s->data, id);
		fake_put(s->f, s->data + 8, text, len);
	} else {
		fake_put(s->f, s->data + (begin & (s->dsize - 1)) + 8, text, len);
	}
	fake_put_u64(s->f, desc_addr(s, id), SV(id, FINALIZED));
	fake_put_u64(s->f, desc_addr(s, id) + DESC_LPOS, begin);
	fake_put_u64(s->f, desc_addr(s, id) + DESC_LPOS + 8, next);
	ck_assert_uint_eq(s->r[i].seq & (s->count - 1), slot);
	fake_put_u64(s->f, info_addr(s, id) + INFO_SEQ, s->r[i].seq);
	fake_put_u64(s->f, info_addr(s, id) + INFO_TS, ts);
	fake_put(s->f, info_addr(s, id) + INFO_TEXT_LEN, &(uint16_t){ (uint16_t)len }, 2);
	fake_put(s->f, info_addr(s, id) + INFO_FLAGS, &(uint8_t){ (uint8_t)(level << 5 | 2) }, 1);
	fake_put_u32(s->f, info_addr(s, id) + INFO_CALLER, i % 2 ? 0x80000001u : 100 + i);
	/* dev_printk() records: every third; a subsystem filling all 16 bytes */
	if (i % 3 == 0) {
		if (i % 9)
			fake_put(s->f, info_addr(s, id) + INFO_DEV, "pci", 4);
		else
			fake_put(s->f, info_addr(s, id) + INFO_DEV, "sixteen_bytes_ss", 16);
		fake_put(s->f, info_addr(s, id) + INFO_DEV + 16, "+pci:0000:00:01.0", 18);
	} else {
		fake_put(s->f, info_addr(s, id) + INFO_DEV, "\0", 1);
		fake_put(s->f, info_addr(s, id) + INFO_DEV + 16, "\0", 1);
	}
	s->head_id = id;
	s->head_lpos = next;
	put_header(s);
}

/* What the walk handed on. */
struct got {
	unsigned int nr;
	uint64_t seq[MAX_RECS];
	char text[MAX_RECS][200];
	uint8_t level[MAX_RECS];
	uint32_t caller[MAX_RECS];
	char subsystem[MAX_RECS][MS_LOG_DICT_MAX], device[MAX_RECS][MS_LOG_DICT_MAX];
	unsigned int stop_after;	/* 0: never */
};

static struct ms_error *collect(const struct ms_log_record *rec, void *arg)
{
	struct got *g = arg;

	ck_assert_uint_lt(g->nr, MAX_RECS);
	ck_assert_uint_eq(strlen(rec->text), rec->len);
	g->seq[g->nr] = rec->seq;
	g->level[g->nr] = rec->level;
	g->caller[g->nr] = rec->caller_id;
	snprintf(g->text[g->nr], sizeof(g->text[0]), "%s", rec->text);
	snprintf(g->subsystem[g->nr], MS_LOG_DICT_MAX, "%s", rec->subsystem);
	snprintf(g->device[g->nr], MS_LOG_DICT_MAX, "%s", rec->device);
	g->nr++;
	if (g->stop_after && g->nr == g->stop_after)
		return ms_error_create(MS_ERR_IO, "stop here");
	return NULL;
}

static void fill(struct sim *s, unsigned int n)
{
	char text[160];

	for (unsigned int i = 0; i < n; i++) {
		/* lengths that do not divide the ring: blocks end anywhere */
		snprintf(text, sizeof(text), "record %u %.*s", i, (int)(i * 7 % 23),
			 "abcdefghijklmnopqrstuvwxyz");
		sim_add(s, text, i % 8, 1000000ull * i);
	}
}

/* The live records of the simulation, in order, equal what the walk gave. */
static void assert_live(const struct sim *s, const struct got *g, int except)
{
	unsigned int k = 0;

	for (unsigned int i = 0; i < s->nr; i++) {
		if (!s->r[i].live || (int)i == except)
			continue;
		ck_assert_uint_lt(k, g->nr);
		ck_assert_uint_eq(g->seq[k], s->r[i].seq);
		ck_assert_str_eq(g->text[k], s->r[i].text);
		ck_assert_uint_eq(g->level[k], i % 8);
		ck_assert_uint_eq(g->caller[k], i % 2 ? 0x80000001u : 100 + i);
		ck_assert_str_eq(g->subsystem[k], i % 3 ? "" : i % 9 ? "pci" : "sixteen_bytes_ss");
		ck_assert_str_eq(g->device[k], i % 3 ? "" : "+pci:0000:00:01.0");
		k++;
	}
	ck_assert_uint_eq(k, g->nr);
}

static unsigned int nr_live(const struct sim *s)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < s->nr; i++)
		n += s->r[i].live;
	return n;
}

START_TEST(test_ring_wrapped)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;

	sim_new(&s, 3, 8);	/* 8 descriptors, 256 bytes of text */
	fill(&s, 40);
	ck_assert_uint_gt(s.wrapped_blocks, 2);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_str_eq(st.format, "printk_ringbuffer");
	ck_assert_uint_gt(g.nr, 3);
	assert_live(&s, &g, -1);
	ck_assert_uint_eq(st.records, g.nr);
	ck_assert_uint_eq(st.skipped, 0);
	ck_assert_uint_eq(st.next_seq, 40);
	ck_assert_uint_eq(st.first_seq, 40 - g.nr);
	ck_assert_str_eq(fake_warnings(s.f), "");
	fake_free(s.f);
}
END_TEST

/* No type info, only VMCOREINFO's offsets (makedumpfile's): the same log,
 * facility and level where printk_info has always kept them. */
START_TEST(test_ring_vmcoreinfo)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;

	sim_new_layout(&s, 3, 8, ring_vmcoreinfo);
	fill(&s, 40);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_gt(g.nr, 3);
	assert_live(&s, &g, -1);
	ck_assert_uint_eq(st.skipped, 0);
	fake_free(s.f);
}
END_TEST

/* The first records of a fresh ring: the ids start at DESC0_ID + 1 and the
 * text at BLK0_LPOS, both just below a wrap of unsigned long. */
START_TEST(test_ring_fresh)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;

	sim_new(&s, 4, 10);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_eq(g.nr, 0);
	ck_assert_uint_eq(st.skipped, 0);
	fill(&s, 3);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_eq(g.nr, 3);
	ck_assert_str_eq(g.text[0], "record 0 ");
	ck_assert_uint_eq(st.first_seq, 0);
	fake_free(s.f);
}
END_TEST

/* A slot whose printk_info holds a newer seq than its descriptor's id, and
 * one whose descriptor holds another id: both skipped, said, the rest read. */
START_TEST(test_ring_reused)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;
	unsigned int a, b;

	sim_new(&s, 4, 10);
	fill(&s, 30);
	a = s.nr - 5;
	b = s.nr - 3;
	fake_put_u64(s.f, info_addr(&s, s.r[a].id) + INFO_SEQ, s.r[a].seq + s.count + 1);
	fake_put_u64(s.f, desc_addr(&s, s.r[b].id), SV((s.r[b].id + s.count) & ID_MASK, FINALIZED));
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_eq(st.skipped, 2);
	ck_assert_uint_eq(g.nr, nr_live(&s) - 2);
	ck_assert_uint_eq(st.next_seq, 30);
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "printk_info holds seq"));
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "descriptor holds id"));
	fake_free(s.f);
}
END_TEST

/* A text block overwritten under a finalized descriptor, a text_len longer
 * than its block, and a block whose ends make no sense. */
START_TEST(test_ring_bad_blocks)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;
	unsigned int a, b, c;

	sim_new(&s, 4, 10);
	fill(&s, 30);
	a = s.nr - 6;
	b = s.nr - 4;
	c = s.nr - 2;
	fake_put_u64(s.f, s.data + (s.r[a].begin & (s.dsize - 1)), 12345);
	fake_put(s.f, info_addr(&s, s.r[b].id) + INFO_TEXT_LEN, &(uint16_t){ 900 }, 2);
	fake_put_u64(s.f, desc_addr(&s, s.r[c].id) + DESC_LPOS, s.r[c].begin + 3 * s.dsize);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_eq(st.skipped, 3);
	ck_assert_uint_eq(g.nr, nr_live(&s) - 3);
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "overwritten"));
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "longer than its block"));
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "makes no sense"));
	fake_free(s.f);
}
END_TEST

/* A page of the text ring the dump lacks: the records on it are skipped and
 * named, those on the other pages read (the big read falls back to pages). */
START_TEST(test_ring_missing_page)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;
	unsigned int on_page = 0;

	sim_new(&s, 7, 13);	/* 128 descriptors, 8 KiB of text: two pages */
	fill(&s, 300);
	fake_missing(s.f, s.data + 4096, 4096);
	for (unsigned int i = 0; i < s.nr; i++) {
		uint64_t b = s.r[i].begin & (s.dsize - 1), e = b + (s.r[i].next - s.r[i].begin);

		if ((s.r[i].begin >> s.sb) != (s.r[i].next >> s.sb))
			b = 0, e = s.r[i].next & (s.dsize - 1);
		if (s.r[i].live && e > 4096)
			on_page++;
	}
	ck_assert_uint_gt(on_page, 0);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	ck_assert_uint_eq(st.skipped, on_page);
	ck_assert_uint_eq(g.nr, nr_live(&s) - on_page);
	ck_assert_uint_eq(st.next_seq, 300);
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "is not in the dump"));
	fake_free(s.f);
}
END_TEST

/* Head and tail ids further apart than the ring holds (a cycle for a naive
 * walker): every descriptor is looked at once and the records come in order. */
START_TEST(test_ring_insane_head_tail)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;

	sim_new(&s, 4, 10);
	fill(&s, 50);
	s.tail_id = (s.head_id + 3) & ID_MASK;
	put_header(&s);
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	assert_live(&s, &g, -1);
	ck_assert_ptr_nonnull(strstr(fake_warnings(s.f), "looking at every descriptor"));
	/* garbage in the state bits of head_id */
	s.tail_id = s.head_id;
	s.head_id |= 3ull << 62;
	put_header(&s);
	memset(&g, 0, sizeof(g));
	ck_assert_ptr_null(ms_log_walk(fake_target(s.f), collect, &g, &st));
	assert_live(&s, &g, -1);
	fake_free(s.f);
}
END_TEST

/* Rings the walk must refuse: prb into unmapped memory, sizes no kernel
 * makes, descriptors nowhere; a callback's error ends the walk. */
START_TEST(test_ring_refused)
{
	struct sim s;
	struct got g = { 0 };
	struct ms_log_stats st;
	struct ms_error *err;
	uint64_t prb;

	sim_new(&s, 4, 10);
	fill(&s, 20);
	g.stop_after = 2;
	err = ms_log_walk(fake_target(s.f), collect, &g, &st);
	ck_assert(ms_error_is(err, MS_ERR_IO));
	ck_assert_uint_eq(g.nr, 2);
	ms_error_destroy(err);

	s.descs = 0xdead000000000000ull;
	put_header(&s);
	err = ms_log_walk(fake_target(s.f), collect, &g, &st);
	ck_assert(ms_error_is(err, MS_ERR_FAULT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "printk descriptors"));
	ms_error_destroy(err);

	s.cb = 60;
	put_header(&s);
	err = ms_log_walk(fake_target(s.f), collect, &g, &st);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);

	ck_assert_ptr_null(ms_symbol(fake_target(s.f), "prb", &prb));
	fake_put_u64(s.f, prb, 0xffff888000000000ull);
	err = ms_log_walk(fake_target(s.f), collect, &g, &st);
	ck_assert(ms_error_is(err, MS_ERR_FAULT));
	ck_assert_uint_eq(st.records, 0);
	ms_error_destroy(err);
	fake_free(s.f);
}
END_TEST

/* ---- log_buf (before 5.10) ---- */

/* struct printk_log {u64 ts_nsec; u16 len, text_len, dict_len; u8 facility, flags:5, level:3;} */
#define PL_SIZE 16
#define LB_LEN 512

struct lb {
	struct fake *f;
	uint64_t buf, first_idx, next_idx, first_seq, next_seq;
};

static void lb_put_vars(struct lb *l)
{
	uint64_t a;

	a = fake_alloc(l->f, 8);
	fake_put_u64(l->f, a, l->buf);
	fake_symbol(l->f, "log_buf", a);
	a = fake_alloc(l->f, 4);
	fake_put_u32(l->f, a, LB_LEN);
	fake_symbol(l->f, "log_buf_len", a);
	a = fake_alloc(l->f, 4);
	fake_put_u32(l->f, a, (uint32_t)l->first_idx);
	fake_symbol(l->f, "log_first_idx", a);
	a = fake_alloc(l->f, 4);
	fake_put_u32(l->f, a, (uint32_t)l->next_idx);
	fake_symbol(l->f, "log_next_idx", a);
	a = fake_alloc(l->f, 8);
	fake_put_u64(l->f, a, l->first_seq);
	fake_symbol(l->f, "log_first_seq", a);
	a = fake_alloc(l->f, 8);
	fake_put_u64(l->f, a, l->next_seq);
	fake_symbol(l->f, "log_next_seq", a);
}

/* log_store(): a record at idx with its dictionary (dict_len bytes), padded
 * to 8 bytes; returns the next idx. */
static uint64_t lb_record_dict(struct lb *l, uint64_t idx, const char *text, unsigned int level,
			       const char *dict, uint16_t dl)
{
	uint16_t tl = (uint16_t)strlen(text), len = (uint16_t)((PL_SIZE + tl + dl + 7) & ~7u);
	uint64_t a = l->buf + idx;

	fake_put_u64(l->f, a, 1000ull * idx);
	fake_put(l->f, a + 8, &len, 2);
	fake_put(l->f, a + 10, &tl, 2);
	fake_put(l->f, a + 12, &dl, 2);
	fake_put(l->f, a + 15, &(uint8_t){ (uint8_t)(level << 5 | 2) }, 1);
	fake_put(l->f, a + PL_SIZE, text, tl);
	if (dl)
		fake_put(l->f, a + PL_SIZE + tl, dict, dl);
	return idx + len;
}

static uint64_t lb_record(struct lb *l, uint64_t idx, const char *text, unsigned int level)
{
	return lb_record_dict(l, idx, text, level, NULL, 0);
}

/* Records from idx 400 to the end marker, then from 0: seq 7.. */
static void lb_new(struct lb *l)
{
	uint64_t idx;

	memset(l, 0, sizeof(*l));
	l->f = fake_new();
	fake_struct(l->f, "printk_log", PL_SIZE);
	fake_member(l->f, "printk_log", "ts_nsec", 0, 8);
	fake_member(l->f, "printk_log", "len", 8, 2);
	fake_member(l->f, "printk_log", "text_len", 10, 2);
	fake_member(l->f, "printk_log", "dict_len", 12, 2);
	fake_member(l->f, "printk_log", "facility", 14, 1);
	fake_member(l->f, "printk_log", "flags", 15, 1);
	fake_member(l->f, "printk_log", "level", 15, 1);
	l->buf = fake_alloc(l->f, LB_LEN);
	l->first_idx = 400;
	l->first_seq = 7;
	idx = lb_record(l, 400, "old one", 3);
	idx = lb_record(l, idx, "old two, longer", 4);
	ck_assert_uint_le(idx + PL_SIZE, LB_LEN);	/* room for the marker (zeroes) */
	idx = lb_record_dict(l, 0, "after the wrap", 6, "SUBSYSTEM=pci\0DEVICE=+pci:0000:00:02.0",
			     38);
	idx = lb_record(l, idx, "line one\nline two", 7);
	l->next_idx = idx;
	l->next_seq = 11;
	lb_put_vars(l);
}

START_TEST(test_log_buf_wrap)
{
	struct lb l;
	struct got g = { 0 };
	struct ms_log_stats st;

	lb_new(&l);
	ck_assert_ptr_null(ms_log_walk(fake_target(l.f), collect, &g, &st));
	ck_assert_str_eq(st.format, "log_buf");
	ck_assert_uint_eq(g.nr, 4);
	ck_assert_str_eq(g.text[0], "old one");
	ck_assert_str_eq(g.text[1], "old two, longer");
	ck_assert_str_eq(g.text[2], "after the wrap");
	ck_assert_str_eq(g.text[3], "line one\nline two");
	ck_assert_uint_eq(g.seq[0], 7);
	ck_assert_uint_eq(g.seq[3], 10);
	ck_assert_uint_eq(g.level[1], 4);
	ck_assert_str_eq(g.subsystem[2], "pci");
	ck_assert_str_eq(g.device[2], "+pci:0000:00:02.0");
	ck_assert_str_eq(g.subsystem[1], "");
	ck_assert_uint_eq(st.skipped, 0);
	ck_assert_uint_eq(st.first_seq, 7);
	ck_assert_uint_eq(st.next_seq, 11);
	fake_free(l.f);
}
END_TEST

/* A record length that makes no sense ends the walk (the next record cannot
 * be found): the rest counted as skipped; more seqs than fit are bounded. */
START_TEST(test_log_buf_corrupt)
{
	struct lb l;
	struct got g = { 0 };
	struct ms_log_stats st;

	lb_new(&l);
	fake_put(l.f, l.buf + 0 + 8, &(uint16_t){ 4000 }, 2);
	ck_assert_ptr_null(ms_log_walk(fake_target(l.f), collect, &g, &st));
	ck_assert_uint_eq(g.nr, 2);
	ck_assert_uint_eq(st.skipped, 2);
	ck_assert_ptr_nonnull(strstr(fake_warnings(l.f), "makes no sense"));
	fake_free(l.f);

	/* a zero-length record at 0 as well: a second end marker, not a loop */
	lb_new(&l);
	fake_put(l.f, l.buf + 0 + 8, &(uint16_t){ 0 }, 2);
	memset(&g, 0, sizeof(g));
	ck_assert_ptr_null(ms_log_walk(fake_target(l.f), collect, &g, &st));
	ck_assert_uint_eq(g.nr, 2);
	ck_assert_uint_eq(st.skipped, 2);
	fake_free(l.f);
}
END_TEST

static Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, test_ring_wrapped);
	tcase_add_test(tc, test_ring_vmcoreinfo);
	tcase_add_test(tc, test_ring_fresh);
	tcase_add_test(tc, test_ring_reused);
	tcase_add_test(tc, test_ring_bad_blocks);
	tcase_add_test(tc, test_ring_missing_page);
	tcase_add_test(tc, test_ring_insane_head_tail);
	tcase_add_test(tc, test_ring_refused);
	tcase_add_test(tc, test_log_buf_wrap);
	tcase_add_test(tc, test_log_buf_corrupt);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(log_suite)
