/*
 * test_kallsyms.c - decoding a synthetic kallsyms table as kernel/kallsyms.c
 * reads it: tokens, a "big" symbol's two-byte length, absolute per-cpu and
 * relative offsets, absolute ('A') per-cpu symbols, global symbols winning
 * over local ones; bad tables fail with the real cause instead of reading on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_target.h"
#include "kallsyms.h"
#include "suites.h"

#define BASE 0xffffffff81000000ull

struct table {
	struct fake *f;
	struct ms_target *t;
	struct ms_kallsyms_tables tab;
	unsigned char names[4096];
	size_t names_len;
	unsigned int nr;
	int32_t offsets[16];
};

static struct ms_error *tread(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return ms_read(ctx, addr, buf, len);
}

/* Load x's tables: the table, after asserting it decoded. */
static struct ms_kallsyms *load(struct table *x)
{
	struct ms_kallsyms *ks;
	struct ms_error *err = ms_kallsyms_load(&x->tab, tread, x->t, &ks);

	ck_assert_msg(!err, "%s", ms_error_string(err));
	return ks;
}

/* The error a bad table gives, its text checked for want. */
static void load_fails(struct table *x, enum ms_error_code code, const char *want)
{
	struct ms_kallsyms *ks = (struct ms_kallsyms *)1;
	struct ms_error *err = ms_kallsyms_load(&x->tab, tread, x->t, &ks);

	ck_assert_ptr_nonnull(err);
	ck_assert_ptr_null(ks);
	ck_assert_msg(err->code == code, "%s: %s", ms_error_code_name(err->code),
		      ms_error_string(err));
	ck_assert_msg(strstr(ms_error_string(err), want) != NULL, "%s", ms_error_string(err));
	ms_error_destroy(err);
}

/* Tokens: 0..255 are single characters except a few multi-character ones. */
static void put_tokens(struct table *x)
{
	unsigned char tt[1024];
	unsigned char ti[512];
	size_t pos = 0;

	for (int i = 0; i < 256; i++) {
		const char *tok = NULL;
		char one[2] = { (char)i, 0 };

		if (i == 1)
			tok = "init_";
		else if (i == 3)
			tok = "_ns";
		else if (i >= 'a' && i <= 'z')
			tok = one;
		else if (i >= 'A' && i <= 'Z')
			tok = one;
		else if (i == '_')
			tok = one;
		else
			tok = "";
		ti[2 * i] = (unsigned char)(pos & 0xff);
		ti[2 * i + 1] = (unsigned char)(pos >> 8);
		memcpy(tt + pos, tok, strlen(tok) + 1);
		pos += strlen(tok) + 1;
	}
	x->tab.token_table = fake_alloc(x->f, pos + 600);
	fake_put(x->f, x->tab.token_table, tt, pos);
	x->tab.token_index = fake_alloc(x->f, sizeof(ti));
	fake_put(x->f, x->tab.token_index, ti, sizeof(ti));
}

/* One symbol given as token numbers (a plain string of letters = themselves). */
static void add_sym(struct table *x, const unsigned char *tokens, size_t n, int32_t off)
{
	if (n > 127) {
		x->names[x->names_len++] = (unsigned char)(0x80 | (n & 0x7f));
		x->names[x->names_len++] = (unsigned char)(n >> 7);
	} else {
		x->names[x->names_len++] = (unsigned char)n;
	}
	memcpy(x->names + x->names_len, tokens, n);
	x->names_len += n;
	x->offsets[x->nr++] = off;
}

static void add_str(struct table *x, const char *typed_name, int32_t off)
{
	add_sym(x, (const unsigned char *)typed_name, strlen(typed_name), off);
}

static void finish(struct table *x)
{
	uint64_t base = BASE;

	x->tab.names = fake_alloc(x->f, x->names_len);
	fake_put(x->f, x->tab.names, x->names, x->names_len);
	x->tab.offsets = fake_alloc(x->f, 4 * x->nr);
	fake_put(x->f, x->tab.offsets, x->offsets, 4 * x->nr);
	x->tab.num_syms = fake_alloc(x->f, 8);
	fake_put_u32(x->f, x->tab.num_syms, x->nr);
	x->tab.relative_base = fake_alloc(x->f, 8);
	fake_put_u64(x->f, x->tab.relative_base, base);
}

