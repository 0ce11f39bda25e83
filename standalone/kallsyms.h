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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Where the tables are (VMCOREINFO SYMBOL(kallsyms_...)). */
struct ms_kallsyms_tables {
	uint64_t names, num_syms, token_table, token_index, offsets, relative_base;
};

/* Reads kernel virtual memory: NULL, or why not. */
typedef struct ms_error *(*ms_kallsyms_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct ms_kallsyms;

/* Decode every symbol: MS_ERR_CORRUPT if the tables do not decode, a read's
 * error (wrapped with the table's name), MS_ERR_NOMEM. */
struct ms_error *ms_kallsyms_load(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read,
				  void *ctx, struct ms_kallsyms **out);
/* kallsyms_elf.c: the same table from a vmlinux's ELF symbol table (kernels
 * before 6.0 have no kallsyms in VMCOREINFO), link-time addresses: MS_ERR_IO
 * (libelf's or the system's text as the cause), MS_ERR_LOOKUP without a
 * symbol table, MS_ERR_NOMEM. */
struct ms_error *ms_kallsyms_from_elf(const char *vmlinux, struct ms_kallsyms **out);
void ms_kallsyms_free(struct ms_kallsyms *ks);

/* Address of a symbol, if there is one.  Of several symbols of one name a
 * global one (upper-case type) wins, then the first in the table. */
bool ms_kallsyms_lookup(const struct ms_kallsyms *ks, const char *name, uint64_t *addr);
/* The symbol's type letter as /proc/kallsyms shows it, or 0 if unknown. */
char ms_kallsyms_type(const struct ms_kallsyms *ks, const char *name);
/* True for a symbol whose value is absolute, not an address that moves with
 * the kernel: type 'A'/'a' -- which scripts/kallsyms.c gives every per-cpu
 * symbol under CONFIG_KALLSYMS_ABSOLUTE_PERCPU (its value is then an offset
 * into the per-cpu area), and kallsyms_elf.c every SHN_ABS symbol and every
 * symbol of a .data..percpu section linked at 0. */
bool ms_kallsyms_is_absolute(const struct ms_kallsyms *ks, const char *name);
size_t ms_kallsyms_count(const struct ms_kallsyms *ks);
/* The symbol at or below addr, as kallsyms_lookup() picks it (the first of
 * the symbols at the highest address <= addr; absolute ones never): its name
 * into buf, addr minus its address into *offset.  False below the first. */
bool ms_kallsyms_at(const struct ms_kallsyms *ks, uint64_t addr, char *buf, size_t len,
		    uint64_t *offset);

/* Build a table by hand: new (NULL: out of memory), add each symbol, finish
 * (before any look-up); MS_ERR_NOMEM. */
struct ms_kallsyms *ms_kallsyms_new(void);
struct ms_error *ms_kallsyms_add(struct ms_kallsyms *ks, const char *name, char type,
				 uint64_t addr);
struct ms_error *ms_kallsyms_finish(struct ms_kallsyms *ks);

#endif
