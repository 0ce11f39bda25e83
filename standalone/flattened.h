/*
 * flattened.h - makedumpfile's "flattened" stream (makedumpfile -F, and what
 * QEMU's dump-guest-memory writes for its kdump-* formats).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FLATTENED_H
#define MEMSCOPE_FLATTENED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* True if the file on fd starts with the flattened header (a file too short
 * to hold it is not one: libkdumpfile then says what it is). */
bool ms_is_flattened(int fd);
/* Reassemble the stream on fd into an unlinked temporary file (in $TMPDIR or
 * /tmp), its descriptor in *out: MS_ERR_IO (the system's text as the cause),
 * MS_ERR_CORRUPT for a truncated or bad stream, MS_ERR_NOMEM. */
struct ms_error *ms_reassemble_flattened(int fd, int *out);

/* The records of the stream on fd, indexed by the offset they write (the
 * same checks and errors as ms_reassemble_flattened, without reading their
 * data).  fd must stay open while the index is used.  A stream whose records
 * overlap gives *overlap and no index (reassemble it instead). */
struct ms_flat_index;
struct ms_error *ms_flat_index_build(int fd, struct ms_flat_index **out, bool *overlap);
/* The size of the file the stream describes (makedumpfile -R's output). */
uint64_t ms_flat_index_size(const struct ms_flat_index *ix);
/* pread(2) of that file: bytes read (short only at its end), or -1 with errno. */
ssize_t ms_flat_index_pread(const struct ms_flat_index *ix, void *buf, size_t len, uint64_t off);
void ms_flat_index_free(struct ms_flat_index *ix);

/*
 * Descriptors whose pread(2) an index answers: libkdumpfile 0.5.1 has no
 * read hook (its fcache calls pread on the descriptors it was given), so the
 * CLI defines pread itself (cli/flat_pread.c), which asks ms_flat_served().
 * ms_flat_pread_active (weak: absent in memscope.so, where crash's process
 * binds libkdumpfile to libc's pread) says whether that definition is the
 * one libkdumpfile calls.  ms_flat_serve fails when 8 are served already.
 */
bool ms_flat_pread_active(void) __attribute__((weak));
bool ms_flat_serve(int fd, const struct ms_flat_index *ix);
void ms_flat_unserve(int fd);
const struct ms_flat_index *ms_flat_served(int fd);

#endif
