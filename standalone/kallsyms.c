/*
 * kallsyms.c - decode the kernel's compressed symbol table from a dump.
 *
 * The layout is what scripts/kallsyms.c writes and kernel/kallsyms.c reads
 * (v6.1, v6.12):
 *   kallsyms_names        per symbol: a length byte (two bytes, 7 bits each,
 *                         when the first has bit 7 set: "big" symbols, 6.1+),
 *                         then that many token numbers;
 *   kallsyms_token_table  256 NUL-terminated strings, found through
 *   kallsyms_token_index  256 u16 offsets;
 *   kallsyms_offsets      one s32 per symbol, read as kallsyms_sym_address():
 *                         with CONFIG_KALLSYMS_ABSOLUTE_PERCPU (x86_64 SMP)
 *                         an offset >= 0 is an absolute value (per-cpu
 *                         symbols) and a negative one means
 *                         relative_base - 1 - offset; without it every
 *                         offset is relative_base + (u32)offset.
 * The first character of an expanded name is its type letter
 * (kallsyms_expand_symbol() skips it).  kallsyms_markers and, since 6.2,
 * kallsyms_seqs_of_names only speed up the kernel's own look-ups: a linear
 * decode needs neither.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

#define KSYM_NAME_LEN	512		/* include/linux/kallsyms.h */
#define MAX_SYMS	(8u << 20)	/* far above any kernel: a bad count, not a table */
#define CHUNK		(1u << 20)	/* names are read a MiB at a time */
#define PAGE		4096u

struct sym {
	uint64_t addr;
	uint32_t name;			/* offset in the string arena */
	char type;
};

struct ms_kallsyms {
	struct sym *syms;
	size_t nr, cap;
	char *arena;
	size_t arena_len, arena_cap;
	uint32_t *hash;			/* index + 1 into syms; 0 = empty */
	size_t hash_size;		/* power of two */
};

/* The names table, read on demand: its end is not recorded anywhere. */
struct names {
	ms_kallsyms_read_fn read;
	void *ctx;
	uint64_t base;
	unsigned char *buf;
	size_t len, cap;
	int eof;			/* memory after len could not be read */
};

/* Make names->buf cover [0, upto): whole chunks, or pages near an unreadable end. */
static int names_need(struct names *n, size_t upto)
{
	while (n->len < upto) {
		size_t step = CHUNK;

		if (n->len + step > n->cap) {
			size_t cap = n->cap ? n->cap * 2 : 4 * CHUNK;
			unsigned char *b = realloc(n->buf, cap);

			if (!b)
				return -1;
			n->buf = b;
			n->cap = cap;
		}
		if (n->eof) {	/* past the readable chunks: the very bytes asked for */
			if (n->read(n->ctx, n->base + n->len, n->buf + n->len, upto - n->len))
				return -1;
			n->len = upto;
			return 0;
		}
		if (n->read(n->ctx, n->base + n->len, n->buf + n->len, step) == 0) {
			n->len += step;
			continue;
		}
		/* Fall back to pages: the table may end just before an unreadable
		 * page; at last to the very bytes asked for. */
		for (size_t done = 0; done < step; done += PAGE) {
			if (n->read(n->ctx, n->base + n->len, n->buf + n->len, PAGE)) {
				n->eof = 1;
				break;
			}
			n->len += PAGE;
		}
	}
	return 0;
}

