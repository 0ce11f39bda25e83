/*
 * standalone.h - one dump opened by memscope itself, without crash: memory
 * through libkdumpfile, symbols from the kernel's kallsyms in the dump (or a
 * vmlinux's symbol table), types from BTF (the dump's own, a vmlinux's
 * .BTF, a raw BTF file) or a vmlinux's DWARF -- or, for crash's memdiff,
 * types and symbols from the caller (crash's debug info), relocated by the
 * difference of the two dumps' KASLR offsets.  The result is a struct
 * ms_target: lib/ cannot tell it from crash's.
 *
 * Built once, for the CLI and for memdiff's second dump.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_STANDALONE_H
#define MEMSCOPE_STANDALONE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "target.h"

struct ms_standalone_opts {
	const char *vmlinux;		/* -k: its .BTF, else its DWARF */
	const char *btf;		/* --btf: a raw BTF file */
	const char *arch;		/* when the dump's header names none; NULL: x86_64 */
	bool dwarf;			/* the vmlinux's DWARF even if it has BTF */
	bool symtab;			/* the vmlinux's symbols, not the dump's kallsyms */
	bool zero_excluded;		/* pages the dump does not hold read as zeroes */

	/* Types and symbols from the caller instead (crash's memdiff): symbols are
	 * moved by this dump's init_uts_ns minus the one types->symbol reports. */
	const struct ms_target_ops *types;
	void *types_ctx;
	const char *expect_release;	/* refuse a dump of another kernel release */

	FILE *errf;			/* warnings, and the target's (NULL: stderr) */
	/* Progress of the long steps, or NULL; done(ctx) clears the line. */
	void (*progress)(void *ctx, const char *what);
	void (*progress_done)(void *ctx);
	void *progress_ctx;
};

struct ms_standalone;

/*
 * Open path and resolve its symbols and types (o may be NULL: the dump
 * alone; it is read during the call only).  The target reads memory in the
 * dump's word size and byte order; its reads fail as MS_ERR_MISSING for pages
 * the dump does not hold, MS_ERR_FAULT otherwise, with libkdumpfile's text.
 * Errors: the message says which file and what (MS_ERR_IO, MS_ERR_LOOKUP for
 * symbols or types that are not there, MS_ERR_CORRUPT, MS_ERR_MISSING,
 * MS_ERR_UNSUPPORTED for a dump of another release, MS_ERR_USAGE for
 * --symtab without -k, MS_ERR_NOMEM); *out is then NULL, and if reads missed
 * pages on the way the note went to errf as a warning.
 */
struct ms_error *ms_standalone_open(const char *path, const struct ms_standalone_opts *o,
				    struct ms_standalone **out);
struct ms_target *ms_standalone_target(struct ms_standalone *s);
/* How many reads hit memory the dump does not hold, as one sentence: 1, or 0
 * if none.  For the caller to print, after its output and before closing. */
int ms_standalone_missing_note(const struct ms_standalone *s, char *buf, size_t len);
void ms_standalone_close(struct ms_standalone *s);

#endif
