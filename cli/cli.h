/*
 * cli.h - the standalone memscope command: shared pieces of its files.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CLI_H
#define MEMSCOPE_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>

#include "target.h"

/* Exit codes. */
#define CLI_OK		0
#define CLI_FAIL	1	/* a dump could not be opened or analysed */
#define CLI_USAGE	2	/* bad command line */

/* Where types and symbols come from (options common to every subcommand). */
struct cli_source {
	const char *vmlinux;		/* -k: its .BTF, else its DWARF */
	const char *btf;		/* --btf: a raw BTF file */
	const char *arch;		/* --arch: when the dump's header names none */
	bool dwarf;			/* --dwarf: the vmlinux's DWARF even if it has BTF */
	bool symtab;			/* --symtab: the vmlinux's symbols, not kallsyms */
	bool zero_excluded;		/* --zero-excluded: filtered pages read as zeroes */
};

struct cli_dump;

/* Open a dump and resolve its symbols and types: NULL with a message printed. */
struct cli_dump *cli_dump_open(const char *path, const struct cli_source *src);
void cli_dump_close(struct cli_dump *d);
struct ms_target *cli_dump_target(struct cli_dump *d);

/* Progress for long work, on stderr when it is a terminal. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

/* "memscope: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Long options every subcommand takes; ids above 255. */
enum {
	OPT_JSON = 256,
	OPT_HELP,
	OPT_BTF,
	OPT_ARCH,
	OPT_DWARF,
	OPT_SYMTAB,
	OPT_ZERO_EXCLUDED,
	OPT_VMLINUX = 'k',
};
#define CLI_COMMON_LONGOPTS \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "btf", required_argument, NULL, OPT_BTF }, \
	{ "arch", required_argument, NULL, OPT_ARCH }, \
	{ "dwarf", no_argument, NULL, OPT_DWARF }, \
	{ "symtab", no_argument, NULL, OPT_SYMTAB }, \
	{ "zero-excluded", no_argument, NULL, OPT_ZERO_EXCLUDED }, \
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX }
#define CLI_COMMON_SHORTOPTS "k:h"

/* Handle a common option: 1 if c was one, 0 if not. */
int cli_common_opt(int c, struct cli_source *src);

/* One subcommand. */
struct cli_command {
	const char *name;
	const char *summary;
	const char *usage;		/* after "memscope NAME " */
	const char *help;		/* option lines */
	int (*run)(int argc, char **argv, struct cli_source *src);
};

extern const struct cli_command cli_meminfo, cli_zoneinfo, cli_buddyinfo, cli_oomscore,
	cli_slabinfo, cli_tmpfs, cli_snap, cli_diff;

/* Print a subcommand's help on stdout. */
void cli_help(const struct cli_command *c);
/* "Try 'memscope NAME --help'" on stderr; returns CLI_USAGE. */
int cli_usage_error(const struct cli_command *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The one DUMP operand after the options, or NULL after a usage error. */
const char *cli_one_dump(const struct cli_command *c, int argc, char **argv);

/* Write a JSON document to stdout (indented, as the crash commands do). */
void cli_json_out(json_t *j, size_t flags);

/* A snapshot (memsnap's JSON) of a dump, or of a snapshot file: NULL after a message. */
json_t *cli_snapshot_of(const char *path, const struct cli_source *src);

#endif
