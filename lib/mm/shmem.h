/*
 * shmem.h - tmpfs/shmem usage per superblock, and where each is mounted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_SHMEM_H
#define MEMSCOPE_SHMEM_H

#include "target.h"

#define MS_TMPFS_NAME_LEN 64
#define MS_TMPFS_PATH_LEN 512

struct ms_tmpfs_mount {
	uint64_t mnt;			/* struct mount */
	char devname[MS_TMPFS_NAME_LEN];	/* mount.mnt_devname */
	char path[MS_TMPFS_PATH_LEN];	/* the mount point, from the namespace root */
};

/* One superblock whose s_op is shmem_ops: tmpfs, and rootfs/devtmpfs on shmem. */
struct ms_tmpfs_sb {
	uint64_t sb;
	char fstype[MS_TMPFS_NAME_LEN];	/* s_type->name */
	bool is_tmpfs;			/* s_type == &shmem_fs_type */
	bool internal_shm;		/* shm_mnt: SysV shm, memfd, shared anonymous */
	bool info_ok;			/* shmem_sb_info read */
	uint64_t max_blocks;		/* 0: unlimited, and used_blocks is not kept */
	uint64_t used_blocks;		/* percpu_counter_sum(&used_blocks), pages */
	uint64_t max_inodes, free_inodes;
	bool pages_ok;			/* s_inodes walked to the end */
	uint64_t nr_inodes;
	uint64_t nr_pages;		/* sum of i_data.nrpages: resident shmem pages */
	bool unmapped_ok;
	uint64_t unmapped_pages;	/* of nr_pages, in files no process maps (!mapping_mapped()) */
	bool committed_ok;
	uint64_t committed;		/* pages its inodes charge to Committed_AS */
	unsigned int nr_mounts;
	struct ms_tmpfs_mount *mounts;	/* in the initial mount namespace */
};

struct ms_tmpfs {
	unsigned int nr;
	struct ms_tmpfs_sb *sbs;	/* super_blocks order */
	bool sb_list_complete, mnt_list_complete;
	bool shmem_ok;
	uint64_t shmem_pages;		/* meminfo Shmem: NR_SHMEM, all nodes, exact */
};

/* Read every shmem superblock and the initial namespace's mounts: NULL (the
 * *_complete and *_ok flags tell what is partial, said on t->errf), or the
 * error that left nothing (no super_block layout, no shmem_fs_type or
 * super_blocks, no memory); m is empty then. */
struct ms_error *ms_tmpfs_read(struct ms_target *t, struct ms_tmpfs *m);
void ms_tmpfs_free(struct ms_tmpfs *m);

/* Sum over superblocks of used_blocks (only those that keep it) and of nrpages. */
uint64_t ms_tmpfs_used_total(const struct ms_tmpfs *m);
uint64_t ms_tmpfs_pages_total(const struct ms_tmpfs *m);

#endif
