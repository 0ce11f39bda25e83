/*
 * oomreport.h - the OOM killer's and the page allocator's reports, read back
 * from the kernel log: every OOM event and every "page allocation failure",
 * parsed into plain structures.  The one owner of those text formats:
 *
 *   mm/oom_kill.c   dump_header(), dump_oom_summary() (5.0+), dump_tasks(),
 *                   dump_task(), oom_kill_process() (4.x "Kill process ...
 *                   score N or sacrifice child"), __oom_kill_process(),
 *                   oom_reap_task_mm()
 *   mm/page_alloc.c warn_alloc(); show_free_areas() / __show_free_areas()
 *                   (mm/show_mem.c from 6.6)
 *   mm/memcontrol.c mem_cgroup_print_oom_context(), _meminfo()
 *   lib/dump_stack.c dump_stack_print_info() ("CPU: N PID: N Comm: ...")
 *
 * of 4.19, 5.10, 6.1 and 6.12.  The parser is fed records one at a time
 * (ms_oom_log_feed(), an ms_log_fn); a report's lines may be interleaved
 * with other records and some may be missing: a line that belongs to no
 * known part is ignored, a report is closed by the next one or after
 * MS_OOM_GAP_MAX lines without a line of its own, and what it lacks is said
 * in its flags, never guessed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OOMREPORT_H
#define MEMSCOPE_OOMREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "target.h"
#include "logrec.h"

#define MS_OOM_COMM_LEN		64	/* TASK_COMM_LEN is 16; a longer text is cut */
#define MS_OOM_TEXT_LEN		256	/* gfp names, memcg paths, masks */
#define MS_OOM_NAME_LEN		32	/* a counter's or a zone's name */
#define MS_OOM_ORDERS		16	/* per-order free counts kept (MAX_ORDER <= 16) */
#define MS_OOM_RESERVES		8	/* lowmem_reserve[] entries kept */
#define MS_OOM_EVENTS_MAX	4096	/* events kept from one log */
#define MS_OOM_TASKS_MAX	100000	/* tasks table rows kept per event */
#define MS_OOM_ITEMS_MAX	512	/* counters / zones kept per event */
#define MS_OOM_GAP_MAX		2000	/* lines without one of its own closing a report */

enum ms_oom_kind {
	MS_OOMEV_OOM,		/* "invoked oom-killer" */
	MS_OOMEV_ALLOCFAIL,	/* warn_alloc(): "page allocation failure" */
};

/* Which text forms the report was in. */
enum ms_oom_format {
	MS_OOMFMT_UNKNOWN,
	MS_OOMFMT_4X,		/* nodemask in the trigger; "Kill process ... sacrifice child" */
	MS_OOMFMT_5X,		/* "oom-kill:constraint=..."; "Out of memory: Killed process" */
};

/* What the report lacks (a missing record, a cut log, another report). */
#define MS_OOM_NO_TRIGGER	0x01	/* the first line is not in the log */
#define MS_OOM_NO_MEMINFO	0x02	/* no Mem-Info block */
#define MS_OOM_NO_TASKS		0x04	/* no tasks table header */
#define MS_OOM_NO_KILL		0x08	/* no "Killed process" line (OOM only) */
#define MS_OOM_GAP		0x10	/* records are missing in the middle (sequence gap) */
#define MS_OOM_CUT		0x20	/* a bound was reached: rows or items dropped */

/* A "name:value" counter of Mem-Info or a "N pages ..." total. */
struct ms_oom_counter {
	char name[MS_OOM_NAME_LEN];
	uint64_t value;		/* pages, or kB where the name ends in _kb */
};

/* "Node N ZONE free:..kB min:..kB ..." then "Node N ZONE: n*4kB ... = ..kB". */
struct ms_oom_zone {
	int node;
	char name[MS_OOM_NAME_LEN];
	bool has_wmarks;
	uint64_t free_kb, boost_kb, min_kb, low_kb, high_kb, present_kb, managed_kb;
	unsigned int nr_reserve;
	int64_t lowmem_reserve[MS_OOM_RESERVES];	/* pages */
	bool has_orders;
	unsigned int nr_orders;
	uint64_t nr_free[MS_OOM_ORDERS];		/* blocks per order */
	uint64_t orders_total_kb;			/* after "=" */
};

/* A row of dump_tasks(); counters in pages as printed. */
struct ms_oom_row {
	int pid, tgid;
	uint32_t uid;
	uint64_t total_vm, rss;
	bool has_split;			/* rss_anon rss_file rss_shmem columns (6.x) */
	uint64_t rss_anon, rss_file, rss_shmem;
	int64_t pgtables_bytes;		/* -1 when the era printed nr_ptes instead */
	uint64_t swapents;
	int adj;
	char comm[MS_OOM_COMM_LEN];
};

