// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pipehold READY: pipes full of unread data, held open (both ends) by this
 * process and by a child it forks once they are filled, so every pipe is
 * open in two processes.  Writes /run/truth.pipes, one line a pipe:
 * "ino BYTES PAGES SLOTS PID,PID" (the pipe's inode number, the bytes queued,
 * the pages holding them: one page per PAGE_SIZE written into an empty pipe,
 * as pipe_write() fills them; its ring size), then creates READY and sleeps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ready.h"

#define NPIPES 12

struct want {
	long bytes;		/* to write */
	int ring;		/* F_SETPIPE_SZ bytes, 0: the default (16 pages) */
};

static const struct want wants[NPIPES] = {
	{ 100, 0 }, { 16384, 0 }, { 65536, 0 }, { 40000, 0 },
	{ 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 },
	{ 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 }, { 1 << 20, 1 << 20 },
};

int main(int argc, char **argv)
{
	int fds[NPIPES][2];
	long written[NPIPES];
	long page = sysconf(_SC_PAGESIZE);
	static char buf[1 << 20];
	pid_t child;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: pipehold READY\n");
		return 2;
	}
	memset(buf, 'p', sizeof(buf));
	for (int i = 0; i < NPIPES; i++) {
		if (pipe2(fds[i], O_NONBLOCK) < 0) {
			perror("pipehold: pipe2");
			return 1;
		}
		if (wants[i].ring && fcntl(fds[i][1], F_SETPIPE_SZ, wants[i].ring) < 0)
			perror("pipehold: F_SETPIPE_SZ");
		/* One write into the empty pipe: full pages, then the rest. */
		written[i] = write(fds[i][1], buf, (size_t)wants[i].bytes);
		if (written[i] < 0) {
			perror("pipehold: write");
			written[i] = 0;
		}
	}
	child = fork();
	if (child < 0) {
		perror("pipehold: fork");
		return 1;
	}
	if (child == 0)
		for (;;)
			pause();
	f = fopen("/run/truth.pipes", "w");
	if (!f) {
		perror("pipehold: /run/truth.pipes");
		return 1;
	}
	fprintf(f, "# ino bytes pages slots pids\n");
	for (int i = 0; i < NPIPES; i++) {
		struct stat st;
		int size = fcntl(fds[i][1], F_GETPIPE_SZ);

		if (fstat(fds[i][0], &st) < 0)
			st.st_ino = 0;
		fprintf(f, "%lu %ld %ld %ld %d,%d\n", (unsigned long)st.st_ino, written[i],
			(written[i] + page - 1) / page, size > 0 ? size / page : -1L,
			(int)getpid(), (int)child);
	}
	fclose(f);
	ready_then_sleep(argv[1]);
}
