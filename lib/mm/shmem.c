/*
 * shmem.c - tmpfs/shmem superblocks: their limits, their usage, their mounts.
 *
 * Superblocks come from super_blocks (fs/super.c), the shmem ones being
 * those with s_op == &shmem_ops (mm/shmem.c): user tmpfs mounts and the
 * internal shm_mnt have s_type == &shmem_fs_type; rootfs and devtmpfs are
 * shmem too under their own file_system_type.  For each:
 *   used_blocks   percpu_counter_sum(&sbinfo->used_blocks) as df/statfs
 *                 (shmem_statfs) sees it; kept only if max_blocks != 0
 *                 (shmem_inode_acct_block).  shm_mnt, a kern_mount()
 *                 (SB_KERNMOUNT), has no limit; rootfs and devtmpfs get
 *                 the default one (half of RAM) in 6.1.
 *   nr_pages      sum of inode->i_data.nrpages over s_inodes: the pages
 *                 NR_SHMEM counts (shmem_add_to_page_cache), on every one.
 * Mount points come from the initial task's mount namespace, rebuilt like
 * prepend_path() (fs/d_path.c) from mnt_mountpoint / d_parent / mnt_parent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kernel.h"
#include "list.h"
#include "shmem.h"
#include "vma.h"
#include "vmstat.h"

#define MAX_SUPERS	(1u << 16)
#define MAX_MOUNTS	(1u << 16)
#define MAX_INODES	(1u << 22)
#define MAX_DEPTH	256		/* path components */
#define MAX_RB_DEPTH	64		/* an rbtree of MAX_MOUNTS nodes is at most 32 deep */

struct sb_layout {
	long s_list, s_type, s_op, s_fs_info, s_inodes;
	long fs_name;
	long max_blocks, used_blocks, max_inodes, free_inodes;
	unsigned long ispace_unit;	/* free_inodes counts this many bytes an inode */
	long pc_count, pc_counters;
	long i_sb_list, i_data, nrpages;
	long i_mmap_node;		/* i_data.i_mmap.rb_root.rb_node, -1 if unknown */
	long i_size, vfs_inode, info_flags, info_alloced;	/* the commit charge */
	uint64_t noreserve;		/* VM_NORESERVE */
	uint64_t shmem_ops, shmem_fs_type, shm_sb;
};

/* Where mapping_mapped() looks: address_space.i_mmap (an rb_root_cached since
 * 4.13, an rb_root before) .rb_node; NULL when no VMA maps the file. */
static long i_mmap_node_offset(struct ms_target *t)
{
	long i_mmap = ms_member_offset(t, "address_space", "i_mmap");
	long root = ms_member_offset(t, "rb_root_cached", "rb_root");
	long node = ms_member_offset(t, "rb_root", "rb_node");

	if (i_mmap < 0 || node < 0)
		return -1;
	return i_mmap + (root > 0 ? root : 0) + node;
}

/* A symbol's address, or 0 if the kernel has none (the caller falls back). */
static uint64_t symbol_or_0(struct ms_target *t, const char *name)
{
	struct ms_error *err;
	uint64_t addr;

	err = ms_symbol(t, name, &addr);
	ms_error_destroy(err);
	return err ? 0 : addr;
}

static struct ms_error *sb_layout(struct ms_target *t, struct sb_layout *l)
{
	struct ms_vm_flags vmf;

