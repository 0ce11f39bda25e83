/*
 * log_print.c - the kernel log as dmesg prints it, and as JSON.
 *
 * The prefix is the kernel's own (info_print_prefix() and record_print_text()
 * of kernel/printk/printk.c): "<N>" with -r, "[%5lu.%06lu]" from ts_nsec,
 * the caller as "[%6s]", then a space; every line of a multi-line record gets
 * it.  -x decodes facility and level as util-linux's dmesg -x does; -d adds
 * the dictionary lines as /dev/kmsg shows them (msg_add_dict_text()).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log_print.h"

#define NSEC_PER_SEC 1000000000ull

/* syslog(3)'s names, as dmesg -x prints them. */
static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "res0", "res1", "res2", "res3",
	"local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
};
static const char *const level_names[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

/* "T123" or "C1" (print_caller()). */
static void caller_str(char *buf, size_t len, uint32_t id)
{
	snprintf(buf, len, "%c%" PRIu32, id & MS_LOG_CALLER_CPU ? 'C' : 'T',
		 id & ~MS_LOG_CALLER_CPU);
}

static void prefix(FILE *out, const struct ms_log_record *rec, const struct ms_log_print_opts *o)
{
	bool space = false;

	if (o->raw) {
		fprintf(out, "<%u>", (unsigned int)rec->facility << 3 | rec->level);
	} else if (o->decode) {
		char fac[8];

		if (rec->facility < sizeof(facility_names) / sizeof(facility_names[0]))
			snprintf(fac, sizeof(fac), "%s", facility_names[rec->facility]);
		else
			snprintf(fac, sizeof(fac), "%u", rec->facility);
		fprintf(out, "%-6s:%-6s: ", fac, level_names[rec->level & 7]);
	}
	if (!o->no_time) {
		fprintf(out, "[%5llu.%06llu]", (unsigned long long)(rec->ts_nsec / NSEC_PER_SEC),
			(unsigned long long)(rec->ts_nsec % NSEC_PER_SEC / 1000));
		space = true;
	}
	if (o->caller && rec->has_caller) {
		char c[16];

		caller_str(c, sizeof(c), rec->caller_id);
		fprintf(out, "[%6s]", c);
		space = true;
	}
	if (space)
		fputc(' ', out);
}

void ms_log_print_record(FILE *out, const struct ms_log_record *rec,
			 const struct ms_log_print_opts *o)
{
	const char *p = rec->text, *end = rec->text + rec->len;

	do {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		prefix(out, rec, o);
		fwrite(p, 1, n, out);
		fputc('\n', out);
		p += n + (nl != NULL);
	} while (p < end);
	if (o->dict && rec->subsystem && *rec->subsystem)
		fprintf(out, " SUBSYSTEM=%s\n", rec->subsystem);
	if (o->dict && rec->device && *rec->device)
		fprintf(out, " DEVICE=%s\n", rec->device);
}

void ms_log_print_note(FILE *out, const struct ms_log_stats *s)
{
	fprintf(out, "\n-- %s: seq %" PRIu64 "..%" PRIu64 ", %" PRIu64 " records", s->format,
		s->first_seq, s->next_seq ? s->next_seq - 1 : 0, s->records);
	if (s->skipped)
		fprintf(out, ", %" PRIu64 " skipped (missing or corrupt)", s->skipped);
	fputc('\n', out);
}

/* The text as a JSON string: UTF-8 as it is, other bytes as \xNN (as /dev/kmsg
 * escapes them), since a JSON string holds only Unicode. */
static json_t *text_json(const char *text, size_t len)
{
	json_t *j = memchr(text, '\0', len) ? NULL : json_stringn(text, len);
	char *buf;

	if (j)
		return j;
	buf = malloc(len * 4 + 1);
	if (!buf)
		return NULL;
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c >= 0x80 || !c)
			n += (size_t)sprintf(buf + n, "\\x%02x", c);
		else
			buf[n++] = (char)c;
	}
	j = json_stringn(buf, n);
	free(buf);
	return j;
}

json_t *ms_log_record_json(const struct ms_log_record *rec)
{
	json_t *j = json_object();
	char c[16];

	if (!j)
		return NULL;
	json_object_set_new(j, "seq", json_integer((json_int_t)rec->seq));
	json_object_set_new(j, "ts_nsec", json_integer((json_int_t)rec->ts_nsec));
	json_object_set_new(j, "time", json_real((double)rec->ts_nsec / (double)NSEC_PER_SEC));
	json_object_set_new(j, "level", json_integer(rec->level));
	json_object_set_new(j, "facility", json_integer(rec->facility));
	json_object_set_new(j, "flags", json_integer(rec->flags));
	if (rec->has_caller) {
		caller_str(c, sizeof(c), rec->caller_id);
		json_object_set_new(j, "caller", json_string(c));
	} else {
		json_object_set_new(j, "caller", json_null());
	}
	json_object_set_new(j, "text", text_json(rec->text, rec->len));
	json_object_set_new(j, "subsystem", rec->subsystem && *rec->subsystem ?
			    text_json(rec->subsystem, strlen(rec->subsystem)) : json_null());
	json_object_set_new(j, "device", rec->device && *rec->device ?
			    text_json(rec->device, strlen(rec->device)) : json_null());
	return j;
}

json_t *ms_log_json(const struct ms_log_stats *s, json_t *records)
{
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:o}", "format", s->format ? s->format : "",
			 "first_seq", (json_int_t)s->first_seq, "next_seq", (json_int_t)s->next_seq,
			 "records", (json_int_t)s->records, "skipped", (json_int_t)s->skipped,
			 "log", records);
}
