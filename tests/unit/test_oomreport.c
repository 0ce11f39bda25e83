/*
 * test_oomreport.c - the OOM report parser on the wordings of 4.19, 5.10,
 * 6.1 and 6.12 (samples made from each version's printk format strings:
 * mm/oom_kill.c dump_header()/dump_tasks()/dump_task()/oom_kill_process()/
 * __oom_kill_process()/oom_reap_task_mm(), mm/page_alloc.c warn_alloc() and
 * show_free_areas(); the 6.1 and 6.12 samples are lines those kernels printed
 * in the oom and allocfail scenarios), interleaved and cut reports, garbage;
 * the gfp names (format_flags(), gfp_zone()); the recomputed choice.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"
#include "gfp.h"
#include "oomcheck.h"
#include "oomreplay.h"
#include "oomreport.h"
#include "snapshot_oom.h"
#include "suites.h"

#define PAGE 4096ull

/* Feed lines as records seq0, seq0+1, ...; a NULL entry skips a sequence number
 * (a record the walk could not read). */
static void feed(struct ms_oom_log *l, const char *const *lines, size_t n, uint64_t seq0)
{
	for (size_t i = 0; i < n; i++) {
		struct ms_log_record r = { .seq = seq0 + i, .ts_nsec = (seq0 + i) * 1000000ull };

		if (!lines[i])
			continue;
		r.text = lines[i];
		r.len = strlen(lines[i]);
		struct ms_error *err = ms_oom_log_feed(&r, l);

		ck_assert_ptr_null(err);
	}
}

#define FEED(l, arr, seq0) feed(l, arr, sizeof(arr) / sizeof(arr[0]), seq0)

static const struct ms_oom_zone *zone(const struct ms_oom_event *e, const char *name)
{
	for (size_t i = 0; i < e->nr_zones; i++)
		if (!strcmp(e->zones[i].name, name))
			return &e->zones[i];
	return NULL;
}

/* ---- 4.19 --------------------------------------------------------------------- */

static const char *const v419[] = {
	"sh invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null), "
	"order=0, oom_score_adj=0",
	"sh cpuset=/ mems_allowed=0",
	"CPU: 0 PID: 702 Comm: sh Not tainted 4.19.0-16-amd64 #1 Debian 4.19.181-1",
	"Call Trace:",
	" dump_stack+0x66/0x8b",
	"Mem-Info:",
	"active_anon:110000 inactive_anon:20 isolated_anon:0\n active_file:10 inactive_file:12 "
	"isolated_file:0\n unevictable:0 dirty:0 writeback:0 unstable:0\n slab_reclaimable:2000 "
	"slab_unreclaimable:3000\n mapped:100 shmem:50 pagetables:300 bounce:0\n free:1200 "
	"free_pcp:30 free_cma:0",
	"Node 0 active_anon:440000kB inactive_anon:80kB active_file:40kB inactive_file:48kB "
	"unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:400kB dirty:0kB "
	"writeback:0kB shmem:200kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB "
	"writeback_tmp:0kB unstable:0kB all_unreclaimable? yes",
	"Node 0 DMA free:1900kB min:92kB low:112kB high:132kB active_anon:13000kB "
	"inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB writepending:0kB "
	"present:15992kB managed:15908kB mlocked:0kB kernel_stack:0kB pagetables:0kB bounce:0kB "
	"free_pcp:0kB local_pcp:0kB free_cma:0kB",
	"lowmem_reserve[]: 0 429 429 429",
	"Node 0 DMA32 free:2900kB min:2644kB low:3304kB high:3964kB active_anon:427000kB "
	"inactive_anon:80kB active_file:40kB inactive_file:48kB unevictable:0kB writepending:0kB "
	"present:507776kB managed:465000kB mlocked:0kB kernel_stack:900kB pagetables:1200kB "
	"bounce:0kB free_pcp:120kB local_pcp:60kB free_cma:0kB",
	"lowmem_reserve[]: 0 0 0 0",
	"Node 0 DMA: 1*4kB (U) 1*8kB (U) 0*16kB 1*32kB (U) 1*64kB (U) 0*128kB 1*256kB (U) "
	"1*512kB (U) 1*1024kB (U) 0*2048kB 0*4096kB = 1900kB",
	"Node 0 DMA32: 5*4kB (UME) 10*8kB (UME) 4*16kB (UM) 3*32kB (M) 2*64kB (M) 1*128kB (M) "
	"1*256kB (M) 1*512kB (M) 1*1024kB (M) 0*2048kB 0*4096kB = 2348kB",
	"Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
	"62 total pagecache pages",
	"0 pages in swap cache",
	"Swap cache stats: add 0, delete 0, find 0/0",
	"Free swap  = 0kB",
	"Total swap = 0kB",
	"130942 pages RAM",
	"0 pages HighMem/MovableOnly",
	"10679 pages reserved",
	"0 pages hwpoisoned",
	"Tasks state (memory values in pages):",
	"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
	"[    200]     0   200     8458     8343   102400        0             0 memhog",
	"[    702]     0   702   110000   109000   900000        0             0 sh",
	"Out of memory: Kill process 702 (sh) score 910 or sacrifice child",
	"Killed process 702 (sh) total-vm:440000kB, anon-rss:436000kB, file-rss:0kB, shmem-rss:0kB",
	"oom_reaper: reaped process 702 (sh), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
};

