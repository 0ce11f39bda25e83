/*
 * snapdiff_causes.c - see snapdiff_causes.h.
 *
 * The steps of kinds[] run in order; each claims from what the categories
 * grew and the steps before it left.  The order is from the most specific
 * (a storm of one command, whose page tables, stacks and slab objects are
 * its own) to the least (pages with no owner: what is left of the memory no
 * counter accounts for).  The causes are then ranked by size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "memcat.h"
#include "snapdiff_causes.h"
#include "snapshot.h"
#include "units.h"

#define MAX_CAUSES	32
#define STORM_PROCESSES	100	/* a storm has hundreds or thousands of new processes */
#define MAX_COMMANDS	5	/* commands named one by one */
#define MAX_CACHES	5	/* slab caches named one by one, the rest together */
#define MAX_HOLDERS	5	/* commands holding pipes named one by one */
#define MAX_VCALLERS	5	/* vmalloc callers named one by one, the rest together */
#define MAX_STACKS	3	/* page_owner stacks of the pages with no owner named */
#define NODE_SHARE	0.66	/* of the growth, on one node: "most of it" */

/* The slab objects every process (fork(), copy_process()) or thread brings,
 * and the /proc inodes and dentries that reading /proc/PID makes of it. */
static const char *const storm_caches[] = {
	"task_struct", "mm_struct", "vm_area_struct", "signal_cache", "sighand_cache",
	"files_cache", "fs_cache", "pid", "cred_jar", "anon_vma", "anon_vma_chain",
	"proc_inode_cache", "filp", "mm_slot", "pool_workqueue", NULL,
};

struct cause {
	const char *kind;
	char name[96];
	int64_t kb;
	int64_t part[MS_MEMCAT_NR];
};

struct ctx {
	json_t *d;
	const struct ms_snapshot *b, *a;
	int64_t growth;
	int64_t left[MS_MEMCAT_NR];	/* what each category grew, less what was claimed */
	struct cause v[MAX_CAUSES];
	size_t n;
	long storm_row;			/* the storm's command row in a->commands, or -1 */
	json_t *storm_slab;		/* cache name -> kB the storm claimed */
	bool pud_counted;
	int64_t upper_claimed;		/* upper page tables the commands' causes claimed */
};

