/*
 * oomreport.c - read the OOM killer's and warn_alloc()'s reports back from
 * the kernel log (the formats are listed in oomreport.h).
 *
 * Each record is split into its lines (show_free_areas() prints several in
 * one printk); each line is matched against the report's parts.  A line
 * that is none of them belongs to someone else (a stack trace, another
 * CPU's printk) and is skipped; too many of those in a row close the report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomreport.h"
#include "text.h"

#define REAP_LOOKBACK 64	/* events searched back for a reaper line's victim */

/* ---- small text helpers ---- */

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static const char *skip_sp(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A decimal number (optionally signed) at *s: true and *s past it. */
static bool num(const char **s, int64_t *v)
{
	const char *p = skip_sp(*s);
	bool neg = false;
	uint64_t x = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p)) {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*p++ - '0');
	}
	*v = neg ? -(int64_t)x : (int64_t)x;
	*s = p;
	return true;
}

static bool unum(const char **s, uint64_t *v)
{
	int64_t x;
	const char *p = skip_sp(*s);

	if (*p == '-' || !num(&p, &x))
		return false;
	*v = (uint64_t)x;
	*s = p;
	return true;
}

/* The number after key in s ("anon-rss:" in "..., anon-rss:123kB, ..."). */
static bool key_unum(const char *s, const char *key, uint64_t *v)
{
	const char *p = strstr(s, key);

	if (!p)
		return false;
	p += strlen(key);
	return unum(&p, v);
}

static bool key_num(const char *s, const char *key, int64_t *v)
{
	const char *p = strstr(s, key);

	if (!p)
		return false;
	p += strlen(key);
	return num(&p, v);
}

/* Copy at most n bytes of s into dst (cut to its size), NUL-terminated and
 * safe to print: a corrupt record's bytes become '?'. */
static void copy_n(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	ms_text_sanitize(dst);
}

/* ---- events ---- */

static struct ms_oom_event *open_ev(struct ms_oom_log *l)
{
	return l->st.open >= 0 ? &l->v[l->st.open] : NULL;
}

static void close_ev(struct ms_oom_log *l)
{
	struct ms_oom_event *e = open_ev(l);

	if (!e)
		return;
	if (!e->has_meminfo && e->kind == MS_OOMEV_OOM && e->has_trigger && !e->has_memcg_usage)
		e->missing |= MS_OOM_NO_MEMINFO;
	if (!e->has_meminfo && e->kind == MS_OOMEV_ALLOCFAIL)
		e->missing |= MS_OOM_NO_MEMINFO;
	if (e->kind == MS_OOMEV_OOM && !e->has_tasks)
		e->missing |= MS_OOM_NO_TASKS;
	if (e->kind == MS_OOMEV_OOM && !e->has_kill)
		e->missing |= MS_OOM_NO_KILL;
	l->st.open = -1;
	l->st.part = ST_NONE;
	l->st.ncols = 0;
	l->st.gap = 0;
}

static struct ms_error *new_ev(struct ms_oom_log *l, enum ms_oom_kind k,
			       const struct ms_log_record *r, struct ms_oom_event **out)
{
	struct ms_oom_event *e;

	close_ev(l);
	*out = NULL;
	if (l->nr >= MS_OOM_EVENTS_MAX) {
		l->dropped = true;
		return NULL;
	}
	e = realloc(l->v, (l->nr + 1) * sizeof(*e));
	if (!e)
		return ms_error_create(MS_ERR_NOMEM, "no memory for an OOM event");
	l->v = e;
	e = &l->v[l->nr];
	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->seq = e->last_seq = r->seq;
	e->ts_nsec = r->ts_nsec;
	e->pid = -1;
	e->order = -1;
	e->task_pid = -1;
	e->kill_pid = -1;
	l->st.open = (long)l->nr++;
	l->st.part = ST_NONE;
	l->st.ncols = 0;
	l->st.gap = 0;
	l->st.lastz = -1;
	*out = e;
	return NULL;
}

