/*
 * overcommit_print.c - the policy, the limit and its formula, Committed_AS,
 * the committers and what is left, and the answer for -n SIZE.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <string.h>

#include "overcommit_print.h"
#include "units.h"

struct fmt {
	unsigned int page_shift;
	bool pages;
};

/* kB of a signed page count (the rest can be negative): no shift of a negative. */
static long long pages_kb(int64_t pages, unsigned int page_shift)
{
	return (long long)(int64_t)((uint64_t)pages << (page_shift - 10));
}

/* A size in pages as pages or human units; a signed one keeps its sign. */
static const char *sz(char *buf, size_t len, const struct fmt *f, int64_t pages)
{
	if (f->pages)
		snprintf(buf, len, "%" PRId64 " pages", pages);
	else
		ms_fmt_kb(buf, len, pages_kb(pages, f->page_shift));
	return buf;
}

static const char *mode_text(long mode)
{
	switch (mode) {
	case MS_OVERCOMMIT_GUESS: return "0 (heuristic: OVERCOMMIT_GUESS)";
	case MS_OVERCOMMIT_ALWAYS: return "1 (always: OVERCOMMIT_ALWAYS)";
	case MS_OVERCOMMIT_NEVER: return "2 (never: OVERCOMMIT_NEVER)";
	default: return "unknown to the kernel: checked as 2";
	}
}

static void print_policy(FILE *out, const struct ms_overcommit *o, const struct fmt *f)
{
	unsigned int s = f->page_shift - 10;
	char a[32], b[32], c[32], d[32], e[32];

	if (!o->policy_ok) {
		fprintf(out, "policy        unknown: %s\n", o->policy_why);
	} else {
		fprintf(out, "policy        vm.overcommit_memory = %s\n", mode_text(o->mode));
		fprintf(out, "              overcommit_ratio %" PRIu64 "%%   "
			"overcommit_kbytes %s   admin_reserve %s   user_reserve %s\n", o->ratio,
			o->kbytes_kb ? sz(a, sizeof(a), f, (int64_t)(o->kbytes_kb >> s)) :
			"0 (unset)",
			sz(b, sizeof(b), f, (int64_t)(o->admin_kb >> s)),
			sz(c, sizeof(c), f, (int64_t)(o->user_kb >> s)));
	}
	if (!o->limit_ok)
		fprintf(out, "CommitLimit   unknown: %s\n", o->limit_why);
	else if (o->policy_ok && o->kbytes_kb)
		fprintf(out, "CommitLimit   %s = overcommit_kbytes + swap %s   "
			"(vm_commit_limit())\n",
			sz(a, sizeof(a), f, (int64_t)o->limit),
			o->swap_ok ? sz(b, sizeof(b), f, (int64_t)o->swap) : "?");
	else
		fprintf(out, "CommitLimit   %s = (RAM %s - hugetlb %s) * %" PRIu64 " / 100 + "
			"swap %s   (vm_commit_limit())\n", sz(a, sizeof(a), f, (int64_t)o->limit),
			sz(b, sizeof(b), f, (int64_t)o->totalram), sz(c, sizeof(c), f,
			(int64_t)o->hugetlb), o->ratio,
			o->swap_ok ? sz(d, sizeof(d), f, (int64_t)o->swap) : "?");
	if (!o->committed_ok) {
		fprintf(out, "Committed_AS  unknown: %s\n", o->committed_why);
		return;
	}
	fprintf(out, "Committed_AS  %s", sz(a, sizeof(a), f, (int64_t)o->committed));
	if (o->limit_ok && o->limit)
		fprintf(out, " = %.1f%% of CommitLimit", 100.0 * (double)o->committed /
			(double)o->limit);
	if (o->count_ok)
		fprintf(out, "   (vm_committed_as: count %s, per-cpu deltas %s)",
			sz(d, sizeof(d), f, (int64_t)o->count),
			sz(e, sizeof(e), f, (int64_t)o->committed - (int64_t)o->count));
	fputc('\n', out);
}

