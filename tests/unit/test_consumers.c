/*
 * test_consumers.c - the consumers outside the counters on a synthetic
 * kernel: a pipe ring (wrapped, spliced slots, the spare page) and the rings
 * that make no sense; a task's fd table, and a corrupt one; the vmap area
 * list, and a cycle in it; the table of consumers and how the remainder
 * splits into them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "files.h"
#include "pipe.h"
#include "suites.h"
#include "uncounted.h"
#include "vmalloc.h"

/* A made-up layout: only the names matter. */
#define PI_HEAD 0
#define PI_TAIL 4
#define PI_RING 8
#define PI_TMP 16
#define PI_BUFS 24
#define PB_PAGE 0
#define PB_LEN 12
#define PB_OPS 16
#define PB_SIZE 40

static void pipe_types(struct fake *f)
{
	fake_struct(f, "pipe_inode_info", 64);
	fake_member(f, "pipe_inode_info", "head", PI_HEAD, 4);
	fake_member(f, "pipe_inode_info", "tail", PI_TAIL, 4);
	fake_member(f, "pipe_inode_info", "ring_size", PI_RING, 4);
	fake_member(f, "pipe_inode_info", "tmp_page", PI_TMP, 8);
	fake_member(f, "pipe_inode_info", "bufs", PI_BUFS, 8);
	fake_struct(f, "pipe_buffer", PB_SIZE);
	fake_member(f, "pipe_buffer", "page", PB_PAGE, 8);
	fake_member(f, "pipe_buffer", "offset", 8, 4);
	fake_member(f, "pipe_buffer", "len", PB_LEN, 4);
	fake_member(f, "pipe_buffer", "ops", PB_OPS, 8);
}

/* A pipe of ring slots with tail..head occupied, each slot's len 100 + slot. */
static uint64_t make_pipe(struct fake *f, uint32_t ring, uint32_t tail, uint32_t head,
			  uint64_t anon_ops, uint64_t other_ops, uint32_t spliced_slot)
{
	uint64_t pipe = fake_alloc(f, 64), bufs = fake_alloc(f, (size_t)ring * PB_SIZE + 8);

	fake_put_u32(f, pipe + PI_HEAD, head);
	fake_put_u32(f, pipe + PI_TAIL, tail);
	fake_put_u32(f, pipe + PI_RING, ring);
	fake_put_u64(f, pipe + PI_BUFS, bufs);
	for (uint32_t i = tail; i != head; i++) {
		uint32_t slot = i & (ring - 1);
		uint64_t b = bufs + (uint64_t)slot * PB_SIZE;

		fake_put_u64(f, b + PB_PAGE, 0xffffea0000001000ull + slot * 64);
		fake_put_u32(f, b + PB_LEN, 100 + slot);
		fake_put_u64(f, b + PB_OPS, slot == spliced_slot ? other_ops : anon_ops);
	}
	return pipe;
}

START_TEST(pipe_ring_wraps)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_pipe pp = { 0 };
	uint64_t pipe;

	pipe_types(f);
	fake_symbol(f, "anon_pipe_buf_ops", 0xffffffff82000000ull);
	/* ring of 4, tail 6 head 9: slots 2, 3, 0; slot 3 spliced */
	pipe = make_pipe(f, 4, 6, 9, 0xffffffff82000000ull, 0xffffffff82000100ull, 3);
	fake_put_u64(f, pipe + PI_TMP, 0xffffea0000009000ull);
	ck_assert_ptr_null(ms_pipe_read_ring(t, pipe, &pp));
	ck_assert_uint_eq(pp.ring_size, 4);
	ck_assert_uint_eq(pp.head - pp.tail, 3);
	ck_assert_uint_eq(pp.pages, 2);
	ck_assert_uint_eq(pp.spliced, 1);
	ck_assert(pp.tmp_page);
	ck_assert_uint_eq(pp.bytes, 102 + 103 + 100);
	fake_free(f);
}
END_TEST

