/*
 * main.c - memscope: where did the memory go, from a kernel crash dump,
 * without crash.
 *
 *   memscope [OPTIONS] COMMAND [COMMAND OPTIONS] DUMP
 *   memscope [OPTIONS] DUMP...        one JSON snapshot per dump and line
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "snapshot.h"

#define MEMSCOPE_VERSION "0.1"

static const struct cli_command *const commands[] = {
	&cli_meminfo, &cli_zoneinfo, &cli_buddyinfo, &cli_oomscore,
	&cli_slabinfo, &cli_tmpfs, &cli_snap, &cli_diff,
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const char common_help[] =
	"Types and symbols (default: from the dump alone, kallsyms and the kernel's BTF):\n"
	"  -k, --vmlinux FILE  types from FILE's .BTF section, else its DWARF\n"
	"      --dwarf         with -k: its DWARF even if it has BTF\n"
	"      --symtab        with -k: its symbol table (moved by the dump's KASLR\n"
	"                      offset) instead of the dump's kallsyms; the fallback for\n"
	"                      kernels before 6.0, whose VMCOREINFO lacks kallsyms\n"
	"      --btf FILE      types from a raw BTF file (/sys/kernel/btf/vmlinux)\n"
	"      --arch NAME     the dump's architecture when its header names none\n"
	"                      (QEMU's kdump-*; default x86_64)\n"
	"      --zero-excluded pages the dump does not hold (makedumpfile -d) read as\n"
	"                      zeroes instead of failing the read (crash's option of\n"
	"                      that name); either way their count goes to stderr\n"
	"      --json          one JSON document instead of the text\n"
	"  -h, --help          this help\n";

static void main_help(void)
{
	printf("Usage: memscope [OPTIONS] COMMAND [COMMAND OPTIONS] DUMP\n"
	       "       memscope [OPTIONS] DUMP...\n"
	       "\n"
	       "Where did the memory go, and why did the OOM killer pick that task: memscope\n"
	       "reads a Linux kernel crash dump (ELF, kdump compressed, makedumpfile -d\n"
	       "filtered, QEMU's flattened kdump-* stream) and prints what the kernel itself\n"
	       "would have printed, per-cpu deltas folded.  No crash and no vmlinux needed:\n"
	       "symbols come from the kernel's kallsyms and types from its BTF, both read\n"
	       "from the dump (kernels 6.0 and later with CONFIG_DEBUG_INFO_BTF).\n"
	       "\n"
	       "Commands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
	printf("\n"
	       "With dumps and no command, memscope prints one JSON snapshot (what 'snap'\n"
	       "writes) per dump, each on one line, for pipelines; a dump that cannot be\n"
	       "read gives a line {\"file\": ..., \"error\": ...}.\n"
	       "\n"
	       "%s"
	       "      --version       the version\n"
	       "\n"
	       "'memscope COMMAND --help' describes a command.  Progress goes to stderr when\n"
	       "it is a terminal (MEMSCOPE_NO_PROGRESS=1: never); warnings about the dump go\n"
	       "to stderr.\n"
	       "\n"
	       "Exit status: 0 done, 1 a dump could not be opened or analysed, 2 bad usage.\n",
	       common_help);
}

void cli_help(const struct cli_command *c)
{
	printf("Usage: memscope %s %s\n\n%s.\n\n%s\n%s", c->name, c->usage, c->summary, c->help,
	       common_help);
}

int cli_usage_error(const struct cli_command *c, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "memscope %s: ", c ? c->name : "");
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	if (c)
		fprintf(stderr, "Try 'memscope %s --help'.\n", c->name);
	else
		fprintf(stderr, "Try 'memscope --help'.\n");
	return CLI_USAGE;
}

int cli_common_opt(int c, struct cli_source *src)
{
	switch (c) {
	case OPT_VMLINUX:
		src->vmlinux = optarg;
		return 1;
	case OPT_BTF:
		src->btf = optarg;
		return 1;
	case OPT_ARCH:
		src->arch = optarg;
		return 1;
	case OPT_DWARF:
		src->dwarf = true;
		return 1;
	case OPT_SYMTAB:
		src->symtab = true;
		return 1;
	case OPT_ZERO_EXCLUDED:
		src->zero_excluded = true;
		return 1;
	default:
		return 0;
	}
}

const char *cli_one_dump(const struct cli_command *c, int argc, char **argv)
{
	if (optind >= argc) {
		cli_usage_error(c, "a DUMP is needed");
		return NULL;
	}
	if (optind + 1 < argc) {
		cli_usage_error(c, "one DUMP only (\"%s\" is one too many)", argv[optind + 1]);
		return NULL;
	}
	return argv[optind];
}

void cli_json_out(json_t *j, size_t flags)
{
	json_dumpf(j, stdout, flags);
	fputc('\n', stdout);
	json_decref(j);
}

/* memscope DUMP...: one compact snapshot per line; failures as error lines. */
static int batch(int argc, char **argv, struct cli_source *src)
{
	int rc = CLI_OK;

	for (int i = 0; i < argc; i++) {
		json_t *snap;

		cli_progress("[%d/%d] %s", i + 1, argc, argv[i]);
		snap = cli_snapshot_of(argv[i], src);
		if (!snap) {
			snap = json_pack("{s:s, s:s}", "file", argv[i], "error",
					 "cannot be opened or analysed (see stderr)");
			rc = CLI_FAIL;
		} else {
			json_object_set_new(snap, "file", json_string(argv[i]));
		}
		cli_progress_done();
		cli_json_out(snap, JSON_COMPACT | JSON_SORT_KEYS);
		fflush(stdout);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_source src = { 0 };
	int c;

	/* "+": stop at the command; its own options are parsed by it. */
	while ((c = getopt_long(argc, argv, "+" CLI_COMMON_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_common_opt(c, &src))
			continue;
		switch (c) {
		case 'h':
		case OPT_HELP:
			main_help();
			return CLI_OK;
		case 'V':
			printf("memscope %s\n", MEMSCOPE_VERSION);
			return CLI_OK;
		case OPT_JSON:
			break;		/* batch output is JSON anyway */
		default:
			return cli_usage_error(NULL, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage_error(NULL, "a COMMAND or a DUMP is needed");
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[optind], commands[i]->name)) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;

			optind = 0;	/* glibc: start the command's getopt afresh */
			return commands[i]->run(sub_argc, sub_argv, &src);
		}
	}
	return batch(argc - optind, argv + optind, &src);
}
