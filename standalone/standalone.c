/*
 * standalone.c - one dump opened by memscope itself (see standalone.h):
 * memory through libkdumpfile, symbols from the dump's kallsyms or a
 * vmlinux's symbol table, types from BTF or DWARF -- or both from the
 * caller (crash's memdiff), moved by the two dumps' KASLR difference.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "btf_types.h"
#include "dumpfile.h"
#include "dwarf_types.h"
#include "kallsyms.h"
#include "standalone.h"
#include "typecheck.h"

#define MAX_BTF_SIZE (64u << 20)	/* the 6.12 kernel's is ~6 MiB */

struct ms_standalone {
	char *path;
	const struct ms_standalone_opts *o;	/* during open only */
	struct ms_dumpfile *file;
	struct ms_kallsyms *ks;
	struct ms_btf *btf;
	struct ms_dwarf *dwarf;
	int64_t ks_delta;		/* this boot's address minus the symbol table's */
	struct ms_target target;
};

/* ---- warnings and progress, through the caller's hooks ---- */

static FILE *errf_of(const struct ms_standalone_opts *o)
{
	return o->errf ? o->errf : stderr;
}

static void progress(const struct ms_standalone *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void progress(const struct ms_standalone *s, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (!s->o->progress)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	s->o->progress(s->o->progress_ctx, what);
}

static void progress_done(const struct ms_standalone *s)
{
	if (s->o->progress_done)
		s->o->progress_done(s->o->progress_ctx);
}

/* "memscope: ..." on errf, the progress line cleared first. */
static void warn(const struct ms_standalone *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(const struct ms_standalone *s, const char *fmt, ...)
{
	FILE *f = errf_of(s->o);
	va_list ap;

	progress_done(s);
	fputs("memscope: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

/* ---- the type and symbol ops of our own sources ---- */

static int sym(void *ctx, const char *name, uint64_t *addr)
{
	struct ms_standalone *s = ctx;

	if (s->ks && ms_kallsyms_lookup(s->ks, name, addr)) {
		/* Absolute per-cpu symbols are offsets, not addresses: not moved. */
		if (!ms_kallsyms_is_absolute(s->ks, name))
			*addr += (uint64_t)s->ks_delta;
		return 0;
	}
	/* VMCOREINFO names a few symbols itself. */
	return ms_dumpfile_has_vmcoreinfo_symbol(s->file, name, addr) ? 0 : -1;
}

static long struct_size(void *ctx, const char *name)
{
	struct ms_standalone *s = ctx;

	if (s->btf)
		return ms_btf_struct_size(s->btf, name);
	return s->dwarf ? ms_dwarf_struct_size(s->dwarf, name) : -1;
}

static long member_offset(void *ctx, const char *sname, const char *m)
{
	struct ms_standalone *s = ctx;

	if (s->btf)
		return ms_btf_member_offset(s->btf, sname, m);
	return s->dwarf ? ms_dwarf_member_offset(s->dwarf, sname, m) : -1;
}

static long member_size(void *ctx, const char *sname, const char *m)
{
	struct ms_standalone *s = ctx;

	if (s->btf)
		return ms_btf_member_size(s->btf, sname, m);
	return s->dwarf ? ms_dwarf_member_size(s->dwarf, sname, m) : -1;
}

static int enum_value(void *ctx, const char *name, long *v)
{
	struct ms_standalone *s = ctx;
	bool found = s->btf ? ms_btf_enum_value(s->btf, name, v) :
		     s->dwarf && ms_dwarf_enum_value(s->dwarf, name, v);

	return found ? 0 : -1;
}

static int enum_type(void *ctx, const char *name, char *buf, size_t len)
{
	struct ms_standalone *s = ctx;
	bool found = s->btf ? ms_btf_enum_type(s->btf, name, buf, len) :
		     s->dwarf && ms_dwarf_enum_type(s->dwarf, name, buf, len);

	return found ? 0 : -1;
}

static const struct ms_target_ops own_ops = {
	.symbol = sym,
	.struct_size = struct_size,
	.member_offset = member_offset,
	.member_size = member_size,
	.enum_value = enum_value,
	.enum_type = enum_type,
};

/* ---- symbols ---- */

static struct ms_error *dump_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ms_dumpfile_read(ctx, addr, buf, len);
}

/* The kallsyms tables VMCOREINFO points at (6.0 and later), decoded. */
static struct ms_error *load_kallsyms(struct ms_standalone *s)
{
	static const char *const names[] = {
		"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
		"kallsyms_token_index", "kallsyms_offsets", "kallsyms_relative_base",
	};
	struct ms_kallsyms_tables tab;
	uint64_t *slot[] = { &tab.names, &tab.num_syms, &tab.token_table, &tab.token_index,
			     &tab.offsets, &tab.relative_base };
	uint64_t ours, theirs;
	struct ms_error *err;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		err = ms_dumpfile_vmcoreinfo_symbol(s->file, names[i], slot[i]);
		if (ms_error_is(err, MS_ERR_LOOKUP)) {
			ms_error_destroy(err);
			return ms_error_create(MS_ERR_LOOKUP,
					       "%s: VMCOREINFO has no SYMBOL(%s) (a kernel before 6.0?): "
					       "symbols from VMCOREINFO only", s->path, names[i]);
		}
		if (err)
			return ms_error_wrap(err, "%s", s->path);
	}
	progress(s, "%s: decoding kallsyms", s->path);
	err = ms_kallsyms_load(&tab, dump_read, s->file, &s->ks);
	if (err)
		return ms_error_wrap(err, "%s", s->path);
	/* kallsyms_relative_base is relocated at boot: the addresses are the running
	 * kernel's.  Check against VMCOREINFO, and follow it if they disagree. */
	if (ms_kallsyms_lookup(s->ks, "init_uts_ns", &ours) &&
	    ms_dumpfile_has_vmcoreinfo_symbol(s->file, "init_uts_ns", &theirs) && ours != theirs) {
		s->ks_delta = (int64_t)(theirs - ours);
		warn(s, "%s: kallsyms places init_uts_ns %+lld bytes from VMCOREINFO: moved",
		     s->path, (long long)s->ks_delta);
	}
	return NULL;
}

/* The vmlinux's symbol table, moved by this boot's KASLR offset: VMCOREINFO's
 * init_uts_ns against the table's, else KERNELOFFSET. */
static struct ms_error *load_symtab(struct ms_standalone *s, const char *vmlinux)
{
	uint64_t ours, theirs;
	struct ms_error *err;
	char *off;

	progress(s, "%s: reading its symbol table", vmlinux);
	err = ms_kallsyms_from_elf(vmlinux, &s->ks);
	if (err)
		return err;
	if (ms_kallsyms_lookup(s->ks, "init_uts_ns", &ours) &&
	    ms_dumpfile_has_vmcoreinfo_symbol(s->file, "init_uts_ns", &theirs)) {
		s->ks_delta = (int64_t)(theirs - ours);
		return NULL;
	}
	err = ms_dumpfile_vmcoreinfo(s->file, "KERNELOFFSET", &off);
	if (!err) {
		s->ks_delta = (int64_t)strtoull(off, NULL, 16);
		free(off);
		return NULL;
	}
	if (!ms_error_is(err, MS_ERR_LOOKUP))
		return ms_error_wrap(err, "%s", s->path);
	ms_error_destroy(err);
	warn(s, "%s: no VMCOREINFO init_uts_ns or KERNELOFFSET: %s's addresses taken as they "
	     "are (wrong under KASLR)", s->path, vmlinux);
	return NULL;
}

/* kallsyms, else (with -k) the vmlinux's table; --symtab: the table only. */
static struct ms_error *load_symbols(struct ms_standalone *s)
{
	const struct ms_standalone_opts *o = s->o;
	struct ms_error *err;

	if (o->symtab)
		return load_symtab(s, o->vmlinux);
	err = load_kallsyms(s);
	if (!err || !o->vmlinux || err == &ms_error_nomem)
		return err;
	warn(s, "%s", ms_error_string(err));
	ms_error_destroy(err);
	return load_symtab(s, o->vmlinux);
}

/* ---- types ---- */

/* The kernel's own BTF: the bytes between __start_BTF and __stop_BTF. */
static struct ms_error *load_dump_btf(struct ms_standalone *s)
{
	struct ms_error *err;
	uint64_t start, stop;
	void *buf;

	if (!s->ks || sym(s, "__start_BTF", &start) || sym(s, "__stop_BTF", &stop))
		return ms_error_create(MS_ERR_LOOKUP, "%s: no __start_BTF/__stop_BTF symbols (kernel "
				       "without CONFIG_DEBUG_INFO_BTF?): give its vmlinux with -k",
				       s->path);
	if (stop <= start || stop - start > MAX_BTF_SIZE)
		return ms_error_create(MS_ERR_CORRUPT, "%s: __start_BTF..__stop_BTF spans %lld bytes",
				       s->path, (long long)(stop - start));
	progress(s, "%s: reading %llu KiB of BTF", s->path, (unsigned long long)(stop - start) >> 10);
	buf = malloc(stop - start);
	if (!buf)
		return &ms_error_nomem;
	err = ms_dumpfile_read(s->file, start, buf, stop - start);
	if (!err)
		err = ms_btf_from_data(buf, stop - start, &s->btf);
	else
		err = ms_error_wrap(err, "the kernel's BTF is unreadable in the dump");
	free(buf);
	return ms_error_wrap(err, "%s", s->path);
}

/* -k VMLINUX: its .BTF, else (or with --dwarf) its DWARF. */
static struct ms_error *load_vmlinux_types(struct ms_standalone *s, const char *vmlinux, bool dwarf)
{
	struct ms_error *btf_err = NULL, *dwarf_err, *err;

	progress(s, "%s: reading types", vmlinux);
	if (!dwarf) {
		btf_err = ms_btf_from_elf(vmlinux, &s->btf);
		if (!btf_err || btf_err == &ms_error_nomem)
			return btf_err;
	}
	dwarf_err = ms_dwarf_open(vmlinux, &s->dwarf);
	if (!dwarf_err || dwarf_err == &ms_error_nomem) {
		ms_error_destroy(btf_err);
		return dwarf_err;
	}
	err = ms_error_create(MS_ERR_LOOKUP, "%s: neither BTF (%s) nor DWARF (%s)", vmlinux,
			      btf_err ? ms_error_string(btf_err) : "not asked for",
			      ms_error_string(dwarf_err));
	ms_error_destroy(btf_err);
	ms_error_destroy(dwarf_err);
	return err;
}

static struct ms_error *load_types(struct ms_standalone *s)
{
	const struct ms_standalone_opts *o = s->o;

	if (o->btf)
		return ms_btf_from_file(o->btf, &s->btf);
	if (o->vmlinux)
		return load_vmlinux_types(s, o->vmlinux, o->dwarf);
	return load_dump_btf(s);
}

/* ---- types from the caller (crash's memdiff) ---- */

/* Refuse a dump of another kernel build: the caller's types would not fit it. */
static struct ms_error *same_release(struct ms_standalone *s, const char *expect)
{
	char *rel;
	struct ms_error *err = ms_dumpfile_vmcoreinfo(s->file, "OSRELEASE", &rel);

	if (err && !ms_error_is(err, MS_ERR_LOOKUP))
		return err;
	ms_error_destroy(err);
	err = NULL;
	if (!rel || strcmp(rel, expect))
		err = ms_error_create(MS_ERR_UNSUPPORTED, "the dump is of kernel %s, crash runs %s: "
				      "memdiff compares dumps of one kernel build",
				      rel ? rel : "(no OSRELEASE)", expect);
	free(rel);
	return err;
}

/* This dump's init_uts_ns (VMCOREINFO) minus the caller's: the KASLR delta. */
static struct ms_error *caller_delta(struct ms_standalone *s, int64_t *delta)
{
	const struct ms_standalone_opts *o = s->o;
	uint64_t theirs, ours;

	if (!ms_dumpfile_has_vmcoreinfo_symbol(s->file, "init_uts_ns", &theirs))
		return ms_error_create(MS_ERR_LOOKUP, "the dump has no VMCOREINFO SYMBOL(init_uts_ns): "
				       "cannot relocate symbols (was it taken without -device "
				       "vmcoreinfo / qemu_fw_cfg?)");
	if (o->types->symbol(o->types_ctx, "init_uts_ns", &ours))
		return ms_error_create(MS_ERR_LOOKUP, "crash knows no init_uts_ns");
	*delta = (int64_t)(theirs - ours);
	return NULL;
}

/* ---- opening ---- */

/* VMCOREINFO's PAGESIZE, else the dump's own idea of it. */
static unsigned int page_shift_of(struct ms_dumpfile *f)
{
	char *v;
	struct ms_error *err = ms_dumpfile_vmcoreinfo(f, "PAGESIZE", &v);
	unsigned long size = err ? ms_dumpfile_page_size(f) : strtoul(v, NULL, 10);
	unsigned int shift = 12;

	ms_error_destroy(err);
	free(v);
	while (shift < 24 && (1ul << shift) < size)
		shift++;
	return shift;
}

static struct ms_error *open_file(struct ms_standalone *s)
{
	const struct ms_standalone_opts *o = s->o;
	struct ms_error *err;

	progress(s, "%s: opening", s->path);
	err = ms_dumpfile_open(s->path, o->arch ? o->arch : "x86_64", &s->file);
	if (err)
		return err;
	if (o->zero_excluded)
		ms_dumpfile_zero_excluded(s->file);
	return NULL;
}

/* Our own symbols and types, or the caller's moved by delta. */
static struct ms_error *resolve(struct ms_standalone *s)
{
	const struct ms_standalone_opts *o = s->o;
	const struct ms_target_ops *ops = &own_ops;
	void *ctx = s;
	struct ms_error *err;
	int64_t delta = 0;

	if (o->types) {
		err = o->expect_release ? same_release(s, o->expect_release) : NULL;
		if (!err)
			err = caller_delta(s, &delta);
		ops = o->types;
		ctx = o->types_ctx;
	} else if (o->symtab && !o->vmlinux) {
		err = ms_error_create(MS_ERR_USAGE, "--symtab needs -k VMLINUX");
	} else {
		err = load_symbols(s);
		if (!err)
			err = load_types(s);
	}
	if (err)
		return err;
	ms_dumpfile_target(s->file, &s->target, ops, ctx, delta, page_shift_of(s->file),
			   errf_of(o));
	/* Types of another kernel would read garbage everywhere, silently. */
	return ms_error_wrap(ms_types_fit_dump(&s->target), "%s", s->path);
}

struct ms_error *ms_standalone_open(const char *path, const struct ms_standalone_opts *o,
				    struct ms_standalone **out)
{
	static const struct ms_standalone_opts none;
	struct ms_standalone *s = calloc(1, sizeof(*s));
	struct ms_error *err;

	*out = NULL;
	if (!s)
		return &ms_error_nomem;
	s->o = o ? o : &none;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return &ms_error_nomem;
	}
	err = open_file(s);
	if (!err)
		err = resolve(s);
	progress_done(s);
	if (err) {
		char note[256];

		/* Why it failed may be pages the dump does not hold. */
		if (ms_standalone_missing_note(s, note, sizeof(note)))
			warn(s, "%s: %s", s->path, note);
		ms_standalone_close(s);
		return err;
	}
	s->o = NULL;
	*out = s;
	return NULL;
}

struct ms_target *ms_standalone_target(struct ms_standalone *s)
{
	return &s->target;
}

int ms_standalone_missing_note(const struct ms_standalone *s, char *buf, size_t len)
{
	return s->file ? ms_dumpfile_missing_note(s->file, buf, len) : 0;
}

void ms_standalone_close(struct ms_standalone *s)
{
	if (!s)
		return;
	if (s->target.ops)
		ms_target_fini(&s->target);
	ms_kallsyms_free(s->ks);
	ms_btf_free(s->btf);
	ms_dwarf_close(s->dwarf);
	ms_dumpfile_close(s->file);
	free(s->path);
	free(s);
}
