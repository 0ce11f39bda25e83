/*
 * target.c - memoized look-ups and typed reads on top of a binding's ops.
 *
 * Type questions are answered by the binding once per name and remembered:
 * crash asks gdb on every MEMBER_OFFSET, which is slow in a loop.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "target.h"
#include "text.h"

#define MEMO_SLOTS 1024		/* power of two; far more names than lib/ asks */

struct memo_entry {
	char *key;
	long value;
	int found;
};

struct ms_memo {
	struct memo_entry slot[MEMO_SLOTS];
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* Find key's entry, or the empty slot where it belongs; NULL if the table is full. */
static struct memo_entry *memo_slot(struct ms_memo *m, const char *key)
{
	unsigned long i = hash_str(key);

	for (unsigned int n = 0; n < MEMO_SLOTS; n++, i++) {
		struct memo_entry *e = &m->slot[i & (MEMO_SLOTS - 1)];

		if (!e->key || !strcmp(e->key, key))
			return e;
	}
	return NULL;
}

enum memo_kind { MEMO_STRUCT = 'S', MEMO_OFF = 'O', MEMO_SIZE = 'Z', MEMO_ENUM = 'E', MEMO_SYM = 'Y' };

/* Look key up; on a miss ask the binding and remember the answer. */
static long memo_get(struct ms_target *t, enum memo_kind kind, const char *a, const char *b,
		     int *found)
{
	char key[256];
	struct memo_entry *e;
	long v = -1;
	int ok = 0;

	snprintf(key, sizeof(key), "%c:%s.%s", kind, a, b ? b : "");
	e = t->memo ? memo_slot(t->memo, key) : NULL;
	if (e && e->key) {
		*found = e->found;
		return e->value;
	}
	switch (kind) {
	case MEMO_STRUCT:
		v = t->ops->struct_size(t->ctx, a);
		ok = v >= 0;
		break;
	case MEMO_OFF:
		v = t->ops->member_offset(t->ctx, a, b);
		ok = v >= 0;
		break;
	case MEMO_SIZE:
		v = t->ops->member_size(t->ctx, a, b);
		ok = v >= 0;
		break;
	case MEMO_ENUM:
		ok = t->ops->enum_value(t->ctx, a, &v) == 0;
		break;
	case MEMO_SYM: {
		uint64_t addr = 0;

		ok = t->ops->symbol(t->ctx, a, &addr) == 0;
		v = (long)addr;
		break;
	}
	}
	if (e) {
		e->key = strdup(key);
		e->value = v;
		e->found = ok;
	}
	*found = ok;
	return v;
}

void ms_target_init(struct ms_target *t, const struct ms_target_ops *ops, void *ctx,
		    unsigned int page_shift, FILE *errf)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->ctx = ctx;
	t->page_shift = page_shift ? page_shift : 12;
	t->word_size = 8;
	t->big_endian = false;
	t->errf = errf ? errf : stderr;
	t->memo = calloc(1, sizeof(*t->memo));
}

void ms_target_set_arch(struct ms_target *t, unsigned int word_size, bool big_endian)
{
	t->word_size = word_size == 4 ? 4 : 8;
	t->big_endian = big_endian;
}

void ms_target_fini(struct ms_target *t)
{
	if (t->memo) {
		for (int i = 0; i < MEMO_SLOTS; i++)
			free(t->memo->slot[i].key);
		free(t->memo);
	}
	ms_kernel_free(t);
	t->memo = NULL;
}

long ms_struct_size(struct ms_target *t, const char *sname)
{
	int found;
	long v = memo_get(t, MEMO_STRUCT, sname, NULL, &found);

	return found ? v : -1;
}

long ms_member_offset(struct ms_target *t, const char *sname, const char *member)
{
	int found;
	long v = memo_get(t, MEMO_OFF, sname, member, &found);

	return found ? v : -1;
}

