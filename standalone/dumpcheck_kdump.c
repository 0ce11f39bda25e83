/*
 * dumpcheck_kdump.c - a kdump-compressed (diskdump) file's headers checked
 * (see dumpcheck.h), as crash's read_dump_header() and makedumpfile do:
 * signature and header_version; block_size a page size of the architecture;
 * the sub-header, both bitmaps and the page descriptors inside the file; and
 * every descriptor before libkdumpfile trusts one (0.5.1 writes a page of
 * pd.size bytes into a buffer of block_size: a heap overflow).
 *
 * The layout is makedumpfile's diskdump_mod.h (struct disk_dump_header,
 * struct kdump_sub_header, page_desc_t), which QEMU's dump.c writes too, on
 * a 64-bit architecture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE	/* be32toh() and friends, also under -D_POSIX_C_SOURCE */
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "dumpcheck.h"

/* struct disk_dump_header */
#define DH_VERSION 8
#define DH_MACHINE (12 + 4 * 65)	/* utsname.machine */
#define DH_STATUS 424
#define DH_BLOCK_SIZE 428
#define DH_SUB_HDR_SIZE 432
#define DH_BITMAP_BLOCKS 436
#define DH_MAX_MAPNR 440
#define DH_SIZE 464			/* up to tasks[] */
#define DH_MAX_VERSION 6		/* makedumpfile 1.7 writes 6 */
#define DUMP_DH_COMPRESSED_INCOMPLETE 0x8
/* struct kdump_sub_header, at block_size */
#define SH_OFFSET_VMCOREINFO 32
#define SH_OFFSET_NOTE 48
#define SH_OFFSET_ERASEINFO 64
#define SH_MAX_MAPNR_64 96
#define SH_SIZE 104
/* page_desc_t: { off_t offset; unsigned int size, flags; unsigned long long page_flags; } */
#define PD_SIZE 24
#define PD_COMPRESSED (0x1 | 0x2 | 0x4 | 0x20)	/* zlib, lzo, snappy, zstd */
#define MAX_VMCOREINFO (1u << 20)
#define PD_CHUNK 4096

struct kdump {
	const struct ms_dumpcheck_src *src;
	int big;
	const char *arch;
	unsigned char dh[DH_SIZE];
	unsigned char sh[SH_SIZE];
	int32_t version;
	uint64_t bs, shs, bitmap_blocks, max_mapnr;
};

static uint32_t g32(const struct kdump *k, const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return k->big ? be32toh(v) : le32toh(v);
}

static uint64_t g64(const struct kdump *k, const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return k->big ? be64toh(v) : le64toh(v);
}

/* utsname.machine as libkdumpfile's arch.name, else the caller's. */
static const char *arch_of(const unsigned char *machine, const char *fallback)
{
	static const char *const names[][2] = {
		{ "x86_64", "x86_64" }, { "aarch64", "aarch64" }, { "arm64", "aarch64" },
		{ "ppc64", "ppc64" }, { "ppc64le", "ppc64" }, { "s390x", "s390x" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp((const char *)machine, names[i][0], 65))
			return names[i][1];
	return fallback;
}

/* header_version in either byte order decides it (as libkdumpfile does). */
static struct ms_error *check_header(struct kdump *k)
{
	int32_t v = (int32_t)g32(k, k->dh + DH_VERSION);

	if (v < 0 || v > DH_MAX_VERSION) {
		k->big = 1;
		v = (int32_t)g32(k, k->dh + DH_VERSION);
	}
	if (v < 0 || v > DH_MAX_VERSION) {
		k->big = 0;
		return ms_error_create(MS_ERR_UNSUPPORTED, "kdump: header_version %d (memscope reads "
				       "0 to %d)", (int32_t)g32(k, k->dh + DH_VERSION),
				       DH_MAX_VERSION);
	}
	k->version = v;
	k->arch = arch_of(k->dh + DH_MACHINE, k->arch);
	k->bs = (uint32_t)g32(k, k->dh + DH_BLOCK_SIZE);
	if (!ms_dc_arch_page_size(k->arch, k->bs))
		return ms_error_create(MS_ERR_CORRUPT, "kdump: block_size %d is no page size of %s",
				       (int32_t)k->bs, k->arch);
	k->shs = (uint32_t)g32(k, k->dh + DH_SUB_HDR_SIZE);
	k->bitmap_blocks = g32(k, k->dh + DH_BITMAP_BLOCKS);
	k->max_mapnr = g32(k, k->dh + DH_MAX_MAPNR);
	if ((int32_t)k->shs < 0 || (k->version >= 1 && k->shs * k->bs < SH_SIZE))
		return ms_error_create(MS_ERR_CORRUPT, "kdump: sub_hdr_size %d blocks cannot hold "
				       "the sub-header", (int32_t)k->shs);
	/* Two bitmaps (all pages, dumped pages) of whole blocks each. */
	if (k->bitmap_blocks < 2 || k->bitmap_blocks % 2)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: bitmap_blocks is %llu, not an even "
				       "number of blocks for its two bitmaps",
				       (unsigned long long)k->bitmap_blocks);
	if (1 + k->shs + k->bitmap_blocks > k->src->size / k->bs)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: the sub-header (%llu blocks) and the "
				       "bitmaps (%llu blocks) do not fit in the file (%llu bytes): the "
				       "dump may be truncated", (unsigned long long)k->shs,
				       (unsigned long long)k->bitmap_blocks,
				       (unsigned long long)k->src->size);
	return NULL;
}

