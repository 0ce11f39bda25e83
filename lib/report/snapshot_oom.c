/*
 * snapshot_oom.c - the kernel log's range and OOM events in a snapshot, and
 * the events between two snapshots (see snapshot_oom.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "oomreport.h"
#include "snapshot_oom.h"

void ms_snapshot_oom(struct ms_target *t, json_t *snap)
{
	struct ms_log_stats stats = { 0 };
	struct ms_oom_log l;
	struct ms_error *err;
	json_t *events;
	char miss[160];

	ms_oom_log_init(&l);
	err = ms_log_walk(t, ms_oom_log_feed, &l, &stats);
	ms_oom_log_finish(&l);
	if (err && !l.records) {
		ms_warn_error(t, err, "snapshot: the kernel log (no OOM events)");
		ms_oom_log_free(&l);
		return;
	}
	if (err)
		ms_warn_error(t, err, "snapshot: the kernel log, read in part");
	json_object_set_new(snap, "log", json_pack("{s:s?, s:I, s:I, s:I}",
		"format", stats.format, "first_seq", (json_int_t)l.first_seq,
		"next_seq", (json_int_t)l.next_seq, "last_ts_nsec", (json_int_t)l.last_ts_nsec));
	events = json_array();
	for (size_t i = 0; i < l.nr; i++) {
		const struct ms_oom_event *e = &l.v[i];
		json_t *j = json_pack("{s:s, s:I, s:I, s:s, s:i, s:i, s:I, s:s}",
			"kind", ms_oom_kind_name(e->kind), "seq", (json_int_t)e->seq,
			"ts_nsec", (json_int_t)e->ts_nsec, "comm", e->comm, "pid", e->pid,
			"order", e->order, "gfp_mask", (json_int_t)e->gfp_mask,
			"gfp_names", e->gfp_names);

		if (!j)
			continue;
		json_object_set_new(j, "killed_pid", e->has_kill ? json_integer(e->kill_pid) :
								    json_null());
		json_object_set_new(j, "killed_comm", e->has_kill ? json_string(e->kill_comm) :
								     json_null());
		ms_oom_missing_text(e->missing, miss, sizeof(miss));
		json_object_set_new(j, "missing", miss[0] ? json_string(miss) : json_null());
		json_array_append_new(events, j);
	}
	json_object_set_new(snap, "oom_events", events);
	ms_oom_log_free(&l);
}

static json_int_t geti(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

json_t *ms_snapdiff_oom(json_t *before, json_t *after)
{
	json_t *lb = json_object_get(before, "log"), *la = json_object_get(after, "log");
	json_t *list = json_object_get(after, "oom_events"), *out, *e;
	json_int_t from = geti(lb, "next_seq"), to = geti(la, "next_seq");
	const char *note = NULL;
	size_t i;

	if (!json_is_object(lb) || !json_is_object(la))
		return json_null();
	if (to < from) {
		/* AFTER's log is shorter: another boot, every event of it is new */
		note = "AFTER's log ends before BEFORE's: another boot; all its events are listed";
		from = geti(la, "first_seq");
	} else if (geti(la, "first_seq") > from) {
		note = "AFTER's log no longer holds the start of the interval: events may be missing";
	}
	out = json_pack("{s:I, s:I, s:o, s:s?}", "from_seq", from, "to_seq", to,
			"events", json_array(), "note", note);
	if (!out)
		return json_null();
	json_array_foreach(list, i, e) {
		if (json_is_object(e) && geti(e, "seq") >= from)
			json_array_append(json_object_get(out, "events"), e);
	}
	return out;
}

void ms_snapdiff_oom_print(FILE *out, json_t *diff)
{
	json_t *d = json_object_get(diff, "oom_events"), *e;
	const char *note = json_string_value(json_object_get(d, "note"));
	size_t i, n = json_array_size(json_object_get(d, "events"));

	if (!json_is_object(d) || (!n && !note))
		return;		/* nothing happened, nothing to say */
	fprintf(out, "\nOOM events between the dumps (log seq %lld-%lld): %zu\n",
		(long long)geti(d, "from_seq"), (long long)geti(d, "to_seq") - 1, n);
	if (note)
		fprintf(out, "  (%s)\n", note);
	json_array_foreach(json_object_get(d, "events"), i, e) {
		long long ns = geti(e, "ts_nsec");
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *killed = json_string_value(json_object_get(e, "killed_comm"));

		fprintf(out, "  [%5lld.%06lld] %s: %s (pid %lld) order %lld, gfp %s",
			ns / 1000000000, ns % 1000000000 / 1000,
			kind && !strcmp(kind, "allocfail") ? "page allocation failure" : "OOM",
			json_string_value(json_object_get(e, "comm")) ?
				json_string_value(json_object_get(e, "comm")) : "?",
			(long long)geti(e, "pid"), (long long)geti(e, "order"),
			json_string_value(json_object_get(e, "gfp_names")) ?
				json_string_value(json_object_get(e, "gfp_names")) : "?");
		if (killed)
			fprintf(out, "; killed pid %lld (%s)", (long long)geti(e, "killed_pid"), killed);
		fprintf(out, "\n");
	}
}
