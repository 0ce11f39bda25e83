/*
 * allocreq.h - the allocation check's request from its command-line words
 * ("3,DMA32", "min", "atomic"): the option parsers of zoneinfo's -a, -w, -g.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_ALLOCREQ_H
#define MEMSCOPE_ALLOCREQ_H

#include <stdbool.h>

#include "alloccheck.h"
#include "error.h"

/* -a ORDER[,ZONE] as given: the zone is looked up once the dump's zones are read. */
struct ms_alloc_arg {
	bool given;
	unsigned int order;
	const char *zone;		/* NULL: the gfp kind's default */
};

/* MS_OPT_CUSTOM parsers (command.h): NULL, or an MS_ERR_USAGE error. */
struct ms_error *ms_alloc_arg_parse(const char *arg, void *alloc_arg);	/* "ORDER[,ZONE]" */
struct ms_error *ms_wmark_arg_parse(const char *arg, void *wmark);	/* "min", "low", "high" */
struct ms_error *ms_gfp_arg_parse(const char *arg, void *gfp_kind);	/* "kernel", "atomic"... */

/* A zone by index or (case-insensitive) name, among the zones of zi: its index, or -1. */
int ms_zone_parse(const struct ms_zoneinfo *zi, const char *s);

#endif
