/*
 * log_buf.c - the kernel log before 5.10: variable-length struct printk_log
 * records in log_buf (struct log before 3.11); the only file that knows them.
 *
 * kernel/printk/printk.c of 3.5-5.9: log_buf holds log_buf_len bytes of
 * records {u64 ts_nsec; u16 len, text_len, dict_len; u8 facility;
 * u8 flags:5, level:3; [u32 caller_id with CONFIG_PRINTK_CALLER]} each
 * followed by its text and dictionary and padded to len.  The oldest record
 * is at log_first_idx with sequence number log_first_seq, the next free
 * byte at log_next_idx; a record of len 0 marks the end of the used part of
 * the buffer, the next record is at 0 (log_from_idx(), log_next()).
 *
 * The buffer is read whole (logmem.c).  A record is found only from the one
 * before it, so a header that cannot be read or makes no sense ends the walk:
 * the records after it are counted as skipped.  At most one step per record
 * the sequence numbers promise, and one wrap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "logmem.h"
#include "logrec.h"
#include "logtypes.h"

#define MAX_LOG_BUF (1ull << 31)	/* log_buf_len is at most 2 GiB (log_buf_len_update()) */

struct layout {
	long size, ts_nsec, len, text_len, dict_len, facility, flags, caller_id;
};

/* A value of the dictionary after the text ("SUBSYSTEM=pci\0DEVICE=+pci:..."),
 * as vprintk_emit() stored it for dev_printk(); "" if absent. */
static void dict_value(char *dst, const unsigned char *dict, size_t len, const char *key)
{
	size_t klen = strlen(key);

	dst[0] = '\0';
	for (size_t i = 0; i < len;) {
		const unsigned char *end = memchr(dict + i, '\0', len - i);
		size_t n = end ? (size_t)(end - (dict + i)) : len - i;

		if (n > klen && !memcmp(dict + i, key, klen) && dict[i + klen] == '=') {
			size_t v = n - klen - 1;

			if (v > MS_LOG_DICT_MAX - 1)
				v = MS_LOG_DICT_MAX - 1;
			memcpy(dst, dict + i + klen + 1, v);
			dst[v] = '\0';
			return;
		}
		i += n + 1;
	}
}

/* struct printk_log (3.11+) or struct log (3.5-3.10): the same members. */
static struct ms_error *resolve(struct ms_target *t, struct layout *l)
{
	static const char *const names[] = { "printk_log", "log" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *s = names[i];

		l->size = ms_log_size(t, s);
		l->ts_nsec = ms_log_offset(t, s, "ts_nsec");
		l->len = ms_log_offset(t, s, "len");
		l->text_len = ms_log_offset(t, s, "text_len");
		if (l->size <= 0 || l->ts_nsec < 0 || l->len < 0 || l->text_len < 0)
			continue;
		/* CONFIG_PRINTK_CALLER only */
		l->caller_id = ms_log_offset(t, s, "caller_id");
		l->dict_len = ms_log_offset(t, s, "dict_len");
		/* VMCOREINFO has no facility or level: without types, the order
		 * the struct has always had, u16 dict_len after text_len, then
		 * u8 facility and u8 flags:5 level:3. */
		l->facility = ms_log_offset(t, s, "facility");
		if (l->facility < 0)
			l->facility = l->text_len + 4;
		l->flags = ms_log_offset(t, s, "flags");
		if (l->flags < 0)
			l->flags = l->facility + 1;
		return NULL;
	}
	return ms_error_create(MS_ERR_LOOKUP, "cannot resolve struct printk_log (no type info, "
			       "no VMCOREINFO offsets)");
}

struct ms_error *ms_log_buf_walk(struct ms_target *t, ms_log_fn *fn, void *arg,
				 struct ms_log_stats *stats)
{
	struct layout l = { 0 };
	uint64_t buf, len, idx, next_idx, seq, first_seq, next_seq;
	struct ms_logmem m = { 0 };
	struct ms_error *err;
	char *text = NULL, subsystem[MS_LOG_DICT_MAX], device[MS_LOG_DICT_MAX];
	bool wrapped = false;