/* Grow an array of n items of size sz by one: the new item, zeroed, or NULL. */
static void *grow(void **arr, size_t *n, size_t sz, size_t max, unsigned int *missing)
{
	char *p;

	if (*n >= max) {
		*missing |= MS_OOM_CUT;
		return NULL;
	}
	p = realloc(*arr, (*n + 1) * sz);
	if (!p)
		return NULL;
	*arr = p;
	memset(p + *n * sz, 0, sz);
	return p + (*n)++ * sz;
}

/* ---- the parts ---- */

/* "COMM invoked oom-killer: gfp_mask=0x..(NAMES), [nodemask=.., ]order=N, oom_score_adj=N"
 * (dump_header(); 4.x with nodemask, 3.x without the names). */
static void parse_trigger(struct ms_oom_event *e, const char *line, const char *at)
{
	const char *p = at + strlen(" invoked oom-killer: ");
	int64_t v;

	e->has_trigger = true;
	copy_n(e->comm, sizeof(e->comm), line, (size_t)(at - line));
	e->format = MS_OOMFMT_5X;
	if (starts(p, "gfp_mask=")) {
		const char *q = p + strlen("gfp_mask=");

		e->gfp_mask = strtoull(q, NULL, 16);
		q = strchr(q, '(');
		if (q && q < strstr(p, ", ")) {
			const char *end = strchr(q, ')');

			if (end)
				copy_n(e->gfp_names, sizeof(e->gfp_names), q + 1, (size_t)(end - q - 1));
		}
	}
	p = strstr(at, "nodemask=");
	if (p) {
		const char *end = strstr(p, ", ");

		p += strlen("nodemask=");
		copy_n(e->nodemask, sizeof(e->nodemask), p, end ? (size_t)(end - p) : strlen(p));
		e->format = MS_OOMFMT_4X;
	}
	if (key_num(at, "order=", &v))
		e->order = (int)v;
	if (key_num(at, "oom_score_adj=", &v)) {
		e->has_adj = true;
		e->adj = (int)v;
	}
}

/* ",cpuset=NAME,mems_allowed=LIST" (cpuset_print_current_mems_allowed(), 5.x+,
 * after warn_alloc()'s line) or " cpuset=NAME mems_allowed=LIST" (4.x). */
static void parse_cpuset(struct ms_oom_event *e, const char *s)
{
	const char *p = strstr(s, "cpuset=");
	const char *m = strstr(s, "mems_allowed=");

	if (p && (!m || p < m)) {
		p += strlen("cpuset=");
		copy_n(e->cpuset, sizeof(e->cpuset), p, m ? (size_t)(m - 1 - p) : strcspn(p, " ,"));
	}
	if (m) {
		m += strlen("mems_allowed=");
		copy_n(e->mems_allowed, sizeof(e->mems_allowed), m, strcspn(m, " "));
	}
}

/* "COMM: page allocation failure: order:N, mode:0x..(NAMES), nodemask=..[,cpuset=..]"
 * (warn_alloc()). */
static void parse_allocfail(struct ms_oom_event *e, const char *line, const char *at)
{
	const char *p;
	int64_t v;

	e->has_trigger = true;
	e->format = MS_OOMFMT_5X;
	copy_n(e->comm, sizeof(e->comm), line, (size_t)(at - line));
	if (key_num(at, "order:", &v))
		e->order = (int)v;
	p = strstr(at, "mode:");
	if (p) {
		const char *q = strchr(p, '('), *end;

		e->gfp_mask = strtoull(p + strlen("mode:"), NULL, 16);
		end = q ? strchr(q, ')') : NULL;
		if (end)
			copy_n(e->gfp_names, sizeof(e->gfp_names), q + 1, (size_t)(end - q - 1));
	}
	p = strstr(at, "nodemask=");
	if (p) {
		p += strlen("nodemask=");
		copy_n(e->nodemask, sizeof(e->nodemask), p, strcspn(p, ","));
		/* "(null)" or a list; a list may hold commas before ",cpuset=" */
		const char *c = strstr(p, ",cpuset=");

		if (c && (size_t)(c - p) < sizeof(e->nodemask))
			copy_n(e->nodemask, sizeof(e->nodemask), p, (size_t)(c - p));
		if (c)
			parse_cpuset(e, c);
	}
}

