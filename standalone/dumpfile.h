/*
 * dumpfile.h - a dump file opened with libkdumpfile, as a memscope target.
 *
 * Memory comes from the file; types and symbols come from elsewhere (crash's
 * debug info for memdiff, BTF/kallsyms for the CLI): the caller passes the
 * ops that answer them, and symbol addresses are relocated by this dump's
 * KASLR offset relative to the dump those ops describe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_DUMPFILE_H
#define MEMSCOPE_DUMPFILE_H

#include "target.h"

struct ms_dumpfile;

/* Open path (ELF, kdump compressed, makedumpfile's flattened stream, filtered).
 * arch names the architecture when the file's header does not (QEMU's kdump).
 * NULL with a message in err on failure. */
struct ms_dumpfile *ms_dumpfile_open(const char *path, const char *arch, char *err, size_t errlen);
void ms_dumpfile_close(struct ms_dumpfile *d);

/* Read len bytes of kernel virtual memory: 0, or -1 if any byte is unreadable.
 * A page the file does not hold (filtered out by makedumpfile -d) is
 * unreadable unless ms_dumpfile_zero_excluded() was called. */
int ms_dumpfile_read(struct ms_dumpfile *d, uint64_t addr, void *buf, size_t len);

/* From now on, pages the file does not hold read as zeroes (crash's
 * --zero_excluded): reads of them still count as missing below. */
void ms_dumpfile_zero_excluded(struct ms_dumpfile *d);

/* How many reads hit a page the file does not hold and the first such
 * address, as one sentence for the user in buf: 1, or 0 if no read missed. */
int ms_dumpfile_missing_note(const struct ms_dumpfile *d, char *buf, size_t len);

/* A VMCOREINFO value (malloc'd), or NULL. */
char *ms_dumpfile_vmcoreinfo(struct ms_dumpfile *d, const char *key);
/* SYMBOL(name) from VMCOREINFO: 0 or -1. */
int ms_dumpfile_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name, uint64_t *addr);

/* A target reading d's memory, answering types with types/types_ctx and
 * symbols with types->symbol plus sym_delta (this dump's address minus the
 * address the symbol source reports). */
void ms_dumpfile_target(struct ms_dumpfile *d, struct ms_target *t,
			const struct ms_target_ops *types, void *types_ctx, int64_t sym_delta,
			unsigned int page_shift, FILE *errf);

#endif