START_TEST(test_format_419)
{
	struct ms_oom_log l;
	const struct ms_oom_event *e;
	const struct ms_oom_zone *z;
	struct ms_oom_recompute rc;
	uint64_t v;

	ms_oom_log_init(&l);
	FEED(&l, v419, 100);
	ms_oom_log_finish(&l);
	ck_assert_uint_eq(l.nr, 1);
	e = &l.v[0];
	ck_assert_int_eq(e->kind, MS_OOMEV_OOM);
	ck_assert_int_eq(e->format, MS_OOMFMT_4X);
	ck_assert_uint_eq(e->missing, 0);
	ck_assert_str_eq(e->comm, "sh");
	ck_assert_int_eq(e->pid, 702);
	ck_assert_uint_eq(e->gfp_mask, 0x6200ca);
	ck_assert_str_eq(e->gfp_names, "GFP_HIGHUSER_MOVABLE");
	ck_assert_str_eq(e->nodemask, "(null)");
	ck_assert_int_eq(e->order, 0);
	ck_assert_int_eq(e->adj, 0);
	ck_assert_str_eq(e->cpuset, "/");
	ck_assert_str_eq(e->mems_allowed, "0");
	ck_assert(ms_oom_counter(e, "unstable", &v) && v == 0);
	ck_assert(ms_oom_counter(e, "active_anon", &v) && v == 110000);
	ck_assert(ms_oom_counter(e, "free", &v) && v == 1200);
	ck_assert(ms_oom_counter(e, "pages_ram", &v) && v == 130942);
	ck_assert(ms_oom_counter(e, "free_swap_kb", &v) && v == 0);
	ck_assert(!ms_oom_counter(e, "Swap cache stats", &v));
	ck_assert_uint_eq(e->nr_zones, 2);
	z = zone(e, "DMA32");
	ck_assert_ptr_nonnull(z);
	ck_assert_uint_eq(z->free_kb, 2900);
	ck_assert_uint_eq(z->min_kb, 2644);
	ck_assert_uint_eq(z->high_kb, 3964);
	ck_assert_uint_eq(z->managed_kb, 465000);
	ck_assert_uint_eq(z->nr_reserve, 4);
	ck_assert_int_eq(z->lowmem_reserve[0], 0);
	ck_assert_uint_eq(z->nr_orders, 11);
	ck_assert_uint_eq(z->nr_free[1], 10);
	ck_assert_uint_eq(z->nr_free[8], 1);
	ck_assert_uint_eq(z->orders_total_kb, 2348);
	z = zone(e, "DMA");
	ck_assert_int_eq(z->lowmem_reserve[1], 429);
	ck_assert_uint_eq(e->nr_rows, 2);
	ck_assert_int_eq(e->rows[1].pid, 702);
	ck_assert_uint_eq(e->rows[1].rss, 109000);
	ck_assert_int_eq(e->rows[1].pgtables_bytes, 900000);
	ck_assert(!e->rows[1].has_split);
	ck_assert_str_eq(e->rows[1].comm, "sh");
	ck_assert(e->has_kill && e->has_score);
	ck_assert_uint_eq(e->score, 910);
	ck_assert_int_eq(e->kill_pid, 702);
	ck_assert_str_eq(e->kill_comm, "sh");
	ck_assert_uint_eq(e->anon_rss_kb, 436000);
	ck_assert(!e->has_kill_uid);
	ck_assert_uint_eq(e->kill_seq, 100 + 29);
	ck_assert(e->has_reap && !e->reap_failed);
	ck_assert_uint_eq(e->reap_anon_kb, 0);

	/* 4.17-5.8 arithmetic: 109000 + 900000 / 4096 = 109219 points; the logged
	 * score is points * 1000 / totalpages = 910 with 120000 pages. */
	ms_oom_recompute(e, MS_OOM_ERA_FLOOR1, 120000, PAGE, &rc);
	ck_assert(rc.done && rc.agrees);
	ck_assert_int_eq(rc.chosen, 1);
	ck_assert_int_eq(rc.chosen_points, 109219);
	ck_assert(rc.score_checked && rc.score_agrees);
	ms_oom_recompute(e, MS_OOM_ERA_FLOOR1, 130000, PAGE, &rc);
	ck_assert(rc.score_checked && !rc.score_agrees);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- 5.10: a memcg OOM ---------------------------------------------------------- */

static const char *const v510[] = {
	"hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
	"CPU: 1 PID: 300 Comm: hog Not tainted 5.10.0-20-amd64 #1 Debian 5.10.158-2",
	"memory: usage 102400kB, limit 102400kB, failcnt 50",
	"swap: usage 0kB, limit 9007199254740988kB, failcnt 0",
	"Memory cgroup stats for /test:\nanon 104857600\nfile 0\nkernel_stack 16384",
	"Tasks state (memory values in pages):",
	"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
	"[    299]     0   299     2000     1000    40960        0             0 sh",
	"[    300]     0   300    30000    25000   225280        0             0 hog",
	"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0-1,3,"
	"oom_memcg=/test,task_memcg=/test,task=hog,pid=300,uid=0",
	"Memory cgroup out of memory: Killed process 300 (hog) total-vm:120000kB, anon-rss:99000kB, "
	"file-rss:1000kB, shmem-rss:0kB, UID:0 pgtables:220kB oom_score_adj:0",
	"oom_reaper: reaped process 300 (hog), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
};

START_TEST(test_format_510_memcg)
{
	struct ms_oom_log l;
	const struct ms_oom_event *e;
	struct ms_oom_recompute rc;

	ms_oom_log_init(&l);
	FEED(&l, v510, 7);
	ms_oom_log_finish(&l);
	ck_assert_uint_eq(l.nr, 1);
	e = &l.v[0];
	ck_assert_int_eq(e->format, MS_OOMFMT_5X);
	/* a memcg OOM prints no Mem-Info: not missing */
	ck_assert_uint_eq(e->missing, 0);
	ck_assert_uint_eq(e->gfp_mask, 0xcc0);
	ck_assert_str_eq(e->constraint, "CONSTRAINT_MEMCG");
	ck_assert_str_eq(e->mems_allowed, "0-1,3");
	ck_assert_str_eq(e->oom_memcg, "/test");
	ck_assert_str_eq(e->task_memcg, "/test");
	ck_assert(!e->global_oom);
	ck_assert_int_eq(e->task_pid, 300);
	ck_assert(e->has_memcg_usage);
	ck_assert_uint_eq(e->memcg_usage_kb, 102400);
	ck_assert_uint_eq(e->memcg_limit_kb, 102400);
	ck_assert_uint_eq(e->memcg_failcnt, 50);
	ck_assert_uint_eq(e->swap_limit_kb, 9007199254740988ull);
	ck_assert_uint_eq(e->nr_rows, 2);
	ck_assert(e->memcg_kill);
	ck_assert_int_eq(e->kill_pid, 300);
	ck_assert(e->has_kill_uid);
	ck_assert_uint_eq(e->pgtables_kb, 220);
	ck_assert_uint_eq(e->file_rss_kb, 1000);
	ck_assert(e->has_reap);

	/* totalpages is the memcg's limit: 25600 pages; hog 25000 + 55 points */
	ms_oom_recompute(e, MS_OOM_ERA_SIGNED, 120000, PAGE, &rc);
	ck_assert_int_eq(rc.tp_from, MS_OOM_TP_MEMCG);
	ck_assert_uint_eq(rc.totalpages, 25600);
	ck_assert(rc.agrees);
	ck_assert_int_eq(rc.chosen_points, 25000 + 225280 / 4096);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- 6.1: the oom scenario's own lines ------------------------------------------- */

static const char *const v61[] = {
	"memgrow invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), "
	"order=0, oom_score_adj=300",
	"CPU: 1 PID: 126 Comm: memgrow Not tainted 6.1.0-55-cloud-amd64 #1  Debian 6.1.192-1",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x44/0x5c",
	"RSP: 002b:00007ffe0dd07150 EFLAGS: 00000287",
	" </TASK>",
	"Mem-Info:",
	"active_anon:577 inactive_anon:112353 isolated_anon:0\n active_file:0 inactive_file:0 "
	"isolated_file:0\n unevictable:0 dirty:0 writeback:0\n slab_reclaimable:2335 "
	"slab_unreclaimable:1636\n mapped:2658 shmem:3264 pagetables:255\n sec_pagetables:0 "
	"bounce:0\n kernel_misc_reclaimable:0\n free:1139 free_pcp:100 free_cma:0",
	"Node 0 active_anon:2308kB inactive_anon:449412kB active_file:0kB inactive_file:0kB "
	"unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:10632kB dirty:0kB "
	"writeback:0kB shmem:13056kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: 0kB "
	"writeback_tmp:0kB kernel_stack:944kB pagetables:1020kB sec_pagetables:0kB "
	"all_unreclaimable? yes",
	"Node 0 DMA free:1864kB boost:0kB min:88kB low:108kB high:128kB reserved_highatomic:0KB "
	"active_anon:0kB inactive_anon:13344kB active_file:0kB inactive_file:0kB unevictable:0kB "
	"writepending:0kB present:15992kB managed:15360kB mlocked:0kB bounce:0kB free_pcp:0kB "
	"local_pcp:0kB free_cma:0kB",
	"lowmem_reserve[]: 0 444 444 444 444",
	"Node 0 DMA32 free:2692kB boost:2048kB min:4696kB low:5356kB high:6016kB "
	"reserved_highatomic:0KB active_anon:2308kB inactive_anon:435788kB active_file:0kB "
	"inactive_file:0kB unevictable:0kB writepending:0kB present:507776kB managed:465692kB "
	"mlocked:0kB bounce:0kB free_pcp:400kB local_pcp:396kB free_cma:0kB",
	"lowmem_reserve[]: 0 0 0 0 0",
	"Node 0 DMA: 0*4kB 1*8kB (U) 0*16kB 2*32kB (UM) 2*64kB (UM) 1*128kB (M) 2*256kB (UM) "
	"2*512kB (UM) 0*1024kB 0*2048kB 0*4096kB = 1864kB",
	"Node 0 DMA32: 14*4kB (UME) 15*8kB (UME) 10*16kB (UME) 10*32kB (UE) 3*64kB (ME) "
	"3*128kB (ME) 3*256kB (ME) 1*512kB (M) 0*1024kB 0*2048kB 0*4096kB = 2512kB",
	"Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
	"3264 total pagecache pages",
	"0 pages in swap cache",
	"Free swap  = 0kB",
	"Total swap = 0kB",
	"130942 pages RAM",
	"0 pages HighMem/MovableOnly",
	"10679 pages reserved",
	"Tasks state (memory values in pages):",
	"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
	"[     95]     0    95     8458     8343   102400        0             0 memhog",
	"[     96]     0    96     8459     6297    86016        0           200 memhog",
	"[     97]     0    97     2314     2205    57344        0         -1000 memhog",
	"[     98]     0    98     6410     6297    90112        0          -500 memhog",
	"[    126]     0   126  1048842    89259   753664        0           300 memgrow",
	"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
	"task_memcg=/,task=memgrow,pid=126,uid=0",
	"Out of memory: Killed process 126 (memgrow) total-vm:4195368kB, anon-rss:356340kB, "
	"file-rss:4kB, shmem-rss:692kB, UID:0 pgtables:736kB oom_score_adj:300",
};

START_TEST(test_format_61)
{
	struct ms_oom_log l;
	const struct ms_oom_event *e;
	const struct ms_oom_zone *z;
	struct ms_oom_recompute rc;
	uint64_t v;

	ms_oom_log_init(&l);
	FEED(&l, v61, 341);
	ms_oom_log_finish(&l);
	ck_assert_uint_eq(l.nr, 1);
	e = &l.v[0];
	ck_assert_uint_eq(e->missing, 0);
	ck_assert_uint_eq(e->seq, 341);
	ck_assert_str_eq(e->comm, "memgrow");
	ck_assert_int_eq(e->pid, 126);
	ck_assert_str_eq(e->gfp_names, "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
	ck_assert_int_eq(e->adj, 300);
	ck_assert(e->global_oom);
	ck_assert_str_eq(e->task_memcg, "/");
	ck_assert(ms_oom_counter(e, "kernel_misc_reclaimable", &v) && v == 0);
	ck_assert(ms_oom_counter(e, "inactive_anon", &v) && v == 112353);
	ck_assert(ms_oom_counter(e, "pages_reserved", &v) && v == 10679);
	z = zone(e, "DMA32");
	ck_assert_uint_eq(z->boost_kb, 2048);
	ck_assert_uint_eq(z->min_kb, 4696);
	ck_assert_uint_eq(z->free_kb, 2692);
	ck_assert_uint_eq(z->nr_free[0], 14);
	ck_assert_uint_eq(z->orders_total_kb, 2512);
	ck_assert_uint_eq(e->nr_rows, 5);
	ck_assert_int_eq(e->rows[2].adj, -1000);
	ck_assert_int_eq(e->kill_pid, 126);
	ck_assert_uint_eq(e->total_vm_kb, 4195368);
	ck_assert_uint_eq(e->shmem_rss_kb, 692);
	ck_assert_int_eq(e->kill_adj, 300);
	ck_assert(!e->has_reap);

	/* oom_badness() 5.9+: 89259 + 753664 / 4096 + 300 * (120263 / 1000) */
	ms_oom_recompute(e, MS_OOM_ERA_SIGNED, 120263, PAGE, &rc);
	ck_assert(rc.agrees);
	ck_assert_int_eq(rc.chosen, 4);
	ck_assert_int_eq(rc.chosen_points, 89259 + 184 + 300 * 120);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- 6.12: split rss columns, "UID:" in dump_stack, an allocation failure ------ */

static const char *const v612[] = {
	"insmod: page allocation failure: order:9, mode:0x10cc0(GFP_KERNEL|__GFP_NORETRY), "
	"nodemask=(null),cpuset=/,mems_allowed=0",
	"CPU: 0 UID: 0 PID: 160 Comm: insmod Tainted: G           OE      6.12.117+deb12-cloud-amd64 "
	"#1  Debian 6.12.117-1~deb12u1",
	"Mem-Info:",
	"active_anon:1296 inactive_anon:0 isolated_anon:0\n free:110286 free_pcp:2995 free_cma:0",
	"Node 0 DMA32 free:416000kB boost:0kB min:2636kB low:3292kB high:3948kB "
	"reserved_highatomic:0KB present:507776kB managed:460420kB mlocked:0kB",
	"lowmem_reserve[]: 0 0 0 0 0",
	"Node 0 DMA32: 249*4kB (UME) 236*8kB (UME) 227*16kB (UME) 222*32kB (UME) 216*64kB (U) "
	"212*128kB (U) 211*256kB (UME) 208*512kB (UM) 206*1024kB (UM) 0*2048kB 0*4096kB = 416000kB",
	"memgrow invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), "
	"order=0, oom_score_adj=300",
	"CPU: 0 UID: 0 PID: 171 Comm: memgrow Not tainted 6.12.117+deb12-cloud-amd64 #1",
	"Mem-Info:",
	"active_anon:111771 inactive_anon:0 isolated_anon:0",
	"[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes "
	"swapents oom_score_adj name",
	"[    149]     0   149     8458     8343     8186        0       157   106496        0 "
	"            0 memhog",
	"[    171]     0   171  1048842    88029    87872        0       157   745472        0 "
	"          300 memgrow",
	"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
	"task_memcg=/,task=memgrow,pid=171,uid=0",
	"Out of memory: Killed process 171 (memgrow) total-vm:4195368kB, anon-rss:351488kB, "
	"file-rss:0kB, shmem-rss:628kB, UID:0 pgtables:728kB oom_score_adj:300",
};

START_TEST(test_format_612)
{
	struct ms_oom_log l;
	const struct ms_oom_event *e;
	const struct ms_oom_zone *z;

	ms_oom_log_init(&l);
	FEED(&l, v612, 355);
	ms_oom_log_finish(&l);
	ck_assert_uint_eq(l.nr, 2);
	e = &l.v[0];
	ck_assert_int_eq(e->kind, MS_OOMEV_ALLOCFAIL);
	ck_assert_uint_eq(e->missing, 0);
	ck_assert_str_eq(e->comm, "insmod");
	ck_assert_int_eq(e->pid, 160);
	ck_assert_int_eq(e->order, 9);
	ck_assert_uint_eq(e->gfp_mask, 0x10cc0);
	ck_assert_str_eq(e->gfp_names, "GFP_KERNEL|__GFP_NORETRY");
	ck_assert_str_eq(e->nodemask, "(null)");
	ck_assert_str_eq(e->cpuset, "/");
	ck_assert_str_eq(e->mems_allowed, "0");
	z = zone(e, "DMA32");
	ck_assert_uint_eq(z->nr_orders, 11);
	ck_assert_uint_eq(z->nr_free[8], 206);
	ck_assert_uint_eq(z->nr_free[9], 0);
	e = &l.v[1];
	ck_assert_int_eq(e->kind, MS_OOMEV_OOM);
	ck_assert_int_eq(e->pid, 171);
	/* the header without "Tasks state" before it still opens the table */
	ck_assert_uint_eq(e->nr_rows, 2);
	ck_assert(e->rows[1].has_split);
	ck_assert_uint_eq(e->rows[1].rss, 88029);
	ck_assert_uint_eq(e->rows[1].rss_anon, 87872);
	ck_assert_uint_eq(e->rows[1].rss_shmem, 157);
	ck_assert_int_eq(e->rows[1].pgtables_bytes, 745472);
	ck_assert_int_eq(e->rows[1].adj, 300);
	ck_assert_int_eq(e->kill_pid, 171);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- interleaved, cut and garbled reports ------------------------------------------ */

START_TEST(test_interleaved_and_cut)
{
	static const char *const lines[] = {
		"a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"usb 1-1: new high-speed USB device number 2 using ehci-pci",
		"Mem-Info:",
		"random line: with: colons",
		"free:10 free_pcp:0",
		NULL,			/* a record the walk skipped */
		"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
		"[      5]     0     5      100       50     4096        0             0 a",
		"[      6]     0     6      100       60     4096        0             0 b",
		/* cut: no kill line; the next report starts */
		"b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=2, oom_score_adj=0",
		"Out of memory: Killed process 6 (b) total-vm:400kB, anon-rss:240kB, file-rss:0kB, "
		"shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
		/* a kill line without its report (ratelimited dump_header()) */
		"Out of memory: Killed process 7 (c) total-vm:400kB, anon-rss:240kB, file-rss:0kB, "
		"shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0",
		/* a reaper line for no victim of the log */
		"oom_reaper: reaped process 99 (zz), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
		"oom_reaper: unable to reap pid:7 (c)",
	};
	struct ms_oom_log l;
	char buf[160];

	ms_oom_log_init(&l);
	FEED(&l, lines, 0);
	ms_oom_log_finish(&l);
	ck_assert_uint_eq(l.nr, 3);
	ck_assert_uint_eq(l.v[0].missing, MS_OOM_NO_KILL | MS_OOM_GAP);
	ck_assert_uint_eq(l.v[0].nr_rows, 2);
	ck_assert_uint_eq(l.v[0].nr_counters, 2);
	ck_assert_str_eq(ms_oom_missing_text(l.v[0].missing, buf, sizeof(buf)),
			 "no kill line, records missing in between");
	ck_assert_uint_eq(l.v[1].missing, MS_OOM_NO_MEMINFO | MS_OOM_NO_TASKS);
	ck_assert_int_eq(l.v[1].order, 2);
	ck_assert_int_eq(l.v[1].kill_pid, 6);
	ck_assert_uint_eq(l.v[2].missing, MS_OOM_NO_TRIGGER | MS_OOM_NO_TASKS);
	ck_assert_int_eq(l.v[2].kill_pid, 7);
	ck_assert(l.v[2].has_reap && l.v[2].reap_failed);
	ck_assert(!l.v[1].has_reap);
	ms_oom_log_free(&l);
}
END_TEST

START_TEST(test_garbage)
{
	char *longline = malloc(5000);
	char *nocomm = malloc(2200);
	struct ms_oom_log l;

	memset(longline, 'x', 4999);
	longline[4999] = '\0';
	memcpy(longline, "Node 0 DMA: ", 12);
	snprintf(nocomm, 2200, "%s", "");
	memset(nocomm, ' ', 900);
	memcpy(nocomm + 900, " invoked oom-killer: ", 21);
	nocomm[921] = '\0';
	const char *const lines[] = {
		nocomm,
		"Mem-Info:",
		longline,
		"Node",
		"Node 0",
		"Node 0 DMA",
		"Node 0 DMA32: 1*",
		"Node 0 DMA32: 1*4kB (UM",
		"Node 0 DMA32: 99999999999999999999999*4kB = 1kB",
		"Node 0 DMA32 free:",
		"Node 0 Normal free:8kB",
		"lowmem_reserve[]: 1 2 3 4 5 6 7 8 9 10 11 12",
		"a:1 b:",
		":5",
		"\n\n\n",
		"[  pid  ]",
		"[  pid  ]   uid  tgid name",
		"[ 12x] 0 0 y",
		"[ 12] 0",
		"[ 13] 0 13 a very long comm with spaces",
		"oom-kill:,,,=,constraint,nodemask=0-3,5,=x,pid=,uid=abc",
		"Out of memory: Killed process abc (",
		"Killed process 12 (no close total-vm:",
		"Killed process -5 () total-vm:kB, UID:x pgtables:",
		"x: page allocation failure: order:",
		"x: page allocation failure: order:3, mode:0x(, nodemask=",
		"oom_reaper: reaped process",
		"oom_reaper: unable to reap pid:",
		"invoked oom-killer: ",
	};
	ms_oom_log_init(&l);
	FEED(&l, lines, 0);
	ms_oom_log_finish(&l);
	/* nothing to assert but sanity: what was parsed is bounded and terminated */
	ck_assert_uint_le(l.nr, 6);
	for (size_t i = 0; i < l.nr; i++) {
		ck_assert_uint_lt(strlen(l.v[i].comm), MS_OOM_COMM_LEN);
		ck_assert_uint_le(l.v[i].nr_zones, MS_OOM_ITEMS_MAX);
		for (size_t z = 0; z < l.v[i].nr_zones; z++) {
			ck_assert_uint_le(l.v[i].zones[z].nr_orders, MS_OOM_ORDERS);
			ck_assert_uint_le(l.v[i].zones[z].nr_reserve, MS_OOM_RESERVES);
		}
	}
	/* the first event is the one with the 900-space comm, cut to the buffer */
	ck_assert_int_eq(l.v[0].kind, MS_OOMEV_OOM);
	ck_assert_uint_eq(strlen(l.v[0].comm), MS_OOM_COMM_LEN - 1);
	/* a zone line with one field is still the zone's */
	ck_assert_ptr_nonnull(zone(&l.v[0], "Normal"));
	ck_assert_uint_eq(zone(&l.v[0], "Normal")->free_kb, 8);
	ms_oom_log_free(&l);
	free(longline);
	free(nocomm);
}
END_TEST

START_TEST(test_gap_bound_closes)
{
	struct ms_oom_log l;
	struct ms_log_record r = { 0 };
	const char *trig = "a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0";
	const char *other = "some driver: says something";
	const char *kill = "Out of memory: Killed process 5 (a) total-vm:4kB, anon-rss:4kB, "
			   "file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0";

	ms_oom_log_init(&l);
	r.text = trig;
	r.len = strlen(trig);
	ck_assert_ptr_null(ms_oom_log_feed(&r, &l));
	for (int i = 0; i < MS_OOM_GAP_MAX + 5; i++) {
		r.seq++;
		r.text = other;
		r.len = strlen(other);
		ck_assert_ptr_null(ms_oom_log_feed(&r, &l));
	}
	r.seq++;
	r.text = kill;
	r.len = strlen(kill);
	ck_assert_ptr_null(ms_oom_log_feed(&r, &l));
	ms_oom_log_finish(&l);
	/* too far: the kill line starts an event of its own */
	ck_assert_uint_eq(l.nr, 2);
	ck_assert(l.v[0].missing & MS_OOM_NO_KILL);
	ck_assert(l.v[1].missing & MS_OOM_NO_TRIGGER);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- gfp ------------------------------------------------------------------------ */

/* The 6.1 values (include/linux/gfp_types.h) in mmflags.h's order. */
static const struct ms_gfp_flag names61[] = {
	{ 0x100cca, "GFP_HIGHUSER_MOVABLE" }, { 0x100cc2, "GFP_HIGHUSER" },
	{ 0x100cc0, "GFP_USER" }, { 0x400cc0, "GFP_KERNEL_ACCOUNT" }, { 0xcc0, "GFP_KERNEL" },
	{ 0xc40, "GFP_NOFS" }, { 0xa20, "GFP_ATOMIC" }, { 0xc00, "GFP_NOIO" },
	{ 0x800, "GFP_NOWAIT" }, { 0x1, "GFP_DMA" }, { 0x2, "__GFP_HIGHMEM" },
	{ 0x4, "GFP_DMA32" }, { 0x20, "__GFP_HIGH" }, { 0x200, "__GFP_ATOMIC" },
	{ 0x40, "__GFP_IO" }, { 0x80, "__GFP_FS" }, { 0x2000, "__GFP_NOWARN" },
	{ 0x10000, "__GFP_NORETRY" }, { 0x40000, "__GFP_COMP" }, { 0x100, "__GFP_ZERO" },
	{ 0x8, "__GFP_MOVABLE" }, { 0xc00, "__GFP_RECLAIM" }, { 0x400, "__GFP_DIRECT_RECLAIM" },
	{ 0x800, "__GFP_KSWAPD_RECLAIM" },
};

START_TEST(test_gfp_names)
{
	struct ms_gfp_names n;
	char buf[256];

	ms_gfp_names_set(&n, names61, sizeof(names61) / sizeof(names61[0]));
	/* what 6.1 printed in the oom and allocfail scenarios */
	ck_assert_str_eq(ms_gfp_format(&n, 0x140dca, buf, sizeof(buf)),
			 "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
	ck_assert_str_eq(ms_gfp_format(&n, 0x10cc0, buf, sizeof(buf)), "GFP_KERNEL|__GFP_NORETRY");
	/* bits no name covers are printed as a number, as format_flags() does */
	ck_assert_str_eq(ms_gfp_format(&n, 0x10000cc0, buf, sizeof(buf)), "GFP_KERNEL|0x10000000");
	ck_assert_str_eq(ms_gfp_format(&n, 0, buf, sizeof(buf)), "");
	ck_assert_str_eq(ms_gfp_format(&n, 0x10cc0, buf, 12), "GFP_KERNEL|");
	/* gfp_zone() */
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0x140dca), "Movable");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0x100cc2), "HighMem");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0xcc0), "Normal");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0xcc1), "DMA");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0xcc4), "DMA32");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0xccc), "DMA32");
	/* the slow path's kind */
	ck_assert_int_eq(ms_gfp_kind_of(&n, 0x10cc0), MS_GFP_KERNEL);
	ck_assert_int_eq(ms_gfp_kind_of(&n, 0xa20), MS_GFP_ATOMIC);
	ck_assert_int_eq(ms_gfp_kind_of(&n, 0x800), MS_GFP_NOWAIT);
	ck_assert_int_eq(ms_gfp_kind_of(&n, 0x140dca), MS_GFP_MOVABLE);
	ck_assert_int_eq(ms_gfp_kind_of(&n, 0xce0), MS_GFP_HIGH);
}
END_TEST

