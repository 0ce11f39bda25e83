/*
 * test_shmem.c - shmem superblocks and their pages from a synthetic kernel:
 * limits and resident pages, a broken inode list said with its cause, and the
 * errors that leave nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "fake_target.h"
#include "shmem.h"
#include "suites.h"

/* Offsets of a made-up kernel (only names matter to shmem.c). */
#define SB_LIST 0
#define SB_TYPE 16
#define SB_OP 24
#define SB_FS_INFO 32
#define SB_INODES 40
#define SB_SIZE 64
#define SI_MAX_BLOCKS 0
#define SI_USED_BLOCKS 8	/* struct percpu_counter { s64 count; } */
#define SI_MAX_INODES 16
#define SI_FREE_INODES 24
#define SI_SIZE 32
#define IN_SB_LIST 0
#define IN_DATA 16
#define AS_NRPAGES 8
#define AS_I_MMAP 16
#define IN_SIZE 48

struct kernel {
	struct fake *f;
	uint64_t head, shmem_fs_type, shmem_ops, last;
};

static void link(struct fake *f, uint64_t a, uint64_t b)
{
	fake_put_u64(f, a, b);
	fake_put_u64(f, b + 8, a);
}

static void shmem_types(struct fake *f)
{
	fake_member(f, "list_head", "next", 0, 8);
	fake_member(f, "list_head", "prev", 8, 8);
	fake_struct(f, "super_block", SB_SIZE);
	fake_member(f, "super_block", "s_list", SB_LIST, 16);
	fake_member(f, "super_block", "s_type", SB_TYPE, 8);
	fake_member(f, "super_block", "s_op", SB_OP, 8);
	fake_member(f, "super_block", "s_fs_info", SB_FS_INFO, 8);
	fake_member(f, "super_block", "s_inodes", SB_INODES, 16);
	fake_member(f, "file_system_type", "name", 0, 8);
	fake_member(f, "shmem_sb_info", "max_blocks", SI_MAX_BLOCKS, 8);
	fake_member(f, "shmem_sb_info", "used_blocks", SI_USED_BLOCKS, 8);
	fake_member(f, "shmem_sb_info", "max_inodes", SI_MAX_INODES, 8);
	fake_member(f, "shmem_sb_info", "free_inodes", SI_FREE_INODES, 8);
	fake_member(f, "percpu_counter", "count", 0, 8);
	fake_member(f, "inode", "i_sb_list", IN_SB_LIST, 16);
	fake_member(f, "inode", "i_data", IN_DATA, 24);
	fake_member(f, "address_space", "nrpages", AS_NRPAGES, 8);
	fake_member(f, "address_space", "i_mmap", AS_I_MMAP, 8);
	fake_member(f, "rb_root", "rb_node", 0, 8);
}

static void kernel_new(struct kernel *k)
{
	uint64_t name = fake_alloc(k->f, 16);

	fake_basic_kernel(k->f, 1, 1, 1);
	shmem_types(k->f);
	k->head = k->last = fake_alloc(k->f, 16);
	link(k->f, k->head, k->head);
	fake_symbol(k->f, "super_blocks", k->head);
	k->shmem_fs_type = fake_alloc(k->f, 16);
	fake_put(k->f, name, "tmpfs", 6);
	fake_put_u64(k->f, k->shmem_fs_type, name);
	fake_symbol(k->f, "shmem_fs_type", k->shmem_fs_type);
	k->shmem_ops = fake_alloc(k->f, 16);
	fake_symbol(k->f, "shmem_ops", k->shmem_ops);
}

/* A superblock on super_blocks with a size limit and inodes of pages[i] pages,
 * the mapped ones holding a VMA. */
