/*
 * progress.c - the CLI's progress line and error messages on stderr.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

static bool progress_on, progress_shown;

void cli_progress(const char *fmt, ...)
{
	va_list ap;

	if (!progress_on)
		return;
	fputs("\r\033[Kmemscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	progress_shown = true;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

static void __attribute__((constructor)) progress_init(void)
{
	progress_on = isatty(STDERR_FILENO) && !getenv("MEMSCOPE_NO_PROGRESS");
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	cli_progress_done();
	fputs("memscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
