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

#define MAX_COMMANDS 32

/* Commands not yet in lib/cmd's table. */
static const struct command_table_entry legacy[] = {
	{ "memdiff", cmd_memdiff, help_memdiff, 0 },
};

static struct command_table_entry command_table[MAX_COMMANDS + 1];

/* "NAME: MSG", then crash's usage (which does not return: it restarts crash's loop). */
static void usage(const struct ms_command *c, struct ms_error *err)
{
	fprintf(fp, "%s: %s\n", c->name, ms_error_string(err));
	ms_error_destroy(err);
	cmd_usage(pc->curcmd, SYNOPSIS);
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
	err = c->run(&ctx, p.opts.bytes);
	if (ms_error_is(err, MS_ERR_USAGE))
		usage(c, err);
	else if (err)
		report(&ctx, err);
}

void __attribute__((constructor)) memscope_init(void)
{
	int n = 0;

	for (const struct ms_command *const *c = ms_commands; *c && n < MAX_COMMANDS; c++) {
		char **help = ms_cmd_help_lines(*c, MS_FRONT_CRASH, NULL);

		command_table[n++] = (struct command_table_entry){ (char *)(*c)->name, memscope_cmd,
								   help, 0 };
	}
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]) && n < MAX_COMMANDS; i++)
		command_table[n++] = legacy[i];
	register_extension(command_table);
}

void __attribute__((destructor)) memscope_fini(void)
{
	ms_crash_target_fini();
	for (int i = 0; command_table[i].name; i++)
		if (command_table[i].func == memscope_cmd)
			ms_cmd_help_free(command_table[i].help_data);
}
