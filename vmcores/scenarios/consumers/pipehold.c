// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pipehold READY: pipes full of unread data, held open (both ends) by this
 * process and by a child it forks once they are filled, so every pipe is
 * open in two processes.  Two more: one written two pages and read one (the
 * page read is kept as the pipe's spare tmp_page), one filled by splice()
 * from a tmpfs file (page cache pages lent to the pipe, not its own).
 * Writes /run/truth.pipes, one line a pipe: "ino BYTES PAGES SLOTS PID,PID
 * TMP SPLICED" (the pipe's inode number, the bytes queued, its own pages
 * holding them: one page per PAGE_SIZE written into an empty pipe, as
 * pipe_write() fills them; its ring size; its spare page; the slots holding
 * spliced pages), then creates READY and sleeps.
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
#define NALL (NPIPES + 2)

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
	int fds[NALL][2];
	long written[NALL], pages[NALL], tmp[NALL] = { 0 }, spliced[NALL] = { 0 };
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
		pages[i] = (written[i] + page - 1) / page;
	}
	/* Two pages written, the first read back: anon_pipe_buf_release() keeps
	 * it as pipe->tmp_page. */
	if (pipe2(fds[NPIPES], O_NONBLOCK) < 0) {
		perror("pipehold: pipe2");
		return 1;
	}
	written[NPIPES] = write(fds[NPIPES][1], buf, (size_t)(2 * page));
	if (written[NPIPES] == 2 * page && read(fds[NPIPES][0], buf, (size_t)page) == page) {
		written[NPIPES] = page;
		pages[NPIPES] = 1;
		tmp[NPIPES] = 1;
	} else {
		perror("pipehold: write/read");
		pages[NPIPES] = written[NPIPES] > 0 ? (written[NPIPES] + page - 1) / page : 0;
	}
	/* Three page-cache pages of a tmpfs file spliced in. */
	{
		int src = open("/run/pipehold.src", O_RDWR | O_CREAT | O_TRUNC, 0600);
		ssize_t n = -1;

		if (pipe2(fds[NPIPES + 1], O_NONBLOCK) < 0 || src < 0 ||
		    write(src, buf, (size_t)(3 * page)) != 3 * page || lseek(src, 0, SEEK_SET) < 0 ||
		    (n = splice(src, NULL, fds[NPIPES + 1][1], NULL, (size_t)(3 * page),
				SPLICE_F_NONBLOCK)) < 0)
			perror("pipehold: splice");
		written[NPIPES + 1] = n > 0 ? n : 0;
		pages[NPIPES + 1] = 0;
		spliced[NPIPES + 1] = n > 0 ? (n + page - 1) / page : 0;
		if (src >= 0)
			close(src);
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
	fprintf(f, "# ino bytes pages slots pids tmp spliced\n");
	for (int i = 0; i < NALL; i++) {
		struct stat st;
		int size = fcntl(fds[i][1], F_GETPIPE_SZ);

		if (fstat(fds[i][0], &st) < 0)
			st.st_ino = 0;
		fprintf(f, "%lu %ld %ld %ld %d,%d %ld %ld\n", (unsigned long)st.st_ino, written[i],
			pages[i], size > 0 ? size / page : -1L, (int)getpid(), (int)child, tmp[i],
			spliced[i]);
	}
	fclose(f);
	ready_then_sleep(argv[1]);
}
