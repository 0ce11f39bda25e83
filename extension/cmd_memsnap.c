/*
 * cmd_memsnap.c - crash command "memsnap": write the dump's snapshot.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "defs.h"

#include "memscope_ext.h"
#include "snapshot.h"

char *help_memsnap[] = {
	"memsnap",
	"save what memdiff compares of this dump to a JSON file",
	"FILE",
	"  Writes a snapshot of the dump to FILE: the kernel's identity, every",
	"  /proc/meminfo line, USED split into categories that add up to it exactly",
	"  (the remainder no counter accounts for included), free and managed memory",
	"  per node and zone, the size of every slab cache, processes aggregated by",
	"  command (count, threads, anon/file/shmem rss, page tables, kernel stacks),",
	"  the largest processes and the usage of every mounted tmpfs.",
	"  Give the file to memdiff in a later crash session on another dump of the",
	"  same machine, or keep it as a small record of the dump (a few tens of kB).",
	"  FILE \"-\" writes the snapshot to crash's output.",
	"\nEXAMPLES",
	"  Save the snapshot of a dump taken after boot:\n",
	"    %s> memsnap /tmp/boot.json",
	"    memsnap: wrote /tmp/boot.json",
	"\n  Later, in crash on the dump taken near the OOM:\n",
	"    %s> memdiff /tmp/boot.json",
	NULL
};

void cmd_memsnap(void)
{
	struct ms_target *t = ms_crash_target();
	struct ms_error *err;
	json_t *snap;
	int c, rc;

	while ((c = getopt(argcnt, args, "")) != EOF)
		argerrs++;
	if (argerrs || !args[optind] || args[optind + 1])
		cmd_usage(pc->curcmd, SYNOPSIS);

	err = ms_snapshot_build(t, &snap);
	if (err) {
		fprintf(fp, "memsnap: %s\n", ms_error_string(err));
		ms_error_destroy(err);
		return;
	}
	if (!strcmp(args[optind], "-")) {
		json_dumpf(snap, fp, JSON_INDENT(1) | JSON_SORT_KEYS);
		fputc('\n', fp);
		rc = 0;
	} else {
		rc = json_dump_file(snap, args[optind], JSON_INDENT(1) | JSON_SORT_KEYS);
		if (rc)
			fprintf(fp, "memsnap: cannot write %s: %s\n", args[optind], strerror(errno));
		else
			fprintf(fp, "memsnap: wrote %s\n", args[optind]);
	}
	json_decref(snap);
}
