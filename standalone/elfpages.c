/*
 * elfpages.c - pages of an ELF dump read from the file itself.
 *
 * libkdumpfile 0.5.1 reads an ELF dump through its file cache: with
 * file.mmap_policy "never" (dumpfile.c says why) a cache of 16,384 pages
 * searched linearly on every miss (fcache.c, fcache_get_read() and
 * cache_get_entry_noref(): 16 << FCACHE_ORDER entries).  The walk of
 * 300,000 tmpfs inodes reads 66,000 distinct pages, and those searches were
 * 60% of its time (perf, issue #15).  For an ELF dump the bytes of a page
 * are in the file as they are: here the page's kernel virtual address is
 * translated by libkdumpfile's own translation (addrxlat, KVADDR to
 * KPHYSADDR) and the page read with pread(2) from the PT_LOAD segment
 * holding it.  A page not wholly within one segment's file bytes (a
 * segment whose p_memsz exceeds p_filesz, a hole) is left to libkdumpfile,
 * which says what it is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libkdumpfile/addrxlat.h>

/* e_phnum is 16 bits: at most 65,535 segments to hold */

#include "elfpages.h"


struct seg {
	uint64_t paddr, filesz, offset;
};

struct ms_elfpages {
	int fd;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	size_t n;
	struct seg *seg;		/* by paddr */
};

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* The PT_LOAD segments with file bytes, by paddr; -1 if not an ELF64 dump
 * of the host's byte order (dumpcheck_elf.c checked the headers before). */
static int read_segments(struct ms_elfpages *e)
{
	Elf64_Ehdr h;
	Elf64_Phdr *ph;
	int ok = -1;

	if (read_full(e->fd, &h, sizeof(h), 0) || memcmp(h.e_ident, ELFMAG, SELFMAG) ||
	    h.e_ident[EI_CLASS] != ELFCLASS64 ||
	    h.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? ELFDATA2MSB
									: ELFDATA2LSB) ||
	    h.e_phentsize != sizeof(Elf64_Phdr) || !h.e_phnum)
		return -1;
	ph = calloc(h.e_phnum, sizeof(*ph));
	e->seg = calloc(h.e_phnum, sizeof(*e->seg));
	if (ph && e->seg && !read_full(e->fd, ph, h.e_phnum * sizeof(*ph), (off_t)h.e_phoff)) {
		for (unsigned int i = 0; i < h.e_phnum; i++)
			if (ph[i].p_type == PT_LOAD && ph[i].p_filesz &&
			    ph[i].p_offset + ph[i].p_filesz >= ph[i].p_offset)
				e->seg[e->n++] = (struct seg){ ph[i].p_paddr, ph[i].p_filesz,
							       ph[i].p_offset };
		qsort(e->seg, e->n, sizeof(*e->seg), seg_cmp);
		ok = e->n ? 0 : -1;
	}
	free(ph);
	return ok;
}

struct ms_elfpages *ms_elfpages_open(int fd, kdump_ctx_t *ctx)
{
	struct ms_elfpages *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->fd = fd;
	if (read_segments(e) || kdump_get_addrxlat(ctx, &e->axctx, &e->axsys) != KDUMP_OK) {
		ms_elfpages_close(e);
		return NULL;
	}
	return e;
}

void ms_elfpages_close(struct ms_elfpages *e)
{
	if (!e)
		return;
	if (e->axctx)
		addrxlat_ctx_decref(e->axctx);
	if (e->axsys)
		addrxlat_sys_decref(e->axsys);
	free(e->seg);
	free(e);
}

int ms_elfpages_read(struct ms_elfpages *e, uint64_t page, void *buf, uint64_t page_size)
{
	addrxlat_fulladdr_t fa = { .addr = page, .as = ADDRXLAT_KVADDR };
	size_t lo = 0, hi;
	const struct seg *s;
	uint64_t in;

	if (!e || addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, e->axctx, e->axsys) != ADDRXLAT_OK)
		return -1;
	/* the last segment starting at or below the address */
	hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->seg[mid].paddr <= fa.addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	s = &e->seg[lo - 1];
	in = fa.addr - s->paddr;
	if (in >= s->filesz || s->filesz - in < page_size)
		return -1;
	return read_full(e->fd, buf, page_size, (off_t)(s->offset + in));
}
