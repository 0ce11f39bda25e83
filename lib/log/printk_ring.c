/*
 * printk_ring.c - the lockless printk_ringbuffer of 5.10+: the only file
 * that knows struct printk_ringbuffer, prb_desc_ring, prb_data_ring,
 * prb_desc, prb_data_blk_lpos and printk_info.
 *
 * What the kernel keeps (kernel/printk/printk_ringbuffer.h): `prb` points to
 * the live ring (printk_rb_static, or printk_rb_dynamic after log_buf_len=).
 * Its descriptor ring holds 2^count_bits descriptors and as many printk_info
 * (seq, ts_nsec, text_len, facility, flags, level, caller_id); a descriptor's
 * state_var is its id with the state in the top two bits.  The ids from
 * tail_id to head_id are the records the ring holds, each at index
 * id & (count - 1), and the kernel keeps seq == index modulo the count
 * (prb_reserve()), so a slot whose info->seq says otherwise was reused.  The
 * text lives in a data ring of 2^size_bits bytes as blocks {unsigned long id;
 * char text[]} between the logical positions begin and next; a block that
 * would cross the end is stored from data[0] (get_data()).
 *
 * The three arrays are read whole (logmem.c); a record on a page the dump
 * lacks, or whose descriptor, info or block disagree, is warned about and
 * skipped.  The walk visits at most 2^count_bits descriptors.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "logmem.h"
#include "logrec.h"
#include "logtypes.h"

/* Larger rings than any kernel makes (log_buf_len is at most 2 GiB, with a
 * descriptor per 32 bytes of text): beyond them head and sizes are garbage. */
#define MAX_COUNT_BITS	26
#define MAX_SIZE_BITS	31
#define MAX_WARNINGS	8	/* records warned about one by one; then counted */

/* enum desc_state (printk_ringbuffer.h): the top two bits of state_var. */
enum { DESC_RESERVED, DESC_COMMITTED, DESC_FINALIZED, DESC_REUSABLE };
/* A data-less block's lpos (printk_ringbuffer.h): FAILED_LPOS, NO_LPOS. */
#define LPOS_DATALESS(lpos) ((lpos) & 1u)
#define NO_LPOS 0x3u

struct layout {
	long rb_desc_ring, rb_text_ring;
	long dr_count_bits, dr_count_bits_size, dr_descs, dr_infos, dr_head_id, dr_tail_id;
	long desc_size, desc_state_var, desc_lpos, lpos_begin, lpos_next;
	long info_size, info_seq, info_ts, info_text_len, info_facility, info_flags, info_caller;
	long info_subsys, info_subsys_len, info_device, info_device_len;	/* -1: none */
	long tr_size_bits, tr_size_bits_size, tr_data;
};

struct ring {
	struct ms_target *t;
	struct layout l;
	uint64_t prb, descs, infos, data;
	unsigned int count_bits, size_bits;
	uint64_t head_id, tail_id;
	uint64_t word_mask, id_mask, count, data_size;
	unsigned int state_shift;
	struct ms_logmem dm, im, tm;	/* descriptors, infos, text */
	char *text;			/* one record's text, NUL-terminated */
	char why[160];			/* why the last record was bad */
	char subsystem[MS_LOG_DICT_MAX], device[MS_LOG_DICT_MAX];
	unsigned long warned;
};

/* How a record read went. */
enum rec_state { REC_OK, REC_EXPIRED, REC_BAD };

/* A char array's length: its type, else VMCOREINFO's LENGTH(name). */
static long array_len(struct ms_target *t, const char *s, const char *m, const char *name)
{
	long n = ms_member_size(t, s, m);
	long long v;
	char key[64];

	if (n > 0)
		return n;
	snprintf(key, sizeof(key), "LENGTH(%s)", name);
	struct ms_error *err = ms_vmcoreinfo_number(t, key, &v);

	if (err || v <= 0)
		return ms_error_ignore(err), -1;
	return (long)v;
}

