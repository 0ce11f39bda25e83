/*
 * consumers_print.h - the consumers outside the counters in detail: pipes
 * with their holders, /proc/net/sockstat with the protocols and sockets, and
 * /proc/vmallocinfo with its callers; text and JSON.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CONSUMERS_PRINT_H
#define MEMSCOPE_CONSUMERS_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "pipe.h"
#include "sock.h"
#include "vmalloc.h"

void ms_pipes_print(FILE *out, const struct ms_pipes *p, unsigned int page_shift, bool all);
json_t *ms_pipes_json(const struct ms_pipes *p, unsigned int page_shift);

/* /proc/net/sockstat's own lines ("TCP: inuse 5 orphan 0 tw 0 alloc 9 mem 3"). */
void ms_sockstat_print_proc(FILE *out, const struct ms_socks *s);
void ms_sockstat_print(FILE *out, const struct ms_socks *s, unsigned int page_shift, bool all);
json_t *ms_sockstat_json(const struct ms_socks *s, unsigned int page_shift);

/* -a: every area as /proc/vmallocinfo lists it; else by caller. */
void ms_vmalloc_print(FILE *out, struct ms_target *t, const struct ms_vmalloc *vm, bool areas);
json_t *ms_vmalloc_json(const struct ms_vmalloc *vm, unsigned int page_shift);

/* Each loaded module's memory (struct ms_modules of modules.h) by kind,
 * with the size /proc/modules prints. */
struct ms_modules;
void ms_module_sizes_print(FILE *out, const struct ms_modules *m);
json_t *ms_module_sizes_json(const struct ms_modules *m);

#endif