/* An [offset, offset + size) range of the sub-header inside the file. */
static struct ms_error *check_range(struct kdump *k, unsigned int at, const char *what,
				    uint64_t *off, uint64_t *size)
{
	*off = g64(k, k->sh + at);
	*size = g64(k, k->sh + at + 8);
	if (*size && (*off > k->src->size || *size > k->src->size - *off))
		return ms_error_create(MS_ERR_CORRUPT, "kdump: %s (%llu bytes at %llu) lies past the "
				       "end of the file (%llu bytes): the dump may be truncated", what,
				       (unsigned long long)*size, (unsigned long long)*off,
				       (unsigned long long)k->src->size);
	return NULL;
}

static struct ms_error *check_vmcoreinfo(struct kdump *k, uint64_t off, uint64_t size,
					 uint64_t *page_size)
{
	struct ms_error *err;
	char *text;

	if (size > MAX_VMCOREINFO)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: VMCOREINFO is %llu bytes long",
				       (unsigned long long)size);
	text = malloc(size ? size : 1);
	if (!text)
		return &ms_error_nomem;
	err = ms_dc_read(k->src, text, size, off, "kdump: VMCOREINFO");
	if (!err)
		err = ms_dc_vmcoreinfo(text, size, k->arch, page_size);
	free(text);
	return err;
}

/* The sub-header's ranges, VMCOREINFO and notes, and max_mapnr_64. */
static struct ms_error *check_sub_header(struct kdump *k)
{
	uint64_t off, size, page_size = 0;
	struct ms_error *err;

	if (k->version < 1)
		return NULL;
	err = ms_dc_read(k->src, k->sh, SH_SIZE, k->bs, "kdump: the sub-header");
	if (!err && k->version >= 3) {
		err = check_range(k, SH_OFFSET_VMCOREINFO, "VMCOREINFO", &off, &size);
		if (!err && size)
			err = check_vmcoreinfo(k, off, size, &page_size);
	}
	if (!err && k->version >= 4) {
		err = check_range(k, SH_OFFSET_NOTE, "the ELF notes", &off, &size);
		if (!err && size)
			err = ms_dc_notes(k->src, off, size, k->big, k->arch, &page_size);
	}
	if (!err && k->version >= 5)
		err = check_range(k, SH_OFFSET_ERASEINFO, "the erase information", &off, &size);
	if (err)
		return err;
	if (page_size && page_size != k->bs)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: block_size %llu differs from "
				       "VMCOREINFO's PAGESIZE %llu", (unsigned long long)k->bs,
				       (unsigned long long)page_size);
	if (k->version >= 6 && g64(k, k->sh + SH_MAX_MAPNR_64))
		k->max_mapnr = g64(k, k->sh + SH_MAX_MAPNR_64);
	return NULL;
}

/* Pages the second bitmap says the file holds (bits below max_mapnr). */
static struct ms_error *count_dumpable(struct kdump *k, uint64_t *count)
{
	uint64_t half = k->bitmap_blocks / 2 * k->bs, bits = k->max_mapnr, n = 0;
	uint64_t bytes = (bits + 7) / 8;
	struct ms_error *err;
	unsigned char *bm;