static unsigned long hash_str(const char *s)
{
	unsigned long h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static const char *sym_name(const struct ms_kallsyms *ks, const struct sym *s)
{
	return ks->arena + s->name;
}

static int arena_add(struct ms_kallsyms *ks, const char *s, size_t len, uint32_t *off)
{
	if (ks->arena_len + len + 1 > ks->arena_cap) {
		size_t cap = ks->arena_cap ? ks->arena_cap * 2 : (1u << 20);
		char *a;

		while (cap < ks->arena_len + len + 1)
			cap *= 2;
		a = realloc(ks->arena, cap);
		if (!a)
			return -1;
		ks->arena = a;
		ks->arena_cap = cap;
	}
	memcpy(ks->arena + ks->arena_len, s, len);
	ks->arena[ks->arena_len + len] = '\0';
	*off = (uint32_t)ks->arena_len;
	ks->arena_len += len + 1;
	return 0;
}

/* Global symbols (upper-case type) win over local ones of the same name. */
static int build_hash(struct ms_kallsyms *ks)
{
	size_t size = 1;

	while (size < ks->nr * 2)
		size <<= 1;
	ks->hash = calloc(size, sizeof(*ks->hash));
	if (!ks->hash)
		return -1;
	ks->hash_size = size;
	for (size_t i = 0; i < ks->nr; i++) {
		const char *name = sym_name(ks, &ks->syms[i]);
		size_t h = hash_str(name) & (size - 1);

		for (;; h = (h + 1) & (size - 1)) {
			uint32_t *slot = &ks->hash[h];
			const struct sym *old;

			if (!*slot) {
				*slot = (uint32_t)i + 1;
				break;
			}
			old = &ks->syms[*slot - 1];
			if (strcmp(sym_name(ks, old), name))
				continue;
			if (!isupper((unsigned char)old->type) &&
			    isupper((unsigned char)ks->syms[i].type))
				*slot = (uint32_t)i + 1;
			break;
		}
	}
	return 0;
}

static const struct sym *find(const struct ms_kallsyms *ks, const char *name)
{
	size_t h;

	if (!ks->hash_size)
		return NULL;
	h = hash_str(name) & (ks->hash_size - 1);
	for (; ks->hash[h]; h = (h + 1) & (ks->hash_size - 1)) {
		const struct sym *s = &ks->syms[ks->hash[h] - 1];

		if (!strcmp(sym_name(ks, s), name))
			return s;
	}
	return NULL;
}

int ms_kallsyms_lookup(const struct ms_kallsyms *ks, const char *name, uint64_t *addr)
{
	const struct sym *s = find(ks, name);

	if (!s)
		return -1;
	*addr = s->addr;
	return 0;
}

char ms_kallsyms_type(const struct ms_kallsyms *ks, const char *name)
{
	const struct sym *s = find(ks, name);

	return s ? s->type : 0;
}

struct ms_kallsyms *ms_kallsyms_new(void)
{
	return calloc(1, sizeof(struct ms_kallsyms));
}

int ms_kallsyms_add(struct ms_kallsyms *ks, const char *name, char type, uint64_t addr)
{
	struct sym *s;

	if (ks->nr == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		struct sym *p = realloc(ks->syms, cap * sizeof(*p));

		if (!p)
			return -1;
		ks->syms = p;
		ks->cap = cap;
	}
	s = &ks->syms[ks->nr];
	s->addr = addr;
	s->type = type;
	if (arena_add(ks, name, strlen(name), &s->name))
		return -1;
	ks->nr++;
	return 0;
}

int ms_kallsyms_finish(struct ms_kallsyms *ks)
{
	free(ks->hash);
	ks->hash = NULL;
	return build_hash(ks);
}

size_t ms_kallsyms_count(const struct ms_kallsyms *ks)
{
	return ks->nr;
}

void ms_kallsyms_free(struct ms_kallsyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->arena);
	free(ks->hash);
	free(ks);
}

/* The 256 tokens, each a NUL-terminated string inside table. */
struct tokens {
	char *table;
	size_t len;
	uint16_t index[256];
};

static int read_tokens(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read, void *ctx,
		       struct tokens *tk, char *err, size_t errlen)
{
	unsigned char raw[512];
	size_t max = 0;

