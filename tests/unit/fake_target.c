/*
 * fake_target.c - see fake_target.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"

#define FAKE_MAX 4096

struct region {
	uint64_t addr;
	size_t len;
	unsigned char *buf;
};

struct named {
	char *name;
	long a, b;
};

struct fake {
	struct region reg[FAKE_MAX];
	size_t nr_reg;
	struct named sym[FAKE_MAX], st[FAKE_MAX], mem[FAKE_MAX], en[FAKE_MAX];
	size_t nr_sym, nr_st, nr_mem, nr_en;
	char *en_type_key[FAKE_MAX], *en_type_val[FAKE_MAX];	/* enumerator -> its enum type */
	size_t nr_en_type;
	char *vmci_key[64], *vmci_val[64];
	size_t nr_vmci;
	struct region missing[64];	/* pages "the dump does not hold" */
	size_t nr_missing;
	unsigned long calls;		/* questions the target asked the binding */
	uint64_t brk;
	unsigned int nr_cpus, nr_nodes;
	struct ms_target t;
	char *warn_buf;
	size_t warn_len;
	FILE *warn;
};

static struct named *find(struct named *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static void add(struct named *v, size_t *n, const char *name, long a, long b)
{
	struct named *e = find(v, *n, name);

	if (!e) {
		e = &v[(*n)++];
		e->name = strdup(name);
	}
	e->a = a;
	e->b = b;
}

static int f_copy(void *ctx, uint64_t addr, void *buf, size_t len)
{
	struct fake *f = ctx;

	for (size_t i = 0; i < f->nr_reg; i++) {
		struct region *r = &f->reg[i];

		if (addr >= r->addr && addr - r->addr <= r->len && len <= r->len - (addr - r->addr)) {
			memcpy(buf, r->buf + (addr - r->addr), len);
			return 0;
		}
	}
	return -1;
}

/* The first byte of [addr, addr + len) in a missing range, if any. */
static bool f_missing(struct fake *f, uint64_t addr, size_t len, uint64_t *at)
{
	for (size_t i = 0; i < f->nr_missing; i++) {
		struct region *m = &f->missing[i];
		uint64_t lo = addr > m->addr ? addr : m->addr;

		if (lo < addr + len && lo < m->addr + m->len) {
			*at = lo;
			return true;
		}
	}
	return false;
}

/* As a dump reader does: MISSING for a page the dump does not hold, with the
 * reader's own text as the cause; FAULT for memory that is not there at all. */
static struct ms_error *f_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	uint64_t at;

	if (f_missing(ctx, addr, len, &at))
		return ms_error_at_lib(MS_ERR_MISSING, at, "fake: page excluded",
				       "read of %zu bytes hit a page the dump does not hold", len);
	if (f_copy(ctx, addr, buf, len))
		return ms_error_at(MS_ERR_FAULT, addr, "read of %zu bytes", len);
	return NULL;
}

void fake_missing(struct fake *f, uint64_t addr, size_t len)
{
	f->missing[f->nr_missing].addr = addr;
	f->missing[f->nr_missing++].len = len;
}

unsigned long fake_calls(struct fake *f)
{
	return f->calls;
}

static int f_symbol(void *ctx, const char *name, uint64_t *addr)
{
	struct fake *f = ctx;
	struct named *e = find(f->sym, f->nr_sym, name);

	f->calls++;
	if (!e)
		return -1;
	*addr = (uint64_t)e->a;
	return 0;
}

/* The highest symbol at or below addr, the first declared among equals. */
static int f_symbol_at(void *ctx, uint64_t addr, char *buf, size_t len, uint64_t *offset)
{
	struct fake *f = ctx;
	struct named *best = NULL;

	for (size_t i = 0; i < f->nr_sym; i++)
		if ((uint64_t)f->sym[i].a <= addr && (!best || f->sym[i].a > best->a))
			best = &f->sym[i];
	if (!best)
		return -1;
	snprintf(buf, len, "%s", best->name);
	*offset = addr - (uint64_t)best->a;
	return 0;
}

static long f_struct_size(void *ctx, const char *name)
{
	struct fake *f = ctx;
	struct named *e = find(f->st, f->nr_st, name);

	f->calls++;
	return e ? e->a : -1;
}

static struct named *f_member(struct fake *f, const char *s, const char *m)
{
	char key[256];

	snprintf(key, sizeof(key), "%s.%s", s, m);
	f->calls++;
	return find(f->mem, f->nr_mem, key);
}

