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
 * (kallsyms_expand_symbol() skips it); scripts/kallsyms.c's
 * make_percpus_absolute() makes it 'A' for the per-cpu symbols it writes
 * as absolute values.  kallsyms_markers and, since 6.2,
 * kallsyms_seqs_of_names only speed up the kernel's own look-ups: a linear
 * decode needs neither.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
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
	struct ms_hash by_name;		/* name (in the arena) -> index into syms */
	uint32_t *by_addr;		/* indices of the non-absolute symbols, by address */
	size_t nr_addr;
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

static struct ms_error *names_grow(struct names *n, size_t step)
{
	size_t cap;
	unsigned char *b;

	if (n->len + step <= n->cap)
		return NULL;
	cap = n->cap ? n->cap * 2 : 4 * CHUNK;
	b = realloc(n->buf, cap);
	if (!b)
		return &ms_error_nomem;
	n->buf = b;
	n->cap = cap;
	return NULL;
}

/* Make names->buf cover [0, upto): whole chunks, or pages near an unreadable end. */
static struct ms_error *names_need(struct names *n, size_t upto)
{
	while (n->len < upto) {
		struct ms_error *err = names_grow(n, CHUNK);

		if (err)
			return err;
		if (n->eof) {	/* past the readable chunks: the very bytes asked for */
			err = n->read(n->ctx, n->base + n->len, n->buf + n->len, upto - n->len);
			if (err)
				return err;
			n->len = upto;
			return NULL;
		}
		err = n->read(n->ctx, n->base + n->len, n->buf + n->len, CHUNK);
		if (!err) {
			n->len += CHUNK;
			continue;
		}
		/* Fall back to pages: the table may end just before an unreadable
		 * page; at last to the very bytes asked for. */
		ms_error_destroy(err);
		for (size_t done = 0; done < CHUNK; done += PAGE) {
			err = n->read(n->ctx, n->base + n->len, n->buf + n->len, PAGE);
			if (err) {
				ms_error_destroy(err);
				n->eof = 1;
				break;
			}
			n->len += PAGE;
		}
	}
	return NULL;
}

static const char *sym_name(const struct ms_kallsyms *ks, const struct sym *s)
{
	return ks->arena + s->name;
}

static struct ms_error *arena_add(struct ms_kallsyms *ks, const char *s, size_t len, uint32_t *off)
{
	if (ks->arena_len + len + 1 > UINT32_MAX)
		return ms_error_create(MS_ERR_CORRUPT, "kallsyms: more than 4 GiB of names");
	if (ks->arena_len + len + 1 > ks->arena_cap) {
		size_t cap = ks->arena_cap ? ks->arena_cap * 2 : (1u << 20);
		char *a;

		while (cap < ks->arena_len + len + 1)
			cap *= 2;
		a = realloc(ks->arena, cap);
		if (!a)
			return &ms_error_nomem;
		ks->arena = a;
		ks->arena_cap = cap;
	}
	memcpy(ks->arena + ks->arena_len, s, len);
	ks->arena[ks->arena_len + len] = '\0';
	*off = (uint32_t)ks->arena_len;
	ks->arena_len += len + 1;
	return NULL;
}

/* Global symbols (upper-case type) win over local ones of the same name;
 * else the first in the table. */
static struct ms_error *build_hash(struct ms_kallsyms *ks)
{
	struct ms_error *err = ms_hash_reserve(&ks->by_name, ks->nr);

	for (size_t i = 0; !err && i < ks->nr; i++) {
		struct ms_hash_entry *e;
		bool added;

		err = ms_hash_put(&ks->by_name, sym_name(ks, &ks->syms[i]), &e, &added);
		if (!err && (added || (!isupper((unsigned char)ks->syms[e->value].type) &&
				       isupper((unsigned char)ks->syms[i].type))))
			e->value = i;
	}
	return err;
}

static const struct sym *find(const struct ms_kallsyms *ks, const char *name)
{
	const struct ms_hash_entry *e = ms_hash_get(&ks->by_name, name);

	return e ? &ks->syms[e->value] : NULL;
}

bool ms_kallsyms_lookup(const struct ms_kallsyms *ks, const char *name, uint64_t *addr)
{
	const struct sym *s = find(ks, name);

	if (s)
		*addr = s->addr;
	return s;
}

char ms_kallsyms_type(const struct ms_kallsyms *ks, const char *name)
{
	const struct sym *s = find(ks, name);

	return s ? s->type : 0;
}

bool ms_kallsyms_is_absolute(const struct ms_kallsyms *ks, const char *name)
{
	char type = ms_kallsyms_type(ks, name);

	return type == 'A' || type == 'a';
}

struct ms_kallsyms *ms_kallsyms_new(void)
{
	struct ms_kallsyms *ks = calloc(1, sizeof(*ks));

	if (ks)
		ms_hash_init(&ks->by_name, false);
	return ks;
}