struct ms_oom_event {
	enum ms_oom_kind kind;
	enum ms_oom_format format;
	unsigned int missing;		/* MS_OOM_NO_* and MS_OOM_GAP / CUT */
	uint64_t seq, ts_nsec;		/* of the first line seen */
	uint64_t last_seq;		/* of the last line taken */

	/* the trigger (or the failure line) */
	bool has_trigger;
	char comm[MS_OOM_COMM_LEN];
	int pid;			/* from dump_stack's "PID:", -1 if not seen */
	uint64_t gfp_mask;
	char gfp_names[MS_OOM_TEXT_LEN];	/* as %pGg printed them, "" if not */
	int order;
	bool has_adj;
	int adj;			/* the trigger's oom_score_adj */
	char nodemask[MS_OOM_TEXT_LEN];	/* "(null)" when none */

	/* the constraint: "oom-kill:..." (5.0+), or cpuset_print_current_mems_allowed() */
	bool has_constraint;
	char constraint[MS_OOM_NAME_LEN];	/* CONSTRAINT_NONE, _CPUSET, _MEMORY_POLICY, _MEMCG */
	char cpuset[MS_OOM_TEXT_LEN], mems_allowed[MS_OOM_TEXT_LEN];
	bool global_oom;
	char oom_memcg[MS_OOM_TEXT_LEN], task_memcg[MS_OOM_TEXT_LEN];
	char task_comm[MS_OOM_COMM_LEN];
	int task_pid;
	uint32_t task_uid;

	/* a memcg OOM: "memory: usage ..kB, limit ..kB, failcnt .." and swap's */
	bool has_memcg_usage, has_swap_usage;
	uint64_t memcg_usage_kb, memcg_limit_kb, memcg_failcnt;
	uint64_t swap_usage_kb, swap_limit_kb;

	/* show_mem(): Mem-Info counters, per-node lines are not kept */
	bool has_meminfo;
	size_t nr_counters;
	struct ms_oom_counter *counters;
	size_t nr_zones;
	struct ms_oom_zone *zones;

	/* dump_tasks() */
	bool has_tasks;
	size_t nr_rows;
	struct ms_oom_row *rows;

	/* the kill */
	bool has_kill;
	bool memcg_kill;		/* "Memory cgroup out of memory: ..." */
	uint64_t kill_seq, kill_ts_nsec;
	int kill_pid;
	char kill_comm[MS_OOM_COMM_LEN];
	bool has_score;			/* 4.x "score N" (points * 1000 / totalpages) */
	uint64_t score;
	bool has_kill_mem;
	uint64_t total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
	bool has_kill_uid;		/* 5.x+: UID, pgtables, oom_score_adj */
	uint32_t kill_uid;
	uint64_t pgtables_kb;
	int kill_adj;

	/* the oom_reaper */
	bool has_reap;
	uint64_t reap_ts_nsec;
	uint64_t reap_anon_kb, reap_file_kb, reap_shmem_kb;
	bool reap_failed;		/* "oom_reaper: unable to reap pid:N" */
};

/* Everything found in one log, with the parser's state. */
struct ms_oom_log {
	size_t nr;
	struct ms_oom_event *v;
	uint64_t records, lines;	/* fed */
	uint64_t first_seq, next_seq;	/* of the records fed */
	uint64_t last_ts_nsec;
	bool dropped;			/* more than MS_OOM_EVENTS_MAX events */
	struct ms_oom_log_state {
		long open;		/* index of the report being read, -1 */
		unsigned int gap;	/* lines since its last own line */
		enum { ST_NONE, ST_MEMINFO, ST_TASKS } part;
		unsigned int ncols;
		char cols[16][MS_OOM_NAME_LEN];	/* the tasks header's column names */
		long lastz;		/* the zone a lowmem_reserve[] line belongs to, -1 */
		bool any;
	} st;
};

void ms_oom_log_init(struct ms_oom_log *l);
/* Take one record (an ms_log_fn; arg is the struct ms_oom_log): NULL, or
 * MS_ERR_NOMEM. */
struct ms_error *ms_oom_log_feed(const struct ms_log_record *rec, void *arg);
/* Close the last report. */
void ms_oom_log_finish(struct ms_oom_log *l);
void ms_oom_log_free(struct ms_oom_log *l);

/* A Mem-Info counter of e by name: true and *v, or false. */
bool ms_oom_counter(const struct ms_oom_event *e, const char *name, uint64_t *v);

const char *ms_oom_kind_name(enum ms_oom_kind k);	/* "oom", "allocfail" */
/* The missing parts as words ("no trigger, no kill"), "" if none. */
const char *ms_oom_missing_text(unsigned int missing, char *buf, size_t len);

#endif
