/*
 * flattened.h - makedumpfile's "flattened" stream (makedumpfile -F, and what
 * QEMU's dump-guest-memory writes for its kdump-* formats).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FLATTENED_H
#define MEMSCOPE_FLATTENED_H

#include <stdbool.h>

#include "error.h"

/* True if the file on fd starts with the flattened header (a file too short
 * to hold it is not one: libkdumpfile then says what it is). */
bool ms_is_flattened(int fd);
/* Reassemble the stream on fd into an unlinked temporary file (in $TMPDIR or
 * /tmp), its descriptor in *out: MS_ERR_IO (the system's text as the cause),
 * MS_ERR_CORRUPT for a truncated or bad stream, MS_ERR_NOMEM. */
struct ms_error *ms_reassemble_flattened(int fd, int *out);

#endif
