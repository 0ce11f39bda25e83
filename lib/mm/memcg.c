/*
 * memcg.c - memory cgroups: the css tree, page counters, memory.stat,
 * memory.events, processes and dying cgroups (see memcg.h).
 *
 * Kernel functions reproduced (mm/memcontrol.c unless said):
 *   css_for_each_descendant_pre()   kernel/cgroup/cgroup.c: css.children /
 *                                   css.sibling lists from root_mem_cgroup
 *   cgroup_path() -> kernfs_path_from_node()   kernfs names up to the root
 *   memory_current_read(), memory_max_show(), ... seq_puts_memcg_tunable():
 *                                   page_counter usage / max / high / low / min,
 *                                   "max" for PAGE_COUNTER_MAX
 *   memory_peak_read() (5.19+)      page_counter watermark
 *   memory_events_show()            memcg->memory_events[]
 *   memory_stat_format() (6.1) / memcg_stat_format() (6.12): the rows of the
 *                                   kernel's own memory_stats[] table, each
 *                                   memcg_page_state_output(), "slab" after
 *                                   slab_unreclaimable; 6.12 skips hugetlb
 *                                   without CGRP_ROOT_MEMORY_HUGETLB_ACCOUNTING
 *   memcg_page_state()              vmstats->state[i], clamped at 0; 6.12 via
 *                                   memcg_stats_index() (mem_cgroup_stats_index[])
 *   mem_cgroup_css_rstat_flush()    the pending deltas folded (ms_memcg_fold())
 *   mem_cgroup_usage() (v1)         the root's usage_in_bytes from its stats
 *   cgroup_stat_show()              kernel/cgroup/cgroup.c: nr_dying_descendants
 *
 * Era differences: rstat (memcg->vmstats, vmstats_percpu with state_prev[])
 * since 5.13; vmstats is a pointer since 6.0 (embedded before: both read
 * through its member offset); 6.8+ keep only the memcg-tracked items in
 * state[] (memcg_stats_index()), and a state_local[] beside it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kernel.h"
#include "list.h"
#include "memcg.h"
#include "tasks.h"
#include "text.h"

const char *const ms_memcg_event_names[MS_MEMCG_NR_EVENTS] = {
	"low", "high", "max", "oom", "oom_kill", "oom_group_kill",
};

static const char *const event_enums[MS_MEMCG_NR_EVENTS] = {
	"MEMCG_LOW", "MEMCG_HIGH", "MEMCG_MAX", "MEMCG_OOM", "MEMCG_OOM_KILL",
	"MEMCG_OOM_GROUP_KILL",
};

struct layout {
	long css;			/* mem_cgroup.css */
	long css_cgroup, css_sibling, css_children, css_flags;
	long cg_kn, cg_root, cg_nr_desc, cg_nr_dying, cg_nr_dying_subsys;
	long kn_name, kn_parent;
	long memory, swap, memsw, soft_limit;	/* mem_cgroup members */
	long pc_usage, pc_max, pc_high, pc_low, pc_min, pc_watermark, pc_failcnt;
	long vmstats, vmstats_ptr;	/* offset; 1 if a pointer */
	long vmstats_percpu;
	long vs_state, vs_pending;	/* memcg_vmstats */
	long pcpu_state, pcpu_prev;	/* memcg_vmstats_percpu */
	long events;			/* memory_events[] */
	long ev_idx[MS_MEMCG_NR_EVENTS];
	long css_online;		/* CSS_ONLINE */
	unsigned long page_counter_max;
};

/* A symbol's address, if the kernel has it (a question, not a failure). */
static bool sym(struct ms_target *t, const char *name, uint64_t *addr)
{
	struct ms_error *err;

	if (!ms_has_symbol(t, name))
		return false;
	err = ms_symbol(t, name, addr);
	ms_error_destroy(err);
	return !err;
}

