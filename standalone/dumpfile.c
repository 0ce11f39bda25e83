/*
 * dumpfile.c - libkdumpfile behind the memscope target interface.
 *
 * libkdumpfile 0.5.1 (Debian 12) does not read makedumpfile's flattened
 * stream, which is what QEMU's kdump-* formats write.  In the CLI, the
 * stream's records are indexed and libkdumpfile's reads of a second
 * descriptor of the file are answered from them (flattened.h,
 * cli/flat_pread.c): no copy.  Elsewhere (memdiff's second dump inside
 * crash) the stream is reassembled into an unlinked temporary file first
 * (what makedumpfile -R does).  QEMU's kdump
 * header names no architecture, so arch.name must be set for translation.
 *
 * libkdumpfile 0.5.1 trusts the file it reads (issue #14: SIGSEGV, SIGFPE
 * and heap overflows on a bad block_size, descriptor or e_phentsize), and
 * kdump_free() of a context whose open failed touches freed memory
 * (valgrind on kdump_new, kdump_open_fd of an 8-byte "KDUMP   " file,
 * kdump_free: 5 invalid reads and writes; none without the free).  We
 * work around both rather than build 0.5.6 from Debian unstable's source:
 * dumpcheck.c validates every header and descriptor before the library sees
 * the file, and a context whose open failed is left alone (leaked: one per
 * refused file, and the checks refuse first).  Measured on the 6.1 tasks/after scenario dumps: of the
 * 26 crafted files of tests/vmcore/hostile_cases.py, 13 killed the
 * production build's meminfo (SIGSEGV, SIGFPE) and 5 gave exit 0 with wrong
 * or empty numbers before the checks; all 26 now end with a message, in both
 * builds.  The checks read every page descriptor: 0.9 ms warm, 12-22 ms
 * cold, for the 131,072 of a 36 MB kdump file, 0.1 ms for its filtered
 * file, 0.01 ms for the ELF dump; a 16 GiB QEMU kdump has 100 MB of them
 * (not measured).  A fixed library would be a source build (libkdumpfile
 * and libaddrxlat) in every cold CI run, and no library checks a descriptor
 * against the bitmap.  crash never runs the library in its own process
 * for memdiff (extension/second_dump.c forks).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dumpcheck.h"
#include "dumpfile.h"
#include "elfpages.h"
#include "flattened.h"
#include "pagecache.h"

#define CACHE_PAGES 256		/* 1 MiB of 4 KiB pages */

struct ms_dumpfile {
	kdump_ctx_t *ctx;
	int fd;			/* what libkdumpfile reads */
	int stream_fd;		/* a flattened stream served from flat: its own descriptor */
	struct ms_flat_index *flat;
	/* for the target */
	const struct ms_target_ops *types;
	void *types_ctx;
	int64_t sym_delta;
	struct ms_target_ops ops;
	/* reads of pages the file does not hold */
	unsigned long missing_reads;
	uint64_t first_missing;
	bool zero_excluded;
	uint64_t page_size;
	struct ms_pagecache *cache;	/* whole pages read before (pagecache.h) */
	struct ms_elfpages *elf;	/* an ELF dump's pages from the file (elfpages.h) */
	unsigned int word_size;
	bool big_endian;
};

/* libkdumpfile's status as our code: out of memory is its own. */
static enum ms_error_code code_of(kdump_status st, enum ms_error_code otherwise)
{
	if (st == KDUMP_ERR_SYSTEM && errno == ENOMEM)
		return MS_ERR_NOMEM;
	return otherwise;
}

/* The word size and byte order libkdumpfile found (8 and little-endian if not). */
static void read_arch(struct ms_dumpfile *d)
{
	kdump_num_t v;

	d->word_size = 8;
	if (kdump_get_number_attr(d->ctx, KDUMP_ATTR_PTR_SIZE, &v) == KDUMP_OK && (v == 4 || v == 8))
		d->word_size = (unsigned int)v;
	d->big_endian = kdump_get_number_attr(d->ctx, KDUMP_ATTR_BYTE_ORDER, &v) == KDUMP_OK &&
			v == KDUMP_BIG_ENDIAN;
}

/*
 * A flattened stream on d->fd indexed, and d->fd a second descriptor of it
 * that the index answers (the stream's own in d->stream_fd); true if so.
 */
static struct ms_error *serve_flattened(struct ms_dumpfile *d, bool *served)
{
	struct ms_error *err;
	bool overlap;
	int fd;

