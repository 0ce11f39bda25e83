/*
 * dumpfile.c - libkdumpfile behind the memscope target interface.
 *
 * libkdumpfile 0.5.1 (Debian 12) does not read makedumpfile's flattened
 * stream, which is what QEMU's kdump-* formats write: we reassemble it into
 * an unlinked temporary file first (what makedumpfile -R does).  QEMU's kdump
 * header names no architecture, so arch.name must be set for translation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dumpfile.h"
#include "flattened.h"

struct ms_dumpfile {
	kdump_ctx_t *ctx;
	int fd;
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
};

struct ms_dumpfile *ms_dumpfile_open(const char *path, const char *arch, char *err, size_t errlen)
{
	struct ms_dumpfile *d = calloc(1, sizeof(*d));
	const char *name = NULL;
	kdump_num_t page_size;
	kdump_status st;

	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->fd = open(path, O_RDONLY);
	if (d->fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (ms_is_flattened(d->fd) == 1) {
		int fd = ms_reassemble_flattened(d->fd, err, errlen);

		if (fd < 0)
			goto fail;
		close(d->fd);
		d->fd = fd;
	}
	d->ctx = kdump_new();
	if (!d->ctx) {
		snprintf(err, errlen, "kdump_new failed");
		goto fail;
	}
	/*
	 * read(2), not mmap(2): every page libkdumpfile maps of an ELF dump
	 * stays in our RSS.  On a 16 GiB ELF dump (bench/bench-large.sh) diff
	 * peaked at 109 MB mapped against 23 MB read, for 0.12 s against
	 * 0.27 s: bounded memory matters more to batch runs on big dumps.
	 */
	kdump_set_number_attr(d->ctx, "file.mmap_policy", KDUMP_MMAP_NEVER);
	st = kdump_open_fd(d->ctx, d->fd);
	if (st != KDUMP_OK) {
		snprintf(err, errlen, "%s: %s", path, kdump_get_err(d->ctx));
		goto fail;
	}
	if (kdump_get_string_attr(d->ctx, "arch.name", &name) != KDUMP_OK || !name || !*name) {
		if (!arch || kdump_set_string_attr(d->ctx, "arch.name", arch) != KDUMP_OK) {
			snprintf(err, errlen, "%s: the dump names no architecture", path);
			goto fail;
		}
	}
	st = kdump_set_string_attr(d->ctx, "addrxlat.ostype", "linux");
	if (st != KDUMP_OK) {
		snprintf(err, errlen, "%s: %s", path, kdump_get_err(d->ctx));
		goto fail;
	}
	if (kdump_get_number_attr(d->ctx, "arch.page_size", &page_size) != KDUMP_OK ||
	    !page_size || (page_size & (page_size - 1)))
		page_size = 4096;
	d->page_size = page_size;
	return d;
fail:
	ms_dumpfile_close(d);
	return NULL;
}

void ms_dumpfile_close(struct ms_dumpfile *d)
{
	if (!d)
		return;
	if (d->ctx)
		kdump_free(d->ctx);
	if (d->fd >= 0)
		close(d->fd);
	free(d);
}

char *ms_dumpfile_vmcoreinfo(struct ms_dumpfile *d, const char *key)
{
	char *val = NULL;

	return kdump_vmcoreinfo_line(d->ctx, key, &val) == KDUMP_OK ? val : NULL;
}

int ms_dumpfile_vmcoreinfo_symbol(struct ms_dumpfile *d, const char *name, uint64_t *addr)
{
	kdump_addr_t a;

	if (kdump_vmcoreinfo_symbol(d->ctx, name, &a) != KDUMP_OK)
		return -1;
	*addr = a;
	return 0;
}

/*
 * A page makedumpfile -d filtered out (or one outside the dumped memory) is
 * unreadable, as in crash: a number built on it would be a guess.  With
 * zero_excluded it reads as zeroes instead (done here rather than with
 * libkdumpfile's file.zero_excluded, which would hide it); either way the
 * reads are counted for the caller to report.
 */
int ms_dumpfile_read(struct ms_dumpfile *d, uint64_t addr, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		size_t n = len, hole;
		kdump_status st = kdump_read(d->ctx, KDUMP_KVADDR, addr, p, &n);

		if (st == KDUMP_OK && n == len)
			return 0;
		if (st != KDUMP_OK && st != KDUMP_ERR_NODATA)
			return -1;
		addr += n;
		p += n;
		len -= n;
		if (!d->missing_reads++)
			d->first_missing = addr;
		if (!d->zero_excluded)
			return -1;
		/* The rest of the missing page is zeroes. */
		hole = d->page_size - (addr & (d->page_size - 1));
		if (hole > len)
			hole = len;
		memset(p, 0, hole);
		addr += hole;
		p += hole;
		len -= hole;
	}
	return 0;
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
	if (ms_dumpfile_read(ctx, addr, buf, len))
		return ms_error_at(MS_ERR_FAULT, addr, "read of %zu bytes", len);
	return NULL;
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

/* VMCOREINFO comes from this dump, whatever answers the type questions. */
static int df_vmcoreinfo(void *ctx, const char *key, char *buf, size_t len)
{
	char *v = ms_dumpfile_vmcoreinfo(ctx, key);

	if (!v)
		return -1;
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
		.vmcoreinfo = df_vmcoreinfo,
	};
	ms_target_init(t, &d->ops, d, page_shift, errf);
}