static struct ms_error *lookup(struct ms_target *t, const char *s, const char *m, long *off)
{
	*off = ms_member_offset(t, s, m);
	if (*off < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no member %s.%s", s, m);
	return NULL;
}

static struct ms_error *resolve(struct ms_target *t, struct layout *l)
{
	struct ms_error *err = NULL;
	const struct {
		const char *s, *m;
		long *off;
	} need[] = {
		{ "mem_cgroup", "css", &l->css },
		{ "cgroup_subsys_state", "cgroup", &l->css_cgroup },
		{ "cgroup_subsys_state", "sibling", &l->css_sibling },
		{ "cgroup_subsys_state", "children", &l->css_children },
		{ "cgroup_subsys_state", "flags", &l->css_flags },
		{ "cgroup", "kn", &l->cg_kn },
		{ "kernfs_node", "name", &l->kn_name },
		{ "mem_cgroup", "memory", &l->memory },
		{ "page_counter", "usage", &l->pc_usage },
		{ "page_counter", "max", &l->pc_max },
		{ "mem_cgroup", "memory_events", &l->events },
		{ "mem_cgroup", "vmstats_percpu", &l->vmstats_percpu },
		{ "memcg_vmstats_percpu", "state", &l->pcpu_state },
		{ "memcg_vmstats_percpu", "state_prev", &l->pcpu_prev },
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) && !err; i++)
		err = lookup(t, need[i].s, need[i].m, need[i].off);
	if (err)
		return err;
	/* 6.13+ renamed kernfs_node.parent __parent (RCU). */
	l->kn_parent = ms_member_offset_any(t, "kernfs_node",
					    (const char *const[]){ "parent", "__parent", NULL });
	if (l->kn_parent < 0)
		return ms_error_create(MS_ERR_LOOKUP, "no member kernfs_node.parent");
	l->cg_root = ms_member_offset(t, "cgroup", "root");
	l->cg_nr_desc = ms_member_offset(t, "cgroup", "nr_descendants");
	l->cg_nr_dying = ms_member_offset(t, "cgroup", "nr_dying_descendants");
	l->cg_nr_dying_subsys = ms_member_offset(t, "cgroup", "nr_dying_subsys");
	l->swap = ms_member_offset(t, "mem_cgroup", "swap");
	l->memsw = ms_member_offset(t, "mem_cgroup", "memsw");
	l->soft_limit = ms_member_offset(t, "mem_cgroup", "soft_limit");
	l->pc_high = ms_member_offset(t, "page_counter", "high");
	l->pc_low = ms_member_offset(t, "page_counter", "low");
	l->pc_min = ms_member_offset(t, "page_counter", "min");
	l->pc_watermark = ms_member_offset(t, "page_counter", "watermark");
	l->pc_failcnt = ms_member_offset(t, "page_counter", "failcnt");
	/* 5.13..5.19: struct memcg_vmstats vmstats embedded; 6.0+: a pointer. */
	l->vmstats = ms_member_offset(t, "mem_cgroup", "vmstats");
	if (l->vmstats < 0)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no mem_cgroup.vmstats: memory cgroups before rstat (5.13)");
	l->vmstats_ptr = ms_member_size(t, "mem_cgroup", "vmstats") == (long)t->word_size &&
			 ms_struct_size(t, "memcg_vmstats") != (long)t->word_size;
	if ((err = lookup(t, "memcg_vmstats", "state", &l->vs_state)) ||
	    (err = lookup(t, "memcg_vmstats", "state_pending", &l->vs_pending)))
		return err;
	for (int i = 0; i < MS_MEMCG_NR_EVENTS; i++)
		l->ev_idx[i] = ms_enum_or(t, event_enums[i], -1);
	/* include/linux/cgroup-defs.h: CSS_ONLINE = (1 << 1) since 3.x. */
	l->css_online = ms_enum_or(t, "CSS_ONLINE", 2);
	/* include/linux/page_counter.h: LONG_MAX / PAGE_SIZE (64-bit). */
	l->page_counter_max = (t->word_size == 8 ? (unsigned long)LLONG_MAX : (unsigned long)INT_MAX)
			      >> t->page_shift;
	return NULL;
}

/* ---- the memory.stat rows: the kernel's own memory_stats[] table ---- */

/* memcg_page_state_output_unit() (6.12) / memcg_page_state_unit() (6.1). */
static unsigned long row_unit(struct ms_target *t, long idx)
{
	static const char *const bytes[] = {
		"MEMCG_PERCPU_B", "MEMCG_ZSWAP_B", "NR_SLAB_RECLAIMABLE_B",
		"NR_SLAB_UNRECLAIMABLE_B", "WORKINGSET_REFAULT_ANON", "WORKINGSET_REFAULT_FILE",
		"WORKINGSET_ACTIVATE_ANON", "WORKINGSET_ACTIVATE_FILE", "WORKINGSET_RESTORE_ANON",
		"WORKINGSET_RESTORE_FILE", "WORKINGSET_NODERECLAIM",
	};

	for (size_t i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++)
		if (ms_enum_or(t, bytes[i], -1) == idx)
			return 1;
	if (ms_enum_or(t, "NR_KERNEL_STACK_KB", -1) == idx)
		return 1024;
	return ms_page_size(t);
}

/* memcg_stats_index(): 6.8+ a table filled by init_memcg_stats(), U8_MAX
 * for an item memcg does not track; before, the item itself. */
static long stat_index(struct ms_target *t, long idx, long nr_state)
{
	uint64_t tab, v;

	if (idx < 0)
		return -1;
	if (sym(t, "mem_cgroup_stats_index", &tab)) {
		long nr = ms_enum_or(t, "MEMCG_NR_STAT", -1);

		if (nr >= 0 && idx >= nr)
			return -1;
		if (ms_error_failed(ms_read_uint(t, tab + (uint64_t)idx, 1, &v)) || v == 0xff)
			return -1;
		return (long)v < nr_state ? (long)v : -1;
	}
	return idx < nr_state ? idx : -1;
}

/* Is this symbol's array still going at addr?  (No sizes in the target
 * interface: the next symbol, or a NULL name, ends it.) */
static bool in_symbol(struct ms_target *t, const char *sym, uint64_t addr)
{
	char name[64];
	uint64_t off;
	struct ms_error *err = ms_symbol_at(t, addr, name, sizeof(name), &off);

	if (err) {
		ms_error_destroy(err);
		return true;	/* cannot tell: the NULL name and the bound end it */
	}
	return strcmp(name, sym) == 0;
}

