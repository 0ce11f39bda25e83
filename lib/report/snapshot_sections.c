/*
 * snapshot_sections.c - the snapshot sections taken from meminfo, slab and
 * tmpfs analyses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "error_print.h"
#include "memcat.h"
#include "meminfo.h"
#include "shmem.h"
#include "slab.h"
#include "snapshot_sections.h"
#include "uncounted.h"
#include "vmalloc.h"

void ms_snapshot_meminfo(struct ms_target *t, json_t *snap)
{
	json_t *lines = json_object(), *cats = json_object(), *unknown = json_array();
	struct ms_meminfo mi;
	const struct ms_mi_breakdown *bd = &mi.bd;

	if (ms_report_error(t, ms_meminfo_read(t, -1, &mi))) {
		ms_warn(t, "snapshot: meminfo could not be read");
		json_object_set_new(snap, "meminfo", lines);
		json_decref(cats);
		json_decref(unknown);
		return;
	}
	for (unsigned int i = 0; i < MS_MI_NR_ITEMS; i++)
		if (mi.state[i] == MS_MI_OK)
			json_object_set_new(lines, ms_mi_name(i), json_integer((json_int_t)mi.val[i]));
	for (unsigned int c = 0; c < MS_CAT_NR; c++) {
		json_object_set_new(cats, ms_memcat[c].key,
				    json_integer((json_int_t)ms_pages_to_kb(t, (uint64_t)bd->cat[c])));
		if (!bd->cat_ok[c])
			json_array_append_new(unknown, json_string(ms_memcat[c].key));
	}
	/* Categories are whole pages, so kB keep used = accounted + unaccounted exact. */
	json_object_set_new(cats, ms_memcat[MS_MEMCAT_UNACCOUNTED].key, json_integer(ms_spages_to_kb(t, bd->unaccounted)));
	json_object_set_new(snap, "meminfo", lines);
	json_object_set_new(snap, "used", json_pack("{s:I, s:I, s:I, s:o, s:o, s:b}",
		"total_kb", (json_int_t)ms_pages_to_kb(t, bd->total),
		"free_kb", (json_int_t)ms_pages_to_kb(t, bd->free),
		"used_kb", (json_int_t)ms_spages_to_kb(t, bd->used),
		"categories", cats, "unknown_categories", unknown, "complete", bd->complete));
	/* Beside categories.unaccounted (which keeps its meaning): the part of it
	 * each known consumer explains, and what stays unexplained, in kB. */
	if (bd->ok) {
		struct ms_uncounted u;
		json_t *uc;

		if (ms_report_error(t, ms_uncounted_read(t, &u)))
			return;
		ms_uncounted_split(&u, bd->unaccounted);
		uc = json_object();
		for (size_t i = 0; i < u.nr; i++)
			json_object_set_new(uc, u.item[i].key,
					    json_integer(ms_spages_to_kb(t, u.item[i].pages)));
		json_object_set_new(uc, "unexplained", json_integer(ms_spages_to_kb(t, u.unexplained)));
		json_object_set_new(json_object_get(snap, "used"), "uncounted", uc);
		/* Who holds each consumer's pages (the largest MS_UNC_HOLDERS): the
		 * diff names "pipes held by C" from them. */
		uc = json_array();
		for (size_t i = 0; i < u.nr; i++)
			for (size_t h = 0; h < u.item[i].nr_holders; h++) {
				const struct ms_unc_holder *ho = &u.item[i].holder[h];

				json_array_append_new(uc, json_pack("{s:s, s:s, s:i, s:I, s:I}",
					"consumer", u.item[i].key, "name", ho->name, "pid", (int)ho->pid,
					"nr", (json_int_t)ho->nr,
					"kb", (json_int_t)ms_pages_to_kb(t, ho->pages)));
			}
		json_object_set_new(json_object_get(snap, "used"), "uncounted_holders", uc);
		ms_uncounted_free(&u);
	}
}