struct ms_error *ms_kallsyms_add(struct ms_kallsyms *ks, const char *name, char type,
				 uint64_t addr)
{
	struct ms_error *err;
	struct sym *s;

	if (ks->nr == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		struct sym *p = realloc(ks->syms, cap * sizeof(*p));

		if (!p)
			return &ms_error_nomem;
		ks->syms = p;
		ks->cap = cap;
	}
	s = &ks->syms[ks->nr];
	s->addr = addr;
	s->type = type;
	err = arena_add(ks, name, strlen(name), &s->name);
	if (!err)
		ks->nr++;
	return err;
}

static const struct ms_kallsyms *sort_ks;	/* qsort has no context argument */

static int cmp_by_addr(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	uint64_t va = sort_ks->syms[a].addr, vb = sort_ks->syms[b].addr;

	if (va != vb)
		return va < vb ? -1 : 1;
	return (a > b) - (a < b);	/* the table's order among aliases */
}

/* The address index of ms_kallsyms_at(): absolute symbols are not addresses. */
static struct ms_error *build_by_addr(struct ms_kallsyms *ks)
{
	free(ks->by_addr);
	ks->nr_addr = 0;
	ks->by_addr = malloc((ks->nr ? ks->nr : 1) * sizeof(*ks->by_addr));
	if (!ks->by_addr)
		return &ms_error_nomem;
	for (size_t i = 0; i < ks->nr; i++)
		if (ks->syms[i].type != 'A' && ks->syms[i].type != 'a')
			ks->by_addr[ks->nr_addr++] = (uint32_t)i;
	sort_ks = ks;
	qsort(ks->by_addr, ks->nr_addr, sizeof(*ks->by_addr), cmp_by_addr);
	sort_ks = NULL;
	return NULL;
}

/* The hash keys point into the arena, which add may move: index at the end. */
struct ms_error *ms_kallsyms_finish(struct ms_kallsyms *ks)
{
	struct ms_error *err;

	ms_hash_fini(&ks->by_name);
	ms_hash_init(&ks->by_name, false);
	err = build_hash(ks);
	return err ? err : build_by_addr(ks);
}

/* get_symbol_pos() (kernel/kallsyms.c): the last symbol at or below addr, then
 * back to the first of its aliases. */