/* printk_info.dev_info {char subsystem[16]; char device[48];} (5.10+):
 * optional, the record's text does not need it. */
static void dev_info(struct ms_target *t, struct layout *l)
{
	long dev = ms_log_offset(t, "printk_info", "dev_info");
	long sub = ms_log_offset(t, "dev_printk_info", "subsystem");
	long devc = ms_log_offset(t, "dev_printk_info", "device");

	l->info_subsys = l->info_device = -1;
	if (dev < 0)
		return;
	l->info_subsys_len = array_len(t, "dev_printk_info", "subsystem", "printk_info_subsystem");
	l->info_device_len = array_len(t, "dev_printk_info", "device", "printk_info_device");
	if (sub >= 0 && l->info_subsys_len > 0)
		l->info_subsys = dev + sub;
	if (devc >= 0 && l->info_device_len > 0)
		l->info_device = dev + devc;
}

static struct ms_error *resolve(struct ms_target *t, struct layout *l)
{
	l->rb_desc_ring = ms_log_offset(t, "printk_ringbuffer", "desc_ring");
	l->rb_text_ring = ms_log_offset(t, "printk_ringbuffer", "text_data_ring");
	l->dr_count_bits = ms_log_offset(t, "prb_desc_ring", "count_bits");
	l->dr_count_bits_size = ms_member_size(t, "prb_desc_ring", "count_bits");
	l->dr_descs = ms_log_offset(t, "prb_desc_ring", "descs");
	l->dr_infos = ms_log_offset(t, "prb_desc_ring", "infos");
	l->dr_head_id = ms_log_offset(t, "prb_desc_ring", "head_id");
	l->dr_tail_id = ms_log_offset(t, "prb_desc_ring", "tail_id");
	l->desc_size = ms_log_size(t, "prb_desc");
	l->desc_state_var = ms_log_offset(t, "prb_desc", "state_var");
	l->desc_lpos = ms_log_offset(t, "prb_desc", "text_blk_lpos");
	l->lpos_begin = ms_log_offset(t, "prb_data_blk_lpos", "begin");
	l->lpos_next = ms_log_offset(t, "prb_data_blk_lpos", "next");
	l->info_size = ms_log_size(t, "printk_info");
	l->info_seq = ms_log_offset(t, "printk_info", "seq");
	l->info_ts = ms_log_offset(t, "printk_info", "ts_nsec");
	l->info_text_len = ms_log_offset(t, "printk_info", "text_len");
	l->info_caller = ms_log_offset(t, "printk_info", "caller_id");
	l->tr_size_bits = ms_log_offset(t, "prb_data_ring", "size_bits");
	l->tr_size_bits_size = ms_member_size(t, "prb_data_ring", "size_bits");
	l->tr_data = ms_log_offset(t, "prb_data_ring", "data");
	/* VMCOREINFO has no facility, flags or level (makedumpfile prints no
	 * level): without types, the order printk_info has had since 5.10,
	 * u16 text_len, u8 facility, u8 flags:5 level:3. */
	l->info_facility = ms_log_offset(t, "printk_info", "facility");
	if (l->info_facility < 0 && l->info_text_len >= 0)
		l->info_facility = l->info_text_len + 2;
	l->info_flags = ms_log_offset(t, "printk_info", "flags");
	if (l->info_flags < 0 && l->info_facility >= 0)
		l->info_flags = l->info_facility + 1;
	dev_info(t, l);
	if (l->dr_count_bits_size <= 0)
		l->dr_count_bits_size = 4;	/* unsigned int */
	if (l->tr_size_bits_size <= 0)
		l->tr_size_bits_size = 4;
	if (l->rb_desc_ring < 0 || l->rb_text_ring < 0 || l->dr_count_bits < 0 || l->dr_descs < 0 ||
	    l->dr_infos < 0 || l->dr_head_id < 0 || l->dr_tail_id < 0 || l->desc_size <= 0 ||
	    l->desc_state_var < 0 || l->desc_lpos < 0 || l->lpos_begin < 0 || l->lpos_next < 0 ||
	    l->info_size <= 0 || l->info_seq < 0 || l->info_ts < 0 || l->info_text_len < 0 ||
	    l->tr_size_bits < 0 || l->tr_data < 0)
		return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct printk_ringbuffer, "
				       "prb_desc_ring, prb_desc or printk_info (no type info, no "
				       "VMCOREINFO offsets)");
	return NULL;
}

