/*
 * snapshot_build.c - build the snapshot of one dump from the analyses of lib/.
 *
 * Each section is read on its own: one that cannot be read is left out with a
 * warning (and an entry in "incomplete"), the others still come.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "pgtable_upper.h"
#include "snapshot.h"
#include "snapshot_sections.h"
#include "snapshot_oom.h"
#include "snapshot_memcg.h"
#include "snapshot_tasks.h"
#include "tasks.h"
#include "text.h"
#include "version.h"
#include "vmstat.h"
#include "zone.h"

#define TOP_PROCESSES 20

/* init_uts_ns.name (version.h): what uname(2) and crash's sys say.  A field
 * this kernel has no member for is left out; one that cannot be read is "". */
static json_t *identity(struct ms_target *t)
{
	json_t *id = json_pack("{s:I}", "page_size", (json_int_t)ms_page_size(t));
	char buf[MS_UTS_LEN];

	for (int f = 0; id && f < MS_UTS_NR; f++) {
		const char *name = ms_uts_field_name(f);
		struct ms_error *err = ms_kernel_uts(t, f, buf, sizeof(buf));

		if (ms_error_is(err, MS_ERR_LOOKUP)) {
			ms_warn_error(t, err, "snapshot: no utsname.%s", name);
			continue;
		}
		if (err) {
			ms_warn_error(t, err, "snapshot: cannot read utsname.%s", name);
			buf[0] = '\0';
		}
		ms_text_sanitize(buf);
		json_object_set_new(id, name, json_string(buf));
	}
	return id;
}

/* One populated zone's managed and free memory; false to leave it out (unpopulated,
 * unreadable: the zone sizes as zone.c reads them, the counters as vmstat.c does). */
static bool zone_sizes(struct ms_target *t, const struct ms_zone_layout *l, uint64_t zone,
		       int free_idx, uint64_t *managed, uint64_t *free)
{
	struct ms_counters c;
	struct ms_error *err;
	uint64_t present;

	err = ms_zone_member(t, l, zone, MS_ZONE_PRESENT, &present);
	if (!err && present)
		err = ms_zone_member(t, l, zone, MS_ZONE_MANAGED, managed);
	if (err || !present) {
		ms_error_destroy(err);		/* left out, as the kernel skips it */
		return false;
	}
	err = ms_zone_counters(t, zone, &c);
	if (err) {
		ms_warn_error(t, err, "snapshot: zone at %#llx", (unsigned long long)zone);
		return false;
	}
	*free = (uint64_t)ms_counter(&c, free_idx);
	return true;
}

/* Free and managed memory of every populated zone, node by node. */
static json_t *nodes(struct ms_target *t)
{
	int free_idx = ms_stat_index(t, "NR_FREE_PAGES");
	const struct ms_zone_layout *l = NULL;
	const struct ms_kernel *k;
	json_t *out = json_array();
	struct ms_error *err;

	err = ms_kernel_get(t, &k);
	if (!err)
		err = ms_zone_layout(t, &l);
	if (!err && (!ms_zone_has(l, MS_ZONE_MANAGED) || free_idx < 0))
		err = ms_error_create(MS_ERR_LOOKUP, "cannot resolve zone.managed_pages / NR_FREE_PAGES");
	if (err) {
		ms_warn_error(t, err, "snapshot");
		return out;
	}
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		json_t *zones = json_array();

		for (unsigned int z = 0; z < k->nr_zones; z++) {
			uint64_t managed, free;

			if (!zone_sizes(t, l, ms_zone_addr(k, n, z), free_idx, &managed, &free))
				continue;
			json_array_append_new(zones, json_pack("{s:s, s:I, s:I}", "zone", k->zone_name[z],
				"managed_kb", (json_int_t)ms_pages_to_kb(t, managed),
				"free_kb", (json_int_t)ms_pages_to_kb(t, free)));
		}
		json_array_append_new(out, json_pack("{s:i, s:o}", "node", k->node_id[n], "zones", zones));
	}
	return out;
}

/* Size of one kernel stack: the vm area of a task's stack (VMAP_STACK), less
 * its guard page.  The first task whose area can be read tells; 0 if none. */