static int64_t num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static struct cause *new_cause(struct ctx *c, const char *kind)
{
	struct cause *k;

	if (c->n >= MAX_CAUSES)
		return NULL;
	k = &c->v[c->n++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	return k;
}

/* Up to want kB of category cat for cause k: what the category has left. */
static int64_t claim(struct ctx *c, struct cause *k, int cat, int64_t want)
{
	int64_t got;

	if (!k || want <= 0 || c->left[cat] <= 0)
		return 0;
	got = want < c->left[cat] ? want : c->left[cat];
	c->left[cat] -= got;
	k->kb += got;
	k->part[cat] += got;
	return got;
}

/* Slab objects: SUnreclaim, then SReclaimable (a cache's flag is not in the
 * snapshot; proc inodes and dentries are reclaimable, task_struct is not). */
static int64_t claim_slab(struct ctx *c, struct cause *k, int64_t want)
{
	int64_t got = claim(c, k, MS_CAT_SLAB_UNRECLAIM, want);

	return got + claim(c, k, MS_CAT_SLAB_RECLAIM, want - got);
}

/* A field of rows by name: its index, or -1. */
static long fidx(const struct ms_snaprows *r, const char *field)
{
	for (size_t f = 0; f < r->nfields; f++)
		if (!strcmp(r->fields[f], field))
			return (long)f;
	return -1;
}

static int64_t val(const struct ms_snaprows *r, long row, const char *field)
{
	long f = fidx(r, field);

	return row < 0 || f < 0 ? 0 : ms_snaprows_val(r, (size_t)row)[f];
}

/* after - before of field of the row named name (0 where a side lacks it). */
static int64_t delta(const struct ms_snaprows *rb, const struct ms_snaprows *ra, const char *name,
		     const char *field)
{
	return val(ra, ms_snaprows_find(ra, name), field) -
	       val(rb, ms_snaprows_find(rb, name), field);
}

/* The snapshot's pgtables_upper row of comm: field, or 0. */
static int64_t upper(const struct ms_snapshot *s, const char *comm, const char *field)
{
	json_t *rows = json_object_get(json_object_get(s->doc, "pgtables_upper"), "commands"), *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (!strcmp(str(r, "comm"), comm))
			return num(r, field);
	return 0;
}

/* A command's own memory: anon with the unsynced caches, page tables (those
 * PageTables counts), its upper page tables PageTables does not count,
 * kernel stacks; with shmem when shmem is set. */
static void claim_command(struct ctx *c, struct cause *k, const char *comm, bool shmem)
{
	const struct ms_snaprows *rb = &c->b->commands, *ra = &c->a->commands;
	/* A snapshot of an older memscope has no pgtables_upper: none on either side. */
	bool both = json_object_get(c->a->doc, "pgtables_upper") &&
		    json_object_get(c->b->doc, "pgtables_upper");
	int64_t pud = c->pud_counted || !both ? 0 :
		      upper(c->a, comm, "pud_kb") - upper(c->b, comm, "pud_kb");

	claim(c, k, MS_CAT_ANON, delta(rb, ra, comm, "anon_kb") +
				 delta(rb, ra, comm, "anon_unsynced_kb"));
	/* VmPTE counts PUD pages; PageTables does not before 6.2 (pgtable_upper.h). */
	claim(c, k, MS_CAT_PAGETABLES, delta(rb, ra, comm, "pgtables_kb") - pud);
	if (both)
		c->upper_claimed += claim(c, k, MS_MEMCAT_UNACCOUNTED,
			upper(c->a, comm, "uncounted_kb") - upper(c->b, comm, "uncounted_kb"));
	claim(c, k, MS_CAT_KERNEL_STACK, delta(rb, ra, comm, "kstack_kb"));
	if (shmem)
		claim(c, k, MS_CAT_SHMEM, delta(rb, ra, comm, "shmem_kb"));
}

/* ---- the kinds of cause ------------------------------------------------- */

/* A process storm: the command with the most new processes, at least
 * STORM_PROCESSES, with its slab objects. */
static void cause_storm(struct ctx *c)
{
	const struct ms_snaprows *rb = &c->b->commands, *ra = &c->a->commands;
	int64_t best = 0;
	struct cause *k;
	const char *comm;

	for (size_t i = 0; i < ra->n; i++) {
		int64_t dp = delta(rb, ra, ms_snaprows_name(ra, i), "processes");

		if (dp >= STORM_PROCESSES && dp > best) {
			best = dp;
			c->storm_row = (long)i;
		}
	}
	if (c->storm_row < 0 || !(k = new_cause(c, "storm")))
		return;
	comm = ms_snaprows_name(ra, (size_t)c->storm_row);
	snprintf(k->name, sizeof(k->name), "a process storm: %lld new processes of %s",
		 (long long)best, comm);
	claim_command(c, k, comm, false);
	for (const char *const *n = storm_caches; *n; n++) {
		int64_t got = claim_slab(c, k, delta(&c->b->caches, &c->a->caches, *n, "kb"));

		if (got)
			json_object_set_new(c->storm_slab, *n, json_integer(got));
	}
}

/* A tmpfs mount: first its growth in files no process maps (a command's
 * mapping cannot claim that), later (cause_tmpfs_mapped) the rest. */
static void cause_tmpfs(struct ctx *c)
{
	const struct ms_snaprows *rb = &c->b->tmpfs, *ra = &c->a->tmpfs;

	for (size_t i = 0; i < ra->n; i++) {
		const char *m = ms_snaprows_name(ra, i);
		struct cause *k;
		int64_t un = delta(rb, ra, m, "unmapped_kb");

		if (un <= 0 || c->left[MS_CAT_SHMEM] <= 0 || !(k = new_cause(c, "tmpfs")))
			continue;
		snprintf(k->name, sizeof(k->name), "tmpfs %s, in files no process maps", m);
		claim(c, k, MS_CAT_SHMEM, un);
		if (!k->kb)
			c->n--;
	}
}

static int by_kb_desc(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;

	return a[0] < b[0] ? 1 : (a[0] > b[0] ? -1 : (a[1] > b[1]) - (a[1] < b[1]));
}

/* The commands (other than the storm's) whose own memory grew most. */
static void cause_commands(struct ctx *c)
{
	const struct ms_snaprows *rb = &c->b->commands, *ra = &c->a->commands;
	int64_t (*own)[2] = calloc(ra->n + 1, sizeof(*own));
	size_t n = 0;

	if (!own)
		return;
	for (size_t i = 0; i < ra->n; i++) {
		const char *comm = ms_snaprows_name(ra, i);
		int64_t kb = delta(rb, ra, comm, "anon_kb") + delta(rb, ra, comm, "anon_unsynced_kb") +
			     delta(rb, ra, comm, "pgtables_kb") + delta(rb, ra, comm, "kstack_kb") +
			     delta(rb, ra, comm, "shmem_kb");

		if ((long)i != c->storm_row && kb > 0) {
			own[n][0] = kb;
			own[n++][1] = (int64_t)i;
		}
	}
	qsort(own, n, sizeof(*own), by_kb_desc);
	for (size_t j = 0; j < n && j < MAX_COMMANDS; j++) {
		const char *comm = ms_snaprows_name(ra, (size_t)own[j][1]);
		struct cause *k = new_cause(c, "command");

		if (!k)
			break;
		snprintf(k->name, sizeof(k->name), "command %s (%+lld processes)", comm,
			 (long long)delta(rb, ra, comm, "processes"));
		claim_command(c, k, comm, true);
		if (!k->kb)
			c->n--;
	}
	free(own);
}

static struct cause *find_cause(struct ctx *c, const char *kind, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].kind, kind) && !strcmp(c->v[i].name, name))
			return &c->v[i];
	return NULL;
}

