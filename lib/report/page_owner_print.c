/*
 * page_owner_print.c - see page_owner_print.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>

#include "page_owner_print.h"
#include "units.h"

static char *size(char *buf, size_t len, uint64_t pages, unsigned int shift, bool in_pages)
{
	if (in_pages)
		snprintf(buf, len, "%" PRIu64, pages);
	else
		ms_fmt_kb(buf, len, (long long)(pages << (shift - 10)));
	return buf;
}

void ms_po_stacks_print(FILE *out, const struct ms_po_stacks *s, unsigned int page_shift,
			bool in_pages)
{
	char a[32], b[32];

	fprintf(out, "\nWho allocated \"%s\" (page_owner)\n", ms_census_class_name(s->cls));
	if (!s->available) {
		fprintf(out, "  not available: %s\n", s->why);
		return;
	}
	fprintf(out, "  %s of the class's %s are in %" PRIu64 " allocations page_owner lists, by %zu stacks\n",
		size(a, sizeof(a), s->owned_pages, page_shift, in_pages),
		size(b, sizeof(b), s->class_pages, page_shift, in_pages), s->allocs, s->nr_stacks);
	if (s->read_failed)
		fprintf(out, "  %" PRIu64 " pfns' page_owner could not be read; the first: %s\n",
			s->read_failed, s->fail_why);
	if (s->nr_modules) {
		fprintf(out, "\n  %-24s %12s %8s\n", "MODULE", in_pages ? "PAGES" : "SIZE", "ALLOCS");
		for (size_t i = 0; i < s->nr_modules; i++)
			fprintf(out, "  %-24s %12s %8" PRIu64 "\n",
				s->modules[i].name[0] ? s->modules[i].name : "(kernel)",
				size(a, sizeof(a), s->modules[i].pages, page_shift, in_pages),
				s->modules[i].allocs);
	}
	for (size_t i = 0; i < s->nr; i++) {
		const struct ms_po_stack *st = &s->v[i];

		fprintf(out, "\n  %s in %" PRIu64 " allocations, most by pid %d %s (%s)%s%s\n",
			size(a, sizeof(a), st->pages, page_shift, in_pages), st->allocs,
			(int)st->top_pid, st->top_comm,
			size(b, sizeof(b), st->top_pages, page_shift, in_pages),
			st->module[0] ? ", module " : "", st->module);
		if (st->why[0])
			fprintf(out, "      (stack not read: %s)\n", st->why);
		for (unsigned int f = 0; f < st->nr_frames; f++)
			fprintf(out, "      %s\n", st->frames[f]);
	}
	if (s->nr < s->nr_stacks)
		fprintf(out, "\n  (%zu more stacks)\n", s->nr_stacks - s->nr);
}

json_t *ms_po_stacks_json(const struct ms_po_stacks *s)
{
	json_t *stacks, *mods;

	if (!s->available)
		return json_pack("{s:s, s:b, s:s}", "class", ms_census_class_key(s->cls),
				 "available", 0, "why", s->why);
	stacks = json_array();
	mods = json_array();
	for (size_t i = 0; i < s->nr; i++) {
		const struct ms_po_stack *st = &s->v[i];
		json_t *frames = json_array();

		for (unsigned int f = 0; f < st->nr_frames; f++)
			json_array_append_new(frames, json_string(st->frames[f]));
		json_array_append_new(stacks, json_pack("{s:I, s:I, s:I, s:i, s:s, s:I, s:s, s:o, s:s?}",
			"handle", (json_int_t)st->handle, "pages", (json_int_t)st->pages,
			"allocs", (json_int_t)st->allocs, "top_pid", (int)st->top_pid,
			"top_comm", st->top_comm, "top_pages", (json_int_t)st->top_pages,
			"module", st->module, "frames", frames,
			"why", st->why[0] ? st->why : NULL));
	}
	for (size_t i = 0; i < s->nr_modules; i++)
		json_array_append_new(mods, json_pack("{s:s, s:I, s:I}", "module", s->modules[i].name,
			"pages", (json_int_t)s->modules[i].pages,
			"allocs", (json_int_t)s->modules[i].allocs));
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:s?, s:I, s:o, s:o}",
			 "class", ms_census_class_key(s->cls), "available", 1,
			 "class_pages", (json_int_t)s->class_pages,
			 "owned_pages", (json_int_t)s->owned_pages, "allocs", (json_int_t)s->allocs,
			 "read_failed", (json_int_t)s->read_failed,
			 "fail_why", s->read_failed ? s->fail_why : NULL,
			 "nr_stacks", (json_int_t)s->nr_stacks, "stacks", stacks, "modules", mods);
}
