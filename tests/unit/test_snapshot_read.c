/*
 * test_snapshot_read.c - the element-wise snapshot reader (snapshot_read.c):
 * the same answer as the whole-document load, and every refusal of it kept
 * (a key given twice at the top or inside an element, a bad element in the
 * middle of an array, a truncated file, nesting too deep).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcat.h"
#include "snapdiff.h"
#include "snapshot.h"
#include "suites.h"

/* The sections every snapshot must have, categories all 0, then more. */
static char *doc(const char *more)
{
	static char text[1 << 16];
	size_t n;

	n = (size_t)snprintf(text, sizeof(text),
			     "{\"format\": \"memscope-snapshot\", \"version\": 1,\n"
			     " \"identity\": {\"release\": \"6.1.0\", \"version\": \"#1\", "
			     "\"nodename\": \"vm\", \"page_size\": 4096},\n"
			     " \"meminfo\": {\"MemTotal\": 1000},\n"
			     " \"used\": {\"total_kb\": 1000, \"free_kb\": 1000, \"used_kb\": 0, "
			     "\"categories\": {");
	for (unsigned int c = 0; c < MS_MEMCAT_NR; c++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"%s\": 0", c ? ", " : "",
				      ms_memcat[c].key);
	snprintf(text + n, sizeof(text) - n, "}}%s%s}", *more ? ",\n " : "", more);
	return text;
}

/* ms_snapshot_read_buf() of text: NULL if it was read, else the error's text. */
static const char *read_of(const char *text)
{
	static char msg[512];
	struct ms_snapshot s;
	struct ms_error *err = ms_snapshot_read_buf("t.json", text, strlen(text), &s);

	if (!err) {
		ms_snapshot_fini(&s);
		return NULL;
	}
	snprintf(msg, sizeof(msg), "%s", ms_error_string(err));
	ms_error_destroy(err);
	return msg;
}

static const char rows[] =
	"\"commands\": [{\"comm\": \"a\", \"processes\": 1, \"anon_kb\": 10},\n"
	"  {\"comm\": \"b\", \"processes\": 2, \"anon_kb\": 20, \"future\": [1, {\"x\": 2}]},\n"
	"  {\"comm\": \"a\", \"anon_kb\": 99}],\n"
	" \"slab\": {\"no_cache_kb\": 5, \"caches\": [{\"name\": \"dentry\", \"kb\": 40}], "
	"\"complete\": true},\n"
	" \"tmpfs\": [{\"mount\": \"/mnt/leak\", \"dev\": \"leak\", \"used_kb\": 7, \"unmapped_kb\": 3}],\n"
	" \"processes\": [{\"pid\": 1, \"comm\": \"init\", \"anon_kb\": 4}],\n"
	" \"oom_events\": []";

START_TEST(rows_in_tables)
{
	struct ms_snapshot s;

	ck_assert_ptr_null(ms_snapshot_read_buf("t.json", doc(rows), strlen(doc(rows)), &s));
	ck_assert_uint_eq(s.commands.n, 3);
	ck_assert_str_eq(ms_snaprows_name(&s.commands, 1), "b");
	ck_assert_int_eq(ms_snaprows_val(&s.commands, 1)[0], 2);	/* processes */
	ck_assert_int_eq(ms_snaprows_val(&s.commands, 1)[2], 20);	/* anon_kb */
	ck_assert_int_eq(ms_snaprows_val(&s.commands, 2)[0], 0);	/* absent: 0 */
	ck_assert_int_eq(ms_snaprows_find(&s.commands, "a"), 0);	/* the first of two */
	ck_assert_int_eq(ms_snaprows_find(&s.commands, "zz"), -1);
	ck_assert_uint_eq(s.caches.n, 1);
	ck_assert_int_eq(ms_snaprows_val(&s.tmpfs, 0)[1], 3);		/* unmapped_kb */
	/* The rows are in the tables only; the rest of the document is kept. */
	ck_assert_ptr_null(json_object_get(s.doc, "commands"));
	ck_assert_ptr_null(json_object_get(s.doc, "processes"));
	ck_assert_ptr_null(json_object_get(json_object_get(s.doc, "slab"), "caches"));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(s.doc, "slab"),
							   "no_cache_kb")), 5);
	ck_assert(json_is_array(json_object_get(s.doc, "oom_events")));
	ms_snapshot_fini(&s);
}
END_TEST

/* The diff of what the reader read is the diff of the whole document. */
START_TEST(same_diff_as_whole_document)
{
	char before[1 << 16];
	const char *after_rows =
		"\"commands\": [{\"comm\": \"b\", \"processes\": 5, \"anon_kb\": 90},"
		" {\"comm\": \"c\", \"threads\": 1}],"
		" \"slab\": {\"no_cache_kb\": 9, \"caches\": [{\"name\": \"dentry\", \"kb\": 4}]},"
		" \"tmpfs\": [{\"mount\": \"/mnt/leak\", \"used_kb\": 700, \"unmapped_kb\": 300}]";
	struct ms_snapshot sb, sa;
	json_t *jb, *ja, *d1, *d2;

	snprintf(before, sizeof(before), "%s", doc(rows));
	jb = json_loads(before, JSON_REJECT_DUPLICATES, NULL);
	ja = json_loads(doc(after_rows), JSON_REJECT_DUPLICATES, NULL);
	ck_assert_ptr_nonnull(jb);
	ck_assert_ptr_nonnull(ja);
	ck_assert_ptr_null(ms_snapshot_read_buf("b", before, strlen(before), &sb));
	ck_assert_ptr_null(ms_snapshot_read_buf("a", doc(after_rows), strlen(doc(after_rows)), &sa));
	ck_assert_ptr_null(ms_snapdiff(jb, ja, &d1));
	ck_assert_ptr_null(ms_snapdiff_snap(&sb, &sa, false, &d2));
	ck_assert(json_equal(d1, d2));
	/* b grew, c and both a rows moved: after-only and before-only rows shown. */
	ck_assert_uint_eq(json_array_size(json_object_get(d2, "commands")), 4);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(d2, "tmpfs") ?
		json_array_get(json_object_get(d2, "tmpfs"), 0) : NULL, "delta_kb")), 693);
	ck_assert_int_eq(json_integer_value(json_object_get(d2, "shmem_unmapped_delta_kb")), 297);
	json_decref(d1);
	json_decref(d2);
	json_decref(jb);
	json_decref(ja);
	ms_snapshot_fini(&sb);
	ms_snapshot_fini(&sa);
}
END_TEST