static struct ms_error *add_row(struct ms_memcg_tree *tree, const char *name, long idx, long vi,
				unsigned long unit)
{
	struct ms_memcg_row *r;

	if (tree->nr_rows >= MS_MEMCG_MAX_ROWS)
		return ms_error_create(MS_ERR_CORRUPT, "more than %d memory.stat rows",
				       MS_MEMCG_MAX_ROWS);
	r = &tree->rows[tree->nr_rows++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	ms_text_sanitize(r->name);
	r->idx = idx;
	r->vi = vi;
	r->unit = unit;
	r->idx2 = r->vi2 = -1;
	r->unit2 = 0;
	return NULL;
}

static bool hugetlb_hidden(struct ms_target *t, long idx)
{
	long flag = ms_enum_or(t, "CGRP_ROOT_MEMORY_HUGETLB_ACCOUNTING", -1);
	long off = ms_member_offset(t, "cgroup_root", "flags");
	uint64_t root, flags;

	if (flag < 0 || ms_enum_or(t, "NR_HUGETLB", -1) != idx)
		return false;
	if (off < 0 || !sym(t, "cgrp_dfl_root", &root) ||
	    ms_error_failed(ms_read_uint(t, root + (uint64_t)off, 4, &flags)))
		return false;
	return !(flags & (uint64_t)flag);
}

static struct ms_error *read_rows(struct ms_target *t, struct ms_memcg_tree *tree)
{
	long esz = ms_struct_size(t, "memory_stat");
	long noff = ms_member_offset(t, "memory_stat", "name");
	long ioff = ms_member_offset(t, "memory_stat", "idx");
	long slab_u = ms_enum_or(t, "NR_SLAB_UNRECLAIMABLE_B", -1);
	long slab_r = ms_enum_or(t, "NR_SLAB_RECLAIMABLE_B", -1);
	uint64_t base, p, idx;
	char name[MS_MEMCG_STAT_NAME_LEN];
	struct ms_error *err;

	if (esz <= 0 || noff < 0 || ioff < 0) {	/* struct memory_stat { name; idx; } */
		esz = 2 * (long)t->word_size;
		noff = 0;
		ioff = t->word_size;
	}
	err = ms_symbol(t, "memory_stats", &base);
	if (err)
		return err;
	for (int i = 0; i < MS_MEMCG_MAX_ROWS; i++) {
		uint64_t a = base + (uint64_t)i * (uint64_t)esz;

		if (i && !in_symbol(t, "memory_stats", a))
			break;
		if ((err = ms_read_ptr(t, a + (uint64_t)noff, &p)))
			return ms_error_wrap(err, "memory_stats[%d]", i);
		if (!p)
			break;
		if ((err = ms_read_uint(t, a + (uint64_t)ioff, 4, &idx)) ||
		    (err = ms_read_str(t, p, name, sizeof(name))))
			return ms_error_wrap(err, "memory_stats[%d]", i);
		if (!name[0])
			break;
		if (hugetlb_hidden(t, (long)idx))
			continue;
		err = add_row(tree, name, (long)idx, stat_index(t, (long)idx, tree->nr_state),
			      row_unit(t, (long)idx));
		if (err)
			return err;
		if ((long)idx == slab_u && slab_r >= 0) {
			struct ms_memcg_row *r;

			if ((err = add_row(tree, "slab", slab_u, stat_index(t, slab_u, tree->nr_state),
					   row_unit(t, slab_u))))
				return err;
			r = &tree->rows[tree->nr_rows - 1];
			r->idx2 = slab_r;
			r->vi2 = stat_index(t, slab_r, tree->nr_state);
			r->unit2 = row_unit(t, slab_r);
		}
	}
	return NULL;
}

/* v1's memory.stat: memcg1_stat_format() prints memcg1_stats[] as
 * memcg1_stat_names[] (local) and "total_" + name (hierarchical: these). */
static void read_rows_v1(struct ms_target *t, struct ms_memcg_tree *tree)
{
	uint64_t names, items, p, idx;
	long swap = ms_enum_or(t, "MEMCG_SWAP", -1);
	char name[MS_MEMCG_STAT_NAME_LEN], total[MS_MEMCG_STAT_NAME_LEN + 8];

	if (!sym(t, "memcg1_stat_names", &names) || !sym(t, "memcg1_stats", &items))
		return;
	for (int i = 0; i < 32; i++) {
		uint64_t a = names + (uint64_t)i * t->word_size;

		if (i && (!in_symbol(t, "memcg1_stat_names", a) ||
			  !in_symbol(t, "memcg1_stats", items + 4u * (uint64_t)i)))
			break;
		if (ms_error_failed(ms_read_ptr(t, a, &p)) || !p ||
		    ms_error_failed(ms_read_str(t, p, name, sizeof(name))) || !name[0])
			break;
		if (ms_error_failed(ms_read_uint(t, items + 4u * (uint64_t)i, 4, &idx)))
			break;
		/* memcg1_stat_format(): MEMCG_SWAP only with do_memsw_account(). */
		if ((long)idx == swap && !tree->have_swap)
			continue;
		snprintf(total, sizeof(total), "total_%s", name);
		if (ms_error_failed(add_row(tree, total, (long)idx,
					    stat_index(t, (long)idx, tree->nr_state),
					    row_unit(t, (long)idx))))
			break;
	}
}

long ms_memcg_row(const struct ms_memcg_tree *tree, const char *name)
{
	for (size_t i = 0; i < tree->nr_rows; i++)
		if (!strcmp(tree->rows[i].name, name))
			return (long)i;
	return -1;
}

/* ---- the walk ---- */

/* A set of addresses seen (the cycle check across all the lists). */
struct addr_set {
	uint64_t *slot;
	size_t size, used;
};

static bool set_add(struct addr_set *s, uint64_t a)
{
	size_t i;

	if (2 * (s->used + 1) > s->size) {
		size_t n = s->size ? 2 * s->size : 64;
		uint64_t *ns = calloc(n, sizeof(*ns));

		if (!ns)
			return false;
		for (size_t j = 0; j < s->size; j++) {
			if (!s->slot[j])
				continue;
			for (i = (s->slot[j] >> 6) & (n - 1); ns[i]; i = (i + 1) & (n - 1))
				;
			ns[i] = s->slot[j];
		}
		free(s->slot);
		s->slot = ns;
		s->size = n;
	}
	for (i = (a >> 6) & (s->size - 1); s->slot[i]; i = (i + 1) & (s->size - 1))
		if (s->slot[i] == a)
			return false;
	s->slot[i] = a;
	s->used++;
	return true;
}

struct walk {
	struct ms_target *t;
	const struct layout *l;
	struct ms_memcg_tree *tree;
	size_t cap;
	struct addr_set seen;
	size_t parent;
	bool nomem;
};

static void note(struct ms_memcg_tree *tree, const char *fmt, const char *what)
{
	tree->complete = false;
	if (!tree->reason[0])
		snprintf(tree->reason, sizeof(tree->reason), fmt, what);
}

/* cgroup_path(): the kernfs names from the cgroup's node up to the root's
 * (whose parent is NULL), "/" joined; the root is "/". */
static void read_path(struct ms_target *t, const struct layout *l, struct ms_memcg *m)
{
	const char *names[64];
	char buf[64][MS_MEMCG_PATH_LEN];
	uint64_t kn = 0, parent;
	int n = 0;
	size_t len = 0;
	struct ms_error *err = ms_read_ptr(t, m->cgroup + (uint64_t)l->cg_kn, &kn);

	m->path_ok = false;
	snprintf(m->path, sizeof(m->path), "?");
	while (!err && kn) {
		uint64_t np;

		if ((err = ms_read_ptr(t, kn + (uint64_t)l->kn_parent, &parent)))
			break;
		if (!parent)
			break;		/* the hierarchy's root: not part of the path */
		if (n == 64) {
			err = ms_error_at(MS_ERR_CORRUPT, kn, "kernfs_node: more than 64 levels");
			break;
		}
		if ((err = ms_read_ptr(t, kn + (uint64_t)l->kn_name, &np)) ||
		    (err = ms_read_str(t, np, buf[n], sizeof(buf[n]))))
			break;
		if (!buf[n][0] || strchr(buf[n], '/')) {
			err = ms_error_at(MS_ERR_CORRUPT, np, "kernfs_node name \"%.40s\" is not a "
					  "cgroup name", buf[n]);
			break;
		}
		ms_text_sanitize(buf[n]);
		names[n] = buf[n];
		n++;
		kn = parent;
	}
	if (err) {
		snprintf(m->reason, sizeof(m->reason), "path: %.140s", ms_error_string(err));
		/* What was read is the tail of the path: show it as such. */
		len = (size_t)snprintf(m->path, sizeof(m->path), "?");
		while (n-- > 0 && len + 1 < sizeof(m->path))
			len += (size_t)snprintf(m->path + len, sizeof(m->path) - len, "/%s", names[n]);
		ms_error_destroy(err);
		return;
	}
	m->path[0] = '\0';
	while (n-- > 0 && len + 1 < sizeof(m->path))
		len += (size_t)snprintf(m->path + len, sizeof(m->path) - len, "/%s", names[n]);
	if (!m->path[0])
		snprintf(m->path, sizeof(m->path), "/");
	m->path_ok = true;
}

static uint64_t counter(const struct layout *l, uint64_t v)
{
	return v == l->page_counter_max ? MS_MEMCG_UNLIMITED : v;
}

static struct ms_error *read_counter(struct ms_target *t, const struct layout *l, uint64_t pc,
				     uint64_t *usage, uint64_t *max, uint64_t *watermark)
{
	uint64_t v;
	struct ms_error *err;

	if ((err = ms_read_ptr(t, pc + (uint64_t)l->pc_usage, usage)) ||
	    (err = ms_read_ptr(t, pc + (uint64_t)l->pc_max, &v)))
		return err;
	*max = counter(l, v);
	*watermark = 0;
	if (l->pc_watermark >= 0 && (err = ms_read_ptr(t, pc + (uint64_t)l->pc_watermark, watermark)))
		return err;
	return NULL;
}

/* n longs (8 bytes: the state arrays are long on 64-bit) in the target's order. */
static struct ms_error *read_longs(struct ms_target *t, uint64_t addr, int64_t *v, size_t n)
{
	struct ms_error *err = ms_read(t, addr, v, n * 8);

	if (err)
		return err;
	for (size_t i = 0; i < n; i++)
		v[i] = (int64_t)ms_get_u64(t, &v[i], 0);
	return NULL;
}

/* One cgroup's own numbers: its counters, events, flags and its own part
 * of the unflushed stats (pend, nr_state entries). */
static struct ms_error *read_memcg(struct ms_target *t, const struct layout *l,
				   const struct ms_kernel *k, struct ms_memcg_tree *tree,
				   struct ms_memcg *m, int64_t *pend)
{
	uint64_t pc = m->addr + (uint64_t)l->memory, v, vs, pcpu;
	size_t nst = (size_t)tree->nr_state;
	int64_t *buf, *prev;
	struct ms_error *err;

	if ((err = read_counter(t, l, pc, &m->usage, &m->max, &m->watermark)))
		return ms_error_wrap(err, "mem_cgroup.memory");
	m->high = m->low = m->min = 0;
	if (l->pc_high >= 0 && !ms_error_failed(ms_read_ptr(t, pc + (uint64_t)l->pc_high, &v)))
		m->high = counter(l, v);
	if (l->pc_low >= 0 && !ms_error_failed(ms_read_ptr(t, pc + (uint64_t)l->pc_low, &v)))
		m->low = counter(l, v);
	if (l->pc_min >= 0 && !ms_error_failed(ms_read_ptr(t, pc + (uint64_t)l->pc_min, &v)))
		m->min = counter(l, v);
	if (l->pc_failcnt >= 0 &&
	    !ms_error_failed(ms_read_ptr(t, pc + (uint64_t)l->pc_failcnt, &v)))
		m->failcnt = v;
	/* v2: swap; v1 (do_memsw_account()): memsw, the same union. */
	if ((tree->v1 ? l->memsw : l->swap) >= 0) {
		uint64_t sp = m->addr + (uint64_t)(tree->v1 ? l->memsw : l->swap);

		if ((err = read_counter(t, l, sp, &m->swap_usage, &m->swap_max, &m->swap_watermark)))
			return ms_error_wrap(err, "mem_cgroup.%s", tree->v1 ? "memsw" : "swap");
	}
	if (tree->v1 && l->soft_limit >= 0 &&
	    !ms_error_failed(ms_read_ptr(t, m->addr + (uint64_t)l->soft_limit, &v)))
		m->soft_limit = counter(l, v);
	for (int i = 0; i < MS_MEMCG_NR_EVENTS; i++) {
		m->events[i] = 0;
		if (l->ev_idx[i] >= 0 &&
		    (err = ms_read_ptr(t, m->addr + (uint64_t)l->events +
					      (uint64_t)l->ev_idx[i] * t->word_size, &m->events[i])))
			return ms_error_wrap(err, "mem_cgroup.memory_events");
	}

	/* vmstats: the flushed state[] and the pending deltas from below. */
	vs = m->addr + (uint64_t)l->vmstats;
	if (l->vmstats_ptr && (err = ms_read_ptr(t, vs, &vs)))
		return ms_error_wrap(err, "mem_cgroup.vmstats");
	if (!vs)
		return ms_error_at(MS_ERR_CORRUPT, m->addr, "mem_cgroup.vmstats is NULL");
	if ((err = read_longs(t, vs + (uint64_t)l->vs_state, m->state, nst)))
		return ms_error_wrap(err, "memcg_vmstats.state");
	if ((err = read_longs(t, vs + (uint64_t)l->vs_pending, pend, nst)))
		return ms_error_wrap(err, "memcg_vmstats.state_pending");
	/* mem_cgroup_css_rstat_flush() runs per possible CPU. */
	if ((err = ms_read_ptr(t, m->addr + (uint64_t)l->vmstats_percpu, &pcpu)))
		return ms_error_wrap(err, "mem_cgroup.vmstats_percpu");
	buf = malloc(2 * nst * sizeof(*buf));
	if (!buf)
		return &ms_error_nomem;
	prev = buf + nst;
	for (unsigned int c = 0; c < k->nr_possible && pcpu; c++) {
		uint64_t a = ms_percpu_addr(k, pcpu, k->possible[c]);

		if ((err = read_longs(t, a + (uint64_t)l->pcpu_state, buf, nst)) ||
		    (err = read_longs(t, a + (uint64_t)l->pcpu_prev, prev, nst))) {
			free(buf);
			return ms_error_wrap(err, "memcg_vmstats_percpu of CPU %u", k->possible[c]);
		}
		for (size_t i = 0; i < nst; i++)
			pend[i] += (int64_t)((uint64_t)buf[i] - (uint64_t)prev[i]);
	}
	free(buf);
	return NULL;
}

void ms_memcg_fold(size_t nr, long nr_state, const size_t *parent, const int64_t *pend,
		   int64_t *state)
{
	size_t ns = (size_t)nr_state;
	int64_t *sub = malloc(nr * ns * sizeof(*sub));

	if (!sub)
		return;
	memcpy(sub, pend, nr * ns * sizeof(*sub));
	/* Children after parents: from the last, each adds its subtree's
	 * pending part to its parent's. */
	for (size_t i = nr; i-- > 0;) {
		if (parent[i] < nr && parent[i] < i)
			for (size_t j = 0; j < ns; j++)
				sub[parent[i] * ns + j] = (int64_t)((uint64_t)sub[parent[i] * ns + j] +
								   (uint64_t)sub[i * ns + j]);
	}
	for (size_t i = 0; i < nr * ns; i++)
		state[i] = (int64_t)((uint64_t)state[i] + (uint64_t)sub[i]);
	free(sub);
}

static struct ms_memcg *push(struct walk *w, uint64_t css)
{
	struct ms_memcg_tree *tree = w->tree;
	struct ms_memcg *m;

	struct ms_memcg *nv = ms_grow(tree->v, &w->cap, tree->nr, sizeof(*nv), 64);

	if (!nv) {
		w->nomem = true;
		return NULL;
	}
	tree->v = nv;
	m = &tree->v[tree->nr++];
	memset(m, 0, sizeof(*m));
	m->addr = css - (uint64_t)w->l->css;
	m->parent = SIZE_MAX;
	m->nr_descendants = m->nr_dying_descendants = -1;
	return m;
}

struct kids {
	uint64_t *v;
	size_t nr, cap;
};

static struct ms_error *kid(struct ms_target *t, uint64_t node, void *arg)
{
	struct kids *k = arg;

	(void)t;
	uint64_t *nv = ms_grow(k->v, &k->cap, k->nr, sizeof(*nv), 16);

	if (!nv)
		return &ms_error_nomem;
	k->v = nv;
	k->v[k->nr++] = node;
	return NULL;
}

/* css_for_each_descendant_pre(), depth first, each css once. */
static void walk_css(struct walk *w, uint64_t css, size_t parent, unsigned int depth)
{
	const struct layout *l = w->l;
	struct ms_target *t = w->t;
	struct ms_memcg *m;
	struct kids kids = { 0 };
	struct ms_list_result r;
	struct ms_error *err;
	size_t me;
	uint64_t v;

	if (w->nomem)
		return;
	if (w->tree->nr >= MS_MEMCG_MAX) {
		note(w->tree, "more than %s cgroups: the walk stopped", "100000");
		return;
	}
	if (!set_add(&w->seen, css)) {
		note(w->tree, "%s", "a css met twice: a cycle in the children lists");
		return;
	}
	if (!(m = push(w, css)))
		return;
	me = w->tree->nr - 1;
	m->parent = parent;
	m->depth = depth;
	if ((err = ms_read_ptr(t, css + (uint64_t)l->css_cgroup, &m->cgroup))) {
		snprintf(m->reason, sizeof(m->reason), "css.cgroup: %s", ms_error_string(err));
		ms_error_destroy(err);
	} else {
		read_path(t, l, m);
		if (l->cg_nr_desc >= 0 &&
		    !ms_error_failed(ms_read_uint(t, m->cgroup + (uint64_t)l->cg_nr_desc, 4, &v)))
			m->nr_descendants = (int)(int32_t)v;
		if (l->cg_nr_dying >= 0 &&
		    !ms_error_failed(ms_read_uint(t, m->cgroup + (uint64_t)l->cg_nr_dying, 4, &v)))
			m->nr_dying_descendants = (int)(int32_t)v;
	}
	if (!ms_error_failed(ms_read_uint(t, css + (uint64_t)l->css_flags, 4, &v)))
		m->online = (v & (uint64_t)l->css_online) != 0;
	if (m->reason[0])
		note(w->tree, "%s", m->reason);

	/* The children: css.children, linked through each child's css.sibling. */
	err = ms_list_visit(t, css + (uint64_t)l->css_children, MS_MEMCG_MAX, MS_LIST_CHECK_PREV,
			    kid, &kids, &r);
	w->tree->v[me].nr_children = r.count;
	if (err || r.status != MS_LIST_OK) {
		char why[200];

		snprintf(why, sizeof(why), "the children list of %.80s: %s%s%.80s", w->tree->v[me].path,
			 ms_list_status_name(r.status), err ? ": " : "",
			 err ? ms_error_string(err) : "");
		note(w->tree, "%s", why);
		ms_error_destroy(err);
	}
	for (size_t i = 0; i < kids.nr; i++)
		walk_css(w, kids.v[i] - (uint64_t)l->css_sibling, me, depth + 1);
	free(kids.v);
}

/* task->cgroups->subsys[memory_cgrp_id]: the index of the task's memory
 * cgroup (mem_cgroup_from_task()), or SIZE_MAX. */
size_t ms_memcg_of_task(struct ms_target *t, const struct ms_memcg_tree *tree, uint64_t task)
{
	long cg = ms_member_offset(t, "task_struct", "cgroups");
	long subsys = ms_member_offset(t, "css_set", "subsys");
	long id = ms_enum_or(t, "memory_cgrp_id", -1);
	long css = ms_member_offset(t, "mem_cgroup", "css");
	uint64_t cset, c;

	if (cg < 0 || subsys < 0 || id < 0 || css < 0)
		return SIZE_MAX;
	if (ms_error_failed(ms_read_ptr(t, task + (uint64_t)cg, &cset)) || !cset ||
	    ms_error_failed(ms_read_ptr(t, cset + (uint64_t)subsys + (uint64_t)id * t->word_size, &c)))
		return SIZE_MAX;
	c -= (uint64_t)css;
	if (tree->by_addr) {
		/* Binary search of the addresses in order (built after the walk). */
		size_t lo = 0, hi = tree->nr;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			uint64_t a = tree->v[tree->by_addr[mid]].addr;

			if (a == c)
				return tree->by_addr[mid];
			if (a < c)
				lo = mid + 1;
			else
				hi = mid;
		}
		return SIZE_MAX;
	}
	for (size_t j = 0; j < tree->nr; j++)
		if (tree->v[j].addr == c)
			return j;
	return SIZE_MAX;
}