static struct ms_error *read_header(struct ring *r)
{
	struct ms_target *t = r->t;
	uint64_t dr, tr, v;
	struct ms_error *err;

	err = ms_read_sym_uint(t, "prb", t->word_size, &r->prb);
	if (err)
		return ms_error_wrap(err, "cannot read prb");
	dr = r->prb + (uint64_t)r->l.rb_desc_ring;
	tr = r->prb + (uint64_t)r->l.rb_text_ring;
	if ((err = ms_read_uint(t, dr + (uint64_t)r->l.dr_count_bits,
				(size_t)r->l.dr_count_bits_size, &v)))
		goto fail;
	r->count_bits = (unsigned int)v;
	if ((err = ms_read_ptr(t, dr + (uint64_t)r->l.dr_descs, &r->descs)) ||
	    (err = ms_read_ptr(t, dr + (uint64_t)r->l.dr_infos, &r->infos)) ||
	    (err = ms_read_ptr(t, dr + (uint64_t)r->l.dr_head_id, &r->head_id)) ||
	    (err = ms_read_ptr(t, dr + (uint64_t)r->l.dr_tail_id, &r->tail_id)) ||
	    (err = ms_read_uint(t, tr + (uint64_t)r->l.tr_size_bits, (size_t)r->l.tr_size_bits_size,
				&v)))
		goto fail;
	r->size_bits = (unsigned int)v;
	if ((err = ms_read_ptr(t, tr + (uint64_t)r->l.tr_data, &r->data)))
		goto fail;
	/* The kernel makes count_bits = size_bits - PRB_AVGBITS (printk.c). */
	if (v != r->size_bits || r->count_bits > MAX_COUNT_BITS || r->size_bits > MAX_SIZE_BITS ||
	    r->size_bits < 4 || r->size_bits >= t->word_size * 8 || r->count_bits > r->size_bits)
		return ms_error_at(MS_ERR_CORRUPT, r->prb,
				   "printk_ringbuffer at %#llx: count_bits %u, size_bits %llu "
				   "make no sense", (unsigned long long)r->prb, r->count_bits,
				   (unsigned long long)v);
	r->count = 1ull << r->count_bits;
	r->data_size = 1ull << r->size_bits;
	r->state_shift = t->word_size * 8 - 2;
	r->word_mask = t->word_size == 8 ? ~0ull : 0xffffffffull;
	r->id_mask = r->word_mask & ~(3ull << r->state_shift);
	return NULL;
fail:
	return ms_error_wrap(err, "cannot read the printk_ringbuffer at %#llx",
			     (unsigned long long)r->prb);
}

static struct ms_error *load(struct ring *r)
{
	struct ms_error *err;

	err = ms_logmem_load(r->t, &r->dm, r->descs, (size_t)(r->count * (uint64_t)r->l.desc_size));
	if (err)
		return ms_error_wrap(err, "cannot read the printk descriptors at %#llx",
				     (unsigned long long)r->descs);
	err = ms_logmem_load(r->t, &r->im, r->infos, (size_t)(r->count * (uint64_t)r->l.info_size));
	if (err)
		return ms_error_wrap(err, "cannot read the printk_info array at %#llx",
				     (unsigned long long)r->infos);
	err = ms_logmem_load(r->t, &r->tm, r->data, (size_t)r->data_size);
	if (err)
		return ms_error_wrap(err, "cannot read the printk text ring at %#llx",
				     (unsigned long long)r->data);
	r->text = malloc(UINT16_MAX + 1);
	return r->text ? NULL : &ms_error_nomem;
}

