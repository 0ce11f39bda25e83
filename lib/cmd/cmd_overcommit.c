/*
 * cmd_overcommit.c - overcommit: the policy, the commit limit, Committed_AS
 * and who committed it; -n SIZE: would one more mapping of SIZE pass?
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "command.h"
#include "overcommit_print.h"

/* SIZE: a number of bytes, or of KiB, MiB, GiB, TiB with K, M, G, T
 * (optionally followed by "iB" or "B"), like 300M or 337444K. */
static struct ms_error *parse_size(const char *arg, void *dst)
{
	static const char units[] = "KMGT";
	unsigned long long v;
	const char *u;
	char *end;
	int shift = 0;
	char q[64];

	if (!isdigit((unsigned char)arg[0]))
		goto bad;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno)
		goto bad;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			goto bad;
		shift = 10 * (int)(u - units + 1);
		end++;
		if (strcasecmp(end, "") && strcasecmp(end, "B") && strcasecmp(end, "iB"))
			goto bad;
	}
	if (!v || v > (UINT64_MAX >> 2) >> shift)
		goto bad;
	*(uint64_t *)dst = (uint64_t)v << shift;
	return NULL;
bad:
	return ms_error_create(MS_ERR_USAGE, "-n SIZE: %s is no size (a number of bytes > 0, or "
			       "with K, M, G or T)", ms_cmd_quote(q, sizeof(q), arg));
}

static struct ms_error *run(struct ms_cmd_ctx *ctx, const void *opts)
{
	const struct ms_overcommit_print_opts *o = opts;
	struct ms_target *t = ctx->target;
	struct ms_overcommit oc;
	struct ms_error *err;

	ms_cmd_progress(ctx, "walking every process's VMAs");
	err = ms_overcommit_read(t, (int32_t)o->pid, &oc);
	ms_cmd_progress_done(ctx);
	if (err)
		return ms_error_wrap(err, "cannot read the overcommit state");
	if (ctx->json)
		ms_cmd_json_out(ctx, ms_overcommit_json(&oc, t->page_shift, o), MS_CMD_JSON_FLAGS);
	else
		ms_overcommit_print(ctx->out, &oc, t->page_shift, o);
	ms_overcommit_free(&oc);
	return NULL;
}

static const struct ms_option options[] = {
	MS_FLAG('p', NULL, struct ms_overcommit_print_opts, pages),
	MS_FLAG('a', NULL, struct ms_overcommit_print_opts, all),
	MS_CUSTOM('n', NULL, "SIZE", struct ms_overcommit_print_opts, request, parse_size),
	/* PID_MAX_LIMIT (include/linux/threads.h, 64-bit): 4194304. */
	MS_NUMBER('P', NULL, "PID", struct ms_overcommit_print_opts, pid, 1, 4194304),
	MS_OPT_END,
};

static const struct ms_example examples[] = {
	{ "Policy 2, ratio 150: the limit, who committed it, why 329.5 MiB more fails "
	  "without CAP_SYS_ADMIN:", "-n 337440K",
	  "policy        vm.overcommit_memory = 2 (never: OVERCOMMIT_NEVER)\n"
	  "              overcommit_ratio 150%   overcommit_kbytes 0 (unset)   admin_reserve 32.0 MiB   user_reserve 14.1 MiB\n"
	  "CommitLimit   704.7 MiB = (RAM 469.8 MiB - hugetlb 0 KiB) * 150 / 100 + swap 0 KiB   (vm_commit_limit())\n"
	  "Committed_AS  358.8 MiB = 50.9% of CommitLimit   (vm_committed_as: count 359.1 MiB, per-cpu deltas -312 KiB)\n"
	  "\n"
	  "COMMITTERS (VM_ACCOUNT mappings of each address space)\n"
	  "     PID    UID COMM                  COMMITTED   VMAS   ACCT       TOTAL_VM\n"
	  "      98      0 commitmap             160.3 MiB     11      6      161.0 MiB\n"
	  "      97      0 commitmap              96.3 MiB     11      6       97.0 MiB\n"
	  "     ...\n"
	  "\n"
	  "VM_ACCOUNT mappings of every process            353.6 MiB\n"
	  "shmem objects (tmpfs, shm, shared anon)           5.2 MiB\n"
	  "rest: charged by nothing above                      0 KiB\n"
	  "Committed_AS                                    358.8 MiB\n"
	  "\n"
	  "A NEW PRIVATE WRITABLE MAPPING OF 329.5 MiB (84360 pages), as __vm_enough_memory() answers it:\n"
	  "  a task without CAP_SYS_ADMIN fails with ENOMEM (policy 2: committed would not be below the allowed)\n"
	  "                             committed + request 688.6 MiB >= allowed 672.7 MiB = CommitLimit - admin reserve 32.0 MiB - user reserve 0 KiB\n"
	  "                             the largest that succeeds: 313.6 MiB\n"
	  "  root (CAP_SYS_ADMIN)       succeeds (policy 2: committed stays below the allowed)\n"
	  "  ..." },
	{ "The VMAs of one process, and the answer for it:", "-P 98 -n 100M", NULL },
	{ "Every address space, sizes in pages; or as JSON:", "-a -p\n--json", NULL },
	{ 0 },
};