/* What the mounts grew in files processes map, after the commands that map them. */
static void cause_tmpfs_mapped(struct ctx *c)
{
	const struct ms_snaprows *rb = &c->b->tmpfs, *ra = &c->a->tmpfs;

	for (size_t i = 0; i < ra->n; i++) {
		const char *m = ms_snaprows_name(ra, i);
		int64_t used = delta(rb, ra, m, "used_kb"), un = delta(rb, ra, m, "unmapped_kb");
		char name[96];
		struct cause *k;

		if (used - (un > 0 ? un : 0) <= 0 || c->left[MS_CAT_SHMEM] <= 0)
			continue;
		snprintf(name, sizeof(name), "tmpfs %s, in files no process maps", m);
		k = find_cause(c, "tmpfs", name);
		if (!k && (k = new_cause(c, "tmpfs")))
			snprintf(k->name, sizeof(k->name), "tmpfs %s", m);
		claim(c, k, MS_CAT_SHMEM, used - (un > 0 ? un : 0));
		if (k && !k->kb)
			c->n--;
	}
}

/* The slab caches that grew, less what the storm took of them. */
static void cause_slab(struct ctx *c)
{
	const struct ms_snaprows *rb = &c->b->caches, *ra = &c->a->caches;
	int64_t (*grew)[2] = calloc(ra->n + 1, sizeof(*grew)), rest = 0;
	size_t n = 0, named = 0;
	struct cause *k;

	if (!grew)
		return;
	for (size_t i = 0; i < ra->n; i++) {
		const char *name = ms_snaprows_name(ra, i);
		int64_t kb;

		if (ms_snaprows_find(ra, name) != (long)i)
			continue;	/* a second cache of that name: diff_rows' rule, the first */
		kb = delta(rb, ra, name, "kb") - num(c->storm_slab, name);
		if (kb > 0) {
			grew[n][0] = kb;
			grew[n++][1] = (int64_t)i;
		}
	}
	qsort(grew, n, sizeof(*grew), by_kb_desc);
	for (size_t j = 0; j < n; j++) {
		if (named >= MAX_CACHES) {
			rest += grew[j][0];
			continue;
		}
		if (!(k = new_cause(c, "slab_cache")))
			break;
		snprintf(k->name, sizeof(k->name), "slab cache %s",
			 ms_snaprows_name(ra, (size_t)grew[j][1]));
		if (claim_slab(c, k, grew[j][0]))
			named++;
		else
			c->n--;
	}
	if (rest > 0 && (k = new_cause(c, "slab_cache"))) {
		snprintf(k->name, sizeof(k->name), "%zu other slab caches", n - named);
		if (!claim_slab(c, k, rest))
			c->n--;
	}
	free(grew);
	/* Large kmallocs: slab pages of no cache (since 5.4 in the slab counters). */
	rest = num(json_object_get(c->a->doc, "slab"), "no_cache_kb") -
	       num(json_object_get(c->b->doc, "slab"), "no_cache_kb");
	if (rest > 0 && (k = new_cause(c, "large_kmalloc"))) {
		snprintf(k->name, sizeof(k->name), "large kmallocs (slab pages in no cache)");
		if (!claim_slab(c, k, rest))
			c->n--;
	}
}

/* ---- the consumers outside the counters (used.uncounted, uncounted.h) ---- */

/* after - before of used.uncounted[key]; 0 when a side has no used.uncounted
 * (a snapshot of an older memscope: its consumers are not known, so none grew). */
static int64_t unc_delta(struct ctx *c, const char *key)
{
	json_t *ua = json_object_get(json_object_get(c->a->doc, "used"), "uncounted");
	json_t *ub = json_object_get(json_object_get(c->b->doc, "used"), "uncounted");

	return ua && ub ? num(ua, key) - num(ub, key) : 0;
}