/* "oom-kill:constraint=..,nodemask=..,cpuset=..,mems_allowed=..,(global_oom|oom_memcg=..),
 * task_memcg=..,task=..,pid=..,uid=.." (dump_oom_summary(), 5.0+).  A bitmap list
 * ("0-1,3") holds commas: a part without '=' continues the one before. */
static void parse_constraint(struct ms_oom_event *e, const char *s)
{
	char buf[1024], *save = NULL, *tok;
	char *last = NULL;
	size_t lastsize = 0;

	e->has_constraint = true;
	copy_n(buf, sizeof(buf), s, strlen(s));
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		char *val = eq ? eq + 1 : NULL;

		if (!eq) {
			if (!strcmp(tok, "global_oom"))
				e->global_oom = true;
			else if (last && strlen(last) + strlen(tok) + 2 <= lastsize)
				strcat(strcat(last, ","), tok);
			continue;
		}
		*eq = '\0';
		last = NULL;
#define FIELD(key, dst) \
	else if (!strcmp(tok, key)) { copy_n(dst, sizeof(dst), val, strlen(val)); \
				      last = dst; lastsize = sizeof(dst); }
		if (0) {}
		FIELD("constraint", e->constraint)
		FIELD("nodemask", e->nodemask)
		FIELD("cpuset", e->cpuset)
		FIELD("mems_allowed", e->mems_allowed)
		FIELD("oom_memcg", e->oom_memcg)
		FIELD("task_memcg", e->task_memcg)
		FIELD("task", e->task_comm)
		else if (!strcmp(tok, "pid"))
			e->task_pid = atoi(val);
		else if (!strcmp(tok, "uid"))
			e->task_uid = (uint32_t)strtoul(val, NULL, 10);
#undef FIELD
	}
}

/* "[Memory cgroup ]Out of memory: Killed process PID (COMM) total-vm:..kB, anon-rss:..kB,
 * file-rss:..kB, shmem-rss:..kB, UID:N pgtables:..kB oom_score_adj:N" (5.x+
 * __oom_kill_process()), or 4.x "Killed process PID (COMM) total-vm:.., shmem-rss:..kB". */
static void parse_kill(struct ms_oom_event *e, const char *line, const char *at,
		       const struct ms_log_record *r)
{
	const char *p = at + strlen("Killed process ");
	const char *close;
	int64_t v;
	uint64_t u;

	e->has_kill = true;
	e->kill_seq = r->seq;
	e->kill_ts_nsec = r->ts_nsec;
	e->memcg_kill = strstr(line, "Memory cgroup") && strstr(line, "Memory cgroup") < at;
	if (num(&p, &v))
		e->kill_pid = (int)v;
	p = skip_sp(p);
	if (*p == '(') {
		close = strstr(p, ") total-vm:");
		if (!close)
			close = strrchr(p, ')');
		if (close)
			copy_n(e->kill_comm, sizeof(e->kill_comm), p + 1, (size_t)(close - p - 1));
	}
	e->has_kill_mem = key_unum(at, "total-vm:", &e->total_vm_kb);
	key_unum(at, "anon-rss:", &e->anon_rss_kb);
	key_unum(at, "file-rss:", &e->file_rss_kb);
	key_unum(at, "shmem-rss:", &e->shmem_rss_kb);
	if (key_unum(at, "UID:", &u)) {
		e->has_kill_uid = true;
		e->kill_uid = (uint32_t)u;
		key_unum(at, "pgtables:", &e->pgtables_kb);
		if (key_num(at, "oom_score_adj:", &v))
			e->kill_adj = (int)v;
	}
}

/* A "Node N ..." line of show_free_areas(): a zone's watermarks, or its
 * per-order free blocks ("Node 0 DMA32: 3*4kB (UM) 0*8kB ... = 12kB").  The
 * node-wide line ("Node 0 active_anon:..") and hugepages lines are its own
 * too, not kept. */
