/*
 * maple.c - the maple tree walk (lib/maple_tree.c, include/linux/maple_tree.h
 * of 6.1 and 6.12), reading only what mt_for_each() reads.
 *
 * A node pointer is "encoded" (mt_mk_node()): the node's address under
 * MAPLE_NODE_MASK, its enum maple_type in the bits MAPLE_NODE_TYPE_SHIFT/MASK
 * (mte_to_node(), mte_node_type()).  ma_root holds a node when xa_is_node()
 * (low bits 10 and above 4096: mt_mk_root() adds MAPLE_ROOT_NODE), else a
 * lone entry; every non-NULL slot of an inner node is a node.
 * Those are #defines of the tree's own encoding, the same since 6.1, kept
 * here; everything else (the enum maple_type values, member offsets, how
 * many pivots and slots each node type has) comes from the type info, with
 * 6.1's values as the fallback.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "maple.h"

#define MAPLE_NODE_MASK		255ull	/* nodes are 256-byte aligned */
#define MAPLE_NODE_TYPE_MASK	0x0full
#define MAPLE_NODE_TYPE_SHIFT	0x03
#define MAPLE_HEIGHT_MAX	31	/* include/linux/maple_tree.h */
#define MAX_SLOTS		64	/* more slots than any node type has */
#define MAX_NODES		(1u << 22)

struct maple_layout {
	long root;			/* maple_tree.ma_root */
	long dense_slot;		/* maple_node.slot[]: a dense node's entries */
	long r64_pivot, r64_slot, r64_meta;	/* maple_range_64 (leaf_64 too) */
	long a64_pivot, a64_slot, a64_meta;	/* maple_arange_64 */
	long meta_end;			/* maple_metadata.end */
	unsigned int dense_slots, r64_slots, a64_slots;	/* pivots: slots - 1 */
	long dense, leaf64, range64, arange64;	/* enum maple_type */
	long node_size;
};

/* How many pointers an array member holds: its size in the type info, else
 * the 64-bit kernel's count (MAPLE_NODE_SLOTS 31, MAPLE_RANGE64_SLOTS 16,
 * MAPLE_ARANGE64_SLOTS 10). */
static unsigned int array_len(struct ms_target *t, const char *s, const char *m,
			      unsigned int fallback, unsigned int less)
{
	long size = ms_member_size(t, s, m);

	if (size <= 0 || size % t->word_size)
		return fallback;
	size = size / t->word_size + less;
	return size > 1 && size <= MAX_SLOTS ? (unsigned int)size : fallback;
}

static struct ms_error *maple_layout(struct ms_target *t, struct maple_layout *l)
{
	long meta;

	l->root = ms_member_offset(t, "maple_tree", "ma_root");
	l->dense_slot = ms_member_offset(t, "maple_node", "slot");
	l->r64_pivot = ms_member_offset(t, "maple_range_64", "pivot");
	l->r64_slot = ms_member_offset(t, "maple_range_64", "slot");
	l->r64_meta = ms_member_offset(t, "maple_range_64", "meta");
	l->a64_pivot = ms_member_offset(t, "maple_arange_64", "pivot");
	l->a64_slot = ms_member_offset(t, "maple_arange_64", "slot");
	l->a64_meta = ms_member_offset(t, "maple_arange_64", "meta");
	meta = ms_member_offset(t, "maple_metadata", "end");
	l->meta_end = meta < 0 ? 0 : meta;
	l->node_size = ms_struct_size(t, "maple_node");
	if (l->root < 0 || l->dense_slot < 0 || l->r64_pivot < 0 || l->r64_slot < 0 ||
	    l->a64_pivot < 0 || l->a64_slot < 0 || l->node_size <= 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct maple_tree / "
				       "maple_node (ma_root, mr64, ma64)");
	/* The pivot arrays are one shorter than the slots (the last slot's
	 * pivot is the node's max). */
	l->dense_slots = array_len(t, "maple_node", "slot", 31, 0);
	l->r64_slots = array_len(t, "maple_range_64", "pivot", 16, 1);
	l->a64_slots = array_len(t, "maple_arange_64", "pivot", 10, 1);
	l->dense = ms_enum_or(t, "maple_dense", 0);
	l->leaf64 = ms_enum_or(t, "maple_leaf_64", 1);
	l->range64 = ms_enum_or(t, "maple_range_64", 2);
	l->arange64 = ms_enum_or(t, "maple_arange_64", 3);
	return NULL;
}

bool ms_maple_supported(struct ms_target *t)
{
	return ms_member_offset(t, "maple_tree", "ma_root") >= 0;
}

/* ---- the nodes seen: a small open-addressing set, against cycles -------- */