static const struct ms_memcg *sort_v;

static int by_addr(const void *a, const void *b)
{
	uint64_t x = sort_v[*(const size_t *)a].addr, y = sort_v[*(const size_t *)b].addr;

	return (x > y) - (x < y);
}

/* tree->by_addr: the cgroups' indexes by mem_cgroup address (NULL if no memory). */
static void index_addrs(struct ms_memcg_tree *tree)
{
	tree->by_addr = malloc((tree->nr ? tree->nr : 1) * sizeof(*tree->by_addr));
	if (!tree->by_addr)
		return;
	for (size_t i = 0; i < tree->nr; i++)
		tree->by_addr[i] = i;
	sort_v = tree->v;
	qsort(tree->by_addr, tree->nr, sizeof(*tree->by_addr), by_addr);
	sort_v = NULL;
}

/* A process's pages as /proc/PID/status shows them (task_mem(): the per-cpu
 * parts summed on 6.2+), not the OOM killer's get_mm_counter(). */
static void status_rss(const struct ms_task *p, uint64_t *anon, uint64_t *file, uint64_t *shmem)
{
	bool sum = p->have & MS_TASK_HAVE_RSS_SUM;

	*anon = sum ? p->sum_anon : p->rss_anon;
	*file = sum ? p->sum_file : p->rss_file;
	*shmem = sum ? p->sum_shmem : p->rss_shmem;
}

