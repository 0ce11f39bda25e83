/*
 * cmd_tasks.c - tasks: every thread with its state, where it waits and the
 * memory of its process; -g groups them, -s shows chosen kernel stacks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "tasks_print.h"

static void progress(void *arg, size_t done, size_t total)
{
	ms_cmd_progress(arg, "unwinding kernel stacks: %zu/%zu tasks", done, total);
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct ms_tasks_print_opts *o = opts;
	struct ms_task_groups g;
	struct ms_taskview v;
	struct ms_error *err;

	ms_cmd_progress(ctx, "walking the task list");
	err = ms_taskview_build(ctx->target, progress, ctx, &v);
	ms_cmd_progress_done(ctx);
	if (err)
		return err;
	if (o->nr_keys && (err = ms_tasks_group(&v, o, &g))) {
		ms_taskview_free(&v);
		return err;
	}
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_tasks_json(&v, o, o->nr_keys ? &g : NULL),
				MS_CMD_JSON_FLAGS);
	else
		ms_tasks_print(ctx->out, &v, o, o->nr_keys ? &g : NULL);
	if (o->nr_keys)
		ms_task_groups_free(&g);
	ms_taskview_free(&v);
	return NULL;
}

/* -g's list lands in the whole option struct (keys and their count). */
static struct ms_error *parse_keys(const char *arg, void *dst)
{
	return ms_tasks_parse_keys(arg, (struct ms_tasks_print_opts *)
				   ((char *)dst - offsetof(struct ms_tasks_print_opts, nr_keys)));
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct ms_tasks_print_opts, pages),
	MS_CUSTOM('g', NULL, "KEYS", struct ms_tasks_print_opts, nr_keys, parse_keys),
	MS_STRING('s', NULL, "PID|COMM[,...]", struct ms_tasks_print_opts, stacks),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "A storm of writers stuck on a FUSE mount that stopped answering:", "-g state,comm,wchan",
	  "1055 tasks in 1055 processes; states as task_state_index() of 6.1+; wchan by ORC "
	  "(368456 vmlinux entries, end-bit era; 2 modules)\n"
	  "\n"
	  "grouped by state, comm, wchan (memory: anon and page tables of each process, and a "
	  "16 KiB kernel stack a thread)\n"
	  "\n"
	  "     999 \u00d7 sh, state D, in path_openat, 48 KiB on average; 46.9 MiB in all\n"
	  "       1 \u00d7 init, state S, in do_sys_poll, 340 KiB each; 340 KiB in all\n"
	  "       1 \u00d7 fusestall, state S, in __do_sys_pause, 48 KiB each; 48 KiB in all\n"
	  "       1 \u00d7 sh, state D, in fuse_get_req, 48 KiB each; 48 KiB in all\n"
	  "     ..." },
	{ "The kernel stack of pid 122 and of every task named fusestall:", "-s 122,fusestall",
	  "PID 122 (sh), state D, wchan fuse_get_req, unwound by orc\n"
	  "  #0  ffffffff9ec10e3d __schedule+0x34d  (scheduler)\n"
	  "  #1  ffffffff9ec1154a schedule+0x5a  (scheduler)\n"
	  "  #2  ffffffffc057b87b fuse_get_req+0x21b [fuse]\n"
	  "  #3  ffffffffc057f93e fuse_simple_request+0x2e [fuse]\n"
	  "  ..." },
	{ "Every task, sizes in pages; or as JSON:", "-p\n--json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_tasks = {
	.name = "tasks",
	.summary = "every task's state, where it waits, and its memory; storms grouped",
	.synopsis = "[-p] [-g KEYS] [-s PID|COMM[,...]] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct ms_tasks_print_opts),
	.defaults = &(const struct ms_tasks_print_opts){ 0 },
	.description =
	"Walks every thread of every process (init_task.tasks, then each\n"
	"signal->thread_head; crash's task table is not used) and prints for each:\n"
	"\n"
	"  ST       the letter /proc/PID/stat prints: task_state_index() of the\n"
	"           dumped kernel's era over __state (5.14+) or state, and\n"
	"           exit_state; R S D T t X Z P I.\n"
	"  LASTRAN  how long ago it was last put on a CPU: the runqueue clock of\n"
	"           its CPU minus sched_info.last_arrival (an upper bound of the\n"
	"           time in its state; '-' without CONFIG_SCHED_INFO).\n"
	"  WCHAN    what /proc/PID/wchan says: get_wchan() unwinds a task that is\n"
	"           blocked and off the runqueue, and names the first return\n"
	"           address outside the scheduler (__sched_text, __lock_text); '0'\n"
	"           for the others.  Stacks are unwound with the ORC tables read\n"
	"           from the dump (vmlinux's and each module's), as\n"
	"           arch/x86/kernel/unwind_orc.c does; without them with frame\n"
	"           pointers; when either fails before a wchan, by scanning the\n"
	"           stack for text addresses.  The header says which.\n"
	"  VSZ RSS ANON FILE SHMEM DATA STK PTE SWAP THR\n"
	"           the process's VmSize, VmRSS, RssAnon, RssFile, RssShmem,\n"
	"           VmData, VmStk, VmPTE, VmSwap and Threads, computed as\n"
	"           task_mem() (fs/proc/task_mmu.c) does.\n"
	"\n"
	"  -p       sizes in pages instead of K/M/G.\n"
	"  -g KEYS  group the tasks by KEYS, a comma-separated list of state,\n"
	"           comm, wchan, parent, cgroup and uid; each group is one line\n"
	"           with its count and the memory its tasks hold alone (anon\n"
	"           memory and page tables of each process, counted with its\n"
	"           leader, and a kernel stack per thread; file and shmem pages\n"
	"           are shared), largest first.\n"
	"  -s PID|COMM[,...]\n"
	"           the whole kernel stack of the tasks with those pids or comms,\n"
	"           with symbols, offsets and module names, and how it was unwound.\n"
	"  --json   one JSON document: every task (status sizes in kB), the groups\n"
	"           with -g and the frames of the tasks -s chooses.",
	.examples = examples,
	.run = run,
	.json_version = 2,	/* 2: a process's pgtables_upper_kb */
};
