/*
 * fuzz_snapshot.c - libFuzzer: the snapshot reader (JSON with duplicate keys
 * refused, the schema, the required sections), and a snapshot that passes
 * diffed against itself and printed: its arithmetic must stay defined.
 * The element-wise reader (snapshot_read.c) must take and refuse the same
 * inputs and give the same diff.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapdiff.h"
#include "snapshot.h"

/* The element-wise reader on the same input: it reads what the whole-document
 * load and check pass (with the same diff), and refuses what they refuse;
 * a NUL byte, which jansson skips after a number, it refuses. */
static void read_too(const uint8_t *data, size_t size, const json_t *diff, bool passed)
{
	struct ms_snapshot s;
	struct ms_error *err = ms_snapshot_read_buf("fuzz", (const char *)data, size, &s);
	json_t *d = NULL;

	if (!err != (passed && !memchr(data, '\0', size)))
		abort();
	if (!err) {
		err = ms_snapdiff_snap(&s, &s, false, &d);
		if (err || !json_equal(d, diff))
			abort();
		ms_snapshot_fini(&s);
	}
	ms_error_destroy(err);
	json_decref(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *snap = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	json_t *diff = NULL;
	struct ms_error *err;
	static FILE *null;

	if (!snap) {
		read_too(data, size, NULL, false);
		return 0;
	}
	err = ms_snapshot_validate(snap);
	if (!err)
		err = ms_snapdiff(snap, snap, &diff);
	if (!err) {
		if (!null)
			null = fopen("/dev/null", "w");
		ms_snapdiff_print(null, diff, size & 1);
	}
	read_too(data, size, diff, !err);
	ms_error_destroy(err);
	json_decref(diff);
	json_decref(snap);
	return 0;
}