/* kB of consumer key's holder name in s (0 when not among its holders). */
static int64_t holder_kb(const struct ms_snapshot *s, const char *key, const char *name)
{
	json_t *h;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(s->doc, "used"), "uncounted_holders"),
			   i, h)
		if (!strcmp(str(h, "consumer"), key) && !strcmp(str(h, "name"), name))
			return num(h, "kb");
	return 0;
}

/* Pipe buffers (ms_unc_pipes(): each pipe once, to its first holder's
 * command): the commands whose pipes grew, then the rest of the pipes. */
static void cause_pipes(struct ctx *c)
{
	json_t *hs = json_object_get(json_object_get(c->a->doc, "used"), "uncounted_holders"), *h;
	int64_t total = unc_delta(c, "pipes"), named = 0, (*grew)[2];
	size_t i, n = 0;
	struct cause *k;

	if (total <= 0 || c->left[MS_MEMCAT_UNACCOUNTED] <= 0)
		return;
	grew = calloc(json_array_size(hs) + 1, sizeof(*grew));
	if (!grew)
		return;
	json_array_foreach(hs, i, h) {
		int64_t kb;

		if (strcmp(str(h, "consumer"), "pipes"))
			continue;
		kb = num(h, "kb") - holder_kb(c->b, "pipes", str(h, "name"));
		if (kb > 0) {
			grew[n][0] = kb;
			grew[n++][1] = (int64_t)i;
		}
	}
	qsort(grew, n, sizeof(*grew), by_kb_desc);
	for (size_t j = 0; j < n && j < MAX_HOLDERS && named < total; j++) {
		h = json_array_get(hs, (size_t)grew[j][1]);
		if (!(k = new_cause(c, "pipes")))
			break;
		snprintf(k->name, sizeof(k->name), "pipes held by %s", str(h, "name"));
		named += claim(c, k, MS_MEMCAT_UNACCOUNTED,
			       grew[j][0] < total - named ? grew[j][0] : total - named);
		if (!k->kb)
			c->n--;
	}
	free(grew);
	if (total > named && (k = new_cause(c, "pipes"))) {
		snprintf(k->name, sizeof(k->name), "pipes of other processes");
		if (!claim(c, k, MS_MEMCAT_UNACCOUNTED, total - named))
			c->n--;
	}
}

/* Socket buffers: the protocols' memory_allocated (ms_unc_sockets()), named
 * by the command whose queued buffers grew most. */
static void cause_sockets(struct ctx *c)
{
	json_t *h, *top = NULL;
	int64_t total = unc_delta(c, "sockets"), best = 0;
	struct cause *k;
	size_t i;

	if (total <= 0 || c->left[MS_MEMCAT_UNACCOUNTED] <= 0 || !(k = new_cause(c, "sockets")))
		return;
	json_array_foreach(json_object_get(json_object_get(c->a->doc, "used"), "uncounted_holders"),
			   i, h) {
		int64_t kb = num(h, "kb") - holder_kb(c->b, "sockets", str(h, "name"));

		if (!strcmp(str(h, "consumer"), "sockets") && kb > best) {
			best = kb;
			top = h;
		}
	}
	if (top)
		snprintf(k->name, sizeof(k->name), "socket buffers (most queued by %s)",
			 str(top, "name"));
	else
		snprintf(k->name, sizeof(k->name), "socket buffers");
	if (!claim(c, k, MS_MEMCAT_UNACCOUNTED, total))
		c->n--;
}

/* The upper page tables (PGD, P4D, PUD) NR_PAGETABLE leaves out, less what
 * the storm's and the commands' causes already claimed of them. */
static void cause_upper(struct ctx *c)
{
	int64_t rest = unc_delta(c, "pgtables_upper") - c->upper_claimed;
	struct cause *k;

	if (rest <= 0 || c->left[MS_MEMCAT_UNACCOUNTED] <= 0 || !(k = new_cause(c, "pgtables_upper")))
		return;
	snprintf(k->name, sizeof(k->name), "upper page tables of other processes");
	if (!claim(c, k, MS_MEMCAT_UNACCOUNTED, rest))
		c->n--;
}

/* kB of vmalloc caller name in s. */
static int64_t vcaller_kb(const struct ms_snapshot *s, const char *name)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(s->doc, "vmalloc"), "callers"), i, r)
		if (!strcmp(str(r, "caller"), name))
			return num(r, "kb");
	return 0;
}

/* vmalloc by caller, as /proc/vmallocinfo groups it (vmalloc.h): the pages
 * of the callers that grew, the kernel stacks' callers left out (KernelStack
 * owns them, snapshot_sections.c). */