	l->s_list = ms_member_offset(t, "super_block", "s_list");
	l->s_type = ms_member_offset(t, "super_block", "s_type");
	l->s_op = ms_member_offset(t, "super_block", "s_op");
	l->s_fs_info = ms_member_offset(t, "super_block", "s_fs_info");
	l->s_inodes = ms_member_offset(t, "super_block", "s_inodes");
	l->fs_name = ms_member_offset(t, "file_system_type", "name");
	if (l->s_list < 0 || l->s_type < 0 || l->s_op < 0 || l->s_fs_info < 0 ||
	    l->fs_name < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct super_block (s_list, "
				       "s_type, s_op, s_fs_info)");
	l->shmem_fs_type = symbol_or_0(t, "shmem_fs_type");
	if (!l->shmem_fs_type)
		return ms_error_create(MS_ERR_LOOKUP, "no symbol shmem_fs_type: kernel without "
				       "CONFIG_SHMEM?");
	l->shmem_ops = symbol_or_0(t, "shmem_ops");
	if (!l->shmem_ops)
		ms_warn(t, "no symbol shmem_ops: only superblocks of type tmpfs are shown");
	l->max_blocks = ms_member_offset(t, "shmem_sb_info", "max_blocks");
	l->used_blocks = ms_member_offset(t, "shmem_sb_info", "used_blocks");
	l->max_inodes = ms_member_offset(t, "shmem_sb_info", "max_inodes");
	l->free_inodes = ms_member_offset(t, "shmem_sb_info", "free_inodes");
	l->ispace_unit = 1;
	if (l->free_inodes < 0) {
		/* 6.6+: free_ispace, in BOGO_INODE_SIZE (1024) units an inode
		 * (shmem_statfs(): f_ffree = free_ispace / BOGO_INODE_SIZE). */
		l->free_inodes = ms_member_offset(t, "shmem_sb_info", "free_ispace");
		l->ispace_unit = 1024;
	}
	l->pc_count = ms_member_offset(t, "percpu_counter", "count");
	l->pc_counters = ms_member_offset(t, "percpu_counter", "counters");
	if (l->max_blocks < 0 || l->used_blocks < 0 || l->max_inodes < 0 ||
	    l->free_inodes < 0 || l->pc_count < 0)
		ms_warn(t, "cannot resolve struct shmem_sb_info / percpu_counter: no limits");
	l->i_sb_list = ms_member_offset(t, "inode", "i_sb_list");
	l->i_data = ms_member_offset(t, "inode", "i_data");
	l->nrpages = ms_member_offset(t, "address_space", "nrpages");
	if (l->s_inodes < 0 || l->i_sb_list < 0 || l->i_data < 0 || l->nrpages < 0)
		ms_warn(t, "cannot resolve inode.i_sb_list / i_data.nrpages: no page counts");
	l->i_mmap_node = i_mmap_node_offset(t);
	l->i_size = ms_member_offset(t, "inode", "i_size");
	l->vfs_inode = ms_member_offset(t, "shmem_inode_info", "vfs_inode");
	l->info_flags = ms_member_offset(t, "shmem_inode_info", "flags");
	l->info_alloced = ms_member_offset(t, "shmem_inode_info", "alloced");
	ms_vm_flags(t, &vmf);
	l->noreserve = vmf.noreserve;
	return NULL;
}

/*
 * percpu_counter_sum() (lib/percpu_counter.c v6.1): count + every online CPU's
 * s32 (ms_sum_cpus()).  Without the per-cpu part (no counters member, no CPU facts, an
 * unreadable pointer) the sum is the count alone, as percpu_counter_read().
 */
static struct ms_error *percpu_counter_sum(struct ms_target *t, const struct sb_layout *l,
					   uint64_t pc, int64_t *sum)
{
	const unsigned int *cpus = NULL;
	const struct ms_kernel *k;
	unsigned int nr_cpus = 0;
	uint64_t counters = 0;
	struct ms_error *err;
	int64_t v;
	int32_t d;

	err = ms_read_s64(t, pc + l->pc_count, &v);
	if (err)
		return err;
	err = ms_kernel_get(t, &k);
	if (!err && l->pc_counters >= 0) {
		cpus = ms_sum_cpus(k, &nr_cpus);
		err = ms_read_ptr(t, pc + l->pc_counters, &counters);
	}
	if (err) {
		ms_error_destroy(err);	/* the count alone */
		counters = 0;
	}
	for (unsigned int i = 0; counters && i < nr_cpus; i++) {
		err = ms_read_s32(t, ms_percpu_addr(k, counters, cpus[i]), &d);
		if (err)
			return err;
		v += d;
	}
	*sum = v;
	return NULL;
}

static void read_sbinfo(struct ms_target *t, const struct sb_layout *l, uint64_t info,
			struct ms_tmpfs_sb *s)
{
	struct ms_error *err;
	int64_t used;