/* DATA_WRAPS() and DATA_INDEX(): which pass over the data ring a logical
 * position is in, and where in the ring it is. */
static uint64_t wraps(const struct ring *r, uint64_t lpos)
{
	return (lpos & r->word_mask) >> r->size_bits;
}

static uint64_t data_index(const struct ring *r, uint64_t lpos)
{
	return lpos & (r->data_size - 1);
}

/*
 * Where a record's text block is: get_data() of printk_ringbuffer.c.  A
 * regular block lies between begin and next in one wrap; a wrapping block
 * (begin one wrap behind next) stores its text from data[0].  Newer kernels
 * also let a block end exactly at the ring's end.  Both ends are aligned to
 * the id's size and the block holds at least the id.
 */
static bool find_block(struct ring *r, uint64_t begin, uint64_t next, uint64_t *off,
		       uint64_t *size)
{
	uint64_t w = r->t->word_size, d = (next - begin) & r->word_mask;

	if (wraps(r, begin) == wraps(r, next) && begin < next) {
		*off = data_index(r, begin);
		*size = d;
	} else if (((wraps(r, begin) + 1) & (r->word_mask >> r->size_bits)) == wraps(r, next) &&
		   data_index(r, next) == 0 && d <= r->data_size && d) {
		*off = data_index(r, begin);
		*size = d;
	} else if (wraps(r, begin + r->data_size) == wraps(r, next)) {
		*off = 0;
		*size = data_index(r, next);
	} else {
		return false;
	}
	return begin % w == 0 && next % w == 0 && *size >= w && *off + *size <= r->data_size;
}

/* A char array of printk_info, cut at its NUL or at MS_LOG_DICT_MAX - 1. */
static void dict_value(char *dst, const unsigned char *info, long off, long len, long info_size)
{
	size_t n = 0;

	if (off >= 0 && off + len <= info_size)
		while (n < (size_t)len && n < MS_LOG_DICT_MAX - 1 && info[off + (long)n])
			n++;
	if (n)
		memcpy(dst, info + off, n);
	dst[n] = '\0';
}

/* Read record id into rec (its text in r->text); on REC_BAD r->why says why. */
static enum rec_state read_record(struct ring *r, uint64_t id, struct ms_log_record *rec)
{
	struct ms_target *t = r->t;
	const struct layout *l = &r->l;
	uint64_t slot = id & (r->count - 1);
	size_t doff = (size_t)(slot * (uint64_t)l->desc_size);
	size_t ioff = (size_t)(slot * (uint64_t)l->info_size);
	const unsigned char *d = r->dm.buf + doff, *in = r->im.buf + ioff;
	uint64_t sv, state, begin, next, off, size, blk_id;
	unsigned int w = t->word_size;