static uint64_t add_sb(struct kernel *k, bool shmem, uint64_t max_blocks, uint64_t used,
		       const uint64_t *pages, const bool *mapped, unsigned int nr)
{
	uint64_t sb = fake_alloc(k->f, SB_SIZE), info = fake_alloc(k->f, SI_SIZE);
	uint64_t prev = sb + SB_INODES;

	fake_put_u64(k->f, sb + SB_TYPE, k->shmem_fs_type);
	fake_put_u64(k->f, sb + SB_OP, shmem ? k->shmem_ops : 0x1234);
	fake_put_u64(k->f, sb + SB_FS_INFO, info);
	fake_put_u64(k->f, info + SI_MAX_BLOCKS, max_blocks);
	fake_put_u64(k->f, info + SI_USED_BLOCKS, used);
	fake_put_u64(k->f, info + SI_MAX_INODES, 100);
	fake_put_u64(k->f, info + SI_FREE_INODES, 100 - nr);
	for (unsigned int i = 0; i < nr; i++) {
		uint64_t inode = fake_alloc(k->f, IN_SIZE);

		fake_put_u64(k->f, inode + IN_DATA + AS_NRPAGES, pages[i]);
		fake_put_u64(k->f, inode + IN_DATA + AS_I_MMAP, mapped[i] ? 0xffff888000001000ull : 0);
		link(k->f, prev, inode + IN_SB_LIST);
		prev = inode + IN_SB_LIST;
	}
	link(k->f, prev, sb + SB_INODES);
	link(k->f, k->last, sb + SB_LIST);
	link(k->f, sb + SB_LIST, k->head);
	k->last = sb + SB_LIST;
	return sb;
}

START_TEST(test_superblocks_and_pages)
{
	static const uint64_t pages[] = { 100, 50, 7 };
	static const bool mapped[] = { false, true, false };
	struct kernel k = { .f = fake_new() };
	struct ms_tmpfs m;

	kernel_new(&k);
	add_sb(&k, true, 1000, 157, pages, mapped, 3);
	add_sb(&k, false, 0, 0, pages, mapped, 1);	/* not shmem: left out */
	ck_assert_ptr_null(ms_tmpfs_read(fake_target(k.f), &m));
	ck_assert(m.sb_list_complete);
	ck_assert_uint_eq(m.nr, 1);
	ck_assert_str_eq(m.sbs[0].fstype, "tmpfs");
	ck_assert(m.sbs[0].is_tmpfs && m.sbs[0].info_ok && m.sbs[0].pages_ok);
	ck_assert_uint_eq(m.sbs[0].max_blocks, 1000);
	ck_assert_uint_eq(m.sbs[0].used_blocks, 157);
	ck_assert_uint_eq(m.sbs[0].nr_inodes, 3);
	ck_assert_uint_eq(m.sbs[0].nr_pages, 157);
	ck_assert(m.sbs[0].unmapped_ok);
	ck_assert_uint_eq(m.sbs[0].unmapped_pages, 107);
	ck_assert_uint_eq(ms_tmpfs_pages_total(&m), 157);
	ck_assert_uint_eq(ms_tmpfs_used_total(&m), 157);
	/* No mount namespace in this kernel: said, not fatal. */
	ck_assert(!m.mnt_list_complete);
	ck_assert_ptr_nonnull(strstr(fake_warnings(k.f), "mount points unknown"));
	ms_tmpfs_free(&m);
	fake_free(k.f);
}
END_TEST

/* An inode list into memory the dump lacks: pages undercounted, and why. */
START_TEST(test_broken_inode_list_says_why)
{
	static const uint64_t pages[] = { 100, 50 };
	static const bool mapped[] = { false, false };
	struct kernel k = { .f = fake_new() };
	struct ms_tmpfs m;
	uint64_t sb;

	kernel_new(&k);
	sb = add_sb(&k, true, 0, 0, pages, mapped, 2);
	fake_put_u64(k.f, sb + SB_INODES, 0xdead000000000000ull);
	ck_assert_ptr_null(ms_tmpfs_read(fake_target(k.f), &m));
	ck_assert_uint_eq(m.nr, 1);
	ck_assert(!m.sbs[0].pages_ok && !m.sbs[0].unmapped_ok);
	ck_assert_ptr_nonnull(strstr(fake_warnings(k.f), "s_inodes unreadable after 0 inodes: "
				     "pages undercounted: read of 8 bytes at 0xdead000000000000"));
	ms_tmpfs_free(&m);
	fake_free(k.f);
}
END_TEST

