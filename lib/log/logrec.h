/*
 * logrec.h - the kernel log as the dump holds it, one record at a time.
 *
 * ms_log_walk() finds which log the kernel keeps (the lockless
 * printk_ringbuffer of 5.10+, printk_ring.c; the variable-length records in
 * log_buf before, log_buf.c) and hands every readable record to a callback,
 * oldest first.  A record whose memory is missing or corrupt is warned about
 * and skipped; the walk goes on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_LOGREC_H
#define MEMSCOPE_LOGREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target.h"

/* The record flags as the kernel stores them (kernel/printk/printk.c). */
#define MS_LOG_NEWLINE	2	/* LOG_NEWLINE: the text ended with a newline */
#define MS_LOG_CONT	8	/* LOG_CONT: a fragment of a continued line */

/* The longest dictionary value kept (dev_printk_info's device[] is 48). */
#define MS_LOG_DICT_MAX 64

/* caller_id's top bit: a CPU number rather than a thread id (printk_caller_id()). */
#define MS_LOG_CALLER_CPU 0x80000000u

/* One record of the kernel log as the kernel stored it. */
struct ms_log_record {
	uint64_t seq;		/* the record's sequence number */
	uint64_t ts_nsec;	/* local_clock() at printk time */
	uint8_t level;		/* LOGLEVEL_*, 0..7 */
	uint8_t facility;	/* 0 = kernel */
	uint8_t flags;		/* LOG_NEWLINE/LOG_CONT as stored, for -r */
	uint32_t caller_id;	/* printk_caller_id(): 0x80000000|cpu or tid; 0 if not recorded */
	const char *text;	/* NUL-terminated; may hold '\n' (one record, several lines) */
	size_t len;
	bool has_caller;	/* caller_id was recorded (always since 5.10): "T0" is pid 0 */
	/* dev_printk()'s dictionary (dev_printk_info; "SUBSYSTEM=", "DEVICE="
	 * before 5.10): NUL-terminated, "" when the record has none. */
	const char *subsystem;
	const char *device;
};

/* Called for each record in sequence order; a non-NULL error stops the walk and is returned. */
typedef struct ms_error *ms_log_fn(const struct ms_log_record *rec, void *arg);

struct ms_log_stats {
	uint64_t first_seq, next_seq;	/* the range the ring holds */
	uint64_t records;		/* passed to fn */
	uint64_t skipped;		/* missing, corrupt or reused in between: warned about */
	const char *format;		/* "printk_ringbuffer" or "log_buf" */
};

/* Every record the dump's log holds, oldest first (NULL stats allowed). */
struct ms_error *ms_log_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
			     struct ms_log_stats *stats);

/* The two formats, for ms_log_walk() and the tests (stats not NULL, zeroed). */
struct ms_error *ms_printk_ring_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
				     struct ms_log_stats *stats);
struct ms_error *ms_log_buf_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
				 struct ms_log_stats *stats);

#endif
