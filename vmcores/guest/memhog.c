/*
 * memhog: a guest helper for the dump scenarios.  Touches a known amount of
 * anonymous and shared (shmem) memory, sets its own oom_score_adj, optionally
 * starts threads (so the OOM walk has to see through thread groups), then
 * signals readiness by creating a file and sleeps until killed.
 *
 * Usage: memhog ANON_MIB SHMEM_MIB OOM_SCORE_ADJ THREADS READY_FILE
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ready.h"

static void *touch(size_t mib, int flags)
{
	size_t len = mib << 20;
	char *p;

	if (!len)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap");
		exit(1);
	}
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	return p;
}

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	char adj[16];
	int fd, threads;

	if (argc != 6) {
		fprintf(stderr, "usage: memhog ANON_MIB SHMEM_MIB ADJ THREADS READY_FILE\n");
		return 2;
	}
	touch(strtoul(argv[1], NULL, 0), MAP_PRIVATE | MAP_ANONYMOUS);
	touch(strtoul(argv[2], NULL, 0), MAP_SHARED | MAP_ANONYMOUS);

	fd = open("/proc/self/oom_score_adj", O_WRONLY);
	snprintf(adj, sizeof(adj), "%s\n", argv[3]);
	if (fd < 0 || write(fd, adj, strlen(adj)) < 0) {
		perror("memhog: oom_score_adj");
		return 1;
	}
	close(fd);

	threads = atoi(argv[4]);
	for (int i = 0; i < threads; i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, idle, NULL)) {
			fprintf(stderr, "memhog: pthread_create failed\n");
			return 1;
		}
	}

	ready_then_sleep(argv[5]);
}