static void print_committers(FILE *out, const struct ms_overcommit *o, const struct fmt *f,
			     const struct ms_overcommit_print_opts *opts)
{
	size_t n = opts->all || opts->top < 0 || (size_t)opts->top > o->nr ? o->nr :
		   (size_t)opts->top;
	char a[32], b[32];

	if (!o->committers_ok) {
		fprintf(out, "\nCOMMITTERS    unknown: %s\n", o->committers_why);
		return;
	}
	fprintf(out, "\nCOMMITTERS (VM_ACCOUNT mappings of each address space)\n");
	fprintf(out, "%8s %6s %-16s %14s %6s %6s %14s\n", "PID", "UID", "COMM", "COMMITTED",
		"VMAS", "ACCT", "TOTAL_VM");
	for (size_t i = 0; i < n; i++) {
		const struct ms_committer *c = &o->v[i];

		fprintf(out, "%8d %6u %-16s %14s %6" PRIu64 " %6" PRIu64 " %14s%s", c->pid, c->uid,
			c->comm, sz(a, sizeof(a), f, (int64_t)c->committed), c->nr_vmas,
			c->nr_account, sz(b, sizeof(b), f, (int64_t)c->total_vm),
			c->complete ? "" : "  (VMAs in part)");
		if (c->nr_procs > 1)
			fprintf(out, "  (%u processes share it)", c->nr_procs);
		fputc('\n', out);
	}
	if (n < o->nr)
		fprintf(out, "%8s %zu more address spaces (-a lists them)\n", "...", o->nr - n);
}

static void print_explained(FILE *out, const struct ms_overcommit *o, const struct fmt *f)
{
	char a[32];

	if (!o->committers_ok || !o->committed_ok)
		return;
	fprintf(out, "\n%-42s %14s%s\n", "VM_ACCOUNT mappings of every process",
		sz(a, sizeof(a), f, (int64_t)o->vm_total),
		o->tasks_complete && o->vmas_complete ? "" : "  (partial: see the warnings)");
	fprintf(out, "%-42s %14s%s\n", "shmem objects (tmpfs, shm, shared anon)",
		sz(a, sizeof(a), f, (int64_t)o->shmem), o->shmem_ok ? "" : "  (partial)");
	fprintf(out, "%-42s %14s\n", "rest: charged by nothing above",
		sz(a, sizeof(a), f, o->rest));
	fprintf(out, "%-42s %14s\n", "Committed_AS", sz(a, sizeof(a), f, (int64_t)o->committed));
}

static void vma_flags(char *buf, size_t len, const struct ms_vm_flags *fl, const struct ms_vma *v)
{
	snprintf(buf, len, "%c%c%c%c%s%s%s", v->flags & fl->read ? 'r' : '-',
		 v->flags & fl->write ? 'w' : '-', v->flags & fl->exec ? 'x' : '-',
		 v->flags & fl->mayshare ? 's' : 'p', v->flags & fl->account ? " ACCOUNT" : "",
		 v->flags & fl->noreserve ? " NORESERVE" : "", v->file ? " file" : "");
}

static void print_process(FILE *out, const struct ms_overcommit *o, const struct fmt *f)
{
	const struct ms_committer *c = &o->proc;
	char a[32], b[32], fl[48];

	if (!o->pid_found) {
		fprintf(out, "\nPID %d: no such process with an address space\n", o->pid);
		return;
	}
	fprintf(out, "\nPID %d (%s): uid %u, %s, total_vm %s, %" PRIu64 " VMAs, VM_ACCOUNT %s%s\n",
		o->pid, c->comm, c->uid, !o->pid_caps_ok ? "capabilities unknown" :
		o->pid_cap_sys_admin ? "CAP_SYS_ADMIN" : "no CAP_SYS_ADMIN",
		sz(a, sizeof(a), f, (int64_t)c->total_vm), c->nr_vmas,
		sz(b, sizeof(b), f, (int64_t)c->committed), c->complete ? "" : " (VMAs in part)");
	fprintf(out, "%18s %18s %14s  %s\n", "START", "END", "SIZE", "FLAGS");
	for (size_t i = 0; i < o->nr_vmas; i++) {
		const struct ms_vma *v = &o->vmas[i];

		vma_flags(fl, sizeof(fl), &o->vm_flags, v);
		fprintf(out, "%18" PRIx64 " %18" PRIx64 " %14s  %s\n", v->start, v->end,
			sz(a, sizeof(a), f, (int64_t)((v->end - v->start) >> f->page_shift)), fl);
	}
}

