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
#include "snapshot.h"
#include "standalone.h"

#define MEMSCOPE_VERSION "0.1"

/* The CLI's own options, before or after the command name. */
struct cli_opts {
	struct ms_standalone_opts src;
	bool version, list_options, man, bash_completion;
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
	MS_FLAG(0, "man", OPTS, man),				/* memscope.1, for the build */
	MS_FLAG(0, "bash-completion", OPTS, bash_completion),	/* and its completion */
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

static const char intro_help[] =
	"Where did the memory go, and why did the OOM killer pick that task: memscope\n"
	"reads a Linux kernel crash dump (ELF, kdump compressed, makedumpfile -d\n"
	"filtered, QEMU's flattened kdump-* stream) and prints what the kernel itself\n"
	"would have printed, per-cpu deltas folded.  No crash and no vmlinux needed.\n"
	"The same commands run inside crash (extend memscope.so).\n";

static const char batch_help[] =
	"With dumps and no command, memscope prints one JSON snapshot (what 'snap'\n"
	"writes) per dump, each on one line, for pipelines; a dump that cannot be\n"
	"read gives a line {\"schema_version\": ..., \"file\": ..., \"error\": ...}.\n";

static const char common_help[] =
	"        --json          every command's: one JSON document instead of the text\n"
	"        --version       the version\n";

static const char streams_help[] =
	"'memscope COMMAND --help' describes a command.  Only the output goes to\n"
	"stdout.  Errors (\"memscope: DUMP: ...\"), usage messages and warnings about\n"
	"the dump go to stderr; progress too when stderr is a terminal\n"
	"(MEMSCOPE_NO_PROGRESS=1: never).\n";

static const char exit_help[] =
	"Exit status: 0 done, 1 a dump could not be opened or analysed, 2 bad usage.\n";

static const char json_help[] =
	"Every --json document, snapshot and batch line is one JSON object whose\n"
	"\"schema_version\" names the version of its JSON Schema (draft 2020-12):\n"
	"schemas/COMMAND.schema.json in the source, installed in\n"
	"PREFIX/share/memscope/schemas/ (snapshot.schema.json for snap and the\n"
	"batch lines, batch.schema.json for a batch line).  A change to an output\n"
	"bumps its schema_version.  Snapshots of every earlier version are still\n"
	"read by snap and diff.\n";

static const char env_help[] =
	"MEMSCOPE_NO_PROGRESS  set: no progress on stderr even when it is a terminal.\n"
	"TMPDIR                where a flattened kdump-* stream is reassembled\n"
	"                      (an unnamed temporary file; default /tmp).\n";

static const char examples_help[] =
	"How memory was used when the dump was taken:\n"
	"    $ memscope meminfo -s /var/crash/vmcore\n"
	"\n"
	"Where USED grew between two dumps of one boot:\n"
	"    $ memscope diff /var/crash/before/vmcore /var/crash/after/vmcore\n"
	"\n"
	"A kernel without BTF (before 6.0), its types and symbols from its vmlinux:\n"
	"    $ memscope -k vmlinux --symtab tasks vmcore\n"
	"\n"
	"One snapshot line per dump of a fleet, as a table (jq):\n"
	"    $ memscope /var/crash/*/vmcore > fleet.jsonl\n"
	"    $ jq -r 'select(.error == null) | [.file, .identity.nodename,\n"
	"        .used.used_kb, .used.categories.unaccounted] | @tsv' fleet.jsonl\n";

/* Options for the build and the tests: not in the help, the manual or completion. */
static const char *const hidden_options[] = { "list-options", "man", "bash-completion", NULL };

static const struct cli_texts texts = {
	.version = MEMSCOPE_VERSION, .intro = intro_help, .batch = batch_help,
	.dump_options = dump_options_help, .common_options = common_help, .json = json_help,
	.streams = streams_help, .environment = env_help, .examples = examples_help,
	.options = cli_options, .hidden = hidden_options,
};

static void main_help(void)
{
	printf("Usage: memscope [OPTIONS] COMMAND [COMMAND OPTIONS] DUMP\n"
	       "       memscope [OPTIONS] DUMP...\n"
	       "\n"
	       "%s"
	       "\n"
	       "Commands:\n", intro_help);
	for (const struct ms_command *const *c = ms_commands; *c; c++)
		printf("  %-10s %s\n", ms_cmd_name(*c, MS_FRONT_CLI), (*c)->summary);
	printf("\n%s\n%s%s\n%s\n%s", batch_help, dump_options_help, common_help, streams_help,
	       exit_help);
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
	else if (o->man)
		cli_man_page(stdout, &texts);
	else if (o->bash_completion)
		cli_bash_completion(stdout, &texts);
	return o->version || o->list_options || o->man || o->bash_completion;
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
			snap = json_pack("{s:i, s:s, s:s}", "schema_version", MS_SNAPSHOT_VERSION,
					 "file", argv[i], "error",
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
