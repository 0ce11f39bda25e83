/*
 * list.h - a bounded, cycle-safe walk of a kernel struct list_head.
 *
 * A dump may hold lists that were being changed when it was taken, or that
 * memory corruption broke.  ms_list_walk() never loops forever, never reads
 * past a bound, and says why it stopped: the walk came back to the head
 * (complete), it met a cycle that does not pass through the head, a pointer
 * led to unreadable memory, a node's prev disagreed with the node before it,
 * or the list is longer than the caller's bound.  Those are data (the status of
 * a partial answer); when a read stopped the walk, ms_list_visit() also hands
 * back the read's own error, so the caller can say why.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_LIST_H
#define MEMSCOPE_LIST_H

#include "target.h"

enum ms_list_status {
	MS_LIST_OK,		/* back at the head: count is the list's length */
	MS_LIST_TRUNCATED,	/* bound entries visited and the list goes on */
	MS_LIST_CYCLE,		/* a loop that never returns to the head */
	MS_LIST_UNREADABLE,	/* a next pointer (or the head) could not be read */
	MS_LIST_BADLINK,	/* node->prev is not the node before (MS_LIST_CHECK_PREV) */
	MS_LIST_STOPPED,	/* the callback asked to stop */
};

/* Also check that every node's prev points back at its predecessor. */
#define MS_LIST_CHECK_PREV	0x1

struct ms_list_result {
	enum ms_list_status status;
	uint64_t count;		/* entries visited (the head is not an entry) */
	uint64_t where;		/* the node where the walk stopped, if not OK */
};

/*
 * Called with each entry's list_head address: NULL goes on, an error stops the
 * walk (MS_LIST_STOPPED) and ms_list_visit() returns it to its caller.
 * In a cycle, entries before its detection may be visited twice.
 */
typedef struct ms_error *(*ms_list_visit_fn)(struct ms_target *t, uint64_t node, void *arg);

/*
 * Walk the list whose head is at head, visiting at most bound entries; fn may
 * be NULL (just count).  NULL when the walk ended for a reason that is data
 * (r->status OK, TRUNCATED, CYCLE, BADLINK); else the error that stopped it:
 * the read of a list pointer (MS_LIST_UNREADABLE, r->where the node whose
 * pointer it was) or fn's own (MS_LIST_STOPPED, r->where the entry).
 */
struct ms_error *ms_list_visit(struct ms_target *t, uint64_t head, uint64_t bound,
			       unsigned int flags, ms_list_visit_fn fn, void *arg,
			       struct ms_list_result *r);

/* The same for callers that need the status only, with a callback whose
 * non-zero return stops the walk.  Returns r->status (MS_LIST_OK is 0); the
 * cause of MS_LIST_UNREADABLE is dropped. */
typedef int (*ms_list_fn)(struct ms_target *t, uint64_t node, void *arg);
enum ms_list_status ms_list_walk(struct ms_target *t, uint64_t head, uint64_t bound,
				 unsigned int flags, ms_list_fn fn, void *arg,
				 struct ms_list_result *r);

/* Say why a walk fell short: "memscope: " + the text, then ": " + err's text
 * when there is one (a read failed); destroys err. */
void ms_list_warn(struct ms_target *t, struct ms_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "ok", "truncated", "cycle", "unreadable", "badlink", "stopped". */
const char *ms_list_status_name(enum ms_list_status s);

#endif