void ms_snapshot_slab(struct ms_target *t, json_t *snap)
{
	json_t *caches = json_array();
	struct ms_error *err;
	struct ms_slab s;

	err = ms_slab_read(t, &s);
	if (err) {
		ms_warn_error(t, err, "snapshot: no slab caches");
		json_object_set_new(snap, "slab", json_pack("{s:o}", "caches", caches));
		return;
	}
	for (unsigned int i = 0; i < s.nr_caches; i++) {
		const struct ms_slab_cache *c = &s.caches[i];

		json_array_append_new(caches, json_pack("{s:s, s:I, s:I, s:I, s:i}", "name", c->name,
			"kb", (json_int_t)ms_pages_to_kb(t, ms_slab_pages(c)),
			"num_objs", (json_int_t)c->total_objects,
			"active_objs", (json_int_t)ms_slab_active(c), "objsize", c->size));
	}
	json_object_set_new(snap, "slab", json_pack("{s:o, s:I, s:b}", "caches", caches,
		"no_cache_kb", (json_int_t)ms_spages_to_kb(t, ms_slab_uncached_pages(&s)),
		"complete", s.list_complete && s.slab_pages_ok));
	ms_slab_free(&s);
}

/* A stable name for a superblock: its first mount point, else what it is. */
static void sb_key(const struct ms_tmpfs_sb *sb, char *buf, size_t len)
{
	if (sb->nr_mounts)
		snprintf(buf, len, "%s", sb->mounts[0].path);
	else if (sb->internal_shm)
		snprintf(buf, len, "(shm_mnt: SysV shm, memfd, shared anon)");
	else
		snprintf(buf, len, "(%s, not mounted)", sb->fstype);
}

void ms_snapshot_tmpfs(struct ms_target *t, json_t *snap)
{
	json_t *rows = json_array();
	struct ms_error *err;
	struct ms_tmpfs m;
	char key[MS_TMPFS_PATH_LEN];

	err = ms_tmpfs_read(t, &m);
	if (err) {
		ms_warn_error(t, err, "snapshot: no tmpfs");
		json_object_set_new(snap, "tmpfs", rows);
		return;
	}
	for (unsigned int i = 0; i < m.nr; i++) {
		const struct ms_tmpfs_sb *sb = &m.sbs[i];

		sb_key(sb, key, sizeof(key));
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:I, s:I, s:b}", "mount", key,
			"dev", sb->nr_mounts ? sb->mounts[0].devname : "", "fstype", sb->fstype,
			"used_kb", (json_int_t)ms_pages_to_kb(t, sb->nr_pages),
			"unmapped_kb", (json_int_t)ms_pages_to_kb(t, sb->unmapped_pages),
			"complete", sb->pages_ok && sb->unmapped_ok));
	}
	json_object_set_new(snap, "tmpfs", rows);
	ms_tmpfs_free(&m);
}

/* The vmalloc'ed stacks' callers: alloc_thread_stack_node() (kernel/fork.c,
 * 6.1 and 6.12) calls __vmalloc_node_range(), and %pS names the function it
 * is inlined into (dup_task_struct() <- copy_process() <- kernel_clone(),
 * fork_idle(), ...).  KernelStack owns those pages, not the vmalloc category
 * (meminfo_breakdown.c), so the diff must not name them as vmalloc. */
static bool stack_caller(const char *name)
{
	static const char *const fns[] = { "alloc_thread_stack_node", "dup_task_struct",
		"copy_process", "kernel_clone", "fork_idle", "create_io_thread",
		"user_mode_thread", "kernel_thread", NULL };

	for (const char *const *f = fns; *f; f++)
		if (!strcmp(name, *f))
			return true;
	return false;
}

void ms_snapshot_vmalloc(struct ms_target *t, json_t *snap)
{
	json_t *rows = json_array();
	struct ms_error *err;
	struct ms_vmalloc vm;

	err = ms_vmalloc_read(t, &vm);
	if (err) {
		ms_warn_error(t, err, "snapshot: no vmalloc callers");
		json_object_set_new(snap, "vmalloc", json_pack("{s:o, s:b}", "callers", rows,
							       "complete", 0));
		return;
	}
	/* Grouped as vmallocinfo groups them (vmalloc.c group()): "func [module]". */
	for (size_t i = 0; i < vm.nr_callers; i++) {
		const struct ms_vmap_caller *c = &vm.callers[i];

		json_array_append_new(rows, json_pack("{s:s, s:s, s:I, s:I, s:b}", "caller", c->name,
			"module", c->module, "areas", (json_int_t)c->areas,
			"kb", (json_int_t)ms_pages_to_kb(t, c->pages), "stack",
			!c->module[0] && stack_caller(c->name)));
	}
	json_object_set_new(snap, "vmalloc", json_pack("{s:o, s:b}", "callers", rows,
						       "complete", vm.complete));
	ms_vmalloc_free(&vm);
}