START_TEST(pipe_ring_corrupt)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_pipe pp;
	struct ms_error *err;
	uint64_t pipe;

	pipe_types(f);
	/* not a power of two */
	memset(&pp, 0, sizeof(pp));
	pipe = make_pipe(f, 4, 0, 2, 0, 0, 99);
	fake_put_u32(f, pipe + PI_RING, 3);
	err = ms_pipe_read_ring(t, pipe, &pp);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);
	/* more occupied slots than the ring has (head ran past tail + size) */
	memset(&pp, 0, sizeof(pp));
	pipe = make_pipe(f, 4, 0, 2, 0, 0, 99);
	fake_put_u32(f, pipe + PI_HEAD, 4000000000u);
	err = ms_pipe_read_ring(t, pipe, &pp);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "make no ring"));
	ms_error_destroy(err);
	/* a ring larger than any pipe can be */
	memset(&pp, 0, sizeof(pp));
	fake_put_u32(f, pipe + PI_HEAD, 2);
	fake_put_u32(f, pipe + PI_RING, 1u << 30);
	err = ms_pipe_read_ring(t, pipe, &pp);
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ms_error_destroy(err);
	/* its buffers are not in the dump: the read's own error */
	memset(&pp, 0, sizeof(pp));
	pipe = make_pipe(f, 4, 0, 2, 0, 0, 99);
	{
		uint64_t bufs = 0;

		ck_assert_ptr_null(ms_read_u64(t, pipe + PI_BUFS, &bufs));
		fake_missing(f, bufs, 4 * PB_SIZE);
	}
	err = ms_pipe_read_ring(t, pipe, &pp);
	ck_assert(ms_error_is(err, MS_ERR_MISSING));
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* ---- fd tables ---- */

#define T_FILES 0x40
#define FS_FDT 0x20
#define FT_MAX 0
#define FT_FD 8
#define F_INODE 0x20
#define F_PRIV 0x28
#define I_MODE 0
#define I_INO 0x40
#define I_PIPE 0x50

static void file_types(struct fake *f)
{
	fake_member(f, "task_struct", "files", T_FILES, 8);
	fake_member(f, "files_struct", "fdt", FS_FDT, 8);
	fake_member(f, "fdtable", "max_fds", FT_MAX, 4);
	fake_member(f, "fdtable", "fd", FT_FD, 8);
	fake_member(f, "file", "f_inode", F_INODE, 8);
	fake_member(f, "file", "private_data", F_PRIV, 8);
	fake_member(f, "inode", "i_mode", I_MODE, 2);
	fake_member(f, "inode", "i_ino", I_INO, 8);
	fake_member(f, "inode", "i_pipe", I_PIPE, 8);
}

static uint64_t make_file(struct fake *f, uint32_t mode, uint64_t ino, uint64_t pipe)
{
	uint64_t file = fake_alloc(f, 0x40), inode = fake_alloc(f, 0x60);
	uint16_t m = (uint16_t)mode;

	fake_put_u64(f, file + F_INODE, inode);
	fake_put(f, inode + I_MODE, &m, 2);
	fake_put_u64(f, inode + I_INO, ino);
	fake_put_u64(f, inode + I_PIPE, pipe);
	return file;
}

/* A task with max_fds descriptors, fds[i] its files (0: closed). */
static uint64_t make_task(struct fake *f, uint32_t max_fds, const uint64_t *fds, unsigned int n)
{
	uint64_t task = fake_alloc(f, 0x80), files = fake_alloc(f, 0x40);
	uint64_t fdt = fake_alloc(f, 0x20), arr = fake_alloc(f, (size_t)max_fds * 8 + 8);

	fake_put_u64(f, task + T_FILES, files);
	fake_put_u64(f, files + FS_FDT, fdt);
	fake_put_u32(f, fdt + FT_MAX, max_fds);
	fake_put_u64(f, fdt + FT_FD, arr);
	for (unsigned int i = 0; i < n; i++)
		fake_put_u64(f, arr + 8ull * i, fds[i]);
	return task;
}

struct seen {
	unsigned int n, fifo;
	uint64_t ino_sum;
};