struct node_set {
	uint64_t *v;
	size_t size, used;		/* size: 0 or a power of two */
};

static size_t slot_of(uint64_t a, size_t size)
{
	return (size_t)((a >> 8) * 0x9e3779b97f4a7c15ull >> 7) & (size - 1);
}

/* Add a node: 1 if it was new, 0 if seen before, -1 out of memory. */
static int set_add(struct node_set *s, uint64_t a)
{
	size_t i;

	if (2 * (s->used + 1) > s->size) {
		size_t n = s->size ? 2 * s->size : 256;
		uint64_t *v = calloc(n, sizeof(*v));

		if (!v)
			return -1;
		for (size_t j = 0; j < s->size; j++)
			if (s->v[j])
				for (i = slot_of(s->v[j], n); ; i = (i + 1) & (n - 1))
					if (!v[i]) {
						v[i] = s->v[j];
						break;
					}
		free(s->v);
		s->v = v;
		s->size = n;
	}
	for (i = slot_of(a, s->size); s->v[i]; i = (i + 1) & (s->size - 1))
		if (s->v[i] == a)
			return 0;
	s->v[i] = a;
	s->used++;
	return 1;
}

/* ---- the walk ------------------------------------------------------------- */

struct walk {
	struct ms_target *t;
	const struct maple_layout *l;
	ms_maple_fn fn;
	void *arg;
	uint64_t max_entries;
	struct ms_maple_result *r;
	struct ms_error *first;		/* the first problem: the partial answer's cause */
	struct ms_error *fatal;		/* fn's error or no memory: stop */
	struct node_set seen;
	unsigned char buf[MAPLE_HEIGHT_MAX + 1][1024];	/* one node per level */
};

static bool xa_is_internal(uint64_t e)
{
	return (e & 3) == 2;
}

static bool xa_is_node(uint64_t e)
{
	return xa_is_internal(e) && e > 4096;
}

/* Keep the first problem; later ones are dropped (the walk goes on). */
static void problem(struct walk *w, struct ms_error *err)
{
	w->r->complete = false;
	if (!w->first)
		w->first = err;
	else
		ms_error_destroy(err);
}

static void entry(struct walk *w, uint64_t first, uint64_t last, uint64_t e)
{
	/* NULL is a gap; other internal entries (XA_ZERO_ENTRY, a retry) hold no value. */
	if (!e || xa_is_internal(e) || w->fatal)
		return;
	if (w->r->entries >= w->max_entries) {
		if (w->r->entries == w->max_entries)
			problem(w, ms_error_create(MS_ERR_CORRUPT, "more than %llu entries: "
						   "the rest is not walked",
						   (unsigned long long)w->max_entries));
		w->r->entries++;
		return;
	}
	w->r->entries++;
	w->fatal = w->fn(w->t, first, last, e, w->arg);
	if (w->fatal)
		w->r->stopped = true;
}

static void walk_node(struct walk *w, uint64_t enode, uint64_t min, uint64_t max,
		      unsigned int depth);

/*
 * A range_64, leaf_64 or arange_64 node: slot i covers (pivot[i-1], pivot[i]],
 * from min, the last one up to max.  Where the data ends is ma_data_end()'s
 * rule: an arange_64 node says it in its metadata; in the others a zero last
 * pivot sends to the metadata, a last pivot equal to max ends there, else
 * every slot is used.
 */
static void walk_ranges(struct walk *w, uint64_t node, const unsigned char *buf, long type,
			uint64_t min, uint64_t max, unsigned int depth)
{
	const struct maple_layout *l = w->l;
	struct ms_target *t = w->t;
	bool arange = type == l->arange64, leaf = type == l->leaf64;
	unsigned int nslots = arange ? l->a64_slots : l->r64_slots, npiv = nslots - 1, end;
	long piv_off = arange ? l->a64_pivot : l->r64_pivot;
	long slot_off = arange ? l->a64_slot : l->r64_slot;
	long meta_off = arange ? l->a64_meta : l->r64_meta;
	long last_off = piv_off + (long)(npiv - 1) * t->word_size;
	uint64_t prev = min, last_piv = ms_get_uint(t, buf, last_off, t->word_size);

	if (!arange && last_piv == max)
		end = npiv - 1;
	else if (!arange && last_piv)
		end = npiv;
	else if (meta_off >= 0)
		end = ms_get_uint(t, buf, meta_off + l->meta_end, 1);
	else
		end = npiv;
	if (end >= nslots) {
		problem(w, ms_error_at(MS_ERR_CORRUPT, node, "data end %u past the %u slots "
				       "of the maple node", end, nslots));
		end = nslots - 1;
	}
	for (unsigned int i = 0; i <= end && !w->fatal; i++) {
		uint64_t piv = i < npiv ? ms_get_uint(t, buf, piv_off + (long)i * t->word_size,
						      t->word_size) : max;
		uint64_t slot = ms_get_uint(t, buf, slot_off + (long)i * t->word_size,
					    t->word_size);

		if (i == end && (!piv || i >= npiv))
			piv = max;	/* mas_safe_pivot(): the last slot ends at max */
		if (piv < prev || piv > max) {
			problem(w, ms_error_at(MS_ERR_CORRUPT, node, "pivot %u (%#llx) outside "
					       "[%#llx, %#llx], the rest skipped, in the maple "
					       "node", i, (unsigned long long)piv,
					       (unsigned long long)prev, (unsigned long long)max));
			return;
		}
		if (leaf)
			entry(w, prev, piv, slot);
		else if (slot)	/* an inner node's slots are encoded nodes (mt_mk_node()) */
			walk_node(w, slot, prev, piv, depth + 1);
		if (piv >= max)
			break;
		prev = piv + 1;
	}
}