static void cause_vmalloc(struct ctx *c)
{
	json_t *rows = json_object_get(json_object_get(c->a->doc, "vmalloc"), "callers"), *r;
	int64_t (*grew)[2], rest = 0;
	size_t i, n = 0, named = 0, others = 0;
	struct cause *k;

	if (c->left[MS_CAT_VMALLOC] <= 0 || !json_object_get(c->b->doc, "vmalloc"))
		return;
	grew = calloc(json_array_size(rows) + 1, sizeof(*grew));
	if (!grew)
		return;
	json_array_foreach(rows, i, r) {
		int64_t kb = num(r, "kb") - vcaller_kb(c->b, str(r, "caller"));

		if (!json_is_true(json_object_get(r, "stack")) && kb > 0) {
			grew[n][0] = kb;
			grew[n++][1] = (int64_t)i;
		}
	}
	qsort(grew, n, sizeof(*grew), by_kb_desc);
	for (size_t j = 0; j < n; j++) {
		if (named >= MAX_VCALLERS) {
			rest += grew[j][0];
			others++;
			continue;
		}
		if (!(k = new_cause(c, "vmalloc")))
			break;
		snprintf(k->name, sizeof(k->name), "vmalloc by %s",
			 str(json_array_get(rows, (size_t)grew[j][1]), "caller"));
		if (claim(c, k, MS_CAT_VMALLOC, grew[j][0]))
			named++;
		else
			c->n--;
	}
	free(grew);
	if (rest > 0 && (k = new_cause(c, "vmalloc"))) {
		snprintf(k->name, sizeof(k->name), "%zu other vmalloc callers", others);
		if (!claim(c, k, MS_CAT_VMALLOC, rest))
			c->n--;
	}
}

/* page_owner's stack top: the allocator's own frames, before its caller
 * (__set_page_owner() saves from post_alloc_hook() outward; 6.12 adds
 * _noprof to the names). */
static bool allocator_frame(const char *frame)
{
	static const char *const fns[] = { "post_alloc_hook", "prep_new_page",
		"get_page_from_freelist", "__alloc_pages", "__alloc_pages_slowpath", "alloc_pages",
		"alloc_pages_mpol", "__folio_alloc", "folio_alloc", "__get_free_pages",
		"get_zeroed_page", "alloc_pages_exact", "alloc_pages_bulk", "__alloc_pages_bulk",
		"__alloc_pages_node", "alloc_pages_node", "__alloc_pages_noprof",
		"alloc_pages_noprof", "alloc_pages_mpol_noprof", "__folio_alloc_noprof",
		"get_free_pages_noprof", "__get_free_pages_noprof", "get_zeroed_page_noprof",
		"alloc_pages_exact_noprof", "__alloc_pages_bulk_noprof", NULL };
	size_t n = strcspn(frame, "+ ");

	for (const char *const *f = fns; *f; f++)
		if (strlen(*f) == n && !strncmp(frame, *f, n))
			return true;
	return false;
}

/* Where a stack is named: its first frame past the allocator's, or "". */
static const char *stack_caller(json_t *frames)
{
	json_t *f;
	size_t i;

	json_array_foreach(frames, i, f) {
		const char *s = json_string_value(f);

		if (s && !allocator_frame(s))
			return s;
	}
	return "";
}

/* A stack of snapshot s's page_owner with the same frames as st: its kB (0
 * when s has no such stack). */
static int64_t stack_kb(const struct ms_snapshot *s, json_t *st)
{
	json_t *frames = json_object_get(st, "frames"), *o;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(s->doc, "page_owner"), "stacks"), i, o)
		if (json_equal(json_object_get(o, "frames"), frames))
			return num(o, "kb");
	return 0;
}

/* With page_owner=on in both dumps: the allocation stacks of the pages with
 * no owner type that grew most, each a cause of its own, named by module
 * and caller.  Only the top stacks are in a snapshot, so a stack new to
 * the after side's list may have been below the before side's. */
