/*
 * test_snapshot_schema.c - the snapshot schema: typed, range-checked numbers
 * (issue #14's INT64_MIN, number-as-string and negative-size snapshots) and
 * duplicate keys refused at load.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapshot.h"
#include "suites.h"

/* ms_snapshot_check_schema() of a JSON text: NULL if it passed, else the
 * error's text (static, the error destroyed). */
static const char *schema_of(const char *text)
{
	static char msg[512];
	json_t *j = json_loads(text, 0, NULL);
	struct ms_error *err;

	ck_assert_ptr_nonnull(j);
	err = ms_snapshot_check_schema(j);
	json_decref(j);
	if (!err)
		return NULL;
	snprintf(msg, sizeof(msg), "%s", ms_error_string(err));
	ms_error_destroy(err);
	return msg;
}

START_TEST(good_values_pass)
{
	ck_assert_ptr_null(schema_of("{\"meminfo\": {\"MemTotal\": 481052}, \"used\": {\"used_kb\": "
				     "-4, \"categories\": {\"unaccounted\": -12}}, \"slab\": "
				     "{\"caches\": [{\"name\": \"dentry\", \"kb\": 1099511627776}]},"
				     " \"oom_events\": [1, \"x\"]}"));
}
END_TEST

START_TEST(bad_values_refused)
{
	ck_assert_str_eq(schema_of("{\"used\": {\"used_kb\": -9223372036854775808}}"),
			 "not a memscope snapshot: used.used_kb is -9223372036854775808, not an "
			 "integer of at most 2^40 either way");
	ck_assert_str_eq(schema_of("{\"meminfo\": {\"MemFree\": \"1024\"}}"),
			 "not a memscope snapshot: meminfo.MemFree is not a size (an integer "
			 "from 0 to 2^40)");
	ck_assert_str_eq(schema_of("{\"slab\": {\"caches\": [{\"name\": \"a\"}, {\"name\": \"b\", "
				   "\"kb\": -5}]}}"),
			 "not a memscope snapshot: slab.caches[1].kb is -5, not a size (an "
			 "integer from 0 to 2^40)");
	ck_assert_str_eq(schema_of("{\"commands\": [{\"comm\": 7}]}"),
			 "not a memscope snapshot: commands[0].comm is not a string");
	ck_assert_str_eq(schema_of("{\"tmpfs\": {\"mount\": \"/\"}}"),
			 "not a memscope snapshot: tmpfs is not an array of objects");
	ck_assert_str_eq(schema_of("{\"meminfo\": {\"MemFree\": 1.5}}"),
			 "not a memscope snapshot: meminfo.MemFree is not a size (an integer "
			 "from 0 to 2^40)");
	ck_assert_ptr_nonnull(strstr(schema_of("{\"nodes\": [{\"zones\": [{\"free_kb\": "
					       "1099511627777}]}]}"), "nodes[0].zones[0].free_kb"));
	/* The consumers' holders and vmalloc by caller (snapshot_sections.c). */
	ck_assert_str_eq(schema_of("{\"used\": {\"uncounted_holders\": [{\"consumer\": \"pipes\", "
				   "\"name\": \"pipehold\", \"pid\": -1, \"kb\": \"8324\"}]}}"),
			 "not a memscope snapshot: used.uncounted_holders[0].kb is not a size (an "
			 "integer from 0 to 2^40)");
	ck_assert_str_eq(schema_of("{\"vmalloc\": {\"callers\": [{\"caller\": \"f\", "
				   "\"kb\": -5}]}}"),
			 "not a memscope snapshot: vmalloc.callers[0].kb is -5, not a size (an "
			 "integer from 0 to 2^40)");
	ck_assert_str_eq(schema_of("{\"vmalloc\": {\"callers\": [{\"stack\": 1}]}}"),
			 "not a memscope snapshot: vmalloc.callers[0].stack is not true or false");
}
END_TEST

/* diff_zones() matches zones by name: their number is bounded, as the kernel's. */
START_TEST(too_many_zones_refused)
{
	char text[512] = "{\"nodes\": [{\"node\": 0, \"zones\": [";

	for (int i = 0; i < 9; i++)
		strcat(text, i ? ", {}" : "{}");
	strcat(text, "]}]}");
	ck_assert_str_eq(schema_of(text), "not a memscope snapshot: nodes[0].zones has 9 rows, "
			 "more than any kernel has (8)");
	text[strlen(text) - 8] = ']';	/* 8 zones */
	text[strlen(text) - 7] = '\0';
	strcat(text, "}]}");
	ck_assert_ptr_null(schema_of(text));
}
END_TEST

START_TEST(duplicate_key_refused)
{
	char path[] = "/tmp/memscope-schema-XXXXXX";
	int fd = mkstemp(path);
	const char *text = "{\"format\": \"memscope-snapshot\", \"format\": \"x\"}";
	struct ms_error *err;
	json_t *snap;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	err = ms_snapshot_load(path, &snap);
	unlink(path);
	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_null(snap);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "duplicate object key"));
	ms_error_destroy(err);
}
END_TEST

static Suite *snapshot_schema_suite(void)
{
	Suite *s = suite_create("snapshot_schema");
	TCase *tc = tcase_create("schema");

	tcase_add_test(tc, good_values_pass);
	tcase_add_test(tc, bad_values_refused);
	tcase_add_test(tc, duplicate_key_refused);
	tcase_add_test(tc, too_many_zones_refused);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(snapshot_schema_suite)
