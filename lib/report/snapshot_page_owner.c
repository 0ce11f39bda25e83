/*
 * snapshot_page_owner.c - the snapshot's "page_owner" section: who
 * allocated the pages with no owner type (page_owner_stacks.h), written only
 * when the kernel runs with page_owner=on.  It costs a census of the memmap,
 * paid only where page_owner can answer; elsewhere (Debian's kernels: not
 * built in) the section is left out and the diff names no stack.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "census.h"
#include "page_owner_stacks.h"
#include "snapshot_sections.h"

static json_t *stacks_json(struct ms_target *t, const struct ms_po_stacks *s)
{
	json_t *stacks = json_array();

	for (size_t i = 0; i < s->nr; i++) {
		const struct ms_po_stack *st = &s->v[i];
		json_t *frames = json_array();

		for (unsigned int f = 0; f < st->nr_frames; f++)
			json_array_append_new(frames, json_string(st->frames[f]));
		json_array_append_new(stacks, json_pack("{s:I, s:s, s:o}", "kb",
			(json_int_t)ms_pages_to_kb(t, st->pages), "module", st->module,
			"frames", frames));
	}
	return json_pack("{s:I, s:I, s:o}", "no_owner_kb",
			 (json_int_t)ms_pages_to_kb(t, s->class_pages), "owned_kb",
			 (json_int_t)ms_pages_to_kb(t, s->owned_pages), "stacks", stacks);
}

void ms_snapshot_page_owner(struct ms_target *t, json_t *snap)
{
	struct ms_census *c;
	struct ms_po_stacks *po;
	struct ms_error *err;

	if (ms_page_owner_state(t) != MS_PAGE_OWNER_ON)
		return;
	c = calloc(1, sizeof(*c));
	po = calloc(1, sizeof(*po));
	err = c && po ? ms_po_stacks_begin(t, MS_CC_NO_OWNER, po) : &ms_error_nomem;
	if (!err)
		err = ms_census_read_each(t, c, NULL, NULL, ms_po_stacks_each, po);
	if (!err)
		err = ms_po_stacks_end(t, po);
	if (err)
		ms_warn_error(t, err, "snapshot: no page_owner stacks");
	else if (!po->available)
		ms_warn(t, "snapshot: no page_owner stacks: %s", po->why);
	else
		json_object_set_new(snap, "page_owner", stacks_json(t, po));
	if (po)
		ms_po_stacks_free(po);
	free(po);
	free(c);
}
