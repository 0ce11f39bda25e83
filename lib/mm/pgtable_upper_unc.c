/*
 * pgtable_upper_unc.c - the upper page tables as a part of meminfo's "no
 * counter accounts for" (uncounted.h, the consumers' table): the PGD, P4D
 * and PUD pages NR_PAGETABLE does not count (pgtable_upper.h), held by
 * command.  Its line in ms_unc_sources[] (uncounted.c):
 *   { "pgtables_upper", "page tables outside PageTables", "mm->pgd walk",
 *     false, ms_unc_pgtables_upper },
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "pgtable_upper.h"
#include "uncounted.h"

static const struct ms_tasks *by_comm_ts;

static int by_comm(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return strcmp(by_comm_ts->v[a].comm, by_comm_ts->v[b].comm);
}

struct ms_error *ms_unc_pgtables_upper(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	const struct ms_tasks *ts;
	struct ms_pgt_upper *per;
	struct ms_pgt_totals tot;
	struct ms_pgt_era e;
	size_t *ix;
	struct ms_error *err = ms_unc_tasks(c, &ts);

	if (err)
		return err;
	per = calloc(ts->nr + 1, sizeof(*per));
	ix = calloc(ts->nr + 1, sizeof(*ix));
	if (!per || !ix) {
		free(per);
		free(ix);
		return &ms_error_nomem;
	}
	err = ms_pgt_upper_tasks(c->t, ts, &e, per, &tot);
	if (err) {
		free(per);
		free(ix);
		return err;
	}
	it->pages = (int64_t)tot.uncounted;
	if (!tot.complete) {
		it->state = MS_UNC_PARTIAL;
		snprintf(it->why, sizeof(it->why), "%s", "some processes' page tables were not walked");
	}
	/* Holders: the commands, each with its processes (sorted by comm once). */
	for (size_t i = 0; i < ts->nr; i++)
		ix[i] = i;
	by_comm_ts = ts;
	if (ts->nr)
		qsort(ix, ts->nr, sizeof(*ix), by_comm);
	for (size_t i = 0, j; i < ts->nr; i = j) {
		uint64_t pages = 0;
		unsigned int nr = 0;

		for (j = i; j < ts->nr && !strcmp(ts->v[ix[j]].comm, ts->v[ix[i]].comm); j++) {
			uint64_t p = ms_pgt_uncounted(&e, &per[ix[j]]);

			pages += p;
			nr += p != 0;
		}
		if (pages)
			ms_unc_add_holder(it, ts->v[ix[i]].comm, ts->v[ix[i]].pid, nr, pages);
	}
	free(per);
	free(ix);
	return NULL;
}