static const char *rule_text(enum ms_vm_rule r)
{
	switch (r) {
	case MS_VM_ALWAYS: return "policy 1 never refuses";
	case MS_VM_GUESS_FITS: return "policy 0: not larger than RAM + swap";
	case MS_VM_GUESS_TOO_BIG: return "policy 0: larger than RAM + swap";
	case MS_VM_NEVER_FITS: return "policy 2: committed stays below the allowed";
	case MS_VM_NEVER_OVER: return "policy 2: committed would not be below the allowed";
	default: return "an unknown policy, checked as 2";
	}
}

static void print_answer(FILE *out, const char *who, const struct ms_vm_answer *a,
			 const struct fmt *f)
{
	char b[5][32];

	fprintf(out, "  %-26s %s (%s)\n", who, a->ok ? "succeeds" : "fails with ENOMEM",
		rule_text(a->rule));
	if (a->rule == MS_VM_ALWAYS)
		return;
	if (a->rule == MS_VM_GUESS_FITS || a->rule == MS_VM_GUESS_TOO_BIG) {
		fprintf(out, "  %-26s %s %s RAM + swap %s\n", "", sz(b[0], sizeof(b[0]), f,
			(int64_t)a->pages), a->ok ? "<=" : ">", sz(b[1], sizeof(b[1]), f,
			a->allowed));
		return;
	}
	fprintf(out, "  %-26s committed + request %s %s allowed %s = CommitLimit - admin reserve "
		"%s - user reserve %s\n", "",
		sz(b[0], sizeof(b[0]), f, (int64_t)a->committed_after),
		a->ok ? "<" : ">=", sz(b[1], sizeof(b[1]), f, a->allowed),
		sz(b[2], sizeof(b[2]), f, (int64_t)a->admin_cut),
		sz(b[3], sizeof(b[3]), f, (int64_t)a->user_cut));
	fprintf(out, "  %-26s the largest that succeeds: %s\n", "",
		a->max_ok < 0 ? "none" : sz(b[4], sizeof(b[4]), f, a->max_ok));
}

static void print_request(FILE *out, const struct ms_overcommit *o, const struct fmt *f,
			  uint64_t bytes)
{
	uint64_t pages = (bytes + (1ull << f->page_shift) - 1) >> f->page_shift;
	struct ms_commit_inputs in;
	struct ms_vm_answer a;
	char b[32];

	fprintf(out, "\nA NEW PRIVATE WRITABLE MAPPING OF %s (%" PRIu64 " pages), as "
		"__vm_enough_memory() answers it:\n", sz(b, sizeof(b), f, (int64_t)pages), pages);
	if (!ms_overcommit_inputs(o, f->page_shift, &in)) {
		fprintf(out, "  unknown: the policy, CommitLimit or vm_committed_as could not "
			"be read\n");
		return;
	}
	ms_vm_enough_memory(&in, pages, false, 0, &a);
	print_answer(out, "a task without CAP_SYS_ADMIN", &a, f);
	ms_vm_enough_memory(&in, pages, true, 0, &a);
	print_answer(out, "root (CAP_SYS_ADMIN)", &a, f);
	if (o->pid_found) {
		char who[48];

		snprintf(who, sizeof(who), "pid %d (%s)", o->pid, o->proc.comm);
		ms_vm_enough_memory(&in, pages, o->pid_cap_sys_admin, o->proc.total_vm, &a);
		print_answer(out, who, &a, f);
	}
	if (in.mode != MS_OVERCOMMIT_GUESS && in.mode != MS_OVERCOMMIT_ALWAYS) {
		fprintf(out, "  (the first two for a task whose mm is small: a process of "
			"total_vm T also keeps min(T/32, user_reserve) back; committed is "
			"vm_committed_as.count, which the kernel compares");
		if (o->batch_ok)
			fprintf(out, ", plus the asking CPU's unfolded delta, below its "
				"batch of %s", sz(b, sizeof(b), f, o->batch));
		fprintf(out, ")\n");
	}
}

