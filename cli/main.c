/*
 * main.c - memscope: where did the memory go, from a kernel crash dump,
 * without crash.  The CLI binding of lib/cmd's command table.
 *
 *   memscope [OPTIONS] COMMAND [COMMAND OPTIONS] DUMP
 *   memscope [OPTIONS] DUMP...        one JSON snapshot per dump and line
 *
 * What is the CLI's own stays here: its options (where types and symbols
 * come from), opening the dump, progress on a terminal, the exit status and
 * the batch mode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "command.h"
#include "standalone.h"

#define MEMSCOPE_VERSION "0.1"

/* The CLI's own options, before or after the command name. */
struct cli_opts {
	struct ms_standalone_opts src;
	bool version, list_options;
};

#define OPTS struct cli_opts
static const struct ms_option cli_options[] = {
	MS_STRING('k', "vmlinux", "FILE", OPTS, src.vmlinux),
	MS_FLAG(0, "dwarf", OPTS, src.dwarf),
	MS_FLAG(0, "symtab", OPTS, src.symtab),
	MS_STRING(0, "btf", "FILE", OPTS, src.btf),
	MS_STRING(0, "arch", "NAME", OPTS, src.arch),
	MS_FLAG(0, "zero-excluded", OPTS, src.zero_excluded),
	MS_HELP_OPT('h', NULL),
	MS_FLAG(0, "version", OPTS, version),
	MS_FLAG(0, "list-options", OPTS, list_options),	/* the table, for tests */
	MS_OPT_END,
};
#undef OPTS

static const char dump_options_help[] =
	"DUMP OPTIONS (before or after the command name)\n"
	"  Types and symbols come from the dump alone by default: the kernel's\n"
	"  kallsyms and its BTF (kernels 6.0 and later with CONFIG_DEBUG_INFO_BTF).\n"
	"    -k, --vmlinux FILE  types from FILE's .BTF section, else its DWARF\n"
	"        --dwarf         with -k: its DWARF even if it has BTF\n"
	"        --symtab        with -k: its symbol table (moved by the dump's KASLR\n"
	"                        offset) instead of the dump's kallsyms; the fallback\n"
	"                        for kernels before 6.0, whose VMCOREINFO lacks kallsyms\n"
	"        --btf FILE      types from a raw BTF file (/sys/kernel/btf/vmlinux)\n"
	"        --arch NAME     the dump's architecture when its header names none\n"
	"                        (QEMU's kdump-*; default x86_64)\n"
	"        --zero-excluded pages the dump does not hold (makedumpfile -d) read as\n"
	"                        zeroes instead of failing the read (crash's option of\n"
	"                        that name); either way their count goes to stderr\n"
	"    -h, --help          this help\n";

static void main_help(void)
{
	printf("Usage: memscope [OPTIONS] COMMAND [COMMAND OPTIONS] DUMP\n"
	       "       memscope [OPTIONS] DUMP...\n"
	       "\n"
	       "Where did the memory go, and why did the OOM killer pick that task: memscope\n"
	       "reads a Linux kernel crash dump (ELF, kdump compressed, makedumpfile -d\n"
	       "filtered, QEMU's flattened kdump-* stream) and prints what the kernel itself\n"
	       "would have printed, per-cpu deltas folded.  No crash and no vmlinux needed.\n"
	       "The same commands run inside crash (extend memscope.so).\n"
	       "\n"
	       "Commands:\n");
	for (const struct ms_command *const *c = ms_commands; *c; c++)
		printf("  %-10s %s\n", ms_cmd_name(*c, MS_FRONT_CLI), (*c)->summary);
	printf("\n"
	       "With dumps and no command, memscope prints one JSON snapshot (what 'snap'\n"
	       "writes) per dump, each on one line, for pipelines; a dump that cannot be\n"
	       "read gives a line {\"file\": ..., \"error\": ...}.\n"
	       "\n"
	       "%s"
	       "        --json          every command's: one JSON document instead of the text\n"
	       "        --version       the version\n"
	       "\n"
	       "'memscope COMMAND --help' describes a command.  Progress goes to stderr when\n"
	       "it is a terminal (MEMSCOPE_NO_PROGRESS=1: never); warnings about the dump go\n"
	       "to stderr.\n"
	       "\n"
	       "Exit status: 0 done, 1 a dump could not be opened or analysed, 2 bad usage.\n",
	       dump_options_help);
}