START_TEST(duplicate_keys_refused)
{
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"commands\": [], \"commands\": []")),
				     "duplicate object key near '\"commands\"'"));
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"meminfo\": {}")), "duplicate object key"));
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"slab\": {\"caches\": [], \"caches\": []}")),
				     "duplicate object key"));
	/* Inside an element: JSON_REJECT_DUPLICATES. */
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"tmpfs\": [{\"mount\": \"/\", \"mount\": \"/x\"}]")),
				     "duplicate object key"));
}
END_TEST

START_TEST(bad_element_in_the_middle)
{
	ck_assert_str_eq(read_of(doc("\"commands\": [{\"comm\": \"a\"}, {\"comm\": \"b\", "
				     "\"anon_kb\": -5}, {\"comm\": \"c\"}]")),
			 "not a memscope snapshot: commands[1].anon_kb is -5, not a size (an "
			 "integer from 0 to 2^40) (t.json)");
	ck_assert_str_eq(read_of(doc("\"slab\": {\"caches\": [{\"name\": \"a\"}, {\"name\": 7}]}")),
			 "not a memscope snapshot: slab.caches[1].name is not a string (t.json)");
	ck_assert_str_eq(read_of(doc("\"processes\": [{\"pid\": 1, \"comm\": \"x\"}, 4]")),
			 "not a memscope snapshot: processes[1] is not an object (t.json)");
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"tmpfs\": [{\"dev\": \"x\"}]")), "malformed"));
	/* Not an array: the schema's word, as the whole-document check says it. */
	ck_assert_str_eq(read_of(doc("\"commands\": true")),
			 "not a memscope snapshot: commands is not an array of objects (t.json)");
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"commands\": [{\"comm\": \"a\"} {\"comm\": "
						 "\"b\"}]")), "t.json: line 5: ',' or ']' expected"));
}
END_TEST

/* Every prefix of a good document is refused, never read as a short one. */
START_TEST(truncated_refused)
{
	char text[1 << 16];
	size_t len;

	snprintf(text, sizeof(text), "%s", doc(rows));
	len = strlen(text);
	for (size_t cut = 0; cut < len; cut++) {
		struct ms_snapshot s;
		struct ms_error *err = ms_snapshot_read_buf("t.json", text, cut, &s);

		ck_assert_msg(err, "a document cut at %zu of %zu was read", cut, len);
		ck_assert_int_eq(err->code, MS_ERR_CORRUPT);
		ms_error_destroy(err);
	}
	ck_assert_ptr_nonnull(strstr(read_of("{\"commands\": [{\"comm\": \"a\"},"),
				     "end of file"));
	ck_assert_ptr_nonnull(strstr(read_of(doc("\"x\": 1} trailing")), "end of file expected"));
}
END_TEST

/* jansson skips a NUL after a number without counting it in the position
 * it reports: the fuzzer's first finding, refused before any decoding. */
START_TEST(nul_byte_refused)
{
	static const char text[] = "{\"nodes\": [{\"free_kb\": 1\0, \"zone\": \"DMA\"}]}";
	struct ms_snapshot s;
	struct ms_error *err = ms_snapshot_read_buf("t.json", text, sizeof(text) - 1, &s);

	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(ms_error_string(err), "t.json: line 1: a NUL byte, which JSON text never holds");
	ms_error_destroy(err);
}
END_TEST

START_TEST(deep_nesting_refused)
{
	size_t depth = 5000, n = 0;
	char *more = malloc(2 * depth + 64);

	ck_assert_ptr_nonnull(more);
	n += (size_t)sprintf(more, "\"commands\": [{\"comm\": \"a\", \"x\": ");
	for (size_t i = 0; i < depth; i++)
		more[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		more[n++] = ']';
	strcpy(more + n, "}]");
	ck_assert_ptr_nonnull(strstr(read_of(doc(more)), "maximum parsing depth"));
	free(more);
}
END_TEST

static Suite *snapshot_read_suite(void)
{
	Suite *s = suite_create("snapshot_read");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, rows_in_tables);
	tcase_add_test(tc, same_diff_as_whole_document);
	tcase_add_test(tc, duplicate_keys_refused);
	tcase_add_test(tc, bad_element_in_the_middle);
	tcase_add_test(tc, truncated_refused);
	tcase_add_test(tc, deep_nesting_refused);
	tcase_add_test(tc, nul_byte_refused);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(snapshot_read_suite)