static struct ms_error *count_file(struct ms_target *t, const struct ms_file *fl, void *arg)
{
	struct seen *s = arg;

	(void)t;
	s->n++;
	s->fifo += (fl->mode & MS_S_IFMT) == MS_S_IFIFO;
	s->ino_sum += fl->ino;
	return NULL;
}

START_TEST(fd_table)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t fds[300] = { 0 };
	struct seen s = { 0 };
	bool complete;
	char why[96];
	uint64_t task, fdt;
	struct ms_error *err;

	file_types(f);
	/* across the 256-pointer chunk: fds 0, 5 and 299 */
	fds[0] = make_file(f, 0100644, 11, 0);
	fds[5] = make_file(f, 0010600, 22, 0x1000);
	fds[299] = make_file(f, 0140777, 33, 0);
	task = make_task(f, 300, fds, 300);
	ck_assert_ptr_null(ms_task_files(t, task, count_file, &s, &complete, why, sizeof(why)));
	ck_assert(complete);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.fifo, 1);
	ck_assert_uint_eq(s.ino_sum, 66);
	/* a file whose inode is not in the dump: the others still, and why */
	memset(&s, 0, sizeof(s));
	{
		uint64_t inode;

		ck_assert_ptr_null(ms_read_u64(t, fds[5] + F_INODE, &inode));
		fake_missing(f, inode, 0x60);
	}
	ck_assert_ptr_null(ms_task_files(t, task, count_file, &s, &complete, why, sizeof(why)));
	ck_assert(!complete);
	ck_assert_uint_eq(s.n, 2);
	ck_assert_ptr_nonnull(strstr(why, "fd 5"));
	/* max_fds beyond NR_OPEN: corrupt, nothing visited */
	{
		uint64_t files;

		ck_assert_ptr_null(ms_read_u64(t, task + T_FILES, &files));
		ck_assert_ptr_null(ms_read_u64(t, files + FS_FDT, &fdt));
	}
	fake_put_u32(f, fdt + FT_MAX, 0x7fffffff);
	memset(&s, 0, sizeof(s));
	err = ms_task_files(t, task, count_file, &s, &complete, why, sizeof(why));
	ck_assert(ms_error_is(err, MS_ERR_CORRUPT));
	ck_assert_uint_eq(s.n, 0);
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

START_TEST(pipes_dedupe_and_partial)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_task tv[2];
	struct ms_tasks ts = { .nr = 2, .v = tv, .complete = true };
	struct ms_pipes p;
	uint64_t good, bad, fds0[3], fds1[2];

	pipe_types(f);
	file_types(f);
	good = make_pipe(f, 16, 0, 5, 0, 0, 99);		/* 5 pages */
	bad = make_pipe(f, 16, 0, 2, 0, 0, 99);
	fake_put_u32(f, bad + PI_RING, 12);			/* not a power of two */
	/* task 0: both ends of the good pipe and the bad one; task 1: the good one */
	fds0[0] = make_file(f, 0010600, 7, good);
	fds0[1] = make_file(f, 0010600, 7, good);
	fds0[2] = make_file(f, 0010600, 8, bad);
	fds1[0] = make_file(f, 0010600, 7, good);
	fds1[1] = make_file(f, 0100644, 9, 0);			/* a regular file */
	memset(tv, 0, sizeof(tv));
	tv[0].addr = make_task(f, 3, fds0, 3);
	tv[0].pid = tv[0].tgid = 10;
	strcpy(tv[0].comm, "writer");
	tv[1].addr = make_task(f, 2, fds1, 2);
	tv[1].pid = tv[1].tgid = 11;
	strcpy(tv[1].comm, "reader");
	ck_assert_ptr_null(ms_pipes_read(t, &ts, true, &p));
	ck_assert_uint_eq(p.nr, 2);
	ck_assert_uint_eq(p.pages, 5);		/* each pipe once; the bad one counts nothing */
	ck_assert(!p.complete);
	ck_assert_ptr_nonnull(strstr(p.why, "make no ring"));
	for (size_t i = 0; i < p.nr; i++) {
		const struct ms_pipe *pp = &p.v[i];

		if (pp->ino == 7) {
			ck_assert(pp->complete);
			ck_assert_uint_eq(pp->nr_holders, 2);
			ck_assert_uint_eq(p.holders[pp->first_holder].nr_fds, 2);
			ck_assert_str_eq(p.holders[pp->first_holder].comm, "writer");
			ck_assert_uint_eq(p.holders[pp->first_holder + 1].nr_fds, 1);
		} else {
			ck_assert_uint_eq(pp->ino, 8);
			ck_assert(!pp->complete);
		}
	}
	ms_pipes_free(&p);
	fake_free(f);
}
END_TEST