static void parse_node_line(struct ms_oom_event *e, const char *s, struct ms_oom_zone **lastz)
{
	const char *p = s + strlen("Node ");
	char name[MS_OOM_NAME_LEN];
	struct ms_oom_zone *z = NULL;
	bool orders;
	int64_t node;
	size_t n;

	if (!num(&p, &node))
		return;
	p = skip_sp(p);
	n = strcspn(p, " :=");
	if (!n || (p[n] != ' ' && p[n] != ':'))
		return;			/* "hugepages_total=..." */
	if (p[n] == ' ' && !strchr(p + n + 1, ':'))
		return;
	if (p[n] == ':' && isdigit((unsigned char)p[n + 1]))
		return;			/* "active_anon:123kB": the node's line */
	orders = p[n] == ':';
	copy_n(name, sizeof(name), p, n);
	p += n + (orders ? 1 : 0);
	if (!orders) {
		const char *q = skip_sp(p);
		size_t k = strcspn(q, ":");
		const char *sp = strchr(q, ' ');

		/* "DMA32 free:..": the zone's own line; "active_anon:.." was ruled out */
		if (!q[k] || (sp && sp < q + k))
			return;
	}
	for (size_t i = 0; i < e->nr_zones; i++)
		if (e->zones[i].node == node && !strcmp(e->zones[i].name, name))
			z = &e->zones[i];
	if (!z) {
		z = grow((void **)&e->zones, &e->nr_zones, sizeof(*z), MS_OOM_ITEMS_MAX, &e->missing);
		if (!z)
			return;
		z->node = (int)node;
		copy_n(z->name, sizeof(z->name), name, strlen(name));
	}
	if (orders) {
		unsigned int o = 0;

		z->has_orders = true;
		for (;;) {
			uint64_t cnt, size;

			p = skip_sp(p);
			if (*p == '(') {
				p = strchr(p, ')');
				if (!p)
					break;
				p++;
				continue;
			}
			if (*p == '=') {
				p++;
				unum(&p, &z->orders_total_kb);
				break;
			}
			if (!unum(&p, &cnt) || *p != '*')
				break;
			p++;
			if (!unum(&p, &size))
				break;
			if (starts(p, "kB"))
				p += 2;
			if (o < MS_OOM_ORDERS)
				z->nr_free[o] = cnt;
			o++;
		}
		z->nr_orders = o < MS_OOM_ORDERS ? o : MS_OOM_ORDERS;
		return;
	}
	z->has_wmarks = true;
	key_unum(p, " free:", &z->free_kb);
	key_unum(p, "boost:", &z->boost_kb);
	key_unum(p, " min:", &z->min_kb);
	key_unum(p, " low:", &z->low_kb);
	key_unum(p, " high:", &z->high_kb);
	key_unum(p, "present:", &z->present_kb);
	key_unum(p, "managed:", &z->managed_kb);
	*lastz = z;
}

/* "lowmem_reserve[]: 0 1924 1924 1924" after a zone's line. */
static void parse_reserve(struct ms_oom_zone *z, const char *s)
{
	const char *p = s + strlen("lowmem_reserve[]:");
	int64_t v;

	z->nr_reserve = 0;
	while (num(&p, &v) && z->nr_reserve < MS_OOM_RESERVES)
		z->lowmem_reserve[z->nr_reserve++] = v;
}

static struct ms_error *add_counter(struct ms_oom_event *e, const char *name, size_t n,
				    uint64_t v)
{
	struct ms_oom_counter *c;

	for (size_t i = 0; i < e->nr_counters; i++)
		if (strlen(e->counters[i].name) == n && !strncmp(e->counters[i].name, name, n)) {
			e->counters[i].value = v;
			return NULL;
		}
	c = grow((void **)&e->counters, &e->nr_counters, sizeof(*c), MS_OOM_ITEMS_MAX, &e->missing);
	if (!c && !(e->missing & MS_OOM_CUT))
		return ms_error_create(MS_ERR_NOMEM, "no memory for a Mem-Info counter");
	if (c) {
		copy_n(c->name, sizeof(c->name), name, n);
		c->value = v;
	}
	return NULL;
}

/* A line of "name:value" words and nothing else (the Mem-Info counters):
 * true if it was one. */
static bool parse_counters(struct ms_oom_event *e, const char *s, struct ms_error **err)
{
	const char *p = skip_sp(s);
	bool any = false;

	/* check the whole line first: a stack line must not leave half of it */
	for (const char *q = p; *q; ) {
		size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz_0123456789");
		uint64_t v;

		if (!n || q[n] != ':')
			return false;
		q += n + 1;
		if (!unum(&q, &v) || (*q && *q != ' '))
			return false;
		q = skip_sp(q);
	}
	while (*p) {
		size_t n = strcspn(p, ":");
		const char *q = p + n + 1;
		uint64_t v = 0;

		unum(&q, &v);
		if (!*err)
			*err = add_counter(e, p, n, v);
		any = true;
		p = skip_sp(q);
	}
	return any;
}

