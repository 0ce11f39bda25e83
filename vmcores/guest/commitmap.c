/*
 * commitmap: a guest helper for the overcommit scenario.  Maps private
 * writable anonymous memory it never touches: the kernel accounts all of it
 * in Committed_AS (VM_ACCOUNT) while it costs no page.
 *
 * Usage: commitmap hold KIB READY_FILE
 *          map KIB, create READY_FILE, sleep holding the mapping
 *        commitmap try KIB UID
 *          become UID (no capabilities unless 0), map KIB once and print
 *          "try UID KIB ok" or "try UID KIB ERRNO_NAME" on stdout, then exit
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ready.h"

static void *map(size_t kib)
{
	return mmap(NULL, kib << 10, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

int main(int argc, char **argv)
{
	size_t kib;

	if (argc != 4) {
		fprintf(stderr, "usage: commitmap hold KIB READY_FILE | try KIB UID\n");
		return 2;
	}
	kib = strtoul(argv[2], NULL, 0);
	if (!strcmp(argv[1], "hold")) {
		if (map(kib) == MAP_FAILED) {
			perror("commitmap: mmap");
			return 1;
		}
		ready_then_sleep(argv[3]);
	}
	if (!strcmp(argv[1], "try")) {
		uid_t uid = (uid_t)strtoul(argv[3], NULL, 0);
		int err;

		/* From root to another uid drops every capability: the
		 * kernel then keeps the admin reserve from this task. */
		if (uid && (setgid(uid) || setuid(uid))) {
			perror("commitmap: setuid");
			return 1;
		}
		err = map(kib) == MAP_FAILED ? errno : 0;
		printf("try %u %zu %s\n", (unsigned)uid, kib,
		       err ? strerrorname_np(err) : "ok");
		return 0;
	}
	fprintf(stderr, "commitmap: unknown mode %s\n", argv[1]);
	return 2;
}