	if (l->max_blocks < 0 || l->used_blocks < 0 || l->max_inodes < 0 || l->free_inodes < 0 ||
	    l->pc_count < 0 || !info)
		return;
	err = ms_read_u64(t, info + l->max_blocks, &s->max_blocks);
	if (!err)
		err = ms_read_u64(t, info + l->max_inodes, &s->max_inodes);
	if (!err)
		err = ms_read_u64(t, info + l->free_inodes, &s->free_inodes);
	if (!err)
		err = percpu_counter_sum(t, l, info + l->used_blocks, &used);
	if (err) {
		ms_warn_error(t, err, "superblock %#llx: cannot read shmem_sb_info %#llx",
			      (unsigned long long)s->sb, (unsigned long long)info);
		return;
	}
	s->free_inodes /= l->ispace_unit;
	s->used_blocks = used > 0 ? (uint64_t)used : 0;
	s->info_ok = true;
}

struct inode_walk {
	const struct sb_layout *l;
	struct ms_tmpfs_sb *s;
	bool mapped_bad;
	bool commit_bad;		/* an inode's commit charge could not be read */
};

/*
 * What an inode charges to Committed_AS (mm/shmem.c, 6.1 and 6.12): with
 * VM_NORESERVE (tmpfs files, memfd and MAP_NORESERVE) each block as it is
 * allocated (shmem_acct_block(), shmem_inode_acct_block(s)), so
 * info->alloced pages; without it (SysV shm, shared anonymous memory) its
 * whole size when made (shmem_acct_size(): VM_ACCT(i_size) pages).
 * True if the inode could not be read (the sum is then short).
 */
static bool inode_commit(struct ms_target *t, const struct sb_layout *l, uint64_t inode,
			 uint64_t *pages)
{
	uint64_t info = inode - (uint64_t)l->vfs_inode, flags, v;
	struct ms_error *err;

	*pages = 0;
	if (l->vfs_inode < 0 || l->info_flags < 0 || l->info_alloced < 0 || l->i_size < 0)
		return true;
	err = ms_read_u64(t, info + l->info_flags, &flags);
	if (!err && (flags & l->noreserve))
		err = ms_read_u64(t, info + l->info_alloced, pages);
	else if (!err) {
		err = ms_read_u64(t, inode + l->i_size, &v);
		*pages = (v + ms_page_size(t) - 1) >> t->page_shift;
	}
	if (!err)
		return false;
	*pages = 0;
	ms_error_destroy(err);
	return true;
}

/* One inode's pages; an unreadable nrpages stops the count (it would be low). */
static struct ms_error *add_inode(struct ms_target *t, uint64_t entry, void *arg)
{
	struct inode_walk *w = arg;
	uint64_t inode = entry - w->l->i_sb_list, nr, commit;
	struct ms_error *err;

	err = ms_read_u64(t, inode + w->l->i_data + w->l->nrpages, &nr);
	if (err)
		return err;
	w->s->nr_inodes++;
	w->s->nr_pages += nr;
	if (!w->commit_bad) {	/* once one is unreadable, the sum stays unknown */
		if (inode_commit(t, w->l, inode, &commit))
			w->commit_bad = true;
		else
			w->s->committed += commit;
	}
	if (w->l->i_mmap_node >= 0 && nr) {
		uint64_t node;

		err = ms_read_ptr(t, inode + w->l->i_data + w->l->i_mmap_node, &node);
		if (err)	/* unmapped_pages unknown: unmapped_ok says so */
			w->mapped_bad = true;
		else if (!node)		/* !mapping_mapped(): no process maps the file */
			w->s->unmapped_pages += nr;
		ms_error_destroy(err);
	}
	return NULL;
}

static void read_inodes(struct ms_target *t, const struct sb_layout *l, struct ms_tmpfs_sb *s)
{
	struct inode_walk w = { .l = l, .s = s };
	struct ms_list_result r;
	struct ms_error *err;

	if (l->s_inodes < 0 || l->i_sb_list < 0 || l->i_data < 0 || l->nrpages < 0)
		return;
	err = ms_list_visit(t, s->sb + l->s_inodes, MAX_INODES, MS_LIST_CHECK_PREV, add_inode, &w,
			    &r);
	if (err || r.status != MS_LIST_OK)
		ms_list_warn(t, err, "superblock %#llx: s_inodes %s after %llu inodes: pages "
			     "undercounted", (unsigned long long)s->sb,
			     r.status == MS_LIST_STOPPED ? "unreadable" :
			     ms_list_status_name(r.status), (unsigned long long)r.count);
	else
		s->pages_ok = true;
	s->unmapped_ok = s->pages_ok && l->i_mmap_node >= 0 && !w.mapped_bad;
	s->committed_ok = s->pages_ok && !w.commit_bad;
}

struct sb_walk {
	const struct sb_layout *l;
	struct ms_tmpfs *m;
	size_t cap;
};

/* A superblock of shmem's: its limits and pages.  An unreadable one is left out
 * (with a warning); only running out of memory stops the walk. */
static struct ms_error *add_sb(struct ms_target *t, uint64_t entry, void *arg)
{
	struct sb_walk *w = arg;
	const struct sb_layout *l = w->l;
	uint64_t sb = entry - l->s_list, type, op, info, name;
	struct ms_tmpfs_sb *s;
	struct ms_error *err;

