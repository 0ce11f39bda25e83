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
		l->prev = 8;
	}
}

static enum ms_list_status stop(struct ms_list_result *r, enum ms_list_status s, uint64_t where)
{
	r->status = s;
	r->where = where;
	return s;
}

/* A link of the list: false if it cannot be read (the walk says where it stopped). */
static bool read_link(struct ms_target *t, uint64_t addr, uint64_t *v)
{
	struct ms_error *err = ms_read_ptr(t, addr, v);

	ms_error_destroy(err);
	return !err;
}

enum ms_list_status ms_list_walk(struct ms_target *t, uint64_t head, uint64_t bound,
				 unsigned int flags, ms_list_fn fn, void *arg,
				 struct ms_list_result *r)
{
	uint64_t node, next, prev, pred = head, tortoise = head;
	uint64_t power = 1, lam = 0;
	struct list_layout l;

	list_layout(t, &l);
	r->count = 0;
	r->where = 0;
	r->status = MS_LIST_OK;
	if (!read_link(t, head + l.next, &node))
		return stop(r, MS_LIST_UNREADABLE, head);

	while (node != head) {
		if (node == tortoise)
			return stop(r, MS_LIST_CYCLE, node);
		if (r->count >= bound)
			return stop(r, MS_LIST_TRUNCATED, node);
		if (!read_link(t, node + l.next, &next))
			return stop(r, MS_LIST_UNREADABLE, node);
		if (flags & MS_LIST_CHECK_PREV) {
			if (!read_link(t, node + l.prev, &prev))
				return stop(r, MS_LIST_UNREADABLE, node);
			if (prev != pred)
				return stop(r, MS_LIST_BADLINK, node);
		}
		r->count++;
		if (fn && fn(t, node, arg))
			return stop(r, MS_LIST_STOPPED, node);
		if (++lam == power) {	/* Brent: move the tortoise up to the hare */
			tortoise = node;
			power <<= 1;
			lam = 0;
		}
		pred = node;
		node = next;
	}
	return MS_LIST_OK;
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
