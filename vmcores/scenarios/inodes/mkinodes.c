/*
 * mkinodes DIR FIRST LAST FILES TRUTH - make directories DIR/dFIRST ..
 * DIR/d(LAST-1), each with FILES empty files f0 .. f(FILES-1), then write
 * to TRUTH the totals made so far ("dirs N", "files N", added to what
 * TRUTH held).  A shell loop would fork nothing either, but under TCG a
 * C loop makes 300,000 files in seconds.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long first, last, files, dirs = 0, nfiles = 0;
	char path[4096];
	FILE *f;

	if (argc != 6)
		return 2;
	first = atol(argv[2]);
	last = atol(argv[3]);
	files = atol(argv[4]);
	f = fopen(argv[5], "r");
	if (f) {
		if (fscanf(f, "dirs %ld\nfiles %ld\n", &dirs, &nfiles) != 2)
			dirs = nfiles = 0;
		fclose(f);
	}
	for (long d = first; d < last; d++) {
		snprintf(path, sizeof(path), "%s/d%ld", argv[1], d);
		if (mkdir(path, 0755)) {
			perror(path);
			return 1;
		}
		dirs++;
		for (long i = 0; i < files; i++) {
			int fd;

			snprintf(path, sizeof(path), "%s/d%ld/f%ld", argv[1], d, i);
			fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
			if (fd < 0) {
				perror(path);
				return 1;
			}
			close(fd);
			nfiles++;
		}
	}
	f = fopen(argv[5], "w");
	if (!f)
		return 1;
	fprintf(f, "dirs %ld\nfiles %ld\n", dirs, nfiles);
	return fclose(f) ? 1 : 0;
}