/* ---- vmap areas ---- */

#define VA_START 0
#define VA_END 8
#define VA_LIST 40
#define VA_VM 56
#define VM_ADDR 8
#define VM_SIZE 16
#define VM_FLAGS 24
#define VM_NR 40
#define VM_PHYS 48
#define VM_CALLER 56

static void vmap_types(struct fake *f)
{
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
	fake_member(f, "vmap_area", "va_start", VA_START, 8);
	fake_member(f, "vmap_area", "va_end", VA_END, 8);
	fake_member(f, "vmap_area", "list", VA_LIST, 16);
	fake_member(f, "vmap_area", "vm", VA_VM, 8);
	fake_member(f, "vm_struct", "addr", VM_ADDR, 8);
	fake_member(f, "vm_struct", "size", VM_SIZE, 8);
	fake_member(f, "vm_struct", "flags", VM_FLAGS, 8);
	fake_member(f, "vm_struct", "nr_pages", VM_NR, 4);
	fake_member(f, "vm_struct", "phys_addr", VM_PHYS, 8);
	fake_member(f, "vm_struct", "caller", VM_CALLER, 8);
}

static uint64_t make_area(struct fake *f, uint64_t start, uint64_t size, uint32_t pages,
			  uint64_t caller)
{
	uint64_t va = fake_alloc(f, 64), vm = fake_alloc(f, 64);

	fake_put_u64(f, va + VA_START, start);
	fake_put_u64(f, va + VA_END, start + size);
	fake_put_u64(f, va + VA_VM, vm);
	fake_put_u64(f, vm + VM_ADDR, start);
	fake_put_u64(f, vm + VM_SIZE, size);
	fake_put_u64(f, vm + VM_FLAGS, MS_VM_ALLOC);
	fake_put_u32(f, vm + VM_NR, pages);
	fake_put_u64(f, vm + VM_CALLER, caller);
	return va;
}

static void link_list(struct fake *f, uint64_t head, const uint64_t *va, unsigned int n)
{
	uint64_t prev = head;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t node = va[i] + VA_LIST;

		fake_put_u64(f, prev, node);
		fake_put_u64(f, node + 8, prev);
		prev = node;
	}
	fake_put_u64(f, prev, head);
	fake_put_u64(f, head + 8, prev);
}

