/*
 * fuzz_printk.c - libFuzzer: the printk_ringbuffer walk (lib/log/printk_ring.c)
 * on a ring whose header, descriptors, infos and text blocks are the input,
 * in a synthetic target (tests/unit/fake_target.c) with test_log.c's layout:
 * ids, states, logical positions and lengths are whatever the fuzzer makes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fake_target.h"
#include "logrec.h"

static void types(struct fake *f)
{
	fake_struct(f, "printk_ringbuffer", 96);
	fake_member(f, "printk_ringbuffer", "desc_ring", 0, 48);
	fake_member(f, "printk_ringbuffer", "text_data_ring", 48, 32);
	fake_member(f, "prb_desc_ring", "count_bits", 0, 4);
	fake_member(f, "prb_desc_ring", "descs", 8, 8);
	fake_member(f, "prb_desc_ring", "infos", 16, 8);
	fake_member(f, "prb_desc_ring", "head_id", 24, 8);
	fake_member(f, "prb_desc_ring", "tail_id", 32, 8);
	fake_member(f, "prb_data_ring", "size_bits", 0, 4);
	fake_member(f, "prb_data_ring", "data", 8, 8);
	fake_member(f, "prb_data_ring", "head_lpos", 16, 8);
	fake_member(f, "prb_data_ring", "tail_lpos", 24, 8);
	fake_struct(f, "prb_desc", 24);
	fake_member(f, "prb_desc", "state_var", 0, 8);
	fake_member(f, "prb_desc", "text_blk_lpos", 8, 16);
	fake_member(f, "prb_data_blk_lpos", "begin", 0, 8);
	fake_member(f, "prb_data_blk_lpos", "next", 8, 8);
	fake_struct(f, "printk_info", 96);
	fake_member(f, "printk_info", "seq", 0, 8);
	fake_member(f, "printk_info", "ts_nsec", 8, 8);
	fake_member(f, "printk_info", "text_len", 16, 2);
	fake_member(f, "printk_info", "facility", 18, 1);
	fake_member(f, "printk_info", "flags", 19, 1);
	fake_member(f, "printk_info", "level", 19, 1);
	fake_member(f, "printk_info", "caller_id", 20, 4);
	fake_member(f, "printk_info", "dev_info", 24, 64);
	fake_member(f, "dev_printk_info", "subsystem", 0, 16);
	fake_member(f, "dev_printk_info", "device", 16, 48);
}

/* Take n bytes of the input (zeroes once it is used up). */
static void take(const uint8_t **d, size_t *left, void *dst, size_t n)
{
	size_t k = n < *left ? n : *left;

	memset(dst, 0, n);
	memcpy(dst, *d, k);
	*d += k;
	*left -= k;
}

static struct ms_error *count(const struct ms_log_record *rec, void *arg)
{
	(void)rec;
	++*(unsigned long *)arg;
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fake *f = fake_new();
	uint8_t hdr[96], bits[2], buf[96];
	unsigned int cb, sb;
	uint64_t rb, descs, infos, text, prb;
	unsigned long n = 0;
	struct ms_log_stats st;

	types(f);
	take(&data, &size, bits, sizeof(bits));
	cb = 1 + bits[0] % 6;		/* 2..64 descriptors */
	sb = 6 + bits[1] % 7;		/* 64 B..4 KiB of text */
	rb = fake_alloc(f, 96);
	descs = fake_alloc(f, (size_t)24 << cb);
	infos = fake_alloc(f, (size_t)96 << cb);
	text = fake_alloc(f, (size_t)1 << sb);
	take(&data, &size, hdr, sizeof(hdr));
	fake_put(f, rb, hdr, sizeof(hdr));
	/* The pointers and sizes where the arrays are; the rest as given. */
	fake_put_u32(f, rb + 0, cb);
	fake_put_u64(f, rb + 8, descs);
	fake_put_u64(f, rb + 16, infos);
	fake_put_u32(f, rb + 48, sb);
	fake_put_u64(f, rb + 56, text);
	for (size_t i = 0; i < ((size_t)1 << cb); i++) {
		take(&data, &size, buf, 24);
		fake_put(f, descs + i * 24, buf, 24);
		take(&data, &size, buf, 96);
		fake_put(f, infos + i * 96, buf, 96);
	}
	for (size_t off = 0; off < ((size_t)1 << sb); off += 64) {
		take(&data, &size, buf, 64);
		fake_put(f, text + off, buf, 64);
	}
	prb = fake_alloc(f, 8);
	fake_put_u64(f, prb, rb);
	fake_symbol(f, "prb", prb);
	ms_error_destroy(ms_log_walk(fake_target(f), count, &n, &st));
	fake_free(f);
	return 0;
}
