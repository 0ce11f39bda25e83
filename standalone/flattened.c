/*
 * flattened.c - makedumpfile's flattened format: indexed, or reassembled.
 *
 * Layout (makedumpfile's print_info/flattened writer): a 4096-byte header
 * starting with the signature "makedumpfile" and a big-endian type (1) and
 * version (1); then records of { int64 offset; int64 size; } big-endian
 * followed by size bytes to be written at offset in the real file; an offset
 * of -1 ends the stream.
 *
 * The index (issue #15) reads only the 16-byte headers, one per record
 * (QEMU writes records of at most 16 KiB: 3,054 for a 512 MiB guest's 46 MB
 * stream), and serves reads of the file they describe from the records'
 * bytes in the stream, as crash's makedumpfile.c (read_flattened_format)
 * does.  Bytes no record writes read as zeros, the holes of a reassembled
 * file.  A stream whose records overlap (a later one rewriting an earlier
 * one's bytes; neither QEMU nor makedumpfile write such) is not indexed:
 * the caller reassembles it, the later record winning as in makedumpfile -R.
 *
 * A hostile stream is bounded by its own size: every record's bytes are in
 * the stream, and the file it builds is no larger than the stream (the
 * writers leave no holes), so a record placing data past that is refused
 * rather than making a sparse file of an exabyte.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* O_TMPFILE; the unit tests build with POSIX only */
#endif
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
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

/*
 * The next record's header at *pos: its *off and *size, *pos moved past the
 * header; *end at the stream's end marker; or an error.
 */
static struct ms_error *next_record(int in, off_t *pos, int64_t stream_size, int64_t *off,
				    int64_t *size, bool *end)
{
	int64_t hdr[2];

	*end = false;
	if (read_full(in, hdr, sizeof(hdr), *pos))
		return read_error(*pos);
	*pos += (off_t)sizeof(hdr);
	*off = (int64_t)be64toh((uint64_t)hdr[0]);
	*size = (int64_t)be64toh((uint64_t)hdr[1]);
	if (*off == -1) {
		*end = true;
		return NULL;
	}
	if (*off < 0 || *size < 0)
		return ms_error_create(MS_ERR_CORRUPT, "corrupt flattened record at %lld",
				       (long long)*pos);
	if (*size > stream_size - *pos || *off > stream_size - *size)
		return ms_error_create(MS_ERR_CORRUPT, "flattened record at %lld puts %lld bytes "
				       "at %lld, past what a stream of %lld bytes holds: the "
				       "dump may be truncated", (long long)*pos, (long long)*size,
				       (long long)*off, (long long)stream_size);
	return NULL;
}

static struct ms_error *copy_records(int in, int out, char *buf, int64_t stream_size)
{
	off_t pos = FLAT_HEADER_SIZE;