	if (read(ctx, tab->token_index, raw, sizeof(raw))) {
		snprintf(err, errlen, "kallsyms_token_index is unreadable");
		return -1;
	}
	for (int i = 0; i < 256; i++) {
		tk->index[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
		if (tk->index[i] > max)
			max = tk->index[i];
	}
	/* The last token starts at the highest index; a token is short.  Read
	 * page by page so an unreadable page after the table does not matter. */
	tk->table = malloc(max + KSYM_NAME_LEN + 1);
	if (!tk->table)
		return -1;
	tk->len = 0;
	while (tk->len < max + KSYM_NAME_LEN) {
		uint64_t at = tab->token_table + tk->len;
		size_t step = PAGE - (size_t)(at % PAGE);

		if (step > max + KSYM_NAME_LEN - tk->len)
			step = max + KSYM_NAME_LEN - tk->len;
		if (read(ctx, at, tk->table + tk->len, step))
			break;
		tk->len += step;
	}
	if (tk->len <= max) {
		snprintf(err, errlen, "kallsyms_token_table is unreadable");
		free(tk->table);
		tk->table = NULL;
		return -1;
	}
	tk->table[tk->len] = '\0';
	return 0;
}

/* Expand the symbol at *pos of the names table into out (type letter first). */
static int expand(struct names *n, size_t *pos, const struct tokens *tk, char *out, size_t outlen)
{
	size_t len, o = 0;
	const unsigned char *d;

	if (names_need(n, *pos + 2))
		return -1;
	d = n->buf + *pos;
	len = d[0];
	*pos += 1;
	if (len & 0x80) {		/* "big" symbol: 7 more bits in the next byte */
		len = (len & 0x7f) | (size_t)d[1] << 7;
		*pos += 1;
	}
	if (names_need(n, *pos + len))
		return -1;
	d = n->buf + *pos;
	for (size_t i = 0; i < len; i++) {
		const char *t = tk->table + tk->index[d[i]];

		if ((size_t)(t - tk->table) >= tk->len)
			return -1;
		for (; *t; t++)
			if (o + 1 < outlen)
				out[o++] = *t;
	}
	out[o] = '\0';
	*pos += len;
	return o ? 0 : -1;
}

/* kallsyms_sym_address() of kernel/kallsyms.c. */
static uint64_t sym_address(int32_t off, uint64_t relative_base, int absolute_percpu)
{
	if (!absolute_percpu)
		return relative_base + (uint32_t)off;
	if (off >= 0)
		return (uint64_t)off;
	return relative_base - 1 - (uint64_t)(int64_t)off;
}

static int read_offsets(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read, void *ctx,
			uint32_t nr, int32_t **offsets, int *absolute_percpu)
{
	unsigned char *raw = malloc((size_t)nr * 4);
	int32_t *v = malloc((size_t)nr * sizeof(*v));

	if (!raw || !v || read(ctx, tab->offsets, raw, (size_t)nr * 4)) {
		free(raw);
		free(v);
		return -1;
	}
	*absolute_percpu = 0;
	for (uint32_t i = 0; i < nr; i++) {
		const unsigned char *p = raw + 4 * (size_t)i;

		v[i] = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
				 (uint32_t)p[3] << 24);
		/* Relative offsets of a kernel image are far below 2 GiB: a negative
		 * one exists only in the absolute-percpu encoding. */
		if (v[i] < 0)
			*absolute_percpu = 1;
	}
	free(raw);
	*offsets = v;
	return 0;
}

struct ms_kallsyms *ms_kallsyms_load(const struct ms_kallsyms_tables *tab,
				     ms_kallsyms_read_fn read, void *ctx, char *err, size_t errlen)
{
	struct ms_kallsyms *ks = calloc(1, sizeof(*ks));
	struct names n = { .read = read, .ctx = ctx, .base = tab->names };
	struct tokens tk = { 0 };
	int32_t *offsets = NULL;
	unsigned char b[8];
	uint64_t base;
	uint32_t nr;
	int abs_percpu;
	size_t pos = 0;
	char name[KSYM_NAME_LEN + 1];

	if (!ks)
		return NULL;
	if (read(ctx, tab->num_syms, b, 4)) {
		snprintf(err, errlen, "kallsyms_num_syms is unreadable");
		goto fail;
	}
	nr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	if (!nr || nr > MAX_SYMS) {
		snprintf(err, errlen, "kallsyms_num_syms reads %u", nr);
		goto fail;
	}
	if (read(ctx, tab->relative_base, b, 8)) {
		snprintf(err, errlen, "kallsyms_relative_base is unreadable");
		goto fail;
	}
	base = 0;
	for (int i = 7; i >= 0; i--)
		base = base << 8 | b[i];
	if (read_offsets(tab, read, ctx, nr, &offsets, &abs_percpu)) {
		snprintf(err, errlen, "kallsyms_offsets (%u entries) is unreadable", nr);
		goto fail;
	}
	if (read_tokens(tab, read, ctx, &tk, err, errlen))
		goto fail;
	for (uint32_t i = 0; i < nr; i++) {
		if (expand(&n, &pos, &tk, name, sizeof(name))) {
			snprintf(err, errlen, "kallsyms_names: symbol %u of %u does not decode", i, nr);
			goto fail;
		}
		if (ms_kallsyms_add(ks, name + 1, name[0], sym_address(offsets[i], base, abs_percpu)))
			goto fail;
	}
	if (ms_kallsyms_finish(ks))
		goto fail;
	free(offsets);
	free(tk.table);
	free(n.buf);
	return ks;
fail:
	free(offsets);
	free(tk.table);
	free(n.buf);
	ms_kallsyms_free(ks);
	return NULL;
}