static void add_proc(struct ms_memcg *m, const struct ms_task *p)
{
	uint64_t anon, file, shmem, rss;
	unsigned int k;

	status_rss(p, &anon, &file, &shmem);
	rss = anon + file + shmem;

	m->nr_procs++;
	for (k = m->nr_top; k > 0; k--) {
		const struct ms_memcg_proc *q = &m->top[k - 1];

		if (q->anon + q->file + q->shmem >= rss)
			break;
		if (k < MS_MEMCG_TOP)
			m->top[k] = *q;
	}
	if (k >= MS_MEMCG_TOP)
		return;
	m->top[k].pid = p->tgid;
	snprintf(m->top[k].comm, sizeof(m->top[k].comm), "%s", p->comm);
	m->top[k].anon = anon;
	m->top[k].file = file;
	m->top[k].shmem = shmem;
	if (m->nr_top < MS_MEMCG_TOP)
		m->nr_top++;
}

bool ms_memcg_near_limit(const struct ms_memcg *m)
{
	if (!m->read_ok || m->parent == SIZE_MAX)
		return false;
	if (m->max != MS_MEMCG_UNLIMITED && m->usage * 100 >= m->max * MS_MEMCG_NEAR_PCT)
		return true;
	return m->high != MS_MEMCG_UNLIMITED && m->high && m->usage * 100 >= m->high * MS_MEMCG_NEAR_PCT;
}