static uint64_t thread_stack_kb(struct ms_target *t, const struct ms_tasks *ts)
{
	long vm_off = ms_member_offset(t, "task_struct", "stack_vm_area");
	long nr_off = ms_member_offset(t, "vm_struct", "nr_pages");
	struct ms_error *err;
	uint64_t vm = 0;
	uint32_t nr = 0;

	for (size_t i = 0; vm_off >= 0 && nr_off >= 0 && i < ts->nr; i++) {
		err = ms_read_ptr(t, ts->v[i].addr + vm_off, &vm);
		if (!err && vm)
			err = ms_read_u32(t, vm + nr_off, &nr);
		if (!err && vm && nr)
			return ms_pages_to_kb(t, nr);
		ms_error_destroy(err);
	}
	return 0;
}

struct command {
	char comm[MS_TASK_COMM_LEN + 1];
	uint64_t processes, threads, anon, file, shmem, pgtables_bytes, upper, pud;
	int64_t unsynced;	/* anon pages in the threads' rss caches (before 6.2) */
};

/* What /proc/PID/status prints (task_mem(), fs/proc/task_mmu.c): the rss
 * counters summed with their per-cpu parts, get_mm_counter_sum(), on 6.2+
 * kernels; the OOM killer's get_mm_counter() reads the count alone (oom.c
 * keeps that).  The plain counters where the sums could not be read. */
static void status_rss(const struct ms_task *p, uint64_t *anon, uint64_t *file, uint64_t *shmem)
{
	bool sum = p->have & MS_TASK_HAVE_RSS_SUM;

	*anon = sum ? p->sum_anon : p->rss_anon;
	*file = sum ? p->sum_file : p->rss_file;
	*shmem = sum ? p->sum_shmem : p->rss_shmem;
}

static uint64_t status_total(const struct ms_task *p)
{
	uint64_t a, f, s;

	status_rss(p, &a, &f, &s);
	return a + f + s;
}

static int by_comm(const void *a, const void *b)
{
	return strcmp(((const struct ms_task *)a)->comm, ((const struct ms_task *)b)->comm);
}

static int by_rss(const void *a, const void *b)
{
	uint64_t x = status_total(a), y = status_total(b);

	return x < y ? 1 : (x > y ? -1 : 0);
}

static json_t *command_json(struct ms_target *t, const struct command *c, uint64_t stack_kb)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "comm", c->comm,
		"processes", (json_int_t)c->processes, "threads", (json_int_t)c->threads,
		"anon_kb", (json_int_t)ms_pages_to_kb(t, c->anon),
		"file_kb", (json_int_t)ms_pages_to_kb(t, c->file),
		"shmem_kb", (json_int_t)ms_pages_to_kb(t, c->shmem),
		"pgtables_kb", (json_int_t)(c->pgtables_bytes / 1024),
		"kstack_kb", (json_int_t)(c->threads * stack_kb),
		"anon_unsynced_kb", (json_int_t)ms_spages_to_kb(t, c->unsynced));
}

/* "pgtables_upper": the PGD, P4D and PUD pages of every mm (pgtable_upper.h),
 * those NR_PAGETABLE does not count in all and by command. */
static json_t *upper_json(struct ms_target *t, const struct ms_pgt_era *e,
			  const struct ms_pgt_totals *tot)
{
	return json_pack("{s:b, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:[]}",
		"pud_counted", e->pud_counted, "pti", e->pti,
		"levels", (json_int_t)(e->l5 ? 5 : 4), "mms", (json_int_t)tot->nr_mm,
		"pgd_kb", (json_int_t)ms_pages_to_kb(t, tot->pgd),
		"p4d_kb", (json_int_t)ms_pages_to_kb(t, tot->p4d),
		"pud_kb", (json_int_t)ms_pages_to_kb(t, tot->pud),
		"uncounted_kb", (json_int_t)ms_pages_to_kb(t, tot->uncounted),
		"complete", tot->complete, "commands");
}