/* "memscope NAME: MSG" and where to read more: exit status 2. */
static int usage(const struct ms_command *c, struct ms_error *err)
{
	const char *name = c ? ms_cmd_name(c, MS_FRONT_CLI) : NULL;

	cli_progress_done();
	if (err)
		fprintf(stderr, "memscope%s%s: %s\n", name ? " " : "", name ? name : "",
			ms_error_string(err));
	ms_error_destroy(err);
	fprintf(stderr, "Try 'memscope%s%s --help'.\n", name ? " " : "", name ? name : "");
	return CLI_USAGE;
}

/* ---- the binding's hooks ---- */

static void report(struct ms_cmd_ctx *ctx, struct ms_error *err)
{
	if (ctx->dump)
		cli_error("%s: %s", ctx->dump, ms_error_string(err));
	else
		cli_error("%s", ms_error_string(err));
	ms_error_destroy(err);
}

static void progress(struct ms_cmd_ctx *ctx, const char *what)
{
	if (ctx->dump)
		cli_progress("%s: %s", ctx->dump, what);
	else
		cli_progress("%s", what);
}

static void progress_done(struct ms_cmd_ctx *ctx)
{
	(void)ctx;
	cli_progress_done();
}

static void open_progress(void *ctx, const char *what)
{
	(void)ctx;
	cli_progress("%s", what);
}

static void open_progress_done(void *ctx)
{
	(void)ctx;
	cli_progress_done();
}

static struct ms_error *open_dump(struct ms_cmd_ctx *ctx, const char *path,
				  struct ms_standalone **s, struct ms_target **t)
{
	struct ms_standalone_opts o = ((struct cli_opts *)ctx->binding)->src;
	struct ms_error *err;

	o.errf = stderr;
	o.progress = open_progress;
	o.progress_done = open_progress_done;
	err = ms_standalone_open(path, &o, s);
	if (!err)
		*t = ms_standalone_target(*s);
	return err;
}

static void close_dump(struct ms_cmd_ctx *ctx, const char *path, struct ms_standalone *s)
{
	char note[256];

	(void)ctx;
	cli_progress_done();
	if (ms_standalone_missing_note(s, note, sizeof(note)))
		cli_error("%s: %s", path, note);
	ms_standalone_close(s);
}

static void init_ctx(struct ms_cmd_ctx *ctx, const struct ms_command *c, struct cli_opts *o)
{
	*ctx = (struct ms_cmd_ctx){
		.cmd = c, .front = MS_FRONT_CLI, .out = stdout, .report = report,
		.open_dump = open_dump, .close_dump = close_dump, .progress = progress,
		.progress_done = progress_done, .binding = o,
	};
}

/* ---- running ---- */

static void json_out(json_t *j, size_t flags)
{
	json_dumpf(j, stdout, flags);
	fputc('\n', stdout);
	json_decref(j);
}

/* What the table's own options ask before any dump is read: 1 if answered. */
static int answered(const struct cli_opts *o)
{
	if (o->version)
		printf("memscope %s\n", MEMSCOPE_VERSION);
	else if (o->list_options)
		json_out(ms_commands_json(cli_options), JSON_INDENT(1));
	return o->version || o->list_options;
}