static void cause_po_stacks(struct ctx *c)
{
	json_t *stacks = json_object_get(json_object_get(c->a->doc, "page_owner"), "stacks"), *st;
	int64_t (*grew)[2];
	size_t i, n = 0;

	if (c->left[MS_MEMCAT_UNACCOUNTED] <= 0 || !json_object_get(c->b->doc, "page_owner") ||
	    !json_array_size(stacks))
		return;
	grew = calloc(json_array_size(stacks), sizeof(*grew));
	if (!grew)
		return;
	json_array_foreach(stacks, i, st) {
		int64_t kb = num(st, "kb") - stack_kb(c->b, st);

		if (kb > 0) {
			grew[n][0] = kb;
			grew[n++][1] = (int64_t)i;
		}
	}
	qsort(grew, n, sizeof(*grew), by_kb_desc);
	for (size_t j = 0; j < n && j < MAX_STACKS && c->left[MS_MEMCAT_UNACCOUNTED] > 0; j++) {
		struct cause *k = new_cause(c, "no_owner");
		const char *mod;

		if (!k)
			break;
		st = json_array_get(stacks, (size_t)grew[j][1]);
		mod = str(st, "module");
		snprintf(k->name, sizeof(k->name), "pages with no owner, allocated %s%s%s%.48s",
			 mod[0] ? "by module " : "", mod, mod[0] ? " at " : "at ",
			 stack_caller(json_object_get(st, "frames")));
		claim(c, k, MS_MEMCAT_UNACCOUNTED, grew[j][0]);
	}
	free(grew);
}

/* What is left of the memory no counter accounts for: pages allocated with
 * no owner type, most likely a driver's or module's alloc_pages(). */
static void cause_no_owner(struct ctx *c)
{
	struct cause *k;

	if (c->left[MS_MEMCAT_UNACCOUNTED] <= 0 || !(k = new_cause(c, "no_owner")))
		return;
	snprintf(k->name, sizeof(k->name),
		 "pages with no owner (a driver's or module's alloc_pages()?)");
	claim(c, k, MS_MEMCAT_UNACCOUNTED, c->left[MS_MEMCAT_UNACCOUNTED]);
}

/* Free pages on the per-cpu lists: free, but not in MemFree (zone.h), so in
 * USED; they come and go with the allocator's batches. */
static void cause_pcp(struct ctx *c)
{
	struct cause *k;

	if (c->left[MS_CAT_PCP_FREE] <= 0 || !(k = new_cause(c, "pcp_free")))
		return;
	snprintf(k->name, sizeof(k->name), "free pages held on per-cpu lists");
	claim(c, k, MS_CAT_PCP_FREE, c->left[MS_CAT_PCP_FREE]);
}

/* The kinds, in claiming order: a new kind of cause is one entry here. */
static const struct cause_kind {
	const char *kind;
	void (*find)(struct ctx *c);
} kinds[] = {
	{ "storm", cause_storm },
	{ "tmpfs", cause_tmpfs },
	{ "command", cause_commands },
	{ "tmpfs", cause_tmpfs_mapped },
	{ "slab_cache", cause_slab },
	{ "pipes", cause_pipes },
	{ "sockets", cause_sockets },
	{ "pgtables_upper", cause_upper },
	{ "vmalloc", cause_vmalloc },
	{ "no_owner", cause_po_stacks },
	{ "no_owner", cause_no_owner },
	{ "pcp_free", cause_pcp },
};

/* ---- the result ------------------------------------------------------------ */

/* Short names of a cause's parts; slab's two categories are one part. */
static const char *part_label(int cat, const char *kind)
{
	switch (cat) {
	case MS_CAT_ANON: return "anon";
	case MS_CAT_SHMEM: return "shmem";
	case MS_CAT_PAGETABLES: return "page tables";
	case MS_CAT_PCP_FREE: return "free pages";
	case MS_CAT_KERNEL_STACK: return "kernel stacks";
	case MS_CAT_SLAB_RECLAIM: case MS_CAT_SLAB_UNRECLAIM: return "slab objects";
	case MS_MEMCAT_UNACCOUNTED:
		if (!strcmp(kind, "no_owner"))
			return "in no counter";
		if (!strcmp(kind, "pipes"))
			return "pipe buffers (in no counter)";
		if (!strcmp(kind, "sockets"))
			return "socket buffers (in no counter)";
		return "page tables not in PageTables";
	default: return ms_memcat[cat].label;
	}
}

static void details(const struct cause *k, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int cat = 0; cat < MS_MEMCAT_NR; cat++) {
		int64_t kb = k->part[cat];
		char m[32];

		if (cat == MS_CAT_SLAB_RECLAIM)
			continue;	/* with SUnreclaim */
		if (cat == MS_CAT_SLAB_UNRECLAIM)
			kb += k->part[MS_CAT_SLAB_RECLAIM];
		if (kb <= 0 || at >= len)
			continue;
		ms_fmt_kb(m, sizeof(m), kb);
		at += (size_t)snprintf(buf + at, len - at, "%s%s %s", at ? ", " : "",
				       part_label(cat, k->kind), m);
	}
}

static int by_cause_kb(const void *x, const void *y)
{
	const struct cause *a = x, *b = y;

	return a->kb < b->kb ? 1 : (a->kb > b->kb ? -1 : 0);
}