/* show_mem()'s totals after the zones: "N total pagecache pages", "Free swap  = NkB", ... */
static bool parse_total(struct ms_oom_event *e, const char *s, struct ms_error **err)
{
	static const struct { const char *text, *name; } totals[] = {
		{ " total pagecache pages", "total_pagecache" },
		{ " pages in swap cache", "swap_cache" },
		{ " pages RAM", "pages_ram" },
		{ " pages HighMem/MovableOnly", "pages_highmem_movable" },
		{ " pages reserved", "pages_reserved" },
		{ " pages cma reserved", "pages_cma_reserved" },
		{ " pages hwpoisoned", "pages_hwpoisoned" },
	};
	const char *p = s;
	uint64_t v;

	if (starts(s, "Free swap  = ") || starts(s, "Total swap = ")) {
		p = s + strlen("Free swap  = ");
		if (!unum(&p, &v))
			return false;
		const char *name = s[0] == 'F' ? "free_swap_kb" : "total_swap_kb";

		*err = add_counter(e, name, strlen(name), v);
		return true;
	}
	if (!unum(&p, &v))
		return false;
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		if (!strcmp(p, totals[i].text)) {
			*err = add_counter(e, totals[i].name, strlen(totals[i].name), v);
			return true;
		}
	return false;
}

/* "[  pid  ]   uid  tgid total_vm      rss [rss_anon rss_file rss_shmem] pgtables_bytes
 * swapents oom_score_adj name" (dump_tasks(); 4.x before 4.15: nr_ptes nr_pmds). */
static bool parse_tasks_header(struct ms_oom_log *l, const char *s)
{
	const char *p = strchr(s, ']');

	l->st.ncols = 0;
	if (!p)
		return false;
	p++;
	while (*(p = skip_sp(p)) && l->st.ncols < 16) {
		size_t n = strcspn(p, " ");

		copy_n(l->st.cols[l->st.ncols++], MS_OOM_NAME_LEN, p, n);
		p += n;
	}
	return l->st.ncols > 0 && !strcmp(l->st.cols[l->st.ncols - 1], "name");
}

/* "[%7d] %5d %5d %8lu %8lu ... %5hd %s": a row, by the header's columns. */
static bool parse_row(struct ms_oom_log *l, struct ms_oom_event *e, const char *s)
{
	const char *p = s + 1;
	struct ms_oom_row row = { .pgtables_bytes = -1 }, *r;
	int64_t v;

	if (!num(&p, &v) || *p != ']')
		return false;
	row.pid = (int)v;
	p++;
	for (unsigned int c = 0; c < l->st.ncols; c++) {
		const char *col = l->st.cols[c];

		if (!strcmp(col, "name")) {
			p = skip_sp(p);
			copy_n(row.comm, sizeof(row.comm), p, strlen(p));
			break;
		}
		if (!num(&p, &v))
			return false;
		if (!strcmp(col, "uid"))
			row.uid = (uint32_t)v;
		else if (!strcmp(col, "tgid"))
			row.tgid = (int)v;
		else if (!strcmp(col, "total_vm"))
			row.total_vm = (uint64_t)v;
		else if (!strcmp(col, "rss"))
			row.rss = (uint64_t)v;
		else if (!strcmp(col, "rss_anon"))
			row.has_split = true, row.rss_anon = (uint64_t)v;
		else if (!strcmp(col, "rss_file"))
			row.rss_file = (uint64_t)v;
		else if (!strcmp(col, "rss_shmem"))
			row.rss_shmem = (uint64_t)v;
		else if (!strcmp(col, "pgtables_bytes"))
			row.pgtables_bytes = v;
		else if (!strcmp(col, "swapents"))
			row.swapents = (uint64_t)v;
		else if (!strcmp(col, "oom_score_adj"))
			row.adj = (int)v;
	}
	r = grow((void **)&e->rows, &e->nr_rows, sizeof(*r), MS_OOM_TASKS_MAX, &e->missing);
	if (r)
		*r = row;
	return true;
}

