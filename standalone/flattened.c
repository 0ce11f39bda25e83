/*
 * flattened.c - reassemble makedumpfile's flattened format.
 *
 * Layout (makedumpfile's print_info/flattened writer): a 4096-byte header
 * starting with the signature "makedumpfile" and a big-endian type (1) and
 * version (1); then records of { int64 offset; int64 size; } big-endian
 * followed by size bytes to be written at offset in the real file; an offset
 * of -1 ends the stream.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flattened.h"

#define FLAT_SIGNATURE "makedumpfile"
#define FLAT_HEADER_SIZE 4096
#define FLAT_BUF (1 << 20)

int ms_is_flattened(int fd)
{
	char sig[sizeof(FLAT_SIGNATURE)];

	if (pread(fd, sig, sizeof(sig), 0) != (ssize_t)sizeof(sig))
		return 0;
	return memcmp(sig, FLAT_SIGNATURE, sizeof(sig)) == 0;
}

static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int ms_reassemble_flattened(int in, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	off_t pos = FLAT_HEADER_SIZE;
	char *buf = malloc(FLAT_BUF);
	int out = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR, 0600);

	if (!buf || out < 0) {
		snprintf(err, errlen, "cannot make a temporary file to reassemble the flattened dump: %s",
			 strerror(errno));
		goto fail;
	}
	for (;;) {
		int64_t hdr[2], off, size;

		if (read_full(in, hdr, sizeof(hdr), pos)) {
			snprintf(err, errlen, "flattened dump truncated at %lld", (long long)pos);
			goto fail;
		}
		pos += (off_t)sizeof(hdr);
		off = (int64_t)be64toh((uint64_t)hdr[0]);
		size = (int64_t)be64toh((uint64_t)hdr[1]);
		if (off == -1)
			break;
		if (off < 0 || size < 0) {
			snprintf(err, errlen, "corrupt flattened record at %lld", (long long)pos);
			goto fail;
		}
		while (size > 0) {
			size_t n = size > FLAT_BUF ? FLAT_BUF : (size_t)size;

			if (read_full(in, buf, n, pos) || write_full(out, buf, n, (off_t)off)) {
				snprintf(err, errlen, "flattened dump: read or write failed near %lld",
					 (long long)pos);
				goto fail;
			}
			pos += (off_t)n;
			off += (int64_t)n;
			size -= (int64_t)n;
		}
	}
	free(buf);
	return out;
fail:
	free(buf);
	if (out >= 0)
		close(out);
	return -1;
}