/* The node that holds most of the growth (free memory gone), or -1. */
static long growth_node(json_t *d, double *share)
{
	int64_t by_node[64] = { 0 }, all = 0;
	long best = -1, nodes = 0;
	json_t *z;
	size_t i;

	json_array_foreach(json_object_get(d, "zones"), i, z) {
		int64_t n = num(z, "node");

		if (n >= 0 && n < 64)
			by_node[n] -= num(z, "delta_kb");
	}
	for (long n = 0; n < 64; n++) {
		if (by_node[n])
			nodes = n + 1;
		if (by_node[n] > 0) {
			all += by_node[n];
			if (best < 0 || by_node[n] > by_node[best])
				best = n;
		}
	}
	if (nodes < 2 || best < 0 || all <= 0)
		return -1;
	*share = (double)by_node[best] / (double)all;
	return *share >= NODE_SHARE ? best : -1;
}

json_t *ms_snapdiff_causes(json_t *d, const struct ms_snapshot *b, const struct ms_snapshot *a)
{
	struct ctx *c = calloc(1, sizeof(*c));
	json_t *out, *arr, *rest;
	int64_t explained = 0;
	double node_share = 0;
	long node;
	size_t i;
	json_t *row;

	if (!c)
		return NULL;
	c->d = d;
	c->b = b;
	c->a = a;
	c->storm_row = -1;
	c->storm_slab = json_object();
	c->growth = num(json_object_get(d, "used"), "growth_kb");
	c->pud_counted = json_is_true(json_object_get(json_object_get(a->doc, "pgtables_upper"),
						      "pud_counted"));
	json_array_foreach(json_object_get(d, "categories"), i, row) {
		const struct ms_memcat *mc = ms_memcat_by_key(str(row, "name"));

		if (mc && num(row, "delta_kb") > 0)
			c->left[mc - ms_memcat] = num(row, "delta_kb");
	}
	if (c->growth > 0)
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			kinds[k].find(c);
	qsort(c->v, c->n, sizeof(c->v[0]), by_cause_kb);
	arr = json_array();
	for (i = 0; arr && i < c->n; i++) {
		const struct cause *k = &c->v[i];
		char det[256], text[512], m[32];
		json_t *parts = json_object();

		/* No cause claims more than the growth it is part of. */
		int64_t kb = k->kb < c->growth ? k->kb : c->growth;

		explained += kb;
		for (int cat = 0; cat < MS_MEMCAT_NR; cat++)
			if (k->part[cat])
				json_object_set_new(parts, ms_memcat[cat].key,
						    json_integer(k->part[cat]));
		details(k, det, sizeof(det));
		ms_fmt_kb(m, sizeof(m), kb);
		if (kb < k->kb) {
			char all[32];

			/* Its parts add up to more than USED grew: other categories shrank. */
			ms_fmt_kb(all, sizeof(all), k->kb);
			snprintf(text, sizeof(text), "%s holds %s (%s: %s, more than USED grew, "
				 "as other categories shrank)", k->name, m, det, all);
		} else {
			snprintf(text, sizeof(text), "%s holds %s (%s)", k->name, m, det);
		}
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:f, s:o}",
			"kind", k->kind, "name", k->name, "details", det, "text", text,
			"kb", (json_int_t)kb,
			"share", c->growth > 0 ? (double)(int64_t)(1000.0 * (double)kb /
					(double)c->growth) / 10.0 : 0.0,
			"parts", parts));
	}
	if (explained > c->growth)
		explained = c->growth > 0 ? c->growth : 0;
	rest = json_array();
	for (int cat = 0; rest && cat < MS_MEMCAT_NR; cat++)
		if (c->left[cat] > 0)
			json_array_append_new(rest, json_pack("{s:s, s:s, s:I}", "category",
				ms_memcat[cat].key, "label", ms_memcat[cat].label,
				"kb", (json_int_t)c->left[cat]));
	node = c->growth > 0 ? growth_node(d, &node_share) : -1;
	out = json_pack("{s:o, s:I, s:I, s:I, s:f, s:o, s:o, s:f}", "causes", arr,
		"growth_kb", (json_int_t)c->growth, "explained_kb", (json_int_t)explained,
		"not_explained_kb", (json_int_t)(c->growth > 0 ? c->growth - explained : 0),
		"not_explained_share", c->growth > 0 ?
			(double)(int64_t)(1000.0 * (double)(c->growth - explained) /
					  (double)c->growth) / 10.0 : 0.0,
		"not_explained", rest, "node", node >= 0 ? json_integer(node) : json_null(),
		"node_share", (double)(int64_t)(node_share * 1000) / 10.0);
	json_decref(c->storm_slab);
	free(c);
	return out;
}