long ms_member_size(struct ms_target *t, const char *sname, const char *member)
{
	int found;
	long v = memo_get(t, MEMO_SIZE, sname, member, &found);

	return found ? v : -1;
}

bool ms_has_member(struct ms_target *t, const char *sname, const char *member)
{
	return ms_member_offset(t, sname, member) >= 0;
}

long ms_member_offset_any(struct ms_target *t, const char *sname, const char *const *members)
{
	for (; *members; members++) {
		long off = ms_member_offset(t, sname, *members);

		if (off >= 0)
			return off;
	}
	return -1;
}

bool ms_has_enum(struct ms_target *t, const char *name)
{
	int found;

	memo_get(t, MEMO_ENUM, name, NULL, &found);
	return found;
}

struct ms_error *ms_enum(struct ms_target *t, const char *name, long *value)
{
	int found;
	long v = memo_get(t, MEMO_ENUM, name, NULL, &found);

	if (!found)
		return ms_error_create(MS_ERR_LOOKUP, "no enumerator %s", name);
	*value = v;
	return NULL;
}

struct ms_error *ms_enum_any(struct ms_target *t, const char *const *names, long *value)
{
	const char *first = *names;

	for (; *names; names++)
		if (ms_has_enum(t, *names))
			return ms_enum(t, *names, value);
	return ms_error_create(MS_ERR_LOOKUP, "no enumerator %s or its later names",
			       first ? first : "(none)");
}

struct ms_error *ms_enum_type(struct ms_target *t, const char *enumerator, char *buf, size_t len)
{
	if (!len)
		return ms_error_create(MS_ERR_USAGE, "no room for the type of %s", enumerator);
	buf[0] = '\0';
	if (!t->ops->enum_type)
		return ms_error_create(MS_ERR_LOOKUP, "the type of enumerator %s cannot be told here",
				       enumerator);
	if (t->ops->enum_type(t->ctx, enumerator, buf, len))
		return ms_error_create(MS_ERR_LOOKUP, "no enum type holds %s", enumerator);
	return NULL;
}

bool ms_has_symbol(struct ms_target *t, const char *name)
{
	int found;

	memo_get(t, MEMO_SYM, name, NULL, &found);
	return found;
}

struct ms_error *ms_symbol(struct ms_target *t, const char *name, uint64_t *addr)
{
	int found;
	long v = memo_get(t, MEMO_SYM, name, NULL, &found);

	if (!found)
		return ms_error_create(MS_ERR_LOOKUP, "no symbol %s", name);
	*addr = (uint64_t)v;
	return NULL;
}

struct ms_error *ms_vmcoreinfo(struct ms_target *t, const char *key, char *buf, size_t len)
{
	if (!t->ops->vmcoreinfo || !len || t->ops->vmcoreinfo(t->ctx, key, buf, len))
		return ms_error_create(MS_ERR_LOOKUP, "no VMCOREINFO %s", key);
	return NULL;
}

struct ms_error *ms_vmcoreinfo_number(struct ms_target *t, const char *key, long long *value)
{
	char buf[64], *end;
	/* The kernel writes SYMBOL() and KERNELOFFSET in hex (kernel addresses: parse
	 * unsigned, strtoll would saturate), NUMBER() and the rest in signed decimal. */
	bool hex = !strncmp(key, "SYMBOL(", 7) || !strcmp(key, "KERNELOFFSET");
	struct ms_error *err = ms_vmcoreinfo(t, key, buf, sizeof(buf));

	if (err)
		return err;
	if (hex)
		*value = (long long)strtoull(buf, &end, 16);
	else
		*value = strtoll(buf, &end, 10);
	if (end == buf || *end)		/* the whole value, not a prefix */
		return ms_error_create(MS_ERR_CORRUPT, "VMCOREINFO %s=%s is not a number", key, buf);
	return NULL;
}