	stats->format = "log_buf";
	if ((err = resolve(t, &l)))
		return err;
	/* char *log_buf; u32 log_buf_len, log_first_idx, log_next_idx;
	 * u64 log_first_seq, log_next_seq (printk.c). */
	if ((err = ms_read_sym_uint(t, "log_buf", t->word_size, &buf)) ||
	    (err = ms_read_sym_uint(t, "log_buf_len", 4, &len)) ||
	    (err = ms_read_sym_uint(t, "log_first_idx", 4, &idx)) ||
	    (err = ms_read_sym_uint(t, "log_next_idx", 4, &next_idx)) ||
	    (err = ms_read_sym_uint(t, "log_first_seq", 8, &first_seq)) ||
	    (err = ms_read_sym_uint(t, "log_next_seq", 8, &next_seq)))
		return ms_error_wrap(err, "cannot read the log_buf variables");
	if (!len || len > MAX_LOG_BUF || idx >= len || next_idx > len || next_seq < first_seq)
		return ms_error_create(MS_ERR_CORRUPT, "log_buf_len %llu, log_first_idx %llu, "
				       "log_next_idx %llu, log_first_seq %llu, log_next_seq %llu "
				       "make no sense", (unsigned long long)len,
				       (unsigned long long)idx, (unsigned long long)next_idx,
				       (unsigned long long)first_seq, (unsigned long long)next_seq);
	if ((err = ms_logmem_load(t, &m, buf, (size_t)len)))
		return ms_error_wrap(err, "cannot read log_buf at %#llx", (unsigned long long)buf);
	text = malloc(UINT16_MAX + 1);
	if (!text) {
		err = &ms_error_nomem;
		goto out;
	}
	/* No more records than the sequence numbers say, nor than fit. */
	if (next_seq - first_seq > len / (uint64_t)l.size) {
		ms_warn(t, "log_buf: %llu records between log_first_seq and log_next_seq do not "
			"fit in %llu bytes", (unsigned long long)(next_seq - first_seq),
			(unsigned long long)len);
		next_seq = first_seq + len / (uint64_t)l.size;
	}
	for (seq = first_seq; seq < next_seq; seq++) {
		struct ms_log_record rec = { .seq = seq, .text = text, .subsystem = subsystem,
					     .device = device };
		const unsigned char *h;
		uint64_t rlen;

		if (idx + (uint64_t)l.size > len ||
		    !ms_logmem_ok(&m, (size_t)idx, (size_t)l.size)) {
			ms_warn(t, "log_buf record %llu at %#llx is not in the dump: it and the "
				"%llu after it are skipped", (unsigned long long)seq,
				(unsigned long long)(buf + idx),
				(unsigned long long)(next_seq - seq - 1));
			break;
		}
		h = m.buf + idx;
		rlen = ms_get_uint(t, h, l.len, 2);
		if (!rlen) {
			/* The end-of-buffer marker: the record is at 0.  Once. */
			if (wrapped || !idx) {
				ms_warn(t, "log_buf: a second end marker at %llu",
					(unsigned long long)idx);
				break;
			}
			wrapped = true;
			idx = 0;
			seq--;
			continue;
		}
		if (rlen < (uint64_t)l.size || idx + rlen > len) {
			ms_warn(t, "log_buf record %llu at %#llx: length %llu makes no "
				"sense: it and the %llu after it are skipped",
				(unsigned long long)seq, (unsigned long long)(buf + idx),
				(unsigned long long)rlen,
				(unsigned long long)(next_seq - seq - 1));
			break;
		}
		rec.len = (size_t)ms_get_uint(t, h, l.text_len, 2);
		rec.ts_nsec = ms_get_u64(t, h, l.ts_nsec);
		rec.facility = (uint8_t)ms_get_uint(t, h, l.facility, 1);
		ms_log_flags_level(t, (uint8_t)ms_get_uint(t, h, l.flags, 1), &rec.flags,
				   &rec.level);
		if (l.caller_id >= 0) {
			rec.caller_id = (uint32_t)ms_get_uint(t, h, l.caller_id, 4);
			rec.has_caller = true;
		}
		idx += rlen;
		if ((uint64_t)l.size + rec.len > rlen ||
		    !ms_logmem_ok(&m, (size_t)(idx - rlen) + (size_t)l.size, rec.len)) {
			ms_warn(t, "log_buf record %llu: its text (%zu bytes) is %s: skipped",
				(unsigned long long)seq, rec.len,
				(uint64_t)l.size + rec.len > rlen ? "longer than the record" :
				"not in the dump");
			stats->skipped++;
			continue;
		}
		memcpy(text, h + l.size, rec.len);
		text[rec.len] = '\0';
		subsystem[0] = device[0] = '\0';
		if (l.dict_len >= 0) {
			size_t dlen = (size_t)ms_get_uint(t, h, l.dict_len, 2);
			size_t at = (size_t)(idx - rlen) + (size_t)l.size + rec.len;

			if ((uint64_t)l.size + rec.len + dlen <= rlen &&
			    ms_logmem_ok(&m, at, dlen)) {
				dict_value(subsystem, m.buf + at, dlen, "SUBSYSTEM");
				dict_value(device, m.buf + at, dlen, "DEVICE");
			}
		}
		if (!stats->records)
			stats->first_seq = seq;
		stats->records++;
		stats->next_seq = seq + 1;
		if ((err = fn(&rec, arg)))
			goto out;
	}
	stats->skipped += next_seq - seq;
	if (!stats->records)
		stats->first_seq = first_seq;
	stats->next_seq = next_seq;
out:
	free(text);
	ms_logmem_free(&m);
	return err;
}
