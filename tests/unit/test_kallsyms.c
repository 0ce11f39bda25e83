/*
 * test_kallsyms.c - decoding a synthetic kallsyms table as kernel/kallsyms.c
 * reads it: tokens, a "big" symbol's two-byte length, absolute per-cpu and
 * relative offsets, global symbols winning over local ones; bad tables fail
 * with a message instead of reading on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "kallsyms.h"
#include "suites.h"

#define BASE 0xffffffff81000000ull

struct table {
	struct fake *f;
	struct ms_target *t;
	struct ms_kallsyms_tables tab;
	unsigned char names[4096];
	size_t names_len;
	unsigned int nr;
	int32_t offsets[16];
};

static int tread(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ms_read(ctx, addr, buf, len);
}

/* Tokens: 0..255 are single characters except a few multi-character ones. */
static void put_tokens(struct table *x)
{
	unsigned char tt[1024];
	unsigned char ti[512];
	size_t pos = 0;

	for (int i = 0; i < 256; i++) {
		const char *tok = NULL;
		char one[2] = { (char)i, 0 };

		if (i == 1)
			tok = "init_";
		else if (i == 3)
			tok = "_ns";
		else if (i >= 'a' && i <= 'z')
			tok = one;
		else if (i >= 'A' && i <= 'Z')
			tok = one;
		else if (i == '_')
			tok = one;
		else
			tok = "";
		ti[2 * i] = (unsigned char)(pos & 0xff);
		ti[2 * i + 1] = (unsigned char)(pos >> 8);
		memcpy(tt + pos, tok, strlen(tok) + 1);
		pos += strlen(tok) + 1;
	}
	x->tab.token_table = fake_alloc(x->f, pos + 600);
	fake_put(x->f, x->tab.token_table, tt, pos);
	x->tab.token_index = fake_alloc(x->f, sizeof(ti));
	fake_put(x->f, x->tab.token_index, ti, sizeof(ti));
}

/* One symbol given as token numbers (a plain string of letters = themselves). */
static void add_sym(struct table *x, const unsigned char *tokens, size_t n, int32_t off)
{
	if (n > 127) {
		x->names[x->names_len++] = (unsigned char)(0x80 | (n & 0x7f));
		x->names[x->names_len++] = (unsigned char)(n >> 7);
	} else {
		x->names[x->names_len++] = (unsigned char)n;
	}
	memcpy(x->names + x->names_len, tokens, n);
	x->names_len += n;
	x->offsets[x->nr++] = off;
}

static void add_str(struct table *x, const char *typed_name, int32_t off)
{
	add_sym(x, (const unsigned char *)typed_name, strlen(typed_name), off);
}

static void finish(struct table *x)
{
	uint64_t base = BASE;

	x->tab.names = fake_alloc(x->f, x->names_len);
	fake_put(x->f, x->tab.names, x->names, x->names_len);
	x->tab.offsets = fake_alloc(x->f, 4 * x->nr);
	fake_put(x->f, x->tab.offsets, x->offsets, 4 * x->nr);
	x->tab.num_syms = fake_alloc(x->f, 8);
	fake_put_u32(x->f, x->tab.num_syms, x->nr);
	x->tab.relative_base = fake_alloc(x->f, 8);
	fake_put_u64(x->f, x->tab.relative_base, base);
}

static void setup(struct table *x)
{
	memset(x, 0, sizeof(*x));
	x->f = fake_new();
	x->t = fake_target(x->f);
	put_tokens(x);
}