	*served = false;
	if (!ms_flat_pread_active || !ms_flat_pread_active())
		return NULL;
	err = ms_flat_index_build(d->fd, &d->flat, &overlap);
	if (err || overlap)
		return err;
	fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || !ms_flat_serve(fd, d->flat)) {
		if (fd >= 0)
			close(fd);
		ms_flat_index_free(d->flat);
		d->flat = NULL;
		return NULL;
	}
	d->stream_fd = d->fd;
	d->fd = fd;
	*served = true;
	return NULL;
}

/* Replace a flattened stream on d->fd by its index, else its reassembled file. */
static struct ms_error *unflatten(struct ms_dumpfile *d)
{
	struct ms_error *err;
	bool served;
	int fd;

	if (!ms_is_flattened(d->fd))
		return NULL;
	err = serve_flattened(d, &served);
	if (err || served)
		return err;
	err = ms_reassemble_flattened(d->fd, &fd);
	if (err)
		return err;
	close(d->fd);
	d->fd = fd;
	return NULL;
}

/* libkdumpfile on d->fd, told the architecture and the OS. */
static struct ms_error *open_kdump(struct ms_dumpfile *d, const char *path, const char *arch)
{
	const char *name = NULL;
	kdump_num_t page_size;
	kdump_status st;

	d->ctx = kdump_new();
	if (!d->ctx)
		return &ms_error_nomem;		/* kdump_new() fails only so */
	/*
	 * read(2), not mmap(2): every page libkdumpfile maps of an ELF dump
	 * stays in our RSS.  On a 16 GiB ELF dump (bench/bench-large.sh) diff
	 * peaked at 109 MB mapped against 23 MB read, for 0.12 s against
	 * 0.27 s: bounded memory matters more to batch runs on big dumps.
	 */
	kdump_set_number_attr(d->ctx, "file.mmap_policy", KDUMP_MMAP_NEVER);
	st = kdump_open_fd(d->ctx, d->fd);
	if (st != KDUMP_OK) {
		struct ms_error *err = ms_error_create(code_of(st, MS_ERR_IO), "%s: %s", path,
						       kdump_get_err(d->ctx));

		/* 0.5.1's kdump_free() after a failed open reads freed memory:
		 * the context is leaked instead. */
		d->ctx = NULL;
		return err;
	}
	if (kdump_get_string_attr(d->ctx, "arch.name", &name) != KDUMP_OK || !name || !*name) {
		if (!arch || kdump_set_string_attr(d->ctx, "arch.name", arch) != KDUMP_OK)
			return ms_error_create(MS_ERR_UNSUPPORTED, "%s: the dump names no architecture",
					       path);
	}
	st = kdump_set_string_attr(d->ctx, "addrxlat.ostype", "linux");
	if (st != KDUMP_OK)
		return ms_error_create(code_of(st, MS_ERR_IO), "%s: %s", path, kdump_get_err(d->ctx));
	if (kdump_get_number_attr(d->ctx, "arch.page_size", &page_size) != KDUMP_OK ||
	    !page_size || (page_size & (page_size - 1)))
		page_size = 4096;
	d->page_size = page_size;
	d->cache = ms_pagecache_new(page_size, CACHE_PAGES);	/* none: every read goes through */
	if (!d->flat && kdump_get_string_attr(d->ctx, KDUMP_ATTR_FILE_FORMAT, &name) == KDUMP_OK &&
	    name && !strcmp(name, "elf"))
		d->elf = ms_elfpages_open(d->fd, d->ctx);
	read_arch(d);
	return NULL;
}

/*
 * The dump's file: a regular file or a block device, opened without
 * blocking (a FIFO with no writer would block open(2) forever), with its size.
 */
static struct ms_error *open_file(struct ms_dumpfile *d, const char *path)
{
	struct stat st;

	d->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->fd < 0)
		return ms_error_create(errno == ENOMEM ? MS_ERR_NOMEM : MS_ERR_IO, "%s: %s", path,
				       strerror(errno));
	if (fstat(d->fd, &st))
		return ms_error_create(MS_ERR_IO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return ms_error_create(MS_ERR_IO, "%s: not a regular file or a block device", path);
	return NULL;
}

/* The file's size (a block device's too; a served stream's file), for the checks. */
static struct ms_error *file_size(struct ms_dumpfile *d, const char *path, uint64_t *size)
{
	off_t end;

	if (d->flat) {
		*size = ms_flat_index_size(d->flat);
		return NULL;
	}
	end = lseek(d->fd, 0, SEEK_END);

	if (end < 0)
		return ms_error_create(MS_ERR_IO, "%s: %s", path, strerror(errno));
	*size = (uint64_t)end;
	return NULL;
}

/* What libkdumpfile will read, checked first (dumpcheck.h). */
static struct ms_error *check_file(struct ms_dumpfile *d, const char *path, const char *arch)
{
	uint64_t size = 0;
	struct ms_error *err = file_size(d, path, &size);