/* Each thread-group leader counted in its memory cgroup (cgroup.procs). */
static void count_procs(struct ms_target *t, struct ms_memcg_tree *tree)
{
	struct ms_tasks ts = { 0 };
	struct ms_error *err;

	if (ms_member_offset(t, "task_struct", "cgroups") < 0 || !ms_has_enum(t, "memory_cgrp_id"))
		return;
	err = ms_tasks_read(t, &ts);
	if (err) {
		ms_warn_error(t, err, "memcg: the processes are not counted");
		return;
	}
	for (size_t i = 0; i < ts.nr; i++) {
		size_t j = ms_memcg_of_task(t, tree, ts.v[i].addr);

		if (j < tree->nr)
			add_proc(&tree->v[j], &ts.v[i]);
	}
	tree->have_procs = true;
	ms_tasks_free(&ts);
}

static int64_t row_value(const struct ms_memcg_row *r, const int64_t *state)
{
	/* memcg_page_state(): a negative sum reads as 0 (CONFIG_SMP). */
	int64_t a = r->vi >= 0 ? state[r->vi] : 0, b = r->vi2 >= 0 ? state[r->vi2] : 0;

	if (a < 0)
		a = 0;
	if (b < 0)
		b = 0;
	return (int64_t)((uint64_t)a * r->unit + (uint64_t)b * r->unit2);
}