START_TEST(test_gfp_read)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_gfp_names n;
	uint64_t arr = fake_alloc(f, 16 * 4), s1 = fake_alloc(f, 32), s2 = fake_alloc(f, 32);
	char buf[64];

	fake_put(f, s1, "GFP_KERNEL", 11);
	fake_put(f, s2, "__GFP_NORETRY", 14);
	fake_put_u64(f, arr, 0xcc0);
	fake_put_u64(f, arr + 8, s1);
	fake_put_u64(f, arr + 16, 0x10000);
	fake_put_u64(f, arr + 24, s2);
	/* { 0, NULL } ends it */
	fake_symbol(f, "gfpflag_names", arr);
	fake_struct(f, "trace_print_flags", 16);
	fake_member(f, "trace_print_flags", "mask", 0, 8);
	fake_member(f, "trace_print_flags", "name", 8, 8);
	ms_gfp_names_read(t, &n);
	ck_assert(n.from_dump);
	ck_assert_uint_eq(n.nr, 2);
	ck_assert_str_eq(ms_gfp_format(&n, 0x10cc0, buf, sizeof(buf)), "GFP_KERNEL|__GFP_NORETRY");
	/* the table without its zone names: gfp_zone() sees no zone bit */
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0x140dca), "Normal");
	fake_free(f);

	/* no gfpflag_names: the 6.8+ enum when the types have it */
	f = fake_new();
	t = fake_target(f);
	fake_enum(f, "___GFP_DMA_BIT", 0);
	fake_enum(f, "___GFP_HIGHMEM_BIT", 1);
	fake_enum(f, "___GFP_DMA32_BIT", 2);
	fake_enum(f, "___GFP_MOVABLE_BIT", 3);
	fake_enum(f, "___GFP_IO_BIT", 6);
	fake_enum(f, "___GFP_FS_BIT", 7);
	fake_enum(f, "___GFP_DIRECT_RECLAIM_BIT", 10);
	fake_enum(f, "___GFP_KSWAPD_RECLAIM_BIT", 11);
	fake_enum(f, "___GFP_NORETRY_BIT", 16);
	ms_gfp_names_read(t, &n);
	ck_assert(!n.from_dump);
	ck_assert_str_eq(n.source, "___GFP_*_BIT enum");
	ck_assert_str_eq(ms_gfp_format(&n, 0x10cc0, buf, sizeof(buf)), "GFP_KERNEL|__GFP_NORETRY");
	ck_assert_str_eq(ms_gfp_zone_name(&n, 0x0a), "Movable");
	ck_assert_ptr_nonnull(strstr(fake_warnings(f), "gfpflag_names"));
	fake_free(f);

	/* neither: the bit values of 4.4 to 6.12 */
	f = fake_new();
	t = fake_target(f);
	ms_gfp_names_read(t, &n);
	ck_assert_str_eq(n.source, "4.4-6.12 bit values");
	ck_assert_str_eq(ms_gfp_format(&n, 0x140dca, buf, sizeof(buf)),
			 "GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO");
	fake_free(f);
}
END_TEST