	if (!ms_logmem_ok(&r->dm, doff, (size_t)l->desc_size)) {
		snprintf(r->why, sizeof(r->why), "its descriptor at %#llx is not in the dump",
			 (unsigned long long)(r->descs + doff));
		return REC_BAD;
	}
	sv = ms_get_ptr(t, d, l->desc_state_var);
	state = (sv >> r->state_shift) & 3;
	if ((sv & r->id_mask) != id) {
		/* desc_miss: the slot holds another id (an older or newer record). */
		snprintf(r->why, sizeof(r->why), "its descriptor holds id %#llx instead",
			 (unsigned long long)(sv & r->id_mask));
		return REC_BAD;
	}
	if (state == DESC_REUSABLE)
		return REC_EXPIRED;
	if (state == DESC_RESERVED) {
		snprintf(r->why, sizeof(r->why), "it was being written (reserved)");
		return REC_BAD;
	}
	if (!ms_logmem_ok(&r->im, ioff, (size_t)l->info_size)) {
		snprintf(r->why, sizeof(r->why), "its printk_info at %#llx is not in the dump",
			 (unsigned long long)(r->infos + ioff));
		return REC_BAD;
	}
	memset(rec, 0, sizeof(*rec));
	rec->seq = ms_get_u64(t, in, l->info_seq);
	if ((rec->seq & (r->count - 1)) != slot) {
		/* prb_reserve() keeps seq and index congruent: the info is another record's. */
		snprintf(r->why, sizeof(r->why), "its printk_info holds seq %llu, of another slot",
			 (unsigned long long)rec->seq);
		return REC_BAD;
	}
	rec->ts_nsec = ms_get_u64(t, in, l->info_ts);
	rec->len = (size_t)ms_get_uint(t, in, l->info_text_len, 2);
	if (l->info_facility >= 0)
		rec->facility = (uint8_t)ms_get_uint(t, in, l->info_facility, 1);
	if (l->info_flags >= 0)
		ms_log_flags_level(t, (uint8_t)ms_get_uint(t, in, l->info_flags, 1), &rec->flags,
				   &rec->level);
	if (l->info_caller >= 0) {
		rec->caller_id = (uint32_t)ms_get_uint(t, in, l->info_caller, 4);
		rec->has_caller = true;
	}
	dict_value(r->subsystem, in, l->info_subsys, l->info_subsys_len, l->info_size);
	dict_value(r->device, in, l->info_device, l->info_device_len, l->info_size);
	rec->subsystem = r->subsystem;
	rec->device = r->device;
	begin = ms_get_ptr(t, d, l->desc_lpos + l->lpos_begin);
	next = ms_get_ptr(t, d, l->desc_lpos + l->lpos_next);
	rec->text = r->text;
	r->text[0] = '\0';
	if (LPOS_DATALESS(begin) && LPOS_DATALESS(next)) {
		if (begin == NO_LPOS && next == NO_LPOS) {
			rec->len = 0;	/* a record with no text */
			return REC_OK;
		}
		snprintf(r->why, sizeof(r->why), "its text was lost (no data block)");
		return REC_BAD;
	}
	if (!find_block(r, begin, next, &off, &size)) {
		snprintf(r->why, sizeof(r->why), "its text block %#llx..%#llx makes no sense",
			 (unsigned long long)begin, (unsigned long long)next);
		return REC_BAD;
	}
	if (rec->len > size - w) {
		snprintf(r->why, sizeof(r->why), "text_len %zu is longer than its block (%llu)",
			 rec->len, (unsigned long long)(size - w));
		return REC_BAD;
	}
	if (!ms_logmem_ok(&r->tm, (size_t)off, w + rec->len)) {
		snprintf(r->why, sizeof(r->why), "its text at %#llx is not in the dump",
			 (unsigned long long)(r->data + off));
		return REC_BAD;
	}
	blk_id = ms_get_ptr(t, r->tm.buf + off, 0);
	if (blk_id != id) {
		/* data_make_reusable()'s check: the block was written over. */
		snprintf(r->why, sizeof(r->why), "its text block holds id %#llx (overwritten)",
			 (unsigned long long)blk_id);
		return REC_BAD;
	}
	memcpy(r->text, r->tm.buf + off + w, rec->len);
	r->text[rec->len] = '\0';
	return REC_OK;
}

static void skip(struct ring *r, struct ms_log_stats *stats, uint64_t id, const char *why)
{
	stats->skipped++;
	if (r->warned++ < MAX_WARNINGS)
		ms_warn(r->t, "printk record id %#llx skipped: %s", (unsigned long long)id, why);
}

/* Hand a record on, in sequence order. */
static struct ms_error *deliver(struct ring *r, const struct ms_log_record *rec, uint64_t id,
				ms_log_fn *fn, void *arg, struct ms_log_stats *stats)
{
	if (stats->records && rec->seq < stats->next_seq) {
		snprintf(r->why, sizeof(r->why), "its seq %llu comes after %llu",
			 (unsigned long long)rec->seq, (unsigned long long)stats->next_seq - 1);
		skip(r, stats, id, r->why);
		return NULL;
	}
	if (!stats->records)
		stats->first_seq = rec->seq;
	stats->records++;
	stats->next_seq = rec->seq + 1;
	return fn(rec, arg);
}

