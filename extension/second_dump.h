/*
 * second_dump.h - another dump of crash's kernel build, opened by memscope
 * itself for memdiff: the standalone target (standalone.h) with crash's
 * types and symbols.  Include after crash's defs.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SECOND_DUMP_H
#define MEMSCOPE_SECOND_DUMP_H

#include <jansson.h>

#include "error.h"
#include "standalone.h"

/* Open path with crash's debug info, refusing a dump of another kernel
 * release; warnings go to crash's fp.  The caller prints the missing-pages
 * note (ms_standalone_missing_note()) and closes it (ms_standalone_close()). */
struct ms_error *ms_crash_open_dump(const char *path, struct ms_standalone **out);

/* path's snapshot, the dump opened as above in a child process (a file that
 * kills or hangs the reader costs the child, not crash): MS_ERR_CORRUPT if
 * the child died, hung or answered nonsense, else the child's own error. */
struct ms_error *ms_crash_snapshot_dump(const char *path, json_t **snap);

#endif
