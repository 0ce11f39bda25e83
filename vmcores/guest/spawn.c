/*
 * spawn: a guest helper for the large (bench) scenario.  Forks N children
 * that each touch KIB of anonymous memory and sleep, so the dump holds
 * thousands of tasks with page tables, kernel stacks and rss of their own.
 * Creates READY_FILE once every child has touched its memory, then sleeps.
 *
 * Usage: spawn N KIB READY_FILE
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ready.h"

static void child(size_t kib, int done)
{
	size_t len = kib << 10;
	char *p = len ? mmap(NULL, len, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;

	if (p == MAP_FAILED)
		_exit(1);
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	if (write(done, "", 1) != 1)
		_exit(1);
	close(done);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int pipefd[2];
	long n;
	char c;

	if (argc != 4) {
		fprintf(stderr, "usage: spawn N KIB READY_FILE\n");
		return 2;
	}
	n = strtol(argv[1], NULL, 0);
	if (pipe(pipefd)) {
		perror("spawn: pipe");
		return 1;
	}
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("spawn: fork");
			return 1;
		}
		if (pid == 0) {
			close(pipefd[0]);
			child(strtoul(argv[2], NULL, 0), pipefd[1]);
		}
	}
	close(pipefd[1]);
	/* One byte a child: all of them have touched their memory. */
	for (long i = 0; i < n; i++) {
		if (read(pipefd[0], &c, 1) != 1) {
			fprintf(stderr, "spawn: a child died\n");
			return 1;
		}
	}
	ready_then_sleep(argv[3]);
}