	if (bits > half * 8)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: max_mapnr %llu needs more than the "
				       "%llu-byte bitmaps", (unsigned long long)bits,
				       (unsigned long long)half);
	bm = malloc(bytes ? bytes : 1);
	if (!bm)
		return &ms_error_nomem;
	err = ms_dc_read(k->src, bm, bytes, (1 + k->shs) * k->bs + half, "kdump: the second bitmap");
	for (uint64_t i = 0; !err && i < bytes; i++) {
		unsigned int b = bm[i];

		if (i == bytes - 1 && bits % 8)
			b &= (1u << (bits % 8)) - 1;
		n += (uint64_t)__builtin_popcount(b);
	}
	free(bm);
	*count = n;
	return err;
}

static struct ms_error *bad_desc(const struct kdump *k, uint64_t i, const char *why,
				 uint64_t off, uint64_t size)
{
	const char *incomplete = g32(k, k->dh + DH_STATUS) & DUMP_DH_COMPRESSED_INCOMPLETE ?
				 " (the header marks the dump incomplete)" : "";

	return ms_error_create(MS_ERR_CORRUPT, "kdump: page descriptor %llu (%llu bytes at %llu) "
			       "%s%s", (unsigned long long)i, (unsigned long long)size,
			       (unsigned long long)off, why, incomplete);
}

/*
 * Every descriptor: its data inside the file, after the descriptors, and no
 * larger than a page (compressed) or exactly a page.  QEMU's dump.c and
 * makedumpfile write the shared zero page first, right after the
 * descriptors: the lowest offset is that or one page later (a dump whose
 * first descriptors hold no zero page).  Anything else means the second
 * bitmap does not count the descriptors, and libkdumpfile would give each
 * page another page's data.
 */
static struct ms_error *check_descs(struct kdump *k)
{
	uint64_t count, at = (1 + k->shs + k->bitmap_blocks) * k->bs, data, lowest = UINT64_MAX;
	struct ms_error *err = count_dumpable(k, &count);
	unsigned char *buf;

	if (err)
		return err;
	if (count > (k->src->size - at) / PD_SIZE)
		return ms_error_create(MS_ERR_CORRUPT, "kdump: %llu page descriptors at %llu do not "
				       "fit in the file (%llu bytes): the dump may be truncated",
				       (unsigned long long)count, (unsigned long long)at,
				       (unsigned long long)k->src->size);
	data = at + count * PD_SIZE;
	buf = malloc(PD_CHUNK * PD_SIZE);
	if (!buf)
		return &ms_error_nomem;
	for (uint64_t i = 0; !err && i < count; i += PD_CHUNK) {
		uint64_t n = count - i < PD_CHUNK ? count - i : PD_CHUNK;

		err = ms_dc_read(k->src, buf, n * PD_SIZE, at + i * PD_SIZE,
				 "kdump: the page descriptors");
		for (uint64_t j = 0; !err && j < n; j++) {
			const unsigned char *pd = buf + j * PD_SIZE;
			uint64_t off = g64(k, pd), size = g32(k, pd + 8), flags = g32(k, pd + 12);

			if (off < data)
				err = bad_desc(k, i + j, "points into the headers", off, size);
			else if (!size || size > k->bs || (!(flags & PD_COMPRESSED) && size != k->bs))
				err = bad_desc(k, i + j, "is no page's size", off, size);
			else if (off > k->src->size || size > k->src->size - off)
				err = bad_desc(k, i + j, "lies past the end of the file: the dump may "
					       "be truncated", off, size);
			else if (off < lowest)
				lowest = off;
		}
	}
	free(buf);
	if (!err && count && lowest != data && lowest != data + k->bs)
		err = ms_error_create(MS_ERR_CORRUPT, "kdump: the page data begins at %llu, not "
				      "after the %llu descriptors the second bitmap counts (at %llu): "
				      "a bitmap is corrupt", (unsigned long long)lowest,
				      (unsigned long long)count, (unsigned long long)data);
	return err;
}

struct ms_error *ms_dumpcheck_kdump(const struct ms_dumpcheck_src *src, const char *arch)
{
	struct kdump k = { .src = src, .arch = arch };
	struct ms_error *err = ms_dc_read(src, k.dh, sizeof(k.dh), 0, "the kdump header");

	if (!err)
		err = check_header(&k);
	if (!err)
		err = check_sub_header(&k);
	if (!err)
		err = check_descs(&k);
	return err;
}