struct ms_error *ms_memcg_read(struct ms_target *t, struct ms_memcg_tree *tree)
{
	return ms_memcg_read_ex(t, tree, true);
}

struct ms_error *ms_memcg_read_ex(struct ms_target *t, struct ms_memcg_tree *tree, bool procs)
{
	struct layout l;
	const struct ms_kernel *k;
	struct walk w = { 0 };
	uint64_t root, rootp, rcg, dfl = 0;
	int64_t *pend = NULL;
	size_t *parent = NULL;
	struct ms_error *err;

	memset(tree, 0, sizeof(*tree));
	tree->nr_dying = tree->nr_dying_memory = -1;
	tree->complete = true;
	if (!sym(t, "root_mem_cgroup", &root) || ms_struct_size(t, "mem_cgroup") < 0)
		return NULL;	/* CONFIG_MEMCG=n */
	tree->present = true;
	if ((err = resolve(t, &l)))
		return ms_error_wrap(err, "struct mem_cgroup");
	if ((err = ms_kernel_get(t, &k)))
		return err;
	if ((err = ms_read_ptr(t, root, &rootp)))
		return ms_error_wrap(err, "root_mem_cgroup");
	if (!rootp) {
		/* cgroup_disable=memory: mem_cgroup_css_alloc() never ran. */
		tree->present = false;
		return NULL;
	}
	tree->nr_state = ms_member_size(t, "memcg_vmstats", "state") / 8;
	if (tree->nr_state <= 0 || tree->nr_state > 4096)
		return ms_error_create(MS_ERR_LOOKUP, "memcg_vmstats.state has no size");
	/* cgroup_subsys_on_dfl(memory_cgrp_subsys): its root is cgrp_dfl_root's. */
	if ((err = ms_read_ptr(t, rootp + (uint64_t)l.css + (uint64_t)l.css_cgroup, &rcg)))
		return ms_error_wrap(err, "root_mem_cgroup->css.cgroup");
	if (l.cg_root >= 0 && sym(t, "cgrp_dfl_root", &dfl)) {
		uint64_t r;

		if (!ms_error_failed(ms_read_ptr(t, rcg + (uint64_t)l.cg_root, &r)))
			tree->v1 = r != dfl;
	}
	/* memory.peak (5.19+) prints the watermark; v1 max_usage_in_bytes too. */
	tree->have_peak = l.pc_watermark >= 0 &&
			  (tree->v1 || ms_has_symbol(t, "memory_peak_read") ||
			   ms_has_symbol(t, "memory_peak_show"));
	tree->have_swap = tree->v1 ? l.memsw >= 0 : l.swap >= 0;
	if (l.cg_nr_dying >= 0) {
		uint64_t v;

		if (!ms_error_failed(ms_read_uint(t, rcg + (uint64_t)l.cg_nr_dying, 4, &v)))
			tree->nr_dying = (int)(int32_t)v;
	}
	if (l.cg_nr_dying_subsys >= 0) {
		long id = ms_enum_or(t, "memory_cgrp_id", -1);
		uint64_t v, at = rcg + (uint64_t)l.cg_nr_dying_subsys + 4u * (uint64_t)id;

		if (id >= 0 && !ms_error_failed(ms_read_uint(t, at, 4, &v)))
			tree->nr_dying_memory = (int)(int32_t)v;
	}
	if ((err = read_rows(t, tree))) {
		ms_warn_error(t, err, "memcg: memory.stat rows");
		tree->complete = false;
	}
	if (tree->v1)
		read_rows_v1(t, tree);

	w.t = t;
	w.l = &l;
	w.tree = tree;
	walk_css(&w, rootp + (uint64_t)l.css, SIZE_MAX, 0);
	free(w.seen.slot);
	if (w.nomem)
		return &ms_error_nomem;

