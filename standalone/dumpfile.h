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

#include "error.h"
#include "target.h"

struct ms_dumpfile;

/* Open path (ELF, kdump compressed, makedumpfile's flattened stream, filtered).
 * arch names the architecture when the file's header does not (QEMU's kdump).
 * Errors: MS_ERR_IO (with libkdumpfile's or the system's text), MS_ERR_NOMEM. */
struct ms_error *ms_dumpfile_open(const char *path, const char *arch, struct ms_dumpfile **out);
void ms_dumpfile_close(struct ms_dumpfile *d);

/* Read len bytes of kernel virtual memory: NULL, MS_ERR_MISSING at the first
 * byte of a page the file does not hold (filtered out by makedumpfile -d, or
 * outside the dumped memory), or MS_ERR_FAULT (an address that does not
 * translate, a file error); libkdumpfile's text is the cause.  Missing pages
 * read as zeroes instead after ms_dumpfile_zero_excluded(). */
struct ms_error *ms_dumpfile_read(struct ms_dumpfile *d, uint64_t addr, void *buf, size_t len);

/* From now on, pages the file does not hold read as zeroes (crash's
 * --zero_excluded): reads of them still count as missing below. */
void ms_dumpfile_zero_excluded(struct ms_dumpfile *d);

/* How many reads hit a page the file does not hold and the first such
 * address, as one sentence for the user in buf: 1, or 0 if no read missed. */
int ms_dumpfile_missing_note(const struct ms_dumpfile *d, char *buf, size_t len);

/* A VMCOREINFO value (malloc'd, the caller frees it): MS_ERR_LOOKUP if the
 * dump has none of that key. */
struct ms_error *ms_dumpfile_vmcoreinfo(struct ms_dumpfile *d, const char *key, char **val);
/* SYMBOL(name) from VMCOREINFO: MS_ERR_LOOKUP if absent. */
struct ms_error *ms_dumpfile_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name,
					       uint64_t *addr);
/* True if VMCOREINFO has SYMBOL(name); its value in *addr. */
bool ms_dumpfile_has_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name, uint64_t *addr);

/* The dump's page size (arch.page_size; 4096 if it names none). */
uint64_t ms_dumpfile_page_size(const struct ms_dumpfile *d);

/* A target reading d's memory, answering types with types/types_ctx and
 * symbols with types->symbol plus sym_delta (this dump's address minus the
 * address the symbol source reports); word size and byte order from the dump. */
void ms_dumpfile_target(struct ms_dumpfile *d, struct ms_target *t,
			const struct ms_target_ops *types, void *types_ctx, int64_t sym_delta,
			unsigned int page_shift, FILE *errf);

#endif
