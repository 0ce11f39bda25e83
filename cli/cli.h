/*
 * cli.h - the standalone memscope command: what its files share.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_CLI_H
#define MEMSCOPE_CLI_H

/* Exit codes. */
#define CLI_OK		0
#define CLI_FAIL	1	/* a dump could not be opened or analysed */
#define CLI_USAGE	2	/* bad command line */

#include <stdio.h>

struct ms_option;

/* What --help says besides the command table, for the manual (manual.c). */
struct cli_texts {
	const char *version;
	const char *intro;		/* what memscope is */
	const char *batch;		/* memscope DUMP... */
	const char *dump_options;	/* the CLI's options */
	const char *common_options;	/* --json, --version */
	const char *json;		/* schema_version, the schemas */
	const char *streams;		/* where output, errors and progress go */
	const char *environment;
	const char *examples;
	const struct ms_option *options;	/* the CLI's option table */
	const char *const *hidden;	/* long names of options for the build and tests */
};

/* memscope(1) in roff; the bash completion script. */
void cli_man_page(FILE *out, const struct cli_texts *t);
void cli_bash_completion(FILE *out, const struct cli_texts *t);

/* Progress for long work, on stderr when it is a terminal (progress.c). */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

/* "memscope: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