	/* The counters, then the fold over the subtree of each. */
	pend = calloc(tree->nr * (size_t)tree->nr_state, sizeof(*pend));
	parent = calloc(tree->nr, sizeof(*parent));
	if (!pend || !parent) {
		free(pend);
		free(parent);
		return &ms_error_nomem;
	}
	for (size_t i = 0; i < tree->nr; i++) {
		struct ms_memcg *m = &tree->v[i];

		parent[i] = m->parent;
		m->state = calloc((size_t)tree->nr_state, sizeof(*m->state));
		m->stat = calloc(tree->nr_rows + 1, sizeof(*m->stat));
		if (!m->state || !m->stat) {
			free(pend);
			free(parent);
			return &ms_error_nomem;
		}
		err = read_memcg(t, &l, k, tree, m, pend + i * (size_t)tree->nr_state);
		if (err) {
			snprintf(m->reason, sizeof(m->reason), "%s", ms_error_string(err));
			note(tree, "%s", m->reason);
			ms_error_destroy(err);
			memset(pend + i * (size_t)tree->nr_state, 0,
			       (size_t)tree->nr_state * sizeof(*pend));
			continue;
		}
		m->read_ok = true;
	}
	{
		int64_t *all = malloc(tree->nr * (size_t)tree->nr_state * sizeof(*all));

		if (!all) {
			free(pend);
			free(parent);
			return &ms_error_nomem;
		}
		for (size_t i = 0; i < tree->nr; i++)
			memcpy(all + i * (size_t)tree->nr_state, tree->v[i].state,
			       (size_t)tree->nr_state * sizeof(*all));
		ms_memcg_fold(tree->nr, tree->nr_state, parent, pend, all);
		for (size_t i = 0; i < tree->nr; i++) {
			struct ms_memcg *m = &tree->v[i];

			memcpy(m->state, all + i * (size_t)tree->nr_state,
			       (size_t)tree->nr_state * sizeof(*all));
			for (size_t r = 0; r < tree->nr_rows; r++)
				m->stat[r] = row_value(&tree->rows[r], m->state);
		}
		free(all);
	}
	free(pend);
	free(parent);

	/* mem_cgroup_usage() (v1): the root's usage from its stats. */
	if (tree->v1 && tree->nr) {
		struct ms_memcg *r = &tree->v[0];
		long fp = stat_index(t, ms_enum_or(t, "NR_FILE_PAGES", -1), tree->nr_state);
		long an = stat_index(t, ms_enum_or(t, "NR_ANON_MAPPED", -1), tree->nr_state);
		long sw = stat_index(t, ms_enum_or(t, "MEMCG_SWAP", -1), tree->nr_state);
		int64_t f = fp >= 0 ? r->state[fp] : 0, a = an >= 0 ? r->state[an] : 0;
		int64_t s = sw >= 0 ? r->state[sw] : 0;

		r->usage = (uint64_t)(f > 0 ? f : 0) + (uint64_t)(a > 0 ? a : 0);
		r->swap_usage = r->usage + (uint64_t)(s > 0 ? s : 0);
	}
	index_addrs(tree);
	if (procs)
		count_procs(t, tree);
	return NULL;
}

void ms_memcg_free(struct ms_memcg_tree *tree)
{
	for (size_t i = 0; i < tree->nr; i++) {
		free(tree->v[i].stat);
		free(tree->v[i].state);
	}
	free(tree->v);
	free(tree->by_addr);
	tree->v = NULL;
	tree->by_addr = NULL;
	tree->nr = 0;
}

const struct ms_memcg *ms_memcg_find(const struct ms_memcg_tree *tree, const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	for (size_t i = 0; i < tree->nr; i++)
		if (tree->v[i].online && strlen(tree->v[i].path) == n &&
		    !strncmp(tree->v[i].path, path, n))
			return &tree->v[i];
	for (size_t i = 0; i < tree->nr; i++)
		if (strlen(tree->v[i].path) == n && !strncmp(tree->v[i].path, path, n))
			return &tree->v[i];
	return NULL;
}

bool ms_memcg_in_subtree(const struct ms_memcg_tree *tree, size_t a, size_t b)
{
	for (size_t guard = 0; b < tree->nr && guard <= tree->nr; guard++) {
		if (b == a)
			return true;
		b = tree->v[b].parent;
	}
	return false;
}

static uint64_t row_pages(const struct ms_memcg_tree *tree, const struct ms_memcg *m,
			  const char *name, uint64_t page_size)
{
	long r = ms_memcg_row(tree, name);

	return r < 0 || m->stat[r] < 0 ? 0 : (uint64_t)m->stat[r] / page_size;
}

void ms_memcg_dying_sum(const struct ms_memcg_tree *tree, struct ms_memcg_dying *d)
{
	uint64_t ps = 4096;
	long k = ms_memcg_row(tree, "kernel_stack");

	memset(d, 0, sizeof(*d));
	/* Page size from a page row's unit. */
	for (size_t r = 0; r < tree->nr_rows; r++)
		if (tree->rows[r].unit > 1024) {
			ps = tree->rows[r].unit;
			break;
		}
	(void)k;
	for (size_t i = 0; i < tree->nr; i++) {
		const struct ms_memcg *m = &tree->v[i];
		bool top = true;
		long s;

		if (m->online || m->parent == SIZE_MAX)
			continue;
		d->nr++;
		for (size_t p = m->parent, g = 0; p < tree->nr && g < tree->nr;
		     p = tree->v[p].parent, g++)
			if (!tree->v[p].online && tree->v[p].parent != SIZE_MAX)
				top = false;
		if (!top)
			continue;
		d->nr_top++;
		d->usage += m->usage;
		d->anon += row_pages(tree, m, "anon", ps);
		d->file += row_pages(tree, m, "file", ps);
		d->shmem += row_pages(tree, m, "shmem", ps);
		d->kernel += row_pages(tree, m, "kernel", ps);
		d->swap += m->swap_usage;
		s = ms_memcg_row(tree, "slab");
		if (s >= 0 && m->stat[s] > 0)
			d->slab_bytes += (uint64_t)m->stat[s];
	}
}

struct ms_error *ms_memcg_dying_pages(struct ms_target *t, uint64_t *pages)
{
	struct ms_memcg_tree tree;
	struct ms_memcg_dying d;
	struct ms_error *err = ms_memcg_read_ex(t, &tree, false);

	*pages = 0;
	if (err)
		return err;
	ms_memcg_dying_sum(&tree, &d);
	*pages = d.usage;
	ms_memcg_free(&tree);
	return NULL;
}
