/*
 * fake_target.h - a synthetic kernel for unit tests: a sparse memory image,
 * symbols, struct layouts and enumerators declared by the test itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FAKE_TARGET_H
#define MEMSCOPE_FAKE_TARGET_H

#include "target.h"

struct fake;

/* A fresh fake kernel and a target on it (warnings go to a memory stream). */
struct fake *fake_new(void);
struct ms_target *fake_target(struct fake *f);
void fake_free(struct fake *f);

/* Map len zeroed bytes at addr; returns the backing buffer to fill in. */
void *fake_map(struct fake *f, uint64_t addr, size_t len);
void fake_put(struct fake *f, uint64_t addr, const void *src, size_t len);
void fake_put_u64(struct fake *f, uint64_t addr, uint64_t v);
void fake_put_u32(struct fake *f, uint64_t addr, uint32_t v);
/* Reads touching [addr, addr + len) fail as a page the dump does not hold
 * (MS_ERR_MISSING at its first byte), mapped or not. */
void fake_missing(struct fake *f, uint64_t addr, size_t len);
/* How many questions (symbol, type, enum) the target asked the fake so far. */
unsigned long fake_calls(struct fake *f);

void fake_symbol(struct fake *f, const char *name, uint64_t addr);
void fake_struct(struct fake *f, const char *name, long size);
void fake_member(struct fake *f, const char *sname, const char *member, long off, long size);
void fake_enum(struct fake *f, const char *name, long value);
/* Declare the enum type an enumerator belongs to (ms_enum_type()). */
void fake_enum_type(struct fake *f, const char *enumerator, const char *type);
void fake_vmcoreinfo(struct fake *f, const char *key, const char *value);

/* Lay out a minimal SMP, NUMA kernel: nr_cpus CPUs (all online), per-cpu areas,
 * nr_nodes nodes with nr_zones zones each, zone_names[].  Struct layouts the
 * test adds later (zone, pglist_data members) must fit in the sizes given here. */
#define FAKE_ZONE_SIZE 0x800
#define FAKE_PGDAT_SIZE 0x4000
#define FAKE_NODE_ZONES_OFF 0x100
uint64_t fake_pgdat(struct fake *f, unsigned int node);
uint64_t fake_zone(struct fake *f, unsigned int node, unsigned int zone);
uint64_t fake_percpu_offset(struct fake *f, unsigned int cpu);
void fake_basic_kernel(struct fake *f, unsigned int nr_cpus, unsigned int nr_nodes,
		       unsigned int nr_zones);
/* Allocate n bytes of fake kernel memory (mapped, zeroed) and return its address. */
uint64_t fake_alloc(struct fake *f, size_t n);

/* A per-cpu pointer P with n bytes mapped at P + __per_cpu_offset[c] for every CPU c
 * (after fake_basic_kernel). */
uint64_t fake_alloc_percpu(struct fake *f, size_t n);

/* Everything the target warned so far (NUL-terminated). */
const char *fake_warnings(struct fake *f);

#endif
