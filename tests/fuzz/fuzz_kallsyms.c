/*
 * fuzz_kallsyms.c - libFuzzer: the kallsyms decoder (standalone/kallsyms.c)
 * on hostile "kernel memory".  The input is the memory, read from address
 * BASE on; its first 48 bytes place the six tables in it (offsets from
 * BASE), as VMCOREINFO's SYMBOL(kallsyms_*) would.  Reads past the input
 * fail, as a page the dump does not hold.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kallsyms.h"

#define BASE 0xffffffff81000000ull

struct mem {
	const uint8_t *p;
	size_t len;
};

static struct ms_error *mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct mem *m = ctx;

	if (addr < BASE || addr - BASE > m->len || len > m->len - (addr - BASE))
		return ms_error_at(MS_ERR_MISSING, addr, "read of %zu bytes", len);
	memcpy(buf, m->p + (addr - BASE), len);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = { data, size };
	struct ms_kallsyms_tables tab;
	uint64_t *slot[] = { &tab.names, &tab.num_syms, &tab.token_table, &tab.token_index,
			     &tab.offsets, &tab.relative_base };
	struct ms_kallsyms *ks = NULL;
	struct ms_error *err;
	uint64_t addr;

	if (size < 48)
		return 0;
	for (int i = 0; i < 6; i++) {
		uint64_t off;

		memcpy(&off, data + 8 * i, 8);
		*slot[i] = BASE + off % (size + 64);	/* mostly inside, sometimes past */
	}
	err = ms_kallsyms_load(&tab, mem_read, &m, &ks);
	if (!err && ks) {
		ms_kallsyms_lookup(ks, "init_uts_ns", &addr);
		ms_kallsyms_is_absolute(ks, "__per_cpu_start");
	}
	ms_error_destroy(err);
	ms_kallsyms_free(ks);
	return 0;
}
