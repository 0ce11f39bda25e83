/*
 * cmd_buddyinfo.c - memscope buddyinfo: what the crash command "buddyinfo"
 * shows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "cli.h"
#include "buddy_print.h"
#include "error_print.h"
#include "fragindex_print.h"
#include "freelist_print.h"

struct buddy_opts {
	int json, types, verify, unusable, extfrag;
};

static void sep(int *first)
{
	if (!*first)
		putchar('\n');
	*first = 0;
}

static void show_text(const struct buddy_opts *o, const struct ms_buddy *b,
		      const struct ms_freelists *f)
{
	int first = 1;

	if (!o->types && !o->verify && !o->unusable && !o->extfrag)
		ms_buddy_print_proc(stdout, b);
	if (o->types && f) {
		sep(&first);
		ms_freelists_print_proc(stdout, b, f);
	}
	if (o->verify && f) {
		sep(&first);
		ms_freelists_verify_print(stdout, b, f);
	}
	if (o->unusable) {
		sep(&first);
		ms_frag_print(stdout, b, MS_UNUSABLE_INDEX);
	}
	if (o->extfrag) {
		sep(&first);
		ms_frag_print(stdout, b, MS_EXTFRAG_INDEX);
	}
}

static json_t *to_json(struct ms_target *t, const struct buddy_opts *o, const struct ms_buddy *b,
		       const struct ms_freelists *f)
{
	json_t *j = ms_buddy_json(b, ms_page_size(t));

	if (o->types && f)
		json_object_set_new(j, "pagetypeinfo", ms_freelists_json(b, f));
	if (o->verify && f)
		json_object_set_new(j, "verify", ms_freelists_verify_json(b, f));
	if (o->unusable)
		json_object_set_new(j, "unusable_index", ms_frag_json(b, MS_UNUSABLE_INDEX));
	if (o->extfrag)
		json_object_set_new(j, "extfrag_index", ms_frag_json(b, MS_EXTFRAG_INDEX));
	return j;
}

static int show(struct ms_target *t, const char *path, const struct buddy_opts *o)
{
	struct ms_freelists f, *fl = NULL;
	struct ms_buddy b;
	int rc = CLI_OK;

	if (ms_report_error(t, ms_buddy_read(t, &b))) {
		cli_error("%s: cannot read the zones' free areas", path);
		return CLI_FAIL;
	}
	/* The kernel's cap is only for the /proc table; JSON and verify want whole lists. */
	if (o->types || o->verify) {
		enum ms_freelist_bound mode = (o->verify || o->json) ? MS_FREELIST_FULL :
								      MS_FREELIST_PROC;

		cli_progress("%s: walking the free lists", path);
		if (!ms_report_error(t, ms_freelists_read(t, &b, mode, &f))) {
			fl = &f;
		} else {
			cli_error("%s: cannot walk the free lists", path);
			rc = CLI_FAIL;
		}
		cli_progress_done();
	}
	if (o->json)
		cli_json_out(to_json(t, o, &b, fl), JSON_INDENT(2));
	else
		show_text(o, &b, fl);
	if (fl)
		ms_freelists_free(fl);
	ms_buddy_free(&b);
	return rc;
}

static int run(int argc, char **argv, struct cli_source *src)
{
	static const struct option longopts[] = { CLI_COMMON_LONGOPTS, { NULL, 0, NULL, 0 } };
	struct buddy_opts o = { 0 };
	struct cli_dump *d;
	const char *path;
	int c, rc;

	while ((c = getopt_long(argc, argv, CLI_COMMON_SHORTOPTS "mvuf", longopts, NULL)) != -1) {
		if (cli_common_opt(c, src))
			continue;
		switch (c) {
		case 'm':
			o.types = 1;
			break;
		case 'v':
			o.verify = 1;
			break;
		case 'u':
			o.unusable = 1;
			break;
		case 'f':
			o.extfrag = 1;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case 'h':
		case OPT_HELP:
			cli_help(&cli_buddyinfo);
			return CLI_OK;
		default:
			return cli_usage_error(&cli_buddyinfo, NULL);
		}
	}
	path = cli_one_dump(&cli_buddyinfo, argc, argv);
	if (!path)
		return CLI_USAGE;
	d = cli_dump_open(path, src);
	if (!d)
		return CLI_FAIL;
	rc = show(cli_dump_target(d), path, &o);
	cli_dump_close(d);
	return rc;
}

const struct cli_command cli_buddyinfo = {
	.name = "buddyinfo",
	.summary = "free blocks per order and zone, per migratetype, and fragmentation indexes",
	.usage = "[-m] [-v] [-u] [-f] [--json] DUMP",
	.help =
	"Free blocks of each order per zone (zone->free_area[order].nr_free), in the\n"
	"layout of /proc/buddyinfo.\n"
	"\n"
	"  -m          /proc/pagetypeinfo: free blocks per migratetype from the free\n"
	"              lists, and pageblocks per migratetype from the pageblock bitmaps\n"
	"  -v          walk every free list to its end and check it against nr_free\n"
	"  -u          unusable free space index per order (debugfs extfrag)\n"
	"  -f          fragmentation index per order (debugfs extfrag)\n"
	"Several options print their sections in this order.\n",
	.run = run,
};
