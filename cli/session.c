/*
 * session.c - one dump, opened for the standalone CLI: memory through
 * libkdumpfile, symbols from the kernel's own kallsyms in the dump, types
 * from BTF (the dump's own, a vmlinux's .BTF, or a raw BTF file) or from a
 * vmlinux's DWARF.  The result is an ms_target like crash's: lib/ cannot
 * tell the difference.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "btf_types.h"
#include "dumpfile.h"
#include "dwarf_types.h"
#include "kallsyms.h"

#define MAX_BTF_SIZE (64u << 20)	/* the 6.12 kernel's is ~6 MiB */

struct cli_dump {
	const char *path;
	struct ms_dumpfile *file;
	struct ms_kallsyms *ks;
	struct ms_btf *btf;
	struct ms_dwarf *dwarf;
	int64_t ks_delta;		/* VMCOREINFO's address minus kallsyms' */
	struct ms_target target;
};

static bool progress_on, progress_shown;

void cli_progress(const char *fmt, ...)
{
	va_list ap;

	if (!progress_on)
		return;
	fputs("\r\033[Kmemscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = true;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

static void __attribute__((constructor)) progress_init(void)
{
	progress_on = isatty(STDERR_FILENO) && !getenv("MEMSCOPE_NO_PROGRESS");
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	cli_progress_done();
	fputs("memscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the type and symbol ops the dump's target forwards to ---- */

static int sym(void *ctx, const char *name, uint64_t *addr)
{
	struct cli_dump *d = ctx;

	if (d->ks && ms_kallsyms_lookup(d->ks, name, addr) == 0) {
		/* Absolute per-cpu symbols are offsets, not addresses: not moved. */
		if (*addr >= 0x100000000ull)
			*addr += (uint64_t)d->ks_delta;
		return 0;
	}
	/* VMCOREINFO names a few symbols itself. */
	return ms_dumpfile_vmcoreinfo_symbol(d->file, name, addr);
}

static long struct_size(void *ctx, const char *name)
{
	struct cli_dump *d = ctx;

	if (d->btf)
		return ms_btf_struct_size(d->btf, name);
	return d->dwarf ? ms_dwarf_struct_size(d->dwarf, name) : -1;
}

static long member_offset(void *ctx, const char *s, const char *m)
{
	struct cli_dump *d = ctx;

	if (d->btf)
		return ms_btf_member_offset(d->btf, s, m);
	return d->dwarf ? ms_dwarf_member_offset(d->dwarf, s, m) : -1;
}

static long member_size(void *ctx, const char *s, const char *m)
{
	struct cli_dump *d = ctx;

	if (d->btf)
		return ms_btf_member_size(d->btf, s, m);
	return d->dwarf ? ms_dwarf_member_size(d->dwarf, s, m) : -1;
}

static int enum_value(void *ctx, const char *name, long *v)
{
	struct cli_dump *d = ctx;

	if (d->btf)
		return ms_btf_enum_value(d->btf, name, v);
	return d->dwarf ? ms_dwarf_enum_value(d->dwarf, name, v) : -1;
}

static const struct ms_target_ops types_ops = {
	.symbol = sym,
	.struct_size = struct_size,
	.member_offset = member_offset,
	.member_size = member_size,
	.enum_value = enum_value,
};

/* ---- opening ---- */

static int dump_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ms_dumpfile_read(ctx, addr, buf, len);
}

static int load_kallsyms(struct cli_dump *d, const char *path)
{
	static const char *const names[] = {
		"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
		"kallsyms_token_index", "kallsyms_offsets", "kallsyms_relative_base",
	};
	struct ms_kallsyms_tables tab;
	uint64_t *slot[] = { &tab.names, &tab.num_syms, &tab.token_table, &tab.token_index,
			     &tab.offsets, &tab.relative_base };
	uint64_t ours, theirs;
	char err[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (ms_dumpfile_vmcoreinfo_symbol(d->file, names[i], slot[i])) {
			cli_error("%s: VMCOREINFO has no SYMBOL(%s) (a kernel before 6.0?): "
				  "symbols from VMCOREINFO only", path, names[i]);
			return -1;
		}
	}
	cli_progress("%s: decoding kallsyms", path);
	d->ks = ms_kallsyms_load(&tab, dump_read, d->file, err, sizeof(err));
	if (!d->ks) {
		cli_error("%s: %s", path, err);
		return -1;
	}
	/* kallsyms_relative_base is relocated at boot: the addresses are the running
	 * kernel's.  Check against VMCOREINFO, and follow it if they disagree. */
	if (ms_kallsyms_lookup(d->ks, "init_uts_ns", &ours) == 0 &&
	    ms_dumpfile_vmcoreinfo_symbol(d->file, "init_uts_ns", &theirs) == 0 && ours != theirs) {
		d->ks_delta = (int64_t)(theirs - ours);
		cli_error("%s: kallsyms places init_uts_ns %+lld bytes from VMCOREINFO: moved",
			  path, (long long)d->ks_delta);
	}
	return 0;
}

/* The vmlinux's symbol table, moved by this boot's KASLR offset: VMCOREINFO's
 * init_uts_ns against the table's, else KERNELOFFSET. */
static int load_symtab(struct cli_dump *d, const char *path, const char *vmlinux)
{
	uint64_t ours, theirs;
	char err[256], *off;

	cli_progress("%s: reading its symbol table", vmlinux);
	d->ks = ms_kallsyms_from_elf(vmlinux, err, sizeof(err));
	if (!d->ks) {
		cli_error("%s", err);
		return -1;
	}
	if (ms_kallsyms_lookup(d->ks, "init_uts_ns", &ours) == 0 &&
	    ms_dumpfile_vmcoreinfo_symbol(d->file, "init_uts_ns", &theirs) == 0) {
		d->ks_delta = (int64_t)(theirs - ours);
		return 0;
	}
	off = ms_dumpfile_vmcoreinfo(d->file, "KERNELOFFSET");
	if (off) {
		d->ks_delta = (int64_t)strtoull(off, NULL, 16);
		free(off);
		return 0;
	}
	cli_error("%s: no VMCOREINFO init_uts_ns or KERNELOFFSET: %s's addresses taken as they "
		  "are (wrong under KASLR)", path, vmlinux);
	return 0;
}

/* The kernel's own BTF: the bytes between __start_BTF and __stop_BTF. */
static int load_dump_btf(struct cli_dump *d, const char *path)
{
	uint64_t start, stop;
	char err[256];
	void *buf;

	if (!d->ks || sym(d, "__start_BTF", &start) || sym(d, "__stop_BTF", &stop)) {
		cli_error("%s: no __start_BTF/__stop_BTF symbols (kernel without "
			  "CONFIG_DEBUG_INFO_BTF?): give its vmlinux with -k", path);
		return -1;
	}
	if (stop <= start || stop - start > MAX_BTF_SIZE) {
		cli_error("%s: __start_BTF..__stop_BTF spans %lld bytes", path,
			  (long long)(stop - start));
		return -1;
	}
	cli_progress("%s: reading %llu KiB of BTF", path, (unsigned long long)(stop - start) >> 10);
	buf = malloc(stop - start);
	if (!buf || ms_dumpfile_read(d->file, start, buf, stop - start)) {
		free(buf);
		cli_error("%s: the kernel's BTF is unreadable in the dump", path);
		return -1;
	}
	d->btf = ms_btf_from_data(buf, stop - start, err, sizeof(err));
	free(buf);
	if (!d->btf) {
		cli_error("%s: %s", path, err);
		return -1;
	}
	return 0;
}

/* -k VMLINUX: its .BTF, else (or with --dwarf) its DWARF. */
static int load_vmlinux_types(struct cli_dump *d, const char *vmlinux, bool dwarf)
{
	char err[256] = "not asked for", err2[256];

	cli_progress("%s: reading types", vmlinux);
	d->btf = dwarf ? NULL : ms_btf_from_elf(vmlinux, err, sizeof(err));
	if (d->btf)
		return 0;
	d->dwarf = ms_dwarf_open(vmlinux, err2, sizeof(err2));
	if (d->dwarf)
		return 0;
	cli_error("%s: neither BTF (%s) nor DWARF (%s)", vmlinux, err, err2);
	return -1;
}

static unsigned int page_shift_of(struct ms_dumpfile *f)
{
	char *v = ms_dumpfile_vmcoreinfo(f, "PAGESIZE");
	unsigned long size = v ? strtoul(v, NULL, 10) : 4096;
	unsigned int shift = 12;

	free(v);
	while (shift < 24 && (1ul << shift) < size)
		shift++;
	return shift;
}

struct cli_dump *cli_dump_open(const char *path, const struct cli_source *src)
{
	struct cli_dump *d = calloc(1, sizeof(*d));
	char err[512];
	int types_ok;

	if (!d)
		return NULL;
	cli_progress("%s: opening", path);
	d->file = ms_dumpfile_open(path, src->arch ? src->arch : "x86_64", err, sizeof(err));
	if (!d->file) {
		cli_error("%s", err);
		goto fail;
	}
	d->path = path;
	if (src->zero_excluded)
		ms_dumpfile_zero_excluded(d->file);
	if (src->symtab && !src->vmlinux) {
		cli_error("--symtab needs -k VMLINUX");
		goto fail;
	}
	if (src->symtab ? load_symtab(d, path, src->vmlinux) :
	    load_kallsyms(d, path) && (!src->vmlinux || load_symtab(d, path, src->vmlinux)))
		goto fail;
	if (src->btf) {
		d->btf = ms_btf_from_file(src->btf, err, sizeof(err));
		types_ok = d->btf ? 0 : -1;
		if (!d->btf)
			cli_error("%s", err);
	} else if (src->vmlinux) {
		types_ok = load_vmlinux_types(d, src->vmlinux, src->dwarf);
	} else {
		types_ok = load_dump_btf(d, path);
	}
	if (types_ok)
		goto fail;
	ms_dumpfile_target(d->file, &d->target, &types_ops, d, 0, page_shift_of(d->file), stderr);
	cli_progress_done();
	return d;
fail:
	cli_dump_close(d);
	return NULL;
}

void cli_dump_close(struct cli_dump *d)
{
	char note[256];

	if (!d)
		return;
	cli_progress_done();
	if (d->file && ms_dumpfile_missing_note(d->file, note, sizeof(note)))
		cli_error("%s: %s", d->path, note);
	if (d->target.ops)
		ms_target_fini(&d->target);
	ms_kallsyms_free(d->ks);
	ms_btf_free(d->btf);
	ms_dwarf_close(d->dwarf);
	ms_dumpfile_close(d->file);
	free(d);
}

struct ms_target *cli_dump_target(struct cli_dump *d)
{
	return &d->target;
}
