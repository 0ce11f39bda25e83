/*
 * flattened.h - makedumpfile's "flattened" stream (makedumpfile -F, and what
 * QEMU's dump-guest-memory writes for its kdump-* formats).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_FLATTENED_H
#define MEMSCOPE_FLATTENED_H

#include <stddef.h>

/* 1 if the file on fd starts with the flattened header, 0 if not, -1 on error. */
int ms_is_flattened(int fd);
/* Reassemble the stream on fd into an unlinked temporary file (in $TMPDIR or
 * /tmp) and return its descriptor, or -1 with a message. */
int ms_reassemble_flattened(int fd, char *err, size_t errlen);

#endif
