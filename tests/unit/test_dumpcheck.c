/*
 * test_dumpcheck.c - the header checks on small synthetic dumps: a valid
 * ELF and kdump file pass, and each of issue #14's header faults is refused
 * with its reason.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE	/* memmem() */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "dumpcheck.h"
#include "suites.h"

#define PAGE 4096
static const char vmcoreinfo[] = "OSRELEASE=6.1.0-55-cloud-amd64\nPAGESIZE=4096\n";

/* An x86_64 ELF core: a PT_NOTE holding a VMCOREINFO note, one PT_LOAD page. */
static unsigned char *make_elf(size_t *len)
{
	size_t notes = 12 + 12 + ((sizeof(vmcoreinfo) - 1 + 3) & ~3u);
	size_t off_notes = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
	size_t off_load = (off_notes + notes + PAGE - 1) & ~(size_t)(PAGE - 1);
	unsigned char *b;
	Elf64_Ehdr *h;
	Elf64_Phdr *ph;
	uint32_t nh[3] = { 11, sizeof(vmcoreinfo) - 1, 0 };

	*len = off_load + PAGE;
	b = calloc(1, *len);
	h = (Elf64_Ehdr *)b;
	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_type = ET_CORE;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_phoff = sizeof(*h);
	h->e_ehsize = sizeof(*h);
	h->e_phentsize = sizeof(*ph);
	h->e_phnum = 2;
	ph = (Elf64_Phdr *)(b + sizeof(*h));
	ph[0] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off_notes, .p_filesz = notes };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = off_load, .p_filesz = PAGE,
			      .p_memsz = PAGE };
	memcpy(b + off_notes, nh, 12);
	memcpy(b + off_notes + 12, "VMCOREINFO", 11);
	memcpy(b + off_notes + 24, vmcoreinfo, sizeof(vmcoreinfo) - 1);
	return b;
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

/*
 * A kdump file of version 6: header, one sub-header block, two bitmap blocks
 * (16 pages, pages 0 and 3 dumped), two descriptors, the shared zero page
 * (page 0) and page 3's data, uncompressed.
 */
static unsigned char *make_kdump(size_t *len)
{
	size_t descs = 4 * PAGE, data = descs + 2 * 24;
	unsigned char *b;

	*len = data + 2 * PAGE;
	b = calloc(1, *len);
	memcpy(b, "KDUMP   ", 8);
	put32(b + 8, 6);
	memcpy(b + 12 + 4 * 65, "x86_64", 6);
	put32(b + 428, PAGE);		/* block_size */
	put32(b + 432, 1);		/* sub_hdr_size */
	put32(b + 436, 2);		/* bitmap_blocks */
	put32(b + 440, 16);		/* max_mapnr */
	put64(b + PAGE + 32, PAGE + 200);		/* offset_vmcoreinfo */
	put64(b + PAGE + 40, sizeof(vmcoreinfo) - 1);
	memcpy(b + PAGE + 200, vmcoreinfo, sizeof(vmcoreinfo) - 1);
	put64(b + PAGE + 96, 16);			/* max_mapnr_64 */
	b[2 * PAGE] = 0x09;				/* bitmap 1: pages 0 and 3 */
	b[3 * PAGE] = 0x09;				/* bitmap 2: the same */
	put64(b + descs, data);				/* page 0: the zero page */
	put32(b + descs + 8, PAGE);
	put64(b + descs + 24, data + PAGE);		/* page 3 */
	put32(b + descs + 32, PAGE);
	return b;
}

static struct ms_error *check(unsigned char *b, size_t len)
{
	return ms_dumpcheck_buf(b, len, "x86_64");
}

/* err is of code and says what; destroyed. */
static void refused(struct ms_error *err, enum ms_error_code code, const char *what)
{
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(err->code == code, "%s: code %d", ms_error_string(err), err->code);
	ck_assert_msg(strstr(ms_error_string(err), what), "\"%s\" lacks \"%s\"",
		      ms_error_string(err), what);
	ms_error_destroy(err);
}

START_TEST(elf_valid_passes)
{
	size_t len;
	unsigned char *b = make_elf(&len);

	ck_assert_ptr_null(check(b, len));
	free(b);
}
END_TEST

