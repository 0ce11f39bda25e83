/*
 * test_gdb_text.c - the enums the crash extension reads from gdb's "ptype"
 * (extension/gdb_text.c).  The texts are what crash 8.0.2's gdb printed for
 * Debian's 6.1.0-55 vmlinux; each value checked is the one crash's own
 * "whatis ENUMERATOR" printed for it on that vmlinux.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "gdb_text.h"
#include "suites.h"

static const char node_stat_item[] =
	"type = enum node_stat_item {NR_LRU_BASE, NR_INACTIVE_ANON = 0, NR_ACTIVE_ANON, "
	"NR_INACTIVE_FILE, NR_ACTIVE_FILE, NR_UNEVICTABLE, NR_SLAB_RECLAIMABLE_B, "
	"NR_SLAB_UNRECLAIMABLE_B, NR_ISOLATED_ANON, NR_ISOLATED_FILE, WORKINGSET_NODES, "
	"WORKINGSET_REFAULT_BASE, WORKINGSET_REFAULT_ANON = 10, WORKINGSET_REFAULT_FILE, "
	"WORKINGSET_ACTIVATE_BASE, WORKINGSET_ACTIVATE_ANON = 12, WORKINGSET_ACTIVATE_FILE, "
	"WORKINGSET_RESTORE_BASE, WORKINGSET_RESTORE_ANON = 14, WORKINGSET_RESTORE_FILE, "
	"WORKINGSET_NODERECLAIM, NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_PAGES, NR_FILE_DIRTY, "
	"NR_WRITEBACK, NR_WRITEBACK_TEMP, NR_SHMEM, NR_SHMEM_THPS, NR_SHMEM_PMDMAPPED, "
	"NR_FILE_THPS, NR_FILE_PMDMAPPED, NR_ANON_THPS, NR_VMSCAN_WRITE, NR_VMSCAN_IMMEDIATE, "
	"NR_DIRTIED, NR_WRITTEN, NR_THROTTLED_WRITTEN, NR_KERNEL_MISC_RECLAIMABLE, "
	"NR_FOLL_PIN_ACQUIRED, NR_FOLL_PIN_RELEASED, NR_KERNEL_STACK_KB, NR_PAGETABLE, "
	"NR_SECONDARY_PAGETABLE, NR_SWAPCACHE, PGPROMOTE_SUCCESS, PGPROMOTE_CANDIDATE, "
	"NR_VM_NODE_STAT_ITEMS}\n";

static const char pageflags[] =
	"type = enum pageflags {PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, "
	"PG_active, PG_workingset, PG_waiters, PG_error, PG_slab, PG_owner_priv_1, PG_arch_1, "
	"PG_reserved, PG_private, PG_private_2, PG_writeback, PG_head, PG_mappedtodisk, "
	"PG_reclaim, PG_swapbacked, PG_unevictable, PG_mlocked, PG_uncached, PG_arch_2, "
	"__NR_PAGEFLAGS, PG_readahead = 18, PG_anon_exclusive = 17, PG_checked = 10, "
	"PG_swapcache = 10, PG_fscache = 14, PG_pinned = 10, PG_savepinned = 3, PG_foreign = 10, "
	"PG_xen_remapped = 10, PG_slob_free = 13, PG_double_map = 6, PG_isolated = 18, "
	"PG_reported = 2, PG_vmemmap_self_hosted = 10}\n";

static const char migratetype[] =
	"type = enum migratetype {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE, MIGRATE_RECLAIMABLE, "
	"MIGRATE_PCPTYPES, MIGRATE_HIGHATOMIC = 3, MIGRATE_ISOLATE, MIGRATE_TYPES}\n";

static const char section_bits[] =
	"type = enum {SECTION_MARKED_PRESENT_BIT, SECTION_HAS_MEM_MAP_BIT, SECTION_IS_ONLINE_BIT, "
	"SECTION_IS_EARLY_BIT, SECTION_TAINT_ZONE_DEVICE_BIT, SECTION_MAP_LAST_BIT}\n";

struct seen {
	const char *want;
	long value;
	int found, count;
};

static int look(void *arg, const char *name, long value)
{
	struct seen *s = arg;

	s->count++;
	if (!strcmp(name, s->want)) {
		s->found++;
		s->value = value;
	}
	return 0;
}

static long value_in(const char *text, const char *name, int *count)
{
	struct seen s = { name, -999, 0, 0 };

	ck_assert_int_eq(ms_gdb_parse_enum(text, look, &s), 0);
	ck_assert_int_eq(s.found, 1);
	if (count)
		*count = s.count;
	return s.value;
}

START_TEST(test_values_follow_gdbs_rule)
{
	int n;

	/* whatis: NR_FILE_PAGES 19, PG_readahead 18, MIGRATE_MOVABLE 1 */
	ck_assert_int_eq(value_in(node_stat_item, "NR_FILE_PAGES", &n), 19);
	ck_assert_int_eq(n, 48);
	ck_assert_int_eq(value_in(node_stat_item, "NR_LRU_BASE", NULL), 0);
	ck_assert_int_eq(value_in(node_stat_item, "NR_INACTIVE_ANON", NULL), 0);
	ck_assert_int_eq(value_in(node_stat_item, "WORKINGSET_REFAULT_FILE", NULL), 11);
	ck_assert_int_eq(value_in(pageflags, "PG_readahead", NULL), 18);
	ck_assert_int_eq(value_in(pageflags, "__NR_PAGEFLAGS", NULL), 24);
	ck_assert_int_eq(value_in(pageflags, "PG_reported", NULL), 2);
	ck_assert_int_eq(value_in(pageflags, "PG_vmemmap_self_hosted", NULL), 10);
	ck_assert_int_eq(value_in(migratetype, "MIGRATE_MOVABLE", NULL), 1);
	ck_assert_int_eq(value_in(migratetype, "MIGRATE_ISOLATE", NULL), 4);
}
END_TEST

