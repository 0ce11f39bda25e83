/*
 * flattened.c - reassemble makedumpfile's flattened format.
 *
 * Layout (makedumpfile's print_info/flattened writer): a 4096-byte header
 * starting with the signature "makedumpfile" and a big-endian type (1) and
 * version (1); then records of { int64 offset; int64 size; } big-endian
 * followed by size bytes to be written at offset in the real file; an offset
 * of -1 ends the stream.
 *
 * A hostile stream is bounded by its own size: every record's bytes are in
 * the stream, and the file it builds is no larger than the stream (the
 * writers leave no holes), so a record placing data past that is refused
 * rather than making a sparse file of an exabyte.
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
#include <sys/stat.h>
#include <unistd.h>

#include "flattened.h"

#define FLAT_SIGNATURE "makedumpfile"
#define FLAT_HEADER_SIZE 4096
#define FLAT_BUF (1 << 20)
#define FLAT_TYPE 1		/* TYPE_FLAT_HEADER */
#define FLAT_VERSION 1		/* VERSION_FLAT_HEADER */

bool ms_is_flattened(int fd)
{
	char sig[sizeof(FLAT_SIGNATURE)];

	if (pread(fd, sig, sizeof(sig), 0) != (ssize_t)sizeof(sig))
		return false;
	return memcmp(sig, FLAT_SIGNATURE, sizeof(sig)) == 0;
}

/* 0, or -1 with errno (0 at the end of the file: truncated). */
static int read_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + (off_t)done);

		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* A failed read at pos: the system's error, or the end of a truncated stream. */
static struct ms_error *read_error(off_t pos)
{
	if (!errno)
		return ms_error_create(MS_ERR_CORRUPT, "flattened dump truncated at %lld",
				       (long long)pos);
	return ms_error_lib(MS_ERR_IO, strerror(errno), "flattened dump: read failed near %lld",
			    (long long)pos);
}

/* Copy one record's size bytes at pos of the stream to off of the file. */
static struct ms_error *copy_record(int in, int out, char *buf, off_t *pos, int64_t off,
				    int64_t size)
{
	while (size > 0) {
		size_t n = size > FLAT_BUF ? FLAT_BUF : (size_t)size;

		if (read_full(in, buf, n, *pos))
			return read_error(*pos);
		if (write_full(out, buf, n, (off_t)off))
			return ms_error_lib(MS_ERR_IO, strerror(errno),
					    "flattened dump: write failed near %lld", (long long)*pos);
		*pos += (off_t)n;
		off += (int64_t)n;
		size -= (int64_t)n;
	}
	return NULL;
}

/* The signature's type and version, as makedumpfile -R checks them. */
static struct ms_error *check_header(int in)
{
	struct { char sig[16]; int64_t type, version; } h;

	if (read_full(in, &h, sizeof(h), 0))
		return read_error(0);
	if ((int64_t)be64toh((uint64_t)h.type) != FLAT_TYPE ||
	    (int64_t)be64toh((uint64_t)h.version) != FLAT_VERSION)
		return ms_error_create(MS_ERR_UNSUPPORTED, "flattened dump of type %lld version %lld "
				       "(makedumpfile writes 1 and 1)",
				       (long long)be64toh((uint64_t)h.type),
				       (long long)be64toh((uint64_t)h.version));
	return NULL;
}

static struct ms_error *copy_records(int in, int out, char *buf, int64_t stream_size)
{
	off_t pos = FLAT_HEADER_SIZE;

	for (;;) {
		int64_t hdr[2], off, size;
		struct ms_error *err;

		if (read_full(in, hdr, sizeof(hdr), pos))
			return read_error(pos);
		pos += (off_t)sizeof(hdr);
		off = (int64_t)be64toh((uint64_t)hdr[0]);
		size = (int64_t)be64toh((uint64_t)hdr[1]);
		if (off == -1)
			return NULL;
		if (off < 0 || size < 0)
			return ms_error_create(MS_ERR_CORRUPT, "corrupt flattened record at %lld",
					       (long long)pos);
		if (size > stream_size - pos || off > stream_size - size)
			return ms_error_create(MS_ERR_CORRUPT, "flattened record at %lld puts %lld bytes "
					       "at %lld, past what a stream of %lld bytes holds: the "
					       "dump may be truncated", (long long)pos, (long long)size,
					       (long long)off, (long long)stream_size);
		err = copy_record(in, out, buf, &pos, off, size);
		if (err)
			return err;
	}
}

struct ms_error *ms_reassemble_flattened(int in, int *out)
{
	const char *dir = getenv("TMPDIR");
	struct ms_error *err;
	struct stat st;
	char *buf;
	int fd;

	*out = -1;
	if (fstat(in, &st))
		return ms_error_lib(MS_ERR_IO, strerror(errno), "flattened dump");
	err = check_header(in);
	if (err)
		return err;
	fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR, 0600);
	if (fd < 0)
		return ms_error_lib(MS_ERR_IO, strerror(errno), "cannot make a temporary file to "
				    "reassemble the flattened dump");
	buf = malloc(FLAT_BUF);
	err = buf ? copy_records(in, fd, buf, (int64_t)st.st_size) : &ms_error_nomem;
	free(buf);
	if (err) {
		close(fd);
		return err;
	}
	*out = fd;
	return NULL;
}