	for (;;) {
		int64_t off, size;
		struct ms_error *err;
		bool end;

		err = next_record(in, &pos, stream_size, &off, &size, &end);
		if (err || end)
			return err;
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

/* ---- the index ---- */

/* One record: size bytes of the file at off are at pos of the stream. */
struct flat_rec {
	int64_t off, size, pos;
};

struct ms_flat_index {
	int fd;				/* the stream's, not ours */
	size_t n;
	struct flat_rec *rec;		/* by offset, no two overlapping */
	uint64_t size;			/* of the file they make: the last byte written + 1 */
};

static int rec_cmp(const void *a, const void *b)
{
	const struct flat_rec *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Every record's header, in stream order, into ix (not yet sorted). */
static struct ms_error *index_records(int in, int64_t stream_size, struct ms_flat_index *ix)
{
	off_t pos = FLAT_HEADER_SIZE;
	size_t cap = 0;

	for (;;) {
		int64_t off, size;
		struct ms_error *err;
		bool end;

		err = next_record(in, &pos, stream_size, &off, &size, &end);
		if (err || end)
			return err;
		if (!size)
			continue;
		if (ix->n == cap) {
			/* bounded: every record takes 16 bytes of the stream or more */
			size_t ncap = cap ? cap * 2 : 1024;
			struct flat_rec *r = realloc(ix->rec, ncap * sizeof(*r));

			if (!r)
				return &ms_error_nomem;
			ix->rec = r;
			cap = ncap;
		}
		ix->rec[ix->n++] = (struct flat_rec){ off, size, (int64_t)pos };
		pos += (off_t)size;
	}
}

struct ms_error *ms_flat_index_build(int in, struct ms_flat_index **out, bool *overlap)
{
	struct ms_flat_index *ix;
	struct ms_error *err;
	struct stat st;

	*out = NULL;
	*overlap = false;
	if (fstat(in, &st))
		return ms_error_lib(MS_ERR_IO, strerror(errno), "flattened dump");
	err = check_header(in);
	if (err)
		return err;
	ix = calloc(1, sizeof(*ix));
	if (!ix)
		return &ms_error_nomem;
	ix->fd = in;
	err = index_records(in, (int64_t)st.st_size, ix);
	if (err) {
		ms_flat_index_free(ix);
		return err;
	}
	/* a stream without data makes an empty file, refused later as the copy is */
	if (ix->n)
		qsort(ix->rec, ix->n, sizeof(*ix->rec), rec_cmp);
	for (size_t i = 0; i < ix->n; i++) {
		uint64_t end = (uint64_t)ix->rec[i].off + (uint64_t)ix->rec[i].size;

		if (i + 1 < ix->n && (int64_t)end > ix->rec[i + 1].off) {
			*overlap = true;
			ms_flat_index_free(ix);
			return NULL;
		}
		if (end > ix->size)
			ix->size = end;
	}
	*out = ix;
	return NULL;
}

uint64_t ms_flat_index_size(const struct ms_flat_index *ix)
{
	return ix->size;
}

/* The first record that ends past off (ix->n if none). */
static size_t first_after(const struct ms_flat_index *ix, uint64_t off)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uint64_t)(ix->rec[mid].off + ix->rec[mid].size) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

ssize_t ms_flat_index_pread(const struct ms_flat_index *ix, void *buf, size_t len, uint64_t off)
{
	size_t done = 0, i;

	if (off >= ix->size)
		return 0;
	if (len > ix->size - off)
		len = (size_t)(ix->size - off);
	if (len > SSIZE_MAX)
		len = SSIZE_MAX;
	i = first_after(ix, off);
	while (done < len) {
		uint64_t at = off + done;
		const struct flat_rec *r = i < ix->n ? &ix->rec[i] : NULL;
		size_t n;

		if (!r || at < (uint64_t)r->off) {
			/* a hole, up to the next record */
			n = len - done;
			if (r && (uint64_t)r->off - at < n)
				n = (size_t)((uint64_t)r->off - at);
			memset((char *)buf + done, 0, n);
		} else {
			uint64_t in_rec = at - (uint64_t)r->off;

			n = len - done;
			if ((uint64_t)r->size - in_rec < n)
				n = (size_t)((uint64_t)r->size - in_rec);
			if (read_full(ix->fd, (char *)buf + done, n, (off_t)(r->pos + (int64_t)in_rec))) {
				if (done)
					return (ssize_t)done;
				if (!errno)
					errno = EIO;	/* the stream shrank under us */
				return -1;
			}
			i++;
		}
		done += n;
	}
	return (ssize_t)done;
}

void ms_flat_index_free(struct ms_flat_index *ix)
{
	if (!ix)
		return;
	free(ix->rec);
	free(ix);
}

/* ---- descriptors served from an index (cli/flat_pread.c) ---- */

#define FLAT_SERVED 8

static struct {
	int fd;
	const struct ms_flat_index *ix;
} served[FLAT_SERVED];
static size_t nserved;

bool ms_flat_serve(int fd, const struct ms_flat_index *ix)
{
	for (size_t i = 0; i < nserved; i++)
		if (!served[i].ix) {
			served[i].fd = fd;
			served[i].ix = ix;
			return true;
		}
	if (nserved == FLAT_SERVED)
		return false;
	served[nserved].fd = fd;
	served[nserved].ix = ix;
	nserved++;
	return true;
}

void ms_flat_unserve(int fd)
{
	for (size_t i = 0; i < nserved; i++)
		if (served[i].ix && served[i].fd == fd)
			served[i].ix = NULL;
}

const struct ms_flat_index *ms_flat_served(int fd)
{
	for (size_t i = 0; i < nserved; i++)
		if (served[i].ix && served[i].fd == fd)
			return served[i].ix;
	return NULL;
}
