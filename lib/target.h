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

struct ms_target_ops {
	/* Read len bytes of kernel virtual memory at addr: 0, or -1 if any byte is unreadable. */
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
	/* Address of a kernel symbol (relocated): 0, or -1 if unknown. */
	int (*symbol)(void *ctx, const char *name, uint64_t *addr);
	/* sizeof(struct name), or -1. */
	long (*struct_size)(void *ctx, const char *name);
	/* offsetof / sizeof of a member (anonymous unions and structs included), or -1. */
	long (*member_offset)(void *ctx, const char *sname, const char *member);
	long (*member_size)(void *ctx, const char *sname, const char *member);
	/* Value of an enumerator: 0, or -1 if unknown. */
	int (*enum_value)(void *ctx, const char *name, long *value);
	/* A VMCOREINFO value ("NUMBER(SECTION_SIZE_BITS)", "BUILD-ID") into buf: 0, or -1.
	 * Optional (NULL): dumps without VMCOREINFO, or bindings that cannot read it. */
	int (*vmcoreinfo)(void *ctx, const char *key, char *buf, size_t len);
};

struct ms_memo;

struct ms_target {
	const struct ms_target_ops *ops;
	void *ctx;
	unsigned int page_shift;	/* 12 on x86_64 */
	FILE *errf;			/* where warnings go (crash: fp) */
	unsigned long nr_warnings;
	struct ms_memo *memo;		/* type and symbol answers, resolved once */
	void *kern;			/* struct ms_kernel, see kernel.h */
};

void ms_target_init(struct ms_target *t, const struct ms_target_ops *ops, void *ctx,
		    unsigned int page_shift, FILE *errf);
void ms_target_fini(struct ms_target *t);

/* Memoized type and symbol look-ups (negative / -1 when absent). */
long ms_struct_size(struct ms_target *t, const char *sname);
long ms_member_offset(struct ms_target *t, const char *sname, const char *member);
long ms_member_size(struct ms_target *t, const char *sname, const char *member);
int ms_enum(struct ms_target *t, const char *name, long *value);
int ms_symbol(struct ms_target *t, const char *name, uint64_t *addr);
bool ms_has_member(struct ms_target *t, const char *sname, const char *member);

/* First member of a NULL-terminated list of alternative names that exists. */
long ms_member_offset_any(struct ms_target *t, const char *sname, const char *const *members);
/* First enumerator of a NULL-terminated list that exists: 0 or -1. */
int ms_enum_any(struct ms_target *t, const char *const *names, long *value);

/* A VMCOREINFO value as a string, or as a number (decimal, or hex for SYMBOL/
 * KERNELOFFSET as the kernel writes them): 0, or -1 if absent. */
int ms_vmcoreinfo(struct ms_target *t, const char *key, char *buf, size_t len);
int ms_vmcoreinfo_number(struct ms_target *t, const char *key, long long *value);

/* Memory reads: 0 or -1.  Integers are read little-endian of the given width. */
int ms_read(struct ms_target *t, uint64_t addr, void *buf, size_t len);
int ms_read_u64(struct ms_target *t, uint64_t addr, uint64_t *v);
int ms_read_s64(struct ms_target *t, uint64_t addr, int64_t *v);
int ms_read_u32(struct ms_target *t, uint64_t addr, uint32_t *v);
int ms_read_s32(struct ms_target *t, uint64_t addr, int32_t *v);
int ms_read_ptr(struct ms_target *t, uint64_t addr, uint64_t *v);
/* Read an unsigned integer of 1, 2, 4 or 8 bytes (a member whose width varies). */
int ms_read_uint(struct ms_target *t, uint64_t addr, size_t width, uint64_t *v);
/* Read a NUL-terminated string of at most len-1 bytes; always terminates buf. */
int ms_read_str(struct ms_target *t, uint64_t addr, char *buf, size_t len);
/* Value of a global of 1..8 bytes by symbol name: 0 or -1. */
int ms_read_sym_uint(struct ms_target *t, const char *sym, size_t width, uint64_t *v);

/* Decode helpers for a struct already copied into a local buffer. */
uint64_t ms_get_uint(const void *buf, long off, size_t width);
static inline uint64_t ms_get_u64(const void *buf, long off) { return ms_get_uint(buf, off, 8); }

/* A warning for the user: "memscope: ..." on t->errf. */
void ms_warn(struct ms_target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
