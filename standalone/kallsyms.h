/*
 * kallsyms.h - the kernel's own symbol table, decoded from the dump.
 *
 * VMCOREINFO carries the addresses of the kallsyms tables (SYMBOL(kallsyms_*),
 * since 6.0); decoding them as kernel/kallsyms.c does gives the run-time
 * address of every symbol, KASLR included, with no vmlinux.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_KALLSYMS_H
#define MEMSCOPE_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

/* Where the tables are (VMCOREINFO SYMBOL(kallsyms_...)). */
struct ms_kallsyms_tables {
	uint64_t names, num_syms, token_table, token_index, offsets, relative_base;
};

/* Reads kernel virtual memory: 0, or -1 if any byte is unreadable. */
typedef int (*ms_kallsyms_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct ms_kallsyms;

/* Decode every symbol: NULL with a message in err if the tables do not decode. */
struct ms_kallsyms *ms_kallsyms_load(const struct ms_kallsyms_tables *tab,
				     ms_kallsyms_read_fn read, void *ctx, char *err, size_t errlen);
/* kallsyms_elf.c: the same table from a vmlinux's ELF symbol table (kernels before 6.0 have
 * no kallsyms in VMCOREINFO), link-time addresses: NULL with a message. */
struct ms_kallsyms *ms_kallsyms_from_elf(const char *vmlinux, char *err, size_t errlen);
void ms_kallsyms_free(struct ms_kallsyms *ks);

/* Address of a symbol: 0, or -1 if unknown.  Of several symbols of one name a
 * global one (upper-case type) wins, then the first in the table. */
int ms_kallsyms_lookup(const struct ms_kallsyms *ks, const char *name, uint64_t *addr);
/* The symbol's type letter as /proc/kallsyms shows it, or 0 if unknown. */
char ms_kallsyms_type(const struct ms_kallsyms *ks, const char *name);
size_t ms_kallsyms_count(const struct ms_kallsyms *ks);

/* Build a table by hand: new, add each symbol, finish (before any look-up). */
struct ms_kallsyms *ms_kallsyms_new(void);
int ms_kallsyms_add(struct ms_kallsyms *ks, const char *name, char type, uint64_t addr);
int ms_kallsyms_finish(struct ms_kallsyms *ks);

#endif