	err = ms_read_ptr(t, sb + l->s_type, &type);
	if (!err)
		err = ms_read_ptr(t, sb + l->s_op, &op);
	if (err) {
		ms_warn_error(t, err, "cannot read superblock %#llx", (unsigned long long)sb);
		return NULL;
	}
	if (!(l->shmem_ops ? op == l->shmem_ops : type == l->shmem_fs_type))
		return 0;
	struct ms_tmpfs_sb *p = ms_grow(w->m->sbs, &w->cap, w->m->nr, sizeof(*p), 16);

	if (!p)
		return &ms_error_nomem;
	w->m->sbs = p;
	s = &w->m->sbs[w->m->nr++];
	memset(s, 0, sizeof(*s));
	s->sb = sb;
	s->is_tmpfs = type == l->shmem_fs_type;
	s->internal_shm = l->shm_sb && sb == l->shm_sb;
	/* The type's name is only a label: "?" (or what could be read) if not. */
	strcpy(s->fstype, "?");
	err = ms_read_ptr(t, type + l->fs_name, &name);
	if (!err)
		err = ms_read_str(t, name, s->fstype, sizeof(s->fstype));
	ms_error_destroy(err);
	err = ms_read_ptr(t, sb + l->s_fs_info, &info);
	if (err)	/* no limits: info_ok says so */
		ms_error_destroy(err);
	else
		read_sbinfo(t, l, info, s);
	read_inodes(t, l, s);
	return NULL;
}

/* The superblock of shm_mnt (mm/shmem.c), or 0 if it cannot be told: then no
 * superblock is marked as the internal one. */
static uint64_t shm_mnt_sb(struct ms_target *t)
{
	long mnt_sb = ms_member_offset(t, "vfsmount", "mnt_sb");
	uint64_t vfsmnt = 0, sb = 0;
	struct ms_error *err;

	if (mnt_sb < 0 || !ms_has_symbol(t, "shm_mnt"))
		return 0;
	err = ms_read_sym_uint(t, "shm_mnt", t->word_size, &vfsmnt);
	if (!err && vfsmnt)
		err = ms_read_ptr(t, vfsmnt + mnt_sb, &sb);
	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	return sb;
}

/* meminfo's Shmem: NR_SHMEM over the nodes, to set the superblocks' pages against
 * (m->shmem_ok false if it cannot be had: said when a read failed). */
static void read_shmem_pages(struct ms_target *t, struct ms_tmpfs *m)
{
	int idx = ms_stat_index(t, "NR_SHMEM");
	const struct ms_kernel *k;
	struct ms_counters c;
	struct ms_error *err;
	int64_t pages = 0;

	err = ms_kernel_get(t, &k);
	if (!err && idx < 0)
		return;
	for (unsigned int n = 0; !err && n < k->nr_nodes; n++) {
		err = ms_node_counters(t, k->pgdat[n], &c);
		if (err)
			err = ms_error_wrap(err, "node %d", k->node_id[n]);
		else
			pages += ms_counter(&c, idx);
	}
	if (err) {
		ms_warn_error(t, err, "Shmem total unknown");
		return;
	}
	m->shmem_pages = pages > 0 ? (uint64_t)pages : 0;
	m->shmem_ok = true;
}

/* The mounts of the initial namespace and their mount points. */
struct mnt_layout {
	long mnt_parent, mnt_mountpoint, mnt, mnt_list, mnt_devname;
	long mnt_root, mnt_sb, d_name, d_parent, qstr_name;
};

static struct ms_error *mnt_layout(struct ms_target *t, struct mnt_layout *l)
{
	l->mnt_parent = ms_member_offset(t, "mount", "mnt_parent");
	l->mnt_mountpoint = ms_member_offset(t, "mount", "mnt_mountpoint");
	l->mnt = ms_member_offset(t, "mount", "mnt");
	l->mnt_list = ms_member_offset(t, "mount", "mnt_list");
	l->mnt_devname = ms_member_offset(t, "mount", "mnt_devname");
	l->mnt_root = ms_member_offset(t, "vfsmount", "mnt_root");
	l->mnt_sb = ms_member_offset(t, "vfsmount", "mnt_sb");
	l->d_name = ms_member_offset(t, "dentry", "d_name");
	l->d_parent = ms_member_offset(t, "dentry", "d_parent");
	l->qstr_name = ms_member_offset(t, "qstr", "name");
	if (l->mnt_parent < 0 || l->mnt_mountpoint < 0 || l->mnt < 0 || l->mnt_list < 0 ||
	    l->mnt_devname < 0 || l->mnt_root < 0 || l->mnt_sb < 0 || l->d_name < 0 ||
	    l->d_parent < 0 || l->qstr_name < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct mount / vfsmount / "
				       "dentry");
	return NULL;
}

/* Put "/name" in front of the path being built backwards at buf[*pos]. */
static bool prepend(char *buf, size_t *pos, const char *name)
{
	size_t n = strlen(name);

	if (n + 1 > *pos)
		return false;
	*pos -= n;
	memcpy(buf + *pos, name, n);
	buf[--*pos] = '/';
	return true;
}

/* One step up from dentry d: its name and its parent. */
static struct ms_error *dentry_step(struct ms_target *t, const struct mnt_layout *l, uint64_t d,
				    char *name, size_t len, uint64_t *parent)
{
	struct ms_error *err;
	uint64_t np;

	err = ms_read_ptr(t, d + l->d_name + l->qstr_name, &np);
	if (!err)
		err = ms_read_str(t, np, name, len);
	if (!err)
		err = ms_read_ptr(t, d + l->d_parent, parent);
	return err;
}

/* prepend_path() for (mnt, its root): the path of mnt's mount point. */
static struct ms_error *mount_path(struct ms_target *t, const struct mnt_layout *l, uint64_t mnt,
				   char *out, size_t len)
{
	char buf[MS_TMPFS_PATH_LEN], name[256];
	size_t pos = sizeof(buf) - 1;
	uint64_t d, root, parent, p;
	struct ms_error *err;

	buf[pos] = '\0';
	err = ms_read_ptr(t, mnt + l->mnt + l->mnt_root, &d);
	for (int i = 0; !err && i < MAX_DEPTH; i++) {
		err = ms_read_ptr(t, mnt + l->mnt + l->mnt_root, &root);
		if (err)
			break;
		if (d == root) {	/* crossed to the mount point in the parent */
			err = ms_read_ptr(t, mnt + l->mnt_parent, &parent);
			if (err || parent == mnt || !parent)
				break;		/* parent == mnt: the namespace root */
			err = ms_read_ptr(t, mnt + l->mnt_mountpoint, &d);
			mnt = parent;
			continue;
		}
		err = dentry_step(t, l, d, name, sizeof(name), &p);
		if (err)
			break;
		if (!prepend(buf, &pos, name))
			return ms_error_create(MS_ERR_CORRUPT, "path longer than %zu bytes",
					       sizeof(buf) - 1);
		if (p == d)		/* IS_ROOT but not the mount's root: detached */
			break;
		d = p;
	}
	if (err)
		return err;
	snprintf(out, len, "%s", buf[pos] ? buf + pos : "/");
	return NULL;
}

struct mnt_walk {
	const struct mnt_layout *l;
	struct ms_tmpfs *m;
};

/* A mount of a shmem superblock: its device name and path.  One whose
 * superblock cannot be read is passed over; only running out of memory stops
 * the walk. */
static struct ms_error *add_mount(struct ms_target *t, uint64_t entry, void *arg)
{
	struct mnt_walk *w = arg;
	const struct mnt_layout *l = w->l;
	uint64_t mnt = entry - l->mnt_list, sb, dev;
	struct ms_tmpfs_mount *mp, *grown;
	struct ms_tmpfs_sb *s = NULL;
	struct ms_error *err;

