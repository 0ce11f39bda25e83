/*
 * crash_target.c - the memscope target interface on crash's extension API.
 *
 * One target per crash session: the dump does not change while crash runs,
 * so what lib/ resolves once stays valid.  Only the output stream (crash's
 * fp, which follows pipes and redirects) is refreshed before each command,
 * and the pages kept from crash's readmem() (pagecache.h: a readmem() costs
 * about as much for 8 bytes as for a page) are dropped then; on a live
 * system none are kept.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "defs.h"

#include "crash_types.h"
#include "memscope_ext.h"
#include "pagecache.h"

#define CACHE_PAGES 256

static struct ms_pagecache *cache;

/* A page for the cache, if crash reads it whole. */
static int fill_page(void *ctx, uint64_t page, void *buf)
{
	(void)ctx;
	return readmem(page, KVADDR, buf, (long)PAGESIZE(), "memscope", RETURN_ON_ERROR | QUIET)
		? 0 : -1;
}

/* crash tells no filtered page from a bad address: a fault at addr. */
static struct ms_error *crash_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	(void)ctx;
	if (!ms_pagecache_read(cache, addr, buf, len, fill_page, NULL))
		return NULL;
	if (readmem(addr, KVADDR, buf, (long)len, "memscope", RETURN_ON_ERROR | QUIET))
		return NULL;
	return ms_error_at(MS_ERR_FAULT, addr, "read of %zu bytes", len);
}

static int crash_symbol(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	if (!symbol_exists((char *)name))
		return -1;
	*addr = symbol_value((char *)name);
	return 0;
}

/* pc->read_vmcoreinfo returns a malloc'ed copy, or NULL (no VMCOREINFO in the dump). */
static int crash_vmcoreinfo(void *ctx, const char *key, char *buf, size_t len)
{
	char *v = pc->read_vmcoreinfo ? pc->read_vmcoreinfo(key) : NULL;

	(void)ctx;
	if (!v)
		return -1;
	snprintf(buf, len, "%s", v);
	free(v);
	return 0;
}

/* Which of two aliases kallsyms lists first (scripts/kallsyms.c compare_symbols():
 * weak ones last, then fewer leading underscores, then nm's order, by name). */
static int kallsyms_before(const struct syment *a, const struct syment *b)
{
	int wa = a->type == 'w' || a->type == 'W', wb = b->type == 'w' || b->type == 'W';
	size_t ua = strspn(a->name, "_"), ub = strspn(b->name, "_");

	if (wa != wb)
		return wa < wb;
	if (ua != ub)
		return ua < ub;
	return strcmp(a->name, b->name) < 0;
}

/* crash's own symbol table (vmlinux and the modules it loaded symbols of); of
 * aliases the one kallsyms_lookup() names, as /proc/PID/wchan does. */
static int crash_symbol_at(void *ctx, uint64_t addr, char *buf, size_t len, uint64_t *offset)
{
	ulong off = 0;
	struct syment *sp = value_search((ulong)addr, &off), *best = sp, *o;
	int n;

	(void)ctx;
	if (!sp)
		return -1;
	for (o = prev_symbol(NULL, sp), n = 0; o && o->value == sp->value && n < 64;
	     o = prev_symbol(NULL, o), n++)
		if (kallsyms_before(o, best))
			best = o;
	for (o = next_symbol(NULL, sp), n = 0; o && o->value == sp->value && n < 64;
	     o = next_symbol(NULL, o), n++)
		if (kallsyms_before(o, best))
			best = o;
	snprintf(buf, len, "%s", best->name);
	*offset = off;
	return 0;
}

static const struct ms_target_ops crash_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
	.struct_size = ms_crash_struct_size,
	.member_offset = ms_crash_member_offset,
	.member_size = ms_crash_member_size,
	.enum_value = ms_crash_enum_value,
	.enum_type = ms_crash_enum_type,
	.vmcoreinfo = crash_vmcoreinfo,
	.symbol_at = crash_symbol_at,
};

const struct ms_target_ops *ms_crash_ops(void)
{
	return &crash_ops;
}

static struct ms_target crash_target;
static int crash_target_ready;

struct ms_target *ms_crash_target(void)
{
	if (!crash_target_ready) {
		ms_target_init(&crash_target, &crash_ops, NULL, PAGESHIFT(), fp);
		/* crash reads dumps of its host's byte order only. */
		ms_target_set_arch(&crash_target, (unsigned int)BITS() / 8,
				   __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
		if (!ACTIVE())
			cache = ms_pagecache_new((uint64_t)PAGESIZE(), CACHE_PAGES);
		crash_target_ready = 1;
	}
	ms_pagecache_clear(cache);
	crash_target.errf = fp;
	return &crash_target;
}

void ms_crash_target_fini(void)
{
	if (crash_target_ready)
		ms_target_fini(&crash_target);
	ms_pagecache_free(cache);
	cache = NULL;
	ms_crash_types_fini();
	crash_target_ready = 0;
}