START_TEST(vmap_by_caller)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	struct ms_vmalloc vm;
	uint64_t head = fake_alloc(f, 16), va[3];

	vmap_types(f);
	fake_symbol(f, "vmap_area_list", head);
	fake_symbol(f, "func_a", 0xffffffff81000000ull);
	fake_symbol(f, "func_b", 0xffffffff81000018ull);
	va[0] = make_area(f, 0xffffc90000000000ull, 3 * 4096, 2, 0xffffffff81000010ull);
	va[1] = make_area(f, 0xffffc90000010000ull, 9 * 4096, 8, 0xffffffff81000020ull);
	va[2] = make_area(f, 0xffffc90000020000ull, 3 * 4096, 2, 0xffffffff81000010ull);
	link_list(f, head, va, 3);
	ck_assert_ptr_null(ms_vmalloc_read(t, &vm));
	ck_assert(vm.complete);
	ck_assert_uint_eq(vm.nr, 3);
	ck_assert_uint_eq(vm.pages, 12);
	ck_assert_uint_eq(vm.size, 15 * 4096);
	/* callers by function, largest first */
	ck_assert_uint_eq(vm.nr_callers, 2);
	ck_assert_str_eq(vm.callers[0].name, "func_b");
	ck_assert_str_eq(vm.callers[1].name, "func_a");
	ck_assert_uint_eq(vm.callers[0].size, 9 * 4096);
	ck_assert_uint_eq(vm.callers[1].areas, 2);
	ck_assert_uint_eq(vm.callers[1].pages, 4);
	ck_assert_uint_eq(vm.v[0].caller_idx, 1);
	ms_vmalloc_free(&vm);
	/* a cycle that never comes back to the head: partial, bounded */
	fake_put_u64(f, va[2] + VA_LIST, va[1] + VA_LIST);
	ck_assert_ptr_null(ms_vmalloc_read(t, &vm));
	ck_assert(!vm.complete);
	ck_assert_ptr_nonnull(strstr(vm.why, "cycle"));
	ck_assert_uint_ge(vm.nr, 3);
	ms_vmalloc_free(&vm);
	fake_free(f);
}
END_TEST

/* ---- the table and the split ---- */

static struct ms_error *c_ok(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	(void)c;
	it->pages = 100;
	ms_unc_add_holder(it, "small", 1, 1, 10);
	ms_unc_add_holder(it, "big", 2, 1, 90);
	return NULL;
}

static struct ms_error *c_absent(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	(void)c;
	(void)it;
	return ms_error_create(MS_ERR_LOOKUP, "not loaded");
}

static struct ms_error *c_fault(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	(void)c;
	it->pages = 5;		/* dropped: an error counts nothing */
	return ms_error_at(MS_ERR_FAULT, 0x1000, "cannot read");
}

static struct ms_error *c_bound(struct ms_unc_ctx *c, struct ms_unc_item *it)
{
	(void)c;
	it->pages = 500;
	it->state = MS_UNC_PARTIAL;
	snprintf(it->why, sizeof(it->why), "cut short");
	return NULL;
}

START_TEST(table_and_split)
{
	static const struct ms_unc_source src[] = {
		{ "a", "exact", "x", false, c_ok },
		{ "b", "absent", "x", false, c_absent },
		{ "c", "fault", "x", false, c_fault },
		{ "d", "bound", "x", true, c_bound },
	};
	struct fake *f = fake_new();
	struct ms_uncounted u;

	ck_assert_ptr_null(ms_uncounted_read_from(fake_target(f), src, 4, &u));
	ck_assert_uint_eq(u.nr, 4);
	ck_assert_int_eq(u.item[0].state, MS_UNC_OK);
	ck_assert_str_eq(u.item[0].holder[0].name, "big");
	ck_assert_int_eq(u.item[1].state, MS_UNC_ABSENT);
	ck_assert_str_eq(u.item[1].why, "not loaded");
	ck_assert_int_eq(u.item[2].state, MS_UNC_UNKNOWN);
	ck_assert_int_eq(u.item[2].pages, 0);
	ck_assert_int_eq(u.item[3].state, MS_UNC_PARTIAL);
	ck_assert(!u.complete);
	/* the bound claims only what the exact ones leave */
	ms_uncounted_split(&u, 300);
	ck_assert_int_eq(u.explained, 300);
	ck_assert_int_eq(u.unexplained, 0);
	ms_uncounted_split(&u, 1000);
	ck_assert_int_eq(u.explained, 600);
	ck_assert_int_eq(u.unexplained, 400);
	/* a negative remainder: the exact ones still count, bounds nothing */
	ms_uncounted_split(&u, -50);
	ck_assert_int_eq(u.explained, 100);
	ck_assert_int_eq(u.unexplained, -150);
	ms_uncounted_free(&u);
	fake_free(f);
}
END_TEST