/* Processes aggregated by command, and the largest ones by rss. */
static void processes(struct ms_target *t, json_t *snap)
{
	json_t *commands = json_array(), *top = json_array(), *upper = NULL;
	struct ms_error *err;
	struct ms_tasks ts;
	struct command c;
	uint64_t stack_kb;
	struct ms_pgt_upper *per = NULL;
	struct ms_pgt_totals tot;
	struct ms_pgt_era era;

	err = ms_tasks_read(t, &ts);
	if (err) {
		ms_warn_error(t, err, "snapshot: no commands or processes");
		json_object_set_new(snap, "commands", commands);
		json_object_set_new(snap, "processes", top);
		return;
	}
	stack_kb = thread_stack_kb(t, &ts);
	if (ts.nr)	/* ts.v is NULL when no process was read */
		qsort(ts.v, ts.nr, sizeof(*ts.v), by_comm);
	per = calloc(ts.nr + 1, sizeof(*per));
	err = per ? ms_pgt_upper_tasks(t, &ts, &era, per, &tot) : &ms_error_nomem;
	if (err) {
		ms_warn_error(t, err, "snapshot: no upper page tables");
		free(per);
		per = NULL;
	} else {
		upper = upper_json(t, &era, &tot);
	}
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i <= ts.nr; i++) {
		const struct ms_task *p = i < ts.nr ? &ts.v[i] : NULL;
		uint64_t anon, file, shmem;

		if (c.processes && (!p || strcmp(p->comm, c.comm))) {
			json_array_append_new(commands, command_json(t, &c, stack_kb));
			if (upper && (c.upper || c.pud))
				json_array_append_new(json_object_get(upper, "commands"),
					json_pack("{s:s, s:I, s:I}", "comm", c.comm, "uncounted_kb",
						  (json_int_t)ms_pages_to_kb(t, c.upper), "pud_kb",
						  (json_int_t)ms_pages_to_kb(t, c.pud)));
			memset(&c, 0, sizeof(c));
		}
		if (!p)
			break;
		memcpy(c.comm, p->comm, sizeof(c.comm));
		c.processes++;
		c.threads += p->nr_kstacks;
		status_rss(p, &anon, &file, &shmem);
		c.anon += anon;
		c.file += file;
		c.shmem += shmem;
		c.pgtables_bytes += p->pgtables_bytes;
		/* get_mm_counter() clamps at 0: what the caches add beyond that. */
		if (p->unsynced_anon)
			c.unsynced += ((int64_t)p->rss_anon + p->unsynced_anon > 0 ?
				       (int64_t)p->rss_anon + p->unsynced_anon : 0) - (int64_t)p->rss_anon;
		if (per) {
			c.upper += ms_pgt_uncounted(&era, &per[i]);
			c.pud += per[i].pud;
		}
	}
	free(per);
	if (ts.nr)
		qsort(ts.v, ts.nr, sizeof(*ts.v), by_rss);
	for (size_t i = 0; i < ts.nr && i < TOP_PROCESSES && status_total(&ts.v[i]); i++) {
		const struct ms_task *p = &ts.v[i];
		uint64_t anon, file, shmem;

		status_rss(p, &anon, &file, &shmem);
		json_array_append_new(top, json_pack("{s:i, s:s, s:I, s:I, s:I, s:I}", "pid", p->pid,
			"comm", p->comm, "anon_kb", (json_int_t)ms_pages_to_kb(t, anon),
			"file_kb", (json_int_t)ms_pages_to_kb(t, file),
			"shmem_kb", (json_int_t)ms_pages_to_kb(t, shmem),
			"pgtables_kb", (json_int_t)(p->pgtables_bytes / 1024)));
	}
	if (!ts.complete)
		ms_warn(t, "snapshot: the process list was cut short; commands are partial");
	json_object_set_new(snap, "commands", commands);
	json_object_set_new(snap, "processes", top);
	json_object_set_new(snap, "thread_stack_kb", json_integer((json_int_t)stack_kb));
	if (upper)
		json_object_set_new(snap, "pgtables_upper", upper);
	ms_tasks_free(&ts);
}

struct ms_error *ms_snapshot_build(struct ms_target *t, json_t **snapp)
{
	const struct ms_kernel *k;
	struct ms_error *err;
	json_t *snap;

	*snapp = NULL;
	err = ms_kernel_get(t, &k);	/* without CPUs and nodes no section can be read */
	if (err)
		return ms_error_wrap(err, "nothing could be read from the dump");
	snap = json_pack("{s:s, s:i, s:i, s:o}", "format", MS_SNAPSHOT_FORMAT,
			 "version", MS_SNAPSHOT_VERSION, "schema_version", MS_SNAPSHOT_VERSION,
			 "identity", identity(t));
	if (!snap)
		return &ms_error_nomem;
	ms_snapshot_meminfo(t, snap);
	json_object_set_new(snap, "nodes", nodes(t));
	ms_snapshot_slab(t, snap);
	processes(t, snap);
	ms_snapshot_tmpfs(t, snap);
	ms_snapshot_vmalloc(t, snap);
	ms_snapshot_oom(t, snap);
	ms_snapshot_boot(t, snap);
	ms_snapshot_task_states(t, snap);
	ms_snapshot_memcgs(t, snap);
	ms_snapshot_page_owner(t, snap);
	*snapp = snap;
	return NULL;
}