void ms_overcommit_print(FILE *out, const struct ms_overcommit *o, unsigned int page_shift,
			 const struct ms_overcommit_print_opts *opts)
{
	struct fmt f = { .page_shift = page_shift, .pages = opts->pages };

	print_policy(out, o, &f);
	print_committers(out, o, &f, opts);
	print_explained(out, o, &f);
	if (opts->pid)
		print_process(out, o, &f);
	if (opts->request)
		print_request(out, o, &f, opts->request);
}

/* ---- JSON ---------------------------------------------------------------- */

/* An address as oomscore's JSON gives it: "0xffff...". */
static json_t *json_addr(uint64_t a)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)a);
	return json_string(buf);
}

static json_t *kb_or_null(bool ok, uint64_t pages, unsigned int page_shift)
{
	return ok ? json_integer((json_int_t)(pages << (page_shift - 10))) : json_null();
}

static json_t *answer_json(const struct ms_vm_answer *a, unsigned int page_shift)
{
	static const char *const rules[] = { "always", "guess_fits", "guess_too_big",
		"never_fits", "never_over", "unknown_policy" };
	unsigned int s = page_shift - 10;

	return json_pack("{s:b, s:s, s:I, s:I, s:I, s:I, s:I}", "ok", a->ok, "rule", rules[a->rule],
			 "allowed_kb", (json_int_t)pages_kb(a->allowed, page_shift),
			 "admin_reserve_kb", (json_int_t)(a->admin_cut << s),
			 "user_reserve_kb", (json_int_t)(a->user_cut << s),
			 "committed_after_kb", (json_int_t)(a->committed_after << s),
			 "max_ok_kb",
			 (json_int_t)(a->max_ok < 0 ? -1 : pages_kb(a->max_ok, page_shift)));
}