/* ---- the recomputed choice ---------------------------------------------------------- */

START_TEST(test_recompute_disagrees)
{
	static const char *const lines[] = {
		"a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0",
		"[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name",
		"[     10]     0    10      100     5000        0        0             0 big",
		"[     11]     0    11      100     1000        0        0             0 small",
		"[     12]     0    12      100     5000        0        0             0 tie",
		"Out of memory: Killed process 11 (small) total-vm:400kB, anon-rss:4000kB, "
		"file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:0kB oom_score_adj:0",
	};
	struct ms_oom_log l;
	struct ms_oom_recompute rc;

	ms_oom_log_init(&l);
	FEED(&l, lines, 0);
	ms_oom_log_finish(&l);
	ms_oom_recompute(&l.v[0], MS_OOM_ERA_SIGNED, 100000, PAGE, &rc);
	/* 5.9+: a later task with equal points wins the tie */
	ck_assert_int_eq(rc.chosen, 2);
	ck_assert(!rc.agrees);
	ck_assert_int_eq(rc.logged, 1);
	ck_assert_int_eq(rc.logged_points, 1000);
	ck_assert_ptr_nonnull(strstr(rc.why, "pid 12 has more points"));
	/* before 5.9 the earlier thread group leader keeps it */
	ms_oom_recompute(&l.v[0], MS_OOM_ERA_FLOOR1, 100000, PAGE, &rc);
	ck_assert_int_eq(rc.chosen, 0);
	/* no totalpages: nothing recomputed */
	ms_oom_recompute(&l.v[0], MS_OOM_ERA_SIGNED, 0, PAGE, &rc);
	ck_assert(!rc.done);
	ms_oom_log_free(&l);
}
END_TEST

