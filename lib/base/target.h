/*
 * target.h - the small interface every memscope analysis is written against.
 *
 * A binding (the crash extension, the standalone CLI) fills a struct ms_target
 * with functions that read kernel virtual memory and answer type questions by
 * name.  Nothing in lib/ knows where the answers come from.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MEMSCOPE_TARGET_H
#define MEMSCOPE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct ms_target_ops {
	/* Read len bytes of kernel virtual memory at addr: NULL, or the error of
	 * the first byte that cannot be read (MS_ERR_FAULT, MS_ERR_MISSING for a
	 * page the dump does not hold, with the reader's own text as the cause). */
	struct ms_error *(*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	/* Address of a kernel symbol (relocated): 0, or -1 if unknown. */
	int (*symbol)(void *ctx, const char *name, uint64_t *addr);
	/* sizeof(struct name), or -1. */
	long (*struct_size)(void *ctx, const char *name);
	/* offsetof / sizeof of a member (anonymous unions and structs included), or -1. */
	long (*member_offset)(void *ctx, const char *sname, const char *member);
	long (*member_size)(void *ctx, const char *sname, const char *member);
	/* Value of an enumerator: 0, or -1 if unknown. */
	int (*enum_value)(void *ctx, const char *name, long *value);
	/* Name of the enum type an enumerator belongs to ("zone_stat_item") into
	 * buf: 0, or -1 if unknown.  Optional (NULL): the type is then unknown. */
	int (*enum_type)(void *ctx, const char *enumerator, char *buf, size_t len);
	/* A VMCOREINFO value ("NUMBER(SECTION_SIZE_BITS)", "BUILD-ID") into buf: 0, or -1.
	 * Optional (NULL): dumps without VMCOREINFO, or bindings that cannot read it. */
	int (*vmcoreinfo)(void *ctx, const char *key, char *buf, size_t len);
	/* The kernel symbol at or below addr, as kallsyms_lookup() finds it: its
	 * name into buf and addr - its address into *offset; 0, or -1 if none.
	 * Optional (NULL).  Module symbols: lib/mm/modules.c reads them itself. */
	int (*symbol_at)(void *ctx, uint64_t addr, char *buf, size_t len, uint64_t *offset);
};

struct ms_memo;

struct ms_target {
	const struct ms_target_ops *ops;
	void *ctx;
	unsigned int page_shift;	/* 12 on x86_64 */
	unsigned int word_size;		/* sizeof(long) and of a pointer: 8 or 4 */
	bool big_endian;		/* the dumped machine's byte order */
	FILE *errf;			/* where warnings go (crash: fp) */
	struct ms_memo *memo;		/* type and symbol answers, resolved once */
	void *kern;			/* struct ms_kernel, see kernel.h */
};

/* A 64-bit little-endian target until ms_target_set_arch() says otherwise. */
void ms_target_init(struct ms_target *t, const struct ms_target_ops *ops, void *ctx,
		    unsigned int page_shift, FILE *errf);
void ms_target_set_arch(struct ms_target *t, unsigned int word_size, bool big_endian);
void ms_target_fini(struct ms_target *t);

/* Memoized type look-ups: a size or offset, or -1 when the kernel has no such
 * type or member.  These are questions (which era is this kernel?), not
 * failures: code picks its fallback on -1. */
long ms_struct_size(struct ms_target *t, const char *sname);
long ms_member_offset(struct ms_target *t, const char *sname, const char *member);
long ms_member_size(struct ms_target *t, const char *sname, const char *member);
bool ms_has_member(struct ms_target *t, const char *sname, const char *member);
/* First member of a NULL-terminated list of alternative names that exists. */
long ms_member_offset_any(struct ms_target *t, const char *sname, const char *const *members);

/* Memoized symbol and enumerator look-ups: NULL, or MS_ERR_LOOKUP naming what is unknown. */
struct ms_error *ms_symbol(struct ms_target *t, const char *name, uint64_t *addr);
bool ms_has_symbol(struct ms_target *t, const char *name);
struct ms_error *ms_enum(struct ms_target *t, const char *name, long *value);
bool ms_has_enum(struct ms_target *t, const char *name);
/* An enumerator's value, or absent if this kernel has none: a question that
 * picks a kernel-era fallback, like ms_member_offset(), not a failure. */