START_TEST(elf_faults_refused)
{
	size_t len;
	unsigned char *b = make_elf(&len);
	Elf64_Ehdr *h = (Elf64_Ehdr *)b;
	unsigned char *vmci = memmem(b, len, "PAGESIZE=4096", 13);

	h->e_phentsize = 0;
	refused(check(b, len), MS_ERR_CORRUPT, "e_phentsize is 0");
	h->e_phentsize = sizeof(Elf64_Phdr);
	h->e_ident[EI_CLASS] = ELFCLASS32;
	refused(check(b, len), MS_ERR_UNSUPPORTED, "64-bit dumps only");
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_phnum = 60000;
	refused(check(b, len), MS_ERR_CORRUPT, "do not fit");
	h->e_phnum = 2;
	refused(check(b, len - 1), MS_ERR_CORRUPT, "may be truncated");
	refused(check(b, 20), MS_ERR_CORRUPT, "may be truncated");
	memcpy(vmci, "PAGESIZE=0000", 13);
	refused(check(b, len), MS_ERR_CORRUPT, "PAGESIZE=0000");
	memcpy(vmci, "PAGESIZE=4096", 13);
	((Elf64_Phdr *)(b + h->e_phoff))[0].p_filesz = 13;	/* cuts the note */
	refused(check(b, len), MS_ERR_CORRUPT, "runs past its segment");
	free(b);
}
END_TEST

START_TEST(kdump_valid_passes)
{
	size_t len;
	unsigned char *b = make_kdump(&len);

	ck_assert_ptr_null(check(b, len));
	free(b);
}
END_TEST

START_TEST(kdump_faults_refused)
{
	size_t len;
	unsigned char *b = make_kdump(&len);

	refused(check(b, 8), MS_ERR_CORRUPT, "may be truncated");
	put32(b + 428, 0);
	refused(check(b, len), MS_ERR_CORRUPT, "block_size 0");
	put32(b + 428, (uint32_t)-4096);
	refused(check(b, len), MS_ERR_CORRUPT, "block_size -4096");
	put32(b + 428, PAGE);
	put32(b + 8, (uint32_t)-1);
	refused(check(b, len), MS_ERR_UNSUPPORTED, "header_version -1");
	put32(b + 8, 6);
	put32(b + 436, 1);
	refused(check(b, len), MS_ERR_CORRUPT, "bitmap_blocks is 1");
	put32(b + 436, 2);
	put64(b + PAGE + 96, 1ull << 60);
	refused(check(b, len), MS_ERR_CORRUPT, "max_mapnr");
	put64(b + PAGE + 96, 16);
	put64(b + PAGE + 56, 1ull << 62);		/* size_note */
	refused(check(b, len), MS_ERR_CORRUPT, "may be truncated");
	put64(b + PAGE + 56, 0);
	put32(b + 4 * PAGE + 8, 5000);
	refused(check(b, len), MS_ERR_CORRUPT, "no page's size");
	put32(b + 4 * PAGE + 8, PAGE);
	b[3 * PAGE] = 0x0b;				/* one page more in bitmap 2 */
	refused(check(b, len), MS_ERR_CORRUPT, "points into the headers");
	b[3 * PAGE] = 0x08;				/* one page less */
	refused(check(b, len), MS_ERR_CORRUPT, "a bitmap is corrupt");
	b[3 * PAGE] = 0x09;
	refused(check(b, len - 1), MS_ERR_CORRUPT, "may be truncated");
	memcpy(memmem(b, len, "PAGESIZE=4096", 13), "PAGESIZE=0000", 13);
	refused(check(b, len), MS_ERR_CORRUPT, "PAGESIZE=0000");
	free(b);
}
END_TEST

START_TEST(unknown_format_refused)
{
	refused(ms_dumpcheck_buf("hello, world", 12, NULL), MS_ERR_UNSUPPORTED, "not a dump");
	refused(ms_dumpcheck_buf("", 0, NULL), MS_ERR_CORRUPT, "not a dump");
}
END_TEST

static Suite *dumpcheck_suite(void)
{
	Suite *s = suite_create("dumpcheck");
	TCase *tc = tcase_create("headers");

	tcase_add_test(tc, elf_valid_passes);
	tcase_add_test(tc, elf_faults_refused);
	tcase_add_test(tc, kdump_valid_passes);
	tcase_add_test(tc, kdump_faults_refused);
	tcase_add_test(tc, unknown_format_refused);
	suite_add_tcase(s, tc);
	return s;
}

MS_SUITE(dumpcheck_suite)
