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

#include "kernel.h"
#include "list.h"
#include "shmem.h"
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

static int sb_layout(struct ms_target *t, struct sb_layout *l)
{
	l->s_list = ms_member_offset(t, "super_block", "s_list");
	l->s_type = ms_member_offset(t, "super_block", "s_type");
	l->s_op = ms_member_offset(t, "super_block", "s_op");
	l->s_fs_info = ms_member_offset(t, "super_block", "s_fs_info");
	l->s_inodes = ms_member_offset(t, "super_block", "s_inodes");
	l->fs_name = ms_member_offset(t, "file_system_type", "name");
	if (l->s_list < 0 || l->s_type < 0 || l->s_op < 0 || l->s_fs_info < 0 ||
	    l->fs_name < 0) {
		ms_warn(t, "cannot resolve struct super_block (s_list, s_type, s_op, s_fs_info)");
		return -1;
	}
	if (ms_symbol(t, "shmem_fs_type", &l->shmem_fs_type)) {
		ms_warn(t, "no symbol shmem_fs_type: kernel without CONFIG_SHMEM?");
		return -1;
	}
	if (ms_symbol(t, "shmem_ops", &l->shmem_ops)) {
		ms_warn(t, "no symbol shmem_ops: only superblocks of type tmpfs are shown");
		l->shmem_ops = 0;
	}
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
	return 0;
}

/* percpu_counter_sum() (lib/percpu_counter.c v6.1): count + every online CPU's s32. */
static int percpu_counter_sum(struct ms_target *t, const struct sb_layout *l, uint64_t pc,
			      int64_t *sum)
{
	const struct ms_kernel *k = ms_kernel(t);
	uint64_t counters;
	int64_t v;
	int32_t d;

	if (ms_read_s64(t, pc + l->pc_count, &v))
		return -1;
	if (l->pc_counters >= 0 && k && ms_read_ptr(t, pc + l->pc_counters, &counters) == 0 &&
	    counters) {
		for (unsigned int i = 0; i < k->nr_online; i++) {
			if (ms_read_s32(t, ms_percpu_addr(k, counters, k->online[i]), &d))
				return -1;
			v += d;
		}
	}
	*sum = v;
	return 0;
}

static void read_sbinfo(struct ms_target *t, const struct sb_layout *l, uint64_t info,
			struct ms_tmpfs_sb *s)
{
	int64_t used;