struct ms_error *ms_read(struct ms_target *t, uint64_t addr, void *buf, size_t len)
{
	if (!addr)
		return ms_error_at(MS_ERR_FAULT, 0, "read of %zu bytes", len);
	return t->ops->read(t->ctx, addr, buf, len);
}

uint64_t ms_get_uint(const struct ms_target *t, const void *buf, long off, size_t width)
{
	const unsigned char *p = (const unsigned char *)buf + off;
	uint64_t v = 0;

	if (width > 8)
		width = 8;
	for (size_t i = 0; i < width; i++) {
		size_t b = t->big_endian ? width - 1 - i : i;

		v |= (uint64_t)p[b] << (8 * i);
	}
	return v;
}

struct ms_error *ms_read_uint(struct ms_target *t, uint64_t addr, size_t width, uint64_t *v)
{
	unsigned char b[8];
	struct ms_error *err;

	if (width == 0 || width > 8)
		return ms_error_create(MS_ERR_USAGE, "no integer of %zu bytes", width);
	err = ms_read(t, addr, b, width);
	if (err)
		return err;
	*v = ms_get_uint(t, b, 0, width);
	return NULL;
}

struct ms_error *ms_read_u64(struct ms_target *t, uint64_t addr, uint64_t *v)
{
	return ms_read_uint(t, addr, 8, v);
}

struct ms_error *ms_read_ptr(struct ms_target *t, uint64_t addr, uint64_t *v)
{
	return ms_read_uint(t, addr, t->word_size, v);
}

struct ms_error *ms_read_s64(struct ms_target *t, uint64_t addr, int64_t *v)
{
	uint64_t u;
	struct ms_error *err = ms_read_uint(t, addr, 8, &u);

	if (!err)
		*v = (int64_t)u;
	return err;
}

struct ms_error *ms_read_u32(struct ms_target *t, uint64_t addr, uint32_t *v)
{
	uint64_t u;
	struct ms_error *err = ms_read_uint(t, addr, 4, &u);

	if (!err)
		*v = (uint32_t)u;
	return err;
}

struct ms_error *ms_read_s32(struct ms_target *t, uint64_t addr, int32_t *v)
{
	uint32_t u;
	struct ms_error *err = ms_read_u32(t, addr, &u);

	if (!err)
		*v = (int32_t)u;
	return err;
}

struct ms_error *ms_read_str(struct ms_target *t, uint64_t addr, char *buf, size_t len)
{
	struct ms_error *err;
	size_t i;

	if (!len)
		return ms_error_create(MS_ERR_USAGE, "no room for a string");
	buf[0] = '\0';
	/* Read byte-wise chunks so a string ending just before an unreadable page works. */
	for (i = 0; i + 1 < len; i++) {
		err = ms_read(t, addr + i, &buf[i], 1);
		if (err) {
			buf[i] = '\0';
			if (!i)
				return err;
			ms_error_destroy(err);
			break;
		}
		if (!buf[i])
			break;
	}
	buf[len - 1] = '\0';
	ms_text_sanitize(buf);
	return NULL;
}

struct ms_error *ms_read_sym_uint(struct ms_target *t, const char *sym, size_t width, uint64_t *v)
{
	uint64_t addr;
	struct ms_error *err = ms_symbol(t, sym, &addr);

	if (err)
		return err;
	return ms_error_wrap(ms_read_uint(t, addr, width, v), "%s", sym);
}

static void vwarn(struct ms_target *t, const char *fmt, va_list ap)
{
	fputs("memscope: ", t->errf);
	vfprintf(t->errf, fmt, ap);
}

void ms_warn(struct ms_target *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(t, fmt, ap);
	va_end(ap);
	fputc('\n', t->errf);
}

void ms_warn_error(struct ms_target *t, struct ms_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(t, fmt, ap);
	va_end(ap);
	fprintf(t->errf, ": %s\n", ms_error_string(err));
	ms_error_destroy(err);
}
