/*
 * legacy.c - the old per-command CLI helpers, for the commands not yet in
 * lib/cmd's table.  Goes when the last of them is ported.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