/* "oom_reaper: reaped process PID (COMM), now anon-rss:..kB, file-rss:..kB,
 * shmem-rss:..kB" or "oom_reaper: unable to reap pid:PID (COMM)" (oom_reap_task_mm(),
 * oom_reap_task()): the latest event that killed that pid. */
static void parse_reaper(struct ms_oom_log *l, const char *s, const struct ms_log_record *r)
{
	bool failed = starts(s, "oom_reaper: unable to reap pid:");
	const char *p = s + strlen(failed ? "oom_reaper: unable to reap pid:" :
				   "oom_reaper: reaped process ");
	int64_t pid;

	if (!num(&p, &pid))
		return;
	for (size_t i = l->nr, n = 0; i-- > 0 && n < REAP_LOOKBACK; n++) {
		struct ms_oom_event *e = &l->v[i];

		if (!e->has_kill || e->kill_pid != pid || e->has_reap)
			continue;
		e->has_reap = true;
		e->reap_failed = failed;
		e->reap_ts_nsec = r->ts_nsec;
		key_unum(p, "anon-rss:", &e->reap_anon_kb);
		key_unum(p, "file-rss:", &e->reap_file_kb);
		key_unum(p, "shmem-rss:", &e->reap_shmem_kb);
		return;
	}
}

/* One line of a record: NULL, or MS_ERR_NOMEM. */
static struct ms_error *feed_line(struct ms_oom_log *l, const struct ms_log_record *r,
				  const char *s)
{
	struct ms_oom_event *e;
	struct ms_error *err = NULL;
	struct ms_oom_zone *lastz = NULL;
	const char *at;
	bool own = true;

	if ((at = strstr(s, " invoked oom-killer: "))) {
		err = new_ev(l, MS_OOMEV_OOM, r, &e);
		if (e)
			parse_trigger(e, s, at);
		return err;
	}
	if ((at = strstr(s, ": page allocation failure: "))) {
		err = new_ev(l, MS_OOMEV_ALLOCFAIL, r, &e);
		if (e)
			parse_allocfail(e, s, at);
		return err;
	}
	if (starts(s, "oom_reaper: reaped process ") || starts(s, "oom_reaper: unable to reap pid:")) {
		parse_reaper(l, s, r);
		return NULL;
	}
	e = open_ev(l);
	if ((at = strstr(s, "Killed process ")) && strstr(at, "total-vm:")) {
		if (!e || e->has_kill || e->kind != MS_OOMEV_OOM) {
			err = new_ev(l, MS_OOMEV_OOM, r, &e);
			if (!e)
				return err;
			e->missing |= MS_OOM_NO_TRIGGER;
			e->format = strstr(s, ": Killed process ") ? MS_OOMFMT_5X : MS_OOMFMT_4X;
		}
		parse_kill(e, s, at, r);
		e->last_seq = r->seq;
		close_ev(l);
		return NULL;
	}
	if (!e)
		return NULL;
	if (l->st.lastz >= 0 && (size_t)l->st.lastz < e->nr_zones)
		lastz = &e->zones[l->st.lastz];
	if ((at = strstr(s, ": Kill process ")) && strstr(at, " score ")) {
		/* 4.x oom_kill_process(): the chosen task and its normalised points */
		e->has_score = key_unum(at, " score ", &e->score);
		e->format = MS_OOMFMT_4X;
	} else if (starts(s, "oom-kill:")) {
		parse_constraint(e, s + strlen("oom-kill:"));
	} else if (e->format == MS_OOMFMT_4X && strstr(s, " cpuset=") && strstr(s, " mems_allowed=")) {
		parse_cpuset(e, s);
	} else if (starts(s, "CPU: ") && strstr(s, " PID: ") && strstr(s, " Comm: ")) {
		int64_t pid;

		if (e->pid < 0 && key_num(s, " PID: ", &pid))
			e->pid = (int)pid;
	} else if (starts(s, "memory: usage ")) {
		e->has_memcg_usage = key_unum(s, "usage ", &e->memcg_usage_kb);
		key_unum(s, "limit ", &e->memcg_limit_kb);
		key_unum(s, "failcnt ", &e->memcg_failcnt);
	} else if (starts(s, "swap: usage ")) {
		e->has_swap_usage = key_unum(s, "usage ", &e->swap_usage_kb);
		key_unum(s, "limit ", &e->swap_limit_kb);
	} else if (!strcmp(s, "Mem-Info:")) {
		e->has_meminfo = true;
		l->st.part = ST_MEMINFO;
	} else if (!strcmp(s, "Tasks state (memory values in pages):")) {
		e->has_tasks = true;
		l->st.part = ST_TASKS;
	} else if (starts(s, "[  pid  ]")) {
		own = parse_tasks_header(l, s);
		if (own) {
			e->has_tasks = true;
			l->st.part = ST_TASKS;
		}
	} else if (l->st.part == ST_TASKS && s[0] == '[' && l->st.ncols) {
		own = parse_row(l, e, s);
	} else if (l->st.part == ST_MEMINFO && starts(s, "Node ")) {
		parse_node_line(e, s, &lastz);
		if (lastz)
			l->st.lastz = lastz - e->zones;
	} else if (l->st.part == ST_MEMINFO && starts(s, "lowmem_reserve[]:")) {
		if (lastz)
			parse_reserve(lastz, s);
	} else if (l->st.part == ST_MEMINFO) {
		own = parse_counters(e, s, &err) || parse_total(e, s, &err);
	} else {
		own = false;
	}
	if (own) {
		l->st.gap = 0;
		e->last_seq = r->seq;
	} else if (++l->st.gap > MS_OOM_GAP_MAX) {
		close_ev(l);
	}
	return err;
}