/* What category cat of d grew (0 if it shrank). */
static int64_t grew(json_t *d, int cat)
{
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(d, "categories"), i, row)
		if (!strcmp(str(row, "name"), ms_memcat[cat].key))
			return num(row, "delta_kb") > 0 ? num(row, "delta_kb") : 0;
	return 0;
}

static int64_t at_most(int64_t v, int64_t max)
{
	return v < max ? v : max;
}

void ms_snapdiff_bound_commands(json_t *d)
{
	int64_t anon = grew(d, MS_CAT_ANON), kstack = grew(d, MS_CAT_KERNEL_STACK);
	int64_t pgt = grew(d, MS_CAT_PAGETABLES) + grew(d, MS_MEMCAT_UNACCOUNTED);
	int64_t growth = num(json_object_get(d, "used"), "growth_kb");
	json_t *row;
	size_t i;

	json_array_foreach(json_object_get(d, "commands"), i, row) {
		int64_t own = at_most(num(row, "delta_anon_kb") + num(row, "delta_anon_unsynced_kb"),
				      anon) +
			      at_most(num(row, "delta_pgtables_kb"), pgt) +
			      at_most(num(row, "delta_kstack_kb"), kstack);

		json_object_set_new(row, "delta_rss_own_kb", json_integer(num(row, "delta_kb")));
		if (num(row, "delta_kb") > 0)
			json_object_set_new(row, "delta_kb", json_integer(
				at_most(at_most(own, num(row, "delta_kb")), growth > 0 ? growth : 0)));
	}
}

bool ms_snapdiff_causes_sentence(json_t *d, char *buf, size_t len)
{
	json_t *cs = json_object_get(d, "causes");
	json_t *top = json_array_get(json_object_get(cs, "causes"), 0);
	char ex[32], gr[32], ne[32], node[64] = "";

	if (!top || num(cs, "growth_kb") <= 0)
		return false;
	if (json_is_integer(json_object_get(cs, "node")))
		snprintf(node, sizeof(node), ", on node %lld (%.0f%% of the growth)",
			 (long long)num(cs, "node"), json_real_value(json_object_get(cs, "node_share")));
	ms_fmt_kb(ex, sizeof(ex), num(cs, "explained_kb"));
	ms_fmt_kb(gr, sizeof(gr), num(cs, "growth_kb"));
	ms_fmt_kb(ne, sizeof(ne), num(cs, "not_explained_kb"));
	snprintf(buf, len, "Main cause: %s, %.0f%% of the USED growth%s. The causes found explain "
		 "%s of the %s growth; %s (%.1f%%) is not explained.", str(top, "text"),
		 json_real_value(json_object_get(top, "share")), node, ex, gr, ne,
		 json_real_value(json_object_get(cs, "not_explained_share")));
	return true;
}

void ms_snapdiff_causes_print(FILE *out, json_t *d, bool pages, long long page_kb)
{
	json_t *cs = json_object_get(d, "causes"), *k;
	char m[32];
	size_t i;

	fprintf(out, "\nCauses of the USED growth, ranked\n");
	if (!json_array_size(json_object_get(cs, "causes"))) {
		fprintf(out, "  (none)\n");
		return;
	}
	fprintf(out, "  %11s %7s  %s\n", "SIZE", "SHARE", "CAUSE");
	json_array_foreach(json_object_get(cs, "causes"), i, k) {
		if (pages)
			snprintf(m, sizeof(m), "%lld", (long long)(num(k, "kb") / page_kb));
		else
			ms_fmt_kb(m, sizeof(m), num(k, "kb"));
		fprintf(out, "  %11s %6.1f%%  %s\n  %11s %7s    %s\n", m,
			json_real_value(json_object_get(k, "share")), str(k, "name"), "", "",
			str(k, "details"));
	}
	if (pages)
		snprintf(m, sizeof(m), "%lld pages", (long long)(num(cs, "not_explained_kb") / page_kb));
	else
		ms_fmt_kb(m, sizeof(m), num(cs, "not_explained_kb"));
	fprintf(out, "  Not explained: %s (%.1f%%)", m,
		json_real_value(json_object_get(cs, "not_explained_share")));
	json_array_foreach(json_object_get(cs, "not_explained"), i, k) {
		char c[32];

		if (pages)
			snprintf(c, sizeof(c), "%lld", (long long)(num(k, "kb") / page_kb));
		else
			ms_fmt_kb(c, sizeof(c), num(k, "kb"));
		fprintf(out, "%s %s %s", i ? "," : ": left in", str(k, "label"), c);
	}
	fprintf(out, "\n");
}
