/*
 * overcommit.h - the overcommit policy of the dumped kernel, its commit
 * limit and Committed_AS, who committed it (each process's VM_ACCOUNT
 * mappings, the shmem objects), and what __vm_enough_memory() would answer
 * for one more private writable mapping.
 *
 * Sizes are in pages unless a name says kB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_OVERCOMMIT_H
#define MEMSCOPE_OVERCOMMIT_H

#include "tasks.h"
#include "vma.h"

/* vm.overcommit_memory (include/uapi/linux/mman.h): an ABI, the same in every era. */
#define MS_OVERCOMMIT_GUESS	0
#define MS_OVERCOMMIT_ALWAYS	1
#define MS_OVERCOMMIT_NEVER	2

/* CAP_SYS_ADMIN (include/uapi/linux/capability.h): an ABI. */
#define MS_CAP_SYS_ADMIN	21

#define MS_OC_WHY_LEN 160

/* What __vm_enough_memory() reads, in pages. */
struct ms_commit_inputs {
	long mode;			/* sysctl_overcommit_memory */
	uint64_t totalram;		/* totalram_pages() (MemTotal) */
	uint64_t swap;			/* total_swap_pages */
	uint64_t limit;			/* vm_commit_limit() (CommitLimit) */
	uint64_t count;			/* percpu_counter_read_positive(&vm_committed_as) */
	uint64_t admin_reserve;		/* sysctl_admin_reserve_kbytes in pages */
	uint64_t user_reserve;		/* sysctl_user_reserve_kbytes in pages */
};

enum ms_vm_rule {
	MS_VM_ALWAYS,			/* policy 1: never refused */
	MS_VM_GUESS_FITS,		/* policy 0: not larger than RAM + swap */
	MS_VM_GUESS_TOO_BIG,		/* policy 0: one mapping larger than RAM + swap */
	MS_VM_NEVER_FITS,		/* policy 2: committed stays below the allowed */
	MS_VM_NEVER_OVER,		/* policy 2: committed would reach the allowed */
	MS_VM_UNKNOWN_POLICY,		/* a mode the kernel does not know: treated as 2 */
};

struct ms_vm_answer {
	bool ok;			/* 0 from __vm_enough_memory(), else -ENOMEM */
	enum ms_vm_rule rule;
	uint64_t pages;			/* the request */
	int64_t allowed;		/* policy 0: RAM + swap; 2: the limit minus the cuts */
	uint64_t admin_cut;		/* kept from a task without CAP_SYS_ADMIN */
	uint64_t user_cut;		/* min(total_vm / 32, user reserve) */
	uint64_t committed_after;	/* count + pages, as compared */
	int64_t max_ok;			/* the largest that passes (-1: none, or policy 1) */
};

/*
 * __vm_enough_memory() (mm/util.c, 6.1 and 6.12) for pages more, asked by a
 * task with or without CAP_SYS_ADMIN whose mm has total_vm pages.
 */
void ms_vm_enough_memory(const struct ms_commit_inputs *in, uint64_t pages, bool cap_sys_admin,
			 uint64_t total_vm, struct ms_vm_answer *a);

/* One address space and what its VMAs charge. */
struct ms_committer {
	int32_t pid;			/* the first process seen with this mm */
	uint32_t uid;
	char comm[MS_TASK_COMM_LEN + 1];
	unsigned int nr_procs;		/* processes sharing the mm (CLONE_VM) */
	uint64_t mm;
	uint64_t vma_tree;		/* &mm->mm_mt (6.1+), or 0 */
	uint64_t total_vm;
	uint64_t committed;		/* sum of VM_ACCOUNT VMAs' sizes */
	uint64_t nr_vmas, nr_account;
	bool complete;			/* every VMA walked */
};

struct ms_overcommit {
	bool policy_ok;
	char policy_why[MS_OC_WHY_LEN];
	long mode;
	uint64_t ratio, kbytes_kb, admin_kb, user_kb;

	/* From meminfo (one place computes them): MemTotal, Hugetlb, CommitLimit,
	 * Committed_AS; total_swap_pages read alongside. */
	bool limit_ok, committed_ok, count_ok, swap_ok;
	char limit_why[MS_OC_WHY_LEN], committed_why[MS_OC_WHY_LEN];
	uint64_t totalram, hugetlb, swap, limit, committed, count;
	bool batch_ok;
	int64_t batch;			/* vm_committed_as_batch: a CPU's delta is below it */

	/* Who committed it. */
	bool committers_ok;		/* the process list could be read */
	char committers_why[MS_OC_WHY_LEN];
	struct ms_committer *v;		/* most committed first */
	size_t nr;
	bool tasks_complete;		/* the process list was walked to its end */
	bool vmas_complete;		/* every VMA of every mm */
	uint64_t vm_total;		/* sum over v[] */
	bool shmem_ok;
	uint64_t shmem;			/* shmem inodes' charge (shmem.h) */
	int64_t rest;			/* committed - vm_total - shmem */

	/* One process asked for (-P PID): its address space and its VMAs. */
	int32_t pid;			/* 0: none asked */
	bool pid_found;			/* a process of that pid with an mm */
	bool pid_caps_ok;		/* its real_cred->cap_effective was read */
	bool pid_cap_sys_admin;
	struct ms_committer proc;	/* its address space */
	struct ms_vma *vmas;		/* in address order */
	size_t nr_vmas;
	struct ms_vm_flags vm_flags;	/* this kernel's VM_* masks */
};

/* Everything above, with the VMAs of process pid (0: none): NULL, or the
 * error that left nothing (no memory); parts that cannot be read are *_ok
 * false with their cause, said on t->errf. */
struct ms_error *ms_overcommit_read(struct ms_target *t, int32_t pid, struct ms_overcommit *o);
void ms_overcommit_free(struct ms_overcommit *o);

/* o's inputs of __vm_enough_memory(): false if a part of them is unknown. */
bool ms_overcommit_inputs(const struct ms_overcommit *o, unsigned int page_shift,
			  struct ms_commit_inputs *in);

const char *ms_overcommit_mode_name(long mode);

#endif
