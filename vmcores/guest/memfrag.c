/*
 * memfrag: a guest helper for the large (bench) scenario.  Touches MIB of
 * anonymous memory in small pages, then gives back every other page, so the
 * buddy allocator holds MIB/2 of free memory in single pages that cannot
 * merge: long order-0 free lists, as on a long-running fragmented machine.
 * Creates READY_FILE when done, then sleeps holding the other half.
 *
 * Usage: memfrag MIB READY_FILE
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ready.h"

int main(int argc, char **argv)
{
	size_t len, page = 4096;
	char *p;

	if (argc != 3) {
		fprintf(stderr, "usage: memfrag MIB READY_FILE\n");
		return 2;
	}
	len = strtoul(argv[1], NULL, 0) << 20;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("memfrag: mmap");
		return 1;
	}
	/* A huge page would be freed whole, or not at all until split. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (size_t off = 0; off < len; off += page)
		p[off] = 1;
	for (size_t off = 0; off < len; off += 2 * page) {
		if (madvise(p + off, page, MADV_DONTNEED)) {
			perror("memfrag: madvise");
			return 1;
		}
	}
	ready_then_sleep(argv[2]);
}
