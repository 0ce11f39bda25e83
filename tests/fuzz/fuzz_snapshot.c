/*
 * fuzz_snapshot.c - libFuzzer: the snapshot reader (JSON with duplicate keys
 * refused, the schema, the required sections), and a snapshot that passes
 * diffed against itself and printed: its arithmetic must stay defined.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "snapdiff.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *snap = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	json_t *diff = NULL;
	struct ms_error *err;
	static FILE *null;

	if (!snap)
		return 0;
	err = ms_snapshot_validate(snap);
	if (!err)
		err = ms_snapdiff(snap, snap, &diff);
	if (!err) {
		if (!null)
			null = fopen("/dev/null", "w");
		ms_snapdiff_print(null, diff, size & 1);
	}
	ms_error_destroy(err);
	json_decref(diff);
	json_decref(snap);
	return 0;
}