bool ms_kallsyms_at(const struct ms_kallsyms *ks, uint64_t addr, char *buf, size_t len,
		    uint64_t *offset)
{
	size_t lo = 0, hi = ks->nr_addr;
	const struct sym *s;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[ks->by_addr[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	s = &ks->syms[ks->by_addr[lo - 1]];
	while (lo > 1 && ks->syms[ks->by_addr[lo - 2]].addr == s->addr)
		s = &ks->syms[ks->by_addr[--lo - 1]];
	snprintf(buf, len, "%s", sym_name(ks, s));
	*offset = addr - s->addr;
	return true;
}

size_t ms_kallsyms_count(const struct ms_kallsyms *ks)
{
	return ks->nr;
}

void ms_kallsyms_free(struct ms_kallsyms *ks)
{
	if (!ks)
		return;
	ms_hash_fini(&ks->by_name);
	free(ks->by_addr);
	free(ks->syms);
	free(ks->arena);
	free(ks);
}

/* The 256 tokens, each a NUL-terminated string inside table. */
struct tokens {
	char *table;
	size_t len;
	uint16_t index[256];
};

/* The table page by page up to want bytes: a page after its end may be
 * unreadable.  The error of the read that stopped it in *last. */
static void read_token_table(uint64_t at0, ms_kallsyms_read_fn read, void *ctx,
			     struct tokens *tk, size_t want, struct ms_error **last)
{
	tk->len = 0;
	while (tk->len < want) {
		uint64_t at = at0 + tk->len;
		size_t step = PAGE - (size_t)(at % PAGE);

		if (step > want - tk->len)
			step = want - tk->len;
		*last = read(ctx, at, tk->table + tk->len, step);
		if (*last)
			return;
		tk->len += step;
	}
}

static struct ms_error *read_tokens(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read,
				    void *ctx, struct tokens *tk)
{
	unsigned char raw[512];
	struct ms_error *err = read(ctx, tab->token_index, raw, sizeof(raw));
	size_t max = 0;

	if (err)
		return ms_error_wrap(err, "kallsyms_token_index is unreadable");
	for (int i = 0; i < 256; i++) {
		tk->index[i] = (uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8);
		if (tk->index[i] > max)
			max = tk->index[i];
	}
	/* The last token starts at the highest index; a token is short. */
	tk->table = malloc(max + KSYM_NAME_LEN + 1);
	if (!tk->table)
		return &ms_error_nomem;
	read_token_table(tab->token_table, read, ctx, tk, max + KSYM_NAME_LEN, &err);
	if (tk->len <= max) {
		free(tk->table);
		tk->table = NULL;
		return ms_error_wrap(err, "kallsyms_token_table is unreadable");
	}
	ms_error_destroy(err);
	tk->table[tk->len] = '\0';
	return NULL;
}

/* Expand the symbol at *pos of the names table into out (type letter first). */
static struct ms_error *expand(struct names *n, size_t *pos, const struct tokens *tk, char *out,
			       size_t outlen)
{
	size_t len, o = 0;
	const unsigned char *d;
	struct ms_error *err = names_need(n, *pos + 2);

	if (err)
		return err;
	d = n->buf + *pos;
	len = d[0];
	*pos += 1;
	if (len & 0x80) {		/* "big" symbol: 7 more bits in the next byte */
		len = (len & 0x7f) | (size_t)d[1] << 7;
		*pos += 1;
	}
	err = names_need(n, *pos + len);
	if (err)
		return err;
	d = n->buf + *pos;
	for (size_t i = 0; i < len; i++) {
		const char *t = tk->table + tk->index[d[i]];

		if ((size_t)(t - tk->table) >= tk->len)
			return ms_error_create(MS_ERR_CORRUPT, "token %u past the token table", d[i]);
		for (; *t; t++)
			if (o + 1 < outlen)
				out[o++] = *t;
	}
	out[o] = '\0';
	*pos += len;
	return o ? NULL : ms_error_create(MS_ERR_CORRUPT, "an empty name");
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

static struct ms_error *read_offsets(const struct ms_kallsyms_tables *tab,
				     ms_kallsyms_read_fn read, void *ctx, uint32_t nr,
				     int32_t **offsets, int *absolute_percpu)
{
	unsigned char *raw = malloc((size_t)nr * 4);
	int32_t *v = malloc((size_t)nr * sizeof(*v));
	struct ms_error *err = raw && v ? read(ctx, tab->offsets, raw, (size_t)nr * 4) :
				&ms_error_nomem;

	if (err) {
		free(raw);
		free(v);
		return ms_error_wrap(err, "kallsyms_offsets (%u entries) is unreadable", nr);
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
	return NULL;
}

/* kallsyms_num_syms and kallsyms_relative_base (little-endian, as x86_64 writes them). */
static struct ms_error *read_header(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read,
				    void *ctx, uint32_t *nr, uint64_t *base)
{
	unsigned char b[8];
	struct ms_error *err = read(ctx, tab->num_syms, b, 4);

	if (err)
		return ms_error_wrap(err, "kallsyms_num_syms is unreadable");
	*nr = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
	if (!*nr || *nr > MAX_SYMS)
		return ms_error_create(MS_ERR_CORRUPT, "kallsyms_num_syms reads %u", *nr);
	err = read(ctx, tab->relative_base, b, 8);
	if (err)
		return ms_error_wrap(err, "kallsyms_relative_base is unreadable");
	*base = 0;
	for (int i = 7; i >= 0; i--)
		*base = *base << 8 | b[i];
	return NULL;
}

/* Every name, with its address, into ks. */
static struct ms_error *decode(struct ms_kallsyms *ks, struct names *n, const struct tokens *tk,
			       const int32_t *offsets, uint32_t nr, uint64_t base, int abs_percpu)
{
	char name[KSYM_NAME_LEN + 1];
	size_t pos = 0;

	for (uint32_t i = 0; i < nr; i++) {
		struct ms_error *err = expand(n, &pos, tk, name, sizeof(name));

		if (err)
			return err == &ms_error_nomem ? err :
				ms_error_wrap(err, "kallsyms_names: symbol %u of %u does not decode",
					      i, nr);
		err = ms_kallsyms_add(ks, name + 1, name[0], sym_address(offsets[i], base, abs_percpu));
		if (err)
			return err;
	}
	return ms_kallsyms_finish(ks);
}

struct ms_error *ms_kallsyms_load(const struct ms_kallsyms_tables *tab, ms_kallsyms_read_fn read,
				  void *ctx, struct ms_kallsyms **out)
{
	struct ms_kallsyms *ks = ms_kallsyms_new();
	struct names n = { .read = read, .ctx = ctx, .base = tab->names };
	struct tokens tk = { 0 };
	int32_t *offsets = NULL;
	struct ms_error *err;
	uint64_t base = 0;
	uint32_t nr = 0;
	int abs_percpu = 0;

	*out = NULL;
	if (!ks)
		return &ms_error_nomem;
	err = read_header(tab, read, ctx, &nr, &base);
	if (!err)
		err = read_offsets(tab, read, ctx, nr, &offsets, &abs_percpu);
	if (!err)
		err = read_tokens(tab, read, ctx, &tk);
	if (!err)
		err = decode(ks, &n, &tk, offsets, nr, base, abs_percpu);
	free(offsets);
	free(tk.table);
	free(n.buf);
	if (err) {
		ms_kallsyms_free(ks);
		return err;
	}
	*out = ks;
	return NULL;
}