static int run_command(const struct ms_command *c, int argc, char **argv, struct cli_opts *o)
{
	struct ms_parse p = { .front = MS_FRONT_CLI, .extra = cli_options, .extra_dst = o };
	struct ms_standalone *s = NULL;
	struct ms_cmd_ctx ctx;
	struct ms_error *err = ms_cmd_parse(c, argc, argv, &p);

	if (err)
		return usage(c, err);
	if (p.help) {
		ms_cmd_help_print(stdout, c, dump_options_help);
		return CLI_OK;
	}
	if (answered(o))
		return CLI_OK;
	init_ctx(&ctx, c, o);
	ctx.json = p.json;
	ctx.argc = p.argc;
	ctx.argv = p.argv;
	if (!c->opens_own_inputs) {
		/* The last operand is the DUMP. */
		err = open_dump(&ctx, p.argv[--ctx.argc], &s, &ctx.target);
		if (err) {
			cli_error("%s", ms_error_string(err));
			ms_error_destroy(err);
			return CLI_FAIL;
		}
		ctx.dump = p.argv[ctx.argc];
	}
	err = c->run(&ctx, p.opts.bytes);
	if (s)
		close_dump(&ctx, ctx.dump, s);
	if (ms_error_is(err, MS_ERR_USAGE))
		return usage(c, err);
	if (err)
		ms_cmd_report(&ctx, err);
	return ctx.failed ? CLI_FAIL : CLI_OK;
}

/* memscope DUMP...: one compact snapshot per line; failures as error lines. */
static int batch(int argc, char **argv, struct cli_opts *o)
{
	struct ms_cmd_ctx ctx;
	int rc = CLI_OK;

	init_ctx(&ctx, NULL, o);
	for (int i = 0; i < argc; i++) {
		struct ms_error *err;
		json_t *snap;

		cli_progress("[%d/%d] %s", i + 1, argc, argv[i]);
		err = ms_cmd_snapshot_of(&ctx, argv[i], &snap);
		if (err) {
			report(&ctx, err);
			snap = json_pack("{s:s, s:s}", "file", argv[i], "error",
					 "cannot be opened or analysed (see stderr)");
			rc = CLI_FAIL;
		} else {
			json_object_set_new(snap, "file", json_string(argv[i]));
		}
		cli_progress_done();
		json_out(snap, JSON_COMPACT | JSON_SORT_KEYS);
		fflush(stdout);
	}
	return rc;
}

/*
 * Output that did not reach its file is a failure: a full disk, /dev/full, a
 * closed pipe.  stdout's error flag and fclose() are checked once at the end
 * (every write goes through the stream), and the status becomes 1.
 */
static int close_stdout(int rc)
{
	int failed = ferror(stdout);

	errno = 0;
	failed |= fclose(stdout) != 0;
	if (!failed)
		return rc;
	cli_progress_done();
	fprintf(stderr, "memscope: write error on standard output%s%s\n", errno ? ": " : "",
		errno ? strerror(errno) : "");
	return CLI_FAIL;
}

static int cli_main(int argc, char **argv)
{
	struct cli_opts o = { 0 };
	struct ms_parse p = { .front = MS_FRONT_CLI, .extra = cli_options, .extra_dst = &o,
			      .stop_at_operand = true };
	const struct ms_command *c;
	struct ms_error *err = ms_cmd_parse(NULL, argc, argv, &p);

	if (err)
		return usage(NULL, err);
	if (p.help) {
		main_help();
		return CLI_OK;
	}
	if (answered(&o))
		return CLI_OK;
	if (p.argc == 0)
		return usage(NULL, ms_error_create(MS_ERR_USAGE, "a COMMAND or a DUMP is needed"));
	/* A --json before the command name is ignored, as always; batch lines are JSON. */
	c = ms_command_find(p.argv[0], MS_FRONT_CLI);
	if (!c)
		return batch(p.argc, p.argv, &o);
	return run_command(c, p.argc, p.argv, &o);
}

int main(int argc, char **argv)
{
	return close_stdout(cli_main(argc, argv));
}