json_t *ms_overcommit_json(const struct ms_overcommit *o, unsigned int page_shift,
			   const struct ms_overcommit_print_opts *opts)
{
	json_t *j = json_object(), *cs = json_array();
	struct ms_commit_inputs in;

	if (o->policy_ok)
		json_object_set_new(j, "policy", json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}",
			"overcommit_memory", (json_int_t)o->mode, "mode",
			ms_overcommit_mode_name(o->mode), "overcommit_ratio", (json_int_t)o->ratio,
			"overcommit_kbytes", (json_int_t)o->kbytes_kb, "admin_reserve_kbytes",
			(json_int_t)o->admin_kb, "user_reserve_kbytes", (json_int_t)o->user_kb));
	else
		json_object_set_new(j, "policy", json_pack("{s:s}", "error", o->policy_why));
	json_object_set_new(j, "commit_limit_kb", kb_or_null(o->limit_ok, o->limit, page_shift));
	json_object_set_new(j, "committed_as_kb", kb_or_null(o->committed_ok, o->committed,
							     page_shift));
	json_object_set_new(j, "committed_count_kb", kb_or_null(o->count_ok, o->count, page_shift));
	json_object_set_new(j, "committed_batch_kb", o->batch_ok ?
			    json_integer((json_int_t)pages_kb(o->batch, page_shift)) : json_null());
	json_object_set_new(j, "ram_kb", kb_or_null(o->limit_ok, o->totalram, page_shift));
	json_object_set_new(j, "hugetlb_kb", kb_or_null(o->limit_ok, o->hugetlb, page_shift));
	json_object_set_new(j, "swap_kb", kb_or_null(o->swap_ok, o->swap, page_shift));
	if (!o->limit_ok)
		json_object_set_new(j, "commit_limit_error", json_string(o->limit_why));
	if (!o->committed_ok)
		json_object_set_new(j, "committed_as_error", json_string(o->committed_why));
	for (size_t i = 0; i < o->nr; i++) {
		const struct ms_committer *c = &o->v[i];

		json_array_append_new(cs, json_pack("{s:i, s:I, s:s, s:o, s:o, s:I, s:I, s:I, s:I, "
			"s:i, s:b}", "pid", c->pid, "uid", (json_int_t)c->uid, "comm", c->comm,
			"mm", json_addr(c->mm), "vma_tree", c->vma_tree ? json_addr(c->vma_tree) :
			json_null(),
			"committed_kb", (json_int_t)(c->committed << (page_shift - 10)),
			"total_vm_kb", (json_int_t)(c->total_vm << (page_shift - 10)),
			"vmas", (json_int_t)c->nr_vmas, "account_vmas", (json_int_t)c->nr_account,
			"processes", c->nr_procs, "complete", c->complete));
	}
	json_object_set_new(j, "committers", cs);
	json_object_set_new(j, "committers_complete", json_boolean(o->committers_ok &&
		o->tasks_complete && o->vmas_complete));
	json_object_set_new(j, "vm_account_kb", json_integer((json_int_t)(o->vm_total <<
		(page_shift - 10))));
	json_object_set_new(j, "shmem_kb", kb_or_null(true, o->shmem, page_shift));
	json_object_set_new(j, "shmem_complete", json_boolean(o->shmem_ok));
	json_object_set_new(j, "rest_kb", json_integer((json_int_t)pages_kb(o->rest, page_shift)));
	if (opts->pid && o->pid_found) {
		json_t *vs = json_array();
		char fl[48];

		for (size_t i = 0; i < o->nr_vmas; i++) {
			const struct ms_vma *v = &o->vmas[i];

			vma_flags(fl, sizeof(fl), &o->vm_flags, v);
			json_array_append_new(vs, json_pack("{s:o, s:o, s:I, s:I, s:s, s:b}",
				"start", json_addr(v->start), "end", json_addr(v->end),
				"size_kb", (json_int_t)((v->end - v->start) >> 10),
				"vm_flags", (json_int_t)v->flags, "flags", fl,
				"account", (v->flags & o->vm_flags.account) != 0));
		}
		json_object_set_new(j, "process", json_pack(
			"{s:i, s:s, s:I, s:o, s:I, s:I, s:b, s:o}",
			"pid", o->pid, "comm", o->proc.comm, "uid", (json_int_t)o->proc.uid,
			"cap_sys_admin", o->pid_caps_ok ? json_boolean(o->pid_cap_sys_admin) :
			json_null(),
			"total_vm_kb", (json_int_t)(o->proc.total_vm << (page_shift - 10)),
			"committed_kb", (json_int_t)(o->proc.committed << (page_shift - 10)),
			"complete", o->proc.complete, "vmas", vs));
	} else if (opts->pid) {
		json_object_set_new(j, "process", json_null());
	}
	if (opts->request) {
		uint64_t pages = (opts->request + (1ull << page_shift) - 1) >> page_shift;
		struct ms_vm_answer a;

		if (ms_overcommit_inputs(o, page_shift, &in)) {
			json_t *r = json_pack("{s:I}", "size_kb", (json_int_t)(pages <<
					      (page_shift - 10)));

			ms_vm_enough_memory(&in, pages, false, 0, &a);
			json_object_set_new(r, "normal", answer_json(&a, page_shift));
			ms_vm_enough_memory(&in, pages, true, 0, &a);
			json_object_set_new(r, "root", answer_json(&a, page_shift));
			if (o->pid_found) {
				ms_vm_enough_memory(&in, pages, o->pid_cap_sys_admin,
						    o->proc.total_vm, &a);
				json_object_set_new(r, "process", answer_json(&a, page_shift));
			}
			json_object_set_new(j, "request", r);
		} else {
			json_object_set_new(j, "request", json_null());
		}
	}
	return j;
}
