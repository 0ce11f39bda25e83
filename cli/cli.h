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

/* Progress for long work, on stderr when it is a terminal (progress.c). */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

/* "memscope: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