static void walk_node(struct walk *w, uint64_t enode, uint64_t min, uint64_t max,
		      unsigned int depth)
{
	const struct maple_layout *l = w->l;
	uint64_t node = enode & ~MAPLE_NODE_MASK;
	long type = (long)((enode >> MAPLE_NODE_TYPE_SHIFT) & MAPLE_NODE_TYPE_MASK);
	unsigned char *buf;
	struct ms_error *err;
	int added;

	if (w->fatal)
		return;
	if (depth > MAPLE_HEIGHT_MAX) {
		problem(w, ms_error_at(MS_ERR_CORRUPT, node, "maple tree deeper than %d levels "
				       "down to the node", MAPLE_HEIGHT_MAX));
		return;
	}
	if (w->r->nodes >= MAX_NODES) {
		problem(w, ms_error_create(MS_ERR_CORRUPT, "more than %u maple nodes", MAX_NODES));
		return;
	}
	added = set_add(&w->seen, node);
	if (added < 0) {
		w->fatal = &ms_error_nomem;
		return;
	}
	if (!added) {
		problem(w, ms_error_at(MS_ERR_CORRUPT, node, "maple node met twice (a cycle; "
				       "not walked again)"));
		return;
	}
	buf = w->buf[depth];
	err = ms_read(w->t, node, buf, (size_t)l->node_size);
	if (err) {
		problem(w, ms_error_wrap(err, "maple node"));
		return;
	}
	w->r->nodes++;
	if (type == l->dense) {
		for (unsigned int i = 0; i < l->dense_slots && min + i <= max && !w->fatal; i++)
			entry(w, min + i, min + i, ms_get_uint(w->t, buf, l->dense_slot +
				(long)i * w->t->word_size, w->t->word_size));
	} else if (type == l->leaf64 || type == l->range64 || type == l->arange64) {
		walk_ranges(w, node, buf, type, min, max, depth);
	} else {
		problem(w, ms_error_at(MS_ERR_CORRUPT, node, "maple node of unknown type %ld",
				       type));
	}
}

struct ms_error *ms_maple_walk(struct ms_target *t, uint64_t tree, uint64_t max_entries,
			       ms_maple_fn fn, void *arg, struct ms_maple_result *r)
{
	struct maple_layout l;
	struct ms_error *err;
	struct walk *w;
	uint64_t root;

	memset(r, 0, sizeof(*r));
	err = maple_layout(t, &l);
	if (err)
		return err;
	if (l.node_size > (long)sizeof(w->buf[0]))
		return ms_error_create(MS_ERR_UNSUPPORTED, "struct maple_node of %ld bytes",
				       l.node_size);
	err = ms_read_ptr(t, tree + l.root, &root);
	if (err)
		return ms_error_wrap(err, "maple tree %#llx: ma_root", (unsigned long long)tree);
	w = calloc(1, sizeof(*w));
	if (!w)
		return &ms_error_nomem;
	*w = (struct walk){ .t = t, .l = &l, .fn = fn, .arg = arg, .max_entries = max_entries,
			    .r = r };
	r->complete = true;
	if (xa_is_node(root))
		walk_node(w, root, 0, t->word_size == 8 ? UINT64_MAX : UINT32_MAX, 0);
	else
		entry(w, 0, 0, root);	/* a lone entry at index 0, or an empty tree */
	err = w->fatal;
	if (err)
		ms_error_destroy(w->first);
	else
		err = w->first;
	if (err == &ms_error_nomem)
		r->complete = false;
	free(w->seen.v);
	free(w);
	return err;
}
