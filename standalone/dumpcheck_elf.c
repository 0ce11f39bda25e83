/*
 * dumpcheck_elf.c - an ELF core dump's headers checked (see dumpcheck.h):
 * what crash's is_netdump() checks (class, type, machine, program headers)
 * and every segment against the file's size, as crash's "may be truncated".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _DEFAULT_SOURCE	/* be32toh() and friends, also under -D_POSIX_C_SOURCE */
#include <elf.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "dumpcheck.h"

struct elf {
	const struct ms_dumpcheck_src *src;
	int big;
	const char *arch;
	uint64_t page_size;	/* VMCOREINFO's */
};

static uint16_t h16(const struct elf *e, uint16_t v)
{
	return e->big ? be16toh(v) : le16toh(v);
}

static uint32_t h32(const struct elf *e, uint32_t v)
{
	return e->big ? be32toh(v) : le32toh(v);
}

static uint64_t h64(const struct elf *e, uint64_t v)
{
	return e->big ? be64toh(v) : le64toh(v);
}

/* e_machine as libkdumpfile's arch.name; NULL if memscope reads no such dump. */
static const char *arch_of(uint16_t machine)
{
	switch (machine) {
	case EM_X86_64:
		return "x86_64";
	case EM_AARCH64:
		return "aarch64";
	case EM_PPC64:
		return "ppc64";
	case EM_S390:
		return "s390x";
	default:
		return NULL;
	}
}

/* e_phnum, or with PN_XNUM the real count in section 0's sh_info (ELF gABI). */
static struct ms_error *phnum_of(struct elf *e, const Elf64_Ehdr *h, uint64_t *phnum)
{
	Elf64_Shdr sh;
	struct ms_error *err;

	*phnum = h16(e, h->e_phnum);
	if (*phnum != PN_XNUM)
		return NULL;
	if (h16(e, h->e_shentsize) != sizeof(sh) || !h64(e, h->e_shoff))
		return ms_error_create(MS_ERR_CORRUPT, "ELF: e_phnum is PN_XNUM without a section "
				       "header to hold the count");
	err = ms_dc_read(e->src, &sh, sizeof(sh), h64(e, h->e_shoff), "ELF section header 0");
	if (err)
		return err;
	*phnum = h32(e, sh.sh_info);
	return NULL;
}

static struct ms_error *check_ehdr(struct elf *e, const Elf64_Ehdr *h)
{
	const char *arch;

	if (h->e_ident[EI_CLASS] != ELFCLASS64)
		return ms_error_create(MS_ERR_UNSUPPORTED, "ELF class %u: memscope reads 64-bit "
				       "dumps only (x86_64, aarch64, ppc64, s390x)",
				       h->e_ident[EI_CLASS]);
	if (h->e_ident[EI_DATA] != ELFDATA2LSB && h->e_ident[EI_DATA] != ELFDATA2MSB)
		return ms_error_create(MS_ERR_CORRUPT, "ELF: byte order %u is neither LSB nor MSB",
				       h->e_ident[EI_DATA]);
	e->big = h->e_ident[EI_DATA] == ELFDATA2MSB;
	if (h->e_ident[EI_VERSION] != EV_CURRENT || h32(e, h->e_version) != EV_CURRENT)
		return ms_error_create(MS_ERR_CORRUPT, "ELF version %u", h->e_ident[EI_VERSION]);
	if (h16(e, h->e_type) != ET_CORE)
		return ms_error_create(MS_ERR_UNSUPPORTED, "ELF type %u is not a core dump (ET_CORE)",
				       h16(e, h->e_type));
	arch = arch_of(h16(e, h->e_machine));
	if (!arch)
		return ms_error_create(MS_ERR_UNSUPPORTED, "ELF machine %u: not an architecture "
				       "memscope reads", h16(e, h->e_machine));
	e->arch = arch;
	if (h16(e, h->e_phentsize) != sizeof(Elf64_Phdr))
		return ms_error_create(MS_ERR_CORRUPT, "ELF: e_phentsize is %u, not %zu",
				       h16(e, h->e_phentsize), sizeof(Elf64_Phdr));
	return NULL;
}

static struct ms_error *check_phdr(struct elf *e, const Elf64_Phdr *p, uint64_t i)
{
	uint64_t off = h64(e, p->p_offset), len = h64(e, p->p_filesz);

	if (h32(e, p->p_type) != PT_LOAD && h32(e, p->p_type) != PT_NOTE)
		return NULL;
	if (off > e->src->size || len > e->src->size - off)
		return ms_error_create(MS_ERR_CORRUPT, "ELF: %s segment %llu (%llu bytes at file "
				       "offset %llu) ends past the end of the file (%llu bytes): the "
				       "dump may be truncated",
				       h32(e, p->p_type) == PT_LOAD ? "PT_LOAD" : "PT_NOTE",
				       (unsigned long long)i, (unsigned long long)len,
				       (unsigned long long)off, (unsigned long long)e->src->size);
	if (h32(e, p->p_type) == PT_NOTE)
		return ms_dc_notes(e->src, off, len, e->big, e->arch, &e->page_size);
	return NULL;
}

struct ms_error *ms_dumpcheck_elf(const struct ms_dumpcheck_src *src, const char *arch)
{
	struct elf e = { .src = src, .arch = arch };
	struct ms_error *err;
	uint64_t phnum, phoff, loads = 0;
	Elf64_Ehdr h;
	Elf64_Phdr *ph;

	err = ms_dc_read(src, &h, EI_NIDENT, 0, "the ELF identification");
	if (!err && h.e_ident[EI_CLASS] == ELFCLASS64)
		err = ms_dc_read(src, &h, sizeof(h), 0, "the ELF header");
	if (!err)
		err = check_ehdr(&e, &h);
	if (!err)
		err = phnum_of(&e, &h, &phnum);
	if (err)
		return err;
	phoff = h64(&e, h.e_phoff);
	if (!phnum || phoff > src->size || phnum > (src->size - phoff) / sizeof(*ph))
		return ms_error_create(MS_ERR_CORRUPT, "ELF: %llu program headers at %llu do not fit "
				       "in the file (%llu bytes): the dump may be truncated",
				       (unsigned long long)phnum, (unsigned long long)phoff,
				       (unsigned long long)src->size);
	ph = malloc(phnum * sizeof(*ph));
	if (!ph)
		return &ms_error_nomem;
	err = ms_dc_read(src, ph, phnum * sizeof(*ph), phoff, "the ELF program headers");
	for (uint64_t i = 0; !err && i < phnum; i++) {
		err = check_phdr(&e, &ph[i], i);
		loads += h32(&e, ph[i].p_type) == PT_LOAD;
	}
	free(ph);
	if (!err && !loads)
		err = ms_error_create(MS_ERR_CORRUPT, "ELF: no PT_LOAD segment: no memory in the dump");
	return err;
}