	if (!err)
		err = ms_error_wrap(ms_dumpcheck_fd(d->fd, size, arch), "%s", path);
	return err;
}

struct ms_error *ms_dumpfile_open(const char *path, const char *arch, struct ms_dumpfile **out)
{
	struct ms_dumpfile *d = calloc(1, sizeof(*d));
	struct ms_error *err;

	*out = NULL;
	if (!d)
		return &ms_error_nomem;
	d->stream_fd = -1;
	err = open_file(d, path);
	if (!err)
		err = ms_error_wrap(unflatten(d), "%s", path);
	if (!err)
		err = check_file(d, path, arch);
	if (!err)
		err = open_kdump(d, path, arch);
	if (err)
		goto fail;
	*out = d;
	return NULL;
fail:
	ms_dumpfile_close(d);
	return err;
}

void ms_dumpfile_close(struct ms_dumpfile *d)
{
	if (!d)
		return;
	ms_elfpages_close(d->elf);	/* its references to the translation first */
	if (d->ctx)
		kdump_free(d->ctx);
	ms_pagecache_free(d->cache);
	if (d->flat)
		ms_flat_unserve(d->fd);
	if (d->fd >= 0)
		close(d->fd);
	if (d->stream_fd >= 0)
		close(d->stream_fd);
	ms_flat_index_free(d->flat);
	free(d);
}

uint64_t ms_dumpfile_page_size(const struct ms_dumpfile *d)
{
	return d->page_size;
}

struct ms_error *ms_dumpfile_vmcoreinfo(struct ms_dumpfile *d, const char *key, char **val)
{
	kdump_status st;

	*val = NULL;
	st = kdump_vmcoreinfo_line(d->ctx, key, val);
	if (st == KDUMP_OK)
		return NULL;
	if (st == KDUMP_ERR_NODATA || st == KDUMP_ERR_NOKEY)
		return ms_error_create(MS_ERR_LOOKUP, "no VMCOREINFO %s", key);
	return ms_error_lib(code_of(st, MS_ERR_CORRUPT), kdump_get_err(d->ctx),
			    "VMCOREINFO %s", key);
}

struct ms_error *ms_dumpfile_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name,
					       uint64_t *addr)
{
	kdump_addr_t a;
	kdump_status st = kdump_vmcoreinfo_symbol(d->ctx, name, &a);

	if (st == KDUMP_OK) {
		*addr = a;
		return NULL;
	}
	if (st == KDUMP_ERR_NODATA || st == KDUMP_ERR_NOKEY)
		return ms_error_create(MS_ERR_LOOKUP, "no VMCOREINFO SYMBOL(%s)", name);
	return ms_error_lib(code_of(st, MS_ERR_CORRUPT), kdump_get_err(d->ctx),
			    "VMCOREINFO SYMBOL(%s)", name);
}

bool ms_dumpfile_has_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name, uint64_t *addr)
{
	struct ms_error *err = ms_dumpfile_vmcoreinfo_symbol(d, name, addr);
	bool found = !err;

	ms_error_destroy(err);
	return found;
}

/* A page the dump does not hold: counted, and zeroes with zero_excluded.
 * Returns how many bytes it covers (to the end of its page, at most len). */
static size_t missing(struct ms_dumpfile *d, uint64_t addr, char *p, size_t len)
{
	size_t hole = d->page_size - (addr & (d->page_size - 1));

	if (!d->missing_reads++)
		d->first_missing = addr;
	if (hole > len)
		hole = len;
	if (d->zero_excluded)
		memset(p, 0, hole);
	return hole;
}

/*
 * A page makedumpfile -d filtered out (or one outside the dumped memory) is
 * unreadable, as in crash: a number built on it would be a guess.  With
 * zero_excluded it reads as zeroes instead (done here rather than with
 * libkdumpfile's file.zero_excluded, which would hide it); either way the
 * reads are counted for the caller to report.
 */
/* A page for the cache: only one the dump holds whole. */
static int fill_page(void *ctx, uint64_t page, void *buf)
{
	struct ms_dumpfile *d = ctx;
	size_t n = d->page_size;

	if (d->elf && !ms_elfpages_read(d->elf, page, buf, d->page_size))
		return 0;
	return kdump_read(d->ctx, KDUMP_KVADDR, page, buf, &n) == KDUMP_OK && n == d->page_size
		? 0 : -1;
}

struct ms_error *ms_dumpfile_read(struct ms_dumpfile *d, uint64_t addr, void *buf, size_t len)
{
	size_t total = len;
	char *p = buf;

