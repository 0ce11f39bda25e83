/*
 * dumpcheck.h - a dump file's headers checked before libkdumpfile sees them.
 *
 * libkdumpfile 0.5.1 (Debian 12) trusts its input: a kdump header with a
 * block_size of 0, a page descriptor of 5000 bytes, an ELF header with
 * e_phentsize 0 or a VMCOREINFO with PAGESIZE=0000 crash it (SIGSEGV, SIGFPE,
 * heap overflows; issue #14).  What crash's is_netdump()/read_dump_header()
 * and makedumpfile check, and a little more, is checked here from the file
 * alone, every length against the file's size: a file that passes holds every
 * byte its headers describe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_DUMPCHECK_H
#define MEMSCOPE_DUMPCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Where the bytes come from: a file descriptor, or memory (the fuzzers). */
struct ms_dumpcheck_src {
	/* Read len bytes at off: 0, or -1 (short or failed; errno 0 if short). */
	int (*read)(void *ctx, void *buf, size_t len, uint64_t off);
	void *ctx;
	uint64_t size;			/* the file's size */
};

/* Check the ELF or kdump (diskdump) file in src.  arch names the
 * architecture when the header does not (QEMU's kdump header; NULL: x86_64).
 * Returns NULL, or MS_ERR_CORRUPT saying what is wrong and where ("may be
 * truncated" when the file ends before what its headers describe),
 * MS_ERR_UNSUPPORTED (a format or architecture memscope does not read),
 * MS_ERR_IO or MS_ERR_NOMEM. */
struct ms_error *ms_dumpcheck(const struct ms_dumpcheck_src *src, const char *arch);

/* The same on memory (for the fuzzers and unit tests). */
struct ms_error *ms_dumpcheck_buf(const void *buf, size_t len, const char *arch);

/* The same on a file descriptor of the given size. */
struct ms_error *ms_dumpcheck_fd(int fd, uint64_t size, const char *arch);

/* ---- shared by the format checks (dumpcheck_*.c) ---- */

/* src's bytes [off, off + len): MS_ERR_CORRUPT "may be truncated" if they
 * are not all in the file, MS_ERR_IO if the read fails. what names them. */
struct ms_error *ms_dc_read(const struct ms_dumpcheck_src *src, void *buf, size_t len,
			    uint64_t off, const char *what);

/* A VMCOREINFO text (len bytes, not NUL-terminated): PAGESIZE a power of two
 * the architecture has, OSRELEASE present and printable.  page_size gets
 * PAGESIZE (0 if there is none). */
struct ms_error *ms_dc_vmcoreinfo(const char *text, size_t len, const char *arch,
				  uint64_t *page_size);

/* ELF notes in [off, off + len) of src, each bounded by the segment; a
 * VMCOREINFO note is checked with ms_dc_vmcoreinfo(). big: byte order. */
struct ms_error *ms_dc_notes(const struct ms_dumpcheck_src *src, uint64_t off, uint64_t len,
			     int big, const char *arch, uint64_t *page_size);

/* True if page_size is one arch's kernels use (4 KiB, and 16/64 KiB on arm64
 * and ppc64). */
int ms_dc_arch_page_size(const char *arch, uint64_t page_size);

struct ms_error *ms_dumpcheck_elf(const struct ms_dumpcheck_src *src, const char *arch);
struct ms_error *ms_dumpcheck_kdump(const struct ms_dumpcheck_src *src, const char *arch);

#endif