static void setup(struct table *x)
{
	memset(x, 0, sizeof(*x));
	x->f = fake_new();
	x->t = fake_target(x->f);
	put_tokens(x);
}

START_TEST(test_decodes_names_types_and_addresses)
{
	unsigned char big[300];
	struct table x;
	struct ms_kallsyms *ks;
	uint64_t a;

	setup(&x);
	/* "D" + "init_" + "uts" + "_ns": tokens 'D', 1, 'u', 't', 's', 3 */
	{
		const unsigned char t[] = { 'D', 1, 'u', 't', 's', 3 };

		add_sym(&x, t, sizeof(t), -0x1001);	/* relative_base - 1 + 0x1001 */
	}
	add_str(&x, "Tstext", -1);			/* relative_base itself */
	add_str(&x, "Afixed_percpu_data", 0);		/* absolute per-cpu: 0 */
	add_str(&x, "Acpu_number", 0x2000);		/* absolute per-cpu offset */
	add_str(&x, "tdup", -0x11);			/* local first ... */
	add_str(&x, "Tdup", -0x21);			/* ... the global one wins */
	memset(big, 'x', sizeof(big));
	big[0] = 'T';
	add_sym(&x, big, sizeof(big), -0x31);		/* a "big" symbol: two-byte length */
	finish(&x);

	ks = load(&x);
	ck_assert_uint_eq(ms_kallsyms_count(ks), 7);
	ck_assert(ms_kallsyms_lookup(ks, "init_uts_ns", &a));
	ck_assert_uint_eq(a, BASE + 0x1000);
	ck_assert_int_eq(ms_kallsyms_type(ks, "init_uts_ns"), 'D');
	ck_assert(ms_kallsyms_lookup(ks, "stext", &a));
	ck_assert_uint_eq(a, BASE);
	ck_assert(ms_kallsyms_lookup(ks, "fixed_percpu_data", &a));
	ck_assert_uint_eq(a, 0);
	ck_assert(ms_kallsyms_lookup(ks, "cpu_number", &a));
	ck_assert_uint_eq(a, 0x2000);
	ck_assert(ms_kallsyms_lookup(ks, "dup", &a));
	ck_assert_uint_eq(a, BASE + 0x20);
	ck_assert_int_eq(ms_kallsyms_type(ks, "dup"), 'T');
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	ck_assert(ms_kallsyms_lookup(ks, (char *)big, &a));
	ck_assert_uint_eq(a, BASE + 0x30);
	ck_assert(!ms_kallsyms_lookup(ks, "nosuch", &a));
	/* Per-cpu symbols are absolute ('A'): offsets, not moved with the kernel. */
	ck_assert(ms_kallsyms_is_absolute(ks, "cpu_number"));
	ck_assert(ms_kallsyms_is_absolute(ks, "fixed_percpu_data"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "init_uts_ns"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "stext"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "nosuch"));
	ms_kallsyms_free(ks);
	fake_free(x.f);
}
END_TEST

START_TEST(test_relative_only_offsets)
{
	struct table x;
	struct ms_kallsyms *ks;
	uint64_t a;

	/* No negative offset: the !ABSOLUTE_PERCPU encoding, base + (u32)offset. */
	setup(&x);
	add_str(&x, "Tstext", 0);
	add_str(&x, "Dbss", 0x123456);
	finish(&x);
	ks = load(&x);
	ck_assert(ms_kallsyms_lookup(ks, "bss", &a));
	ck_assert_uint_eq(a, BASE + 0x123456);
	ms_kallsyms_free(ks);
	fake_free(x.f);
}
END_TEST