const struct ms_command ms_cmd_overcommit = {
	.name = "overcommit",
	.summary = "overcommit policy, commit limit, Committed_AS and who committed it",
	.synopsis = "[-p] [-a] [-n SIZE] [-P PID] [--json]",
	.operands = { [MS_FRONT_CRASH] = { "", 0, 0 }, [MS_FRONT_CLI] = { "DUMP", 1, 1 } },
	.options = options,
	.opts_size = sizeof(struct ms_overcommit_print_opts),
	.defaults = &(const struct ms_overcommit_print_opts){ .top = 10 },
	.description =
	"Shows the overcommit policy (vm.overcommit_memory, overcommit_ratio,\n"
	"overcommit_kbytes, admin_reserve_kbytes, user_reserve_kbytes), CommitLimit\n"
	"as vm_commit_limit() computes it and Committed_AS as /proc/meminfo shows it\n"
	"(vm_committed_as with every online CPU's delta folded).\n"
	"\n"
	"Then who committed it: every address space (processes sharing an mm once)\n"
	"with the size of its VM_ACCOUNT mappings, the private writable ones the\n"
	"kernel charged when they were made (mmap_region(), brk, the stack), summed\n"
	"from its VMAs: the maple tree mm->mm_mt since 6.1, the mm->mmap list\n"
	"before.  With the charge of the shmem objects (tmpfs and memfd pages as\n"
	"they are allocated, SysV shm and shared anonymous mappings at their whole\n"
	"size) they should explain Committed_AS; the rest is stated.\n"
	"\n"
	"  COMMITTED  the VM_ACCOUNT VMAs' sizes; VMAS all its VMAs, ACCT those\n"
	"             with VM_ACCOUNT; TOTAL_VM mm->total_vm.\n"
	"\n"
	"  -n SIZE  what __vm_enough_memory() of this kernel would answer for a new\n"
	"           private writable mapping of SIZE (bytes, or with K, M, G, T),\n"
	"           for a task without CAP_SYS_ADMIN and for root: policy 1 never\n"
	"           refuses; policy 0 refuses one mapping larger than RAM + swap;\n"
	"           policy 2 refuses when vm_committed_as (its count) plus SIZE is\n"
	"           not below CommitLimit minus the admin reserve (kept from tasks\n"
	"           without CAP_SYS_ADMIN) minus min(total_vm/32, user_reserve).\n"
	"  -P PID   the VMAs of that process (start, end, size, flags: rwx, s for\n"
	"           shared or p, ACCOUNT, NORESERVE, file), and with -n the answer\n"
	"           for it too: its own CAP_SYS_ADMIN (real_cred->cap_effective) and\n"
	"           its total_vm's user reserve.\n"
	"  -p       sizes in pages instead of K/M/G.\n"
	"  -a       every address space (default: the 10 that committed most).\n"
	"  --json   one JSON document, sizes in kB.",
	.examples = examples,
	.run = run,
};
