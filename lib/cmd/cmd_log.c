/*
 * cmd_log.c - memlog (CLI: log): the kernel log from the dump, as dmesg.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>

#include "command.h"
#include "log_print.h"

struct print_arg {
	struct ms_cmd_ctx *ctx;
	const struct ms_log_print_opts *o;
	json_t *records;
};

static struct ms_error *print_one(const struct ms_log_record *rec, void *arg)
{
	struct print_arg *a = arg;

	ms_log_print_record(a->ctx->out, rec, a->o);
	return NULL;
}

static struct ms_error *collect_one(const struct ms_log_record *rec, void *arg)
{
	struct print_arg *a = arg;
	json_t *j = ms_log_record_json(rec);

	if (!j || json_array_append_new(a->records, j))
		return &ms_error_nomem;
	return NULL;
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	struct print_arg a = { .ctx = ctx, .o = opts };
	struct ms_log_stats s;
	struct ms_error *err;

	if (ctx->json && !(a.records = json_array()))
		return &ms_error_nomem;
	err = ms_log_walk(ctx->target, ctx->json ? collect_one : print_one, &a, &s);
	if (err && !s.records) {
		json_decref(a.records);
		return ms_error_wrap(err, "cannot read the kernel log");
	}
	if (!err && !s.records && s.skipped) {
		json_decref(a.records);
		return ms_error_create(MS_ERR_CORRUPT, "no record of the kernel log could be read "
				       "(%llu skipped)", (unsigned long long)s.skipped);
	}
	if (err)	/* what was read is still the answer */
		ms_cmd_report(ctx, ms_error_wrap(err, "the kernel log after seq %llu",
						 (unsigned long long)s.next_seq - 1));
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_log_json(&s, a.records), MS_CMD_JSON_FLAGS);
	else
		ms_log_print_note(ctx->out, &s);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('t', NULL, struct ms_log_print_opts, no_time),
	MS_FLAG('x', NULL, struct ms_log_print_opts, decode),
	MS_FLAG('r', NULL, struct ms_log_print_opts, raw),
	MS_FLAG('c', NULL, struct ms_log_print_opts, caller),
	MS_FLAG('d', NULL, struct ms_log_print_opts, dict),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "The kernel log of a 6.1 guest, its beginning and its end:", "",
	  "[    0.000000] Linux version 6.1.0-55-cloud-amd64 (debian-kernel@lists.debian.org) ...\n"
	  "[    0.000000] Command line: console=ttyS0 loglevel=3 panic=-1 memscope.scenario=tmpfs\n"
	  "...\n"
	  "[    1.603880]     TERM=linux\n"
	  "[    5.697476] random: crng init done\n"
	  "\n"
	  "-- printk_ringbuffer: seq 0..339, 340 records" },
	{ "Facility and level decoded, and the task or CPU that logged each record:", "-x -c",
	  "kern  :info  : [    1.603715][    T1] Run /init as init process\n"
	  "kern  :notice: [    5.697476][    C1] random: crng init done" },
	{ "The records as JSON:", "--json",
	  "{\n"
	  "  \"format\": \"printk_ringbuffer\",\n"
	  "  \"first_seq\": 0,\n"
	  "  \"next_seq\": 340,\n"
	  "  \"records\": 340,\n"
	  "  \"skipped\": 0,\n"
	  "  \"log\": [\n"
	  "    ...\n"
	  "    { \"seq\": 339, \"ts_nsec\": 5697476889, \"time\": 5.697476889, \"level\": 5,\n"
	  "      \"facility\": 0, \"flags\": 2, \"caller\": \"C1\",\n"
	  "      \"text\": \"random: crng init done\", \"subsystem\": null, \"device\": null }" },
	{ 0 },
};

const struct ms_command ms_cmd_log = {
	.name = "memlog",
	.cli_name = "log",
	.summary = "the kernel log from the dump, as dmesg prints it",
	.synopsis = "[-t] [-x|-r] [-c] [-d] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.excludes = "xr",
	.opts_size = sizeof(struct ms_log_print_opts),
	.defaults = &(const struct ms_log_print_opts){ 0 },
	.description =
	"Prints every record of the kernel log the dump holds, oldest first, the way\n"
	"dmesg does: \"[seconds.micros] text\", each line of a multi-line record with\n"
	"the record's prefix.  The log is the lockless printk_ringbuffer that prb\n"
	"points to (5.10+), or the log_buf records of older kernels.  A record whose\n"
	"memory the dump lacks, or whose descriptor, info and text disagree, is\n"
	"named on stderr and skipped; a last line says which log it was, the range\n"
	"of sequence numbers it holds and how many records were skipped.\n"
	"\n"
	"  -t        no timestamps.\n"
	"  -x        facility and level decoded (\"kern  :warn  : \"), as dmesg -x.\n"
	"  -r        the raw syslog prefix \"<N>\" (facility * 8 + level), as dmesg -r.\n"
	"  -c        the caller: \"[  T123]\" for a task, \"[    C1]\" for a CPU\n"
	"            (printk_caller_id()), where the kernel recorded it.\n"
	"  -d        the device a dev_printk() names, after its record, as /dev/kmsg\n"
	"            shows it: \" SUBSYSTEM=pci\", \" DEVICE=+pci:0000:00:01.0\".\n"
	"  --json    one JSON document: the range, the skipped count, and each record\n"
	"            with seq, ts_nsec, time (seconds), level, facility, flags, caller,\n"
	"            text, subsystem and device.",
	.examples = examples,
	.run = run,
};