START_TEST(test_bad_tables_fail_with_a_reason)
{
	struct table x;

	/* More symbols announced than the names table holds: the read runs into
	 * unmapped memory and stops there. */
	setup(&x);
	add_str(&x, "Tstext", -1);
	finish(&x);
	x.tab.offsets = fake_alloc(x.f, 4 * 1000);
	fake_put_u32(x.f, x.tab.num_syms, 1000);
	load_fails(&x, MS_ERR_FAULT, "does not decode");

	/* An absurd count is refused before anything is read. */
	fake_put_u32(x.f, x.tab.num_syms, 0xffffffffu);
	load_fails(&x, MS_ERR_CORRUPT, "kallsyms_num_syms");

	/* Unreadable token index: the read's own error, named. */
	fake_put_u32(x.f, x.tab.num_syms, 1);
	x.tab.token_index = 0x1000;
	load_fails(&x, MS_ERR_FAULT, "kallsyms_token_index is unreadable: read of 512 bytes at 0x1000");

	/* Offsets on a page the dump does not hold: missing, not corrupt. */
	x.tab.token_index = fake_alloc(x.f, 512);
	fake_missing(x.f, x.tab.offsets, 4);
	load_fails(&x, MS_ERR_MISSING, "kallsyms_offsets");
	fake_free(x.f);
}
END_TEST

/* A table built by hand: globals win whatever the order; absolute types. */
START_TEST(test_built_by_hand)
{
	struct ms_kallsyms *ks = ms_kallsyms_new();
	uint64_t a;

	ck_assert_ptr_nonnull(ks);
	ck_assert_ptr_null(ms_kallsyms_add(ks, "x", 'd', 1));
	ck_assert_ptr_null(ms_kallsyms_add(ks, "x", 'D', 2));
	ck_assert_ptr_null(ms_kallsyms_add(ks, "x", 'D', 3));
	ck_assert_ptr_null(ms_kallsyms_add(ks, "runqueues", 'A', 0x2c340));
	ck_assert_ptr_null(ms_kallsyms_add(ks, "abs_local", 'a', 7));
	for (int i = 0; i < 5000; i++) {	/* past the first arena and hash sizes */
		char name[32];

		snprintf(name, sizeof(name), "sym%d", i);
		ck_assert_ptr_null(ms_kallsyms_add(ks, name, 't', 0xffffffff81000000ull + i));
	}
	ck_assert_ptr_null(ms_kallsyms_finish(ks));
	ck_assert(ms_kallsyms_lookup(ks, "x", &a));
	ck_assert_uint_eq(a, 2);
	ck_assert(ms_kallsyms_lookup(ks, "sym4999", &a));
	ck_assert_uint_eq(a, 0xffffffff81000000ull + 4999);
	ck_assert(ms_kallsyms_is_absolute(ks, "runqueues"));
	ck_assert(ms_kallsyms_is_absolute(ks, "abs_local"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "x"));
	ck_assert_uint_eq(ms_kallsyms_count(ks), 5005);
	ms_kallsyms_free(ks);
}
END_TEST

/* ---- a vmlinux's symbol table (kallsyms_elf.c) ---- */

struct elf_sec {
	const char *name;
	Elf64_Word type;
	Elf64_Xword flags;
	Elf64_Addr addr;
	const void *data;
	size_t size;
};

/* A small x86_64 ELF file at path: .data..percpu at percpu_addr, .data,
 * .text, and symbols in each plus an SHN_ABS one. */