	err = ms_read_ptr(t, mnt + l->mnt + l->mnt_sb, &sb);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	for (unsigned int i = 0; i < w->m->nr && !s; i++)
		if (w->m->sbs[i].sb == sb)
			s = &w->m->sbs[i];
	if (!s)
		return NULL;
	grown = realloc(s->mounts, (s->nr_mounts + 1) * sizeof(*grown));
	if (!grown)
		return &ms_error_nomem;
	s->mounts = grown;
	mp = &s->mounts[s->nr_mounts++];
	memset(mp, 0, sizeof(*mp));
	mp->mnt = mnt;
	err = ms_read_ptr(t, mnt + l->mnt_devname, &dev);
	if (!err)
		err = ms_read_str(t, dev, mp->devname, sizeof(mp->devname));
	if (err) {	/* only a label */
		ms_error_destroy(err);
		strcpy(mp->devname, "?");
	}
	err = mount_path(t, l, mnt, mp->path, sizeof(mp->path));
	if (err) {
		ms_warn_error(t, err, "mount %#llx: cannot rebuild its path",
			      (unsigned long long)mnt);
		strcpy(mp->path, "?");
	}
	return NULL;
}

/* 6.8+ keeps a namespace's mounts in an rbtree (mnt_namespace.mounts, by
 * mnt_id_unique through mount.mnt_node): in-order is the order of mounting,
 * the order of the 6.1 list.  Bounded in depth and in count. */
struct mnt_tree {
	struct mnt_walk *w;
	long node, left, right;		/* mount.mnt_node, rb_node.rb_left/rb_right */
	uint64_t count;
};

/* In-order from node: NULL, or what stopped the walk (a read, a tree too deep
 * or too big to be a mount tree, no memory). */
static struct ms_error *walk_mount_tree(struct ms_target *t, struct mnt_tree *mt, uint64_t node,
					int depth)
{
	uint64_t left, right;
	struct ms_error *err;

	if (!node)
		return NULL;
	if (depth > MAX_RB_DEPTH)
		return ms_error_at(MS_ERR_CORRUPT, node, "mount tree deeper than %d", MAX_RB_DEPTH);
	if (mt->count >= MAX_MOUNTS)
		return ms_error_create(MS_ERR_CORRUPT, "more than %u mounts", MAX_MOUNTS);
	err = ms_read_ptr(t, node + mt->left, &left);
	if (!err)
		err = ms_read_ptr(t, node + mt->right, &right);
	if (!err)
		err = walk_mount_tree(t, mt, left, depth + 1);
	if (err)
		return err;
	mt->count++;
	/* add_mount() takes the mount's mnt_list address. */
	err = add_mount(t, node - mt->node + mt->w->l->mnt_list, mt->w);
	if (err)
		return err;
	return walk_mount_tree(t, mt, right, depth + 1);
}

/* The 6.8+ tree of ns's mounts: true if walked to the end; else said (NULL),
 * or out of memory. */
static struct ms_error *read_mount_tree(struct ms_target *t, struct mnt_walk *w, uint64_t ns,
					bool *complete)
{
	struct mnt_tree mt = {
		.w = w,
		.node = ms_member_offset(t, "mount", "mnt_node"),
		.left = ms_member_offset(t, "rb_node", "rb_left"),
		.right = ms_member_offset(t, "rb_node", "rb_right"),
	};
	long mounts = ms_member_offset(t, "mnt_namespace", "mounts");
	long rb_node = ms_member_offset(t, "rb_root", "rb_node");
	struct ms_error *err;
	uint64_t root;

	*complete = false;
	if (mounts < 0 || rb_node < 0 || mt.node < 0 || mt.left < 0 || mt.right < 0) {
		ms_warn(t, "cannot resolve mnt_namespace.list or .mounts: no mount points");
		return NULL;
	}
	err = ms_read_ptr(t, ns + mounts + rb_node, &root);
	if (err) {
		ms_warn_error(t, err, "mount namespace %#llx: no mount points",
			      (unsigned long long)ns);
		return NULL;
	}
	err = walk_mount_tree(t, &mt, root, 0);
	if (ms_error_is(err, MS_ERR_NOMEM))
		return err;
	if (err)
		ms_warn_error(t, err, "mount namespace tree unreadable, too deep or too big after "
			      "%llu mounts", (unsigned long long)mt.count);
	*complete = !err;
	return NULL;
}

/* init_task.nsproxy->mnt_ns, the initial mount namespace: 0 after a warning. */
static uint64_t init_mnt_ns(struct ms_target *t)
{
	long nsproxy = ms_member_offset(t, "task_struct", "nsproxy");
	long mnt_ns = ms_member_offset(t, "nsproxy", "mnt_ns");
	uint64_t task, nsp, ns = 0;
	struct ms_error *err;

	if (nsproxy < 0 || mnt_ns < 0)
		err = ms_error_create(MS_ERR_LOOKUP, "no task_struct.nsproxy / nsproxy.mnt_ns");
	else
		err = ms_symbol(t, "init_task", &task);
	if (!err)
		err = ms_read_ptr(t, task + nsproxy, &nsp);
	if (!err)
		err = ms_read_ptr(t, nsp + mnt_ns, &ns);
	if (!err && !ns)
		err = ms_error_create(MS_ERR_CORRUPT, "init_task.nsproxy->mnt_ns is NULL");
	if (err) {
		ms_warn_error(t, err, "cannot find init_task's mount namespace: no mount points");
		return 0;
	}
	return ns;
}

/* The mounts of the initial namespace: NULL (m->mnt_list_complete tells whether
 * all were seen; what was not is said), or out of memory. */
static struct ms_error *read_mounts(struct ms_target *t, struct ms_tmpfs *m)
{
	long list = ms_member_offset(t, "mnt_namespace", "list");
	struct mnt_layout l;
	struct mnt_walk w = { .l = &l, .m = m };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t ns;