void ms_oom_log_init(struct ms_oom_log *l)
{
	memset(l, 0, sizeof(*l));
	l->st.open = -1;
}

struct ms_error *ms_oom_log_feed(const struct ms_log_record *rec, void *arg)
{
	struct ms_oom_log *l = arg;
	const char *s = rec->text ? rec->text : "";
	const char *end = s + (rec->text ? rec->len : 0);
	struct ms_error *err = NULL;

	if (l->st.any && rec->seq != l->next_seq && open_ev(l))
		open_ev(l)->missing |= MS_OOM_GAP;
	if (!l->st.any)
		l->first_seq = rec->seq;
	l->st.any = true;
	l->records++;
	l->next_seq = rec->seq + 1;
	l->last_ts_nsec = rec->ts_nsec;
	while (s < end && !err) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char line[1024];

		size_t k;

		copy_n(line, sizeof(line), s, n);
		for (k = strlen(line); k && line[k - 1] == '\r'; )
			line[--k] = '\0';
		l->lines++;
		err = feed_line(l, rec, line);
		s += n + (nl ? 1 : 0);
		if (!nl)
			break;
	}
	return err;
}

void ms_oom_log_finish(struct ms_oom_log *l)
{
	close_ev(l);
}

void ms_oom_log_free(struct ms_oom_log *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->v[i].counters);
		free(l->v[i].zones);
		free(l->v[i].rows);
	}
	free(l->v);
	ms_oom_log_init(l);
}

bool ms_oom_counter(const struct ms_oom_event *e, const char *name, uint64_t *v)
{
	for (size_t i = 0; i < e->nr_counters; i++)
		if (!strcmp(e->counters[i].name, name)) {
			*v = e->counters[i].value;
			return true;
		}
	return false;
}

const char *ms_oom_kind_name(enum ms_oom_kind k)
{
	return k == MS_OOMEV_ALLOCFAIL ? "allocfail" : "oom";
}

const char *ms_oom_missing_text(unsigned int missing, char *buf, size_t len)
{
	static const struct { unsigned int bit; const char *text; } words[] = {
		{ MS_OOM_NO_TRIGGER, "no trigger line" },
		{ MS_OOM_NO_MEMINFO, "no Mem-Info" },
		{ MS_OOM_NO_TASKS, "no tasks table" },
		{ MS_OOM_NO_KILL, "no kill line" },
		{ MS_OOM_GAP, "records missing in between" },
		{ MS_OOM_CUT, "cut at a bound" },
	};
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (!(missing & words[i].bit))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "", words[i].text);

		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	return buf;
}