/* ---- memdiff's events between two snapshots ------------------------------------------- */

START_TEST(test_snapdiff_oom)
{
	json_t *b = json_loads("{\"log\": {\"first_seq\": 0, \"next_seq\": 100}}", 0, NULL);
	json_t *a = json_loads("{\"log\": {\"first_seq\": 0, \"next_seq\": 300},"
			       " \"oom_events\": [{\"kind\": \"oom\", \"seq\": 50},"
			       " {\"kind\": \"oom\", \"seq\": 150}, 7]}", 0, NULL);
	json_t *reboot = json_loads("{\"log\": {\"first_seq\": 0, \"next_seq\": 40},"
				    " \"oom_events\": [{\"kind\": \"allocfail\", \"seq\": 5}]}",
				    0, NULL);
	json_t *cut = json_loads("{\"log\": {\"first_seq\": 120, \"next_seq\": 300},"
				 " \"oom_events\": []}", 0, NULL);
	json_t *none = json_object(), *d;

	d = ms_snapdiff_oom(b, a);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "from_seq")), 100);
	ck_assert_uint_eq(json_array_size(json_object_get(d, "events")), 1);
	ck_assert(json_is_null(json_object_get(d, "note")) || !json_object_get(d, "note"));
	json_decref(d);
	d = ms_snapdiff_oom(b, reboot);
	ck_assert_uint_eq(json_array_size(json_object_get(d, "events")), 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(d, "note")), "another boot"));
	json_decref(d);
	d = ms_snapdiff_oom(b, cut);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(d, "note")), "may be missing"));
	json_decref(d);
	d = ms_snapdiff_oom(none, a);
	ck_assert(json_is_null(d));
	json_decref(d);
	json_decref(b);
	json_decref(a);
	json_decref(reboot);
	json_decref(cut);
	json_decref(none);
}
END_TEST