long ms_enum_or(struct ms_target *t, const char *name, long absent);
/* First enumerator of a NULL-terminated list that exists. */
struct ms_error *ms_enum_any(struct ms_target *t, const char *const *names, long *value);
/* The enum type an enumerator belongs to ("zone_stat_item" for NR_FREE_PAGES),
 * into buf; MS_ERR_LOOKUP if the enumerator or its type is unknown, or the
 * binding cannot tell. */
struct ms_error *ms_enum_type(struct ms_target *t, const char *enumerator, char *buf, size_t len);

/* A VMCOREINFO value as a string, or as a number (decimal, or hex for SYMBOL/
 * KERNELOFFSET as the kernel writes them): NULL, MS_ERR_LOOKUP if absent,
 * MS_ERR_CORRUPT if not a number. */
struct ms_error *ms_vmcoreinfo(struct ms_target *t, const char *key, char *buf, size_t len);
struct ms_error *ms_vmcoreinfo_number(struct ms_target *t, const char *key, long long *value);

/* The symbol at or below addr (ops->symbol_at): NULL, or MS_ERR_LOOKUP if the
 * binding knows none or cannot tell.  Not memoized. */
struct ms_error *ms_symbol_at(struct ms_target *t, uint64_t addr, char *buf, size_t len,
			      uint64_t *offset);

/* Memory reads: NULL, or the reader's error (MS_ERR_FAULT, MS_ERR_MISSING).
 * Integers are read in the target's byte order, of the given width. */
struct ms_error *ms_read(struct ms_target *t, uint64_t addr, void *buf, size_t len);
struct ms_error *ms_read_u64(struct ms_target *t, uint64_t addr, uint64_t *v);
struct ms_error *ms_read_s64(struct ms_target *t, uint64_t addr, int64_t *v);
struct ms_error *ms_read_u32(struct ms_target *t, uint64_t addr, uint32_t *v);
struct ms_error *ms_read_s32(struct ms_target *t, uint64_t addr, int32_t *v);
/* A pointer (or unsigned long) of the target's word size. */
struct ms_error *ms_read_ptr(struct ms_target *t, uint64_t addr, uint64_t *v);
/* Read an unsigned integer of 1, 2, 4 or 8 bytes (a member whose width varies). */
struct ms_error *ms_read_uint(struct ms_target *t, uint64_t addr, size_t width, uint64_t *v);
/* Read a NUL-terminated string of at most len-1 bytes; always terminates buf. */
struct ms_error *ms_read_str(struct ms_target *t, uint64_t addr, char *buf, size_t len);
/* Value of a global of 1..8 bytes by symbol name: MS_ERR_LOOKUP if there is no
 * such symbol, else the read's error. */
struct ms_error *ms_read_sym_uint(struct ms_target *t, const char *sym, size_t width, uint64_t *v);

/* Decode an unsigned integer of width bytes at off of a struct already copied
 * into a local buffer, in the target's byte order. */
uint64_t ms_get_uint(const struct ms_target *t, const void *buf, long off, size_t width);
static inline uint64_t ms_get_u64(const struct ms_target *t, const void *buf, long off)
{
	return ms_get_uint(t, buf, off, 8);
}
static inline uint64_t ms_get_ptr(const struct ms_target *t, const void *buf, long off)
{
	return ms_get_uint(t, buf, off, t->word_size);
}

/* A warning for the user: "memscope: ..." on t->errf. */
void ms_warn(struct ms_target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "memscope: " + what + ": " + the error's text; destroys err (partial answers). */
void ms_warn_error(struct ms_target *t, struct ms_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline uint64_t ms_page_size(const struct ms_target *t) { return 1ull << t->page_shift; }
static inline uint64_t ms_pages_to_kb(const struct ms_target *t, uint64_t pages)
{
	return pages << (t->page_shift - 10);
}

/* The same for a signed count (a difference, a remainder): no shift of a
 * negative value, and garbage from a corrupted dump wraps instead of
 * overflowing. */
static inline int64_t ms_spages_to_kb(const struct ms_target *t, int64_t pages)
{
	return (int64_t)((uint64_t)pages << (t->page_shift - 10));
}

#endif
