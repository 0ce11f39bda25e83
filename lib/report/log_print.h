/*
 * log_print.h - the kernel log as dmesg prints it, and as JSON (log_print.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_LOG_PRINT_H
#define MEMSCOPE_LOG_PRINT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "logrec.h"

struct ms_log_print_opts {
	bool no_time;	/* -t: no [seconds.micros] */
	bool decode;	/* -x: "kern  :warn  : " */
	bool raw;	/* -r: "<N>", facility << 3 | level */
	bool caller;	/* -c: "[  T123]" / "[    C1]" */
	bool dict;	/* -d: " SUBSYSTEM=pci", " DEVICE=+pci:0000:00:01.0" lines */
};

/* One record: every line of its text with the record's prefix. */
void ms_log_print_record(FILE *out, const struct ms_log_record *rec,
			 const struct ms_log_print_opts *o);
/* The trailing note: which log, the range it holds, what was skipped. */
void ms_log_print_note(FILE *out, const struct ms_log_stats *s);

/* {seq, ts_nsec, time, level, facility, flags, caller, text, subsystem, device} */
json_t *ms_log_record_json(const struct ms_log_record *rec);
/* {format, first_seq, next_seq, records, skipped, log}; takes records (an array). */
json_t *ms_log_json(const struct ms_log_stats *s, json_t *records);

#endif
