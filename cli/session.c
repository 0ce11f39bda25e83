/*
 * session.c - the CLI's old entry points to a dump, kept as thin wrappers
 * over the standalone target (standalone.h) until the commands use it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "cli.h"
#include "standalone.h"

struct cli_dump {
	const char *path;
	struct ms_standalone *s;
};

static void show_progress(void *ctx, const char *what)
{
	(void)ctx;
	cli_progress("%s", what);
}

static void end_progress(void *ctx)
{
	(void)ctx;
	cli_progress_done();
}

struct cli_dump *cli_dump_open(const char *path, const struct cli_source *src)
{
	struct ms_standalone_opts o = {
		.vmlinux = src->vmlinux,
		.btf = src->btf,
		.arch = src->arch,
		.dwarf = src->dwarf,
		.symtab = src->symtab,
		.zero_excluded = src->zero_excluded,
		.errf = stderr,
		.progress = show_progress,
		.progress_done = end_progress,
	};
	struct cli_dump *d = calloc(1, sizeof(*d));
	struct ms_error *err;

	if (!d) {
		cli_error("%s: out of memory", path);
		return NULL;
	}
	d->path = path;
	err = ms_standalone_open(path, &o, &d->s);
	if (err) {
		cli_error("%s", ms_error_string(err));
		ms_error_destroy(err);
		free(d);
		return NULL;
	}
	return d;
}

void cli_dump_close(struct cli_dump *d)
{
	char note[256];

	if (!d)
		return;
	cli_progress_done();
	if (ms_standalone_missing_note(d->s, note, sizeof(note)))
		cli_error("%s: %s", d->path, note);
	ms_standalone_close(d->s);
	free(d);
}

struct ms_target *cli_dump_target(struct cli_dump *d)
{
	return ms_standalone_target(d->s);
}