	err = mnt_layout(t, &l);
	if (err) {
		ms_warn_error(t, err, "mount points unknown");
		return NULL;
	}
	ns = init_mnt_ns(t);
	if (!ns)
		return NULL;
	if (list < 0)
		return read_mount_tree(t, &w, ns, &m->mnt_list_complete);
	err = ms_list_visit(t, ns + list, MAX_MOUNTS, MS_LIST_CHECK_PREV, add_mount, &w, &r);
	if (ms_error_is(err, MS_ERR_NOMEM))
		return err;
	m->mnt_list_complete = !err && r.status == MS_LIST_OK;
	if (!m->mnt_list_complete)
		ms_list_warn(t, err, "mount namespace list %s after %llu mounts",
			     ms_list_status_name(r.status), (unsigned long long)r.count);
	return NULL;
}

struct ms_error *ms_tmpfs_read(struct ms_target *t, struct ms_tmpfs *m)
{
	struct sb_layout l;
	struct sb_walk w = { .l = &l, .m = m };
	struct ms_list_result r;
	struct ms_error *err;
	uint64_t head;

	memset(m, 0, sizeof(*m));
	err = sb_layout(t, &l);
	if (!err)
		err = ms_symbol(t, "super_blocks", &head);
	if (err)
		return err;
	l.shm_sb = shm_mnt_sb(t);
	err = ms_list_visit(t, head, MAX_SUPERS, MS_LIST_CHECK_PREV, add_sb, &w, &r);
	if (ms_error_is(err, MS_ERR_NOMEM))
		goto fail;
	m->sb_list_complete = !err && r.status == MS_LIST_OK;
	if (!m->sb_list_complete)
		ms_list_warn(t, err, "super_blocks: list %s after %llu superblocks",
			     ms_list_status_name(r.status), (unsigned long long)r.count);
	err = read_mounts(t, m);
	if (err)
		goto fail;
	read_shmem_pages(t, m);
	return NULL;
fail:
	ms_tmpfs_free(m);
	return err;
}

void ms_tmpfs_free(struct ms_tmpfs *m)
{
	for (unsigned int i = 0; i < m->nr; i++)
		free(m->sbs[i].mounts);
	free(m->sbs);
	memset(m, 0, sizeof(*m));
}

uint64_t ms_tmpfs_used_total(const struct ms_tmpfs *m)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		if (m->sbs[i].info_ok && m->sbs[i].max_blocks)
			sum += m->sbs[i].used_blocks;
	return sum;
}

uint64_t ms_tmpfs_pages_total(const struct ms_tmpfs *m)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < m->nr; i++)
		sum += m->sbs[i].nr_pages;
	return sum;
}