	if (!ms_pagecache_read(d->cache, addr, buf, len, fill_page, d))
		return NULL;
	while (len) {
		size_t n = len, hole;
		kdump_status st = kdump_read(d->ctx, KDUMP_KVADDR, addr, p, &n);

		if (st == KDUMP_OK && n == len)
			return NULL;
		if (st != KDUMP_OK && st != KDUMP_ERR_NODATA)
			return ms_error_at_lib(code_of(st, MS_ERR_FAULT), addr + n,
					       kdump_get_err(d->ctx), "read of %zu bytes", total);
		addr += n;
		p += n;
		len -= n;
		hole = missing(d, addr, p, len);
		if (!d->zero_excluded)
			return ms_error_at_lib(MS_ERR_MISSING, addr,
					       st == KDUMP_OK ? NULL : kdump_get_err(d->ctx),
					       "read of %zu bytes hit a page the dump does not hold",
					       total);
		addr += hole;
		p += hole;
		len -= hole;
	}
	return NULL;
}

void ms_dumpfile_zero_excluded(struct ms_dumpfile *d)
{
	d->zero_excluded = true;
}

int ms_dumpfile_missing_note(const struct ms_dumpfile *d, char *buf, size_t len)
{
	if (!d->missing_reads)
		return 0;
	snprintf(buf, len, "%lu read%s of memory the dump does not hold, first at %#llx "
		 "(pages filtered out by makedumpfile -d, or a bad pointer): %s",
		 d->missing_reads, d->missing_reads == 1 ? "" : "s",
		 (unsigned long long)d->first_missing,
		 d->zero_excluded ? "read as zeroes, so numbers built on them may be wrong" :
		 "what needed them is missing or partial above");
	return 1;
}

static struct ms_error *df_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ms_dumpfile_read(ctx, addr, buf, len);
}

static int df_symbol(void *ctx, const char *name, uint64_t *addr)
{
	struct ms_dumpfile *d = ctx;

	if (d->types->symbol(d->types_ctx, name, addr))
		return -1;
	*addr += (uint64_t)d->sym_delta;
	return 0;
}

static long df_struct_size(void *ctx, const char *name)
{
	struct ms_dumpfile *d = ctx;

	return d->types->struct_size(d->types_ctx, name);
}

static long df_member_offset(void *ctx, const char *s, const char *m)
{
	struct ms_dumpfile *d = ctx;

	return d->types->member_offset(d->types_ctx, s, m);
}

static long df_member_size(void *ctx, const char *s, const char *m)
{
	struct ms_dumpfile *d = ctx;

	return d->types->member_size(d->types_ctx, s, m);
}

static int df_enum_value(void *ctx, const char *name, long *v)
{
	struct ms_dumpfile *d = ctx;

	return d->types->enum_value(d->types_ctx, name, v);
}

static int df_enum_type(void *ctx, const char *name, char *buf, size_t len)
{
	struct ms_dumpfile *d = ctx;

	return d->types->enum_type ? d->types->enum_type(d->types_ctx, name, buf, len) : -1;
}

static int df_symbol_at(void *ctx, uint64_t addr, char *buf, size_t len, uint64_t *offset)
{
	struct ms_dumpfile *d = ctx;

	if (!d->types->symbol_at)
		return -1;
	return d->types->symbol_at(d->types_ctx, addr - (uint64_t)d->sym_delta, buf, len, offset);
}

/* VMCOREINFO comes from this dump, whatever answers the type questions. */
static int df_vmcoreinfo(void *ctx, const char *key, char *buf, size_t len)
{
	char *v;
	struct ms_error *err = ms_dumpfile_vmcoreinfo(ctx, key, &v);

	if (err) {
		ms_error_destroy(err);
		return -1;
	}
	snprintf(buf, len, "%s", v);
	free(v);
	return 0;
}

void ms_dumpfile_target(struct ms_dumpfile *d, struct ms_target *t,
			const struct ms_target_ops *types, void *types_ctx, int64_t sym_delta,
			unsigned int page_shift, FILE *errf)
{
	d->types = types;
	d->types_ctx = types_ctx;
	d->sym_delta = sym_delta;
	d->ops = (struct ms_target_ops){
		.read = df_read,
		.symbol = df_symbol,
		.struct_size = df_struct_size,
		.member_offset = df_member_offset,
		.member_size = df_member_size,
		.enum_value = df_enum_value,
		.enum_type = df_enum_type,
		.vmcoreinfo = df_vmcoreinfo,
		.symbol_at = df_symbol_at,
	};
	ms_target_init(t, &d->ops, d, page_shift, errf);
	ms_target_set_arch(t, d->word_size, d->big_endian);
}
