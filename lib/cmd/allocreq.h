/*
 * allocreq.h - the allocation check's request from its command-line words
 * ("3,DMA32", "min"), shared by the crash command and the standalone CLI.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ALLOCREQ_H
#define MEMSCOPE_ALLOCREQ_H

#include <stddef.h>

#include "alloccheck.h"

/* "min", "low" or "high": 0, or -1. */
int ms_wmark_parse(const char *s, enum ms_wmark *w);
/* A zone by index or (case-insensitive) name, among the zones of zi: its index, or -1. */
int ms_zone_parse(const struct ms_zoneinfo *zi, const char *s);
/* "ORDER[,ZONE]" into req->order and req->highest_zoneidx: 0, or -1 with a message. */
int ms_alloc_req_parse(const struct ms_zoneinfo *zi, const char *arg, struct ms_alloc_req *req,
		       char *err, size_t errlen);

#endif
