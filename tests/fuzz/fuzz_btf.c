/*
 * fuzz_btf.c - libFuzzer: BTF read from dump memory (standalone/btf_types.c,
 * libbpf underneath), then the questions memscope asks of it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>

#include "btf_types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_btf *b = NULL;
	struct ms_error *err = ms_btf_from_data(data, size, &b);
	char buf[64];
	long v;

	if (!err && b) {
		ms_btf_struct_size(b, "zone");
		ms_btf_member_offset(b, "zone", "free_area");
		ms_btf_member_size(b, "page", "flags");
		ms_btf_member_offset(b, "task_struct", "comm");
		ms_btf_enum_value(b, "NR_FREE_PAGES", &v);
		ms_btf_enum_type(b, "MIGRATE_MOVABLE", buf, sizeof(buf));
	}
	ms_error_destroy(err);
	ms_btf_free(b);
	return 0;
}