static void write_vmlinux(const char *path, Elf64_Addr percpu_addr)
{
	static const char strtab[] = "\0runqueues\0init_uts_ns\0_stext\0abs_sym\0local_x";
	static const char shstrtab[] = "\0.data..percpu\0.data\0.text\0.symtab\0.strtab\0.shstrtab";
	static unsigned char percpu[0x100], data[0x200], text[0x10];
	Elf64_Sym syms[] = {
		{ 0 },
		{ .st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = 1,
		  .st_value = percpu_addr + 0x40, .st_size = 8 },
		{ .st_name = 11, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT), .st_shndx = 2,
		  .st_value = 0xffffffff82000100ull, .st_size = 8 },
		{ .st_name = 23, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_shndx = 3,
		  .st_value = 0xffffffff81000000ull },
		{ .st_name = 30, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE), .st_shndx = SHN_ABS,
		  .st_value = 0x1234 },
		{ .st_name = 38, .st_info = ELF64_ST_INFO(STB_LOCAL, STT_OBJECT), .st_shndx = 2,
		  .st_value = 0xffffffff82000180ull },
	};
	const struct elf_sec secs[] = {
		{ ".data..percpu", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, percpu_addr, percpu,
		  sizeof(percpu) },
		{ ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0xffffffff82000000ull, data,
		  sizeof(data) },
		{ ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0xffffffff81000000ull, text,
		  sizeof(text) },
		{ ".symtab", SHT_SYMTAB, 0, 0, syms, sizeof(syms) },
		{ ".strtab", SHT_STRTAB, 0, 0, strtab, sizeof(strtab) },
		{ ".shstrtab", SHT_STRTAB, 0, 0, shstrtab, sizeof(shstrtab) },
	};
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	Elf *e;
	Elf64_Ehdr *eh;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(elf_version(EV_CURRENT), EV_NONE);
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	ck_assert_ptr_nonnull(e);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		Elf_Scn *scn = elf_newscn(e);
		Elf_Data *d = elf_newdata(scn);
		Elf64_Shdr *sh = elf64_getshdr(scn);

		d->d_buf = (void *)secs[i].data;
		d->d_size = secs[i].size;
		d->d_type = secs[i].type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
		d->d_align = 8;
		sh->sh_name = (Elf64_Word)(strstr(shstrtab + 1, secs[i].name) - shstrtab);
		sh->sh_type = secs[i].type;
		sh->sh_flags = secs[i].flags;
		sh->sh_addr = secs[i].addr;
		if (secs[i].type == SHT_SYMTAB) {
			sh->sh_link = 5;	/* .strtab */
			sh->sh_info = 1;	/* the reader does not need locals first */
			sh->sh_entsize = sizeof(Elf64_Sym);
		}
	}
	eh->e_shstrndx = 6;
	ck_assert_int_ge(elf_update(e, ELF_C_WRITE), 0);
	elf_end(e);
	close(fd);
}

START_TEST(test_vmlinux_symbols_and_absolute_sections)
{
	char path[] = "/tmp/memscope-test-vmlinux-XXXXXX";
	int fd = mkstemp(path);
	struct ms_kallsyms *ks;
	struct ms_error *err;
	uint64_t a;

	ck_assert_int_ge(fd, 0);
	close(fd);
	/* x86_64 SMP: .data..percpu linked at 0, its symbols are offsets. */
	write_vmlinux(path, 0);
	err = ms_kallsyms_from_elf(path, &ks);
	ck_assert_msg(!err, "%s", ms_error_string(err));
	ck_assert(ms_kallsyms_lookup(ks, "runqueues", &a));
	ck_assert_uint_eq(a, 0x40);
	ck_assert(ms_kallsyms_is_absolute(ks, "runqueues"));
	ck_assert(ms_kallsyms_is_absolute(ks, "abs_sym"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "init_uts_ns"));
	ck_assert(!ms_kallsyms_is_absolute(ks, "_stext"));
	ck_assert_int_eq(ms_kallsyms_type(ks, "_stext"), 'T');
	ck_assert_int_eq(ms_kallsyms_type(ks, "init_uts_ns"), 'D');
	ck_assert_int_eq(ms_kallsyms_type(ks, "local_x"), 'd');
	ms_kallsyms_free(ks);

	/* A per-cpu section linked at its address (arm64, x86_64 after the
	 * absolute per-cpu scheme): its symbols move with the kernel. */
	write_vmlinux(path, 0xffffffff83000000ull);
	err = ms_kallsyms_from_elf(path, &ks);
	ck_assert_msg(!err, "%s", ms_error_string(err));
	ck_assert(!ms_kallsyms_is_absolute(ks, "runqueues"));
	ck_assert(ms_kallsyms_is_absolute(ks, "abs_sym"));
	ms_kallsyms_free(ks);
	unlink(path);

	/* Not an ELF file, or none at all: an I/O error naming it. */
	err = ms_kallsyms_from_elf("/nonexistent/vmlinux", &ks);
	ck_assert(ms_error_is(err, MS_ERR_IO));
	ck_assert_ptr_null(ks);
	ck_assert_ptr_nonnull(strstr(ms_error_string(err), "/nonexistent/vmlinux"));
	ms_error_destroy(err);
}
END_TEST

static Suite *kallsyms_suite(void)
{
	Suite *s = suite_create("kallsyms");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_decodes_names_types_and_addresses);
	tcase_add_test(tc, test_relative_only_offsets);
	tcase_add_test(tc, test_bad_tables_fail_with_a_reason);
	tcase_add_test(tc, test_built_by_hand);
	tcase_add_test(tc, test_vmlinux_symbols_and_absolute_sections);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(kallsyms_suite)