START_TEST(test_decodes_names_types_and_addresses)
{
	unsigned char big[300];
	struct table x;
	struct ms_kallsyms *ks;
	char err[128] = "";
	uint64_t a;

	setup(&x);
	/* "D" + "init_" + "uts" + "_ns": tokens 'D', 1, 'u', 't', 's', 3 */
	{
		const unsigned char t[] = { 'D', 1, 'u', 't', 's', 3 };

		add_sym(&x, t, sizeof(t), -0x1001);	/* relative_base - 1 + 0x1001 */
	}
	add_str(&x, "Tstext", -1);			/* relative_base itself */
	add_str(&x, "Dfixed_percpu_data", 0);		/* absolute per-cpu: 0 */
	add_str(&x, "Dcpu_number", 0x2000);		/* absolute per-cpu offset */
	add_str(&x, "tdup", -0x11);			/* local first ... */
	add_str(&x, "Tdup", -0x21);			/* ... the global one wins */
	memset(big, 'x', sizeof(big));
	big[0] = 'T';
	add_sym(&x, big, sizeof(big), -0x31);		/* a "big" symbol: two-byte length */
	finish(&x);

	ks = ms_kallsyms_load(&x.tab, tread, x.t, err, sizeof(err));
	ck_assert_msg(ks != NULL, "%s", err);
	ck_assert_uint_eq(ms_kallsyms_count(ks), 7);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "init_uts_ns", &a), 0);
	ck_assert_uint_eq(a, BASE + 0x1000);
	ck_assert_int_eq(ms_kallsyms_type(ks, "init_uts_ns"), 'D');
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "stext", &a), 0);
	ck_assert_uint_eq(a, BASE);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "fixed_percpu_data", &a), 0);
	ck_assert_uint_eq(a, 0);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "cpu_number", &a), 0);
	ck_assert_uint_eq(a, 0x2000);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "dup", &a), 0);
	ck_assert_uint_eq(a, BASE + 0x20);
	ck_assert_int_eq(ms_kallsyms_type(ks, "dup"), 'T');
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(ms_kallsyms_lookup(ks, (char *)big, &a), 0);
	ck_assert_uint_eq(a, BASE + 0x30);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "nosuch", &a), -1);
	ms_kallsyms_free(ks);
	fake_free(x.f);
}
END_TEST

START_TEST(test_relative_only_offsets)
{
	struct table x;
	struct ms_kallsyms *ks;
	char err[128] = "";
	uint64_t a;

	/* No negative offset: the !ABSOLUTE_PERCPU encoding, base + (u32)offset. */
	setup(&x);
	add_str(&x, "Tstext", 0);
	add_str(&x, "Dbss", 0x123456);
	finish(&x);
	ks = ms_kallsyms_load(&x.tab, tread, x.t, err, sizeof(err));
	ck_assert_msg(ks != NULL, "%s", err);
	ck_assert_int_eq(ms_kallsyms_lookup(ks, "bss", &a), 0);
	ck_assert_uint_eq(a, BASE + 0x123456);
	ms_kallsyms_free(ks);
	fake_free(x.f);
}
END_TEST

START_TEST(test_bad_tables_fail_with_a_reason)
{
	struct table x;
	char err[128] = "";

	/* More symbols announced than the names table holds: the read runs into
	 * unmapped memory and stops there. */
	setup(&x);
	add_str(&x, "Tstext", -1);
	finish(&x);
	x.tab.offsets = fake_alloc(x.f, 4 * 1000);
	fake_put_u32(x.f, x.tab.num_syms, 1000);
	ck_assert_ptr_null(ms_kallsyms_load(&x.tab, tread, x.t, err, sizeof(err)));
	ck_assert_msg(strstr(err, "does not decode") != NULL, "%s", err);

	/* An absurd count is refused before anything is read. */
	fake_put_u32(x.f, x.tab.num_syms, 0xffffffffu);
	ck_assert_ptr_null(ms_kallsyms_load(&x.tab, tread, x.t, err, sizeof(err)));
	ck_assert_msg(strstr(err, "kallsyms_num_syms") != NULL, "%s", err);

	/* Unreadable token index. */
	fake_put_u32(x.f, x.tab.num_syms, 1);
	x.tab.token_index = 0x1000;
	ck_assert_ptr_null(ms_kallsyms_load(&x.tab, tread, x.t, err, sizeof(err)));
	ck_assert_msg(strstr(err, "token_index") != NULL, "%s", err);
	fake_free(x.f);
}
END_TEST

static Suite *kallsyms_suite(void)
{
	Suite *s = suite_create("kallsyms");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_decodes_names_types_and_addresses);
	tcase_add_test(tc, test_relative_only_offsets);
	tcase_add_test(tc, test_bad_tables_fail_with_a_reason);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(kallsyms_suite)