static long f_member_offset(void *ctx, const char *s, const char *m)
{
	struct named *e = f_member(ctx, s, m);

	return e ? e->a : -1;
}

static long f_member_size(void *ctx, const char *s, const char *m)
{
	struct named *e = f_member(ctx, s, m);

	return e ? e->b : -1;
}

static int f_enum(void *ctx, const char *name, long *v)
{
	struct fake *f = ctx;
	struct named *e = find(f->en, f->nr_en, name);

	f->calls++;
	if (!e)
		return -1;
	*v = e->a;
	return 0;
}

static int f_vmcoreinfo(void *ctx, const char *key, char *buf, size_t len)
{
	struct fake *f = ctx;

	for (size_t i = 0; i < f->nr_vmci; i++) {
		if (!strcmp(f->vmci_key[i], key)) {
			snprintf(buf, len, "%s", f->vmci_val[i]);
			return 0;
		}
	}
	return -1;
}

static int f_enum_type(void *ctx, const char *enumerator, char *buf, size_t len)
{
	struct fake *f = ctx;

	f->calls++;
	for (size_t i = 0; i < f->nr_en_type; i++) {
		if (!strcmp(f->en_type_key[i], enumerator)) {
			snprintf(buf, len, "%s", f->en_type_val[i]);
			return 0;
		}
	}
	return -1;
}

static const struct ms_target_ops fake_ops = {
	.read = f_read,
	.symbol = f_symbol,
	.symbol_at = f_symbol_at,
	.struct_size = f_struct_size,
	.member_offset = f_member_offset,
	.member_size = f_member_size,
	.enum_value = f_enum,
	.enum_type = f_enum_type,
	.vmcoreinfo = f_vmcoreinfo,
};

void fake_enum_type(struct fake *f, const char *enumerator, const char *type)
{
	f->en_type_key[f->nr_en_type] = strdup(enumerator);
	f->en_type_val[f->nr_en_type++] = strdup(type);
}

void fake_vmcoreinfo(struct fake *f, const char *key, const char *value)
{
	f->vmci_key[f->nr_vmci] = strdup(key);
	f->vmci_val[f->nr_vmci++] = strdup(value);
}

struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	f->brk = 0xffff888000100000ull;
	f->warn = open_memstream(&f->warn_buf, &f->warn_len);
	ms_target_init(&f->t, &fake_ops, f, 12, f->warn);
	return f;
}

struct ms_target *fake_target(struct fake *f)
{
	return &f->t;
}

const char *fake_warnings(struct fake *f)
{
	fflush(f->warn);
	return f->warn_buf ? f->warn_buf : "";
}

void fake_free(struct fake *f)
{
	ms_target_fini(&f->t);
	fclose(f->warn);
	for (size_t i = 0; i < f->nr_en_type; i++) {
		free(f->en_type_key[i]);
		free(f->en_type_val[i]);
	}
	for (size_t i = 0; i < f->nr_vmci; i++) {
		free(f->vmci_key[i]);
		free(f->vmci_val[i]);
	}
	free(f->warn_buf);
	for (size_t i = 0; i < f->nr_reg; i++)
		free(f->reg[i].buf);
	struct named *all[] = { f->sym, f->st, f->mem, f->en };
	size_t nr[] = { f->nr_sym, f->nr_st, f->nr_mem, f->nr_en };
	for (int k = 0; k < 4; k++)
		for (size_t i = 0; i < nr[k]; i++)
			free(all[k][i].name);
	free(f);
}

void *fake_map(struct fake *f, uint64_t addr, size_t len)
{
	struct region *r = &f->reg[f->nr_reg++];

	r->addr = addr;
	r->len = len;
	r->buf = calloc(1, len ? len : 1);
	return r->buf;
}

uint64_t fake_alloc(struct fake *f, size_t n)
{
	uint64_t a = f->brk;

	fake_map(f, a, n);
	f->brk += (n + 0xfff) & ~0xfffull;
	f->brk += 0x1000;	/* an unmapped guard page between allocations */
	return a;
}

void fake_put(struct fake *f, uint64_t addr, const void *src, size_t len)
{
	for (size_t i = 0; i < f->nr_reg; i++) {
		struct region *r = &f->reg[i];

		if (addr >= r->addr && addr - r->addr <= r->len && len <= r->len - (addr - r->addr)) {
			memcpy(r->buf + (addr - r->addr), src, len);
			return;
		}
	}
	abort();	/* a test wrote outside its own image */
}

void fake_put_u64(struct fake *f, uint64_t addr, uint64_t v)
{
	fake_put(f, addr, &v, 8);
}

