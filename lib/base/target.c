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

#include "hash.h"
#include "kernel.h"
#include "target.h"
#include "text.h"

struct ms_memo {
	struct ms_hash found;		/* "kind:a.b" -> the binding's answer */
	struct ms_hash absent;		/* keys the binding has no answer for */
	struct ms_hash enum_types;	/* enumerator -> its enum's name (malloc'd) */
};

enum memo_kind {
	MEMO_STRUCT = 'S', MEMO_OFF = 'O', MEMO_SIZE = 'Z', MEMO_ENUM = 'E', MEMO_SYM = 'Y',
	MEMO_ETYPE = 'T',
};

/* The memo's key, or NULL if there is no memo or the names do not fit:
 * then the binding is asked every time, never a wrong answer. */
static const char *memo_key(struct ms_target *t, enum memo_kind kind, const char *a,
			    const char *b, char *key, size_t len)
{
	int n;

	if (!t->memo)
		return NULL;
	n = snprintf(key, len, "%c:%s.%s", kind, a, b ? b : "");
	return n >= 0 && (size_t)n < len ? key : NULL;
}

/* Remember an answer.  Out of memory only costs a later question again. */
static void memo_put(struct ms_target *t, const char *key, bool found, long v)
{
	struct ms_hash_entry *e;

	if (!key)
		return;
	if (ms_error_failed(ms_hash_put(found ? &t->memo->found : &t->memo->absent, key, &e, NULL)))
		return;
	e->value = (uint64_t)v;
}

/* The binding's answer to one question. */
static long ask(struct ms_target *t, enum memo_kind kind, const char *a, const char *b, int *ok)
{
	long v = -1;

	switch (kind) {
	case MEMO_STRUCT:
		v = t->ops->struct_size(t->ctx, a);
		*ok = v >= 0;
		break;
	case MEMO_OFF:
		v = t->ops->member_offset(t->ctx, a, b);
		*ok = v >= 0;
		break;
	case MEMO_SIZE:
		v = t->ops->member_size(t->ctx, a, b);
		*ok = v >= 0;
		break;
	case MEMO_ENUM:
		*ok = t->ops->enum_value(t->ctx, a, &v) == 0;
		break;
	case MEMO_SYM: {
		uint64_t addr = 0;

		*ok = t->ops->symbol(t->ctx, a, &addr) == 0;
		v = (long)addr;
		break;
	}
	default:
		*ok = 0;
		break;
	}
	return v;
}

/* Look key up; on a miss ask the binding and remember the answer. */
static long memo_get(struct ms_target *t, enum memo_kind kind, const char *a, const char *b,
		     int *found)
{
	char buf[256];
	const char *key = memo_key(t, kind, a, b, buf, sizeof(buf));
	struct ms_hash_entry *e;
	long v;

	if (key) {
		e = ms_hash_get(&t->memo->found, key);
		if (e) {
			*found = 1;
			return (long)e->value;
		}
		if (ms_hash_get(&t->memo->absent, key)) {
			*found = 0;
			return -1;
		}
	}
	v = ask(t, kind, a, b, found);
	memo_put(t, key, *found, v);
	return v;
}

static struct ms_memo *memo_new(void)
{
	struct ms_memo *m = calloc(1, sizeof(*m));

	if (m) {
		ms_hash_init(&m->found, true);
		ms_hash_init(&m->absent, true);
		ms_hash_init(&m->enum_types, true);
	}
	return m;
}

static void memo_free(struct ms_memo *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->enum_types.size; i++)
		if (m->enum_types.slot[i].key)
			free((char *)(uintptr_t)m->enum_types.slot[i].value);
	ms_hash_fini(&m->found);
	ms_hash_fini(&m->absent);
	ms_hash_fini(&m->enum_types);
	free(m);
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
	t->memo = memo_new();		/* without it every question goes to the binding */
}

void ms_target_set_arch(struct ms_target *t, unsigned int word_size, bool big_endian)
{
	t->word_size = word_size == 4 ? 4 : 8;
	t->big_endian = big_endian;
}

void ms_target_fini(struct ms_target *t)
{
	memo_free(t->memo);
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

long ms_enum_or(struct ms_target *t, const char *name, long absent)
{
	int found;
	long v = memo_get(t, MEMO_ENUM, name, NULL, &found);

	return found ? v : absent;
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

/* The binding's enum type of an enumerator, remembered (absent ones too). */
static bool enum_type_of(struct ms_target *t, const char *enumerator, char *buf, size_t len)
{
	char kbuf[256];
	const char *key = memo_key(t, MEMO_ETYPE, enumerator, NULL, kbuf, sizeof(kbuf));
	struct ms_hash_entry *e = key ? ms_hash_get(&t->memo->enum_types, enumerator) : NULL;
	char name[256];
	char *copy;

	if (e) {
		snprintf(buf, len, "%s", (const char *)(uintptr_t)e->value);
		return true;
	}
	if (key && ms_hash_get(&t->memo->absent, key))
		return false;
	if (!t->ops->enum_type || t->ops->enum_type(t->ctx, enumerator, name, sizeof(name))) {
		memo_put(t, key, false, 0);
		return false;
	}
	snprintf(buf, len, "%s", name);
	copy = key ? strdup(name) : NULL;
	if (copy && !ms_error_failed(ms_hash_put(&t->memo->enum_types, enumerator, &e, NULL)))
		e->value = (uint64_t)(uintptr_t)copy;
	else
		free(copy);
	return true;
}

struct ms_error *ms_enum_type(struct ms_target *t, const char *enumerator, char *buf, size_t len)
{
	if (!len)
		return ms_error_create(MS_ERR_USAGE, "no room for the type of %s", enumerator);
	buf[0] = '\0';
	if (!t->ops->enum_type)
		return ms_error_create(MS_ERR_LOOKUP, "the type of enumerator %s cannot be told here",
				       enumerator);
	if (!enum_type_of(t, enumerator, buf, len))
		return ms_error_create(MS_ERR_LOOKUP, "no enum type holds %s", enumerator);
	return NULL;
}

struct ms_error *ms_symbol_at(struct ms_target *t, uint64_t addr, char *buf, size_t len,
			      uint64_t *offset)
{
	if (!t->ops->symbol_at || t->ops->symbol_at(t->ctx, addr, buf, len, offset))
		return ms_error_create(MS_ERR_LOOKUP, "no symbol at %#llx", (unsigned long long)addr);
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