START_TEST(test_anonymous_enum)
{
	char tag[64] = "junk";

	/* whatis SECTION_IS_ONLINE_BIT: "enum (unknown) = 2" */
	ck_assert_int_eq(value_in(section_bits, "SECTION_IS_ONLINE_BIT", NULL), 2);
	ck_assert_int_eq(ms_gdb_enum_tag(section_bits, tag, sizeof(tag)), -1);
	ck_assert_int_eq(ms_gdb_enum_tag("type = enum {...}\n", tag, sizeof(tag)), -1);
}
END_TEST

START_TEST(test_tags)
{
	char tag[64];

	ck_assert_int_eq(ms_gdb_enum_tag("type = enum node_stat_item\n", tag, sizeof(tag)), 0);
	ck_assert_str_eq(tag, "node_stat_item");
	ck_assert_int_eq(ms_gdb_enum_tag(migratetype, tag, sizeof(tag)), 0);
	ck_assert_str_eq(tag, "migratetype");
	ck_assert_int_eq(ms_gdb_enum_tag("type = enum migratetype", tag, 5), -1);
	ck_assert_int_eq(ms_gdb_enum_tag("type = enumeration x", tag, sizeof(tag)), -1);
	ck_assert_int_eq(ms_gdb_enum_tag("type = volatile unsigned long\n", tag, sizeof(tag)), -1);
}
END_TEST

START_TEST(test_negative_and_underlying_type)
{
	ck_assert_int_eq(value_in("type = enum e : unsigned int {A = -2, B, C = 7, D}", "B", NULL), -1);
	ck_assert_int_eq(value_in("type = enum e : unsigned int {A = -2, B, C = 7, D}", "D", NULL), 8);
	ck_assert_int_eq(value_in("type = enum {ONLY}", "ONLY", NULL), 0);
}
END_TEST

/* Text that is not an enum's body reports nothing, not even the names
 * before the fault. */
START_TEST(test_not_an_enum_reports_nothing)
{
	static const char *const bad[] = {
		"type = volatile unsigned long\n",
		"type = struct zone {\n    int node;\n}\n",
		"type = enum node_stat_item\n",
		"type = enum e {A, B",
		"type = enum e {A, B = x, C}",
		"type = enum e {A, , C}",
		"type = enum e {A B}",
		"type = enum e {A, 3B}",
		"type = enum e {A = 99999999999999999999}",
		/* no value after LONG_MAX (the fuzzer's signed overflow) */
		"type = enum e {A = 9223372036854775807, B}",
		"No symbol \"NR_NOPE\" in current context.\n",
		"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct seen s = { "A", 0, 0, 0 };

		ck_assert_msg(ms_gdb_parse_enum(bad[i], look, &s) == -1, "%s", bad[i]);
		ck_assert_int_eq(s.count, 0);
	}
	{
		struct seen s = { "A", 0, 0, 0 };

		ck_assert_int_eq(ms_gdb_parse_enum("type = enum e {}", look, &s), 0);
		ck_assert_int_eq(s.count, 0);
	}
	/* LONG_MAX itself, and a value given after it, are fine */
	ck_assert_int_eq(value_in("type = enum e {A = 9223372036854775807, B = 1}", "A", NULL),
			 9223372036854775807L);
}
END_TEST

static int stop_at_b(void *arg, const char *name, long value)
{
	(void)value;
	++*(int *)arg;
	return strcmp(name, "B") ? 0 : 7;
}

START_TEST(test_callback_stops)
{
	int n = 0;

	ck_assert_int_eq(ms_gdb_parse_enum("type = enum e {A, B, C}", stop_at_b, &n), 7);
	ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(test_identifiers)
{
	char name[300];

	ck_assert(ms_gdb_is_identifier("NR_FILE_PAGES"));
	ck_assert(ms_gdb_is_identifier("_x9"));
	ck_assert(!ms_gdb_is_identifier(""));
	ck_assert(!ms_gdb_is_identifier("9x"));
	ck_assert(!ms_gdb_is_identifier("a.b"));
	ck_assert(!ms_gdb_is_identifier("x; shell rm"));
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert(!ms_gdb_is_identifier(name));
}
END_TEST

static Suite *gdb_text_suite(void)
{
	Suite *s = suite_create("gdb_text");
	TCase *tc = tcase_create("enum");

	tcase_add_test(tc, test_values_follow_gdbs_rule);
	tcase_add_test(tc, test_anonymous_enum);
	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_negative_and_underlying_type);
	tcase_add_test(tc, test_not_an_enum_reports_nothing);
	tcase_add_test(tc, test_callback_stops);
	tcase_add_test(tc, test_identifiers);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(gdb_text_suite)
