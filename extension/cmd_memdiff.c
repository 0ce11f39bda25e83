/*
 * cmd_memdiff.c - crash command "memdiff": where USED grew since BEFORE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>

#include "defs.h"

#include "memscope_ext.h"
#include "snapdiff.h"
#include "snapshot.h"

char *help_memdiff[] = {
	"memdiff",
	"where USED grew between an earlier dump and this one",
	"[-p] [--json] BEFORE",
	"  Compares BEFORE with the current dump and tells where USED memory grew.",
	"  BEFORE is a snapshot file written by memsnap, or another dump of the same",
	"  kernel build (ELF, kdump compressed, makedumpfile -d filtered, or QEMU's",
	"  flattened kdump-* stream), which memscope opens itself with libkdumpfile",
	"  using crash's debug info.",
	"",
	"  The report: USED before and after; the growth by category (anon, file",
	"  cache, Shmem/tmpfs, slab, kernel stacks, page tables, vmalloc, per-cpu,",
	"  HugeTLB, free pages on per-cpu lists, and what no counter accounts for),",
	"  ranked, each with its share of the growth, adding up exactly; then the",
	"  tmpfs mounts, slab caches and commands that changed, free memory per zone,",
	"  and one sentence naming the main cause.  Shrinkage is shown as negative.",
	"  Kernel stacks are counted once: with VMAP_STACK they are taken out of",
	"  vmalloc.",
	"",
	"    -p      sizes in pages instead of KiB/MiB/GiB.",
	"    --json  the report as one JSON document.",
	"\nEXAMPLES",
	"  A tmpfs filled by something that exited:\n",
	"    %s> memdiff /var/crash/before/vmcore",
	"    WHERE USED IS                                 BEFORE       AFTER       CHANGE   SHARE",
	"    Shmem / tmpfs                                2.8 MiB   152.8 MiB   +150.0 MiB   99.7%",
	"    ...",
	"    Main cause: Shmem / tmpfs grew 150.0 MiB, 100% of the USED growth: tmpfs",
	"    /mnt/leak grew 150.0 MiB; 150.0 MiB of the Shmem growth is in files no process maps.",
	NULL
};

/* BEFORE as a snapshot: a snapshot file, or one built from another dump. */
static json_t *load_before(const char *path, char *err, size_t errlen)
{
	struct second_dump *dump;
	struct ms_error *e;
	json_t *snap;
	FILE *f = fopen(path, "r");
	int first = EOF;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((first = fgetc(f)) != EOF && isspace(first))
		;
	fclose(f);
	if (first == '{') {
		e = ms_snapshot_load(path, &snap);
		if (e)
			snprintf(err, errlen, "%s", ms_error_string(e));
		ms_error_destroy(e);
		return snap;
	}

	dump = ms_second_dump_open(path, err, errlen);
	if (!dump)
		return NULL;
	e = ms_snapshot_build(ms_second_dump_target(dump), &snap);
	ms_second_dump_close(dump);
	if (e)
		snprintf(err, errlen, "%s: %s", path, ms_error_string(e));
	ms_error_destroy(e);
	return snap;
}

void cmd_memdiff(void)
{
	int json = ms_take_json_flag(), pages = 0, c;
	json_t *before, *after, *diff;
	struct ms_error *e;
	char err[512];

	while ((c = getopt(argcnt, args, "p")) != EOF) {
		if (c == 'p')
			pages = 1;
		else
			argerrs++;
	}
	if (argerrs || !args[optind] || args[optind + 1])
		cmd_usage(pc->curcmd, SYNOPSIS);

	before = load_before(args[optind], err, sizeof(err));
	if (!before) {
		fprintf(fp, "memdiff: %s\n", err);
		return;
	}
	e = ms_snapshot_build(ms_crash_target(), &after);
	if (e) {
		fprintf(fp, "memdiff: the current dump: %s\n", ms_error_string(e));
		ms_error_destroy(e);
		json_decref(before);
		return;
	}
	e = ms_snapdiff(before, after, &diff);
	if (e) {
		fprintf(fp, "memdiff: %s\n", ms_error_string(e));
		ms_error_destroy(e);
	} else if (json) {
		json_dumpf(diff, fp, JSON_INDENT(1));
		fputc('\n', fp);
	} else {
		ms_snapdiff_print(fp, diff, pages);
	}
	json_decref(diff);
	json_decref(after);
	json_decref(before);
}
