/*
 * snapdiff.h - where USED grew between two snapshots of the same machine.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SNAPDIFF_H
#define MEMSCOPE_SNAPDIFF_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "error.h"

struct ms_snapshot;

/* Compare two validated snapshots into *diff (a new reference): NULL, or
 * MS_ERR_UNSUPPORTED when they are not dumps of one boot of one machine
 * (another kernel build, boot_id, KASLR offset, nodename or MemTotal: refused),
 * MS_ERR_CORRUPT for a number out of the schema's range, MS_ERR_NOMEM; *diff
 * is NULL then. */
struct ms_error *ms_snapdiff(json_t *before, json_t *after, json_t **diff);
/* The same; with force, snapshots of two boots or machines are compared (each
 * difference a warning) instead of refused. */
struct ms_error *ms_snapdiff_force(json_t *before, json_t *after, bool force, json_t **diff);
/* The same of snapshots as ms_snapshot_read() or ms_snapshot_of_json() made them. */
struct ms_error *ms_snapdiff_snap(const struct ms_snapshot *before, const struct ms_snapshot *after,
				  bool force, json_t **diff);

/* NULL if before and after are of one kernel build, boot and machine
 * (snapdiff_boot.c); else MS_ERR_UNSUPPORTED saying what differs, or with
 * force a warning appended to warnings. */
struct ms_error *ms_snapdiff_same_boot(json_t *before, json_t *after, bool force,
				       json_t *warnings);

/* The report as text: kB shown in human units, or in pages when pages is set. */
void ms_snapdiff_print(FILE *out, json_t *diff, bool pages);

#endif