START_TEST(test_no_shmem_is_an_error)
{
	struct fake *f = fake_new();
	struct ms_tmpfs m;
	struct ms_error *err;

	shmem_types(f);
	err = ms_tmpfs_read(fake_target(f), &m);
	ck_assert(ms_error_is(err, MS_ERR_LOOKUP));
	ck_assert_str_eq(ms_error_string(err), "no symbol shmem_fs_type: kernel without CONFIG_SHMEM?");
	ck_assert_uint_eq(m.nr, 0);
	ms_error_destroy(err);
	fake_free(f);

	f = fake_new();		/* a new target: look-ups are memoized */
	shmem_types(f);
	fake_symbol(f, "shmem_fs_type", fake_alloc(f, 16));
	err = ms_tmpfs_read(fake_target(f), &m);
	ck_assert_str_eq(ms_error_string(err), "no symbol super_blocks");
	ms_error_destroy(err);
	fake_free(f);
}
END_TEST

/* The commit charge (shmem_acct_block / shmem_acct_size): alloced pages of a
 * VM_NORESERVE inode, its size in pages for the others; an inode whose
 * shmem_inode_info cannot be read makes the sum partial, said by committed_ok. */
#define SII_FLAGS 8
#define SII_ALLOCED 16
#define SII_VFS_INODE 64
#define IN_I_SIZE 40

START_TEST(test_commit_charge)
{
	static const uint64_t pages[] = { 25, 3 };
	static const bool mapped[] = { false, false };
	struct kernel k = { .f = fake_new() };
	uint64_t sb, inode[2], info[2];
	struct ms_tmpfs m;

	kernel_new(&k);
	fake_member(k.f, "inode", "i_size", IN_I_SIZE, 8);
	fake_member(k.f, "shmem_inode_info", "flags", SII_FLAGS, 8);
	fake_member(k.f, "shmem_inode_info", "alloced", SII_ALLOCED, 8);
	fake_member(k.f, "shmem_inode_info", "vfs_inode", SII_VFS_INODE, IN_SIZE);
	sb = add_sb(&k, true, 0, 0, pages, mapped, 2);
	/* Move the two inodes into shmem_inode_infos, keeping the list. */
	for (int i = 0; i < 2; i++) {
		uint64_t next, prev, old = 0;

		info[i] = fake_alloc(k.f, SII_VFS_INODE + IN_SIZE);
		inode[i] = info[i] + SII_VFS_INODE;
		ck_assert_ptr_null(ms_read_u64(fake_target(k.f), (i ? inode[0] : sb + SB_INODES) +
					       (i ? IN_SB_LIST : 0), &old));
		ms_read_u64(fake_target(k.f), old, &next);
		ms_read_u64(fake_target(k.f), old + 8, &prev);
		fake_put_u64(k.f, inode[i] + IN_DATA + AS_NRPAGES, pages[i]);
		link(k.f, prev, inode[i] + IN_SB_LIST);
		link(k.f, inode[i] + IN_SB_LIST, next);
	}
	fake_put_u64(k.f, info[0] + SII_FLAGS, 0x00200000);	/* VM_NORESERVE: a tmpfs file */
	fake_put_u64(k.f, info[0] + SII_ALLOCED, 30);
	fake_put_u64(k.f, inode[1] + IN_I_SIZE, 10 * 4096 + 1);	/* SysV shm: its size */
	ck_assert_ptr_null(ms_tmpfs_read(fake_target(k.f), &m));
	ck_assert_uint_eq(m.nr, 1);
	ck_assert_uint_eq(m.sbs[0].nr_inodes, 2);
	ck_assert(m.sbs[0].committed_ok);
	ck_assert_uint_eq(m.sbs[0].committed, 30 + 11);
	ms_tmpfs_free(&m);

	fake_missing(k.f, info[0] + SII_FLAGS, 8);
	ck_assert_ptr_null(ms_tmpfs_read(fake_target(k.f), &m));
	ck_assert(!m.sbs[0].committed_ok);
	ck_assert(m.sbs[0].pages_ok);
	ms_tmpfs_free(&m);
	fake_free(k.f);
}
END_TEST

static Suite *shmem_suite(void)
{
	Suite *s = suite_create("shmem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_superblocks_and_pages);
	tcase_add_test(tc, test_broken_inode_list_says_why);
	tcase_add_test(tc, test_no_shmem_is_an_error);
	tcase_add_test(tc, test_commit_charge);
	suite_add_tcase(s, tc);
	return s;
}
MS_SUITE(shmem_suite)
