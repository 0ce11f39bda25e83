/*
 * list.c - see list.h.
 *
 * Cycles are found with Brent's algorithm: the walk itself is the hare, and
 * a remembered node (the tortoise) jumps to the hare's position whenever the
 * step count reaches the next power of two.  A loop of length L entered after
 * M entries is reported within 2 * max(M + 1, L) + L steps, with O(1) memory
 * and every pointer read once, so the callback sees each entry in order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>

#include "list.h"

struct list_layout {
	long next, prev;
};

/* struct list_head { next; prev; } in every kernel era: the fallback is that layout. */
static void list_layout(struct ms_target *t, struct list_layout *l)
{
	l->next = ms_member_offset(t, "list_head", "next");
	l->prev = ms_member_offset(t, "list_head", "prev");
	if (l->next < 0 || l->prev < 0) {
		l->next = 0;
		l->prev = t->word_size;
	}
}

/* End the walk at where with status s; err is what ms_list_visit() returns. */
static struct ms_error *stop(struct ms_list_result *r, enum ms_list_status s, uint64_t where,
			     struct ms_error *err)
{
	r->status = s;
	r->where = where;
	return err;
}

/* The entry callback: a visitor's (errors) or a status-only caller's (int). */
struct visitor {
	ms_list_visit_fn visit;
	ms_list_fn fn;
	void *arg;
};

static struct ms_error *walk(struct ms_target *t, uint64_t head, uint64_t bound,
			     unsigned int flags, const struct visitor *v, struct ms_list_result *r)
{
	uint64_t node, next, prev, pred = head, tortoise = head;
	uint64_t power = 1, lam = 0;
	struct list_layout l;
	struct ms_error *err;

	list_layout(t, &l);
	r->count = 0;
	r->where = 0;
	r->status = MS_LIST_OK;
	err = ms_read_ptr(t, head + l.next, &node);
	if (err)
		return stop(r, MS_LIST_UNREADABLE, head, err);

	while (node != head) {
		if (node == tortoise)
			return stop(r, MS_LIST_CYCLE, node, NULL);
		if (r->count >= bound)
			return stop(r, MS_LIST_TRUNCATED, node, NULL);
		err = ms_read_ptr(t, node + l.next, &next);
		if (!err && (flags & MS_LIST_CHECK_PREV)) {
			err = ms_read_ptr(t, node + l.prev, &prev);
			if (!err && prev != pred)
				return stop(r, MS_LIST_BADLINK, node, NULL);
		}
		if (err)
			return stop(r, MS_LIST_UNREADABLE, node, err);
		r->count++;
		if (v->visit && (err = v->visit(t, node, v->arg)))
			return stop(r, MS_LIST_STOPPED, node, err);
		if (v->fn && v->fn(t, node, v->arg))
			return stop(r, MS_LIST_STOPPED, node, NULL);
		if (++lam == power) {	/* Brent: move the tortoise up to the hare */
			tortoise = node;
			power <<= 1;
			lam = 0;
		}
		pred = node;
		node = next;
	}
	return NULL;
}

struct ms_error *ms_list_visit(struct ms_target *t, uint64_t head, uint64_t bound,
			       unsigned int flags, ms_list_visit_fn fn, void *arg,
			       struct ms_list_result *r)
{
	const struct visitor v = { .visit = fn, .arg = arg };

	return walk(t, head, bound, flags, &v, r);
}

enum ms_list_status ms_list_walk(struct ms_target *t, uint64_t head, uint64_t bound,
				 unsigned int flags, ms_list_fn fn, void *arg,
				 struct ms_list_result *r)
{
	const struct visitor v = { .fn = fn, .arg = arg };

	ms_error_destroy(walk(t, head, bound, flags, &v, r));
	return r->status;
}

void ms_list_warn(struct ms_target *t, struct ms_error *err, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err)
		ms_warn_error(t, err, "%s", what);
	else
		ms_warn(t, "%s", what);
}

const char *ms_list_status_name(enum ms_list_status s)
{
	switch (s) {
	case MS_LIST_OK:
		return "ok";
	case MS_LIST_TRUNCATED:
		return "truncated";
	case MS_LIST_CYCLE:
		return "cycle";
	case MS_LIST_UNREADABLE:
		return "unreadable";
	case MS_LIST_BADLINK:
		return "badlink";
	case MS_LIST_STOPPED:
		return "stopped";
	}
	return "?";
}
