/*
 * memscope.c - the crash binding: crash's command table and help arrays
 * built from lib/cmd's table at load, and one handler for every command.
 *
 *   crash> extend memscope.so
 *
 * What is crash's own stays here: its fp, its cmd_usage() for usage errors
 * and help, its session target.  Nothing here may take crash down: no
 * FAULT_ON_ERROR read, no exit().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "command.h"
#include "second_dump.h"

#define MAX_COMMANDS 32

static struct command_table_entry command_table[MAX_COMMANDS + 1];

/* "NAME: MSG", then crash's usage (which does not return: it restarts crash's loop). */
static void usage(const struct ms_command *c, struct ms_error *err)
{
	fprintf(fp, "%s: %s\n", c->name, ms_error_string(err));
	ms_error_destroy(err);
	cmd_usage(pc->curcmd, SYNOPSIS);
}

/* memdiff's BEFORE, when it is a dump: crash's types, moved by the KASLR delta. */
static struct ms_error *open_dump(struct ms_cmd_ctx *ctx, const char *path,
				  struct ms_standalone **s, struct ms_target **t)
{
	struct ms_error *err = ms_crash_open_dump(path, s);

	(void)ctx;
	if (!err)
		*t = ms_standalone_target(*s);
	return err;
}

static void close_dump(struct ms_cmd_ctx *ctx, const char *path, struct ms_standalone *s)
{
	char note[256];

	(void)path;
	/* Only memdiff opens a dump here, its BEFORE. */
	if (ms_standalone_missing_note(s, note, sizeof(note)))
		fprintf(fp, "%s: BEFORE: %s\n", ctx->cmd->name, note);
	ms_standalone_close(s);
}

/* memdiff's BEFORE dump, read in a child process (second_dump.c). */
static struct ms_error *snapshot_dump(struct ms_cmd_ctx *ctx, const char *path, json_t **snap)
{
	(void)ctx;
	return ms_crash_snapshot_dump(path, snap);
}

static void report(struct ms_cmd_ctx *ctx, struct ms_error *err)
{
	fprintf(fp, "%s: %s\n", ctx->cmd->name, ms_error_string(err));
	ms_error_destroy(err);
}

static void memscope_cmd(void)
{
	const struct ms_command *c = ms_command_find(pc->curcmd, MS_FRONT_CRASH);
	struct ms_parse p = { .front = MS_FRONT_CRASH };
	struct ms_cmd_ctx ctx = { .cmd = c, .front = MS_FRONT_CRASH };
	struct ms_error *err;

	if (!c)
		return;
	err = ms_cmd_parse(c, argcnt, args, &p);
	if (err) {
		usage(c, err);
		return;
	}
	if (p.help) {
		cmd_usage(pc->curcmd, COMPLETE_HELP);
		return;
	}
	ctx.target = ms_crash_target();
	ctx.out = fp;
	ctx.argc = p.argc;
	ctx.argv = p.argv;
	ctx.json = p.json;
	ctx.report = report;
	ctx.open_dump = open_dump;
	ctx.close_dump = close_dump;
	ctx.snapshot_dump = snapshot_dump;
	err = c->run(&ctx, p.opts.bytes);
	if (ms_error_is(err, MS_ERR_USAGE))
		usage(c, err);
	else if (err)
		report(&ctx, err);
}

void __attribute__((constructor)) memscope_init(void)
{
	int n = 0;

	/* Another crash's layouts: told, and refused where known to differ
	 * (crash then says no commands were registered and unloads us). */
	if (!ms_crashver_check(fp))
		return;
	for (const struct ms_command *const *c = ms_commands; *c && n < MAX_COMMANDS; c++) {
		char **help = ms_cmd_help_lines(*c, MS_FRONT_CRASH, NULL);

		command_table[n++] = (struct command_table_entry){ (char *)(*c)->name, memscope_cmd,
								   help, 0 };
	}
	register_extension(command_table);
}

void __attribute__((destructor)) memscope_fini(void)
{
	ms_crash_target_fini();
	for (int i = 0; command_table[i].name; i++)
		if (command_table[i].func == memscope_cmd)
			ms_cmd_help_free(command_table[i].help_data);
}