void fake_put_u32(struct fake *f, uint64_t addr, uint32_t v)
{
	fake_put(f, addr, &v, 4);
}

void fake_symbol(struct fake *f, const char *name, uint64_t addr)
{
	add(f->sym, &f->nr_sym, name, (long)addr, 0);
}

void fake_struct(struct fake *f, const char *name, long size)
{
	add(f->st, &f->nr_st, name, size, 0);
}

void fake_member(struct fake *f, const char *s, const char *m, long off, long size)
{
	char key[256];

	snprintf(key, sizeof(key), "%s.%s", s, m);
	add(f->mem, &f->nr_mem, key, off, size);
}

void fake_enum(struct fake *f, const char *name, long value)
{
	add(f->en, &f->nr_en, name, value, 0);
}

static uint64_t sym_addr(struct fake *f, const char *name)
{
	uint64_t a = 0;

	f_symbol(f, name, &a);
	return a;
}

uint64_t fake_pgdat(struct fake *f, unsigned int node)
{
	uint64_t p = 0;

	f_copy(f, sym_addr(f, "node_data") + 8ull * node, &p, 8);
	return p;
}

uint64_t fake_zone(struct fake *f, unsigned int node, unsigned int zone)
{
	return fake_pgdat(f, node) + FAKE_NODE_ZONES_OFF + (uint64_t)zone * FAKE_ZONE_SIZE;
}

uint64_t fake_percpu_offset(struct fake *f, unsigned int cpu)
{
	uint64_t v = 0;

	f_copy(f, sym_addr(f, "__per_cpu_offset") + 8ull * cpu, &v, 8);
	return v;
}

void fake_basic_kernel(struct fake *f, unsigned int nr_cpus, unsigned int nr_nodes,
		       unsigned int nr_zones)
{
	static const char *names[] = { "DMA", "DMA32", "Normal", "Movable", "Device" };
	uint64_t a, strs, names_arr, node_data;

	f->nr_cpus = nr_cpus;
	f->nr_nodes = nr_nodes;
	a = fake_alloc(f, 4);
	fake_put_u32(f, a, nr_cpus);
	fake_symbol(f, "nr_cpu_ids", a);
	a = fake_alloc(f, 8);
	fake_put_u64(f, a, (1ull << nr_cpus) - 1);
	fake_symbol(f, "__cpu_online_mask", a);
	a = fake_alloc(f, 8);
	fake_put_u64(f, a, (1ull << nr_cpus) - 1);
	fake_symbol(f, "__cpu_possible_mask", a);
	a = fake_alloc(f, 8ull * nr_cpus);
	fake_symbol(f, "__per_cpu_offset", a);
	/* Per-cpu "areas": a per-cpu pointer P of CPU c lives at P + offset[c]. */
	for (unsigned int c = 0; c < nr_cpus; c++)
		fake_put_u64(f, a + 8ull * c, 0x100000000ull * (c + 1));

	a = fake_alloc(f, 4);
	fake_put_u32(f, a, nr_nodes);
	fake_symbol(f, "nr_node_ids", a);
	node_data = fake_alloc(f, 8ull * nr_nodes);
	fake_symbol(f, "node_data", node_data);
	for (unsigned int n = 0; n < nr_nodes; n++)
		fake_put_u64(f, node_data + 8ull * n, fake_alloc(f, FAKE_PGDAT_SIZE));

	fake_struct(f, "zone", FAKE_ZONE_SIZE);
	fake_struct(f, "pglist_data", FAKE_PGDAT_SIZE);
	fake_member(f, "pglist_data", "node_zones", FAKE_NODE_ZONES_OFF, FAKE_ZONE_SIZE * nr_zones);
	fake_enum(f, "__MAX_NR_ZONES", nr_zones);
	strs = fake_alloc(f, 16 * nr_zones);
	names_arr = fake_alloc(f, 8ull * nr_zones);
	for (unsigned int z = 0; z < nr_zones; z++) {
		fake_put(f, strs + 16 * z, names[z % 5], strlen(names[z % 5]) + 1);
		fake_put_u64(f, names_arr + 8ull * z, strs + 16 * z);
	}
	fake_symbol(f, "zone_names", names_arr);
}

uint64_t fake_alloc_percpu(struct fake *f, size_t n)
{
	uint64_t p = f->brk;

	f->brk += ((n + 0xfff) & ~0xfffull) + 0x1000;
	for (unsigned int c = 0; c < f->nr_cpus; c++)
		fake_map(f, p + fake_percpu_offset(f, c), n);
	return p;
}