/* ---- why a replayed allocation fails in a zone -------------------------------------- */

START_TEST(test_replay_cause)
{
	struct ms_alloc_zone z = { 0 };

	z.pass = true;
	ck_assert_int_eq(ms_replay_cause_of(&z), MS_REPLAY_PASSES);
	/* enough free pages, no block of the order */
	z.pass = false;
	z.out.verdict = MS_WMARK_NO_BLOCK;
	z.out.usable = 100000;
	z.out.min = 600;
	z.out.need = 600;
	ck_assert_int_eq(ms_replay_cause_of(&z), MS_REPLAY_FRAGMENTATION);
	/* over the watermark, not over watermark + lowmem_reserve (DMA under a Normal request) */
	z.out.verdict = MS_WMARK_BELOW;
	z.out.usable = 400;
	z.out.min = 22;
	z.out.need = 466;
	ck_assert_int_eq(ms_replay_cause_of(&z), MS_REPLAY_LOWMEM_RESERVE);
	/* at or under the watermark itself */
	z.out.usable = 22;
	ck_assert_int_eq(ms_replay_cause_of(&z), MS_REPLAY_WATERMARK);
	z.out.usable = -5;
	ck_assert_int_eq(ms_replay_cause_of(&z), MS_REPLAY_WATERMARK);
	ck_assert_str_eq(ms_replay_cause_name(MS_REPLAY_FRAGMENTATION), "fragmentation");
}
END_TEST

static Suite *oomreport_suite(void)
{
	Suite *s = suite_create("oomreport");
	TCase *tc = tcase_create("oomreport");

	tcase_add_test(tc, test_format_419);
	tcase_add_test(tc, test_format_510_memcg);
	tcase_add_test(tc, test_format_61);
	tcase_add_test(tc, test_format_612);
	tcase_add_test(tc, test_interleaved_and_cut);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_gap_bound_closes);
	tcase_add_test(tc, test_gfp_names);
	tcase_add_test(tc, test_gfp_read);
	tcase_add_test(tc, test_recompute_disagrees);
	tcase_add_test(tc, test_snapdiff_oom);
	tcase_add_test(tc, test_replay_cause);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(oomreport_suite)
