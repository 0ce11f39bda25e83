/*
 * test_flattened.c - makedumpfile's flattened stream through its index:
 * reads across records, out-of-order records, holes read as zeros, the end
 * of the file, byte for byte what ms_reassemble_flattened() makes; records
 * that overlap are not indexed; a truncated stream is the same error both
 * ways.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flattened.h"
#include "suites.h"

/* big-endian, as makedumpfile writes the headers */
static int64_t be(uint64_t v)
{
	unsigned char b[8];
	int64_t out;

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	memcpy(&out, b, 8);
	return out;
}

struct rec {
	int64_t off, size;
};

/* A stream of the records (record i's bytes are (i + 1) * 16 + j), in a
 * temporary file; trunc bytes cut from its end. */
static int make_stream(const struct rec *r, size_t n, size_t trunc)
{
	FILE *f = tmpfile();
	char head[4096] = "makedumpfile";
	int64_t v[2];
	long len;

	ck_assert_ptr_nonnull(f);
	v[0] = be(1);
	v[1] = be(1);
	memcpy(head + 16, v, sizeof(v));
	fwrite(head, 1, sizeof(head), f);
	for (size_t i = 0; i < n; i++) {
		v[0] = be((uint64_t)r[i].off);
		v[1] = be((uint64_t)r[i].size);
		fwrite(v, 1, sizeof(v), f);
		for (int64_t j = 0; j < r[i].size; j++)
			fputc((int)(((int64_t)i + 1) * 16 + j) & 0xff, f);
	}
	v[0] = be(UINT64_MAX);
	v[1] = 0;
	fwrite(v, 1, sizeof(v), f);
	fflush(f);
	len = ftell(f);
	ck_assert_int_eq(ftruncate(fileno(f), len - (long)trunc), 0);
	return dup(fileno(f));	/* the FILE is leaked with its descriptor: a test */
}

START_TEST(test_index_reads_as_the_copy)
{
	/* out of order, a hole at [300, 1000), a record of 0 bytes */
	static const struct rec r[] = {
		{ 1000, 700 }, { 0, 100 }, { 100, 200 }, { 5000, 0 }, { 1700, 50 },
	};
	struct ms_flat_index *ix;
	struct stat st;
	unsigned char a[2000], b[2000];
	int in = make_stream(r, sizeof(r) / sizeof(r[0]), 0), out;
	bool overlap;
	struct ms_error *err;

	err = ms_flat_index_build(in, &ix, &overlap);
	ck_assert_ptr_null(err);
	ck_assert(!overlap);
	ck_assert_uint_eq(ms_flat_index_size(ix), 1750);
	ck_assert_ptr_null(ms_reassemble_flattened(in, &out));
	ck_assert_int_eq(fstat(out, &st), 0);
	ck_assert_int_eq(st.st_size, 1750);
	ck_assert_int_eq(pread(out, a, 1750, 0), 1750);
	/* every start and length over the edges of the records */
	for (uint64_t off = 0; off < 1760; off += 37)
		for (size_t len = 1; len < 2000 - off; len += 251) {
			size_t want = off >= 1750 ? 0 : (len < 1750 - off ? len : 1750 - off);

			memset(b, 0xee, sizeof(b));
			ck_assert_int_eq(ms_flat_index_pread(ix, b, len, off), (ssize_t)want);
			if (want)
				ck_assert_mem_eq(b, a + off, want);
		}
	ck_assert_uint_eq(a[299], (3 * 16 + 199) & 0xff);	/* the third record's last */
	ck_assert_uint_eq(a[300], 0);				/* the hole */
	ms_flat_index_free(ix);
	close(out);
	close(in);
}
END_TEST

START_TEST(test_overlap_and_truncated)
{
	static const struct rec over[] = { { 0, 100 }, { 50, 100 } };
	static const struct rec r[] = { { 0, 100 }, { 100, 100 } };
	struct ms_flat_index *ix;
	struct ms_error *a, *b;
	bool overlap;
	int in = make_stream(over, 2, 0), out;

	ck_assert_ptr_null(ms_flat_index_build(in, &ix, &overlap));
	ck_assert(overlap);
	ck_assert_ptr_null(ix);
	close(in);
	/* the last record cut short: the same refusal from both */
	in = make_stream(r, 2, 16 + 10);
	a = ms_flat_index_build(in, &ix, &overlap);
	b = ms_reassemble_flattened(in, &out);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(ms_error_string(a), ms_error_string(b));
	ck_assert_ptr_nonnull(strstr(ms_error_string(a), "truncated"));
	ms_error_destroy(a);
	ms_error_destroy(b);
	close(in);
}
END_TEST

static Suite *flattened_suite(void)
{
	Suite *s = suite_create("flattened");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_index_reads_as_the_copy);
	tcase_add_test(tc, test_overlap_and_truncated);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(flattened_suite)
