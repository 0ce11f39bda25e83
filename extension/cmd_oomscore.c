/*
 * cmd_oomscore.c - crash command "oomscore".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "oom_print.h"

char *help_oomscore[] = {
	"oomscore",
	"OOM badness of every process and the task a global OOM would kill",
	"[-p] [-a] [--json]",
	"  Walks the process list the way the kernel's OOM killer does",
	"  (init_task.tasks, each process's threads through signal->thread_head;",
	"  crash's own task table is not used) and computes for every process the",
	"  points of the dumped kernel's oom_badness() over totalpages = RAM + swap,",
	"  and /proc/PID/oom_score as proc_oom_score() scales them.",
	"",
	"  Candidates come first, in the order select_bad_process() prefers them",
	"  (more points first; among equal points the later task in the process",
	"  list); the one a global OOM would kill now is marked '>'.  Then every",
	"  process the OOM killer skips, with the reason: global init, kernel",
	"  thread, no mm (exiting), oom_score_adj -1000, MMF_OOM_SKIP, in vfork,",
	"  an earlier OOM victim already reaped.",
	"",
	"  Columns: rss split as MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES, swap",
	"  entries (MM_SWAPENTS), page tables (mm_pgtables_bytes), oom_score_adj,",
	"  BADNESS (pages, oom_badness()) and OOM_SCORE (0..2000).",
	"",
	"    -p      counters in pages instead of K/M/G.",
	"    -a      list kernel threads among the skipped tasks (default: a count).",
	"    --json  one JSON document: every process with its counters in pages.",
	"\nEXAMPLES",
	"  Who would the OOM killer pick?\n",
	"    %s> oomscore",
	"    totalpages 120263 (RAM 120263 + swap 0 pages of 4 KiB); oom_badness() of Linux 6.1.0-55-cloud-amd64 (5.9+ formula)",
	"    a global OOM kills (>): pid 105 (memhog), badness 120433, oom_score 1334",
	"",
	"            PID    UID COMM                 ANON     FILE    SHMEM     SWAP  PGTABLE    ADJ    BADNESS  OOM_SCORE",
	"    >       105      0 memhog               996K       4K     692K       0K      40K   1000     120433       1334",
	"            102      0 memhog              2052K       4K     692K       0K      40K    800      96697       1202",
	"            101      0 memhog              39.9M       4K     692K       0K     116K    500      70418       1056",
	"            ...",
	"",
	"    SKIPPED: 2 (and 51 kernel threads; -a lists them)",
	"            PID    UID COMM                 ANON     FILE    SHMEM     SWAP  PGTABLE    ADJ REASON",
	"              1      0 init                  88K       4K    1664K       0K      28K      0 global init",
	"             94      0 memhog              3900K       4K     692K       0K      48K  -1000 oom_score_adj -1000",
	"",
	"  The same in pages, kernel threads listed; or as JSON:\n",
	"    %s> oomscore -p -a",
	"    %s> oomscore --json",
	NULL
};

void cmd_oomscore(void)
{
	struct ms_target *t = ms_crash_target();
	int json = ms_take_json_flag();
	struct ms_oom_print_opts opts = { 0 };
	struct ms_error *err;
	struct ms_tasks ts;
	struct ms_oom o;
	int c;

	while ((c = getopt(argcnt, args, "pa")) != EOF) {
		switch (c) {
		case 'p':
			opts.pages = true;
			break;
		case 'a':
			opts.all = true;
			break;
		default:
			argerrs++;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);

	err = ms_tasks_read(t, &ts);
	if (err) {
		fprintf(fp, "oomscore: cannot walk the process list: %s\n", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	err = ms_oom_compute(t, &ts, &o);
	if (err) {
		fprintf(fp, "oomscore: cannot compute OOM scores: %s\n", ms_error_string(err));
		ms_error_destroy(err);
		ms_tasks_free(&ts);
		return;
	}
	if (json) {
		ms_json_out(ms_oom_json(&o));
	} else {
		ms_oom_print(fp, &o, &opts);
	}
	ms_oom_free(&o);
	ms_tasks_free(&ts);
}