START_TEST(holders_keep_largest)
{
	struct ms_unc_item it = { 0 };
	char name[16];

	for (unsigned int i = 0; i < 3 * MS_UNC_HOLDERS; i++) {
		snprintf(name, sizeof(name), "c%u", i);
		ms_unc_add_holder(&it, name, (int32_t)i, 1, i + 1);
	}
	ck_assert_uint_eq(it.nr_holders, MS_UNC_HOLDERS);
	ck_assert_uint_eq(it.holder[0].pages, 3 * MS_UNC_HOLDERS);
	for (size_t i = 1; i < it.nr_holders; i++)
		ck_assert_uint_ge(it.holder[i - 1].pages, it.holder[i].pages);
	ms_unc_add_holder(&it, "c0", 0, 1, 1000);	/* dropped before: comes back on top */
	ck_assert_str_eq(it.holder[0].name, "c0");
}
END_TEST

/* ---- dma-bufs ---- */

#define DB_SIZE 0
#define DB_EXP 8
#define DB_NODE 16

static uint64_t make_dmabuf(struct fake *f, uint64_t size, const char *exp)
{
	uint64_t b = fake_alloc(f, 64), name = fake_alloc(f, 32);

	fake_put(f, name, exp, strlen(exp) + 1);
	fake_put_u64(f, b + DB_SIZE, size);
	fake_put_u64(f, b + DB_EXP, name);
	return b;
}

START_TEST(dmabuf_by_exporter)
{
	struct fake *f = fake_new();
	struct ms_target *t = fake_target(f);
	uint64_t list = fake_alloc(f, 32), b[3], prev;
	struct ms_unc_ctx c = { .t = t };
	struct ms_unc_item it = { .state = MS_UNC_OK };

	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
	fake_member(f, "dma_buf", "size", DB_SIZE, 8);
	fake_member(f, "dma_buf", "exp_name", DB_EXP, 8);
	fake_member(f, "dma_buf", "list_node", DB_NODE, 16);
	/* 6.10+: the plain debugfs_list */
	fake_symbol(f, "debugfs_list", list);
	b[0] = make_dmabuf(f, 3 * 4096 + 1, "system");
	b[1] = make_dmabuf(f, 4096, "udmabuf");
	b[2] = make_dmabuf(f, 4096, "system");
	prev = list;
	for (int i = 0; i < 3; i++) {
		fake_put_u64(f, prev, b[i] + DB_NODE);
		fake_put_u64(f, b[i] + DB_NODE + 8, prev);
		prev = b[i] + DB_NODE;
	}
	fake_put_u64(f, prev, list);
	fake_put_u64(f, list + 8, prev);
	ck_assert_ptr_null(ms_unc_dmabuf(&c, &it));
	ck_assert_int_eq(it.state, MS_UNC_OK);
	ck_assert_int_eq(it.pages, 4 + 1 + 1);
	ck_assert_uint_eq(it.nr_holders, 2);
	ck_assert_str_eq(it.holder[0].name, "system");
	ck_assert_uint_eq(it.holder[0].pages, 5);
	ck_assert_uint_eq(it.holder[0].nr, 2);
	/* a broken link: what was walked, and why the rest is not */
	fake_put_u64(f, b[1] + DB_NODE, 0xdead0000ull);
	memset(&it, 0, sizeof(it));
	ck_assert_ptr_null(ms_unc_dmabuf(&c, &it));
	ck_assert_int_eq(it.state, MS_UNC_PARTIAL);
	ck_assert_int_eq(it.pages, 5);
	ck_assert_ptr_nonnull(strstr(it.why, "unreadable"));
	fake_free(f);
}
END_TEST

static Suite *consumers_suite(void)
{
	Suite *s = suite_create("consumers");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, pipe_ring_wraps);
	tcase_add_test(tc, pipe_ring_corrupt);
	tcase_add_test(tc, fd_table);
	tcase_add_test(tc, vmap_by_caller);
	tcase_add_test(tc, table_and_split);
	tcase_add_test(tc, holders_keep_largest);
	tcase_add_test(tc, dmabuf_by_exporter);
	tcase_add_test(tc, pipes_dedupe_and_partial);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(consumers_suite)