/* prb_for_each_record() from tail_id to head_id. */
static struct ms_error *walk_ids(struct ring *r, ms_log_fn *fn, void *arg,
				 struct ms_log_stats *stats)
{
	uint64_t n = ((r->head_id - r->tail_id) & r->id_mask) + 1;
	struct ms_log_record rec;
	struct ms_error *err;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t id = (r->tail_id + i) & r->id_mask;

		switch (read_record(r, id, &rec)) {
		case REC_OK:
			if ((err = deliver(r, &rec, id, fn, arg, stats)))
				return err;
			break;
		case REC_EXPIRED:
			/* Reusable before the first record: text already overwritten,
			 * as the kernel's own readers skip it.  After it: a gap. */
			if (stats->records)
				skip(r, stats, id, "its descriptor was reused");
			break;
		case REC_BAD:
			skip(r, stats, id, r->why);
			break;
		}
	}
	return NULL;
}

struct found {
	uint64_t seq, id;
};

static int by_seq(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* head_id and tail_id make no sense: every slot whose descriptor, info and
 * block agree, in sequence order. */
static struct ms_error *walk_slots(struct ring *r, ms_log_fn *fn, void *arg,
				   struct ms_log_stats *stats)
{
	struct found *f = calloc((size_t)r->count, sizeof(*f));
	struct ms_log_record rec;
	struct ms_error *err = NULL;
	size_t nr = 0;

	if (!f)
		return &ms_error_nomem;
	for (uint64_t slot = 0; slot < r->count; slot++) {
		size_t doff = (size_t)(slot * (uint64_t)r->l.desc_size);
		uint64_t id;

		if (!ms_logmem_ok(&r->dm, doff, (size_t)r->l.desc_size))
			continue;
		id = ms_get_ptr(r->t, r->dm.buf + doff, r->l.desc_state_var) & r->id_mask;
		if ((id & (r->count - 1)) == slot && read_record(r, id, &rec) == REC_OK)
			f[nr++] = (struct found){ rec.seq, id };
	}
	qsort(f, nr, sizeof(*f), by_seq);
	for (size_t i = 0; i < nr && !err; i++)
		if (read_record(r, f[i].id, &rec) == REC_OK)
			err = deliver(r, &rec, f[i].id, fn, arg, stats);
	free(f);
	return err;
}

struct ms_error *ms_printk_ring_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
				     struct ms_log_stats *stats)
{
	struct ring r = { .t = t };
	struct ms_error *err;
	uint64_t n;

	stats->format = "printk_ringbuffer";
	if ((err = resolve(t, &r.l)) || (err = read_header(&r)) || (err = load(&r)))
		goto out;
	n = ((r.head_id - r.tail_id) & r.id_mask) + 1;
	if ((r.head_id & ~r.id_mask) || (r.tail_id & ~r.id_mask) || n > r.count) {
		ms_warn(t, "printk_ringbuffer at %#llx: head_id %#llx and tail_id %#llx are not "
			"within %llu descriptors: looking at every descriptor",
			(unsigned long long)r.prb, (unsigned long long)r.head_id,
			(unsigned long long)r.tail_id, (unsigned long long)r.count);
		err = walk_slots(&r, fn, arg, stats);
	} else {
		err = walk_ids(&r, fn, arg, stats);
	}
	if (r.warned > MAX_WARNINGS)
		ms_warn(t, "%lu more printk records skipped", r.warned - MAX_WARNINGS);
out:
	ms_logmem_free(&r.dm);
	ms_logmem_free(&r.im);
	ms_logmem_free(&r.tm);
	free(r.text);
	return err;
}