	if (l->max_blocks < 0 || l->used_blocks < 0 || l->max_inodes < 0 || l->free_inodes < 0 ||
	    l->pc_count < 0 || !info)
		return;
	if (ms_read_u64(t, info + l->max_blocks, &s->max_blocks) ||
	    ms_read_u64(t, info + l->max_inodes, &s->max_inodes) ||
	    ms_read_u64(t, info + l->free_inodes, &s->free_inodes) ||
	    percpu_counter_sum(t, l, info + l->used_blocks, &used)) {
		ms_warn(t, "superblock %#llx: cannot read shmem_sb_info %#llx",
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
	bool bad, mapped_bad;
};

static int add_inode(struct ms_target *t, uint64_t entry, void *arg)
{
	struct inode_walk *w = arg;
	uint64_t inode = entry - w->l->i_sb_list, nr;

	if (ms_read_u64(t, inode + w->l->i_data + w->l->nrpages, &nr)) {
		w->bad = true;
		return 1;
	}
	w->s->nr_inodes++;
	w->s->nr_pages += nr;
	if (w->l->i_mmap_node >= 0 && nr) {
		uint64_t node;

		if (ms_read_ptr(t, inode + w->l->i_data + w->l->i_mmap_node, &node))
			w->mapped_bad = true;
		else if (!node)		/* !mapping_mapped(): no process maps the file */
			w->s->unmapped_pages += nr;
	}
	return 0;
}

static void read_inodes(struct ms_target *t, const struct sb_layout *l, struct ms_tmpfs_sb *s)
{
	struct inode_walk w = { .l = l, .s = s };
	struct ms_list_result r;

	if (l->s_inodes < 0 || l->i_sb_list < 0 || l->i_data < 0 || l->nrpages < 0)
		return;
	ms_list_walk(t, s->sb + l->s_inodes, MAX_INODES, MS_LIST_CHECK_PREV, add_inode, &w, &r);
	if (w.bad || r.status != MS_LIST_OK)
		ms_warn(t, "superblock %#llx: s_inodes %s after %llu inodes: pages undercounted",
			(unsigned long long)s->sb, w.bad ? "unreadable" : ms_list_status_name(r.status),
			(unsigned long long)r.count);
	else
		s->pages_ok = true;
	s->unmapped_ok = s->pages_ok && l->i_mmap_node >= 0 && !w.mapped_bad;
}

struct sb_walk {
	const struct sb_layout *l;
	struct ms_tmpfs *m;
	unsigned int cap;
};

static int add_sb(struct ms_target *t, uint64_t entry, void *arg)
{
	struct sb_walk *w = arg;
	const struct sb_layout *l = w->l;
	uint64_t sb = entry - l->s_list, type, op, info, name;
	struct ms_tmpfs_sb *s;

	if (ms_read_ptr(t, sb + l->s_type, &type) || ms_read_ptr(t, sb + l->s_op, &op)) {
		ms_warn(t, "cannot read superblock %#llx", (unsigned long long)sb);
		return 0;
	}
	if (!(l->shmem_ops ? op == l->shmem_ops : type == l->shmem_fs_type))
		return 0;
	if (w->m->nr == w->cap) {
		unsigned int cap = w->cap ? 2 * w->cap : 16;
		struct ms_tmpfs_sb *p = realloc(w->m->sbs, cap * sizeof(*p));

		if (!p)
			return 1;
		w->m->sbs = p;
		w->cap = cap;
	}
	s = &w->m->sbs[w->m->nr++];
	memset(s, 0, sizeof(*s));
	s->sb = sb;
	s->is_tmpfs = type == l->shmem_fs_type;
	s->internal_shm = l->shm_sb && sb == l->shm_sb;
	strcpy(s->fstype, "?");
	if (ms_read_ptr(t, type + l->fs_name, &name) == 0)
		ms_read_str(t, name, s->fstype, sizeof(s->fstype));
	if (ms_read_ptr(t, sb + l->s_fs_info, &info) == 0)
		read_sbinfo(t, l, info, s);
	read_inodes(t, l, s);
	return 0;
}

/* The superblock of shm_mnt (mm/shmem.c), or 0. */
static uint64_t shm_mnt_sb(struct ms_target *t)
{
	long mnt_sb = ms_member_offset(t, "vfsmount", "mnt_sb");
	uint64_t vfsmnt, sb;

	if (mnt_sb < 0 || ms_read_sym_uint(t, "shm_mnt", 8, &vfsmnt) || !vfsmnt ||
	    ms_read_ptr(t, vfsmnt + mnt_sb, &sb))
		return 0;
	return sb;
}

static void read_shmem_pages(struct ms_target *t, struct ms_tmpfs *m)
{
	const struct ms_kernel *k = ms_kernel(t);
	int idx = ms_stat_index(t, "NR_SHMEM");
	struct ms_counters c;
	int64_t pages = 0;

	if (!k || idx < 0)
		return;
	for (unsigned int n = 0; n < k->nr_nodes; n++) {
		if (ms_node_counters(t, k->pgdat[n], &c))
			return;
		pages += ms_counter(&c, idx);
	}
	m->shmem_pages = pages > 0 ? (uint64_t)pages : 0;
	m->shmem_ok = true;
}

/* The mounts of the initial namespace and their mount points. */
struct mnt_layout {
	long mnt_parent, mnt_mountpoint, mnt, mnt_list, mnt_devname;
	long mnt_root, mnt_sb, d_name, d_parent, qstr_name;
};

static int mnt_layout(struct ms_target *t, struct mnt_layout *l)
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
	    l->d_parent < 0 || l->qstr_name < 0) {
		ms_warn(t, "cannot resolve struct mount / vfsmount / dentry: no mount points");
		return -1;
	}
	return 0;
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

/* prepend_path() for (mnt, its root): the path of mnt's mount point. */
static int mount_path(struct ms_target *t, const struct mnt_layout *l, uint64_t mnt,
		      char *out, size_t len)
{
	char buf[MS_TMPFS_PATH_LEN], name[256];
	size_t pos = sizeof(buf) - 1;
	uint64_t d, root, parent, p, np;

	buf[pos] = '\0';
	if (ms_read_ptr(t, mnt + l->mnt + l->mnt_root, &d))
		return -1;
	for (int i = 0; i < MAX_DEPTH; i++) {
		if (ms_read_ptr(t, mnt + l->mnt + l->mnt_root, &root))
			return -1;
		if (d == root) {	/* crossed to the mount point in the parent */
			if (ms_read_ptr(t, mnt + l->mnt_parent, &parent))
				return -1;
			if (parent == mnt || !parent)
				break;		/* the namespace root */
			if (ms_read_ptr(t, mnt + l->mnt_mountpoint, &d))
				return -1;
			mnt = parent;
			continue;
		}
		if (ms_read_ptr(t, d + l->d_name + l->qstr_name, &np) ||
		    ms_read_str(t, np, name, sizeof(name)) || ms_read_ptr(t, d + l->d_parent, &p))
			return -1;
		if (!prepend(buf, &pos, name))
			return -1;
		if (p == d)		/* IS_ROOT but not the mount's root: detached */
			break;
		d = p;
	}
	snprintf(out, len, "%s", buf[pos] ? buf + pos : "/");
	return 0;
}

struct mnt_walk {
	const struct mnt_layout *l;
	struct ms_tmpfs *m;
};

static int add_mount(struct ms_target *t, uint64_t entry, void *arg)
{
	struct mnt_walk *w = arg;
	const struct mnt_layout *l = w->l;
	uint64_t mnt = entry - l->mnt_list, sb, dev;
	struct ms_tmpfs_mount *mp, *grown;
	struct ms_tmpfs_sb *s = NULL;

	if (ms_read_ptr(t, mnt + l->mnt + l->mnt_sb, &sb))
		return 0;
	for (unsigned int i = 0; i < w->m->nr && !s; i++)
		if (w->m->sbs[i].sb == sb)
			s = &w->m->sbs[i];
	if (!s)
		return 0;
	grown = realloc(s->mounts, (s->nr_mounts + 1) * sizeof(*grown));
	if (!grown)
		return 1;
	s->mounts = grown;
	mp = &s->mounts[s->nr_mounts++];
	memset(mp, 0, sizeof(*mp));
	mp->mnt = mnt;
	if (ms_read_ptr(t, mnt + l->mnt_devname, &dev) ||
	    ms_read_str(t, dev, mp->devname, sizeof(mp->devname)))
		strcpy(mp->devname, "?");
	if (mount_path(t, l, mnt, mp->path, sizeof(mp->path))) {
		ms_warn(t, "mount %#llx: cannot rebuild its path", (unsigned long long)mnt);
		strcpy(mp->path, "?");
	}
	return 0;
}

/* 6.8+ keeps a namespace's mounts in an rbtree (mnt_namespace.mounts, by
 * mnt_id_unique through mount.mnt_node): in-order is the order of mounting,
 * the order of the 6.1 list.  Bounded in depth and in count. */
struct mnt_tree {
	struct mnt_walk *w;
	long node, left, right;		/* mount.mnt_node, rb_node.rb_left/rb_right */
	uint64_t count;
	bool bad;
};

static void walk_mount_tree(struct ms_target *t, struct mnt_tree *mt, uint64_t node, int depth)
{
	uint64_t left, right;

	if (!node || mt->bad)
		return;
	if (depth > MAX_RB_DEPTH || mt->count >= MAX_MOUNTS ||
	    ms_read_ptr(t, node + mt->left, &left) || ms_read_ptr(t, node + mt->right, &right)) {
		mt->bad = true;
		return;
	}
	walk_mount_tree(t, mt, left, depth + 1);
	if (mt->bad)
		return;
	mt->count++;
	/* add_mount() takes the mount's mnt_list address. */
	add_mount(t, node - mt->node + mt->w->l->mnt_list, mt->w);
	walk_mount_tree(t, mt, right, depth + 1);
}

static bool read_mount_tree(struct ms_target *t, struct mnt_walk *w, uint64_t ns)
{
	struct mnt_tree mt = {
		.w = w,
		.node = ms_member_offset(t, "mount", "mnt_node"),
		.left = ms_member_offset(t, "rb_node", "rb_left"),
		.right = ms_member_offset(t, "rb_node", "rb_right"),
	};
	long mounts = ms_member_offset(t, "mnt_namespace", "mounts");
	long rb_node = ms_member_offset(t, "rb_root", "rb_node");
	uint64_t root;

	if (mounts < 0 || rb_node < 0 || mt.node < 0 || mt.left < 0 || mt.right < 0 ||
	    ms_read_ptr(t, ns + mounts + rb_node, &root)) {
		ms_warn(t, "cannot resolve mnt_namespace.list or .mounts: no mount points");
		return false;
	}
	walk_mount_tree(t, &mt, root, 0);
	if (mt.bad)
		ms_warn(t, "mount namespace tree unreadable, too deep or too big after %llu mounts",
			(unsigned long long)mt.count);
	return !mt.bad;
}

/* init_task.nsproxy->mnt_ns: the mounts of the initial namespace. */
static void read_mounts(struct ms_target *t, struct ms_tmpfs *m)
{
	long nsproxy = ms_member_offset(t, "task_struct", "nsproxy");
	long mnt_ns = ms_member_offset(t, "nsproxy", "mnt_ns");
	long list = ms_member_offset(t, "mnt_namespace", "list");
	struct mnt_layout l;
	struct mnt_walk w = { .l = &l, .m = m };
	struct ms_list_result r;
	uint64_t task, nsp, ns;

	if (mnt_layout(t, &l))
		return;
	if (nsproxy < 0 || mnt_ns < 0 || ms_symbol(t, "init_task", &task) ||
	    ms_read_ptr(t, task + nsproxy, &nsp) || ms_read_ptr(t, nsp + mnt_ns, &ns) || !ns) {
		ms_warn(t, "cannot find init_task's mount namespace: no mount points");
		return;
	}
	if (list < 0) {
		m->mnt_list_complete = read_mount_tree(t, &w, ns);
		return;
	}
	ms_list_walk(t, ns + list, MAX_MOUNTS, MS_LIST_CHECK_PREV, add_mount, &w, &r);
	m->mnt_list_complete = r.status == MS_LIST_OK;
	if (!m->mnt_list_complete)
		ms_warn(t, "mount namespace list %s after %llu mounts",
			ms_list_status_name(r.status), (unsigned long long)r.count);
}

int ms_tmpfs_read(struct ms_target *t, struct ms_tmpfs *m)
{
	struct sb_layout l;
	struct sb_walk w = { .l = &l, .m = m };
	struct ms_list_result r;
	uint64_t head;

	memset(m, 0, sizeof(*m));
	if (sb_layout(t, &l))
		return -1;
	if (ms_symbol(t, "super_blocks", &head)) {
		ms_warn(t, "no symbol super_blocks");
		return -1;
	}
	l.shm_sb = shm_mnt_sb(t);
	ms_list_walk(t, head, MAX_SUPERS, MS_LIST_CHECK_PREV, add_sb, &w, &r);
	m->sb_list_complete = r.status == MS_LIST_OK;
	if (!m->sb_list_complete)
		ms_warn(t, "super_blocks: list %s after %llu superblocks",
			ms_list_status_name(r.status), (unsigned long long)r.count);
	read_mounts(t, m);
	read_shmem_pages(t, m);
	return 0;
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
